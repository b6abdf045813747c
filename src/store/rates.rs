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

/// Replaces the three rates of one half-year (a correction); whether the row was there.
pub fn correct(
    conn: &mut DbConn,
    year: i32,
    half: &str,
    bps: (i32, i32, i32),
) -> QueryResult<bool> {
    let n = diesel::update(
        interest_rates::table
            .filter(interest_rates::year.eq(year))
            .filter(interest_rates::half.eq(half)),
    )
    .set((
        interest_rates::ecb_rate_bps.eq(bps.0),
        interest_rates::legal_rate_private_bps.eq(bps.1),
        interest_rates::legal_rate_other_bps.eq(bps.2),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert(conn: &mut DbConn, new: &NewRate) -> QueryResult<RateRow> {
    diesel::insert_into(interest_rates::table)
        .values(new)
        .returning(interest_rates::all_columns)
        .get_result::<RateRow>(conn)
}
