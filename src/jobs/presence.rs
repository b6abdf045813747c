//! Which instances are alive, so that an outbox claim left by a dead one is flagged at once
//! instead of ten minutes later (PostgreSQL). Each process that claims e-mails holds, on a
//! connection of its own for its whole life, a shared advisory lock keyed by its worker name;
//! PostgreSQL drops the lock when the process dies (its socket closes), so a `sending` claim
//! whose worker holds no lock can only have been left by a dead process. Such a claim turns
//! `uncertain` like a stale one: the message may have gone, so it is never resent blindly.
//! On SQLite (one machine, so one filesystem) the same is done with a file: each process holds
//! an exclusive lock (`flock`) on `<data dir>/workers/<worker>.lock` for its whole life, and the
//! kernel drops it when the process dies, `kill -9` included. A claim whose worker has a lock
//! file nobody holds was left by a dead process. A worker without a file (another data dir, a
//! version before this one) counts as alive: the ten-minute rule then applies, which is safe.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::DbConn;

/// First key of the presence locks (the migration lock uses the one-key form, another space).
const NAMESPACE: i32 = 0x5245_4356;

/// Second key: the worker name hashed (FNV-1a), kept positive so `pg_locks.objid` reads the
/// same number. Two names sharing a hash only make a dead worker look alive: the ten-minute
/// rule then applies, which is safe. The lock is shared so that such twins never block.
pub fn key(worker: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in worker.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    i32::try_from(h & 0x7fff_ffff).unwrap_or(0)
}

/// Takes `worker`'s presence lock on `conn`, for as long as that session lives.
pub fn announce(conn: &mut diesel::PgConnection, worker: &str) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "SELECT pg_advisory_lock_shared({NAMESPACE}, {})",
        key(worker)
    ))
}

/// The presence file of `worker` (SQLite).
fn lock_path(data_dir: &Path, worker: &str) -> PathBuf {
    let name: String = worker
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join("workers").join(format!("{name}.lock"))
}

/// Whether some process holds the presence file of `worker`; true when there is no such
/// file or it cannot be read (unknown counts as alive).
fn file_is_held(data_dir: &Path, worker: &str) -> bool {
    let Ok(file) = File::open(lock_path(data_dir, worker)) else {
        return true;
    };
    // A shared lock is refused while the owner holds its exclusive one; if it is granted,
    // nobody holds the file (it is released when `file` is dropped).
    !matches!(file.try_lock_shared(), Ok(()))
}

/// Whether the process that signed `worker` is alive: on PostgreSQL, whether some session of
/// this database holds its presence lock; on SQLite, whether some process holds its presence
/// file in `data_dir`.
pub fn is_alive(conn: &mut DbConn, data_dir: &Path, worker: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    match conn {
        DbConn::Sqlite(_) => Ok(file_is_held(data_dir, worker)),
        DbConn::Pg(c) => {
            // pg_locks covers the whole cluster: only this database's sessions count.
            let row: Count = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' \
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                 AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2 AND granted",
            )
            .bind::<BigInt, _>(i64::from(NAMESPACE))
            .bind::<BigInt, _>(i64::from(key(worker)))
            .get_result(c)?;
            Ok(row.n > 0)
        }
    }
}

/// This process's presence: a dedicated connection holding its lock (PostgreSQL) or its
/// locked file (SQLite), taken on first use and taken again if it was lost.
#[derive(Default)]
pub struct Presence {
    conn: Mutex<Option<diesel::PgConnection>>,
    file: Mutex<Option<File>>,
}

impl Presence {
    /// Makes sure this process shows as alive before it claims anything. False when it cannot
    /// (database away): the caller then claims no e-mail, since others would take any claim of
    /// an absent worker for a dead one's.
    pub fn hold(&self, database_url: &str, data_dir: &Path, worker: &str) -> bool {
        if !database_url.starts_with("postgres") {
            return self.hold_file(data_dir, worker);
        }
        let Ok(mut held) = self.conn.lock() else {
            return false;
        };
        if let Some(c) = held.as_mut() {
            if c.batch_execute("SELECT 1").is_ok() {
                return true;
            }
            // The session is gone and its lock with it: take both again.
            *held = None;
        }
        let taken = diesel::PgConnection::establish(database_url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                announce(&mut c, worker).map_err(|e| e.to_string())?;
                Ok(c)
            });
        match taken {
            Ok(c) => {
                *held = Some(c);
                true
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot take this instance's presence lock");
                false
            }
        }
    }
}

impl Presence {
    /// SQLite: creates and locks this worker's file once, for the life of the process.
    fn hold_file(&self, data_dir: &Path, worker: &str) -> bool {
        let Ok(mut held) = self.file.lock() else {
            return false;
        };
        if held.is_some() {
            return true;
        }
        let path = lock_path(data_dir, worker);
        let taken = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                File::options()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
            })
            .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::other));
        match taken {
            Ok(f) => {
                *held = Some(f);
                sweep_dead_files(data_dir, &path);
                true
            }
            Err(e) => {
                // Without the file others cannot tell this process is alive: claim nothing.
                tracing::error!(error = %e, path = %path.display(), "cannot take this instance's presence file");
                false
            }
        }
    }
}

/// Removes presence files of dead processes older than a day (their claims, if any, have long
/// turned `uncertain` by the ten-minute rule), so the folder does not grow with every start.
fn sweep_dead_files(data_dir: &Path, own: &Path) {
    let day = std::time::Duration::from_secs(24 * 3600);
    let Ok(entries) = std::fs::read_dir(data_dir.join("workers")) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if path == own || !old {
            continue;
        }
        let free = File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
        if free {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn a_presence_file_is_held_while_its_owner_lives_and_free_after() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (super::Presence::default(), "host:1:abc");
        assert!(
            super::file_is_held(dir.path(), b),
            "no file: unknown, alive"
        );
        assert!(a.hold_file(dir.path(), b));
        assert!(a.hold_file(dir.path(), b), "held once, kept");
        assert!(super::file_is_held(dir.path(), b));
        drop(a); // the process "dies": its lock goes with the file
        assert!(!super::file_is_held(dir.path(), b));
    }

    #[test]
    fn a_worker_key_is_stable_positive_and_tells_names_apart() {
        // FNV-1a of "a" is 0xe40c292c; the top bit is cleared for `pg_locks.objid`.
        assert_eq!(key("a"), 0x640c_292c);
        assert_eq!(key("host:1:abc"), key("host:1:abc"));
        assert_ne!(key("host:1:abc"), key("host:2:abc"));
        assert!(key("") >= 0 && key("instance-b:42:18f3a") >= 0);
    }
}
