//! Payments received on a case.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::payments;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub case_id: i64,
    pub received_on: NaiveDate,
    pub amount_cents: i64,
    pub method: String,
    pub reference: Option<String>,
    pub invoice_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = payments)]
pub struct NewPayment<'a> {
    pub case_id: i64,
    pub received_on: NaiveDate,
    pub amount_cents: i64,
    pub method: &'a str,
    pub reference: Option<&'a str>,
    pub invoice_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewPayment) -> QueryResult<Payment> {
    diesel::insert_into(payments::table)
        .values(new)
        .returning(payments::all_columns)
        .get_result::<Payment>(conn)
}

/// The payments of a case in the order they were received.
pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::case_id.eq(case_id))
        .order((payments::received_on.asc(), payments::id.asc()))
        .select(Payment::as_select())
        .load(conn)
}

/// The payments of several cases (a creditor's dashboard).
pub fn of_cases(conn: &mut DbConn, case_ids: &[i64]) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::case_id.eq_any(case_ids))
        .order(payments::id)
        .select(Payment::as_select())
        .load(conn)
}
