//! The admin pages: users, organisations, mandates, playbooks, the rate table, the court
//! directory, the BODACC import and the agency's settings. Each page
//! calls the same use cases as the GraphQL mutations and queries, inside `run_as` so that a
//! refused caller (any role but admin) is recorded in the security log and sees the same
//! refusal page as elsewhere. A refused form comes back with what was typed and the message,
//! in French, next to the field.

mod bodacc;
mod courts;
mod mandates;
mod orgs;
pub(crate) mod playbooks;
mod rates;
mod security;
mod settings;
mod users;

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::session::{self, csrf_token, signed_in, CsrfToken, Signed};
use super::{error_page, page};
use crate::app::AppState;
use crate::db::DbConn;
use crate::domain::parties::OrgKind;
use crate::error::{AppError, AppResult, ErrorCode};

/// Rows per page of the admin lists.
const PAGE: i64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/portal/admin", web::get().to(home))
        .route("/portal/admin/users", web::get().to(users::list))
        .route("/portal/admin/users", web::post().to(users::create))
        .route(
            "/portal/admin/users/{id}/active",
            web::post().to(users::set_active),
        )
        .route(
            "/portal/admin/users/{id}/password",
            web::post().to(users::password),
        )
        .route("/portal/admin/organisations", web::get().to(orgs::list))
        .route("/portal/admin/organisations", web::post().to(orgs::create))
        .route("/portal/admin/mandates", web::get().to(mandates::list))
        .route("/portal/admin/mandates", web::post().to(mandates::create))
        .route(
            "/portal/admin/mandates/{id}/limits",
            web::post().to(mandates::limits),
        )
        .route("/portal/admin/playbooks", web::get().to(playbooks::list))
        .route(
            "/portal/admin/playbooks/attach",
            web::post().to(playbooks::attach),
        )
        .route(
            "/portal/admin/playbooks/{id}",
            web::get().to(playbooks::edit),
        )
        .route(
            "/portal/admin/playbooks/{id}",
            web::post().to(playbooks::save),
        )
        .route("/portal/admin/rates", web::get().to(rates::list))
        .route("/portal/admin/rates", web::post().to(rates::add))
        .route("/portal/admin/settings", web::get().to(settings::show))
        .route("/portal/admin/settings", web::post().to(settings::save))
        .route("/portal/admin/courts", web::get().to(courts::show))
        .route("/portal/admin/courts", web::post().to(courts::import))
        .route("/portal/admin/bodacc", web::get().to(bodacc::show))
        .route("/portal/admin/bodacc", web::post().to(bodacc::import))
        .route("/portal/admin/security", web::get().to(security::show));
}

// The admin pages' session is the portal's `signed_or_return!` (in scope from `portal`): the
// role is checked by the use case each page calls, so that a refusal is audited.

/// A posted portal form: CSRF checked before anything else, then the session.
pub(crate) async fn posted(
    req: &HttpRequest,
    state: &AppState,
    form: &HashMap<String, String>,
) -> Result<(Signed, CsrfToken), HttpResponse> {
    let csrf = csrf_token(req);
    if !session::csrf_ok(req, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return Err(super::pages::forbidden_form(&csrf));
    }
    match signed_in(req, state).await {
        Ok(Some(s)) => Ok((s, csrf)),
        Ok(None) => Err(session::to_sign_in(req)),
        Err(e) => Err(error_page(&e, None, &csrf)),
    }
}

/// The session of a posted admin form ([`posted`]), or the response that ends the handler.
macro_rules! posted_or_return {
    ($req:expr, $state:expr, $form:expr) => {
        match $crate::portal::admin::posted(&$req, &$state, &$form).await {
            Ok(ok) => ok,
            Err(resp) => return resp,
        }
    };
}
pub(crate) use posted_or_return;

/// 303 to a page after a form was accepted (the renewed cookies sent along).
pub(crate) fn see_other(to: &str, s: &Signed) -> HttpResponse {
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", to));
    for c in &s.renewed {
        resp.cookie(c.clone());
    }
    resp.finish()
}

/// Whether an error is one a form shows next to its field (else the error page).
pub(crate) fn shown_on_form(e: &AppError) -> bool {
    matches!(
        e.code,
        ErrorCode::Validation | ErrorCode::Conflict | ErrorCode::InvalidTransition
    )
}

/// A form's state for its template: what was typed, and the refusal (field and message).
fn form_context(
    ctx: &mut tera::Context,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    fields: &[(&str, &str)],
) {
    ctx.insert("v", values);
    let field = error.and_then(|e| e.field.as_deref()).map(|f| {
        fields
            .iter()
            .find(|(api, _)| *api == f)
            .map(|(_, form)| form.to_string())
            .unwrap_or_else(|| f.to_string())
    });
    // A field the form does not show (e.g. an id gone stale): the message stands alone.
    let field = field.filter(|f| values.contains_key(f));
    ctx.insert("error", &error.map(french).unwrap_or_default());
    ctx.insert("error_field", &field.unwrap_or_default());
}

