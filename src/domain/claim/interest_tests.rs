//! Interest and indemnity rules, with hand-computed figures.
//! Every interest figure is base × rate × days / 36 500, rounded to the cent
//! half away from zero; the arithmetic is in each test's comment.

use super::fixtures::*;
use super::*;

#[test]
fn worked_example_15000_at_15_percent_for_30_days_is_184_93() {
    // LEGAL.md: 15 000 € due 15/04/2018 paid 15/05/2018 at 15 %: days 16/04..15/05
    // = 15 + 15 = 30; 15 000 × 15 × 30 / 36 500 = 184.9315… → 184.93.
    let mut claim = b2b(
        vec![inv(1, ymd(2018, 4, 15), "15000")],
        vec![pay(10, ymd(2018, 5, 15), "15000", None)],
    );
    claim.contractual_rate = Some(d("15")); // above the floor 3 × 0.89 = 2.67
    let s = statement(&claim, ymd(2018, 5, 15), &table_2018()).unwrap();
    let l = line(&s, 1);
    assert_eq!(
        l.interest_periods,
        vec![InterestPeriod {
            from: ymd(2018, 4, 16),
            to: ymd(2018, 5, 15),
            days: 30,
            base: d("15000"),
            rate: d("15"),
            amount: d("184.93"),
        }]
    );
    // C. civ. 1343-1: 15 000 pays 40 (indemnity) + 184.93 (interest) + 14 775.07.
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "40", "184.93", "14775.07")]
    );
    assert_eq!(l.principal_outstanding, d("224.93"));
    assert_eq!(l.total_due, d("224.93"));
    assert_eq!(l.interest_starts, Some(ymd(2018, 4, 16)));
}

#[test]
fn worked_example_5000_at_10_percent_for_30_days_is_41_10() {
    // 5 000 × 10 × 30 / 36 500 = 41.0958… → 41.10; days 02/03..31/03 = 30.
    let mut claim = b2b(vec![inv(1, ymd(2018, 3, 1), "5000")], vec![]);
    claim.contractual_rate = Some(d("10"));
    let s = statement(&claim, ymd(2018, 3, 31), &table_2018()).unwrap();
    assert_eq!(line(&s, 1).interest_total, d("41.10"));
    assert_eq!(line(&s, 1).interest_periods[0].days, 30);
    // 5 000 + 41.10 + 40 indemnity.
    assert_eq!(s.totals.total_due, d("5081.10"));
}

#[test]
fn b2b_default_rate_is_ecb_plus_ten_and_indemnity_is_forty() {
    // 2025 H1: 3.15 + 10 = 13.15 %. Due 28/02/2025, as of 30/03: 30 days.
    // 10 000 × 13.15 × 30 / 36 500 = 108.0821… → 108.08.
    let s = statement(
        &b2b(vec![inv(1, ymd(2025, 2, 28), "10000")], vec![]),
        ymd(2025, 3, 30),
        &RateTable::seeded(),
    )
    .unwrap();
    let l = line(&s, 1);
    assert_eq!(l.interest_periods.len(), 1);
    assert_eq!(l.interest_periods[0].rate, d("13.15"));
    assert_eq!(l.interest_total, d("108.08"));
    assert_eq!(l.indemnity, d("40"));
    assert_eq!(l.total_due, d("10148.08"));
}

#[test]
fn nothing_is_late_on_the_due_date_itself() {
    let s = statement(
        &b2b(vec![inv(1, ymd(2025, 2, 28), "10000")], vec![]),
        ymd(2025, 2, 28),
        &RateTable::seeded(),
    )
    .unwrap();
    assert!(line(&s, 1).interest_periods.is_empty());
    assert_eq!(line(&s, 1).indemnity, Decimal::ZERO);
    assert_eq!(s.totals.total_due, d("10000"));
    // The next day: 1 day of interest, 10 000 × 13.15 / 36 500 = 3.6027… → 3.60, and the indemnity.
    let s = statement(
        &b2b(vec![inv(1, ymd(2025, 2, 28), "10000")], vec![]),
        ymd(2025, 3, 1),
        &RateTable::seeded(),
    )
    .unwrap();
    assert_eq!(line(&s, 1).interest_total, d("3.60"));
    assert_eq!(line(&s, 1).indemnity, d("40"));
}

