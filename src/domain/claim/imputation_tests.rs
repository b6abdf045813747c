//! Imputation of payments and input validation, with hand-computed figures.
//! Every interest figure is base × rate × days / 36 500, rounded to the cent
//! half away from zero; the arithmetic is in each test's comment.

use super::fixtures::*;
use super::*;

#[test]
fn partial_payment_pays_indemnity_then_interest_then_principal() {
    // Due 31/01/2025; 3 000 paid 02/03/2025 (01/02..02/03 = 28 + 2 = 30 days).
    // Period 1: 10 000 × 13.15 × 30 / 36 500 = 108.08.
    // 3 000 = 40 + 108.08 + 2 851.92 → base 7 148.08 from 03/03.
    // Period 2: 03/03..01/04 = 29 + 1 = 30 days: 7 148.08 × 13.15 × 30 / 36 500 = 77.2580… → 77.26.
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 31), "10000")],
        vec![pay(10, ymd(2025, 3, 2), "3000", None)],
    );
    let s = statement(&claim, ymd(2025, 4, 1), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "40", "108.08", "2851.92")]
    );
    let l = line(&s, 1);
    assert_eq!(l.interest_periods.len(), 2);
    assert_eq!(l.interest_periods[0].to, ymd(2025, 3, 2));
    assert_eq!(l.interest_periods[1].from, ymd(2025, 3, 3));
    assert_eq!(l.interest_periods[1].base, d("7148.08"));
    assert_eq!(l.interest_periods[1].amount, d("77.26"));
    assert_eq!(l.interest_total, d("185.34"));
    assert_eq!(l.interest_paid, d("108.08"));
    assert_eq!(l.interest_outstanding, d("77.26"));
    assert_eq!(
        (l.indemnity, l.indemnity_paid, l.indemnity_outstanding),
        (d("40"), d("40"), d("0"))
    );
    assert_eq!(l.principal_paid, d("2851.92"));
    assert_eq!(l.principal_outstanding, d("7148.08"));
    // 7 148.08 + 77.26 = 7 225.34
    assert_eq!(l.total_due, d("7225.34"));
}

#[test]
fn payment_covering_only_interest_cuts_the_period_at_the_same_base() {
    // Due 31/01/2025; 100 paid 02/03/2025: 40 indemnity + 60 of the 108.08 interest.
    // Then 03/03..01/04 (30 days) on the unchanged 10 000: 108.08 again.
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 31), "10000")],
        vec![pay(10, ymd(2025, 3, 2), "100", None)],
    );
    let s = statement(&claim, ymd(2025, 4, 1), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "40", "60", "0")]
    );
    let l = line(&s, 1);
    assert_eq!(l.interest_periods.len(), 2);
    assert_eq!(l.interest_periods[1].base, d("10000"));
    assert_eq!(l.interest_total, d("216.16"));
    // 216.16 − 60 = 156.16 interest left; no interest on interest (C. civ. 1343-2).
    assert_eq!(l.interest_outstanding, d("156.16"));
    assert_eq!(l.total_due, d("10156.16"));
}

#[test]
fn payment_larger_than_the_oldest_invoice_spills_to_the_next_oldest() {
    // A: 1 000 due 10/01/2025; B: 2 000 due 20/01/2025 (listed first, but younger).
    // 1 500 paid 09/02/2025.
    // A: 11/01..09/02 = 21 + 9 = 30 days: 1 000 × 13.15 × 30 / 36 500 = 10.808… → 10.81;
    //    takes 40 + 10.81 + 1 000 = 1 050.81, leaves 449.19.
    // B: 21/01..09/02 = 11 + 9 = 20 days: 2 000 × 13.15 × 20 / 36 500 = 14.4109… → 14.41;
    //    takes 40 + 14.41 + 394.78.
    let claim = b2b(
        vec![
            inv(2, ymd(2025, 1, 20), "2000"),
            inv(1, ymd(2025, 1, 10), "1000"),
        ],
        vec![pay(10, ymd(2025, 2, 9), "1500", None)],
    );
    let s = statement(&claim, ymd(2025, 2, 9), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![
            alloc(10, 1, "40", "10.81", "1000"),
            alloc(10, 2, "40", "14.41", "394.78")
        ]
    );
    assert_eq!(s.payments[0].unallocated, Decimal::ZERO);
    assert_eq!(line(&s, 1).total_due, Decimal::ZERO);
    assert_eq!(line(&s, 2).principal_outstanding, d("1605.22"));
    assert_eq!(s.totals.total_due, d("1605.22"));
    // Statement lines keep the input order.
    assert_eq!(s.invoices[0].invoice_id, 2);
}

