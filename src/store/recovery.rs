//! The agency's settings, playbooks, and each case's progress through its playbook.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    agency_settings, case_recovery, creditor_playbooks, playbook_steps, playbooks,
};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = agency_settings)]
pub struct AgencySettings {
    pub id: i32,
    pub agency_org_id: Option<i64>,
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
    pub updated_at: NaiveDateTime,
    /// No requête without a formal notice (*convention* of the agency; default false).
    pub require_formal_notice: bool,
    /// Rules of contact (*convention*, `domain::playbook::ContactRules`): letters or e-mails
    /// of one channel to one debtor over a rolling week.
    pub max_messages_per_week: i32,
    /// Call tasks are for this window of hours, on working days (and Saturdays when allowed).
    pub call_from_hour: i32,
    pub call_until_hour: i32,
    pub calls_on_saturday: bool,
    /// The portal's address (`https://recouvra.agence.fr`), which the e-mails to creditors
    /// link to; empty: no link.
    pub portal_url: String,
    /// Days before an instalment's or a promised date when the debtor is reminded of it by
    /// e-mail (0–15, 0: never; default 3).
    pub reminder_days_before: i32,
}

impl AgencySettings {
    /// The rules of contact the agency set.
    pub fn contact_rules(&self) -> crate::domain::playbook::ContactRules {
        crate::domain::playbook::ContactRules {
            max_messages_per_week: self.max_messages_per_week,
            call_from_hour: self.call_from_hour,
            call_until_hour: self.call_until_hour,
            calls_on_saturday: self.calls_on_saturday,
        }
    }
}

/// The single settings row (created by the migration).
pub fn settings(conn: &mut DbConn) -> QueryResult<AgencySettings> {
    agency_settings::table
        .find(1)
        .select(AgencySettings::as_select())
        .first(conn)
}

pub fn save_settings(conn: &mut DbConn, s: &AgencySettings) -> QueryResult<AgencySettings> {
    diesel::update(agency_settings::table.find(1))
        .set(s)
        .returning(agency_settings::all_columns)
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = playbooks)]
pub struct Playbook {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = playbook_steps)]
pub struct PlaybookStep {
    pub id: i64,
    pub playbook_id: i64,
    pub position: i32,
    pub basis: String,
    pub delay_days: i32,
    pub channel: String,
    pub template: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = playbook_steps)]
pub struct NewStep<'a> {
    pub playbook_id: i64,
    pub position: i32,
    pub basis: &'a str,
    pub delay_days: i32,
    pub channel: &'a str,
    pub template: &'a str,
}

pub fn playbooks(conn: &mut DbConn) -> QueryResult<Vec<Playbook>> {
    playbooks::table
        .order(playbooks::id)
        .select(Playbook::as_select())
        .load(conn)
}

pub fn playbook(conn: &mut DbConn, id: i64) -> QueryResult<Option<Playbook>> {
    playbooks::table
        .find(id)
        .select(Playbook::as_select())
        .first(conn)
        .optional()
}

pub fn default_playbook(conn: &mut DbConn) -> QueryResult<Option<Playbook>> {
    playbooks::table
        .filter(playbooks::is_default.eq(true))
        .select(Playbook::as_select())
        .first(conn)
        .optional()
}

pub fn insert_playbook(conn: &mut DbConn, name: &str, now: NaiveDateTime) -> QueryResult<Playbook> {
    diesel::insert_into(playbooks::table)
        .values((
            playbooks::name.eq(name),
            playbooks::is_default.eq(false),
            playbooks::created_at.eq(now),
            playbooks::updated_at.eq(now),
        ))
        .returning(playbooks::all_columns)
        .get_result(conn)
}

pub fn rename_playbook(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(playbooks::table.find(id))
        .set((playbooks::name.eq(name), playbooks::updated_at.eq(now)))
        .execute(conn)
}

