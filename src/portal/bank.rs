//! `/portal/bank` (agency staff): the dedicated account (CPCE R124-2) — the upload of a
//! statement (`recovery::bank::import`, as `importBankStatement` and `recouvra bank import`)
//! with the report of what it did, the reconciliation queue with its forms (confirm a
//! proposal, assign to a case, set aside: `confirmBankEntry`, `assignBankEntry`,
//! `ignoreBankEntry`), and the account's balance against the funds held (R124-6).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::admin::{posted_or_return, see_other, shown_on_form};
use super::session::{self, csrf_token, CsrfToken, Signed};
use super::{error_page, page};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::bank::{csv::Mapping, Format, MAX_FILE_BYTES};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::recovery::bank::{ImportReport, QueueItem};

/// Entries of the queue shown.
const QUEUE: i64 = 200;

fn money(cents: i64) -> String {
    crate::domain::money::from_cents(cents).to_string()
}

fn entry_json(q: &QueueItem) -> serde_json::Value {
    let e = &q.entry;
    serde_json::json!({
        "id": e.id, "booked_on": e.booked_on, "amount": money(e.amount_cents),
        "debit": e.direction == "debit",
        "payer": e.payer_name, "remittance": e.remittance, "bank_ref": e.servicer_ref,
        "status": e.status,
        "reason": e.reason.as_deref().map(|r| crate::i18n::sentence(&crate::i18n::french(r))),
        "case_id": e.case_id, "case_reference": q.case_reference, "debtor": q.debtor,
        "payout": q.payout,
        "is_payout": crate::recovery::payouts::is_payout(e),
    })
}

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<serde_json::Value> {
    let queue: Vec<serde_json::Value> = crate::recovery::bank::queue(conn, actor, QUEUE)?
        .iter()
        .map(entry_json)
        .collect();
    let b = crate::recovery::bank::balance(conn, actor)?;
    let statements: Vec<serde_json::Value> = crate::recovery::bank::statements(conn, actor, 10)?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "identity": s.identity, "format": s.format, "iban": s.account_iban,
                "balance": s.closing_balance_cents.map(money),
                "balance_on": s.closing_balance_on,
                "entries": s.entries, "new_entries": s.new_entries,
                "imported_on": s.imported_at.date(),
            })
        })
        .collect();
    let balance = serde_json::json!({
        "balance": b.statement.as_ref().and_then(|s| s.closing_balance_cents).map(money),
        "balance_on": b.statement.as_ref().and_then(|s| s.closing_balance_on),
        "held": money(b.held_cents),
        "prepared": money(b.prepared_cents),
        "remitted": money(b.remitted_cents),
        "in_transit": (b.in_transit_cents != 0).then(|| money(b.in_transit_cents)),
        "expected": money(b.expected_cents),
        "card_fees": (b.card_fees_cents != 0).then(|| money(b.card_fees_cents)),
        "difference": b.difference_cents.map(money),
        "balanced": b.difference_cents == Some(0),
    });
    Ok(serde_json::json!({ "queue": queue, "balance": balance, "statements": statements }))
}

fn report_json(r: &ImportReport) -> serde_json::Value {
    serde_json::json!({
        "read": r.read, "new": r.new, "duplicates": r.duplicates, "matched": r.matched, "payouts": r.payouts,
        "proposed": r.proposed, "unmatched": r.unmatched, "ignored": r.ignored,
        "pending": r.pending,
        "refused": r.refused.iter().map(|x| serde_json::json!({
            "line": x.line, "reason": crate::i18n::french(&x.reason),
        })).collect::<Vec<_>>(),
        "entries": r.entries.iter().map(entry_json).collect::<Vec<_>>(),
    })
}

#[allow(clippy::too_many_arguments)]
fn render(
    status: u16,
    data: &serde_json::Value,
    done: Option<&str>,
    report: Option<&ImportReport>,
    error: Option<&AppError>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("d", data);
    ctx.insert("done", &done);
    ctx.insert("report", &report.map(report_json));
    ctx.insert(
        "error",
        &error
            .map(|e| crate::i18n::sentence(&crate::i18n::french(&e.message)))
            .unwrap_or_default(),
    );
    page(status, "portal/bank.html", ctx, Some(s), csrf)
}

