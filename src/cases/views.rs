//! Reading cases: one case with everything a page shows, or a page of them loaded in a fixed
//! number of queries whatever the page size (no N+1).

use rust_decimal::Decimal;
use std::collections::HashMap;

use super::load_visible;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as store, Case, CaseFilter, Debtor, Invoice};
use crate::store::events::{self, CaseEvent};
use crate::store::orgs::{self, Organisation};
use crate::store::users::{self, User};
use crate::store::Page;

/// A case with its parties and invoices.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub debtor: Debtor,
    pub creditor: Organisation,
    pub invoices: Vec<Invoice>,
    pub agent: Option<User>,
    pub lawyer: Option<User>,
}

/// The figures of a case as submitted: what was claimed, what was already paid, what remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTotals {
    pub principal_claimed: Decimal,
    pub already_paid: Decimal,
    pub outstanding: Decimal,
}

impl CaseView {
    pub fn totals(&self) -> CaseTotals {
        let claimed: i64 = self.invoices.iter().map(|i| i.amount_cents).sum();
        let paid: i64 = self.invoices.iter().map(|i| i.paid_cents).sum();
        CaseTotals {
            principal_claimed: money::from_cents(claimed),
            already_paid: money::from_cents(paid),
            outstanding: money::from_cents(claimed - paid),
        }
    }
}

/// One case, as the actor may see it.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> AppResult<CaseView> {
    let case = load_visible(conn, actor, id)?;
    complete(conn, case)
}

/// The view of a case the caller already loaded and was allowed to see (e.g. the result of
/// an action), without loading it again.
pub fn complete(conn: &mut DbConn, case: Case) -> AppResult<CaseView> {
    let debtor = store::find_debtors(conn, &[case.debtor_id])?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("case without debtor"))?;
    assemble(conn, vec![(case, debtor)])?
        .pop()
        .ok_or_else(|| AppError::not_found("case"))
}

/// A page of the cases the actor may see, newest first; `count` says what `Page::total`
/// holds.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &CaseFilter,
    before: Option<i64>,
    limit: i64,
    count: store::Count,
) -> AppResult<Page<CaseView>> {
    let page = store::list(conn, actor.visibility(), filter, before, limit, count)?;
    Ok(Page {
        items: assemble(conn, page.items)?,
        has_next: page.has_next,
        total: page.total,
    })
}

/// Completes (case, debtor) rows with creditors, invoices and assignees in three queries.
fn assemble(conn: &mut DbConn, rows: Vec<(Case, Debtor)>) -> AppResult<Vec<CaseView>> {
    let case_ids: Vec<i64> = rows.iter().map(|(c, _)| c.id).collect();
    let mut org_ids: Vec<i64> = rows.iter().map(|(c, _)| c.creditor_org_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let mut user_ids: Vec<i64> = rows
        .iter()
        .flat_map(|(c, _)| [c.assigned_agent_id, c.assigned_lawyer_id])
        .flatten()
        .collect();
    user_ids.sort_unstable();
    user_ids.dedup();

    let mut invoices: HashMap<i64, Vec<Invoice>> = HashMap::new();
    for inv in store::invoices_of(conn, &case_ids)? {
        invoices.entry(inv.case_id).or_default().push(inv);
    }
    let creditors: HashMap<i64, Organisation> = orgs::find_many(conn, &org_ids)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let people: HashMap<i64, User> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        users::find_many(conn, &user_ids)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    rows.into_iter()
        .map(|(case, debtor)| {
            let creditor = creditors
                .get(&case.creditor_org_id)
                .cloned()
                .ok_or_else(|| AppError::internal("case without creditor"))?;
            Ok(CaseView {
                invoices: invoices.remove(&case.id).unwrap_or_default(),
                agent: case
                    .assigned_agent_id
                    .and_then(|id| people.get(&id).cloned()),
                lawyer: case
                    .assigned_lawyer_id
                    .and_then(|id| people.get(&id).cloned()),
                creditor,
                debtor,
                case,
            })
        })
        .collect()
}

/// A timeline entry with the name of who acted.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub event: CaseEvent,
    pub actor_name: Option<String>,
}

/// The events of a case the actor may see, oldest first.
pub fn timeline(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<TimelineEntry>> {
    let case = load_visible(conn, actor, case_id)?;
    timeline_of(conn, case.id)
}

/// The events of a case with their actors' names (the caller checked the visibility).
pub(crate) fn timeline_of(conn: &mut DbConn, case_id: i64) -> AppResult<Vec<TimelineEntry>> {
    let list = events::of_case(conn, case_id)?;
    let mut ids: Vec<i64> = list.iter().filter_map(|e| e.actor_user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = users::find_many(conn, &ids)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(list
        .into_iter()
        .map(|event| TimelineEntry {
            actor_name: event.actor_user_id.and_then(|id| names.get(&id).cloned()),
            event,
        })
        .collect())
}
