use super::*;
use crate::domain::legal::procedure::OrderOutcome;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Referred on 2 March 2026, filed 10 March, order 20 March, served (not in person) on
/// 3 April 2026.
fn served_not_in_person() -> ProcedureFacts {
    ProcedureFacts {
        referred_on: Some(ymd(2026, 3, 2)),
        filed_on: Some(ymd(2026, 3, 10)),
        order_on: Some(ymd(2026, 3, 20)),
        order_outcome: Some(OrderOutcome::Granted),
        served_on: Some(ymd(2026, 4, 3)),
        served_in_person: Some(false),
        ..ProcedureFacts::default()
    }
}

#[test]
fn a_conservatory_measure_needs_no_title_but_an_enforcement_act_does() {
    let today = ymd(2026, 6, 1);
    let before_filing = ProcedureFacts {
        referred_on: Some(ymd(2026, 3, 2)),
        ..ProcedureFacts::default()
    };
    assert_eq!(
        check_measure(
            &before_filing,
            MeasureKind::ProtectiveAttachment,
            ymd(2026, 3, 5),
            today
        ),
        Ok(())
    );
    let refused = check_measure(
        &before_filing,
        MeasureKind::AttachmentOfClaims,
        ymd(2026, 3, 5),
        today,
    )
    .unwrap_err();
    assert!(refused.contains("CPCE L111-2"), "{refused}");
    // With the title of 5 May 2026: an act on 4 May is refused, on 5 May accepted.
    let titled = ProcedureFacts {
        enforceable_on: Some(ymd(2026, 5, 5)),
        ..served_not_in_person()
    };
    assert_eq!(
        check_measure(
            &titled,
            MeasureKind::AttachmentOfGoods,
            ymd(2026, 5, 4),
            today
        ),
        Err(
            "Un acte d'exécution forcée ne peut pas précéder le titre exécutoire (le 5 mai 2026, \
             CPCE L111-2)."
                .to_string()
        )
    );
    assert_eq!(
        check_measure(
            &titled,
            MeasureKind::AttachmentOfGoods,
            ymd(2026, 5, 5),
            today
        ),
        Ok(())
    );
}

#[test]
fn dates_keep_the_procedures_order() {
    let facts = served_not_in_person();
    let today = ymd(2026, 6, 1);
    assert_eq!(
        check_measure(
            &facts,
            MeasureKind::ProtectiveAttachment,
            ymd(2026, 6, 2),
            today
        ),
        Err("La date de la mesure ne peut pas être dans le futur.".to_string())
    );
    assert_eq!(
        check_measure(
            &facts,
            MeasureKind::ProtectiveAttachment,
            ymd(2026, 3, 1),
            today
        ),
        Err(
            "La mesure ne peut pas précéder la transmission du dossier à l'avocat (le 2 mars \
             2026)."
                .to_string()
        )
    );
}

#[test]
fn the_first_attachment_after_a_service_not_in_person_starts_the_opposition_month() {
    let facts = ProcedureFacts {
        enforceable_on: Some(ymd(2026, 5, 5)),
        ..served_not_in_person()
    };
    // CPC 1416 al. 2: a saisie-attribution on 12 May 2026 is the first measure making the
    // debtor's assets unavailable; no act was served in person before it.
    let after = apply_measure(&facts, MeasureKind::AttachmentOfClaims, ymd(2026, 5, 12));
    assert_eq!(after.first_personal_act_on, Some(ymd(2026, 5, 12)));
    assert_eq!(after.last_enforcement_act_on, Some(ymd(2026, 5, 12)));
    // A later one leaves the window's start alone and moves the last act.
    let later = apply_measure(&after, MeasureKind::AttachmentOfGoods, ymd(2026, 7, 1));
    assert_eq!(later.first_personal_act_on, Some(ymd(2026, 5, 12)));
    assert_eq!(later.last_enforcement_act_on, Some(ymd(2026, 7, 1)));
    // One recorded late, dated before the last, does not move the last act back.
    let back = apply_measure(&later, MeasureKind::AttachmentOfEarnings, ymd(2026, 6, 1));
    assert_eq!(back.last_enforcement_act_on, Some(ymd(2026, 7, 1)));
    // A conservatory measure is no act of enforcement: neither date moves.
    let kept = apply_measure(&facts, MeasureKind::ProtectiveAttachment, ymd(2026, 5, 12));
    assert_eq!(kept.first_personal_act_on, None);
    assert_eq!(kept.last_enforcement_act_on, None);
    // Nor does an act of another kind open the window (not assumed to make assets
    // unavailable); it is an act of enforcement all the same.
    let other = apply_measure(&facts, MeasureKind::OtherEnforcementAct, ymd(2026, 5, 12));
    assert_eq!(other.first_personal_act_on, None);
    assert_eq!(other.last_enforcement_act_on, Some(ymd(2026, 5, 12)));
    // Served in person: the window already runs from the service.
    let in_person = ProcedureFacts {
        served_in_person: Some(true),
        ..facts
    };
    let p = apply_measure(
        &in_person,
        MeasureKind::AttachmentOfClaims,
        ymd(2026, 5, 12),
    );
    assert_eq!(p.first_personal_act_on, None);
}

#[test]
fn every_kind_reads_back_and_names_its_text() {
    for &k in MeasureKind::ALL {
        assert_eq!(MeasureKind::parse(k.as_str()), Ok(k));
        assert!(k.article().starts_with("CPCE L"), "{k:?}");
    }
    assert!(MeasureKind::parse("saisie").is_err());
}
