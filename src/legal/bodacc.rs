//! The BODACC import (issue 18): an admin, the CLI or the daily feed hands over a file of the
//! DILA's « annonces-commerciales » open data (`domain::legal::bodacc` reads it). Each
//! collective-proceeding or radiation announcement is stored once; one whose SIREN is the
//! debtor's of open cases raises, on each of them, a `bodacc_alert` task for the agent and a
//! `bodacc_announcement` event. The incident itself is never recorded from here: the agent
//! checks the announcement and records it (`recordDebtorIncident`), with the publication date
//! that starts the declaration's two months (C. com. R622-24).

use std::collections::HashSet;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::legal::bodacc::{self, Refused};
use crate::error::{AppError, AppResult};
use crate::store::bodacc::{self as store, NewAnnouncement};
use crate::store::{events, incidents, tasks};

/// The agent's task raised by an announcement on the case's debtor.
pub const ALERT_TASK: &str = "bodacc_alert";
/// The case event of the same.
pub const EVENT: &str = "bodacc_announcement";
/// Serialises imports: two of the same file at once would both find an announcement new.
const IMPORT_LOCK: i32 = 0x424f_4443; // "BODC"

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records in the file.
    pub read: usize,
    /// Announcements stored by this import.
    pub new: usize,
    /// Announcements already stored, or twice in the file: counted, not stored again.
    pub duplicates: usize,
    /// Records of another family (registrations, sales, accounts).
    pub ignored: usize,
    /// Alerts raised: one per (new announcement, open case of its SIREN).
    pub matched_cases: usize,
    /// New announcements no open case's debtor bears the SIREN of (stored all the same: a
    /// case opened later is not matched back, the agent looks it up on the BODACC).
    pub unmatched: usize,
    /// Records refused, with their reasons.
    pub refused: Vec<Refused>,
}

/// The summary as the HTTP API answers it (the names of GraphQL's `BodaccImport`).
pub fn summary_json(s: &ImportSummary) -> serde_json::Value {
    serde_json::json!({
        "read": s.read,
        "new": s.new,
        "duplicates": s.duplicates,
        "ignored": s.ignored,
        "matchedCases": s.matched_cases,
        "unmatched": s.unmatched,
        "refused": s.refused.iter().map(|r| serde_json::json!({
            "record": r.record, "reason": r.reason,
        })).collect::<Vec<_>>(),
    })
}

/// Imports a BODACC file in one transaction (admins; `None` for the CLI and the feed). A
/// text that is not a BODACC export is `VALIDATION` on `content`.
pub fn import(
    conn: &mut DbConn,
    clock: &Clock,
    actor: Option<&Actor>,
    json: &str,
) -> AppResult<ImportSummary> {
    if let Some(a) = actor {
        a.require_admin()?;
    }
    let parsed = bodacc::parse(json).map_err(|e| AppError::validation("content", e.0))?;
    let by = actor.map(|a| a.user_id);
    let summary = db::transaction(conn, |conn| {
        db::lock_in_transaction(conn, IMPORT_LOCK, 0)?;
        let mut s = ImportSummary {
            read: parsed.read,
            ignored: parsed.ignored,
            refused: parsed.refused.clone(),
            ..ImportSummary::default()
        };
        let mut seen = HashSet::new();
        for a in &parsed.announcements {
            if !seen.insert(a.identity.as_str()) || store::exists(conn, &a.identity)? {
                s.duplicates += 1;
                continue;
            }
            let summary = a.summary();
            let kind = a.suggested_kind();
            let siren = a.sirens.first().map(String::as_str).unwrap_or_default();
            let row = store::insert(
                conn,
                &NewAnnouncement {
                    identity: &a.identity,
                    published_on: a.published_on,
                    bulletin: a.bulletin.as_deref(),
                    parution: a.parution.as_deref(),
                    number: &a.number,
                    family: &a.family,
                    siren,
                    company: a.company.as_deref(),
                    court: a.court.as_deref(),
                    summary: &summary,
                    judgment_on: a.judgment_on,
                    suggested_kind: kind.map(|k| k.as_str()),
                    data: &a.raw,
                    imported_at: clock.now(),
                    imported_by: by,
                },
            )?;
            s.new += 1;
            let mut cases = Vec::new();
            for siren in &a.sirens {
                for id in incidents::open_cases_of_siren(conn, siren)? {
                    if !cases.contains(&id) {
                        cases.push(id);
                    }
                }
            }
            if cases.is_empty() {
                s.unmatched += 1;
                continue;
            }
            let title = format!("{summary} — à vérifier et à enregistrer sur le dossier");
            for case_id in cases {
                let task = tasks::insert(
                    conn,
                    &tasks::NewTask {
                        case_id,
                        kind: ALERT_TASK,
                        title: &title,
                        due_on: clock.today(),
                        status: "open",
                        outbox_id: None,
                        created_at: clock.now(),
                    },
                )?;
                store::link(conn, row.id, case_id, task.id)?;
                events::append(
                    conn,
                    case_id,
                    clock.now(),
                    by,
                    EVENT,
                    &serde_json::json!({
                        "announcement_id": row.id,
                        "identity": a.identity,
                        "published_on": a.published_on,
                        "number": a.number,
                        "family": a.family,
                        "siren": siren,
                        "court": a.court,
                        "judgment_on": a.judgment_on,
                        "summary": summary,
                        "suggested_kind": kind.map(|k| k.as_str()),
                        "task_id": task.id,
                    }),
                )?;
                s.matched_cases += 1;
            }
        }
        Ok(s)
    })?;
    tracing::info!(
        read = summary.read,
        new = summary.new,
        duplicates = summary.duplicates,
        matched_cases = summary.matched_cases,
        unmatched = summary.unmatched,
        refused = summary.refused.len(),
        "BODACC imported"
    );
    Ok(summary)
}
