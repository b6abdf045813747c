//! Importing cases from a CSV file (format: `domain::import`, `docs/IMPORT.md`). Each case
//! of the file goes through the intake use case (`intake::open_case`: same checks, one
//! transaction per case), so one bad case never loses the good ones; the answer is a report
//! row by row.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::import::{self, CaseRows, Row};
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::cases as store;

use super::intake::{self, DebtorInput, InvoiceInput, OpenCaseInput};

/// Namespace of the per-creditor lock taken while a case of a file is checked and opened.
const IMPORT_LOCK: i32 = 0x494d_5054; // "IMPT"

/// What happened to one row of the file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RowReport {
    pub line: usize,
    pub dossier: String,
    /// The case opened (id, reference) when imported.
    pub case: Option<(i64, String)>,
    /// (column, message) when refused.
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub cases_imported: usize,
    pub cases_refused: usize,
    pub rows: Vec<RowReport>,
}

/// Imports the cases of `bytes` for a creditor: a creditor for its own organisation, an agent
/// or admin for the one it names. A file that cannot be read is refused as a whole
/// (`VALIDATION` on `field`); otherwise each case is opened or refused on its own.
pub fn import_cases(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    creditor_id: Option<i64>,
    bytes: &[u8],
    field: &str,
) -> AppResult<ImportReport> {
    // Who may import for whom is decided before the file is read.
    let creditor = actor.opening_org(creditor_id)?;
    let parsed = import::parse(bytes).map_err(|e| AppError::validation(field, e.0))?;
    let mut report = ImportReport::default();
    for case in &parsed.cases {
        let outcome = import_one(conn, clock, actor, creditor, case)?;
        match outcome {
            Ok(opened) => {
                report.cases_imported += 1;
                report.rows.extend(case.rows.iter().map(|r| RowReport {
                    line: r.line,
                    dossier: r.key.clone(),
                    case: Some(opened.clone()),
                    errors: Vec::new(),
                }));
            }
            Err(errors) => {
                report.cases_refused += 1;
                report.rows.extend(errors);
            }
        }
    }
    report.rows.sort_by_key(|r| r.line);
    Ok(report)
}

/// Opens one case of the file, or says why not, row by row. Only a failure that is not the
/// input's fault (the database) is an `Err` of the outer result.
fn import_one(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    creditor: i64,
    case: &CaseRows,
) -> AppResult<Result<(i64, String), Vec<RowReport>>> {
    // Each row keeps its own errors; the other rows of the case say why they were not imported.
    let refuse = |bad: Vec<(usize, Vec<(String, String)>)>| -> Vec<RowReport> {
        let lines: Vec<String> = bad
            .iter()
            .map(|(i, _)| case.rows[*i].line.to_string())
            .collect();
        case.rows
            .iter()
            .enumerate()
            .map(|(i, r)| RowReport {
                line: r.line,
                dossier: r.key.clone(),
                case: None,
                errors: bad
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map(|(_, e)| e.clone())
                    .unwrap_or_else(|| {
                        vec![(
                            "dossier".to_string(),
                            format!(
                                "dossier non importé : ligne(s) {} du même dossier refusée(s)",
                                lines.join(", ")
                            ),
                        )]
                    }),
            })
            .collect()
    };
    let bad: Vec<(usize, Vec<(String, String)>)> = case
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.errors.is_empty())
        .map(|(i, r)| (i, r.errors.clone()))
        .collect();
    if !bad.is_empty() {
        return Ok(Err(refuse(bad)));
    }
    let input = match to_input(creditor, &case.rows) {
        Some(input) => input,
        // Unreachable: a row without errors has its dates.
        None => {
            return Ok(Err(refuse(vec![(
                0,
                vec![("date_facture".into(), "date manquante".into())],
            )])))
        }
    };
    // The duplicate check runs inside the case's transaction, under a lock per creditor: two
    // imports of one file at once (a double click) cannot both open its cases.
    let not_yet_open = |conn: &mut DbConn, creditor: i64| {
        db::lock_in_transaction(conn, IMPORT_LOCK, creditor)?;
        match duplicate(conn, creditor, case)? {
            Some((i, msg)) => Err(AppError::validation(format!("invoices[{i}].number"), msg)),
            None => Ok(()),
        }
    };
    match intake::open_case_checked(conn, clock, actor, &input, not_yet_open) {
        Ok(c) => Ok(Ok((c.id, c.reference))),
        Err(e) if e.code == ErrorCode::Validation => {
            let (row, column) = locate(e.field.as_deref().unwrap_or(""));
            Ok(Err(refuse(vec![(
                row,
                vec![(column.to_string(), crate::i18n::french(&e.message))],
            )])))
        }
        Err(e) => Err(e),
    }
}

