//! Background work: the playbook scheduler, the outbox's delivery, and the mailer. One run
//! (`run_due`) is what the `run-due` command, the admin's `runDueSteps` mutation and the
//! background thread of `serve` all call. Every unit of work is its own transaction guarded so
//! that two runs at once (two instances on one PostgreSQL, or a crash and a restart) never do
//! the same thing twice.

pub mod bodacc_feed;
pub mod delivery;
pub mod mail;
pub mod presence;
pub mod scheduler;

use std::path::PathBuf;

use crate::clock::Clock;
use crate::db::Pool;

/// What the jobs (and the documents they produce) need besides the database.
pub struct JobEnv {
    /// Where `.eml` files and upload spool files are kept.
    pub data_dir: PathBuf,
    /// Where documents and evidence are kept, by SHA-256.
    pub blobs: std::sync::Arc<dyn crate::blobs::BlobStore>,
    pub mailer: mail::Mailer,
    /// Names this process in outbox claims: host, process id, and the start time, since
    /// `HOSTNAME` is often unset (systemd) and two machines can share a process id; two
    /// instances sharing a name could not tell each other's claims apart.
    pub worker: String,
    /// The database, for the presence lock's own connection.
    pub database_url: String,
    /// Shows other instances this process is alive (PostgreSQL).
    pub presence: presence::Presence,
    /// Panics caught in the scheduler since the process started (each blocked one case's
    /// step; `recouvra_scheduler_panics_total` in `/metrics`).
    pub scheduler_panics: std::sync::atomic::AtomicU64,
    /// The BODACC file fetched and imported once a day (`RECOUVRA_BODACC_FEED_URL`).
    pub bodacc_feed_url: Option<url::Url>,
}

impl JobEnv {
    pub fn new(
        database_url: &str,
        data_dir: PathBuf,
        smtp_url: Option<&str>,
        blobs: std::sync::Arc<dyn crate::blobs::BlobStore>,
    ) -> Result<JobEnv, mail::MailError> {
        let mailer = mail::Mailer::from_config(smtp_url, &data_dir)?;
        Ok(JobEnv {
            data_dir,
            blobs,
            mailer,
            worker: format!(
                "{}:{}:{:x}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "recouvra".into()),
                std::process::id(),
                chrono::Utc::now().timestamp_micros()
            ),
            database_url: database_url.to_string(),
            presence: presence::Presence::default(),
            scheduler_panics: std::sync::atomic::AtomicU64::new(0),
            bodacc_feed_url: None,
        })
    }
}

/// What one run did (printed by `run-due`, returned by `runDueSteps`).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunSummary {
    pub steps_run: u32,
    pub tasks_created: u32,
    pub messages_queued: u32,
    pub promises_kept: u32,
    pub promises_broken: u32,
    pub plans_completed: u32,
    pub plans_broken: u32,
    /// Reminders queued before an instalment or a promised date.
    pub reminders_ahead: u32,
    pub notices_expired: u32,
    pub emails_sent: u32,
    pub emails_retrying: u32,
    pub emails_failed: u32,
    pub emails_uncertain: u32,
    /// Work that could not be done, one line each (case reference and reason).
    pub blocked: Vec<String>,
    /// Half-years whose rates must be entered now (`2026-H2`), empty when none.
    pub rates_missing: Vec<String>,
}

/// Runs everything that is due now: promises and plans first (they pause or resume
/// playbooks), then formal-notice deadlines, then playbook steps, then the outbox.
pub fn run_due(
    pool: &Pool,
    clock: &Clock,
    env: &JobEnv,
) -> Result<RunSummary, crate::error::AppError> {
    let mut summary = RunSummary::default();
    let mut conn = pool.get()?;
    scheduler::check_promises(&mut conn, clock, &mut summary)?;
    scheduler::check_plans(&mut conn, clock, &mut summary)?;
    scheduler::check_formal_notices(&mut conn, clock, &mut summary)?;
    // After the promises and plans are settled: a kept one is not reminded.
    scheduler::remind_ahead(&mut conn, clock, &mut summary)?;
    // Before the steps: an announcement's alert is there when the agent opens the queue.
    bodacc_feed::run(&mut conn, clock, env, &mut summary);
    scheduler::run_steps(&mut conn, clock, env, &mut summary)?;
    // One line per run while a half-year's rates are awaited (LEGAL.md §3: never assumed).
    let missing = crate::claims::missing_rates(&mut conn, clock.today()).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot read the rate table");
        Vec::new()
    });
    if !missing.is_empty() {
        let labels: Vec<String> = missing.iter().map(|h| h.label()).collect();
        tracing::warn!(
            half_years = %labels.join(", "),
            "interest rates not entered: statements stop at the table's last day and formal \
             notices and requêtes wait; an admin must add them (addInterestRate)"
        );
        summary.rates_missing = labels;
    }
    // E-mails are claimed only while this process shows as alive: other instances take the
    // claims of a worker without presence for a dead one's.
    if env
        .presence
        .hold(&env.database_url, &env.data_dir, &env.worker)
    {
        delivery::deliver(&mut conn, clock, env, &mut summary)?;
    } else {
        summary
            .blocked
            .push("outbox: this instance cannot show it is alive; no e-mail claimed".into());
    }
    Ok(summary)
}

/// The background scheduler of `serve`, running on a thread of its own (diesel and SMTP are
/// blocking). Dropping it, or calling [`Scheduler::stop`], lets the current run finish and ends
/// the thread.
pub struct Scheduler {
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Scheduler {
    /// Asks the thread to stop and waits for it: a run in progress completes (each unit of
    /// work is its own transaction, so nothing is left half-written), no new run starts.
    pub fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::error!("the scheduler thread panicked");
        }
    }
}

/// Starts the background scheduler: one run every `interval_secs`; `None` when the interval
/// is 0 (off) or the thread cannot start. Errors of a run are logged and the next run tries
/// again.
pub fn spawn_background(
    pool: Pool,
    clock: Clock,
    env: std::sync::Arc<JobEnv>,
    interval_secs: u64,
) -> Option<Scheduler> {
    use std::sync::mpsc::RecvTimeoutError;
    if interval_secs == 0 {
        tracing::info!("background scheduler off (RECOUVRA_SCHEDULER_INTERVAL=0)");
        return None;
    }
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || loop {
            // Waiting on the channel instead of sleeping: a stop request (or the `Scheduler`
            // dropped) ends the wait at once rather than after the interval.
            match stopped.recv_timeout(std::time::Duration::from_secs(interval_secs)) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                    tracing::info!("background scheduler stopped");
                    return;
                }
            }
            // A panic outside a case's step (those are caught per case) must not end the
            // thread either: logged and counted, and the next run tries again.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_due(&pool, &clock, &env)
            }));
            let Ok(run) = run else {
                env.scheduler_panics
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::error!("a scheduler run panicked; the next run will try again");
                continue;
            };
            match run {
                Ok(s) if !s.blocked.is_empty() => {
                    tracing::warn!(blocked = ?s.blocked, "scheduler run left work undone")
                }
                Ok(s) => tracing::debug!(?s, "scheduler run"),
                Err(e) => tracing::error!(error = %e, "scheduler run failed"),
            }
        });
    match spawned {
        Ok(thread) => Some(Scheduler { stop, thread }),
        Err(e) => {
            tracing::error!(error = %e, "cannot start the scheduler thread");
            None
        }
    }
}
