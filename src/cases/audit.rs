//! Verification of every case's event chain (`recouvra verify-audit`).

use crate::db::DbConn;
use crate::error::AppResult;
use crate::store::events::{self, BrokenLink};

/// What `verify-audit` found.
#[derive(Debug)]
pub struct AuditReport {
    pub cases: usize,
    pub events: usize,
    /// The first broken link, in case order.
    pub broken: Option<BrokenLink>,
}

pub fn verify_all(conn: &mut DbConn) -> AppResult<AuditReport> {
    let ids = events::case_ids(conn)?;
    let mut report = AuditReport {
        cases: ids.len(),
        events: 0,
        broken: None,
    };
    for id in ids {
        let list = events::of_case(conn, id)?;
        report.events += list.len();
        if let Err(b) = events::verify(&list) {
            report.broken = Some(b);
            break;
        }
    }
    Ok(report)
}
