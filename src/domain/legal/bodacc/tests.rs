use super::*;

const SAMPLE: &str = include_str!("../../../../tests/data/bodacc/annonces-2026-03-21.json");
const API: &str = include_str!("../../../../tests/data/bodacc/api-results.json");
const MALFORMED: &str = include_str!("../../../../tests/data/bodacc/malformed.json");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_export_keeps_collective_proceedings_and_radiations_and_says_why_it_refuses_a_record() {
    let p = parse(SAMPLE).unwrap();
    assert_eq!(p.read, 6);
    assert_eq!(p.ignored, 1, "the registration of a café is not kept");
    assert_eq!(
        p.refused,
        vec![Refused {
            record: 6,
            reason: "« registre » \"123 456 789,123456789\" holds no valid SIREN".into()
        }]
    );
    let ids: Vec<&str> = p
        .announcements
        .iter()
        .map(|a| a.identity.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "A202600571203",
            "B202600490877",
            "A202600571203",
            "A202600571244"
        ],
        "the duplicate is the use case's to count"
    );
    let rj = &p.announcements[0];
    assert_eq!(rj.sirens, ["362275869"]);
    assert_eq!(rj.published_on, d("2026-03-21"));
    assert_eq!(rj.judgment_on, Some(d("2026-03-17")));
    assert_eq!(rj.number, "1203");
    assert_eq!(rj.family, COLLECTIVE);
    assert_eq!(rj.suggested_kind(), Some(IncidentKind::Receivership));
    assert_eq!(
        rj.summary(),
        "BODACC A n° 1203 du 21 mars 2026 : jugement d'ouverture d'une procédure de \
         redressement judiciaire du 17 mars 2026 (Tribunal de commerce de Lyon)"
    );
    let radiation = &p.announcements[1];
    assert_eq!(radiation.sirens, ["514238765"], "registre given as a list");
    assert_eq!(radiation.suggested_kind(), Some(IncidentKind::StruckOff));
    assert_eq!(
        radiation.summary(),
        "BODACC B n° 877 du 20 mars 2026 : radiation du registre du commerce et des sociétés \
         (Greffe du tribunal de commerce de Bourg-en-Bresse)"
    );
    assert_eq!(
        p.announcements[3].suggested_kind(),
        Some(IncidentKind::Safeguard)
    );
}

#[test]
fn the_api_shape_is_read_and_a_record_without_id_is_known_by_its_bulletin_issue_and_number() {
    let p = parse(API).unwrap();
    assert_eq!(p.read, 1);
    assert_eq!(p.announcements[0].identity, "A202600571203");
    let old = r#"{"nhits": 1, "records": [{"recordid": "x", "fields": {"id": "A1",
        "familleavis": "collective", "numeroannonce": "12", "dateparution": "2026-01-05",
        "registre": "443061809", "jugement": "{\"nature\": \"Jugement prononçant la liquidation judiciaire\"}"}}]}"#;
    let p = parse(old).unwrap();
    assert_eq!(p.announcements[0].sirens, ["443061809"]);
    assert_eq!(
        p.announcements[0].suggested_kind(),
        Some(IncidentKind::Liquidation)
    );
}

