//! A creditor's dashboard (pure): what it placed, what was recovered, its cases by state, the
//! ageing of its open balances and how long recovery takes.
//!
//! Definitions *(convention, shown on the page)*:
//! - the **cohort** is the cases opened between `from` and `to` (both included);
//! - **placed** is the principal the cohort handed over (invoices less what was paid before);
//! - **recovered** is what the debtors of the cohort paid up to `to`; the **rate** is
//!   recovered / placed;
//! - **ageing** looks at every open case on `to` (cohort or not): each invoice's unpaid
//!   principal (payments applied to the oldest due date first, as C. civ. 1342-10 does by
//!   default), by days past its due date: 0–30 (not yet due included), 31–60, 61–90, 90+;
//! - **days to recover** is the mean, over the cohort's cases closed as paid, of the days
//!   from opening to closing.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::money;
use super::workflow::{CaseState, Outcome};
use super::Invalid;

/// What the dashboard needs of one case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub opened_on: NaiveDate,
    pub state: CaseState,
    pub outcome: Option<Outcome>,
    pub closed_on: Option<NaiveDate>,
    /// (due date, amount in cents, paid before intake in cents)
    pub invoices: Vec<(NaiveDate, i64, i64)>,
    /// (date received, cents)
    pub payments: Vec<(NaiveDate, i64)>,
}

/// The ageing buckets' labels, in order.
pub const AGEING_BUCKETS: [&str; 4] = ["0–30 j", "31–60 j", "61–90 j", "90+ j"];

/// The dashboard's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cases_opened: usize,
    pub placed: Decimal,
    pub recovered: Decimal,
    /// Percent, to one decimal (`None` when nothing was placed).
    pub recovery_rate: Option<Decimal>,
    /// Cohort cases per state, in the workflow's order, states with no case left out.
    pub by_state: Vec<(CaseState, usize)>,
    /// Unpaid principal of open cases per bucket of [`AGEING_BUCKETS`].
    pub ageing: [Decimal; 4],
    /// Mean days from opening to payment in full, to one decimal.
    pub average_days_to_recover: Option<Decimal>,
}

