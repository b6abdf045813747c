//! HTTP routes: `/graphql`, `/graphiql`, `/api/auth/*`, `/healthz`, `/readyz`, `/metrics`,
//! documents, evidence, the CSV import, the court directory's and the BODACC's imports. Every error answer is JSON
//! with a `code`; unknown routes answer 404 JSON.

mod auth;
mod bank;
mod bodacc;
mod card;
mod courts;
pub mod errors;
mod evidence;
mod graphiql;
mod graphql;
mod import;
pub mod observe;
mod ops;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::AppState;
use crate::auth::{tokens, Actor};
use crate::error::{AppError, AppResult};

/// Largest request body accepted on JSON endpoints.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(errors::configure)
        .route("/", web::get().to(root))
        .route("/graphql", web::post().to(graphql::handle))
        .route("/graphql", web::get().to(graphql::get_not_supported))
        .route("/graphiql", web::get().to(graphiql::page))
        .route("/graphiql/assets/{file}", web::get().to(graphiql::asset))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .route("/metrics", web::get().to(ops::metrics))
        .route("/api/documents/{file}", web::get().to(document))
        .route("/api/cases/import", web::post().to(import::import))
        .route("/api/court-directory", web::post().to(courts::import))
        .route("/api/bodacc", web::post().to(bodacc::import))
        .route("/api/bank/statements", web::post().to(bank::import))
        .route("/api/cases/{id}/evidence", web::post().to(evidence::upload))
        .route("/api/cases/{id}/{file}", web::get().to(dossier))
        .route("/api/evidence/{id}", web::get().to(evidence::download))
        .route(
            "/api/debtor-pieces/{id}",
            web::get().to(evidence::download_debtor_piece),
        )
        .route("/api/auth/login", web::post().to(auth::login))
        .route("/api/auth/refresh", web::post().to(auth::refresh))
        .route("/api/auth/logout", web::post().to(auth::logout))
        .route("/webhooks/stripe", web::post().to(card::stripe))
        .configure(crate::portal::routes)
        .default_service(web::to(not_found));
}

/// Who a verified access token names, live: the actor, its sign-in (refresh family), and
/// whether the account must change a provisional password before anything else.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub actor: Actor,
    pub session: String,
    pub provisional: bool,
}

/// The caller named by `Authorization: Bearer …` (or, for a GET, the portal's access
/// cookie): `None` without either, an error when the token is malformed, forged or expired,
/// or when its sign-in has ended — signed out, revoked, or the account disabled since. That
/// last check is a database lookup (`accounts::check_session`), off the async workers.
pub async fn bearer(req: &HttpRequest, state: &AppState) -> Option<AppResult<Bearer>> {
    let access = match access_token(req, state)? {
        Ok(a) => a,
        Err(e) => return Some(Err(e)),
    };
    let now = state.clock.now();
    Some(
        state
            .run(move |conn, _| {
                let (actor, user) = crate::accounts::check_session(conn, &access, now)?;
                Ok(Bearer {
                    actor,
                    session: access.session,
                    provisional: user.must_change_password,
                })
            })
            .await,
    )
}

/// [`bearer`]'s actor, refused (`PASSWORD_CHANGE_REQUIRED`) while the account's password is
/// provisional: uploads and downloads wait for the change like every operation.
pub async fn bearer_actor(req: &HttpRequest, state: &AppState) -> Option<AppResult<Actor>> {
    Some(bearer(req, state).await?.and_then(|b| {
        if b.provisional {
            Err(crate::accounts::password_change_required())
        } else {
            Ok(b.actor)
        }
    }))
}

/// The access token of the request, its signature and expiry checked.
fn access_token(req: &HttpRequest, state: &AppState) -> Option<AppResult<tokens::Access>> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        // The portal's downloads (a link in a page) carry the session cookie instead; only for
        // GET, which changes nothing but the audit trail: writes need the header (or the
        // portal's CSRF-checked forms).
        if req.method() == actix_web::http::Method::GET {
            let cookie = req.cookie(crate::portal::session::ACCESS)?;
            return Some(tokens::verify_access(
                cookie.value(),
                state.clock.now(),
                &state.jwt_secret,
            ));
        }
        return None;
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim);
    Some(match token {
        Some(t) if !t.is_empty() => tokens::verify_access(t, state.clock.now(), &state.jwt_secret),
        _ => Err(AppError::unauthenticated(
            "the Authorization header must be `Bearer <token>`",
        )),
    })
}

