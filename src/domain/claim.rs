//! The statement engine: what a debtor owes on a claim as of a date, invoice
//! by invoice (principal, late-payment interest period by period, the 40 €
//! indemnity), and how each payment was imputed.
//!
//! Conventions (LEGAL.md §3), in one place:
//! - **Days counted.** Interest counts every day from the first day of
//!   lateness to the day of payment, both included: B2B from the day after the
//!   due date (C. com. L441-10 II), B2C from the day after the formal notice
//!   (or after the due date when the notice came before it). So a payment on
//!   the due date + 30 days bears 30 days of interest, and the principal it
//!   pays stops bearing interest the next day. A statement as of a date counts
//!   that date too, as if the debt were paid that day.
//! - **Periods.** Cut at each 30 June / 31 December (the rate changes by
//!   half-year) and at each payment imputed to the invoice.
//! - **Interest of a period** = base × rate / 100 × days / 365, 365 in leap
//!   years too, computed exactly in decimal and rounded to the cent half away
//!   from zero; every total is the sum of the rounded figures shown.
//! - **Imputation.** Payments are taken in date order (same date: input
//!   order). A payment goes to the invoice the debtor designated, any excess
//!   then to the others; otherwise to the invoice with the oldest due date
//!   first (ties: earliest issue date) — C. civ. 1342-10. Invoices no rule
//!   separates (same due date and same issue date) share the payment in
//!   proportion to what each owes on the payment day (1342-10, last rule):
//!   each share rounded down to the cent, and the cents left over, fewer than
//!   the invoices sharing, go one each to those invoices in input order
//!   *(convention)*, so the allocations always sum to the payment.
//!   Within an invoice: indemnity, then interest accrued to the payment day,
//!   then principal. C. civ. 1343-1 orders interest before principal; the
//!   indemnity before interest is our *convention*. What exceeds everything
//!   due is reported as `unallocated`: the caller refuses or refunds it.
//! - **Paid before intake** is taken as paid by the due date: it reduces the
//!   principal from the start and bears no interest (its date is unknown).
//! - **Payments dated after `as_of`** are left out of the statement and listed
//!   in [`Statement::payments_after_as_of`].
//! - **Not yet due invoices** count in the principal outstanding, with no
//!   interest and no indemnity until they are late; they are flagged
//!   `to_fall_due` and totalled apart ([`StatementTotals::to_fall_due`]), so
//!   what is demanded ([`StatementTotals::due`]) holds only invoices whose due
//!   date has passed on the statement's date ([`is_due_on`]; C. civ. 1344,
//!   CPC 1405).
//! - **After a court decision** (C. mon. fin. L313-3): where interest runs at
//!   the legal rate (B2C), the rate rises by 5 points from the day after the
//!   two months that follow the day the decision became enforceable
//!   ([`legal_rate_raised_from`]); a period is cut there. Never on the B2B
//!   L441-10 rate or a contractual rate.
//! - **The rate table's end.** Interest is counted up to the last day of the latest
//!   half-year entered, never past it with an assumed rate; a statement whose interest
//!   should have run later says so ([`Statement::interest_stopped`]). A gap *inside* the
//!   table is still an error ([`ClaimError::MissingRate`]).
//! - **A collective proceeding** (C. com. L622-28): the opening judgment stops interest;
//!   it runs through the day before the judgment ([`ClaimInput::interest_stops_on`]), and
//!   the statement says so ([`Statement::interest_stops_on`]).
//! - No compound interest (C. civ. 1343-2; out of scope).

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::allocation::{Ledger, RatePolicy};
use super::rates::{HalfYear, RateTable};

pub use super::claim_error::ClaimError;
pub use super::statement::{
    is_due_on, Allocation, DueTotals, InterestPeriod, InterestStop, InvoiceStatement,
    PaymentImputation, Statement, StatementTotals,
};

/// Largest amount accepted on an invoice or a payment (10 000 billion €):
/// keeps every sum and product far inside `Decimal`'s range, so the engine
/// cannot overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);
/// Largest contractual rate accepted, in percent.
pub const MAX_CONTRACTUAL_RATE: Decimal = Decimal::from_parts(1_000, 0, 0, false, 0);

