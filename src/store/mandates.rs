//! Mandates: a creditor's written agreement with the agency (CPCE R124-3).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::mandates;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mandates)]
pub struct Mandate {
    pub id: i64,
    pub creditor_org_id: i64,
    pub signed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub commission_bps: i32,
    pub terms: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    /// The mandate grants the special power to declare the creditor's claims in a collective
    /// proceeding (Cass. com. 27 Jan. 2015, n° 13-22.584).
    pub declares_claims: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mandates)]
pub struct NewMandate<'a> {
    pub creditor_org_id: i64,
    pub signed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub commission_bps: i32,
    pub terms: &'a str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub declares_claims: bool,
}

pub fn insert(conn: &mut DbConn, new: &NewMandate) -> QueryResult<Mandate> {
    diesel::insert_into(mandates::table)
        .values(new)
        .returning(mandates::all_columns)
        .get_result::<Mandate>(conn)
}

/// The mandate in force on `day` for a creditor: signed on or before it, not ended; the most
/// recently signed one if several.
pub fn in_force(conn: &mut DbConn, creditor: i64, day: NaiveDate) -> QueryResult<Option<Mandate>> {
    mandates::table
        .filter(mandates::creditor_org_id.eq(creditor))
        .filter(mandates::signed_on.le(day))
        .filter(mandates::ends_on.is_null().or(mandates::ends_on.ge(day)))
        .order((mandates::signed_on.desc(), mandates::id.desc()))
        .select(Mandate::as_select())
        .first(conn)
        .optional()
}

pub fn for_creditor(conn: &mut DbConn, creditor: i64) -> QueryResult<Vec<Mandate>> {
    mandates::table
        .filter(mandates::creditor_org_id.eq(creditor))
        .order(mandates::id.asc())
        .select(Mandate::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Mandate>> {
    mandates::table
        .find(id)
        .select(Mandate::as_select())
        .first(conn)
        .optional()
}
