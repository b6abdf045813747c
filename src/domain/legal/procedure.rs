//! After filing: the procedure's dates → its live deadlines, and the checks
//! on the order of its events (CPC 1405–1422, CPCE L111-4; LEGAL.md §5, §7).
//!
//! Opposition and enforceability (CPC 1416, 1422 as amended by décret
//! n° 2021-1322, in force since 1 March 2022):
//! - The debtor may oppose within one month of service (1416 al. 1). That
//!   month is suspensive of enforcement **whatever the mode of service**
//!   (1422 al. 1): the order is an enforceable title from the day after it,
//!   when no opposition was made ([`DeadlineKind::EnforceableFrom`]).
//! - When service was not made to the debtor in person, the debtor may still
//!   oppose until one month after the first act served in person or, failing
//!   that, the first enforcement measure making the assets unavailable
//!   (1416 al. 2). That later window is only known once that act is;
//!   [`DeadlineKind::OppositionWindowEnds`] then gives its end.
//! - Any recorded opposition stops enforceability here *(convention, prudent
//!   reading of 1422: the lawyer decides)*.
//!
//! Procedural deadlines (service, opposition) are extended to the next working
//! day (CPC 642); prescription and the 10 years of enforcement are not.

use chrono::NaiveDate;

use crate::domain::deadlines::{
    enforcement_end, opposition_deadline, order_service_deadline, DeadlineError,
};
use crate::domain::fmt::{date_long, le_date};

/// The judge's decision on the requête (CPC 1409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderOutcome {
    /// Injunction for the whole sum.
    Granted,
    /// Injunction for part of the sum.
    PartiallyGranted,
    /// Requête rejected: no appeal, the creditor may sue normally (CPC 1409).
    Rejected,
}

impl OrderOutcome {
    /// Whether an injunction order exists (in full or in part).
    pub fn is_granted(self) -> bool {
        matches!(self, OrderOutcome::Granted | OrderOutcome::PartiallyGranted)
    }
}

/// The procedure's dates as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcedureFacts {
    /// Day the case was referred to the lawyer: no step of the procedure can precede it.
    pub referred_on: Option<NaiveDate>,
    /// Requête filed.
    pub filed_on: Option<NaiveDate>,
    /// Date of the judge's decision.
    pub order_on: Option<NaiveDate>,
    /// The decision.
    pub order_outcome: Option<OrderOutcome>,
    /// Order served by a commissaire de justice (CPC 1411).
    pub served_on: Option<NaiveDate>,
    /// Whether the service was made to the debtor in person (`None`: unknown).
    pub served_in_person: Option<bool>,
    /// When service was not in person: first act served in person, or first
    /// enforcement measure making the assets unavailable (CPC 1416 al. 2).
    pub first_personal_act_on: Option<NaiveDate>,
    /// Opposition received.
    pub opposed_on: Option<NaiveDate>,
    /// Day the order was recorded as an enforceable title.
    pub enforceable_on: Option<NaiveDate>,
    /// The latest act of enforcement of the title: the ten years of CPCE L111-4 start again
    /// from it (C. civ. 2244, 2231).
    pub last_enforcement_act_on: Option<NaiveDate>,
}

impl ProcedureFacts {
    fn granted(&self) -> bool {
        self.order_outcome.is_some_and(OrderOutcome::is_granted)
    }
}

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// CPC 1411: last day to serve the order, 6 months from its date.
    ServeOrder,
    /// CPC 1416: last day for the debtor to oppose.
    OppositionWindowEnds,
    /// CPC 1422: first day the order is an enforceable title.
    EnforceableFrom,
    /// CPCE L111-4: last day to enforce the title, 10 years.
    EnforcementEnds,
    /// Earliest end of prescription of an unpaid invoice, before service.
    Prescription,
}

