//! Promises to pay and payment plans: when they are kept, broken or complete. Pure; the
//! amounts paid are the payments received since the arrangement was made.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;

use super::parties::text_enum;

text_enum!(
    /// Where a promise to pay stands.
    PromiseStatus {
        Open => "open",
        Kept => "kept",
        Broken => "broken",
        Cancelled => "cancelled",
    }
);

text_enum!(
    /// Where a payment plan stands.
    PlanStatus {
        Proposed => "proposed",
        Active => "active",
        Refused => "refused",
        Broken => "broken",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

/// Most instalments a plan may have *(convention: three years of monthly payments)*.
pub const MAX_INSTALMENTS: usize = 36;

/// A promise at `amount` by `pay_by`, given what has been paid since it was made.
/// Broken only once the grace days after `pay_by` have passed with the amount unpaid. The grace
/// days are the agency's setting *(convention: the law sets none for an amicable promise)*.
pub fn promise_status(
    pay_by: NaiveDate,
    amount: Decimal,
    paid_since: Decimal,
    today: NaiveDate,
    grace_days: u32,
) -> PromiseStatus {
    if paid_since >= amount {
        PromiseStatus::Kept
    } else if pay_by
        .checked_add_days(Days::new(u64::from(grace_days)))
        .is_some_and(|last| today > last)
    {
        PromiseStatus::Broken
    } else {
        PromiseStatus::Open
    }
}

/// One instalment of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub due_on: NaiveDate,
    pub amount: Decimal,
}

/// A refused plan, with the index of the instalment at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub index: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

/// Checks a proposed plan: at least one instalment, dates from today on and strictly
/// increasing, positive amounts, and a sum equal to the balance to the cent.
pub fn validate_plan(
    instalments: &[Instalment],
    balance: Decimal,
    today: NaiveDate,
) -> Result<(), PlanError> {
    let whole = |message: String| PlanError {
        index: None,
        field: "instalments",
        message,
    };
    if instalments.is_empty() {
        return Err(whole("a plan needs at least one instalment".into()));
    }
    if instalments.len() > MAX_INSTALMENTS {
        return Err(whole(format!(
            "a plan has at most {MAX_INSTALMENTS} instalments"
        )));
    }
    let mut previous: Option<NaiveDate> = None;
    for (i, inst) in instalments.iter().enumerate() {
        let at = |field: &'static str, message: &str| PlanError {
            index: Some(i),
            field,
            message: message.to_string(),
        };
        if inst.amount <= Decimal::ZERO {
            return Err(at("amount", "must be more than zero"));
        }
        if inst.due_on < today {
            return Err(at("dueOn", "the date is in the past"));
        }
        if previous.is_some_and(|p| inst.due_on <= p) {
            return Err(at("dueOn", "each instalment falls after the previous one"));
        }
        previous = Some(inst.due_on);
    }
    let sum: Decimal = instalments.iter().map(|i| i.amount).sum();
    if sum != balance {
        return Err(whole(format!(
            "the instalments add up to {sum:.2} € but the balance is {balance:.2} €"
        )));
    }
    Ok(())
}

/// Whether a plan stays within the limits a mandate gives the agency (no creditor approval).
pub fn within_limits(
    instalments: &[Instalment],
    max_instalments: u32,
    max_months: u32,
    today: NaiveDate,
) -> bool {
    let last_allowed = today.checked_add_months(Months::new(max_months));
    instalments.len() <= max_instalments as usize
        && instalments
            .last()
            .zip(last_allowed)
            .is_some_and(|(last, limit)| last.due_on <= limit)
}

/// How a running plan stands, given what was paid since it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanProgress {
    /// Every instalment is paid.
    Completed,
    /// Nothing is late beyond the grace days.
    OnTrack,
    /// This instalment (1-based) was not paid by its date plus the grace days.
    Missed { position: usize },
}

/// Payments count towards the instalments in order: the n-th is met once the payments since
/// the start cover the first n in total.
pub fn plan_progress(
    instalments: &[Instalment],
    paid_since: Decimal,
    today: NaiveDate,
    grace_days: u32,
) -> PlanProgress {
    let total: Decimal = instalments.iter().map(|i| i.amount).sum();
    if paid_since >= total {
        return PlanProgress::Completed;
    }
    let mut due_so_far = Decimal::ZERO;
    for (i, inst) in instalments.iter().enumerate() {
        due_so_far += inst.amount;
        let late = inst
            .due_on
            .checked_add_days(Days::new(u64::from(grace_days)))
            .is_some_and(|last| today > last);
        if late && paid_since < due_so_far {
            return PlanProgress::Missed { position: i + 1 };
        }
    }
    PlanProgress::OnTrack
}

