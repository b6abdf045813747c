//! A small line-oriented markup that letter templates render to, turned into
//! layout [`Block`]s by [`parse`].
//!
//! Templates (tera, see [`super::letters`]) produce this text; keeping the layout in a
//! plain, line-based format lets the French wording live in the templates while the
//! PDF engine stays independent of them.
//!
//! # Syntax
//!
//! Every line is trimmed first. Outside a block:
//!
//! | line | result |
//! |---|---|
//! | blank line | ends the current paragraph |
//! | other text lines | a justified paragraph; consecutive lines are joined with one space |
//! | `# Title`, `## Title`, `### Title` | heading of level 1, 2, 3 |
//! | `::STYLE text` | one-line styled paragraph; `STYLE` is one or more of `bold`, `small`, `large`, `right`, `center`, `sign` joined with `+` (e.g. `::bold+small Lettre recommandée`); `large` is a title size (16 pt, e.g. a cover page); `sign` indents the line to the signature position (105 mm) |
//! | `::spacer N` | vertical space of `N` millimetres (0 to 100, decimals allowed) |
//! | `::pagebreak` | starts a new page |
//! | `::qr text` | a QR code of `text` (a link), 25 mm square at the left margin |
//!
//! Blocks, each closed by `::end` (blocks do not nest; blank lines inside are ignored
//! unless said otherwise):
//!
//! * `::address` — sender lines, a line `--`, then recipient lines (window-envelope
//!   address blocks);
//! * `::kv` — rows `Label | value` (bold label column, wrapped value);
//! * `::table` — first line: the columns, `Title:width_mm:align` separated by `|`,
//!   `align` being `left`, `right` or `center` (e.g. `Facture:25:left | Montant:30:right`);
//!   then rows `a | b | c` with exactly one cell per column (cells may be empty); an
//!   optional `::total a | b | c` line gives the bold total row;
//! * `::lines` — one paragraph whose lines are kept as they are (hard line breaks);
//! * `::signature` — like `::lines`, indented to the signature position (the layout keeps
//!   its first two lines on the same page);
//! * `::quote` — quoted text (indented, smaller, justified); blank lines separate its
//!   paragraphs.
//!
//! # Escaping
//!
//! A backslash makes the next character literal: `\|` is a `|` inside a cell, and a line
//! starting with `\#`, `\:` or `\-` is plain text. `\\` is one backslash. The letter
//! templates escape every value they insert with [`escape`], so data (names, addresses,
//! references) can never produce a directive or break a table row.
//!
//! # Errors
//!
//! Unknown directives, a cell count that does not match the columns, bad column or spacer
//! arguments, a misplaced `::end`/`::total`/`--` and an unclosed block are errors
//! ([`MarkupError`]) that name the 1-based line number.

use super::pdf::{Align, Block, Column, Table, TextBlock};

/// Body text size of `::small` lines and `::quote` blocks, in points.
const SMALL_PT: f32 = 8.5;
/// Text size of `::large` lines (cover-page titles), in points.
const LARGE_PT: f32 = 16.0;
/// Left indent of `::quote` blocks, in millimetres.
const QUOTE_INDENT_MM: f32 = 8.0;
/// Left indent of `::sign` lines, in millimetres (aligned with the recipient address).
const SIGN_INDENT_MM: f32 = 105.0;
/// Largest `::spacer`, in millimetres.
const MAX_SPACER_MM: f32 = 100.0;

