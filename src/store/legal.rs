//! The legal proceeding of a case referred to a lawyer: referral, court, filing, order,
//! service, opposition, enforceable title, hand-over (CPC 1405–1422).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{enforcement_measures, legal_proceedings};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = legal_proceedings)]
pub struct Proceeding {
    pub case_id: i64,
    pub lawyer_id: i64,
    pub referred_by: i64,
    pub referred_at: NaiveDateTime,
    pub court_kind: Option<String>,
    pub court_name: Option<String>,
    pub transfer_on_opposition: bool,
    pub filed_on: Option<NaiveDate>,
    pub filing_reference: Option<String>,
    pub order_on: Option<NaiveDate>,
    pub order_outcome: Option<String>,
    pub order_amount_cents: Option<i64>,
    pub served_on: Option<NaiveDate>,
    pub served_in_person: Option<bool>,
    pub first_personal_act_on: Option<NaiveDate>,
    pub opposed_on: Option<NaiveDate>,
    pub enforceable_on: Option<NaiveDate>,
    pub handed_over_on: Option<NaiveDate>,
    pub enforcement_officer: Option<String>,
    pub last_enforcement_act_on: Option<NaiveDate>,
}

impl Proceeding {
    /// A fresh referral.
    pub fn referred(case_id: i64, lawyer_id: i64, by: i64, at: NaiveDateTime) -> Proceeding {
        Proceeding {
            case_id,
            lawyer_id,
            referred_by: by,
            referred_at: at,
            court_kind: None,
            court_name: None,
            transfer_on_opposition: false,
            filed_on: None,
            filing_reference: None,
            order_on: None,
            order_outcome: None,
            order_amount_cents: None,
            served_on: None,
            served_in_person: None,
            first_personal_act_on: None,
            opposed_on: None,
            enforceable_on: None,
            handed_over_on: None,
            enforcement_officer: None,
            last_enforcement_act_on: None,
        }
    }
}

pub fn find(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<Proceeding>> {
    legal_proceedings::table
        .find(case_id)
        .select(Proceeding::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, case_ids: &[i64]) -> QueryResult<Vec<Proceeding>> {
    legal_proceedings::table
        .filter(legal_proceedings::case_id.eq_any(case_ids))
        .select(Proceeding::as_select())
        .load(conn)
}

/// Every proceeding of a lawyer (all of them for `None`), for the agenda of deadlines.
pub fn of_lawyer(conn: &mut DbConn, lawyer_id: Option<i64>) -> QueryResult<Vec<Proceeding>> {
    let mut q = legal_proceedings::table.into_boxed();
    if let Some(l) = lawyer_id {
        q = q.filter(legal_proceedings::lawyer_id.eq(l));
    }
    q.order(legal_proceedings::case_id.asc())
        .select(Proceeding::as_select())
        .load(conn)
}

/// Writes the whole row (inserted on referral, replaced at each step: the use case holds the
/// case's lock and has read the row in the same transaction).
pub fn save(conn: &mut DbConn, p: &Proceeding) -> QueryResult<()> {
    let updated = diesel::update(legal_proceedings::table.find(p.case_id))
        .set((
            legal_proceedings::lawyer_id.eq(p.lawyer_id),
            legal_proceedings::referred_by.eq(p.referred_by),
            legal_proceedings::referred_at.eq(p.referred_at),
            legal_proceedings::court_kind.eq(&p.court_kind),
            legal_proceedings::court_name.eq(&p.court_name),
            legal_proceedings::transfer_on_opposition.eq(p.transfer_on_opposition),
            legal_proceedings::filed_on.eq(p.filed_on),
            legal_proceedings::filing_reference.eq(&p.filing_reference),
            legal_proceedings::order_on.eq(p.order_on),
            legal_proceedings::order_outcome.eq(&p.order_outcome),
            legal_proceedings::order_amount_cents.eq(p.order_amount_cents),
            legal_proceedings::served_on.eq(p.served_on),
            legal_proceedings::served_in_person.eq(p.served_in_person),
            legal_proceedings::first_personal_act_on.eq(p.first_personal_act_on),
            legal_proceedings::opposed_on.eq(p.opposed_on),
            legal_proceedings::enforceable_on.eq(p.enforceable_on),
            legal_proceedings::handed_over_on.eq(p.handed_over_on),
            legal_proceedings::enforcement_officer.eq(&p.enforcement_officer),
            legal_proceedings::last_enforcement_act_on.eq(p.last_enforcement_act_on),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(legal_proceedings::table)
            .values(p)
            .execute(conn)?;
    }
    Ok(())
}

/// A conservatory measure or an act of enforcement (C. civ. 2244).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enforcement_measures)]
pub struct Measure {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub measure_on: NaiveDate,
    pub officer: String,
    pub reference: Option<String>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enforcement_measures)]
pub struct NewMeasure<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub measure_on: NaiveDate,
    pub officer: &'a str,
    pub reference: Option<&'a str>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_measure(conn: &mut DbConn, m: &NewMeasure<'_>) -> QueryResult<()> {
    diesel::insert_into(enforcement_measures::table)
        .values(m)
        .execute(conn)
        .map(drop)
}

/// The measures of a case, oldest first.
pub fn measures_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Measure>> {
    enforcement_measures::table
        .filter(enforcement_measures::case_id.eq(case_id))
        .order((
            enforcement_measures::measure_on.asc(),
            enforcement_measures::id.asc(),
        ))
        .select(Measure::as_select())
        .load(conn)
}
