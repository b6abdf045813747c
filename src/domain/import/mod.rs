//! The CSV import of cases, pure part: the file's format (columns, dates, amounts, oui/non),
//! the reading of each row with every error named by its column, and the grouping of rows
//! into cases by their `dossier` key. Opening the cases is `cases::import`.
//!
//! The format is documented in `docs/IMPORT.md`; `EXAMPLE` is the downloadable example.

pub mod csv;
mod row;

use std::collections::HashMap;

pub use row::{parse_row, DebtorRow, InvoiceRow, Row};

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most data rows (invoices) in one file.
pub const MAX_ROWS: usize = 5_000;

/// Every column: (name, required in the header).
pub const COLUMNS: &[(&str, bool)] = &[
    ("dossier", true),
    ("debiteur_type", true),
    ("debiteur_nom", true),
    ("debiteur_prenom", false),
    ("forme_juridique", false),
    ("siren", false),
    ("adresse", true),
    ("adresse_complement", false),
    ("code_postal", true),
    ("ville", true),
    ("pays", false),
    ("email", false),
    ("telephone", false),
    ("consommateur", false),
    ("facture", true),
    ("date_facture", true),
    ("echeance", true),
    ("montant_ttc", true),
    ("deja_paye", false),
    ("note", false),
];

/// The example file offered for download (and used by the tests).
pub const EXAMPLE: &str = "\
dossier;debiteur_type;debiteur_nom;debiteur_prenom;forme_juridique;siren;adresse;adresse_complement;code_postal;ville;pays;email;telephone;consommateur;facture;date_facture;echeance;montant_ttc;deja_paye;note
D1;societe;Boulangerie Martin;;SARL;732829320;12 rue des Lilas;;75011;Paris;FR;compta@boulangerie-martin.fr;01 43 00 00 00;non;F-2024-101;15/01/2024;14/02/2024;1 234,56;;Relancée par téléphone
D1;societe;Boulangerie Martin;;SARL;732829320;12 rue des Lilas;;75011;Paris;FR;compta@boulangerie-martin.fr;01 43 00 00 00;non;F-2024-102;15/02/2024;16/03/2024;480,00;80,00;
D2;particulier;Durand;Claire;;;\"3 allée des Pins; bât. B\";;69003;Lyon;FR;;;oui;F-2024-230;2024-03-01;2024-03-31;350.00;;
";

/// A refusal of the whole file (nothing is imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError(pub String);

/// One case of the file: its key, its rows (the first one names the debtor).
#[derive(Debug, Clone)]
pub struct CaseRows {
    pub key: String,
    pub rows: Vec<Row>,
}

/// The file read: each case with its rows, in the order of the file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub cases: Vec<CaseRows>,
}

/// Reads the bytes of a file: UTF-8 (a BOM is dropped), a header naming the columns, at most
/// `MAX_ROWS` rows. Errors of a row stay on the row; only a file that cannot be read at all is
/// a `FileError`.
pub fn parse(bytes: &[u8]) -> Result<ParsedFile, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError(format!(
            "le fichier dépasse {} Mio : découpez-le en plusieurs fichiers",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        FileError(
            "le fichier n'est pas un CSV en UTF-8 (enregistrez-le au format « CSV UTF-8 »)"
                .to_string(),
        )
    })?;
    if text.contains('\0') {
        return Err(FileError(
            "le fichier n'est pas un fichier texte CSV".into(),
        ));
    }
    let sep = csv::detect_separator(text);
    let records = csv::records(text, sep, MAX_ROWS).map_err(|e| match e {
        csv::CsvError::UnclosedQuote { line } => FileError(format!(
            "ligne {line} : un guillemet ouvert n'est jamais refermé"
        )),
        csv::CsvError::AfterQuote { line } => FileError(format!(
            "ligne {line} : du texte suit un guillemet fermant (doublez les guillemets à \
             l'intérieur d'un champ entre guillemets)"
        )),
        csv::CsvError::TooManyRecords { max } => FileError(format!(
            "le fichier dépasse {max} lignes : découpez-le en plusieurs fichiers"
        )),
    })?;
    let mut it = records.into_iter();
    let header = it
        .next()
        .ok_or_else(|| FileError("le fichier est vide".into()))?;
    let positions = header_positions(&header.fields)?;
    let mut cases: Vec<CaseRows> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rec in it {
        let mut row = parse_row(rec.line, &rec.fields, &positions);
        // A different count of cells means a stray separator or quote: the values would land
        // in the wrong columns, so the row is refused rather than guessed.
        if rec.fields.len() != header.fields.len() {
            row.errors.insert(
                0,
                (
                    "dossier".into(),
                    format!(
                        "la ligne a {} champs alors que l'en-tête en a {} (séparateur ou \
                         guillemet en trop ?)",
                        rec.fields.len(),
                        header.fields.len()
                    ),
                ),
            );
        }
        let at = *index.entry(row.key.clone()).or_insert_with(|| {
            cases.push(CaseRows {
                key: row.key.clone(),
                rows: Vec::new(),
            });
            cases.len() - 1
        });
        // A case has one debtor: its later rows must repeat the first row's debtor.
        if let Some(first) = cases[at].rows.first() {
            if first.debtor != row.debtor {
                row.errors.push((
                    "debiteur_nom".into(),
                    format!(
                        "le débiteur diffère de celui de la ligne {} du même dossier",
                        first.line
                    ),
                ));
            }
        }
        cases[at].rows.push(row);
    }
    if cases.is_empty() {
        return Err(FileError(
            "le fichier ne contient aucune ligne après l'en-tête".into(),
        ));
    }
    Ok(ParsedFile { cases })
}

