//! `/portal/admin/bodacc`: the BODACC import (`legal::bodacc::import`, as `importBodacc`,
//! `POST /api/bodacc` and `recouvra import-bodacc`) — the upload form, the summary of what it
//! did, in French, and the latest announcements matched to open cases.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::shown_on_form;
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::legal::bodacc::ImportSummary;
use crate::portal::session::{self, csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

/// The largest file the form takes (a day of the bulletin is a few megabytes).
const MAX_FILE: usize = 32 * 1024 * 1024;
/// Announcements listed.
const LATEST: i64 = 50;

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<serde_json::Value> {
    actor.require_admin()?;
    let latest: Vec<serde_json::Value> = crate::store::bodacc::latest_matched(conn, LATEST)?
        .into_iter()
        .map(|(a, cases)| {
            serde_json::json!({
                "published_on": crate::domain::fmt::date_long(a.published_on),
                "summary": a.summary,
                "siren": a.siren,
                "company": a.company,
                "cases": cases,
            })
        })
        .collect();
    Ok(serde_json::json!({ "latest": latest }))
}

fn render(
    status: u16,
    data: &serde_json::Value,
    error: Option<&AppError>,
    done: Option<&ImportSummary>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("d", data);
    ctx.insert("error", &error.map(super::french).unwrap_or_default());
    ctx.insert(
        "done",
        &done.map(|i| {
            serde_json::json!({
                "read": i.read, "new": i.new, "duplicates": i.duplicates, "ignored": i.ignored,
                "matched": i.matched_cases, "unmatched": i.unmatched,
                "refused": i.refused.iter().map(|r| serde_json::json!({
                    "record": r.record,
                    "reason": crate::i18n::french(&r.reason),
                })).collect::<Vec<_>>(),
            })
        }),
    );
    page(status, "portal/admin/bodacc.html", ctx, Some(s), csrf)
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/admin/bodacc", move |conn, _| {
            load(conn, &actor)
        })
        .await;
    match loaded {
        Ok(d) => render(200, &d, None, None, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The form's fields: the CSRF token and the file's text (UTF-8, at most [`MAX_FILE`]).
async fn read_form(mut form: Multipart) -> Result<(String, Option<String>), AppError> {
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|e| AppError::validation("file", format!("formulaire illisible : {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" { MAX_FILE } else { 4096 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk
                .map_err(|e| AppError::validation("file", format!("envoi interrompu : {e}")))?;
            if buf.len() + chunk.len() > limit {
                return Err(AppError::validation(
                    "file",
                    "fichier trop volumineux (32 Mo au plus)",
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8(buf).unwrap_or_default(),
            "file" if !buf.is_empty() => {
                file = Some(String::from_utf8(buf).map_err(|_| {
                    AppError::validation("file", "fichier illisible (UTF-8 attendu)")
                })?)
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

pub async fn import(req: HttpRequest, form: Multipart, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let read = read_form(form).await;
    let typed_csrf = read.as_ref().map(|(c, _)| c.as_str()).unwrap_or("");
    if !session::csrf_ok(&req, typed_csrf) {
        return crate::portal::pages::forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let file = read.and_then(|(_, f)| {
        f.ok_or_else(|| AppError::validation("file", "choisissez le fichier du BODACC"))
    });
    let result = state
        .run_as(actor, "POST /portal/admin/bodacc", move |conn, st| {
            actor.require_admin()?;
            let done = crate::legal::bodacc::import(conn, &st.clock, Some(&actor), &file?)?;
            Ok((done, load(conn, &actor)?))
        })
        .await;
    match result {
        Ok((done, d)) => render(200, &d, None, Some(&done), &s, &csrf),
        Err(e) if shown_on_form(&e) => match state.run(move |conn, _| load(conn, &actor)).await {
            Ok(d) => render(422, &d, Some(&e), None, &s, &csrf),
            Err(e) => error_page(&e, Some(&s), &csrf),
        },
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
