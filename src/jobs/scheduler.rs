//! The playbook scheduler: performs each due step of each case exactly once, and watches
//! promises, payment plans and formal-notice deadlines. Each case is handled in a transaction
//! of its own that first moves the case's step counter (or settles the promise or plan) with a
//! guarded update: a second run at the same moment finds the work already taken and skips it.

use chrono::NaiveDate;
use std::collections::HashMap;

use super::{JobEnv, RunSummary};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::documents::{letters, notices};
use crate::domain::arrangement::{self, Instalment, PlanProgress, PromiseStatus};
use crate::domain::money;
use crate::domain::playbook::{self, Basis, Channel, Step, StepFacts, Template};
use crate::domain::workflow::{CaseState, Outcome};
use crate::error::{AppError, AppResult};
use crate::recovery::{self, letters as produce};
use crate::store::advance_reminders as reminders;
use crate::store::arrangements as arr;
use crate::store::cases::{self as case_store, Case};
use crate::store::events;
use crate::store::recovery::{self as rec_store, CaseRecovery};
use crate::store::tasks::{self as tasks, NewTask};

/// Promises: kept once paid, broken past their date and the grace days (the playbook then
/// resumes, counting its next delay from now).
pub fn check_promises(conn: &mut DbConn, clock: &Clock, summary: &mut RunSummary) -> AppResult<()> {
    let grace = grace_days(conn)?;
    for promise in arr::open_promises(conn)? {
        let result = db::transaction(conn, |conn| {
            let now = clock.now();
            let paid = recovery::paid_since(conn, promise.case_id, promise.made_on)?;
            let status = arrangement::promise_status(
                promise.pay_by,
                money::from_cents(promise.amount_cents),
                money::from_cents(paid),
                now.date(),
                grace,
            );
            if status == PromiseStatus::Open
                || !arr::resolve_promise(conn, promise.id, status.as_str(), now)?
            {
                return Ok(None);
            }
            if status == PromiseStatus::Broken {
                if let Some(mut rec) = rec_store::case_recovery(conn, promise.case_id)? {
                    rec.anchor_at = now;
                    rec_store::save_case_recovery(conn, &rec)?;
                }
            }
            events::append(
                conn,
                promise.case_id,
                now,
                None,
                if status == PromiseStatus::Kept {
                    "promise_kept"
                } else {
                    "promise_broken"
                },
                &serde_json::json!({
                    "promise_id": promise.id,
                    "amount": money::format_cents(promise.amount_cents),
                    "pay_by": promise.pay_by.to_string(),
                    "paid_since": money::format_cents(paid),
                }),
            )?;
            Ok(Some(status))
        });
        match result {
            Ok(Some(PromiseStatus::Kept)) => summary.promises_kept += 1,
            Ok(Some(_)) => summary.promises_broken += 1,
            Ok(None) => {}
            Err(e) => summary
                .blocked
                .push(format!("promise {}: {}", promise.id, e.message)),
        }
    }
    Ok(())
}