impl DeadlineKind {
    /// A stable key (the calendar feed's event ids).
    pub fn key(self) -> &'static str {
        match self {
            DeadlineKind::ServeOrder => "serve_order",
            DeadlineKind::OppositionWindowEnds => "opposition_window_ends",
            DeadlineKind::EnforceableFrom => "enforceable_from",
            DeadlineKind::EnforcementEnds => "enforcement_ends",
            DeadlineKind::Prescription => "prescription",
        }
    }

    /// What the lawyer has to do about it, in French (the calendar feed's description).
    pub fn what_to_do(self) -> &'static str {
        match self {
            DeadlineKind::ServeOrder => {
                "Faire signifier l'ordonnance par commissaire de justice avant cette date : \
                 elle est caduque ensuite."
            }
            DeadlineKind::OppositionWindowEnds => {
                "Vérifier auprès du greffe qu'aucune opposition n'a été formée, puis enregistrer \
                 l'opposition ou le titre exécutoire."
            }
            DeadlineKind::EnforceableFrom => {
                "Demander l'apposition de la formule exécutoire, puis enregistrer le titre \
                 exécutoire."
            }
            DeadlineKind::EnforcementEnds => {
                "Accomplir un acte d'exécution avant cette date : le titre ne pourra plus être \
                 exécuté ensuite."
            }
            DeadlineKind::Prescription => {
                "Déposer la requête en injonction de payer avant cette date, sinon la créance \
                 est prescrite."
            }
        }
    }
}

/// One live deadline of the procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// Its date: the last day, or for `EnforceableFrom` the first day.
    pub date: NaiveDate,
    /// French title.
    pub title: String,
    /// The article it applies.
    pub article: &'static str,
    /// `date - today` in days, negative when past.
    pub days_left: i64,
    /// The last day has passed (for the opposition window: it has closed).
    /// Never set for `EnforceableFrom`, a first day that cannot be missed.
    pub missed: bool,
}

fn deadline(kind: DeadlineKind, date: NaiveDate, title: &str, today: NaiveDate) -> Deadline {
    let days_left = date.signed_duration_since(today).num_days();
    let article = match kind {
        DeadlineKind::ServeOrder => "CPC 1411",
        DeadlineKind::OppositionWindowEnds => "CPC 1416",
        DeadlineKind::EnforceableFrom => "CPC 1422",
        DeadlineKind::EnforcementEnds => "CPCE L111-4",
        DeadlineKind::Prescription => "C. com. L110-4 ; C. civ. 2224 ; C. conso. L218-2",
    };
    Deadline {
        kind,
        date,
        title: title.to_string(),
        article,
        days_left,
        missed: kind != DeadlineKind::EnforceableFrom && days_left < 0,
    }
}

/// First day the order served on `served_on` is an enforceable title if no
/// opposition is made: the day after one month from service, extended per
/// CPC 642, whatever the mode of service (CPC 1416 al. 1, 1422 al. 1).
pub fn enforceable_from(served_on: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    let window_end = opposition_deadline(served_on)?;
    window_end.succ_opt().ok_or(DeadlineError::OutOfRange(
        crate::domain::calendar::DateOutOfRange,
    ))
}

/// Last day the debtor may oppose, when it is known: one month from service
/// in person (CPC 1416 al. 1), or from the first act served in person or the
/// first measure making the assets unavailable (al. 2). `None` when the order
/// is not served, the mode of service is unknown, or, service not being in
/// person, no such act has happened yet (the debtor's window has not started).
pub fn opposition_window_end(facts: &ProcedureFacts) -> Result<Option<NaiveDate>, DeadlineError> {
    let start = match (facts.served_on, facts.served_in_person) {
        (Some(served), Some(true)) => Some(served),
        (Some(_), Some(false)) => facts.first_personal_act_on,
        _ => None,
    };
    start.map(opposition_deadline).transpose()
}

