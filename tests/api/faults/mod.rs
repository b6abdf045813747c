//! Fault tests (issue 7): a real `recouvra serve` process killed with SIGKILL in the middle of
//! an evidence upload, a dossier build and a scheduler run that sends e-mails; then restarted on
//! the same database and storage. Each test checks that the interrupted work is either complete
//! or absent (never half), that no e-mail goes twice, that temp files left behind are ignored
//! (and swept once stale), and that `recouvra fsck` and `recouvra verify-audit` exit 0. Plus a
//! PostgreSQL outage while serving: clear 503s during it, recovery without a restart.
//!
//! The world is set up through an in-process [`TestApp`] (its helpers and clock); the process
//! under test is a separate `recouvra serve` on the same database and storage, so it runs on
//! SQLite, PostgreSQL and S3 alike.

mod dossier;
mod pg_outage;
mod scheduler;
mod upload;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::{json, Value};

use crate::helpers::*;

/// A `recouvra serve` process, killed (SIGKILL) when dropped so a failing test leaves none.
pub struct Server {
    child: Child,
    pub base: String,
    pub port: u16,
    /// Everything the process printed (drained by a thread, so its pipe never fills).
    pub output: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `recouvra serve` on `app`'s database and storage, on a free port, with `extra`
    /// variables (which win over the app's); returns once it listens.
    pub fn start(app: &TestApp, extra: &[(&str, &str)]) -> Server {
        Self::start_with(
            app.env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            extra,
        )
    }

    /// Starts `recouvra serve` with exactly `env` (plus `extra`).
    pub fn start_with(env: Vec<(String, String)>, extra: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_recouvra"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RECOUVRA_SCHEDULER_INTERVAL", "0")
            .envs(env)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start recouvra serve");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn std::io::Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Some(tx) = &tx {
                        // The URL is on the "listening" line.
                        if let Some(u) = line.split_whitespace().find(|w| w.starts_with("http://"))
                        {
                            let _ = tx.send(u.to_string());
                        }
                    }
                    let mut out = output.lock().unwrap();
                    out.push_str(&line);
                    out.push('\n');
                }
            });
        }
        let base = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server did not start:\n{}", output.lock().unwrap());
            }
        };
        let port = base.rsplit(':').next().unwrap().parse().unwrap();
        Server {
            child,
            base,
            port,
            output,
        }
    }

    /// SIGKILL: no handler runs, nothing is flushed or rolled back by the process itself.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = ureq::post(&format!("{}/graphql", self.base))
            .timeout(Duration::from_secs(30))
            .set("Content-Type", "application/json");
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        match req.send_json(json!({ "query": query, "variables": variables })) {
            Ok(r) => r.into_json().unwrap(),
            Err(ureq::Error::Status(_, r)) => r.into_json().unwrap(),
            Err(e) => panic!("transport error on {}: {e}", self.base),
        }
    }

    pub fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let r = self.gql(token, query, variables);
        assert!(r.get("errors").is_none(), "unexpected errors: {r}");
        r["data"].clone()
    }

    /// Signs in on this process (its clock may differ from the test app's).
    pub fn login(&self, email: &str) -> String {
        let d = self.ok(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            json!({ "e": email, "p": PASSWORD }),
        );
        d["login"]["accessToken"].as_str().unwrap().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A failed test says what the server printed: the why of a failure seen only on CI.
        if std::thread::panicking() {
            let out = self.output.lock().map(|o| o.clone()).unwrap_or_default();
            let from = out.char_indices().rev().nth(7999).map_or(0, |(i, _)| i);
            let tail = &out[from..];
            eprintln!("--- the server printed (last 8000 characters) ---\n{tail}");
        }
    }
}

/// One number from the test database (`SELECT COUNT(*) AS n ...`).
pub fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: N = match &mut app.conn() {
        recouvra::db::DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c),
        recouvra::db::DbConn::Pg(c) => diesel::sql_query(sql).get_result(c),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.n
}

/// What `recouvra fsck` said: (blobs, hashes referenced by rows, full output), asserting it
/// exits 0 (no orphan, no missing, no corrupted blob).
pub fn fsck_clean(app: &TestApp) -> (usize, usize, String) {
    let (ok, out) = app.command(&["fsck"]);
    assert!(ok, "fsck: {out}");
    assert!(out.contains("archive intact"), "{out}");
    let first = out
        .lines()
        .find(|l| l.contains("blob(s),"))
        .unwrap_or_else(|| panic!("{out}"));
    let mut numbers = first
        .split_whitespace()
        .filter_map(|w| w.parse::<usize>().ok());
    (numbers.next().unwrap(), numbers.next().unwrap(), out)
}

/// `recouvra verify-audit` exits 0.
pub fn audit_intact(app: &TestApp) {
    let (ok, out) = app.command(&["verify-audit"]);
    assert!(ok, "verify-audit: {out}");
    assert!(out.contains("audit trail intact"), "{out}");
}

/// Polls `cond` every 20 ms for up to `secs` seconds.
pub fn wait_until(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn graphql_and_rest_answer_503_unavailable_when_the_database_cannot_be_reached() {
    // A server whose SQLite file cannot be opened: every request needing the database waits
    // for the pool (5 s at most), then answers 503 with a JSON body and nothing internal.
    let (base, _dir) = crate::ops::spawn_without_database();
    // REST with a valid token (the test servers' secret): the piece cannot be looked up.
    let actor = recouvra::auth::Actor {
        user_id: 1,
        role: recouvra::domain::parties::Role::Agent,
        org_id: None,
    };
    let token = recouvra::auth::tokens::issue_access(
        &actor,
        "a sign-in",
        chrono::Utc::now().naive_utc(),
        b"test-secret-test-secret-test-secret!",
    )
    .unwrap();
    // Both requests side by side: each waits for the pool.
    let answer = |r: Result<ureq::Response, ureq::Error>| match r {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (
            r.status(),
            r.header("Retry-After").map(str::to_string),
            r.into_json::<Value>().unwrap(),
        ),
        Err(e) => panic!("transport error: {e}"),
    };
    let (graphql, rest) = std::thread::scope(|s| {
        let graphql = s.spawn(|| {
            answer(
                ureq::post(&format!("{base}/graphql"))
                    .timeout(Duration::from_secs(12))
                    .send_json(json!({ "query": "mutation { login(email: \"a@b.test\", password: \"x\") { accessToken } }" })),
            )
        });
        let rest = s.spawn(|| {
            answer(
                ureq::get(&format!("{base}/api/evidence/1"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .timeout(Duration::from_secs(12))
                    .call(),
            )
        });
        (graphql.join().unwrap(), rest.join().unwrap())
    });
    let (status, retry_after, body) = graphql;
    assert_eq!(status, 503, "{body}");
    assert_eq!(retry_after.as_deref(), Some("5"));
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert!(!body.to_string().contains("not-a-dir"), "{body}");
    let (status, _, body) = rest;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "UNAVAILABLE", "{body}");
    assert_eq!(
        body["message"],
        "the database is unavailable, please retry shortly"
    );
}
