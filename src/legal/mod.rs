//! The legal phase (issue 5): referral to a lawyer, the eligibility report, the competent
//! court, the injunction-of-payment dossier, and the procedure after filing with its
//! deadlines. Each write is one transaction and one event of the case's chain.

pub mod bodacc;
pub mod courts;
pub mod dossier;
pub mod eligibility;
pub mod feed;
pub mod procedure;
pub mod profile;
pub mod views;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::legal::court::CourtKind;
use crate::domain::parties::Role;
use crate::domain::workflow::{Action, CaseState};
use crate::error::{AppError, AppResult};
use crate::store::cases::{Case, CaseChange};
use crate::store::legal::{self as store, Proceeding};
use crate::store::{events, users};
use crate::validate;

use crate::cases::actions::{act, no_change};

/// Refers a case to a lawyer (agents, admins): the legal phase starts, and the lawyer sees the
/// case in their list. Before filing, the case may be referred to another lawyer.
pub fn refer(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    lawyer_id: i64,
    expected_version: Option<i32>,
) -> AppResult<Case> {
    act(
        conn,
        clock,
        actor,
        case_id,
        expected_version,
        Action::ReferToLawyer,
        |case, _, conn| {
            let lawyer = users::find(conn, lawyer_id)?
                .filter(|u| u.active && u.role == Role::Lawyer.as_str())
                .ok_or_else(|| AppError::validation("lawyerId", "unknown lawyer"))?;
            if case.assigned_lawyer_id == Some(lawyer.id) {
                return Err(AppError::validation(
                    "lawyerId",
                    format!("the case is already with {}", lawyer.display_name),
                ));
            }
            let proceeding = match store::find(conn, case.id)? {
                Some(p) => Proceeding {
                    lawyer_id: lawyer.id,
                    ..p
                },
                None => Proceeding::referred(case.id, lawyer.id, actor.user_id, clock.now()),
            };
            store::save(conn, &proceeding)?;
            let change = CaseChange {
                assigned_lawyer_id: Some(Some(lawyer.id)),
                ..no_change()
            };
            Ok((
                change,
                "case_referred",
                serde_json::json!({ "lawyer_id": lawyer.id, "lawyer": lawyer.display_name }),
            ))
        },
    )
}

/// The court the lawyer confirms, and whether the requête asks, on opposition, for the case
/// to go straight to that court (CPC 1408).
#[derive(Debug, Clone)]
pub struct CourtChoice {
    pub kind: CourtKind,
    pub name: String,
    pub transfer_on_opposition: bool,
}

/// The lawyer (or an admin) confirms the competent court before the dossier is produced.
/// Not a change of state: the case stays `legal` until the requête is filed.
pub fn confirm_court(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
    choice: &CourtChoice,
) -> AppResult<Case> {
    let name = validate::required("name", &choice.name, 200)?;
    // CPC 1406: only a court of the directory, of the kind given, sitting today.
    let directory = courts::current(conn)?;
    let name = courts::require_listed(&directory, choice.kind, &name, clock.today())?;
    db::transaction(conn, |conn| {
        let (case, mut p) = load_proceeding(conn, actor, case_id)?;
        require_lawyer_side(actor)?;
        let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
        if state != CaseState::Legal {
            return Err(AppError::invalid_transition(
                "the court is chosen before the requête is filed",
            ));
        }
        p.court_kind = Some(court_kind_text(choice.kind).to_string());
        p.court_name = Some(name.clone());
        p.transfer_on_opposition = choice.transfer_on_opposition;
        store::save(conn, &p)?;
        events::append(
            conn,
            case.id,
            clock.now(),
            Some(actor.user_id),
            "court_confirmed",
            &serde_json::json!({
                "court_kind": court_kind_text(choice.kind),
                "court_name": name,
                "transfer_on_opposition": choice.transfer_on_opposition,
            }),
        )?;
        Ok(case)
    })
}

/// Lawyers and admins record the procedure; agents refer and read.
fn require_lawyer_side(actor: &Actor) -> AppResult<()> {
    if matches!(actor.role, Role::Lawyer | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The case (visible to the actor) and its proceeding; a case never referred has none.
pub(crate) fn load_proceeding(
    conn: &mut DbConn,
    actor: &Actor,
    case_id: i64,
) -> AppResult<(Case, Proceeding)> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    let p = store::find(conn, case.id)?.ok_or_else(|| {
        AppError::invalid_transition("the case has not been referred to a lawyer")
    })?;
    Ok((case, p))
}

/// Staff and the case's lawyer read the legal phase's work (report, dossier); a creditor
/// sees its case's procedure but not these (`FORBIDDEN`).
pub(crate) fn require_legal_reader(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Creditor {
        Err(AppError::forbidden())
    } else {
        Ok(())
    }
}

pub fn court_kind_text(kind: CourtKind) -> &'static str {
    match kind {
        CourtKind::CommercialCourt => "commercial_court",
        CourtKind::EconomicActivitiesCourt => "economic_activities_court",
        CourtKind::JudicialCourt => "judicial_court",
    }
}

pub fn parse_court_kind(text: &str) -> Option<CourtKind> {
    match text {
        "commercial_court" => Some(CourtKind::CommercialCourt),
        "economic_activities_court" => Some(CourtKind::EconomicActivitiesCourt),
        "judicial_court" => Some(CourtKind::JudicialCourt),
        _ => None,
    }
}
