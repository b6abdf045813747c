//! `TestApp`: a real server on a free port with its own fresh database, and a small GraphQL
//! client. SQLite by default; PostgreSQL when TEST_DATABASE_URL names a server (each test then
//! gets its own database, dropped afterwards).

use recouvra::clock::Clock;
use recouvra::config::{Config, HashCost};
use recouvra::db::{self, DbConn};
use recouvra::Application;
use serde_json::{json, Value};
use std::sync::mpsc;

pub const PASSWORD: &str = "a-long-test-password";

pub struct TestApp {
    pub base: String,
    pub clock: Clock,
    pub db_url: String,
    pub admin_token: String,
    pg_drop: Option<(String, String)>,
    /// The server's data dir (spool, `.eml` files, and blobs on the filesystem backend).
    pub data_dir: std::path::PathBuf,
    /// The S3 endpoint and bucket when the suite runs on the S3 backend (`TEST_STORAGE=s3`).
    pub s3: Option<(String, String)>,
    /// Environment of the server's configuration, for the command-line tools.
    pub env: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

/// The firm every test lawyer enters in their profile.
pub static LAWYER_FIRM: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
    json!({ "firmName": "Cabinet Durand & Associés", "bar": "Dijon",
            "addressLine1": "3 place Darcy", "postalCode": "21000", "city": "Dijon" })
});

/// A signed-in user of the test.
#[derive(Clone, Debug)]
pub struct Login {
    pub id: String,
    pub token: String,
    pub refresh: String,
}

/// A creditor organisation with a mandate and one user.
#[derive(Clone, Debug)]
pub struct Creditor {
    pub org_id: String,
    pub user: Login,
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "recouvra_t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_subsec_nanos()
    )
}

pub fn create_pg_database(admin_url: &str) -> (String, String) {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let name = unique_name();
    let mut admin =
        diesel::PgConnection::establish(admin_url).expect("TEST_DATABASE_URL reachable");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    (format!("{base}/{name}"), name)
}