/// A markup error; every variant names the 1-based line where it was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarkupError {
    /// `::name` is not a known directive (or style).
    #[error("line {line}: unknown directive `::{name}`")]
    UnknownDirective {
        /// Line number.
        line: usize,
        /// The directive as written (without `::`).
        name: String,
    },
    /// A table or key/value row has the wrong number of cells.
    #[error("line {line}: expected {expected} cells, found {found}")]
    CellCount {
        /// Line number.
        line: usize,
        /// Cells required (columns of the table, 2 for `::kv`).
        expected: usize,
        /// Cells found.
        found: usize,
    },
    /// A block was still open at the end of the text.
    #[error("line {line}: `::{block}` is never closed by `::end`")]
    Unclosed {
        /// Line of the opening directive.
        line: usize,
        /// The block's directive.
        block: &'static str,
    },
    /// A directive that is not allowed where it appears.
    #[error("line {line}: {message}")]
    Misplaced {
        /// Line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A directive with a missing or invalid argument.
    #[error("line {line}: {message}")]
    InvalidArgument {
        /// Line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl MarkupError {
    /// The 1-based line number the error is about.
    pub fn line(&self) -> usize {
        match self {
            Self::UnknownDirective { line, .. }
            | Self::CellCount { line, .. }
            | Self::Unclosed { line, .. }
            | Self::Misplaced { line, .. }
            | Self::InvalidArgument { line, .. } => *line,
        }
    }
}

/// Escapes a value inserted into markup: `\` and `|` get a backslash, a leading `#`, `:` or
/// `-` (after any spaces) gets a backslash, and line breaks and tabs become spaces. The
/// result is always one line of plain text, whatever the value.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let mut leading = true;
    for c in value.chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if leading && c != ' ' {
            leading = false;
            if matches!(c, '#' | ':' | '-') {
                out.push('\\');
            }
        }
        if matches!(c, '\\' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes the escaping backslashes (a trailing lone backslash is kept).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().unwrap_or('\\'));
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a row on unescaped `|`; each cell is trimmed, then unescaped.
fn split_cells(s: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '|' => cells.push(unescape(std::mem::take(&mut current).trim())),
            _ => current.push(c),
        }
    }
    cells.push(unescape(current.trim()));
    cells
}

/// The block being read.
enum Open {
    Address {
        sender: Vec<String>,
        recipient: Vec<String>,
        seen_separator: bool,
    },
    Kv(Vec<(String, String)>),
    Table {
        columns: Option<Vec<Column>>,
        rows: Vec<Vec<String>>,
        total: Option<Vec<String>>,
    },
    Lines(Vec<String>),
    Signature(Vec<String>),
    Quote {
        paragraphs: Vec<String>,
        current: Vec<String>,
    },
}

impl Open {
    fn name(&self) -> &'static str {
        match self {
            Open::Address { .. } => "address",
            Open::Kv(_) => "kv",
            Open::Table { .. } => "table",
            Open::Lines(_) => "lines",
            Open::Signature(_) => "signature",
            Open::Quote { .. } => "quote",
        }
    }
}

fn quote_block(text: String) -> Block {
    TextBlock::new(text)
        .align(Align::Justify)
        .size(SMALL_PT + 0.5)
        .indent(QUOTE_INDENT_MM)
        .into()
}

/// Turns a finished block into layout blocks.
fn close(open: Open, line: usize, out: &mut Vec<Block>) -> Result<(), MarkupError> {
    match open {
        Open::Address {
            sender,
            recipient,
            seen_separator,
        } => {
            if !seen_separator {
                return Err(MarkupError::Misplaced {
                    line,
                    message: "`::address` needs a `--` line between sender and recipient".into(),
                });
            }
            out.push(Block::AddressBlocks { sender, recipient });
        }
        Open::Kv(rows) => out.push(Block::KeyValue(rows)),
        Open::Table {
            columns,
            rows,
            total,
        } => {
            let Some(columns) = columns else {
                return Err(MarkupError::Misplaced {
                    line,
                    message: "`::table` has no column line".into(),
                });
            };
            out.push(Block::Table(Table {
                columns,
                rows,
                total,
            }));
        }
        Open::Lines(lines) => out.push(TextBlock::new(lines.join("\n")).into()),
        Open::Signature(lines) => out.push(
            TextBlock::new(lines.join("\n"))
                .indent(SIGN_INDENT_MM)
                .into(),
        ),
        Open::Quote {
            mut paragraphs,
            current,
        } => {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
            }
            out.extend(paragraphs.into_iter().map(quote_block));
        }
    }
    Ok(())
}

