//! The eligibility report, one rule at a time from a fully eligible case.
//!
//! The reference day is Friday 20 March 2026.

use super::*;
use crate::domain::deadlines::PrescriptionStatus;
use crate::domain::legal::court::CourtKind;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn invoice(number: &str, due: NaiveDate, outstanding: &str) -> InvoiceFacts {
    InvoiceFacts {
        id: 1,
        number: number.to_string(),
        due_date: due,
        prescription_start: None,
        outstanding: d(outstanding),
    }
}

/// A B2B claim that meets every condition: an SAS in Dijon owes 12 345,67 €
/// on two invoices due in 2025; the formal notice's deadline was 2 March 2026.
fn eligible_b2b() -> EligibilityInput {
    EligibilityInput {
        today: ymd(2026, 3, 20),
        claim_is_contractual: true,
        invoices: vec![
            invoice("F-1", ymd(2025, 6, 30), "8230.45"),
            invoice("F-2", ymd(2025, 9, 15), "4115.22"),
        ],
        total_due: Some(d("12345.67")),
        to_fall_due: Vec::new(),
        statement_error: None,
        principal_due: d("12000"),
        indemnity_due: d("80"),
        formal_notice: Some(FormalNoticeFacts {
            sent_on: ymd(2026, 2, 20),
            deadline: ymd(2026, 3, 2),
        }),
        open_dispute: false,
        debtor: DebtorProfile {
            is_company: true,
            legal_form: Some("SAS".into()),
            has_siren: true,
            is_consumer: false,
            postal_code: "21000".into(),
            city: "Dijon".into(),
            country: "FR".into(),
        },
        creditor_is_trader: true,
        interruptions: Vec::new(),
        formal_notice_required: false,
        courts: std::sync::Arc::new(dijon_courts()),
        incidents: Vec::new(),
    }
}

/// A made-up directory (not the shipped data): Dijon's courts on the whole Côte-d'Or.
fn dijon_courts() -> crate::domain::legal::courts::CourtDirectory {
    use crate::domain::legal::courts::{Court, CourtDirectory};
    let court = |id: &str, kind, name: &str| Court {
        id: id.into(),
        kind,
        name: name.into(),
        seat: "Dijon".into(),
        seat_departement: Some("21".into()),
        departements: vec!["21".into()],
        communes: vec![],
        valid_from: None,
        valid_until: None,
        source: "annexe de test".into(),
    };
    CourtDirectory {
        postal_index: Default::default(),
        version: "2026-12-01".into(),
        source: "données de test".into(),
        courts: vec![
            court(
                "tj-dijon",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de Dijon",
            ),
            court(
                "tc-dijon",
                CourtKind::CommercialCourt,
                "Tribunal de commerce de Dijon",
            ),
        ],
        communes: vec![],
    }
}

/// Acknowledgements (partial payments, C. civ. 2240) of the whole claim on `dates`.
fn acks(dates: &[NaiveDate]) -> Vec<Interruption> {
    dates
        .iter()
        .map(|&date| Interruption {
            kind: InterruptionKind::PartialPayment,
            date,
            invoice_id: None,
        })
        .collect()
}

fn consumer_debtor() -> DebtorProfile {
    DebtorProfile {
        is_company: false,
        legal_form: None,
        has_siren: false,
        is_consumer: true,
        postal_code: "21000".into(),
        city: "Dijon".into(),
        country: "FR".into(),
    }
}

fn status(r: &EligibilityReport, key: &str) -> ConditionStatus {
    r.condition(key).unwrap().status
}

fn reason<'a>(r: &'a EligibilityReport, key: &str) -> &'a str {
    &r.condition(key).unwrap().reason
}

/// The keys whose condition is Failed.
fn failed(r: &EligibilityReport) -> Vec<&'static str> {
    r.conditions
        .iter()
        .filter(|c| c.status == ConditionStatus::Failed)
        .map(|c| c.key)
        .collect()
}

