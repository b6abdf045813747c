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
        DebtErased => "debt_erased",
    }
);

impl CaseState {
    /// A case in a final state takes no more actions.
    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Closed | CaseState::Rejected)
    }

    /// Amicable recovery, before any lawyer: reminders, calls, plans, disputes, the notice.
    pub fn is_amicable_phase(self) -> bool {
        matches!(
            self,
            CaseState::Amicable
                | CaseState::PaymentPlan
                | CaseState::FormalNotice
                | CaseState::Disputed
        )
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
    /// An agent logs a call with the debtor.
    LogCall,
    /// The debtor promises to pay an amount by a date: the playbook pauses.
    RecordPromise,
    /// The debtor disputes the claim: collection pauses.
    RaiseDispute,
    /// The creditor answers a dispute through its case.
    AnswerDispute,
    /// The agency ends a dispute: collection resumes, or the case closes.
    ResolveDispute,
    /// An agent proposes a payment plan (active at once within the mandate's limits).
    ProposePlan,
    /// The creditor accepts or refuses a proposed plan.
    DecidePlan,
    /// The formal notice is produced, to be posted by registered letter.
    PrepareFormalNotice,
    /// The formal notice was posted by registered letter: its deadline starts.
    PostFormalNotice,
    /// The registered letter's delivery date is known.
    RecordDelivery,
    /// An agent refers the case to a lawyer: the legal phase starts (or the case changes
    /// lawyer before filing).
    ReferToLawyer,
    /// The requête was filed at the court (CPC 1407).
    RecordFiling,
    /// The judge granted the order, in full or in part (CPC 1409).
    RecordOrderGranted,
    /// The judge rejected the requête (CPC 1409: no appeal; the creditor may sue normally).
    RecordOrderRejected,
    /// A commissaire de justice served the order (CPC 1411).
    RecordService,
    /// After a service not made in person, the first act served in person (CPC 1416 al. 2).
    RecordPersonalAct,
    /// The debtor opposed the order (CPC 1416): the case leaves for contentious
    /// proceedings, closed as handed over.
    RecordOpposition,
    /// The opposition window closed without opposition: the order is an enforceable title
    /// (CPC 1422).
    RecordEnforceable,
    /// The title is handed to a commissaire de justice for enforcement.
    HandOverEnforcement,
    /// A conservatory measure or an act of enforcement carried out (CPCE L511-1, L111-2;
    /// C. civ. 2244): recorded at any time of the legal phase, the use case checks its date.
    RecordMeasure,
    /// An incident of the debtor's life (collective proceeding, over-indebtedness, death,
    /// dissolution) or the claim's declaration to the mandataire is recorded: it freezes the
    /// case's demands (`domain::legal::incidents`).
    RecordIncident,
    /// The agency ends an incident: recovery resumes, or the case closes.
    EndIncident,
}

impl Action {
    pub const ALL: [Action; 27] = [
        Action::Accept,
        Action::Reject,
        Action::Withdraw,
        Action::Assign,
        Action::RecordPayment,
        Action::LogCall,
        Action::RecordPromise,
        Action::RaiseDispute,
        Action::AnswerDispute,
        Action::ResolveDispute,
        Action::ProposePlan,
        Action::DecidePlan,
        Action::PrepareFormalNotice,
        Action::PostFormalNotice,
        Action::RecordDelivery,
        Action::ReferToLawyer,
        Action::RecordFiling,
        Action::RecordOrderGranted,
        Action::RecordOrderRejected,
        Action::RecordService,
        Action::RecordPersonalAct,
        Action::RecordOpposition,
        Action::RecordEnforceable,
        Action::HandOverEnforcement,
        Action::RecordMeasure,
        Action::RecordIncident,
        Action::EndIncident,
    ];

