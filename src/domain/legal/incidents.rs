//! The incidents of a debtor's life that freeze the recovery of a claim, and what each one
//! changes (LEGAL-RULES.md, "Incidents of the debtor's life"):
//!
//! - **Procédures collectives.** « Le jugement d'ouverture interrompt ou interdit toute action
//!   en justice de la part de tous les créanciers » tending to the payment of a sum of money,
//!   and every enforcement measure (C. com. L622-21 for the sauvegarde, applied to the
//!   redressement by L631-14 and to the liquidation by L641-3). The judgment takes effect from
//!   0 h of its date (R621-4, R631-7, R641-1): anything done that day is after it. It stops
//!   interest, « à moins qu'il ne s'agisse des intérêts résultant de contrats de prêt conclus
//!   pour une durée égale ou supérieure à un an » (L622-28): interest runs through the day
//!   before the judgment. The debtor may no longer pay earlier debts (L622-7): a payment
//!   received from the judgment's day on is flagged. The creditor declares its claim to the
//!   mandataire within two months of the BODACC publication, four months when it is established
//!   outside metropolitan France (R622-24, for a proceeding opened by a court of metropolitan
//!   France); the relief from the late declaration can be asked within six months of the same
//!   publication (L622-26 al. 3).
//! - **Surendettement.** Once the file is declared admissible, proceedings and enforcement on
//!   the consumer's debts are suspended and forbidden (C. conso. L722-2); a rétablissement
//!   personnel erases them (L741-2, L742-22).
//! - **Death.** The heir cannot be forced to choose before four months from the opening of the
//!   succession (C. civ. 771 al. 1); after that a creditor may summon it, and it has two months
//!   from the summons (772). Letters stop being addressed to the deceased.
//! - **Dissolution, merger, striking-off.** A merger or a transmission universelle de
//!   patrimoine leaves the creditors thirty days from the publication to oppose (C. com. L236-15
//!   and R236-8 for a merger; C. civ. 1844-5 al. 3 for the TUP); a company struck off keeps its
//!   legal personality for its remaining debts (case law). The agent decides; letters stop
//!   meanwhile *(convention)*.
//!
//! Every incident stops the case's demands: reminders and playbook steps, promises and plans,
//! the formal notice, the referral and every legal step ([`freezes`]), until it is ended.

use chrono::NaiveDate;

use super::condition::{keys, Condition, ConditionStatus};
use crate::domain::calendar::{add_days_deadline, add_months, add_months_deadline};
use crate::domain::fmt::{date_long, le_date};
use crate::domain::parties::text_enum;
use crate::domain::workflow::Action;

text_enum!(
    /// What happened to the debtor.
    IncidentKind {
        Safeguard => "sauvegarde",
        Receivership => "redressement_judiciaire",
        Liquidation => "liquidation_judiciaire",
        OverIndebtedness => "surendettement",
        Death => "deces",
        Dissolution => "dissolution",
        Merger => "fusion",
        StruckOff => "radiation",
    }
);

/// The four families of incidents, one eligibility condition each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Sauvegarde, redressement, liquidation judiciaire.
    Collective,
    /// A consumer's over-indebtedness file.
    OverIndebtedness,
    /// A natural person died.
    Death,
    /// A company dissolved, merged or struck off.
    CompanyEnded,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 4] = [
        Family::Collective,
        Family::OverIndebtedness,
        Family::Death,
        Family::CompanyEnded,
    ];

    /// The eligibility condition of the family.
    pub fn condition_key(self) -> &'static str {
        match self {
            Family::Collective => keys::NO_COLLECTIVE_PROCEEDINGS,
            Family::OverIndebtedness => keys::NO_OVER_INDEBTEDNESS,
            Family::Death => keys::DEBTOR_ALIVE,
            Family::CompanyEnded => keys::COMPANY_ACTIVE,
        }
    }
}

