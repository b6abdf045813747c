//! Prescription of each invoice before legal action (LEGAL.md §4), on top of
//! [`crate::domain::deadlines`].
//!
//! - Regime: consumer debtor → 2 years (C. conso. L218-2); a trader on either
//!   side → 5 years (C. com. L110-4); otherwise 5 years (C. civ. 2224).
//! - Start *(convention)*: the due date, unless the agent set another start.
//! - Interruptions start a new period of the same length (C. civ. 2231): the
//!   debtor's acknowledgement (2240) — a partial payment, a payment plan the
//!   debtor agreed to, a promise to pay —, a court claim (2241: the filing of
//!   the requête), an enforcement measure (2244). A formal notice is none of
//!   these and interrupts nothing (Cass. com. 18 May 2022, n° 20-23.204). Only
//!   acts before the period ran out count: an act after prescription is
//!   acquired revives nothing. Acts dated on or before the start, or after
//!   `today`, are ignored. An act names its invoice (a payment the debtor
//!   imputed to it) or concerns the whole claim.
//! - The end is the raw date, never extended to a working day (C. civ. 2229).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::condition::{keys, Condition, ConditionStatus};
use super::court::DebtorProfile;
use crate::domain::deadlines::{
    prescription_end, prescription_status, DeadlineError, PrescriptionRegime, PrescriptionStatus,
};
use crate::domain::fmt::{date_long, le_date};

/// What kind of act interrupted prescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InterruptionKind {
    /// A partial payment: an acknowledgement of the debt (C. civ. 2240).
    PartialPayment,
    /// A payment plan the debtor agreed to: an acknowledgement (C. civ. 2240).
    PaymentPlan,
    /// A promise to pay: an acknowledgement (C. civ. 2240).
    Promise,
    /// The court claim: the requête filed (C. civ. 2241).
    CourtClaim,
    /// An enforcement measure (C. civ. 2244).
    EnforcementMeasure,
}

impl InterruptionKind {
    /// The article that makes it interrupt.
    pub fn article(self) -> &'static str {
        match self {
            InterruptionKind::PartialPayment
            | InterruptionKind::PaymentPlan
            | InterruptionKind::Promise => "C. civ. 2240",
            InterruptionKind::CourtClaim => "C. civ. 2241",
            InterruptionKind::EnforcementMeasure => "C. civ. 2244",
        }
    }

    /// French words for the report.
    pub fn french(self) -> &'static str {
        match self {
            InterruptionKind::PartialPayment => "paiement partiel",
            InterruptionKind::PaymentPlan => "échéancier accepté par le débiteur",
            InterruptionKind::Promise => "promesse de paiement",
            InterruptionKind::CourtClaim => "dépôt de la requête",
            InterruptionKind::EnforcementMeasure => "mesure conservatoire ou d'exécution forcée",
        }
    }
}

/// One act that interrupts prescription (C. civ. 2231).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interruption {
    /// What it was.
    pub kind: InterruptionKind,
    /// Its date: the new period starts there.
    pub date: NaiveDate,
    /// The invoice it concerns (a payment the debtor imputed to one invoice), `None` for the
    /// whole claim.
    pub invoice_id: Option<i64>,
}

/// What the eligibility check needs about one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// The invoice's id (what an [`Interruption`] names).
    pub id: i64,
    /// Invoice number as printed.
    pub number: String,
    /// Due date.
    pub due_date: NaiveDate,
    /// The agent's start of prescription, if not the due date.
    pub prescription_start: Option<NaiveDate>,
    /// Total still due on it (principal, interest, indemnity).
    pub outstanding: Decimal,
}

/// Where one invoice stands against prescription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePrescription {
    /// Invoice number.
    pub number: String,
    /// Start of the running period: the latest interruption if one restarted
    /// it, else the agent's start or the due date.
    pub start: NaiveDate,
    /// Last day on which action is in time (not extended, C. civ. 2229).
    pub ends_on: NaiveDate,
    /// Status on the report's day.
    pub status: PrescriptionStatus,
    /// Added: the interruption that restarted the period, if any (C. civ. 2231).
    pub restarted_on: Option<NaiveDate>,
    /// The act that restarted it (kind and date), if any.
    pub restarted_by: Option<Interruption>,
    /// Added: what is still due on the invoice; a paid invoice blocks nothing.
    pub outstanding: Decimal,
}

/// The regime of a claim against `debtor`.
pub fn regime(debtor: &DebtorProfile, creditor_is_trader: bool) -> PrescriptionRegime {
    if debtor.is_consumer {
        // C. conso. L218-2: a professional's action against a consumer.
        PrescriptionRegime::Consumer
    } else if creditor_is_trader || debtor.is_trader() {
        // C. com. L110-4: between traders, or trader and non-trader.
        PrescriptionRegime::Commercial
    } else {
        // C. civ. 2224.
        PrescriptionRegime::Civil
    }
}

/// The article of a regime.
pub fn regime_article(regime: PrescriptionRegime) -> &'static str {
    match regime {
        PrescriptionRegime::Consumer => "C. conso. L218-2",
        PrescriptionRegime::Commercial => "C. com. L110-4",
        PrescriptionRegime::Civil => "C. civ. 2224",
    }
}

