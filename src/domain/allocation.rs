//! The running account of one invoice: interest accrual period by period and
//! the imputation of payments to it (indemnity → interest → principal).
//!
//! The statement engine in `claim` drives one `Ledger` per invoice in date
//! order; a ledger only moves forward in time.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::claim::{
    Allocation, ClaimError, ClaimKind, InterestPeriod, InvoiceInput, InvoiceStatement, PaymentInput,
};
use super::money::round_cents;
use super::rates::RateTable;
use super::statement::is_due_on;

/// The flat recovery indemnity per late invoice, in euros (C. com. D441-5).
pub const RECOVERY_INDEMNITY: Decimal = Decimal::from_parts(40, 0, 0, false, 0);
/// Days in the interest year, leap years included *(convention: service-public
/// formula amount × days × rate / 36 500)*.
const DAYS_IN_YEAR: Decimal = Decimal::from_parts(365, 0, 0, false, 0);

/// Which rate a claim's interest runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatePolicy {
    /// C. com. L441-10 II: contractual rate (floored) or ECB + 10 points.
    B2b {
        /// Contractual rate in percent, if the contract sets one.
        contractual: Option<Decimal>,
    },
    /// C. civ. 1231-6 / C. mon. fin. L313-2: the legal rate, which depends on
    /// whether the creditor is a private person.
    Legal {
        /// The creditor is a natural person.
        creditor_is_private_person: bool,
        /// C. mon. fin. L313-3: first day the legal rate is raised by five points (two
        /// months after the order or judgment became enforceable), if it has one.
        raised_from: Option<NaiveDate>,
    },
}

/// C. mon. fin. L313-3 al. 1: the increase of the legal rate after a court decision.
pub const L313_3_INCREASE: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

impl RatePolicy {
    /// The annual rate in percent for a day of the half-year containing `date`.
    pub fn rate_on(&self, rates: &RateTable, date: NaiveDate) -> Result<Decimal, ClaimError> {
        match *self {
            RatePolicy::B2b { contractual } => rates.b2b_rate(date, contractual),
            RatePolicy::Legal {
                creditor_is_private_person,
                raised_from,
            } => {
                let rate = rates.legal_rate(date, creditor_is_private_person)?;
                // C. mon. fin. L313-3: + 5 points from the end of the two months after
                // the decision became enforceable (never on the L441-10 or a contractual
                // rate, which are not the legal rate).
                if raised_from.is_some_and(|from| date >= from) {
                    rate.checked_add(L313_3_INCREASE)
                        .ok_or(ClaimError::Overflow)
                } else {
                    Ok(rate)
                }
            }
        }
    }

    /// The day the rate changes inside a half-year, if any (L313-3): a period is cut
    /// before it.
    fn change_on(&self) -> Option<NaiveDate> {
        match *self {
            RatePolicy::B2b { .. } => None,
            RatePolicy::Legal { raised_from, .. } => raised_from,
        }
    }
}

/// Interest of one period: base × rate / 100 × days / 365, rounded to the
/// cent half away from zero (LEGAL.md §3 rounding convention).
pub fn period_interest(base: Decimal, rate: Decimal, days: i64) -> Result<Decimal, ClaimError> {
    // C. com. L441-10 II: interest = base incl. VAT × rate × days / 365.
    let exact = base
        .checked_mul(rate)
        .and_then(|x| x.checked_mul(Decimal::from(days)))
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .and_then(|x| x.checked_div(DAYS_IN_YEAR))
        .ok_or(ClaimError::Overflow)?;
    Ok(round_cents(exact))
}

/// Last day of the half-year containing `date` (30 June or 31 December):
/// rates change there, so a period is cut there.
fn half_year_end(date: NaiveDate) -> Result<NaiveDate, ClaimError> {
    let (m, d) = if date.month() <= 6 { (6, 30) } else { (12, 31) };
    NaiveDate::from_ymd_opt(date.year(), m, d).ok_or(ClaimError::DateOutOfRange)
}

