//! The server's life: graceful shutdown of the real binary, and backups taken while it runs.

use super::run;
use crate::helpers::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sigterm_stops_the_server_and_its_scheduler_cleanly() {
    // Always SQLite in the temp dir: this test is about the process, not the backend.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recouvra"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RECOUVRA_DATA_DIR", dir.path())
        .env("RECOUVRA_BIND", format!("127.0.0.1:{port}"))
        .env("RECOUVRA_JWT_SECRET", "s".repeat(40))
        .env("RECOUVRA_SCHEDULER_INTERVAL", "1")
        .env("RECOUVRA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let answered = loop {
        match ureq::get(&format!("{base}/healthz"))
            .set("X-Request-Id", "sigterm-test-1")
            .call()
        {
            Ok(r) => break r,
            Err(_) if started.elapsed() < Duration::from_secs(20) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Err(e) => {
                let _ = child.kill();
                panic!("the server did not start: {e}");
            }
        }
    };
    assert_eq!(answered.header("X-Request-Id"), Some("sigterm-test-1"));
    // Let the scheduler run at least once, so there is a thread to stop.
    std::thread::sleep(Duration::from_millis(1500));

    // A request in flight: its headers and half its body are sent before SIGTERM, the rest
    // after; a graceful stop waits for it and answers it.
    let body = r#"{"query":"{ __typename }"}"#;
    let (first, rest) = body.split_at(10);
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        slow,
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\nX-Request-Id: in-flight\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    slow.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server exited with a request in flight"
    );
    slow.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(
        answer.ends_with(r#"{"data":{"__typename":"Query"}}"#),
        "{answer}"
    );
    let stopping = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if stopping.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{out}{err}");

    let events: Vec<Value> = out
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let access = events
        .iter()
        .find(|e| e["span"]["request_id"] == "sigterm-test-1")
        .unwrap_or_else(|| panic!("no log line of the request in {out}"));
    assert_eq!(access["message"], "request");
    assert_eq!(access["status"], 200);
    assert_eq!(access["span"]["route"], "/healthz");
    assert_eq!(access["span"]["method"], "GET");
    assert!(access["duration_ms"].as_f64().unwrap() >= 0.0);
    let messages: Vec<&str> = events
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(messages.contains(&"background scheduler stopped"), "{out}");
    assert!(messages.iter().any(|m| m.starts_with("stopping:")), "{out}");
    assert_eq!(messages.last(), Some(&"stopped"), "{out}");
    let in_flight = events
        .iter()
        .find(|e| e["span"]["request_id"] == "in-flight" && e["message"] == "request")
        .unwrap_or_else(|| panic!("no access line for the request in flight in {out}"));
    assert_eq!(in_flight["status"], 200);
    assert_eq!(in_flight["span"]["route"], "/graphql");
}

#[test]
fn a_backup_taken_while_serving_holds_the_cases_and_a_valid_audit_chain() {
    let app = TestApp::spawn();
    let creditor = app.creditor("Fournitures Lemaire", "732829320", "compta@lemaire.test");
    let case = app.open_case(&creditor.user.token, case_input(None));
    let target = app.data_dir.join("backups").join("copy.db");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let (code, out) = run(&app, &["backup", "--to", target.to_str().unwrap()], &[]);
    if app.db_url.starts_with("postgres") {
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("pg_dump"), "{out}");
        return;
    }
    assert_eq!(code, 0, "{out}");
    let size = std::fs::metadata(&target).unwrap().len();
    assert_eq!(
        out,
        format!("backup written to {} ({size} bytes)\n", target.display())
    );
    // No temporary file is left beside the copy.
    let names: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("copy.db")]);

    let copy_url = format!("sqlite://{}", target.display());
    let mut conn = recouvra::db::connect(&copy_url).unwrap();
    use diesel::prelude::*;
    use recouvra::db::schema::cases;
    let ids: Vec<i64> = match &mut conn {
        recouvra::db::DbConn::Sqlite(c) => cases::table.select(cases::id).load(c).unwrap(),
        recouvra::db::DbConn::Pg(_) => unreachable!(),
    };
    assert_eq!(ids, vec![case.parse::<i64>().unwrap()]);
    drop(conn);

    let (code, out) = run(&app, &["verify-audit"], &[("DATABASE_URL", &copy_url)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("audit trail intact: 1 case(s)"), "{out}");
}

#[test]
fn a_backup_never_overwrites_an_existing_file() {
    let app = TestApp::spawn();
    let target = app.data_dir.join("existing.db");
    std::fs::write(&target, b"precious").unwrap();
    let (code, out) = run(&app, &["backup", "--to", target.to_str().unwrap()], &[]);
    if app.db_url.starts_with("postgres") {
        assert_eq!(code, 2, "{out}");
    } else {
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out,
            format!(
                "recouvra: {} already exists: choose a new file\n",
                target.display()
            )
        );
    }
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");
}
