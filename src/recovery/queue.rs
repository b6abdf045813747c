//! The agents' work queue and the outbox as agents see it: open tasks and the cases needing
//! action, ordered by the priority score of `domain::priority`; completing tasks; deciding on
//! messages that failed or whose sending was interrupted; letters waiting to be posted.

use chrono::NaiveDateTime;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::documents::letters;
use crate::domain::money;
use crate::domain::playbook::{Channel, Template};
use crate::domain::priority::{self, PriorityFacts};
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as case_store, Case, Debtor};
use crate::store::outbox::{self, NewMessage, OutboxMessage};
use crate::store::tasks::{self, NewTask, Task};
use crate::store::{arrangements, events, recovery as rec_store};
use crate::validate;

/// Puts a produced letter in the outbox: by e-mail when the step says so and the debtor has an
/// address, otherwise on paper, waiting for an agent to post it (a task).
pub(crate) fn queue_letter(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case: &Case,
    channel: Channel,
    template: Template,
    produced: &super::letters::Produced,
) -> AppResult<(i64, &'static str)> {
    let by_email = channel == Channel::Email && produced.debtor_email.is_some();
    let email_kind = if template == Template::CourteousReminder {
        letters::EmailKind::CourteousReminder
    } else {
        letters::EmailKind::FirmReminder
    };
    let mail =
        letters::email(email_kind, &produced.context).map_err(letters::LetterError::into_app)?;
    let (channel_text, recipient) = match (by_email, channel) {
        (true, _) => ("email", produced.debtor_email.clone().unwrap_or_default()),
        (false, Channel::RegisteredLetter) => {
            ("registered_letter", produced.context.debtor.name.clone())
        }
        (false, _) => ("letter", produced.context.debtor.name.clone()),
    };
    let message = enqueue(
        conn,
        now,
        case.id,
        &Outgoing {
            channel: channel_text,
            kind: template.as_str(),
            recipient: &recipient,
            subject: &mail.subject,
            body: &mail.body,
            document_id: produced.document.id,
            what: "le courrier",
            reference: &produced.document.reference,
        },
    )?;
    Ok((message.id, channel_text))
}

/// A message about to enter the outbox with its PDF.
pub(crate) struct Outgoing<'a> {
    /// email, letter or registered_letter.
    pub channel: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub document_id: i64,
    /// What the posting task calls the document ("le courrier", "la quittance").
    pub what: &'a str,
    pub reference: &'a str,
}

/// Inserts the message: an e-mail waits for the sender; paper waits, with a task, for an agent
/// to post it (and, for a registered letter, to enter its tracking number).
pub(crate) fn enqueue(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case_id: i64,
    m: &Outgoing,
) -> AppResult<OutboxMessage> {
    let paper = m.channel != "email";
    let message = outbox::insert(
        conn,
        &NewMessage {
            case_id: Some(case_id),
            channel: m.channel,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            document_id: Some(m.document_id),
            status: if paper { "to_post" } else { "pending" },
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )?;
    if paper {
        let title = if m.channel == "registered_letter" {
            format!(
                "Poster en recommandé avec AR {} {} et saisir le numéro de suivi",
                m.what, m.reference
            )
        } else {
            format!("Poster {} {}", m.what, m.reference)
        };
        tasks::insert(
            conn,
            &NewTask {
                case_id,
                kind: "post_letter",
                title: &title,
                due_on: now.date(),
                status: "open",
                outbox_id: Some(message.id),
                created_at: now,
            },
        )?;
    }
    Ok(message)
}

/// One line of the queue: a case, its open tasks and its score.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub case: Case,
    pub debtor: Debtor,
    pub tasks: Vec<Task>,
    pub score: i64,
    /// The score's parts (the queue explains the score with them).
    pub parts: priority::Parts,
    /// Principal still unpaid (the score's amount; interest left out so that a missing rate
    /// never hides a case from the queue).
    pub outstanding_cents: i64,
    pub days_late: i64,
}

