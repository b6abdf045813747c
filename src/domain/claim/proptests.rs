//! Invariants of the statement engine, checked on a large generated case and
//! on random cases with proptest.

use super::super::money as crate_money;
use super::super::rates;
use super::*;
use chrono::Datelike;
use proptest::prelude::*;

/// 1 January 2023, the first day of the seeded rate table.
fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}
fn day(offset: u64) -> NaiveDate {
    day0() + chrono::Days::new(offset)
}
/// Last day covered by the seeded table (30 June 2026) as an offset from `day0`.
const LAST_OFFSET: u64 = 1276;

/// A deterministic case of `n_inv` invoices and `n_pay` payments spread over
/// 2023–2026, some payments designating an invoice.
pub(super) fn big_claim(n_inv: usize, n_pay: usize) -> ClaimInput {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |modulo: u64| {
        // xorshift64*: deterministic, good enough to spread test data.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D) % modulo
    };
    let invoices = (0..n_inv)
        .map(|i| {
            let due = day(next(1100));
            let cents = 1_000 + next(5_000_000) as i64;
            InvoiceInput {
                id: 1_000 + i as i64,
                number: format!("F-{i}"),
                issue_date: due - chrono::Days::new(30),
                due_date: due,
                amount: Decimal::new(cents, 2),
                paid_before_intake: Decimal::new(if i % 7 == 0 { cents / 3 } else { 0 }, 2),
            }
        })
        .collect();
    let payments = (0..n_pay)
        .map(|k| PaymentInput {
            id: 5_000 + k as i64,
            date: day(next(LAST_OFFSET + 1)),
            amount: Decimal::new(100 + next(3_000_000) as i64, 2),
            invoice_id: if k % 5 == 0 {
                Some(1_000 + next(n_inv as u64) as i64)
            } else {
                None
            },
        })
        .collect();
    ClaimInput {
        kind: ClaimKind::B2B,
        creditor_is_private_person: false,
        contractual_rate: None,
        formal_notice_date: None,
        title_enforceable_on: None,
        interest_stops_on: None,
        invoices,
        payments,
    }
}

/// Checks every invariant a statement must satisfy.
pub(super) fn check_invariants(claim: &ClaimInput, s: &Statement) {
    let zero = Decimal::ZERO;
    // Each payment is fully accounted for: allocations + unallocated = amount.
    for p in &s.payments {
        let allocated: Decimal = p.allocations.iter().map(Allocation::total).sum();
        assert_eq!(
            allocated + p.unallocated,
            p.amount,
            "payment {}",
            p.payment_id
        );
        assert!(p.unallocated >= zero);
        for a in &p.allocations {
            assert!(a.to_indemnity >= zero && a.to_interest >= zero && a.to_principal >= zero);
        }
    }
    let taken = s.payments.len() + s.payments_after_as_of.len();
    assert_eq!(taken, claim.payments.len());

    let mut sum = StatementTotals::default();
    for (l, inv) in s.invoices.iter().zip(&claim.invoices) {
        assert_eq!(l.invoice_id, inv.id);
        assert!(l.principal_outstanding >= zero, "invoice {}", l.invoice_id);
        assert!(l.interest_outstanding >= zero, "invoice {}", l.invoice_id);
        assert!(l.indemnity_outstanding >= zero, "invoice {}", l.invoice_id);
        assert!(l.indemnity == zero || l.indemnity == Decimal::from(40));
        assert_eq!(
            l.principal_original,
            l.principal_paid + l.principal_outstanding
        );
        assert_eq!(l.interest_outstanding, l.interest_total - l.interest_paid);
        assert_eq!(l.indemnity_outstanding, l.indemnity - l.indemnity_paid);
        assert_eq!(
            l.total_due,
            l.principal_outstanding + l.interest_outstanding + l.indemnity_outstanding
        );
        let period_sum: Decimal = l.interest_periods.iter().map(|p| p.amount).sum();
        assert_eq!(l.interest_total, period_sum);
        for w in l.interest_periods.windows(2) {
            assert_eq!(
                w[0].to.succ_opt(),
                Some(w[1].from),
                "periods are contiguous"
            );
            assert!(w[1].base <= w[0].base, "the base only decreases");
        }
        for p in &l.interest_periods {
            assert_eq!(p.days, (p.to - p.from).num_days() + 1);
            assert!(p.days >= 1 && p.to <= s.as_of && p.from > inv.due_date);
            assert_eq!(rates::Half::of(p.from), rates::Half::of(p.to));
            assert_eq!(p.from.year(), p.to.year());
            assert_eq!(p.amount, crate_money::round_cents(p.amount));
        }
        // What the allocations say matches what the line shows.
        let mine = s.allocations().filter(|a| a.invoice_id == l.invoice_id);
        let (mut ind, mut int, mut pr) = (zero, zero, zero);
        for a in mine {
            ind += a.to_indemnity;
            int += a.to_interest;
            pr += a.to_principal;
        }
        assert_eq!(ind, l.indemnity_paid);
        assert_eq!(int, l.interest_paid);
        assert_eq!(pr + l.paid_before_intake, l.principal_paid);

        sum.principal_original += l.principal_original;
        sum.principal_paid += l.principal_paid;
        sum.principal_outstanding += l.principal_outstanding;
        sum.interest_total += l.interest_total;
        sum.interest_paid += l.interest_paid;
        sum.interest_outstanding += l.interest_outstanding;
        sum.indemnity += l.indemnity;
        sum.indemnity_paid += l.indemnity_paid;
        sum.indemnity_outstanding += l.indemnity_outstanding;
        sum.total_due += l.total_due;
        // Only what is due is demanded: a line is due or to fall due, never both.
        assert_eq!(l.to_fall_due, l.due_date >= s.as_of);
        if l.to_fall_due {
            assert_eq!(
                l.total_due, l.principal_outstanding,
                "no interest before the due date"
            );
            sum.to_fall_due += l.total_due;
        } else {
            sum.due.principal += l.principal_outstanding;
            sum.due.interest += l.interest_outstanding;
            sum.due.indemnity += l.indemnity_outstanding;
            sum.due.total += l.total_due;
        }
    }
    assert_eq!(sum.due.total + sum.to_fall_due, sum.total_due);
    sum.payments_received = s.payments.iter().map(|p| p.amount).sum();
    sum.unallocated = s.payments.iter().map(|p| p.unallocated).sum();
    // Totals are the sums of the lines shown.
    assert_eq!(sum, s.totals);
    // Money in = money imputed + money left over.
    let imputed: Decimal = s.allocations().map(Allocation::total).sum();
    assert_eq!(s.totals.payments_received, imputed + s.totals.unallocated);
    // A payment only has an excess once everything is settled, for good.
    if s.totals.unallocated > zero {
        assert_eq!(s.totals.total_due, zero);
    }
}

