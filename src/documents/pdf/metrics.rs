//! Font metrics and text encoding for the built-in Helvetica faces.
//!
//! The renderer uses the PDF standard-14 fonts Helvetica and Helvetica-Bold with
//! `/WinAnsiEncoding` (what printpdf emits for built-in fonts). WinAnsi covers
//! all of French (é è à ç ô œ Œ « » € ° and the no-break space), so no font
//! is embedded. Characters outside WinAnsi are replaced by [`sanitize`]:
//! typographic spaces become spaces, common Central-European letters lose
//! their diacritic (ł → l, ș → s, ...), anything else becomes `?`.
//!
//! Widths are the Adobe AFM advance widths (1/1000 em) for WinAnsi codes
//! 0x20..=0xFF, as found in the Helvetica subsets bundled with printpdf, with
//! the AFM values restored for the few glyphs where those subsets differ
//! (€, no-break space, soft hyphen, ±, ÷, µ).

/// Helvetica widths for WinAnsi codes 0x20..=0xFF (0 = code not used).
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold widths for WinAnsi codes 0x20..=0xFF (0 = code not used).
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// Unicode code points of WinAnsi bytes 0x80..=0x9F (0 = undefined).
const WIN_ANSI_HIGH: [u32; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// WinAnsi byte of `c`, if the encoding has it.
pub(crate) fn win_ansi_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    match cp {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(cp).ok(),
        _ => WIN_ANSI_HIGH
            .iter()
            .position(|&h| h != 0 && h == cp)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// Replacement for a character outside WinAnsi (see the module docs).
fn fallback(c: char) -> &'static str {
    match c {
        '\t' => " ",
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => "\u{a0}",
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}' => "",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => "-",
        '\u{2032}' => "'",
        '\u{2033}' => "\"",
        'Ā' | 'Ă' | 'Ą' => "A",
        'ā' | 'ă' | 'ą' => "a",
        'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'Ď' | 'Đ' => "D",
        'ď' | 'đ' => "d",
        'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'Ğ' | 'Ģ' => "G",
        'ğ' | 'ģ' => "g",
        'Ī' | 'Į' | 'İ' => "I",
        'ī' | 'į' | 'ı' => "i",
        'Ķ' => "K",
        'ķ' => "k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ł' => "L",
        'ĺ' | 'ļ' | 'ľ' | 'ł' => "l",
        'Ń' | 'Ņ' | 'Ň' => "N",
        'ń' | 'ņ' | 'ň' => "n",
        'Ō' | 'Ő' => "O",
        'ō' | 'ő' => "o",
        'Ŕ' | 'Ř' => "R",
        'ŕ' | 'ř' => "r",
        'Ś' | 'Ş' | 'Ș' => "S",
        'ś' | 'ş' | 'ș' => "s",
        'Ţ' | 'Ť' | 'Ț' => "T",
        'ţ' | 'ť' | 'ț' => "t",
        'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ź' | 'Ż' => "Z",
        'ź' | 'ż' => "z",
        _ => "?",
    }
}

/// Maps `text` to characters the built-in fonts can show (see the module docs).
/// `'\n'` is kept (it marks hard line breaks for the layout).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || (c != '\u{00AD}' && win_ansi_byte(c).is_some()) {
            out.push(c);
        } else if c != '\r' {
            out.push_str(fallback(c));
        }
    }
    out
}

/// Advance width of `c` in 1/1000 em; unknown characters count as `?`.
fn char_width(c: char, bold: bool) -> u16 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let idx = win_ansi_byte(c)
        .and_then(|b| usize::from(b).checked_sub(0x20))
        .unwrap_or(usize::from(b'?') - 0x20);
    table.get(idx).copied().unwrap_or(556)
}

/// Width in points of `text` set in Helvetica (or Helvetica-Bold) at `size` points.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text.chars().map(|c| u32::from(char_width(c, bold))).sum();
    units as f32 * size / 1000.0
}

/// Splits a line into unbreakable units, following French typography: the
/// space after "«" and before "»", ":", ";", "!", "?", "€" and "%" never breaks.
fn units(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let glue_prev = matches!(word, "»" | ":" | ";" | "!" | "?" | "€" | "%");
        match out.last_mut() {
            Some(last) if glue_next || glue_prev => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
        glue_next = word == "«";
    }
    out
}

