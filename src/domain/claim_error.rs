//! The one error type of the claim engine and its rate table.

use super::rates::Half;

/// Why a statement could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// A period falls in a half-year absent from the rate table.
    #[error("no interest rate entered for {year} {half}")]
    MissingRate {
        /// Year of the missing half-year.
        year: i32,
        /// The missing half.
        half: Half,
    },
    /// The rate table holds the same half-year twice.
    #[error("the interest rates for {year} {half} are entered twice")]
    DuplicateRate {
        /// Year of the duplicated half-year.
        year: i32,
        /// The duplicated half.
        half: Half,
    },
    /// A rate of the table is out of bounds.
    #[error("an interest rate entered for {year} {half} is out of bounds")]
    InvalidRate {
        /// Year of the faulty half-year.
        year: i32,
        /// The faulty half.
        half: Half,
    },
    /// The contractual rate is negative or above `claim::MAX_CONTRACTUAL_RATE`.
    #[error("the contractual rate must be between 0 and 1000 %")]
    InvalidContractualRate,
    /// An invoice is malformed.
    #[error("invoice {invoice_id}: {reason}")]
    InvalidInvoice {
        /// The invoice's id.
        invoice_id: i64,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two invoices share an id.
    #[error("invoice {invoice_id} appears twice")]
    DuplicateInvoice {
        /// The repeated id.
        invoice_id: i64,
    },
    /// A payment is malformed.
    #[error("payment {payment_id}: {reason}")]
    InvalidPayment {
        /// The payment's id.
        payment_id: i64,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two payments share an id.
    #[error("payment {payment_id} appears twice")]
    DuplicatePayment {
        /// The repeated id.
        payment_id: i64,
    },
    /// A payment designates an invoice that is not part of the claim.
    #[error("payment {payment_id} designates invoice {invoice_id}, which is not in this claim")]
    UnknownInvoice {
        /// The payment's id.
        payment_id: i64,
        /// The designated id.
        invoice_id: i64,
    },
    /// A date computation left the representable range.
    #[error("a date is out of the supported range")]
    DateOutOfRange,
    /// A computation exceeded the decimal range (cannot happen within
    /// `claim::MAX_AMOUNT` and `claim::MAX_CONTRACTUAL_RATE`; kept so nothing panics).
    #[error("an amount is too large to compute")]
    Overflow,
}
