//! Card payments started on the debtor's page and the payment provider's events (issue 17).
//! A card payment's row is written before the provider is asked; its status then follows what
//! the provider says (`open` once the checkout exists, `paid` once a signed event confirms it
//! and the payment is recorded, `failed` when the provider could not be asked, `refused` when
//! the confirmed amount could not be recorded). An event id is stored once ever. A payout of
//! the provider to the dedicated account is stored once (its id), with the card payments it
//! carries tied to it, and later the statement's entry it was reconciled with.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{card_payments, card_payouts, provider_events};
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

/// A payout of the provider to the dedicated account, with what it is made of.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = card_payouts)]
pub struct CardPayout {
    pub id: i64,
    pub provider: String,
    pub payout_ref: String,
    pub amount_cents: i64,
    pub gross_cents: i64,
    pub fee_cents: i64,
    pub other_cents: i64,
    pub charges: i32,
    pub unknown_charges: i32,
    pub arrival_on: NaiveDate,
    pub bank_entry_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = card_payouts)]
pub struct NewCardPayout<'a> {
    pub provider: &'a str,
    pub payout_ref: &'a str,
    pub amount_cents: i64,
    pub gross_cents: i64,
    pub fee_cents: i64,
    pub other_cents: i64,
    pub charges: i32,
    pub unknown_charges: i32,
    pub arrival_on: NaiveDate,
    pub bank_entry_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert_payout(conn: &mut DbConn, new: &NewCardPayout) -> QueryResult<CardPayout> {
    diesel::insert_into(card_payouts::table)
        .values(new)
        .returning(card_payouts::all_columns)
        .get_result(conn)
}

pub fn payout_by_ref(
    conn: &mut DbConn,
    provider: &str,
    payout_ref: &str,
) -> QueryResult<Option<CardPayout>> {
    card_payouts::table
        .filter(card_payouts::provider.eq(provider))
        .filter(card_payouts::payout_ref.eq(payout_ref))
        .select(CardPayout::as_select())
        .first(conn)
        .optional()
}

/// The payouts of these ids of the provider's (any provider's: ids are the provider's own).
pub fn payouts_by_refs(conn: &mut DbConn, refs: &[&str]) -> QueryResult<Vec<CardPayout>> {
    let mut out = Vec::new();
    for chunk in refs.chunks(500) {
        out.extend(
            card_payouts::table
                .filter(card_payouts::payout_ref.eq_any(chunk))
                .select(CardPayout::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The payouts not reconciled yet with an entry of the account.
pub fn payouts_waiting(conn: &mut DbConn) -> QueryResult<Vec<CardPayout>> {
    card_payouts::table
        .filter(card_payouts::bank_entry_id.is_null())
        .order(card_payouts::id)
        .select(CardPayout::as_select())
        .load(conn)
}

/// The payouts reconciled with these entries.
pub fn payouts_of_entries(conn: &mut DbConn, entry_ids: &[i64]) -> QueryResult<Vec<CardPayout>> {
    let mut out = Vec::new();
    for chunk in entry_ids.chunks(500) {
        out.extend(
            card_payouts::table
                .filter(card_payouts::bank_entry_id.eq_any(chunk))
                .select(CardPayout::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Reconciles a waiting payout with an entry (never twice): whether it was waiting.
pub fn reconcile_payout(conn: &mut DbConn, id: i64, entry_id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        card_payouts::table
            .find(id)
            .filter(card_payouts::bank_entry_id.is_null()),
    )
    .set(card_payouts::bank_entry_id.eq(entry_id))
    .execute(conn)?;
    Ok(n == 1)
}

/// The provider's paid card payments of these provider payments (`pi_…`) in no payout yet:
/// (id, case) of each.
pub fn paid_untied(
    conn: &mut DbConn,
    provider: &str,
    provider_payments: &[&str],
) -> QueryResult<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for chunk in provider_payments.chunks(500) {
        out.extend(
            card_payments::table
                .filter(card_payments::provider.eq(provider))
                .filter(card_payments::status.eq("paid"))
                .filter(card_payments::card_payout_id.is_null())
                .filter(card_payments::provider_payment.eq_any(chunk))
                .select((card_payments::id, card_payments::case_id))
                .load::<(i64, i64)>(conn)?,
        );
    }
    Ok(out)
}

/// Ties card payments to the payout that carried them.
pub fn tie(conn: &mut DbConn, ids: &[i64], payout_id: i64) -> QueryResult<()> {
    for chunk in ids.chunks(500) {
        diesel::update(card_payments::table.filter(card_payments::id.eq_any(chunk)))
            .set(card_payments::card_payout_id.eq(payout_id))
            .execute(conn)?;
    }
    Ok(())
}

/// The cases of the card payments a payout carried (each once).
pub fn cases_of_payout(conn: &mut DbConn, payout_id: i64) -> QueryResult<Vec<i64>> {
    card_payments::table
        .filter(card_payments::card_payout_id.eq(payout_id))
        .select(card_payments::case_id)
        .distinct()
        .order(card_payments::case_id)
        .load(conn)
}

/// The amounts of the paid card payments whose money is not on the account yet: in no payout,
/// or in a payout not reconciled with an entry of the account.
pub fn in_transit_amounts(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let waiting = card_payouts::table
        .filter(card_payouts::bank_entry_id.is_null())
        .select(card_payouts::id);
    card_payments::table
        .filter(card_payments::status.eq("paid"))
        .filter(
            card_payments::card_payout_id
                .is_null()
                .or(card_payments::card_payout_id.eq_any(waiting.nullable())),
        )
        .select(card_payments::amount_cents)
        .load(conn)
}

/// The fees of the payouts reconciled with an entry of the account.
pub fn reconciled_fees(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    card_payouts::table
        .filter(card_payouts::bank_entry_id.is_not_null())
        .select(card_payouts::fee_cents)
        .load(conn)
}
