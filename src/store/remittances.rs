//! Remittances: the money collected for a creditor, paid over to it less the agency's
//! commission. A payment belongs to at most one remittance (the line's primary key).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{cases, payments, remittance_lines, remittances};
use crate::db::DbConn;
use crate::store::payments::Payment;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = remittances)]
pub struct Remittance {
    pub id: i64,
    pub creditor_org_id: i64,
    pub reference: String,
    pub status: String,
    pub due_on: NaiveDate,
    pub gross_cents: i64,
    pub commission_cents: i64,
    pub net_cents: i64,
    pub document_id: Option<i64>,
    pub prepared_by: i64,
    pub prepared_at: NaiveDateTime,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = remittances)]
pub struct NewRemittance<'a> {
    pub creditor_org_id: i64,
    pub reference: &'a str,
    pub status: &'a str,
    pub due_on: NaiveDate,
    pub gross_cents: i64,
    pub commission_cents: i64,
    pub net_cents: i64,
    pub document_id: Option<i64>,
    pub prepared_by: i64,
    pub prepared_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = remittance_lines)]
pub struct Line {
    pub payment_id: i64,
    pub remittance_id: i64,
    pub amount_cents: i64,
    pub commission_cents: i64,
}

/// Payments on the creditor's cases received on or before `up_to` and in no remittance yet,
/// oldest first.
pub fn unremitted(
    conn: &mut DbConn,
    creditor_org_id: i64,
    up_to: NaiveDate,
) -> QueryResult<Vec<Payment>> {
    payments::table
        .inner_join(cases::table)
        .filter(cases::creditor_org_id.eq(creditor_org_id))
        .filter(payments::received_on.le(up_to))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            remittance_lines::table.filter(remittance_lines::payment_id.eq(payments::id)),
        )))
        .order((payments::received_on.asc(), payments::id.asc()))
        .select(Payment::as_select())
        .load(conn)
}

/// Every payment not yet remitted, with its creditor: what the agency holds for others.
pub fn all_unremitted(conn: &mut DbConn) -> QueryResult<Vec<(i64, Payment)>> {
    payments::table
        .inner_join(cases::table)
        .filter(diesel::dsl::not(diesel::dsl::exists(
            remittance_lines::table.filter(remittance_lines::payment_id.eq(payments::id)),
        )))
        .order((payments::received_on.asc(), payments::id.asc()))
        .select((cases::creditor_org_id, Payment::as_select()))
        .load(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewRemittance, lines: &[Line]) -> QueryResult<Remittance> {
    let r: Remittance = diesel::insert_into(remittances::table)
        .values(new)
        .returning(remittances::all_columns)
        .get_result(conn)?;
    for l in lines {
        diesel::insert_into(remittance_lines::table)
            .values(&Line {
                remittance_id: r.id,
                ..l.clone()
            })
            .execute(conn)?;
    }
    Ok(r)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Remittance>> {
    remittances::table
        .find(id)
        .select(Remittance::as_select())
        .first(conn)
        .optional()
}

pub fn lines_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(Line, Payment)>> {
    remittance_lines::table
        .inner_join(payments::table)
        .filter(remittance_lines::remittance_id.eq_any(ids))
        .order((payments::received_on.asc(), payments::id.asc()))
        .select((Line::as_select(), Payment::as_select()))
        .load(conn)
}

/// Newest first, keyset-paginated (`before` an id); `creditor` narrows to one creditor,
/// `status` to one status.
pub fn list(
    conn: &mut DbConn,
    creditor: Option<i64>,
    status: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<super::Page<Remittance>> {
    let filtered = || {
        let mut q = remittances::table.into_boxed();
        if let Some(c) = creditor {
            q = q.filter(remittances::creditor_org_id.eq(c));
        }
        if let Some(s) = status {
            q = q.filter(remittances::status.eq(s.to_string()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let mut q = filtered();
    if let Some(b) = before {
        q = q.filter(remittances::id.lt(b));
    }
    let mut items: Vec<Remittance> = q
        .order(remittances::id.desc())
        .limit(limit + 1)
        .select(Remittance::as_select())
        .load(conn)?;
    let has_next = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(super::Page {
        items,
        has_next,
        total,
    })
}

/// Marks a prepared remittance paid; false when it was not (or no longer) prepared.
pub fn mark_paid(conn: &mut DbConn, id: i64, paid_on: NaiveDate) -> QueryResult<bool> {
    let n = diesel::update(
        remittances::table
            .filter(remittances::id.eq(id))
            .filter(remittances::status.eq("prepared")),
    )
    .set((
        remittances::status.eq("paid"),
        remittances::paid_on.eq(Some(paid_on)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The remittance a payment went into, per payment id.
pub fn of_payments(conn: &mut DbConn, payment_ids: &[i64]) -> QueryResult<Vec<(i64, Remittance)>> {
    remittance_lines::table
        .inner_join(remittances::table)
        .filter(remittance_lines::payment_id.eq_any(payment_ids))
        .select((remittance_lines::payment_id, Remittance::as_select()))
        .load(conn)
}

/// The remittance line (and its remittance) of each of these payments that was remitted.
pub fn lines_of_payments(
    conn: &mut DbConn,
    payment_ids: &[i64],
) -> QueryResult<Vec<(Line, Remittance)>> {
    remittance_lines::table
        .inner_join(remittances::table)
        .filter(remittance_lines::payment_id.eq_any(payment_ids))
        .select((Line::as_select(), Remittance::as_select()))
        .load(conn)
}

/// The gross of the remittances prepared and not yet paid, and the net of those paid: what
/// the dedicated account still holds for them, and what left it.
pub fn totals_by_status(conn: &mut DbConn) -> QueryResult<(i64, i64)> {
    let rows: Vec<(String, i64, i64)> = remittances::table
        .select((
            remittances::status,
            remittances::gross_cents,
            remittances::net_cents,
        ))
        .load(conn)?;
    let total = |status: &str, net: bool| {
        crate::domain::money::sum_cents(rows.iter().filter(|r| r.0 == status).map(|r| {
            if net {
                r.2
            } else {
                r.1
            }
        }))
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.0.into()))
    };
    Ok((total("prepared", false)?, total("paid", true)?))
}

/// (gross, commission, net) of every remittance of a creditor, to be summed by the caller.
pub fn amounts_of_creditor(
    conn: &mut DbConn,
    creditor_org_id: i64,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    remittances::table
        .filter(remittances::creditor_org_id.eq(creditor_org_id))
        .select((
            remittances::gross_cents,
            remittances::commission_cents,
            remittances::net_cents,
        ))
        .load(conn)
}
