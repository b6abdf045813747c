//! What the statement engine produces: one line per invoice with its
//! interest periods, the imputation of each payment, and case totals.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::rates::HalfYear;

/// One stretch of interest at a single base and rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestPeriod {
    /// First day counted.
    pub from: NaiveDate,
    /// Last day counted (included).
    pub to: NaiveDate,
    /// Number of days counted, `to - from + 1`.
    pub days: i64,
    /// Principal bearing interest (incl. VAT, still unpaid).
    pub base: Decimal,
    /// Annual rate in percent.
    pub rate: Decimal,
    /// base × rate / 100 × days / 365, rounded to the cent.
    pub amount: Decimal,
}

/// The position of one invoice as of the statement date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceStatement {
    /// The invoice's id.
    pub invoice_id: i64,
    /// The invoice number.
    pub number: String,
    /// Due date.
    pub due_date: NaiveDate,
    /// First day interest counts (None: no interest can run, e.g. B2C with
    /// no formal notice).
    pub interest_starts: Option<NaiveDate>,
    /// Amount incl. VAT.
    pub principal_original: Decimal,
    /// Principal paid, before intake and since.
    pub principal_paid: Decimal,
    /// Of which paid before intake.
    pub paid_before_intake: Decimal,
    /// Principal still due.
    pub principal_outstanding: Decimal,
    /// Interest periods up to the statement date.
    pub interest_periods: Vec<InterestPeriod>,
    /// Sum of the periods' rounded amounts.
    pub interest_total: Decimal,
    /// Interest paid by imputed payments.
    pub interest_paid: Decimal,
    /// `interest_total - interest_paid`.
    pub interest_outstanding: Decimal,
    /// The flat recovery indemnity (40 € if the invoice was paid late, B2B).
    pub indemnity: Decimal,
    /// Indemnity paid.
    pub indemnity_paid: Decimal,
    /// `indemnity - indemnity_paid`.
    pub indemnity_outstanding: Decimal,
    /// Principal + interest + indemnity outstanding.
    pub total_due: Decimal,
    /// The invoice's due date has not passed on the statement's date ([`is_due_on`]): it is
    /// shown apart ("à échoir"), never in the sum demanded. Such a line bears no interest
    /// and no indemnity, so its `total_due` is its principal outstanding.
    pub to_fall_due: bool,
}

/// Whether an invoice due on `due_date` may be demanded on `day` — the one place of the rule
/// "only what is due is demanded" (C. civ. 1344: the formal notice demands a sum due;
/// CPC 1405: the injunction is for a claim that is due): its due date must have passed, i.e.
/// be strictly before `day`. On its due date the debtor still pays in time (late-payment
/// interest runs from the day after, C. com. L441-10 II), so an invoice due that day is still
/// "à échoir".
pub fn is_due_on(due_date: NaiveDate, day: NaiveDate) -> bool {
    due_date < day
}

/// The part of one payment imputed to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// The payment.
    pub payment_id: i64,
    /// The invoice it pays.
    pub invoice_id: i64,
    /// Paid on the indemnity.
    pub to_indemnity: Decimal,
    /// Paid on interest.
    pub to_interest: Decimal,
    /// Paid on principal.
    pub to_principal: Decimal,
}

impl Allocation {
    /// Sum of the three parts.
    pub fn total(&self) -> Decimal {
        self.to_indemnity + self.to_interest + self.to_principal
    }
}

/// How one payment was imputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentImputation {
    /// The payment.
    pub payment_id: i64,
    /// Its date.
    pub date: NaiveDate,
    /// Its amount.
    pub amount: Decimal,
    /// The invoices it paid, in imputation order.
    pub allocations: Vec<Allocation>,
    /// What exceeded everything due on its date.
    pub unallocated: Decimal,
}

/// Sums over all invoices; each is the sum of the figures shown per invoice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementTotals {
    /// Sum of amounts incl. VAT.
    pub principal_original: Decimal,
    /// Principal paid.
    pub principal_paid: Decimal,
    /// Principal still due.
    pub principal_outstanding: Decimal,
    /// Interest accrued.
    pub interest_total: Decimal,
    /// Interest paid.
    pub interest_paid: Decimal,
    /// Interest still due.
    pub interest_outstanding: Decimal,
    /// Indemnities owed.
    pub indemnity: Decimal,
    /// Indemnities paid.
    pub indemnity_paid: Decimal,
    /// Indemnities still due.
    pub indemnity_outstanding: Decimal,
    /// Everything still due.
    pub total_due: Decimal,
    /// Payments taken into account (dated on or before `as_of`).
    pub payments_received: Decimal,
    /// Part of those payments that exceeded what was due.
    pub unallocated: Decimal,
    /// What may be demanded on the statement's date: the lines already due
    /// ([`is_due_on`]). A formal notice, the eligibility report's determined amount and the
    /// requête state these figures, never `total_due`.
    pub due: DueTotals,
    /// Principal of the invoices still to fall due ("à échoir"), shown apart;
    /// `due.total + to_fall_due = total_due`.
    pub to_fall_due: Decimal,
}

