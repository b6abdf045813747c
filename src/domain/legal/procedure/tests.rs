//! Procedure deadlines, by hand from the calendar.
//!
//! Holidays used: 2026 Easter Monday 6 April, Whit Monday 25 May, 14 July
//! (a Tuesday); 2027 Easter Monday 29 March, Whit Monday 17 May.

use super::*;

fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn granted(order_on: NaiveDate) -> ProcedureFacts {
    ProcedureFacts {
        filed_on: Some(order_on - chrono::Days::new(10)),
        order_on: Some(order_on),
        order_outcome: Some(OrderOutcome::Granted),
        ..ProcedureFacts::default()
    }
}

fn served_in_person(order_on: NaiveDate, served_on: NaiveDate) -> ProcedureFacts {
    ProcedureFacts {
        served_on: Some(served_on),
        served_in_person: Some(true),
        ..granted(order_on)
    }
}

/// (kind, date) of each deadline, in the order returned.
fn dates(
    facts: &ProcedureFacts,
    presc: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<(DeadlineKind, NaiveDate)> {
    deadlines(facts, presc, today)
        .unwrap()
        .into_iter()
        .map(|d| (d.kind, d.date))
        .collect()
}

fn find(facts: &ProcedureFacts, today: NaiveDate, kind: DeadlineKind) -> Deadline {
    deadlines(facts, None, today)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == kind)
        .unwrap()
}

#[test]
fn before_filing_only_prescription_is_live() {
    let facts = ProcedureFacts::default();
    let today = ymd(2026, 3, 20);
    let list = deadlines(&facts, Some(ymd(2026, 6, 15)), today).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kind, DeadlineKind::Prescription);
    // 11 days left in March + 30 + 31 + 15 = 87.
    assert_eq!(list[0].days_left, 87);
    assert!(!list[0].missed);
    assert!(deadlines(&facts, None, today).unwrap().is_empty());
}

#[test]
fn a_granted_order_must_be_served_within_six_months() {
    // Order Wednesday 14 Jan 2026 + 6 months = Tuesday 14 July 2026 (national day)
    // → Wednesday 15 July (CPC 642). Prescription still shows: not served yet.
    let facts = granted(ymd(2026, 1, 14));
    assert_eq!(
        dates(&facts, Some(ymd(2027, 2, 1)), ymd(2026, 2, 1)),
        vec![
            (DeadlineKind::ServeOrder, ymd(2026, 7, 15)),
            (DeadlineKind::Prescription, ymd(2027, 2, 1)),
        ]
    );
    let d = find(&facts, ymd(2026, 7, 15), DeadlineKind::ServeOrder);
    assert_eq!((d.days_left, d.missed), (0, false));
    assert_eq!(d.article, "CPC 1411");
    let d = find(&facts, ymd(2026, 7, 16), DeadlineKind::ServeOrder);
    assert_eq!((d.days_left, d.missed), (-1, true));
}

#[test]
fn service_deadline_on_easter_monday_2027_moves_to_tuesday() {
    // Order Tuesday 29 Sept 2026 + 6 months = Monday 29 March 2027, Easter Monday
    // → Tuesday 30 March 2027.
    let facts = granted(ymd(2026, 9, 29));
    let d = find(&facts, ymd(2026, 10, 1), DeadlineKind::ServeOrder);
    assert_eq!(d.date, ymd(2027, 3, 30));
}

#[test]
fn service_deadline_on_whit_monday_2027_moves_to_tuesday() {
    // Order Tuesday 17 Nov 2026 + 6 months = Monday 17 May 2027, Whit Monday
    // → Tuesday 18 May 2027.
    let facts = granted(ymd(2026, 11, 17));
    let d = find(&facts, ymd(2026, 11, 20), DeadlineKind::ServeOrder);
    assert_eq!(d.date, ymd(2027, 5, 18));
}

#[test]
fn service_deadline_on_a_leap_day() {
    // Order Tuesday 31 Aug 2027 + 6 months = February 2028, which has a 29th:
    // Tuesday 29 Feb 2028, a working day.
    let facts = granted(ymd(2027, 8, 31));
    let d = find(&facts, ymd(2027, 9, 1), DeadlineKind::ServeOrder);
    assert_eq!(d.date, ymd(2028, 2, 29));
}

