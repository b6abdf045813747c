//! Sign-in attempts per client address (`login_attempts`): one row per address and window,
//! counted by a single upsert that returns the new count, so concurrent attempts (on one
//! instance or several) each see their own number. Raw SQL per backend: `MultiConnection` has
//! no `on_conflict` (like the reference counter in `store::cases`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::DbConn;

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Timestamp)]
    window_start: NaiveDateTime,
}

/// Counts one attempt for `address` and returns (attempts in the window, window start). A
/// window that started at or before `expired_before` is over: the attempt opens a new one.
pub fn count_attempt(
    conn: &mut DbConn,
    address: &str,
    now: NaiveDateTime,
    expired_before: NaiveDateTime,
) -> QueryResult<(i32, NaiveDateTime)> {
    // SET expressions read the row as it was before the update (both backends).
    let sql = |p: [&str; 3]| {
        format!(
            "INSERT INTO login_attempts (address, attempts, window_start) VALUES ({a}, 1, {n}) \
             ON CONFLICT (address) DO UPDATE SET \
             attempts = CASE WHEN login_attempts.window_start <= {e} THEN 1 \
                        ELSE login_attempts.attempts + 1 END, \
             window_start = CASE WHEN login_attempts.window_start <= {e} THEN excluded.window_start \
                            ELSE login_attempts.window_start END \
             RETURNING attempts, window_start",
            a = p[0],
            n = p[1],
            e = p[2],
        )
    };
    let row = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql(["?1", "?2", "?3"]))
            .bind::<Text, _>(address)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(expired_before)
            .get_result::<Counted>(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql(["$1", "$2", "$3"]))
            .bind::<Text, _>(address)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(expired_before)
            .get_result::<Counted>(c)?,
    };
    Ok((row.attempts, row.window_start))
}

/// Gives back the attempt of a successful sign-in: the limit is on attempts that failed (or
/// are still being checked), so an office behind one address is not locked out by its own
/// users signing in.
pub fn refund(conn: &mut DbConn, address: &str) -> QueryResult<()> {
    let sql = |p: &str| {
        format!(
            "UPDATE login_attempts SET attempts = attempts - 1 \
             WHERE address = {p} AND attempts > 0"
        )
    };
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql("?1"))
            .bind::<Text, _>(address)
            .execute(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql("$1"))
            .bind::<Text, _>(address)
            .execute(c)?,
    };
    Ok(())
}

/// Removes the rows of windows that are over (they no longer limit anything).
pub fn purge(conn: &mut DbConn, expired_before: NaiveDateTime) -> QueryResult<usize> {
    let sql = |p: &str| format!("DELETE FROM login_attempts WHERE window_start <= {p}");
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql("?1"))
            .bind::<Timestamp, _>(expired_before)
            .execute(c),
        DbConn::Pg(c) => diesel::sql_query(sql("$1"))
            .bind::<Timestamp, _>(expired_before)
            .execute(c),
    }
}
