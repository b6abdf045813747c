//! The half-year interest rate table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::interest_rates;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = interest_rates)]
pub struct RateRow {
    pub id: i64,
    pub year: i32,
    pub half: String,
    pub ecb_rate_bps: i32,
    pub legal_rate_private_bps: i32,
    pub legal_rate_other_bps: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = interest_rates)]
pub struct NewRate<'a> {
    pub year: i32,
    pub half: &'a str,
    pub ecb_rate_bps: i32,
    pub legal_rate_private_bps: i32,
    pub legal_rate_other_bps: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Every half-year entered, oldest first.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<RateRow>> {
    interest_rates::table
        .order((interest_rates::year.asc(), interest_rates::half.asc()))
        .select(RateRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewRate) -> QueryResult<RateRow> {
    diesel::insert_into(interest_rates::table)
        .values(new)
        .returning(interest_rates::all_columns)
        .get_result::<RateRow>(conn)
}
