//! Generated documents (letters, receipts, statements): one row per document; the bytes live
//! in the document store under their SHA-256 (`documents::files`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::documents;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: i64,
    pub case_id: Option<i64>,
    pub creditor_org_id: Option<i64>,
    pub kind: String,
    pub reference: String,
    pub filename: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument<'a> {
    pub case_id: Option<i64>,
    pub creditor_org_id: Option<i64>,
    pub kind: &'a str,
    pub reference: &'a str,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

pub fn insert(conn: &mut DbConn, new: &NewDocument) -> QueryResult<Document> {
    diesel::insert_into(documents::table)
        .values(new)
        .returning(documents::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Document>> {
    documents::table
        .find(id)
        .select(Document::as_select())
        .first(conn)
        .optional()
}

pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Document>> {
    documents::table
        .filter(documents::case_id.eq(case_id))
        .order(documents::id)
        .select(Document::as_select())
        .load(conn)
}
