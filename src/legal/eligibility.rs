//! The eligibility report of a case (CPC 1405–1407, LEGAL.md §5–6), built from what the
//! database knows, and the check that stops a dossier while a blocking condition fails.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::claim::{self, ClaimInput, ClaimKind};
use crate::domain::legal::eligibility::{
    assess, EligibilityInput, EligibilityReport, FormalNoticeFacts, Interruption, InterruptionKind,
    InvoiceFacts, ToFallDue,
};
use crate::domain::legal::DebtorProfile;
use crate::domain::parties::DebtorKind;
use crate::domain::rates::RateTable;
use crate::domain::statement::Statement;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::cases::{self as case_store, Case, Debtor};
use crate::store::orgs::Organisation;
use crate::store::{arrangements, legal as legal_store, orgs, recovery};

/// Everything the report was built from, for the dossier to reuse.
pub struct Assessment {
    pub report: EligibilityReport,
    pub claim: ClaimInput,
    /// The statement as of the report's day (`None` when it could not be computed: the
    /// report says why).
    pub statement: Option<Statement>,
    pub debtor: Debtor,
    pub creditor: Organisation,
}

/// The report for the agency's staff and the case's lawyer (creditors: `FORBIDDEN`).
pub fn report(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    case_id: i64,
) -> AppResult<EligibilityReport> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    super::require_legal_reader(actor)?;
    Ok(assess_case(conn, &case, clock.today())?.report)
}

/// What the debtor looks like to the court rules.
pub fn debtor_profile(d: &Debtor) -> DebtorProfile {
    DebtorProfile {
        is_company: d.kind == DebtorKind::Company.as_str(),
        legal_form: d.legal_form.clone(),
        has_siren: d.siren.is_some(),
        is_consumer: d.is_consumer,
        postal_code: d.postal_code.clone(),
        city: d.city.clone(),
        country: d.country.clone(),
    }
}

/// Whether the creditor organisation is a trader (its legal form says it).
pub fn creditor_is_trader(org: &Organisation) -> bool {
    DebtorProfile {
        is_company: true,
        legal_form: Some(org.legal_form.clone()),
        has_siren: true,
        is_consumer: false,
        postal_code: org.postal_code.clone(),
        city: org.city.clone(),
        country: org.country.clone(),
    }
    .is_trader()
}

/// Builds the report of `case` as of `today`.
pub(crate) fn assess_case(
    conn: &mut DbConn,
    case: &Case,
    today: NaiveDate,
) -> AppResult<Assessment> {
    let table = crate::claims::rate_table(conn)?;
    assess_case_with(conn, case, today, &table)
}

/// [`assess_case`] with the rate table already loaded (the agenda assesses many cases).
pub(crate) fn assess_case_with(
    conn: &mut DbConn,
    case: &Case,
    today: NaiveDate,
    table: &RateTable,
) -> AppResult<Assessment> {
    let debtor = case_store::find_debtors(conn, &[case.debtor_id])?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("case without debtor"))?;
    let creditor = orgs::find(conn, case.creditor_org_id)?
        .ok_or_else(|| AppError::internal("case without creditor"))?;
    let claim = crate::claims::claim_input(conn, case)?;
    let (statement, statement_error) = match claim::statement(&claim, today, table) {
        Ok(st) => (Some(st), None),
        Err(e) => (None, Some(e)),
    };
    // Interest stopped at the rate table's end: the amount is not determined on `today`
    // (CPC 1405) until the missing half-year is entered.
    let incomplete = statement
        .as_ref()
        .and_then(|s| s.interest_stopped)
        .map(|stop| claim::ClaimError::MissingRate {
            year: stop.missing.year,
            half: stop.missing.half,
        });
    let statement_error = statement_error.or(incomplete);
    let total_due = match statement_error {
        Some(_) => None,
        None => statement.as_ref().map(|s| s.totals.due.total),
    };
    let invoices = claim
        .invoices
        .iter()
        .map(|i| InvoiceFacts {
            id: i.id,
            number: i.number.clone(),
            due_date: i.due_date,
            prescription_start: None,
            outstanding: statement
                .as_ref()
                .and_then(|s| s.invoices.iter().find(|l| l.invoice_id == i.id))
                .map(|l| l.total_due)
                // Without a statement, what is unpaid of the principal still counts.
                .unwrap_or(i.amount - i.paid_before_intake),
        })
        .collect();
    let notice = recovery::case_recovery(conn, case.id)?.and_then(|r| {
        match (r.formal_notice_posted_on, r.formal_notice_deadline) {
            (Some(sent_on), Some(deadline)) => Some(FormalNoticeFacts { sent_on, deadline }),
            _ => None,
        }
    });
    let interruptions = interruptions_of(conn, case, &claim)?;
    // CPC 1405: the determined amount is what is due on the report's day; the invoices still
    // to fall due are named apart (the statement's split, one rule for every document).
    let to_fall_due = statement
        .as_ref()
        .map(|s| {
            s.to_fall_due_lines()
                .map(|l| ToFallDue {
                    number: l.number.clone(),
                    due_date: l.due_date,
                    amount: l.total_due,
                })
                .collect()
        })
        .unwrap_or_default();
    let input = EligibilityInput {
        today,
        // Invoices for goods or services ordered: a contractual cause (CPC 1405).
        claim_is_contractual: true,
        invoices,
        total_due,
        to_fall_due,
        statement_error,
        principal_due: statement
            .as_ref()
            .map(|s| s.totals.due.principal)
            .unwrap_or(Decimal::ZERO),
        indemnity_due: statement
            .as_ref()
            .map(|s| s.totals.due.indemnity)
            .unwrap_or(Decimal::ZERO),
        formal_notice: notice,
        formal_notice_required: recovery::settings(conn)?.require_formal_notice,
        open_dispute: arrangements::open_dispute(conn, case.id)?.is_some(),
        debtor: debtor_profile(&debtor),
        creditor_is_trader: creditor_is_trader(&creditor),
        interruptions,
        courts: super::courts::current(conn)?,
        incidents: crate::cases::incidents::facts_of(&crate::store::incidents::of_case(
            conn, case.id,
        )?),
    };
    Ok(Assessment {
        report: assess(&input),
        claim,
        statement,
        debtor,
        creditor,
    })
}

