//! The BODACC import (issue 18): the DILA's « annonces-commerciales » export matched by SIREN
//! to the debtors of open cases, each announcement stored once; sample files in
//! tests/data/bodacc/ (fictitious companies, SIRENs valid under the Luhn check).

use serde_json::{json, Value};

use crate::helpers::*;
use crate::portal::{multipart, Browser};
use crate::recovery::world;

const SAMPLE: &str = include_str!("../data/bodacc/annonces-2026-03-21.json");
const MALFORMED: &str = include_str!("../data/bodacc/malformed.json");
const IMPORT: &str = "mutation($c: String!) { importBodacc(content: $c) {
    read new duplicates ignored matchedCases unmatched refused { record reason } } }";

const RJ_TITLE: &str = "BODACC A n° 1203 du 21 mars 2026 : jugement d'ouverture d'une \
    procédure de redressement judiciaire du 17 mars 2026 (Tribunal de commerce de Lyon) — \
    à vérifier et à enregistrer sur le dossier";
const RADIATION_TITLE: &str = "BODACC B n° 877 du 20 mars 2026 : radiation du registre du \
    commerce et des sociétés (Greffe du tribunal de commerce de Bourg-en-Bresse) — à vérifier \
    et à enregistrer sur le dossier";

/// The world of the recovery tests (a case against Boulangerie Martin, SIREN 362275869)
/// plus a case against Transports Rivière (SIREN 514238765), on 23 March 2026.
fn two_debtors() -> (crate::recovery::World, String) {
    let w = world("2026-03-23");
    let mut input = case_input(None);
    input["debtor"]["name"] = json!("Transports Rivière");
    input["debtor"]["siren"] = json!("514 238 765");
    input["debtor"]["address"] =
        json!({ "line1": "4 avenue de Lyon", "postalCode": "01000", "city": "Bourg-en-Bresse" });
    let other = w.app.open_case(&w.creditor.user.token, input);
    (w, other)
}

