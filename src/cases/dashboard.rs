//! A creditor's dashboard (`domain::dashboard` computes it): the creditor's own, or any
//! creditor's for the agency's staff.

use chrono::NaiveDate;

use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::dashboard::{self, CaseFacts, Dashboard};
use crate::domain::parties::Role;
use crate::domain::workflow::{CaseState, Outcome};
use crate::error::{AppError, AppResult};
use crate::store::{cases as store, payments};

/// The dashboard of `creditor` (a creditor's own when `None`) for the period.
pub fn of_creditor(
    conn: &mut DbConn,
    actor: &Actor,
    creditor: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Dashboard> {
    if from > to {
        return Err(AppError::validation(
            "from",
            "the period starts after it ends",
        ));
    }
    let org = match (actor.role, creditor) {
        (Role::Creditor, None) => actor.org_id.ok_or_else(AppError::forbidden)?,
        (Role::Creditor, Some(c)) if Some(c) == actor.org_id => c,
        // Another creditor's figures: no more visible than its cases.
        (Role::Creditor, Some(_)) => return Err(AppError::not_visible("creditor")),
        (Role::Admin | Role::Agent, Some(c)) => c,
        (Role::Admin | Role::Agent, None) => {
            return Err(AppError::validation(
                "creditorId",
                "say which creditor's dashboard to show",
            ))
        }
        (Role::Lawyer, _) => return Err(AppError::forbidden()),
    };
    let cases = store::of_creditor(conn, org)?;
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let invoices = store::invoices_of(conn, &ids)?;
    let paid = payments::of_cases(conn, &ids)?;
    let facts = cases
        .iter()
        .map(|c| {
            Ok(CaseFacts {
                opened_on: c.opened_at.date(),
                state: CaseState::parse(&c.state).map_err(AppError::internal)?,
                outcome: c
                    .outcome
                    .as_deref()
                    .map(Outcome::parse)
                    .transpose()
                    .map_err(AppError::internal)?,
                closed_on: c.closed_at.map(|t| t.date()),
                invoices: invoices
                    .iter()
                    .filter(|i| i.case_id == c.id)
                    .map(|i| (i.due_date, i.amount_cents, i.paid_cents))
                    .collect(),
                payments: paid
                    .iter()
                    .filter(|p| p.case_id == c.id)
                    .map(|p| (p.received_on, p.amount_cents))
                    .collect(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    // Stored amounts are bounded at intake, so a total out of range means damaged data.
    dashboard::dashboard(&facts, from, to).map_err(AppError::internal)
}
