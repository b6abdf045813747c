//! Court choice and registry fees.

use super::*;
use crate::domain::legal::courts::{Commune, Court, CourtDirectory};
use crate::domain::legal::debtor::{legal_form_kind, LegalFormKind};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn company(form: &str, postal_code: &str, city: &str) -> DebtorProfile {
    DebtorProfile {
        is_company: true,
        legal_form: Some(form.to_string()),
        has_siren: true,
        is_consumer: false,
        postal_code: postal_code.to_string(),
        city: city.to_string(),
        country: "FR".to_string(),
    }
}

/// A made-up directory for these tests (not the shipped data): Dijon's two courts on the
/// whole Côte-d'Or, Lyon's tribunal judiciaire and TAE on the commune of Lyon, Paris's on
/// the whole of Paris.
fn directory() -> CourtDirectory {
    let court = |id: &str, kind, name: &str, depts: &[&str], communes: &[&str]| Court {
        id: id.into(),
        kind,
        name: name.into(),
        seat: String::new() + name.rsplit(' ').next().unwrap_or_default(),
        seat_departement: None,
        departements: depts.iter().map(|s| s.to_string()).collect(),
        communes: communes.iter().map(|s| s.to_string()).collect(),
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
                &["21"],
                &[],
            ),
            court(
                "tc-dijon",
                CourtKind::CommercialCourt,
                "Tribunal de commerce de Dijon",
                &["21"],
                &[],
            ),
            court(
                "tj-lyon",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de Lyon",
                &[],
                &["69123"],
            ),
            court(
                "tae-lyon",
                CourtKind::EconomicActivitiesCourt,
                "Tribunal des activités économiques de Lyon",
                &[],
                &["69123"],
            ),
            court(
                "tj-paris",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de Paris",
                &["75"],
                &[],
            ),
            court(
                "tae-paris",
                CourtKind::EconomicActivitiesCourt,
                "Tribunal des activités économiques de Paris",
                &["75"],
                &[],
            ),
        ],
        communes: vec![Commune {
            insee: "69123".into(),
            name: "Lyon".into(),
            postal_codes: vec!["69001".into(), "69003".into()],
        }],
    }
}

fn propose(debtor: &DebtorProfile, creditor_is_trader: bool) -> CourtProposal {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    propose_court(debtor, creditor_is_trader, &directory(), day)
}

fn consumer(postal_code: &str, city: &str) -> DebtorProfile {
    DebtorProfile {
        is_company: false,
        legal_form: None,
        has_siren: false,
        is_consumer: true,
        postal_code: postal_code.to_string(),
        city: city.to_string(),
        country: "FR".to_string(),
    }
}

#[test]
fn sas_in_lyon_goes_to_the_economic_activities_court() {
    let p = propose(&company("SAS", "69001", "Lyon"), true);
    assert_eq!(p.kind, CourtKind::EconomicActivitiesCourt);
    assert_eq!(
        p.proposed_name,
        "Tribunal des activités économiques de Lyon"
    );
    assert_eq!(p.judge, "Président du tribunal des activités économiques");
    assert_eq!(p.territory, "siège du débiteur : 69001 Lyon");
    assert_eq!(p.cerfa, "12946");
    assert!(p.in_france);
    assert!(p.reason.contains("CPC 1406"), "{}", p.reason);
    assert!(p.reason.contains("loi n° 2023-1059"), "{}", p.reason);
    assert_eq!(p.court_id.as_deref(), Some("tae-lyon"));
    assert!(p.reason.contains("INSEE 69123"), "{}", p.reason);
    // A TAE charges the commercial registry's fees.
    assert_eq!(p.fees.total_excl_vat, d("27.89"));
}

#[test]
fn sarl_in_dijon_goes_to_the_commercial_court_of_dijon() {
    let p = propose(&company("SARL", "21000", "Dijon"), true);
    assert_eq!(p.kind, CourtKind::CommercialCourt);
    assert_eq!(p.proposed_name, "Tribunal de commerce de Dijon");
    assert_eq!(p.judge, "Président du tribunal de commerce");
    assert_eq!(p.territory, "siège du débiteur : 21000 Dijon");
    assert_eq!(p.cerfa, "12946");
    assert!(p.reason.starts_with("Créance commerciale"), "{}", p.reason);
}

#[test]
fn sci_goes_to_the_judicial_court() {
    let p = propose(&company("SCI", "21000", "Dijon"), true);
    assert_eq!(p.kind, CourtKind::JudicialCourt);
    assert_eq!(p.proposed_name, "Tribunal judiciaire de Dijon");
    assert_eq!(p.judge, "Président du tribunal judiciaire");
    assert_eq!(p.cerfa, "12948*06");
    assert!(p.reason.contains("(SCI)"), "{}", p.reason);
}

#[test]
fn a_consumer_goes_to_the_judicial_court_even_in_a_tae_city() {
    let p = propose(&consumer("75015", "Paris"), true);
    assert_eq!(p.kind, CourtKind::JudicialCourt);
    assert_eq!(p.proposed_name, "Tribunal judiciaire de Paris");
    assert_eq!(p.territory, "domicile du débiteur : 75015 Paris");
    assert!(p.reason.contains("consommateur"), "{}", p.reason);
    assert!(p.fees.lines.is_empty());
    assert_eq!(p.fees.total_incl_vat, Decimal::ZERO);
    assert_eq!(
        p.fees.summary(),
        "aucun frais de greffe devant le tribunal judiciaire"
    );
}

