//! The portal: server-rendered pages (tera, `templates/portal/`) over the same use cases as
//! the API. French text, forms that work without JavaScript, every form with a CSRF token,
//! the session in HttpOnly SameSite=Strict cookies (`session`).

/// The session of a page, or the response that ends the handler: the sign-in page (then back),
/// or the error page (the password page for a provisional password).
macro_rules! signed_or_return {
    ($req:expr, $state:expr, $csrf:expr) => {
        match $crate::portal::session::signed_in(&$req, &$state).await {
            Ok(Some(s)) => s,
            Ok(None) => return $crate::portal::session::to_sign_in(&$req),
            Err(e) => return $crate::portal::error_page(&e, None, &$csrf),
        }
    };
}

mod actions;
mod admin;
mod agenda;
mod bank;
mod case_page;
mod debtor;
mod export;
mod import;
mod money;
mod new_case;
mod outbox;
mod pages;
pub mod parity;
mod password;
mod payments;
mod pieces;
mod profile;
mod queue;
pub mod session;
mod svg;
mod upload;

pub(crate) use crate::i18n::french;

use std::sync::OnceLock;

use actix_web::{web, HttpResponse};
use tera::Tera;

use crate::domain::parties::Role;
use crate::domain::workflow::CaseState;
use crate::error::{AppError, ErrorCode};

use session::{CsrfToken, Signed};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "portal/debtor_base.html",
        include_str!("../../templates/portal/debtor_base.html"),
    ),
    (
        "portal/debtor_error.html",
        include_str!("../../templates/portal/debtor_error.html"),
    ),
    (
        "portal/debtor_check.html",
        include_str!("../../templates/portal/debtor_check.html"),
    ),
    (
        "portal/debtor_link.html",
        include_str!("../../templates/portal/debtor_link.html"),
    ),
    (
        "portal/debtor.html",
        include_str!("../../templates/portal/debtor.html"),
    ),
    (
        "portal/base.html",
        include_str!("../../templates/portal/base.html"),
    ),
    (
        "portal/login.html",
        include_str!("../../templates/portal/login.html"),
    ),
    (
        "portal/error.html",
        include_str!("../../templates/portal/error.html"),
    ),
    (
        "portal/cases.html",
        include_str!("../../templates/portal/cases.html"),
    ),
    (
        "portal/case.html",
        include_str!("../../templates/portal/case.html"),
    ),
    (
        "portal/dashboard.html",
        include_str!("../../templates/portal/dashboard.html"),
    ),
    (
        "portal/queue.html",
        include_str!("../../templates/portal/queue.html"),
    ),
    (
        "portal/macros.html",
        include_str!("../../templates/portal/macros.html"),
    ),
    (
        "portal/new_case.html",
        include_str!("../../templates/portal/new_case.html"),
    ),
    (
        "portal/import.html",
        include_str!("../../templates/portal/import.html"),
    ),
    (
        "portal/import_report.html",
        include_str!("../../templates/portal/import_report.html"),
    ),
    (
        "portal/payments.html",
        include_str!("../../templates/portal/payments.html"),
    ),
    (
        "portal/money.html",
        include_str!("../../templates/portal/money.html"),
    ),
    (
        "portal/bank.html",
        include_str!("../../templates/portal/bank.html"),
    ),
    (
        "portal/outbox.html",
        include_str!("../../templates/portal/outbox.html"),
    ),
    (
        "portal/agenda.html",
        include_str!("../../templates/portal/agenda.html"),
    ),
    (
        "portal/admin/home.html",
        include_str!("../../templates/portal/admin/home.html"),
    ),
    (
        "portal/admin/users.html",
        include_str!("../../templates/portal/admin/users.html"),
    ),
    (
        "portal/admin/organisations.html",
        include_str!("../../templates/portal/admin/organisations.html"),
    ),
    (
        "portal/admin/mandates.html",
        include_str!("../../templates/portal/admin/mandates.html"),
    ),
    (
        "portal/admin/playbooks.html",
        include_str!("../../templates/portal/admin/playbooks.html"),
    ),
    (
        "portal/admin/playbook.html",
        include_str!("../../templates/portal/admin/playbook.html"),
    ),
    (
        "portal/admin/rates.html",
        include_str!("../../templates/portal/admin/rates.html"),
    ),
    (
        "portal/admin/settings.html",
        include_str!("../../templates/portal/admin/settings.html"),
    ),
    (
        "portal/admin/courts.html",
        include_str!("../../templates/portal/admin/courts.html"),
    ),
    (
        "portal/admin/security.html",
        include_str!("../../templates/portal/admin/security.html"),
    ),
    (
        "portal/admin/bodacc.html",
        include_str!("../../templates/portal/admin/bodacc.html"),
    ),
    (
        "portal/password.html",
        include_str!("../../templates/portal/password.html"),
    ),
    (
        "portal/profile.html",
        include_str!("../../templates/portal/profile.html"),
    ),
];

