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

/// A payment with its case's reference and debtor id.
pub type PaymentOfCase = (Payment, String, i64);

/// One page of the payments on a creditor's cases, newest first (offset `skip`), each with
/// its case's reference and debtor id; and the amounts of all of them (the page's totals).
pub fn of_creditor(
    conn: &mut DbConn,
    creditor_org_id: i64,
    skip: i64,
    limit: i64,
) -> QueryResult<(Vec<PaymentOfCase>, Vec<i64>)> {
    use crate::db::schema::cases;
    let items = payments::table
        .inner_join(cases::table)
        .filter(cases::creditor_org_id.eq(creditor_org_id))
        .order((payments::received_on.desc(), payments::id.desc()))
        .offset(skip)
        .limit(limit)
        .select((Payment::as_select(), cases::reference, cases::debtor_id))
        .load(conn)?;
    let amounts = payments::table
        .inner_join(cases::table)
        .filter(cases::creditor_org_id.eq(creditor_org_id))
        .select(payments::amount_cents)
        .load(conn)?;
    Ok((items, amounts))
}
