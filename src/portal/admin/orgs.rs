//! `/portal/admin/organisations`: creditors and the agency, filtered by kind, 25 a page; and
//! the form that records one (`admin::create_organisation`, as `createOrganisation`).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{form_context, kind_label, opt, posted_or_return, shown_on_form, values_of, PAGE};
use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::domain::parties::OrgKind;
use crate::error::{AppError, AppResult};
use crate::portal::session::{csrf_token, CsrfToken, Signed};
use crate::portal::{error_page, page};

const FIELDS: &[&str] = &[
    "kind",
    "name",
    "legalForm",
    "siren",
    "address.line1",
    "address.postalCode",
    "address.city",
];

#[derive(Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    after: Option<i64>,
}

struct Listing {
    orgs: Vec<serde_json::Value>,
    total: i64,
    next_after: Option<i64>,
}

fn load(
    conn: &mut DbConn,
    actor: &Actor,
    kind: Option<OrgKind>,
    after: Option<i64>,
) -> AppResult<Listing> {
    let listed = crate::admin::list_organisations(conn, actor, kind, after, PAGE)?;
    Ok(Listing {
        orgs: listed
            .items
            .iter()
            .map(|o| {
                let mut address = o.address_line1.clone();
                if let Some(l2) = &o.address_line2 {
                    address = format!("{address}, {l2}");
                }
                serde_json::json!({
                    "id": o.id,
                    "kind": o.kind,
                    "kind_label": kind_label(&o.kind),
                    "name": o.name,
                    "legal_form": o.legal_form,
                    "siren": o.siren,
                    "address": format!("{address}, {} {}", o.postal_code, o.city),
                    "creditor": o.kind == OrgKind::Creditor.as_str(),
                })
            })
            .collect(),
        total: listed.total,
        next_after: listed
            .has_next
            .then(|| listed.items.last().map(|o| o.id))
            .flatten(),
    })
}

#[allow(clippy::too_many_arguments)]
fn render(
    status: u16,
    listing: &Listing,
    kind: &str,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    created: Option<&str>,
    s: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    ctx.insert("orgs", &listing.orgs);
    ctx.insert("total", &listing.total);
    ctx.insert("kind", kind);
    ctx.insert(
        "kinds",
        &OrgKind::ALL
            .iter()
            .map(|k| serde_json::json!({ "value": k.as_str(), "label": kind_label(k.as_str()) }))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "next_page",
        &listing
            .next_after
            .map(|a| format!("/portal/admin/organisations?kind={kind}&after={a}")),
    );
    ctx.insert("created", &created);
    form_context(&mut ctx, values, error, &[]);
    page(
        status,
        "portal/admin/organisations.html",
        ctx,
        Some(s),
        csrf,
    )
}

fn blank() -> HashMap<String, String> {
    let mut v = values_of(&HashMap::new(), FIELDS);
    v.insert("kind".into(), OrgKind::Creditor.as_str().into());
    v
}

pub async fn list(
    req: HttpRequest,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let kind = query.kind.as_deref().and_then(|k| OrgKind::parse(k).ok());
    let (actor, after) = (s.actor, query.after);
    let listed = state
        .run_as(actor, "GET /portal/admin/organisations", move |conn, _| {
            load(conn, &actor, kind, after)
        })
        .await;
    match listed {
        Ok(l) => render(
            200,
            &l,
            kind.map(OrgKind::as_str).unwrap_or(""),
            &blank(),
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
    let input = match OrgKind::parse(values["kind"].trim()) {
        Ok(kind) => Ok(crate::admin::OrganisationInput {
            kind,
            name: values["name"].clone(),
            legal_form: values["legalForm"].clone(),
            siren: values["siren"].clone(), // Siren::parse drops the spaces
            address_line1: values["address.line1"].clone(),
            address_line2: None,
            postal_code: opt(&form, "address.postalCode").unwrap_or_default(),
            city: values["address.city"].clone(),
            country: None,
        }),
        Err(_) => Err(AppError::validation(
            "kind",
            "Choisissez un type d'organisation.",
        )),
    };
    let actor = s.actor;
    let created = state
        .run_as(
            actor,
            "POST /portal/admin/organisations",
            move |conn, st| {
                actor.require_admin()?;
                let org =
                    crate::admin::create_organisation(conn, &st.clock, Some(&actor), &input?)?;
                Ok((org, load(conn, &actor, None, None)?))
            },
        )
        .await;
    match created {
        Ok((org, listing)) => render(
            200,
            &listing,
            "",
            &blank(),
            None,
            Some(&org.name),
            &s,
            &csrf,
        ),
        Err(e) if shown_on_form(&e) => {
            let listing = state
                .run(move |conn, _| load(conn, &actor, None, None))
                .await;
            match listing {
                Ok(l) => render(422, &l, "", &values, Some(&e), None, &s, &csrf),
                Err(e) => error_page(&e, Some(&s), &csrf),
            }
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}