#[test]
fn a_file_that_is_not_an_export_is_refused_whole() {
    assert!(parse(MALFORMED).is_err());
    assert!(parse(r#"{"courts": []}"#).is_err());
    assert!(parse("").is_err());
}

#[test]
fn a_record_without_date_or_number_or_with_a_broken_judgment_is_refused_alone() {
    let p = parse(
        r#"[{"id": "A1", "familleavis": "collective", "registre": "443061809", "numeroannonce": 1},
           {"id": "A2", "familleavis": "collective", "registre": "443061809", "dateparution": "2026-01-05"},
           {"id": "A3", "familleavis": "collective", "registre": "443061809", "numeroannonce": 3,
            "dateparution": "05/01/2026"},
           {"id": "A4", "familleavis": "collective", "registre": "443061809", "numeroannonce": 4,
            "dateparution": "2026-01-05", "jugement": "{nature"},
           "text", {"id": "A6"}]"#,
    )
    .unwrap();
    let reasons: Vec<(usize, &str)> = p
        .refused
        .iter()
        .map(|r| (r.record, r.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            (1, "no « dateparution »"),
            (2, "no « numeroannonce »"),
            (
                3,
                "« dateparution » \"05/01/2026\" is not a date (AAAA-MM-JJ)"
            ),
            (4, "its « jugement » is not a JSON text"),
            (5, "not a record (a JSON object is expected)"),
            (6, "no « familleavis »"),
        ]
    );
}

#[test]
fn a_court_in_capitals_is_written_as_a_name() {
    assert_eq!(
        court_name("TRIBUNAL DES ACTIVITÉS ÉCONOMIQUES DE PARIS"),
        "Tribunal des activités économiques de Paris"
    );
    assert_eq!(
        court_name("TRIBUNAL JUDICIAIRE DE BOULOGNE-SUR-MER"),
        "Tribunal judiciaire de Boulogne-sur-Mer"
    );
    assert_eq!(
        court_name("TRIBUNAL DE COMMERCE DU MANS"),
        "Tribunal de commerce du Mans"
    );
    assert_eq!(
        court_name("Tribunal de commerce de Lyon"),
        "Tribunal de commerce de Lyon"
    );
}

const PCL_XML: &str = include_str!("../../../../tests/data/bodacc/PCL_BXA20260057.xml");
const RCS_B_XML: &str = include_str!("../../../../tests/data/bodacc/RCS-B_BXB20260049.xml");

#[test]
fn the_dilas_xml_files_give_the_same_announcements_as_the_json_export() {
    let p = parse(PCL_XML).unwrap();
    assert_eq!((p.read, p.ignored), (3, 0));
    assert_eq!(
        p.refused,
        vec![Refused {
            record: 3,
            reason: "« numeroIdentificationRCS » \"123 456 789\" holds no valid SIREN".into()
        }]
    );
    let rj = &p.announcements[0];
    // The identity the JSON export gives the same notice: stored once whichever comes first.
    let json = parse(SAMPLE).unwrap();
    assert_eq!(rj.identity, json.announcements[0].identity);
    assert_eq!(rj.identity, "A202600571203");
    assert_eq!(rj.sirens, ["362275869"]);
    assert_eq!(rj.published_on, d("2026-03-21"));
    assert_eq!(rj.judgment_on, Some(d("2026-03-17")), "« 17 mars 2026 »");
    assert_eq!(rj.company.as_deref(), Some("BOULANGERIE MARTIN"));
    assert_eq!(rj.suggested_kind(), Some(IncidentKind::Receivership));
    assert_eq!(rj.summary(), json.announcements[0].summary());
    let lj = &p.announcements[1];
    assert_eq!(
        lj.company.as_deref(),
        Some("DUPONT & FILS"),
        "the entity is read"
    );
    assert_eq!(lj.judgment_on, Some(d("2026-03-01")), "« 1er mars 2026 »");
    assert_eq!(lj.suggested_kind(), Some(IncidentKind::Liquidation));
    assert_eq!(lj.identity, "A202600571250");

    let b = parse(RCS_B_XML).unwrap();
    assert_eq!(
        (b.read, b.ignored, b.refused.len()),
        (2, 1, 0),
        "the move is left out"
    );
    let radiation = &b.announcements[0];
    assert_eq!(radiation.identity, json.announcements[1].identity);
    assert_eq!(radiation.family, RADIATION);
    assert_eq!(radiation.sirens, ["514238765"]);
    assert_eq!(radiation.suggested_kind(), Some(IncidentKind::StruckOff));
    assert_eq!(radiation.summary(), json.announcements[1].summary());
}

#[test]
fn a_malformed_or_foreign_xml_file_is_refused_whole_with_its_line() {
    let broken = PCL_XML.replace("</numeroAnnonce>\n      <numeroDepartement>01", "</numero>");
    let e = parse(&broken).unwrap_err();
    assert!(e.0.contains("malformed XML at line 33"), "{}", e.0);
    let e = parse("<Document><BkToCstmrStmt/></Document>").unwrap_err();
    assert!(
        e.0.ends_with("an XML file of root Document, not PCL_REDIFF nor RCS-B_REDIFF"),
        "{}",
        e.0
    );
    let e = parse(&PCL_XML.replace("2026-03-21</dateParution>", "21/03/2026</dateParution>"))
        .unwrap_err();
    assert!(e.0.contains("« dateParution » \"21/03/2026\""), "{}", e.0);
    let e = parse("[{").unwrap_err();
    assert!(e.0.ends_with("unreadable at line 1, column 2"), "{}", e.0);
}
