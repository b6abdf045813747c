//! Reminders sent before a date (issue 17): one row per promise or plan instalment the debtor
//! was reminded of, so each is reminded once, whichever run sees the date first (the case's
//! row is locked before the row is looked for, see `jobs::scheduler::remind_ahead`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::advance_reminders;
use crate::db::DbConn;

#[derive(Debug, Insertable)]
#[diesel(table_name = advance_reminders)]
pub struct NewReminder<'a> {
    pub case_id: i64,
    /// `promise` or `instalment`.
    pub subject: &'a str,
    pub subject_id: i64,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    pub outbox_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Whether the promise or instalment was already reminded.
pub fn exists(conn: &mut DbConn, subject: &str, subject_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        advance_reminders::table
            .filter(advance_reminders::subject.eq(subject))
            .filter(advance_reminders::subject_id.eq(subject_id)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewReminder) -> QueryResult<()> {
    diesel::insert_into(advance_reminders::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}
