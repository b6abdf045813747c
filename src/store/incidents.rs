//! The incidents of a debtor's life recorded on its cases (collective proceedings,
//! over-indebtedness, death, dissolution): one row per case, so that each creditor's claim
//! declaration is tracked on its own case.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{cases, debtor_incidents, debtors};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debtor_incidents)]
pub struct Incident {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub court: Option<String>,
    pub reference: Option<String>,
    pub representative: Option<String>,
    pub creditor_abroad: bool,
    pub long_term_loan: bool,
    pub declared_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_kind: Option<String>,
    pub end_note: Option<String>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub security: Option<String>,
    pub declaration_document_id: Option<i64>,
    pub declaration_tracking: Option<String>,
    pub claim_decision: Option<String>,
    pub claim_decided_on: Option<NaiveDate>,
    pub admitted_cents: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = debtor_incidents)]
pub struct NewIncident<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub occurred_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub court: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub representative: Option<&'a str>,
    pub creditor_abroad: bool,
    pub long_term_loan: bool,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewIncident<'_>) -> QueryResult<Incident> {
    diesel::insert_into(debtor_incidents::table)
        .values(new)
        .returning(debtor_incidents::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Incident>> {
    debtor_incidents::table
        .find(id)
        .select(Incident::as_select())
        .first(conn)
        .optional()
}

/// The incidents of the cases `case_ids`, by case then date of the event.
pub fn of_cases(conn: &mut DbConn, case_ids: &[i64]) -> QueryResult<Vec<Incident>> {
    debtor_incidents::table
        .filter(debtor_incidents::case_id.eq_any(case_ids))
        .order((
            debtor_incidents::case_id.asc(),
            debtor_incidents::occurred_on.asc(),
            debtor_incidents::id.asc(),
        ))
        .select(Incident::as_select())
        .load(conn)
}

pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Incident>> {
    of_cases(conn, &[case_id])
}

/// The cases not closed nor rejected whose debtor bears `siren`, by id: the same company
/// owes each of the agency's creditors.
pub fn open_cases_of_siren(conn: &mut DbConn, siren: &str) -> QueryResult<Vec<i64>> {
    cases::table
        .inner_join(debtors::table)
        .filter(debtors::siren.eq(siren))
        .filter(cases::state.ne_all(["closed", "rejected"]))
        .order(cases::id.asc())
        .select(cases::id)
        .load(conn)
}

/// Records the end of an incident, once (`false` when it was already ended).
pub fn end(
    conn: &mut DbConn,
    id: i64,
    ended_on: NaiveDate,
    end_kind: &str,
    note: Option<&str>,
) -> QueryResult<bool> {
    diesel::update(
        debtor_incidents::table
            .find(id)
            .filter(debtor_incidents::ended_on.is_null()),
    )
    .set((
        debtor_incidents::ended_on.eq(ended_on),
        debtor_incidents::end_kind.eq(end_kind),
        debtor_incidents::end_note.eq(note),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records the day the claim was declared to the mandataire, and the registered letter's
/// tracking number.
pub fn set_declared(
    conn: &mut DbConn,
    id: i64,
    declared_on: NaiveDate,
    tracking: Option<&str>,
) -> QueryResult<()> {
    diesel::update(debtor_incidents::table.find(id))
        .set((
            debtor_incidents::declared_on.eq(declared_on),
            debtor_incidents::declaration_tracking.eq(tracking),
        ))
        .execute(conn)
        .map(drop)
}

/// Links the declaration's document, with the security it claims.
pub fn set_declaration_document(
    conn: &mut DbConn,
    id: i64,
    document_id: i64,
    security: Option<&str>,
) -> QueryResult<()> {
    diesel::update(debtor_incidents::table.find(id))
        .set((
            debtor_incidents::declaration_document_id.eq(document_id),
            debtor_incidents::security.eq(security),
        ))
        .execute(conn)
        .map(drop)
}

/// The representative (mandataire, liquidateur, notary) named after the incident was recorded.
pub fn set_representative(conn: &mut DbConn, id: i64, representative: &str) -> QueryResult<()> {
    diesel::update(debtor_incidents::table.find(id))
        .set(debtor_incidents::representative.eq(representative))
        .execute(conn)
        .map(drop)
}

/// Records the juge-commissaire's decision on the declared claim.
pub fn set_claim_decision(
    conn: &mut DbConn,
    id: i64,
    decision: &str,
    decided_on: NaiveDate,
    admitted_cents: Option<i64>,
) -> QueryResult<()> {
    diesel::update(debtor_incidents::table.find(id))
        .set((
            debtor_incidents::claim_decision.eq(decision),
            debtor_incidents::claim_decided_on.eq(decided_on),
            debtor_incidents::admitted_cents.eq(admitted_cents),
        ))
        .execute(conn)
        .map(drop)
}

/// The cases of the same debtor as `case_id`: those of its SIREN when it has one, else the
/// case itself (an individual is known only within its creditor's cases).
pub fn cases_of_same_debtor(
    conn: &mut DbConn,
    case_id: i64,
    siren: Option<&str>,
) -> QueryResult<Vec<i64>> {
    match siren {
        Some(s) => cases::table
            .inner_join(debtors::table)
            .filter(debtors::siren.eq(s))
            .select(cases::id)
            .load(conn),
        None => Ok(vec![case_id]),
    }
}
