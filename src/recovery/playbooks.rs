//! Playbooks: the admin edits them and attaches one to a creditor or to a case; the scheduler
//! asks which steps a case follows (its own playbook, else its creditor's, else the default).

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::playbook::{self, Basis, Channel, Step, Template};
use crate::error::{AppError, AppResult};
use crate::store::cases::Case;
use crate::store::recovery::{self as store, CaseRecovery, NewStep, Playbook, PlaybookStep};
use crate::validate;

/// A step as the admin typed it.
#[derive(Debug, Clone)]
pub struct StepInput {
    pub basis: Basis,
    pub delay_days: i32,
    pub channel: Channel,
    pub template: Template,
}

pub fn step_of(row: &PlaybookStep) -> AppResult<Step> {
    Ok(Step {
        position: row.position,
        basis: Basis::parse(&row.basis).map_err(AppError::internal)?,
        delay_days: u32::try_from(row.delay_days).map_err(AppError::internal)?,
        channel: Channel::parse(&row.channel).map_err(AppError::internal)?,
        template: Template::parse(&row.template).map_err(AppError::internal)?,
    })
}

/// Every playbook with its steps (agency staff).
pub fn list(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<(Playbook, Vec<PlaybookStep>)>> {
    actor.require_staff()?;
    let books = store::playbooks(conn)?;
    let ids: Vec<i64> = books.iter().map(|b| b.id).collect();
    let steps = store::steps_of(conn, &ids)?;
    Ok(books
        .into_iter()
        .map(|b| {
            let own = steps
                .iter()
                .filter(|s| s.playbook_id == b.id)
                .cloned()
                .collect();
            (b, own)
        })
        .collect())
}

/// Creates a playbook (`id` None) or replaces the name and steps of one (admin).
pub fn save(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    id: Option<i64>,
    name: &str,
    steps: &[StepInput],
    make_default: bool,
) -> AppResult<(Playbook, Vec<PlaybookStep>)> {
    actor.require_admin()?;
    let name = validate::required("name", name, 100)?;
    let domain_steps = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let delay = u32::try_from(s.delay_days).map_err(|_| {
                AppError::validation(format!("steps.{i}.delayDays"), "cannot be negative")
            })?;
            Ok(Step {
                position: i as i32 + 1,
                basis: s.basis,
                delay_days: delay,
                channel: s.channel,
                template: s.template,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    playbook::validate(&domain_steps).map_err(|e| match e.index {
        Some(i) => AppError::validation(format!("steps.{i}.{}", e.field), e.message),
        None => AppError::validation(e.field, e.message),
    })?;
    let now = clock.now();
    db::transaction(conn, |conn| {
        let book = match id {
            Some(id) => {
                store::playbook(conn, id)?.ok_or_else(|| AppError::not_found("playbook"))?;
                store::rename_playbook(conn, id, &name, now).map_err(|e| taken(e, &name))?;
                id
            }
            None => {
                store::insert_playbook(conn, &name, now)
                    .map_err(|e| taken(e, &name))?
                    .id
            }
        };
        let rows: Vec<NewStep> = domain_steps
            .iter()
            .map(|s| NewStep {
                playbook_id: book,
                position: s.position,
                basis: s.basis.as_str(),
                delay_days: s.delay_days as i32,
                channel: s.channel.as_str(),
                template: s.template.as_str(),
            })
            .collect();
        store::replace_steps(conn, book, &rows)?;
        if make_default {
            store::set_default(conn, book)?;
        }
        let saved = store::playbook(conn, book)?.ok_or_else(|| AppError::not_found("playbook"))?;
        Ok((saved, store::steps_of(conn, &[book])?))
    })
}

fn taken(e: diesel::result::Error, name: &str) -> AppError {
    if db::is_unique_violation(&e) {
        AppError::validation("name", format!("a playbook is already named « {name} »"))
    } else {
        e.into()
    }
}

/// Attaches a playbook to a creditor (its future and current cases without their own).
pub fn attach_to_creditor(
    conn: &mut DbConn,
    actor: &Actor,
    creditor_org_id: i64,
    playbook_id: i64,
) -> AppResult<()> {
    actor.require_admin()?;
    db::transaction(conn, |conn| {
        let org = crate::store::orgs::find(conn, creditor_org_id)?
            .filter(|o| o.kind == crate::domain::parties::OrgKind::Creditor.as_str())
            .ok_or_else(|| AppError::validation("creditorId", "unknown creditor"))?;
        store::playbook(conn, playbook_id)?
            .ok_or_else(|| AppError::validation("playbookId", "unknown playbook"))?;
        store::set_creditor_playbook(conn, org.id, playbook_id)?;
        Ok(())
    })
}

/// The playbook attached to a creditor, if any (its cases otherwise follow the default).
pub fn of_creditor(
    conn: &mut DbConn,
    actor: &Actor,
    creditor_org_id: i64,
) -> AppResult<Option<i64>> {
    actor.require_staff()?;
    Ok(store::creditor_playbook(conn, creditor_org_id)?)
}

/// Attaches a playbook to one case; it continues from the same step number.
pub fn attach_to_case(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    playbook_id: i64,
) -> AppResult<()> {
    actor.require_admin()?;
    db::transaction(conn, |conn| {
        let case = crate::cases::load_visible(conn, actor, case_id)?;
        store::playbook(conn, playbook_id)?
            .ok_or_else(|| AppError::validation("playbookId", "unknown playbook"))?;
        let mut rec = store::case_recovery(conn, case.id)?.ok_or_else(|| {
            AppError::invalid_transition("accept the case before choosing its playbook")
        })?;
        rec.playbook_id = Some(playbook_id);
        store::save_case_recovery(conn, &rec)?;
        crate::store::events::append(
            conn,
            case.id,
            clock.now(),
            Some(actor.user_id),
            "playbook_attached",
            &serde_json::json!({ "playbook_id": playbook_id }),
        )?;
        Ok(())
    })
}

/// The steps a case follows.
pub fn steps_for(conn: &mut DbConn, case: &Case, rec: &CaseRecovery) -> AppResult<Vec<Step>> {
    let id = match rec.playbook_id {
        Some(id) => Some(id),
        None => match store::creditor_playbook(conn, case.creditor_org_id)? {
            Some(id) => Some(id),
            None => store::default_playbook(conn)?.map(|p| p.id),
        },
    };
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    store::steps_of(conn, &[id])?.iter().map(step_of).collect()
}