/// Running payment plans: all paid → the case closes as paid; an instalment unpaid past its
/// date and the grace days → the plan is broken and amicable recovery resumes.
pub fn check_plans(conn: &mut DbConn, clock: &Clock, summary: &mut RunSummary) -> AppResult<()> {
    let grace = grace_days(conn)?;
    let plans = arr::active_plans(conn)?;
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let all_instalments = arr::instalments_of(conn, &ids)?;
    for plan in plans {
        let instalments: Vec<Instalment> = all_instalments
            .iter()
            .filter(|i| i.plan_id == plan.id)
            .map(|i| Instalment {
                due_on: i.due_on,
                amount: money::from_cents(i.amount_cents),
            })
            .collect();
        let result = db::transaction(conn, |conn| {
            let now = clock.now();
            let Some(case) = case_store::find(conn, plan.case_id)? else {
                return Ok(None);
            };
            let paid = recovery::paid_since_plan(conn, &plan)?;
            let progress = arrangement::plan_progress(
                &instalments,
                money::from_cents(paid),
                now.date(),
                grace,
            );
            let (status, state, outcome, kind) = match progress {
                PlanProgress::OnTrack => return Ok(None),
                PlanProgress::Completed => (
                    "completed",
                    CaseState::Closed,
                    Some(Outcome::Paid),
                    "plan_completed",
                ),
                PlanProgress::Missed { .. } => ("broken", CaseState::Amicable, None, "plan_broken"),
            };
            if case.state != CaseState::PaymentPlan.as_str()
                || !recovery::set_state(conn, &case, state, outcome, now)?
            {
                return Ok(None);
            }
            let mut plan = plan.clone();
            plan.status = status.to_string();
            plan.ended_at = Some(now);
            arr::save_plan(conn, &plan)?;
            if let Some(mut rec) = rec_store::case_recovery(conn, case.id)? {
                rec.anchor_at = now;
                rec.resume_state = None;
                rec_store::save_case_recovery(conn, &rec)?;
            }
            if state == CaseState::Closed {
                tasks::cancel_open_of_case(conn, case.id, now)?;
            }
            let missed = match progress {
                PlanProgress::Missed { position } => Some(position),
                _ => None,
            };
            events::append(
                conn,
                case.id,
                now,
                None,
                kind,
                &serde_json::json!({
                    "plan_id": plan.id,
                    "paid_since_start": money::format_cents(paid),
                    "missed_instalment": missed,
                }),
            )?;
            Ok(Some(status))
        });
        match result {
            Ok(Some("completed")) => summary.plans_completed += 1,
            Ok(Some(_)) => summary.plans_broken += 1,
            Ok(None) => {}
            Err(e) => summary
                .blocked
                .push(format!("plan {}: {}", plan.id, e.message)),
        }
    }
    Ok(())
}

/// Reminders before, not only after (issue 17): a courteous e-mail to the debtor in the
/// agency's `reminder_days_before` days up to each promised date and each instalment of a
/// running plan that the payments do not cover yet, with what is left to pay and how. Once per
/// promise or instalment (`store::advance_reminders`, looked for under the case's row lock);
/// none while the case is disputed or closed, nor for a debtor without an e-mail address (a
/// courtesy, not a letter). Not counted against the rules of contact's weekly limit: it is
/// about a date the debtor agreed to, one message per date.
pub fn remind_ahead(conn: &mut DbConn, clock: &Clock, summary: &mut RunSummary) -> AppResult<()> {
    let days = u32::try_from(rec_store::settings(conn)?.reminder_days_before).unwrap_or(0);
    if days == 0 {
        return Ok(());
    }
    let today = clock.today();
    let mut due: Vec<Ahead> = Vec::new();
    for promise in arr::open_promises(conn)? {
        if !arrangement::in_reminder_window(promise.pay_by, today, days) {
            continue;
        }
        let paid = recovery::paid_since(conn, promise.case_id, promise.made_on)?;
        let left = arrangement::promise_left(
            money::from_cents(promise.amount_cents),
            money::from_cents(paid),
        );
        if left > rust_decimal::Decimal::ZERO {
            due.push(Ahead {
                case_id: promise.case_id,
                subject_id: promise.id,
                about: notices::Upcoming::Promise,
                due_on: promise.pay_by,
                left,
            });
        }
    }
    let plans = arr::active_plans(conn)?;
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let all_instalments = arr::instalments_of(conn, &ids)?;
    for plan in plans {
        let rows: Vec<&arr::PlanInstalment> = all_instalments
            .iter()
            .filter(|i| i.plan_id == plan.id)
            .collect();
        if !rows
            .iter()
            .any(|i| arrangement::in_reminder_window(i.due_on, today, days))
        {
            continue;
        }
        let instalments: Vec<Instalment> = rows
            .iter()
            .map(|i| Instalment {
                due_on: i.due_on,
                amount: money::from_cents(i.amount_cents),
            })
            .collect();
        let paid = recovery::paid_since_plan(conn, &plan)?;
        for (position, inst, left) in
            arrangement::instalments_to_remind(&instalments, money::from_cents(paid), today, days)
        {
            due.push(Ahead {
                case_id: plan.case_id,
                subject_id: rows[position - 1].id,
                about: notices::Upcoming::Instalment {
                    position,
                    of: rows.len(),
                },
                due_on: inst.due_on,
                left,
            });
        }
    }
    for ahead in due {
        match db::transaction(conn, |conn| remind(conn, clock, &ahead)) {
            Ok(true) => summary.reminders_ahead += 1,
            Ok(false) => {}
            Err(e) => summary.blocked.push(format!(
                "reminder before {} {}: {}",
                ahead.subject(),
                ahead.subject_id,
                e.message
            )),
        }
    }
    Ok(())
}

