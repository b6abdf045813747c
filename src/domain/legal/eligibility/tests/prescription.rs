//! Prescription in the eligibility report: regimes, the warning window,
//! interruptions. The reference day is Friday 20 March 2026.

use super::*;

#[test]
fn a_consumer_has_two_years_and_the_judicial_court() {
    let mut input = eligible_b2b();
    input.debtor = consumer_debtor();
    // Due Tuesday 19 March 2024: two years (L218-2) end Thursday 19 March 2026, past;
    // under the five years of L110-4 it would run to 19 March 2029.
    input.invoices = vec![
        invoice("C-1", ymd(2024, 3, 19), "300"),
        invoice("C-2", ymd(2025, 1, 10), "200"),
    ];
    input.total_due = Some(d("520"));
    input.principal_due = d("500");
    let r = assess(&input);
    assert_eq!(r.prescription_regime, PrescriptionRegime::Consumer);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2026, 3, 19));
    assert_eq!(r.prescriptions[1].ends_on, ymd(2027, 1, 10));
    assert_only_failure(&r, keys::NOT_PRESCRIBED);
    assert_eq!(
        r.condition(keys::NOT_PRESCRIBED).unwrap().article,
        "C. conso. L218-2"
    );
    assert_eq!(r.court.kind, CourtKind::JudicialCourt);
    assert_eq!(r.court.proposed_name, "Tribunal judiciaire de Dijon");
    assert_eq!(
        reason(&r, keys::COURT_FEES),
        "Aucun frais de greffe devant le tribunal judiciaire."
    );
}

#[test]
fn prescription_within_90_days_is_a_warning_not_a_block() {
    let mut input = eligible_b2b();
    // Due Monday 15 June 2021 → ends Monday 15 June 2026: from 20 March,
    // 11 + 30 + 31 + 15 = 87 days left, within the 90-day window.
    input.invoices[0] = invoice("F-1", ymd(2021, 6, 15), "8230.45");
    let r = assess(&input);
    assert!(r.eligible);
    assert_eq!(status(&r, keys::NOT_PRESCRIBED), ConditionStatus::Warning);
    assert_eq!(
        r.prescriptions[0].status,
        PrescriptionStatus::EndingSoon { days_left: 87 }
    );
    assert_eq!(
        reason(&r, keys::NOT_PRESCRIBED),
        "Prescription de 5 ans bientôt acquise pour la facture F-1 (le 15 juin 2026, dans 87 \
         jours) : l'ordonnance doit être obtenue et signifiée avant cette date pour \
         l'interrompre (C. civ. 2241)."
    );
    // Due 19 June 2021 → ends 19 June 2026: 91 days left, outside the window.
    input.invoices[0] = invoice("F-1", ymd(2021, 6, 19), "8230.45");
    let r = assess(&input);
    assert_eq!(status(&r, keys::NOT_PRESCRIBED), ConditionStatus::Met);
    assert_eq!(r.prescriptions[0].status, PrescriptionStatus::Running);
}

#[test]
fn an_interruption_restarts_the_period_from_its_date() {
    let mut input = eligible_b2b();
    // Due 10 January 2021: five years end 10 January 2026, past on 20 March 2026...
    input.invoices = vec![invoice("F-1", ymd(2021, 1, 10), "1000")];
    input.total_due = Some(d("1040"));
    assert_only_failure(&assess(&input), keys::NOT_PRESCRIBED);
    // ...but an acknowledgement on 4 May 2023 (C. civ. 2240) started a new period of
    // five years (2231), ending 4 May 2028. The earlier act of 1 Jan 2022 was
    // overtaken by it; an act before the start (2020) is ignored.
    input.interruptions = acks(&[ymd(2023, 5, 4), ymd(2020, 12, 1), ymd(2022, 1, 1)]);
    let r = assess(&input);
    assert!(r.eligible);
    let p = &r.prescriptions[0];
    assert_eq!(p.start, ymd(2023, 5, 4));
    assert_eq!(p.restarted_on, Some(ymd(2023, 5, 4)));
    assert_eq!(p.ends_on, ymd(2028, 5, 4));
    assert_eq!(p.status, PrescriptionStatus::Running);
}

#[test]
fn an_act_after_prescription_or_in_the_future_revives_nothing() {
    let mut input = eligible_b2b();
    input.invoices = vec![invoice("F-1", ymd(2021, 1, 10), "1000")];
    // 1 February 2026 comes after the last day (10 January 2026): prescription was
    // already acquired. 1 April 2026 is after today: not an act that happened.
    input.interruptions = acks(&[ymd(2026, 2, 1), ymd(2026, 4, 1)]);
    let r = assess(&input);
    assert_only_failure(&r, keys::NOT_PRESCRIBED);
    assert_eq!(r.prescriptions[0].restarted_on, None);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2026, 1, 10));
}

#[test]
fn an_agent_start_date_replaces_the_due_date() {
    let mut input = eligible_b2b();
    // Due 10 Jan 2021 (prescribed), but performance ended 1 April 2021 per the agent.
    input.invoices = vec![InvoiceFacts {
        prescription_start: Some(ymd(2021, 4, 1)),
        ..invoice("F-1", ymd(2021, 1, 10), "1000")
    }];
    let r = assess(&input);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2026, 4, 1));
    // 12 days left: a warning.
    assert_eq!(
        r.prescriptions[0].status,
        PrescriptionStatus::EndingSoon { days_left: 12 }
    );
}

