//! Conservatory measures and enforcement acts recorded by the lawyer after a commissaire de
//! justice carried them out, and what they change (LEGAL-RULES.md, "Enforcement"):
//!
//! - Each one interrupts prescription: « Le délai de prescription ou le délai de forclusion
//!   est également interrompu par une mesure conservatoire prise en application du code des
//!   procédures civiles d'exécution ou un acte d'exécution forcée » (C. civ. 2244). A new
//!   period of the same length then starts (2231), before filing for the claim, and after the
//!   title for the ten years of enforcement (CPCE L111-4).
//! - An enforcement act needs an enforceable title (CPCE L111-2): it is dated on or after the
//!   day the order became one. A conservatory measure needs none (CPCE L511-1, with the
//!   judge's leave or, L511-2, without it for an unpaid cheque or a bill of exchange): it may
//!   be taken at any time of the legal phase.
//! - After a service not made to the debtor in person, the first enforcement measure making
//!   the debtor's assets unavailable in whole or in part starts the opposition month
//!   (CPC 1416 al. 2), when no act was served in person before it.

use chrono::NaiveDate;

use super::procedure::ProcedureFacts;
use crate::domain::fmt::le_date;
use crate::domain::parties::text_enum;

text_enum!(
    /// What the commissaire de justice did.
    MeasureKind {
        ProtectiveAttachment => "saisie_conservatoire",
        JudicialSecurity => "surete_judiciaire",
        AttachmentOfClaims => "saisie_attribution",
        AttachmentOfGoods => "saisie_vente",
        AttachmentOfEarnings => "saisie_remunerations",
        AttachmentOfShares => "saisie_droits_associes",
        AttachmentOfRealEstate => "saisie_immobiliere",
        OtherEnforcementAct => "autre_acte_execution",
    }
);

impl MeasureKind {
    /// A conservatory measure (CPCE L511-1) rather than an act of enforcement.
    pub fn is_conservatory(self) -> bool {
        matches!(
            self,
            MeasureKind::ProtectiveAttachment | MeasureKind::JudicialSecurity
        )
    }

    /// Whether it is « la première mesure d'exécution ayant pour effet de rendre indisponibles
    /// en tout ou partie les biens du débiteur » of CPC 1416 al. 2: an attachment by way of
    /// enforcement. A conservatory measure is no act of enforcement, and an act of another
    /// kind is not assumed to make assets unavailable.
    pub fn starts_opposition_month(self) -> bool {
        !self.is_conservatory() && self != MeasureKind::OtherEnforcementAct
    }

    /// The French name, as the case page and the report print it.
    pub fn french(self) -> &'static str {
        match self {
            MeasureKind::ProtectiveAttachment => "Saisie conservatoire",
            MeasureKind::JudicialSecurity => "Sûreté judiciaire",
            MeasureKind::AttachmentOfClaims => "Saisie-attribution",
            MeasureKind::AttachmentOfGoods => "Saisie-vente",
            MeasureKind::AttachmentOfEarnings => "Saisie des rémunérations",
            MeasureKind::AttachmentOfShares => "Saisie des droits d'associé et valeurs mobilières",
            MeasureKind::AttachmentOfRealEstate => "Saisie immobilière",
            MeasureKind::OtherEnforcementAct => "Autre acte d'exécution forcée",
        }
    }

    /// The text that governs it.
    pub fn article(self) -> &'static str {
        match self {
            MeasureKind::ProtectiveAttachment => "CPCE L521-1",
            MeasureKind::JudicialSecurity => "CPCE L531-1",
            MeasureKind::AttachmentOfClaims => "CPCE L211-1",
            MeasureKind::AttachmentOfGoods => "CPCE L221-1",
            MeasureKind::AttachmentOfEarnings => "CPCE L212-1",
            MeasureKind::AttachmentOfShares => "CPCE L231-1",
            MeasureKind::AttachmentOfRealEstate => "CPCE L311-1",
            MeasureKind::OtherEnforcementAct => "CPCE L111-2",
        }
    }
}

/// Checks a measure about to be recorded against the procedure's facts; the French reason
/// when it is refused. Dates: not after `today`, not before the referral (the procedure's
/// order), an enforcement act not before the title (CPCE L111-2).
pub fn check_measure(
    facts: &ProcedureFacts,
    kind: MeasureKind,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if date > today {
        return Err("La date de la mesure ne peut pas être dans le futur.".into());
    }
    if let Some(referred) = facts.referred_on {
        if date < referred {
            return Err(format!(
                "La mesure ne peut pas précéder la transmission du dossier à l'avocat ({}).",
                le_date(referred)
            ));
        }
    }
    if kind.is_conservatory() {
        return Ok(());
    }
    match facts.enforceable_on {
        None => Err(
            "Un acte d'exécution forcée suppose un titre exécutoire (CPCE L111-2) : constatez \
             d'abord le caractère exécutoire de l'ordonnance ; avant, seule une mesure \
             conservatoire est possible (CPCE L511-1)."
                .into(),
        ),
        Some(title) if date < title => Err(format!(
            "Un acte d'exécution forcée ne peut pas précéder le titre exécutoire ({}, \
             CPCE L111-2).",
            le_date(title)
        )),
        Some(_) => Ok(()),
    }
}

/// The facts after the measure: the latest enforcement act (from which the ten years of
/// CPCE L111-4 run again, C. civ. 2244) and, after a service not made in person with no act
/// served in person yet, the day the opposition month starts (CPC 1416 al. 2).
pub fn apply_measure(facts: &ProcedureFacts, kind: MeasureKind, date: NaiveDate) -> ProcedureFacts {
    let mut out = facts.clone();
    if !kind.is_conservatory() {
        out.last_enforcement_act_on = Some(match facts.last_enforcement_act_on {
            Some(d) if d > date => d,
            _ => date,
        });
    }
    if kind.starts_opposition_month()
        && facts.served_on.is_some()
        && facts.served_in_person == Some(false)
        && facts.first_personal_act_on.is_none()
    {
        out.first_personal_act_on = Some(date);
    }
    out
}

#[cfg(test)]
mod tests;
