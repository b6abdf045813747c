//! The order of the procedure's events: a date may not be in the future,
//! nor before an earlier step, nor after a later one already recorded, and
//! each step has its own legal condition (a lapsed order is not served, a
//! late opposition is refused...). French messages, for the user.

use chrono::NaiveDate;

use super::{enforceable_from, OrderOutcome, ProcedureFacts};
use crate::domain::deadlines::{
    enforcement_end, opposition_deadline, order_service_deadline, DeadlineError,
};
use crate::domain::fmt::{date_long, le_date};

/// An event of the procedure that a user records with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The requête is filed at the court's registry.
    Filing,
    /// The judge's decision (CPC 1409).
    Order,
    /// The order is served by a commissaire de justice (CPC 1411).
    Service,
    /// The debtor opposes (CPC 1416).
    Opposition,
    /// The order becomes an enforceable title (CPC 1422).
    Enforceable,
    /// The file leaves the agency: the enforceable title to a commissaire de
    /// justice for enforcement, or the case to the lawyer after an opposition
    /// or a rejection.
    HandOver,
}

impl Step {
    /// Position in the procedure; Opposition and Enforceable share one, since
    /// a debtor not served in person may oppose after the title is
    /// enforceable (CPC 1416 al. 2).
    fn rank(self) -> u8 {
        match self {
            Step::Filing => 0,
            Step::Order => 1,
            Step::Service => 2,
            Step::Opposition | Step::Enforceable => 3,
            Step::HandOver => 4,
        }
    }

    /// The step as the subject of a French sentence.
    fn subject(self) -> &'static str {
        match self {
            Step::Filing => "Le dépôt de la requête",
            Step::Order => "L'ordonnance",
            Step::Service => "La signification",
            Step::Opposition => "L'opposition",
            Step::Enforceable => "Le caractère exécutoire",
            Step::HandOver => "La transmission du dossier",
        }
    }

    /// The step as the object of a French sentence.
    fn object(self) -> &'static str {
        match self {
            Step::Filing => "le dépôt de la requête",
            Step::Order => "l'ordonnance",
            Step::Service => "la signification",
            Step::Opposition => "l'opposition",
            Step::Enforceable => "le caractère exécutoire",
            Step::HandOver => "la transmission du dossier",
        }
    }
}

fn out_of_range(_: DeadlineError) -> String {
    "Une date est hors des limites prises en charge.".to_string()
}

/// The steps already recorded in `facts`, with their dates.
fn recorded(facts: &ProcedureFacts) -> [(Step, Option<NaiveDate>); 5] {
    [
        (Step::Filing, facts.filed_on),
        (Step::Order, facts.order_on),
        (Step::Service, facts.served_on),
        (Step::Opposition, facts.opposed_on),
        (Step::Enforceable, facts.enforceable_on),
    ]
}

/// Checks that `step` may be recorded on `date`, given `facts` (in which the
/// step itself may already be recorded: a correction) and `today`.
pub fn check_step(
    facts: &ProcedureFacts,
    step: Step,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if date > today {
        return Err(format!(
            "{} ne peut être daté dans le futur ({}).",
            step.subject(),
            le_date(date)
        ));
    }
    // The procedure starts with the referral: a step dated before it is a typing slip (or a
    // step the agency did not take), never recorded.
    if let Some(referred) = facts.referred_on.filter(|r| date < *r) {
        return Err(format!(
            "{} ne peut précéder le renvoi du dossier à l'avocat ({}).",
            step.subject(),
            le_date(referred)
        ));
    }
    for (other, when) in recorded(facts) {
        let Some(when) = when else { continue };
        if other.rank() < step.rank() && date < when {
            return Err(format!(
                "{} ne peut précéder {} ({}).",
                step.subject(),
                other.object(),
                le_date(when)
            ));
        }
        if other.rank() > step.rank() && date > when {
            return Err(format!(
                "{} ne peut suivre {} ({}).",
                step.subject(),
                other.object(),
                le_date(when)
            ));
        }
    }
    match step {
        Step::Filing => Ok(()),
        Step::Order => match facts.filed_on {
            Some(_) => Ok(()),
            None => Err("Enregistrez d'abord le dépôt de la requête.".into()),
        },
        Step::Service => check_service(facts, date),
        Step::Opposition => check_opposition(facts, date),
        Step::Enforceable => check_enforceable(facts, date),
        Step::HandOver => check_hand_over(facts, date),
    }
}

