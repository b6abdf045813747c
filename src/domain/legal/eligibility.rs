//! The eligibility report of a claim for an injunction of payment: every
//! condition of LEGAL.md §5, each under its stable key (see
//! [`super::condition::keys`]), the prescription of each invoice, the court,
//! and the other routes (§6). Pure: the caller gathers the facts.
//!
//! `eligible` is true when no blocking condition failed. A condition that
//! does not apply is `Info` (e.g. `formal_notice_expired` when no notice was
//! sent: only `formal_notice_sent` fails then).

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::condition::{keys, Condition, ConditionStatus};
use super::court::{propose_court, CourtProposal, DebtorProfile};
use super::prescription::{invoice_prescription, not_prescribed_condition, regime};
use super::routes::{court_fees, debtor_in_france, lawyer_on_opposition, small_claims};
use crate::domain::claim_error::ClaimError;
use crate::domain::deadlines::PrescriptionRegime;
use crate::domain::fmt::{euros, le_date};
use crate::domain::rates::Half;

pub use super::prescription::{Interruption, InterruptionKind, InvoiceFacts, InvoicePrescription};
pub use super::routes::{
    european_order_applies, EUROPEAN_ORDER_STATES, LAWYER_THRESHOLD, SMALL_CLAIMS_MAX,
};

/// The formal notice as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormalNoticeFacts {
    /// Day it was posted.
    pub sent_on: NaiveDate,
    /// Last day given to pay.
    pub deadline: NaiveDate,
}

/// An invoice still to fall due on the report's day: shown apart, never in the determined
/// amount (CPC 1405: the claim must be due).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToFallDue {
    /// Invoice number.
    pub number: String,
    /// Its due date, still to come (or today).
    pub due_date: NaiveDate,
    /// What it will claim (its principal outstanding).
    pub amount: Decimal,
}

/// Everything the eligibility check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityInput {
    /// The day of the report.
    pub today: NaiveDate,
    /// The claim has a contractual cause (invoices under orders or a contract).
    pub claim_is_contractual: bool,
    /// The invoices of the claim.
    pub invoices: Vec<InvoiceFacts>,
    /// The sum demanded: principal, interest and indemnity of the invoices already due on
    /// `today` (the statement's `totals.due.total`); `None` when the statement could not be
    /// computed.
    pub total_due: Option<Decimal>,
    /// The invoices still to fall due, shown apart.
    pub to_fall_due: Vec<ToFallDue>,
    /// Added: why the statement could not be computed, named in the reason.
    pub statement_error: Option<ClaimError>,
    /// Principal of the invoices already due.
    pub principal_due: Decimal,
    /// Of `total_due`, the flat recovery indemnities (C. com. D441-5): left out of the
    /// small-claims amount, which counts principal and interest only (CPCE R125-1).
    pub indemnity_due: Decimal,
    /// The formal notice, if one was sent.
    pub formal_notice: Option<FormalNoticeFacts>,
    /// The agency requires a formal notice before any requête (*convention*, an agency
    /// setting); by default its absence is only a warning: no prior amicable step is
    /// required for an injunction of payment (Cass., avis, 25 Sept. 2025).
    pub formal_notice_required: bool,
    /// A dispute is open on the claim.
    pub open_dispute: bool,
    /// The debtor.
    pub debtor: DebtorProfile,
    /// The creditor is a trader (the claim is commercial on its side).
    pub creditor_is_trader: bool,
    /// Acts that interrupt prescription (C. civ. 2240, 2241, 2244).
    pub interruptions: Vec<Interruption>,
    /// The directory of courts the competent court is found in (CPC 1406).
    pub courts: std::sync::Arc<super::courts::CourtDirectory>,
    /// The incidents of the debtor's life recorded on the case (collective proceedings,
    /// over-indebtedness, death, dissolution).
    pub incidents: Vec<super::incidents::IncidentFacts>,
}

/// The eligibility report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityReport {
    /// Every condition, in the order of [`keys::ALL`].
    pub conditions: Vec<Condition>,
    /// Each invoice's prescription, in input order.
    pub prescriptions: Vec<InvoicePrescription>,
    /// Added: the prescription regime applied.
    pub prescription_regime: PrescriptionRegime,
    /// The proposed court.
    pub court: CourtProposal,
    /// The small-claims route, when open (CPCE L125-1).
    pub small_claims_alternative: Option<String>,
    /// The European order for payment, when the debtor is in another member state.
    pub european_order: Option<String>,
    /// Above 10 000 €: a lawyer is required at the hearing after an opposition.
    pub lawyer_required_on_opposition: bool,
    /// No blocking condition failed.
    pub eligible: bool,
}

