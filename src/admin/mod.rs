//! Administration: organisations, user accounts and mandates (admin role, or the operator on
//! the command line, who acts with no actor).

use chrono::NaiveDate;

use crate::auth::{password, Actor};
use crate::clock::Clock;
use crate::config::HashCost;
use crate::db::{self, DbConn};
use crate::domain::parties::{OrgKind, Role};
use crate::error::{AppError, AppResult};
use crate::store::security::{NewEntry, SecurityKind};
use crate::store::{self, mandates, orgs, users};
use crate::validate;

/// Input of `createOrganisation`.
#[derive(Debug, Clone)]
pub struct OrganisationInput {
    pub kind: OrgKind,
    pub name: String,
    pub legal_form: String,
    pub siren: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: Option<String>,
}

fn require_admin(by: Option<&Actor>) -> AppResult<()> {
    match by {
        Some(actor) => actor.require_admin(),
        None => Ok(()), // the operator, on the command line
    }
}

pub fn create_organisation(
    conn: &mut DbConn,
    clock: &Clock,
    by: Option<&Actor>,
    input: &OrganisationInput,
) -> AppResult<orgs::Organisation> {
    require_admin(by)?;
    let name = validate::required("name", &input.name, 200)?;
    let legal_form = validate::required("legalForm", &input.legal_form, 60)?;
    let siren = validate::siren("siren", &input.siren)?;
    let address = validate::address(
        "address",
        &input.address_line1,
        input.address_line2.as_deref(),
        &input.postal_code,
        &input.city,
        input.country.as_deref(),
    )?;
    db::transaction(conn, |conn| {
        if orgs::siren_taken(conn, &siren)? {
            return Err(AppError::validation(
                "siren",
                format!("an organisation with SIREN {siren} already exists"),
            ));
        }
        orgs::insert(
            conn,
            &orgs::NewOrganisation {
                kind: input.kind.as_str(),
                name: &name,
                legal_form: &legal_form,
                siren: &siren,
                address_line1: &address.line1,
                address_line2: address.line2.as_deref(),
                postal_code: &address.postal_code,
                city: &address.city,
                country: &address.country,
                created_at: clock.now(),
            },
        )
        .map_err(|e| unique_as(e, "siren", "this SIREN is already registered"))
    })
}

/// Input of `createUser`. Without a password, one is generated and returned once.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password: Option<String>,
    /// The password is provisional: to be changed at the first sign-in (always so when it is
    /// generated).
    pub provisional: bool,
}

pub fn create_user(
    conn: &mut DbConn,
    clock: &Clock,
    cost: HashCost,
    by: Option<&Actor>,
    input: &UserInput,
) -> AppResult<(users::User, Option<String>)> {
    require_admin(by)?;
    let email = validate::email("email", &input.email)?;
    let display_name = validate::required("displayName", &input.display_name, 120)?;
    let (password, generated) = match &input.password {
        Some(p) => {
            password::check_strength(p)?;
            (p.clone(), None)
        }
        None => {
            let p = password::generate();
            (p.clone(), Some(p))
        }
    };
    let hash = password::hash(&password, cost)?;
    db::transaction(conn, |conn| {
        check_user_organisation(conn, input.role, input.organisation_id)?;
        if users::find_by_email(conn, &email)?.is_some() {
            return Err(AppError::validation(
                "email",
                "this e-mail address is already used",
            ));
        }
        let user = users::insert(
            conn,
            &users::NewUser {
                email: &email,
                display_name: &display_name,
                password_hash: &hash,
                role: input.role.as_str(),
                organisation_id: input.organisation_id,
                active: true,
                failed_logins: 0,
                created_at: clock.now(),
                must_change_password: input.provisional || generated.is_some(),
            },
        )
        .map_err(|e| unique_as(e, "email", "this e-mail address is already used"))?;
        Ok((user, generated))
    })
}

/// Disables an account (its holder can no longer sign in, nor renew a session: sign-in and
/// refresh both refuse an inactive account; an access token already issued lapses within its
/// short lifetime) or enables it again. Recorded in the security log. An admin cannot disable
/// their own account: the last admin would lock everyone out of administration.
pub fn set_user_active(
    conn: &mut DbConn,
    clock: &Clock,
    by: &Actor,
    user_id: i64,
    active: bool,
) -> AppResult<users::User> {
    by.require_admin()?;
    if !active && user_id == by.user_id {
        return Err(AppError::validation(
            "id",
            "you cannot disable your own account",
        ));
    }
    db::transaction(conn, |conn| {
        let user =
            users::set_active(conn, user_id, active)?.ok_or_else(|| AppError::not_found("user"))?;
        let kind = if active {
            SecurityKind::AccountEnabled
        } else {
            SecurityKind::AccountDisabled
        };
        store::security::append(
            conn,
            clock.now(),
            kind,
            NewEntry {
                user_id: Some(user.id),
                email: Some(user.email.clone()),
                detail: format!("by user {}", by.user_id),
                ..NewEntry::default()
            },
        )?;
        Ok(user)
    })
}