/// The acts of the case that interrupt prescription (C. civ. 2231), from what the store
/// records: each payment (an acknowledgement, 2240; of the invoice the debtor named, else of
/// the whole claim *(convention)*), each payment plan the debtor agreed to that took effect
/// (running, completed or broken: 2240, from the day it was proposed), each promise to pay not
/// cancelled (2240, from the day it was made; the agent records promises the debtor made and
/// the agency keeps their proof *(convention)*), and the requête filed unless it was rejected
/// (2241, 2243), and each conservatory measure or act of enforcement recorded (2244; the
/// hand-over to a commissaire de justice is none). A formal notice is none of these (Cass.
/// com. 18 May 2022).
fn interruptions_of(
    conn: &mut DbConn,
    case: &Case,
    claim: &ClaimInput,
) -> AppResult<Vec<Interruption>> {
    let mut out: Vec<Interruption> = claim
        .payments
        .iter()
        .map(|p| Interruption {
            kind: InterruptionKind::PartialPayment,
            date: p.date,
            invoice_id: p.invoice_id,
        })
        .collect();
    for plan in arrangements::plans_of(conn, case.id)? {
        if matches!(plan.status.as_str(), "active" | "completed" | "broken") {
            out.push(Interruption {
                kind: InterruptionKind::PaymentPlan,
                date: plan.proposed_at.date(),
                invoice_id: None,
            });
        }
    }
    for promise in arrangements::promises_of(conn, case.id)? {
        if promise.status != "cancelled" {
            out.push(Interruption {
                kind: InterruptionKind::Promise,
                date: promise.made_on,
                invoice_id: None,
            });
        }
    }
    for m in legal_store::measures_of(conn, case.id)? {
        out.push(Interruption {
            kind: InterruptionKind::EnforcementMeasure,
            date: m.measure_on,
            invoice_id: None,
        });
    }
    if let Some(p) = legal_store::find(conn, case.id)? {
        let rejected = p.order_outcome.as_deref() == Some("rejected");
        if let (Some(filed_on), false) = (p.filed_on, rejected) {
            out.push(Interruption {
                kind: InterruptionKind::CourtClaim,
                date: filed_on,
                invoice_id: None,
            });
        }
    }
    Ok(out)
}

/// Rules of contact: no demand for a prescribed claim (C. civ. 2219; issue 18: the report's
/// prescription check applies to reminders and the formal notice too). `INELIGIBLE`, field
/// `not_prescribed`, when an unpaid invoice is prescribed on `today`.
pub(crate) fn require_not_prescribed(
    conn: &mut DbConn,
    case: &Case,
    today: NaiveDate,
) -> AppResult<()> {
    let report = assess_case(conn, case, today)?.report;
    match report.condition(crate::domain::legal::keys::NOT_PRESCRIBED) {
        Some(c) if c.status == crate::domain::legal::ConditionStatus::Failed => Err(AppError {
            field: Some(c.key.to_string()),
            ..AppError::new(ErrorCode::Ineligible, format!("{} — {}", c.title, c.reason))
        }),
        _ => Ok(()),
    }
}

/// `INELIGIBLE` naming the first blocking condition that fails (its key in `field`).
pub fn require_eligible(report: &EligibilityReport) -> AppResult<()> {
    match report.first_blocking_failure() {
        None => Ok(()),
        Some(c) => Err(AppError {
            field: Some(c.key.to_string()),
            ..AppError::new(
                ErrorCode::Ineligible,
                format!("{} — {} ({})", c.title, c.reason, c.article),
            )
        }),
    }
}

/// The interest wording of the requête and the statement, from the claim's regime and the
/// rates the statement applied: the same sentence as the letters (`domain::wording`).
pub fn interest_basis(claim: &ClaimInput, statement: Option<&Statement>) -> String {
    match statement {
        Some(st) => crate::recovery::letters::interest_basis(claim, st),
        None => {
            use crate::domain::wording::{self, InterestRegime};
            let regime = match (claim.kind, claim.contractual_rate) {
                (ClaimKind::B2C, _) => InterestRegime::Consumer,
                (ClaimKind::B2B, Some(rate)) => InterestRegime::Contractual(rate),
                (ClaimKind::B2B, None) => InterestRegime::StatutoryB2b,
            };
            wording::interest_basis(regime, &[])
        }
    }
}