const CSS: &str = include_str!("../../static/portal/portal.css");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/portal", web::get().to(pages::home))
        .route("/portal/", web::get().to(pages::home))
        .route("/portal/login", web::get().to(pages::login_form))
        .route("/portal/login", web::post().to(pages::login))
        .route("/portal/logout", web::post().to(pages::logout))
        .route("/portal/password", web::get().to(password::change_form))
        .route("/portal/password", web::post().to(password::change))
        .route(
            "/portal/password/forgot",
            web::get().to(password::forgot_form),
        )
        .route("/portal/password/forgot", web::post().to(password::forgot))
        .route(
            "/portal/password/reset",
            web::get().to(password::reset_form),
        )
        .route("/portal/password/reset", web::post().to(password::reset))
        .route("/portal/cases", web::get().to(pages::cases))
        .route("/portal/cases/new", web::get().to(new_case::form))
        .route("/portal/cases/new", web::post().to(new_case::submit))
        .route("/portal/cases/{id}", web::get().to(pages::case))
        .route(
            "/portal/cases/{id}/actions/{action}",
            web::post().to(pages::case_action),
        )
        .route("/portal/cases/{id}/pieces", web::post().to(pieces::add))
        .route(
            "/portal/cases/{id}/debtor-link",
            web::post().to(debtor::staff_link),
        )
        .route("/portal/dashboard", web::get().to(pages::dashboard))
        .route("/portal/queue", web::get().to(queue::queue))
        .route("/portal/queue/assign", web::post().to(queue::assign))
        .route("/portal/outbox", web::get().to(outbox::list))
        .route("/portal/payments", web::get().to(payments::show))
        .route("/portal/cases.csv", web::get().to(export::cases_csv))
        .route("/portal/money", web::get().to(money::show))
        .route("/portal/money/{action}", web::post().to(money::post))
        .route("/portal/bank", web::get().to(bank::show))
        .route("/portal/bank/import", web::post().to(bank::import))
        .route("/portal/bank/{action}", web::post().to(bank::decide))
        .route("/portal/outbox/{id}", web::post().to(outbox::decide))
        .route("/portal/agenda", web::get().to(agenda::agenda))
        .route("/portal/agenda.ics", web::get().to(agenda::feed))
        .route("/portal/profile", web::get().to(profile::form))
        .route("/portal/profile", web::post().to(profile::save))
        .route(
            "/portal/profile/agenda-feed",
            web::post().to(profile::create_feed),
        )
        .route(
            "/portal/profile/agenda-feed/revoke",
            web::post().to(profile::revoke_feed),
        )
        .route("/portal/import", web::get().to(import::form))
        .route("/portal/import", web::post().to(import::upload))
        .route("/portal/import/example.csv", web::get().to(import::example))
        .route("/portal/static/portal.css", web::get().to(css))
        .configure(debtor::routes)
        .configure(admin::routes);
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(CSS)
}

