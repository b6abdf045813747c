//! Court directories imported by an admin; the newest is in force.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::court_directories;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = court_directories)]
pub struct StoredDirectory {
    pub id: i64,
    pub version: String,
    pub source: String,
    pub data: String,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = court_directories)]
pub struct NewDirectory<'a> {
    pub version: &'a str,
    pub source: &'a str,
    pub data: &'a str,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

/// The id of the newest directory (cheap: to know whether a cached copy is still current).
pub fn latest_id(conn: &mut DbConn) -> QueryResult<Option<i64>> {
    court_directories::table
        .select(court_directories::id)
        .order(court_directories::id.desc())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<StoredDirectory>> {
    court_directories::table
        .find(id)
        .select(StoredDirectory::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, new: &NewDirectory) -> QueryResult<i64> {
    diesel::insert_into(court_directories::table)
        .values(new)
        .returning(court_directories::all_columns)
        .get_result::<StoredDirectory>(conn)
        .map(|d| d.id)
}

/// When and by whom the directory in force was imported (without its data), if one was.
pub fn latest_import(conn: &mut DbConn) -> QueryResult<Option<(NaiveDateTime, Option<i64>)>> {
    court_directories::table
        .select((
            court_directories::imported_at,
            court_directories::imported_by,
        ))
        .order(court_directories::id.desc())
        .first(conn)
        .optional()
}