    /// Roles that may take the action at all (DESIGN.md §1).
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            Action::Accept
            | Action::Reject
            | Action::Assign
            | Action::RecordPayment
            | Action::LogCall
            | Action::RecordPromise
            | Action::RaiseDispute
            | Action::ResolveDispute
            | Action::ProposePlan
            | Action::PrepareFormalNotice
            | Action::PostFormalNotice
            | Action::RecordDelivery
            | Action::ReferToLawyer
            | Action::EndIncident => &[Role::Admin, Role::Agent],
            // Whoever learns of it first records it: the lawyer of a case too.
            Action::RecordIncident => &[Role::Admin, Role::Agent, Role::Lawyer],
            // DESIGN.md §1: the lawyer of the case records the procedure's steps.
            Action::RecordFiling
            | Action::RecordOrderGranted
            | Action::RecordOrderRejected
            | Action::RecordService
            | Action::RecordPersonalAct
            | Action::RecordOpposition
            | Action::RecordEnforceable
            | Action::HandOverEnforcement
            | Action::RecordMeasure => &[Role::Admin, Role::Lawyer],
            // DESIGN.md §1: the creditor accepts or refuses a proposed plan and answers
            // disputes; an admin may act for it.
            Action::Withdraw | Action::AnswerDispute | Action::DecidePlan => {
                &[Role::Admin, Role::Creditor]
            }
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
        Action::LogCall if state.is_amicable_phase() => to(state),
        Action::RecordPromise if matches!(state, CaseState::Amicable | CaseState::FormalNotice) => {
            to(state)
        }
        Action::RaiseDispute if state.is_amicable_phase() && state != CaseState::Disputed => {
            Ok(Transition {
                to: CaseState::Disputed,
                outcome: None,
            })
        }
        Action::AnswerDispute | Action::ResolveDispute if state == CaseState::Disputed => {
            // ResolveDispute's target (resume or close) is chosen by the use case.
            to(state)
        }
        Action::ProposePlan | Action::DecidePlan
            if matches!(state, CaseState::Amicable | CaseState::FormalNotice) =>
        {
            // Accepting a plan moves the case to PaymentPlan: the use case sets it.
            to(state)
        }
        Action::PrepareFormalNotice if state == CaseState::Amicable => to(state),
        Action::PrepareFormalNotice => invalid("the formal notice is sent from amicable recovery"),
        Action::PostFormalNotice if state == CaseState::Amicable => Ok(Transition {
            to: CaseState::FormalNotice,
            outcome: None,
        }),
        Action::RecordDelivery if state != CaseState::Submitted => to(state),
        Action::LogCall => invalid("calls are logged during amicable recovery"),
        Action::RecordPromise => {
            invalid("a promise to pay is recorded during amicable recovery or the formal notice")
        }
        Action::RaiseDispute if state == CaseState::Disputed => {
            invalid("a dispute is already open on this case")
        }
        Action::RaiseDispute => invalid("disputes are raised during amicable recovery"),
        Action::AnswerDispute | Action::ResolveDispute => invalid("no dispute is open"),
        Action::ProposePlan | Action::DecidePlan => invalid(
            "a payment plan is agreed during amicable recovery or the formal notice, \
             and only one at a time",
        ),
        Action::PostFormalNotice if state == CaseState::FormalNotice => {
            invalid("the formal notice was already sent")
        }
        Action::PostFormalNotice => invalid("the formal notice is sent from amicable recovery"),
        Action::RecordDelivery => invalid("accept the case first"),
        Action::ReferToLawyer
            if matches!(
                state,
                CaseState::Amicable | CaseState::FormalNotice | CaseState::Legal
            ) =>
        {
            Ok(Transition {
                to: CaseState::Legal,
                outcome: None,
            })
        }
        Action::ReferToLawyer if state.is_legal_phase() => {
            invalid("the requête was filed: the lawyer in charge keeps the case")
        }
        Action::ReferToLawyer => invalid(
            "a case is referred to a lawyer from amicable recovery or after the formal notice \
             (not during a dispute or a payment plan)",
        ),
        Action::RecordFiling if state == CaseState::Legal => to(CaseState::Filed),
        Action::RecordFiling => invalid("the requête is filed once the case is with a lawyer"),
        Action::RecordOrderGranted if state == CaseState::Filed => to(CaseState::OrderGranted),
        Action::RecordOrderRejected if state == CaseState::Filed => to(CaseState::OrderRejected),
        Action::RecordOrderGranted | Action::RecordOrderRejected => {
            invalid("the judge's order follows the filing of the requête")
        }
        Action::RecordService if state == CaseState::OrderGranted => to(CaseState::Served),
        Action::RecordService => invalid("only a granted order is served"),
        Action::RecordPersonalAct if state == CaseState::Served => to(state),
        Action::RecordPersonalAct => invalid("the order has not been served"),
        Action::RecordOpposition if state == CaseState::Served => Ok(Transition {
            to: CaseState::Closed,
            outcome: Some(Outcome::HandedOver),
        }),
        Action::RecordOpposition => invalid("an opposition follows the service of the order"),
        Action::RecordEnforceable if state == CaseState::Served => to(CaseState::Enforceable),
        Action::RecordEnforceable => {
            invalid("an order becomes enforceable once served and unopposed")
        }
        Action::HandOverEnforcement if state == CaseState::Enforceable => {
            to(CaseState::Enforcement)
        }
        Action::HandOverEnforcement => invalid("only an enforceable title is handed over"),
        Action::RecordMeasure if state.is_legal_phase() => to(state),
        Action::RecordMeasure => {
            invalid("measures of enforcement are recorded once the case is with a lawyer")
        }
        // Any open case; ending one may close the case (the use case sets it).
        Action::RecordIncident | Action::EndIncident => to(state),
    }
}

