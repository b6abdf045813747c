//! The files a debtor sends from their page (issue 17): kept apart from the case's exhibits,
//! content-addressed in the blob store like them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::debtor_pieces;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = debtor_pieces)]
pub struct DebtorPiece {
    pub id: i64,
    pub case_id: i64,
    pub link_id: i64,
    /// `dispute` or `already_paid`.
    pub purpose: String,
    pub dispute_id: Option<i64>,
    pub filename: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub added_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = debtor_pieces)]
pub struct NewDebtorPiece<'a> {
    pub case_id: i64,
    pub link_id: i64,
    pub purpose: &'a str,
    pub dispute_id: Option<i64>,
    pub filename: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub added_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewDebtorPiece) -> QueryResult<i64> {
    diesel::insert_into(debtor_pieces::table)
        .values(new)
        .returning(debtor_pieces::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<DebtorPiece>> {
    debtor_pieces::table
        .find(id)
        .select(DebtorPiece::as_select())
        .first(conn)
        .optional()
}

/// The debtor's files of these cases, oldest first.
pub fn of_cases(conn: &mut DbConn, case_ids: &[i64]) -> QueryResult<Vec<DebtorPiece>> {
    debtor_pieces::table
        .filter(debtor_pieces::case_id.eq_any(case_ids))
        .order(debtor_pieces::id.asc())
        .select(DebtorPiece::as_select())
        .load(conn)
}

/// How many files the debtor has sent for the case.
pub fn count_of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<i64> {
    debtor_pieces::table
        .filter(debtor_pieces::case_id.eq(case_id))
        .count()
        .get_result(conn)
}

/// Every hash the debtor's files point to (`fsck`: their blobs are not orphans).
pub fn all_hashes(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    debtor_pieces::table
        .select(debtor_pieces::sha256)
        .load(conn)
}
