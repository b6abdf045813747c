//! Reading the legal phase: a case's proceeding with its live deadlines, and the agenda of
//! deadlines across the cases a lawyer (or the agency) handles.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::legal::eligibility::EligibilityReport;
use crate::domain::legal::procedure::Deadline;
use crate::domain::parties::Role;
use crate::domain::workflow::CaseState;
use crate::error::{AppError, AppResult};
use crate::store::documents::{self, Document};
use crate::store::legal::{self as store, Proceeding};
use crate::store::{cases as case_store, users};

/// Kinds of the dossier's stored documents.
pub const DOSSIER_PDF: &str = "dossier_pdf";
pub const DOSSIER_ZIP: &str = "dossier_zip";

/// A case's proceeding as its readers see it.
#[derive(Debug, Clone)]
pub struct LegalView {
    pub proceeding: Proceeding,
    pub lawyer_name: Option<String>,
    /// Live deadlines as of today, earliest first.
    pub deadlines: Vec<Deadline>,
    /// A granted order left unserved six months (CPC 1411).
    pub order_lapsed: bool,
    /// The latest dossier produced (its PDF), if any: a creditor sees that it exists.
    pub dossier: Option<Document>,
    /// The eligibility report as of today (computed once here: the deadlines need its
    /// prescription dates, and the lawyer's page shows it).
    pub report: EligibilityReport,
    /// The conservatory measures and acts of enforcement recorded, oldest first.
    pub measures: Vec<store::Measure>,
}

/// The proceeding of a case the actor may see (`None` before referral).
pub fn view(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
) -> AppResult<Option<LegalView>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    let Some(p) = store::find(conn, case.id)? else {
        return Ok(None);
    };
    let today = clock.today();
    let open = CaseState::parse(&case.state).map_err(AppError::internal)? != CaseState::Closed;
    let report = super::eligibility::assess_case(conn, &case, today)?.report;
    let deadlines = if open {
        deadlines_with(&p, &report, today)?
    } else {
        Vec::new()
    };
    let lawyer_name = users::find(conn, p.lawyer_id)?.map(|u| u.display_name);
    let dossier = documents::of_case(conn, case.id)?
        .into_iter()
        .rfind(|d| d.kind == DOSSIER_PDF);
    let measures = store::measures_of(conn, case.id)?;
    Ok(Some(LegalView {
        order_lapsed: super::procedure::order_lapsed(&p, today)?,
        measures,
        proceeding: p,
        lawyer_name,
        deadlines,
        dossier,
        report,
    }))
}

/// The proceeding's deadlines, with the claim's prescription until the order is served.
fn deadlines_with(
    p: &Proceeding,
    report: &EligibilityReport,
    today: NaiveDate,
) -> AppResult<Vec<Deadline>> {
    let mut list = super::procedure::deadlines_of(p, report.earliest_prescription(), today)?;
    list.sort_by_key(|d| d.date);
    Ok(list)
}

/// One deadline of the agenda, with what a lawyer needs to sort their work: the case's
/// debtor, state and whether the injunction's conditions are met today.
#[derive(Debug, Clone)]
pub struct AgendaEntry {
    pub case_id: i64,
    pub reference: String,
    pub debtor: String,
    pub state: String,
    pub eligible: bool,
    pub deadline: Deadline,
}

/// The deadlines falling within `within_days` (and those already missed) of the open cases
/// the actor handles: a lawyer's own, every case for the agency's staff. Earliest first, at
/// most `limit`.
pub fn agenda(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    within_days: i64,
    limit: usize,
) -> AppResult<Vec<AgendaEntry>> {
    let lawyer = match actor.role {
        Role::Lawyer => Some(actor.user_id),
        Role::Admin | Role::Agent => None,
        Role::Creditor => return Err(AppError::forbidden()),
    };
    let today = clock.today();
    let proceedings = store::of_lawyer(conn, lawyer)?;
    let ids: Vec<i64> = proceedings.iter().map(|p| p.case_id).collect();
    let cases: HashMap<i64, _> = case_store::find_many(conn, &ids)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let debtor_ids: Vec<i64> = cases.values().map(|c| c.debtor_id).collect();
    let debtors: HashMap<i64, _> = case_store::find_debtors(conn, &debtor_ids)?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let table = crate::claims::rate_table(conn)?;
    let mut out = Vec::new();
    for p in &proceedings {
        let Some(case) = cases.get(&p.case_id) else {
            continue;
        };
        if case.state == CaseState::Closed.as_str() {
            continue;
        }
        let report = super::eligibility::assess_case_with(conn, case, today, &table)?.report;
        let debtor = debtors
            .get(&case.debtor_id)
            .map(|d| match &d.first_name {
                Some(f) => format!("{f} {}", d.name),
                None => d.name.clone(),
            })
            .unwrap_or_default();
        for d in deadlines_with(p, &report, today)? {
            if d.days_left <= within_days {
                out.push(AgendaEntry {
                    case_id: case.id,
                    reference: case.reference.clone(),
                    debtor: debtor.clone(),
                    state: case.state.clone(),
                    eligible: report.eligible,
                    deadline: d,
                });
            }
        }
    }
    out.sort_by_key(|e| (e.deadline.date, e.case_id));
    out.truncate(limit);
    Ok(out)
}