impl IncidentKind {
    /// Its family.
    pub fn family(self) -> Family {
        match self {
            IncidentKind::Safeguard | IncidentKind::Receivership | IncidentKind::Liquidation => {
                Family::Collective
            }
            IncidentKind::OverIndebtedness => Family::OverIndebtedness,
            IncidentKind::Death => Family::Death,
            IncidentKind::Dissolution | IncidentKind::Merger | IncidentKind::StruckOff => {
                Family::CompanyEnded
            }
        }
    }

    /// The French name, as the case page and the report print it.
    pub fn french(self) -> &'static str {
        match self {
            IncidentKind::Safeguard => "Procédure de sauvegarde",
            IncidentKind::Receivership => "Redressement judiciaire",
            IncidentKind::Liquidation => "Liquidation judiciaire",
            IncidentKind::OverIndebtedness => "Dossier de surendettement recevable",
            IncidentKind::Death => "Décès du débiteur",
            IncidentKind::Dissolution => "Dissolution de la société",
            IncidentKind::Merger => "Fusion ou transmission universelle de patrimoine",
            IncidentKind::StruckOff => "Radiation du registre",
        }
    }

    /// The text that makes it stop the recovery.
    pub fn article(self) -> &'static str {
        match self {
            IncidentKind::Safeguard => "C. com. L622-21",
            IncidentKind::Receivership => "C. com. L631-14, L622-21",
            IncidentKind::Liquidation => "C. com. L641-3, L622-21",
            IncidentKind::OverIndebtedness => "C. conso. L722-2",
            IncidentKind::Death => "C. civ. 771-772",
            IncidentKind::Dissolution => "C. civ. 1844-7, 1844-8",
            IncidentKind::Merger => "C. com. L236-15, R236-8 ; C. civ. 1844-5",
            IncidentKind::StruckOff => "C. com. R123-125",
        }
    }

    /// What the date it happened on is called.
    fn date_word(self) -> &'static str {
        match self.family() {
            Family::Collective => "jugement d'ouverture",
            Family::OverIndebtedness => "décision de recevabilité",
            Family::Death => "décès",
            Family::CompanyEnded => match self {
                IncidentKind::Dissolution => "dissolution",
                IncidentKind::Merger => "fusion",
                _ => "radiation",
            },
        }
    }
}

text_enum!(
    /// How an incident ended, as the agency records it: `resumed` — the freeze is lifted and
    /// recovery goes on (a plan of continuation, the commission's plan, the heirs or the
    /// notary known, the company still answering), the agency's decision;
    /// `closed_unrecoverable` — nothing more can be recovered (a liquidation closed for want
    /// of assets, C. com. L643-11; a company struck off with nothing left), the case closes
    /// as unrecoverable; `debt_erased` — a rétablissement personnel erased the debt
    /// (C. conso. L741-2, L742-22), once final, the case closes with that outcome.
    IncidentEnd {
        Resumed => "resumed",
        ClosedUnrecoverable => "closed_unrecoverable",
        DebtErased => "debt_erased",
    }
);

impl IncidentEnd {
    /// The French name.
    pub fn french(self) -> &'static str {
        match self {
            IncidentEnd::Resumed => "Reprise du recouvrement (décision de l'agence)",
            IncidentEnd::ClosedUnrecoverable => "Dossier clos : créance irrécouvrable",
            IncidentEnd::DebtErased => "Dossier clos : dette effacée (rétablissement personnel)",
        }
    }
}

text_enum!(
    /// The juge-commissaire's decision on a declared claim (C. com. L624-2): `admitted` in
    /// full, `partly_admitted` for an amount, `rejected`, or `contested` (the mandataire
    /// disputes it, L622-27, and the decision is pending).
    ClaimDecision {
        Admitted => "admitted",
        PartlyAdmitted => "partly_admitted",
        Rejected => "rejected",
        Contested => "contested",
    }
);

impl ClaimDecision {
    /// The French name.
    pub fn french(self) -> &'static str {
        match self {
            ClaimDecision::Admitted => "admise",
            ClaimDecision::PartlyAdmitted => "admise en partie",
            ClaimDecision::Rejected => "rejetée",
            ClaimDecision::Contested => "contestée, décision attendue",
        }
    }
}

