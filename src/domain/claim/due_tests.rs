//! Only what is due is demanded (C. civ. 1344, CPC 1405), equal debts shared pro rata
//! (C. civ. 1342-10, last rule) and the legal rate raised after an enforceable decision
//! (C. mon. fin. L313-3). Figures by hand: base × rate × days / 36 500, rounded to the cent.

use super::fixtures::*;
use super::*;

#[test]
fn an_invoice_not_yet_due_is_totalled_apart_from_what_is_demanded() {
    // A: 1 000 due 15/01/2026; B: 500 due 15/03/2026, two months later. As of 31/01/2026:
    // A is late 16/01..31/01 = 16 days: 1 000 × 12.15 × 16 / 36 500 = 5.3260… → 5.33,
    // plus the 40 € indemnity: 1 045.33 demanded. B is still to fall due: 500, apart.
    let claim = b2b(
        vec![
            inv(1, ymd(2026, 1, 15), "1000"),
            inv(2, ymd(2026, 3, 15), "500"),
        ],
        vec![],
    );
    let s = statement(&claim, ymd(2026, 1, 31), &RateTable::seeded()).unwrap();
    assert!(!line(&s, 1).to_fall_due);
    assert!(line(&s, 2).to_fall_due);
    assert_eq!(
        s.totals.due,
        DueTotals {
            principal: d("1000"),
            interest: d("5.33"),
            indemnity: d("40"),
            total: d("1045.33"),
        }
    );
    assert_eq!(s.totals.to_fall_due, d("500"));
    // The account as a whole still holds both (what the debtor owes, due or not).
    assert_eq!(s.totals.total_due, d("1545.33"));
    let apart: Vec<&str> = s.to_fall_due_lines().map(|l| l.number.as_str()).collect();
    assert_eq!(apart, ["F-2"]);
    let due: Vec<&str> = s.due_lines().map(|l| l.number.as_str()).collect();
    assert_eq!(due, ["F-1"]);
}

#[test]
fn an_invoice_is_demanded_from_the_day_after_its_due_date() {
    let claim = b2b(vec![inv(2, ymd(2026, 3, 15), "500")], vec![]);
    // On its due date the debtor still pays in time: nothing is demanded.
    let s = statement(&claim, ymd(2026, 3, 15), &RateTable::seeded()).unwrap();
    assert!(line(&s, 2).to_fall_due);
    assert_eq!(s.totals.due.total, d("0"));
    assert_eq!(s.totals.to_fall_due, d("500"));
    // The next day it is late: 1 day × 500 × 12.15 / 36 500 = 0.1664… → 0.17, + 40.
    let s = statement(&claim, ymd(2026, 3, 16), &RateTable::seeded()).unwrap();
    assert!(!line(&s, 2).to_fall_due);
    assert_eq!(s.totals.due.total, d("540.17"));
    assert_eq!(s.totals.to_fall_due, d("0"));
    assert!(is_due_on(ymd(2026, 3, 15), ymd(2026, 3, 16)));
    assert!(!is_due_on(ymd(2026, 3, 15), ymd(2026, 3, 15)));
}

#[test]
fn a_payment_meeting_invoices_no_rule_separates_is_shared_in_proportion() {
    // 600 and 400, same due date 15/01/2025, same issue date; 500 paid that day, unnamed.
    // Nothing is late yet: shares 500 × 600 / 1 000 = 300 and 500 × 400 / 1 000 = 200.
    let claim = b2b(
        vec![
            inv(1, ymd(2025, 1, 15), "600"),
            inv(2, ymd(2025, 1, 15), "400"),
        ],
        vec![pay(10, ymd(2025, 1, 15), "500", None)],
    );
    let s = statement(&claim, ymd(2025, 1, 15), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "0", "0", "300"), alloc(10, 2, "0", "0", "200")]
    );
}

#[test]
fn the_cent_a_pro_rata_share_leaves_over_goes_to_the_first_invoice_in_input_order() {
    // Three invoices of 100 € due the same day; 100 € paid: 33.333… each, rounded down to
    // 33.33 (99.99 given); the cent left goes to the first invoice listed: 33.34.
    let claim = b2b(
        vec![
            inv(3, ymd(2025, 1, 15), "100"),
            inv(1, ymd(2025, 1, 15), "100"),
            inv(2, ymd(2025, 1, 15), "100"),
        ],
        vec![pay(10, ymd(2025, 1, 15), "100", None)],
    );
    let s = statement(&claim, ymd(2025, 1, 15), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![
            alloc(10, 3, "0", "0", "33.34"),
            alloc(10, 1, "0", "0", "33.33"),
            alloc(10, 2, "0", "0", "33.33"),
        ]
    );
    let total: Decimal = s.payments[0]
        .allocations
        .iter()
        .map(Allocation::total)
        .sum();
    assert_eq!(total, d("100"));
}