#[test]
fn a_rejected_order_has_no_service_deadline_but_prescription_runs_on() {
    let facts = ProcedureFacts {
        order_outcome: Some(OrderOutcome::Rejected),
        ..granted(ymd(2026, 1, 14))
    };
    assert_eq!(
        dates(&facts, Some(ymd(2027, 2, 1)), ymd(2026, 2, 1)),
        vec![(DeadlineKind::Prescription, ymd(2027, 2, 1))]
    );
}

#[test]
fn opposition_window_on_easter_monday_2026_moves_to_tuesday() {
    // Served in person Friday 6 March 2026 + 1 month = Monday 6 April 2026, Easter
    // Monday → Tuesday 7 April; enforceable from Wednesday 8 April (CPC 1422).
    let facts = served_in_person(ymd(2026, 2, 20), ymd(2026, 3, 6));
    assert_eq!(
        dates(&facts, Some(ymd(2029, 1, 1)), ymd(2026, 3, 9)),
        vec![
            (DeadlineKind::OppositionWindowEnds, ymd(2026, 4, 7)),
            (DeadlineKind::EnforceableFrom, ymd(2026, 4, 8)),
        ]
    );
}

#[test]
fn opposition_window_on_whit_monday_2026_moves_to_tuesday() {
    // Served Saturday 25 April 2026 + 1 month = Monday 25 May 2026, Whit Monday
    // → Tuesday 26 May; enforceable from Wednesday 27 May.
    let facts = served_in_person(ymd(2026, 4, 1), ymd(2026, 4, 25));
    assert_eq!(
        dates(&facts, None, ymd(2026, 4, 27)),
        vec![
            (DeadlineKind::OppositionWindowEnds, ymd(2026, 5, 26)),
            (DeadlineKind::EnforceableFrom, ymd(2026, 5, 27)),
        ]
    );
}

#[test]
fn opposition_window_ending_on_a_saturday_moves_to_monday() {
    // Served Thursday 11 June 2026 + 1 month = Saturday 11 July → Monday 13 July.
    // The title is enforceable from Tuesday 14 July: the first day of a title is
    // not a deadline, so the national day does not push it.
    let facts = served_in_person(ymd(2026, 6, 1), ymd(2026, 6, 11));
    let today = ymd(2026, 6, 12);
    let w = find(&facts, today, DeadlineKind::OppositionWindowEnds);
    assert_eq!(w.date, ymd(2026, 7, 13));
    assert_eq!(w.article, "CPC 1416");
    assert_eq!(w.days_left, 31);
    let e = find(&facts, today, DeadlineKind::EnforceableFrom);
    assert_eq!(e.date, ymd(2026, 7, 14));
    assert_eq!(e.article, "CPC 1422");
}

#[test]
fn one_month_from_31_august_ends_30_september() {
    // CPC 641: no 31 September → Wednesday 30 September 2026; enforceable 1 October.
    let facts = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        dates(&facts, None, ymd(2026, 9, 1)),
        vec![
            (DeadlineKind::OppositionWindowEnds, ymd(2026, 9, 30)),
            (DeadlineKind::EnforceableFrom, ymd(2026, 10, 1)),
        ]
    );
}

#[test]
fn one_month_from_31_january_2027_ends_on_a_sunday_so_monday_1_march() {
    // (31 Jan 2027 is a Sunday: only the arithmetic matters here.) No 31 February →
    // Sunday 28 Feb 2027 → Monday 1 March; enforceable from Tuesday 2 March.
    let facts = served_in_person(ymd(2027, 1, 4), ymd(2027, 1, 31));
    assert_eq!(
        dates(&facts, None, ymd(2027, 2, 1)),
        vec![
            (DeadlineKind::OppositionWindowEnds, ymd(2027, 3, 1)),
            (DeadlineKind::EnforceableFrom, ymd(2027, 3, 2)),
        ]
    );
}

#[test]
fn one_month_from_31_january_2028_ends_on_the_leap_day() {
    // Monday 31 Jan 2028 + 1 month = Tuesday 29 Feb 2028 (leap year), a working day.
    let facts = served_in_person(ymd(2028, 1, 10), ymd(2028, 1, 31));
    let w = find(&facts, ymd(2028, 2, 1), DeadlineKind::OppositionWindowEnds);
    assert_eq!(w.date, ymd(2028, 2, 29));
    let e = find(&facts, ymd(2028, 2, 1), DeadlineKind::EnforceableFrom);
    assert_eq!(e.date, ymd(2028, 3, 1));
}