/// Whether `today` falls in the `days_before` days up to and including `due_on`: when the
/// debtor is reminded of what falls due (issue 17; the delay is the agency's setting, 0 sends
/// nothing) *(convention: good collection practice, no text requires or bounds it)*.
pub fn in_reminder_window(due_on: NaiveDate, today: NaiveDate, days_before: u32) -> bool {
    days_before > 0
        && today <= due_on
        && due_on
            .checked_sub_days(Days::new(u64::from(days_before)))
            .is_some_and(|first| today >= first)
}

/// What is left to pay of a promise of `amount` once `paid_since` came in (zero when kept).
pub fn promise_left(amount: Decimal, paid_since: Decimal) -> Decimal {
    (amount - paid_since).max(Decimal::ZERO)
}

/// The instalments of a plan to remind the debtor of on `today`: those whose date is within
/// `days_before` days and that the payments since the start do not cover yet, each with its
/// position (1-based) and what is left to pay of it. Payments meet the instalments in order,
/// as in [`plan_progress`].
pub fn instalments_to_remind(
    instalments: &[Instalment],
    paid_since: Decimal,
    today: NaiveDate,
    days_before: u32,
) -> Vec<(usize, Instalment, Decimal)> {
    let mut due_so_far = Decimal::ZERO;
    let mut out = Vec::new();
    for (i, inst) in instalments.iter().enumerate() {
        let before = due_so_far;
        due_so_far += inst.amount;
        if paid_since >= due_so_far || !in_reminder_window(inst.due_on, today, days_before) {
            continue;
        }
        let left = due_so_far - paid_since.max(before);
        out.push((i + 1, *inst, left));
    }
    out
}

