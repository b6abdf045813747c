//! `/portal/admin/settings`: the agency's settings — the organisation its letters present, the
//! liability insurer and policy (CPCE R124-2), the dedicated account, the signatory, the
//! formal notice's delay — as `updateAgencySettings` replaces them, and what letters still
//! lack before one can go (`recovery::letters::missing_mentions`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::{form_context, posted_or_return, shown_on_form, values_of};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::OrgKind;
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};
use crate::recovery::settings::SettingsInput;

const FIELDS: &[&str] = &[
    "agencyOrganisationId",
    "insurer",
    "policyNumber",
    "iban",
    "bic",
    "phone",
    "email",
    "mailFrom",
    "signatory",
    "formalNoticeDays",
    "graceDays",
    "requireFormalNotice",
    "maxMessagesPerWeek",
    "callFromHour",
    "callUntilHour",
    "callsOnSaturday",
    "portalUrl",
    "reminderDaysBefore",
];

/// The page's data: the agency organisations to choose from, what letters lack, and the
/// stored settings as the form's values.
struct Loaded {
    agencies: Vec<serde_json::Value>,
    missing: Vec<&'static str>,
    stored: HashMap<String, String>,
}

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<Loaded> {
    actor.require_admin()?;
    let s = crate::recovery::settings::get(conn, actor)?;
    let agencies = crate::admin::list_organisations(conn, actor, Some(OrgKind::Agency), None, 100)?
        .items
        .into_iter()
        .map(|o| serde_json::json!({ "id": o.id.to_string(), "name": o.name }))
        .collect();
    let missing = crate::recovery::letters::missing_mentions(&s)
        .into_iter()
        .map(|(_, fr)| fr)
        .collect();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let stored = HashMap::from([
        (
            "agencyOrganisationId".to_string(),
            s.agency_org_id.map(|i| i.to_string()).unwrap_or_default(),
        ),
        ("insurer".into(), s.insurer.clone()),
        ("policyNumber".into(), s.policy_number.clone()),
        ("iban".into(), s.iban.clone()),
        ("bic".into(), opt(&s.bic)),
        ("phone".into(), opt(&s.phone)),
        ("email".into(), opt(&s.email)),
        ("mailFrom".into(), s.mail_from.clone()),
        ("signatory".into(), s.signatory.clone()),
        ("formalNoticeDays".into(), s.formal_notice_days.to_string()),
        ("graceDays".into(), s.grace_days.to_string()),
        (
            "requireFormalNotice".into(),
            if s.require_formal_notice { "on" } else { "" }.into(),
        ),
        (
            "maxMessagesPerWeek".into(),
            s.max_messages_per_week.to_string(),
        ),
        ("callFromHour".into(), s.call_from_hour.to_string()),
        ("callUntilHour".into(), s.call_until_hour.to_string()),
        (
            "callsOnSaturday".into(),
            if s.calls_on_saturday { "on" } else { "" }.into(),
        ),
        ("portalUrl".into(), s.portal_url.clone()),
        (
            "reminderDaysBefore".into(),
            s.reminder_days_before.to_string(),
        ),
    ]);
    Ok(Loaded {
        agencies,
        missing,
        stored,
    })
}

fn render(
    status: u16,
    loaded: &Loaded,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    saved: bool,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("agencies", &loaded.agencies);
    ctx.insert("missing", &loaded.missing);
    ctx.insert("saved", &saved);
    form_context(
        &mut ctx,
        values,
        error,
        &[("agencyOrganisationId", "agencyOrganisationId")],
    );
    page(status, "portal/admin/settings.html", ctx, Some(s), csrf)
}

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/admin/settings", move |conn, _| {
            load(conn, &actor)
        })
        .await;
    match loaded {
        Ok(l) => render(200, &l, &l.stored, None, false, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The use case's input from the form (the whole settings, as the mutation replaces them).
fn input(v: &HashMap<String, String>) -> Result<SettingsInput, AppError> {
    let number = |f: &str, what: &str| {
        v[f].trim()
            .parse::<i32>()
            .map_err(|_| AppError::validation(f, format!("saisissez un nombre de jours ({what})")))
    };
    let count = |f: &str, what: &str| {
        v[f].trim()
            .parse::<i32>()
            .map_err(|_| AppError::validation(f, format!("saisissez un nombre ({what})")))
    };
    let opt = |f: &str| Some(v[f].trim().to_string()).filter(|t| !t.is_empty());
    Ok(SettingsInput {
        agency_org_id: v["agencyOrganisationId"]
            .parse()
            .map_err(|_| AppError::validation("agencyOrganisationId", "choisissez l'agence"))?,
        insurer: v["insurer"].clone(),
        policy_number: v["policyNumber"].clone(),
        iban: v["iban"].clone(),
        bic: opt("bic"),
        phone: opt("phone"),
        email: opt("email"),
        mail_from: v["mailFrom"].clone(),
        signatory: v["signatory"].clone(),
        formal_notice_days: number("formalNoticeDays", "8 à 30")?,
        grace_days: number("graceDays", "0 à 30")?,
        require_formal_notice: Some(!v["requireFormalNotice"].is_empty()),
        contact_rules: Some(crate::domain::playbook::ContactRules {
            max_messages_per_week: count("maxMessagesPerWeek", "1 à 14")?,
            call_from_hour: count("callFromHour", "de 8 à 20 h")?,
            call_until_hour: count("callUntilHour", "de 9 à 21 h")?,
            calls_on_saturday: !v["callsOnSaturday"].is_empty(),
        }),
        portal_url: Some(v["portalUrl"].clone()),
        // Left empty (a form of an earlier version): the current delay is kept.
        reminder_days_before: opt("reminderDaysBefore")
            .map(|_| number("reminderDaysBefore", "0 à 15"))
            .transpose()?,
    })
}

pub async fn save(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let values = values_of(&form, FIELDS);
    let parsed = input(&values);
    let actor = s.actor;
    let saved = state
        .run_as(actor, "POST /portal/admin/settings", move |conn, st| {
            actor.require_admin()?;
            crate::recovery::settings::update(conn, &st.clock, &actor, &parsed?)?;
            load(conn, &actor)
        })
        .await;
    match saved {
        Ok(l) => render(200, &l, &l.stored, None, true, &s, &csrf),
        Err(e) if shown_on_form(&e) => match state.run(move |conn, _| load(conn, &actor)).await {
            Ok(l) => render(422, &l, &values, Some(&e), false, &s, &csrf),
            Err(e) => error_page(&e, Some(&s), &csrf),
        },
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
