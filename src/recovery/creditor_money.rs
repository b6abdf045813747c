//! What a creditor reads of its money (issue 16, the creditor's cockpit): the payments
//! received on its cases and the remittances made to it, with their totals. A creditor sees
//! its own only; the agency reads the same through `remittances::list` and `held`, lawyers
//! have no business here.

use std::collections::HashMap;

use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::money;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};
use crate::store::cases as case_store;
use crate::store::payments::{self as payment_store, Payment};
use crate::store::remittances as remittance_store;

/// A payment on one of the creditor's cases.
#[derive(Debug, Clone)]
pub struct Received {
    pub payment: Payment,
    pub case_reference: String,
    pub debtor: String,
}

/// One page of the creditor's payments, and the totals of all of them and of its
/// remittances, in cents.
#[derive(Debug, Clone, Default)]
pub struct CreditorMoney {
    pub payments: Vec<Received>,
    /// Payments in all.
    pub payments_count: i64,
    /// Every payment received, whatever the page.
    pub received_cents: i64,
    /// Every remittance's gross, commission and net.
    pub gross_cents: i64,
    pub commission_cents: i64,
    pub net_cents: i64,
}

/// The caller's own payments (page `skip`/`limit`, newest first) and totals: creditors only.
pub fn of_creditor(
    conn: &mut DbConn,
    actor: &Actor,
    skip: i64,
    limit: i64,
) -> AppResult<CreditorMoney> {
    if actor.role != Role::Creditor {
        return Err(AppError::forbidden());
    }
    // A creditor account without an organisation has no cases, hence no money.
    let Some(org) = actor.org_id else {
        return Ok(CreditorMoney::default());
    };
    let (rows, amounts) = payment_store::of_creditor(conn, org, skip.max(0), limit)?;
    let debtor_ids: Vec<i64> = rows.iter().map(|(_, _, d)| *d).collect();
    let debtors: HashMap<i64, String> = case_store::find_debtors(conn, &debtor_ids)?
        .into_iter()
        .map(|d| {
            let name = match &d.first_name {
                Some(f) => format!("{f} {}", d.name),
                None => d.name.clone(),
            };
            (d.id, name)
        })
        .collect();
    let remitted = remittance_store::amounts_of_creditor(conn, org)?;
    // Stored amounts are bounded at intake: a sum out of range means damaged data.
    let sum = |it: &mut dyn Iterator<Item = i64>| money::sum_cents(it).map_err(AppError::internal);
    Ok(CreditorMoney {
        payments_count: amounts.len() as i64,
        received_cents: sum(&mut amounts.iter().copied())?,
        gross_cents: sum(&mut remitted.iter().map(|r| r.0))?,
        commission_cents: sum(&mut remitted.iter().map(|r| r.1))?,
        net_cents: sum(&mut remitted.iter().map(|r| r.2))?,
        payments: rows
            .into_iter()
            .map(|(payment, case_reference, debtor_id)| Received {
                payment,
                case_reference,
                debtor: debtors.get(&debtor_id).cloned().unwrap_or_default(),
            })
            .collect(),
    })
}