#[test]
fn rate_change_on_1_july_cuts_the_period() {
    // Due 15/06/2025, as of 15/07/2025.
    // 16/06..30/06 = 15 days at 13.15 %: 10 000 × 13.15 × 15 / 36 500 = 54.0410… → 54.04
    // 01/07..15/07 = 15 days at 12.15 %: 10 000 × 12.15 × 15 / 36 500 = 49.9315… → 49.93
    let s = statement(
        &b2b(vec![inv(1, ymd(2025, 6, 15), "10000")], vec![]),
        ymd(2025, 7, 15),
        &RateTable::seeded(),
    )
    .unwrap();
    let p = &line(&s, 1).interest_periods;
    assert_eq!(p.len(), 2);
    assert_eq!(
        (p[0].from, p[0].to, p[0].days),
        (ymd(2025, 6, 16), ymd(2025, 6, 30), 15)
    );
    assert_eq!((p[0].rate, p[0].amount), (d("13.15"), d("54.04")));
    assert_eq!(
        (p[1].from, p[1].to, p[1].days),
        (ymd(2025, 7, 1), ymd(2025, 7, 15), 15)
    );
    assert_eq!((p[1].rate, p[1].amount), (d("12.15"), d("49.93")));
    assert_eq!(line(&s, 1).interest_total, d("103.97"));
}

#[test]
fn leap_day_counts_as_a_day_but_the_year_stays_365_days() {
    // Due 15/02/2024, as of 15/03/2024: 16/02..29/02 = 14 days + 01/03..15/03 = 15 → 29 days.
    // 36 500 × 14.50 × 29 / 36 500 = 420.50 (with /366 it would be 419.35).
    let s = statement(
        &b2b(vec![inv(1, ymd(2024, 2, 15), "36500")], vec![]),
        ymd(2024, 3, 15),
        &RateTable::seeded(),
    )
    .unwrap();
    let p = &line(&s, 1).interest_periods;
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].days, 29);
    assert_eq!(p[0].amount, d("420.50"));
}

#[test]
fn b2c_interest_runs_from_the_formal_notice_at_the_legal_rate() {
    // Creditor a professional: "other cases" rate. Notice 01/03/2025, as of 31/03:
    // 02/03..31/03 = 30 days: 2 000 × 3.71 × 30 / 36 500 = 6.0986… → 6.10. No indemnity.
    let claim = b2c(
        Some(ymd(2025, 3, 1)),
        vec![inv(1, ymd(2025, 1, 15), "2000")],
    );
    let rates = RateTable::seeded();
    let s = statement(&claim, ymd(2025, 3, 31), &rates).unwrap();
    let l = line(&s, 1);
    assert_eq!(l.interest_starts, Some(ymd(2025, 3, 2)));
    assert_eq!(l.interest_total, d("6.10"));
    assert_eq!(l.indemnity, Decimal::ZERO);
    assert_eq!(l.total_due, d("2006.10"));

    // Across 1 July: 02/03..30/06 = 30 + 30 + 31 + 30 = 121 days at 3.71 %:
    // 2 000 × 3.71 × 121 / 36 500 = 24.5978… → 24.60; 01/07..30/07 = 30 days at 2.76 %:
    // 2 000 × 2.76 × 30 / 36 500 = 4.5369… → 4.54. Total 29.14.
    let s = statement(&claim, ymd(2025, 7, 30), &rates).unwrap();
    let amounts: Vec<Decimal> = line(&s, 1)
        .interest_periods
        .iter()
        .map(|p| p.amount)
        .collect();
    assert_eq!(amounts, vec![d("24.60"), d("4.54")]);
    assert_eq!(line(&s, 1).interest_total, d("29.14"));

    // Creditor a private person: 7.21 %: 2 000 × 7.21 × 30 / 36 500 = 11.852… → 11.85.
    let private = ClaimInput {
        creditor_is_private_person: true,
        ..claim.clone()
    };
    let s = statement(&private, ymd(2025, 3, 31), &rates).unwrap();
    assert_eq!(line(&s, 1).interest_total, d("11.85"));
}