/// A promise or an instalment to remind the debtor of.
struct Ahead {
    case_id: i64,
    /// The promise's id, or the instalment's.
    subject_id: i64,
    about: notices::Upcoming,
    due_on: NaiveDate,
    left: rust_decimal::Decimal,
}

impl Ahead {
    /// `promise` or `instalment`, as `advance_reminders.subject` keeps it.
    fn subject(&self) -> &'static str {
        match self.about {
            notices::Upcoming::Promise => "promise",
            notices::Upcoming::Instalment { .. } => "instalment",
        }
    }
}

/// Queues one reminder, in the caller's transaction; false when there is nothing to send.
fn remind(conn: &mut DbConn, clock: &Clock, a: &Ahead) -> AppResult<bool> {
    let now = clock.now();
    case_store::lock(conn, a.case_id)?;
    if reminders::exists(conn, a.subject(), a.subject_id)? {
        return Ok(false);
    }
    let Some(case) = case_store::find(conn, a.case_id)? else {
        return Ok(false);
    };
    let state = CaseState::parse(&case.state).map_err(|_| AppError::internal("case state"))?;
    if state.is_final() || state == CaseState::Disputed {
        return Ok(false);
    }
    let p = produce::parties(conn, &case)?;
    let Some(email) = p.debtor_row.email.clone() else {
        return Ok(false);
    };
    let mail = notices::upcoming_email(&notices::UpcomingNote {
        about: a.about,
        case_reference: case.reference.clone(),
        creditor: p.creditor.name.clone(),
        amount: letters::format_euros(a.left),
        due_on: letters::format_date(a.due_on),
        payee: recovery::notify::payee(conn, now, case.id, &p)?,
    })
    .map_err(letters::LetterError::into_app)?;
    let message = recovery::notify::queue_email(
        conn,
        now,
        Some(case.id),
        "reminder_ahead",
        &email,
        &mail,
        None,
    )?;
    let amount_cents =
        money::to_cents(a.left).map_err(|_| AppError::internal("reminder amount out of range"))?;
    reminders::insert(
        conn,
        &reminders::NewReminder {
            case_id: case.id,
            subject: a.subject(),
            subject_id: a.subject_id,
            due_on: a.due_on,
            amount_cents,
            outbox_id: Some(message.id),
            created_at: now,
        },
    )?;
    events::append(
        conn,
        case.id,
        now,
        None,
        "debtor_reminded_ahead",
        &serde_json::json!({
            "subject": a.subject(),
            "subject_id": a.subject_id,
            "due_on": a.due_on.to_string(),
            "amount": money::format_cents(amount_cents),
            "outbox_id": message.id,
        }),
    )?;
    Ok(true)
}

/// Formal notices whose deadline passed with the case still open: an agent decides on legal
/// action (a task in the queue, once).
pub fn check_formal_notices(
    conn: &mut DbConn,
    clock: &Clock,
    summary: &mut RunSummary,
) -> AppResult<()> {
    let today = clock.today();
    for (case, rec) in rec_store::amicable_cases(conn, &[CaseState::FormalNotice.as_str()])? {
        let Some(deadline) = rec.formal_notice_deadline else {
            continue;
        };
        if rec.formal_notice_expired || today <= deadline {
            continue;
        }
        let result = db::transaction(conn, |conn| {
            let now = clock.now();
            let Some(mut rec) = rec_store::case_recovery(conn, case.id)? else {
                return Ok(false);
            };
            if rec.formal_notice_expired
                || !case_store::lock_if_version(conn, case.id, case.version)?
            {
                return Ok(false);
            }
            rec.formal_notice_expired = true;
            rec_store::save_case_recovery(conn, &rec)?;
            tasks::insert(
                conn,
                &NewTask {
                    case_id: case.id,
                    kind: "formal_notice_expired",
                    title: &format!(
                        "Mise en demeure expirée le {} sans paiement : décider de l'action en justice",
                        deadline.format("%d/%m/%Y")
                    ),
                    due_on: today,
                    status: "open",
                    outbox_id: None,
                    created_at: now,
                },
            )?;
            events::append(
                conn,
                case.id,
                now,
                None,
                "formal_notice_expired",
                &serde_json::json!({ "deadline": deadline.to_string() }),
            )?;
            Ok(true)
        });
        match result {
            Ok(true) => summary.notices_expired += 1,
            Ok(false) => {}
            Err(e) => summary
                .blocked
                .push(format!("{}: {}", case.reference, e.message)),
        }
    }
    Ok(())
}

