//! Card payments started on the debtor's page and the payment provider's events (issue 17).
//! A card payment's row is written before the provider is asked; its status then follows what
//! the provider says (`open` once the checkout exists, `paid` once a signed event confirms it
//! and the payment is recorded, `failed` when the provider could not be asked, `refused` when
//! the confirmed amount could not be recorded). An event id is stored once ever.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{card_payments, provider_events};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = card_payments)]
pub struct CardPayment {
    pub id: i64,
    pub case_id: i64,
    pub link_id: i64,
    pub provider: String,
    pub amount_cents: i64,
    pub status: String,
    pub session_id: Option<String>,
    pub provider_payment: Option<String>,
    pub payment_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = card_payments)]
pub struct NewCardPayment<'a> {
    pub case_id: i64,
    pub link_id: i64,
    pub provider: &'a str,
    pub amount_cents: i64,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Inserts the payment: its id.
pub fn insert(conn: &mut DbConn, new: &NewCardPayment) -> QueryResult<i64> {
    diesel::insert_into(card_payments::table)
        .values(new)
        .returning(card_payments::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<CardPayment>> {
    card_payments::table
        .find(id)
        .select(CardPayment::as_select())
        .first(conn)
        .optional()
}

pub fn by_session(conn: &mut DbConn, session_id: &str) -> QueryResult<Option<CardPayment>> {
    card_payments::table
        .filter(card_payments::session_id.eq(session_id))
        .select(CardPayment::as_select())
        .first(conn)
        .optional()
}

/// The checkout the provider opened for a started payment.
pub fn opened(conn: &mut DbConn, id: i64, session_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        card_payments::table
            .find(id)
            .filter(card_payments::status.eq("started")),
    )
    .set((
        card_payments::status.eq("open"),
        card_payments::session_id.eq(session_id),
        card_payments::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(())
}

/// Moves a payment out of `started` or `open` (never twice).
pub fn settle(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    provider_payment: Option<&str>,
    payment_id: Option<i64>,
    note: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        card_payments::table
            .find(id)
            .filter(card_payments::status.eq_any(["started", "open"])),
    )
    .set((
        card_payments::status.eq(status),
        card_payments::provider_payment.eq(provider_payment),
        card_payments::payment_id.eq(payment_id),
        card_payments::note.eq(note),
        card_payments::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = provider_events)]
pub struct NewProviderEvent<'a> {
    pub provider: &'a str,
    pub event_id: &'a str,
    pub kind: &'a str,
    pub received_at: NaiveDateTime,
    pub card_payment_id: Option<i64>,
    pub outcome: &'a str,
}

/// Whether the provider's event of this id was handled already.
pub fn event_seen(conn: &mut DbConn, provider: &str, event_id: &str) -> QueryResult<bool> {
    let n: i64 = provider_events::table
        .filter(provider_events::provider.eq(provider))
        .filter(provider_events::event_id.eq(event_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Stores a handled event (its id is unique per provider: the caller checked
/// [`event_seen`] under its lock).
pub fn record_event(conn: &mut DbConn, new: &NewProviderEvent) -> QueryResult<()> {
    diesel::insert_into(provider_events::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}
