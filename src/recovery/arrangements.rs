//! The agent's dealings with the debtor: calls, promises to pay, disputes (with the creditor's
//! answer) and payment plans (with the creditor's approval, unless within the mandate's
//! limits). Each is one transaction through `cases::actions::act`: visibility, role, state and
//! version are checked there, and one event is appended.

use chrono::{Days, NaiveDate};

use crate::auth::Actor;
use crate::cases::actions::{act_creating, no_change};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::documents::notices::CreditorNoticeKind;
use crate::domain::arrangement::{self, Instalment, PlanStatus, PromiseStatus};
use crate::domain::money;
use crate::domain::parties::text_enum;
use crate::domain::workflow::{Action, CaseState, Outcome};
use crate::error::{AppError, AppResult};
use crate::store::arrangements::{self as store, Call, Dispute, Plan, Promise};
use crate::store::cases::Case;
use crate::store::recovery as rec_store;
use crate::store::tasks;
use crate::validate;

text_enum!(
    /// How a call with the debtor went.
    CallOutcome {
        Reached => "reached",
        NoAnswer => "no_answer",
        WrongNumber => "wrong_number",
        Promise => "promise",
        Dispute => "dispute",
        Refusal => "refusal",
    }
);

text_enum!(
    /// What the debtor disputes.
    DisputeReason {
        Quality => "quality",
        Delivery => "delivery",
        Price => "price",
        AlreadyPaid => "already_paid",
        Other => "other",
    }
);

/// Longest a promise to pay may run *(convention: beyond that, propose a payment plan)*.
pub const PROMISE_MAX_DAYS: u64 = 90;

/// Logs a call; it completes the case's open call tasks.
pub fn log_call(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    outcome: CallOutcome,
    notes: &str,
    expected_version: Option<i32>,
) -> AppResult<(Call, Case)> {
    let notes = validate::optional("notes", Some(notes), 4000)?.unwrap_or_default();
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::LogCall,
        |case, _, conn| {
            let now = clock.now();
            let call = store::insert_call(
                conn,
                &Call {
                    id: 0,
                    case_id: case.id,
                    outcome: outcome.as_str().into(),
                    notes: notes.clone(),
                    called_at: now,
                    agent_id: actor.user_id,
                },
            )?;
            for t in tasks::of_case(conn, case.id)? {
                if t.kind == "call" && t.status == "open" {
                    tasks::close(
                        conn,
                        t.id,
                        "done",
                        Some(actor.user_id),
                        Some("appel passé"),
                        now,
                    )?;
                }
            }
            let payload = serde_json::json!({ "call_id": call.id, "outcome": outcome.as_str(), "notes": notes });
            Ok((call, no_change(), "call_logged", payload))
        },
    )
}

/// Records the debtor's promise to pay `amount` by `pay_by`: the playbook pauses until it is
/// kept or broken. The creditor is told (R124-5: a proposal other than immediate payment).
pub fn record_promise(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    pay_by: NaiveDate,
    amount: &str,
    expected_version: Option<i32>,
) -> AppResult<(Promise, Case)> {
    let cents =
        money::parse_positive_cents(amount).map_err(|e| AppError::validation("amount", e.0))?;
    let today = clock.today();
    if pay_by < today {
        return Err(AppError::validation("payBy", "the date is in the past"));
    }
    if today
        .checked_add_days(Days::new(PROMISE_MAX_DAYS))
        .is_some_and(|l| pay_by > l)
    {
        return Err(AppError::validation(
            "payBy",
            format!(
                "a promise runs at most {PROMISE_MAX_DAYS} days: propose a payment plan instead"
            ),
        ));
    }
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RecordPromise,
        |case, _, conn| {
            let now = clock.now();
            if store::promises_of(conn, case.id)?
                .iter()
                .any(|p| p.status == PromiseStatus::Open.as_str())
            {
                return Err(AppError::validation(
                    "payBy",
                    "a promise to pay is already running on this case",
                ));
            }
            let input = crate::claims::claim_input(conn, case)?;
            let balance = crate::claims::compute(conn, &input, today, "amount")?
                .totals
                .total_due;
            if money::from_cents(cents) > balance {
                return Err(AppError::validation(
                    "amount",
                    format!("more than the {balance:.2} € the debtor owes today"),
                ));
            }
            let promise = store::insert_promise(
                conn,
                &Promise {
                    id: 0,
                    case_id: case.id,
                    pay_by,
                    amount_cents: cents,
                    status: PromiseStatus::Open.as_str().into(),
                    made_on: today,
                    created_by: actor.user_id,
                    created_at: now,
                    resolved_at: None,
                },
            )?;
            super::notify::creditor(
                conn,
                now,
                case,
                CreditorNoticeKind::Proposal,
                vec![
                    ("Proposition".into(), "promesse de paiement".into()),
                    // Read by people: the French way, « 1 000,00 € ».
                    (
                        "Montant".into(),
                        crate::domain::fmt::euros(money::from_cents(cents)),
                    ),
                    (
                        "Au plus tard le".into(),
                        pay_by.format("%d/%m/%Y").to_string(),
                    ),
                ],
                None,
            )?;
            let payload = serde_json::json!({
                "promise_id": promise.id, "amount": money::format_cents(cents), "pay_by": pay_by.to_string()
            });
            Ok((promise, no_change(), "promise_recorded", payload))
        },
    )
}

