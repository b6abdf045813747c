//! PostgreSQL stopped and started again under a serving Recouvra: clear 503s during the
//! outage, bounded in time, and service again afterwards without restarting Recouvra. The test
//! runs its own throw-away cluster (it must stop it), so it needs the PostgreSQL binaries.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::*;

/// Longest a request may take during the outage: the pool waits 5 s for a connection, and
/// the rest is room for a loaded CI machine.
const BOUNDED: Duration = Duration::from_secs(15);

/// A private PostgreSQL cluster in a temp dir, stopped and removed when dropped.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("pg_ctl").exists() && b.join("initdb").exists())
        .collect();
    // The newest version (directory names are major versions: sort numerically).
    dirs.sort_by_key(|b| {
        b.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

/// Runs a PostgreSQL tool, as the `postgres` user when the test runs as root (PostgreSQL
/// refuses to run as root).
fn pg(bin: &Path, tool: &str, args: &[&str]) {
    let exe = bin.join(tool);
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let out = if as_root {
        let quoted: Vec<String> = std::iter::once(exe.display().to_string())
            .chain(args.iter().map(|a| a.to_string()))
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect();
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", &quoted.join(" ")])
            .output()
    } else {
        Command::new(&exe).args(args).output()
    }
    .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    fn start(bin: PathBuf) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("recouvra-outage")
            .tempdir()
            .unwrap();
        // The postgres user must own the folder (harmless when not root: it fails quietly).
        let _ = Command::new("chown")
            .args(["postgres", dir.path().to_str().unwrap()])
            .output();
        let data = dir.path().join("data");
        pg(
            &bin,
            "initdb",
            &[
                "-A",
                "trust",
                "-U",
                "postgres",
                "-D",
                data.to_str().unwrap(),
            ],
        );
        // A free port of 55450-55459 (the range this machine's tests keep to), else any.
        let port = (55450..=55459)
            .find(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok())
            .unwrap_or_else(|| {
                std::net::TcpListener::bind("127.0.0.1:0")
                    .unwrap()
                    .local_addr()
                    .unwrap()
                    .port()
            });
        let cluster = Cluster { bin, dir, port };
        cluster.ctl_start();
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn ctl_start(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log").display().to_string();
        pg(
            &self.bin,
            "pg_ctl",
            &["-D", &self.data(), "-l", &log, "-w", "-o", &opts, "start"],
        );
    }

    /// A fast stop: sessions are terminated, as in a crash or a failover of the server.
    fn ctl_stop(&self) {
        pg(
            &self.bin,
            "pg_ctl",
            &["-D", &self.data(), "-m", "fast", "-w", "stop"],
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
            eprintln!("--- the PostgreSQL log ---\n{log}");
        }
        let _ = std::panic::catch_unwind(|| {
            pg(
                &self.bin,
                "pg_ctl",
                &["-D", &data, "-m", "immediate", "stop"],
            )
        });
    }
}

/// (status, JSON body, time taken) of a request that must answer within [`BOUNDED`].
fn call(req: ureq::Request, body: Option<Value>) -> (u16, Value, Duration) {
    let started = Instant::now();
    let req = req.timeout(BOUNDED);
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let r = match res {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!(
            "no answer within {BOUNDED:?} (after {:?}): {e}",
            started.elapsed()
        ),
    };
    let status = r.status();
    let text = r.into_string().unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, json, started.elapsed())
}

#[test]
fn a_postgresql_outage_answers_503_and_service_resumes_without_a_restart() {
    let Some(bin) = pg_bin() else {
        assert!(
            std::env::var("TEST_DATABASE_URL").is_err(),
            "the PostgreSQL pass needs the PostgreSQL binaries in /usr/lib/postgresql/*/bin"
        );
        eprintln!("skipped: no PostgreSQL binaries in /usr/lib/postgresql/*/bin");
        return;
    };
    let cluster = Cluster::start(bin);
    let data = tempfile::tempdir().unwrap();
    let env: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), cluster.url()),
        (
            "RECOUVRA_DATA_DIR".into(),
            data.path().display().to_string(),
        ),
        (
            "RECOUVRA_JWT_SECRET".into(),
            "outage-test-secret-outage-test-secret".into(),
        ),
    ];
    let mut conn = recouvra::db::connect(&cluster.url()).unwrap();
    recouvra::db::migrate(&mut conn).unwrap();
    recouvra::admin::create_user(
        &mut conn,
        &recouvra::clock::Clock::default(),
        recouvra::config::HashCost::Test,
        None,
        &recouvra::admin::UserInput {
            email: "admin@agency.test".into(),
            display_name: "Admin".into(),
            role: recouvra::domain::parties::Role::Admin,
            organisation_id: None,
            password: Some(PASSWORD.into()),
            provisional: false,
        },
    )
    .unwrap();
    drop(conn);
    let server = Server::start_with(env, &[("RECOUVRA_SCHEDULER_INTERVAL", "1")]);
    let token = server.login("admin@agency.test");
    let base = server.base.clone();
    let me = || {
        call(
            ureq::post(&format!("{base}/graphql")).set("Authorization", &format!("Bearer {token}")),
            Some(json!({ "query": "{ me { email } }" })),
        )
    };
    let piece = || {
        call(
            ureq::get(&format!("{base}/api/evidence/1"))
                .set("Authorization", &format!("Bearer {token}")),
            None,
        )
    };
    let readyz = || call(ureq::get(&format!("{base}/readyz")), None);

    // Up: every request served, the pool holds live connections.
    assert_eq!(me().1["data"]["me"]["email"], "admin@agency.test");
    assert_eq!(piece().0, 404);
    assert_eq!(readyz().0, 200);

    cluster.ctl_stop();
    // Down: 503 with a JSON body that names the problem and nothing internal, within the
    // pool's wait. The four requests go side by side (each waits up to 5 s for a connection).
    let login = || {
        call(
            ureq::post(&format!("{base}/graphql")),
            Some(
                json!({ "query": "mutation { login(email: \"admin@agency.test\", password: \"x\") { accessToken } }" }),
            ),
        )
    };
    let (me_down, piece_down, ready_down, login_down) = std::thread::scope(|s| {
        let me = s.spawn(me);
        let piece = s.spawn(piece);
        let ready = s.spawn(readyz);
        let login = s.spawn(login);
        (
            me.join().unwrap(),
            piece.join().unwrap(),
            ready.join().unwrap(),
            login.join().unwrap(),
        )
    });
    let (status, body, took) = me_down;
    eprintln!(
        "during the outage: me {took:?}, piece {:?}, readyz {:?}, login {:?}",
        piece_down.2, ready_down.2, login_down.2
    );
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert!(body["data"].is_null(), "{body}");
    let (status, body, _) = piece_down;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "UNAVAILABLE", "{body}");
    let (status, ready, _) = ready_down;
    assert_eq!(status, 503, "{ready}");
    assert_eq!(ready["database"], "unreachable", "{ready}");
    let (status, login, _) = login_down;
    assert_eq!(status, 503, "{login}");
    assert_eq!(login["errors"][0]["extensions"]["code"], "UNAVAILABLE");
    for text in [body.to_string(), login.to_string(), ready.to_string()] {
        for internal in ["127.0.0.1", "postgres", "Connection refused", "socket"] {
            assert!(!text.contains(internal), "internal detail in {text}");
        }
    }

    // Back: served again by the same process, after at most a few seconds.
    cluster.ctl_start();
    let started = Instant::now();
    loop {
        let (status, body, _) = me();
        if status == 200 {
            assert_eq!(body["data"]["me"]["email"], "admin@agency.test");
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no recovery: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(piece().0, 404);
    assert_eq!(readyz().0, 200);
    let out = server.output.lock().unwrap().clone();
    assert!(!out.contains("panicked"), "{out}");
}