/// Parses one `Title:width_mm:align` column.
fn column(spec: &str, line: usize) -> Result<Column, MarkupError> {
    let bad = |message: String| MarkupError::InvalidArgument { line, message };
    let mut parts = spec.rsplitn(3, ':');
    let (Some(align), Some(width), Some(title)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad(format!(
            "column `{spec}` must be written `Title:width_mm:align`"
        )));
    };
    let align = match align.trim() {
        "left" => Align::Left,
        "right" => Align::Right,
        "center" => Align::Center,
        other => {
            return Err(bad(format!(
                "column alignment `{other}` is not left, right or center"
            )))
        }
    };
    let width: f32 = width
        .trim()
        .parse()
        .ok()
        .filter(|w: &f32| w.is_finite() && *w > 0.0)
        .ok_or_else(|| {
            bad(format!(
                "column width `{}` is not a positive number",
                width.trim()
            ))
        })?;
    Ok(Column::new(title.trim(), width, align))
}

/// A one-line styled paragraph `::STYLE+STYLE text`; `None` if `name` is not a style list.
fn styled(name: &str, arg: &str, line: usize) -> Option<Result<Block, MarkupError>> {
    let mut t = TextBlock::new(unescape(arg));
    for style in name.split('+') {
        t = match style {
            "bold" => t.bold(),
            "small" => t.size(SMALL_PT),
            "large" => t.size(LARGE_PT),
            "right" => t.align(Align::Right),
            "center" => t.align(Align::Center),
            "sign" => t.indent(SIGN_INDENT_MM),
            _ => return None,
        };
    }
    if arg.is_empty() {
        return Some(Err(MarkupError::InvalidArgument {
            line,
            message: format!("`::{name}` needs some text"),
        }));
    }
    Some(Ok(t.into()))
}