fn tera() -> Result<&'static Tera, String> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| crate::documents::letters::build_html(TEMPLATES))
        .as_ref()
        .map_err(Clone::clone)
}

/// A page: the template rendered with the session's cookies (renewed ones, a new CSRF
/// token) sent along. Pages are never cached (they hold personal data).
/// A staff work page (messages, money): its data under `key`, the message of what was just
/// done, and a refusal shown at the top in French.
#[allow(clippy::too_many_arguments)]
fn work_page(
    status: u16,
    template: &str,
    key: &str,
    data: &serde_json::Value,
    done: Option<&str>,
    refused: Option<&AppError>,
    s: &session::Signed,
    csrf: &session::CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert(key, data);
    ctx.insert("done", &done);
    ctx.insert(
        "refused_message",
        &refused.map(|e| crate::i18n::sentence(&crate::i18n::french(&e.message))),
    );
    page(status, template, ctx, Some(s), csrf)
}

fn page(
    status: u16,
    template: &str,
    mut ctx: tera::Context,
    signed: Option<&Signed>,
    csrf: &CsrfToken,
) -> HttpResponse {
    // A signed-in page's forms carry its session's token (also right after a renewal).
    ctx.insert("csrf", signed.map_or(&csrf.value, |s| &s.csrf));
    if !ctx.contains_key("me") {
        ctx.insert("me", &signed.map(me));
    }
    let body = match tera().and_then(|t| {
        t.render(template, &ctx)
            .map_err(|e| crate::documents::letters::tera_message(&e))
    }) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(template, error = %e, "portal template failed");
            return HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Une erreur est survenue. Veuillez réessayer plus tard.");
        }
    };
    let mut resp = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
    );
    resp.content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Content-Security-Policy", csp(None)));
    if let Some(s) = signed {
        for c in &s.renewed {
            resp.cookie(c.clone());
        }
    }
    if let Some(c) = &csrf.cookie {
        resp.cookie(c.clone());
    }
    resp.body(body)
}

/// The pages' Content-Security-Policy: nothing from elsewhere; forms post to this server, and
/// to `form_to` too when given (the debtor's card form, which the server redirects to the
/// payment provider's page: Chromium checks `form-action` on that redirect).
pub(crate) fn csp(form_to: Option<&str>) -> String {
    format!(
        "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'{}; frame-ancestors 'none'",
        form_to.map(|o| format!(" {o}")).unwrap_or_default()
    )
}

