//! The debtor's links (issue 17): only the SHA-256 of a link's token is stored. A link ends
//! when an agent revokes the case's links; the case's own state ends it too (checked by the
//! use case, not here).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::debtor_links;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debtor_links)]
pub struct DebtorLink {
    pub id: i64,
    pub case_id: i64,
    pub token_hash: String,
    pub printed_on: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = debtor_links)]
pub struct NewDebtorLink<'a> {
    pub case_id: i64,
    pub token_hash: &'a str,
    pub printed_on: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

pub fn insert(conn: &mut DbConn, new: &NewDebtorLink) -> QueryResult<i64> {
    diesel::insert_into(debtor_links::table)
        .values(new)
        .returning(debtor_links::id)
        .get_result(conn)
}

/// The live link with this token's hash, if any.
pub fn find_live_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<DebtorLink>> {
    debtor_links::table
        .filter(debtor_links::token_hash.eq(hash))
        .filter(debtor_links::revoked_at.is_null())
        .select(DebtorLink::as_select())
        .first(conn)
        .optional()
}

/// A live link by id (a debtor's session names its link by id).
pub fn find_live(conn: &mut DbConn, id: i64) -> QueryResult<Option<DebtorLink>> {
    debtor_links::table
        .find(id)
        .filter(debtor_links::revoked_at.is_null())
        .select(DebtorLink::as_select())
        .first(conn)
        .optional()
}

/// The live links of a case, newest first.
pub fn live_of(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<DebtorLink>> {
    debtor_links::table
        .filter(debtor_links::case_id.eq(case_id))
        .filter(debtor_links::revoked_at.is_null())
        .order(debtor_links::id.desc())
        .select(DebtorLink::as_select())
        .load(conn)
}

/// Revokes every live link of a case; how many were live.
pub fn revoke_all_of(conn: &mut DbConn, case_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        debtor_links::table
            .filter(debtor_links::case_id.eq(case_id))
            .filter(debtor_links::revoked_at.is_null()),
    )
    .set(debtor_links::revoked_at.eq(Some(now)))
    .execute(conn)
}