/// The same file imported twice must not open the same case twice: a case is refused when
/// its creditor already has an open case (not closed, not rejected) for a debtor of the same
/// name with one of its invoice numbers. Returns the row and the reason.
fn duplicate(
    conn: &mut DbConn,
    creditor: i64,
    case: &CaseRows,
) -> AppResult<Option<(usize, String)>> {
    let numbers: Vec<String> = case.rows.iter().map(|r| r.invoice.number.clone()).collect();
    let closed = [CaseState::Closed.as_str(), CaseState::Rejected.as_str()];
    let found = store::invoices_on_open_cases(conn, creditor, &numbers, &closed)?;
    let name = case.rows[0].debtor.name.trim().to_lowercase();
    for (i, r) in case.rows.iter().enumerate() {
        if let Some((reference, _, _)) = found.iter().find(|(_, debtor, number)| {
            *number == r.invoice.number && debtor.trim().to_lowercase() == name
        }) {
            return Ok(Some((
                i,
                format!(
                    "la facture {} de ce débiteur est déjà dans le dossier {reference} en cours \
                     (fichier déjà importé ?)",
                    r.invoice.number
                ),
            )));
        }
    }
    Ok(None)
}

/// The intake input of a case: the debtor of its first row, one invoice per row.
fn to_input(creditor: i64, rows: &[Row]) -> Option<OpenCaseInput> {
    let d = &rows.first()?.debtor;
    let invoices = rows
        .iter()
        .map(|r| {
            Some(InvoiceInput {
                number: r.invoice.number.clone(),
                issue_date: r.invoice.issue_date?,
                due_date: r.invoice.due_date?,
                amount: r.invoice.amount.clone(),
                already_paid: r.invoice.already_paid.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let notes: Vec<&str> = rows.iter().filter_map(|r| r.note.as_deref()).collect();
    Some(OpenCaseInput {
        creditor_id: Some(creditor),
        debtor: DebtorInput {
            kind: d.kind,
            name: d.name.clone(),
            first_name: d.first_name.clone(),
            legal_form: d.legal_form.clone(),
            siren: d.siren.clone(),
            address_line1: d.address.clone(),
            address_line2: d.address2.clone(),
            postal_code: d.postal_code.clone(),
            city: d.city.clone(),
            country: d.country.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            is_consumer: d.consumer,
        },
        invoices,
        note: (!notes.is_empty()).then(|| notes.join("\n")),
        contractual_rate: None,
    })
}

/// The row (index in the case) and the column of an intake error's field path.
fn locate(field: &str) -> (usize, &'static str) {
    if let Some(rest) = field.strip_prefix("invoices[") {
        let (index, name) = rest.split_once("].").unwrap_or((rest, ""));
        let column = match name {
            "number" => "facture",
            "issueDate" => "date_facture",
            "dueDate" => "echeance",
            "amount" => "montant_ttc",
            "alreadyPaid" => "deja_paye",
            _ => "facture",
        };
        return (index.parse().unwrap_or(0), column);
    }
    let column = match field {
        "debtor.name" => "debiteur_nom",
        "debtor.firstName" => "debiteur_prenom",
        "debtor.legalForm" => "forme_juridique",
        "debtor.siren" => "siren",
        "debtor.address.line1" => "adresse",
        "debtor.address.line2" => "adresse_complement",
        "debtor.address.postalCode" => "code_postal",
        "debtor.address.city" => "ville",
        "debtor.address.country" => "pays",
        "debtor.email" => "email",
        "debtor.phone" => "telephone",
        "debtor.isConsumer" => "consommateur",
        "note" => "note",
        _ => "dossier",
    };
    (0, column)
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn intake_fields_map_to_columns() {
        assert_eq!(locate("invoices[2].amount"), (2, "montant_ttc"));
        assert_eq!(locate("invoices[0].dueDate"), (0, "echeance"));
        assert_eq!(locate("debtor.address.postalCode"), (0, "code_postal"));
        assert_eq!(locate("creditorId"), (0, "dossier"));
        assert_eq!(locate("invoices"), (0, "dossier"));
    }
}
