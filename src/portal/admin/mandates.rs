//! `/portal/admin/mandates`: the mandates of one creditor organisation (CPCE R124-3), the form
//! that records a signed one (`admin::create_mandate`, as `createMandate`) and, per mandate,
//! the limits within which the agency agrees a payment plan alone
//! (`recovery::settings::set_plan_limits`, as `setMandatePlanLimits`).

use std::collections::HashMap;
use std::str::FromStr;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{form_context, french, opt, posted_or_return, see_other, shown_on_form, values_of};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::OrgKind;
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

const FIELDS: &[&str] = &[
    "signedOn",
    "endsOn",
    "commission",
    "terms",
    "declaresClaims",
];
const PATHS: &[(&str, &str)] = &[("commissionBps", "commission")];

#[derive(Deserialize)]
pub struct ListQuery {
    org: Option<String>,
    fait: Option<String>,
}

/// A refused plan-limits form: which mandate, the message, what was typed.
struct LimitsRefused {
    mandate: i64,
    message: String,
    values: (String, String),
}

fn load(conn: &mut DbConn, actor: &Actor, org: Option<i64>) -> AppResult<tera::Context> {
    let creditors =
        crate::admin::list_organisations(conn, actor, Some(OrgKind::Creditor), None, 500)?.items;
    let chosen = org
        .and_then(|id| creditors.iter().find(|o| o.id == id))
        .or(creditors.first());
    let mut ctx = tera::Context::new();
    ctx.insert(
        "creditors",
        &creditors
            .iter()
            .map(|o| serde_json::json!({ "id": o.id.to_string(), "name": o.name }))
            .collect::<Vec<_>>(),
    );
    let mut mandates = Vec::new();
    if let Some(o) = chosen {
        for m in crate::admin::mandates_of(conn, actor, o.id)? {
            let limits = crate::recovery::settings::plan_limits(conn, actor, m.id)?;
            mandates.push(serde_json::json!({
                "id": m.id,
                "signed_on": m.signed_on,
                "ends_on": m.ends_on,
                "commission": crate::domain::fmt::percent(Decimal::new(i64::from(m.commission_bps), 2)),
                "terms": m.terms,
                "declares_claims": m.declares_claims,
                "max_instalments": limits.map(|l| l.0.to_string()).unwrap_or_default(),
                "max_months": limits.map(|l| l.1.to_string()).unwrap_or_default(),
            }));
        }
        ctx.insert("org", &o.id.to_string());
        ctx.insert("org_name", &o.name);
    } else {
        ctx.insert("org", "");
        ctx.insert("org_name", "");
    }
    ctx.insert("mandates", &mandates);
    Ok(ctx)
}

#[allow(clippy::too_many_arguments)]
fn render(
    status: u16,
    mut ctx: tera::Context,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    limits: Option<&LimitsRefused>,
    done: Option<&str>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    form_context(&mut ctx, values, error, PATHS);
    ctx.insert("limits_mandate", &limits.map(|l| l.mandate).unwrap_or(0));
    ctx.insert(
        "limits_error",
        &limits.map(|l| l.message.as_str()).unwrap_or(""),
    );
    ctx.insert(
        "limits_values",
        &limits.map(|l| l.values.clone()).unwrap_or_default(),
    );
    ctx.insert("done", &done);
    page(status, "portal/admin/mandates.html", ctx, Some(s), csrf)
}

fn org_of(text: Option<&str>) -> Option<i64> {
    text.and_then(|o| o.parse::<i64>().ok()).filter(|o| *o > 0)
}