/// Computes the dashboard of `cases` (all of one creditor's) for the period. Every sum is
/// checked: a total that leaves the cents of the database is refused, never wrapped into a
/// negative figure.
pub fn dashboard(
    cases: &[CaseFacts],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Dashboard, Invalid> {
    let cohort: Vec<&CaseFacts> = cases
        .iter()
        .filter(|c| c.opened_on >= from && c.opened_on <= to)
        .collect();
    let placed = money::sum_cents(
        cohort
            .iter()
            .flat_map(|c| c.invoices.iter())
            .map(|(_, amount, before)| amount.saturating_sub(*before)),
    )?;
    let recovered = money::sum_cents(
        cohort
            .iter()
            .flat_map(|c| c.payments.iter())
            .filter(|(date, _)| *date <= to)
            .map(|(_, cents)| *cents),
    )?;
    let recovery_rate = (placed > 0).then(|| {
        (Decimal::from(recovered) * Decimal::ONE_HUNDRED / Decimal::from(placed)).round_dp(1)
    });
    let by_state = CaseState::ALL
        .iter()
        .map(|s| (*s, cohort.iter().filter(|c| c.state == *s).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let mut ageing = [0i64; 4];
    for c in cases.iter().filter(|c| !c.state.is_final()) {
        for (due, unpaid) in unpaid_by_invoice(c, to)? {
            let late = (to - due).num_days();
            let bucket = match late {
                i64::MIN..=30 => 0,
                31..=60 => 1,
                61..=90 => 2,
                _ => 3,
            };
            ageing[bucket] = money::sum_cents([ageing[bucket], unpaid])?;
        }
    }
    let paid_days: Vec<i64> = cohort
        .iter()
        .filter(|c| c.outcome == Some(Outcome::Paid))
        .filter_map(|c| c.closed_on.map(|d| (d - c.opened_on).num_days()))
        .collect();
    let average_days_to_recover = (!paid_days.is_empty()).then(|| {
        // Days between two supported dates: a few tens of thousands each, no overflow.
        let days: Decimal = paid_days.iter().map(|d| Decimal::from(*d)).sum();
        (days / Decimal::from(paid_days.len() as i64)).round_dp(1)
    });
    Ok(Dashboard {
        from,
        to,
        cases_opened: cohort.len(),
        placed: money::from_cents(placed),
        recovered: money::from_cents(recovered),
        recovery_rate,
        by_state,
        ageing: ageing.map(money::from_cents),
        average_days_to_recover,
    })
}

/// Each invoice's unpaid principal on `to`, payments applied oldest due date first.
fn unpaid_by_invoice(c: &CaseFacts, to: NaiveDate) -> Result<Vec<(NaiveDate, i64)>, Invalid> {
    let mut paid = money::sum_cents(
        c.payments
            .iter()
            .filter(|(d, _)| *d <= to)
            .map(|(_, cents)| *cents),
    )?;
    let mut invoices: Vec<(NaiveDate, i64)> = c
        .invoices
        .iter()
        .map(|(due, amount, before)| (*due, amount.saturating_sub(*before)))
        .collect();
    invoices.sort_by_key(|(due, _)| *due);
    // `applied` is at most both `paid` and `open`: neither subtraction can overflow.
    Ok(invoices
        .into_iter()
        .map(|(due, open)| {
            let applied = paid.min(open);
            paid -= applied;
            (due, open - applied)
        })
        .filter(|(_, unpaid)| *unpaid > 0)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn case(opened: &str, state: CaseState, invoices: &[(&str, i64, i64)]) -> CaseFacts {
        CaseFacts {
            opened_on: d(opened),
            state,
            outcome: None,
            closed_on: None,
            invoices: invoices
                .iter()
                .map(|(due, a, b)| (d(due), *a, *b))
                .collect(),
            payments: Vec::new(),
        }
    }

    #[test]
    fn the_figures_follow_the_documented_definitions() {
        let mut paid = case(
            "2026-01-10",
            CaseState::Closed,
            &[("2025-12-01", 100_000, 0)],
        );
        paid.outcome = Some(Outcome::Paid);
        paid.closed_on = Some(d("2026-02-09"));
        paid.payments = vec![(d("2026-02-09"), 100_000)];
        let mut open = case(
            "2026-02-01",
            CaseState::Amicable,
            // 1 000 due 1 Jan (120 days late on 1 May), 500 due 15 Apr (16 days), 200 paid
            // before intake on the first.
            &[("2026-01-01", 100_000, 20_000), ("2026-04-15", 50_000, 0)],
        );
        // 300 paid: on the oldest invoice first.
        open.payments = vec![(d("2026-03-01"), 30_000), (d("2026-06-01"), 10_000)];
        let old = case(
            "2025-06-01",
            CaseState::Amicable,
            &[("2026-03-15", 20_000, 0)],
        );
        let db = dashboard(&[paid, open, old], d("2026-01-01"), d("2026-05-01")).unwrap();
        assert_eq!(db.cases_opened, 2);
        // 1 000 + (1 000 − 200) + 500.
        assert_eq!(db.placed, Decimal::new(230_000, 2));
        // The June payment is after the period.
        assert_eq!(db.recovered, Decimal::new(130_000, 2));
        // 1 300 / 2 300 = 56.52… %.
        assert_eq!(db.recovery_rate, Some(Decimal::new(565, 1)));
        assert_eq!(
            db.by_state,
            vec![(CaseState::Amicable, 1), (CaseState::Closed, 1)]
        );
        // Open: invoice 1 has 800 − 300 = 500 unpaid, 120 days late; invoice 2 500, 16 days;
        // the older case's 200 due 15 March is 47 days late.
        assert_eq!(
            db.ageing,
            [
                Decimal::new(50_000, 2),
                Decimal::new(20_000, 2),
                Decimal::ZERO,
                Decimal::new(50_000, 2)
            ]
        );
        assert_eq!(db.average_days_to_recover, Some(Decimal::new(300, 1)));
    }

    #[test]
    fn an_empty_period_has_no_rate_and_no_average() {
        let db = dashboard(&[], d("2026-01-01"), d("2026-01-31")).unwrap();
        assert_eq!(db.recovery_rate, None);
        assert_eq!(db.average_days_to_recover, None);
        assert_eq!(db.ageing, [Decimal::ZERO; 4]);
    }

    #[test]
    fn totals_that_would_wrap_are_refused_instead_of_turning_negative() {
        let big = case(
            "2026-01-10",
            CaseState::Amicable,
            &[("2026-01-01", i64::MAX, 0), ("2026-01-02", 2, 0)],
        );
        assert!(dashboard(&[big], d("2026-01-01"), d("2026-05-01")).is_err());
    }
}
