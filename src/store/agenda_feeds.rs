//! The lawyers' calendar feeds: only the SHA-256 of a feed's token is stored; a feed ends
//! when revoked (by its lawyer, or by a newer feed).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::agenda_feeds;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agenda_feeds)]
pub struct AgendaFeed {
    pub id: i64,
    pub user_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = agenda_feeds)]
pub struct NewAgendaFeed<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewAgendaFeed) -> QueryResult<()> {
    diesel::insert_into(agenda_feeds::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

/// The live feed with this token's hash, if any.
pub fn find_live_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<AgendaFeed>> {
    agenda_feeds::table
        .filter(agenda_feeds::token_hash.eq(hash))
        .filter(agenda_feeds::revoked_at.is_null())
        .select(AgendaFeed::as_select())
        .first(conn)
        .optional()
}

/// A user's live feed, if any.
pub fn live_of(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<AgendaFeed>> {
    agenda_feeds::table
        .filter(agenda_feeds::user_id.eq(user_id))
        .filter(agenda_feeds::revoked_at.is_null())
        .order(agenda_feeds::id.desc())
        .select(AgendaFeed::as_select())
        .first(conn)
        .optional()
}

/// Revokes every live feed of a user; how many were live.
pub fn revoke_all_of(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        agenda_feeds::table
            .filter(agenda_feeds::user_id.eq(user_id))
            .filter(agenda_feeds::revoked_at.is_null()),
    )
    .set(agenda_feeds::revoked_at.eq(Some(now)))
    .execute(conn)
}
