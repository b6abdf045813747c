//! `/portal/outbox` (agency staff): the messages that need someone — e-mails that failed or
//! whose sending is uncertain, paper letters waiting to be posted — with what can be done to
//! each (`recovery::queue::decide_message`, as `decideMessage`): send again, give up, or mark a
//! letter posted with its tracking number. A formal notice is posted from its case (its
//! posting starts its deadline).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::admin::posted_or_return;
use super::error_page;
use super::session::csrf_token;
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::recovery::queue::MessageDecision;

fn status_label(status: &str) -> &'static str {
    match status {
        "failed" => "Échec de l'envoi",
        "uncertain" => "Envoi incertain (le serveur de courrier n'a pas confirmé)",
        "to_post" => "À poster",
        _ => "—",
    }
}

pub(super) fn channel_label(channel: &str) -> &'static str {
    match channel {
        "email" => "E-mail",
        "letter" => "Courrier simple",
        "registered_letter" => "Lettre recommandée",
        _ => "—",
    }
}

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<serde_json::Value>> {
    let list = crate::recovery::queue::attention(conn, actor)?;
    let ids: Vec<i64> = list.iter().filter_map(|m| m.case_id).collect();
    let refs: HashMap<i64, String> = crate::store::cases::find_many(conn, &ids)?
        .into_iter()
        .map(|c| (c.id, c.reference))
        .collect();
    Ok(list
        .iter()
        .map(|m| {
            let notice = m.kind == crate::domain::playbook::Template::FormalNotice.as_str();
            serde_json::json!({
                "id": m.id,
                "case_id": m.case_id,
                "case_reference": m.case_id.and_then(|c| refs.get(&c).cloned()),
                "channel": channel_label(&m.channel),
                "registered": m.channel == "registered_letter",
                "recipient": m.recipient,
                "subject": m.subject,
                "status": m.status,
                "status_label": status_label(&m.status),
                "attempts": m.attempts,
                "created_on": m.created_at.date(),
                "retry": matches!(m.status.as_str(), "failed" | "uncertain"),
                "post": m.status == "to_post" && !notice,
                "notice": notice,
            })
        })
        .collect())
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let done = match req.uri().query().and_then(|q| q.strip_prefix("fait=")) {
        Some("retry") => Some("Le message repartira au prochain passage de l'envoi."),
        Some("cancel") => Some("Le message est abandonné."),
        Some("posted") => Some("Le courrier est noté comme posté."),
        _ => None,
    };
    match state
        .run_as(actor, "GET /portal/outbox", move |conn, _| {
            load(conn, &actor)
        })
        .await
    {
        Ok(m) => super::work_page(
            200,
            "portal/outbox.html",
            "messages",
            &serde_json::json!(m),
            done,
            None,
            &s,
            &csrf,
        ),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

pub async fn decide(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let Some(id) = path.parse::<i64>().ok().filter(|n| *n > 0) else {
        return error_page(&AppError::not_found("message"), Some(&s), &csrf);
    };
    let (decision, name) = match form.get("decision").map(String::as_str) {
        Some("retry") => (MessageDecision::Retry, "retry"),
        Some("cancel") => (MessageDecision::Cancel, "cancel"),
        Some("posted") => (MessageDecision::Posted, "posted"),
        _ => {
            return error_page(
                &AppError::validation("decision", "choisissez une décision"),
                Some(&s),
                &csrf,
            )
        }
    };
    let tracking = form
        .get("tracking")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let actor = s.actor;
    let done = state
        .run_as(actor, "POST /portal/outbox/{id}", move |conn, st| {
            crate::recovery::queue::decide_message(
                conn,
                &st.clock,
                &actor,
                id,
                decision,
                tracking.as_deref(),
            )
        })
        .await;
    match done {
        Ok(_) => super::admin::see_other(&format!("/portal/outbox?fait={name}"), &s),
        Err(e) if super::admin::shown_on_form(&e) => {
            match state.run(move |conn, _| load(conn, &actor)).await {
                Ok(m) => super::work_page(
                    e.code.http_status(),
                    "portal/outbox.html",
                    "messages",
                    &serde_json::json!(m),
                    None,
                    Some(&e),
                    &s,
                    &csrf,
                ),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