#[test]
fn a_pro_rata_share_pays_each_invoice_indemnity_then_interest_then_principal() {
    // Two invoices of 1 000 due 31/01/2025; 1 000 paid 02/03/2025 (30 days late).
    // Each owes 40 + 1 000 × 13.15 × 30 / 36 500 (= 10.808… → 10.81) + 1 000 = 1 050.81;
    // shares 1 000 × 1 050.81 / 2 101.62 = 500 each = 40 + 10.81 + 449.19.
    let claim = b2b(
        vec![
            inv(1, ymd(2025, 1, 31), "1000"),
            inv(2, ymd(2025, 1, 31), "1000"),
        ],
        vec![pay(10, ymd(2025, 3, 2), "1000", None)],
    );
    let s = statement(&claim, ymd(2025, 3, 2), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![
            alloc(10, 1, "40", "10.81", "449.19"),
            alloc(10, 2, "40", "10.81", "449.19"),
        ]
    );
}

#[test]
fn the_older_issue_date_still_goes_first_when_due_dates_are_equal() {
    // Same due date, but B was issued earlier: the oldest debt is paid first, no sharing.
    let mut a = inv(1, ymd(2025, 1, 15), "600");
    let mut b = inv(2, ymd(2025, 1, 15), "400");
    a.issue_date = ymd(2024, 12, 20);
    b.issue_date = ymd(2024, 12, 1);
    let claim = b2b(vec![a, b], vec![pay(10, ymd(2025, 1, 15), "500", None)]);
    let s = statement(&claim, ymd(2025, 1, 15), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 2, "0", "0", "400"), alloc(10, 1, "0", "0", "100")]
    );
}

#[test]
fn the_legal_rate_rises_by_five_points_two_months_after_the_title_is_enforceable() {
    // Consumer; notice 31/12/2025, so interest from 01/01/2026; 1 000 due 01/12/2025.
    // The order is enforceable on 16/01/2026; two months end on 16/03/2026, so the raised
    // rate applies from 17/03/2026 (C. mon. fin. L313-3).
    // 01/01..16/03 = 31 + 28 + 16 = 75 days at 2.62 %: 1 000 × 2.62 × 75 / 36 500 = 5.3835… → 5.38
    // 17/03..31/03 = 15 days at 7.62 %: 1 000 × 7.62 × 15 / 36 500 = 3.1315… → 3.13
    let mut claim = b2c(
        Some(ymd(2025, 12, 31)),
        vec![inv(1, ymd(2025, 12, 1), "1000")],
    );
    claim.title_enforceable_on = Some(ymd(2026, 1, 16));
    let s = statement(&claim, ymd(2026, 3, 31), &RateTable::seeded()).unwrap();
    let l = line(&s, 1);
    let periods: Vec<(NaiveDate, NaiveDate, i64, Decimal, Decimal)> = l
        .interest_periods
        .iter()
        .map(|p| (p.from, p.to, p.days, p.rate, p.amount))
        .collect();
    assert_eq!(
        periods,
        vec![
            (ymd(2026, 1, 1), ymd(2026, 3, 16), 75, d("2.62"), d("5.38")),
            (ymd(2026, 3, 17), ymd(2026, 3, 31), 15, d("7.62"), d("3.13")),
        ]
    );
    assert_eq!(l.interest_total, d("8.51"));
}

#[test]
fn the_five_points_never_apply_to_the_b2b_rate() {
    // B2B, 1 000 due 01/12/2025, same enforceable title: ECB + 10 = 12.15 % throughout,
    // cut only at 31/12: 02/12..31/12 = 30 days → 9.99 (1 000 × 12.15 × 30 / 36 500 = 9.986…);
    // 01/01..31/03 = 90 days → 29.96 (1 000 × 12.15 × 90 / 36 500 = 29.958…).
    let mut claim = b2b(vec![inv(1, ymd(2025, 12, 1), "1000")], vec![]);
    claim.title_enforceable_on = Some(ymd(2026, 1, 16));
    let s = statement(&claim, ymd(2026, 3, 31), &RateTable::seeded()).unwrap();
    let amounts: Vec<(Decimal, Decimal)> = line(&s, 1)
        .interest_periods
        .iter()
        .map(|p| (p.rate, p.amount))
        .collect();
    assert_eq!(
        amounts,
        vec![(d("12.15"), d("9.99")), (d("12.15"), d("29.96"))]
    );
}

#[test]
fn the_two_months_end_on_the_months_last_day_when_it_has_no_such_day() {
    // 31/12/2025 + 2 months = 28/02/2026 (no 31 February): raised from 01/03/2026.
    assert_eq!(
        legal_rate_raised_from(ymd(2025, 12, 31)),
        Ok(ymd(2026, 3, 1))
    );
    assert_eq!(
        legal_rate_raised_from(ymd(2026, 1, 16)),
        Ok(ymd(2026, 3, 17))
    );
}