/// A creditor user belongs to a creditor organisation; staff belong to the agency, if to any.
fn check_user_organisation(conn: &mut DbConn, role: Role, org_id: Option<i64>) -> AppResult<()> {
    let org = match org_id {
        Some(id) => Some(
            orgs::find(conn, id)?
                .ok_or_else(|| AppError::validation("organisationId", "unknown organisation"))?,
        ),
        None => None,
    };
    match (role, org) {
        (Role::Creditor, None) => Err(AppError::validation(
            "organisationId",
            "a creditor user belongs to a creditor organisation",
        )),
        (Role::Creditor, Some(o)) if o.kind != OrgKind::Creditor.as_str() => Err(
            AppError::validation("organisationId", "this organisation is not a creditor"),
        ),
        (Role::Admin | Role::Agent | Role::Lawyer, Some(o))
            if o.kind == OrgKind::Creditor.as_str() =>
        {
            Err(AppError::validation(
                "organisationId",
                "agency staff cannot belong to a creditor organisation",
            ))
        }
        _ => Ok(()),
    }
}

/// Input of `createMandate` (CPCE R124-3: the creditor's written mandate).
#[derive(Debug, Clone)]
pub struct MandateInput {
    pub organisation_id: i64,
    pub signed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub commission_bps: i32,
    pub terms: String,
    /// The special power to declare claims in a collective proceeding (C. com. L622-24).
    pub declares_claims: bool,
}

pub fn create_mandate(
    conn: &mut DbConn,
    clock: &Clock,
    by: Option<&Actor>,
    input: &MandateInput,
) -> AppResult<mandates::Mandate> {
    require_admin(by)?;
    if input.signed_on > clock.today() {
        return Err(AppError::validation(
            "signedOn",
            "a mandate is recorded once signed: the date cannot be in the future",
        ));
    }
    if input.ends_on.is_some_and(|e| e < input.signed_on) {
        return Err(AppError::validation(
            "endsOn",
            "the end date is before the signature",
        ));
    }
    if !(0..=10_000).contains(&input.commission_bps) {
        return Err(AppError::validation(
            "commissionBps",
            "the commission is between 0 and 10000 basis points (0 to 100 %)",
        ));
    }
    // CPCE R124-3: the mandate states the claim's components, the fee and how funds are remitted.
    let terms = validate::required("terms", &input.terms, 20_000)?;
    db::transaction(conn, |conn| {
        let org = orgs::find(conn, input.organisation_id)?
            .ok_or_else(|| AppError::validation("organisationId", "unknown organisation"))?;
        if org.kind != OrgKind::Creditor.as_str() {
            return Err(AppError::validation(
                "organisationId",
                "a mandate is given by a creditor organisation",
            ));
        }
        Ok(mandates::insert(
            conn,
            &mandates::NewMandate {
                creditor_org_id: org.id,
                signed_on: input.signed_on,
                ends_on: input.ends_on,
                commission_bps: input.commission_bps,
                terms: &terms,
                created_by: by.map(|a| a.user_id),
                created_at: clock.now(),
                declares_claims: input.declares_claims,
            },
        )?)
    })
}

/// Lists for the admin pages and queries.
pub fn list_organisations(
    conn: &mut DbConn,
    by: &Actor,
    kind: Option<OrgKind>,
    after: Option<i64>,
    limit: i64,
) -> AppResult<store::Page<orgs::Organisation>> {
    by.require_admin()?;
    Ok(orgs::list(conn, kind.map(OrgKind::as_str), after, limit)?)
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub organisation_id: Option<i64>,
}

pub fn list_users(
    conn: &mut DbConn,
    by: &Actor,
    filter: &UserFilter,
    after: Option<i64>,
    limit: i64,
) -> AppResult<store::Page<users::User>> {
    by.require_admin()?;
    Ok(users::list(
        conn,
        filter.role.map(Role::as_str),
        filter.organisation_id,
        after,
        limit,
    )?)
}

fn unique_as(e: diesel::result::Error, field: &str, message: &str) -> AppError {
    if db::is_unique_violation(&e) {
        AppError::validation(field, message)
    } else {
        e.into()
    }
}

/// The mandates of a creditor: for admins, and for the creditor's own users.
pub fn mandates_of(
    conn: &mut DbConn,
    by: &Actor,
    org_id: i64,
) -> AppResult<Vec<mandates::Mandate>> {
    let own = by.role == Role::Creditor && by.org_id == Some(org_id);
    if !own {
        by.require_admin()?;
    }
    Ok(mandates::for_creditor(conn, org_id)?)
}
