//! `/portal/admin/security`: the security log (`security::page`, as `securityLog`), newest
//! first, filtered by kind and account, 50 a page, in French; with the verification of its
//! hash chain on demand (`store::security::verify`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::portal::session::csrf_token;
use crate::portal::{error_page, page};
use crate::store::security::{SecurityEvent, SecurityKind};

const PAGE: i64 = 50;

/// The French name of an entry's kind.
pub fn kind_label(kind: SecurityKind) -> &'static str {
    match kind {
        SecurityKind::LoginSucceeded => "Connexion",
        SecurityKind::LoginFailed => "Connexion refusée",
        SecurityKind::AccountLocked => "Compte suspendu (échecs répétés)",
        SecurityKind::LoginRefusedLocked => "Tentative sur un compte suspendu",
        SecurityKind::RefreshTokenReused => "Jeton de session réutilisé (vol possible)",
        SecurityKind::PermissionRefused => "Action refusée par les droits",
        SecurityKind::EvidenceDownloaded => "Pièce téléchargée",
        SecurityKind::DocumentDownloaded => "Document téléchargé",
        SecurityKind::DossierDownloaded => "Dossier d'injonction téléchargé",
        SecurityKind::AccountDisabled => "Compte désactivé",
        SecurityKind::AccountEnabled => "Compte réactivé",
        SecurityKind::PasswordChanged => "Mot de passe changé",
        SecurityKind::PasswordResetRequested => "Lien de mot de passe demandé",
        SecurityKind::PasswordReset => "Mot de passe réinitialisé par lien",
        SecurityKind::ProvisionalPasswordSet => "Mot de passe provisoire donné",
        SecurityKind::WebhookRefused => "Notification de paiement refusée (signature)",
        SecurityKind::RateCorrected => "Taux d'intérêt corrigé",
    }
}

#[derive(Deserialize)]
pub struct LogQuery {
    kind: Option<String>,
    user: Option<String>,
    before: Option<i64>,
    /// Verify the whole chain (it reads every entry: on demand, not on every visit).
    verify: Option<String>,
}

fn row(e: &SecurityEvent) -> serde_json::Value {
    let kind = SecurityKind::ALL.into_iter().find(|k| k.as_str() == e.kind);
    serde_json::json!({
        "seq": e.seq,
        "at": crate::domain::fmt::paris(e.occurred_at).format("%d/%m/%Y %H:%M:%S").to_string(),
        "kind": kind.map_or_else(|| e.kind.clone(), |k| kind_label(k).to_string()),
        "email": e.email,
        "user_id": e.user_id,
        "ip": e.ip,
        "case_id": e.case_id,
        "detail": crate::i18n::french(&e.detail),
    })
}

pub async fn show(
    req: HttpRequest,
    query: web::Query<LogQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let kind_typed = query.kind.clone().unwrap_or_default();
    let user_typed = query.user.clone().unwrap_or_default();
    let filter = crate::security::Filter {
        kind: SecurityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind_typed),
        user_id: user_typed.trim().parse::<i64>().ok(),
    };
    let before = query.before;
    let verify = query.verify.is_some();
    let loaded = state
        .run_as(actor, "GET /portal/admin/security", move |conn, _| {
            let listed = crate::security::page(conn, &actor, &filter, before, PAGE)?;
            let check = if verify {
                Some(crate::store::security::verify(conn)?)
            } else {
                None
            };
            Ok((listed, check))
        })
        .await;
    let (listed, check) = match loaded {
        Ok(l) => l,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let enc = |v: &str| {
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let next_page = listed
        .has_next
        .then(|| listed.items.last().map(|e| e.seq))
        .flatten()
        .map(|seq| {
            format!(
                "/portal/admin/security?kind={}&user={}&before={seq}",
                enc(&kind_typed),
                enc(&user_typed)
            )
        });
    let mut ctx = tera::Context::new();
    ctx.insert("entries", &listed.items.iter().map(row).collect::<Vec<_>>());
    ctx.insert("total", &listed.total);
    ctx.insert(
        "kinds",
        &SecurityKind::ALL
            .into_iter()
            .map(|k| serde_json::json!({ "value": k.as_str(), "label": kind_label(k) }))
            .collect::<Vec<_>>(),
    );
    ctx.insert("kind", &kind_typed);
    ctx.insert("user", &user_typed);
    ctx.insert("next_page", &next_page);
    ctx.insert("verified", &check.is_some());
    ctx.insert("checked", &check.as_ref().map_or(0, |c| c.entries));
    ctx.insert(
        "broken",
        &check
            .as_ref()
            .and_then(|c| c.broken.as_ref())
            .map(|b| format!("entrée n° {} : {}", b.seq, crate::i18n::french(&b.reason))),
    );
    page(200, "portal/admin/security.html", ctx, Some(&s), &csrf)
}
