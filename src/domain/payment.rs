//! How a debtor paid.

use super::parties::text_enum;

text_enum!(
    /// The means of a payment received.
    PaymentMethod {
        Transfer => "transfer",
        Card => "card",
        Cheque => "cheque",
        Cash => "cash",
        DirectDebit => "direct_debit",
        Other => "other",
    }
);
