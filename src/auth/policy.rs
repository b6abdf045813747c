//! The one place that says who may see which case (DESIGN.md §1). Every query and mutation
//! goes through these functions; the permission matrix test covers them.

use crate::domain::parties::Role;
use crate::domain::workflow::{self, Action, CaseState, Refusal, Transition};
use crate::error::{AppError, AppResult};

/// The authenticated caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub org_id: Option<i64>,
}

/// What the policy needs to know of a case.
#[derive(Debug, Clone, Copy)]
pub struct CaseScope {
    pub creditor_org_id: i64,
    pub assigned_lawyer_id: Option<i64>,
}

/// Which cases a role may list (applied as a filter in the query, not after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    Creditor(i64),
    Lawyer(i64),
}

impl Actor {
    /// The cases this actor may see.
    pub fn visibility(&self) -> Visibility {
        match self.role {
            Role::Admin | Role::Agent => Visibility::All,
            // A creditor without an organisation sees nothing: org id 0 matches no case.
            Role::Creditor => Visibility::Creditor(self.org_id.unwrap_or(0)),
            Role::Lawyer => Visibility::Lawyer(self.user_id),
        }
    }

    /// Whether the actor may see the case at all. When not, callers answer `NOT_FOUND`,
    /// exactly as for a missing id, so a case's existence never leaks.
    pub fn can_view(&self, case: &CaseScope) -> bool {
        match self.visibility() {
            Visibility::All => true,
            Visibility::Creditor(org) => case.creditor_org_id == org,
            Visibility::Lawyer(user) => case.assigned_lawyer_id == Some(user),
        }
    }

    /// Guards an administrative operation (users, organisations, mandates).
    pub fn require_admin(&self) -> AppResult<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Guards the agency's own work lists (queue, outbox, playbooks, settings): admins and
    /// agents.
    pub fn require_staff(&self) -> AppResult<()> {
        if self.role.is_agency_staff() {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Guards a case action: unseen case → `NOT_FOUND`; role never allowed → `FORBIDDEN`;
    /// allowed role in the wrong state → `INVALID_TRANSITION`.
    pub fn decide(
        &self,
        case: &CaseScope,
        state: CaseState,
        action: Action,
    ) -> AppResult<Transition> {
        if !self.can_view(case) {
            return Err(AppError::not_visible("case"));
        }
        workflow::decide(self.role, state, action).map_err(|r| match r {
            Refusal::Forbidden => AppError::forbidden(),
            Refusal::InvalidTransition(why) => AppError::invalid_transition(why),
        })
    }

    /// Which creditor organisation a new case may be opened for: a creditor only for its own
    /// organisation; agents and admins on behalf of any creditor.
    pub fn opening_org(&self, requested: Option<i64>) -> AppResult<i64> {
        match self.role {
            Role::Creditor => match (self.org_id, requested) {
                (Some(own), None) => Ok(own),
                (Some(own), Some(r)) if r == own => Ok(own),
                (Some(_), Some(_)) => Err(AppError::forbidden()),
                (None, _) => Err(AppError::forbidden()),
            },
            Role::Admin | Role::Agent => requested.ok_or_else(|| {
                AppError::validation("creditorId", "say which creditor the case is opened for")
            }),
            Role::Lawyer => Err(AppError::forbidden()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, user_id: i64, org: Option<i64>) -> Actor {
        Actor {
            user_id,
            role,
            org_id: org,
        }
    }

    #[test]
    fn creditors_see_their_own_cases_only_and_lawyers_their_referred_ones() {
        let case = CaseScope {
            creditor_org_id: 10,
            assigned_lawyer_id: Some(5),
        };
        assert!(actor(Role::Creditor, 1, Some(10)).can_view(&case));
        assert!(!actor(Role::Creditor, 1, Some(11)).can_view(&case));
        assert!(!actor(Role::Creditor, 1, None).can_view(&case));
        assert!(actor(Role::Lawyer, 5, None).can_view(&case));
        assert!(!actor(Role::Lawyer, 6, None).can_view(&case));
        assert!(actor(Role::Agent, 2, Some(1)).can_view(&case));
        assert!(actor(Role::Admin, 3, Some(1)).can_view(&case));
    }

    #[test]
    fn a_foreign_case_is_not_found_before_any_role_check() {
        let case = CaseScope {
            creditor_org_id: 10,
            assigned_lawyer_id: None,
        };
        let e = actor(Role::Creditor, 1, Some(11))
            .decide(&case, CaseState::Submitted, Action::Accept)
            .unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::NotFound);
        let e = actor(Role::Creditor, 1, Some(10))
            .decide(&case, CaseState::Submitted, Action::Accept)
            .unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::Forbidden);
    }

    #[test]
    fn creditors_open_cases_for_their_own_organisation_only() {
        let c = actor(Role::Creditor, 1, Some(10));
        assert_eq!(c.opening_org(None), Ok(10));
        assert_eq!(c.opening_org(Some(10)), Ok(10));
        assert!(c.opening_org(Some(11)).is_err());
        assert_eq!(actor(Role::Agent, 2, None).opening_org(Some(11)), Ok(11));
        assert!(actor(Role::Agent, 2, None).opening_org(None).is_err());
        assert!(actor(Role::Lawyer, 3, None).opening_org(Some(11)).is_err());
    }
}