/// The running account of one invoice.
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    id: i64,
    due_date: NaiveDate,
    /// Interest counts from the day after this date; None: never.
    interest_after: Option<NaiveDate>,
    /// Whether the D441-5 indemnity can apply (B2B).
    indemnity_applies: bool,
    /// Principal still unpaid (the base of interest).
    principal: Decimal,
    principal_paid_since_intake: Decimal,
    /// Days up to and including this one have been accounted for.
    accounted_until: Option<NaiveDate>,
    periods: Vec<InterestPeriod>,
    interest_total: Decimal,
    interest_paid: Decimal,
    indemnity: Decimal,
    indemnity_paid: Decimal,
    /// Days after the rate table's last covered day would have borne interest: the
    /// interest shown stops there (a rate is never assumed).
    interest_cut: bool,
    /// C. com. L622-28: no interest runs on this day or after (the opening judgment).
    interest_stops_on: Option<NaiveDate>,
}

impl Ledger {
    /// Opens the account of `inv` for a claim of `kind`.
    pub fn new(inv: &InvoiceInput, kind: ClaimKind, formal_notice: Option<NaiveDate>) -> Ledger {
        let interest_after = match kind {
            // C. com. L441-10 II: from the day after the due date, no reminder needed.
            ClaimKind::B2B => Some(inv.due_date),
            // C. civ. 1231-6 / 1344-1: from the formal notice; not before the
            // sum is due. No notice, no interest.
            ClaimKind::B2C => formal_notice.map(|n| n.max(inv.due_date)),
        };
        Ledger {
            id: inv.id,
            due_date: inv.due_date,
            interest_after,
            // C. com. D441-5: professionals only.
            indemnity_applies: kind == ClaimKind::B2B,
            principal: inv.amount - inv.paid_before_intake,
            principal_paid_since_intake: Decimal::ZERO,
            accounted_until: None,
            periods: Vec::new(),
            interest_total: Decimal::ZERO,
            interest_paid: Decimal::ZERO,
            indemnity: Decimal::ZERO,
            indemnity_paid: Decimal::ZERO,
            interest_cut: false,
            interest_stops_on: None,
        }
    }

    /// The same account, with interest stopped from `stop` on (C. com. L622-28).
    pub fn interest_stopping_on(mut self, stop: Option<NaiveDate>) -> Ledger {
        self.interest_stops_on = stop;
        self
    }

    /// Nothing is due and nothing can become due any more (no principal left
    /// to bear interest or make the invoice late).
    pub fn is_settled(&self) -> bool {
        self.principal.is_zero()
            && self.interest_paid == self.interest_total
            && self.indemnity_paid == self.indemnity
    }

    /// What the invoice owes on `date` (interest counted through that day): the measure of
    /// a pro rata share (C. civ. 1342-10).
    /// Measured on a copy, so a ledger that ends up taking nothing gets no period cut there.
    pub fn owed_on(
        &self,
        date: NaiveDate,
        policy: &RatePolicy,
        rates: &RateTable,
    ) -> Result<Decimal, ClaimError> {
        let mut probe = self.clone();
        probe.advance_to(date, policy, rates)?;
        Ok(probe.outstanding())
    }

    fn outstanding(&self) -> Decimal {
        self.principal
            + (self.interest_total - self.interest_paid)
            + (self.indemnity - self.indemnity_paid)
    }

    /// Accounts for every day up to and including `date`: the indemnity if
    /// the invoice became late, and interest periods at the current base.
    fn advance_to(
        &mut self,
        date: NaiveDate,
        policy: &RatePolicy,
        rates: &RateTable,
    ) -> Result<(), ClaimError> {
        if self.accounted_until.is_some_and(|u| u >= date) {
            return Ok(());
        }
        // The principal only decreases, so if some is still unpaid now, it was
        // unpaid the day after the due date: the invoice was paid late.
        if self.indemnity_applies
            && self.indemnity.is_zero()
            && date > self.due_date
            && self.principal > Decimal::ZERO
        {
            // C. com. D441-5: 40 € once per late invoice.
            self.indemnity = RECOVERY_INDEMNITY;
        }
        if let (Some(after), true) = (self.interest_after, self.principal > Decimal::ZERO) {
            let last_counted = match self.accounted_until {
                Some(u) => u.max(after),
                None => after,
            };
            // C. com. L622-28: the opening judgment stops interest; the day before it is the
            // last that bears any.
            let date = match self.interest_stops_on {
                Some(stop) if stop <= date => stop.pred_opt().ok_or(ClaimError::DateOutOfRange)?,
                _ => date,
            };
            // Interest is counted up to the last day the rate table covers, never past it
            // with an assumed rate: the statement says where it stopped (LEGAL.md §3).
            let until = match rates.covered_until() {
                Some(covered) if covered < date => {
                    if last_counted < date {
                        self.interest_cut = true;
                    }
                    covered
                }
                _ => date,
            };
            if last_counted < until {
                let date = until;
                let mut from = last_counted.succ_opt().ok_or(ClaimError::DateOutOfRange)?;
                loop {
                    // Cut at 30 June / 31 December: the rate is set per half-year
                    // (C. com. L441-10 II, C. mon. fin. L313-2).
                    let mut to = half_year_end(from)?.min(date);
                    // C. mon. fin. L313-3: the raised rate starts a new period.
                    if let Some(change) = policy.change_on().filter(|c| *c > from && *c <= to) {
                        to = change.pred_opt().ok_or(ClaimError::DateOutOfRange)?;
                    }
                    let rate = policy.rate_on(rates, from)?;
                    let days = to.signed_duration_since(from).num_days() + 1;
                    let amount = period_interest(self.principal, rate, days)?;
                    self.interest_total += amount;
                    self.periods.push(InterestPeriod {
                        from,
                        to,
                        days,
                        base: self.principal,
                        rate,
                        amount,
                    });
                    if to >= date {
                        break;
                    }
                    from = to.succ_opt().ok_or(ClaimError::DateOutOfRange)?;
                }
            }
        }
        self.accounted_until = Some(date);
        Ok(())
    }