#[test]
fn an_act_on_the_last_day_is_still_in_time() {
    let mut input = eligible_b2b();
    // Due 10 January 2021: the last day is 10 January 2026; an acknowledgement that
    // very day restarts five years to 10 January 2031 (C. civ. 2229, 2231).
    input.invoices = vec![invoice("F-1", ymd(2021, 1, 10), "1000")];
    input.interruptions = acks(&[ymd(2026, 1, 10)]);
    let r = assess(&input);
    assert!(r.eligible);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2031, 1, 10));
    // The day after, it comes too late.
    input.interruptions = acks(&[ymd(2026, 1, 11)]);
    assert_eq!(assess(&input).prescriptions[0].ends_on, ymd(2026, 1, 10));
}

#[test]
fn a_consumers_partial_payment_a_year_ago_restarts_the_two_years() {
    let mut input = eligible_b2b();
    input.debtor = consumer_debtor();
    // Due 10 January 2024: two years (C. conso. L218-2) end 10 January 2026, past on
    // 20 March 2026 — prescribed, unless something interrupted it.
    input.invoices = vec![invoice("C-1", ymd(2024, 1, 10), "1000")];
    input.total_due = Some(d("1000"));
    input.principal_due = d("1000");
    assert_only_failure(&assess(&input), keys::NOT_PRESCRIBED);
    // 200 € paid on 20 March 2025 acknowledged the debt (C. civ. 2240): two new years from
    // that day (2231), to 20 March 2027.
    input.interruptions = vec![Interruption {
        kind: InterruptionKind::PartialPayment,
        date: ymd(2025, 3, 20),
        invoice_id: None,
    }];
    let r = assess(&input);
    assert!(r.eligible, "{:?}", r.first_blocking_failure());
    let p = &r.prescriptions[0];
    assert_eq!(p.ends_on, ymd(2027, 3, 20));
    assert_eq!(
        p.restarted_by.map(|a| a.kind),
        Some(InterruptionKind::PartialPayment)
    );
    assert_eq!(
        reason(&r, keys::NOT_PRESCRIBED),
        "Prescription de 2 ans (C. conso. L218-2) : aucune facture impayée n'est prescrite ; \
         la première le sera après le 20 mars 2027 (facture C-1, délai reparti le 20 mars 2025 \
         (paiement partiel, C. civ. 2240))."
    );
}

#[test]
fn a_plan_a_promise_and_the_requete_each_restart_five_years_in_b2b() {
    let mut input = eligible_b2b();
    // Due 10 January 2021: five years (C. com. L110-4) end 10 January 2026.
    input.invoices = vec![invoice("F-1", ymd(2021, 1, 10), "1000")];
    input.total_due = Some(d("1040"));
    let one = |kind, date| Interruption {
        kind,
        date,
        invoice_id: None,
    };
    // A plan agreed on 2 February 2022 → 2 February 2027; a promise on 3 March 2023 →
    // 3 March 2028; the requête filed on 4 April 2024 (C. civ. 2241) → 4 April 2029, the last.
    input.interruptions = vec![
        one(InterruptionKind::PaymentPlan, ymd(2022, 2, 2)),
        one(InterruptionKind::CourtClaim, ymd(2024, 4, 4)),
        one(InterruptionKind::Promise, ymd(2023, 3, 3)),
    ];
    let r = assess(&input);
    let p = &r.prescriptions[0];
    assert_eq!(p.ends_on, ymd(2029, 4, 4));
    assert_eq!(
        p.restarted_by,
        Some(one(InterruptionKind::CourtClaim, ymd(2024, 4, 4)))
    );
    // Each alone: the plan gives 2 February 2027, the promise 3 March 2028.
    input.interruptions = vec![one(InterruptionKind::PaymentPlan, ymd(2022, 2, 2))];
    assert_eq!(assess(&input).prescriptions[0].ends_on, ymd(2027, 2, 2));
    input.interruptions = vec![one(InterruptionKind::Promise, ymd(2023, 3, 3))];
    assert_eq!(assess(&input).prescriptions[0].ends_on, ymd(2028, 3, 3));
}

#[test]
fn a_formal_notice_does_not_interrupt_prescription() {
    // Cass. com. 18 May 2022, n° 20-23.204: a formal notice is no act of 2240–2244. The
    // notice of 20 February 2026 leaves the five years from 10 January 2021 ended on
    // 10 January 2026.
    let mut input = eligible_b2b();
    input.invoices = vec![invoice("F-1", ymd(2021, 1, 10), "1000")];
    assert!(input.formal_notice.is_some());
    let r = assess(&input);
    assert_only_failure(&r, keys::NOT_PRESCRIBED);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2026, 1, 10));
    assert_eq!(r.prescriptions[0].restarted_by, None);
}

#[test]
fn a_payment_the_debtor_imputed_to_one_invoice_restarts_that_invoice_only() {
    let mut input = eligible_b2b();
    input.debtor = consumer_debtor();
    // Two consumer invoices due 10 January 2024 (two years: 10 January 2026); a payment on
    // 1 June 2025 named invoice 2: it restarts invoice 2 (to 1 June 2027), not invoice 1.
    input.invoices = vec![
        InvoiceFacts {
            id: 1,
            ..invoice("C-1", ymd(2024, 1, 10), "300")
        },
        InvoiceFacts {
            id: 2,
            ..invoice("C-2", ymd(2024, 1, 10), "300")
        },
    ];
    input.interruptions = vec![Interruption {
        kind: InterruptionKind::PartialPayment,
        date: ymd(2025, 6, 1),
        invoice_id: Some(2),
    }];
    let r = assess(&input);
    assert_eq!(r.prescriptions[0].ends_on, ymd(2026, 1, 10));
    assert_eq!(r.prescriptions[1].ends_on, ymd(2027, 6, 1));
    assert_only_failure(&r, keys::NOT_PRESCRIBED);
}
