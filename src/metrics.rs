//! The process's metrics registry (kept in `AppState`, never a global) and the Prometheus text
//! exposition (format 0.0.4) that `GET /metrics` serves. Written by hand: the format is a few
//! lines of text, and a client library would bring its own global registry.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Upper bounds (seconds) of the request-duration histogram's buckets; `+Inf` is implied.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Durations of one route's requests.
#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Count per bucket (not cumulative; summed when rendered), the last one is `+Inf`.
    buckets: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// Counters of the HTTP layer. Labels are bounded: the route is the matched pattern (or
/// `unmatched`), the method one of the standard ones (or `OTHER`), so a scanner probing random
/// paths cannot grow the maps without limit.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    durations: Mutex<BTreeMap<String, Histogram>>,
}

/// Figures read at scrape time, outside the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    pub pool_idle: u32,
    pub pool_in_use: u32,
    pub pool_max: u32,
    /// Panics the scheduler caught since the process started.
    pub scheduler_panics: u64,
    /// `None` when the database could not be read: the HTTP figures are served anyway.
    pub database: Option<DatabaseGauges>,
}

/// What the database says at scrape time.
#[derive(Debug, Clone, Default)]
pub struct DatabaseGauges {
    pub open_tasks: i64,
    /// Messages per status, for `pending`, `sending`, `failed` and `uncertain`.
    pub outbox: Vec<(&'static str, i64)>,
    pub scheduler_lag_seconds: i64,
    /// Half-years whose rates must be entered now (`2026-H2`), from 15 days before each starts.
    pub rates_missing: Vec<String>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        // A poisoned lock only means another request panicked mid-update: the counts are
        // still usable, so keep counting rather than losing the metrics.
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        drop(requests);
        let mut durations = self.durations.lock().unwrap_or_else(|p| p.into_inner());
        let h = durations.entry(route.to_string()).or_default();
        let slot = BUCKETS
            .iter()
            .position(|le| seconds <= *le)
            .unwrap_or(BUCKETS.len());
        h.buckets[slot] += 1;
        h.sum += seconds;
        h.count += 1;
    }

    /// The whole exposition.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let durations = self
            .durations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();

        header(
            &mut out,
            "recouvra_http_requests_total",
            "counter",
            "HTTP requests answered, by route pattern, method and status.",
        );
        for ((route, method, status), n) in &requests {
            let _ = writeln!(
                out,
                "recouvra_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }

        header(
            &mut out,
            "recouvra_http_request_duration_seconds",
            "histogram",
            "Time to answer an HTTP request, by route pattern.",
        );
        for (route, h) in &durations {
            let route = escape(route);
            let mut cumulative = 0;
            for (i, n) in h.buckets.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
                let _ = writeln!(
                    out,
                    "recouvra_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "recouvra_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "recouvra_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }

        header(
            &mut out,
            "recouvra_db_pool_connections",
            "gauge",
            "Database connections held by the pool, by state.",
        );
        let _ = writeln!(
            out,
            "recouvra_db_pool_connections{{state=\"idle\"}} {}",
            gauges.pool_idle
        );
        let _ = writeln!(
            out,
            "recouvra_db_pool_connections{{state=\"in_use\"}} {}",
            gauges.pool_in_use
        );
        header(
            &mut out,
            "recouvra_db_pool_max",
            "gauge",
            "Largest number of connections the pool may open.",
        );
        let _ = writeln!(out, "recouvra_db_pool_max {}", gauges.pool_max);

        header(
            &mut out,
            "recouvra_scheduler_panics_total",
            "counter",
            "Panics caught in the background scheduler (each blocked one case's step).",
        );
        let _ = writeln!(
            out,
            "recouvra_scheduler_panics_total {}",
            gauges.scheduler_panics
        );

        header(
            &mut out,
            "recouvra_up",
            "gauge",
            "Whether a component answered this scrape (1) or not (0).",
        );
        let _ = writeln!(
            out,
            "recouvra_up{{component=\"database\"}} {}",
            u8::from(gauges.database.is_some())
        );
        if let Some(db) = &gauges.database {
            header(
                &mut out,
                "recouvra_queue_open_tasks",
                "gauge",
                "Open tasks in the agents' queue.",
            );
            let _ = writeln!(out, "recouvra_queue_open_tasks {}", db.open_tasks);
            header(
                &mut out,
                "recouvra_outbox_backlog",
                "gauge",
                "Outbox messages not yet delivered, by status.",
            );
            for (status, n) in &db.outbox {
                let _ = writeln!(out, "recouvra_outbox_backlog{{status=\"{status}\"}} {n}");
            }
            header(
                &mut out,
                "recouvra_scheduler_lag_seconds",
                "gauge",
                "Age of the oldest pending e-mail whose send time has passed (0 when none).",
            );
            let _ = writeln!(
                out,
                "recouvra_scheduler_lag_seconds {}",
                db.scheduler_lag_seconds
            );
            header(
                &mut out,
                "recouvra_interest_rates_missing",
                "gauge",
                "1 for each half-year whose interest rates must be entered now (from 15 days before it starts); no series when the table is up to date.",
            );
            for half_year in &db.rates_missing {
                let _ = writeln!(
                    out,
                    "recouvra_interest_rates_missing{{half_year=\"{}\"}} 1",
                    escape(half_year)
                );
            }
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format wants it (backslash, quote and newline escaped).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The method label: the standard methods as they are, anything else `OTHER`.
pub fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ];
    KNOWN
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("OTHER")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_counted_once_and_falls_in_its_bucket_and_all_larger_ones() {
        let m = Metrics::default();
        m.observe("/healthz", "GET", 200, 0.02);
        m.observe("/healthz", "GET", 200, 20.0);
        let text = m.render(&Gauges::default());
        assert!(text.contains(
            "recouvra_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"
        ));
        assert!(text.contains(
            "recouvra_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.01\"} 0\n"
        ));
        assert!(text.contains(
            "recouvra_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.025\"} 1\n"
        ));
        assert!(text.contains(
            "recouvra_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"10\"} 1\n"
        ));
        assert!(text.contains(
            "recouvra_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"
        ));
        assert!(
            text.contains("recouvra_http_request_duration_seconds_count{route=\"/healthz\"} 2\n")
        );
        assert!(text.contains("recouvra_up{component=\"database\"} 0\n"));
        assert!(text.contains("recouvra_scheduler_panics_total 0\n"));
        assert!(!text.contains("recouvra_queue_open_tasks"));
    }

    #[test]
    fn label_values_are_escaped_and_odd_methods_are_folded() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(method_label("PROPFIND"), "OTHER");
        assert_eq!(method_label("PATCH"), "PATCH");
    }
}
