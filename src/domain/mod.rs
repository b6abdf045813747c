//! Pure rules: no I/O, no diesel, no actix, nothing else of ours. Parsers construct the
//! domain's newtypes and return typed errors; the use-case layer maps them to `AppError`.

pub mod allocation;
pub mod arrangement;
pub mod bank;
pub mod calendar;
pub mod claim;
pub mod claim_error;
pub mod csv_out;
pub mod dashboard;
pub mod deadlines;
pub mod epc;
pub mod fmt;
pub mod ics;
pub mod ids;
pub mod import;
pub mod legal;
pub mod money;
pub mod parties;
pub mod payment;
pub mod playbook;
pub mod priority;
pub mod rates;
pub mod search;
pub mod statement;
pub mod texts;
pub mod wording;
pub mod workflow;

/// A refused input value, with the reason in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(msg: impl Into<String>) -> Self {
        Invalid(msg.into())
    }
}
