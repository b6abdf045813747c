//! Reading cases: one case with everything a page shows, or a page of them loaded in a fixed
//! number of queries whatever the page size (no N+1), with their principal outstanding as the
//! statement computes it.

use rust_decimal::Decimal;
use std::collections::HashMap;

use super::load_visible;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::money;
use crate::domain::rates::RateTable;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as store, Case, CaseFilter, Debtor, Invoice};
use crate::store::events::{self, CaseEvent};
use crate::store::orgs::{self, Organisation};
use crate::store::payments::Payment;
use crate::store::recovery::CaseRecovery;
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
    /// The case's figures, computed when the view is assembled.
    pub totals: CaseTotals,
}

/// The principal figures of a case:
/// - `principal_claimed`: the invoices' amounts;
/// - `already_paid`: what the creditor said was paid before intake;
/// - `outstanding`: the principal still due — the invoices less what was paid before intake
///   less what the payments received since were imputed to principal, exactly the
///   statement's `principalOutstanding`. A payment goes first to the indemnity and the
///   interest (C. civ. 1343-1), so the claim engine imputes them; its result does not depend
///   on the day once the last payment is imputed, so it is computed as of that payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTotals {
    pub principal_claimed: Decimal,
    pub already_paid: Decimal,
    pub outstanding: Decimal,
    /// The payments received since intake, whatever they were imputed to.
    pub received: Decimal,
}

impl CaseView {
    pub fn totals(&self) -> CaseTotals {
        self.totals
    }
}

/// The totals of one case from its rows; `rates` is needed only when it has payments.
#[allow(clippy::too_many_arguments)]
fn totals_of(
    case: &Case,
    debtor: &Debtor,
    invoices: &[Invoice],
    payments: &[Payment],
    recovery: Option<&CaseRecovery>,
    enforceable_on: Option<chrono::NaiveDate>,
    interest_stops_on: Option<chrono::NaiveDate>,
    rates: Option<&RateTable>,
) -> AppResult<CaseTotals> {
    // Stored amounts are bounded at intake: a sum out of range means damaged data.
    let claimed =
        money::sum_cents(invoices.iter().map(|i| i.amount_cents)).map_err(AppError::internal)?;
    let paid_before =
        money::sum_cents(invoices.iter().map(|i| i.paid_cents)).map_err(AppError::internal)?;
    let open = money::sub_cents(claimed, paid_before).map_err(AppError::internal)?;
    let mut outstanding = money::from_cents(open);
    if let (Some(last), Some(rates)) = (payments.iter().map(|p| p.received_on).max(), rates) {
        let input = crate::claims::claim_input_of(
            case,
            debtor,
            invoices,
            payments,
            recovery,
            enforceable_on,
            interest_stops_on,
        );
        match crate::domain::claim::statement(&input, last, rates) {
            Ok(st) => outstanding = st.totals.principal_outstanding,
            // The statement itself cannot be computed then (a half-year without rates): the
            // list shows the principal less every payment, and says so in the log.
            Err(e) => {
                tracing::warn!(case = case.id, error = %e, "list: principal outstanding approximated");
                let received = money::sum_cents(payments.iter().map(|p| p.amount_cents))
                    .map_err(AppError::internal)?;
                outstanding = money::from_cents(open.saturating_sub(received).max(0));
            }
        }
    }
    let received =
        money::sum_cents(payments.iter().map(|p| p.amount_cents)).map_err(AppError::internal)?;
    Ok(CaseTotals {
        principal_claimed: money::from_cents(claimed),
        already_paid: money::from_cents(paid_before),
        outstanding,
        received: money::from_cents(received),
    })
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
    // The payments of the page in one query; the rates and the formal-notice dates (which
    // the imputation of payments needs) in one more each, only when some case has payments.
    let mut payments: HashMap<i64, Vec<Payment>> = HashMap::new();
    for p in crate::store::payments::of_cases(conn, &case_ids)? {
        payments.entry(p.case_id).or_default().push(p);
    }
    let (rates, recoveries, enforceable, stops) = if payments.is_empty() {
        (None, HashMap::new(), HashMap::new(), HashMap::new())
    } else {
        let with: Vec<i64> = payments.keys().copied().collect();
        let recoveries: HashMap<i64, CaseRecovery> =
            crate::store::recovery::case_recoveries(conn, &with)?
                .into_iter()
                .map(|r| (r.case_id, r))
                .collect();
        // The title's enforceable date raises legal interest (C. mon. fin. L313-3), which
        // changes how payments are imputed.
        let enforceable: HashMap<i64, chrono::NaiveDate> =
            crate::store::legal::find_many(conn, &with)?
                .into_iter()
                .filter_map(|p| p.enforceable_on.map(|d| (p.case_id, d)))
                .collect();
        // A collective proceeding stops interest (C. com. L622-28): more of each payment
        // goes to the principal.
        let mut by_case: HashMap<i64, Vec<crate::store::incidents::Incident>> = HashMap::new();
        for i in crate::store::incidents::of_cases(conn, &with)? {
            by_case.entry(i.case_id).or_default().push(i);
        }
        let stops: HashMap<i64, chrono::NaiveDate> = by_case
            .iter()
            .filter_map(|(id, list)| {
                crate::cases::incidents::interest_stops_on(list).map(|d| (*id, d))
            })
            .collect();
        (
            Some(crate::claims::rate_table(conn)?),
            recoveries,
            enforceable,
            stops,
        )
    };
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
            let invoices = invoices.remove(&case.id).unwrap_or_default();
            let totals = totals_of(
                &case,
                &debtor,
                &invoices,
                payments.get(&case.id).map_or(&[][..], Vec::as_slice),
                recoveries.get(&case.id),
                enforceable.get(&case.id).copied(),
                stops.get(&case.id).copied(),
                rates.as_ref(),
            )?;
            Ok(CaseView {
                totals,
                invoices,
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
