//! Refusals on their way to the security log (issue 15, item 6). A request records at most
//! one refusal — the first refused case and how many refusals it met — and it is written by
//! one background thread after the answer, not on the request's path: a refused existing
//! record and a missing one then cost the request the same (a channel send, or nothing),
//! and one read with thousands of refused nested fields is one write, not thousands
//! serialised on the log's head row. Each user may add at most `per_minute` entries per
//! minute (a fixed window opened by their first refusal); the excess is counted and written
//! as one summarising entry when the window ends (or when the server stops), never dropped
//! silently. A payment provider's request whose signature does not verify
//! (`SecurityKind::WebhookRefused`) goes the same way, its window keyed by the caller's
//! address since no one is signed in: a flood of forged events is a few entries a minute and
//! one count, not a write each.

use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::clock::Clock;
use crate::db::Pool;
use crate::store::security::{NewEntry, SecurityKind};

/// How long a rate window lasts, in seconds of the application clock.
pub const WINDOW_SECS: i64 = 60;

/// One request's refusal, as the security log keeps it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub at: NaiveDateTime,
    /// `PermissionRefused` (a signed-in user) or `WebhookRefused` (an anonymous caller).
    pub kind: SecurityKind,
    /// The signed-in user; `None` for an anonymous caller, counted by its address.
    pub user_id: Option<i64>,
    pub ip: Option<String>,
    /// `operation: CODE (message, role r)`, the first refusal of the request (or why a
    /// webhook was refused).
    pub detail: String,
    /// The first refused case of the request, when the refusal named one.
    pub case_id: Option<i64>,
    /// Refusals the request met (one entry for all of them).
    pub count: u32,
}

/// The refusals one request met: the first is kept whole, the others counted.
#[derive(Debug, Default)]
pub struct Tally {
    first: Option<Refusal>,
    count: u32,
}

impl Tally {
    /// Adds a refusal (only the first one's text and case are kept; a later one may name
    /// the case the first did not).
    pub fn add(&mut self, refusal: Refusal) {
        self.count = self.count.saturating_add(1);
        match &mut self.first {
            None => self.first = Some(refusal),
            Some(first) if first.case_id.is_none() => first.case_id = refusal.case_id,
            Some(_) => {}
        }
    }

    /// The one entry of the request, if it met a refusal.
    pub fn take(&mut self) -> Option<Refusal> {
        let mut first = self.first.take()?;
        first.count = std::mem::take(&mut self.count);
        Some(first)
    }
}

/// What the writer has done, for [`Recorder::settle`].
#[derive(Default)]
struct Progress {
    submitted: u64,
    handled: u64,
}

/// The sending side, in `AppState`. Dropping the last one ends the writer once it has
/// written what it holds.
pub struct Recorder {
    tx: Mutex<mpsc::Sender<Refusal>>,
    progress: Arc<(Mutex<Progress>, Condvar)>,
}

