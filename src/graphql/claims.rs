//! GraphQL types of the claim: statements and the interest rate table.

use chrono::NaiveDate;
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID};

use super::scalars::{id_of, DecimalText};
use crate::domain::claim::{ClaimKind, Statement};
use crate::domain::rates::{Half, RateEntry};

#[derive(GraphQLEnum, Clone, Copy)]
#[graphql(name = "HalfYear")]
pub enum HalfGql {
    H1,
    H2,
}

impl From<HalfGql> for Half {
    fn from(h: HalfGql) -> Half {
        match h {
            HalfGql::H1 => Half::H1,
            HalfGql::H2 => Half::H2,
        }
    }
}

/// The rates of one half-year, in percent.
#[derive(GraphQLObject)]
#[graphql(name = "InterestRate")]
pub struct RateNode {
    pub year: i32,
    pub half: String,
    /// ECB main refinancing rate in force on 1 January / 1 July.
    pub ecb_rate: DecimalText,
    /// B2B default late-payment rate: ECB rate + 10 points (C. com. L441-10 II).
    pub b2b_default_rate: DecimalText,
    /// Legal rate when the creditor is a private person (C. mon. fin. L313-2).
    pub legal_rate_private_creditor: DecimalText,
    /// Legal rate in all other cases.
    pub legal_rate_other: DecimalText,
}

impl From<RateEntry> for RateNode {
    fn from(e: RateEntry) -> Self {
        RateNode {
            year: e.year,
            half: e.half.to_string(),
            b2b_default_rate: (e.ecb_rate + rust_decimal::Decimal::TEN).into(),
            ecb_rate: e.ecb_rate.into(),
            legal_rate_private_creditor: e.legal_rate_private_creditor.into(),
            legal_rate_other: e.legal_rate_other.into(),
        }
    }
}

/// A newly published half-year's rates, in percent (e.g. "2.15").
#[derive(GraphQLInputObject)]
pub struct InterestRateInput {
    pub year: i32,
    pub half: HalfGql,
    pub ecb_rate: DecimalText,
    pub legal_rate_private_creditor: DecimalText,
    pub legal_rate_other: DecimalText,
}

impl InterestRateInput {
    pub fn into_uc(self) -> crate::claims::RateInput {
        crate::claims::RateInput {
            year: self.year,
            half: self.half.into(),
            ecb_rate: self.ecb_rate.0,
            legal_rate_private_creditor: self.legal_rate_private_creditor.0,
            legal_rate_other: self.legal_rate_other.0,
        }
    }
}

/// A stretch of days at one rate on one base.
#[derive(GraphQLObject)]
pub struct InterestPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i32,
    pub base: DecimalText,
    /// Annual rate in percent.
    pub rate: DecimalText,
    /// base × rate × days / 365, rounded to the cent.
    pub amount: DecimalText,
}

/// One invoice's figures as of the statement date.
#[derive(GraphQLObject)]
pub struct InvoiceStatement {
    pub invoice_id: ID,
    pub number: String,
    pub due_date: NaiveDate,
    /// First day bearing interest, if interest runs.
    pub interest_starts: Option<NaiveDate>,
    pub principal_original: DecimalText,
    pub principal_paid: DecimalText,
    pub principal_outstanding: DecimalText,
    pub interest_periods: Vec<InterestPeriod>,
    pub interest_total: DecimalText,
    pub interest_paid: DecimalText,
    pub interest_outstanding: DecimalText,
    /// 40 € per late invoice between professionals (C. com. D441-5).
    pub indemnity: DecimalText,
    pub indemnity_paid: DecimalText,
    pub indemnity_outstanding: DecimalText,
    pub total_due: DecimalText,
    /// Its due date has not passed on the statement date: shown apart ("à échoir"), never
    /// in what is demanded (C. civ. 1344, CPC 1405).
    pub to_fall_due: bool,
}

/// What may be demanded on the statement date: the invoices already due.
#[derive(GraphQLObject)]
pub struct DueTotals {
    pub principal: DecimalText,
    pub interest: DecimalText,
    pub indemnity: DecimalText,
    /// The sum a formal notice or a requête of that day demands.
    pub total: DecimalText,
}

/// Case totals: each is the sum of the invoice lines shown.
#[derive(GraphQLObject)]
pub struct StatementTotals {
    pub principal_original: DecimalText,
    pub principal_paid: DecimalText,
    pub principal_outstanding: DecimalText,
    pub interest_total: DecimalText,
    pub interest_outstanding: DecimalText,
    pub indemnity: DecimalText,
    pub indemnity_outstanding: DecimalText,
    pub payments_received: DecimalText,
    pub total_due: DecimalText,
    /// The part of `totalDue` already due: what the letters and the requête demand.
    pub due: DueTotals,
    /// Principal of the invoices still to fall due (`due.total + toFallDue = totalDue`).
    pub to_fall_due: DecimalText,
}

/// How part of a payment was applied to one invoice (C. civ. 1343-1: indemnity, then
/// interest, then principal).
#[derive(GraphQLObject)]
pub struct PaymentAllocation {
    pub invoice_id: ID,
    pub to_indemnity: DecimalText,
    pub to_interest: DecimalText,
    pub to_principal: DecimalText,
}