/// The deadlines live for `facts` on `today`, in date order.
///
/// - `Prescription` (the `earliest_prescription` given) until the order is
///   served, since service interrupts it (C. civ. 2241) and a rejected
///   requête leaves it running.
/// - `ServeOrder` while a granted order is not served (`missed` past it).
/// - `OppositionWindowEnds` once its start is known, while no opposition is
///   recorded, and, once the order is enforceable, only while still open.
/// - `EnforceableFrom` once served, while there is no opposition and the
///   title is not yet recorded as enforceable.
/// - `EnforcementEnds` once the order is recorded as enforceable.
pub fn deadlines(
    facts: &ProcedureFacts,
    earliest_prescription: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<Deadline>, DeadlineError> {
    let mut out = Vec::new();
    if let (None, Some(end)) = (facts.served_on, earliest_prescription) {
        out.push(deadline(
            DeadlineKind::Prescription,
            end,
            "Dernier jour avant la prescription de la première facture impayée",
            today,
        ));
    }
    if let (true, Some(order_on), None) = (facts.granted(), facts.order_on, facts.served_on) {
        out.push(deadline(
            DeadlineKind::ServeOrder,
            order_service_deadline(order_on)?,
            "Dernier jour pour signifier l'ordonnance, caduque ensuite",
            today,
        ));
    }
    if facts.granted() && facts.opposed_on.is_none() {
        if let Some(end) = opposition_window_end(facts)? {
            if facts.enforceable_on.is_none() || end >= today {
                let title = if facts.served_in_person == Some(true) {
                    "Dernier jour d'opposition du débiteur (un mois après la signification à personne)"
                } else {
                    "Dernier jour d'opposition du débiteur (un mois après le premier acte \
                     signifié à personne ou la première mesure d'exécution)"
                };
                out.push(deadline(
                    DeadlineKind::OppositionWindowEnds,
                    end,
                    title,
                    today,
                ));
            }
        }
        if let (Some(served), None) = (facts.served_on, facts.enforceable_on) {
            out.push(deadline(
                DeadlineKind::EnforceableFrom,
                enforceable_from(served)?,
                "Premier jour où l'ordonnance est un titre exécutoire, faute d'opposition",
                today,
            ));
        }
    }
    if let Some(title_on) = facts.enforceable_on {
        // C. civ. 2244: an act of enforcement interrupts the ten years, which run again from
        // it (2231).
        let (from, title) = match facts.last_enforcement_act_on {
            Some(act) if act > title_on => (
                act,
                "Dernier jour pour exécuter le titre (dix ans depuis le dernier acte \
                 d'exécution, C. civ. 2244)",
            ),
            _ => (title_on, "Dernier jour pour exécuter le titre (dix ans)"),
        };
        out.push(deadline(
            DeadlineKind::EnforcementEnds,
            enforcement_end(from)?,
            title,
            today,
        ));
    }
    out.sort_by_key(|d| d.date);
    Ok(out)
}

/// Whether a granted order has lapsed for want of service within six months
/// of its date (CPC 1411): not served by the deadline, or served after it.
pub fn order_lapsed(facts: &ProcedureFacts, today: NaiveDate) -> Result<bool, DeadlineError> {
    let (true, Some(order_on)) = (facts.granted(), facts.order_on) else {
        return Ok(false);
    };
    let limit = order_service_deadline(order_on)?;
    Ok(match facts.served_on {
        Some(served) => served > limit,
        None => today > limit,
    })
}

/// `Ok(first day)` when the order has become an enforceable title by
/// `today` (the opposition month closed without opposition, CPC 1422);
/// otherwise the French reason why not.
pub fn can_become_enforceable(
    facts: &ProcedureFacts,
    today: NaiveDate,
) -> Result<Result<NaiveDate, String>, DeadlineError> {
    match facts.order_outcome {
        None => return Ok(Err("Aucune ordonnance n'a été rendue.".into())),
        Some(OrderOutcome::Rejected) => {
            return Ok(Err(
                "La requête a été rejetée : il n'y a pas de titre ; le créancier \
                           peut agir selon la procédure ordinaire (CPC 1409)."
                    .into(),
            ))
        }
        Some(_) => {}
    }
    if order_lapsed(facts, today)? {
        let limit = match facts.order_on {
            Some(o) => format!(
                ", soit au plus tard {}",
                le_date(order_service_deadline(o)?)
            ),
            None => String::new(),
        };
        return Ok(Err(format!(
            "L'ordonnance est caduque : elle n'a pas été signifiée dans les six mois de sa \
             date{limit} (CPC 1411)."
        )));
    }
    let Some(served) = facts.served_on else {
        return Ok(Err(
            "L'ordonnance n'a pas été signifiée : le délai d'opposition ne court \
                       pas (CPC 1411, 1416)."
                .into(),
        ));
    };
    if let Some(opposed) = facts.opposed_on {
        return Ok(Err(format!(
            "Le débiteur a formé opposition {} : l'ordonnance n'est pas un titre exécutoire \
             tant que l'opposition n'est pas jugée (CPC 1422).",
            le_date(opposed)
        )));
    }
    let from = enforceable_from(served)?;
    if today < from {
        return Ok(Err(format!(
            "Le délai d'opposition est ouvert jusqu'au {} inclus : faute d'opposition, \
             l'ordonnance sera un titre exécutoire à partir du {} (CPC 1416, 1422).",
            date_long(opposition_deadline(served)?),
            date_long(from)
        )));
    }
    Ok(Ok(from))
}

mod steps;
pub use steps::{check_step, Step};

#[cfg(test)]
mod tests;