/// Who the parties are, which decides the interest regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// Both parties are professionals: C. com. L441-10 penalties and the
    /// D441-5 indemnity.
    B2B,
    /// The debtor is a consumer: legal interest from the formal notice
    /// (C. civ. 1231-6, 1344-1), no indemnity.
    B2C,
}

/// One invoice of the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceInput {
    /// Opaque id, unique within the claim.
    pub id: i64,
    /// The invoice number as printed.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount including VAT, in euros with at most 2 decimals.
    pub amount: Decimal,
    /// What the creditor had received before handing the claim over
    /// (0 ≤ it ≤ `amount`).
    pub paid_before_intake: Decimal,
}

/// One payment received from the debtor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    /// Opaque id, unique within the claim.
    pub id: i64,
    /// Date the payment was received.
    pub date: NaiveDate,
    /// Amount, positive, at most 2 decimals.
    pub amount: Decimal,
    /// The invoice the debtor said it pays, if any (C. civ. 1342-10).
    pub invoice_id: Option<i64>,
}

/// Everything the engine needs about a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimInput {
    /// B2B or B2C.
    pub kind: ClaimKind,
    /// B2C only: the creditor is a natural person (the higher legal rate).
    pub creditor_is_private_person: bool,
    /// B2B only: a contractual late-payment rate in percent (raised to 3 × the
    /// legal rate if below). Ignored in B2C, where legal interest applies.
    pub contractual_rate: Option<Decimal>,
    /// Date of the formal notice; starts interest in B2C. Ignored in B2B.
    pub formal_notice_date: Option<NaiveDate>,
    /// First day the order (or judgment) for the claim is an enforceable title: two months
    /// later the legal rate rises by 5 points (C. mon. fin. L313-3). Ignored in B2B.
    pub title_enforceable_on: Option<NaiveDate>,
    /// The day a collective proceeding's opening judgment stopped interest (C. com. L622-28):
    /// no interest runs on that day or after (the judgment takes effect from 0 h of its date,
    /// R621-4). `None`: interest runs.
    pub interest_stops_on: Option<NaiveDate>,
    /// The invoices.
    pub invoices: Vec<InvoiceInput>,
    /// The payments received since intake.
    pub payments: Vec<PaymentInput>,
}

/// Computes the statement of `input` as of `as_of` with the rates of `rates`.
pub fn statement(
    input: &ClaimInput,
    as_of: NaiveDate,
    rates: &RateTable,
) -> Result<Statement, ClaimError> {
    let index_of = validate(input)?;
    let policy = match input.kind {
        ClaimKind::B2B => RatePolicy::B2b {
            contractual: input.contractual_rate,
        },
        ClaimKind::B2C => RatePolicy::Legal {
            creditor_is_private_person: input.creditor_is_private_person,
            raised_from: input
                .title_enforceable_on
                .map(legal_rate_raised_from)
                .transpose()?,
        },
    };
    let mut ledgers: Vec<Ledger> = input
        .invoices
        .iter()
        .map(|inv| {
            Ledger::new(inv, input.kind, input.formal_notice_date)
                .interest_stopping_on(input.interest_stops_on)
        })
        .collect();

    // C. civ. 1342-10: oldest due date first (ties: issue date, input order).
    let mut order: Vec<usize> = (0..ledgers.len()).collect();
    order.sort_by_key(|&i| {
        let inv = &input.invoices[i];
        (inv.due_date, inv.issue_date, i)
    });

    let mut payments: Vec<&PaymentInput> = Vec::with_capacity(input.payments.len());
    let mut payments_after_as_of = Vec::new();
    for p in &input.payments {
        if p.date <= as_of {
            payments.push(p);
        } else {
            payments_after_as_of.push(p.id);
        }
    }
    payments.sort_by_key(|p| p.date); // stable: same date keeps input order

    let mut imputations = Vec::with_capacity(payments.len());
    // Invoices before this position in `order` are settled for good.
    let mut first_open = 0;
    for p in payments {
        let mut rest = p.amount;
        let mut allocations = Vec::new();
        let designated = match p.invoice_id {
            Some(id) => index_of.get(&id).copied(),
            None => None,
        };
        if let Some(i) = designated {
            if let Some(ledger) = ledgers.get_mut(i) {
                rest = ledger.impute(p, rest, &policy, rates, &mut allocations)?;
            }
        }
        while order
            .get(first_open)
            .and_then(|&i| ledgers.get(i))
            .is_some_and(Ledger::is_settled)
        {
            first_open += 1;
        }
        let mut k = first_open;
        while k < order.len() && !rest.is_zero() {
            // The invoices from `k` that no rule of 1342-10 separates from it.
            let key = |i: usize| {
                input
                    .invoices
                    .get(i)
                    .map(|inv| (inv.due_date, inv.issue_date))
            };
            let head = order.get(k).copied().and_then(key);
            let mut end = k + 1;
            while end < order.len() && order.get(end).copied().and_then(key) == head {
                end += 1;
            }
            let group: Vec<usize> = order
                .get(k..end)
                .unwrap_or_default()
                .iter()
                .copied()
                .filter(|&i| Some(i) != designated)
                .filter(|&i| ledgers.get(i).is_some_and(|l| !l.is_settled()))
                .collect();
            rest = impute_group(
                &mut ledgers,
                &group,
                p,
                rest,
                &policy,
                rates,
                &mut allocations,
            )?;
            k = end;
        }
        imputations.push(PaymentImputation {
            payment_id: p.id,
            date: p.date,
            amount: p.amount,
            allocations,
            unallocated: rest,
        });
    }

    let mut lines = Vec::with_capacity(ledgers.len());
    let mut cut = false;
    for (ledger, inv) in ledgers.into_iter().zip(&input.invoices) {
        let line = ledger.finish(inv, as_of, &policy, rates)?;
        cut |= line.1;
        lines.push(line.0);
    }
    let interest_stopped = match (cut, rates.covered_until()) {
        (true, Some(last_day)) => Some(InterestStop {
            last_day,
            missing: HalfYear::of(last_day.succ_opt().ok_or(ClaimError::DateOutOfRange)?),
        }),
        _ => None,
    };
    let totals = StatementTotals::from_lines(&lines, &imputations);
    Ok(Statement {
        interest_stopped,
        interest_stops_on: input.interest_stops_on.filter(|d| *d <= as_of),
        as_of,
        invoices: lines,
        payments: imputations,
        payments_after_as_of,
        totals,
    })
}