#[test]
fn a_commercial_company_sued_by_a_non_trader_goes_to_the_judicial_court() {
    let p = propose(&company("SAS", "21000", "Dijon"), false);
    assert_eq!(p.kind, CourtKind::JudicialCourt);
    assert!(
        p.reason.contains("le créancier n'est pas commerçant"),
        "{}",
        p.reason
    );
}

#[test]
fn an_individual_with_a_siren_who_is_not_a_consumer_counts_as_a_trader() {
    let mut debtor = consumer("21000", "Dijon");
    debtor.is_consumer = false;
    debtor.has_siren = true;
    let p = propose(&debtor, true);
    assert_eq!(p.kind, CourtKind::CommercialCourt);
    assert!(p.reason.contains("par convention"), "{}", p.reason);
    // Without a SIREN, the same individual is civil.
    debtor.has_siren = false;
    assert_eq!(propose(&debtor, true).kind, CourtKind::JudicialCourt);
}

#[test]
fn legal_forms_are_classed_case_insensitively() {
    for f in [
        "sarl", "S.A.R.L.", "Eurl", "sas", "SASU", "SA", "snc", "SCS", "SCA",
    ] {
        assert_eq!(legal_form_kind(f), LegalFormKind::Commercial, "{f}");
    }
    assert_eq!(
        legal_form_kind("société par actions simplifiée"),
        LegalFormKind::Commercial
    );
    for f in [
        "SCI",
        "sci",
        "SCP",
        "SELARL",
        "selas",
        "Association",
        "Société civile",
    ] {
        assert_eq!(legal_form_kind(f), LegalFormKind::Civil, "{f}");
    }
    assert_eq!(legal_form_kind("EI"), LegalFormKind::IndividualBusiness);
    assert_eq!(legal_form_kind("GIE"), LegalFormKind::Unknown);
    assert_eq!(legal_form_kind(""), LegalFormKind::Unknown);
}

#[test]
fn a_selarl_is_civil_although_its_form_looks_commercial() {
    assert_eq!(
        propose(&company("SELARL", "21000", "Dijon"), true).kind,
        CourtKind::JudicialCourt
    );
}

#[test]
fn an_unknown_or_missing_form_goes_to_the_judicial_court_with_a_check() {
    let p = propose(&company("GIE", "21000", "Dijon"), true);
    assert_eq!(p.kind, CourtKind::JudicialCourt);
    assert!(p.reason.contains("« GIE »"), "{}", p.reason);
    assert!(p.reason.contains("à vérifier"), "{}", p.reason);
    let mut no_form = company("SAS", "21000", "Dijon");
    no_form.legal_form = None;
    let p = propose(&no_form, true);
    assert_eq!(p.kind, CourtKind::JudicialCourt);
    assert!(p.reason.contains("pas renseignée"), "{}", p.reason);
}

#[test]
fn commercial_fees_total_27_89_plus_vat_5_58() {
    let fees = CourtFees::for_court(CourtKind::CommercialCourt);
    let amounts: Vec<Decimal> = fees.lines.iter().map(|(_, a)| *a).collect();
    assert_eq!(amounts, vec![d("10.04"), d("7.81"), d("10.04")]);
    assert_eq!(fees.total_excl_vat, d("27.89"));
    // 27.89 × 20 % = 5.578, rounded half away from zero to 5.58.
    assert_eq!(fees.vat, d("5.58"));
    assert_eq!(fees.total_incl_vat, d("33.47"));
    assert_eq!(fees.summary(), "27,89\u{a0}€ HT (33,47\u{a0}€ TTC)");
    assert!(fees.note.contains("A743-9"));
    let tae = CourtFees::for_court(CourtKind::EconomicActivitiesCourt);
    assert_eq!(tae.total_incl_vat, d("33.47"));
    assert!(tae.note.contains("contribution pour la justice économique"));
}

#[test]
fn a_debtor_abroad_gets_no_french_court() {
    let mut debtor = company("GmbH", "10115", "Berlin");
    debtor.country = "de".into();
    let p = propose(&debtor, true);
    assert!(!p.in_france);
    assert_eq!(
        p.proposed_name,
        "Aucune juridiction française (débiteur établi hors de France)"
    );
    assert_eq!(p.territory, "siège du débiteur : 10115 Berlin (DE)");
}

#[test]
fn a_town_the_directory_cannot_place_gets_no_court_name_but_the_choices() {
    // Villeurbanne is not in this made-up directory: no name is made from the town.
    let p = propose(&company("SAS", "69100", "Villeurbanne"), true);
    assert_eq!(
        p.proposed_name,
        "Juridiction à choisir par l'avocat dans l'annuaire"
    );
    assert_eq!(p.court_id, None);
    assert_eq!(p.candidates, ["Tribunal des activités économiques de Lyon"]);
    assert!(!p.proposed_name.contains("Villeurbanne"));
    assert!(p.reason.contains("l'avocat la choisit"), "{}", p.reason);
}
