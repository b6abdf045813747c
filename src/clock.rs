//! The application clock. Production reads the system time; tests move it forward to reach a
//! lock-out's end, an expiry or a deadline without sleeping.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// UTC time with an adjustable offset (zero outside tests).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// The current UTC time, truncated to microseconds (what both databases store).
    pub fn now(&self) -> NaiveDateTime {
        let t = Utc::now().naive_utc()
            + chrono::Duration::seconds(self.offset_seconds.load(Ordering::Relaxed));
        let micros = t.and_utc().timestamp_micros();
        chrono::DateTime::from_timestamp_micros(micros)
            .map(|d| d.naive_utc())
            .unwrap_or(t)
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }

    /// Moves the clock forward (tests only; shared by every clone of this clock).
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}
