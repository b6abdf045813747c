//! The case lifecycle (DESIGN.md §2): states, outcomes, and the one pure function deciding
//! whether an action is allowed for a role in a state, and what state it leads to.

use super::parties::{text_enum, Role};

text_enum!(
    /// Where a case stands.
    CaseState {
        Submitted => "submitted",
        Rejected => "rejected",
        Amicable => "amicable",
        PaymentPlan => "payment_plan",
        FormalNotice => "formal_notice",
        Disputed => "disputed",
        Legal => "legal",
        Filed => "filed",
        OrderGranted => "order_granted",
        OrderRejected => "order_rejected",
        Served => "served",
        Opposed => "opposed",
        Enforceable => "enforceable",
        Enforcement => "enforcement",
        Closed => "closed",
    }
);

text_enum!(
    /// Why a case was closed.
    Outcome {
        Paid => "paid",
        Settled => "settled",
        Unrecoverable => "unrecoverable",
        Withdrawn => "withdrawn",
        Prescribed => "prescribed",
        Rejected => "rejected",
        HandedOver => "handed_over",
    }
);

impl CaseState {
    /// A case in a final state takes no more actions.
    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Closed | CaseState::Rejected)
    }

    /// The legal phase starts when a lawyer takes the case.
    pub fn is_legal_phase(self) -> bool {
        matches!(
            self,
            CaseState::Legal
                | CaseState::Filed
                | CaseState::OrderGranted
                | CaseState::OrderRejected
                | CaseState::Served
                | CaseState::Opposed
                | CaseState::Enforceable
                | CaseState::Enforcement
        )
    }
}

/// What a user asks to do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The agency takes the case (intake accepted).
    Accept,
    /// The agency declines the case.
    Reject,
    /// The creditor takes its case back.
    Withdraw,
    /// An agent is put in charge of the case (no change of state).
    Assign,
    /// A payment from the debtor is recorded; in full, it closes the case as paid.
    RecordPayment,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Accept,
        Action::Reject,
        Action::Withdraw,
        Action::Assign,
        Action::RecordPayment,
    ];

    /// Roles that may take the action at all (DESIGN.md §1).
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            Action::Accept | Action::Reject | Action::Assign | Action::RecordPayment => {
                &[Role::Admin, Role::Agent]
            }
            Action::Withdraw => &[Role::Admin, Role::Creditor],
        }
    }
}

/// The result of an allowed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: CaseState,
    pub outcome: Option<Outcome>,
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The role may never take this action.
    Forbidden,
    /// The role may, but not in this state; the text says why.
    InvalidTransition(String),
}

/// Decides an action. Pure: the caller loads the case and persists the result.
pub fn decide(role: Role, state: CaseState, action: Action) -> Result<Transition, Refusal> {
    if !action.allowed_roles().contains(&role) {
        return Err(Refusal::Forbidden);
    }
    let invalid = |why: &str| Err(Refusal::InvalidTransition(why.to_string()));
    if state.is_final() {
        return invalid("the case is closed");
    }
    match action {
        Action::Accept if state == CaseState::Submitted => Ok(Transition {
            to: CaseState::Amicable,
            outcome: None,
        }),
        Action::Reject if state == CaseState::Submitted => Ok(Transition {
            to: CaseState::Rejected,
            outcome: Some(Outcome::Rejected),
        }),
        Action::Accept | Action::Reject => {
            invalid("only a submitted case can be accepted or rejected")
        }
        Action::Withdraw if state.is_legal_phase() => {
            invalid("a case in the legal phase cannot be withdrawn; ask the lawyer in charge")
        }
        Action::Withdraw => Ok(Transition {
            to: CaseState::Closed,
            outcome: Some(Outcome::Withdrawn),
        }),
        Action::Assign => Ok(Transition {
            to: state,
            outcome: None,
        }),
        Action::RecordPayment if state == CaseState::Submitted => {
            invalid("accept the case before recording payments on it")
        }
        Action::RecordPayment => Ok(Transition {
            to: state,
            outcome: None,
        }),
    }
}

/// What a recorded payment does to the case: nothing more while a balance remains; paid in
/// full, the case is closed as paid (DESIGN.md §2: any state → Closed(paid)).
pub fn after_payment(state: CaseState, paid_in_full: bool) -> Transition {
    if paid_in_full {
        Transition {
            to: CaseState::Closed,
            outcome: Some(Outcome::Paid),
        }
    } else {
        Transition {
            to: state,
            outcome: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected answer for every role × state × action, written as a table rather than
    /// derived from the code under test.
    fn expected(role: Role, state: CaseState, action: Action) -> Result<CaseState, &'static str> {
        let staff = matches!(role, Role::Admin | Role::Agent);
        let may = match action {
            Action::Accept | Action::Reject | Action::Assign | Action::RecordPayment => staff,
            Action::Withdraw => matches!(role, Role::Admin | Role::Creditor),
        };
        if !may {
            return Err("forbidden");
        }
        if matches!(state, CaseState::Closed | CaseState::Rejected) {
            return Err("invalid");
        }
        match (action, state) {
            (Action::Accept, CaseState::Submitted) => Ok(CaseState::Amicable),
            (Action::Reject, CaseState::Submitted) => Ok(CaseState::Rejected),
            (Action::Accept | Action::Reject, _) => Err("invalid"),
            (
                Action::Withdraw,
                CaseState::Submitted
                | CaseState::Amicable
                | CaseState::PaymentPlan
                | CaseState::FormalNotice
                | CaseState::Disputed,
            ) => Ok(CaseState::Closed),
            (Action::Withdraw, _) => Err("invalid"),
            (Action::Assign, s) => Ok(s),
            (Action::RecordPayment, CaseState::Submitted) => Err("invalid"),
            (Action::RecordPayment, s) => Ok(s),
        }
    }

    #[test]
    fn every_role_state_and_action_is_decided_as_the_table_says() {
        let mut checked = 0;
        for &role in Role::ALL {
            for &state in CaseState::ALL {
                for action in Action::ALL {
                    let got = decide(role, state, action);
                    let want = expected(role, state, action);
                    match (&got, want) {
                        (Ok(t), Ok(s)) => assert_eq!(t.to, s, "{role:?} {state:?} {action:?}"),
                        (Err(Refusal::Forbidden), Err("forbidden")) => {}
                        (Err(Refusal::InvalidTransition(_)), Err("invalid")) => {}
                        _ => panic!("{role:?} {state:?} {action:?}: got {got:?}, want {want:?}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 4 * 15 * 5);
    }

    #[test]
    fn withdrawal_and_rejection_close_with_their_outcome() {
        let w = decide(Role::Creditor, CaseState::Amicable, Action::Withdraw).unwrap();
        assert_eq!(w.outcome, Some(Outcome::Withdrawn));
        let r = decide(Role::Agent, CaseState::Submitted, Action::Reject).unwrap();
        assert_eq!(r.outcome, Some(Outcome::Rejected));
    }

    #[test]
    fn states_round_trip_through_text() {
        for &s in CaseState::ALL {
            assert_eq!(CaseState::parse(s.as_str()), Ok(s));
        }
        assert!(CaseState::parse("nope").is_err());
    }
}