/// Parses markup into layout blocks (see the module documentation for the syntax).
pub fn parse(text: &str) -> Result<Vec<Block>, MarkupError> {
    let mut out: Vec<Block> = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut open: Option<(Open, usize)> = None;

    let flush = |paragraph: &mut Vec<String>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(
                TextBlock::new(std::mem::take(paragraph).join(" "))
                    .align(Align::Justify)
                    .into(),
            );
        }
    };

    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        let directive = line.strip_prefix("::").map(|rest| {
            let (name, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            (name, arg.trim())
        });

        // Inside a block.
        if let Some((block, start)) = open.as_mut() {
            if let Some((name, arg)) = directive {
                match (name, &mut *block) {
                    ("end", _) => {
                        if !arg.is_empty() {
                            return Err(MarkupError::InvalidArgument {
                                line: line_no,
                                message: "`::end` takes no argument".into(),
                            });
                        }
                        if let Some((block, _)) = open.take() {
                            close(block, line_no, &mut out)?;
                        }
                    }
                    (
                        "total",
                        Open::Table {
                            columns: Some(columns),
                            total,
                            ..
                        },
                    ) => {
                        if total.is_some() {
                            return Err(MarkupError::Misplaced {
                                line: line_no,
                                message: "a table has at most one `::total` line".into(),
                            });
                        }
                        let cells = split_cells(arg);
                        if cells.len() != columns.len() {
                            return Err(MarkupError::CellCount {
                                line: line_no,
                                expected: columns.len(),
                                found: cells.len(),
                            });
                        }
                        *total = Some(cells);
                    }
                    _ => {
                        return Err(MarkupError::Misplaced {
                            line: line_no,
                            message: format!(
                                "`::{name}` is not allowed inside `::{}` (opened line {start})",
                                block.name()
                            ),
                        })
                    }
                }
                continue;
            }
            match block {
                Open::Quote {
                    paragraphs,
                    current,
                } => {
                    if line.is_empty() {
                        if !current.is_empty() {
                            paragraphs.push(std::mem::take(current).join(" "));
                        }
                    } else {
                        current.push(unescape(line));
                    }
                }
                _ if line.is_empty() => {}
                Open::Address {
                    sender,
                    recipient,
                    seen_separator,
                } => {
                    if line == "--" {
                        if *seen_separator {
                            return Err(MarkupError::Misplaced {
                                line: line_no,
                                message: "`::address` has only one `--` line".into(),
                            });
                        }
                        *seen_separator = true;
                    } else if *seen_separator {
                        recipient.push(unescape(line));
                    } else {
                        sender.push(unescape(line));
                    }
                }
                Open::Kv(rows) => {
                    let mut cells = split_cells(line);
                    if cells.len() != 2 {
                        return Err(MarkupError::CellCount {
                            line: line_no,
                            expected: 2,
                            found: cells.len(),
                        });
                    }
                    let value = cells.pop().unwrap_or_default();
                    let label = cells.pop().unwrap_or_default();
                    rows.push((label, value));
                }
                Open::Table { columns, rows, .. } => match columns {
                    None => {
                        // Split on unescaped `|` but keep the `:` parts raw.
                        let specs = split_cells(line);
                        *columns = Some(
                            specs
                                .iter()
                                .map(|s| column(s, line_no))
                                .collect::<Result<_, _>>()?,
                        );
                    }
                    Some(columns) => {
                        let cells = split_cells(line);
                        if cells.len() != columns.len() {
                            return Err(MarkupError::CellCount {
                                line: line_no,
                                expected: columns.len(),
                                found: cells.len(),
                            });
                        }
                        rows.push(cells);
                    }
                },
                Open::Lines(lines) | Open::Signature(lines) => lines.push(unescape(line)),
            }
            continue;
        }

        // Outside any block.
        if line.is_empty() {
            flush(&mut paragraph, &mut out);
            continue;
        }
        if let Some((name, arg)) = directive {
            flush(&mut paragraph, &mut out);
            let no_arg = |block: Open| {
                if arg.is_empty() {
                    Ok(Some((block, line_no)))
                } else {
                    Err(MarkupError::InvalidArgument {
                        line: line_no,
                        message: format!("`::{name}` takes no argument"),
                    })
                }
            };
            match name {
                "address" => {
                    open = no_arg(Open::Address {
                        sender: Vec::new(),
                        recipient: Vec::new(),
                        seen_separator: false,
                    })?
                }
                "kv" => open = no_arg(Open::Kv(Vec::new()))?,
                "table" => {
                    open = no_arg(Open::Table {
                        columns: None,
                        rows: Vec::new(),
                        total: None,
                    })?
                }
                "lines" => open = no_arg(Open::Lines(Vec::new()))?,
                "signature" => open = no_arg(Open::Signature(Vec::new()))?,
                "quote" => {
                    open = no_arg(Open::Quote {
                        paragraphs: Vec::new(),
                        current: Vec::new(),
                    })?
                }
                "end" | "total" => {
                    return Err(MarkupError::Misplaced {
                        line: line_no,
                        message: format!("`::{name}` outside a block"),
                    })
                }
                "pagebreak" => {
                    if !arg.is_empty() {
                        return Err(MarkupError::InvalidArgument {
                            line: line_no,
                            message: "`::pagebreak` takes no argument".into(),
                        });
                    }
                    out.push(Block::PageBreak);
                }
                "qr" => {
                    let text = unescape(arg);
                    if text.is_empty() {
                        return Err(MarkupError::InvalidArgument {
                            line: line_no,
                            message: "`::qr` needs the text to encode".into(),
                        });
                    }
                    out.push(Block::Qr(text));
                }
                "spacer" => {
                    let mm: f32 = arg
                        .parse()
                        .ok()
                        .filter(|mm: &f32| mm.is_finite() && (0.0..=MAX_SPACER_MM).contains(mm))
                        .ok_or_else(|| MarkupError::InvalidArgument {
                            line: line_no,
                            message: format!(
                                "`::spacer` needs a height in mm between 0 and {MAX_SPACER_MM}, got `{arg}`"
                            ),
                        })?;
                    out.push(Block::Spacer(mm));
                }
                _ => match styled(name, arg, line_no) {
                    Some(block) => out.push(block?),
                    None => {
                        return Err(MarkupError::UnknownDirective {
                            line: line_no,
                            name: name.to_string(),
                        })
                    }
                },
            }
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && line[hashes..].starts_with(' ') {
            flush(&mut paragraph, &mut out);
            let title = line[hashes..].trim();
            let level = u8::try_from(hashes.min(3)).unwrap_or(3);
            out.push(Block::Heading(level, unescape(title)));
            continue;
        }
        paragraph.push(unescape(line));
    }
    if let Some((block, start)) = open {
        return Err(MarkupError::Unclosed {
            line: start,
            block: block.name(),
        });
    }
    flush(&mut paragraph, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn justified(text: &str) -> Block {
        TextBlock::new(text).align(Align::Justify).into()
    }

    #[test]
    fn paragraphs_headings_and_styles() {
        let blocks = parse(
            "# MISE EN DEMEURE\n\n## Détail\nPremière ligne\n   suite du paragraphe.\n\n\nSecond.\n\
             ::bold+small Lettre recommandée avec accusé de réception\n::right Paris, le 1er mars\n\
             ::sign Claire Dubois\n::center Centré\n::spacer 4.5\n::pagebreak\n#pas un titre\n\
             ::large+center Requête\n",
        )
        .unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Heading(1, "MISE EN DEMEURE".into()),
                Block::Heading(2, "Détail".into()),
                justified("Première ligne suite du paragraphe."),
                justified("Second."),
                TextBlock::new("Lettre recommandée avec accusé de réception")
                    .bold()
                    .size(SMALL_PT)
                    .into(),
                TextBlock::new("Paris, le 1er mars")
                    .align(Align::Right)
                    .into(),
                TextBlock::new("Claire Dubois")
                    .indent(SIGN_INDENT_MM)
                    .into(),
                TextBlock::new("Centré").align(Align::Center).into(),
                Block::Spacer(4.5),
                Block::PageBreak,
                justified("#pas un titre"),
                TextBlock::new("Requête")
                    .size(LARGE_PT)
                    .align(Align::Center)
                    .into(),
            ]
        );
    }

    #[test]
    fn blocks() {
        let text = "::address\nRecouvra SAS\n\n12 rue de la Paix\n--\nM. Jérôme Lefèvre\n69003 Lyon\n::end\n\
                    ::kv\nNotre référence | REC-1\nCréancier | A \\| B\n::end\n\
                    ::table\nFacture:30:left | Échéance:25:center | Montant:30:right\n\
                    F-1 | 12/12/2024 | 834,20 €\n\nF-2 |  | 10,00 €\n::total Total | | 844,20 €\n::end\n\
                    ::lines\nClaire Dubois\nJuriste\n::end\n\
                    ::signature\nClaire Dubois\n\nPour Recouvra SAS\n::end\n\
                    ::quote\n« Premier\nalinéa. »\n\n« Second. »\n::end\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 7, "{blocks:#?}");
        assert_eq!(
            blocks[0],
            Block::AddressBlocks {
                sender: vec!["Recouvra SAS".into(), "12 rue de la Paix".into()],
                recipient: vec!["M. Jérôme Lefèvre".into(), "69003 Lyon".into()],
            }
        );
        assert_eq!(
            blocks[1],
            Block::KeyValue(vec![
                ("Notre référence".into(), "REC-1".into()),
                ("Créancier".into(), "A | B".into()),
            ])
        );
        assert_eq!(
            blocks[2],
            Block::Table(Table {
                columns: vec![
                    Column::new("Facture", 30.0, Align::Left),
                    Column::new("Échéance", 25.0, Align::Center),
                    Column::new("Montant", 30.0, Align::Right),
                ],
                rows: vec![
                    vec!["F-1".into(), "12/12/2024".into(), "834,20 €".into()],
                    vec!["F-2".into(), String::new(), "10,00 €".into()],
                ],
                total: Some(vec!["Total".into(), String::new(), "844,20 €".into()]),
            })
        );
        assert_eq!(blocks[3], TextBlock::new("Claire Dubois\nJuriste").into());
        assert_eq!(
            blocks[4],
            TextBlock::new("Claire Dubois\nPour Recouvra SAS")
                .indent(SIGN_INDENT_MM)
                .into()
        );
        assert_eq!(blocks[5], quote_block("« Premier alinéa. »".into()));
        assert_eq!(blocks[6], quote_block("« Second. »".into()));
    }

    #[test]
    fn escaped_values_stay_plain_text() {
        for nasty in [
            "# titre",
            "  ## titre",
            "::end",
            "::pagebreak",
            "--",
            "-5,00 €",
            "a | b",
            "x\\",
            "ligne\n::bold injection",
            ":: espace",
        ] {
            let e = escape(nasty);
            assert!(!e.contains('\n'));
            // As a paragraph.
            let blocks = parse(&e).unwrap();
            let plain = nasty.replace('\n', " ");
            assert_eq!(blocks, vec![justified(plain.trim())], "{nasty:?}");
            // As a table cell and an address line.
            let table = format!("::table\nA:20:left | B:20:right\n{e} | {e}\n::end");
            let Block::Table(t) = &parse(&table).unwrap()[0] else {
                panic!("not a table");
            };
            assert_eq!(t.rows, vec![vec![plain.trim().to_string(); 2]], "{nasty:?}");
            let address = format!("::address\n{e}\n--\n{e}\n::end");
            assert_eq!(
                parse(&address).unwrap(),
                vec![Block::AddressBlocks {
                    sender: vec![plain.trim().to_string()],
                    recipient: vec![plain.trim().to_string()],
                }],
                "{nasty:?}"
            );
        }
    }

    #[test]
    fn errors_name_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "Texte\n::frobnicate x",
                2,
                "unknown directive `::frobnicate`",
            ),
            ("::bold+blink texte", 1, "unknown directive"),
            (
                "a\n::table\nA:20:left | B:20:right\nx | y\nx | y | z\n::end",
                5,
                "expected 2 cells, found 3",
            ),
            (
                "::table\nA:20:left | B:20:right\n::total x\n::end",
                3,
                "expected 2 cells, found 1",
            ),
            ("::kv\nseul\n::end", 2, "expected 2 cells, found 1"),
            ("\n\n::kv\nA | b\n", 3, "`::kv` is never closed"),
            ("::quote\ntexte", 1, "`::quote` is never closed"),
            ("::end", 1, "outside a block"),
            ("::total a", 1, "outside a block"),
            ("::kv\n::table\n::end", 2, "not allowed inside `::kv`"),
            ("::address\nA\n::end", 3, "needs a `--` line"),
            ("::address\nA\n--\nB\n--\n::end", 5, "only one `--`"),
            ("::table\n::end", 2, "no column line"),
            (
                "::table\nA:20 | B:20:right\n::end",
                2,
                "Title:width_mm:align",
            ),
            ("::table\nA:x:left\n::end", 2, "not a positive number"),
            (
                "::table\nA:20:middle\n::end",
                2,
                "not left, right or center",
            ),
            ("::spacer beaucoup", 1, "::spacer"),
            ("::spacer 500", 1, "::spacer"),
            ("::bold", 1, "needs some text"),
            ("::kv x", 1, "takes no argument"),
            ("::pagebreak now", 1, "takes no argument"),
            ("Texte\n::qr", 2, "`::qr` needs the text to encode"),
        ];
        for (text, line, message) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.line(), *line, "{text:?}: {err}");
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!("line {line}: ")) && shown.contains(message),
                "{text:?}: {shown}"
            );
        }
    }

    #[test]
    fn a_qr_line_is_a_qr_block_of_its_unescaped_text() {
        assert_eq!(
            parse("Scannez :\n::qr https://recouvra.test/d/a\\|b").unwrap(),
            vec![
                justified("Scannez :"),
                Block::Qr("https://recouvra.test/d/a|b".into())
            ]
        );
    }

    #[test]
    fn empty_text_gives_no_blocks() {
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse("\n \n").unwrap(), vec![]);
    }
}
