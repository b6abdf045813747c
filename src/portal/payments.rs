//! `/portal/payments` (creditors): the payments received on the creditor's cases (50 a page,
//! newest first) and the remittances made to it (commission, net, the statement), with the
//! totals of all of them (`recovery::creditor_money`, `recovery::remittances::list`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::csrf_token;
use super::{error_page, page};
use crate::app::AppState;
use crate::domain::money::from_cents;

/// Payments a page.
const PAGE: i64 = 50;
/// Remittances a page.
const REMITTANCES: i64 = 25;

#[derive(Deserialize)]
pub struct PaymentsQuery {
    page: Option<String>,
    /// The remittances older than this one (their keyset page).
    avant: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    query: web::Query<PaymentsQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let n: i64 = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1);
    let before = query
        .avant
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p > 0);
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/payments", move |conn, _| {
            let money =
                crate::recovery::creditor_money::of_creditor(conn, &actor, (n - 1) * PAGE, PAGE)?;
            let remittances =
                crate::recovery::remittances::list(conn, &actor, None, None, before, REMITTANCES)?;
            Ok((money, remittances))
        })
        .await;
    let (money, remittances) = match loaded {
        Ok(l) => l,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let today = state.clock.today();
    let payments: Vec<serde_json::Value> = money
        .payments
        .iter()
        .map(|r| {
            let p = &r.payment;
            serde_json::json!({
                "received_on": p.received_on,
                "case_id": p.case_id,
                "reference": r.case_reference,
                "debtor": r.debtor,
                "amount": from_cents(p.amount_cents).to_string(),
                "method": crate::recovery::payments::receipt::method_label(&p.method),
            })
        })
        .collect();
    let rows: Vec<serde_json::Value> = remittances
        .items
        .iter()
        .map(|r| {
            let m = &r.remittance;
            serde_json::json!({
                "reference": m.reference,
                "prepared_on": m.prepared_at.date(),
                "paid_on": m.paid_on,
                "due_on": m.due_on,
                "payments": r.lines.len(),
                "gross": from_cents(m.gross_cents).to_string(),
                "commission": from_cents(m.commission_cents).to_string(),
                "net": from_cents(m.net_cents).to_string(),
                "late": r.late(today),
                "pdf": m.document_id.map(|d| format!("/api/documents/{d}.pdf")),
            })
        })
        .collect();
    let pages = (money.payments_count + PAGE - 1) / PAGE;
    let pages = pages.max(1);
    let mut ctx = tera::Context::new();
    ctx.insert("payments", &payments);
    ctx.insert("payments_count", &money.payments_count);
    ctx.insert("received", &from_cents(money.received_cents).to_string());
    ctx.insert("gross", &from_cents(money.gross_cents).to_string());
    ctx.insert(
        "commission",
        &from_cents(money.commission_cents).to_string(),
    );
    ctx.insert("net", &from_cents(money.net_cents).to_string());
    ctx.insert("remittances", &rows);
    ctx.insert("remittances_count", &remittances.total);
    ctx.insert("page_no", &n);
    ctx.insert("pages", &pages);
    ctx.insert(
        "prev_page",
        &(n > 1).then(|| format!("/portal/payments?page={}", n - 1)),
    );
    ctx.insert(
        "next_page",
        &(n < pages).then(|| format!("/portal/payments?page={}", n + 1)),
    );
    ctx.insert(
        "older_remittances",
        &remittances
            .has_next
            .then(|| remittances.items.last().map(|r| r.remittance.id))
            .flatten()
            .map(|id| format!("/portal/payments?avant={id}#remittances-title")),
    );
    ctx.insert(
        "newest_remittances",
        &before.map(|_| "/portal/payments#remittances-title"),
    );
    page(200, "portal/payments.html", ctx, Some(&s), &csrf)
}