impl EligibilityReport {
    /// The first blocking condition that failed, in report order.
    pub fn first_blocking_failure(&self) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.forbids())
    }

    /// The condition of `key`.
    pub fn condition(&self, key: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.key == key)
    }

    /// The earliest end of prescription among the invoices still unpaid (to
    /// pass to `procedure::deadlines`).
    pub fn earliest_prescription(&self) -> Option<NaiveDate> {
        self.prescriptions
            .iter()
            .filter(|p| p.outstanding > Decimal::ZERO)
            .map(|p| p.ends_on)
            .min()
    }
}

/// Assesses `input`.
pub fn assess(input: &EligibilityInput) -> EligibilityReport {
    let court = propose_court(
        &input.debtor,
        input.creditor_is_trader,
        &input.courts,
        input.today,
    );
    let regime = regime(&input.debtor, input.creditor_is_trader);
    let mut prescriptions = Vec::with_capacity(input.invoices.len());
    let mut out_of_range = Vec::new();
    for inv in &input.invoices {
        match invoice_prescription(inv, regime, &input.interruptions, input.today) {
            Ok(p) => prescriptions.push(p),
            Err(_) => out_of_range.push(inv.number.clone()),
        }
    }
    let (small_claims, small_claims_alternative) = small_claims(
        input.total_due.map(|t| t - input.indemnity_due),
        input.claim_is_contractual,
    );
    let (lawyer, lawyer_required_on_opposition) = lawyer_on_opposition(input.total_due);
    let (in_france, european_order) = debtor_in_france(&input.debtor);
    let mut conditions = vec![
        contractual_claim(input.claim_is_contractual),
        determined_amount(input),
        formal_notice_sent(input.formal_notice, input.formal_notice_required),
        formal_notice_expired(input),
        not_prescribed_condition(&prescriptions, &out_of_range, regime),
        no_open_dispute(input.open_dispute),
        in_france,
        small_claims,
        lawyer,
        court_fees(&court),
    ];
    conditions.extend(super::incidents::conditions(&input.incidents, input.today));
    let eligible = !conditions.iter().any(Condition::forbids);
    EligibilityReport {
        conditions,
        prescriptions,
        prescription_regime: regime,
        court,
        small_claims_alternative,
        european_order,
        lawyer_required_on_opposition,
        eligible,
    }
}

fn met_or_failed(ok: bool) -> ConditionStatus {
    if ok {
        ConditionStatus::Met
    } else {
        ConditionStatus::Failed
    }
}

fn contractual_claim(contractual: bool) -> Condition {
    let reason = if contractual {
        "Créance de cause contractuelle : factures émises en exécution de commandes ou d'un contrat."
    } else {
        "La créance n'a pas de cause contractuelle ou statutaire : l'injonction de payer n'est pas \
         ouverte (CPC 1405)."
    };
    Condition::new(
        keys::CONTRACTUAL_CLAIM,
        met_or_failed(contractual),
        "Créance de cause contractuelle ou statutaire",
        reason.to_string(),
        "CPC 1405",
    )
}

/// French words for why the statement could not be computed.
fn statement_error_fr(err: Option<&ClaimError>) -> String {
    let half = |year: &i32, half: &Half| match half {
        Half::H1 => format!("le premier semestre {year}"),
        Half::H2 => format!("le second semestre {year}"),
    };
    match err {
        Some(ClaimError::MissingRate { year, half: h }) => format!(
            "aucun taux d'intérêt n'est saisi pour {} (à ajouter par un administrateur)",
            half(year, h)
        ),
        Some(ClaimError::DuplicateRate { year, half: h }) => {
            format!(
                "les taux d'intérêt pour {} sont saisis deux fois",
                half(year, h)
            )
        }
        Some(ClaimError::InvalidRate { year, half: h }) => {
            format!(
                "un taux d'intérêt saisi pour {} est hors bornes",
                half(year, h)
            )
        }
        Some(ClaimError::InvalidContractualRate) => {
            "le taux contractuel est hors bornes (0 à 1 000 %)".to_string()
        }
        Some(_) => "les factures ou les paiements du dossier sont à corriger".to_string(),
        None => "le décompte n'a pas pu être calculé".to_string(),
    }
}

/// « ; à échoir, non réclamé : F-2 (500,00 €, échéance le 15 mars 2026) », or nothing.
fn to_fall_due_phrase(lines: &[ToFallDue]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let each: Vec<String> = lines
        .iter()
        .map(|l| {
            format!(
                "{} ({}, échéance {})",
                l.number,
                euros(l.amount),
                le_date(l.due_date)
            )
        })
        .collect();
    format!(" ; à échoir, non réclamé : {}", each.join(", "))
}

