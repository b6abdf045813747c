//! The agency's settings: what its letters must state (CPCE R124-2: insurer and policy, the
//! dedicated account for collected funds) and the delays of its procedures.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::ids;
use crate::domain::parties::OrgKind;
use crate::error::{AppError, AppResult};
use crate::store::recovery::{self as store, AgencySettings};
use crate::validate;

#[derive(Debug, Clone)]
pub struct SettingsInput {
    pub agency_org_id: i64,
    pub insurer: String,
    pub policy_number: String,
    pub iban: String,
    pub bic: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mail_from: String,
    pub signatory: String,
    pub formal_notice_days: i32,
    pub grace_days: i32,
    /// No requête without a formal notice (*convention*); `None` keeps the current choice.
    pub require_formal_notice: Option<bool>,
    /// The rules of contact; `None` keeps the current ones.
    pub contact_rules: Option<crate::domain::playbook::ContactRules>,
    /// The portal's address for the e-mails' links; `None` keeps the current one, empty
    /// clears it.
    pub portal_url: Option<String>,
    /// Days before an instalment or a promised date when the debtor gets a reminder (0–15,
    /// 0: none); `None` keeps the current delay.
    pub reminder_days_before: Option<i32>,
}

/// A portal address as the settings keep it: empty, or an http(s) address with a host and no
/// query, without its trailing `/`.
pub fn portal_url(typed: &str) -> AppResult<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(String::new());
    }
    let url = url::Url::parse(typed)
        .ok()
        .filter(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.query().is_none()
                && u.fragment().is_none()
        })
        .ok_or_else(|| {
            AppError::validation(
                "portalUrl",
                "an http:// or https:// address such as https://recouvra.agence.fr",
            )
        })?;
    if typed.len() > 200 {
        return Err(AppError::validation("portalUrl", "at most 200 characters"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Agency staff read the settings.
pub fn get(conn: &mut DbConn, actor: &Actor) -> AppResult<AgencySettings> {
    actor.require_staff()?;
    Ok(store::settings(conn)?)
}

/// An admin replaces the settings as a whole.
pub fn update(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    input: &SettingsInput,
) -> AppResult<AgencySettings> {
    actor.require_admin()?;
    // LEGAL.md §2: the formal notice gives 8 to 30 days (convention).
    if !(8..=30).contains(&input.formal_notice_days) {
        return Err(AppError::validation(
            "formalNoticeDays",
            "between 8 and 30 days",
        ));
    }
    if !(0..=30).contains(&input.grace_days) {
        return Err(AppError::validation("graceDays", "between 0 and 30 days"));
    }
    if let Some(d) = input.reminder_days_before {
        if !(0..=15).contains(&d) {
            return Err(AppError::validation(
                "reminderDaysBefore",
                "between 0 and 15 days (0: no reminder)",
            ));
        }
    }
    let bic = validate::optional("bic", input.bic.as_deref(), 11)?;
    if let Some(b) = &bic {
        if !(b.len() == 8 || b.len() == 11) || !b.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AppError::validation(
                "bic",
                "a BIC has 8 or 11 letters and digits",
            ));
        }
    }
    let email = match input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(e) => Some(validate::email("email", e)?),
        None => None,
    };
    let mut settings = AgencySettings {
        id: 1,
        agency_org_id: Some(input.agency_org_id),
        insurer: validate::required("insurer", &input.insurer, 200)?,
        policy_number: validate::required("policyNumber", &input.policy_number, 100)?,
        iban: ids::parse_iban(&input.iban).map_err(|e| AppError::validation("iban", e.0))?,
        bic: bic.map(|b| b.to_uppercase()),
        phone: validate::optional("phone", input.phone.as_deref(), 30)?,
        email,
        mail_from: validate::email("mailFrom", &input.mail_from)?,
        signatory: validate::required("signatory", &input.signatory, 200)?,
        formal_notice_days: input.formal_notice_days,
        grace_days: input.grace_days,
        updated_at: clock.now(),
        require_formal_notice: false,
        max_messages_per_week: 0,
        call_from_hour: 0,
        call_until_hour: 0,
        calls_on_saturday: false,
        portal_url: String::new(),
        reminder_days_before: 0,
    };
    let portal = input.portal_url.as_deref().map(portal_url).transpose()?;
    // The settings every letter prints pass the letters' wording check (C. pén. 433-13).
    for (field, value) in [
        ("signatory", &settings.signatory),
        ("insurer", &settings.insurer),
        ("policyNumber", &settings.policy_number),
    ] {
        crate::domain::wording::check_demand(value).map_err(|r| {
            AppError::validation(
                field,
                format!("{} ; les courriers ne peuvent le porter", r.reason()),
            )
        })?;
    }
    if let Some(rules) = &input.contact_rules {
        rules
            .check()
            .map_err(|(field, why)| AppError::validation(field, why))?;
    }
    db::transaction(conn, |conn| {
        // A client that does not send the choice leaves it as it was.
        let stored = store::settings(conn)?;
        settings.require_formal_notice = input
            .require_formal_notice
            .unwrap_or(stored.require_formal_notice);
        let rules = input.contact_rules.unwrap_or(stored.contact_rules());
        settings.max_messages_per_week = rules.max_messages_per_week;
        settings.call_from_hour = rules.call_from_hour;
        settings.call_until_hour = rules.call_until_hour;
        settings.calls_on_saturday = rules.calls_on_saturday;
        settings.portal_url = portal.unwrap_or(stored.portal_url);
        settings.reminder_days_before = input
            .reminder_days_before
            .unwrap_or(stored.reminder_days_before);
        crate::store::orgs::find(conn, input.agency_org_id)?
            .filter(|o| o.kind == OrgKind::Agency.as_str())
            .ok_or_else(|| {
                AppError::validation("agencyOrganisationId", "not an agency organisation")
            })?;
        Ok(store::save_settings(conn, &settings)?)
    })
}

/// Limits within which the agency agrees a payment plan without the creditor (admin); `None`
/// for either clears them (every plan then waits for the creditor).
pub fn set_plan_limits(
    conn: &mut DbConn,
    actor: &Actor,
    mandate_id: i64,
    max_instalments: Option<i32>,
    max_months: Option<i32>,
) -> AppResult<()> {
    actor.require_admin()?;
    let limits = match (max_instalments, max_months) {
        (Some(n), Some(m)) => {
            if !(1..=36).contains(&n) {
                return Err(AppError::validation("maxInstalments", "between 1 and 36"));
            }
            if !(1..=36).contains(&m) {
                return Err(AppError::validation("maxMonths", "between 1 and 36"));
            }
            Some((n, m))
        }
        (None, None) => None,
        // Half a limit is a typing slip, not a wish to remove both.
        _ => {
            return Err(AppError::validation(
                "maxMonths",
                "give both limits, or neither to remove them",
            ))
        }
    };
    db::transaction(conn, |conn| {
        let exists = crate::store::mandates::find(conn, mandate_id)?.is_some();
        if !exists {
            return Err(AppError::validation("mandateId", "unknown mandate"));
        }
        crate::store::arrangements::set_plan_limits(conn, mandate_id, limits)?;
        Ok(())
    })
}

/// The plan limits of a mandate, if set: (instalments, months) (admin).
pub fn plan_limits(
    conn: &mut DbConn,
    actor: &Actor,
    mandate_id: i64,
) -> AppResult<Option<(i32, i32)>> {
    actor.require_admin()?;
    Ok(crate::store::arrangements::plan_limits(conn, mandate_id)?)
}
