//! `/portal/admin/rates`: the statutory interest rate table, newest half-year first, and the
//! form that enters a newly published half-year (`claims::add_rate`, as `addInterestRate`)
//! or, with a reason, corrects one entered with a typing error (`claims::correct_rate`, as
//! `correctInterestRate`; the security log keeps the correction).
//! Rates are exact decimals, shown the French way ("3,16 %").

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};

use super::{form_context, posted_or_return, shown_on_form, values_of};
use crate::app::AppState;
use crate::auth::Actor;
use crate::claims::RateInput;
use crate::db::DbConn;
use crate::domain::rates::Half;
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

const FIELDS: &[&str] = &[
    "year",
    "half",
    "ecbRate",
    "legalRatePrivateCreditor",
    "legalRateOther",
    "reason",
    "mode",
];

fn load(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<serde_json::Value>> {
    // The table is read by anyone who sees a statement; its page is the admin's.
    actor.require_admin()?;
    let mut entries = crate::claims::list_rates(conn, actor)?;
    entries.sort_by_key(|e| std::cmp::Reverse((e.year, e.half == Half::H2)));
    Ok(entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "period": match e.half {
                    Half::H1 => format!("1er semestre {}", e.year),
                    Half::H2 => format!("2d semestre {}", e.year),
                },
                "ecb": crate::domain::fmt::percent(e.ecb_rate),
                "private": crate::domain::fmt::percent(e.legal_rate_private_creditor),
                "other": crate::domain::fmt::percent(e.legal_rate_other),
            })
        })
        .collect())
}

fn render(
    status: u16,
    rates: &[serde_json::Value],
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    added: Option<&str>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("rates", rates);
    ctx.insert("added", &added);
    form_context(&mut ctx, values, error, &[]);
    page(status, "portal/admin/rates.html", ctx, Some(s), csrf)
}

fn blank(state: &AppState) -> HashMap<String, String> {
    use chrono::Datelike;
    let today = state.clock.today();
    let mut v = values_of(&HashMap::new(), FIELDS);
    v.insert("year".into(), today.year().to_string());
    v.insert(
        "half".into(),
        match Half::of(today) {
            Half::H1 => "H1".into(),
            Half::H2 => "H2".into(),
        },
    );
    v
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let actor = s.actor;
    let listed = state
        .run_as(actor, "GET /portal/admin/rates", move |conn, _| {
            load(conn, &actor)
        })
        .await;
    match listed {
        Ok(rates) => render(200, &rates, &blank(&state), None, None, &s, &csrf),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// The use case's input from the form; rates typed "3,16" or "3,16 %".
fn input(values: &HashMap<String, String>) -> Result<RateInput, AppError> {
    let year = values["year"]
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::validation("year", "Saisissez une année, par exemple 2026."))?;
    let half = match values["half"].as_str() {
        "H1" => Half::H1,
        "H2" => Half::H2,
        _ => return Err(AppError::validation("half", "Choisissez le semestre.")),
    };
    let rate = |f: &str| crate::domain::money::normalise_amount(&values[f].replace('%', ""));
    Ok(RateInput {
        year,
        half,
        ecb_rate: rate("ecbRate"),
        legal_rate_private_creditor: rate("legalRatePrivateCreditor"),
        legal_rate_other: rate("legalRateOther"),
    })
}

pub async fn add(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let values = values_of(&form, FIELDS);
    let parsed = input(&values);
    let actor = s.actor;
    let correcting = values["mode"] == "correct";
    let reason = values["reason"].clone();
    let ip = crate::http::client_ip(&req);
    let added = state
        .run_as(actor, "POST /portal/admin/rates", move |conn, st| {
            actor.require_admin()?;
            let parsed = parsed?;
            let e = if correcting {
                crate::claims::correct_rate(conn, &st.clock, &actor, &parsed, &reason, ip)?
            } else {
                crate::claims::add_rate(conn, &st.clock, &actor, &parsed)?
            };
            Ok((e, load(conn, &actor)?))
        })
        .await;
    match added {
        Ok((e, rates)) => {
            let what = match e.half {
                Half::H1 => format!("du 1er semestre {}", e.year),
                Half::H2 => format!("du 2d semestre {}", e.year),
            };
            let what = if correcting {
                format!("{what} sont corrigés (la correction figure au journal de sécurité)")
            } else {
                format!("{what} sont enregistrés")
            };
            render(200, &rates, &blank(&state), None, Some(&what), &s, &csrf)
        }
        Err(e) if shown_on_form(&e) => {
            let rates = state.run(move |conn, _| load(conn, &actor)).await;
            match rates {
                Ok(r) => render(422, &r, &values, Some(&e), None, &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
