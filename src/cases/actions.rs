//! The agency's intake decisions and the creditor's withdrawal. Each checks visibility, the
//! role and the state (domain::workflow), then changes the case only if nobody changed it
//! meanwhile (optimistic locking on `version`).

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::parties::Role;
use crate::domain::workflow::{Action, CaseState};
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as store, Case, CaseChange};
use crate::store::{events, users};
use crate::validate;

/// Common path of a case action: load, check the expected version, decide, update, log.
pub(crate) fn act(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
    action: Action,
    build: impl FnOnce(
        &Case,
        CaseState,
        &mut DbConn,
    ) -> AppResult<(CaseChange, &'static str, serde_json::Value)>,
) -> AppResult<Case> {
    db::transaction(conn, |conn| {
        let case = super::load_visible(conn, actor, case_id)?;
        if expected_version.is_some_and(|v| v != case.version) {
            return Err(stale());
        }
        let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
        let transition = actor.decide(&case.scope(), state, action)?;
        // C. com. L622-21, C. conso. L722-2: an incident of the debtor's life in force stops
        // every demand and step of recovery.
        if crate::domain::legal::incidents::freezes(action) {
            super::incidents::check_not_frozen(conn, case.id, clock.today())?;
        }
        let (mut change, kind, payload) = build(&case, transition.to, conn)?;
        if transition.to != state {
            change.state = Some(transition.to.as_str().to_string());
        }
        if let Some(outcome) = transition.outcome {
            change.outcome = Some(Some(outcome.as_str().to_string()));
            change.closed_at = Some(Some(clock.now()));
        }
        if !store::update_if_version(conn, case.id, case.version, &change)? {
            return Err(stale());
        }
        events::append(
            conn,
            case.id,
            clock.now(),
            Some(actor.user_id),
            kind,
            &payload,
        )?;
        store::find(conn, case.id)?.ok_or_else(|| AppError::not_found("case"))
    })
}

/// [`act`] for an action that also creates a record (a call, a promise, a payment…): the
/// builder returns the record first, and it comes back with the case.
pub(crate) fn act_creating<T>(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
    action: Action,
    build: impl FnOnce(
        &Case,
        CaseState,
        &mut DbConn,
    ) -> AppResult<(T, CaseChange, &'static str, serde_json::Value)>,
) -> AppResult<(T, Case)> {
    let mut created = None;
    let case = act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        action,
        |case, state, conn| {
            let (item, change, kind, payload) = build(case, state, conn)?;
            created = Some(item);
            Ok((change, kind, payload))
        },
    )?;
    let item = created.ok_or_else(|| AppError::internal("the action created nothing"))?;
    Ok((item, case))
}

fn stale() -> AppError {
    AppError::conflict("the case was changed by someone else meanwhile: reload it and try again")
}

pub(crate) fn no_change() -> CaseChange {
    CaseChange {
        state: None,
        outcome: None,
        assigned_agent_id: None,
        assigned_lawyer_id: None,
        status_reason: None,
        accepted_at: None,
        closed_at: None,
    }
}

/// The agency takes the case: amicable recovery starts.
pub fn accept(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::Accept,
        |case, _, conn| {
            // Amicable recovery starts: the playbook's first step counts from now.
            crate::store::recovery::insert_case_recovery(
                conn,
                &crate::store::recovery::CaseRecovery::start(case.id, clock.now()),
            )?;
            let change = CaseChange {
                accepted_at: Some(Some(clock.now())),
                ..no_change()
            };
            Ok((change, "case_accepted", serde_json::json!({})))
        },
    )
}

/// The agency declines the case, with the reason the creditor will read.
pub fn reject(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let target = (case_id, expected_version);
    close_with_reason(
        conn,
        clock,
        actor,
        target,
        reason,
        Action::Reject,
        "case_rejected",
    )
}

/// The creditor takes its case back (not once a lawyer has it).
pub fn withdraw(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    reason: &str,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    let target = (case_id, expected_version);
    close_with_reason(
        conn,
        clock,
        actor,
        target,
        reason,
        Action::Withdraw,
        "case_withdrawn",
    )
}

/// An action that ends the case and records why (the reason is shown to the other party).
fn close_with_reason(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    (case_id, expected_version): (i64, Option<i32>),
    reason: &str,
    action: Action,
    kind: &'static str,
) -> AppResult<Case> {
    let reason = validate::required("reason", reason, 2000)?;
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        action,
        |_, _, _| {
            let change = CaseChange {
                status_reason: Some(Some(reason.clone())),
                ..no_change()
            };
            Ok((change, kind, serde_json::json!({ "reason": reason })))
        },
    )
}

/// Puts an agent (or an admin) in charge of the case.
pub fn assign(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    agent_id: i64,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::Assign,
        |case, _, conn| {
            let agent = users::find(conn, agent_id)?
                .filter(|u| {
                    u.active && (u.role == Role::Agent.as_str() || u.role == Role::Admin.as_str())
                })
                .ok_or_else(|| AppError::validation("agentId", "unknown agent"))?;
            if case.assigned_agent_id == Some(agent.id) {
                return Err(AppError::validation(
                    "agentId",
                    format!("{} is already in charge of this case", agent.display_name),
                ));
            }
            let change = CaseChange {
                assigned_agent_id: Some(Some(agent.id)),
                ..no_change()
            };
            Ok((
                change,
                "case_assigned",
                serde_json::json!({ "agent_id": agent.id, "agent": agent.display_name }),
            ))
        },
    )
}