impl Recorder {
    /// Starts the writer thread.
    pub fn start(pool: Pool, clock: Clock, per_minute: u32) -> Recorder {
        let (tx, rx) = mpsc::channel();
        let progress: Arc<(Mutex<Progress>, Condvar)> = Arc::default();
        let shared = progress.clone();
        let spawned = std::thread::Builder::new()
            .name("security-log".into())
            .spawn(move || {
                let mut writer = Writer {
                    pool,
                    limiter: Limiter::new(per_minute),
                };
                loop {
                    match rx.recv_timeout(Duration::from_millis(500)) {
                        Ok(refusal) => {
                            writer.admit(refusal);
                            let (lock, cvar) = &*shared;
                            if let Ok(mut p) = lock.lock() {
                                p.handled += 1;
                            }
                            cvar.notify_all();
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => {
                            writer.flush(None);
                            return;
                        }
                    }
                    writer.flush(Some(clock.now()));
                }
            });
        if let Err(e) = spawned {
            // Without the thread, refusals pile up in the channel: say it loudly.
            tracing::error!(error = %e, "cannot start the security log's writer");
        }
        Recorder {
            tx: Mutex::new(tx),
            progress,
        }
    }

    /// Hands a refusal to the writer (constant time: a channel send).
    pub fn submit(&self, refusal: Refusal) {
        if let Ok(mut p) = self.progress.0.lock() {
            p.submitted += 1;
        }
        let sent = self.tx.lock().map(|tx| tx.send(refusal.clone()));
        if !matches!(sent, Ok(Ok(()))) {
            tracing::error!(
                user = ?refusal.user_id,
                detail = %refusal.detail,
                "refusal not recorded: the security log's writer is gone"
            );
        }
    }

    /// Waits (at most `limit`) until every refusal submitted so far is handled, so that a
    /// reader of the log sees the refusals of the requests already answered. Blocking.
    pub fn settle(&self, limit: Duration) {
        let (lock, cvar) = &*self.progress;
        let Ok(guard) = lock.lock() else { return };
        let target = guard.submitted;
        let _ = cvar.wait_timeout_while(guard, limit, |p| p.handled < target);
    }
}

struct Writer {
    pool: Pool,
    limiter: Limiter,
}

impl Writer {
    fn admit(&mut self, refusal: Refusal) {
        if self.limiter.admit(&refusal) {
            let case_id = refusal.case_id;
            let detail = if refusal.count > 1 {
                format!(
                    "{}; {} refusals in this request",
                    refusal.detail, refusal.count
                )
            } else {
                refusal.detail
            };
            self.write(
                refusal.at,
                refusal.kind,
                NewEntry {
                    user_id: refusal.user_id,
                    ip: refusal.ip,
                    case_id,
                    detail,
                    ..NewEntry::default()
                },
            );
        }
    }

    /// Writes the summaries of the windows ended by `now` (all of them when `None`).
    fn flush(&mut self, now: Option<NaiveDateTime>) {
        for (key, w) in self.limiter.ended(now) {
            self.write(
                now.unwrap_or(w.last_at),
                key.kind,
                NewEntry {
                    user_id: key.user_id,
                    ip: w.ip,
                    case_id: w.first_case,
                    detail: format!(
                        "{} more refusals ({} requests) within a minute of {}, not recorded one \
                         by one (rate limit {} a minute)",
                        w.suppressed_refusals,
                        w.suppressed_requests,
                        w.started.format("%Y-%m-%d %H:%M:%S"),
                        self.limiter.per_minute
                    ),
                    ..NewEntry::default()
                },
            );
        }
    }

    fn write(&self, at: NaiveDateTime, kind: SecurityKind, entry: NewEntry) {
        let written = self
            .pool
            .get()
            .map_err(crate::error::AppError::from)
            .and_then(|mut conn| crate::security::record(&mut conn, at, kind, entry));
        if let Err(e) = written {
            tracing::error!(error = %e, "could not record a refusal in the security log");
        }
    }
}

/// Whose refusals share a window: one kind, and a user, or an anonymous caller's address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    kind: SecurityKind,
    user_id: Option<i64>,
    ip: Option<String>,
}

impl Key {
    fn of(r: &Refusal) -> Key {
        Key {
            kind: r.kind,
            user_id: r.user_id,
            ip: if r.user_id.is_some() {
                None
            } else {
                r.ip.clone()
            },
        }
    }
}

/// One user's (or address's) current window.
#[derive(Debug, Clone)]
struct Window {
    started: NaiveDateTime,
    last_at: NaiveDateTime,
    written: u32,
    suppressed_requests: u32,
    suppressed_refusals: u64,
    first_case: Option<i64>,
    ip: Option<String>,
}

/// At most `per_minute` entries per user (or address) per window; the rest counted.
struct Limiter {
    per_minute: u32,
    windows: HashMap<Key, Window>,
}

impl Limiter {
    fn new(per_minute: u32) -> Limiter {
        Limiter {
            per_minute,
            windows: HashMap::new(),
        }
    }

    /// Whether the refusal gets its own entry (else it is counted in the window's summary).
    fn admit(&mut self, r: &Refusal) -> bool {
        let w = self.windows.entry(Key::of(r)).or_insert_with(|| Window {
            started: r.at,
            last_at: r.at,
            written: 0,
            suppressed_requests: 0,
            suppressed_refusals: 0,
            first_case: None,
            ip: None,
        });
        w.last_at = w.last_at.max(r.at);
        if w.written < self.per_minute {
            w.written += 1;
            return true;
        }
        w.suppressed_requests = w.suppressed_requests.saturating_add(1);
        w.suppressed_refusals = w.suppressed_refusals.saturating_add(u64::from(r.count));
        if w.first_case.is_none() {
            w.first_case = r.case_id;
        }
        if w.ip.is_none() {
            w.ip = r.ip.clone();
        }
        false
    }