/// C. mon. fin. L313-3 al. 1: the first day of the raised legal rate, for a decision that
/// became enforceable on `enforceable_on` — "à l'expiration d'un délai de deux mois à compter
/// du jour où la décision de justice est devenue exécutoire": the two months end on the same
/// day number two months later (the month's last day when it has none), and the raised rate
/// applies from the next day. Not extended to a working day: it is not a procedural deadline.
pub fn legal_rate_raised_from(enforceable_on: NaiveDate) -> Result<NaiveDate, ClaimError> {
    enforceable_on
        .checked_add_months(chrono::Months::new(2))
        .and_then(|d| d.succ_opt())
        .ok_or(ClaimError::DateOutOfRange)
}

/// Imputes up to `available` of payment `p` to the invoices of `group` (positions in
/// `ledgers`), which no rule of C. civ. 1342-10 separates: pro rata of what each owes on the
/// payment day when `available` does not cover them all, each share rounded down to the cent
/// and the cents left over given one each to the invoices in group order *(convention)*.
/// Returns what is left of `available`.
fn impute_group(
    ledgers: &mut [Ledger],
    group: &[usize],
    p: &PaymentInput,
    available: Decimal,
    policy: &RatePolicy,
    rates: &RateTable,
    allocations: &mut Vec<Allocation>,
) -> Result<Decimal, ClaimError> {
    let mut rest = available;
    if let [single] = group {
        if let Some(l) = ledgers.get_mut(*single) {
            rest = l.impute(p, rest, policy, rates, allocations)?;
        }
        return Ok(rest);
    }
    let mut owed = Vec::with_capacity(group.len());
    let mut total = Decimal::ZERO;
    for &i in group {
        let o = match ledgers.get(i) {
            Some(l) => l.owed_on(p.date, policy, rates)?,
            None => Decimal::ZERO,
        };
        total = total.checked_add(o).ok_or(ClaimError::Overflow)?;
        owed.push(o);
    }
    if available >= total || total.is_zero() {
        // Enough for all (or nothing to share): each in turn takes what it owes.
        for &i in group {
            if rest.is_zero() {
                break;
            }
            if let Some(l) = ledgers.get_mut(i) {
                rest = l.impute(p, rest, policy, rates, allocations)?;
            }
        }
        return Ok(rest);
    }
    // C. civ. 1342-10, last rule: "proportionnellement". share_i = ⌊available × owed_i /
    // total⌋ to the cent; since available < total, each share is below what it owes, so the
    // extra cent never overpays.
    let cent = Decimal::new(1, 2);
    let mut shares = Vec::with_capacity(group.len());
    let mut given = Decimal::ZERO;
    for o in &owed {
        let exact = available
            .checked_mul(*o)
            .and_then(|x| x.checked_div(total))
            .ok_or(ClaimError::Overflow)?;
        let share = exact.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        given = given.checked_add(share).ok_or(ClaimError::Overflow)?;
        shares.push(share);
    }
    let mut left = available.checked_sub(given).ok_or(ClaimError::Overflow)?;
    for (share, o) in shares.iter_mut().zip(&owed) {
        if left < cent {
            break;
        }
        if *share < *o {
            *share += cent;
            left -= cent;
        }
    }
    for (&i, share) in group.iter().zip(shares) {
        if share.is_zero() {
            continue;
        }
        if let Some(l) = ledgers.get_mut(i) {
            let unused = l.impute(p, share, policy, rates, allocations)?;
            rest = rest
                .checked_sub(share)
                .and_then(|r| r.checked_add(unused))
                .ok_or(ClaimError::Overflow)?;
        }
    }
    Ok(rest)
}