/// What performs one case's due step (`run_step`; a test passes its own to see how a
/// failing step is handled).
pub type StepRunner =
    dyn Fn(&mut DbConn, &Clock, &JobEnv, &Case, &CaseRecovery, &mut RunSummary) -> AppResult<()>;

/// Performs the due step of every case in amicable recovery whose playbook is not paused.
pub fn run_steps(
    conn: &mut DbConn,
    clock: &Clock,
    env: &JobEnv,
    summary: &mut RunSummary,
) -> AppResult<()> {
    run_steps_with(conn, clock, env, summary, &run_step)
}

/// [`run_steps`] with the step performed by `step`. A step that fails — with an error, or a
/// panic (a bug) — blocks its own case only: its transaction is rolled back, the case gets
/// one `step_blocked` task with the reason, and the other cases go on. Uncaught, a panic
/// would end the background thread, and scheduling with it, for the life of the process;
/// caught here, it is logged with the case and counted (`recouvra_scheduler_panics_total`).
pub fn run_steps_with(
    conn: &mut DbConn,
    clock: &Clock,
    env: &JobEnv,
    summary: &mut RunSummary,
    step: &StepRunner,
) -> AppResult<()> {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    for (case, rec) in due_steps(conn, clock.today())? {
        // Steps follow one another: a case that is late by several steps catches up one step
        // per run, each counting its delay from the previous one. `db::transaction` rolls back
        // before a panic leaves it, so the connection is clean when it is caught here.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            db::transaction(conn, |conn| step(conn, clock, env, &case, &rec, summary))
        }));
        let reason = match outcome {
            Ok(Ok(())) => continue,
            // Missing rates block every formal notice at once: the admins get one warning
            // (home, banner, queue, log, metric) rather than one task per case, and the step
            // runs on the first run after the rates are entered.
            Ok(Err(e)) if e.field.as_deref() == Some("interestIncomplete") => {
                summary
                    .blocked
                    .push(format!("{}: {}", case.reference, e.message));
                continue;
            }
            Ok(Err(e)) => e.message,
            Err(payload) => {
                let what = panic_text(payload.as_ref());
                env.scheduler_panics
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::error!(
                    case_id = case.id,
                    reference = %case.reference,
                    panic = %what,
                    "the scheduler panicked on a case: its step is blocked, the run goes on"
                );
                "internal error (the step failed unexpectedly; see the server log)".to_string()
            }
        };
        if diesel::r2d2::R2D2Connection::is_broken(conn) {
            // Not expected (the transaction rolls back on panic), but never go on with a
            // connection inside a transaction: end the run, the pool discards it.
            return Err(AppError::internal("the scheduler's connection is broken"));
        }
        if let Err(e2) = db::transaction(conn, |conn| block_task(conn, clock, case.id, &reason)) {
            tracing::error!(error = %e2.message, "cannot record a blocked step");
        }
        summary
            .blocked
            .push(format!("{}: {}", case.reference, reason));
    }
    Ok(())
}

