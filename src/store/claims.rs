//! How background work is taken when several instances share one database. On PostgreSQL a
//! run locks the row it works on with `FOR UPDATE SKIP LOCKED`: a row another instance holds is
//! passed over at once instead of waited for, so two schedulers share the work instead of
//! queueing behind each other on the same row. On SQLite `db::transaction` starts with
//! `BEGIN IMMEDIATE`, which already lets one writer at a time in, so no lock clause is needed.
//! The guarded updates stay in both cases (`advance_step`'s `WHERE next_step = n`, the outbox's
//! `WHERE status = 'pending'`): they are what makes each unit of work happen once; the row locks
//! only make the sharing cheap.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use crate::db::DbConn;

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Takes a case for background work: true when nobody changed it since it was read at
/// `version` and no other transaction holds it. The caller holds the transaction; the lock
/// lasts until it ends. On PostgreSQL a case locked elsewhere (another instance running its
/// step, an agent's request) is skipped for this run rather than waited for.
pub fn take_case(conn: &mut DbConn, id: i64, version: i32) -> QueryResult<bool> {
    let row = match conn {
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT id FROM cases WHERE id = $1 AND version = $2 FOR UPDATE SKIP LOCKED",
        )
        .bind::<BigInt, _>(id)
        .bind::<Integer, _>(version)
        .get_result::<Id>(c)
        .optional()?,
        // The write lock is already ours (BEGIN IMMEDIATE): only the version is checked.
        DbConn::Sqlite(_) => {
            return crate::store::cases::lock_if_version(conn, id, version);
        }
    };
    Ok(row.is_some())
}

/// Claims the oldest e-mail due at `now` for `worker` (`pending → sending`, one more attempt)
/// and returns its id; `None` when nothing is left that another instance does not hold. One
/// message at a time on purpose: a process that dies leaves at most one claim in doubt.
pub fn claim_next_email(
    conn: &mut DbConn,
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let row = match conn {
        DbConn::Pg(c) => diesel::sql_query(
            "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_at = $2, \
             attempts = attempts + 1 \
             WHERE status = 'pending' AND id = (SELECT id FROM outbox WHERE channel = 'email' \
             AND status = 'pending' AND next_attempt_at <= $2 ORDER BY id LIMIT 1 \
             FOR UPDATE SKIP LOCKED) RETURNING id",
        )
        .bind::<Text, _>(worker)
        .bind::<Timestamp, _>(now)
        .get_result::<Id>(c)
        .optional()?,
        DbConn::Sqlite(c) => diesel::sql_query(
            "UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?, \
             attempts = attempts + 1 \
             WHERE status = 'pending' AND id = (SELECT id FROM outbox WHERE channel = 'email' \
             AND status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 1) RETURNING id",
        )
        .bind::<Text, _>(worker)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(now)
        .get_result::<Id>(c)
        .optional()?,
    };
    Ok(row.map(|r| r.id))
}