#[test]
fn service_not_in_person_opens_the_debtors_window_at_the_first_personal_act() {
    // Served Wednesday 3 June 2026, not in person. The suspensive month still runs
    // from service (CPC 1422): 3 July (Friday) → enforceable Saturday 4 July.
    // The debtor's own window is unknown until an act reaches them in person.
    let mut facts = ProcedureFacts {
        served_on: Some(ymd(2026, 6, 3)),
        served_in_person: Some(false),
        ..granted(ymd(2026, 5, 20))
    };
    assert_eq!(
        dates(&facts, Some(ymd(2028, 1, 1)), ymd(2026, 6, 4)),
        vec![(DeadlineKind::EnforceableFrom, ymd(2026, 7, 4))]
    );
    // A bank seizure on Monday 20 July 2026 (CPC 1416 al. 2): the window ends one month
    // later, Thursday 20 August 2026, later than the enforceability date.
    facts.enforceable_on = Some(ymd(2026, 7, 6));
    facts.first_personal_act_on = Some(ymd(2026, 7, 20));
    assert_eq!(
        dates(&facts, None, ymd(2026, 7, 21)),
        vec![
            (DeadlineKind::OppositionWindowEnds, ymd(2026, 8, 20)),
            // CPCE L111-4: 6 July 2036 + raw, a Sunday, not extended.
            (DeadlineKind::EnforcementEnds, ymd(2036, 7, 6)),
        ]
    );
    // Once that window has closed, only the enforcement period is left.
    assert_eq!(
        dates(&facts, None, ymd(2026, 8, 21)),
        vec![(DeadlineKind::EnforcementEnds, ymd(2036, 7, 6))]
    );
}

#[test]
fn an_unknown_mode_of_service_gives_no_window_but_the_enforceability_date() {
    let facts = ProcedureFacts {
        served_on: Some(ymd(2026, 8, 31)),
        ..granted(ymd(2026, 8, 3))
    };
    assert_eq!(
        dates(&facts, None, ymd(2026, 9, 1)),
        vec![(DeadlineKind::EnforceableFrom, ymd(2026, 10, 1))]
    );
}

#[test]
fn an_opposition_ends_the_window_and_enforceability() {
    let facts = ProcedureFacts {
        opposed_on: Some(ymd(2026, 9, 10)),
        ..served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31))
    };
    assert!(deadlines(&facts, Some(ymd(2029, 1, 1)), ymd(2026, 9, 11))
        .unwrap()
        .is_empty());
}

#[test]
fn the_order_lapses_the_day_after_its_service_deadline() {
    // Deadline Wednesday 15 July 2026 (14 July, a holiday, pushed it).
    let facts = granted(ymd(2026, 1, 14));
    assert!(!order_lapsed(&facts, ymd(2026, 7, 15)).unwrap());
    assert!(order_lapsed(&facts, ymd(2026, 7, 16)).unwrap());
    // Served on time: never lapses.
    let on_time = served_in_person(ymd(2026, 1, 14), ymd(2026, 7, 15));
    assert!(!order_lapsed(&on_time, ymd(2027, 1, 1)).unwrap());
    // Served late: lapsed even so.
    let late = served_in_person(ymd(2026, 1, 14), ymd(2026, 7, 16));
    assert!(order_lapsed(&late, ymd(2026, 7, 16)).unwrap());
    // No granted order: nothing to lapse.
    let rejected = ProcedureFacts {
        order_outcome: Some(OrderOutcome::Rejected),
        ..granted(ymd(2026, 1, 14))
    };
    assert!(!order_lapsed(&rejected, ymd(2027, 1, 1)).unwrap());
}

#[test]
fn enforceable_only_once_the_month_has_passed_without_opposition() {
    // Served 31 Aug 2026 in person: window to 30 Sept, enforceable from 1 Oct.
    let facts = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    assert_eq!(
        can_become_enforceable(&facts, ymd(2026, 9, 30)).unwrap(),
        Err(
            "Le délai d'opposition est ouvert jusqu'au 30 septembre 2026 inclus : faute \
             d'opposition, l'ordonnance sera un titre exécutoire à partir du 1er octobre 2026 \
             (CPC 1416, 1422)."
                .to_string()
        )
    );
    assert_eq!(
        can_become_enforceable(&facts, ymd(2026, 10, 1)).unwrap(),
        Ok(ymd(2026, 10, 1))
    );
    // Not in person and no personal act yet: the same date (CPC 1422 al. 1).
    let not_in_person = ProcedureFacts {
        served_in_person: Some(false),
        ..facts.clone()
    };
    assert_eq!(
        can_become_enforceable(&not_in_person, ymd(2026, 10, 5)).unwrap(),
        Ok(ymd(2026, 10, 1))
    );
}