/// Everything due on `as_of` (principal, interest counted through that day,
/// indemnities), net of the payments dated up to that day. A caller checks a
/// new payment of that date against it: any excess would be unallocated.
pub fn balance_as_of(
    input: &ClaimInput,
    as_of: NaiveDate,
    rates: &RateTable,
) -> Result<Decimal, ClaimError> {
    Ok(statement(input, as_of, rates)?.totals.total_due)
}
fn is_cents(d: Decimal) -> bool {
    d.normalize().scale() <= 2
}

/// Checks the input and returns the map from invoice id to position.
fn validate(input: &ClaimInput) -> Result<HashMap<i64, usize>, ClaimError> {
    if let Some(r) = input.contractual_rate {
        if r < Decimal::ZERO || r > MAX_CONTRACTUAL_RATE {
            return Err(ClaimError::InvalidContractualRate);
        }
    }
    let mut index_of = HashMap::with_capacity(input.invoices.len());
    for (i, inv) in input.invoices.iter().enumerate() {
        let bad = |reason| ClaimError::InvalidInvoice {
            invoice_id: inv.id,
            reason,
        };
        if inv.amount < Decimal::ZERO || inv.amount > MAX_AMOUNT {
            return Err(bad("the amount must be between 0 and 10 000 billion"));
        }
        if inv.paid_before_intake < Decimal::ZERO || inv.paid_before_intake > inv.amount {
            return Err(bad(
                "the amount paid before intake must be between 0 and the amount",
            ));
        }
        if !is_cents(inv.amount) || !is_cents(inv.paid_before_intake) {
            return Err(bad("amounts must not go below the cent"));
        }
        if index_of.insert(inv.id, i).is_some() {
            return Err(ClaimError::DuplicateInvoice { invoice_id: inv.id });
        }
    }
    let mut payment_ids = std::collections::HashSet::with_capacity(input.payments.len());
    for p in &input.payments {
        let bad = |reason| ClaimError::InvalidPayment {
            payment_id: p.id,
            reason,
        };
        if p.amount <= Decimal::ZERO || p.amount > MAX_AMOUNT {
            return Err(bad(
                "the amount must be positive and at most 10 000 billion",
            ));
        }
        if !is_cents(p.amount) {
            return Err(bad("the amount must not go below the cent"));
        }
        if !payment_ids.insert(p.id) {
            return Err(ClaimError::DuplicatePayment { payment_id: p.id });
        }
        if let Some(invoice_id) = p.invoice_id {
            if !index_of.contains_key(&invoice_id) {
                return Err(ClaimError::UnknownInvoice {
                    payment_id: p.id,
                    invoice_id,
                });
            }
        }
    }
    Ok(index_of)
}

#[cfg(test)]
mod due_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod imputation_tests;
#[cfg(test)]
mod interest_tests;
#[cfg(test)]
mod proptests;
