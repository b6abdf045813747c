//! `/portal/profile`: the lawyer's own profile — the firm, bar and address the requête names
//! as its filer (CPC 1407), through the same use case as `setLawyerProfile`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::session::{self, csrf_token, signed_in, CsrfToken, Signed};
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

fn render(
    status: u16,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    saved: bool,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
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
    let s = match signed_in(&req, &state).await {
        Ok(Some(s)) => s,
        Ok(None) => return session::to_sign_in(&req),
        Err(e) => return error_page(&e, None, &csrf),
    };
    let actor = s.actor;
    let mine = state
        .run_as(actor, "GET /portal/profile", move |conn, _| {
            crate::legal::profile::mine(conn, &actor)
        })
        .await;
    match mine {
        Ok(p) => {
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
            render(200, &v, None, false, &s, &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
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
    let s = match signed_in(&req, &state).await {
        Ok(Some(s)) => s,
        Ok(None) => return session::to_sign_in(&req),
        Err(e) => return error_page(&e, None, &csrf),
    };
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
    match saved {
        Ok(_) => render(200, &values, None, true, &s, &csrf),
        Err(e) if e.code == ErrorCode::Validation => {
            render(422, &values, Some(&e), false, &s, &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