/// Asserts that `key` alone failed and made the dossier ineligible.
fn assert_only_failure(r: &EligibilityReport, key: &str) {
    assert_eq!(failed(r), vec![key], "{:#?}", r.conditions);
    assert!(!r.eligible);
    assert_eq!(r.first_blocking_failure().map(|c| c.key), Some(key));
}

#[test]
fn a_b2b_claim_meeting_every_condition_is_eligible() {
    let r = assess(&eligible_b2b());
    assert!(r.eligible);
    assert_eq!(r.first_blocking_failure(), None);
    for key in [
        keys::CONTRACTUAL_CLAIM,
        keys::DETERMINED_AMOUNT,
        keys::FORMAL_NOTICE_SENT,
        keys::FORMAL_NOTICE_EXPIRED,
        keys::NOT_PRESCRIBED,
        keys::NO_OPEN_DISPUTE,
        keys::DEBTOR_IN_FRANCE,
    ] {
        assert_eq!(status(&r, key), ConditionStatus::Met, "{key}");
    }
    assert_eq!(r.prescription_regime, PrescriptionRegime::Commercial);
    // C. com. L110-4: five years from each due date, raw.
    let ends: Vec<_> = r
        .prescriptions
        .iter()
        .map(|p| (p.number.as_str(), p.ends_on))
        .collect();
    assert_eq!(
        ends,
        vec![("F-1", ymd(2030, 6, 30)), ("F-2", ymd(2030, 9, 15))]
    );
    assert_eq!(r.earliest_prescription(), Some(ymd(2030, 6, 30)));
    assert_eq!(r.court.kind, CourtKind::CommercialCourt);
    assert_eq!(r.court.proposed_name, "Tribunal de commerce de Dijon");
    assert_eq!(r.small_claims_alternative, None);
    assert_eq!(r.european_order, None);
    assert!(r.lawyer_required_on_opposition);
    assert_eq!(
        reason(&r, keys::DETERMINED_AMOUNT),
        "Montant déterminé et exigible : 12\u{a0}345,67\u{a0}€ (dont 12\u{a0}000,00\u{a0}€ en principal), \
         arrêté le 20 mars 2026."
    );
    assert_eq!(
        reason(&r, keys::FORMAL_NOTICE_EXPIRED),
        "Le délai de paiement de la mise en demeure a expiré le 2 mars 2026 et la créance reste \
         impayée."
    );
    assert_eq!(
        reason(&r, keys::COURT_FEES),
        "Frais de greffe à prévoir devant le tribunal de commerce : 27,89\u{a0}€ HT \
         (33,47\u{a0}€ TTC) (ordonnance d'injonction de payer 10,04\u{a0}€, frais de \
         transmission 7,81\u{a0}€, droits 10,04\u{a0}€)."
    );
    assert_eq!(
        r.condition(keys::COURT_FEES).unwrap().article,
        "C. com. A743-9"
    );
}

#[test]
fn the_report_lists_every_key_once_in_order_with_fixed_blocking_flags() {
    let r = assess(&eligible_b2b());
    let listed: Vec<_> = r.conditions.iter().map(|c| c.key).collect();
    assert_eq!(listed, keys::ALL.to_vec());
    let blocking: Vec<_> = r.conditions.iter().map(|c| c.blocking).collect();
    assert_eq!(
        blocking,
        vec![true, true, true, true, true, true, true, false, false, false, true, true, true, true]
    );
    for key in [
        keys::SMALL_CLAIMS,
        keys::LAWYER_ON_OPPOSITION,
        keys::COURT_FEES,
    ] {
        assert_eq!(status(&r, key), ConditionStatus::Info, "{key}");
    }
}

#[test]
fn a_claim_without_contractual_cause_fails_alone() {
    let mut input = eligible_b2b();
    input.claim_is_contractual = false;
    let r = assess(&input);
    assert_only_failure(&r, keys::CONTRACTUAL_CLAIM);
    assert!(reason(&r, keys::CONTRACTUAL_CLAIM).contains("CPC 1405"));
}

