//! Writing CSV (RFC 4180) for spreadsheets: the creditor's export of its cases.
//!
//! Written by hand: the `csv` crate is not in the tree nor in the package lists this project
//! draws from, and writing is the easy half — quote a field holding the separator, a quote or
//! a line break, double its quotes, end records with CRLF. Excel in France expects `;` and,
//! to read UTF-8, a byte-order mark first.

/// The byte-order mark Excel needs to read the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One record, its fields quoted where needed (RFC 4180 2.6–2.7), ended by CRLF.
pub fn record<S: AsRef<str>>(fields: &[S], sep: char) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        let f = f.as_ref();
        if f.contains([sep, '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
    out
}

/// A text cell that a spreadsheet must not read as a formula: one starting with `=`, `+`,
/// `-`, `@`, a tab or a CR gets a leading apostrophe (OWASP, « CSV injection »). A name typed
/// by anyone would otherwise run as a formula on the creditor's computer.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(record(&["a", "b c", "1500,00"], ';'), "a;b c;1500,00\r\n");
        assert_eq!(
            record(
                &["Roy; Fils", "dit \"le grand\"", "deux\nlignes", "x,y"],
                ';'
            ),
            "\"Roy; Fils\";\"dit \"\"le grand\"\"\";\"deux\nlignes\";x,y\r\n"
        );
        assert_eq!(record(&["", ""], ';'), ";\r\n");
    }

    #[test]
    fn a_cell_that_looks_like_a_formula_is_kept_as_text() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("-12"), "'-12");
        assert_eq!(text("Garage Lefort"), "Garage Lefort");
    }
}