/// A payment and its imputation.
#[derive(GraphQLObject)]
pub struct PaymentImputation {
    pub payment_id: ID,
    pub date: NaiveDate,
    pub amount: DecimalText,
    pub allocations: Vec<PaymentAllocation>,
}

/// What the debtor owes as of a date.
#[derive(GraphQLObject)]
#[graphql(name = "Statement")]
pub struct StatementNode {
    pub as_of: NaiveDate,
    /// "B2B" (C. com. L441-10 penalties, 40 € indemnity) or "B2C" (legal interest from the
    /// formal notice, no indemnity).
    pub regime: String,
    pub currency: String,
    pub invoices: Vec<InvoiceStatement>,
    /// Payments received up to the statement date, with their imputation.
    pub payments: Vec<PaymentImputation>,
    pub totals: StatementTotals,
    /// The last day interest is counted: `asOf`, or the rate table's last day when the rates
    /// of a later half-year are not entered yet (never an assumed rate).
    pub interest_until: NaiveDate,
    /// True when interest should run past `interestUntil`: the figures are a floor, and a
    /// formal notice or a requête is refused (`INELIGIBLE`, field `interestIncomplete`) until
    /// the missing half-year is entered.
    pub interest_incomplete: bool,
    /// The half-year whose rates are missing (`2026-H2`), when `interestIncomplete`.
    pub missing_rates: Option<String>,
    /// A sentence for people: "interest stopped at 2026-06-30: the rates of 2026-H2 are not
    /// entered".
    pub interest_warning: Option<String>,
    /// The day a collective proceeding's opening judgment stopped interest (C. com. L622-28):
    /// none is counted from that day on.
    pub interest_stopped_by_judgment_on: Option<NaiveDate>,
}

/// A half-year whose rates must be entered now: from 15 days before it starts until an admin
/// adds them (`addInterestRate`).
#[derive(GraphQLObject)]
pub struct MissingRatesNode {
    /// `2026-H2`.
    pub half_year: String,
    /// Its first day.
    pub starts_on: NaiveDate,
}

impl StatementNode {
    pub fn new(s: Statement, kind: ClaimKind) -> Self {
        let t = s.totals;
        let stop = s.interest_stopped;
        StatementNode {
            interest_until: stop.map_or(s.as_of, |st| st.last_day.min(s.as_of)),
            interest_incomplete: stop.is_some(),
            missing_rates: stop.map(|st| st.missing.label()),
            interest_warning: stop.map(|st| st.english()),
            interest_stopped_by_judgment_on: s.interest_stops_on,
            as_of: s.as_of,
            regime: match kind {
                ClaimKind::B2B => "B2B",
                ClaimKind::B2C => "B2C",
            }
            .into(),
            currency: "EUR".into(),
            invoices: s
                .invoices
                .into_iter()
                .map(|l| InvoiceStatement {
                    invoice_id: id_of(l.invoice_id),
                    number: l.number,
                    due_date: l.due_date,
                    interest_starts: l.interest_starts,
                    principal_original: l.principal_original.into(),
                    principal_paid: l.principal_paid.into(),
                    principal_outstanding: l.principal_outstanding.into(),
                    interest_periods: l
                        .interest_periods
                        .into_iter()
                        .map(|p| InterestPeriod {
                            from: p.from,
                            to: p.to,
                            days: i32::try_from(p.days).unwrap_or(i32::MAX),
                            base: p.base.into(),
                            rate: p.rate.into(),
                            amount: p.amount.into(),
                        })
                        .collect(),
                    interest_total: l.interest_total.into(),
                    interest_paid: l.interest_paid.into(),
                    interest_outstanding: l.interest_outstanding.into(),
                    indemnity: l.indemnity.into(),
                    indemnity_paid: l.indemnity_paid.into(),
                    indemnity_outstanding: l.indemnity_outstanding.into(),
                    total_due: l.total_due.into(),
                    to_fall_due: l.to_fall_due,
                })
                .collect(),
            payments: s
                .payments
                .into_iter()
                .map(|p| PaymentImputation {
                    payment_id: id_of(p.payment_id),
                    date: p.date,
                    amount: p.amount.into(),
                    allocations: p
                        .allocations
                        .into_iter()
                        .map(|a| PaymentAllocation {
                            invoice_id: id_of(a.invoice_id),
                            to_indemnity: a.to_indemnity.into(),
                            to_interest: a.to_interest.into(),
                            to_principal: a.to_principal.into(),
                        })
                        .collect(),
                })
                .collect(),
            totals: StatementTotals {
                principal_original: t.principal_original.into(),
                principal_paid: t.principal_paid.into(),
                principal_outstanding: t.principal_outstanding.into(),
                interest_total: t.interest_total.into(),
                interest_outstanding: t.interest_outstanding.into(),
                indemnity: t.indemnity.into(),
                indemnity_outstanding: t.indemnity_outstanding.into(),
                payments_received: t.payments_received.into(),
                total_due: t.total_due.into(),
                due: DueTotals {
                    principal: t.due.principal.into(),
                    interest: t.due.interest.into(),
                    indemnity: t.due.indemnity.into(),
                    total: t.due.total.into(),
                },
                to_fall_due: t.to_fall_due.into(),
            },
        }
    }
}