impl TestApp {
    pub fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {})
    }

    /// A server whose configuration `tweak` adjusts (e.g. an SMTP URL).
    pub fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::start(tweak, false)
    }

    /// A server whose database holds the demo data of `serve --demo`.
    pub fn spawn_demo() -> TestApp {
        TestApp::start(|_| {}, true)
    }

    /// The demo data seeded as `serve --demo` would on `date` (the clock moved there first).
    pub fn spawn_demo_on(date: &str) -> TestApp {
        let date = date.to_string();
        TestApp::start_on(|_| {}, true, Some(&date))
    }

    fn start(tweak: impl FnOnce(&mut Config), demo: bool) -> TestApp {
        TestApp::start_on(tweak, demo, None)
    }

    fn start_on(tweak: impl FnOnce(&mut Config), demo: bool, today: Option<&str>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (db_url, pg_drop) = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let (url, name) = create_pg_database(&admin);
                (url, Some((admin, name)))
            }
            _ => (
                format!("sqlite://{}", dir.path().join("test.db").display()),
                None,
            ),
        };
        let mut config = Config::from_vars(&[]).expect("default config");
        config.database_url = db_url.clone();
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.data_dir = dir.path().to_path_buf();
        config.jwt_secret = b"test-secret-test-secret-test-secret!".to_vec();
        config.hash_cost = HashCost::Test;
        config.pool_size = 6;
        // Tests run the scheduler themselves (runDueSteps), at the moments they choose.
        config.scheduler_interval_secs = 0;
        // Every query of the suite must stay well under the cost limit (issue 15): the suite
        // runs at a quarter of it (the cost tests set the real one).
        config.graphql_limits.max_cost = recouvra::config::GraphqlLimits::default().max_cost / 4;
        let s3 = s3_bucket();
        if let Some((endpoint, bucket)) = &s3 {
            config.storage_vars = vec![
                ("RECOUVRA_STORAGE".into(), "s3".into()),
                ("RECOUVRA_S3_BUCKET".into(), bucket.clone()),
                ("RECOUVRA_S3_ENDPOINT".into(), endpoint.clone()),
                ("RECOUVRA_S3_ALLOW_HTTP".into(), "true".into()),
                ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
                ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
            ];
        }
        let mut env = config.storage_vars.clone();
        env.push(("DATABASE_URL".into(), db_url.clone()));
        env.push(("RECOUVRA_DATA_DIR".into(), dir.path().display().to_string()));
        env.push((
            "RECOUVRA_JWT_SECRET".into(),
            String::from_utf8(config.jwt_secret.clone()).expect("ASCII secret"),
        ));
        tweak(&mut config);
        db::migrate(&mut db::connect(&db_url).expect("connect")).expect("migrate");

        let clock = Clock::default();
        if let Some(date) = today {
            let target = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap();
            clock.advance((target - clock.now()).num_seconds());
        }
        let (tx, rx) = mpsc::channel();
        let thread_clock = clock.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&config, thread_clock).expect("build app");
                tx.send(app.port()).expect("send port");
                let _ = app.run().await;
            })
        });
        let port = rx.recv().expect("server started");
        let mut conn = db::connect(&db_url).unwrap();
        if demo {
            let base = format!("http://127.0.0.1:{port}");
            recouvra::demo::seed(&mut conn, &clock, HashCost::Test, &base).expect("demo seeds");
        }
        recouvra::admin::create_user(
            &mut conn,
            &clock,
            HashCost::Test,
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
        .expect("bootstrap admin");
        let mut app = TestApp {
            base: format!("http://127.0.0.1:{port}"),
            clock,
            db_url,
            admin_token: String::new(),
            pg_drop,
            data_dir: dir.path().to_path_buf(),
            s3,
            env,
            _dir: dir,
        };
        app.admin_token = app.login("admin@agency.test", PASSWORD).token;
        app
    }

    pub fn conn(&self) -> DbConn {
        db::connect(&self.db_url).expect("connect")
    }

    /// Runs raw SQL on the test database (to set up states only a crash produces).
    pub fn exec(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        match &mut self.conn() {
            DbConn::Sqlite(c) => c.batch_execute(sql),
            DbConn::Pg(c) => c.batch_execute(sql),
        }
        .expect("SQL runs");
    }

    /// POSTs a GraphQL operation; returns the whole response body.
    pub fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req =
            ureq::post(&format!("{}/graphql", self.base)).set("Content-Type", "application/json");
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        match req.send_json(json!({ "query": query, "variables": variables })) {
            Ok(r) => r.into_json().expect("JSON body"),
            Err(ureq::Error::Status(_, r)) => r.into_json().expect("JSON error body"),
            Err(e) => panic!("transport error: {e}"),
        }
    }

    /// Like `gql` but expects success and returns `data`.
    pub fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let r = self.gql(token, query, variables);
        assert!(r.get("errors").is_none(), "unexpected errors: {r}");
        r["data"].clone()
    }

    /// Raw HTTP request helper returning (status, body text).
    pub fn http(&self, method: &str, path: &str, body: Option<(&str, &str)>) -> (u16, String) {
        let req = ureq::request(method, &format!("{}{}", self.base, path));
        let res = match body {
            Some((ct, b)) => req.set("Content-Type", ct).send_string(b),
            None => req.call(),
        };
        match res {
            Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
            Err(e) => panic!("transport error: {e}"),
        }
    }

    pub fn login(&self, email: &str, password: &str) -> Login {
        let d = self.ok(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id email } } }",
            json!({ "e": email, "p": password }),
        );
        Login {
            id: d["login"]["user"]["id"].as_str().unwrap().to_string(),
            token: d["login"]["accessToken"].as_str().unwrap().to_string(),
            refresh: d["login"]["refreshToken"].as_str().unwrap().to_string(),
        }
    }

    /// Creates a user with a role (and organisation) as the admin, then signs in. A lawyer
    /// also enters the profile of their firm (the requête names it, CPC 1407).
    pub fn user(&self, role: &str, email: &str, org_id: Option<&str>) -> Login {
        let login = self.user_without_profile(role, email, org_id);
        if role == "LAWYER" {
            self.ok(
                Some(&login.token),
                "mutation($i: LawyerProfileInput!) { setLawyerProfile(input: $i) { firmName } }",
                json!({ "i": LAWYER_FIRM.clone() }),
            );
        }
        login
    }

    /// [`Self::user`] without the lawyer's profile.
    pub fn user_without_profile(&self, role: &str, email: &str, org_id: Option<&str>) -> Login {
        self.ok(
            Some(&self.admin_token),
            "mutation($i: UserInput!) { createUser(input: $i) { user { id } } }",
            json!({ "i": { "email": email, "displayName": email, "role": role,
                          "organisationId": org_id, "password": PASSWORD,
                          "provisional": false } }),
        );
        self.login(email, PASSWORD)
    }

    pub fn organisation(&self, kind: &str, name: &str, siren: &str) -> String {
        let d = self.ok(
            Some(&self.admin_token),
            "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
            json!({ "i": org_input(kind, name, siren) }),
        );
        d["createOrganisation"]["id"].as_str().unwrap().to_string()
    }

    /// A creditor organisation with a signed mandate and one signed-in user.
    pub fn creditor(&self, name: &str, siren: &str, email: &str) -> Creditor {
        let org_id = self.organisation("CREDITOR", name, siren);
        self.ok(
            Some(&self.admin_token),
            "mutation($i: MandateInput!) { createMandate(input: $i) { id } }",
            json!({ "i": { "organisationId": org_id, "signedOn": "2025-01-15", "commissionBps": 1200,
                          "terms": "Mandat de recouvrement amiable, commission 12 %." } }),
        );
        let user = self.user("CREDITOR", email, Some(&org_id));
        Creditor { org_id, user }
    }

    /// Opens a case as `token` and returns its id.
    pub fn open_case(&self, token: &str, input: Value) -> String {
        let d = self.ok(Some(token), OPEN_CASE, json!({ "i": input }));
        d["openCase"]["id"].as_str().unwrap().to_string()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg_drop {
            use diesel::connection::SimpleConnection;
            use diesel::Connection;
            if let Ok(mut c) = diesel::PgConnection::establish(admin) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

pub fn org_input(kind: &str, name: &str, siren: &str) -> Value {
    json!({ "kind": kind, "name": name, "legalForm": "SAS", "siren": siren,
            "address": { "line1": "1 rue de la Paix", "postalCode": "75002", "city": "Paris" } })
}

pub const OPEN_CASE: &str = "mutation($i: OpenCaseInput!) { openCase(input: $i) { id reference state version totals { principalClaimed alreadyPaid outstanding } } }";

/// A valid case input with two invoices (1200.00 + 850.50, 100.00 already paid).
pub fn case_input(creditor_id: Option<&str>) -> Value {
    json!({
        "creditorId": creditor_id,
        "debtor": {
            "kind": "COMPANY", "name": "Boulangerie Martin", "legalForm": "SARL", "siren": "362275869",
            "address": { "line1": "12 rue de la République", "postalCode": "69002", "city": "Lyon" },
            "email": "compta@boulangerie-martin.fr"
        },
        "invoices": [
            { "number": "F-2026-001", "issueDate": "2026-01-10", "dueDate": "2026-02-09", "amount": "1200.00" },
            { "number": "F-2026-002", "issueDate": "2026-02-10", "dueDate": "2026-03-12", "amount": "850.50", "alreadyPaid": "100" }
        ],
        "note": "Relances restées sans réponse."
    })
}

/// The `extensions.code` of the first error.
pub fn code(resp: &Value) -> &str {
    resp["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no code>")
}

/// The `extensions.field` of the first error.
pub fn field(resp: &Value) -> &str {
    resp["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or("<no field>")
}

/// Moves the application clock to `date` at 10:00 UTC.
pub fn set_today(app: &TestApp, date: &str) {
    let target = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let now = app.clock.now();
    app.clock.advance((target - now).num_seconds());
}

/// A fresh access token (the clock moves by weeks; tokens last 15 minutes).
pub fn token(app: &TestApp, email: &str) -> String {
    app.login(email, PASSWORD).token
}

/// Downloads a PDF into a temporary folder of its own: the folder, and the file's path.
fn download_pdf(app: &TestApp, token: &str, url: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let resp = ureq::get(&format!("{}{}", app.base, url))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("document downloads");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, &bytes).unwrap();
    (dir, path)
}

pub fn pdf_text(app: &TestApp, token: &str, url: &str) -> String {
    let (_dir, path) = download_pdf(app, token, url);
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8(out.stdout).unwrap()
}

/// The QR codes a phone reads on the document's pages: each page rasterised at 150 dpi
/// (pdftoppm) and scanned (zbarimg, of zbar-tools).
pub fn pdf_qr_codes(app: &TestApp, token: &str, url: &str) -> Vec<String> {
    let (dir, path) = download_pdf(app, token, url);
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-png", path.to_str().unwrap()])
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .args(&pages)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// With `TEST_STORAGE=s3`, a fresh bucket on the S3 emulator at `TEST_S3_ENDPOINT`.
fn s3_bucket() -> Option<(String, String)> {
    if std::env::var("TEST_STORAGE").ok().as_deref() != Some("s3") {
        return None;
    }
    let endpoint = std::env::var("TEST_S3_ENDPOINT")
        .expect("TEST_STORAGE=s3 needs TEST_S3_ENDPOINT (see .ci/run)");
    let bucket = unique_name().replace('_', "-");
    // object_store cannot create buckets; the emulator accepts an unsigned `PUT /<bucket>`.
    ureq::put(&format!("{endpoint}/{bucket}"))
        .call()
        .unwrap_or_else(|e| panic!("creating bucket {bucket} on {endpoint}: {e}"));
    Some((endpoint, bucket))
}

impl TestApp {
    /// Replaces a stored blob's bytes behind the application's back (a disk fault, a
    /// tampering), on whichever backend the suite runs.
    pub fn tamper_blob(&self, sha256: &str, bytes: &[u8]) {
        match &self.s3 {
            Some((endpoint, bucket)) => {
                use object_store::ObjectStoreExt as _;
                let s3 = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_endpoint(endpoint)
                    .with_allow_http(true)
                    .with_region("us-east-1")
                    .with_access_key_id("testing")
                    .with_secret_access_key("testing")
                    .build()
                    .expect("S3 client");
                let path = object_store::path::Path::from(sha256);
                let payload = object_store::PutPayload::from(bytes.to_vec());
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(s3.put(&path, payload))
                    .expect("overwrite the object");
            }
            None => {
                let path = self.data_dir.join("blobs").join(&sha256[..2]).join(sha256);
                assert!(path.exists(), "no blob at {}", path.display());
                std::fs::write(path, bytes).expect("overwrite the blob");
            }
        }
    }

    /// Runs the `recouvra` binary on this app's database and storage.
    pub fn command(&self, args: &[&str]) -> (bool, String) {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_recouvra"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .expect("run recouvra");
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }
}

/// A valid SIREN (Luhn) of its own for the `n`-th company of a test: tests that need many
/// debtors (the weekly cap of the rules of contact counts per debtor).
pub fn nth_siren(n: u32) -> String {
    let body = format!("{:08}", 55_200_000 + n);
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    // Luhn over the nine digits: from the right, the check digit is not doubled, the next is.
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}