/// The debtor disputes the claim: collection pauses, the creditor is asked to answer.
pub fn raise_dispute(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    reason: DisputeReason,
    details: &str,
    expected_version: Option<i32>,
) -> AppResult<(Dispute, Case)> {
    raise_dispute_with(
        conn,
        clock,
        actor,
        (case_id, expected_version),
        reason,
        details,
        |_, _, _| Ok(()),
    )
}

/// [`raise_dispute`], with `attach` run in its transaction once the dispute is written (the
/// debtor's pieces that support it).
pub(crate) fn raise_dispute_with(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    (case_id, expected_version): (i64, Option<i32>),
    reason: DisputeReason,
    details: &str,
    attach: impl FnOnce(&mut DbConn, &Case, &Dispute) -> AppResult<()>,
) -> AppResult<(Dispute, Case)> {
    let details = validate::required("details", details, 4000)?;
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::RaiseDispute,
        |case, _, conn| {
            let now = clock.now();
            let mut rec = rec_store::case_recovery(conn, case.id)?
                .ok_or_else(|| AppError::internal("accepted case without recovery row"))?;
            rec.resume_state = Some(case.state.clone());
            rec_store::save_case_recovery(conn, &rec)?;
            let dispute = store::insert_dispute(
                conn,
                &Dispute {
                    id: 0,
                    case_id: case.id,
                    reason: reason.as_str().into(),
                    details: details.clone(),
                    status: "open".into(),
                    raised_by: actor.user_id,
                    raised_at: now,
                    creditor_answer: None,
                    answered_by: None,
                    answered_at: None,
                    resolution: None,
                    resolution_note: None,
                    resolved_by: None,
                    resolved_at: None,
                },
            )?;
            attach(conn, case, &dispute)?;
            super::notify::creditor(
                conn,
                now,
                case,
                CreditorNoticeKind::Dispute,
                vec![
                    ("Motif".into(), reason_label(reason).into()),
                    ("Détails".into(), details.clone()),
                ],
                None,
            )?;
            let payload = serde_json::json!({ "dispute_id": dispute.id, "reason": reason.as_str(), "details": details });
            Ok((dispute, no_change(), "dispute_raised", payload))
        },
    )
}

fn reason_label(r: DisputeReason) -> &'static str {
    match r {
        DisputeReason::Quality => "qualité",
        DisputeReason::Delivery => "livraison",
        DisputeReason::Price => "prix",
        DisputeReason::AlreadyPaid => "déjà payé",
        DisputeReason::Other => "autre",
    }
}

/// The creditor answers the open dispute through its case; the agents get a task.
pub fn answer_dispute(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    answer: &str,
    expected_version: Option<i32>,
) -> AppResult<(Dispute, Case)> {
    let answer = validate::required("answer", answer, 4000)?;
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::AnswerDispute,
        |case, _, conn| {
            let now = clock.now();
            let mut d = store::open_dispute(conn, case.id)?
                .ok_or_else(|| AppError::invalid_transition("no dispute is open"))?;
            d.status = "answered".into();
            d.creditor_answer = Some(answer.clone());
            d.answered_by = Some(actor.user_id);
            d.answered_at = Some(now);
            store::save_dispute(conn, &d)?;
            tasks::insert(
                conn,
                &tasks::NewTask {
                    case_id: case.id,
                    kind: "dispute_answered",
                    title: "Le créancier a répondu à la contestation : la traiter",
                    due_on: now.date(),
                    status: "open",
                    outbox_id: None,
                    created_at: now,
                },
            )?;
            let payload = serde_json::json!({ "dispute_id": d.id, "answer": answer });
            Ok((d, no_change(), "dispute_answered", payload))
        },
    )
}

