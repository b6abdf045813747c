//! Case use cases: intake, the agency's first actions, and reading cases. Each function that
//! changes something is one transaction and appends one event to the case's chain.

pub mod actions;
pub mod audit;
pub mod dashboard;
pub mod import;
pub mod incidents;
pub mod intake;
pub mod views;

pub use views::{CaseTotals, CaseView};

use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self, Case};

/// Loads a case the actor may see; a case they may not see is "not found", like a missing one.
pub fn load_visible(conn: &mut DbConn, actor: &Actor, id: i64) -> AppResult<Case> {
    match cases::find(conn, id)? {
        Some(c) if actor.can_view(&c.scope()) => Ok(c),
        Some(_) => Err(AppError::case_not_visible(id)),
        None => Err(AppError::not_found("case")),
    }
}