fn determined_amount(input: &EligibilityInput) -> Condition {
    // CPC 1405: only the invoices due on the report's day make the determined amount; those
    // still to fall due are named apart (the statement's split, `domain::statement::is_due_on`).
    let apart = to_fall_due_phrase(&input.to_fall_due);
    let (status, reason) = match input.total_due {
        Some(total) if total > Decimal::ZERO => (
            ConditionStatus::Met,
            format!(
                "Montant déterminé et exigible : {} (dont {} en principal), arrêté {}{apart}.",
                euros(total),
                euros(input.principal_due),
                le_date(input.today)
            ),
        ),
        Some(_) if !input.to_fall_due.is_empty() => (
            ConditionStatus::Failed,
            format!("Aucune facture n'est encore échue : rien n'est exigible{apart} (CPC 1405)."),
        ),
        Some(total) => (
            ConditionStatus::Failed,
            format!("Rien n'est dû sur ce dossier (solde : {}).", euros(total)),
        ),
        None => (
            ConditionStatus::Failed,
            format!(
                "Le montant n'est pas déterminé : {}.",
                statement_error_fr(input.statement_error.as_ref())
            ),
        ),
    };
    Condition::new(
        keys::DETERMINED_AMOUNT,
        status,
        "Montant déterminé",
        reason,
        "CPC 1405",
    )
}

fn formal_notice_sent(notice: Option<FormalNoticeFacts>, required: bool) -> Condition {
    let (status, reason) = match notice {
        Some(n) => (
            ConditionStatus::Met,
            format!("Mise en demeure envoyée {}.", le_date(n.sent_on)),
        ),
        // Convention of the agency (its settings): no requête without a formal notice.
        None if required => (
            ConditionStatus::Failed,
            "Aucune mise en demeure n'a été envoyée au débiteur : l'agence en exige une avant \
             toute requête en injonction de payer (paramètre de l'agence)."
                .to_string(),
        ),
        // No prior amicable step is required for an injunction of payment (Cass., avis,
        // 25 Sept. 2025): a warning, since interest at the legal rate runs only from a
        // formal notice (C. civ. 1231-6, 1344-1).
        None => (
            ConditionStatus::Warning,
            "Aucune mise en demeure n'a été envoyée au débiteur : elle n'est pas exigée avant \
             une requête en injonction de payer (Cass., avis, 25 septembre 2025), mais elle fait \
             courir les intérêts au taux légal (C. civ. 1231-6 et 1344-1)."
                .to_string(),
        ),
    };
    Condition::new(
        keys::FORMAL_NOTICE_SENT,
        status,
        "Mise en demeure envoyée",
        reason,
        "C. civ. 1344",
    )
}

fn formal_notice_expired(input: &EligibilityInput) -> Condition {
    // Without a statement, the principal tells whether anything is unpaid.
    let unpaid = input
        .total_due
        .map_or(input.principal_due > Decimal::ZERO, |t| t > Decimal::ZERO);
    let (status, reason) = match input.formal_notice {
        None => (
            ConditionStatus::Info,
            "Sans objet : aucune mise en demeure n'a été envoyée.".to_string(),
        ),
        Some(n) if n.deadline < n.sent_on => (
            ConditionStatus::Failed,
            format!(
                "La date limite de paiement ({}) précède l'envoi de la mise en demeure ({}) : \
                 dates à corriger.",
                le_date(n.deadline),
                le_date(n.sent_on)
            ),
        ),
        Some(n) if input.today <= n.deadline => (
            ConditionStatus::Failed,
            format!(
                "Le délai de paiement de la mise en demeure expire {} : la requête est possible \
                 à partir du lendemain{}.",
                le_date(n.deadline),
                n.deadline
                    .checked_add_days(Days::new(1))
                    .map(|d| format!(", {}", le_date(d)))
                    .unwrap_or_default()
            ),
        ),
        Some(_) if !unpaid => (
            ConditionStatus::Failed,
            "La créance est soldée : plus rien n'est dû.".to_string(),
        ),
        Some(n) => (
            ConditionStatus::Met,
            format!(
                "Le délai de paiement de la mise en demeure a expiré {} et la créance reste \
                 impayée.",
                le_date(n.deadline)
            ),
        ),
    };
    Condition::new(
        keys::FORMAL_NOTICE_EXPIRED,
        status,
        "Délai de la mise en demeure expiré",
        reason,
        "C. civ. 1344",
    )
}

fn no_open_dispute(open: bool) -> Condition {
    let reason = if open {
        "Une contestation du débiteur est ouverte : le juge ne rend l'ordonnance que si la demande \
         lui paraît fondée (CPC 1409) ; la contestation doit être traitée avant la requête."
    } else {
        "Aucune contestation n'est ouverte sur la créance."
    };
    Condition::new(
        keys::NO_OPEN_DISPUTE,
        met_or_failed(!open),
        "Aucune contestation en cours",
        reason.to_string(),
        "CPC 1409",
    )
}

#[cfg(test)]
mod tests;
