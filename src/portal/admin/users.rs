//! `/portal/admin/users`: the accounts, filtered by role and organisation, 25 a page; and
//! the form that creates one (`admin::create_user`, as `createUser`): the password is
//! generated and shown once; for each account, a provisional password or a
//! forgotten-password link.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{form_context, opt, posted_or_return, role_label, shown_on_form, values_of, PAGE};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

const FIELDS: &[&str] = &["role", "organisation", "email", "name"];
/// The use case's field paths → the form's fields.
const PATHS: &[(&str, &str)] = &[
    ("organisationId", "organisation"),
    ("displayName", "name"),
    ("email", "email"),
    ("role", "role"),
];

#[derive(Deserialize)]
pub struct ListQuery {
    role: Option<String>,
    org: Option<String>,
    after: Option<i64>,
}

/// What the page shows besides the form.
struct Listing {
    users: Vec<serde_json::Value>,
    total: i64,
    next_after: Option<i64>,
    orgs: Vec<serde_json::Value>,
}

fn load(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &crate::admin::UserFilter,
    after: Option<i64>,
) -> AppResult<Listing> {
    let listed = crate::admin::list_users(conn, actor, filter, after, PAGE)?;
    // Organisations for the names in the table and the choices of the forms.
    let orgs = crate::admin::list_organisations(conn, actor, None, None, 500)?.items;
    let name_of = |id: Option<i64>| {
        id.and_then(|id| orgs.iter().find(|o| o.id == id))
            .map(|o| o.name.clone())
    };
    let users = listed
        .items
        .iter()
        .map(|u| {
            serde_json::json!({
                "name": u.display_name,
                "email": u.email,
                "role": role_label(&u.role),
                "organisation": name_of(u.organisation_id),
                "active": u.active,
                "id": u.id,
                // No button to disable one's own account (the use case refuses it).
                "own": u.id == actor.user_id,
            })
        })
        .collect();
    Ok(Listing {
        next_after: listed
            .has_next
            .then(|| listed.items.last().map(|u| u.id))
            .flatten(),
        users,
        total: listed.total,
        orgs: orgs
            .iter()
            .map(|o| {
                serde_json::json!({
                    "id": o.id.to_string(),
                    "name": o.name,
                    "kind": super::kind_label(&o.kind),
                })
            })
            .collect(),
    })
}

