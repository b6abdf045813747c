//! Counts read at scrape time by `GET /metrics`: the agents' queue, the outbox backlog and the
//! scheduler's lag. Plain counts over indexed columns, so a scrape stays cheap.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{outbox, tasks};
use crate::db::DbConn;
use crate::metrics::DatabaseGauges;

/// Outbox statuses that mean "not delivered yet" (the backlog an operator watches).
pub const BACKLOG_STATUSES: [&str; 4] = ["pending", "sending", "failed", "uncertain"];

/// Reads the gauges as of `now` (the application clock).
///
/// The scheduler lag is the age of the oldest `pending` e-mail whose `next_attempt_at` has
/// passed: exactly what the outbox step of the next scheduler run would pick first
/// (`store::claims::claim_next_email`), so a stopped or overloaded scheduler shows as a growing lag.
pub fn read(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<DatabaseGauges> {
    let open_tasks = tasks::table
        .filter(tasks::status.eq("open"))
        .count()
        .get_result::<i64>(conn)?;
    let mut backlog = Vec::with_capacity(BACKLOG_STATUSES.len());
    for status in BACKLOG_STATUSES {
        let n = outbox::table
            .filter(outbox::status.eq(status))
            .count()
            .get_result::<i64>(conn)?;
        backlog.push((status, n));
    }
    let oldest_due = outbox::table
        .filter(outbox::channel.eq("email"))
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .select(diesel::dsl::min(outbox::next_attempt_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    let scheduler_lag_seconds = oldest_due.map_or(0, |t| (now - t).num_seconds().max(0));
    Ok(DatabaseGauges {
        open_tasks,
        outbox: backlog,
        scheduler_lag_seconds,
        // Filled by the caller from the rate table (a use-case rule, not a count).
        rates_missing: Vec::new(),
    })
}
