//! The territory rule over a small directory made here.

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn court(id: &str, kind: CourtKind, name: &str, depts: &[&str], communes: &[&str]) -> Court {
    Court {
        id: id.into(),
        kind,
        name: name.into(),
        seat: name.rsplit(' ').next().unwrap_or_default().into(),
        seat_departement: None,
        departements: depts.iter().map(|s| s.to_string()).collect(),
        communes: communes.iter().map(|s| s.to_string()).collect(),
        valid_from: None,
        valid_until: None,
        source: "test".into(),
    }
}

/// Two courts sharing a département by communes, one whole département, one TAE with dates,
/// and a postal code covering two communes of different courts.
pub(crate) fn directory() -> CourtDirectory {
    let mut tae = court(
        "tae-b",
        CourtKind::EconomicActivitiesCourt,
        "Tribunal des activités économiques de B",
        &["92"],
        &[],
    );
    tae.valid_from = Some(day(2025, 1, 1));
    tae.valid_until = Some(day(2028, 12, 31));
    CourtDirectory {
        postal_index: Default::default(),
        version: "2026-12-01".into(),
        source: "test".into(),
        courts: vec![
            court(
                "tj-a",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de A",
                &[],
                &["69001", "69002"],
            ),
            court(
                "tj-c",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de C",
                &[],
                &["69003"],
            ),
            court(
                "tj-b",
                CourtKind::JudicialCourt,
                "Tribunal judiciaire de B",
                &["92"],
                &[],
            ),
            tae,
        ],
        communes: vec![
            Commune {
                insee: "69001".into(),
                name: "Alpha".into(),
                postal_codes: vec!["69100".into()],
            },
            Commune {
                insee: "69002".into(),
                name: "Beta".into(),
                postal_codes: vec!["69200".into()],
            },
            Commune {
                insee: "69003".into(),
                name: "Gamma".into(),
                postal_codes: vec!["69200".into()],
            },
        ],
    }
}

#[test]
fn a_whole_departement_decides() {
    let dir = directory();
    let r = dir.resolve(Nature::Civil, "92100", "N'importe où", day(2026, 12, 1));
    assert_eq!(r.court.map(|c| c.id.as_str()), Some("tj-b"));
}

#[test]
fn a_commune_listed_in_one_territory_decides() {
    let dir = directory();
    let r = dir.resolve(Nature::Civil, "69100", "Alpha", day(2026, 12, 1));
    assert_eq!(r.court.map(|c| c.id.as_str()), Some("tj-a"));
}

#[test]
fn a_postal_code_of_several_communes_of_different_courts_is_decided_by_the_town() {
    let dir = directory();
    let r = dir.resolve(Nature::Civil, "69200", "GAMMA", day(2026, 12, 1));
    assert_eq!(r.court.map(|c| c.id.as_str()), Some("tj-c"));
    // A town the directory does not know under that postal code: the lawyer chooses.
    let r = dir.resolve(Nature::Civil, "69200", "Delta", day(2026, 12, 1));
    assert!(r.court.is_none());
    let ids: Vec<&str> = r.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["tj-a", "tj-c"]);
    assert!(
        r.why.contains("plusieurs communes (Beta, Gamma)"),
        "{}",
        r.why
    );
}

#[test]
fn the_tae_is_proposed_only_while_it_exists() {
    let dir = directory();
    let r = dir.resolve(Nature::Commercial, "92100", "X", day(2026, 12, 1));
    assert_eq!(r.court.map(|c| c.id.as_str()), Some("tae-b"));
    let r = dir.resolve(Nature::Commercial, "92100", "X", day(2029, 1, 1));
    assert!(r.court.is_none());
}

#[test]
fn corsica_and_malformed_postal_codes_are_undecided() {
    assert_eq!(departement_of("20000"), None);
    assert_eq!(departement_of("6900"), None);
    assert_eq!(departement_of("97400").as_deref(), Some("974"));
    assert_eq!(departement_of(" 92100 ").as_deref(), Some("92"));
}

#[test]
fn the_check_refuses_duplicates_and_bad_codes() {
    let mut dir = directory();
    assert!(dir.check().is_ok());
    dir.courts[1].name = "TRIBUNAL JUDICIAIRE DE A".into();
    assert!(dir.check().is_err());
    let mut dir = directory();
    dir.courts[0].communes.push("6900".into());
    assert!(dir.check().is_err());
    let mut dir = directory();
    dir.courts[2].departements.push("20".into());
    assert!(dir.check().is_err());
}

#[test]
fn undecided_the_courts_seated_in_the_debtors_departement_are_offered_first() {
    let mut dir = directory();
    for (id, name, dept) in [
        ("tj-d", "Tribunal judiciaire de D", "33"),
        ("tj-e", "Tribunal judiciaire de E", "33"),
        ("tj-f", "Tribunal judiciaire de F", "2A"),
        ("tj-g", "Tribunal judiciaire de G", "2B"),
    ] {
        let mut c = court(id, CourtKind::JudicialCourt, name, &[], &[]);
        c.seat_departement = Some(dept.into());
        dir.courts.push(c);
    }
    assert!(dir.check().is_ok());
    // Two courts seated in the Gironde, neither with a territory: the lawyer chooses
    // between those two, not among every court of France.
    let r = dir.resolve(Nature::Civil, "33000", "Bordeaux", day(2026, 12, 1));
    assert!(r.court.is_none());
    let ids: Vec<&str> = r.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["tj-d", "tj-e"]);
    // Corsica: the postal code does not tell 2A from 2B, the island's courts are offered.
    let r = dir.resolve(Nature::Civil, "20000", "Ajaccio", day(2026, 12, 1));
    let ids: Vec<&str> = r.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["tj-f", "tj-g"]);
    // A département with nothing at all: every court of the nature.
    let r = dir.resolve(Nature::Civil, "44000", "Nantes", day(2026, 12, 1));
    assert_eq!(r.candidates.len(), 7);
    // A seat département is checked like the others.
    dir.courts[4].seat_departement = Some("20".into());
    assert!(dir.check().is_err());
}
