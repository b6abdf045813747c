//! `/portal/admin/playbooks`: the playbooks with their steps, the creditors they are
//! attached to, and the editor of one playbook (`recovery::playbooks::save`, as
//! `savePlaybook`): a fixed number of step rows, no JavaScript — a row with a channel is a
//! step, a row without is none. Attaching to a creditor is `attachPlaybook`'s use case.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{french, posted_or_return, see_other, shown_on_form};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::OrgKind;
use crate::domain::playbook::{Basis, Channel, Template, MAX_STEPS};
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};
use crate::recovery::playbooks::StepInput;
use crate::store::recovery::{Playbook, PlaybookStep};

/// Step rows of the editor: at least this many, and two free rows after the last step.
const ROWS: usize = 8;

fn basis_label(b: &str) -> &'static str {
    match Basis::parse(b) {
        Ok(Basis::Accepted) => "après l'acceptation du dossier",
        Ok(Basis::DueDate) => "après l'échéance des factures",
        Ok(Basis::Previous) => "après l'étape précédente",
        Err(_) => "—",
    }
}

pub(crate) fn channel_label(c: &str) -> &'static str {
    match Channel::parse(c) {
        Ok(Channel::Email) => "E-mail",
        Ok(Channel::Letter) => "Courrier simple",
        Ok(Channel::RegisteredLetter) => "Lettre recommandée",
        Ok(Channel::PhoneTask) => "Appel (tâche du gestionnaire)",
        Ok(Channel::ReviewTask) => "Revue du dossier (tâche du gestionnaire)",
        Err(_) => "—",
    }
}

/// A template's French name (the playbook editor, the case page's timeline).
pub(crate) fn template_label(t: &str) -> &'static str {
    match Template::parse(t) {
        Ok(Template::CourteousReminder) => "Relance courtoise",
        Ok(Template::FirmReminder) => "Relance ferme",
        Ok(Template::ReminderLetter) => "Lettre de relance",
        Ok(Template::FormalNotice) => "Mise en demeure",
        Ok(Template::Call) => "Appel au débiteur",
        Ok(Template::Review) => "Revue du dossier",
        Err(_) => "—",
    }
}

/// The choices of the editor's selects, with their French labels.
fn choices() -> serde_json::Value {
    let of = |all: Vec<&'static str>, label: fn(&str) -> &'static str| {
        all.into_iter()
            .map(|v| serde_json::json!({ "value": v, "label": label(v) }))
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "bases": of(Basis::ALL.iter().map(|b| b.as_str()).collect(), basis_label),
        "channels": of(Channel::ALL.iter().map(|c| c.as_str()).collect(), channel_label),
        "templates": of(Template::ALL.iter().map(|t| t.as_str()).collect(), template_label),
    })
}