#[test]
fn b2c_without_formal_notice_bears_no_interest() {
    let claim = b2c(None, vec![inv(1, ymd(2025, 1, 15), "2000")]);
    let s = statement(&claim, ymd(2025, 12, 31), &RateTable::seeded()).unwrap();
    assert!(line(&s, 1).interest_periods.is_empty());
    assert_eq!(line(&s, 1).interest_starts, None);
    assert_eq!(line(&s, 1).indemnity, Decimal::ZERO);
    assert_eq!(s.totals.total_due, d("2000"));
}

#[test]
fn b2c_notice_before_the_due_date_starts_interest_after_the_due_date() {
    // Notice 01/01/2025, due 15/01/2025, as of 14/02: 16/01..14/02 = 30 days at 3.71 % → 6.10.
    let claim = b2c(
        Some(ymd(2025, 1, 1)),
        vec![inv(1, ymd(2025, 1, 15), "2000")],
    );
    let s = statement(&claim, ymd(2025, 2, 14), &RateTable::seeded()).unwrap();
    assert_eq!(line(&s, 1).interest_starts, Some(ymd(2025, 1, 16)));
    assert_eq!(line(&s, 1).interest_total, d("6.10"));
}

#[test]
fn interest_stops_at_the_last_day_the_rate_table_covers_and_says_so() {
    // Seeded table up to 2026 H1. 1 000 € due 20/06/2026, statement of 01/12/2026:
    // 21/06..30/06 = 10 days at 12.15 % (2026 H1): 1 000 × 12.15 × 10 / 36 500 = 3.3287… → 3.33;
    // nothing after 30/06 (2026 H2 not entered, never assumed); indemnity 40 € (D441-5).
    let claim = b2b(vec![inv(1, ymd(2026, 6, 20), "1000")], vec![]);
    let s = statement(&claim, ymd(2026, 12, 1), &RateTable::seeded()).unwrap();
    let l = line(&s, 1);
    assert_eq!(l.interest_periods.len(), 1);
    assert_eq!(l.interest_periods[0].to, ymd(2026, 6, 30));
    assert_eq!(l.interest_total, d("3.33"));
    assert_eq!(s.totals.total_due, d("1043.33"));
    let stop = s.interest_stopped.unwrap();
    assert_eq!(stop.last_day, ymd(2026, 6, 30));
    assert_eq!(stop.missing.label(), "2026-H2");
    // Up to 30 June 2026 the statement is complete.
    let june = statement(&claim, ymd(2026, 6, 30), &RateTable::seeded()).unwrap();
    assert_eq!(june.interest_stopped, None);
    assert_eq!(june.totals.total_due, d("1043.33"));
}

#[test]
fn a_payment_after_the_tables_end_is_imputed_on_the_interest_known() {
    // Same claim, 500 € paid 01/08/2026: indemnity 40, interest to 30/06 3.33, principal 456.67
    // → principal left 543.33; interest still stopped at 30/06 (the flag stays).
    let claim = b2b(
        vec![inv(1, ymd(2026, 6, 20), "1000")],
        vec![pay(1, ymd(2026, 8, 1), "500", None)],
    );
    let s = statement(&claim, ymd(2026, 12, 1), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(1, 1, "40", "3.33", "456.67")]
    );
    assert_eq!(s.totals.total_due, d("543.33"));
    assert!(s.interest_stopped.is_some());
}

