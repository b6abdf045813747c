//! The processes, database and queries of the two-instance test.

use std::fs::File;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde_json::{json, Value};

use crate::helpers::PASSWORD;

pub const SECRET: &str = "instances-test-secret-instances-test-secret";
pub const CASES: usize = 24;
pub const TODAY: &str = "2026-03-16";

/// The test's database, dropped at the end whatever happens.
pub struct Database {
    pub admin: String,
    pub name: String,
    pub url: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        use diesel::connection::SimpleConnection;
        if let Ok(mut c) = diesel::PgConnection::establish(&self.admin) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The server processes, killed at the end even when an assertion fails.
#[derive(Default)]
pub struct Processes(pub Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn recouvra(db: &Database, data: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_recouvra"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        // One storage for both, as S3 would be: the instance that sends an e-mail may not be
        // the one that produced its attachment.
        .env("RECOUVRA_DATA_DIR", data)
        .env("RECOUVRA_JWT_SECRET", SECRET);
    cmd
}

/// Starts `recouvra serve` named `host` (its outbox claims read `host:<pid>:<start>`).
pub fn serve(db: &Database, data: &std::path::Path, host: &str, smtp: &str) -> (Child, String) {
    let port = free_port();
    let log = File::create(data.join(format!("{host}.log"))).unwrap();
    let child = recouvra(db, data)
        .arg("serve")
        .env("HOSTNAME", host)
        .env("RECOUVRA_BIND", format!("127.0.0.1:{port}"))
        .env("RECOUVRA_SCHEDULER_INTERVAL", "1")
        .env("RECOUVRA_SMTP_URL", smtp)
        .env("RECOUVRA_TEST_TODAY", TODAY)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

pub fn wait_healthy(base: &str) {
    let started = Instant::now();
    while ureq::get(&format!("{base}/healthz")).call().is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{base} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn gql(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = ureq::post(&format!("{base}/graphql"));
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    match req.send_json(json!({ "query": query, "variables": variables })) {
        Ok(r) => r.into_json().unwrap(),
        Err(ureq::Error::Status(_, r)) => r.into_json().unwrap(),
        Err(e) => panic!("transport error on {base}: {e}"),
    }
}

pub fn ok(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let r = gql(base, token, query, variables);
    assert!(
        r.get("errors").is_none(),
        "unexpected errors from {base}: {r}"
    );
    r["data"].clone()
}

pub fn login(base: &str, email: &str) -> (String, String) {
    let d = ok(
        base,
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }",
        json!({ "e": email, "p": PASSWORD }),
    );
    let l = &d["login"];
    (
        l["accessToken"].as_str().unwrap().to_string(),
        l["refreshToken"].as_str().unwrap().to_string(),
    )
}

#[derive(QueryableByName, Debug)]
pub struct Message {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub case_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub claimed_by: Option<String>,
}

#[derive(QueryableByName, Debug)]
pub struct Progress {
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Integer)]
    pub next_step: i32,
    #[diesel(sql_type = BigInt)]
    pub steps: i64,
    #[diesel(sql_type = BigInt)]
    pub sent: i64,
}

pub fn messages(c: &mut PgConnection) -> Vec<Message> {
    diesel::sql_query(
        "SELECT id, case_id, status, claimed_by FROM outbox \
         WHERE channel = 'email' ORDER BY id",
    )
    .load(c)
    .unwrap()
}

pub fn progress(c: &mut PgConnection) -> Vec<Progress> {
    diesel::sql_query(
        "SELECT r.case_id, r.next_step, \
           (SELECT COUNT(*) FROM case_events e WHERE e.case_id = r.case_id AND e.kind = 'playbook_step') AS steps, \
           (SELECT COUNT(*) FROM case_events e WHERE e.case_id = r.case_id AND e.kind = 'message_sent') AS sent \
         FROM case_recovery r ORDER BY r.case_id",
    )
    .load(c)
    .unwrap()
}