#[test]
fn payment_designated_by_the_debtor_goes_to_that_invoice_first() {
    // Same invoices; 1 500 designated to B (the younger): 40 + 14.41 + 1 445.59.
    let claim = b2b(
        vec![
            inv(1, ymd(2025, 1, 10), "1000"),
            inv(2, ymd(2025, 1, 20), "2000"),
        ],
        vec![pay(10, ymd(2025, 2, 9), "1500", Some(2))],
    );
    let s = statement(&claim, ymd(2025, 2, 9), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 2, "40", "14.41", "1445.59")]
    );
    assert_eq!(line(&s, 1).principal_outstanding, d("1000"));

    // 2 100 designated to B: B takes 2 054.41, the 45.59 left goes to A: 40 + 5.59.
    let claim = b2b(
        vec![
            inv(1, ymd(2025, 1, 10), "1000"),
            inv(2, ymd(2025, 1, 20), "2000"),
        ],
        vec![pay(10, ymd(2025, 2, 9), "2100", Some(2))],
    );
    let s = statement(&claim, ymd(2025, 2, 9), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![
            alloc(10, 2, "40", "14.41", "2000"),
            alloc(10, 1, "40", "5.59", "0")
        ]
    );
}

#[test]
fn excess_payment_is_reported_unallocated_and_matches_the_balance() {
    // As of 09/02/2025 the single invoice owes 1 000 + 10.81 + 40 = 1 050.81.
    let no_payment = b2b(vec![inv(1, ymd(2025, 1, 10), "1000")], vec![]);
    let rates = RateTable::seeded();
    assert_eq!(
        balance_as_of(&no_payment, ymd(2025, 2, 9), &rates).unwrap(),
        d("1050.81")
    );
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 10), "1000")],
        vec![pay(10, ymd(2025, 2, 9), "2000", None)],
    );
    let s = statement(&claim, ymd(2025, 6, 30), &rates).unwrap();
    assert_eq!(s.payments[0].unallocated, d("949.19"));
    assert_eq!(s.totals.unallocated, d("949.19"));
    assert_eq!(s.totals.total_due, Decimal::ZERO);
    // Fully paid: no interest after the payment day.
    assert_eq!(line(&s, 1).interest_periods.len(), 1);
}

#[test]
fn invoice_paid_on_time_bears_nothing() {
    let claim = b2b(
        vec![inv(1, ymd(2025, 3, 31), "1000")],
        vec![pay(10, ymd(2025, 3, 31), "1000", None)],
    );
    let s = statement(&claim, ymd(2025, 6, 30), &RateTable::seeded()).unwrap();
    let l = line(&s, 1);
    assert!(l.interest_periods.is_empty());
    assert_eq!(l.indemnity, Decimal::ZERO);
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "0", "0", "1000")]
    );
}

#[test]
fn early_partial_payment_goes_to_principal_and_the_rest_becomes_late() {
    // 1 000 due 31/03/2025; 400 paid 15/03 (not late: no indemnity, no interest yet).
    // From 01/04: base 600; as of 30/04 = 30 days: 600 × 13.15 × 30 / 36 500 = 6.4849… → 6.48.
    let claim = b2b(
        vec![inv(1, ymd(2025, 3, 31), "1000")],
        vec![pay(10, ymd(2025, 3, 15), "400", None)],
    );
    let s = statement(&claim, ymd(2025, 4, 30), &RateTable::seeded()).unwrap();
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "0", "0", "400")]
    );
    let l = line(&s, 1);
    assert_eq!(l.interest_periods[0].base, d("600"));
    assert_eq!(l.interest_total, d("6.48"));
    assert_eq!(l.indemnity, d("40"));
    // 600 + 6.48 + 40
    assert_eq!(l.total_due, d("646.48"));
}

#[test]
fn indemnity_is_owed_once_per_invoice_however_many_payments() {
    // Due 31/01/2025; 50 paid on 10/02, 20/02 and 02/03: only the first pays the indemnity.
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 31), "10000")],
        vec![
            pay(10, ymd(2025, 2, 10), "50", None),
            pay(11, ymd(2025, 2, 20), "50", None),
            pay(12, ymd(2025, 3, 2), "50", None),
        ],
    );
    let s = statement(&claim, ymd(2025, 3, 2), &RateTable::seeded()).unwrap();
    assert_eq!(line(&s, 1).indemnity, d("40"));
    let to_indemnity: Decimal = s.allocations().map(|a| a.to_indemnity).sum();
    assert_eq!(to_indemnity, d("40"));
    // Periods: 01/02..10/02 (10 d), 11/02..20/02 (10 d), 21/02..02/03 (10 d), all on 10 000
    // (the payments never reach the principal): 10 000 × 13.15 × 10 / 36 500 = 36.027… → 36.03 each.
    let amounts: Vec<Decimal> = line(&s, 1)
        .interest_periods
        .iter()
        .map(|p| p.amount)
        .collect();
    assert_eq!(amounts, vec![d("36.03"), d("36.03"), d("36.03")]);
    // Each payment pays only the interest accrued up to its day:
    // 10/02: 40 indemnity + 10 of the first 36.03;
    // 20/02: 26.03 + 23.97 of the second 36.03 (interest only);
    // 02/03: 12.06 + 36.03 = 48.09 of interest, then 1.91 of principal.
    assert_eq!(
        s.payments
            .iter()
            .map(|p| p.allocations[0].clone())
            .collect::<Vec<_>>(),
        vec![
            alloc(10, 1, "40", "10", "0"),
            alloc(11, 1, "0", "50", "0"),
            alloc(12, 1, "0", "48.09", "1.91"),
        ]
    );
}