/// The prescription of `invoice` on `today`, with `interruptions` applied.
pub fn invoice_prescription(
    invoice: &InvoiceFacts,
    regime: PrescriptionRegime,
    interruptions: &[Interruption],
    today: NaiveDate,
) -> Result<InvoicePrescription, DeadlineError> {
    let mut start = invoice.prescription_start.unwrap_or(invoice.due_date);
    let mut ends_on = prescription_end(start, regime)?;
    let mut restarted_by = None;
    let mut acts: Vec<Interruption> = interruptions
        .iter()
        .copied()
        .filter(|a| a.date <= today)
        .filter(|a| a.invoice_id.is_none_or(|id| id == invoice.id))
        .collect();
    acts.sort_by_key(|a| a.date);
    for act in acts {
        // C. civ. 2231: a new period of the same length from the act, if the
        // running one had not ended (the last day itself is still in time).
        if act.date > start && act.date <= ends_on {
            start = act.date;
            ends_on = prescription_end(act.date, regime)?;
            restarted_by = Some(act);
        }
    }
    let restarted_on = restarted_by.map(|a| a.date);
    Ok(InvoicePrescription {
        number: invoice.number.clone(),
        start,
        ends_on,
        status: prescription_status(ends_on, today),
        restarted_on,
        restarted_by,
        outstanding: invoice.outstanding,
    })
}

/// « , délai reparti le 12 mars 2025 (paiement partiel, C. civ. 2240) », or nothing when
/// the period runs from its start.
fn restart_phrase(line: &InvoicePrescription) -> String {
    match line.restarted_by {
        Some(a) => format!(
            ", délai reparti {} ({}, {})",
            le_date(a.date),
            a.kind.french(),
            a.kind.article()
        ),
        None => String::new(),
    }
}

/// « dans 20 jours », « dans 1 jour », « aujourd'hui ».
fn days_phrase(days_left: i64) -> String {
    match days_left {
        0 => "c'est aujourd'hui le dernier jour".to_string(),
        1 => "dans 1 jour".to_string(),
        n => format!("dans {n} jours"),
    }
}

/// The `not_prescribed` condition over the invoices still unpaid.
pub fn not_prescribed_condition(
    lines: &[InvoicePrescription],
    out_of_range: &[String],
    regime: PrescriptionRegime,
) -> Condition {
    let article = regime_article(regime);
    let title = "Créance non prescrite";
    let years = regime.years();
    if !out_of_range.is_empty() {
        return Condition::new(
            keys::NOT_PRESCRIBED,
            ConditionStatus::Failed,
            title,
            format!(
                "Date de départ de la prescription hors limites pour : {}.",
                out_of_range.join(", ")
            ),
            article,
        );
    }
    let unpaid: Vec<&InvoicePrescription> = lines
        .iter()
        .filter(|l| l.outstanding > Decimal::ZERO)
        .collect();
    let expired: Vec<String> = unpaid
        .iter()
        .filter(|l| l.status == PrescriptionStatus::Expired)
        .map(|l| {
            format!(
                "{} (dernier jour : {}{})",
                l.number,
                date_long(l.ends_on),
                restart_phrase(l)
            )
        })
        .collect();
    if !expired.is_empty() {
        return Condition::new(
            keys::NOT_PRESCRIBED,
            ConditionStatus::Failed,
            title,
            format!(
                "Prescription de {years} ans acquise pour {} {} : aucune action en justice \
                 n'est possible pour {} ({article}).",
                if expired.len() == 1 {
                    "la facture"
                } else {
                    "les factures"
                },
                expired.join(", "),
                if expired.len() == 1 { "elle" } else { "elles" },
            ),
            article,
        );
    }
    let soon: Vec<String> = unpaid
        .iter()
        .filter_map(|l| match l.status {
            PrescriptionStatus::EndingSoon { days_left } => Some(format!(
                "{} ({}, {}{})",
                l.number,
                le_date(l.ends_on),
                days_phrase(days_left),
                restart_phrase(l)
            )),
            _ => None,
        })
        .collect();
    if !soon.is_empty() {
        return Condition::new(
            keys::NOT_PRESCRIBED,
            ConditionStatus::Warning,
            title,
            format!(
                "Prescription de {years} ans bientôt acquise pour {} {} : l'ordonnance doit \
                 être obtenue et signifiée avant cette date pour l'interrompre (C. civ. 2241).",
                if soon.len() == 1 {
                    "la facture"
                } else {
                    "les factures"
                },
                soon.join(", "),
            ),
            article,
        );
    }
    let reason = match unpaid.iter().min_by_key(|l| l.ends_on) {
        Some(first) => format!(
            "Prescription de {years} ans ({article}) : aucune facture impayée n'est prescrite ; \
             la première le sera après {} (facture {}{}).",
            le_date(first.ends_on),
            first.number,
            restart_phrase(first)
        ),
        None => "Aucune facture ne reste impayée : rien ne peut être prescrit.".to_string(),
    };
    Condition::new(
        keys::NOT_PRESCRIBED,
        ConditionStatus::Met,
        title,
        reason,
        article,
    )
}
