//! Operations: request ids, access logs, metrics, readiness, graceful shutdown and backups.

mod lifecycle;

use crate::helpers::*;
use recouvra::config::{Config, HashCost};
use serde_json::Value;
use std::process::Command;

/// Runs the binary on `app`'s database with extra variables; (exit code, stdout + stderr).
pub(crate) fn run(app: &TestApp, args: &[&str], extra: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_recouvra"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(app.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .envs(extra.iter().copied())
        .output()
        .expect("run recouvra");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn get(app: &TestApp, path: &str, request_id: Option<&str>) -> ureq::Response {
    let mut req = ureq::get(&format!("{}{path}", app.base));
    if let Some(id) = request_id {
        req = req.set("X-Request-Id", id);
    }
    match req.call() {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    }
}

fn metrics(app: &TestApp) -> String {
    let r = get(app, "/metrics", None);
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.header("Content-Type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    r.into_string().unwrap()
}

/// The value of the sample named exactly `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn a_valid_request_id_is_echoed_and_an_invalid_one_is_replaced() {
    let app = TestApp::spawn();
    let r = get(&app, "/healthz", Some("edge-proxy-42.abc"));
    assert_eq!(r.header("X-Request-Id"), Some("edge-proxy-42.abc"));

    for bad in ["has space", &"x".repeat(65)] {
        let r = get(&app, "/no/such/page", Some(bad));
        assert_eq!(r.status(), 404);
        let id = r.header("X-Request-Id").unwrap().to_string();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    let generated = get(&app, "/healthz", None);
    assert_eq!(generated.header("X-Request-Id").unwrap().len(), 32);
}

#[test]
fn metrics_count_requests_by_route_pattern_and_status() {
    let app = TestApp::spawn();
    get(&app, "/no/such/page", None);
    get(&app, "/api/cases/12/nothing-here", None);
    get(&app, "/another/missing/42", None);
    get(&app, "/healthz", None);
    let text = metrics(&app);

    let unmatched =
        "recouvra_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}";
    assert_eq!(sample(&text, unmatched), Some(2.0), "{text}");
    // A matched route is labelled by its pattern, never by the raw path with its ids.
    let dossier = "recouvra_http_requests_total{route=\"/api/cases/{id}/{file}\",method=\"GET\",status=\"401\"}";
    assert_eq!(sample(&text, dossier), Some(1.0), "{text}");
    assert!(!text.contains("/api/cases/12"));
    let healthz = "recouvra_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}";
    assert_eq!(sample(&text, healthz), Some(1.0));
    assert_eq!(
        sample(
            &text,
            "recouvra_http_request_duration_seconds_count{route=\"/healthz\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            "recouvra_http_request_duration_seconds_count{route=\"unmatched\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        sample(
            &text,
            "recouvra_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"+Inf\"}"
        ),
        Some(2.0)
    );
    assert_eq!(sample(&text, "recouvra_db_pool_max"), Some(6.0));
    assert!(sample(&text, "recouvra_db_pool_connections{state=\"idle\"}").is_some());
    assert!(sample(&text, "recouvra_db_pool_connections{state=\"in_use\"}").is_some());
    assert_eq!(
        sample(&text, "recouvra_up{component=\"database\"}"),
        Some(1.0)
    );

    // The scrape itself is counted once it has answered.
    let again = metrics(&app);
    let scrape = "recouvra_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"200\"}";
    assert_eq!(sample(&again, scrape), Some(1.0));
}

#[test]
fn metrics_show_the_open_tasks_the_outbox_backlog_and_the_scheduler_lag() {
    let app = TestApp::spawn();
    let creditor = app.creditor("Fournitures Lemaire", "732829320", "compta@lemaire.test");
    let case = app.open_case(&creditor.user.token, case_input(None));
    // Start from empty queues, then create exactly what the gauges must show.
    app.exec("DELETE FROM tasks; DELETE FROM outbox;");
    let task = |status: &str| {
        format!(
            "INSERT INTO tasks (case_id, kind, title, due_on, status, created_at) \
             VALUES ({case}, 'call', 'Appeler', '2026-03-01', '{status}', '2026-03-01 09:00:00');"
        )
    };
    let message = |status: &str, next: &str| {
        format!(
            "INSERT INTO outbox (case_id, channel, kind, recipient, subject, body, status, \
             attempts, next_attempt_at, created_at) VALUES ({case}, 'email', 'reminder', \
             'a@b.test', 'Relance', 'Bonjour', '{status}', 0, '{next}', '2020-01-01 00:00:00');"
        )
    };
    app.exec(
        &[
            task("open"),
            task("open"),
            task("done"),
            message("pending", "2020-01-01 00:00:00"),
            message("pending", "2099-01-01 00:00:00"),
            message("sending", "2020-01-01 00:00:00"),
            message("failed", "2020-01-01 00:00:00"),
            message("uncertain", "2020-01-01 00:00:00"),
            message("uncertain", "2020-01-01 00:00:00"),
            message("sent", "2020-01-01 00:00:00"),
        ]
        .concat(),
    );

    let text = metrics(&app);
    assert_eq!(
        sample(&text, "recouvra_queue_open_tasks"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "recouvra_outbox_backlog{status=\"pending\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "recouvra_outbox_backlog{status=\"sending\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "recouvra_outbox_backlog{status=\"failed\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "recouvra_outbox_backlog{status=\"uncertain\"}"),
        Some(2.0)
    );
    // The lag is the age of the pending e-mail due since 2020 (the 2099 one is not due).
    let expected = (app.clock.now()
        - chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap())
    .num_seconds() as f64;
    let lag = sample(&text, "recouvra_scheduler_lag_seconds").unwrap();
    assert!(
        (lag - expected).abs() <= 5.0,
        "lag {lag}, expected {expected}"
    );
}

#[test]
fn readyz_says_ready_when_the_database_and_the_storage_answer() {
    let app = TestApp::spawn();
    let (status, body) = app.http("GET", "/readyz", None);
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "status": "ready", "database": "ok", "storage": "ok" })
    );
}

/// A server whose database cannot be opened: its SQLite path lies under a regular file, so
/// the folder cannot be created even by root (on either suite: this server has its own URL).
pub(crate) fn spawn_without_database() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("not-a-dir"), b"x").unwrap();
    let mut config = Config::from_vars(&[]).unwrap();
    config.database_url = format!(
        "sqlite://{}",
        dir.path().join("not-a-dir").join("db.sqlite").display()
    );
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.jwt_secret = b"test-secret-test-secret-test-secret!".to_vec();
    config.hash_cost = HashCost::Test;
    config.scheduler_interval_secs = 0;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = recouvra::Application::build(&config, recouvra::clock::Clock::default())
                .expect("build app");
            tx.send(app.port()).unwrap();
            let _ = app.run().await;
        })
    });
    (format!("http://127.0.0.1:{}", rx.recv().unwrap()), dir)
}

