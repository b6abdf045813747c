//! Delivering the outbox's e-mails. A message is claimed in a committed transaction before it
//! is handed to the mailer, and its result recorded in another: a crash between the two leaves
//! a claim that is never retried blindly (it turns `uncertain` for an agent to check), so no
//! message goes out twice. Failures are retried with backoff; a message that keeps failing is
//! marked `failed` and put in the agents' queue, never dropped.

use chrono::{Duration, NaiveDateTime};

use super::mail::{self, Attachment, OutgoingMessage};
use super::{presence, JobEnv, RunSummary};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::store::outbox::{self as outbox, OutboxMessage};
use crate::store::tasks::{self, NewTask};
use crate::store::{claims, documents, events, recovery};

/// How long a claim may stay without a result before it is considered abandoned.
pub const CLAIM_TIMEOUT_MINUTES: i64 = 10;
/// Most e-mails sent in one run.
const BATCH: i64 = 200;

pub fn deliver(
    conn: &mut DbConn,
    clock: &Clock,
    env: &JobEnv,
    summary: &mut RunSummary,
) -> AppResult<()> {
    let stale_before = clock.now() - Duration::minutes(CLAIM_TIMEOUT_MINUTES);
    let stale = db::transaction(conn, |conn| {
        let stale = outbox::expire_stale_claims(conn, stale_before)?;
        for m in &stale {
            attention_task(
                conn,
                clock.now(),
                m,
                "Envoi incertain (interrompu) : vérifier avant de renvoyer",
            )?;
        }
        Ok(stale)
    })?;
    summary.emails_uncertain += stale.len() as u32;
    // Claims of an instance that died (its presence lock or file tells, see `presence`) need not wait for the
    // ten minutes: no result can come any more.
    let orphaned = db::transaction(conn, |conn| {
        let mut flagged = 0u32;
        for worker in outbox::claimers(conn)? {
            if worker == env.worker || presence::is_alive(conn, &env.data_dir, &worker)? {
                continue;
            }
            for m in outbox::expire_claims_of(conn, &worker)? {
                attention_task(
                    conn,
                    clock.now(),
                    &m,
                    "Envoi incertain (instance arrêtée) : vérifier avant de renvoyer",
                )?;
                flagged += 1;
            }
        }
        Ok(flagged)
    })?;
    summary.emails_uncertain += orphaned;
    let from = recovery::settings(conn)?.mail_from;
    for _ in 0..BATCH {
        // Claimed and committed before the mailer is called; another instance's claims are
        // skipped, so each instance takes the next message nobody holds.
        let claimed = db::transaction(conn, |conn| {
            match claims::claim_next_email(conn, &env.worker, clock.now())? {
                Some(id) => Ok(outbox::find(conn, id)?),
                None => Ok(None),
            }
        })?;
        let Some(message) = claimed else {
            break; // nothing due is left unclaimed
        };
        let outcome = build(conn, env, &from, &message)
            .and_then(|m| env.mailer.send(&m).map_err(|e| (e.permanent, e.message)));
        let now = clock.now();
        db::transaction(conn, |conn| {
            record(conn, env, now, &message, outcome, summary)
        })?;
    }
    Ok(())
}

fn build(
    conn: &mut DbConn,
    env: &JobEnv,
    from: &str,
    m: &OutboxMessage,
) -> Result<OutgoingMessage, (bool, String)> {
    let mut attachments = Vec::new();
    if let Some(doc_id) = m.document_id {
        let doc = documents::find(conn, doc_id)
            .map_err(|e| (false, format!("database: {e}")))?
            .ok_or((true, "the attached document is missing".to_string()))?;
        let bytes = env
            .blobs
            .get(&doc.sha256)
            .map_err(|e| (true, crate::evidence::blob_error(e).message))?;
        attachments.push(Attachment {
            filename: doc.filename.clone(),
            content_type: "application/pdf".into(),
            bytes,
        });
    }
    Ok(OutgoingMessage {
        message_id: format!("outbox-{}@recouvra", m.id),
        from: from.to_string(),
        to: m.recipient.clone(),
        subject: m.subject.clone(),
        body: m.body.clone(),
        attachments,
    })
}

fn record(
    conn: &mut DbConn,
    env: &JobEnv,
    now: NaiveDateTime,
    m: &OutboxMessage,
    outcome: Result<mail::Delivery, (bool, String)>,
    summary: &mut RunSummary,
) -> AppResult<()> {
    let attempts = u32::try_from(m.attempts + 1).unwrap_or(u32::MAX);
    match outcome {
        Ok(_) => {
            if outbox::finish(conn, m.id, &env.worker, "sent", None, now, now)? {
                summary.emails_sent += 1;
                if let Some(case_id) = m.case_id {
                    events::append(
                        conn,
                        case_id,
                        now,
                        None,
                        "message_sent",
                        &serde_json::json!({ "outbox_id": m.id, "to": m.recipient, "subject": m.subject }),
                    )?;
                }
            }
        }
        Err((permanent, error)) if permanent || attempts >= mail::MAX_ATTEMPTS => {
            if outbox::finish(conn, m.id, &env.worker, "failed", Some(&error), now, now)? {
                summary.emails_failed += 1;
                attention_task(conn, now, m, &format!("Envoi en échec : {error}"))?;
            }
        }
        Err((_, error)) => {
            let next = now + mail::backoff(attempts);
            if outbox::finish(conn, m.id, &env.worker, "pending", Some(&error), next, now)? {
                summary.emails_retrying += 1;
            }
        }
    }
    Ok(())
}

/// A message an agent must look at becomes a task of its case (messages without a case, e.g.
/// to a creditor about several cases, are listed by `outboxAttention`).
fn attention_task(
    conn: &mut DbConn,
    now: NaiveDateTime,
    m: &OutboxMessage,
    title: &str,
) -> AppResult<()> {
    if let Some(case_id) = m.case_id {
        tasks::insert(
            conn,
            &NewTask {
                case_id,
                kind: "message_failed",
                title,
                due_on: now.date(),
                status: "open",
                outbox_id: Some(m.id),
                created_at: now,
            },
        )?;
    }
    Ok(())
}
