//! Shared builders for the claim tests.

pub(super) use super::super::rates::{Half, RateEntry};
use super::*;
use std::str::FromStr;

pub(super) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}
pub(super) fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
pub(super) fn inv(id: i64, due: NaiveDate, amount: &str) -> InvoiceInput {
    InvoiceInput {
        id,
        number: format!("F-{id}"),
        issue_date: due - chrono::Days::new(30),
        due_date: due,
        amount: d(amount),
        paid_before_intake: Decimal::ZERO,
    }
}
pub(super) fn pay(id: i64, date: NaiveDate, amount: &str, invoice_id: Option<i64>) -> PaymentInput {
    PaymentInput {
        id,
        date,
        amount: d(amount),
        invoice_id,
    }
}
pub(super) fn b2b(invoices: Vec<InvoiceInput>, payments: Vec<PaymentInput>) -> ClaimInput {
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
pub(super) fn b2c(notice: Option<NaiveDate>, invoices: Vec<InvoiceInput>) -> ClaimInput {
    ClaimInput {
        kind: ClaimKind::B2C,
        formal_notice_date: notice,
        ..b2b(invoices, vec![])
    }
}
/// 2018 H1 as published: ECB 0.00 %, legal rates 3.73 % / 0.89 %.
pub(super) fn table_2018() -> RateTable {
    RateTable::new(vec![RateEntry {
        year: 2018,
        half: Half::H1,
        ecb_rate: d("0"),
        legal_rate_private_creditor: d("3.73"),
        legal_rate_other: d("0.89"),
    }])
    .unwrap()
}
pub(super) fn line(s: &Statement, invoice_id: i64) -> &InvoiceStatement {
    s.invoices
        .iter()
        .find(|l| l.invoice_id == invoice_id)
        .unwrap()
}
pub(super) fn alloc(
    payment_id: i64,
    invoice_id: i64,
    ind: &str,
    int: &str,
    pr: &str,
) -> Allocation {
    Allocation {
        payment_id,
        invoice_id,
        to_indemnity: d(ind),
        to_interest: d(int),
        to_principal: d(pr),
    }
}
