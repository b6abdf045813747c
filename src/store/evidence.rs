//! Evidence pieces of a case and their exhibit numbers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::pieces;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pieces)]
pub struct Piece {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub description: String,
    pub filename: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub document_id: Option<i64>,
    pub exhibit_no: Option<i32>,
    pub added_by: Option<i64>,
    pub added_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<i64>,
    pub withdrawal_reason: Option<String>,
    /// Kinds of active content found at upload (`evidence::active`), comma-separated.
    pub active_content: Option<String>,
    /// The document's own date, entered at upload (the bordereau's date; `None`: the upload
    /// day).
    pub document_date: Option<chrono::NaiveDate>,
}

impl Piece {
    /// The kinds of active content found at upload (empty when none).
    pub fn active_kinds(&self) -> Vec<&str> {
        self.active_content
            .as_deref()
            .map(|s| s.split(',').filter(|k| !k.is_empty()).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = pieces)]
pub struct NewPiece<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub description: &'a str,
    pub filename: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub document_id: Option<i64>,
    pub exhibit_no: Option<i32>,
    pub added_by: Option<i64>,
    pub added_at: NaiveDateTime,
    pub active_content: Option<&'a str>,
    pub document_date: Option<chrono::NaiveDate>,
}

pub fn insert(conn: &mut DbConn, new: &NewPiece) -> QueryResult<Piece> {
    diesel::insert_into(pieces::table)
        .values(new)
        .returning(pieces::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Piece>> {
    pieces::table
        .find(id)
        .select(Piece::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_hash(conn: &mut DbConn, case_id: i64, sha256: &str) -> QueryResult<Option<Piece>> {
    pieces::table
        .filter(pieces::case_id.eq(case_id))
        .filter(pieces::sha256.eq(sha256))
        .select(Piece::as_select())
        .first(conn)
        .optional()
}

/// A case's pieces: exhibits in their order first, then the others (withdrawn) by id.
pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Piece>> {
    let mut list: Vec<Piece> = pieces::table
        .filter(pieces::case_id.eq(case_id))
        .order(pieces::id)
        .select(Piece::as_select())
        .load(conn)?;
    list.sort_by_key(|p| (p.exhibit_no.is_none(), p.exhibit_no, p.id));
    Ok(list)
}

/// The next exhibit number of the case (call with the case locked).
pub fn next_exhibit_no(conn: &mut DbConn, case_id: i64) -> QueryResult<i32> {
    let max: Option<i32> = pieces::table
        .filter(pieces::case_id.eq(case_id))
        .select(diesel::dsl::max(pieces::exhibit_no))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Bytes stored for the case's pieces, withdrawn ones included (they stay in the archive).
/// Summed here: `SUM(bigint)` is `numeric` on PostgreSQL and `integer` on SQLite.
pub fn bytes_of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<i64> {
    let sizes: Vec<i64> = pieces::table
        .filter(pieces::case_id.eq(case_id))
        .select(pieces::size_bytes)
        .load(conn)?;
    Ok(sizes.iter().sum())
}

/// Gives the case's exhibits the numbers 1..n in the order of `ids` (every current exhibit,
/// once): first moved out of the way (negative), then numbered, so the unique key holds at
/// each statement on both backends.
pub fn renumber(conn: &mut DbConn, case_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::update(
        pieces::table
            .filter(pieces::case_id.eq(case_id))
            .filter(pieces::exhibit_no.is_not_null()),
    )
    .set(pieces::exhibit_no.eq(pieces::exhibit_no * -1))
    .execute(conn)?;
    for (i, id) in ids.iter().enumerate() {
        let n = i32::try_from(i + 1).unwrap_or(i32::MAX);
        diesel::update(pieces::table.find(id))
            .set(pieces::exhibit_no.eq(Some(n)))
            .execute(conn)?;
    }
    Ok(())
}

/// Withdraws a piece (leaves the exhibit list); false if it was already withdrawn.
pub fn withdraw(
    conn: &mut DbConn,
    id: i64,
    at: NaiveDateTime,
    by: Option<i64>,
    reason: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        pieces::table
            .filter(pieces::id.eq(id))
            .filter(pieces::withdrawn_at.is_null()),
    )
    .set((
        pieces::withdrawn_at.eq(Some(at)),
        pieces::withdrawn_by.eq(by),
        pieces::withdrawal_reason.eq(Some(reason)),
        pieces::exhibit_no.eq(None::<i32>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Every hash the archive's rows point to (pieces, generated documents and the debtor's
/// files), for `fsck`.
pub fn all_hashes(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    use crate::db::schema::documents;
    let mut list: Vec<String> = pieces::table.select(pieces::sha256).load(conn)?;
    list.extend(
        documents::table
            .select(documents::sha256)
            .load::<String>(conn)?,
    );
    list.extend(super::debtor_pieces::all_hashes(conn)?);
    list.sort();
    list.dedup();
    Ok(list)
}

/// Pieces (not yet withdrawn) whose blob has this hash, for `fsck --repair`.
pub fn live_with_hash(conn: &mut DbConn, sha256: &str) -> QueryResult<Vec<Piece>> {
    pieces::table
        .filter(pieces::sha256.eq(sha256))
        .filter(pieces::withdrawn_at.is_null())
        .select(Piece::as_select())
        .load(conn)
}

/// The reason `fsck --repair` gives the pieces it withdraws starts with this.
pub const FSCK_REASON_PREFIX: &str = "fsck:";

/// Hashes whose bytes are known lost: only pieces withdrawn by `fsck --repair` point to them.
pub fn known_losses(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    use crate::db::schema::documents;
    let rows: Vec<(String, Option<String>)> = pieces::table
        .select((pieces::sha256, pieces::withdrawal_reason))
        .load(conn)?;
    let mut still_needed: std::collections::BTreeSet<String> = documents::table
        .select(documents::sha256)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    still_needed.extend(super::debtor_pieces::all_hashes(conn)?);
    let mut lost = std::collections::BTreeSet::new();
    for (sha, reason) in rows {
        match reason {
            Some(r) if r.starts_with(FSCK_REASON_PREFIX) => {
                lost.insert(sha);
            }
            _ => {
                still_needed.insert(sha);
            }
        }
    }
    Ok(lost.difference(&still_needed).cloned().collect())
}
