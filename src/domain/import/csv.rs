//! A small CSV reader for the case import: RFC 4180 quoting (separators, newlines and doubled
//! quotes inside quoted fields), `;` or `,` as separator, CRLF or LF line ends. Hand-written
//! rather than a crate: the whole grammar is these few rules, and we need each record's
//! physical line number for the report.

/// One record and the physical line (1-based) where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why the text is not CSV at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted field opened on this line is never closed.
    UnclosedQuote { line: usize },
    /// Characters after a closing quote, before the separator (`"ab"c`).
    AfterQuote { line: usize },
    /// More records than allowed (header excluded).
    TooManyRecords { max: usize },
}

/// The separator of a file: `;` (French spreadsheets) unless the header line has commas and no
/// semicolon.
pub fn detect_separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    if !header.contains(';') && header.contains(',') {
        ','
    } else {
        ';'
    }
}

/// Splits `text` into records. Blank lines are skipped (spreadsheets add them at the end);
/// `max_records` bounds the work on a huge file (the header counts as one more).
pub fn records(text: &str, sep: char, max_records: usize) -> Result<Vec<Record>, CsvError> {
    let mut out: Vec<Record> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut in_quotes = false;
    // Whether the current field was quoted and its closing quote has been read.
    let mut closed_quote = false;
    let mut chars = text.chars().peekable();
    let mut push_record = |fields: &mut Vec<String>, start: usize| -> Result<(), CsvError> {
        let blank = fields.len() == 1 && fields[0].trim().is_empty();
        if !blank {
            if out.len() > max_records {
                return Err(CsvError::TooManyRecords { max: max_records });
            }
            out.push(Record {
                line: start,
                fields: std::mem::take(fields),
            });
        }
        fields.clear();
        Ok(())
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    closed_quote = true;
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                // A CRLF inside quotes is kept as one newline.
                '\r' if chars.peek() == Some(&'\n') => {}
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !closed_quote => {
                field.clear();
                in_quotes = true;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                closed_quote = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                closed_quote = false;
                push_record(&mut fields, start_line)?;
                line += 1;
                start_line = line;
            }
            // Spaces after a closing quote are tolerated; anything else is a broken field.
            c if closed_quote && c.is_whitespace() => {}
            _ if closed_quote => return Err(CsvError::AfterQuote { line }),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError::UnclosedQuote { line: start_line });
    }
    fields.push(field);
    push_record(&mut fields, start_line)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(t: &str) -> Vec<(usize, Vec<&str>)> {
        let r = records(t, ';', 100).unwrap();
        // Leak-free view for comparisons.
        r.into_iter()
            .map(|r| {
                (
                    r.line,
                    r.fields
                        .into_iter()
                        .map(|f| &*Box::leak(f.into_boxed_str()))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn plain_records_with_lf_or_crlf_and_blank_lines() {
        assert_eq!(
            recs("a;b\r\nc;d\n\n"),
            vec![(1, vec!["a", "b"]), (2, vec!["c", "d"])]
        );
        assert_eq!(recs("a;;b"), vec![(1, vec!["a", "", "b"])]);
    }

    #[test]
    fn quoted_fields_hold_separators_newlines_and_doubled_quotes() {
        assert_eq!(
            recs("h\n\"a;b\";\"line1\r\nline2\";\"say \"\"hi\"\"\"\nnext"),
            vec![
                (1, vec!["h"]),
                (2, vec!["a;b", "line1\nline2", "say \"hi\""]),
                (4, vec!["next"])
            ]
        );
    }

    #[test]
    fn broken_quotes_are_refused_with_their_line() {
        assert_eq!(
            records("h\n\"open;x\ny", ';', 10),
            Err(CsvError::UnclosedQuote { line: 2 })
        );
        assert_eq!(
            records("h\n\"ab\"c;d", ';', 10),
            Err(CsvError::AfterQuote { line: 2 })
        );
    }

    #[test]
    fn the_separator_follows_the_header() {
        assert_eq!(detect_separator("a;b,c\n"), ';');
        assert_eq!(detect_separator("a,b,c\n1;2"), ',');
        assert_eq!(detect_separator("a\n"), ';');
        assert_eq!(
            records("a,\"b,c\"", ',', 10).unwrap()[0].fields,
            vec!["a", "b,c"]
        );
    }

    #[test]
    fn the_record_count_is_bounded() {
        assert!(records("h\n1\n2", ';', 2).is_ok());
        assert_eq!(
            records("h\n1\n2\n3", ';', 2),
            Err(CsvError::TooManyRecords { max: 2 })
        );
    }
}