/// The message of a panic (`panic!("…")` gives a `&str` or a `String`).
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// The scheduler's scan: the cases in amicable recovery whose next playbook step falls due by
/// `today`, by case id, with their progress. It reads narrow rows (no transaction, no lock)
/// and decides with the same rule as `run_step` (`playbook::due_on`), which checks again —
/// with the pauses and the guards — inside each case's transaction. A case whose playbook
/// has a step that does not parse is kept, so that `run_step` reports it.
pub fn due_steps(conn: &mut DbConn, today: NaiveDate) -> AppResult<Vec<(Case, CaseRecovery)>> {
    let default = rec_store::default_playbook(conn)?.map(|p| p.id);
    let by_creditor: HashMap<i64, i64> = rec_store::creditor_playbooks(conn)?.into_iter().collect();
    let books: Vec<i64> = rec_store::playbooks(conn)?.iter().map(|p| p.id).collect();
    let mut steps: HashMap<i64, Option<Vec<Step>>> = HashMap::new();
    for row in rec_store::steps_of(conn, &books)? {
        let entry = steps
            .entry(row.playbook_id)
            .or_insert_with(|| Some(Vec::new()));
        match (recovery::playbooks::step_of(&row), entry.as_mut()) {
            (Ok(step), Some(list)) => list.push(step),
            _ => *entry = None,
        }
    }
    // Only cases that can still have a step to run are read (index `case_recovery_next_step`);
    // with a step that does not parse, every case is read, so that `run_step` reports it.
    let max_step = if steps.values().any(Option::is_none) {
        i32::MAX
    } else {
        steps
            .values()
            .flatten()
            .flat_map(|list| list.iter().map(|s| s.position))
            .max()
            .unwrap_or(0)
    };
    let progress = rec_store::progress_in_state(conn, CaseState::Amicable.as_str(), max_step)?;
    let mut due: Vec<i64> = Vec::new();
    let mut by_due_date: Vec<(i64, &Step, NaiveDate, NaiveDate)> = Vec::new();
    for p in &progress {
        let Some(book) = p
            .playbook_id
            .or_else(|| by_creditor.get(&p.creditor_org_id).copied())
            .or(default)
        else {
            continue; // no playbook: nothing to do
        };
        let list = match steps.get(&book) {
            None => continue, // a playbook without steps
            Some(None) => {
                due.push(p.case_id);
                continue;
            }
            Some(Some(list)) => list,
        };
        let Some(step) = list.iter().find(|s| s.position == p.next_step) else {
            continue; // the playbook is over
        };
        let accepted_on = p.accepted_at.map(|t| t.date()).unwrap_or(today);
        if step.basis == Basis::DueDate {
            by_due_date.push((p.case_id, step, accepted_on, p.anchor_at.date()));
            continue;
        }
        let facts = StepFacts {
            accepted_on,
            earliest_due: today,
            anchor_on: p.anchor_at.date(),
        };
        if playbook::due_on(step, &facts).is_some_and(|d| d <= today) {
            due.push(p.case_id);
        }
    }
    if !by_due_date.is_empty() {
        let ids: Vec<i64> = by_due_date.iter().map(|(id, ..)| *id).collect();
        let earliest: HashMap<i64, NaiveDate> = case_store::earliest_due_dates(conn, &ids)?
            .into_iter()
            .collect();
        for (id, step, accepted_on, anchor_on) in by_due_date {
            let facts = StepFacts {
                accepted_on,
                earliest_due: earliest.get(&id).copied().unwrap_or(today),
                anchor_on,
            };
            if playbook::due_on(step, &facts).is_some_and(|d| d <= today) {
                due.push(id);
            }
        }
    }
    due.sort_unstable();
    Ok(rec_store::with_progress(conn, &due)?)
}