    /// Removes the windows ended by `now` (all when `None`); returns those with a summary
    /// to write.
    fn ended(&mut self, now: Option<NaiveDateTime>) -> Vec<(Key, Window)> {
        let over = |w: &Window| match now {
            Some(now) => (now - w.started).num_seconds() >= WINDOW_SECS,
            None => true,
        };
        let ids: Vec<Key> = self
            .windows
            .iter()
            .filter(|(_, w)| over(w))
            .map(|(id, _)| id.clone())
            .collect();
        let mut out = Vec::new();
        for id in ids {
            if let Some(w) = self.windows.remove(&id) {
                if w.suppressed_requests > 0 {
                    out.push((id, w));
                }
            }
        }
        out.sort_by(|(a, _), (b, _)| a.cmp(b));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + secs, 0)
            .unwrap()
            .naive_utc()
    }

    fn refusal(user_id: i64, secs: i64, count: u32, case_id: Option<i64>) -> Refusal {
        Refusal {
            at: at(secs),
            kind: SecurityKind::PermissionRefused,
            user_id: Some(user_id),
            ip: Some("10.0.0.1".into()),
            detail: "case: NOT_FOUND".into(),
            case_id,
            count,
        }
    }

    #[test]
    fn a_request_tallies_its_refusals_into_one_with_the_first_case_named() {
        let mut t = Tally::default();
        t.add(refusal(1, 0, 1, None));
        t.add(refusal(1, 0, 1, Some(7)));
        t.add(refusal(1, 0, 1, Some(9)));
        let one = t.take().unwrap();
        assert_eq!((one.count, one.case_id), (3, Some(7)));
        assert!(t.take().is_none());
    }

    #[test]
    fn past_the_rate_a_users_refusals_are_counted_and_summarised_once_the_window_ends() {
        let mut l = Limiter::new(3);
        let admitted: Vec<bool> = (0..5)
            .map(|i| l.admit(&refusal(1, i, 2, Some(40 + i))))
            .collect();
        assert_eq!(admitted, [true, true, true, false, false]);
        // Another user has a window of their own.
        assert!(l.admit(&refusal(2, 5, 1, None)));
        assert!(l.ended(Some(at(59))).is_empty());
        let ended = l.ended(Some(at(60)));
        assert_eq!(ended.len(), 1, "user 2 had nothing suppressed");
        let (key, w) = &ended[0];
        assert_eq!(key.user_id, Some(1));
        assert_eq!((w.suppressed_requests, w.suppressed_refusals), (2, 4));
        assert_eq!(w.first_case, Some(43));
        // A new window starts afresh.
        assert!(l.admit(&refusal(1, 61, 1, None)));
    }

    #[test]
    fn anonymous_refusals_share_a_window_per_address_and_kind() {
        let mut l = Limiter::new(2);
        let forged = |ip: &str, secs: i64| Refusal {
            kind: SecurityKind::WebhookRefused,
            user_id: None,
            ip: Some(ip.into()),
            ..refusal(0, secs, 1, None)
        };
        let admitted: Vec<bool> = (0..4)
            .map(|i| l.admit(&forged("198.51.100.7", i)))
            .collect();
        assert_eq!(admitted, [true, true, false, false]);
        // Another address, and a user's permission refusals, have windows of their own.
        assert!(l.admit(&forged("203.0.113.9", 4)));
        assert!(l.admit(&refusal(1, 4, 1, None)));
        let ended = l.ended(Some(at(60)));
        assert_eq!(ended.len(), 1);
        let (key, w) = &ended[0];
        assert_eq!(key.kind, SecurityKind::WebhookRefused);
        assert_eq!(key.ip.as_deref(), Some("198.51.100.7"));
        assert_eq!(w.suppressed_requests, 2);
    }

    #[test]
    fn every_window_with_suppressed_refusals_is_summarised_when_the_server_stops() {
        let mut l = Limiter::new(1);
        l.admit(&refusal(1, 0, 1, None));
        l.admit(&refusal(1, 1, 1, None));
        assert_eq!(l.ended(None).len(), 1);
    }
}