#[test]
fn an_undetermined_amount_fails_alone_and_names_the_missing_rate() {
    let mut input = eligible_b2b();
    input.total_due = None;
    input.statement_error = Some(ClaimError::MissingRate {
        year: 2026,
        half: Half::H2,
    });
    let r = assess(&input);
    assert_only_failure(&r, keys::DETERMINED_AMOUNT);
    assert_eq!(
        reason(&r, keys::DETERMINED_AMOUNT),
        "Le montant n'est pas déterminé : aucun taux d'intérêt n'est saisi pour le second \
         semestre 2026 (à ajouter par un administrateur)."
    );
    // Unknown amount: no small-claims route and no lawyer requirement asserted.
    assert_eq!(r.small_claims_alternative, None);
    assert!(!r.lawyer_required_on_opposition);
}

#[test]
fn a_claim_fully_paid_has_no_determined_amount_and_no_expired_notice() {
    let mut input = eligible_b2b();
    input.total_due = Some(Decimal::ZERO);
    input.principal_due = Decimal::ZERO;
    let r = assess(&input);
    assert_eq!(
        failed(&r),
        vec![keys::DETERMINED_AMOUNT, keys::FORMAL_NOTICE_EXPIRED]
    );
    assert_eq!(
        r.first_blocking_failure().map(|c| c.key),
        Some(keys::DETERMINED_AMOUNT)
    );
}

#[test]
fn no_formal_notice_is_a_warning_by_default_and_its_deadline_does_not_apply() {
    // No prior amicable step is required for an injunction of payment (Cass., avis,
    // 25 Sept. 2025): the report warns, the dossier is not stopped.
    let mut input = eligible_b2b();
    input.formal_notice = None;
    let r = assess(&input);
    assert!(r.eligible, "{:?}", r.first_blocking_failure());
    assert_eq!(
        status(&r, keys::FORMAL_NOTICE_SENT),
        ConditionStatus::Warning
    );
    assert!(reason(&r, keys::FORMAL_NOTICE_SENT).contains("25 septembre 2025"));
    assert_eq!(
        status(&r, keys::FORMAL_NOTICE_EXPIRED),
        ConditionStatus::Info
    );
}

#[test]
fn no_formal_notice_fails_alone_when_the_agency_requires_one() {
    let mut input = eligible_b2b();
    input.formal_notice = None;
    input.formal_notice_required = true;
    let r = assess(&input);
    assert_only_failure(&r, keys::FORMAL_NOTICE_SENT);
    assert!(reason(&r, keys::FORMAL_NOTICE_SENT).contains("l'agence en exige une"));
}

#[test]
fn invoices_still_to_fall_due_are_named_apart_from_the_determined_amount() {
    // 1 045,33 € due on 1 000 € of principal; F-2 (500 €) falls due on 15 March 2026.
    let mut input = eligible_b2b();
    input.total_due = Some(d("1045.33"));
    input.principal_due = d("1000");
    input.to_fall_due = vec![ToFallDue {
        number: "F-2".into(),
        due_date: ymd(2026, 3, 15),
        amount: d("500"),
    }];
    let r = assess(&input);
    assert_eq!(status(&r, keys::DETERMINED_AMOUNT), ConditionStatus::Met);
    assert_eq!(
        reason(&r, keys::DETERMINED_AMOUNT),
        "Montant déterminé et exigible : 1\u{a0}045,33\u{a0}€ (dont 1\u{a0}000,00\u{a0}€ en \
         principal), arrêté le 20 mars 2026 ; à échoir, non réclamé : F-2 (500,00\u{a0}€, \
         échéance le 15 mars 2026)."
    );
    // Nothing due yet: nothing to claim.
    input.total_due = Some(d("0"));
    input.principal_due = d("0");
    let r = assess(&input);
    assert_eq!(status(&r, keys::DETERMINED_AMOUNT), ConditionStatus::Failed);
    assert!(reason(&r, keys::DETERMINED_AMOUNT).starts_with("Aucune facture n'est encore échue"));
}

