//! Which case a credit pays. Exactly: the remittance information names the case's reference
//! (`REC-2026-000042`), however the debtor or the bank wrote it — any case, spaces, dashes,
//! dots or slashes between its parts, words around it (« VIR SEPA Mr Martin ref rec 2026
//! 000042 merci »). Otherwise a case may be *proposed*, for an agent to confirm, when the
//! amount is the balance due and the payer's name is close to the debtor's ([`names_similar`]).

use crate::domain::search::fold;

/// Every case reference the text names, upper-cased and canonical (`REC-YYYY-NNNNNN`), each
/// once, in the order they appear.
pub fn references_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i + 3 <= chars.len() {
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        let is_rec = chars[i..i + 3]
            .iter()
            .zip(['r', 'e', 'c'])
            .all(|(c, w)| c.to_ascii_lowercase() == w);
        if !(word_start && is_rec) {
            i += 1;
            continue;
        }
        // After « REC »: ten digits, separators allowed between them, and no eleventh digit.
        let mut digits = String::new();
        let mut j = i + 3;
        while j < chars.len() && digits.len() < 10 {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !matches!(c, ' ' | '-' | '.' | '/' | '_' | ':' | '\u{a0}') {
                break;
            }
            j += 1;
        }
        let next_is_digit = chars.get(j).is_some_and(|c| c.is_ascii_digit());
        if digits.len() == 10 && !next_is_digit {
            let r = format!("REC-{}-{}", &digits[..4], &digits[4..]);
            if !out.contains(&r) {
                out.push(r);
            }
            i = j;
        } else {
            i += 3;
        }
    }
    out
}

/// Words that say nothing of who paid: legal forms, titles, banking words.
const NOISE: &[&str] = &[
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sci",
    "snc",
    "scp",
    "selarl",
    "ste",
    "societe",
    "ets",
    "etablissements",
    "cie",
    "m",
    "mr",
    "mme",
    "mlle",
    "monsieur",
    "madame",
    "mademoiselle",
    "et",
    "ou",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "vir",
    "virement",
    "sepa",
    "inst",
    "recu",
    "from",
    "par",
];

/// The words of a name that identify someone: folded (case, accents), split on anything not
/// a letter or a digit, without legal forms and titles.
pub fn name_words(name: &str) -> Vec<String> {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .map(String::from)
        .collect()
}

/// Whether a payer's name, as the bank wrote it, is close to the debtor's: they share a
/// word of three letters or more, and at least half the words of the shorter of the two.
pub fn names_similar(payer: &str, debtor: &str) -> bool {
    let (p, d) = (name_words(payer), name_words(debtor));
    if p.is_empty() || d.is_empty() {
        return false;
    }
    let common: Vec<&String> = p.iter().filter(|w| d.contains(w)).collect();
    let shorter = p.len().min(d.len());
    common.iter().any(|w| w.chars().count() >= 3) && common.len() * 2 >= shorter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_found_however_it_is_written() {
        let r = vec!["REC-2026-000042".to_string()];
        for text in [
            "REC-2026-000042",
            "Facture rec-2026-000042 merci",
            "VIR SEPA M MARTIN REF REC 2026 000042",
            "rec2026000042",
            "dossier REC 2026-000 042.",
            "REC/2026/000042/",
            "Réf:REC-2026-000042",
        ] {
            assert_eq!(references_in(text), r, "{text}");
        }
    }

    #[test]
    fn look_alikes_are_not_references() {
        for text in [
            "PRECOMPTE 2026000042",
            "REC-2026-00004",
            "REC-2026-0000421",
            "RECOUVRA 2026 000042",
            "facture 2026-000042",
        ] {
            assert!(references_in(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn several_references_are_all_named_once() {
        assert_eq!(
            references_in("REC-2026-000001 + REC-2026-000002, rec 2026 000001"),
            vec!["REC-2026-000001".to_string(), "REC-2026-000002".to_string()]
        );
    }

    #[test]
    fn names_are_close_despite_case_accents_titles_and_legal_forms() {
        assert!(names_similar(
            "BOULANGERIE MARTIN SARL",
            "Boulangerie Martin"
        ));
        assert!(names_similar("M. ELODIE DUPRE", "Élodie Dupré"));
        assert!(names_similar("MARTIN JEAN", "Jean Martin"));
        assert!(!names_similar("DUPONT SA", "Boulangerie Martin"));
        assert!(!names_similar("SARL", "SARL"));
        assert!(!names_similar("", "Martin"));
    }
}