fn roles() -> Vec<serde_json::Value> {
    Role::ALL
        .iter()
        .map(|r| serde_json::json!({ "value": r.as_str(), "label": role_label(r.as_str()) }))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn render(
    status: u16,
    listing: &Listing,
    filter: (&str, &str),
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    created: Option<serde_json::Value>,
    reset: Option<serde_json::Value>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("users", &listing.users);
    ctx.insert("total", &listing.total);
    ctx.insert("orgs", &listing.orgs);
    ctx.insert("roles", &roles());
    ctx.insert("role", filter.0);
    ctx.insert("org", filter.1);
    let enc = |v: &str| {
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    ctx.insert(
        "next_page",
        &listing.next_after.map(|a| {
            format!(
                "/portal/admin/users?role={}&org={}&after={a}",
                enc(filter.0),
                enc(filter.1)
            )
        }),
    );
    ctx.insert("created", &created);
    ctx.insert("reset", &reset);
    form_context(&mut ctx, values, error, PATHS);
    page(status, "portal/admin/users.html", ctx, Some(s), csrf)
}

/// The page after a form that succeeded: the notice, and a blank creation form.
fn done_page(
    listing: &Listing,
    created: Option<serde_json::Value>,
    reset: Option<serde_json::Value>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    render(
        200,
        listing,
        ("", ""),
        &blank(),
        None,
        created,
        reset,
        s,
        csrf,
    )
}

/// The creation form's values before anything is typed.
fn blank() -> HashMap<String, String> {
    let mut values = values_of(&HashMap::new(), FIELDS);
    values.insert("role".into(), "agent".into());
    values
}

fn filter_of(role: &str, org: &str) -> crate::admin::UserFilter {
    crate::admin::UserFilter {
        role: Role::parse(role).ok(),
        organisation_id: org.parse::<i64>().ok().filter(|o| *o > 0),
    }
}

pub async fn list(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let role = query.role.clone().unwrap_or_default();
    let org = query.org.clone().unwrap_or_default();
    let (actor, filter, after) = (s.actor, filter_of(&role, &org), query.after);
    let listed = state
        .run_as(actor, "GET /portal/admin/users", move |conn, _| {
            load(conn, &actor, &filter, after)
        })
        .await;
    match listed {
        Ok(l) => render(
            200,
            &l,
            (&role, &org),
            &blank(),
            None,
            None,
            None,
            &s,
            &csrf,
        ),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

pub async fn create(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let values = values_of(&form, FIELDS);
    let actor = s.actor;
    let input = match Role::parse(values["role"].trim()) {
        Ok(role) => Ok(crate::admin::UserInput {
            email: values["email"].trim().to_string(),
            display_name: values["name"].clone(),
            role,
            organisation_id: opt(&form, "organisation").and_then(|o| o.parse().ok()),
            password: None,
            provisional: true,
        }),
        Err(_) => Err(AppError::validation("role", "Choisissez un rôle.")),
    };
    let created = state
        .run_as(actor, "POST /portal/admin/users", move |conn, st| {
            // The role check first: a refused caller learns nothing of the form's content.
            actor.require_admin()?;
            let input = input?;
            let (user, password) =
                crate::admin::create_user(conn, &st.clock, st.hash_cost, Some(&actor), &input)?;
            let listing = load(conn, &actor, &Default::default(), None)?;
            Ok((user, password, listing))
        })
        .await;
    match created {
        Ok((user, password, listing)) => {
            let created = serde_json::json!({
                "name": user.display_name,
                "email": user.email,
                "password": password,
            });
            done_page(&listing, Some(created), None, &s, &csrf)
        }
        Err(e) if shown_on_form(&e) => {
            let listing = state
                .run(move |conn, _| load(conn, &actor, &Default::default(), None))
                .await;
            match listing {
                Ok(l) => render(422, &l, ("", ""), &values, Some(&e), None, None, &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// Disables or enables an account (`admin::set_user_active`, as `setUserActive`), then back
/// to the list.
pub async fn set_active(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let (actor, id) = (s.actor, path.into_inner());
    let active = form.get("active").map(String::as_str) == Some("true");
    // Disabling ends the account's sessions at once: the form asks to confirm it.
    if !active && form.get("confirm").map(String::as_str) != Some("on") {
        let e = AppError::validation(
            "confirm",
            "Cochez la case pour confirmer la désactivation du compte.",
        );
        return error_page(&e, Some(&s), &csrf);
    }
    let done = state
        .run_as(
            actor,
            "POST /portal/admin/users/{id}/active",
            move |conn, st| crate::admin::set_user_active(conn, &st.clock, &actor, id, active),
        )
        .await;
    match done {
        Ok(_) => super::see_other("/portal/admin/users", &s),
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

/// Gives an account a provisional password, shown once on the page
/// (`accounts::passwords::set_provisional`, as `setProvisionalPassword`), or (`how=link`) sends
/// its holder a forgotten-password link (`requestPasswordReset`).
pub async fn password(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = form.into_inner();
    let (s, csrf) = posted_or_return!(req, state, form);
    let (actor, id) = (s.actor, path.into_inner());
    let by_link = form.get("how").map(String::as_str) == Some("link");
    let base = crate::http::link_base(&req, &state);
    let ip = crate::http::client_ip(&req);
    let done = state
        .run_as(
            actor,
            "POST /portal/admin/users/{id}/password",
            move |conn, st| {
                actor.require_admin()?;
                let (user, password) = if by_link {
                    let user = crate::store::users::find(conn, id)?
                        .ok_or_else(|| AppError::not_found("user"))?;
                    crate::accounts::passwords::request_reset(
                        conn,
                        st,
                        &user.email,
                        base.as_deref(),
                        ip.as_deref(),
                    )?;
                    (user, None)
                } else {
                    crate::accounts::passwords::set_provisional(conn, st, &actor, id, None)?
                };
                let listing = load(conn, &actor, &Default::default(), None)?;
                Ok((user, password, listing))
            },
        )
        .await;
    match done {
        Ok((user, password, listing)) => {
            let notice = serde_json::json!({
                "name": user.display_name,
                "email": user.email,
                "password": password,
                "link": by_link,
            });
            done_page(&listing, None, Some(notice), &s, &csrf)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
