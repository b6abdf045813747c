//! The legal phase: the injunction of payment (injonction de payer,
//! CPC 1405–1425; LEGAL.md §4–7). Pure rules over plain facts: the caller
//! loads the case, calls these functions, and stores what it decides.
//!
//! - [`court`]: the competent court and its fees (CPC 1406, C. com. A743-9).

pub mod court;
pub mod debtor;
pub mod fees;
pub mod fmt;
mod names;

pub use court::{propose_court, CourtFees, CourtKind, CourtProposal, DebtorProfile};