/// The sums demanded: principal, interest and indemnity of the invoices already due, each
/// the sum of the lines shown (C. civ. 1344, CPC 1405 and 1407).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueTotals {
    /// Principal outstanding of the invoices due.
    pub principal: Decimal,
    /// Interest outstanding on them.
    pub interest: Decimal,
    /// Indemnities outstanding on them.
    pub indemnity: Decimal,
    /// `principal + interest + indemnity`: the sum demanded.
    pub total: Decimal,
}

/// Where interest stopped when the rate table ends before the statement date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestStop {
    /// The last day interest is counted (30 June or 31 December).
    pub last_day: NaiveDate,
    /// The first half-year whose rates are not entered.
    pub missing: HalfYear,
}

impl InterestStop {
    /// The French note shown with the figures: « intérêts arrêtés au 30/06/2026 : taux du
    /// 2e semestre 2026 non saisi ».
    pub fn french(&self) -> String {
        format!(
            "intérêts arrêtés au {} : taux du {} non saisi",
            self.last_day.format("%d/%m/%Y"),
            self.missing.french()
        )
    }

    /// The English note of the API: "interest stopped at 2026-06-30: the rates of 2026-H2 are
    /// not entered".
    pub fn english(&self) -> String {
        format!(
            "interest stopped at {}: the rates of {} are not entered",
            self.last_day,
            self.missing.label()
        )
    }
}

/// A claim's statement as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Set when interest should run past the rate table's last day: it is counted only up
    /// to `last_day`, so the figures are a floor, complete once the missing rates are entered.
    pub interest_stopped: Option<InterestStop>,
    /// The day a collective proceeding's opening judgment stopped interest (C. com. L622-28),
    /// when it is on or before the statement's date: no interest from that day on.
    pub interest_stops_on: Option<NaiveDate>,
    /// The statement date (interest counted up to it, included).
    pub as_of: NaiveDate,
    /// One line per invoice, in input order.
    pub invoices: Vec<InvoiceStatement>,
    /// The imputation of each payment taken into account, in date order.
    pub payments: Vec<PaymentImputation>,
    /// Ids of the payments dated after `as_of`, left out.
    pub payments_after_as_of: Vec<i64>,
    /// Case totals.
    pub totals: StatementTotals,
}

impl Statement {
    /// Every allocation of every payment, flattened.
    pub fn allocations(&self) -> impl Iterator<Item = &Allocation> {
        self.payments.iter().flat_map(|p| p.allocations.iter())
    }

    /// The lines that may be demanded on the statement's date (see [`is_due_on`]).
    pub fn due_lines(&self) -> impl Iterator<Item = &InvoiceStatement> {
        self.invoices.iter().filter(|l| !l.to_fall_due)
    }

    /// The lines still to fall due with something unpaid: shown apart, with their due dates.
    pub fn to_fall_due_lines(&self) -> impl Iterator<Item = &InvoiceStatement> {
        self.invoices
            .iter()
            .filter(|l| l.to_fall_due && l.total_due > Decimal::ZERO)
    }
}

impl StatementTotals {
    /// Adds up the lines shown, so the totals always match them.
    pub fn from_lines(
        lines: &[InvoiceStatement],
        payments: &[PaymentImputation],
    ) -> StatementTotals {
        let mut t = StatementTotals::default();
        for l in lines {
            t.principal_original += l.principal_original;
            t.principal_paid += l.principal_paid;
            t.principal_outstanding += l.principal_outstanding;
            t.interest_total += l.interest_total;
            t.interest_paid += l.interest_paid;
            t.interest_outstanding += l.interest_outstanding;
            t.indemnity += l.indemnity;
            t.indemnity_paid += l.indemnity_paid;
            t.indemnity_outstanding += l.indemnity_outstanding;
            t.total_due += l.total_due;
            if l.to_fall_due {
                t.to_fall_due += l.total_due;
            } else {
                t.due.principal += l.principal_outstanding;
                t.due.interest += l.interest_outstanding;
                t.due.indemnity += l.indemnity_outstanding;
                t.due.total += l.total_due;
            }
        }
        for p in payments {
            t.payments_received += p.amount;
            t.unallocated += p.unallocated;
        }
        t
    }
}
