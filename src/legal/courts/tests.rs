//! The shipped directory, read as the proposal reads it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::domain::legal::courts::Nature;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

#[test]
fn the_embedded_directory_parses_and_names_its_source_and_version() {
    let dir = embedded().unwrap();
    assert_eq!(dir.version, "2026-12-01");
    assert!(
        dir.source.contains("COJ annexe tableau IV"),
        "{}",
        dir.source
    );
    assert!(
        dir.source.contains("decoupage-administratif 6.0.0"),
        "{}",
        dir.source
    );
    // The twelve tribunaux des activités économiques, 2025–2028.
    let tae: Vec<&str> = dir
        .courts
        .iter()
        .filter(|c| c.kind == CourtKind::EconomicActivitiesCourt)
        .map(|c| c.seat.as_str())
        .collect();
    assert_eq!(tae.len(), 12, "{tae:?}");
    for seat in [
        "Avignon",
        "Auxerre",
        "Le Havre",
        "Le Mans",
        "Limoges",
        "Lyon",
        "Marseille",
        "Nancy",
        "Nanterre",
        "Paris",
        "Saint-Brieuc",
        "Versailles",
    ] {
        assert!(tae.contains(&seat), "{seat}");
    }
}

#[test]
fn villeurbanne_is_in_the_territory_of_lyon_for_both_natures() {
    let dir = embedded().unwrap();
    let civil = dir.resolve(Nature::Civil, "69100", "Villeurbanne", day());
    assert_eq!(civil.court.unwrap().name, "Tribunal judiciaire de Lyon");
    assert!(civil.why.contains("INSEE 69266"), "{}", civil.why);
    let commercial = dir.resolve(Nature::Commercial, "69100", "VILLEURBANNE CEDEX", day());
    assert_eq!(
        commercial.court.unwrap().name,
        "Tribunal des activités économiques de Lyon"
    );
}

#[test]
fn boulogne_billancourt_is_in_the_territory_of_nanterre() {
    let dir = embedded().unwrap();
    let civil = dir.resolve(Nature::Civil, "92100", "Boulogne-Billancourt", day());
    assert_eq!(civil.court.unwrap().name, "Tribunal judiciaire de Nanterre");
    let commercial = dir.resolve(Nature::Commercial, "92100", "Boulogne-Billancourt", day());
    assert_eq!(
        commercial.court.unwrap().name,
        "Tribunal des activités économiques de Nanterre"
    );
}

#[test]
fn the_tae_of_nanterre_does_not_sit_after_the_experiment() {
    let dir = embedded().unwrap();
    let after = NaiveDate::from_ymd_opt(2029, 1, 2).unwrap();
    let r = dir.resolve(Nature::Commercial, "92100", "Boulogne-Billancourt", after);
    // No commercial court of the Hauts-de-Seine is listed for 2029: the lawyer chooses.
    assert!(r.court.is_none());
    assert!(r
        .candidates
        .iter()
        .all(|c| c.kind != CourtKind::EconomicActivitiesCourt));
}

#[test]
fn a_commune_outside_every_known_territory_leaves_the_choice_between_the_departements_courts() {
    let dir = embedded().unwrap();
    // Wattrelos (59150, INSEE 59650) was split between several cantons in 2014 and the table
    // does not say which: the lawyer chooses among the Nord's six tribunaux judiciaires.
    let r = dir.resolve(Nature::Civil, "59150", "Wattrelos", day());
    assert!(r.court.is_none());
    let mut names: Vec<&str> = r.candidates.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Tribunal judiciaire d'Avesnes-sur-Helpe",
            "Tribunal judiciaire de Cambrai",
            "Tribunal judiciaire de Douai",
            "Tribunal judiciaire de Dunkerque",
            "Tribunal judiciaire de Lille",
            "Tribunal judiciaire de Valenciennes",
        ]
    );
    assert!(
        r.why.contains("Wattrelos (INSEE 59650) à aucun ressort"),
        "{}",
        r.why
    );
}

#[test]
fn a_commune_is_placed_by_its_canton_of_2014_in_a_departement_of_several_courts() {
    let dir = embedded().unwrap();
    // Saint-Loubès (INSEE 33433) was in the canton of Carbon-Blanc (INSEE 2014), which COJ
    // tableau IV lists for Bordeaux; Chassieu (69271), canton of Décines-Charpieu, for Lyon
    // (chambre de proximité of Villeurbanne).
    for (postal, town, court) in [
        ("33450", "Saint-Loubès", "Tribunal judiciaire de Bordeaux"),
        ("69680", "Chassieu", "Tribunal judiciaire de Lyon"),
    ] {
        let r = dir.resolve(Nature::Civil, postal, town, day());
        assert_eq!(r.court.map(|c| c.name.as_str()), Some(court), "{}", r.why);
    }
}

