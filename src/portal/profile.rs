//! `/portal/profile`: the lawyer's own profile — the firm, bar and address the requête names
//! as its filer (CPC 1407), through the same use case as `setLawyerProfile`; and the agenda's
//! calendar feed (`legal::feed`): its URL shown once when created, a form to replace it and
//! one to revoke it.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::session::{self, csrf_token, CsrfToken, Signed};
use super::{error_page, french, page};
use crate::app::AppState;
use crate::error::{AppError, ErrorCode};
use crate::legal::profile::ProfileInput;

const FIELDS: &[&str] = &[
    "firmName",
    "bar",
    "addressLine1",
    "addressLine2",
    "postalCode",
    "city",
];

/// The feed's part of the page: since when one is live, its URL right after its creation
/// (never again: only its hash is kept), and what was just done.
#[derive(Default)]
struct Feed {
    since: Option<String>,
    url: Option<String>,
    done: Option<&'static str>,
}

/// When the lawyer's live feed was created, as the page shows it (Europe/Paris).
async fn feed_since(state: &AppState, s: &Signed, route: &str) -> Result<Option<String>, AppError> {
    let actor = s.actor;
    let since = state
        .run_as(actor, route, move |conn, _| {
            crate::legal::feed::live_since(conn, &actor)
        })
        .await?;
    Ok(since.map(|t| {
        crate::domain::fmt::paris(t)
            .format("%d/%m/%Y à %H:%M")
            .to_string()
    }))
}

fn render(
    status: u16,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    saved: bool,
    feed: &Feed,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("feed_since", &feed.since);
    ctx.insert("feed_url", &feed.url);
    ctx.insert("feed_done", &feed.done);
    ctx.insert("v", values);
    ctx.insert("saved", &saved);
    ctx.insert(
        "error",
        &error.map(|e| french(&e.message)).unwrap_or_default(),
    );
    let field = error
        .and_then(|e| e.field.clone())
        .filter(|f| values.contains_key(f));
    ctx.insert("error_field", &field.unwrap_or_default());
    page(status, "portal/profile.html", ctx, Some(s), csrf)
}

pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let mine = state
        .run_as(actor, "GET /portal/profile", move |conn, _| {
            crate::legal::profile::mine(conn, &actor)
        })
        .await;
    let v = match mine {
        Ok(p) => stored_values(p),
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let feed = match feed_since(&state, &s, "GET /portal/profile").await {
        Ok(since) => Feed {
            since,
            ..Feed::default()
        },
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    render(200, &v, None, false, &feed, &s, &csrf)
}

/// The form's values from the stored profile (empty fields without one).
fn stored_values(p: Option<crate::store::lawyers::LawyerProfile>) -> HashMap<String, String> {
    let mut v: HashMap<String, String> = FIELDS
        .iter()
        .map(|f| (f.to_string(), String::new()))
        .collect();
    if let Some(p) = p {
        v.insert("firmName".into(), p.firm_name);
        v.insert("bar".into(), p.bar);
        v.insert("addressLine1".into(), p.address_line1);
        v.insert("addressLine2".into(), p.address_line2.unwrap_or_default());
        v.insert("postalCode".into(), p.postal_code);
        v.insert("city".into(), p.city);
    }
    v
}

/// `POST /portal/profile/agenda-feed`: creates (or replaces) the feed; the page shows its URL
/// this once.
pub async fn create_feed(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    feed(req, form, state, true).await
}

/// `POST /portal/profile/agenda-feed/revoke`: the feed's URL stops working.
pub async fn revoke_feed(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    feed(req, form, state, false).await
}

/// The profile page again after a feed form, with what was done.
async fn feed(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
    create: bool,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    if !session::csrf_ok(&req, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return super::pages::forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let route = if create {
        "POST /portal/profile/agenda-feed"
    } else {
        "POST /portal/profile/agenda-feed/revoke"
    };
    let (url, done) = if create {
        let made = state
            .run_as(actor, route, move |conn, st| {
                crate::legal::feed::create(conn, &st.clock, &actor)
            })
            .await;
        match made {
            Ok(token) => (
                Some(format!(
                    "{}{}",
                    super::site_base(&req, &state),
                    crate::legal::feed::path(&token)
                )),
                "Votre agenda est publié : abonnez votre calendrier à l'adresse ci-dessous. \
                     Toute adresse donnée auparavant ne fonctionne plus.",
            ),
            Err(e) => return error_page(&e, Some(&s), &csrf),
        }
    } else {
        let revoked = state
            .run_as(actor, route, move |conn, st| {
                crate::legal::feed::revoke(conn, &st.clock, &actor)
            })
            .await;
        match revoked {
            Ok(true) => (
                None,
                "L'adresse de votre agenda est révoquée : elle ne fonctionne plus.",
            ),
            Ok(false) => (None, "Votre agenda n'était pas publié."),
            Err(e) => return error_page(&e, Some(&s), &csrf),
        }
    };
    let mine = state
        .run_as(actor, route, move |conn, _| {
            crate::legal::profile::mine(conn, &actor)
        })
        .await;
    let v = match mine {
        Ok(p) => stored_values(p),
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let since = match feed_since(&state, &s, route).await {
        Ok(since) => since,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let feed = Feed {
        since,
        url,
        done: Some(done),
    };
    render(200, &v, None, false, &feed, &s, &csrf)
}

pub async fn save(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let csrf = csrf_token(&req);
    if !session::csrf_ok(&req, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return super::pages::forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let values: HashMap<String, String> = FIELDS
        .iter()
        .map(|f| (f.to_string(), form.get(*f).cloned().unwrap_or_default()))
        .collect();
    let input = ProfileInput {
        firm_name: values["firmName"].clone(),
        bar: values["bar"].clone(),
        address_line1: values["addressLine1"].clone(),
        address_line2: Some(values["addressLine2"].clone()),
        postal_code: values["postalCode"].clone(),
        city: values["city"].clone(),
    };
    let actor = s.actor;
    let saved = state
        .run_as(actor, "POST /portal/profile", move |conn, st| {
            crate::legal::profile::set(conn, &st.clock, &actor, &input)
        })
        .await;
    // A refused save (another role) is answered before the feed is read: one refusal.
    let (status, error) = match saved {
        Ok(_) => (200, None),
        Err(e) if e.code == ErrorCode::Validation => (422, Some(e)),
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let feed = match feed_since(&state, &s, "POST /portal/profile").await {
        Ok(since) => Feed {
            since,
            ..Feed::default()
        },
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    render(
        status,
        &values,
        error.as_ref(),
        error.is_none(),
        &feed,
        &s,
        &csrf,
    )
}