#[test]
fn a_formal_notice_still_running_fails_alone_with_its_date() {
    let mut input = eligible_b2b();
    // The last day to pay is today: action only from tomorrow (today > deadline).
    input.formal_notice = Some(FormalNoticeFacts {
        sent_on: ymd(2026, 3, 10),
        deadline: ymd(2026, 3, 20),
    });
    let r = assess(&input);
    assert_only_failure(&r, keys::FORMAL_NOTICE_EXPIRED);
    assert_eq!(
        reason(&r, keys::FORMAL_NOTICE_EXPIRED),
        "Le délai de paiement de la mise en demeure expire le 20 mars 2026 : la requête est \
         possible à partir du lendemain, le 21 mars 2026."
    );
    // The next day, it has expired.
    input.today = ymd(2026, 3, 21);
    assert!(assess(&input).eligible);
}

#[test]
fn a_prescribed_unpaid_invoice_fails_alone_and_is_named() {
    let mut input = eligible_b2b();
    // Due Friday 19 March 2021 → last day Thursday 19 March 2026 (L110-4): past.
    input.invoices.push(invoice("F-0", ymd(2021, 3, 19), "500"));
    // A paid invoice, however old, blocks nothing.
    input.invoices.push(invoice("F-00", ymd(2019, 1, 10), "0"));
    let r = assess(&input);
    assert_only_failure(&r, keys::NOT_PRESCRIBED);
    assert_eq!(
        reason(&r, keys::NOT_PRESCRIBED),
        "Prescription de 5 ans acquise pour la facture F-0 (dernier jour : 19 mars 2026) : \
         aucune action en justice n'est possible pour elle (C. com. L110-4)."
    );
    assert_eq!(r.prescriptions[2].status, PrescriptionStatus::Expired);
    assert_eq!(r.prescriptions[3].status, PrescriptionStatus::Expired);
    // The earliest end counts unpaid invoices only.
    assert_eq!(r.earliest_prescription(), Some(ymd(2026, 3, 19)));
}

#[test]
fn an_open_dispute_fails_alone() {
    let mut input = eligible_b2b();
    input.open_dispute = true;
    let r = assess(&input);
    assert_only_failure(&r, keys::NO_OPEN_DISPUTE);
    assert_eq!(
        r.condition(keys::NO_OPEN_DISPUTE).unwrap().article,
        "CPC 1409"
    );
}

#[test]
fn a_debtor_in_another_member_state_fails_alone_and_gets_the_european_order() {
    let mut input = eligible_b2b();
    input.debtor.country = "DE".into();
    input.debtor.legal_form = Some("GmbH".into());
    let r = assess(&input);
    assert_only_failure(&r, keys::DEBTOR_IN_FRANCE);
    let eu = r.european_order.as_deref().unwrap();
    assert!(eu.contains("règlement (CE) n° 1896/2006"), "{eu}");
    assert!(eu.contains("(DE)"), "{eu}");
    assert!(eu.contains("30 jours"), "{eu}");
    assert!(!eu.contains("consommateur"), "{eu}");
    assert!(!r.court.in_france);
}

#[test]
fn a_consumer_in_another_member_state_is_told_about_its_own_courts() {
    let mut input = eligible_b2b();
    input.debtor = consumer_debtor();
    input.debtor.country = "it".into();
    let r = assess(&input);
    let eu = r.european_order.as_deref().unwrap();
    assert!(eu.contains("(IT)"), "{eu}");
    assert!(eu.contains("art. 6 § 2"), "{eu}");
}