fn done_of(q: Option<&str>) -> Option<&'static str> {
    match q.and_then(|q| q.strip_prefix("fait=")) {
        Some("confirmed") => Some("Le paiement proposé est confirmé et enregistré sur le dossier."),
        Some("assigned") => Some("L'écriture est enregistrée comme paiement du dossier choisi."),
        Some("ignored") => Some("L'écriture est écartée du rapprochement."),
        _ => None,
    }
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let done = done_of(req.uri().query());
    match state
        .run_as(actor, "GET /portal/bank", move |conn, _| load(conn, &actor))
        .await
    {
        Ok(d) => render(200, &d, done, None, None, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The upload form's fields: text fields, and the file's bytes (at most [`MAX_FILE_BYTES`]).
async fn read_form(
    mut form: Multipart,
) -> Result<(HashMap<String, String>, Option<Vec<u8>>), AppError> {
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|e| AppError::validation("file", format!("formulaire illisible : {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" { MAX_FILE_BYTES } else { 4096 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk
                .map_err(|e| AppError::validation("file", format!("envoi interrompu : {e}")))?;
            if buf.len() + chunk.len() > limit {
                return Err(AppError::validation(
                    "file",
                    "fichier trop volumineux (16 Mo au plus)",
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        if name == "file" {
            if !buf.is_empty() {
                file = Some(buf);
            }
        } else {
            fields.insert(name, String::from_utf8_lossy(&buf).trim().to_string());
        }
    }
    Ok((fields, file))
}

fn mapping_of(f: &HashMap<String, String>) -> Mapping {
    let get = |k: &str| f.get(k).filter(|v| !v.is_empty()).cloned();
    let d = Mapping::default();
    let split = get("col_credit").is_some() || get("col_debit").is_some();
    Mapping {
        date: get("col_date").unwrap_or(d.date),
        amount: get("col_amount").or(if split { None } else { d.amount }),
        credit: get("col_credit"),
        debit: get("col_debit"),
        payer: get("col_payer"),
        remittance: get("col_remittance").unwrap_or(d.remittance),
        reference: get("col_reference"),
        currency: None,
    }
}

pub async fn import(req: HttpRequest, form: Multipart, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let read = read_form(form).await;
    let typed_csrf = read
        .as_ref()
        .ok()
        .and_then(|(f, _)| f.get("csrf").cloned())
        .unwrap_or_default();
    if !session::csrf_ok(&req, &typed_csrf) {
        return crate::portal::pages::forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let input = read.and_then(|(fields, file)| {
        let content =
            file.ok_or_else(|| AppError::validation("file", "choisissez le fichier du relevé"))?;
        let format = match fields.get("format").map(String::as_str) {
            Some("csv") => Format::Csv,
            _ => Format::Camt053,
        };
        Ok(crate::recovery::bank::ImportInput {
            content,
            format,
            mapping: Some(mapping_of(&fields)),
            iban: fields.get("iban").filter(|v| !v.is_empty()).cloned(),
        })
    });
    let result = state
        .run_as(actor, "POST /portal/bank/import", move |conn, st| {
            let report = crate::recovery::bank::import(
                conn,
                &st.clock,
                st.jobs.blobs.as_ref(),
                &actor,
                &input?,
            )?;
            Ok((report, load(conn, &actor)?))
        })
        .await;
    match result {
        Ok((report, d)) => render(200, &d, None, Some(&report), None, &s, &csrf),
        Err(e) if shown_on_form(&e) || e.code == ErrorCode::PayloadTooLarge => {
            match state.run(move |conn, _| load(conn, &actor)).await {
                Ok(d) => render(e.code.http_status(), &d, None, None, Some(&e), &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The queue's forms: `confirm`, `assign` (a case reference) and `ignore` (a reason).
pub async fn decide(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let actor = s.actor;
    let action = path.into_inner();
    let entry = form
        .get("entry")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found("bank entry"));
    let (act, f) = (action.clone(), form.clone());
    let done = state
        .run_as(actor, "POST /portal/bank", move |conn, st| {
            let entry = entry?;
            let blobs = st.jobs.blobs.as_ref();
            match act.as_str() {
                "confirm" => crate::recovery::bank::confirm(conn, &st.clock, blobs, &actor, entry),
                "assign" => {
                    let typed = f.get("case_reference").map(String::as_str).unwrap_or("");
                    let case = crate::recovery::bank::case_of_reference(conn, &actor, typed)?;
                    crate::recovery::bank::assign(conn, &st.clock, blobs, &actor, entry, case)
                }
                "ignore" => {
                    let reason = f.get("reason").map(String::as_str).unwrap_or("");
                    crate::recovery::bank::ignore(conn, &st.clock, &actor, entry, reason)
                }
                _ => Err(AppError::not_found("page")),
            }
            .map(drop)
        })
        .await;
    let name = match action.as_str() {
        "confirm" => "confirmed",
        "assign" => "assigned",
        _ => "ignored",
    };
    match done {
        Ok(()) => see_other(&format!("/portal/bank?fait={name}"), &s),
        Err(e) if shown_on_form(&e) => match state.run(move |conn, _| load(conn, &actor)).await {
            Ok(d) => render(e.code.http_status(), &d, None, None, Some(&e), &s, &csrf),
            Err(e) => error_page(&e, Some(&s), &csrf),
        },
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