#[test]
fn enforceability_is_refused_with_a_reason() {
    let reason = |f: &ProcedureFacts, today| can_become_enforceable(f, today).unwrap().unwrap_err();
    let opposed = ProcedureFacts {
        opposed_on: Some(ymd(2026, 9, 10)),
        ..served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31))
    };
    assert_eq!(
        reason(&opposed, ymd(2026, 10, 5)),
        "Le débiteur a formé opposition le 10 septembre 2026 : l'ordonnance n'est pas un titre \
         exécutoire tant que l'opposition n'est pas jugée (CPC 1422)."
    );
    let unserved = granted(ymd(2026, 8, 3));
    assert!(reason(&unserved, ymd(2026, 9, 1)).starts_with("L'ordonnance n'a pas été signifiée"));
    // Order 14 Jan 2026, never served, deadline 15 July: lapsed on 16 July.
    assert_eq!(
        reason(&granted(ymd(2026, 1, 14)), ymd(2026, 7, 16)),
        "L'ordonnance est caduque : elle n'a pas été signifiée dans les six mois de sa date, \
         soit au plus tard le 15 juillet 2026 (CPC 1411)."
    );
    let rejected = ProcedureFacts {
        order_outcome: Some(OrderOutcome::Rejected),
        ..granted(ymd(2026, 1, 14))
    };
    assert!(reason(&rejected, ymd(2026, 2, 1)).starts_with("La requête a été rejetée"));
    assert_eq!(
        reason(&ProcedureFacts::default(), ymd(2026, 2, 1)),
        "Aucune ordonnance n'a été rendue."
    );
}

#[test]
fn a_partial_order_is_an_order() {
    let facts = ProcedureFacts {
        order_outcome: Some(OrderOutcome::PartiallyGranted),
        ..served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31))
    };
    assert_eq!(
        can_become_enforceable(&facts, ymd(2026, 10, 1)).unwrap(),
        Ok(ymd(2026, 10, 1))
    );
}

#[test]
fn the_title_can_be_enforced_for_ten_years_unextended() {
    // Enforceable Thursday 1 Oct 2026 + 10 years = Wednesday 1 Oct 2036.
    let facts = ProcedureFacts {
        enforceable_on: Some(ymd(2026, 10, 1)),
        ..served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31))
    };
    let e = find(&facts, ymd(2036, 10, 2), DeadlineKind::EnforcementEnds);
    assert_eq!(
        (e.date, e.days_left, e.missed),
        (ymd(2036, 10, 1), -1, true)
    );
    assert_eq!(e.article, "CPCE L111-4");
}

#[test]
fn an_enforceable_from_date_is_never_missed() {
    let facts = served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31));
    let e = find(&facts, ymd(2026, 12, 1), DeadlineKind::EnforceableFrom);
    assert!(e.days_left < 0);
    assert!(!e.missed);
}

mod steps;

#[test]
fn an_enforcement_act_starts_the_ten_years_again() {
    // Title on Thursday 1 Oct 2026; a saisie-attribution on Thursday 15 March 2029
    // interrupts (C. civ. 2244): ten years from it, Thursday 15 March 2039 (CPCE L111-4),
    // where the title alone gave 1 Oct 2036.
    let facts = ProcedureFacts {
        enforceable_on: Some(ymd(2026, 10, 1)),
        last_enforcement_act_on: Some(ymd(2029, 3, 15)),
        ..served_in_person(ymd(2026, 8, 3), ymd(2026, 8, 31))
    };
    let e = find(&facts, ymd(2029, 3, 16), DeadlineKind::EnforcementEnds);
    assert_eq!((e.date, e.missed), (ymd(2039, 3, 15), false));
    assert!(e.title.contains("dernier acte d'exécution"), "{}", e.title);
    // An act recorded as of the title's own day changes nothing.
    let same_day = ProcedureFacts {
        last_enforcement_act_on: Some(ymd(2026, 10, 1)),
        ..facts
    };
    let e = find(&same_day, ymd(2029, 3, 16), DeadlineKind::EnforcementEnds);
    assert_eq!(e.date, ymd(2036, 10, 1));
    assert_eq!(e.title, "Dernier jour pour exécuter le titre (dix ans)");
}