fn arb_claim() -> impl Strategy<Value = (ClaimInput, NaiveDate)> {
    // A third of the invoices share one due (and issue) date, so payments often meet
    // invoices no rule separates and are shared pro rata (C. civ. 1342-10).
    let due = (0..=1100u64).prop_map(|x| if x % 3 == 0 { 400 } else { x });
    let invoice = (due, 1i64..10_000_000, 0u8..4);
    let payment = (
        0..=LAST_OFFSET,
        1i64..20_000_000,
        proptest::option::of(0usize..8),
    );
    (
        prop::collection::vec(invoice, 1..8),
        prop::collection::vec(payment, 0..10),
        any::<bool>(),
        proptest::option::of(0i64..3_000),
        proptest::option::of(0..=LAST_OFFSET),
        0..=LAST_OFFSET,
        proptest::option::of(0..=LAST_OFFSET),
    )
        .prop_map(
            |(invs, pays, b2b, contractual, notice, as_of, enforceable)| {
                let n = invs.len();
                let invoices = invs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (due, cents, part))| InvoiceInput {
                        id: i as i64,
                        number: format!("F{i}"),
                        issue_date: day(due),
                        due_date: day(due),
                        amount: Decimal::new(cents, 2),
                        // 0, ¼, ½ or ¾ paid before intake.
                        paid_before_intake: Decimal::new(cents * i64::from(part) / 4, 2),
                    })
                    .collect();
                let payments = pays
                    .into_iter()
                    .enumerate()
                    .map(|(k, (date, cents, designated))| PaymentInput {
                        id: 100 + k as i64,
                        date: day(date),
                        amount: Decimal::new(cents, 2),
                        invoice_id: designated.map(|x| (x % n) as i64),
                    })
                    .collect();
                let claim = ClaimInput {
                    kind: if b2b { ClaimKind::B2B } else { ClaimKind::B2C },
                    creditor_is_private_person: !b2b && contractual.is_some(),
                    contractual_rate: contractual.map(|h| Decimal::new(h, 2)),
                    formal_notice_date: notice.map(day),
                    title_enforceable_on: enforceable.map(day),
                    interest_stops_on: None,
                    invoices,
                    payments,
                };
                (claim, day(as_of))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn allocations_always_sum_to_the_payment_and_nothing_goes_negative(
        (claim, as_of) in arb_claim()
    ) {
        let s = statement(&claim, as_of, &RateTable::seeded()).unwrap();
        check_invariants(&claim, &s);
    }

    #[test]
    fn the_balance_is_what_settles_the_claim((claim, as_of) in arb_claim()) {
        // Paying exactly the balance on the statement date leaves nothing due
        // and nothing unallocated.
        let rates = RateTable::seeded();
        let balance = balance_as_of(&claim, as_of, &rates).unwrap();
        prop_assume!(balance > Decimal::ZERO);
        let mut settled = claim.clone();
        settled.payments.push(PaymentInput { id: 9_999, date: as_of, amount: balance, invoice_id: None });
        let s = statement(&settled, as_of, &rates).unwrap();
        prop_assert_eq!(s.totals.total_due, Decimal::ZERO);
        prop_assert_eq!(s.totals.unallocated, claim_unallocated(&claim, as_of, &rates));
    }
}

fn claim_unallocated(claim: &ClaimInput, as_of: NaiveDate, rates: &RateTable) -> Decimal {
    statement(claim, as_of, rates).unwrap().totals.unallocated
}