fn alerts(app: &TestApp, id: &str) -> Vec<(String, String, String)> {
    let c = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { tasks { kind status title dueOn }
            timeline { kind payload } incidents { id } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        c["case"]["incidents"],
        json!([]),
        "no incident is recorded without the agent"
    );
    let events = c["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "bodacc_announcement")
        .count();
    let tasks: Vec<(String, String, String)> = c["case"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "bodacc_alert")
        .map(|t| {
            (
                t["status"].as_str().unwrap().to_string(),
                t["dueOn"].as_str().unwrap().to_string(),
                t["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(events, tasks.len(), "one event per alert");
    tasks
}

fn summary(read: i64, new: i64, duplicates: i64, matched: i64, unmatched: i64) -> Value {
    json!({
        "read": read, "new": new, "duplicates": duplicates, "ignored": 1,
        "matchedCases": matched, "unmatched": unmatched,
        "refused": [{ "record": 6, "reason": "« registre » \"123 456 789,123456789\" holds no valid SIREN" }],
    })
}

#[test]
fn a_bodacc_file_alerts_the_agent_on_the_debtors_cases_once_and_stores_an_unknown_siren() {
    let (w, other) = two_debtors();
    let app = &w.app;
    let r = app.ok(Some(&app.admin_token), IMPORT, json!({ "c": SAMPLE }));
    // Six records: the redressement of Boulangerie Martin, the radiation of Transports
    // Rivière, the redressement again, the sauvegarde of a company no case knows, a
    // registration (another family) and a record whose SIREN fails the check.
    assert_eq!(r["importBodacc"], summary(6, 3, 1, 2, 1), "{r}");
    let alert = |title: &str| {
        (
            "open".to_string(),
            "2026-03-23".to_string(),
            title.to_string(),
        )
    };
    assert_eq!(alerts(app, &w.case_id), vec![alert(RJ_TITLE)]);
    assert_eq!(alerts(app, &other), vec![alert(RADIATION_TITLE)]);
    // The event says what the agent checks, and the incident it seems to be.
    let c = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { timeline { kind payload } } }",
        json!({ "id": w.case_id }),
    );
    let event = c["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "bodacc_announcement")
        .unwrap()
        .clone();
    let payload: Value = serde_json::from_str(event["payload"].as_str().unwrap()).unwrap();
    assert_eq!(
        (
            &payload["identity"],
            &payload["published_on"],
            &payload["judgment_on"],
            &payload["suggested_kind"]
        ),
        (
            &json!("A202600571203"),
            &json!("2026-03-21"),
            &json!("2026-03-17"),
            &json!("redressement_judiciaire")
        )
    );

    // The same file again (the next day's feed overlaps): nothing new, no second alert.
    set_today(app, "2026-03-24");
    let again = app.ok(Some(&app.admin_token), IMPORT, json!({ "c": SAMPLE }));
    assert_eq!(again["importBodacc"], summary(6, 0, 4, 0, 0), "{again}");
    assert_eq!(alerts(app, &w.case_id).len(), 1);
    assert_eq!(alerts(app, &other).len(), 1);
    let stored: i64 = {
        use diesel::prelude::*;
        recouvra::db::schema::bodacc_announcements::table
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(stored, 3, "the unknown SIREN's announcement is stored too");
}

#[test]
fn only_an_admin_imports_and_a_file_that_is_not_an_export_is_a_validation_error() {
    let (w, _) = two_debtors();
    let app = &w.app;
    for t in [&w.agent.token, &w.creditor.user.token] {
        let r = app.gql(Some(t), IMPORT, json!({ "c": SAMPLE }));
        assert_eq!(code(&r), "FORBIDDEN", "{r}");
    }
    let r = app.gql(None, IMPORT, json!({ "c": SAMPLE }));
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    for bad in [MALFORMED, "{\"version\": \"2026-03-21\"}", ""] {
        let r = app.gql(Some(&app.admin_token), IMPORT, json!({ "c": bad }));
        assert_eq!((code(&r), field(&r)), ("VALIDATION", "content"), "{r}");
    }
    assert!(alerts(app, &w.case_id).is_empty(), "nothing was imported");

    // The HTTP route takes the file as it is, for the admin only.
    let post = |token: &str, body: &str| match ureq::post(&format!("{}/api/bodacc", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(body)
    {
        Ok(r) => (r.status(), r.into_json::<Value>().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json::<Value>().unwrap()),
        Err(e) => panic!("{e}"),
    };
    let (status, refused) = post(&w.agent.token, SAMPLE);
    assert_eq!((status, refused["code"].as_str()), (403, Some("FORBIDDEN")));
    let (status, bad) = post(&app.admin_token, MALFORMED);
    assert_eq!(
        (status, bad["code"].as_str()),
        (422, Some("VALIDATION")),
        "{bad}"
    );
    let (status, done) = post(&app.admin_token, SAMPLE);
    assert_eq!((status, &done), (200, &summary(6, 3, 1, 2, 1)), "{done}");
}

#[test]
fn the_cli_imports_a_bodacc_file_and_says_what_it_did() {
    let (w, other) = two_debtors();
    let app = &w.app;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bodacc.json");
    std::fs::write(&file, SAMPLE).unwrap();
    let (ok, out) = app.command(&["import-bodacc", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains(
            "BODACC: 6 read, 3 new, 1 duplicates, 1 ignored (other families), 2 case(s) \
             alerted, 1 unmatched, 1 refused"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "refused: record 6: « registre » \"123 456 789,123456789\" holds no valid SIREN"
        ),
        "{out}"
    );
    assert_eq!(alerts(app, &other).len(), 1);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, MALFORMED).unwrap();
    let (ok, out) = app.command(&["import-bodacc", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("not a BODACC export"), "{out}");
}

#[test]
fn an_admin_imports_a_bodacc_file_from_the_portal_and_reads_the_summary_in_french() {
    let (w, _) = two_debtors();
    let app = &w.app;
    let mut b = Browser::new(app);
    b.sign_in("admin@agency.test", "/portal");
    let home = b.get("/portal/admin");
    assert!(home.body.contains("href=\"/portal/admin/bodacc\""));
    let page = b.get("/portal/admin/bodacc");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains("Aucune annonce ne concerne encore le débiteur d'un dossier ouvert."));
    let token = b.form_token();

    // Not an export: refused in French, nothing imported.
    let (ct, body) = multipart(
        &[("csrf", &token)],
        &[("file", "bodacc.json", MALFORMED.as_bytes())],
    );
    let p = b.post_multipart("/portal/admin/bodacc", &ct, &body);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("Ce fichier n&#x27;est pas un export du BODACC"),
        "{}",
        p.body
    );
    // Without the form's token: refused.
    let (ct, body) = multipart(
        &[("csrf", "forged")],
        &[("file", "bodacc.json", SAMPLE.as_bytes())],
    );
    let p = b.post_multipart("/portal/admin/bodacc", &ct, &body);
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(alerts(app, &w.case_id).is_empty());

    let (ct, body) = multipart(
        &[("csrf", &token)],
        &[("file", "bodacc.json", SAMPLE.as_bytes())],
    );
    let p = b.post_multipart("/portal/admin/bodacc", &ct, &body);
    assert_eq!(p.status, 200, "{}", p.body);
    let text = squash(&p.body);
    for expected in [
        "<dt>Annonces lues</dt><dd>6</dd>",
        "<dt>Nouvelles annonces enregistrées</dt><dd>3</dd>",
        "<dt>Doublons (déjà importés)</dt><dd>1</dd>",
        "<dt>Dossiers alertés</dt><dd>2</dd>",
        "<dt>Annonces sans dossier ouvert</dt><dd>1</dd>",
        "Annonce n° 6 du fichier : « registre » &quot;123 456 789,123456789&quot; ne contient aucun SIREN valide",
        "<td>TRANSPORTS RIVIERE</td><td>514238765</td>",
        "<td>BOULANGERIE MARTIN</td><td>362275869</td>",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        !text.contains("MENUISERIE DUBREUIL"),
        "unmatched: not listed"
    );
    // Another role is refused the page.
    let mut agent = Browser::new(app);
    agent.sign_in("agent@agency.test", "/portal");
    assert_eq!(agent.get("/portal/admin/bodacc").status, 403);
}

/// A one-route HTTP server answering every GET with `body`; counts the requests.
fn feed_server(body: &'static str) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/annonces.json", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, hits)
}

#[test]
fn the_configured_feed_is_fetched_and_imported_once_a_day_by_the_scheduler() {
    let (url, hits) = feed_server(SAMPLE);
    let app = TestApp::spawn_with(|c| c.bodacc_feed_url = Some(url.parse().unwrap()));
    let w = crate::recovery::world_in(app, "2026-03-23");
    let app = &w.app;
    let hit = || hits.load(std::sync::atomic::Ordering::SeqCst);
    let s = crate::recovery::run_due(app);
    assert_eq!(s["blocked"], json!([]), "{s}");
    assert_eq!(hit(), 1);
    let alert = (
        "open".to_string(),
        "2026-03-23".to_string(),
        RJ_TITLE.to_string(),
    );
    assert_eq!(alerts(app, &w.case_id), vec![alert.clone()]);
    // Later the same day: not fetched again.
    crate::recovery::run_due(app);
    assert_eq!(hit(), 1);
    // The next day: fetched again; the same announcements are not alerted twice.
    set_today(app, "2026-03-24");
    crate::recovery::run_due(app);
    assert_eq!(hit(), 2);
    assert_eq!(alerts(app, &w.case_id), vec![alert]);
}

#[test]
fn a_feed_that_cannot_be_fetched_is_reported_and_the_run_goes_on() {
    // A port nothing listens on any more.
    let url = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/annonces.json", l.local_addr().unwrap())
    };
    let app = TestApp::spawn_with(|c| c.bodacc_feed_url = Some(url.parse().unwrap()));
    let w = crate::recovery::world_in(app, "2026-03-16");
    let s = crate::recovery::run_due(&w.app);
    assert_eq!(s["stepsRun"], 1, "the playbook still ran: {s}");
    let blocked = s["blocked"].as_array().unwrap();
    assert_eq!(blocked.len(), 1, "{s}");
    assert!(
        blocked[0]
            .as_str()
            .unwrap()
            .starts_with("BODACC feed: cannot fetch the file"),
        "{s}"
    );
}

const PCL_XML: &str = include_str!("../data/bodacc/PCL_BXA20260057.xml");
const RCS_B_XML: &str = include_str!("../data/bodacc/RCS-B_BXB20260049.xml");

#[test]
fn the_dilas_xml_files_alert_like_the_export_and_a_notice_read_in_both_is_stored_once() {
    let (w, other) = two_debtors();
    let app = &w.app;
    // The PCL file first: the redressement of Boulangerie Martin, the liquidation of a company
    // no case knows, a notice whose SIREN fails the check.
    let r = app.ok(Some(&app.admin_token), IMPORT, json!({ "c": PCL_XML }));
    assert_eq!(
        r["importBodacc"],
        json!({ "read": 3, "new": 2, "duplicates": 0, "ignored": 0, "matchedCases": 1, "unmatched": 1,
                "refused": [{ "record": 3,
                              "reason": "« numeroIdentificationRCS » \"123 456 789\" holds no valid SIREN" }] }),
        "{r}"
    );
    let r = app.ok(Some(&app.admin_token), IMPORT, json!({ "c": RCS_B_XML }));
    assert_eq!(
        (
            &r["importBodacc"]["new"],
            &r["importBodacc"]["ignored"],
            &r["importBodacc"]["matchedCases"]
        ),
        (&json!(1), &json!(1), &json!(1)),
        "{r}"
    );
    let alert = |title: &str| {
        (
            "open".to_string(),
            "2026-03-23".to_string(),
            title.to_string(),
        )
    };
    assert_eq!(alerts(app, &w.case_id), vec![alert(RJ_TITLE)]);
    assert_eq!(alerts(app, &other), vec![alert(RADIATION_TITLE)]);
    // The JSON export of the same days: its redressement and radiation are known already.
    let again = app.ok(Some(&app.admin_token), IMPORT, json!({ "c": SAMPLE }));
    assert_eq!(again["importBodacc"]["duplicates"], 3, "{again}");
    assert_eq!(alerts(app, &w.case_id).len(), 1);
    assert_eq!(alerts(app, &other).len(), 1);
}