/// An allowed action that leads to `state` (the same one when the case stays where it is).
fn to(state: CaseState) -> Result<Transition, Refusal> {
    Ok(Transition {
        to: state,
        outcome: None,
    })
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
        let creditor_side = matches!(role, Role::Admin | Role::Creditor);
        let lawyer_side = matches!(role, Role::Admin | Role::Lawyer);
        let may = match action {
            Action::Withdraw | Action::AnswerDispute | Action::DecidePlan => creditor_side,
            Action::RecordFiling
            | Action::RecordOrderGranted
            | Action::RecordOrderRejected
            | Action::RecordService
            | Action::RecordPersonalAct
            | Action::RecordOpposition
            | Action::RecordEnforceable
            | Action::HandOverEnforcement
            | Action::RecordMeasure => lawyer_side,
            Action::RecordIncident => staff || lawyer_side,
            _ => staff,
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
            (Action::Assign | Action::RecordIncident | Action::EndIncident, s) => Ok(s),
            (Action::RecordPayment, CaseState::Submitted) => Err("invalid"),
            (Action::RecordPayment, s) => Ok(s),
            (
                Action::LogCall,
                s @ (CaseState::Amicable
                | CaseState::PaymentPlan
                | CaseState::FormalNotice
                | CaseState::Disputed),
            ) => Ok(s),
            (Action::LogCall, _) => Err("invalid"),
            (
                Action::RecordPromise | Action::ProposePlan | Action::DecidePlan,
                s @ (CaseState::Amicable | CaseState::FormalNotice),
            ) => Ok(s),
            (Action::RecordPromise | Action::ProposePlan | Action::DecidePlan, _) => Err("invalid"),
            (
                Action::RaiseDispute,
                CaseState::Amicable | CaseState::PaymentPlan | CaseState::FormalNotice,
            ) => Ok(CaseState::Disputed),
            (Action::RaiseDispute, _) => Err("invalid"),
            (Action::AnswerDispute | Action::ResolveDispute, CaseState::Disputed) => {
                Ok(CaseState::Disputed)
            }
            (Action::AnswerDispute | Action::ResolveDispute, _) => Err("invalid"),
            (Action::PrepareFormalNotice, CaseState::Amicable) => Ok(CaseState::Amicable),
            (Action::PrepareFormalNotice, _) => Err("invalid"),
            (Action::PostFormalNotice, CaseState::Amicable) => Ok(CaseState::FormalNotice),
            (Action::PostFormalNotice, _) => Err("invalid"),
            (Action::RecordDelivery, CaseState::Submitted) => Err("invalid"),
            (Action::RecordDelivery, s) => Ok(s),
            (
                Action::ReferToLawyer,
                CaseState::Amicable | CaseState::FormalNotice | CaseState::Legal,
            ) => Ok(CaseState::Legal),
            (Action::ReferToLawyer, _) => Err("invalid"),
            (Action::RecordFiling, CaseState::Legal) => Ok(CaseState::Filed),
            (Action::RecordOrderGranted, CaseState::Filed) => Ok(CaseState::OrderGranted),
            (Action::RecordOrderRejected, CaseState::Filed) => Ok(CaseState::OrderRejected),
            (Action::RecordService, CaseState::OrderGranted) => Ok(CaseState::Served),
            (Action::RecordPersonalAct, CaseState::Served) => Ok(CaseState::Served),
            (Action::RecordOpposition, CaseState::Served) => Ok(CaseState::Closed),
            (Action::RecordEnforceable, CaseState::Served) => Ok(CaseState::Enforceable),
            (Action::HandOverEnforcement, CaseState::Enforceable) => Ok(CaseState::Enforcement),
            (
                Action::RecordMeasure,
                s @ (CaseState::Legal
                | CaseState::Filed
                | CaseState::OrderGranted
                | CaseState::OrderRejected
                | CaseState::Served
                | CaseState::Opposed
                | CaseState::Enforceable
                | CaseState::Enforcement),
            ) => Ok(s),
            (
                Action::RecordFiling
                | Action::RecordOrderGranted
                | Action::RecordOrderRejected
                | Action::RecordService
                | Action::RecordPersonalAct
                | Action::RecordOpposition
                | Action::RecordEnforceable
                | Action::HandOverEnforcement
                | Action::RecordMeasure,
                _,
            ) => Err("invalid"),
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
        assert_eq!(checked, 4 * 15 * Action::ALL.len());
    }

    #[test]
    fn withdrawal_and_rejection_close_with_their_outcome() {
        let w = decide(Role::Creditor, CaseState::Amicable, Action::Withdraw).unwrap();
        assert_eq!(w.outcome, Some(Outcome::Withdrawn));
        let r = decide(Role::Agent, CaseState::Submitted, Action::Reject).unwrap();
        assert_eq!(r.outcome, Some(Outcome::Rejected));
        let o = decide(Role::Lawyer, CaseState::Served, Action::RecordOpposition).unwrap();
        assert_eq!(o.outcome, Some(Outcome::HandedOver));
    }

    #[test]
    fn states_round_trip_through_text() {
        for &s in CaseState::ALL {
            assert_eq!(CaseState::parse(s.as_str()), Ok(s));
        }
        assert!(CaseState::parse("nope").is_err());
    }
}