#[test]
fn payments_after_the_statement_date_are_left_out() {
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 10), "1000")],
        vec![
            pay(10, ymd(2025, 2, 9), "100", None),
            pay(11, ymd(2025, 3, 1), "100", None),
        ],
    );
    let s = statement(&claim, ymd(2025, 2, 20), &RateTable::seeded()).unwrap();
    assert_eq!(s.payments.len(), 1);
    assert_eq!(s.payments_after_as_of, vec![11]);
    assert_eq!(s.totals.payments_received, d("100"));
}

#[test]
fn payments_are_taken_in_date_order_whatever_the_input_order() {
    let claim = b2b(
        vec![inv(1, ymd(2025, 1, 10), "1000")],
        vec![
            pay(11, ymd(2025, 3, 1), "100", None),
            pay(10, ymd(2025, 2, 9), "100", None),
        ],
    );
    let s = statement(&claim, ymd(2025, 3, 1), &RateTable::seeded()).unwrap();
    assert_eq!(s.payments[0].payment_id, 10);
    // The first pays 40 + 10.81 + 49.19: the indemnity went to the earlier payment.
    assert_eq!(
        s.payments[0].allocations,
        vec![alloc(10, 1, "40", "10.81", "49.19")]
    );
}

#[test]
fn invalid_inputs_are_refused_with_a_typed_error() {
    let rates = RateTable::seeded();
    let day = ymd(2025, 3, 1);
    let dup = b2b(vec![inv(1, day, "1"), inv(1, day, "2")], vec![]);
    assert_eq!(
        statement(&dup, day, &rates).unwrap_err(),
        ClaimError::DuplicateInvoice { invoice_id: 1 }
    );
    let unknown = b2b(vec![inv(1, day, "1")], vec![pay(10, day, "1", Some(7))]);
    assert_eq!(
        statement(&unknown, day, &rates).unwrap_err(),
        ClaimError::UnknownInvoice {
            payment_id: 10,
            invoice_id: 7
        }
    );
    let dup_pay = b2b(
        vec![inv(1, day, "1")],
        vec![pay(10, day, "1", None), pay(10, day, "2", None)],
    );
    assert_eq!(
        statement(&dup_pay, day, &rates).unwrap_err(),
        ClaimError::DuplicatePayment { payment_id: 10 }
    );
    for bad in ["-1", "0.001", "10000000000000.01"] {
        let c = b2b(vec![inv(1, day, bad)], vec![]);
        assert!(
            matches!(
                statement(&c, day, &rates),
                Err(ClaimError::InvalidInvoice { .. })
            ),
            "{bad}"
        );
    }
    let mut over = inv(1, day, "100");
    over.paid_before_intake = d("100.01");
    assert!(matches!(
        statement(&b2b(vec![over], vec![]), day, &rates),
        Err(ClaimError::InvalidInvoice { .. })
    ));
    for bad in ["0", "-5", "1.001"] {
        let c = b2b(vec![inv(1, day, "1")], vec![pay(10, day, bad, None)]);
        assert!(
            matches!(
                statement(&c, day, &rates),
                Err(ClaimError::InvalidPayment { .. })
            ),
            "{bad}"
        );
    }
    let mut c = b2b(vec![inv(1, day, "1")], vec![]);
    c.contractual_rate = Some(d("-1"));
    assert_eq!(
        statement(&c, day, &rates).unwrap_err(),
        ClaimError::InvalidContractualRate
    );
    assert_eq!(MAX_AMOUNT, d("10000000000000"));
}

#[test]
fn statement_of_200_invoices_and_100_payments_adds_up() {
    let claim = super::proptests::big_claim(200, 100);
    let s = statement(&claim, ymd(2026, 6, 30), &RateTable::seeded()).unwrap();
    super::proptests::check_invariants(&claim, &s);
    assert_eq!(s.invoices.len(), 200);
    assert_eq!(s.payments.len(), 100);
    assert!(s.totals.interest_total > Decimal::ZERO);
}
