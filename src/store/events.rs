//! The append-only, hash-chained events of a case (its timeline and audit trail).
//!
//! `hash = sha256(prev_hash || canonical event)`, the first event chaining from 64 zeros.
//! The canonical event is a JSON object with sorted keys, so anyone can recompute a hash.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::{case_event_heads, case_events};
use crate::db::DbConn;

/// The `prev_hash` of a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub seq: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_user_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_events)]
struct NewCaseEvent<'a> {
    case_id: i64,
    seq: i64,
    occurred_at: NaiveDateTime,
    actor_user_id: Option<i64>,
    kind: &'a str,
    payload: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
}

/// The text that is hashed for one event.
pub fn canonical(
    case_id: i64,
    seq: i64,
    at: NaiveDateTime,
    actor: Option<i64>,
    kind: &str,
    payload: &str,
) -> String {
    // serde_json::Map keeps keys sorted (no `preserve_order`), which makes this canonical.
    serde_json::json!({
        "case_id": case_id,
        "seq": seq,
        "at": at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        "actor": actor,
        "kind": kind,
        "payload": payload,
    })
    .to_string()
}

/// `sha256(prev_hash || canonical)` in hex.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Appends an event to the case's chain. Call inside the use case's transaction. The case's
/// row lock is taken first (a no-op when the use case already updated the case), so two
/// writers of one chain queue instead of both reading the same last link.
pub fn append(
    conn: &mut DbConn,
    case_id: i64,
    at: NaiveDateTime,
    actor: Option<i64>,
    kind: &str,
    payload: &serde_json::Value,
) -> QueryResult<CaseEvent> {
    super::cases::lock(conn, case_id)?;
    let last: Option<(i64, String)> = case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq.desc())
        .select((case_events::seq, case_events::hash))
        .first(conn)
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let payload = payload.to_string();
    let hash = chain_hash(&prev, &canonical(case_id, seq, at, actor, kind, &payload));
    diesel::insert_into(case_events::table)
        .values(&NewCaseEvent {
            case_id,
            seq,
            occurred_at: at,
            actor_user_id: actor,
            kind,
            payload: &payload,
            prev_hash: &prev,
            hash: &hash,
        })
        .returning(case_events::all_columns)
        .get_result::<CaseEvent>(conn)
        .and_then(|event| {
            set_head(conn, case_id, seq, &hash)?;
            Ok(event)
        })
}

/// Moves the chain's recorded head to the event just appended (same transaction), so that
/// deleting the last events of a case shows as a head no event matches.
fn set_head(conn: &mut DbConn, case_id: i64, seq: i64, hash: &str) -> QueryResult<()> {
    let moved = diesel::update(case_event_heads::table.find(case_id))
        .set((
            case_event_heads::seq.eq(seq),
            case_event_heads::hash.eq(hash),
        ))
        .execute(conn)?;
    if moved == 0 {
        diesel::insert_into(case_event_heads::table)
            .values((
                case_event_heads::case_id.eq(case_id),
                case_event_heads::seq.eq(seq),
                case_event_heads::hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The recorded head of a case's chain: `(seq, hash)` of its last event.
pub fn head(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<(i64, String)>> {
    case_event_heads::table
        .find(case_id)
        .select((case_event_heads::seq, case_event_heads::hash))
        .first(conn)
        .optional()
}

/// The events of a case, oldest first.
pub fn of_case(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<CaseEvent>> {
    case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq.asc())
        .select(CaseEvent::as_select())
        .load(conn)
}

/// Ids of every case that has events or a recorded head (for `verify-audit`): a case whose
/// events were all deleted still has its head.
pub fn case_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = case_events::table
        .select(case_events::case_id)
        .distinct()
        .load(conn)?;
    ids.extend(
        case_event_heads::table
            .select(case_event_heads::case_id)
            .load::<i64>(conn)?,
    );
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The first broken link of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub case_id: i64,
    pub seq: i64,
    pub event_id: i64,
    pub reason: String,
}

/// Checks a case's chain against its recorded head: the chain itself ([`verify`]), then its
/// last event is the head (else events were deleted at the end, or the head was forged).
pub fn verify_with_head(
    case_id: i64,
    events: &[CaseEvent],
    head: Option<&(i64, String)>,
) -> Result<(), BrokenLink> {
    verify(events)?;
    let last = events.last().map(|e| (e.seq, e.hash.as_str(), e.id));
    match (head, last) {
        (None, None) => Ok(()),
        (Some((seq, hash)), Some((s, h, _))) if *seq == s && hash == h => Ok(()),
        (Some((seq, _)), Some((s, _, _))) if *seq > s => Err(BrokenLink {
            case_id,
            seq: s + 1,
            event_id: 0,
            reason: format!(
                "the last {} event(s) are missing (the chain's head is event #{seq})",
                seq - s
            ),
        }),
        (Some((seq, _)), None) => Err(BrokenLink {
            case_id,
            seq: 1,
            event_id: 0,
            reason: format!("every event is missing (the chain's head is event #{seq})"),
        }),
        (_, Some((s, _, id))) => Err(BrokenLink {
            case_id,
            seq: s,
            event_id: id,
            reason: "does not match the chain's recorded head".to_string(),
        }),
    }
}

/// Checks a case's chain: numbering without gaps, each event pointing at its predecessor's
/// hash, each hash matching the event's content.
pub fn verify(events: &[CaseEvent]) -> Result<(), BrokenLink> {
    let mut prev = GENESIS.to_string();
    for (i, e) in events.iter().enumerate() {
        let broken = |reason: &str| BrokenLink {
            case_id: e.case_id,
            seq: e.seq,
            event_id: e.id,
            reason: reason.to_string(),
        };
        if e.seq != i as i64 + 1 {
            return Err(broken("an event is missing before this one"));
        }
        if e.prev_hash != prev {
            return Err(broken("does not point at the previous event's hash"));
        }
        let expected = chain_hash(
            &e.prev_hash,
            &canonical(
                e.case_id,
                e.seq,
                e.occurred_at,
                e.actor_user_id,
                &e.kind,
                &e.payload,
            ),
        );
        if e.hash != expected {
            return Err(broken("its content no longer matches its hash"));
        }
        prev = e.hash.clone();
    }
    Ok(())
}

/// The last event of each of these cases (by its recorded head): (case id, time, kind).
pub fn last_of(
    conn: &mut DbConn,
    case_ids: &[i64],
) -> QueryResult<Vec<(i64, NaiveDateTime, String)>> {
    let heads: Vec<(i64, i64)> = case_event_heads::table
        .filter(case_event_heads::case_id.eq_any(case_ids))
        .select((case_event_heads::case_id, case_event_heads::seq))
        .load(conn)?;
    let seqs: Vec<i64> = heads.iter().map(|(_, s)| *s).collect();
    let rows: Vec<(i64, i64, NaiveDateTime, String)> = case_events::table
        .filter(case_events::case_id.eq_any(case_ids))
        .filter(case_events::seq.eq_any(&seqs))
        .select((
            case_events::case_id,
            case_events::seq,
            case_events::occurred_at,
            case_events::kind,
        ))
        .load(conn)?;
    let heads: std::collections::HashMap<i64, i64> = heads.into_iter().collect();
    Ok(rows
        .into_iter()
        .filter(|(case, seq, _, _)| heads.get(case) == Some(seq))
        .map(|(case, _, at, kind)| (case, at, kind))
        .collect())
}
