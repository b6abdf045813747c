//! `/portal/admin/courts`: the court directory in force (CPC 1406: the competent court is
//! found in it, never made from the debtor's town) — its version, source and courts — and the
//! form that imports a newer one (`legal::courts::import`, as `importCourtDirectory` and
//! `recouvra import-courts`). The file is checked whole before it is stored; a refused file
//! leaves the directory in force unchanged.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::shown_on_form;
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::legal::CourtKind;
use crate::error::{AppError, AppResult};
use crate::portal::session::{self, csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

/// The largest directory file the form takes (the shipped one is well under it).
const MAX_FILE: usize = 32 * 1024 * 1024;

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<serde_json::Value> {
    actor.require_admin()?;
    let dir = crate::legal::courts::current(conn)?;
    let imported = match crate::store::courts::latest_import(conn)? {
        Some((at, by)) => {
            let who = match by {
                Some(id) => crate::store::users::find(conn, id)?.map(|u| u.display_name),
                None => None,
            };
            Some(serde_json::json!({
                "at": crate::documents::letters::format_date(at.date()),
                "by": who.unwrap_or_else(|| "la ligne de commande".into()),
            }))
        }
        None => None,
    };
    let count = |k: CourtKind| dir.courts.iter().filter(|c| c.kind == k).count();
    let courts: Vec<serde_json::Value> = dir
        .courts
        .iter()
        .map(|c| {
            let territory = match (c.departements.is_empty(), c.communes.len()) {
                (true, 0) => "siège seulement : l'avocat le choisit".to_string(),
                (false, 0) => format!("départements {}", c.departements.join(", ")),
                (true, n) => format!("{n} communes"),
                (false, n) => format!("départements {} et {n} communes", c.departements.join(", ")),
            };
            let validity = match (c.valid_from, c.valid_until) {
                (None, None) => String::new(),
                (Some(f), None) => format!("depuis le {}", f.format("%d/%m/%Y")),
                (None, Some(u)) => format!("jusqu'au {}", u.format("%d/%m/%Y")),
                (Some(f), Some(u)) => {
                    format!("du {} au {}", f.format("%d/%m/%Y"), u.format("%d/%m/%Y"))
                }
            };
            serde_json::json!({
                "name": c.name, "seat": c.seat, "kind": c.kind.title(),
                "territory": territory, "validity": validity,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "version": dir.version,
        "source": dir.source,
        "imported": imported,
        "judicial": count(CourtKind::JudicialCourt),
        "commercial": count(CourtKind::CommercialCourt),
        "economic": count(CourtKind::EconomicActivitiesCourt),
        "communes": dir.communes.len(),
        "courts": courts,
    }))
}

fn render(
    status: u16,
    directory: &serde_json::Value,
    error: Option<&AppError>,
    imported: Option<&crate::legal::courts::Imported>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("d", directory);
    ctx.insert("error", &error.map(super::french).unwrap_or_default());
    ctx.insert(
        "done",
        &imported.map(|i| {
            serde_json::json!({ "version": i.version, "courts": i.courts, "communes": i.communes })
        }),
    );
    page(status, "portal/admin/courts.html", ctx, Some(s), csrf)
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/admin/courts", move |conn, _| {
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
        let mut field = field.map_err(|e| {
            AppError::validation("directory", format!("formulaire illisible : {e}"))
        })?;
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "directory" { MAX_FILE } else { 4096 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| {
                AppError::validation("directory", format!("envoi interrompu : {e}"))
            })?;
            if buf.len() + chunk.len() > limit {
                return Err(AppError::validation(
                    "directory",
                    "fichier trop volumineux (32 Mo au plus)",
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8(buf).unwrap_or_default(),
            "directory" if !buf.is_empty() => {
                file = Some(String::from_utf8(buf).map_err(|_| {
                    AppError::validation("directory", "fichier illisible (UTF-8 attendu)")
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
        f.ok_or_else(|| AppError::validation("directory", "choisissez le fichier de l'annuaire"))
    });
    let result = state
        .run_as(actor, "POST /portal/admin/courts", move |conn, st| {
            actor.require_admin()?;
            let imported = crate::legal::courts::import(conn, &st.clock, Some(&actor), &file?)?;
            Ok((imported, load(conn, &actor)?))
        })
        .await;
    match result {
        Ok((imported, d)) => render(200, &d, None, Some(&imported), &s, &csrf),
        Err(e) if shown_on_form(&e) => match state.run(move |conn, _| load(conn, &actor)).await {
            Ok(d) => render(422, &d, Some(&e), None, &s, &csrf),
            Err(e) => error_page(&e, Some(&s), &csrf),
        },
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
