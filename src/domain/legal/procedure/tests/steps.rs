//! The order of the procedure's events.

use super::*;

fn err(facts: &ProcedureFacts, step: Step, date: NaiveDate, today: NaiveDate) -> String {
    check_step(facts, step, date, today).unwrap_err()
}

#[test]
fn no_step_is_dated_in_the_future() {
    assert_eq!(
        err(
            &ProcedureFacts::default(),
            Step::Filing,
            ymd(2026, 3, 21),
            ymd(2026, 3, 20)
        ),
        "Le dépôt de la requête ne peut être daté dans le futur (le 21 mars 2026)."
    );
    assert_eq!(
        check_step(
            &ProcedureFacts::default(),
            Step::Filing,
            ymd(2026, 3, 20),
            ymd(2026, 3, 20)
        ),
        Ok(())
    );
}

#[test]
fn the_order_follows_the_filing() {
    let today = ymd(2026, 3, 20);
    assert_eq!(
        err(
            &ProcedureFacts::default(),
            Step::Order,
            ymd(2026, 3, 15),
            today
        ),
        "Enregistrez d'abord le dépôt de la requête."
    );
    let filed = ProcedureFacts {
        filed_on: Some(ymd(2026, 3, 10)),
        ..ProcedureFacts::default()
    };
    assert_eq!(
        err(&filed, Step::Order, ymd(2026, 3, 9), today),
        "L'ordonnance ne peut précéder le dépôt de la requête (le 10 mars 2026)."
    );
    assert_eq!(
        check_step(&filed, Step::Order, ymd(2026, 3, 10), today),
        Ok(())
    );
}

#[test]
fn a_correction_may_not_move_a_step_past_the_next_one() {
    let facts = ProcedureFacts {
        filed_on: Some(ymd(2026, 3, 10)),
        order_on: Some(ymd(2026, 3, 15)),
        ..ProcedureFacts::default()
    };
    assert_eq!(
        err(&facts, Step::Filing, ymd(2026, 3, 16), ymd(2026, 3, 20)),
        "Le dépôt de la requête ne peut suivre l'ordonnance (le 15 mars 2026)."
    );
}

#[test]
fn service_follows_a_granted_order_within_six_months() {
    let today = ymd(2026, 8, 1);
    let facts = granted(ymd(2026, 1, 14));
    assert_eq!(
        err(&facts, Step::Service, ymd(2026, 1, 13), today),
        "La signification ne peut précéder l'ordonnance (le 14 janvier 2026)."
    );
    // Deadline Wednesday 15 July 2026 (14 July is a holiday).
    assert_eq!(
        check_step(&facts, Step::Service, ymd(2026, 7, 15), today),
        Ok(())
    );
    assert_eq!(
        err(&facts, Step::Service, ymd(2026, 7, 16), today),
        "L'ordonnance est caduque : elle devait être signifiée dans les six mois de sa date, \
         au plus tard le 15 juillet 2026 (CPC 1411)."
    );
    let rejected = ProcedureFacts {
        order_outcome: Some(OrderOutcome::Rejected),
        ..facts.clone()
    };
    assert_eq!(
        err(&rejected, Step::Service, ymd(2026, 2, 1), today),
        "La requête a été rejetée : il n'y a pas d'ordonnance à signifier (CPC 1409)."
    );
    let no_decision = ProcedureFacts {
        order_outcome: None,
        ..facts
    };
    assert_eq!(
        err(&no_decision, Step::Service, ymd(2026, 2, 1), today),
        "Aucune ordonnance n'est enregistrée."
    );
}

#[test]
fn an_opposition_needs_a_service_before_it() {
    let today = ymd(2026, 10, 10);
    assert_eq!(
        err(
            &granted(ymd(2026, 8, 3)),
            Step::Opposition,
            ymd(2026, 9, 1),
            today
        ),
        "L'ordonnance n'a pas été signifiée : une opposition ne s'enregistre qu'après la \
         signification (CPC 1416)."
    );
    let served = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        err(&served, Step::Opposition, ymd(2026, 8, 30), today),
        "L'opposition ne peut précéder la signification (le 31 août 2026)."
    );
}

#[test]
fn a_late_opposition_is_refused_with_the_windows_end() {
    // Served in person Monday 31 Aug 2026: window to Wednesday 30 Sept.
    let today = ymd(2026, 10, 10);
    let served = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        check_step(&served, Step::Opposition, ymd(2026, 9, 30), today),
        Ok(())
    );
    assert_eq!(
        err(&served, Step::Opposition, ymd(2026, 10, 1), today),
        "Opposition tardive : le délai d'opposition a expiré le 30 septembre 2026 (un mois \
         après la signification à personne, CPC 1416)."
    );
}