/// How the agency ends a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Collection resumes where it stopped.
    Resume,
    /// The case closes with this outcome (e.g. settled, or withdrawn when the claim fails).
    Close(Outcome),
}

pub fn resolve_dispute(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    resolution: Resolution,
    note: &str,
    expected_version: Option<i32>,
) -> AppResult<(Dispute, Case)> {
    let note = validate::required("note", note, 4000)?;
    if let Resolution::Close(o) = resolution {
        if !matches!(
            o,
            Outcome::Settled | Outcome::Unrecoverable | Outcome::Withdrawn
        ) {
            return Err(AppError::validation(
                "outcome",
                "a dispute closes the case as settled, unrecoverable or withdrawn",
            ));
        }
    }
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::ResolveDispute,
        |case, _, conn| {
            let now = clock.now();
            let mut d = store::open_dispute(conn, case.id)?
                .ok_or_else(|| AppError::invalid_transition("no dispute is open"))?;
            let mut rec = rec_store::case_recovery(conn, case.id)?
                .ok_or_else(|| AppError::internal("accepted case without recovery row"))?;
            let mut change = no_change();
            let (resolution_text, to) = match resolution {
                Resolution::Resume => {
                    let back = rec
                        .resume_state
                        .as_deref()
                        .and_then(|s| CaseState::parse(s).ok())
                        .filter(|s| *s != CaseState::Disputed)
                        .unwrap_or(CaseState::Amicable);
                    ("resume", back)
                }
                Resolution::Close(outcome) => {
                    change.outcome = Some(Some(outcome.as_str().into()));
                    change.closed_at = Some(Some(now));
                    change.status_reason = Some(Some(note.clone()));
                    tasks::cancel_open_of_case(conn, case.id, now)?;
                    ("close", CaseState::Closed)
                }
            };
            change.state = Some(to.as_str().into());
            rec.resume_state = None;
            rec.anchor_at = now;
            rec_store::save_case_recovery(conn, &rec)?;
            d.status = "resolved".into();
            d.resolution = Some(resolution_text.into());
            d.resolution_note = Some(note.clone());
            d.resolved_by = Some(actor.user_id);
            d.resolved_at = Some(now);
            store::save_dispute(conn, &d)?;
            let payload = serde_json::json!({
                "dispute_id": d.id, "resolution": resolution_text, "state": to.as_str(), "note": note
            });
            Ok((d, change, "dispute_resolved", payload))
        },
    )
}

/// An instalment as typed.
#[derive(Debug, Clone)]
pub struct InstalmentInput {
    pub due_on: NaiveDate,
    pub amount: String,
}