/// A form's values: every field empty unless typed (tera refuses a missing key).
fn values_of(form: &HashMap<String, String>, fields: &[&str]) -> HashMap<String, String> {
    fields
        .iter()
        .map(|f| (f.to_string(), form.get(*f).cloned().unwrap_or_default()))
        .collect()
}

fn opt(form: &HashMap<String, String>, key: &str) -> Option<String> {
    form.get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The French label of an organisation kind.
pub(crate) fn kind_label(kind: &str) -> &'static str {
    match OrgKind::parse(kind) {
        Ok(OrgKind::Creditor) => "Créancier",
        Ok(OrgKind::Agency) => "Agence",
        Err(_) => "—",
    }
}

/// The French label of a role.
pub(crate) fn role_label(role: &str) -> &'static str {
    match role {
        "admin" => "Administrateur",
        "agent" => "Gestionnaire",
        "lawyer" => "Avocat",
        "creditor" => "Créancier",
        _ => "—",
    }
}

/// A use case's refusal, as a French sentence for the page (the API keeps its English
/// messages, which integrators read; the portal's users read French).
fn french(e: &AppError) -> String {
    crate::i18n::sentence(&crate::i18n::french(&e.message))
}

#[derive(Serialize)]
struct Counts {
    users: i64,
    organisations: i64,
    rates: usize,
    playbooks: usize,
}

/// A warning on the admin's home: what is wrong, and the page that mends it.
#[derive(Serialize)]
struct Warning {
    text: String,
    href: &'static str,
}

/// A stopped scheduler shows as e-mails due for longer than this.
const SCHEDULER_LAG_WARNING_SECONDS: i64 = 15 * 60;

/// What the admin should look at now: messages that failed or whose sending is uncertain,
/// a scheduler that no longer sends, the half-years whose rates are missing (also the banner).
fn health(conn: &mut DbConn, st: &AppState, rates_missing: &[String]) -> AppResult<Vec<Warning>> {
    let gauges = crate::store::gauges::read(conn, st.clock.now())?;
    let count = |status: &str| {
        gauges
            .outbox
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    };
    let plural = |n: i64| if n > 1 { "s" } else { "" };
    let mut out = Vec::new();
    let failed = count("failed");
    if failed > 0 {
        out.push(Warning {
            text: format!(
                "{failed} message{p} en échec (adresse refusée ou relais indisponible) : à \
                 relancer ou annuler",
                p = plural(failed)
            ),
            href: "/portal/outbox",
        });
    }
    let uncertain = count("uncertain");
    if uncertain > 0 {
        out.push(Warning {
            text: format!(
                "{uncertain} message{p} dont l'envoi est incertain : à vérifier avant de \
                 relancer",
                p = plural(uncertain)
            ),
            href: "/portal/outbox",
        });
    }
    if gauges.scheduler_lag_seconds > SCHEDULER_LAG_WARNING_SECONDS {
        out.push(Warning {
            text: format!(
                "Des e-mails attendent depuis {} minutes : le planificateur ne tourne plus \
                 (vérifiez le service, ou lancez `recouvra run-due`)",
                gauges.scheduler_lag_seconds / 60
            ),
            href: "/portal/outbox",
        });
    }
    if !rates_missing.is_empty() {
        out.push(Warning {
            text: format!("Taux d'intérêt à saisir : {}", rates_missing.join(", ")),
            href: "/portal/admin/rates",
        });
    }
    Ok(out)
}

/// The admin's home: what there is to manage, with counts.
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let rates_missing = s.rates_missing.clone();
    let counts = state
        .run_as(actor, "GET /portal/admin", move |conn, st| {
            let users = crate::admin::list_users(conn, &actor, &Default::default(), None, 1)?;
            let orgs = crate::admin::list_organisations(conn, &actor, None, None, 1)?;
            let counts = Counts {
                users: users.total,
                organisations: orgs.total,
                rates: crate::claims::list_rates(conn, &actor)?.len(),
                playbooks: crate::recovery::playbooks::list(conn, &actor)?.len(),
            };
            Ok((counts, health(conn, st, &rates_missing)?))
        })
        .await;
    match counts {
        Ok((c, warnings)) => {
            let mut ctx = tera::Context::new();
            ctx.insert("counts", &c);
            ctx.insert("warnings", &warnings);
            page(200, "portal/admin/home.html", ctx, Some(&s), &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_use_cases_refusals_read_in_french_on_the_pages() {
        let fr = |m: &str| french(&AppError::validation("f", m));
        assert_eq!(fr("this field is required"), "Ce champ est obligatoire.");
        assert_eq!(
            fr("an organisation with SIREN 856624390 already exists"),
            "Une organisation de SIREN 856624390 existe déjà."
        );
        assert_eq!(fr("at most 200 characters"), "200 caractères au plus.");
        assert_eq!(fr("at most 365 days"), "365 jours au plus.");
        assert_eq!(
            fr("the rates of 2026 H1 are already entered"),
            "Les taux du premier semestre 2026 sont déjà saisis."
        );
        // A message the portal wrote itself stays as it is.
        assert_eq!(fr("Choisissez un rôle."), "Choisissez un rôle.");
    }
}
