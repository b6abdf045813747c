//! The legal phase: the injunction of payment (injonction de payer,
//! CPC 1405–1425; LEGAL.md §4–7). Pure rules over plain facts: the caller
//! loads the case, calls these functions, and stores what it decides.
//!
//! - [`court`]: the competent court and its fees (CPC 1406, C. com. A743-9),
//!   found in the directory of real courts ([`courts`]).
//! - [`eligibility`]: may the dossier be filed? One [`Condition`] per rule,
//!   each under a stable key, plus the prescription of each invoice and the
//!   other routes (small claims, European order).
//! - [`procedure`]: after filing, the procedure's dates → its live deadlines,
//!   and the checks on the order of its events.
//!
//! # Condition keys
//! Stable: they become API error fields ([`condition::keys`]).
//!
//! | key | article | blocking | fails when |
//! |---|---|---|---|
//! | `contractual_claim` | CPC 1405 | yes | the claim has no contractual or statutory cause |
//! | `determined_amount` | CPC 1405 | yes | the statement could not be computed, or nothing is due on the day (invoices still to fall due are named apart) |
//! | `formal_notice_sent` | C. civ. 1344 | yes | no formal notice was sent and the agency requires one (*convention*); else a Warning |
//! | `formal_notice_expired` | C. civ. 1344 | yes | its deadline has not passed (Info when no notice) |
//! | `not_prescribed` | C. com. L110-4 / C. civ. 2224 / C. conso. L218-2 | yes | an unpaid invoice is prescribed (Warning within 90 days) |
//! | `no_open_dispute` | CPC 1409 | yes | a dispute is open |
//! | `debtor_in_france` | CPC 1406; Reg. (EC) 1896/2006 | yes | the debtor is abroad |
//! | `small_claims` | CPCE L125-1, R125-1 | no | (Info) ≤ 5 000 € in principal and interest (the D441-5 indemnity left out) |
//! | `lawyer_on_opposition` | CPC 760, 853 | no | (Info) > 10 000 € |
//! | `court_fees` | C. com. A743-9 | no | (Info) the registry fees |
//! | `no_collective_proceedings` | C. com. L622-21, L631-14, L641-3 | yes | a sauvegarde, redressement or liquidation is in force |
//! | `no_over_indebtedness` | C. conso. L722-2 | yes | an over-indebtedness file is admissible and not ended |
//! | `debtor_alive` | C. civ. 771-772 | yes | the debtor's death is recorded and recovery not resumed |
//! | `company_active` | C. civ. 1844-7 | yes | a dissolution, merger or striking-off is recorded and not decided |

pub mod bodacc;
pub mod condition;
pub mod court;
pub mod courts;
pub mod debtor;
pub mod eligibility;
pub mod enforcement;
pub mod fees;
pub mod incidents;
mod names;
pub mod prescription;
pub mod procedure;
pub mod routes;

pub use condition::{keys, Condition, ConditionStatus};
pub use court::{propose_court, CourtFees, CourtKind, CourtProposal, DebtorProfile};
pub use eligibility::{
    assess, EligibilityInput, EligibilityReport, FormalNoticeFacts, InvoiceFacts,
    InvoicePrescription,
};
pub use names::de_city;
pub use procedure::{
    can_become_enforceable, check_step, deadlines, order_lapsed, Deadline, DeadlineKind,
    OrderOutcome, ProcedureFacts, Step,
};
