//! `/portal/cases.csv` (creditors): the case list with the same filters as `/portal/cases`,
//! every page of it, as a CSV file Excel in France opens as it is (`;`, UTF-8 with its BOM,
//! decimal commas, dates dd/mm/yyyy; `domain::csv_out`). « Reste dû » is the list's figure,
//! the statement's principal outstanding (`cases::views::CaseTotals`).

use actix_web::{web, HttpRequest, HttpResponse};
use rust_decimal::Decimal;

use super::pages::{debtor_name, list_filter, ListQuery};
use super::session::csrf_token;
use super::{error_page, state_label};
use crate::app::AppState;
use crate::domain::csv_out::{self, BOM};
use crate::domain::parties::Role;
use crate::domain::workflow::CaseState;
use crate::error::AppError;

/// Cases read per query.
const BATCH: i64 = 500;
/// Cases in one file at most (far beyond any creditor's portfolio here).
const MAX_ROWS: usize = 100_000;

const HEADER: [&str; 9] = [
    "Référence",
    "Débiteur",
    "SIREN",
    "État",
    "Principal",
    "Réglé",
    "Reste dû",
    "Ouvert le",
    "Dernier événement",
];

/// An amount as Excel in France reads a number: `1500,00`.
fn amount(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2)).replace('.', ",")
}

pub async fn cases_csv(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    if s.actor.role != Role::Creditor {
        // The creditor's pages (dashboard, payments): the agency has its own lists.
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    let (_, _, filter) = list_filter(&query);
    let actor = s.actor;
    let made = state
        .run_as(actor, "GET /portal/cases.csv", move |conn, _| {
            let mut out = String::from(BOM);
            out.push_str(&csv_out::record(&HEADER, ';'));
            let mut after = None;
            let mut rows = 0usize;
            loop {
                let page = crate::cases::views::list(
                    conn,
                    &actor,
                    &filter,
                    after,
                    BATCH,
                    crate::store::cases::Count::No,
                )?;
                let ids: Vec<i64> = page.items.iter().map(|v| v.case.id).collect();
                let last: std::collections::HashMap<i64, (chrono::NaiveDateTime, String)> =
                    crate::store::events::last_of(conn, &ids)?
                        .into_iter()
                        .map(|(id, at, kind)| (id, (at, kind)))
                        .collect();
                for v in &page.items {
                    let t = v.totals();
                    // What was paid: before intake, and every payment received since.
                    let paid = t
                        .already_paid
                        .checked_add(t.received)
                        .ok_or_else(|| AppError::internal("paid out of range"))?;
                    let event = last
                        .get(&v.case.id)
                        .map(|(at, kind)| {
                            format!(
                                "{} — {}",
                                crate::domain::fmt::paris(*at).format("%d/%m/%Y %H:%M"),
                                super::case_page::event_label(kind)
                            )
                        })
                        .unwrap_or_default();
                    let fields = [
                        csv_out::text(&v.case.reference),
                        csv_out::text(&debtor_name(&v.debtor)),
                        v.debtor.siren.clone().unwrap_or_default(),
                        CaseState::parse(&v.case.state)
                            .map(state_label)
                            .unwrap_or("—")
                            .to_string(),
                        amount(t.principal_claimed),
                        amount(paid),
                        amount(t.outstanding),
                        crate::domain::fmt::paris(v.case.opened_at)
                            .format("%d/%m/%Y")
                            .to_string(),
                        event,
                    ];
                    out.push_str(&csv_out::record(&fields, ';'));
                    rows += 1;
                }
                match (page.has_next, page.items.last()) {
                    (true, Some(v)) if rows < MAX_ROWS => after = Some(v.case.id),
                    _ => break,
                }
            }
            Ok(out)
        })
        .await;
    match made {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"dossiers.csv\"",
            ))
            .body(body),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
