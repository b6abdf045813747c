//! `/portal/queue`: the agent's work queue (`recovery::queue::my_queue`) with its filters
//! (mine, unassigned, overdue, state, creditor, text), its sorting, 25 lines a page, the
//! priority score explained by its parts, and the assignment of several cases at once
//! (`cases::actions::assign`, as `assignCase`, one case after another).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use super::session::{self, csrf_token};
use super::{error_page, page, state_label};
use crate::app::AppState;
use crate::auth::Actor;
use crate::domain::priority::Parts;
use crate::domain::workflow::CaseState;
use crate::error::AppError;
use crate::recovery::queue::QueueItem;

/// Lines a page.
const PER_PAGE: usize = 25;
/// Cases one bulk assignment takes (a page and then some).
const MAX_BULK: usize = 100;

#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    /// `mine`, `unassigned`, or empty for both.
    who: Option<String>,
    /// Only cases with a task past its date.
    overdue: Option<String>,
    state: Option<String>,
    creditor: Option<String>,
    q: Option<String>,
    /// `score` (default), `late`, `amount`, `reference`.
    sort: Option<String>,
    page: Option<usize>,
    /// After a bulk assignment: how many were assigned, and the references refused.
    assigned: Option<usize>,
    refused: Option<String>,
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or("")
}

/// The "overdue" box is ticked (an empty value, as the queue's own links carry, is not).
fn overdue(q: &QueueQuery) -> bool {
    !text(&q.overdue).is_empty()
}

/// Whether a line passes the filters.
fn keeps(item: &QueueItem, q: &QueueQuery, me: i64, today: NaiveDate) -> bool {
    let who_ok = match text(&q.who) {
        "mine" => item.case.assigned_agent_id == Some(me),
        "unassigned" => item.case.assigned_agent_id.is_none(),
        _ => true,
    };
    let overdue_ok = !overdue(q) || item.tasks.iter().any(|t| t.due_on < today);
    let state_ok = match text(&q.state) {
        "" => true,
        s => item.case.state == s,
    };
    let creditor_ok = match text(&q.creditor).parse::<i64>() {
        Ok(org) => item.case.creditor_org_id == org,
        Err(_) => true,
    };
    let wanted = crate::domain::search::fold(text(&q.q));
    let text_ok = wanted.is_empty() || {
        let hay = crate::domain::search::fold(&format!(
            "{} {} {}",
            item.case.reference,
            super::pages::debtor_name(&item.debtor),
            item.debtor.siren.as_deref().unwrap_or("")
        ));
        hay.contains(&wanted)
    };
    who_ok && overdue_ok && state_ok && creditor_ok && text_ok
}

fn sort(items: &mut [QueueItem], by: &str) {
    match by {
        "late" => items.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(b.score.cmp(&a.score))),
        "amount" => items.sort_by(|a, b| {
            b.outstanding_cents
                .cmp(&a.outstanding_cents)
                .then(b.score.cmp(&a.score))
        }),
        "reference" => items.sort_by(|a, b| a.case.reference.cmp(&b.case.reference)),
        // `my_queue`'s own order: highest score first.
        _ => {}
    }
}

/// The score's parts in words, the non-zero ones (« montant 12 + retard 10 »).
pub fn explain(p: &Parts) -> String {
    let named = [
        ("montant", p.amount),
        ("retard", p.lateness),
        ("promesses non tenues", p.promises),
        ("étape", p.stage),
    ];
    let said: Vec<String> = named
        .iter()
        .filter(|(_, v)| *v != 0)
        .map(|(name, v)| format!("{name} {v:+}"))
        .collect();
    if said.is_empty() {
        "aucun critère".to_string()
    } else {
        said.join(", ")
    }
}