/// Word-wraps already [`sanitize`]d text to `max_width` points.
///
/// Breaks on ASCII spaces only (the no-break space U+00A0 keeps "1 234,56 €"
/// together; see also the French punctuation rules of `units`) and on `'\n'`. A word wider than the line is cut between characters.
/// Returns one entry per line, with a flag telling whether the line ends a
/// paragraph (needed for justification). An empty input gives one empty line.
pub fn wrap(text: &str, size: f32, bold: bool, max_width: f32) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    for hard_line in text.split('\n') {
        let mut current = String::new();
        let mut current_w = 0.0f32;
        let space_w = text_width(" ", size, bold);
        // A glued unit wider than the line falls back to its separate words.
        let units = units(hard_line).into_iter().flat_map(|u| {
            if u.contains(' ') && text_width(&u, size, bold) > max_width {
                u.split(' ').map(str::to_string).collect()
            } else {
                vec![u]
            }
        });
        for unit in units {
            let word = unit.as_str();
            let word_w = text_width(word, size, bold);
            let needed = if current.is_empty() {
                word_w
            } else {
                current_w + space_w + word_w
            };
            if needed <= max_width {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
                current_w = needed;
                continue;
            }
            if !current.is_empty() {
                lines.push((std::mem::take(&mut current), false));
                current_w = 0.0;
            }
            if word_w <= max_width {
                current.push_str(word);
                current_w = word_w;
                continue;
            }
            // A single word longer than the line: cut it.
            for c in word.chars() {
                let cw = text_width(c.encode_utf8(&mut [0u8; 4]), size, bold);
                if current_w + cw > max_width && !current.is_empty() {
                    lines.push((std::mem::take(&mut current), false));
                    current_w = 0.0;
                }
                current.push(c);
                current_w += cw;
            }
        }
        lines.push((current, true));
    }
    lines
}

/// Shortens `text` with a trailing "…" so that it fits in `max_width` points.
pub fn ellipsize(text: &str, size: f32, bold: bool, max_width: f32) -> String {
    if text_width(text, size, bold) <= max_width {
        return text.to_string();
    }
    let budget = max_width - text_width("\u{2026}", size, bold);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = text_width(c.encode_utf8(&mut [0u8; 4]), size, bold);
        if w + cw > budget {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_characters_are_win_ansi() {
        for c in "éèàçôÉÈÀÇÔœŒ«»€°\u{a0}’…–—".chars() {
            assert!(win_ansi_byte(c).is_some(), "{c:?}");
        }
        assert_eq!(win_ansi_byte('€'), Some(0x80));
        assert_eq!(win_ansi_byte('œ'), Some(0x9C));
    }

    #[test]
    fn sanitize_replaces_unsupported() {
        assert_eq!(sanitize("Łukasz Ștefan"), "Lukasz Stefan");
        assert_eq!(sanitize("1\u{202F}234,56\u{a0}€"), "1\u{a0}234,56\u{a0}€");
        assert_eq!(sanitize("漢"), "?");
        assert_eq!(sanitize("a\r\nb"), "a\nb");
    }

    #[test]
    fn widths_match_afm() {
        assert!((text_width("a", 1000.0, false) - 556.0).abs() < 0.01);
        assert!((text_width("i", 1000.0, true) - 278.0).abs() < 0.01);
        assert!((text_width("€", 1000.0, false) - 556.0).abs() < 0.01);
        assert!((text_width("Wé", 10.0, false) - 15.0).abs() < 0.01);
    }

    #[test]
    fn wrap_respects_width_and_nbsp() {
        let text = "Nous vous prions de régler la somme de 1\u{a0}234,56\u{a0}€ sous huit jours.";
        let lines = wrap(text, 10.0, false, 120.0);
        assert!(lines.len() > 1);
        for (l, _) in &lines {
            assert!(text_width(l, 10.0, false) <= 120.0, "{l}");
        }
        assert!(lines
            .iter()
            .any(|(l, _)| l.contains("1\u{a0}234,56\u{a0}€")));
        assert!(lines.last().is_some_and(|(_, end)| *end));
        let long = wrap("x".repeat(100).as_str(), 10.0, false, 50.0);
        assert!(long.len() > 1);
        assert_eq!(wrap("", 10.0, false, 50.0), vec![(String::new(), true)]);
        for width in [60.0, 75.0, 90.0, 120.0] {
            for (line, _) in wrap(
                "la société « Maître Pâtissier » doit : 40 € ?",
                10.0,
                false,
                width,
            ) {
                for bad in ["»", ":", "€", "?"] {
                    assert!(!line.starts_with(bad), "{line:?} at width {width}");
                }
                assert!(!line.ends_with('«'), "{line:?}");
            }
        }
    }
}
