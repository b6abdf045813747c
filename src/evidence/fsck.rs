//! `recouvra fsck`: the archive's rows against its blobs. Reports blobs no row points to
//! (left by a crash between storing a blob and committing its row), rows whose blob is missing,
//! and blobs whose bytes no longer hash to their name. With `--repair`, orphan blobs are
//! removed (only those still orphaned after a grace period, so an upload committing right now
//! keeps its blob) and live pieces whose bytes are lost or altered are withdrawn with the
//! reason — never deleted: the audit trail keeps them.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::blobs::BlobStore;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::store::evidence as store;

/// What `fsck` found, and what `--repair` did.
#[derive(Debug, Default)]
pub struct FsckReport {
    pub blobs: usize,
    pub rows: usize,
    pub orphans: Vec<String>,
    pub missing: Vec<String>,
    pub corrupted: Vec<String>,
    pub removed: usize,
    pub withdrawn: usize,
}

impl FsckReport {
    pub fn clean(&self) -> bool {
        self.orphans.is_empty() && self.missing.is_empty() && self.corrupted.is_empty()
    }
}

pub fn fsck(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn BlobStore,
    repair: bool,
    grace: Duration,
) -> AppResult<FsckReport> {
    let err = super::blob_error;
    let stored: BTreeSet<String> = blobs.list().map_err(err)?.into_iter().collect();
    let rows: BTreeSet<String> = store::all_hashes(conn)?.into_iter().collect();
    // Losses already withdrawn by an earlier repair are not reported again.
    let known: BTreeSet<String> = store::known_losses(conn)?.into_iter().collect();
    let expected: BTreeSet<String> = rows.difference(&known).cloned().collect();
    let mut report = FsckReport {
        blobs: stored.len(),
        rows: rows.len(),
        orphans: stored.difference(&rows).cloned().collect(),
        missing: expected.difference(&stored).cloned().collect(),
        ..FsckReport::default()
    };
    for sha in stored.intersection(&expected) {
        if !blobs.verify(sha).map_err(err)? {
            report.corrupted.push(sha.clone());
        }
    }
    if !repair {
        return Ok(report);
    }
    if !report.orphans.is_empty() {
        std::thread::sleep(grace);
        let rows_now: BTreeSet<String> = store::all_hashes(conn)?.into_iter().collect();
        for sha in report.orphans.iter().filter(|s| !rows_now.contains(*s)) {
            blobs.delete(sha).map_err(err)?;
            report.removed += 1;
        }
    }
    let lost = report
        .missing
        .iter()
        .map(|s| (s, "fsck: the stored file is missing"))
        .chain(
            report
                .corrupted
                .iter()
                .map(|s| (s, "fsck: the stored bytes no longer match their SHA-256")),
        )
        .collect::<Vec<_>>();
    for (sha, reason) in lost {
        for piece in store::live_with_hash(conn, sha)? {
            let withdrawn = db::transaction(conn, |conn| {
                super::withdraw_in_tx(conn, clock.now(), None, &piece, reason)
            })?;
            report.withdrawn += usize::from(withdrawn);
        }
    }
    // What remains wrong after the repair: lost bytes still needed by a generated document.
    let known: BTreeSet<String> = store::known_losses(conn)?.into_iter().collect();
    report.orphans.clear();
    report.missing.retain(|s| !known.contains(s));
    report.corrupted.retain(|s| !known.contains(s));
    Ok(report)
}
