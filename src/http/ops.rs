//! Operations endpoints: `GET /readyz` (the database and the blob store answer) and
//! `GET /metrics` (Prometheus text). Neither needs a token: they expose counts, never data;
//! keep them on an internal network (see README).

use actix_web::{web, HttpResponse};
use std::time::Duration;

use crate::app::AppState;
use crate::error::{AppError, ErrorCode};
use crate::metrics::Gauges;

/// How long a probe waits for a pooled connection: shorter than the pool's own timeout, so an
/// orchestrator's probe gets its answer before it gives up on the request.
const PROBE_WAIT: Duration = Duration::from_secs(2);

/// `GET /readyz`: 200 when a `SELECT 1` and the blob store's check both succeed, 503 naming
/// which one failed otherwise.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let database = web::block(move || {
        let mut conn = pool.get_timeout(PROBE_WAIT).map_err(AppError::from)?;
        crate::db::ping(&mut conn)
    });
    let blobs = state.jobs.blobs.clone();
    let storage = web::block(move || blobs.check());
    let (database, storage) = futures_util::future::join(database, storage).await;
    let database = database.map_err(AppError::internal).and_then(|r| r);
    let storage = storage
        .map_err(AppError::internal)
        .and_then(|r| r.map_err(AppError::internal));
    if let Err(e) = &database {
        tracing::warn!(error = %e, "readiness: database unreachable");
    }
    if let Err(e) = &storage {
        tracing::warn!(error = %e, "readiness: storage unreachable");
    }
    let word = |ok: bool| if ok { "ok" } else { "unreachable" };
    let (db_ok, storage_ok) = (database.is_ok(), storage.is_ok());
    if db_ok && storage_ok {
        return HttpResponse::Ok()
            .json(serde_json::json!({ "status": "ready", "database": "ok", "storage": "ok" }));
    }
    let failed = match (db_ok, storage_ok) {
        (false, false) => "the database and the storage are unreachable",
        (false, true) => "the database is unreachable",
        _ => "the storage is unreachable",
    };
    let mut body = AppError::new(ErrorCode::Unavailable, failed).to_json();
    body["status"] = "unavailable".into();
    body["database"] = word(db_ok).into();
    body["storage"] = word(storage_ok).into();
    HttpResponse::ServiceUnavailable().json(body)
}

/// `GET /metrics`: the HTTP figures always; the database's when it answers
/// (`recouvra_up{component="database"}` says which).
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pool_state = state.pool.state();
    let pool = state.pool.clone();
    let now = state.clock.now();
    let database = web::block(move || {
        let mut conn = pool.get_timeout(PROBE_WAIT).map_err(AppError::from)?;
        let mut gauges = crate::store::gauges::read(&mut conn, now).map_err(AppError::from)?;
        gauges.rates_missing = crate::claims::missing_rates(&mut conn, now.date())?
            .iter()
            .map(|h| h.label())
            .collect();
        Ok::<_, AppError>(gauges)
    })
    .await
    .map_err(AppError::internal)
    .and_then(|r| r);
    let database = match database {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database gauges unavailable");
            None
        }
    };
    let gauges = Gauges {
        pool_idle: pool_state.idle_connections,
        pool_in_use: pool_state
            .connections
            .saturating_sub(pool_state.idle_connections),
        pool_max: state.pool.max_size(),
        scheduler_panics: state
            .jobs
            .scheduler_panics
            .load(std::sync::atomic::Ordering::Relaxed),
        database,
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&gauges))
}