fn enc(v: &str) -> String {
    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The queue's address with these filters, on `page`.
fn address(q: &QueueQuery, page: usize) -> String {
    format!(
        "/portal/queue?who={}&overdue={}&state={}&creditor={}&q={}&sort={}&page={page}",
        enc(text(&q.who)),
        if overdue(q) { "1" } else { "" },
        enc(text(&q.state)),
        enc(text(&q.creditor)),
        enc(text(&q.q)),
        enc(text(&q.sort)),
    )
}

/// What the page shows besides the lines.
struct Choices {
    agents: Vec<serde_json::Value>,
    creditors: Vec<serde_json::Value>,
}

fn choices(conn: &mut crate::db::DbConn, items: &[QueueItem]) -> crate::error::AppResult<Choices> {
    let mut agents = crate::store::users::active_of_role(conn, "agent")?;
    agents.extend(crate::store::users::active_of_role(conn, "admin")?);
    let mut org_ids: Vec<i64> = items.iter().map(|i| i.case.creditor_org_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let mut orgs = crate::store::orgs::find_many(conn, &org_ids)?;
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Choices {
        agents: agents
            .iter()
            .map(|u| serde_json::json!({ "id": u.id.to_string(), "name": u.display_name }))
            .collect(),
        creditors: orgs
            .iter()
            .map(|o| serde_json::json!({ "id": o.id.to_string(), "name": o.name }))
            .collect(),
    })
}

/// The states a queue line can be in, for the filter.
const STATES: [CaseState; 6] = [
    CaseState::Submitted,
    CaseState::Amicable,
    CaseState::PaymentPlan,
    CaseState::FormalNotice,
    CaseState::Disputed,
    CaseState::Legal,
];

pub async fn queue(
    req: HttpRequest,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let listed = state
        .run_as(actor, "GET /portal/queue", move |conn, st| {
            let items = crate::recovery::queue::my_queue(conn, &st.clock, &actor)?;
            let choices = choices(conn, &items)?;
            Ok((items, choices))
        })
        .await;
    let (items, choices) = match listed {
        Ok(l) => l,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let q = query.into_inner();
    let today = state.clock.today();
    let mut kept: Vec<QueueItem> = items
        .into_iter()
        .filter(|i| keeps(i, &q, actor.user_id, today))
        .collect();
    sort(&mut kept, text(&q.sort));
    let total = kept.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let current = q.page.unwrap_or(1).clamp(1, pages);
    let agent_name = |id: Option<i64>| {
        id.and_then(|id| {
            choices
                .agents
                .iter()
                .find(|a| a["id"].as_str().and_then(|v| v.parse::<i64>().ok()) == Some(id))
                .and_then(|a| a["name"].as_str().map(str::to_string))
        })
    };
    let rows: Vec<serde_json::Value> = kept
        .iter()
        .skip((current - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|i| {
            serde_json::json!({
                "id": i.case.id,
                "reference": i.case.reference,
                "debtor": super::pages::debtor_name(&i.debtor),
                "state": i.case.state,
                "state_label": CaseState::parse(&i.case.state).map(state_label).unwrap_or("—"),
                "score": i.score,
                "why": explain(&i.parts),
                "agent": agent_name(i.case.assigned_agent_id),
                "outstanding": crate::domain::money::from_cents(i.outstanding_cents).to_string(),
                "days_late": i.days_late.max(0),
                "tasks": i.tasks.iter().map(|t| serde_json::json!({
                    "title": t.title, "due_on": t.due_on, "late": t.due_on < today,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("items", &rows);
    ctx.insert("total", &total);
    ctx.insert("agents", &choices.agents);
    ctx.insert("creditors", &choices.creditors);
    ctx.insert(
        "states",
        &STATES
            .iter()
            .map(|st| serde_json::json!({ "value": st.as_str(), "label": state_label(*st) }))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "f",
        &serde_json::json!({
            "who": text(&q.who), "overdue": overdue(&q), "state": text(&q.state),
            "creditor": text(&q.creditor), "q": text(&q.q), "sort": text(&q.sort),
        }),
    );
    ctx.insert("page", &current);
    ctx.insert("pages", &pages);
    ctx.insert("prev", &(current > 1).then(|| address(&q, current - 1)));
    ctx.insert("next", &(current < pages).then(|| address(&q, current + 1)));
    ctx.insert("back", &address(&q, current));
    ctx.insert("assigned", &q.assigned);
    ctx.insert("refused", &q.refused.as_deref().filter(|r| !r.is_empty()));
    page(200, "portal/queue.html", ctx, Some(&s), &csrf)
}

/// Assigns the ticked cases to one agent, each through `assignCase` (its own transaction:
/// one refused — closed meanwhile, already theirs — leaves the others assigned), then back to
/// the queue with what was done.
pub async fn assign(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let form = form.into_inner();
    let value = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    if !session::csrf_ok(&req, value("csrf")) {
        return super::pages::forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let actor: Actor = s.actor;
    let cases: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "case")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let refuse =
        |message: &str| error_page(&AppError::validation("case", message), Some(&s), &csrf);
    if cases.is_empty() {
        return refuse("Cochez au moins un dossier à attribuer.");
    }
    if cases.len() > MAX_BULK {
        return refuse("Cent dossiers au plus à la fois.");
    }
    let Ok(agent) = value("agent").parse::<i64>() else {
        return refuse("Choisissez le gestionnaire à qui attribuer les dossiers.");
    };
    let back = value("back").to_string();
    let done = state
        .run_as(actor, "POST /portal/queue/assign", move |conn, st| {
            actor.require_staff()?;
            crate::store::users::find(conn, agent)?
                .filter(|u| u.active && (u.role == "agent" || u.role == "admin"))
                .ok_or_else(|| AppError::validation("agentId", "unknown agent"))?;
            let (mut assigned, mut refused) = (0usize, Vec::new());
            for id in cases {
                match crate::cases::actions::assign(conn, &st.clock, &actor, id, agent, None) {
                    Ok(_) => assigned += 1,
                    Err(e) if e.refused => return Err(e),
                    // Closed meanwhile, or theirs already: said by its reference.
                    Err(_) => refused.push(
                        crate::store::cases::find(conn, id)?
                            .map_or_else(|| id.to_string(), |c| c.reference),
                    ),
                }
            }
            Ok((assigned, refused))
        })
        .await;
    match done {
        Ok((assigned, refused)) => {
            // Back to the same filters and page (an address of ours, checked again).
            let back = session::safe_next(Some(&back));
            let base = if back.starts_with("/portal/queue?") {
                back
            } else {
                "/portal/queue?".to_string()
            };
            let to = format!(
                "{base}&assigned={assigned}&refused={}",
                enc(&refused.join(", "))
            );
            super::admin::see_other(&to, &s)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