/// The queue of an agent (or admin): cases waiting for intake, and open cases of the agency
/// with open tasks, that are assigned to them or to nobody; highest score first.
pub fn my_queue(conn: &mut DbConn, clock: &Clock, actor: &Actor) -> AppResult<Vec<QueueItem>> {
    actor.require_staff()?;
    let today = clock.today();
    let open_tasks = tasks::open(conn)?;
    let mut ids: Vec<i64> = open_tasks.iter().map(|t| t.case_id).collect();
    let submitted = case_store::list(
        conn,
        crate::auth::policy::Visibility::All,
        &case_store::CaseFilter {
            states: vec![CaseState::Submitted.as_str().into()],
            ..Default::default()
        },
        None,
        500,
        case_store::Count::No,
    )?;
    ids.extend(submitted.items.iter().map(|(c, _)| c.id));
    ids.sort_unstable();
    ids.dedup();
    let cases = case_store::find_many(conn, &ids)?;
    let debtor_ids: Vec<i64> = cases.iter().map(|c| c.debtor_id).collect();
    let debtors = case_store::find_debtors(conn, &debtor_ids)?;
    let invoices = case_store::invoices_of(conn, &ids)?;
    let mut items = Vec::new();
    for case in cases {
        if case.assigned_agent_id.is_some_and(|a| a != actor.user_id) {
            continue;
        }
        let Some(debtor) = debtors.iter().find(|d| d.id == case.debtor_id).cloned() else {
            continue;
        };
        let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
        let own: Vec<&case_store::Invoice> =
            invoices.iter().filter(|i| i.case_id == case.id).collect();
        let paid = super::paid_total(conn, case.id)?;
        let open = money::sum_cents(
            own.iter()
                .map(|i| i.amount_cents.saturating_sub(i.paid_cents)),
        )
        .map_err(AppError::internal)?;
        let outstanding = money::sub_cents(open, paid).map_err(AppError::internal)?;
        let days_late = own
            .iter()
            .map(|i| i.due_date)
            .min()
            .map(|d| (today - d).num_days())
            .unwrap_or(0);
        let broken = arrangements::promises_of(conn, case.id)?
            .iter()
            .filter(|p| p.status == "broken")
            .count() as u32;
        let expired =
            rec_store::case_recovery(conn, case.id)?.is_some_and(|r| r.formal_notice_expired);
        let parts = priority::parts(&PriorityFacts {
            outstanding: money::from_cents(outstanding.max(0)),
            days_late,
            broken_promises: broken,
            state,
            formal_notice_expired: expired,
        });
        let tasks = open_tasks
            .iter()
            .filter(|t| t.case_id == case.id)
            .cloned()
            .collect();
        items.push(QueueItem {
            case,
            debtor,
            tasks,
            score: parts.total(),
            parts,
            outstanding_cents: outstanding.max(0),
            days_late,
        });
    }
    items.sort_by(|a, b| b.score.cmp(&a.score).then(a.case.id.cmp(&b.case.id)));
    Ok(items)
}

/// The tasks of a case the actor may see.
pub fn tasks_of(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<Task>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    // The agency's internal work list: its staff and the case's lawyer, not the creditor.
    if actor.role == crate::domain::parties::Role::Creditor {
        return Err(AppError::forbidden());
    }
    Ok(tasks::of_case(conn, case.id)?)
}

/// An agent marks a task done, with an optional note.
pub fn complete_task(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    task_id: i64,
    note: Option<&str>,
) -> AppResult<Task> {
    actor.require_staff()?;
    let note = validate::optional("note", note, 2000)?;
    db::transaction(conn, |conn| {
        let task = tasks::find(conn, task_id)?.ok_or_else(|| AppError::not_found("task"))?;
        let now = clock.now();
        if !tasks::close(
            conn,
            task.id,
            "done",
            Some(actor.user_id),
            note.as_deref(),
            now,
        )? {
            return Err(AppError::invalid_transition("the task is already closed"));
        }
        events::append(
            conn,
            task.case_id,
            now,
            Some(actor.user_id),
            "task_done",
            &serde_json::json!({ "task_id": task.id, "kind": task.kind, "note": note }),
        )?;
        tasks::find(conn, task.id)?.ok_or_else(|| AppError::not_found("task"))
    })
}

/// The outbox messages of a case (what was sent, when, and how).
pub fn messages_of(
    conn: &mut DbConn,
    actor: &Actor,
    case_id: i64,
) -> AppResult<Vec<OutboxMessage>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    Ok(outbox::of_case(conn, case.id)?)
}

/// What an agent decides about a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageDecision {
    /// Send a failed or uncertain e-mail again.
    Retry,
    /// Give it up.
    Cancel,
    /// A paper letter was posted (with a tracking number for a registered one).
    Posted,
}

pub fn decide_message(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    id: i64,
    decision: MessageDecision,
    tracking: Option<&str>,
) -> AppResult<OutboxMessage> {
    actor.require_staff()?;
    let tracking = validate::optional("trackingNumber", tracking, 40)?;
    db::transaction(conn, |conn| {
        let m = outbox::find(conn, id)?.ok_or_else(|| AppError::not_found("message"))?;
        let now = clock.now();
        if m.kind == Template::FormalNotice.as_str() && decision == MessageDecision::Posted {
            return Err(AppError::invalid_transition(
                "record the formal notice's posting on its case (postFormalNotice)",
            ));
        }
        let (from, to): (&[&str], &str) = match decision {
            MessageDecision::Retry => (&["failed", "uncertain"], "pending"),
            MessageDecision::Cancel => {
                (&["failed", "uncertain", "pending", "to_post"], "cancelled")
            }
            MessageDecision::Posted => (&["to_post"], "posted"),
        };
        if !outbox::set_status(conn, m.id, from, to, tracking.as_deref(), now)? {
            return Err(AppError::invalid_transition(format!(
                "the message is {}: it cannot become {to}",
                m.status
            )));
        }
        if let Some(case_id) = m.case_id {
            for t in tasks::of_case(conn, case_id)? {
                if t.outbox_id == Some(m.id) && t.status == "open" {
                    tasks::close(conn, t.id, "done", Some(actor.user_id), None, now)?;
                }
            }
            events::append(
                conn,
                case_id,
                now,
                Some(actor.user_id),
                "message_decided",
                &serde_json::json!({ "outbox_id": m.id, "status": to, "tracking_number": tracking }),
            )?;
        }
        outbox::find(conn, m.id)?.ok_or_else(|| AppError::not_found("message"))
    })
}

/// Messages needing an agent: failed, uncertain, letters to post.
pub fn attention(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<OutboxMessage>> {
    actor.require_staff()?;
    Ok(outbox::needing_attention(conn)?)
}