#[test]
fn a_claim_bearing_no_interest_after_the_tables_end_is_complete() {
    // B2C without a formal notice: no interest runs at all, so nothing is missing.
    let claim = b2c(None, vec![inv(1, ymd(2026, 6, 20), "1000")]);
    let s = statement(&claim, ymd(2026, 12, 1), &RateTable::seeded()).unwrap();
    assert_eq!(s.interest_stopped, None);
    assert_eq!(s.totals.total_due, d("1000"));
}

#[test]
fn a_half_year_missing_inside_the_table_still_fails_with_its_name() {
    // 2025 H2 removed from the table: a period in it cannot be computed, and no rate is
    // assumed; the table's end (2026 H1) is not the problem.
    let entries: Vec<RateEntry> = RateTable::seeded()
        .entries()
        .iter()
        .filter(|e| !(e.year == 2025 && e.half == Half::H2))
        .cloned()
        .collect();
    let table = RateTable::new(entries).unwrap();
    let claim = b2b(vec![inv(1, ymd(2025, 6, 20), "1000")], vec![]);
    let err = statement(&claim, ymd(2026, 3, 1), &table).unwrap_err();
    assert_eq!(
        err,
        ClaimError::MissingRate {
            year: 2025,
            half: Half::H2
        }
    );
    assert_eq!(err.to_string(), "no interest rate entered for 2025 H2");
}

#[test]
fn contractual_rate_below_the_floor_is_raised_to_three_times_the_legal_rate() {
    // 2024 H1: floor 3 × 5.07 = 15.21 %. Contract says 10 %. Due 31/01/2024, as of 01/03/2024:
    // 01/02..01/03 = 29 + 1 = 30 days: 10 000 × 15.21 × 30 / 36 500 = 125.0136… → 125.01.
    let mut claim = b2b(vec![inv(1, ymd(2024, 1, 31), "10000")], vec![]);
    claim.contractual_rate = Some(d("10"));
    let s = statement(&claim, ymd(2024, 3, 1), &RateTable::seeded()).unwrap();
    assert_eq!(line(&s, 1).interest_periods[0].rate, d("15.21"));
    assert_eq!(line(&s, 1).interest_total, d("125.01"));
    // A contractual rate above the floor applies as is: 20 % × 30 days = 164.3835… → 164.38.
    claim.contractual_rate = Some(d("20"));
    let s = statement(&claim, ymd(2024, 3, 1), &RateTable::seeded()).unwrap();
    assert_eq!(line(&s, 1).interest_total, d("164.38"));
}

#[test]
fn paid_before_intake_reduces_the_base_from_the_start() {
    // 10 000 with 2 700 paid before intake: base 7 300. Due 28/02/2025, as of 30/03 (30 days):
    // 7 300 × 13.15 × 30 / 36 500 = 78.90.
    let mut i = inv(1, ymd(2025, 2, 28), "10000");
    i.paid_before_intake = d("2700");
    let s = statement(
        &b2b(vec![i], vec![]),
        ymd(2025, 3, 30),
        &RateTable::seeded(),
    )
    .unwrap();
    let l = line(&s, 1);
    assert_eq!(l.interest_total, d("78.90"));
    assert_eq!(
        (l.principal_paid, l.principal_outstanding),
        (d("2700"), d("7300"))
    );
    assert_eq!(l.total_due, d("7418.90"));
}

#[test]
fn period_interest_rounds_half_away_from_zero() {
    use super::super::allocation::period_interest;
    // 730 × 0.25 × 1 / 36 500 = 0.005 exactly → 0.01; 730 × 0.75 / 36 500 = 0.015 → 0.02.
    assert_eq!(period_interest(d("730"), d("0.25"), 1).unwrap(), d("0.01"));
    assert_eq!(period_interest(d("730"), d("0.75"), 1).unwrap(), d("0.02"));
    assert_eq!(
        period_interest(d("730"), d("0.2499"), 1).unwrap(),
        d("0.00")
    );
}
