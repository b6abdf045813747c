//! The application: shared state, and `Application::build` used by `main` and by the tests
//! (bind port 0, read the port back, run).

use actix_web::dev::Service as _;
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::config::{Config, HashCost};
use crate::db::{self, DbConn, Pool};
use crate::error::{AppError, AppResult};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Clock,
    pub jwt_secret: std::sync::Arc<Vec<u8>>,
    pub hash_cost: HashCost,
    /// A hash to verify against when the e-mail is unknown, so that a login for a missing
    /// account costs the same time as a wrong password.
    pub dummy_hash: std::sync::Arc<String>,
    /// Data dir, blob store and mailer of the scheduler, the documents and the evidence.
    pub jobs: std::sync::Arc<crate::jobs::JobEnv>,
    pub evidence_limits: crate::evidence::Limits,
    /// Request counts and durations, served by `GET /metrics`.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// Bounds of a `/graphql` request (cost, answer size, time).
    pub graphql_limits: crate::config::GraphqlLimits,
    /// Refusals on their way to the security log (one per request, off its path).
    pub refusals: std::sync::Arc<crate::refusals::Recorder>,
    /// Whether the portal's cookies are `Secure`, when `RECOUVRA_PUBLIC_URL` decides it
    /// (HTTPS or a loopback host); `None`: each request tells (`portal::session::secure`).
    pub cookies_secure: Option<bool>,
    /// `RECOUVRA_PUBLIC_URL`: where links in e-mails point (`accounts::passwords::link_base`).
    pub public_url: Option<url::Url>,
    /// The card payment provider (`card::Stripe` when configured), else transfers only.
    pub card: Option<std::sync::Arc<dyn crate::card::Provider>>,
}

impl AppState {
    pub fn new(config: &Config, pool: Pool, clock: Clock) -> AppResult<AppState> {
        // Spool files of uploads cut short by a killed process (never blobs, never rows).
        let swept = crate::util::sweep_old_files(
            &config.data_dir.join("spool"),
            std::time::Duration::from_secs(3600),
        );
        if swept > 0 {
            tracing::info!(swept, "stale upload spool files removed");
        }
        let refusals = std::sync::Arc::new(crate::refusals::Recorder::start(
            pool.clone(),
            clock.clone(),
            config.refusals_per_minute,
        ));
        Ok(AppState {
            refusals,
            graphql_limits: config.graphql_limits,
            pool,
            clock,
            jwt_secret: std::sync::Arc::new(config.jwt_secret.clone()),
            hash_cost: config.hash_cost,
            dummy_hash: std::sync::Arc::new(crate::auth::password::hash(
                "dummy password for timing",
                config.hash_cost,
            )?),
            jobs: std::sync::Arc::new(crate::jobs::JobEnv {
                bodacc_feed_url: config.bodacc_feed_url.clone(),
                ..crate::jobs::JobEnv::new(
                    &config.database_url,
                    config.data_dir.clone(),
                    config.smtp_url.as_deref(),
                    config.blob_store().map_err(AppError::internal)?,
                )
                .map_err(|e| AppError::internal(format!("mail configuration: {e}")))?
            }),
            evidence_limits: config.evidence_limits,
            metrics: std::sync::Arc::default(),
            public_url: config.public_url.clone(),
            card: match &config.stripe {
                Some(c) => Some(std::sync::Arc::new(
                    crate::card::Stripe::new(c.clone()).map_err(AppError::internal)?,
                )),
                None => None,
            },
            cookies_secure: config.public_url.as_ref().map(|u| {
                u.scheme() == "https"
                    || u.host_str()
                        .is_some_and(crate::portal::session::is_loopback_host)
            }),
        })
    }

    /// Runs blocking work (diesel, argon2) with a pooled connection on the blocking thread
    /// pool, never on the async workers.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &AppState) -> AppResult<T> + Send + 'static,
    {
        let state = self.clone();
        let span = tracing::Span::current();
        web::block(move || {
            let _entered = span.enter();
            let mut conn = state.pool.get()?;
            f(&mut conn, &state)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// [`AppState::run`] for a signed-in caller: when the policy refuses them, the refusal
    /// is handed to the security log's writer (`refusals`), which records it off the
    /// request's path, so a refused record costs the request what a missing one does.
    pub async fn run_as<T, F>(&self, actor: Actor, operation: &str, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &AppState) -> AppResult<T> + Send + 'static,
    {
        let result = self.run(f).await;
        if let Err(e) = &result {
            if let Some(refusal) =
                crate::security::refusal_of(self.clock.now(), &actor, e, operation, None)
            {
                self.refusals.submit(refusal);
            }
        }
        result
    }
}

/// How long in-flight requests may take to finish once a stop is asked for.
pub const SHUTDOWN_TIMEOUT_SECS: u64 = 30;

/// A built server, bound and ready to run.
pub struct Application {
    port: u16,
    server: actix_web::dev::Server,
    scheduler: Option<crate::jobs::Scheduler>,
    pub state: AppState,
}

impl Application {
    /// Binds the configured address (port 0 picks a free port), with the given clock.
    pub fn build(config: &Config, clock: Clock) -> anyhow::Result<Application> {
        let pool = db::pool(&config.database_url, config.pool_size)?;
        let state = AppState::new(config, pool, clock).map_err(|e| anyhow::anyhow!("{e}"))?;
        let listener = TcpListener::bind(config.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
        let port = listener.local_addr()?.port();
        let scheduler = crate::jobs::spawn_background(
            state.pool.clone(),
            state.clock.clone(),
            state.jobs.clone(),
            config.scheduler_interval_secs,
        );
        let schema = web::Data::new(crate::graphql::schema());
        let data = web::Data::new(state.clone());
        let metrics = state.metrics.clone();
        let server = HttpServer::new(move || {
            let metrics = metrics.clone();
            App::new()
                .app_data(data.clone())
                .app_data(schema.clone())
                .configure(crate::http::routes)
                // Inside the access log, which then sees the coded answer.
                .wrap(crate::http::errors::safety_net())
                .wrap_fn(move |req, srv| {
                    let started = crate::http::observe::start(&req);
                    let response = srv.call(req);
                    crate::http::observe::finish(started, response, metrics.clone())
                })
        })
        // Signals are the caller's business (`serve` wires SIGTERM and SIGINT to a graceful
        // stop); a test process running many servers must not have them caught.
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            scheduler,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server (gracefully or not) from elsewhere.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped, then stops the background scheduler (its current
    /// run finishes first).
    pub async fn run(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(scheduler) = self.scheduler {
            // Joining blocks: off the async worker, like any blocking work.
            let _ = web::block(move || scheduler.stop()).await;
        }
        served
    }
}