/// Where each known column is in the file (`None`: absent). Unknown or repeated names, and
/// missing required ones, refuse the file: a typo must not silently drop a column.
fn header_positions(names: &[String]) -> Result<Vec<Option<usize>>, FileError> {
    let mut pos = vec![None; COLUMNS.len()];
    let mut unknown = Vec::new();
    for (i, raw) in names.iter().enumerate() {
        let name = raw.trim().to_lowercase();
        match COLUMNS.iter().position(|(c, _)| *c == name) {
            Some(k) if pos[k].is_some() => {
                return Err(FileError(format!(
                    "en-tête : la colonne « {name} » apparaît deux fois"
                )))
            }
            Some(k) => pos[k] = Some(i),
            None if name.is_empty() => {}
            None => unknown.push(name),
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&pos)
        .filter(|((_, required), p)| *required && p.is_none())
        .map(|((c, _), _)| *c)
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("colonnes manquantes : {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            parts.push(format!("colonnes inconnues : {}", unknown.join(", ")));
        }
        return Err(FileError(format!(
            "en-tête incorrect ({}). La première ligne doit nommer les colonnes, par exemple : {}",
            parts.join(" ; "),
            COLUMNS
                .iter()
                .filter(|(_, r)| *r)
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(";")
        )));
    }
    Ok(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_into_two_cases_without_errors() {
        let f = parse(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(f.cases.len(), 2);
        assert_eq!(f.cases[0].rows.len(), 2);
        assert!(f
            .cases
            .iter()
            .flat_map(|c| &c.rows)
            .all(|r| r.errors.is_empty()));
        let d2 = &f.cases[1].rows[0];
        assert_eq!(d2.debtor.address, "3 allée des Pins; bât. B");
        assert_eq!(f.cases[0].rows[0].invoice.amount, "1234.56");
        assert_eq!(d2.line, 4);
    }

    #[test]
    fn bom_and_comma_separator_are_accepted() {
        let comma = EXAMPLE
            .lines()
            .take(2)
            .map(|l| l.replace("1 234,56", "1234.56").replace(';', ","))
            .collect::<Vec<_>>()
            .join("\n");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(comma.as_bytes());
        let f = parse(&bytes).unwrap();
        assert_eq!(f.cases.len(), 1);
        assert!(
            f.cases[0].rows[0].errors.is_empty(),
            "{:?}",
            f.cases[0].rows
        );
    }

    #[test]
    fn a_row_with_a_different_cell_count_is_refused() {
        let text = EXAMPLE.replacen("Boulangerie Martin;", "Boulangerie; Martin;", 1);
        let f = parse(text.as_bytes()).unwrap();
        let e = &f.cases[0].rows[0].errors;
        assert!(
            e[0].1.contains("21 champs alors que l'en-tête en a 20"),
            "{e:?}"
        );
    }

    #[test]
    fn a_wrong_header_refuses_the_file() {
        let e = parse(b"dossier;nom\nD1;x").unwrap_err();
        assert!(e.0.contains("colonnes manquantes"), "{}", e.0);
        assert!(e.0.contains("colonnes inconnues : nom"), "{}", e.0);
        assert!(parse(b"").is_err());
        assert!(parse(b"\xff\xfe").unwrap_err().0.contains("UTF-8"));
    }

    #[test]
    fn limits_refuse_the_file() {
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(parse(&big).unwrap_err().0.contains("Mio"));
        let mut many = EXAMPLE.lines().next().unwrap().to_string();
        for _ in 0..=MAX_ROWS {
            many.push_str("\nD;societe;X;;;;1 rue;;75001;Paris;;;;;F;01/01/2024;01/02/2024;1;;");
        }
        assert!(parse(many.as_bytes())
            .unwrap_err()
            .0
            .contains("5000 lignes"));
    }
}
