//! `/portal/agenda`, the lawyer's home: the cases referred to them (every case in the legal
//! phase for the agency's staff), each with its next deadline, its state and whether the
//! injunction's conditions are met, nearest deadline first, 25 a page. The deadlines are
//! those of `legalAgenda` (`legal::views::agenda`), one line per case.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::csrf_token;
use super::{error_page, page, state_label};
use crate::app::AppState;
use crate::domain::workflow::CaseState;

/// Cases per page.
const PAGE: usize = 25;
/// How far ahead the agenda looks: the longest a deadline may lie (the agenda's bound).
const WITHIN_DAYS: i64 = 3660;
/// Deadlines read at most (every case's, for any realistic practice).
const MAX_DEADLINES: usize = 10_000;

#[derive(Deserialize)]
pub struct AgendaQuery {
    page: Option<String>,
}

pub async fn agenda(
    req: HttpRequest,
    query: web::Query<AgendaQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let listed = state
        .run_as(actor, "GET /portal/agenda", move |conn, st| {
            crate::legal::views::agenda(conn, &st.clock, &actor, WITHIN_DAYS, MAX_DEADLINES)
        })
        .await;
    let entries = match listed {
        Ok(e) => e,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    // Earliest first already: the first entry of a case is its next deadline.
    let mut cases: Vec<serde_json::Value> = Vec::new();
    let mut per_case: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for e in &entries {
        *per_case.entry(e.case_id).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        if !seen.insert(e.case_id) {
            continue;
        }
        let later = per_case.get(&e.case_id).copied().unwrap_or(1) - 1;
        let d = &e.deadline;
        cases.push(serde_json::json!({
            "id": e.case_id,
            "reference": e.reference,
            "debtor": e.debtor,
            "state": e.state,
            "state_label": CaseState::parse(&e.state).map(state_label).unwrap_or("—"),
            "eligible": e.eligible,
            "deadline": d.title,
            "article": d.article,
            "date": d.date,
            "days_left": d.days_left,
            "days_past": -d.days_left,
            "missed": d.missed,
            "later": later,
        }));
    }
    let total = cases.len();
    let pages = total.div_ceil(PAGE).max(1);
    let n = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| (1..=pages).contains(p))
        .unwrap_or(1);
    let shown: Vec<_> = cases.into_iter().skip((n - 1) * PAGE).take(PAGE).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("cases", &shown);
    ctx.insert("total", &total);
    ctx.insert("today", &state.clock.today());
    ctx.insert(
        "prev_page",
        &(n > 1).then(|| format!("/portal/agenda?page={}", n - 1)),
    );
    ctx.insert(
        "next_page",
        &(n < pages).then(|| format!("/portal/agenda?page={}", n + 1)),
    );
    ctx.insert("page_no", &n);
    ctx.insert("pages", &pages);
    page(200, "portal/agenda.html", ctx, Some(&s), &csrf)
}

#[derive(Deserialize)]
pub struct FeedQuery {
    token: Option<String>,
}

/// `GET /portal/agenda.ics?token=…`: the lawyer's deadlines as an iCalendar feed, for a
/// calendar application (no session: the token is the key, `legal::feed`). An unknown or
/// revoked token, or a disabled account, is a bare 404.
pub async fn feed(
    req: HttpRequest,
    query: web::Query<FeedQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let not_found = || {
        HttpResponse::NotFound()
            .insert_header(("Cache-Control", "no-store"))
            .finish()
    };
    let Some(token) = query
        .into_inner()
        .token
        .filter(|t| !t.is_empty() && t.len() <= 100)
    else {
        return not_found();
    };
    let base = super::site_base(&req, &state);
    let made = state
        .run(move |conn, st| crate::legal::feed::calendar(conn, &st.clock, &token, &base))
        .await;
    match made {
        Ok(text) => HttpResponse::Ok()
            .content_type("text/calendar; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Disposition", "inline; filename=\"echeances.ics\""))
            .body(text),
        Err(e) if e.code == crate::error::ErrorCode::NotFound => not_found(),
        Err(e) => {
            tracing::warn!(code = ?e.code, "agenda feed failed");
            HttpResponse::build(
                actix_web::http::StatusCode::from_u16(e.code.http_status())
                    .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
            )
            .content_type("text/plain; charset=utf-8")
            .body("Une erreur est survenue. Veuillez réessayer plus tard.")
        }
    }
}
