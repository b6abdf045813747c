//! `importCases`: the CSV import's report as GraphQL objects.

use juniper::{GraphQLObject, ID};

use super::scalars::{id_of, opt_id_field};
use super::Context;
use crate::cases::import::ImportReport;
use crate::error::AppError;

/// What an import did: counts, and one line per row of the file.
#[derive(GraphQLObject)]
pub struct ImportReportNode {
    /// Cases opened.
    pub imported_cases: i32,
    /// Cases refused (each with the reason on its rows).
    pub refused_cases: i32,
    /// Rows of the file, in file order.
    pub rows: Vec<ImportRowNode>,
}

/// One row of the file (one invoice).
#[derive(GraphQLObject)]
pub struct ImportRowNode {
    /// Line of the file (the header is line 1; a quoted field may span lines).
    pub line: i32,
    /// The row's `dossier` key.
    pub dossier: String,
    pub imported: bool,
    /// The case opened, when imported.
    pub case_id: Option<ID>,
    pub reference: Option<String>,
    /// Why the row was not imported: one entry per problem, named by its column.
    pub errors: Vec<ImportErrorNode>,
}

#[derive(GraphQLObject)]
pub struct ImportErrorNode {
    /// The column of the file (e.g. `montant_ttc`).
    pub column: String,
    pub message: String,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<ImportReport> for ImportReportNode {
    fn from(r: ImportReport) -> Self {
        ImportReportNode {
            imported_cases: count(r.cases_imported),
            refused_cases: count(r.cases_refused),
            rows: r
                .rows
                .into_iter()
                .map(|row| ImportRowNode {
                    line: count(row.line),
                    dossier: row.dossier,
                    imported: row.case.is_some(),
                    case_id: row.case.as_ref().map(|(id, _)| id_of(*id)),
                    reference: row.case.map(|(_, reference)| reference),
                    errors: row
                        .errors
                        .into_iter()
                        .map(|(column, message)| ImportErrorNode { column, message })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Runs the import for the signed-in caller.
pub async fn import_cases(
    ctx: &Context,
    csv: String,
    creditor_id: Option<ID>,
) -> Result<ImportReportNode, AppError> {
    let actor = ctx.actor()?;
    let creditor_id = opt_id_field(creditor_id, "creditorId", "unknown creditor organisation")?;
    let report = ctx
        .run(move |conn, state| {
            crate::cases::import::import_cases(
                conn,
                &state.clock,
                &actor,
                creditor_id,
                csv.as_bytes(),
                "csv",
            )
        })
        .await?;
    Ok(report.into())
}