#[test]
fn without_service_in_person_the_window_runs_from_the_first_personal_act() {
    let today = ymd(2026, 12, 1);
    let mut facts = ProcedureFacts {
        served_on: Some(ymd(2026, 8, 31)),
        served_in_person: Some(false),
        enforceable_on: Some(ymd(2026, 10, 1)),
        ..granted(ymd(2026, 8, 3))
    };
    // No act in person yet: the debtor's month has not started (CPC 1416 al. 2), and
    // an opposition after the title became enforceable is not out of order.
    assert_eq!(
        check_step(&facts, Step::Opposition, ymd(2026, 11, 25), today),
        Ok(())
    );
    // Seizure on Tuesday 20 Oct 2026 → window to Friday 20 Nov 2026.
    facts.first_personal_act_on = Some(ymd(2026, 10, 20));
    assert_eq!(
        check_step(&facts, Step::Opposition, ymd(2026, 11, 20), today),
        Ok(())
    );
    assert_eq!(
        err(&facts, Step::Opposition, ymd(2026, 11, 23), today),
        "Opposition tardive : le délai d'opposition a expiré le 20 novembre 2026 (un mois \
         après le premier acte signifié à personne, le 20 octobre 2026, CPC 1416 al. 2)."
    );
}

#[test]
fn an_unknown_mode_of_service_must_be_given_for_an_opposition_after_the_first_month() {
    let today = ymd(2026, 10, 10);
    let facts = ProcedureFacts {
        served_on: Some(ymd(2026, 8, 31)),
        ..granted(ymd(2026, 8, 3))
    };
    assert_eq!(
        check_step(&facts, Step::Opposition, ymd(2026, 9, 15), today),
        Ok(())
    );
    assert_eq!(
        err(&facts, Step::Opposition, ymd(2026, 10, 5), today),
        "Indiquez d'abord si l'ordonnance a été signifiée à personne : après le 30 septembre \
         2026, la recevabilité de l'opposition en dépend (CPC 1416)."
    );
}

#[test]
fn enforceability_is_recorded_only_after_the_window_and_without_opposition() {
    let today = ymd(2026, 10, 10);
    let served = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        err(&served, Step::Enforceable, ymd(2026, 9, 30), today),
        "L'ordonnance n'est un titre exécutoire qu'à partir du 1er octobre 2026, à \
         l'expiration du délai d'opposition (CPC 1416, 1422)."
    );
    assert_eq!(
        check_step(&served, Step::Enforceable, ymd(2026, 10, 1), today),
        Ok(())
    );
    let opposed = ProcedureFacts {
        opposed_on: Some(ymd(2026, 9, 10)),
        ..served
    };
    assert_eq!(
        err(&opposed, Step::Enforceable, ymd(2026, 10, 1), today),
        "Le débiteur a formé opposition le 10 septembre 2026 : l'ordonnance n'est pas un titre \
         exécutoire (CPC 1422)."
    );
    assert_eq!(
        err(
            &granted(ymd(2026, 8, 3)),
            Step::Enforceable,
            ymd(2026, 10, 1),
            today
        ),
        "L'ordonnance n'a pas été signifiée : elle ne peut devenir exécutoire (CPC 1411, 1422)."
    );
}

#[test]
fn hand_over_needs_a_title_an_opposition_or_a_rejection() {
    let today = ymd(2026, 10, 10);
    let served = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        err(&served, Step::HandOver, ymd(2026, 10, 5), today),
        "Rien à transmettre : l'ordonnance n'est ni exécutoire, ni frappée d'opposition, ni \
         rejetée."
    );
    let title = ProcedureFacts {
        enforceable_on: Some(ymd(2026, 10, 1)),
        ..served.clone()
    };
    assert_eq!(
        check_step(&title, Step::HandOver, ymd(2026, 10, 5), today),
        Ok(())
    );
    assert_eq!(
        err(&title, Step::HandOver, ymd(2026, 9, 30), today),
        "La transmission du dossier ne peut précéder le caractère exécutoire (le 1er octobre \
         2026)."
    );
    // Ten years from 1 Oct 2026: last day 1 Oct 2036 (CPCE L111-4).
    assert_eq!(
        check_step(&title, Step::HandOver, ymd(2036, 10, 1), ymd(2036, 10, 2)),
        Ok(())
    );
    assert_eq!(
        err(&title, Step::HandOver, ymd(2036, 10, 2), ymd(2036, 10, 2)),
        "Le délai de dix ans pour exécuter le titre a expiré le 1er octobre 2036 (CPCE L111-4)."
    );
    let opposed = ProcedureFacts {
        opposed_on: Some(ymd(2026, 9, 10)),
        ..served
    };
    assert_eq!(
        check_step(&opposed, Step::HandOver, ymd(2026, 9, 11), today),
        Ok(())
    );
    let rejected = ProcedureFacts {
        order_outcome: Some(OrderOutcome::Rejected),
        ..granted(ymd(2026, 8, 3))
    };
    assert_eq!(
        check_step(&rejected, Step::HandOver, ymd(2026, 8, 4), today),
        Ok(())
    );
}
