//! `POST /api/bank/statements`: an agent or an admin imports a statement of the dedicated
//! account as it is (the body is the camt.053 or CSV file; `?format=csv`, and for a CSV the
//! columns `date`, `amount` or `credit` and `debit`, `remittance`, `payer`, `reference`, and
//! `iban`). Same use case as `importBankStatement`, without GraphQL's 1 MiB body limit.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::{bearer_actor, read_capped};
use crate::app::AppState;
use crate::domain::bank::{csv::Mapping, Format, MAX_FILE_BYTES};
use crate::error::{AppError, AppResult};

fn too_large() -> AppError {
    crate::evidence::too_large("the statement file", MAX_FILE_BYTES as u64)
}

fn mapping_of(q: &HashMap<String, String>) -> Mapping {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let d = Mapping::default();
    let split = get("credit").is_some() || get("debit").is_some();
    Mapping {
        date: get("date").unwrap_or(d.date),
        amount: get("amount").or(if split { None } else { d.amount }),
        credit: get("credit"),
        debit: get("debit"),
        payer: get("payer"),
        remittance: get("remittance").unwrap_or(d.remittance),
        reference: get("reference"),
        currency: get("currency"),
    }
}

pub async fn import(
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
    mut body: web::Payload,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    actor.require_staff()?;
    let q = query.into_inner();
    let format = match q.get("format") {
        Some(f) => Format::parse(f).map_err(|e| AppError::validation("format", e.0))?,
        None => Format::Camt053,
    };
    let content = read_capped(&req, &mut body, MAX_FILE_BYTES, too_large).await?;
    let input = crate::recovery::bank::ImportInput {
        content,
        format,
        mapping: Some(mapping_of(&q)),
        iban: q.get("iban").cloned(),
    };
    let r = state
        .run_as(actor, "POST /api/bank/statements", move |conn, st| {
            crate::recovery::bank::import(conn, &st.clock, st.jobs.blobs.as_ref(), &actor, &input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "read": r.read, "new": r.new, "duplicates": r.duplicates, "matched": r.matched, "payouts": r.payouts,
        "proposed": r.proposed, "unmatched": r.unmatched, "ignored": r.ignored,
        "pending": r.pending,
        "refused": r.refused.iter().map(|x| serde_json::json!({
            "line": x.line, "reason": x.reason,
        })).collect::<Vec<_>>(),
        "entries": r.entries.iter().map(|q| serde_json::json!({
            "id": q.entry.id.to_string(),
            "bookedOn": q.entry.booked_on,
            "amount": crate::domain::money::format_cents(q.entry.amount_cents),
            "status": q.entry.status,
            "reason": q.entry.reason,
            "caseReference": q.case_reference,
        })).collect::<Vec<_>>(),
    })))
}