pub async fn list(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let (actor, org) = (s.actor, org_of(query.org.as_deref()));
    let loaded = state
        .run_as(actor, "GET /portal/admin/mandates", move |conn, _| {
            load(conn, &actor, org)
        })
        .await;
    let done = match query.fait.as_deref() {
        Some("mandat") => Some("Le mandat est enregistré."),
        Some("limites") => Some("Les limites des échéanciers sont enregistrées."),
        _ => None,
    };
    match loaded {
        Ok(ctx) => {
            let mut values = values_of(&HashMap::new(), FIELDS);
            values.insert("signedOn".into(), state.clock.today().to_string());
            render(200, ctx, &values, None, None, done, &s, &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

fn date(values: &HashMap<String, String>, key: &str) -> Result<Option<NaiveDate>, AppError> {
    match values[key].trim() {
        "" => Ok(None),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::validation(key, "Saisissez une date (jj/mm/aaaa).")),
    }
}

/// "12,5" % → 1250 basis points; a commission has at most two decimals.
fn basis_points(text: &str) -> Result<i32, AppError> {
    let bad = || AppError::validation("commission", "Saisissez un pourcentage, par exemple 12,50.");
    let d = Decimal::from_str(&crate::domain::money::normalise_amount(
        &text.replace('%', ""),
    ))
    .map_err(|_| bad())?;
    if d.scale() > 2 {
        return Err(bad());
    }
    let bps = d * Decimal::ONE_HUNDRED;
    if !bps.fract().is_zero() {
        return Err(bad());
    }
    rust_decimal::prelude::ToPrimitive::to_i32(&bps).ok_or_else(bad)
}

fn input(
    org: i64,
    values: &HashMap<String, String>,
) -> Result<crate::admin::MandateInput, AppError> {
    Ok(crate::admin::MandateInput {
        organisation_id: org,
        signed_on: date(values, "signedOn")?
            .ok_or_else(|| AppError::validation("signedOn", "Saisissez la date de signature."))?,
        ends_on: date(values, "endsOn")?,
        commission_bps: basis_points(&values["commission"])?,
        terms: values["terms"].clone(),
        declares_claims: values.get("declaresClaims").is_some_and(|v| !v.is_empty()),
    })
}

pub async fn create(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let values = values_of(&form, FIELDS);
    let org = org_of(form.get("org").map(String::as_str)).unwrap_or(0);
    let parsed = input(org, &values);
    let actor = s.actor;
    let created = state
        .run_as(actor, "POST /portal/admin/mandates", move |conn, st| {
            actor.require_admin()?;
            crate::admin::create_mandate(conn, &st.clock, Some(&actor), &parsed?)
        })
        .await;
    match created {
        Ok(m) => see_other(
            &format!(
                "/portal/admin/mandates?org={}&fait=mandat",
                m.creditor_org_id
            ),
            &s,
        ),
        Err(e) if shown_on_form(&e) => {
            let loaded = state
                .run(move |conn, _| load(conn, &actor, Some(org)))
                .await;
            match loaded {
                Ok(ctx) => render(422, ctx, &values, Some(&e), None, None, &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

fn count(text: &str, field: &str) -> Result<Option<i32>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse::<i32>()
            .map(Some)
            .map_err(|_| AppError::validation(field, "Saisissez un nombre entier.")),
    }
}

pub async fn limits(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let Some(id) = path.parse::<i64>().ok().filter(|n| *n > 0) else {
        return error_page(&AppError::not_found("mandate"), Some(&s), &csrf);
    };
    let typed = (
        opt(&form, "maxInstalments").unwrap_or_default(),
        opt(&form, "maxMonths").unwrap_or_default(),
    );
    let parsed =
        count(&typed.0, "maxInstalments").and_then(|n| Ok((n, count(&typed.1, "maxMonths")?)));
    let org = org_of(form.get("org").map(String::as_str));
    let actor = s.actor;
    let set = state
        .run_as(
            actor,
            "POST /portal/admin/mandates/{id}/limits",
            move |conn, _| {
                actor.require_admin()?;
                let (n, m) = parsed?;
                crate::recovery::settings::set_plan_limits(conn, &actor, id, n, m)
            },
        )
        .await;
    match set {
        Ok(()) => see_other(
            &format!(
                "/portal/admin/mandates?org={}&fait=limites",
                org.unwrap_or_default()
            ),
            &s,
        ),
        Err(e) if shown_on_form(&e) => {
            let refused = LimitsRefused {
                mandate: id,
                message: french(&e),
                values: typed,
            };
            let loaded = state.run(move |conn, _| load(conn, &actor, org)).await;
            match loaded {
                Ok(ctx) => {
                    let mut values = values_of(&HashMap::new(), FIELDS);
                    values.insert("signedOn".into(), state.clock.today().to_string());
                    render(422, ctx, &values, None, Some(&refused), None, &s, &csrf)
                }
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
