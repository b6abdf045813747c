//! `/portal/money` (agency staff): the money collected and not yet remitted, per creditor with
//! the date it is owed by (CPCE R124-6: within a month of encashment), the form that prepares
//! a creditor's remittance (`recovery::remittances::prepare`, as `prepareRemittance`), and the
//! latest remittances with their statement and the form that records the transfer
//! (`mark_paid`, as `markRemittancePaid`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

use super::admin::{posted_or_return, see_other, shown_on_form};
use super::error_page;
use super::session::csrf_token;
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

/// Remittances shown, newest first.
const LATEST: i64 = 25;

fn load(conn: &mut DbConn, actor: &Actor, today: NaiveDate) -> AppResult<serde_json::Value> {
    let money = crate::domain::money::from_cents;
    let held: Vec<serde_json::Value> = crate::recovery::remittances::held(conn, actor)?
        .into_iter()
        .map(|h| {
            serde_json::json!({
                "creditor_id": h.creditor_org_id, "creditor": h.creditor,
                "payments": h.payments, "amount": money(h.amount_cents).to_string(),
                "due_on": h.due_on, "late": h.due_on < today,
            })
        })
        .collect();
    let list = crate::recovery::remittances::list(conn, actor, None, None, None, LATEST)?;
    let mut names: HashMap<i64, String> = HashMap::new();
    for r in &list.items {
        let id = r.remittance.creditor_org_id;
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
            e.insert(
                crate::store::orgs::find(conn, id)?
                    .map(|o| o.name)
                    .unwrap_or_default(),
            );
        }
    }
    let remittances: Vec<serde_json::Value> = list
        .items
        .iter()
        .map(|r| {
            let m = &r.remittance;
            serde_json::json!({
                "id": m.id, "reference": m.reference,
                "creditor": names.get(&m.creditor_org_id),
                "lines": r.lines.len(),
                "gross": money(m.gross_cents).to_string(),
                "commission": money(m.commission_cents).to_string(),
                "net": money(m.net_cents).to_string(),
                "due_on": m.due_on, "paid_on": m.paid_on,
                "prepared": m.status == "prepared",
                "late": r.late(today),
                "pdf": m.document_id.map(|d| format!("/api/documents/{d}.pdf")),
            })
        })
        .collect();
    Ok(serde_json::json!({ "held": held, "remittances": remittances, "today": today }))
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let done = match req.uri().query().and_then(|q| q.strip_prefix("fait=")) {
        Some("prepared") => {
            Some("Le reversement est préparé ; son relevé est envoyé au créancier.")
        }
        Some("paid") => Some("Le virement au créancier est enregistré."),
        _ => None,
    };
    match state
        .run_as(actor, "GET /portal/money", move |conn, st| {
            load(conn, &actor, st.clock.today())
        })
        .await
    {
        Ok(d) => super::work_page(200, "portal/money.html", "d", &d, done, None, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

fn date(form: &HashMap<String, String>, key: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(form.get(key).map(|v| v.trim()).unwrap_or(""), "%Y-%m-%d")
        .map_err(|_| AppError::validation(key, "saisissez une date valide"))
}

/// The two forms of the page: `prepare` (a creditor, up to a date) and `paid` (a remittance,
/// the day of the transfer).
pub async fn post(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let actor = s.actor;
    let action = path.into_inner();
    let id = |key: &str| {
        form.get(key)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| AppError::not_found(key))
    };
    let input = match action.as_str() {
        "prepare" => id("creditor").and_then(|c| date(&form, "up_to").map(|d| (c, d))),
        "paid" => id("remittance").and_then(|r| date(&form, "paid_on").map(|d| (r, d))),
        _ => Err(AppError::not_found("page")),
    };
    let act = action.clone();
    let done = state
        .run_as(actor, "POST /portal/money", move |conn, st| {
            let (target, day) = input?;
            if act == "prepare" {
                crate::recovery::remittances::prepare(
                    conn,
                    &st.clock,
                    st.jobs.blobs.as_ref(),
                    &actor,
                    target,
                    Some(day),
                )
                .map(drop)
            } else {
                crate::recovery::remittances::mark_paid(conn, &st.clock, &actor, target, day)
                    .map(drop)
            }
        })
        .await;
    let name = if action == "prepare" {
        "prepared"
    } else {
        "paid"
    };
    match done {
        Ok(()) => see_other(&format!("/portal/money?fait={name}"), &s),
        Err(e) if shown_on_form(&e) => {
            match state
                .run(move |conn, st| load(conn, &actor, st.clock.today()))
                .await
            {
                Ok(d) => super::work_page(
                    e.code.http_status(),
                    "portal/money.html",
                    "d",
                    &d,
                    None,
                    Some(&e),
                    &s,
                    &csrf,
                ),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