/// `count` monthly instalments from `first` adding up to `balance`: equal amounts rounded
/// down to the cent, the last one taking the cents left (what a debtor proposing « 6 fois »
/// means). Refused: fewer than 2 or more than [`MAX_INSTALMENTS`], nothing to pay, or less
/// than a cent an instalment.
pub fn split_monthly(
    balance: Decimal,
    count: u32,
    first: NaiveDate,
) -> Result<Vec<Instalment>, &'static str> {
    if count < 2 || count as usize > MAX_INSTALMENTS {
        return Err("a plan has between 2 and 36 instalments");
    }
    let each = (balance / Decimal::from(count))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    if each < Decimal::new(1, 2) {
        return Err("nothing to spread over instalments");
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut rest = balance;
    for k in 0..count {
        let due_on = first
            .checked_add_months(Months::new(k))
            .ok_or("the date is out of range")?;
        let amount = if k + 1 == count { rest } else { each };
        rest = rest
            .checked_sub(amount)
            .ok_or("the amount is out of range")?;
        out.push(Instalment { due_on, amount });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn plan() -> Vec<Instalment> {
        vec![
            Instalment {
                due_on: ymd(2026, 5, 10),
                amount: dec("400.00"),
            },
            Instalment {
                due_on: ymd(2026, 6, 10),
                amount: dec("400.00"),
            },
            Instalment {
                due_on: ymd(2026, 7, 10),
                amount: dec("234.56"),
            },
        ]
    }

    #[test]
    fn the_debtor_is_reminded_in_the_days_before_a_date_and_of_what_is_left_of_it() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 3, day).unwrap();
        assert!(!in_reminder_window(d(10), d(6), 3));
        assert!(in_reminder_window(d(10), d(7), 3));
        assert!(in_reminder_window(d(10), d(10), 3));
        assert!(!in_reminder_window(d(10), d(11), 3));
        assert!(!in_reminder_window(d(10), d(10), 0), "0 days: no reminder");
        assert_eq!(promise_left(dec("300"), dec("120")), dec("180"));
        assert_eq!(promise_left(dec("300"), dec("400")), dec("0"));
        let plan = [
            Instalment {
                due_on: d(1),
                amount: dec("100"),
            },
            Instalment {
                due_on: d(10),
                amount: dec("100"),
            },
            Instalment {
                due_on: d(12),
                amount: dec("50"),
            },
        ];
        // 130 paid: the first is met, 70 left of the second; the third is in the window too.
        assert_eq!(
            instalments_to_remind(&plan, dec("130"), d(9), 3),
            vec![(2, plan[1], dec("70")), (3, plan[2], dec("50"))]
        );
        // Paid ahead: nothing to remind.
        assert!(instalments_to_remind(&plan, dec("250"), d(9), 3).is_empty());
        // The first instalment's date has passed: it is the grace's business, not a reminder.
        assert!(instalments_to_remind(&plan, dec("0"), d(2), 3).is_empty());
    }

    #[test]
    fn a_promise_breaks_only_after_its_grace_days() {
        let by = ymd(2026, 5, 10);
        let amount = dec("500.00");
        let st = |paid: &str, today| promise_status(by, amount, dec(paid), today, 3);
        assert_eq!(st("0", ymd(2026, 5, 13)), PromiseStatus::Open);
        assert_eq!(st("0", ymd(2026, 5, 14)), PromiseStatus::Broken);
        assert_eq!(st("499.99", ymd(2026, 5, 14)), PromiseStatus::Broken);
        assert_eq!(st("500.00", ymd(2026, 5, 14)), PromiseStatus::Kept);
        assert_eq!(st("500.00", ymd(2026, 5, 1)), PromiseStatus::Kept);
    }

    #[test]
    fn a_plan_must_add_up_to_the_balance_exactly() {
        let today = ymd(2026, 5, 1);
        assert_eq!(validate_plan(&plan(), dec("1034.56"), today), Ok(()));
        let err = validate_plan(&plan(), dec("1034.57"), today).unwrap_err();
        assert_eq!(err.field, "instalments");
        assert!(err.message.contains("1034.56"), "{}", err.message);
        assert!(err.message.contains("1034.57"), "{}", err.message);
    }

    #[test]
    fn plan_dates_and_amounts_are_checked_one_by_one() {
        let today = ymd(2026, 5, 1);
        let mut p = plan();
        p[1].due_on = ymd(2026, 5, 10);
        let err = validate_plan(&p, dec("1034.56"), today).unwrap_err();
        assert_eq!((err.index, err.field), (Some(1), "dueOn"));
        let mut p = plan();
        p[0].due_on = ymd(2026, 4, 30);
        assert_eq!(
            validate_plan(&p, dec("1034.56"), today).unwrap_err().index,
            Some(0)
        );
        let mut p = plan();
        p[2].amount = dec("0");
        let err = validate_plan(&p, dec("800.00"), today).unwrap_err();
        assert_eq!((err.index, err.field), (Some(2), "amount"));
        assert_eq!(
            validate_plan(&[], dec("1"), today).unwrap_err().field,
            "instalments"
        );
    }

    #[test]
    fn mandate_limits_bound_count_and_length() {
        let today = ymd(2026, 5, 1);
        assert!(within_limits(&plan(), 3, 3, today));
        assert!(!within_limits(&plan(), 2, 3, today));
        // The last instalment (10 July) is more than 2 months after 1 May.
        assert!(!within_limits(&plan(), 3, 2, today));
    }

    #[test]
    fn a_plan_is_missed_only_past_grace_and_completed_when_all_is_paid() {
        let p = plan();
        let at = |paid: &str, today| plan_progress(&p, dec(paid), today, 3);
        assert_eq!(at("0", ymd(2026, 5, 13)), PlanProgress::OnTrack);
        assert_eq!(
            at("0", ymd(2026, 5, 14)),
            PlanProgress::Missed { position: 1 }
        );
        assert_eq!(at("400", ymd(2026, 6, 13)), PlanProgress::OnTrack);
        assert_eq!(
            at("799.99", ymd(2026, 6, 14)),
            PlanProgress::Missed { position: 2 }
        );
        assert_eq!(at("1034.56", ymd(2026, 5, 2)), PlanProgress::Completed);
    }

    #[test]
    fn a_balance_is_split_into_monthly_instalments_the_last_taking_the_cents_left() {
        let first = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        let plan = split_monthly(Decimal::new(100_000, 2), 3, first).unwrap();
        let amounts: Vec<String> = plan.iter().map(|i| i.amount.to_string()).collect();
        assert_eq!(amounts, ["333.33", "333.33", "333.34"]);
        let dates: Vec<String> = plan.iter().map(|i| i.due_on.to_string()).collect();
        assert_eq!(dates, ["2027-01-31", "2027-02-28", "2027-03-31"]);
        assert!(split_monthly(Decimal::new(100, 2), 1, first).is_err());
        assert!(split_monthly(Decimal::new(1, 2), 2, first).is_err());
        assert!(split_monthly(Decimal::new(100_000, 2), 37, first).is_err());
    }
}
