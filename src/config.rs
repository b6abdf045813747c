//! Typed configuration, read once from the environment at start and passed down (never a
//! global). Every variable is documented in README.md; an unknown `RECOUVRA_*` variable is an
//! error, so a typo does not silently fall back to a default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Variables Recouvra reads. Keep in sync with the table in README.md.
pub const KNOWN_VARS: &[&str] = &[
    "DATABASE_URL",
    "RECOUVRA_BIND",
    "RECOUVRA_DATA_DIR",
    "RECOUVRA_JWT_SECRET",
    "RECOUVRA_LOG",
    "RECOUVRA_LOG_FORMAT",
    "RECOUVRA_DB_POOL_SIZE",
    "RECOUVRA_SMTP_URL",
    "RECOUVRA_SCHEDULER_INTERVAL",
    "RECOUVRA_TEST_TODAY",
    "RECOUVRA_MAX_UPLOAD_MB",
    "RECOUVRA_MAX_CASE_MB",
    "RECOUVRA_STORAGE",
    "RECOUVRA_S3_BUCKET",
    "RECOUVRA_S3_ENDPOINT",
    "RECOUVRA_S3_REGION",
    "RECOUVRA_S3_PREFIX",
    "RECOUVRA_S3_ALLOW_HTTP",
    "RECOUVRA_GRAPHQL_MAX_COST",
    "RECOUVRA_GRAPHQL_MAX_RESPONSE_MB",
    "RECOUVRA_GRAPHQL_TIMEOUT_SECS",
    "RECOUVRA_SECURITY_LOG_REFUSALS_PER_MINUTE",
    "RECOUVRA_PUBLIC_URL",
    "RECOUVRA_BODACC_FEED_URL",
    "RECOUVRA_STRIPE_SECRET_KEY",
    "RECOUVRA_STRIPE_WEBHOOK_SECRET",
    "RECOUVRA_STRIPE_API_URL",
];

/// The storage variables passed to `blobs::from_env` (the AWS keys are not `RECOUVRA_*`).
const STORAGE_VARS: &[&str] = &[
    "RECOUVRA_STORAGE",
    "RECOUVRA_S3_BUCKET",
    "RECOUVRA_S3_ENDPOINT",
    "RECOUVRA_S3_REGION",
    "RECOUVRA_S3_PREFIX",
    "RECOUVRA_S3_ALLOW_HTTP",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
];

/// How expensive password hashing is. Both profiles are argon2id (the production algorithm);
/// the test profile only uses less memory so the suite stays fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCost {
    Production,
    Test,
}

/// How log lines are written (`RECOUVRA_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event (the default).
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The whole configuration of a server process.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub jwt_secret: Vec<u8>,
    pub log_filter: String,
    pub log_format: LogFormat,
    pub pool_size: u32,
    pub hash_cost: HashCost,
    /// SMTP server for outgoing mail; `None` writes each message as an `.eml` file under
    /// `<data dir>/outbox` instead.
    pub smtp_url: Option<String>,
    /// Seconds between two runs of the background scheduler; 0 turns it off (run `run-due`
    /// from cron instead).
    pub scheduler_interval_secs: u64,
    /// Testing only (`RECOUVRA_TEST_TODAY=YYYY-MM-DD`): the clock starts on this date, so
    /// browser and command-line tests reach deadlines without waiting. Logged loudly.
    pub test_today: Option<chrono::NaiveDate>,
    /// Evidence size limits (`RECOUVRA_MAX_UPLOAD_MB`, `RECOUVRA_MAX_CASE_MB`).
    pub evidence_limits: crate::evidence::Limits,
    /// What one `/graphql` request may cost (`RECOUVRA_GRAPHQL_*`).
    pub graphql_limits: GraphqlLimits,
    /// Refusals one user may add to the security log per minute
    /// (`RECOUVRA_SECURITY_LOG_REFUSALS_PER_MINUTE`); the excess is counted in one entry.
    pub refusals_per_minute: u32,
    /// Where blobs go (`RECOUVRA_STORAGE`, `RECOUVRA_S3_*`, the AWS keys): read by
    /// `blobs::from_env`. Secrets: never logged.
    pub storage_vars: Vec<(String, String)>,
    /// The address users reach the server at (`RECOUVRA_PUBLIC_URL`, e.g. the HTTPS address a
    /// proxy serves): decides whether the portal's cookies are `Secure`. Unset, the request
    /// tells (HTTPS or a loopback host).
    pub public_url: Option<url::Url>,
    /// The BODACC file the scheduler fetches once a day and imports
    /// (`RECOUVRA_BODACC_FEED_URL`, an http:// or https:// address); unset, no feed.
    pub bodacc_feed_url: Option<url::Url>,
    /// Card payments on the debtor's page through Stripe (`RECOUVRA_STRIPE_SECRET_KEY`,
    /// `RECOUVRA_STRIPE_WEBHOOK_SECRET`, `RECOUVRA_STRIPE_API_URL` for a local fake); unset,
    /// the page offers the bank transfer only. Secrets: never logged.
    pub stripe: Option<crate::card::StripeConfig>,
}

