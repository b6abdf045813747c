//! Times `statement` on a case of 200 invoices and 100 payments
//! (`cargo bench --bench statement`). Plain `Instant`, no framework.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use recouvra::domain::claim::{statement, ClaimInput, ClaimKind, InvoiceInput, PaymentInput};
use recouvra::domain::rates::RateTable;
use rust_decimal::Decimal;

/// 200 invoices due over 2023–2025 and 100 payments, a fifth designated.
fn case(start: NaiveDate) -> ClaimInput {
    let invoices = (0..200u64)
        .map(|i| {
            let due = start + Days::new(i * 5 + 1);
            InvoiceInput {
                id: i as i64,
                number: format!("F-{i}"),
                issue_date: due - Days::new(30),
                due_date: due,
                amount: Decimal::new(100_000 + (i as i64 * 7_919) % 900_000, 2),
                paid_before_intake: Decimal::ZERO,
            }
        })
        .collect();
    let payments = (0..100u64)
        .map(|k| PaymentInput {
            id: 1_000 + k as i64,
            date: start + Days::new(k * 12 + 20),
            amount: Decimal::new(300_000 + (k as i64 * 104_729) % 700_000, 2),
            invoice_id: (k % 5 == 0).then_some(((k * 37) % 200) as i64),
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

fn main() {
    let (Some(start), Some(as_of)) = (
        NaiveDate::from_ymd_opt(2023, 1, 1),
        NaiveDate::from_ymd_opt(2026, 6, 30),
    ) else {
        return;
    };
    let claim = case(start);
    let rates = RateTable::seeded();
    let periods = match statement(&claim, as_of, &rates) {
        Ok(s) => s
            .invoices
            .iter()
            .map(|l| l.interest_periods.len())
            .sum::<usize>(),
        Err(e) => {
            eprintln!("statement failed: {e}");
            return;
        }
    };
    let warmup = 50;
    let runs = 500u32;
    for _ in 0..warmup {
        let _ = black_box(statement(black_box(&claim), as_of, &rates));
    }
    let t = Instant::now();
    for _ in 0..runs {
        let _ = black_box(statement(black_box(&claim), as_of, &rates));
    }
    let mean = t.elapsed() / runs;
    println!(
        "statement: 200 invoices, 100 payments, {periods} interest periods: mean {:.1} µs over {runs} runs",
        mean.as_secs_f64() * 1e6
    );
}