/// An incident as recorded on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFacts {
    pub kind: IncidentKind,
    /// The judgment, the admissibility decision, the death, the dissolution, the merger or
    /// the striking-off.
    pub occurred_on: NaiveDate,
    /// Its BODACC publication (collective proceedings, mergers, striking-off).
    pub published_on: Option<NaiveDate>,
    /// The creditor is established outside metropolitan France (R622-24: four months).
    pub creditor_abroad: bool,
    /// The claim is interest of a loan of a year or more (L622-28: interest keeps running).
    pub long_term_loan: bool,
    /// The day the claim was declared to the mandataire.
    pub declared_on: Option<NaiveDate>,
    /// The day the incident was ended, and how.
    pub ended: Option<(NaiveDate, IncidentEnd)>,
}

/// A date the case page and the API show for an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentDate {
    /// Stable key (`declaration_deadline`, `relief_deadline`, `heirs_summons_from`,
    /// `opposition_deadline`, `interest_stops_on`).
    pub key: &'static str,
    /// French label with its article.
    pub label: String,
    pub date: NaiveDate,
}

impl IncidentFacts {
    /// In force on `today`: it happened and was not ended.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.occurred_on <= today && self.ended.is_none_or(|(on, _)| on > today)
    }

    /// L622-28: the day interest stops (none runs on it or after), for a collective
    /// proceeding, unless the claim is a loan's of a year or more.
    pub fn interest_stops_on(&self) -> Option<NaiveDate> {
        (self.kind.family() == Family::Collective && !self.long_term_loan)
            .then_some(self.occurred_on)
    }

    /// R622-24: the last day to declare the claim, two months from the BODACC publication
    /// (four for a creditor outside metropolitan France), extended to the next working day
    /// (CPC 642; the declaration's deadline is counted under CPC 640–642).
    pub fn declaration_deadline(&self) -> Option<NaiveDate> {
        if self.kind.family() != Family::Collective {
            return None;
        }
        let months = if self.creditor_abroad { 4 } else { 2 };
        add_months_deadline(self.published_on?, months).ok()
    }

    /// L622-26 al. 3: the relief from a late declaration can be asked within six months of
    /// the publication of the opening judgment.
    pub fn relief_deadline(&self) -> Option<NaiveDate> {
        if self.kind.family() != Family::Collective {
            return None;
        }
        add_months_deadline(self.published_on?, 6).ok()
    }

    /// C. civ. 771 al. 1: the first day the heir may be summoned to choose (the four months
    /// from the death have expired); 772: it then has two months from the summons.
    pub fn heirs_summons_from(&self) -> Option<NaiveDate> {
        if self.kind != IncidentKind::Death {
            return None;
        }
        add_months(self.occurred_on, 4).ok()?.succ_opt()
    }

    /// C. com. R236-8 (merger), C. civ. 1844-5 al. 3 (TUP): the creditors' thirty days to
    /// oppose, from the publication (or, unknown, from the merger's date).
    pub fn opposition_deadline(&self) -> Option<NaiveDate> {
        if self.kind != IncidentKind::Merger {
            return None;
        }
        add_days_deadline(self.published_on.unwrap_or(self.occurred_on), 30).ok()
    }

    /// The dates to show, in this order.
    pub fn dates(&self) -> Vec<IncidentDate> {
        let mut out = Vec::new();
        let mut push = |key, label: &str, date: Option<NaiveDate>| {
            if let Some(date) = date {
                out.push(IncidentDate {
                    key,
                    label: label.to_string(),
                    date,
                });
            }
        };
        push(
            "interest_stops_on",
            "Arrêt du cours des intérêts (C. com. L622-28)",
            self.interest_stops_on(),
        );
        push(
            "declaration_deadline",
            if self.creditor_abroad {
                "Déclaration de créance au mandataire, au plus tard (C. com. R622-24, créancier \
                 hors métropole : quatre mois)"
            } else {
                "Déclaration de créance au mandataire, au plus tard (C. com. R622-24)"
            },
            self.declaration_deadline(),
        );
        push(
            "relief_deadline",
            "Relevé de forclusion à demander au plus tard (C. com. L622-26)",
            self.relief_deadline(),
        );
        push(
            "heirs_summons_from",
            "Sommation d'opter possible à partir du (C. civ. 771 ; l'héritier a ensuite deux \
             mois, C. civ. 772)",
            self.heirs_summons_from(),
        );
        push(
            "opposition_deadline",
            "Opposition des créanciers au plus tard (C. com. R236-8 ; C. civ. 1844-5)",
            self.opposition_deadline(),
        );
        out
    }

    /// Whether the declaration deadline passed without a declaration, on `today`.
    pub fn declaration_missed(&self, today: NaiveDate) -> bool {
        self.declared_on.is_none() && self.declaration_deadline().is_some_and(|d| d < today)
    }

    /// The French sentence saying why the case is frozen.
    pub fn freeze_reason(&self) -> String {
        let what = match self.kind.family() {
            Family::Collective => {
                "toute action et toute mesure d'exécution des créanciers antérieurs sont \
                 interrompues ou interdites"
            }
            Family::OverIndebtedness => {
                "les procédures d'exécution et les demandes de paiement sont suspendues et \
                 interdites"
            }
            Family::Death => {
                "aucune lettre n'est plus adressée au débiteur ; le recouvrement se poursuit \
                 auprès de la succession ou du notaire, sur décision de l'agence"
            }
            Family::CompanyEnded => {
                "les relances sont arrêtées jusqu'à la décision de l'agence sur la suite du \
                 recouvrement"
            }
        };
        format!(
            "{} ({} du {}) : {what} ({}).",
            self.kind.french(),
            self.kind.date_word(),
            date_long(self.occurred_on),
            self.kind.article()
        )
    }
}