impl std::fmt::Debug for Config {
    // The secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("jwt_secret", &"<redacted>")
            .field("log_filter", &self.log_filter)
            .field("log_format", &self.log_format)
            .field("pool_size", &self.pool_size)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("scheduler_interval_secs", &self.scheduler_interval_secs)
            .field("test_today", &self.test_today)
            .field("evidence_limits", &self.evidence_limits)
            .field("graphql_limits", &self.graphql_limits)
            .field("refusals_per_minute", &self.refusals_per_minute)
            .field(
                "public_url",
                &self.public_url.as_ref().map(url::Url::as_str),
            )
            .field(
                "bodacc_feed_url",
                &self.bodacc_feed_url.as_ref().map(url::Url::as_str),
            )
            .field("stripe", &self.stripe.as_ref().map(|s| s.api_url.as_str()))
            .field(
                "storage",
                &self
                    .storage_vars
                    .iter()
                    .find(|(k, _)| k == "RECOUVRA_STORAGE")
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("fs"),
            )
            .finish()
    }
}

/// The bounds of one `/graphql` request (issue 15): its cost computed before execution, the
/// size of its answer, and the time a query may take. Rules: docs/ARCHITECTURE.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphqlLimits {
    /// Largest cost accepted (`graphql::cost`), all operations of a batch together.
    pub max_cost: u64,
    /// Largest serialised answer, in bytes.
    pub max_response_bytes: usize,
    /// How long a query may run; mutations are not cut (see `http::graphql`).
    pub time_budget: std::time::Duration,
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        GraphqlLimits {
            // The portal's pages asked through GraphQL and the suite's queries stay under a
            // quarter of it; one alias of issue 15's attack costs 7 411 (tests/api/cost.rs).
            max_cost: 25_000,
            max_response_bytes: 8 * 1024 * 1024,
            time_budget: std::time::Duration::from_secs(30),
        }
    }
}

/// Default of `RECOUVRA_SECURITY_LOG_REFUSALS_PER_MINUTE`.
pub const DEFAULT_REFUSALS_PER_MINUTE: u32 = 20;

