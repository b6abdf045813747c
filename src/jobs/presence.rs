//! Which instances are alive, so that an outbox claim left by a dead one is flagged at once
//! instead of ten minutes later (PostgreSQL). Each process that claims e-mails holds, on a
//! connection of its own for its whole life, a shared advisory lock keyed by its worker name;
//! PostgreSQL drops the lock when the process dies (its socket closes), so a `sending` claim
//! whose worker holds no lock can only have been left by a dead process. Such a claim turns
//! `uncertain` like a stale one: the message may have gone, so it is never resent blindly.
//! On SQLite (one machine, no sessions to look at) the ten-minute rule alone applies.

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

/// Whether the process that signed `worker` is alive: on PostgreSQL, whether some session of
/// this database holds its presence lock; on SQLite always true (unknown).
pub fn is_alive(conn: &mut DbConn, worker: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    match conn {
        DbConn::Sqlite(_) => Ok(true),
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

/// This process's presence: a dedicated connection holding its lock, opened on first use and
/// opened again if it was lost.
#[derive(Default)]
pub struct Presence {
    conn: Mutex<Option<diesel::PgConnection>>,
}

impl Presence {
    /// Makes sure this process shows as alive before it claims anything. False when it cannot
    /// (database away): the caller then claims no e-mail, since others would take any claim of
    /// an absent worker for a dead one's.
    pub fn hold(&self, database_url: &str, worker: &str) -> bool {
        if !database_url.starts_with("postgres") {
            return true;
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

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn a_worker_key_is_stable_positive_and_tells_names_apart() {
        // FNV-1a of "a" is 0xe40c292c; the top bit is cleared for `pg_locks.objid`.
        assert_eq!(key("a"), 0x640c_292c);
        assert_eq!(key("host:1:abc"), key("host:1:abc"));
        assert_ne!(key("host:1:abc"), key("host:2:abc"));
        assert!(key("") >= 0 && key("instance-b:42:18f3a") >= 0);
    }
}
