//! Prescription of each invoice before legal action (LEGAL.md §4), on top of
//! [`crate::domain::deadlines`].
//!
//! - Regime: consumer debtor → 2 years (C. conso. L218-2); a trader on either
//!   side → 5 years (C. com. L110-4); otherwise 5 years (C. civ. 2224).
//! - Start *(convention)*: the due date, unless the agent set another start.
//! - Interruptions (acknowledgement, C. civ. 2240; court claim, 2241;
//!   enforcement measure, 2244) start a new period of the same length
//!   (2231), but only when they happen before the period ran out: an act after
//!   prescription is acquired revives nothing. Acts dated on or before the
//!   start, or after `today`, are ignored.
//! - The end is the raw date, never extended to a working day (C. civ. 2229).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::condition::{keys, Condition, ConditionStatus};
use super::court::DebtorProfile;
use crate::domain::deadlines::{
    prescription_end, prescription_status, DeadlineError, PrescriptionRegime, PrescriptionStatus,
};
use crate::domain::fmt::{date_long, le_date};

/// What the eligibility check needs about one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
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
    interruptions: &[NaiveDate],
    today: NaiveDate,
) -> Result<InvoicePrescription, DeadlineError> {
    let mut start = invoice.prescription_start.unwrap_or(invoice.due_date);
    let mut ends_on = prescription_end(start, regime)?;
    let mut restarted_on = None;
    let mut acts: Vec<NaiveDate> = interruptions
        .iter()
        .copied()
        .filter(|d| *d <= today)
        .collect();
    acts.sort_unstable();
    for act in acts {
        // C. civ. 2231: a new period of the same length from the act, if the
        // running one had not ended (the last day itself is still in time).
        if act > start && act <= ends_on {
            start = act;
            ends_on = prescription_end(act, regime)?;
            restarted_on = Some(act);
        }
    }
    Ok(InvoicePrescription {
        number: invoice.number.clone(),
        start,
        ends_on,
        status: prescription_status(ends_on, today),
        restarted_on,
        outstanding: invoice.outstanding,
    })
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
        .map(|l| format!("{} (dernier jour : {})", l.number, date_long(l.ends_on)))
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
                "{} ({}, {})",
                l.number,
                le_date(l.ends_on),
                days_phrase(days_left)
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
             la première le sera après {} (facture {}).",
            le_date(first.ends_on),
            first.number
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
