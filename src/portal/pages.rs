//! The portal's pages: sign-in and sign-out, the case list, a case, the creditor's
//! dashboard. Each page resolves the session first (or sends to sign-in, then back), and calls
//! the same use cases as the API.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::session::{self, csrf_token, CsrfToken, Signed};
use super::{error_page, page, state_label};
use crate::app::AppState;
use crate::domain::parties::Role;
use crate::domain::workflow::CaseState;
use crate::error::{AppError, ErrorCode};

pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let to = match s.actor.role {
        Role::Creditor => "/portal/dashboard",
        Role::Agent => "/portal/queue",
        Role::Admin => "/portal/admin",
        Role::Lawyer => "/portal/agenda",
    };
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", to));
    for c in s.renewed {
        resp.cookie(c);
    }
    resp.finish()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Back from a forgotten-password link.
    reset: Option<String>,
}

pub async fn login_form(req: HttpRequest, query: web::Query<NextQuery>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let mut ctx = tera::Context::new();
    ctx.insert("next", &session::safe_next(query.next.as_deref()));
    ctx.insert("email", "");
    ctx.insert(
        "notice",
        &query
            .reset
            .as_ref()
            .map(|_| "Votre mot de passe est changé : connectez-vous avec le nouveau."),
    );
    page(200, "portal/login.html", ctx, None, &csrf)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let form = form.into_inner();
    let next = session::safe_next(form.next.as_deref());
    let again = |error: Option<&str>, email_error: Option<&str>, password_error: Option<&str>| {
        let mut ctx = tera::Context::new();
        ctx.insert("next", &next);
        // What was typed stays (never the password).
        ctx.insert("email", &form.email);
        ctx.insert("error", &error);
        ctx.insert("email_error", &email_error);
        ctx.insert("password_error", &password_error);
        ctx
    };
    if !session::csrf_ok(&req, &form.csrf) {
        let ctx = again(
            Some("Le formulaire a expiré : veuillez vous connecter de nouveau."),
            None,
            None,
        );
        return page(403, "portal/login.html", ctx, None, &csrf);
    }
    if form.email.trim().is_empty() || form.password.is_empty() {
        let ctx = again(
            None,
            form.email
                .trim()
                .is_empty()
                .then_some("Saisissez votre adresse e-mail."),
            form.password
                .is_empty()
                .then_some("Saisissez votre mot de passe."),
        );
        return page(422, "portal/login.html", ctx, None, &csrf);
    }
    let ip = crate::http::client_ip(&req);
    let (email, password) = (form.email.clone(), form.password.clone());
    let result = state
        .run(move |conn, st| crate::accounts::login(conn, st, &email, &password, ip.as_deref()))
        .await;
    match result {
        Ok(s) => {
            let mut resp = HttpResponse::SeeOther();
            // A provisional password: the password page first, nothing else.
            let to = if s.user.must_change_password {
                "/portal/password"
            } else {
                next.as_str()
            };
            resp.insert_header(("Location", to));
            for c in session::session_cookies(&req, &s) {
                resp.cookie(c);
            }
            resp.finish()
        }
        Err(e) if matches!(e.code, ErrorCode::Unauthenticated | ErrorCode::Locked) => {
            // The same words for a wrong password, an unknown e-mail and a locked account
            // (none tells that an account exists); `LOCKED` is the client address's limit.
            let message = if e.code == ErrorCode::Locked {
                "Trop de tentatives de connexion depuis votre adresse : réessayez dans 15 minutes."
            } else {
                "Adresse e-mail ou mot de passe incorrect. Après 5 essais infructueux, le compte \
                 est suspendu pendant 15 minutes."
            };
            let ctx = again(None, None, Some(message));
            page(401, "portal/login.html", ctx, None, &csrf)
        }
        Err(e) => error_page(&e, None, &csrf),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    req: HttpRequest,
    form: web::Form<CsrfForm>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    if !session::csrf_ok(&req, &form.csrf) {
        return forbidden_form(&csrf);
    }
    if let Some(refresh) = req.cookie(session::REFRESH).map(|c| c.value().to_string()) {
        // Revoking is best effort: the cookies are cleared whatever happens.
        let _ = state
            .run(move |conn, st| crate::accounts::logout(conn, st, &refresh))
            .await;
    }
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", "/portal/login"));
    for c in session::cleared(&req) {
        resp.cookie(c);
    }
    resp.finish()
}

pub(super) fn forbidden_form(csrf: &CsrfToken) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("heading", "Formulaire refusé");
    ctx.insert(
        "message",
        "Ce formulaire a expiré ou ne vient pas de Recouvra. Rechargez la page et recommencez.",
    );
    page(403, "portal/error.html", ctx, None, csrf)
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    after: Option<i64>,
}