/// Where links in the e-mails this request causes point (`accounts::passwords::link_base`).
pub fn link_base(req: &HttpRequest, state: &AppState) -> Option<String> {
    let info = req.connection_info();
    crate::accounts::passwords::link_base(state.public_url.as_ref(), info.scheme(), info.host())
}

/// The client's address as the connection shows it (proxies' headers are not trusted).
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// `GET /`: the portal (its sign-in page for a visitor), the first address the server prints.
async fn root() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/portal"))
        .finish()
}

/// Whether the client asked for a page (a browser following a link), not for data.
pub(crate) fn wants_page(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// A download's answer: a refusal is JSON for an API client, and the French error page for a
/// browser that followed a portal link (an expired session, a dossier that cannot be
/// produced yet), never a page of raw JSON.
pub(crate) fn download_answer(req: &HttpRequest, r: AppResult<HttpResponse>) -> HttpResponse {
    match r {
        Ok(resp) => resp,
        Err(e) if wants_page(req) => crate::portal::download_refused(req, &e),
        Err(e) => actix_web::ResponseError::error_response(&e),
    }
}

/// `GET /api/cases/{id}/dossier.pdf` and `.zip`: the injunction dossier, for the case's
/// lawyer and the agency (built as of today, or of the filing once filed).
async fn dossier(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let r = produce_dossier(req.clone(), path, state).await;
    download_answer(&req, r)
}

async fn produce_dossier(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    use crate::legal::dossier::{produce, Format};
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    let (id, file) = path.into_inner();
    let format = match file.as_str() {
        "dossier.pdf" => Format::Pdf,
        "dossier.zip" => Format::Zip,
        _ => return Err(AppError::not_found("page")),
    };
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found("case"))?;
    let produced = state
        .run_as(actor, "GET /api/cases/{id}/dossier", move |conn, state| {
            produce(
                conn,
                &state.clock,
                state.jobs.blobs.as_ref(),
                &actor,
                id,
                format,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", produced.filename),
        ))
        .insert_header(("X-Content-SHA256", produced.sha256))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(produced.bytes))
}

/// `GET /healthz`: the process answers and the database too.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.run(|conn, _| crate::db::ping(conn)).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "database": "ok" })),
        Err(_) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
    }
}

/// `GET /api/documents/{id}.pdf`: a generated document, exactly the bytes stored (checked
/// against their SHA-256), for a caller who may see its case.
async fn document(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let r = stored_document(req.clone(), path, state).await;
    download_answer(&req, r)
}

async fn stored_document(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    // Generated documents are PDFs; a dossier's archive is the one ZIP.
    let (id, zip) = match (path.strip_suffix(".pdf"), path.strip_suffix(".zip")) {
        (Some(n), _) => (n, false),
        (_, Some(n)) => (n, true),
        _ => return Err(AppError::not_found("document")),
    };
    let id = id
        .parse::<i64>()
        .ok()
        .ok_or_else(|| AppError::not_found("document"))?;
    let (doc, bytes) = state
        .run_as(actor, "GET /api/documents", move |conn, state| {
            crate::recovery::document_bytes(
                conn,
                &state.clock,
                state.jobs.blobs.as_ref(),
                &actor,
                id,
                zip,
            )
        })
        .await?;
    tracing::info!(
        user = actor.user_id,
        document = doc.id,
        "document downloaded"
    );
    Ok(HttpResponse::Ok()
        .content_type(if zip {
            "application/zip"
        } else {
            "application/pdf"
        })
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{}\"", doc.filename),
        ))
        .insert_header(("X-Content-SHA256", doc.sha256.clone()))
        .body(bytes))
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    errors::not_found(&req)
}

/// Reads a request body of at most `max` bytes. A larger one (declared or sent) is still read
/// and dropped up to a cap, so the client gets its 413 (`too_large()`) rather than a
/// connection closed while it is still sending.
pub async fn read_capped(
    req: &HttpRequest,
    body: &mut web::Payload,
    max: usize,
    too_large: fn() -> AppError,
) -> AppResult<Vec<u8>> {
    use futures_util::StreamExt as _;
    /// How much of a refused body is read before the connection is dropped.
    const DRAIN_CAP: usize = 16 * 1024 * 1024;
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut over = declared.is_some_and(|n| n > max);
    let mut drained = 0usize;
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|e| AppError::validation("file", format!("upload interrupted: {e}")))?;
        if over || bytes.len() + chunk.len() > max {
            over = true;
            drained += chunk.len();
            if drained > DRAIN_CAP {
                return Err(too_large());
            }
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    if over {
        return Err(too_large());
    }
    Ok(bytes)
}