/// Whether `action` is a demand or a step of recovery that an incident in force stops: a
/// promise or a plan (L622-7: the debtor may not pay an earlier debt), the formal notice, the
/// referral and every step of the injunction and its enforcement (L622-21, C. conso. L722-2).
/// Facts that happen without the agency — a payment received (flagged), a call logged, a
/// dispute, a court's decision or a letter's delivery — are still recorded.
pub fn freezes(action: Action) -> bool {
    matches!(
        action,
        Action::RecordPromise
            | Action::ProposePlan
            | Action::PrepareFormalNotice
            | Action::PostFormalNotice
            | Action::ReferToLawyer
            | Action::RecordFiling
            | Action::RecordService
            | Action::RecordPersonalAct
            | Action::HandOverEnforcement
            | Action::RecordMeasure
    )
}

/// The first incident in force on `today`, which stops the case's demands.
pub fn freezing(incidents: &[IncidentFacts], today: NaiveDate) -> Option<&IncidentFacts> {
    incidents.iter().find(|i| i.in_force(today))
}

/// Checks an incident about to be recorded; when it is refused, the input field at fault
/// (`occurredOn`, `publishedOn` or `kind`) and the French reason.
pub fn check_record(
    kind: IncidentKind,
    occurred_on: NaiveDate,
    published_on: Option<NaiveDate>,
    debtor_is_company: bool,
    debtor_is_consumer: bool,
    today: NaiveDate,
) -> Result<(), (&'static str, String)> {
    if occurred_on > today {
        return Err((
            "occurredOn",
            "La date de l'événement ne peut pas être dans le futur.".into(),
        ));
    }
    if let Some(p) = published_on {
        if p < occurred_on {
            return Err((
                "publishedOn",
                format!(
                    "La publication ne peut pas précéder l'événement ({}).",
                    le_date(occurred_on)
                ),
            ));
        }
        if p > today {
            return Err((
                "publishedOn",
                "La date de publication ne peut pas être dans le futur.".into(),
            ));
        }
    }
    let why = match kind.family() {
        // C. conso. L711-1: the over-indebtedness procedure is open to natural persons for
        // their non-professional debts.
        Family::OverIndebtedness if !debtor_is_consumer => {
            "Le surendettement ne concerne que les particuliers pour leurs dettes non \
             professionnelles (C. conso. L711-1) : le débiteur n'est pas un consommateur."
        }
        Family::Death if debtor_is_company => {
            "Une société ne décède pas : enregistrez sa dissolution ou sa radiation."
        }
        Family::CompanyEnded if !debtor_is_company => {
            "Dissolution, fusion et radiation concernent une société : le débiteur est une \
             personne physique."
        }
        // C. com. L620-2, L631-2, L640-2: traders, craftsmen, farmers, independent
        // professionals and private legal persons — never a consumer for a private debt.
        Family::Collective if debtor_is_consumer => {
            "Une procédure collective ne s'ouvre pas contre un consommateur (C. com. L620-2) : \
             pour un particulier, enregistrez un dossier de surendettement."
        }
        _ => return Ok(()),
    };
    Err(("kind", why.to_string()))
}