/// The case list's filters as typed (text, state) and as the store reads them; the CSV
/// export (`export::cases_csv`) takes the same.
pub(super) fn list_filter(query: &ListQuery) -> (String, String, crate::store::cases::CaseFilter) {
    let q = query.q.clone().unwrap_or_default();
    let wanted = query
        .state
        .clone()
        .filter(|st| CaseState::parse(st).is_ok())
        .unwrap_or_default();
    let filter = crate::store::cases::CaseFilter {
        states: if wanted.is_empty() {
            Vec::new()
        } else {
            vec![wanted.clone()]
        },
        creditor_org_id: None,
        assigned_agent_id: None,
        text: Some(q.trim().to_string()).filter(|t| !t.is_empty()),
    };
    (q, wanted, filter)
}

#[derive(Serialize)]
struct Row {
    id: i64,
    reference: String,
    debtor: String,
    creditor: String,
    state: String,
    state_label: &'static str,
    outstanding: String,
    opened_on: NaiveDate,
}

/// Cases per page of the list.
const PAGE: i64 = 25;
/// The case list counts its matches up to this many ("plus de 1 000 dossiers" beyond).
const COUNT_SHOWN: i64 = 1000;

pub async fn cases(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let (q, wanted, filter) = list_filter(&query);
    let (actor, after) = (s.actor, query.after.filter(|a| *a > 0));
    let listed = state
        .run(move |conn, _| {
            // "Plus de 1 000 dossiers" rather than an exact count: its cost stays the same
            // however large the portfolio.
            let count = crate::store::cases::Count::UpTo(COUNT_SHOWN + 1);
            crate::cases::views::list(conn, &actor, &filter, after, PAGE, count)
        })
        .await;
    let page_of = match listed {
        Ok(p) => p,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let rows: Vec<Row> = page_of
        .items
        .iter()
        .map(|v| Row {
            id: v.case.id,
            reference: v.case.reference.clone(),
            debtor: debtor_name(&v.debtor),
            creditor: v.creditor.name.clone(),
            state: v.case.state.clone(),
            state_label: CaseState::parse(&v.case.state)
                .map(state_label)
                .unwrap_or("—"),
            outstanding: v.totals().outstanding.to_string(),
            opened_on: v.case.opened_at.date(),
        })
        .collect();
    let enc = |v: &str| {
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    // The list with the same filters, from its first page.
    let first_page = format!("/portal/cases?q={}&state={}", enc(&q), enc(&wanted));
    let export_url = format!("/portal/cases.csv?q={}&state={}", enc(&q), enc(&wanted));
    let next_page = (page_of.has_next)
        .then(|| rows.last().map(|r| r.id))
        .flatten()
        .map(|last| format!("{first_page}&after={last}"));
    let states: Vec<serde_json::Value> = CaseState::ALL
        .iter()
        .map(|st| serde_json::json!({ "value": st.as_str(), "label": state_label(*st) }))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("cases", &rows);
    ctx.insert("total", &page_of.total.min(COUNT_SHOWN));
    ctx.insert("more", &(page_of.total > COUNT_SHOWN));
    ctx.insert("first_page", &after.map(|_| first_page));
    ctx.insert("q", &q);
    ctx.insert("state", &wanted);
    ctx.insert("states", &states);
    ctx.insert("next_page", &next_page);
    ctx.insert("export_url", &export_url);
    page(200, "portal/cases.html", ctx, Some(&s), &csrf)
}

pub(super) fn debtor_name(d: &crate::store::cases::Debtor) -> String {
    match &d.first_name {
        Some(f) => format!("{f} {}", d.name),
        None => d.name.clone(),
    }
}

pub async fn case(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let Some(id) = path.parse::<i64>().ok().filter(|n| *n > 0) else {
        return error_page(&AppError::not_found("case"), Some(&s), &csrf);
    };
    let actor = s.actor;
    let loaded = state
        .run_as(actor, "GET /portal/cases/{id}", move |conn, st| {
            super::case_page::load(conn, st, &actor, id, None)
        })
        .await;
    match loaded {
        Ok(mut ctx) => {
            let done = req.uri().query().and_then(|q| q.strip_prefix("fait="));
            let message = match done {
                Some("open") => Some("Le dossier a été confié à l'agence.".to_string()),
                Some("open_partial") => Some(
                    "Le dossier a été confié à l'agence, mais une pièce n'a pas pu être \
                     enregistrée : ajoutez-la de nouveau par « Ajouter une pièce »."
                        .to_string(),
                ),
                Some(name) if super::pieces::done_message(name).is_some() => {
                    super::pieces::done_message(name).map(str::to_string)
                }
                Some(name) => super::actions::FORMS
                    .iter()
                    .find(|f| f.name == name)
                    .map(|f| f.done.to_string())
                    .or_else(|| {
                        super::actions::ITEM_FORMS
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, done)| format!("{done}."))
                    }),
                None => None,
            };
            if let Some(m) = message {
                ctx.insert("done", &m);
            }
            page(200, "portal/case.html", ctx, Some(&s), &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// A form of the case page: done → back to the page with a confirmation; refused → the
/// page again, the message next to the form and what was typed kept.
pub async fn case_action(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<std::collections::HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let form = form.into_inner();
    if !session::csrf_ok(&req, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return forbidden_form(&csrf);
    }
    let s = signed_or_return!(req, state, csrf);
    let (id, name) = path.into_inner();
    let Some(id) = id.parse::<i64>().ok().filter(|n| *n > 0) else {
        return error_page(&AppError::not_found("case"), Some(&s), &csrf);
    };
    let actor = s.actor;
    let (n, f) = (name.clone(), form.clone());
    let done = state
        .run_as(actor, "POST /portal/cases/{id}/actions", move |conn, st| {
            super::actions::run(conn, st, &actor, id, &n, &f)
        })
        .await;
    match done {
        Ok(()) => {
            let mut resp = HttpResponse::SeeOther();
            resp.insert_header(("Location", format!("/portal/cases/{id}?fait={name}")));
            for c in s.renewed {
                resp.cookie(c);
            }
            resp.finish()
        }
        Err(e)
            if matches!(
                e.code,
                ErrorCode::NotFound | ErrorCode::Internal | ErrorCode::Unavailable
            ) =>
        {
            error_page(&e, Some(&s), &csrf)
        }
        Err(e) => {
            let status = e.code.http_status();
            let refused = super::case_page::Refused {
                form: name,
                error: e,
                values: form,
            };
            let shown = state
                .run(move |conn, st| super::case_page::load(conn, st, &actor, id, Some(&refused)))
                .await;
            match shown {
                Ok(ctx) => page(status, "portal/case.html", ctx, Some(&s), &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
    }
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

pub async fn dashboard(
    req: HttpRequest,
    query: web::Query<PeriodQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s: Signed = signed_or_return!(req, state, csrf);
    if s.actor.role != Role::Creditor {
        // The agency reads a creditor's figures through the API (`dashboard(creditorId)`).
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    let today = state.clock.today();
    let default_from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let parse = |v: &Option<String>, default: NaiveDate| match v.as_deref() {
        None | Some("") => Some(default),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
    };
    let (from, to) = (parse(&query.from, default_from), parse(&query.to, today));
    let mut ctx = tera::Context::new();
    ctx.insert(
        "from",
        &query.from.clone().unwrap_or(default_from.to_string()),
    );
    ctx.insert("to", &query.to.clone().unwrap_or(today.to_string()));
    let (Some(from), Some(to)) = (from, to) else {
        ctx.insert("period_error", "Saisissez des dates valides (jj/mm/aaaa).");
        return page(422, "portal/dashboard.html", ctx, Some(&s), &csrf);
    };
    if from > to {
        ctx.insert("period_error", "La date de début est après la date de fin.");
        return page(422, "portal/dashboard.html", ctx, Some(&s), &csrf);
    }
    let actor = s.actor;
    let d = match state
        .run(move |conn, _| crate::cases::dashboard::of_creditor(conn, &actor, None, from, to))
        .await
    {
        Ok(d) => d,
        Err(e) => return error_page(&e, Some(&s), &csrf),
    };
    let fr = crate::documents::letters::format_euros;
    let states: Vec<(String, rust_decimal::Decimal, String)> = d
        .by_state
        .iter()
        .map(|(st, n)| {
            (
                state_label(*st).to_string(),
                (*n as i64).into(),
                n.to_string(),
            )
        })
        .collect();
    let ageing: Vec<(String, rust_decimal::Decimal, String)> =
        crate::domain::dashboard::AGEING_BUCKETS
            .iter()
            .zip(d.ageing.iter())
            .map(|(label, amount)| (label.to_string(), *amount, fr(*amount)))
            .collect();
    ctx.insert(
        "d",
        &serde_json::json!({
            "placed": d.placed.to_string(),
            "recovered": d.recovered.to_string(),
            "cases_opened": d.cases_opened,
            "rate": d.recovery_rate.map(|r| format!("{r:.1}").replace('.', ",")),
            "days": d.average_days_to_recover.map(|r| format!("{r:.1}").replace('.', ",")),
        }),
    );
    ctx.insert(
        "states_svg",
        &super::svg::bars("Dossiers ouverts sur la période, par état", &states),
    );
    ctx.insert(
        "ageing_svg",
        &super::svg::bars(
            "Principal impayé des dossiers en cours, par ancienneté",
            &ageing,
        ),
    );
    page(200, "portal/dashboard.html", ctx, Some(&s), &csrf)
}
