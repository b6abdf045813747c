//! Refresh tokens: only their SHA-256 is stored; each use rotates the token, and tokens of one
//! login share a family so that reuse of a rotated token revokes the whole family.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::refresh_tokens;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub user_id: i64,
    pub token_hash: String,
    pub family: String,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub family: &'a str,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewRefreshToken) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(new)
        .execute(conn)
        .map(|_| ())
}

pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()
}

/// Revokes one token if it is still live; returns whether this call revoked it (so two
/// concurrent refreshes with the same token cannot both succeed).
pub fn revoke(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn revoke_family(conn: &mut DbConn, family: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// The account behind a live sign-in: the user when `family` still holds an unrevoked,
/// unexpired token of theirs and the account is active. One seek on `refresh_tokens_live`
/// (family, revoked_at) and one on the users' primary key.
pub fn live_session_user(
    conn: &mut DbConn,
    user_id: i64,
    family: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<crate::store::users::User>> {
    use crate::db::schema::users;
    refresh_tokens::table
        .inner_join(users::table)
        .filter(refresh_tokens::family.eq(family))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select(crate::store::users::User::as_select())
        .first(conn)
        .optional()
}

/// Revokes every live sign-in of a user, but `keep` (the sign-in that changed the password):
/// after a password change or reset, a stolen session must not outlive the old password.
pub fn revoke_user(
    conn: &mut DbConn,
    user_id: i64,
    keep: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    // A family no token has: `keep` of `None` spares nothing.
    let keep = keep.unwrap_or("");
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::family.ne(keep)),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}