    /// Imputes up to `available` of payment `p` to this invoice, on the
    /// payment's date: indemnity, then interest accrued up to and including
    /// that day, then principal (C. civ. 1343-1). Pushes the allocation made,
    /// if any, and returns what is left of `available`.
    pub fn impute(
        &mut self,
        p: &PaymentInput,
        available: Decimal,
        policy: &RatePolicy,
        rates: &RateTable,
        allocations: &mut Vec<Allocation>,
    ) -> Result<Decimal, ClaimError> {
        // The payment day bears interest; the principal it pays stops bearing
        // interest the next day, which starts a new period.
        self.advance_to(p.date, policy, rates)?;
        if self.outstanding().is_zero() {
            return Ok(available);
        }
        let mut rest = available;
        // C. civ. 1343-1: interest before principal. The indemnity before interest is our
        // *convention*: 1343-1 orders only interest before principal (the D441-5 indemnity
        // is neither), and we take the flat costs first (LEGAL-RULES.md).
        let to_indemnity = rest.min(self.indemnity - self.indemnity_paid);
        rest -= to_indemnity;
        let to_interest = rest.min(self.interest_total - self.interest_paid);
        rest -= to_interest;
        let to_principal = rest.min(self.principal);
        rest -= to_principal;
        self.indemnity_paid += to_indemnity;
        self.interest_paid += to_interest;
        self.principal -= to_principal;
        self.principal_paid_since_intake += to_principal;
        allocations.push(Allocation {
            payment_id: p.id,
            invoice_id: self.id,
            to_indemnity,
            to_interest,
            to_principal,
        });
        Ok(rest)
    }

    /// Accounts up to `as_of` and produces the invoice's statement line.
    pub fn finish(
        mut self,
        inv: &InvoiceInput,
        as_of: NaiveDate,
        policy: &RatePolicy,
        rates: &RateTable,
    ) -> Result<(InvoiceStatement, bool), ClaimError> {
        self.advance_to(as_of, policy, rates)?;
        let cut = self.interest_cut;
        let interest_outstanding = self.interest_total - self.interest_paid;
        let indemnity_outstanding = self.indemnity - self.indemnity_paid;
        let interest_starts = match self.interest_after {
            Some(d) => Some(d.succ_opt().ok_or(ClaimError::DateOutOfRange)?),
            None => None,
        };
        let line = InvoiceStatement {
            invoice_id: self.id,
            number: inv.number.clone(),
            due_date: self.due_date,
            interest_starts,
            principal_original: inv.amount,
            principal_paid: inv.paid_before_intake + self.principal_paid_since_intake,
            paid_before_intake: inv.paid_before_intake,
            principal_outstanding: self.principal,
            interest_periods: self.periods,
            interest_total: self.interest_total,
            interest_paid: self.interest_paid,
            interest_outstanding,
            indemnity: self.indemnity,
            indemnity_paid: self.indemnity_paid,
            indemnity_outstanding,
            total_due: self.principal + interest_outstanding + indemnity_outstanding,
            to_fall_due: !is_due_on(self.due_date, as_of),
        };
        Ok((line, cut))
    }
}