#[test]
fn a_swiss_or_danish_debtor_has_no_simplified_cross_border_route() {
    let mut input = eligible_b2b();
    input.debtor.country = "CH".into();
    let r = assess(&input);
    assert_only_failure(&r, keys::DEBTOR_IN_FRANCE);
    assert_eq!(r.european_order, None);
    assert!(reason(&r, keys::DEBTOR_IN_FRANCE).contains("hors de l'Union européenne (CH)"));
    assert!(reason(&r, keys::DEBTOR_IN_FRANCE).contains("action ordinaire à l'étranger"));
    input.debtor.country = "DK".into();
    let r = assess(&input);
    assert_eq!(r.european_order, None);
    assert!(reason(&r, keys::DEBTOR_IN_FRANCE).contains("Danemark"));
}

#[test]
fn the_european_order_covers_26_states_without_denmark() {
    assert_eq!(EUROPEAN_ORDER_STATES.len(), 26);
    assert!(!EUROPEAN_ORDER_STATES.contains(&"DK"));
    assert!(european_order_applies("fr"));
    assert!(european_order_applies(" EL "));
    assert!(european_order_applies("GR"));
    assert!(!european_order_applies("DK"));
    assert!(!european_order_applies("CH"));
    assert!(!european_order_applies("GB"));
}

#[test]
fn small_claims_are_offered_up_to_exactly_5000_euros_in_principal_and_interest() {
    // CPCE R125-1 counts principal and interest: 5 080,00 € due of which 80 € of D441-5
    // indemnities (two late invoices) is 5 000,00 € for the threshold — open.
    let mut input = eligible_b2b();
    input.total_due = Some(d("5080.00"));
    input.indemnity_due = d("80");
    let r = assess(&input);
    let alt = r.small_claims_alternative.as_deref().unwrap();
    assert!(
        alt.starts_with(
            "Créance de 5\u{a0}000,00\u{a0}€ en principal et intérêts (indemnité forfaitaire non comprise)"
        ),
        "{alt}"
    );
    assert!(alt.contains("CPCE L125-1, R125-1"), "{alt}");
    assert!(
        alt.contains("un mois pour accepter, son silence vaut refus"),
        "{alt}"
    );
    assert!(alt.contains("à la charge du créancier"), "{alt}");
    assert_eq!(reason(&r, keys::SMALL_CLAIMS), alt);
    // One cent more in principal and interest (5 080,01 - 80 = 5 000,01 €): closed.
    input.total_due = Some(d("5080.01"));
    let r = assess(&input);
    assert_eq!(r.small_claims_alternative, None);
    assert!(
        reason(&r, keys::SMALL_CLAIMS).starts_with("Créance de 5\u{a0}000,01\u{a0}€"),
        "{}",
        reason(&r, keys::SMALL_CLAIMS)
    );
    assert_eq!(status(&r, keys::SMALL_CLAIMS), ConditionStatus::Info);
    assert!(r.eligible);
}

#[test]
fn a_lawyer_is_required_on_opposition_above_10000_euros() {
    let mut input = eligible_b2b();
    input.total_due = Some(d("10000"));
    let r = assess(&input);
    assert!(!r.lawyer_required_on_opposition);
    assert!(reason(&r, keys::LAWYER_ON_OPPOSITION).contains("au plus 10\u{a0}000\u{a0}€"));
    input.total_due = Some(d("10000.01"));
    let r = assess(&input);
    assert!(r.lawyer_required_on_opposition);
    assert_eq!(
        reason(&r, keys::LAWYER_ON_OPPOSITION),
        "Créance de 10\u{a0}000,01\u{a0}€, au-delà de 10\u{a0}000\u{a0}€ : en cas d'opposition, la \
         représentation par avocat est obligatoire à l'audience. Aucun avocat n'est exigé pour \
         la requête."
    );
    assert_eq!(
        r.condition(keys::LAWYER_ON_OPPOSITION).unwrap().article,
        "CPC 760, 853"
    );
}

mod prescription;
