//! A scheduler run passes over what another instance holds instead of waiting for it
//! (PostgreSQL, `FOR UPDATE SKIP LOCKED`), and does the work on a later run once it is free.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::recovery::{run_due, world};

/// Holds row locks in a transaction of its own, as another instance mid-work would, and lets
/// them go after `hold` at the latest (so a run that waits for them shows as slow, not stuck).
fn hold(url: &str, lock_sql: &str, hold: Duration) -> std::thread::JoinHandle<()> {
    let mut c = PgConnection::establish(url).unwrap();
    c.batch_execute(&format!("BEGIN; {lock_sql}")).unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        c.batch_execute("COMMIT").unwrap();
    })
}

#[test]
fn a_run_passes_over_a_case_and_an_email_another_instance_holds() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("skipped: row locks of several instances need PostgreSQL (TEST_DATABASE_URL)");
        return;
    }
    let w = world("2026-03-16");
    let app = &w.app;
    let held_for = Duration::from_secs(4);

    // The case is held elsewhere: this run leaves it at once, step not taken.
    let holder = hold(
        &app.db_url,
        &format!("SELECT id FROM cases WHERE id = {} FOR UPDATE", w.case_id),
        held_for,
    );
    let started = Instant::now();
    let s = run_due(app);
    assert!(
        started.elapsed() < held_for / 2,
        "the run waited for the case"
    );
    assert_eq!(s["stepsRun"], 0, "{s}");
    holder.join().unwrap();
    let s = run_due(app);
    assert_eq!(
        (s["stepsRun"].as_i64(), s["emailsSent"].as_i64()),
        (Some(1), Some(1)),
        "{s}"
    );

    // The e-mail is pending again and held elsewhere: this run claims nothing, without waiting.
    app.exec(&format!(
        "UPDATE outbox SET status = 'pending', sent_at = NULL WHERE case_id = {}",
        w.case_id
    ));
    let holder = hold(
        &app.db_url,
        &format!(
            "SELECT id FROM outbox WHERE case_id = {} FOR UPDATE",
            w.case_id
        ),
        held_for,
    );
    let started = Instant::now();
    let s = run_due(app);
    assert!(
        started.elapsed() < held_for / 2,
        "the run waited for the e-mail"
    );
    assert_eq!(s["emailsSent"], 0, "{s}");
    holder.join().unwrap();
    assert_eq!(run_due(app)["emailsSent"], 1);
}
