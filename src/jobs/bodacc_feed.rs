//! The daily BODACC feed: when `RECOUVRA_BODACC_FEED_URL` is set, the first scheduler run of
//! each day claims the day (one row of `bodacc_feed_runs`, so that several instances or a
//! restart fetch it once), fetches the file with a timeout, outside any transaction, and runs
//! the same import as an admin's (`legal::bodacc::import`). A failed fetch is logged, listed
//! in the run's `blocked` and not retried that day: point the address at the last few days of
//! the bulletin (the import skips what it already has) so that the next day covers it.

use std::time::Duration;

use diesel::prelude::*;

use super::{JobEnv, RunSummary};
use crate::clock::Clock;
use crate::db::schema::bodacc_feed_runs;
use crate::db::{self, DbConn};
use crate::error::AppResult;

/// The whole fetch, connection and body.
const TIMEOUT: Duration = Duration::from_secs(120);
/// The largest file taken (a day of the bulletin is a few megabytes).
const MAX_BYTES: usize = 32 * 1024 * 1024;
const FEED_LOCK: i32 = 0x4246_4544; // "BFED"

/// Runs the feed if it is configured and today's has not run; never fails the scheduler run.
pub fn run(conn: &mut DbConn, clock: &Clock, env: &JobEnv, summary: &mut RunSummary) {
    let Some(url) = env.bodacc_feed_url.as_ref() else {
        return;
    };
    match claim(conn, clock) {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(error = %e.message, "BODACC feed: cannot claim the day");
            summary
                .blocked
                .push("BODACC feed: cannot claim the day".into());
            return;
        }
    }
    let outcome = match fetch(url) {
        Err(why) => Err(format!("cannot fetch the file: {why}")),
        Ok(body) => crate::legal::bodacc::import(conn, clock, None, &body)
            .map_err(|e| format!("the file was refused: {}", e.message)),
    };
    let text = match &outcome {
        Ok(s) => {
            tracing::info!(
                new = s.new,
                matched_cases = s.matched_cases,
                "BODACC feed imported"
            );
            format!(
                "{} read, {} new, {} duplicates, {} case(s) alerted, {} unmatched, {} refused",
                s.read,
                s.new,
                s.duplicates,
                s.matched_cases,
                s.unmatched,
                s.refused.len()
            )
        }
        Err(why) => {
            tracing::error!(url = %url, error = %why, "BODACC feed failed");
            summary.blocked.push(format!("BODACC feed: {why}"));
            why.clone()
        }
    };
    if let Err(e) = diesel::update(bodacc_feed_runs::table.find(clock.today()))
        .set(bodacc_feed_runs::outcome.eq(&text))
        .execute(conn)
    {
        tracing::error!(error = %e, "BODACC feed: cannot record the outcome");
    }
}

/// Claims today's run: `false` when it is already claimed.
fn claim(conn: &mut DbConn, clock: &Clock) -> AppResult<bool> {
    db::transaction(conn, |conn| {
        db::lock_in_transaction(conn, FEED_LOCK, 0)?;
        let day = clock.today();
        let taken: bool = diesel::select(diesel::dsl::exists(bodacc_feed_runs::table.find(day)))
            .get_result(conn)?;
        if taken {
            return Ok(false);
        }
        diesel::insert_into(bodacc_feed_runs::table)
            .values((
                bodacc_feed_runs::day.eq(day),
                bodacc_feed_runs::started_at.eq(clock.now()),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// GETs the file. reqwest is async: it runs on a runtime of its own, on a thread of its own
/// (the caller may be a blocking task of the server's runtime, where no runtime may start).
fn fetch(url: &url::Url) -> Result<String, String> {
    let url = url.to_string();
    std::thread::Builder::new()
        .name("bodacc-feed".into())
        .spawn(move || {
            // The TLS backend's crypto (reqwest is built without one); already installed by
            // the S3 store when it runs first.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async move {
                let client = reqwest::Client::builder()
                    .timeout(TIMEOUT)
                    .build()
                    .map_err(|e| e.to_string())?;
                let resp = client.get(&url).send().await.map_err(|e| e.to_string())?;
                if !resp.status().is_success() {
                    return Err(format!("HTTP status {}", resp.status()));
                }
                if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
                    return Err(format!("the file is above {} MiB", MAX_BYTES >> 20));
                }
                let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
                if bytes.len() > MAX_BYTES {
                    return Err(format!("the file is above {} MiB", MAX_BYTES >> 20));
                }
                String::from_utf8(bytes.to_vec()).map_err(|_| "the file is not UTF-8 text".into())
            })
        })
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the fetch panicked".to_string())?
}
