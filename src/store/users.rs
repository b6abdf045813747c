//! User accounts and their login throttling state.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::users;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub failed_logins: i32,
    pub first_failed_at: Option<NaiveDateTime>,
    pub locked_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// A provisional password (given by an admin): nothing but changing it is allowed.
    pub must_change_password: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub failed_logins: i32,
    pub created_at: NaiveDateTime,
    pub must_change_password: bool,
}

pub fn insert(conn: &mut DbConn, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::all_columns)
        .get_result::<User>(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Enables or disables an account; the updated row.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool) -> QueryResult<Option<User>> {
    diesel::update(users::table.find(id))
        .set(users::active.eq(active))
        .execute(conn)?;
    find(conn, id)
}

/// Replaces an account's password; `provisional`: to be changed at the next sign-in. The
/// sign-in throttle starts again (a new password is a new start).
pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    provisional: bool,
) -> QueryResult<Option<User>> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(provisional),
            users::failed_logins.eq(0),
            users::first_failed_at.eq(None::<NaiveDateTime>),
            users::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    find(conn, id)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
}

/// The active users of an organisation (who a creditor's notices go to).
pub fn active_of_org(conn: &mut DbConn, org: i64) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::organisation_id.eq(Some(org)))
        .filter(users::active.eq(true))
        .order(users::id)
        .select(User::as_select())
        .load(conn)
}

/// Counts a sign-in attempt on the account of `email` *before* its password is checked, in
/// one statement that returns the account as updated: concurrent attempts each read their own
/// number, so at most the limit of them get their password checked. A window that started at
/// or before `expired_before` is over and the attempt opens a new one. An unknown e-mail runs
/// the same statement (and gets `None`), so both cost the same.
pub fn count_attempt(
    conn: &mut DbConn,
    email: &str,
    now: NaiveDateTime,
    expired_before: NaiveDateTime,
) -> QueryResult<Option<User>> {
    use diesel::dsl::case_when;
    use diesel::sql_types::{Integer, Nullable, Timestamp};
    let fresh = || {
        users::first_failed_at
            .is_null()
            .or(users::first_failed_at.assume_not_null().le(expired_before))
    };
    diesel::update(users::table.filter(users::email.eq(email)))
        .set((
            users::failed_logins
                .eq(case_when::<_, _, Integer>(fresh(), 1).otherwise(users::failed_logins + 1)),
            users::first_failed_at.eq(case_when::<_, _, Nullable<Timestamp>>(fresh(), Some(now))
                .otherwise(users::first_failed_at)),
        ))
        .returning(users::all_columns)
        .get_result::<User>(conn)
        .optional()
}

/// Records the throttling state after a login attempt.
pub fn set_login_state(
    conn: &mut DbConn,
    id: i64,
    failed: i32,
    first_failed_at: Option<NaiveDateTime>,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(failed),
            users::first_failed_at.eq(first_failed_at),
            users::locked_until.eq(locked_until),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Users, optionally of one role and of one organisation, a page at a time (`after` = last
/// id seen).
pub fn list(
    conn: &mut DbConn,
    role: Option<&str>,
    organisation: Option<i64>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<super::Page<User>> {
    let filtered = || {
        let mut q = users::table.into_boxed();
        if let Some(r) = role {
            q = q.filter(users::role.eq(r.to_string()));
        }
        if let Some(o) = organisation {
            q = q.filter(users::organisation_id.eq(o));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let mut q = filtered();
    if let Some(a) = after {
        q = q.filter(users::id.gt(a));
    }
    let mut items: Vec<User> = q
        .order(users::id.asc())
        .limit(limit + 1)
        .select(User::as_select())
        .load(conn)?;
    let has_next = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(super::Page {
        items,
        has_next,
        total,
    })
}

/// The active users of a role, by name (e.g. the lawyers a case can be referred to).
pub fn active_of_role(conn: &mut DbConn, role: &str) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq(role))
        .filter(users::active.eq(true))
        .order(users::display_name)
        .select(User::as_select())
        .load(conn)
}