#[test]
fn the_courts_of_the_big_cities_and_overseas_are_found() {
    let dir = embedded().unwrap();
    for (postal, city, civil, commercial) in [
        (
            "33000",
            "Bordeaux",
            "Tribunal judiciaire de Bordeaux",
            "Tribunal de commerce de Bordeaux",
        ),
        (
            "59000",
            "Lille",
            "Tribunal judiciaire de Lille",
            "Tribunal de commerce de Lille Métropole",
        ),
        (
            "94000",
            "Créteil",
            "Tribunal judiciaire de Créteil",
            "Tribunal de commerce de Créteil",
        ),
        (
            "13001",
            "Marseille",
            "Tribunal judiciaire de Marseille",
            "Tribunal des activités économiques de Marseille",
        ),
        (
            "97200",
            "Fort-de-France",
            "Tribunal judiciaire de Fort-de-France",
            "Tribunal mixte de commerce de Fort-de-France",
        ),
    ] {
        let r = dir.resolve(Nature::Civil, postal, city, day());
        assert_eq!(
            r.court.map(|c| c.name.as_str()),
            Some(civil),
            "{city}: {}",
            r.why
        );
        let r = dir.resolve(Nature::Commercial, postal, city, day());
        assert_eq!(
            r.court.map(|c| c.name.as_str()),
            Some(commercial),
            "{city}: {}",
            r.why
        );
    }
}

#[test]
fn the_departement_is_the_communes_not_the_postal_codes() {
    let dir = embedded().unwrap();
    // Ajaccio (20000, INSEE 2A004): the postal code does not tell 2A from 2B, the commune does.
    let r = dir.resolve(Nature::Civil, "20000", "Ajaccio", day());
    assert_eq!(
        r.court.map(|c| c.name.as_str()),
        Some("Tribunal judiciaire d'Ajaccio"),
        "{}",
        r.why
    );
    // Paray-Vieille-Poste has the postal code 94390 but is a commune of the Essonne (91479).
    let r = dir.resolve(Nature::Civil, "94390", "Paray-Vieille-Poste", day());
    assert_eq!(
        r.court.map(|c| c.name.as_str()),
        Some("Tribunal judiciaire d'Évry-Courcouronnes"),
        "{}",
        r.why
    );
}

#[test]
fn in_alsace_moselle_a_commercial_claim_goes_to_the_commercial_chamber_of_the_tribunal_judiciaire()
{
    // C. com. L731-1 et s.: no tribunal de commerce in the Bas-Rhin, the Haut-Rhin, the
    // Moselle.
    let dir = embedded().unwrap();
    let r = dir.resolve(Nature::Commercial, "67000", "Strasbourg", day());
    assert_eq!(
        r.court.map(|c| c.name.as_str()),
        Some("Tribunal judiciaire de Strasbourg"),
        "{}",
        r.why
    );
    assert!(r.why.contains("C. com. L731-1"), "{}", r.why);
}

#[test]
fn a_court_is_confirmed_only_from_the_directory() {
    let dir = embedded().unwrap();
    assert_eq!(
        require_listed(
            &dir,
            CourtKind::JudicialCourt,
            "tribunal judiciaire de lyon",
            day()
        )
        .unwrap(),
        "Tribunal judiciaire de Lyon"
    );
    let made_up = require_listed(
        &dir,
        CourtKind::CommercialCourt,
        "Tribunal de commerce de Villeurbanne",
        day(),
    )
    .unwrap_err();
    assert_eq!(made_up.field.as_deref(), Some("name"));
    let wrong_kind = require_listed(
        &dir,
        CourtKind::CommercialCourt,
        "Tribunal judiciaire de Lyon",
        day(),
    )
    .unwrap_err();
    assert_eq!(wrong_kind.field.as_deref(), Some("kind"));
}

#[test]
fn a_malformed_directory_is_refused_with_the_reason() {
    let err = parse("{\"version\": \"x\"}").unwrap_err();
    assert_eq!(err.field.as_deref(), Some("data"));
    let bad_kind = EMBEDDED.replacen("\"judicial_court\"", "\"tribunal\"", 1);
    assert!(parse(&bad_kind).unwrap_err().message.contains("kind"));
    let twice = EMBEDDED.replacen("\"tj-nanterre\"", "\"tj-paris\"", 1);
    assert!(parse(&twice).unwrap_err().message.contains("twice"));
}
