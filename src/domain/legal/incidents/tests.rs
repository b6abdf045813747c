use super::*;
use crate::domain::legal::condition::keys;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn incident(kind: IncidentKind, occurred_on: NaiveDate, published_on: NaiveDate) -> IncidentFacts {
    IncidentFacts {
        kind,
        occurred_on,
        published_on: Some(published_on),
        creditor_abroad: false,
        long_term_loan: false,
        declared_on: None,
        ended: None,
    }
}

#[test]
fn the_declaration_runs_two_months_from_a_saturday_publication_to_the_next_working_day() {
    // Judgment on Tuesday 10 March 2026, BODACC on Saturday 14 March: two months end on
    // Thursday 14 May 2026, Ascension Day, so the deadline is Friday 15 May (CPC 642).
    let rj = incident(
        IncidentKind::Receivership,
        ymd(2026, 3, 10),
        ymd(2026, 3, 14),
    );
    assert_eq!(rj.declaration_deadline(), Some(ymd(2026, 5, 15)));
    // L622-26: six months from the publication, Monday 14 September 2026.
    assert_eq!(rj.relief_deadline(), Some(ymd(2026, 9, 14)));
    assert!(!rj.declaration_missed(ymd(2026, 5, 15)));
    assert!(rj.declaration_missed(ymd(2026, 5, 16)));
    let declared = IncidentFacts {
        declared_on: Some(ymd(2026, 4, 2)),
        ..rj.clone()
    };
    assert!(!declared.declaration_missed(ymd(2026, 6, 1)));
}

#[test]
fn a_creditor_outside_metropolitan_france_has_four_months() {
    // Publication on 14 March 2026: four months end on Tuesday 14 July, a public holiday:
    // Wednesday 15 July 2026.
    let abroad = IncidentFacts {
        creditor_abroad: true,
        ..incident(
            IncidentKind::Liquidation,
            ymd(2026, 3, 10),
            ymd(2026, 3, 14),
        )
    };
    assert_eq!(abroad.declaration_deadline(), Some(ymd(2026, 7, 15)));
    // Published on Saturday 31 January 2026: 31 March (two months), 31 May for four months,
    // a Sunday, so Monday 1 June; relief until Friday 31 July 2026.
    let end_of_month = incident(IncidentKind::Safeguard, ymd(2026, 1, 27), ymd(2026, 1, 31));
    assert_eq!(end_of_month.declaration_deadline(), Some(ymd(2026, 3, 31)));
    assert_eq!(
        IncidentFacts {
            creditor_abroad: true,
            ..end_of_month.clone()
        }
        .declaration_deadline(),
        Some(ymd(2026, 6, 1))
    );
    assert_eq!(end_of_month.relief_deadline(), Some(ymd(2026, 7, 31)));
}

#[test]
fn interest_stops_at_the_judgment_except_on_a_loan_of_a_year_or_more() {
    let rj = incident(
        IncidentKind::Receivership,
        ymd(2026, 3, 10),
        ymd(2026, 3, 14),
    );
    assert_eq!(rj.interest_stops_on(), Some(ymd(2026, 3, 10)));
    let loan = IncidentFacts {
        long_term_loan: true,
        ..rj.clone()
    };
    assert_eq!(loan.interest_stops_on(), None);
    // Over-indebtedness does not stop interest by itself (the commission's measures may).
    let file = incident(
        IncidentKind::OverIndebtedness,
        ymd(2026, 3, 10),
        ymd(2026, 3, 14),
    );
    assert_eq!(file.interest_stops_on(), None);
    assert_eq!(file.declaration_deadline(), None);
}

#[test]
fn heirs_and_merger_deadlines_fall_on_the_right_day() {
    // Death on Saturday 31 January 2026: the four months of C. civ. 771 end on 31 May; the
    // heir may be summoned from 1 June 2026.
    let death = IncidentFacts {
        published_on: None,
        ..incident(IncidentKind::Death, ymd(2026, 1, 31), ymd(2026, 1, 31))
    };
    assert_eq!(death.heirs_summons_from(), Some(ymd(2026, 6, 1)));
    // Merger published on Friday 12 June 2026: thirty days end on Sunday 12 July, so Monday
    // 13 July 2026.
    let merger = incident(IncidentKind::Merger, ymd(2026, 6, 5), ymd(2026, 6, 12));
    assert_eq!(merger.opposition_deadline(), Some(ymd(2026, 7, 13)));
    let keys: Vec<&str> = merger.dates().iter().map(|d| d.key).collect();
    assert_eq!(keys, vec!["opposition_deadline"]);
}