/// Makes `id` the playbook used when neither the case nor its creditor names one.
pub fn set_default(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(playbooks::table.filter(playbooks::id.ne(id)))
        .set(playbooks::is_default.eq(false))
        .execute(conn)?;
    diesel::update(playbooks::table.find(id))
        .set(playbooks::is_default.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Replaces every step of a playbook (the caller holds the transaction).
pub fn replace_steps(conn: &mut DbConn, playbook_id: i64, steps: &[NewStep]) -> QueryResult<()> {
    diesel::delete(playbook_steps::table.filter(playbook_steps::playbook_id.eq(playbook_id)))
        .execute(conn)?;
    for s in steps {
        diesel::insert_into(playbook_steps::table)
            .values(s)
            .execute(conn)?;
    }
    Ok(())
}

/// The steps of several playbooks, in order.
pub fn steps_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<PlaybookStep>> {
    playbook_steps::table
        .filter(playbook_steps::playbook_id.eq_any(ids))
        .order((playbook_steps::playbook_id, playbook_steps::position))
        .select(PlaybookStep::as_select())
        .load(conn)
}

pub fn creditor_playbook(conn: &mut DbConn, org: i64) -> QueryResult<Option<i64>> {
    creditor_playbooks::table
        .find(org)
        .select(creditor_playbooks::playbook_id)
        .first(conn)
        .optional()
}

pub fn set_creditor_playbook(conn: &mut DbConn, org: i64, playbook: i64) -> QueryResult<()> {
    diesel::delete(creditor_playbooks::table.find(org)).execute(conn)?;
    diesel::insert_into(creditor_playbooks::table)
        .values((
            creditor_playbooks::creditor_org_id.eq(org),
            creditor_playbooks::playbook_id.eq(playbook),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_recovery, treat_none_as_null = true)]
pub struct CaseRecovery {
    pub case_id: i64,
    /// The case's own playbook; `None` follows its creditor's, else the default.
    pub playbook_id: Option<i64>,
    /// Position of the next step to perform.
    pub next_step: i32,
    /// When the previous step ran, or the playbook last resumed.
    pub anchor_at: NaiveDateTime,
    pub first_letter_ref: Option<String>,
    pub first_letter_on: Option<NaiveDate>,
    pub formal_notice_on: Option<NaiveDate>,
    pub formal_notice_posted_on: Option<NaiveDate>,
    pub formal_notice_tracking: Option<String>,
    pub formal_notice_delivered_on: Option<NaiveDate>,
    pub formal_notice_deadline: Option<NaiveDate>,
    pub formal_notice_expired: bool,
    /// The state to return to when a dispute or a payment plan ends.
    pub resume_state: Option<String>,
}

impl CaseRecovery {
    /// A case just accepted: first step next, counting from now.
    pub fn start(case_id: i64, now: NaiveDateTime) -> CaseRecovery {
        CaseRecovery {
            case_id,
            playbook_id: None,
            next_step: 1,
            anchor_at: now,
            first_letter_ref: None,
            first_letter_on: None,
            formal_notice_on: None,
            formal_notice_posted_on: None,
            formal_notice_tracking: None,
            formal_notice_delivered_on: None,
            formal_notice_deadline: None,
            formal_notice_expired: false,
            resume_state: None,
        }
    }
}

pub fn insert_case_recovery(conn: &mut DbConn, r: &CaseRecovery) -> QueryResult<()> {
    diesel::insert_into(case_recovery::table)
        .values(r)
        .execute(conn)
        .map(|_| ())
}

pub fn case_recovery(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<CaseRecovery>> {
    case_recovery::table
        .find(case_id)
        .select(CaseRecovery::as_select())
        .first(conn)
        .optional()
}

/// The recovery rows of several cases (a page of the list), 500 ids a query.
pub fn case_recoveries(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<CaseRecovery>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            case_recovery::table
                .filter(case_recovery::case_id.eq_any(chunk))
                .select(CaseRecovery::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

pub fn save_case_recovery(conn: &mut DbConn, r: &CaseRecovery) -> QueryResult<()> {
    diesel::update(case_recovery::table.find(r.case_id))
        .set(r)
        .execute(conn)
        .map(|_| ())
}

/// Moves a case to its next step only if no other run did it first: the guard that makes each
/// step happen once (issue 3). Returns false when the step was already taken.
pub fn advance_step(
    conn: &mut DbConn,
    case_id: i64,
    from_step: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        case_recovery::table
            .find(case_id)
            .filter(case_recovery::next_step.eq(from_step)),
    )
    .set((
        case_recovery::next_step.eq(from_step + 1),
        case_recovery::anchor_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Cases in amicable recovery with their progress (the scheduler's work list).
pub fn amicable_cases(
    conn: &mut DbConn,
    states: &[&str],
) -> QueryResult<Vec<(crate::store::cases::Case, CaseRecovery)>> {
    use crate::db::schema::cases;
    cases::table
        .inner_join(case_recovery::table)
        .filter(cases::state.eq_any(states.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .order(cases::id)
        .select((
            crate::store::cases::Case::as_select(),
            CaseRecovery::as_select(),
        ))
        .load(conn)
}

/// Where one case stands in its playbook: the few columns the scheduler's scan needs.
#[derive(Debug, Clone, Queryable)]
pub struct Progress {
    pub case_id: i64,
    pub creditor_org_id: i64,
    pub accepted_at: Option<NaiveDateTime>,
    pub playbook_id: Option<i64>,
    pub next_step: i32,
    pub anchor_at: NaiveDateTime,
}

/// The playbook progress of the cases in `state` whose next step is at most `max_step` (a
/// case past the last step of every playbook has nothing to do), by case id: the scheduler's
/// scan reads these narrow rows, not whole cases.
pub fn progress_in_state(
    conn: &mut DbConn,
    state: &str,
    max_step: i32,
) -> QueryResult<Vec<Progress>> {
    use crate::db::schema::cases;
    cases::table
        .inner_join(case_recovery::table)
        .filter(cases::state.eq(state))
        .filter(case_recovery::next_step.le(max_step))
        .order(cases::id)
        .select((
            cases::id,
            cases::creditor_org_id,
            cases::accepted_at,
            case_recovery::playbook_id,
            case_recovery::next_step,
            case_recovery::anchor_at,
        ))
        .load(conn)
}

/// Every creditor's own playbook: (creditor organisation, playbook).
pub fn creditor_playbooks(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64)>> {
    creditor_playbooks::table
        .select((
            creditor_playbooks::creditor_org_id,
            creditor_playbooks::playbook_id,
        ))
        .load(conn)
}

/// The cases `ids` with their progress, by case id (500 ids a query).
pub fn with_progress(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<Vec<(crate::store::cases::Case, CaseRecovery)>> {
    use crate::db::schema::cases;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            cases::table
                .inner_join(case_recovery::table)
                .filter(cases::id.eq_any(chunk))
                .order(cases::id)
                .select((
                    crate::store::cases::Case::as_select(),
                    CaseRecovery::as_select(),
                ))
                .load::<(crate::store::cases::Case, CaseRecovery)>(conn)?,
        );
    }
    Ok(out)
}
