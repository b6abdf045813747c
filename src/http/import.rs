//! `POST /api/cases/import`: the CSV import for integrators who send the file as it is (the
//! body is the file; `?creditorId=` for agents and admins). Same use case and report as
//! `importCases`, without GraphQL's 1 MiB JSON body limit (the file's own limit applies).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{bearer_actor, read_capped};
use crate::app::AppState;
use crate::cases::import::ImportReport;
use crate::domain::import::MAX_BYTES;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
pub struct ImportQuery {
    #[serde(rename = "creditorId")]
    creditor_id: Option<String>,
}

fn too_large() -> AppError {
    crate::evidence::too_large("the file", MAX_BYTES as u64)
}

/// The report as JSON, field for field like GraphQL's `ImportReport`.
pub fn report_json(r: &ImportReport) -> serde_json::Value {
    serde_json::json!({
        "importedCases": r.cases_imported,
        "refusedCases": r.cases_refused,
        "rows": r.rows.iter().map(|row| serde_json::json!({
            "line": row.line,
            "dossier": row.dossier,
            "imported": row.case.is_some(),
            "caseId": row.case.as_ref().map(|(id, _)| id.to_string()),
            "reference": row.case.as_ref().map(|(_, reference)| reference),
            "errors": row.errors.iter().map(|(c, m)| serde_json::json!({ "column": c, "message": m })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub async fn import(
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    mut body: web::Payload,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    let creditor_id =
        match query.creditor_id.as_deref() {
            None | Some("") => None,
            Some(t) => Some(t.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                AppError::validation("creditorId", "unknown creditor organisation")
            })?),
        };
    let bytes = read_capped(&req, &mut body, MAX_BYTES, too_large).await?;
    let report = state
        .run_as(actor, "POST /api/cases/import", move |conn, st| {
            crate::cases::import::import_cases(conn, &st.clock, &actor, creditor_id, &bytes, "file")
        })
        .await?;
    Ok(HttpResponse::Ok().json(report_json(&report)))
}