/// A configuration error: one clear line for the operator.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars().collect();
        Self::from_vars(&vars)
    }

    /// Builds a configuration from a list of variables (the environment, or a test's list).
    pub fn from_vars(vars: &[(String, String)]) -> Result<Config, ConfigError> {
        for (key, _) in vars {
            if key.starts_with("RECOUVRA_") && !KNOWN_VARS.contains(&key.as_str()) {
                return Err(ConfigError(format!(
                    "unknown variable {key} (known: {})",
                    KNOWN_VARS.join(", ")
                )));
            }
        }
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let data_dir = PathBuf::from(get("RECOUVRA_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let bind = match get("RECOUVRA_BIND") {
            Some(b) => b.parse::<SocketAddr>().map_err(|_| {
                ConfigError(format!(
                    "RECOUVRA_BIND={b} is not an address:port such as 127.0.0.1:8080"
                ))
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("recouvra.db").display()));
        crate::db::Backend::from_url(&database_url).map_err(|e| ConfigError(e.to_string()))?;
        let pool_size = match get("RECOUVRA_DB_POOL_SIZE") {
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| {
                    ConfigError(format!("RECOUVRA_DB_POOL_SIZE={s} must be 1 to 256"))
                })?,
            None => 8,
        };
        let jwt_secret = match get("RECOUVRA_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError(
                    "RECOUVRA_JWT_SECRET must be at least 32 characters".into(),
                ))
            }
            Some(s) => s.into_bytes(),
            None => Vec::new(), // filled by `ensure_jwt_secret` once the data dir exists
        };
        let scheduler_interval_secs = match get("RECOUVRA_SCHEDULER_INTERVAL") {
            Some(s) => s
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= 86_400)
                .ok_or_else(|| {
                    ConfigError(format!(
                        "RECOUVRA_SCHEDULER_INTERVAL={s} must be 0 (off) to 86400 seconds"
                    ))
                })?,
            None => 60,
        };
        let log_format = match get("RECOUVRA_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError(format!(
                    "RECOUVRA_LOG_FORMAT={other} must be `text` or `json`"
                )))
            }
        };
        // The README promises a clear stop on a bad value: a filter that does not parse would
        // otherwise fall back to `info` silently, and the operator's `debug` never shows.
        let log_filter = get("RECOUVRA_LOG").unwrap_or_else(|| "info".into());
        crate::cli::logging::parse_filter(&log_filter).map_err(|e| {
            ConfigError(format!(
                "RECOUVRA_LOG={log_filter} is not a log filter: {e}"
            ))
        })?;
        let test_today = get("RECOUVRA_TEST_TODAY")
            .map(|s| {
                chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
                    ConfigError(format!("RECOUVRA_TEST_TODAY={s} must be a YYYY-MM-DD date"))
                })
            })
            .transpose()?;
        let megabytes = |name: &str, default: u64| -> Result<u64, ConfigError> {
            match get(name) {
                Some(s) => s
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n))
                    .map(|n| n * 1024 * 1024)
                    .ok_or_else(|| {
                        ConfigError(format!("{name}={s} must be a number of MiB (1 to 1000000)"))
                    }),
                None => Ok(default * 1024 * 1024),
            }
        };
        let evidence_limits = crate::evidence::Limits {
            max_file_bytes: megabytes("RECOUVRA_MAX_UPLOAD_MB", 25)?,
            max_case_bytes: megabytes("RECOUVRA_MAX_CASE_MB", 500)?,
        };
        let number = |name: &str, max: u64, default: u64| -> Result<u64, ConfigError> {
            match get(name) {
                Some(s) => s
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| ConfigError(format!("{name}={s} must be 1 to {max}"))),
                None => Ok(default),
            }
        };
        let defaults = GraphqlLimits::default();
        let graphql_limits = GraphqlLimits {
            max_cost: number("RECOUVRA_GRAPHQL_MAX_COST", 100_000_000, defaults.max_cost)?,
            max_response_bytes: usize::try_from(
                number(
                    "RECOUVRA_GRAPHQL_MAX_RESPONSE_MB",
                    4096,
                    defaults.max_response_bytes as u64 / (1024 * 1024),
                )? * 1024
                    * 1024,
            )
            .map_err(|_| ConfigError("RECOUVRA_GRAPHQL_MAX_RESPONSE_MB is too large".into()))?,
            time_budget: std::time::Duration::from_secs(number(
                "RECOUVRA_GRAPHQL_TIMEOUT_SECS",
                3600,
                defaults.time_budget.as_secs(),
            )?),
        };
        let refusals_per_minute = u32::try_from(number(
            "RECOUVRA_SECURITY_LOG_REFUSALS_PER_MINUTE",
            100_000,
            u64::from(DEFAULT_REFUSALS_PER_MINUTE),
        )?)
        .unwrap_or(DEFAULT_REFUSALS_PER_MINUTE);
        let storage_vars = STORAGE_VARS
            .iter()
            .filter_map(|k| get(k).map(|v| (k.to_string(), v)))
            .collect();
        let public_url = get("RECOUVRA_PUBLIC_URL")
            .map(|s| {
                url::Url::parse(&s)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                    .ok_or_else(|| {
                        ConfigError(format!(
                            "RECOUVRA_PUBLIC_URL={s} must be an http:// or https:// address \
                             such as https://recouvra.example.fr"
                        ))
                    })
            })
            .transpose()?;
        let bodacc_feed_url = get("RECOUVRA_BODACC_FEED_URL")
            .map(|s| {
                url::Url::parse(&s)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                    .ok_or_else(|| {
                        ConfigError(format!(
                            "RECOUVRA_BODACC_FEED_URL={s} must be an http:// or https:// address"
                        ))
                    })
            })
            .transpose()?;
        let stripe = match (
            get("RECOUVRA_STRIPE_SECRET_KEY"),
            get("RECOUVRA_STRIPE_WEBHOOK_SECRET"),
        ) {
            (None, None) => None,
            (Some(secret_key), Some(webhook_secret)) => {
                let api_url = get("RECOUVRA_STRIPE_API_URL")
                    .unwrap_or_else(|| crate::card::STRIPE_API.to_string());
                let api_url = url::Url::parse(&api_url)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                    .ok_or_else(|| {
                        ConfigError(format!(
                            "RECOUVRA_STRIPE_API_URL={api_url} must be an http:// or https:// address"
                        ))
                    })?;
                Some(crate::card::StripeConfig {
                    secret_key,
                    webhook_secret,
                    api_url,
                })
            }
            _ => {
                return Err(ConfigError(
                    "card payments need both RECOUVRA_STRIPE_SECRET_KEY and \
                     RECOUVRA_STRIPE_WEBHOOK_SECRET"
                        .into(),
                ))
            }
        };
        Ok(Config {
            stripe,
            public_url,
            bodacc_feed_url,
            evidence_limits,
            graphql_limits,
            refusals_per_minute,
            storage_vars,
            test_today,
            smtp_url: get("RECOUVRA_SMTP_URL"),
            scheduler_interval_secs,
            database_url,
            bind,
            data_dir,
            jwt_secret,
            log_filter,
            log_format,
            pool_size,
            hash_cost: HashCost::Production,
        })
    }

    /// The blob store the configuration names (local directory by default).
    pub fn blob_store(&self) -> Result<std::sync::Arc<dyn crate::blobs::BlobStore>, ConfigError> {
        let lookup = |k: &str| {
            self.storage_vars
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone())
        };
        crate::blobs::from_env(&lookup, &self.data_dir)
            .map_err(|e| ConfigError(format!("evidence storage: {e}")))
    }

    /// The application clock: the system's, or moved to `test_today` (testing only).
    pub fn clock(&self) -> crate::clock::Clock {
        let clock = crate::clock::Clock::default();
        if let Some(day) = self.test_today {
            let now = clock.now();
            let target = day.and_time(now.time());
            clock.advance((target - now).num_seconds());
            tracing::warn!(%day, "RECOUVRA_TEST_TODAY is set: the clock is moved (testing only)");
        }
        clock
    }

    /// Creates the data dir and, when no secret was given, loads or generates the JWT secret
    /// kept in `<data dir>/jwt_secret` (with a warning: several instances need one shared secret).
    pub fn prepare_data_dir(&mut self) -> Result<(), ConfigError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| {
            ConfigError(format!(
                "cannot create data dir {}: {e}",
                self.data_dir.display()
            ))
        })?;
        if self.jwt_secret.is_empty() {
            self.jwt_secret = load_or_create_secret(&self.data_dir.join("jwt_secret"))?;
            tracing::warn!(
                "RECOUVRA_JWT_SECRET is not set: using the secret kept in the data dir \
                 (set it explicitly when running several instances)"
            );
        }
        Ok(())
    }
}

fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(s) if s.trim().len() >= 32 => return Ok(s.trim().as_bytes().to_vec()),
        Ok(_) => {
            return Err(ConfigError(format!(
                "{} is too short: delete it to generate a new secret",
                path.display()
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
    }
    let secret = crate::auth::tokens::random_token(48);
    crate::util::write_atomically(path, secret.as_bytes())
        .map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
    Ok(secret.into_bytes())
}

/// The URL without its password, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_sqlite_under_data_and_loopback() {
        let c = Config::from_vars(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://./data/recouvra.db");
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn an_unknown_recouvra_variable_is_refused() {
        let e = Config::from_vars(&vars(&[("RECOUVRA_BINDD", "x")])).unwrap_err();
        assert!(e.to_string().contains("RECOUVRA_BINDD"));
    }

    #[test]
    fn a_bad_bind_address_is_one_clear_line() {
        let e = Config::from_vars(&vars(&[("RECOUVRA_BIND", "localhost")])).unwrap_err();
        assert!(e.to_string().contains("RECOUVRA_BIND=localhost"));
    }

    #[test]
    fn the_log_format_is_text_by_default_json_on_request_and_nothing_else() {
        assert_eq!(Config::from_vars(&[]).unwrap().log_format, LogFormat::Text);
        let json = Config::from_vars(&vars(&[("RECOUVRA_LOG_FORMAT", "json")])).unwrap();
        assert_eq!(json.log_format, LogFormat::Json);
        let e = Config::from_vars(&vars(&[("RECOUVRA_LOG_FORMAT", "xml")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: RECOUVRA_LOG_FORMAT=xml must be `text` or `json`"
        );
    }

    #[test]
    fn a_log_filter_that_does_not_parse_is_refused_and_good_ones_are_kept() {
        let e = Config::from_vars(&vars(&[("RECOUVRA_LOG", "recouvra=loud")])).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("configuration error: RECOUVRA_LOG=recouvra=loud is not a log filter"),
            "{e}"
        );
        let ok =
            Config::from_vars(&vars(&[("RECOUVRA_LOG", "recouvra=debug,actix_web=warn")])).unwrap();
        assert_eq!(ok.log_filter, "recouvra=debug,actix_web=warn");
    }

    #[test]
    fn the_graphql_limits_have_defaults_and_refuse_nonsense() {
        let c = Config::from_vars(&[]).unwrap();
        assert_eq!(c.graphql_limits, GraphqlLimits::default());
        assert_eq!(c.refusals_per_minute, DEFAULT_REFUSALS_PER_MINUTE);
        let c = Config::from_vars(&vars(&[
            ("RECOUVRA_GRAPHQL_MAX_COST", "5000"),
            ("RECOUVRA_GRAPHQL_MAX_RESPONSE_MB", "2"),
            ("RECOUVRA_GRAPHQL_TIMEOUT_SECS", "7"),
            ("RECOUVRA_SECURITY_LOG_REFUSALS_PER_MINUTE", "3"),
        ]))
        .unwrap();
        assert_eq!(
            c.graphql_limits,
            GraphqlLimits {
                max_cost: 5000,
                max_response_bytes: 2 * 1024 * 1024,
                time_budget: std::time::Duration::from_secs(7),
            }
        );
        assert_eq!(c.refusals_per_minute, 3);
        let e = Config::from_vars(&vars(&[("RECOUVRA_GRAPHQL_MAX_COST", "0")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error: RECOUVRA_GRAPHQL_MAX_COST=0 must be 1 to 100000000"
        );
    }

    #[test]
    fn the_public_url_is_an_http_or_https_address() {
        let c = Config::from_vars(&vars(&[(
            "RECOUVRA_PUBLIC_URL",
            "https://recouvra.example.fr",
        )]))
        .unwrap();
        assert_eq!(c.public_url.unwrap().scheme(), "https");
        assert!(Config::from_vars(&[]).unwrap().public_url.is_none());
        for bad in ["recouvra.example.fr", "ftp://x.example", "https://"] {
            let e = Config::from_vars(&vars(&[("RECOUVRA_PUBLIC_URL", bad)])).unwrap_err();
            assert!(e.to_string().contains("RECOUVRA_PUBLIC_URL"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_unknown_database_scheme_is_refused() {
        let e = Config::from_vars(&vars(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.to_string().contains("mysql"));
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://bob:secret@db:5432/x"),
            "postgres://bob:***@db:5432/x"
        );
    }
}