fn step_view(s: &PlaybookStep) -> serde_json::Value {
    serde_json::json!({
        "position": s.position,
        "delay": s.delay_days,
        "basis": basis_label(&s.basis),
        "channel": channel_label(&s.channel),
        "template": template_label(&s.template),
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    fait: Option<String>,
}

fn load_list(conn: &mut DbConn, actor: &Actor) -> AppResult<tera::Context> {
    actor.require_admin()?;
    let books = crate::recovery::playbooks::list(conn, actor)?;
    let creditors =
        crate::admin::list_organisations(conn, actor, Some(OrgKind::Creditor), None, 500)?.items;
    let default = books
        .iter()
        .find(|(b, _)| b.is_default)
        .map(|(b, _)| b.name.clone());
    let mut attached = Vec::new();
    for o in &creditors {
        let own = crate::recovery::playbooks::of_creditor(conn, actor, o.id)?;
        let name = own
            .and_then(|id| books.iter().find(|(b, _)| b.id == id))
            .map(|(b, _)| b.name.clone());
        attached.push(serde_json::json!({
            "id": o.id.to_string(),
            "name": o.name,
            "playbook": name,
        }));
    }
    let mut ctx = tera::Context::new();
    ctx.insert(
        "books",
        &books
            .iter()
            .map(|(b, steps)| {
                serde_json::json!({
                    "id": b.id.to_string(),
                    "name": b.name,
                    "is_default": b.is_default,
                    "steps": steps.iter().map(step_view).collect::<Vec<_>>(),
                })
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("creditors", &attached);
    ctx.insert("default_name", &default);
    Ok(ctx)
}

fn render_list(
    status: u16,
    mut ctx: tera::Context,
    attach: (&HashMap<String, String>, Option<&AppError>),
    done: Option<&str>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    ctx.insert("done", &done);
    ctx.insert(
        "attach_book",
        attach.0.get("playbook").map(String::as_str).unwrap_or(""),
    );
    ctx.insert(
        "attach_creditor",
        attach.0.get("creditor").map(String::as_str).unwrap_or(""),
    );
    ctx.insert("attach_error", &attach.1.map(french).unwrap_or_default());
    page(status, "portal/admin/playbooks.html", ctx, Some(s), csrf)
}

pub async fn list(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/admin/playbooks", move |conn, _| {
            load_list(conn, &actor)
        })
        .await;
    let done = match query.fait.as_deref() {
        Some("enregistre") => Some("Le scénario est enregistré."),
        Some("rattache") => Some("Le scénario est rattaché au créancier."),
        _ => None,
    };
    match loaded {
        Ok(ctx) => render_list(200, ctx, (&HashMap::new(), None), done, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

pub async fn attach(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let id = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let (book, creditor, actor) = (id("playbook"), id("creditor"), s.actor);
    let done = state
        .run_as(
            actor,
            "POST /portal/admin/playbooks/attach",
            move |conn, _| {
                crate::recovery::playbooks::attach_to_creditor(conn, &actor, creditor, book)
            },
        )
        .await;
    match done {
        Ok(()) => see_other("/portal/admin/playbooks?fait=rattache", &s),
        Err(e) if shown_on_form(&e) => {
            let loaded = state.run(move |conn, _| load_list(conn, &actor)).await;
            match loaded {
                Ok(ctx) => render_list(422, ctx, (&form, Some(&e)), None, &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// `new`, or a playbook's id.
fn which(path: &str) -> Result<Option<i64>, AppError> {
    if path == "new" {
        return Ok(None);
    }
    path.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| AppError::not_found("playbook"))
}

/// The editor's rows from a saved playbook.
fn rows_of(book: Option<&(Playbook, Vec<PlaybookStep>)>) -> (HashMap<String, String>, usize) {
    let mut v = HashMap::new();
    let steps = book.map(|(_, s)| s.as_slice()).unwrap_or_default();
    if let Some((b, _)) = book {
        v.insert("name".to_string(), b.name.clone());
        if b.is_default {
            v.insert("default".to_string(), "1".to_string());
        }
    }
    for (i, s) in steps.iter().enumerate() {
        v.insert(format!("steps.{i}.basis"), s.basis.clone());
        v.insert(format!("steps.{i}.delayDays"), s.delay_days.to_string());
        v.insert(format!("steps.{i}.channel"), s.channel.clone());
        v.insert(format!("steps.{i}.template"), s.template.clone());
    }
    (v, row_count(steps.len()))
}

fn row_count(steps: usize) -> usize {
    (steps + 2).clamp(ROWS, MAX_STEPS)
}

fn render_edit(
    status: u16,
    id: Option<i64>,
    values: &HashMap<String, String>,
    rows: usize,
    error: Option<&AppError>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let field = error.and_then(|e| e.field.clone()).unwrap_or_default();
    let message = error.map(french).unwrap_or_default();
    let rows: Vec<serde_json::Value> = (0..rows)
        .map(|i| {
            let key = |f: &str| format!("steps.{i}.{f}");
            // The message by the row (and field) at fault.
            let err = field
                .strip_prefix(&format!("steps.{i}."))
                .map(|f| serde_json::json!({ "field": f, "message": message }));
            serde_json::json!({
                "n": i + 1,
                "basis": [key("basis"), get(&key("basis"))],
                "delay": [key("delayDays"), get(&key("delayDays"))],
                "channel": [key("channel"), get(&key("channel"))],
                "template": [key("template"), get(&key("template"))],
                "error": err,
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert(
        "id",
        &id.map(|i| i.to_string()).unwrap_or_else(|| "new".into()),
    );
    ctx.insert("is_new", &id.is_none());
    ctx.insert("name", &get("name"));
    ctx.insert("default", &values.contains_key("default"));
    ctx.insert("rows", &rows);
    ctx.insert("choices", &choices());
    ctx.insert("error", &message);
    let row_error = field.starts_with("steps.") && field != "steps";
    ctx.insert(
        "error_field",
        if row_error { "row" } else { field.as_str() },
    );
    page(status, "portal/admin/playbook.html", ctx, Some(s), csrf)
}

pub async fn edit(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let id = match which(&path) {
        Ok(id) => id,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let loaded = state
        .run_as(actor, "GET /portal/admin/playbooks/{id}", move |conn, _| {
            actor.require_admin()?;
            let books = crate::recovery::playbooks::list(conn, &actor)?;
            match id {
                None => Ok(None),
                Some(id) => books
                    .into_iter()
                    .find(|(b, _)| b.id == id)
                    .map(Some)
                    .ok_or_else(|| AppError::not_found("playbook")),
            }
        })
        .await;
    match loaded {
        Ok(book) => {
            let (values, rows) = rows_of(book.as_ref());
            render_edit(200, id, &values, rows, None, &s, &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The steps typed, each with the row it came from.
fn steps_of(
    form: &HashMap<String, String>,
    rows: usize,
) -> Result<(Vec<StepInput>, Vec<usize>), AppError> {
    let mut steps = Vec::new();
    let mut from = Vec::new();
    for i in 0..rows {
        let get = |f: &str| {
            form.get(&format!("steps.{i}.{f}"))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let channel = get("channel");
        if channel.is_empty() {
            continue;
        }
        let field = |f: &str| format!("steps.{i}.{f}");
        let channel = Channel::parse(&channel)
            .map_err(|_| AppError::validation(field("channel"), "Choisissez un canal."))?;
        let basis = Basis::parse(&get("basis"))
            .map_err(|_| AppError::validation(field("basis"), "Choisissez le point de départ."))?;
        let template = Template::parse(&get("template"))
            .map_err(|_| AppError::validation(field("template"), "Choisissez un modèle."))?;
        let delay_days = get("delayDays").parse::<i32>().map_err(|_| {
            AppError::validation(field("delayDays"), "Saisissez un nombre de jours.")
        })?;
        steps.push(StepInput {
            basis,
            delay_days,
            channel,
            template,
        });
        from.push(i);
    }
    Ok((steps, from))
}

pub async fn save(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let id = match which(&path) {
        Ok(id) => id,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let typed_rows = (0..MAX_STEPS)
        .take_while(|i| form.contains_key(&format!("steps.{i}.channel")))
        .count()
        .max(ROWS);
    let parsed = steps_of(&form, typed_rows);
    let name = form.get("name").cloned().unwrap_or_default();
    let make_default = form.contains_key("default");
    let actor = s.actor;
    let saved = state
        .run_as(
            actor,
            "POST /portal/admin/playbooks/{id}",
            move |conn, st| {
                actor.require_admin()?;
                let (steps, from) = parsed?;
                crate::recovery::playbooks::save(
                    conn,
                    &st.clock,
                    &actor,
                    id,
                    &name,
                    &steps,
                    make_default,
                )
                .map_err(|mut e| {
                    // The use case counts typed steps; the page shows rows.
                    if let Some((k, rest)) = e
                        .field
                        .as_deref()
                        .and_then(|f| f.strip_prefix("steps."))
                        .and_then(|f| f.split_once('.'))
                    {
                        if let Some(row) = k.parse::<usize>().ok().and_then(|k| from.get(k)) {
                            e.field = Some(format!("steps.{row}.{rest}"));
                        }
                    }
                    e
                })
            },
        )
        .await;
    match saved {
        Ok(_) => see_other("/portal/admin/playbooks?fait=enregistre", &s),
        Err(e) if shown_on_form(&e) => render_edit(422, id, &form, typed_rows, Some(&e), &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
