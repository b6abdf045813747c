//! The lawyer's agenda as a calendar feed: published from the profile page (its URL shown
//! once), fetched without a session, exactly the lawyer's deadlines as RFC 5545 all-day
//! events; a replaced or revoked feed, or a disabled lawyer's, answers a bare 404.

use serde_json::{json, Value};

use super::Browser;
use crate::helpers::*;
use crate::recovery::world_in;

fn input(debtor: &str, due: &str) -> Value {
    json!({
        "debtor": { "kind": "COMPANY", "name": debtor, "legalForm": "SARL",
            "address": { "line1": "4 rue des Tanneurs", "postalCode": "21000", "city": "Dijon" } },
        "invoices": [ { "number": format!("F-{}", debtor.len()), "issueDate": "2024-12-01", "dueDate": due, "amount": "1500.00" } ]
    })
}

/// Two lawyers, three cases referred (two to the first): the cases' ids and references.
fn referred(app: &TestApp) -> Vec<(String, String)> {
    let creditor = token(app, "compta@lemaire.test");
    let agent = token(app, "agent@agency.test");
    let first = app.user("LAWYER", "avocat@cabinet.test", None);
    let second = app.user("LAWYER", "autre@cabinet.test", None);
    let ids: Vec<String> = [
        ("Garage Lefort", "2025-06-30"),
        ("Menuiserie Roy, Fils; Cie", "2025-01-15"),
        ("Imprimerie Blanc", "2025-03-01"),
    ]
    .iter()
    .map(|(debtor, due)| {
        let id = app.open_case(&creditor, input(debtor, due));
        for m in [
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
            "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-02\", trackingNumber: \"1A00112233445\") { state } }",
        ] {
            app.ok(Some(&agent), m, json!({ "id": id }));
        }
        id
    })
    .collect();
    set_today(app, "2026-03-16");
    let agent = token(app, "agent@agency.test");
    ids.iter()
        .zip([&first, &first, &second])
        .map(|(id, lawyer)| {
            let d = app.ok(
                Some(&agent),
                "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { reference } }",
                json!({ "id": id, "l": lawyer.id }),
            );
            (id.clone(), d["referCase"]["reference"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The feed's URL as the profile page shows it (HTML-escaped in its field).
fn feed_url(body: &str) -> String {
    let at = body.find("id=\"feed-url\"").expect("the feed's URL shown");
    let v = body[at..].find("value=\"").unwrap() + at + 7;
    let end = body[v..].find('"').unwrap() + v;
    body[v..end].replace("&#x2F;", "/").replace("&amp;", "&")
}

/// A GET without cookies, as a calendar application: (status, content type, body).
fn fetch(url: &str) -> (u16, String, String) {
    match ureq::get(url).call() {
        Ok(r) => (
            r.status(),
            r.content_type().to_string() + "; charset=" + r.charset(),
            r.into_string().unwrap(),
        ),
        Err(ureq::Error::Status(code, r)) => (code, String::new(), r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

/// The event's DTSTAMP line, checked to be of the day set (UTC, basic format).
fn got_stamp(event: &str) -> String {
    let l = event
        .split("\r\n")
        .find(|l| l.starts_with("DTSTAMP:"))
        .unwrap();
    assert!(
        l.starts_with("DTSTAMP:20260316T") && l.ends_with('Z') && l.len() == 24,
        "{l}"
    );
    l.to_string()
}

/// RFC 5545 3.1 folding, written again here to state the expected physical lines.
fn folded(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in line.chars() {
        if out.last().unwrap().len() + c.len_utf8() > 75 {
            out.push(" ".into());
        }
        out.last_mut().unwrap().push(c);
    }
    out
}

#[test]
fn the_agenda_feed_lists_exactly_the_lawyers_deadlines_as_rfc_5545_events() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let cases = referred(app);
    let mut b = Browser::new(app);
    b.sign_in("avocat@cabinet.test", "/portal");
    let profile = b.get("/portal/profile");
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("Votre agenda n'est pas publié."));
    assert!(!profile.body.contains("Révoquer l'adresse"));
    let csrf = super::csrf_field(&profile.body);
    let made = b.post("/portal/profile/agenda-feed", &[("csrf", &csrf)]);
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(
        made.body.contains("Votre agenda est publié"),
        "{}",
        made.body
    );
    let url = feed_url(&made.body);
    assert!(
        url.starts_with(&format!("{}/portal/agenda.ics?token=", app.base)),
        "{url}"
    );
    // Shown once: the page does not show it again.
    let again = b.get("/portal/profile");
    assert!(!again.body.contains("id=\"feed-url\""));
    assert!(again
        .body
        .contains("Votre agenda est publié depuis le 16&#x2F;03&#x2F;2026"));
    assert!(again.body.contains("Révoquer l'adresse"));

    let (status, ctype, text) = fetch(&url);
    assert_eq!(status, 200, "{text}");
    assert_eq!(ctype, "text/calendar; charset=utf-8");
    // CRLF line ends only, every physical line at most 75 octets.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
    let physical: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    for l in &physical {
        assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
    }
    assert_eq!(
        &physical[..6],
        &[
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Recouvra//Agenda//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Échéances de avocat@cabinet.test",
        ][..],
        "{text}"
    );
    // The same deadlines as `legalAgenda`, one event each, and no other lawyer's case.
    let agenda = app.ok(
        Some(&token(app, "avocat@cabinet.test")),
        "{ legalAgenda(withinDays: 3660) { caseId deadline { kind date title article } } }",
        json!({}),
    );
    let agenda = agenda["legalAgenda"].as_array().unwrap().clone();
    assert_eq!(agenda.len(), 2, "{agenda:?}");
    assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 2);
    assert!(!text.contains(&cases[2].1), "another lawyer's case");
    assert!(!text.contains("Imprimerie Blanc"));
    for e in &agenda {
        let id = e["caseId"].as_str().unwrap();
        let kind = e["deadline"]["kind"].as_str().unwrap().to_lowercase();
        let date = e["deadline"]["date"].as_str().unwrap().replace('-', "");
        let uid = format!("UID:dossier-{id}-{kind}@recouvra\r\nDTSTAMP:20260316T");
        assert!(text.contains(&uid), "{uid} in {text}");
        let start = format!("Z\r\nDTSTART;VALUE=DATE:{date}\r\n");
        let at = text.find(&uid).unwrap();
        assert!(text[at..].contains(&start), "{start} in {text}");
    }
    // Roy's invoice fell due on 15 January 2025: prescribed five years on (C. com. L110-4).
    let (roy_id, roy_ref) = &cases[1];
    let roy = agenda
        .iter()
        .find(|e| e["caseId"] == roy_id.as_str())
        .unwrap();
    let date = roy["deadline"]["date"].as_str().unwrap();
    assert_eq!(date, "2030-01-15");
    assert_eq!(
        roy["deadline"]["title"],
        "Dernier jour avant la prescription de la première facture impayée"
    );
    let event = {
        let start = text
            .find(&format!("UID:dossier-{roy_id}-prescription@recouvra"))
            .unwrap();
        let end = text[start..].find("END:VEVENT\r\n").unwrap() + start;
        &text[start..end]
    };
    let summary = format!(
        "SUMMARY:{roy_ref} (Menuiserie Roy\\, Fils\\; Cie) : Dernier jour avant la prescription de la première facture impayée"
    );
    let case_url = format!("{}/portal/cases/{roy_id}", app.base);
    let description = format!(
        "DESCRIPTION:Dernier jour avant la prescription de la première facture impayée \
         (C. com. L110-4 \\; C. civ. 2224 \\; C. conso. L218-2).\\nDéposer la requête en \
         injonction de payer avant cette date\\, sinon la créance est prescrite.\\nDossier \
         {roy_ref}\\, débiteur Menuiserie Roy\\, Fils\\; Cie.\\n{case_url}"
    );
    let mut expected = vec![
        format!("UID:dossier-{roy_id}-prescription@recouvra"),
        // The application's clock, about ten o'clock on the day set (UTC).
        got_stamp(event),
        "DTSTART;VALUE=DATE:20300115".to_string(),
        "DTEND;VALUE=DATE:20300116".to_string(),
    ];
    expected.extend(folded(&summary));
    expected.extend(folded(&description));
    expected.push(format!("URL:{case_url}"));
    expected.push("TRANSP:TRANSPARENT".into());
    let got: Vec<&str> = event.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(got, expected, "{event}");
    assert!(summary.len() > 75, "the summary is folded");
    // The continuation of a folded line starts with one space; « é » is never split.
    assert!(got[4].len() <= 75 && got[5].starts_with(' '));
}

#[test]
fn a_replaced_or_revoked_feed_and_a_disabled_lawyers_feed_answer_404() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    referred(app);
    let mut b = Browser::new(app);
    b.sign_in("avocat@cabinet.test", "/portal");
    let csrf = super::csrf_field(&b.get("/portal/profile").body);
    let first = feed_url(
        &b.post("/portal/profile/agenda-feed", &[("csrf", &csrf)])
            .body,
    );
    assert_eq!(fetch(&first).0, 200);
    // Replacing it: the old URL stops, the new one works.
    let csrf = super::csrf_field(&b.get("/portal/profile").body);
    let replaced = b.post("/portal/profile/agenda-feed", &[("csrf", &csrf)]);
    assert!(replaced
        .body
        .contains("Toute adresse donnée auparavant ne fonctionne plus"));
    let second = feed_url(&replaced.body);
    assert_ne!(first, second);
    // The same answer as an address that does not exist: nothing about the feed.
    let nowhere = app.http("GET", "/portal/nothing-here", None);
    assert_eq!(nowhere.0, 404);
    let (status, _, body) = fetch(&first);
    assert_eq!((status, &body), (404, &nowhere.1), "no detail");
    assert_eq!(fetch(&second).0, 200);
    // Revoked: 404.
    let csrf = super::csrf_field(&b.get("/portal/profile").body);
    let revoked = b.post("/portal/profile/agenda-feed/revoke", &[("csrf", &csrf)]);
    assert_eq!(revoked.status, 200);
    assert!(revoked
        .body
        .contains("adresse de votre agenda est révoquée"));
    assert!(revoked.body.contains("Votre agenda n'est pas publié."));
    assert_eq!(fetch(&second).0, 404);
    // An unknown token, or none: the same 404.
    for path in [
        "/portal/agenda.ics?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/portal/agenda.ics",
    ] {
        assert_eq!(app.http("GET", path, None), nowhere, "{path}");
    }
    // A form without its CSRF token changes nothing.
    let refused = b.post("/portal/profile/agenda-feed", &[("csrf", "x")]);
    assert_eq!(refused.status, 403);

    // Over GraphQL: created (the URL once), and it stops when the lawyer is disabled.
    let lawyer = token(app, "avocat@cabinet.test");
    let d = app.ok(Some(&lawyer), "mutation { createAgendaFeed }", json!({}));
    let url = d["createAgendaFeed"].as_str().unwrap().to_string();
    assert!(url.contains("/portal/agenda.ics?token="), "{url}");
    let url = if url.starts_with('/') {
        format!("{}{url}", app.base)
    } else {
        url
    };
    assert_eq!(fetch(&url).0, 200);
    let id = app.ok(Some(&lawyer), "{ me { id } }", json!({}))["me"]["id"].clone();
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!) { setUserActive(id: $id, active: false) { active } }",
        json!({ "id": id }),
    );
    assert_eq!(fetch(&url).0, 404, "a disabled lawyer's feed stops");
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!) { setUserActive(id: $id, active: true) { active } }",
        json!({ "id": id }),
    );
    assert_eq!(fetch(&url).0, 200, "and comes back with the account");
    let lawyer = token(app, "avocat@cabinet.test");
    let d = app.ok(Some(&lawyer), "mutation { revokeAgendaFeed }", json!({}));
    assert_eq!(d["revokeAgendaFeed"], true);
    assert_eq!(fetch(&url).0, 404);

    // Lawyers only.
    for email in ["compta@lemaire.test", "agent@agency.test"] {
        let r = app.gql(
            Some(&token(app, email)),
            "mutation { createAgendaFeed }",
            json!({}),
        );
        assert_eq!(code(&r), "FORBIDDEN", "{email}: {r}");
    }
}