/// Performs one case's due step, if it is still due and nobody took it (inside the case's
/// transaction).
pub fn run_step(
    conn: &mut DbConn,
    clock: &Clock,
    env: &JobEnv,
    case: &Case,
    rec: &CaseRecovery,
    summary: &mut RunSummary,
) -> AppResult<()> {
    let now = clock.now();
    let today = now.date();
    let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
    let open_promise = arr::promises_of(conn, case.id)?
        .iter()
        .any(|p| p.status == PromiseStatus::Open.as_str());
    if playbook::paused_by(state, open_promise).is_some() {
        return Ok(());
    }
    // C. com. L622-21, C. conso. L722-2: no reminder while an incident of the debtor's life
    // is in force; the step waits, and runs once the agency resumes recovery.
    if crate::cases::incidents::is_frozen(conn, case.id, today)? {
        return Ok(());
    }
    let steps = recovery::playbooks::steps_for(conn, case, rec)?;
    let Some(step) = steps.iter().find(|s| s.position == rec.next_step) else {
        return Ok(()); // the playbook is over (or empty)
    };
    let invoices = case_store::invoices_of(conn, &[case.id])?;
    let facts = StepFacts {
        accepted_on: case.accepted_at.map(|t| t.date()).unwrap_or(today),
        earliest_due: invoices.iter().map(|i| i.due_date).min().unwrap_or(today),
        anchor_on: rec.anchor_at.date(),
    };
    if playbook::due_on(step, &facts).is_none_or(|d| d > today) {
        return Ok(());
    }
    let rules = rec_store::settings(conn)?.contact_rules();
    if step.channel.is_message() {
        // Rules of contact: never a demand for a prescribed claim (the step is blocked with
        // the report's reason), and at most the agency's weekly number of a channel to one
        // debtor over a rolling week (the step waits).
        crate::legal::eligibility::require_not_prescribed(conn, case, today)?;
        let debtor = case_store::find_debtors(conn, &[case.debtor_id])?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::internal("case without debtor"))?;
        let same =
            crate::store::incidents::cases_of_same_debtor(conn, case.id, debtor.siren.as_deref())?;
        let week_ago = now - chrono::Duration::days(7);
        if crate::store::outbox::count_since(conn, &same, step.channel.as_str(), week_ago)?
            >= i64::from(rules.max_messages_per_week)
        {
            return Ok(());
        }
    }
    // The guards: nobody acted on the case since we read it, no other instance holds it now
    // (skipped, not waited for: it is retried next run), and no other run took the step.
    if !crate::store::claims::take_case(conn, case.id, case.version)?
        || !rec_store::advance_step(conn, case.id, rec.next_step, now)?
    {
        return Ok(());
    }
    let mut rec = rec_store::case_recovery(conn, case.id)?
        .ok_or_else(|| AppError::internal("case without recovery row"))?;
    let mut payload = match step.channel {
        Channel::PhoneTask | Channel::ReviewTask => {
            let (kind, title) = if step.channel == Channel::PhoneTask {
                (
                    "call",
                    rules.call_title("Appeler le débiteur (étape du scénario)"),
                )
            } else {
                (
                    "review",
                    "Revoir le dossier (étape du scénario)".to_string(),
                )
            };
            let task = tasks::insert(
                conn,
                &NewTask {
                    case_id: case.id,
                    kind,
                    title: &title,
                    // Rules of contact: a call is never due on a Sunday or a public holiday.
                    due_on: if step.channel == Channel::PhoneTask {
                        rules
                            .call_day(today)
                            .map_err(|_| AppError::internal("date out of range"))?
                    } else {
                        today
                    },
                    status: "open",
                    outbox_id: None,
                    created_at: now,
                },
            )?;
            summary.tasks_created += 1;
            serde_json::json!({ "task_id": task.id })
        }
        Channel::Email | Channel::Letter | Channel::RegisteredLetter => {
            let kind = if step.template == Template::FormalNotice {
                letters::LetterKind::FormalNotice
            } else {
                letters::LetterKind::Reminder
            };
            let registered = step.channel == Channel::RegisteredLetter;
            let produced = produce::produce(
                conn,
                env.blobs.as_ref(),
                now,
                case,
                &mut rec,
                kind,
                registered,
                None,
            )?;
            let message = recovery::queue::queue_letter(
                conn,
                now,
                case,
                step.channel,
                step.template,
                &produced,
            )?;
            summary.messages_queued += 1;
            serde_json::json!({
                "document_id": produced.document.id,
                "reference": produced.document.reference,
                "outbox_id": message.0,
                "channel": message.1,
            })
        }
    };
    rec_store::save_case_recovery(conn, &rec)?;
    payload["step"] = serde_json::json!(step.position);
    payload["template"] = serde_json::json!(step.template.as_str());
    events::append(conn, case.id, now, None, "playbook_step", &payload)?;
    // The step ran: whatever blocked it before is gone, and so is its task.
    tasks::close_open_of_kind(
        conn,
        case.id,
        "step_blocked",
        "l'étape a pu s'exécuter",
        now,
    )?;
    summary.steps_run += 1;
    Ok(())
}

/// A step that could not run (missing settings, a half-year without rates…) becomes one open
/// task for the agents, with the reason, instead of failing silently at every run.
fn block_task(conn: &mut DbConn, clock: &Clock, case_id: i64, why: &str) -> AppResult<()> {
    if tasks::has_open(conn, case_id, "step_blocked")? {
        return Ok(());
    }
    let now = clock.now();
    tasks::insert(
        conn,
        &NewTask {
            case_id,
            kind: "step_blocked",
            // The use cases' messages are English (the API's): the queue is French.
            title: &format!("Étape de relance bloquée : {}", crate::i18n::french(why)),
            due_on: now.date(),
            status: "open",
            outbox_id: None,
            created_at: now,
        },
    )?;
    Ok(())
}

fn grace_days(conn: &mut DbConn) -> AppResult<u32> {
    Ok(u32::try_from(rec_store::settings(conn)?.grace_days).unwrap_or(0))
}