/// The server's address as the person (or calendar application) asking reaches it, for links
/// shown back to that requester only: `RECOUVRA_PUBLIC_URL`, else the request's scheme and
/// host. (E-mails, read by someone else, use `http::link_base`, which trusts no `Host`.)
fn site_base(req: &actix_web::HttpRequest, state: &crate::app::AppState) -> String {
    match &state.public_url {
        Some(u) => u.as_str().trim_end_matches('/').to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// The error page of an `AppError`: a foreign case is exactly a missing one.
fn error_page(e: &AppError, signed: Option<&Signed>, csrf: &CsrfToken) -> HttpResponse {
    if e.code == ErrorCode::PasswordChangeRequired {
        // A provisional password opens the password page only.
        return HttpResponse::SeeOther()
            .insert_header(("Location", "/portal/password"))
            .finish();
    }
    let (status, heading, message) = match e.code {
        ErrorCode::NotFound => (
            404,
            "Page introuvable",
            "Ce dossier ou cette page n'existe pas, ou vous n'y avez pas accès.".to_string(),
        ),
        ErrorCode::Forbidden => (
            403,
            "Accès refusé",
            "Votre rôle ne permet pas cette action.".to_string(),
        ),
        ErrorCode::Unavailable => (
            503,
            "Service momentanément indisponible",
            "Veuillez réessayer dans quelques instants.".to_string(),
        ),
        ErrorCode::Validation | ErrorCode::PayloadTooLarge | ErrorCode::UnsupportedMediaType => (
            e.code.http_status(),
            "Saisie incorrecte",
            crate::i18n::sentence(&french(&e.message)),
        ),
        ErrorCode::Conflict | ErrorCode::InvalidTransition | ErrorCode::Ineligible => (
            409,
            "Action impossible",
            crate::i18n::sentence(&french(&e.message)),
        ),
        ErrorCode::Locked => (
            423,
            "Compte verrouillé",
            "Trop d'essais : réessayez dans quelques minutes.".to_string(),
        ),
        _ => (
            500,
            "Une erreur est survenue",
            "L'incident a été enregistré. Veuillez réessayer plus tard.".to_string(),
        ),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("heading", heading);
    ctx.insert("message", &message);
    page(status, "portal/error.html", ctx, signed, csrf)
}

/// The French page of a request refused before its handler ran (a malformed address or
/// form, a body over the limit): what `http::errors` answers on portal routes in place of
/// actix's English text.
pub(crate) fn refused_request(
    req: &actix_web::HttpRequest,
    status: u16,
    heading: &str,
    message: &str,
) -> HttpResponse {
    let csrf = session::csrf_token(req);
    let mut ctx = tera::Context::new();
    ctx.insert("heading", heading);
    ctx.insert("message", message);
    page(status, "portal/error.html", ctx, None, &csrf)
}

/// The French page of a refused download (a document, a piece, a dossier opened from a
/// portal link): an expired or missing session leads back to the sign-in, then to the link.
pub(crate) fn download_refused(req: &actix_web::HttpRequest, e: &AppError) -> HttpResponse {
    let csrf = session::csrf_token(req);
    if e.code == ErrorCode::Unauthenticated {
        let mut ctx = tera::Context::new();
        ctx.insert("heading", "Session expirée");
        ctx.insert(
            "message",
            "Votre session a expiré ou vous n'êtes pas connecté : reconnectez-vous, le \
             document s'ouvrira ensuite.",
        );
        let next = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_string(),
            None => req.path().to_string(),
        };
        let back = format!(
            "/portal/login?next={}",
            percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC)
        );
        ctx.insert("back", &back);
        ctx.insert("back_label", "Se reconnecter");
        return page(401, "portal/error.html", ctx, None, &csrf);
    }
    error_page(e, None, &csrf)
}

#[derive(serde::Serialize)]
struct Me {
    name: String,
    role: &'static str,
    role_label: &'static str,
    /// Half-years whose rates are awaited (agency staff), in French: the banner.
    rates_missing: Vec<String>,
}

fn me(s: &Signed) -> Me {
    Me {
        rates_missing: s.rates_missing.clone(),
        name: s.name.clone(),
        role: s.actor.role.as_str(),
        role_label: match s.actor.role {
            Role::Admin => "administrateur",
            Role::Agent => "gestionnaire",
            Role::Lawyer => "avocat",
            Role::Creditor => "créancier",
        },
    }
}

/// The French label of a state.
pub fn state_label(s: CaseState) -> &'static str {
    match s {
        CaseState::Submitted => "À examiner",
        CaseState::Rejected => "Refusé",
        CaseState::Amicable => "Recouvrement amiable",
        CaseState::PaymentPlan => "Échéancier en cours",
        CaseState::FormalNotice => "Mise en demeure",
        CaseState::Disputed => "Contesté",
        CaseState::Legal => "Phase judiciaire",
        CaseState::Filed => "Requête déposée",
        CaseState::OrderGranted => "Ordonnance rendue",
        CaseState::OrderRejected => "Requête rejetée",
        CaseState::Served => "Ordonnance signifiée",
        CaseState::Opposed => "Opposition formée",
        CaseState::Enforceable => "Titre exécutoire",
        CaseState::Enforcement => "Exécution forcée",
        CaseState::Closed => "Clôturé",
    }
}
