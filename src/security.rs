//! The security log's use cases: recording sign-ins, refusals and downloads, and reading the
//! log (admins). The log itself (hash chain, verification) is `store::security`.

use chrono::NaiveDateTime;

use crate::auth::Actor;
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult};
use crate::store::security::{self, NewEntry, SecurityEvent, SecurityKind};
use crate::store::Page;

pub use crate::store::security::Filter;

/// Appends one entry in a transaction of its own (sign-in outcomes, refusals: they must
/// stay recorded although the request that caused them fails).
pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    kind: SecurityKind,
    entry: NewEntry,
) -> AppResult<()> {
    db::transaction(conn, |conn| {
        security::append(conn, at, kind, entry)?;
        Ok(())
    })
}

/// The security-log entry of an operation the policy refused, when `error` is such a
/// refusal (written later by `refusals::Recorder`, off the request's path).
pub fn refusal_of(
    at: NaiveDateTime,
    actor: &Actor,
    error: &AppError,
    operation: &str,
    ip: Option<String>,
) -> Option<crate::refusals::Refusal> {
    if !error.refused {
        return None;
    }
    Some(crate::refusals::Refusal {
        at,
        kind: SecurityKind::PermissionRefused,
        user_id: Some(actor.user_id),
        ip,
        detail: format!(
            "{operation}: {} ({}, role {})",
            error.code.as_str(),
            error.message,
            actor.role.as_str()
        ),
        case_id: error.refused_case,
        count: 1,
    })
}

/// One page of the log, newest first (admins only).
pub fn page(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Page<SecurityEvent>> {
    actor.require_admin()?;
    Ok(security::page(conn, filter, before, limit)?)
}
