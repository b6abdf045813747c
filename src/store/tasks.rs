//! Tasks of the agents' work queue.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::tasks;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks)]
pub struct Task {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub outbox_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tasks)]
pub struct NewTask<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub due_on: NaiveDate,
    pub status: &'a str,
    pub outbox_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewTask) -> QueryResult<Task> {
    diesel::insert_into(tasks::table)
        .values(new)
        .returning(tasks::all_columns)
        .get_result(conn)
}

/// An open `review` task due the day it is made: something an agent must look at.
pub fn open_review(
    conn: &mut DbConn,
    case_id: i64,
    title: &str,
    now: NaiveDateTime,
) -> QueryResult<Task> {
    insert(
        conn,
        &NewTask {
            case_id,
            kind: "review",
            title,
            due_on: now.date(),
            status: "open",
            outbox_id: None,
            created_at: now,
        },
    )
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Task>> {
    tasks::table
        .find(id)
        .select(Task::as_select())
        .first(conn)
        .optional()
}

pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::case_id.eq(case_id))
        .order(tasks::id)
        .select(Task::as_select())
        .load(conn)
}

/// Every open task, earliest due first.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::status.eq("open"))
        .order((tasks::due_on, tasks::id))
        .select(Task::as_select())
        .load(conn)
}

/// Whether an open task of this kind exists for the case (no duplicates).
pub fn has_open(conn: &mut DbConn, case_id: i64, kind: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tasks::table
            .filter(tasks::case_id.eq(case_id))
            .filter(tasks::kind.eq(kind))
            .filter(tasks::status.eq("open")),
    ))
    .get_result(conn)
}

/// Closes an open task; false if it was not open.
pub fn close(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    by: Option<i64>,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(tasks::table.find(id).filter(tasks::status.eq("open")))
        .set((
            tasks::status.eq(status),
            tasks::closed_by.eq(by),
            tasks::closed_at.eq(now),
            tasks::note.eq(note),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Cancels the open tasks of a case (it closed, or the work they asked for is moot).
pub fn cancel_open_of_case(
    conn: &mut DbConn,
    case_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .filter(tasks::case_id.eq(case_id))
            .filter(tasks::status.eq("open")),
    )
    .set((tasks::status.eq("cancelled"), tasks::closed_at.eq(now)))
    .execute(conn)
}

/// Cancels the open tasks about the outbox messages `outbox_ids` (the letters to post).
pub fn cancel_open_of_messages(
    conn: &mut DbConn,
    outbox_ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .filter(tasks::outbox_id.eq_any(outbox_ids.iter().map(|id| Some(*id))))
            .filter(tasks::status.eq("open")),
    )
    .set((tasks::status.eq("cancelled"), tasks::closed_at.eq(now)))
    .execute(conn)
}

/// Cancels the open tasks of one kind of a case (the deadlines they tracked were replaced).
pub fn cancel_open_of_kind(
    conn: &mut DbConn,
    case_id: i64,
    kind: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .filter(tasks::case_id.eq(case_id))
            .filter(tasks::kind.eq(kind))
            .filter(tasks::status.eq("open")),
    )
    .set((tasks::status.eq("cancelled"), tasks::closed_at.eq(now)))
    .execute(conn)
}

/// Closes (done, by nobody: the scheduler) the open tasks of one kind of a case whose cause
/// is gone, with a note saying why.
pub fn close_open_of_kind(
    conn: &mut DbConn,
    case_id: i64,
    kind: &str,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .filter(tasks::case_id.eq(case_id))
            .filter(tasks::kind.eq(kind))
            .filter(tasks::status.eq("open")),
    )
    .set((
        tasks::status.eq("done"),
        tasks::closed_at.eq(now),
        tasks::note.eq(note),
    ))
    .execute(conn)
}