fn check_service(facts: &ProcedureFacts, date: NaiveDate) -> Result<(), String> {
    match facts.order_outcome {
        None => return Err("Aucune ordonnance n'est enregistrée.".into()),
        Some(OrderOutcome::Rejected) => {
            return Err(
                "La requête a été rejetée : il n'y a pas d'ordonnance à signifier \
                        (CPC 1409)."
                    .into(),
            )
        }
        Some(_) => {}
    }
    let Some(order_on) = facts.order_on else {
        return Err("La date de l'ordonnance n'est pas enregistrée.".into());
    };
    let limit = order_service_deadline(order_on).map_err(out_of_range)?;
    if date > limit {
        return Err(format!(
            "L'ordonnance est caduque : elle devait être signifiée dans les six mois de sa \
             date, au plus tard {} (CPC 1411).",
            le_date(limit)
        ));
    }
    Ok(())
}

fn check_opposition(facts: &ProcedureFacts, date: NaiveDate) -> Result<(), String> {
    let Some(served) = facts.served_on else {
        return Err(
            "L'ordonnance n'a pas été signifiée : une opposition ne s'enregistre \
                    qu'après la signification (CPC 1416)."
                .into(),
        );
    };
    let first_window = opposition_deadline(served).map_err(out_of_range)?;
    if date <= first_window {
        return Ok(());
    }
    match (facts.served_in_person, facts.first_personal_act_on) {
        (Some(true), _) => Err(format!(
            "Opposition tardive : le délai d'opposition a expiré {} (un mois après la \
             signification à personne, CPC 1416).",
            le_date(first_window)
        )),
        // CPC 1416 al. 2: the debtor's month has not started yet.
        (Some(false), None) => Ok(()),
        (Some(false), Some(act)) => {
            let end = opposition_deadline(act).map_err(out_of_range)?;
            if date <= end {
                Ok(())
            } else {
                Err(format!(
                    "Opposition tardive : le délai d'opposition a expiré {} (un mois après le \
                     premier acte signifié à personne, {}, CPC 1416 al. 2).",
                    le_date(end),
                    le_date(act)
                ))
            }
        }
        (None, _) => Err(format!(
            "Indiquez d'abord si l'ordonnance a été signifiée à personne : après {}, la \
             recevabilité de l'opposition en dépend (CPC 1416).",
            le_date(first_window)
        )),
    }
}

fn check_enforceable(facts: &ProcedureFacts, date: NaiveDate) -> Result<(), String> {
    if !facts.order_outcome.is_some_and(OrderOutcome::is_granted) {
        return Err("Aucune ordonnance d'injonction de payer n'a été rendue.".into());
    }
    let Some(served) = facts.served_on else {
        return Err(
            "L'ordonnance n'a pas été signifiée : elle ne peut devenir exécutoire \
                    (CPC 1411, 1422)."
                .into(),
        );
    };
    if let Some(opposed) = facts.opposed_on {
        return Err(format!(
            "Le débiteur a formé opposition {} : l'ordonnance n'est pas un titre exécutoire \
             (CPC 1422).",
            le_date(opposed)
        ));
    }
    let from = enforceable_from(served).map_err(out_of_range)?;
    if date < from {
        return Err(format!(
            "L'ordonnance n'est un titre exécutoire qu'à partir du {}, à l'expiration du délai \
             d'opposition (CPC 1416, 1422).",
            date_long(from)
        ));
    }
    Ok(())
}

fn check_hand_over(facts: &ProcedureFacts, date: NaiveDate) -> Result<(), String> {
    let rejected = facts.order_outcome == Some(OrderOutcome::Rejected);
    match (facts.enforceable_on, facts.opposed_on) {
        (_, Some(_)) => Ok(()),
        (Some(title_on), None) => {
            let end = enforcement_end(title_on).map_err(out_of_range)?;
            if date > end {
                Err(format!(
                    "Le délai de dix ans pour exécuter le titre a expiré {} (CPCE L111-4).",
                    le_date(end)
                ))
            } else {
                Ok(())
            }
        }
        (None, None) if rejected => Ok(()),
        (None, None) => Err(
            "Rien à transmettre : l'ordonnance n'est ni exécutoire, ni frappée \
                             d'opposition, ni rejetée."
                .into(),
        ),
    }
}
