//! Passwords in the portal: `/portal/password` (change one's own; the only page a provisional
//! password opens), `/portal/password/forgot` (ask for a link by e-mail) and
//! `/portal/password/reset?token=…` (choose a new one with the link). Each post is answered
//! by a redirect, so a reload never sends it again (`accounts::passwords`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::session::{self, csrf_token, signed_in_provisional, CsrfToken, Signed};
use super::{error_page, page};
use crate::app::AppState;
use crate::error::{AppError, ErrorCode};

#[derive(Serialize)]
struct Field {
    name: &'static str,
    label: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    autocomplete: &'static str,
    hint: &'static str,
    value: String,
}

fn secret(name: &'static str, label: &'static str, autocomplete: &'static str) -> Field {
    Field {
        name,
        label,
        kind: "password",
        autocomplete,
        hint: if autocomplete == "new-password" && name == "newPassword" {
            "Au moins 12 caractères."
        } else {
            ""
        },
        value: String::new(),
    }
}

/// The fields of a new password, typed twice.
fn new_fields() -> Vec<Field> {
    vec![
        secret("newPassword", "Nouveau mot de passe", "new-password"),
        secret(
            "confirm",
            "Nouveau mot de passe, une seconde fois",
            "new-password",
        ),
    ]
}

/// The page's parts besides the form's fields.
#[derive(Default)]
struct View<'a> {
    heading: &'a str,
    intro: Option<&'a str>,
    provisional: bool,
    done: Option<&'a str>,
    continue_to: Option<&'a str>,
    error: Option<&'a AppError>,
    action: &'a str,
    token: Option<&'a str>,
    submit: &'a str,
    back: Option<(&'a str, &'a str)>,
}

fn render(
    status: u16,
    view: &View,
    fields: Option<Vec<Field>>,
    signed: Option<&Signed>,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("heading", view.heading);
    ctx.insert("intro", &view.intro);
    ctx.insert("provisional", &view.provisional);
    ctx.insert("done", &view.done);
    ctx.insert("continue_to", &view.continue_to);
    ctx.insert("show_form", &fields.is_some());
    ctx.insert("fields", &fields.unwrap_or_default());
    ctx.insert("action", view.action);
    ctx.insert("token", &view.token);
    ctx.insert("submit", view.submit);
    ctx.insert(
        "error",
        &view
            .error
            .map(|e| crate::i18n::sentence(&crate::i18n::french(&e.message))),
    );
    ctx.insert("error_field", &view.error.and_then(|e| e.field.clone()));
    ctx.insert("back", &view.back.map(|b| b.0));
    ctx.insert("back_label", &view.back.map(|b| b.1));
    page(status, "portal/password.html", ctx, signed, csrf)
}

fn see_other(to: &str, signed: Option<&Signed>) -> HttpResponse {
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", to));
    for c in signed.map(|s| s.renewed.as_slice()).unwrap_or_default() {
        resp.cookie(c.clone());
    }
    resp.finish()
}

/// A posted form whose CSRF token is this browser's, or the page that refuses it.
fn checked(
    req: &HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> Result<(HashMap<String, String>, CsrfToken), Box<HttpResponse>> {
    let csrf = csrf_token(req);
    let form = form.into_inner();
    if !session::csrf_ok(req, field(&form, "csrf")) {
        return Err(Box::new(super::pages::forbidden_form(&csrf)));
    }
    Ok((form, csrf))
}

/// The signed-in user of the password page (also with a provisional password), or the
/// response that ends the handler.
async fn holder(
    req: &HttpRequest,
    state: &AppState,
    csrf: &CsrfToken,
) -> Result<Signed, HttpResponse> {
    match signed_in_provisional(req, state).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(session::to_sign_in(req)),
        Err(e) => Err(error_page(&e, None, csrf)),
    }
}

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or("")
}

