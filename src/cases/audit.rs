//! The audit trail: verification of every case's event chain and of the security log
//! (`recouvra verify-audit`), and a case's trail as agents, lawyers and admins read it.

use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};
use crate::store::events::{self, BrokenLink};
use crate::store::security;

use super::views::TimelineEntry;

/// What `verify-audit` found.
#[derive(Debug)]
pub struct AuditReport {
    pub cases: usize,
    pub events: usize,
    /// Entries of the security log.
    pub security_entries: usize,
    /// The first broken link, in case order; then the security log's (`case_id` 0).
    pub broken: Option<BrokenLink>,
}

pub fn verify_all(conn: &mut DbConn) -> AppResult<AuditReport> {
    let ids = events::case_ids(conn)?;
    let mut report = AuditReport {
        cases: ids.len(),
        events: 0,
        security_entries: 0,
        broken: None,
    };
    for id in ids {
        let list = events::of_case(conn, id)?;
        report.events += list.len();
        let head = events::head(conn, id)?;
        if let Err(b) = events::verify_with_head(id, &list, head.as_ref()) {
            report.broken = Some(b);
            return Ok(report);
        }
    }
    let log = security::verify(conn)?;
    report.security_entries = log.entries;
    report.broken = log.broken;
    Ok(report)
}

/// A case's audit trail: its events, whether the chain verifies, and where it breaks.
#[derive(Debug)]
pub struct CaseTrail {
    pub events: Vec<TimelineEntry>,
    pub total: usize,
    pub broken: Option<BrokenLink>,
}

/// The trail of a case for agents, admins and the case's lawyer (creditors read the
/// timeline, not the trail: `FORBIDDEN`). The whole chain is verified; `events` is the page
/// of at most `limit` events after `after_seq`.
pub fn case_trail(
    conn: &mut DbConn,
    actor: &Actor,
    case_id: i64,
    after_seq: i64,
    limit: usize,
) -> AppResult<CaseTrail> {
    let case = super::load_visible(conn, actor, case_id)?;
    if actor.role == Role::Creditor {
        return Err(AppError::forbidden());
    }
    let all = super::views::timeline_of(conn, case.id)?;
    let raw: Vec<_> = all.iter().map(|t| t.event.clone()).collect();
    let head = events::head(conn, case.id)?;
    let broken = events::verify_with_head(case.id, &raw, head.as_ref()).err();
    let total = all.len();
    let events = all
        .into_iter()
        .filter(|t| t.event.seq > after_seq)
        .take(limit)
        .collect();
    Ok(CaseTrail {
        events,
        total,
        broken,
    })
}