#[test]
fn an_incident_freezes_demands_until_it_is_ended() {
    let rj = incident(
        IncidentKind::Receivership,
        ymd(2026, 3, 10),
        ymd(2026, 3, 14),
    );
    // From 0 h of the judgment's day (C. com. R631-7), not the day before.
    assert!(freezing(std::slice::from_ref(&rj), ymd(2026, 3, 9)).is_none());
    assert!(freezing(std::slice::from_ref(&rj), ymd(2026, 3, 10)).is_some());
    let ended = IncidentFacts {
        ended: Some((ymd(2026, 9, 1), IncidentEnd::Resumed)),
        ..rj.clone()
    };
    assert!(freezing(std::slice::from_ref(&ended), ymd(2026, 8, 31)).is_some());
    assert!(freezing(std::slice::from_ref(&ended), ymd(2026, 9, 1)).is_none());
    assert!(freezes(Action::PostFormalNotice));
    assert!(freezes(Action::RecordFiling));
    assert!(freezes(Action::ProposePlan));
    assert!(!freezes(Action::RecordPayment));
    assert!(!freezes(Action::LogCall));
    assert_eq!(
        rj.freeze_reason(),
        "Redressement judiciaire (jugement d'ouverture du 10 mars 2026) : toute action et toute \
         mesure d'exécution des créanciers antérieurs sont interrompues ou interdites \
         (C. com. L631-14, L622-21)."
    );
}

#[test]
fn the_report_fails_the_condition_of_the_incident_in_force_only() {
    let today = ymd(2026, 4, 1);
    let file = IncidentFacts {
        published_on: None,
        ..incident(
            IncidentKind::OverIndebtedness,
            ymd(2026, 3, 2),
            ymd(2026, 3, 2),
        )
    };
    let conditions = conditions(std::slice::from_ref(&file), today);
    let status: Vec<(&str, ConditionStatus)> =
        conditions.iter().map(|c| (c.key, c.status)).collect();
    assert_eq!(
        status,
        vec![
            (keys::NO_COLLECTIVE_PROCEEDINGS, ConditionStatus::Met),
            (keys::NO_OVER_INDEBTEDNESS, ConditionStatus::Failed),
            (keys::DEBTOR_ALIVE, ConditionStatus::Met),
            (keys::COMPANY_ACTIVE, ConditionStatus::Met),
        ]
    );
    assert!(conditions.iter().all(|c| c.blocking));
    let ended = IncidentFacts {
        ended: Some((ymd(2026, 3, 20), IncidentEnd::Resumed)),
        ..file
    };
    let after = super::conditions(&[ended], today);
    assert_eq!(after[1].status, ConditionStatus::Met);
    assert!(
        after[1].reason.contains("clos le 20 mars 2026"),
        "{}",
        after[1].reason
    );
}

#[test]
fn an_incident_must_fit_the_debtor_and_its_dates() {
    let today = ymd(2026, 4, 1);
    let d = ymd(2026, 3, 10);
    assert!(check_record(
        IncidentKind::Receivership,
        d,
        Some(ymd(2026, 3, 14)),
        true,
        false,
        today
    )
    .is_ok());
    assert!(check_record(
        IncidentKind::Receivership,
        d,
        Some(ymd(2026, 3, 9)),
        true,
        false,
        today
    )
    .is_err());
    assert!(check_record(
        IncidentKind::Receivership,
        ymd(2026, 4, 2),
        None,
        true,
        false,
        today
    )
    .is_err());
    assert!(check_record(IncidentKind::Receivership, d, None, false, true, today).is_err());
    assert!(check_record(IncidentKind::OverIndebtedness, d, None, true, false, today).is_err());
    assert!(check_record(IncidentKind::OverIndebtedness, d, None, false, true, today).is_ok());
    assert!(check_record(IncidentKind::Death, d, None, true, false, today).is_err());
    assert!(check_record(IncidentKind::StruckOff, d, None, false, false, today).is_err());
    let rj = incident(IncidentKind::Receivership, d, ymd(2026, 3, 14));
    assert!(check_end(&rj, ymd(2026, 3, 9), IncidentEnd::Resumed, today).is_err());
    assert!(check_end(&rj, ymd(2026, 3, 20), IncidentEnd::DebtErased, today).is_err());
    assert!(check_end(
        &rj,
        ymd(2026, 3, 20),
        IncidentEnd::ClosedUnrecoverable,
        today
    )
    .is_ok());
}