/// Checks the end of `incident` on `ended_on` as `end`.
pub fn check_end(
    incident: &IncidentFacts,
    ended_on: NaiveDate,
    end: IncidentEnd,
    today: NaiveDate,
) -> Result<(), String> {
    if incident.ended.is_some() {
        return Err("Cet événement est déjà clos.".into());
    }
    if ended_on > today {
        return Err("La date de fin ne peut pas être dans le futur.".into());
    }
    if ended_on < incident.occurred_on {
        return Err(format!(
            "La fin ne peut pas précéder l'événement ({}).",
            le_date(incident.occurred_on)
        ));
    }
    if end == IncidentEnd::DebtErased && incident.kind != IncidentKind::OverIndebtedness {
        return Err(
            "Seul un rétablissement personnel efface la dette (C. conso. L741-2) : choisissez \
             « irrécouvrable » ou « reprise »."
                .into(),
        );
    }
    Ok(())
}

/// The eligibility conditions of the incidents, one per family in [`Family::ALL`] order:
/// Failed while one of the family is in force on `today`, Met otherwise (naming an ended one).
pub fn conditions(incidents: &[IncidentFacts], today: NaiveDate) -> Vec<Condition> {
    Family::ALL
        .iter()
        .map(|&family| {
            let of_family: Vec<&IncidentFacts> = incidents
                .iter()
                .filter(|i| i.kind.family() == family)
                .collect();
            let (title, none, article) = match family {
                Family::Collective => (
                    "Aucune procédure collective en cours",
                    "Aucune procédure collective n'est enregistrée contre le débiteur.",
                    "C. com. L622-21",
                ),
                Family::OverIndebtedness => (
                    "Aucun dossier de surendettement recevable",
                    "Aucun dossier de surendettement recevable n'est enregistré.",
                    "C. conso. L722-2",
                ),
                Family::Death => (
                    "Débiteur en vie",
                    "Aucun décès n'est enregistré.",
                    "C. civ. 771-772",
                ),
                Family::CompanyEnded => (
                    "Société en activité",
                    "Aucune dissolution, fusion ni radiation n'est enregistrée.",
                    "C. civ. 1844-7",
                ),
            };
            let key = family.condition_key();
            match of_family.iter().find(|i| i.in_force(today)) {
                Some(i) => {
                    let mut reason = i.freeze_reason();
                    if family == Family::Collective {
                        reason.push_str(
                            " L'injonction de payer n'est pas ouverte : la créance se déclare \
                             au mandataire judiciaire.",
                        );
                    }
                    Condition::new(
                        key,
                        ConditionStatus::Failed,
                        title,
                        reason,
                        i.kind.article(),
                    )
                }
                None => {
                    let reason = match of_family.last().and_then(|i| i.ended.map(|e| (i, e))) {
                        Some((i, (on, end))) => format!(
                            "{} ({} du {}) clos {} : {}.",
                            i.kind.french(),
                            i.kind.date_word(),
                            date_long(i.occurred_on),
                            le_date(on),
                            end.french().to_lowercase()
                        ),
                        None => none.to_string(),
                    };
                    Condition::new(key, ConditionStatus::Met, title, reason, article)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