#[test]
fn readyz_answers_503_naming_the_database_when_it_is_unreachable_and_metrics_still_answer() {
    let (base, _dir) = spawn_without_database();
    let (status, body) = match ureq::get(&format!("{base}/readyz")).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 503);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "UNAVAILABLE");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "unreachable");
    assert_eq!(body["storage"], "ok");
    assert_eq!(body["message"], "the database is unreachable");

    let r = ureq::get(&format!("{base}/metrics")).call().unwrap();
    assert_eq!(r.status(), 200);
    let text = r.into_string().unwrap();
    assert_eq!(
        sample(&text, "recouvra_up{component=\"database\"}"),
        Some(0.0)
    );
    let readyz = "recouvra_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"503\"}";
    assert_eq!(sample(&text, readyz), Some(1.0), "{text}");
    assert!(!text.contains("recouvra_queue_open_tasks"));
}

#[test]
fn json_logs_are_one_json_object_per_line() {
    let app = TestApp::spawn();
    let (code, out) = run(
        &app,
        &["migrate"],
        &[
            ("RECOUVRA_LOG_FORMAT", "json"),
            ("RECOUVRA_TEST_TODAY", "2026-06-01"),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON line in {out}"));
    let event: Value = serde_json::from_str(line).unwrap();
    assert_eq!(event["level"], "WARN");
    assert_eq!(
        event["message"],
        "RECOUVRA_TEST_TODAY is set: the clock is moved (testing only)"
    );
    assert_eq!(event["day"], "2026-06-01");
    assert!(event["timestamp"].is_string());
}

#[test]
fn an_unknown_log_format_is_refused_with_one_clear_line() {
    let app = TestApp::spawn();
    let (code, out) = run(&app, &["print-schema"], &[("RECOUVRA_LOG_FORMAT", "xml")]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "recouvra: configuration error: RECOUVRA_LOG_FORMAT=xml must be `text` or `json`\n"
    );
}

#[test]
fn an_invalid_log_filter_stops_the_server_with_one_clear_line_and_a_failure_code() {
    let app = TestApp::spawn();
    // `print-schema` needs no port: without the check it would print and exit 0.
    let (code, out) = run(
        &app,
        &["print-schema"],
        &[("RECOUVRA_LOG", "recouvra=loud")],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(
            "recouvra: configuration error: RECOUVRA_LOG=recouvra=loud is not a log filter"
        ),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}
