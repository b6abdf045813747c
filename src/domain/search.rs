//! The search key of a case (pure): what the case list's text search compares, folded the
//! same way on both backends so that « Électricité », « ELECTRICITE » and « électricité » are
//! one word, whatever SQLite's or PostgreSQL's own idea of case and accents.
//!
//! Folding *(convention)*: lower case; Latin letters lose their diacritics (Unicode canonical
//! decomposition, then the combining marks after a Latin letter are dropped: é → e, ç → c);
//! the ligatures and letters that do not decompose are spelled out (œ → oe, æ → ae, ß → ss,
//! ø → o, ł → l, đ → d); runs of white space become one space. Other scripts keep their marks.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// `text` folded for searching (see the module's documentation).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_latin = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            if !after_latin {
                out.push(c);
            }
            continue;
        }
        after_latin = is_latin(c);
        for lower in c.to_lowercase() {
            match lower {
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'ł' => out.push('l'),
                'đ' => out.push('d'),
                other => out.push(other),
            }
        }
    }
    // Marks kept after other scripts are recomposed; runs of white space become one space.
    let composed: String = out.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Latin letters: ASCII, Latin-1, Latin Extended-A/B and Additional.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}') && c.is_alphabetic())
}

/// The search key of a case: its reference, its debtor's names and SIREN, its invoice
/// numbers, each folded, separated by spaces.
pub fn case_key<'a>(
    reference: &str,
    debtor_name: &str,
    first_name: Option<&str>,
    siren: Option<&str>,
    invoice_numbers: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut parts = vec![fold(reference), fold(debtor_name)];
    parts.extend(first_name.map(fold));
    parts.extend(siren.map(digits));
    parts.extend(invoice_numbers.into_iter().map(fold));
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// The SIREN a search text names, if it is nine digits once spaces (also the no-break ones)
/// and dots are left out: `362 275 869` → `362275869`.
pub fn siren_in(text: &str) -> Option<String> {
    let d: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.'))
        .collect();
    (d.len() == 9 && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// The case reference a search text names exactly (`REC-2026-000123`, any case), if it does.
pub fn reference_in(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_uppercase();
    let b = t.as_bytes();
    let shaped = b.len() == 15
        && t.starts_with("REC-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit);
    shaped.then_some(t)
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_latin_accents_are_folded_and_ligatures_spelled_out() {
        assert_eq!(fold("Électricité"), "electricite");
        assert_eq!(fold("ÉLODIE"), "elodie");
        assert_eq!(fold("  Cœur   Æther\tStraße "), "coeur aether strasse");
        assert_eq!(fold("Çà et là, ÀÉÎÕÜ ñ"), "ca et la, aeiou n");
        assert_eq!(fold("Łódź Øster"), "lodz oster");
        assert_eq!(fold("FA-2026-0042"), "fa-2026-0042");
    }

    #[test]
    fn other_scripts_keep_their_marks() {
        // Cyrillic й is и + a breve: not a Latin letter, so it stays й (lower-cased).
        assert_eq!(fold("Й"), "й");
    }

    #[test]
    fn the_key_holds_every_searchable_part_folded() {
        let key = case_key(
            "REC-2026-000001",
            "Électricité de Provence",
            Some("Élodie"),
            Some("362 275 869"),
            ["FA-2026-0042", "Fa-2026-0043"],
        );
        assert_eq!(
            key,
            "rec-2026-000001 electricite de provence elodie 362275869 fa-2026-0042 fa-2026-0043"
        );
    }

    #[test]
    fn sirens_and_references_are_recognised_for_exact_lookups() {
        assert_eq!(siren_in("362 275 869").as_deref(), Some("362275869"));
        assert_eq!(siren_in("362.275.869").as_deref(), Some("362275869"));
        assert_eq!(siren_in("36227586"), None);
        assert_eq!(siren_in("électricité"), None);
        assert_eq!(
            reference_in(" rec-2026-000123 ").as_deref(),
            Some("REC-2026-000123")
        );
        assert_eq!(reference_in("-000123"), None);
    }
}