/// The two new-password fields agree.
fn confirmed(form: &HashMap<String, String>) -> Result<(), AppError> {
    if field(form, "newPassword") != field(form, "confirm") {
        return Err(AppError::validation(
            "confirm",
            "Les deux saisies du nouveau mot de passe diffèrent.",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct ChangedQuery {
    changed: Option<String>,
}

const CHANGE: &str = "/portal/password";

fn change_view<'a>(s: &Signed, error: Option<&'a AppError>) -> View<'a> {
    View {
        heading: "Mot de passe",
        intro: Some(if s.provisional {
            "Votre mot de passe est provisoire : choisissez le vôtre avant de continuer."
        } else {
            "Changer de mot de passe ferme vos autres sessions ouvertes."
        }),
        provisional: s.provisional,
        error,
        action: CHANGE,
        submit: "Changer le mot de passe",
        ..View::default()
    }
}

fn change_fields() -> Vec<Field> {
    let mut fields = vec![secret(
        "currentPassword",
        "Mot de passe actuel",
        "current-password",
    )];
    fields.extend(new_fields());
    fields
}

pub async fn change_form(
    req: HttpRequest,
    query: web::Query<ChangedQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = match holder(&req, &state, &csrf).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    if query.changed.is_some() && !s.provisional {
        let view = View {
            heading: "Mot de passe",
            done: Some("Mot de passe changé. Vos autres sessions sont fermées."),
            continue_to: Some("/portal"),
            ..View::default()
        };
        return render(200, &view, None, Some(&s), &csrf);
    }
    render(
        200,
        &change_view(&s, None),
        Some(change_fields()),
        Some(&s),
        &csrf,
    )
}

pub async fn change(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (form, csrf) = match checked(&req, form) {
        Ok(ok) => ok,
        Err(refused) => return *refused,
    };
    let s = match holder(&req, &state, &csrf).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let refused = |e: &AppError, s: &Signed| {
        render(
            422,
            &change_view(s, Some(e)),
            Some(change_fields()),
            Some(s),
            &csrf,
        )
    };
    if let Err(e) = confirmed(&form) {
        return refused(&e, &s);
    }
    let (actor, session) = (s.actor, s.session.clone());
    let (current, new) = (
        field(&form, "currentPassword").to_string(),
        field(&form, "newPassword").to_string(),
    );
    let ip = crate::http::client_ip(&req);
    let done = state
        .run(move |conn, st| {
            crate::accounts::passwords::change_password(
                conn,
                st,
                &actor,
                Some(&session),
                &current,
                &new,
                ip.as_deref(),
            )
        })
        .await;
    match done {
        Ok(_) => see_other("/portal/password?changed=1", Some(&s)),
        Err(e) if e.code == ErrorCode::Validation => refused(&e, &s),
        Err(e) if e.code == ErrorCode::Locked => {
            let e = AppError::validation(
                "currentPassword",
                "Trop d'essais : réessayez dans 15 minutes.",
            );
            refused(&e, &s)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

#[derive(Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

const FORGOT: &str = "/portal/password/forgot";

fn forgot_fields(email: &str) -> Vec<Field> {
    vec![Field {
        name: "email",
        label: "Adresse e-mail du compte",
        kind: "email",
        autocomplete: "username",
        hint: "",
        value: email.to_string(),
    }]
}

fn forgot_view<'a>(error: Option<&'a AppError>) -> View<'a> {
    View {
        heading: "Mot de passe oublié",
        intro: Some(
            "Indiquez l'adresse e-mail de votre compte : un lien pour choisir un nouveau mot de \
             passe y sera envoyé. Il est valable une heure et ne sert qu'une fois.",
        ),
        error,
        action: FORGOT,
        submit: "Recevoir le lien",
        back: Some(("/portal/login", "Retour à la connexion")),
        ..View::default()
    }
}

pub async fn forgot_form(req: HttpRequest, query: web::Query<SentQuery>) -> HttpResponse {
    let csrf = csrf_token(&req);
    if query.sent.is_some() {
        let view = View {
            heading: "Mot de passe oublié",
            done: Some(
                "Si un compte existe pour cette adresse, un lien vient d'y être envoyé. Il est \
                 valable une heure. Pensez à regarder dans les indésirables.",
            ),
            back: Some(("/portal/login", "Retour à la connexion")),
            ..View::default()
        };
        return render(200, &view, None, None, &csrf);
    }
    render(
        200,
        &forgot_view(None),
        Some(forgot_fields("")),
        None,
        &csrf,
    )
}

pub async fn forgot(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (form, csrf) = match checked(&req, form) {
        Ok(ok) => ok,
        Err(refused) => return *refused,
    };
    let email = field(&form, "email").trim().to_string();
    if email.is_empty() {
        let e = AppError::validation("email", "Saisissez votre adresse e-mail.");
        return render(
            422,
            &forgot_view(Some(&e)),
            Some(forgot_fields("")),
            None,
            &csrf,
        );
    }
    let ip = crate::http::client_ip(&req);
    let base = crate::http::link_base(&req, &state);
    let typed = email.clone();
    let done = state
        .run(move |conn, st| {
            crate::accounts::passwords::request_reset(
                conn,
                st,
                &email,
                base.as_deref(),
                ip.as_deref(),
            )
        })
        .await;
    match done {
        Ok(()) => see_other("/portal/password/forgot?sent=1", None),
        Err(e) if e.code == ErrorCode::Locked => {
            let e = AppError::new(
                ErrorCode::Locked,
                "Trop de demandes depuis votre adresse : réessayez dans 15 minutes.",
            );
            render(
                429,
                &forgot_view(Some(&e)),
                Some(forgot_fields(&typed)),
                None,
                &csrf,
            )
        }
        Err(e) => error_page(&e, None, &csrf),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

const RESET: &str = "/portal/password/reset";

fn reset_view<'a>(token: &'a str, error: Option<&'a AppError>) -> View<'a> {
    View {
        heading: "Nouveau mot de passe",
        intro: Some("Choisissez votre nouveau mot de passe. Vos sessions ouvertes seront fermées."),
        error,
        action: RESET,
        token: Some(token),
        submit: "Enregistrer le mot de passe",
        ..View::default()
    }
}

/// The page of a link that no longer works: ask for another.
fn dead_link(csrf: &CsrfToken) -> HttpResponse {
    let view = View {
        heading: "Lien expiré",
        intro: Some(
            "Ce lien ne fonctionne plus : il a déjà servi, il a expiré (au bout d'une heure) ou \
             il est incomplet. Demandez-en un nouveau.",
        ),
        back: Some((FORGOT, "Recevoir un nouveau lien")),
        ..View::default()
    };
    render(410, &view, None, None, csrf)
}

pub async fn reset_form(
    req: HttpRequest,
    query: web::Query<TokenQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let token = query.token.clone().unwrap_or_default();
    let probe = token.clone();
    let valid = state
        .run(move |conn, st| crate::accounts::passwords::reset_link_valid(conn, st, &probe))
        .await;
    match valid {
        Ok(true) => render(
            200,
            &reset_view(&token, None),
            Some(new_fields()),
            None,
            &csrf,
        ),
        Ok(false) => dead_link(&csrf),
        Err(e) => error_page(&e, None, &csrf),
    }
}

pub async fn reset(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (form, csrf) = match checked(&req, form) {
        Ok(ok) => ok,
        Err(refused) => return *refused,
    };
    let token = field(&form, "token").to_string();
    if let Err(e) = confirmed(&form) {
        return render(
            422,
            &reset_view(&token, Some(&e)),
            Some(new_fields()),
            None,
            &csrf,
        );
    }
    let new = field(&form, "newPassword").to_string();
    let ip = crate::http::client_ip(&req);
    let used = token.clone();
    let done = state
        .run(move |conn, st| {
            crate::accounts::passwords::reset_password(conn, st, &used, &new, ip.as_deref())
        })
        .await;
    match done {
        Ok(_) => see_other("/portal/login?reset=1", None),
        Err(e) if e.field.as_deref() == Some("token") => dead_link(&csrf),
        Err(e) if e.code == ErrorCode::Validation => render(
            422,
            &reset_view(&token, Some(&e)),
            Some(new_fields()),
            None,
            &csrf,
        ),
        Err(e) => error_page(&e, None, &csrf),
    }
}