/// The agent proposes a plan whose instalments add up to the balance due today. Within the
/// mandate's limits it runs at once; otherwise the creditor accepts or refuses it (and is
/// told, R124-5).
pub fn propose_plan(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    instalments: &[InstalmentInput],
    note: &str,
    expected_version: Option<i32>,
) -> AppResult<(Plan, Case)> {
    let note = validate::optional("note", Some(note), 2000)?.unwrap_or_default();
    let parsed = instalments
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            Ok(Instalment {
                due_on: inst.due_on,
                amount: money::parse_amount(&inst.amount)
                    .map_err(|e| AppError::validation(format!("instalments.{i}.amount"), e.0))?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let today = clock.today();
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::ProposePlan,
        |case, state, conn| {
            let now = clock.now();
            if store::live_plan(conn, case.id)?.is_some() {
                return Err(AppError::invalid_transition(
                    "a payment plan is already proposed or running",
                ));
            }
            let input = crate::claims::claim_input(conn, case)?;
            let balance = crate::claims::compute(conn, &input, today, "instalments")?
                .totals
                .total_due;
            arrangement::validate_plan(&parsed, balance, today).map_err(|e| match e.index {
                Some(i) => AppError::validation(format!("instalments.{i}.{}", e.field), e.message),
                None => AppError::validation(e.field, e.message),
            })?;
            let limits = store::plan_limits(conn, case.mandate_id)?;
            let auto = limits.is_some_and(|(n, months)| {
                arrangement::within_limits(&parsed, n.max(0) as u32, months.max(0) as u32, today)
            });
            let rows = parsed
                .iter()
                .map(|i| {
                    Ok((
                        i.due_on,
                        money::to_cents(i.amount)
                            .map_err(|e| AppError::validation("instalments", e.0))?,
                    ))
                })
                .collect::<AppResult<Vec<_>>>()?;
            let paid_before = super::paid_total(conn, case.id)?;
            let plan = store::insert_plan(
                conn,
                &Plan {
                    id: 0,
                    case_id: case.id,
                    status: if auto {
                        PlanStatus::Active
                    } else {
                        PlanStatus::Proposed
                    }
                    .as_str()
                    .into(),
                    total_cents: money::to_cents(balance).map_err(AppError::internal)?,
                    paid_before_cents: paid_before,
                    note: note.clone(),
                    proposed_by: actor.user_id,
                    proposed_at: now,
                    auto_approved: auto,
                    decided_by: None,
                    decided_at: if auto { Some(now) } else { None },
                    ended_at: None,
                },
                &rows,
            )?;
            let mut change = no_change();
            if auto {
                start_plan(conn, case, state, now)?;
                change.state = Some(CaseState::PaymentPlan.as_str().into());
                super::notify::debtor_plan_answer(
                    conn,
                    now,
                    case,
                    plan.id,
                    crate::documents::notices::PlanAnswer::Agreed,
                )?;
            }
            let schedule: Vec<(String, i64)> = rows
                .iter()
                .map(|(d, c)| (d.format("%d/%m/%Y").to_string(), *c))
                .collect();
            super::notify::creditor(
                conn,
                now,
                case,
                if auto {
                    CreditorNoticeKind::PlanAgreed
                } else {
                    CreditorNoticeKind::Proposal
                },
                std::iter::once((
                    "Proposition".to_string(),
                    "échéancier de paiement".to_string(),
                ))
                .chain(schedule.iter().map(|(d, a)| {
                    (
                        format!("Échéance du {d}"),
                        crate::domain::fmt::euros(money::from_cents(*a)),
                    )
                }))
                .collect(),
                None,
            )?;
            let payload = serde_json::json!({
                "plan_id": plan.id,
                "total": money::format_cents(plan.total_cents),
                "instalments": schedule.iter().map(|(d, a)| serde_json::json!({"due_on": d, "amount": money::format_cents(*a)})).collect::<Vec<_>>(),
                "auto_approved": auto,
            });
            Ok((plan, change, "plan_proposed", payload))
        },
    )
}

/// A plan starts: an open promise is superseded; the state to come back to is kept.
fn start_plan(
    conn: &mut DbConn,
    case: &Case,
    state: CaseState,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    for p in store::promises_of(conn, case.id)? {
        if p.status == PromiseStatus::Open.as_str() {
            store::resolve_promise(conn, p.id, PromiseStatus::Cancelled.as_str(), now)?;
        }
    }
    if let Some(mut rec) = rec_store::case_recovery(conn, case.id)? {
        rec.resume_state = Some(state.as_str().into());
        rec_store::save_case_recovery(conn, &rec)?;
    }
    Ok(())
}

/// The creditor (or an admin for it) accepts or refuses the proposed plan.
pub fn decide_plan(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    accept: bool,
    expected_version: Option<i32>,
) -> AppResult<(Plan, Case)> {
    act_creating(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::DecidePlan,
        |case, state, conn| {
            let now = clock.now();
            let mut plan = store::live_plan(conn, case.id)?
                .filter(|p| p.status == PlanStatus::Proposed.as_str())
                .ok_or_else(|| {
                    AppError::invalid_transition("no payment plan waits for a decision")
                })?;
            plan.status = if accept {
                PlanStatus::Active
            } else {
                PlanStatus::Refused
            }
            .as_str()
            .into();
            plan.decided_by = Some(actor.user_id);
            plan.decided_at = Some(now);
            if !accept {
                plan.ended_at = Some(now);
            }
            store::save_plan(conn, &plan)?;
            let mut change = no_change();
            if accept {
                start_plan(conn, case, state, now)?;
                change.state = Some(CaseState::PaymentPlan.as_str().into());
            }
            // Issue 17: the debtor hears the answer by e-mail too, not only on their page.
            super::notify::debtor_plan_answer(
                conn,
                now,
                case,
                plan.id,
                if accept {
                    crate::documents::notices::PlanAnswer::Accepted
                } else {
                    crate::documents::notices::PlanAnswer::Refused
                },
            )?;
            let payload = serde_json::json!({ "plan_id": plan.id, "accepted": accept });
            Ok((
                plan,
                change,
                if accept {
                    "plan_accepted"
                } else {
                    "plan_refused"
                },
                payload,
            ))
        },
    )
}
