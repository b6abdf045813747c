//! One row of the import file: its cells read into typed values, every problem kept with
//! its column's name (all of them, not only the first, so a user fixes a row in one go).

use chrono::{Datelike, NaiveDate};

use super::COLUMNS;
use crate::domain::money;
use crate::domain::parties::DebtorKind;

/// The debtor as the row gives it (the intake use case checks it further).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorRow {
    pub kind: DebtorKind,
    pub name: String,
    pub first_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub address: String,
    pub address2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub consumer: Option<bool>,
}

/// The invoice of a row; amounts are canonical text (`1234.56`) for the intake use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRow {
    pub number: String,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub amount: String,
    pub already_paid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// Physical line of the file (the header is line 1).
    pub line: usize,
    pub key: String,
    pub debtor: DebtorRow,
    pub invoice: InvoiceRow,
    pub note: Option<String>,
    /// (column, message) for each problem of the row.
    pub errors: Vec<(String, String)>,
}

/// Reads the cells of a record; `positions[k]` is where column `COLUMNS[k]` is, if present.
pub fn parse_row(line: usize, fields: &[String], positions: &[Option<usize>]) -> Row {
    let mut errors: Vec<(String, String)> = Vec::new();
    let cell = |name: &str| -> String {
        COLUMNS
            .iter()
            .position(|(c, _)| *c == name)
            .and_then(|k| positions.get(k).copied().flatten())
            .and_then(|i| fields.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let opt = |name: &str| Some(cell(name)).filter(|s| !s.is_empty());
    let required = |name: &str, errors: &mut Vec<(String, String)>| {
        let v = cell(name);
        if v.is_empty() {
            errors.push((name.to_string(), "valeur obligatoire manquante".to_string()));
        }
        v
    };
    let key = required("dossier", &mut errors);
    let kind_text = required("debiteur_type", &mut errors);
    let kind = match fold(&kind_text).as_str() {
        "societe" | "entreprise" | "personne morale" => DebtorKind::Company,
        "particulier" | "personne physique" => DebtorKind::Individual,
        "" => DebtorKind::Company,
        _ => {
            errors.push((
                "debiteur_type".into(),
                format!("« {kind_text} » : indiquez « societe » ou « particulier »"),
            ));
            DebtorKind::Company
        }
    };
    let consumer = match fold(&cell("consommateur")).as_str() {
        "" => None,
        "oui" | "o" => Some(true),
        "non" | "n" => Some(false),
        other => {
            errors.push((
                "consommateur".into(),
                format!("« {other} » : indiquez « oui » ou « non »"),
            ));
            None
        }
    };
    let debtor = DebtorRow {
        kind,
        name: required("debiteur_nom", &mut errors),
        first_name: opt("debiteur_prenom"),
        legal_form: opt("forme_juridique"),
        siren: opt("siren").map(|s| s.replace([' ', '\u{a0}'], "")),
        address: required("adresse", &mut errors),
        address2: opt("adresse_complement"),
        postal_code: required("code_postal", &mut errors),
        city: required("ville", &mut errors),
        country: opt("pays"),
        email: opt("email"),
        phone: opt("telephone"),
        consumer,
    };
    let number = required("facture", &mut errors);
    let date = |name: &str, errors: &mut Vec<(String, String)>| {
        let t = required(name, errors);
        if t.is_empty() {
            return None;
        }
        let d = parse_date(&t);
        if d.is_none() {
            errors.push((
                name.to_string(),
                format!("« {t} » n'est pas une date (attendu JJ/MM/AAAA, par exemple 31/01/2024)"),
            ));
        }
        d
    };
    let issue_date = date("date_facture", &mut errors);
    let due_date = date("echeance", &mut errors);
    let amount_text = required("montant_ttc", &mut errors);
    let amount = money::normalise_amount(&amount_text);
    if !amount_text.is_empty() {
        if let Err(e) = money::parse_positive_cents(&amount) {
            errors.push(("montant_ttc".into(), amount_message(&amount_text, &e.0)));
        }
    }
    let already_paid = opt("deja_paye").map(|t| {
        let n = money::normalise_amount(&t);
        let ok = money::parse_amount(&n).map_err(|e| e.0).and_then(|d| {
            if d.is_sign_negative() {
                Err("un montant déjà payé ne peut être négatif".to_string())
            } else {
                money::to_cents(d).map_err(|e| e.0)
            }
        });
        if let Err(e) = ok {
            errors.push(("deja_paye".into(), amount_message(&t, &e)));
        }
        n
    });
    Row {
        line,
        key,
        debtor,
        invoice: InvoiceRow {
            number,
            issue_date,
            due_date,
            amount,
            already_paid,
        },
        note: opt("note"),
        errors,
    }
}

/// `JJ/MM/AAAA` (also `JJ-MM-AAAA`, `JJ.MM.AAAA`) or ISO `AAAA-MM-JJ`.
pub fn parse_date(t: &str) -> Option<NaiveDate> {
    ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        // Two-digit years (chrono reads "24" as year 24) would open cases dated 2 000 years ago.
        .filter(|d| d.year() >= 1900)
}

fn amount_message(typed: &str, why: &str) -> String {
    format!("« {typed} » : montant invalide ({why}) — attendu par exemple 1 234,56")
}

/// Lower case without the accents French users may or may not type ("Société").
fn fold(t: &str) -> String {
    t.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Option<usize>> {
        (0..COLUMNS.len()).map(Some).collect()
    }

    fn fields(over: &[(&str, &str)]) -> Vec<String> {
        COLUMNS
            .iter()
            .map(|(c, _)| {
                over.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_else(|| match *c {
                        "dossier" => "D1".into(),
                        "debiteur_type" => "Société".into(),
                        "debiteur_nom" => "ACME".into(),
                        "adresse" => "1 rue".into(),
                        "code_postal" => "75001".into(),
                        "ville" => "Paris".into(),
                        "facture" => "F1".into(),
                        "date_facture" => "31/01/2024".into(),
                        "echeance" => "2024-03-01".into(),
                        "montant_ttc" => "1 234,56".into(),
                        _ => String::new(),
                    })
            })
            .collect()
    }

    #[test]
    fn a_good_row_reads_dates_amounts_and_kind() {
        let r = parse_row(2, &fields(&[("consommateur", "Non")]), &all());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.debtor.kind, DebtorKind::Company);
        assert_eq!(r.debtor.consumer, Some(false));
        assert_eq!(r.invoice.amount, "1234.56");
        assert_eq!(r.invoice.issue_date, NaiveDate::from_ymd_opt(2024, 1, 31));
        assert_eq!(r.invoice.due_date, NaiveDate::from_ymd_opt(2024, 3, 1));
    }

    #[test]
    fn every_error_of_a_row_names_its_column() {
        let r = parse_row(
            7,
            &fields(&[
                ("montant_ttc", "12,3,4"),
                ("date_facture", "31/02/2024"),
                ("debiteur_nom", ""),
                ("consommateur", "peut-être"),
                ("deja_paye", "-3"),
            ]),
            &all(),
        );
        let cols: Vec<&str> = r.errors.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            cols,
            vec![
                "consommateur",
                "debiteur_nom",
                "date_facture",
                "montant_ttc",
                "deja_paye"
            ]
        );
        assert!(r.errors[2].1.contains("31/02/2024"));
    }

    #[test]
    fn dates_and_amounts_formats() {
        assert_eq!(
            parse_date("05/03/2024"),
            NaiveDate::from_ymd_opt(2024, 3, 5)
        );
        assert_eq!(
            parse_date("2024-03-05"),
            NaiveDate::from_ymd_opt(2024, 3, 5)
        );
        assert_eq!(parse_date("5/3/24"), None);
        assert_eq!(parse_date("hier"), None);
        assert_eq!(money::normalise_amount("1\u{a0}234,50 €"), "1234.50");
        assert!(money::parse_positive_cents(&money::normalise_amount("1.234,50")).is_err());
    }
}
