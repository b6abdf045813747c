//! The outbox: every e-mail and letter, with its delivery state. A message is claimed before it
//! is sent (status `sending`, who and when; `store::claims::claim_next_email`), so two
//! schedulers never send it twice; a claim left behind by a crash is never retried blindly (it
//! becomes `uncertain`, for an agent).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::DbConn;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: i64,
    pub case_id: Option<i64>,
    pub channel: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub document_id: Option<i64>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub tracking_number: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMessage<'a> {
    pub case_id: Option<i64>,
    pub channel: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub document_id: Option<i64>,
    pub status: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewMessage) -> QueryResult<OutboxMessage> {
    diesel::insert_into(outbox::table)
        .values(new)
        .returning(outbox::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxMessage>> {
    outbox::table
        .find(id)
        .select(OutboxMessage::as_select())
        .first(conn)
        .optional()
}

pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<OutboxMessage>> {
    outbox::table
        .filter(outbox::case_id.eq(case_id))
        .order(outbox::id)
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// Records the result of a send by the worker holding the claim.
pub fn finish(
    conn: &mut DbConn,
    id: i64,
    worker: &str,
    status: &str,
    error: Option<&str>,
    next_attempt_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let sent_at = (status == "sent").then_some(now);
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq("sending"))
            .filter(outbox::claimed_by.eq(worker)),
    )
    .set((
        outbox::status.eq(status),
        outbox::last_error.eq(error),
        outbox::next_attempt_at.eq(next_attempt_at),
        outbox::sent_at.eq(sent_at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Claims older than `before` whose worker never reported: the message may or may not have
/// left. They become `uncertain` rather than being sent again.
pub fn expire_stale_claims(
    conn: &mut DbConn,
    before: NaiveDateTime,
) -> QueryResult<Vec<OutboxMessage>> {
    let stale: Vec<OutboxMessage> = outbox::table
        .filter(outbox::status.eq("sending"))
        .filter(outbox::claimed_at.lt(before))
        .select(OutboxMessage::as_select())
        .load(conn)?;
    mark_uncertain(conn, &stale)?;
    Ok(stale)
}

/// The workers holding claims now (to ask whether each is alive, `jobs::presence`).
pub fn claimers(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    let names: Vec<Option<String>> = outbox::table
        .filter(outbox::status.eq("sending"))
        .select(outbox::claimed_by)
        .distinct()
        .load(conn)?;
    Ok(names.into_iter().flatten().collect())
}

/// Every claim of a worker known dead: uncertain, like a stale claim.
pub fn expire_claims_of(conn: &mut DbConn, worker: &str) -> QueryResult<Vec<OutboxMessage>> {
    let left: Vec<OutboxMessage> = outbox::table
        .filter(outbox::status.eq("sending"))
        .filter(outbox::claimed_by.eq(worker))
        .select(OutboxMessage::as_select())
        .load(conn)?;
    mark_uncertain(conn, &left)?;
    Ok(left)
}

fn mark_uncertain(conn: &mut DbConn, claims: &[OutboxMessage]) -> QueryResult<()> {
    for m in claims {
        diesel::update(
            outbox::table
                .find(m.id)
                .filter(outbox::status.eq("sending")),
        )
        .set((
            outbox::status.eq("uncertain"),
            outbox::last_error.eq("the sender stopped while sending: check before sending again"),
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// An agent's decision on a failed or uncertain message, or the posting of a letter.
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    from: &[&str],
    to: &str,
    tracking: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let from: Vec<String> = from.iter().map(|s| s.to_string()).collect();
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq_any(from)))
        .set((
            outbox::status.eq(to),
            outbox::tracking_number.eq(tracking),
            outbox::next_attempt_at.eq(now),
            outbox::sent_at.eq((to == "posted").then_some(now)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Messages an agent must look at: failed, uncertain, letters waiting to be posted.
pub fn needing_attention(conn: &mut DbConn) -> QueryResult<Vec<OutboxMessage>> {
    outbox::table
        .filter(outbox::status.eq_any(["failed", "uncertain", "to_post"]))
        .order(outbox::id)
        .select(OutboxMessage::as_select())
        .load(conn)
}

/// How many messages of `channel` were queued for the cases `case_ids` since `since` (the
/// weekly cap of the rules of contact).
pub fn count_since(
    conn: &mut DbConn,
    case_ids: &[i64],
    channel: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::case_id.eq_any(case_ids.iter().map(|id| Some(*id))))
        .filter(outbox::channel.eq(channel))
        .filter(outbox::created_at.ge(since))
        .count()
        .get_result(conn)
}

/// Cancels the messages of `kinds` of a case that have not left: waiting to be sent or
/// posted, or failed (a message being sent, or whose sending is uncertain, is left for the
/// agent). Returns the ids cancelled.
pub fn cancel_unsent(
    conn: &mut DbConn,
    case_id: i64,
    kinds: &[&str],
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let unsent = ["pending", "to_post", "failed"];
    let ids: Vec<i64> = outbox::table
        .filter(outbox::case_id.eq(Some(case_id)))
        .filter(outbox::kind.eq_any(kinds))
        .filter(outbox::status.eq_any(unsent))
        .select(outbox::id)
        .order(outbox::id)
        .load(conn)?;
    if !ids.is_empty() {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(&ids))
                .filter(outbox::status.eq_any(unsent)),
        )
        .set((
            outbox::status.eq("cancelled"),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(ids)
}
