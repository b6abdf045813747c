//! BODACC announcements imported, once each (unique `identity`), and the open cases each was
//! matched to with the agent's alert.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{bodacc_announcements, bodacc_case_links, cases};
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bodacc_announcements)]
pub struct Announcement {
    pub id: i64,
    pub identity: String,
    pub published_on: NaiveDate,
    pub bulletin: Option<String>,
    pub parution: Option<String>,
    pub number: String,
    pub family: String,
    pub siren: String,
    pub company: Option<String>,
    pub court: Option<String>,
    pub summary: String,
    pub judgment_on: Option<NaiveDate>,
    pub suggested_kind: Option<String>,
    pub data: String,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = bodacc_announcements)]
pub struct NewAnnouncement<'a> {
    pub identity: &'a str,
    pub published_on: NaiveDate,
    pub bulletin: Option<&'a str>,
    pub parution: Option<&'a str>,
    pub number: &'a str,
    pub family: &'a str,
    pub siren: &'a str,
    pub company: Option<&'a str>,
    pub court: Option<&'a str>,
    pub summary: &'a str,
    pub judgment_on: Option<NaiveDate>,
    pub suggested_kind: Option<&'a str>,
    pub data: &'a str,
    pub imported_at: NaiveDateTime,
    pub imported_by: Option<i64>,
}

/// Whether an announcement of this identity is stored.
pub fn exists(conn: &mut DbConn, identity: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        bodacc_announcements::table.filter(bodacc_announcements::identity.eq(identity)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewAnnouncement<'_>) -> QueryResult<Announcement> {
    diesel::insert_into(bodacc_announcements::table)
        .values(new)
        .returning(bodacc_announcements::all_columns)
        .get_result(conn)
}

pub fn link(
    conn: &mut DbConn,
    announcement_id: i64,
    case_id: i64,
    task_id: i64,
) -> QueryResult<()> {
    diesel::insert_into(bodacc_case_links::table)
        .values((
            bodacc_case_links::announcement_id.eq(announcement_id),
            bodacc_case_links::case_id.eq(case_id),
            bodacc_case_links::task_id.eq(task_id),
        ))
        .execute(conn)
        .map(drop)
}

/// The latest announcements matched to a case, newest import first, with the references of
/// their cases (one query for the links).
pub fn latest_matched(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<(Announcement, Vec<String>)>> {
    let matched: Vec<Announcement> = bodacc_announcements::table
        .filter(diesel::dsl::exists(bodacc_case_links::table.filter(
            bodacc_case_links::announcement_id.eq(bodacc_announcements::id),
        )))
        .order((
            bodacc_announcements::imported_at.desc(),
            bodacc_announcements::id.desc(),
        ))
        .limit(limit)
        .select(Announcement::as_select())
        .load(conn)?;
    let ids: Vec<i64> = matched.iter().map(|a| a.id).collect();
    let links: Vec<(i64, String)> = bodacc_case_links::table
        .inner_join(cases::table)
        .filter(bodacc_case_links::announcement_id.eq_any(&ids))
        .order(cases::id.asc())
        .select((bodacc_case_links::announcement_id, cases::reference))
        .load(conn)?;
    Ok(matched
        .into_iter()
        .map(|a| {
            let refs = links
                .iter()
                .filter(|(id, _)| *id == a.id)
                .map(|(_, r)| r.clone())
                .collect();
            (a, refs)
        })
        .collect())
}

/// The announcements linked to a case, newest publication first.
pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Announcement>> {
    bodacc_announcements::table
        .inner_join(bodacc_case_links::table)
        .filter(bodacc_case_links::case_id.eq(case_id))
        .order((
            bodacc_announcements::published_on.desc(),
            bodacc_announcements::id.desc(),
        ))
        .select(Announcement::as_select())
        .load(conn)
}
