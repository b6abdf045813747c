//! Organisations: the agency and its creditor clients.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::organisations;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub legal_form: String,
    pub siren: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organisations)]
pub struct NewOrganisation<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub legal_form: &'a str,
    pub siren: &'a str,
    pub address_line1: &'a str,
    pub address_line2: Option<&'a str>,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub country: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewOrganisation) -> QueryResult<Organisation> {
    diesel::insert_into(organisations::table)
        .values(new)
        .returning(organisations::all_columns)
        .get_result::<Organisation>(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Organisation>> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(conn)
        .optional()
}

pub fn siren_taken(conn: &mut DbConn, siren: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        organisations::table.filter(organisations::siren.eq(siren)),
    ))
    .get_result(conn)
}

/// Organisations by name, optionally of one kind, a page at a time (`after` = last id seen).
pub fn list(
    conn: &mut DbConn,
    kind: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<super::Page<Organisation>> {
    let filtered = || {
        let mut q = organisations::table.into_boxed();
        if let Some(k) = kind {
            q = q.filter(organisations::kind.eq(k.to_string()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let mut q = filtered();
    if let Some(a) = after {
        q = q.filter(organisations::id.gt(a));
    }
    let mut items: Vec<Organisation> = q
        .order(organisations::id.asc())
        .limit(limit + 1)
        .select(Organisation::as_select())
        .load(conn)?;
    let has_next = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(super::Page {
        items,
        has_next,
        total,
    })
}

/// Loads several organisations at once (batched lookups for lists).
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Organisation>> {
    organisations::table
        .filter(organisations::id.eq_any(ids))
        .select(Organisation::as_select())
        .load(conn)
}
