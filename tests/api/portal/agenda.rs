//! The lawyer's agenda page: exactly the cases referred to them, nearest deadline first, with
//! the same deadlines as `legalAgenda`.

use serde_json::{json, Value};

use super::Browser;
use crate::helpers::*;
use crate::recovery::world_in;

/// A company debtor with one invoice falling due on `due`.
fn input(debtor: &str, due: &str) -> Value {
    json!({
        "debtor": { "kind": "COMPANY", "name": debtor, "legalForm": "SARL",
            "address": { "line1": "4 rue des Tanneurs", "postalCode": "21000", "city": "Dijon" } },
        "invoices": [ { "number": format!("F-{debtor}"), "issueDate": "2024-12-01", "dueDate": due, "amount": "1500.00" } ]
    })
}

#[test]
fn the_agenda_lists_exactly_the_lawyers_cases_nearest_deadline_first() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let creditor = token(app, "compta@lemaire.test");
    let agent = token(app, "agent@agency.test");
    let first = app.user("LAWYER", "avocat@cabinet.test", None);
    let second = app.user("LAWYER", "autre@cabinet.test", None);
    let cases: Vec<(String, &str)> = [
        ("Garage Lefort", "2025-06-30", &first),
        ("Menuiserie Roy", "2025-01-15", &first),
        ("Imprimerie Blanc", "2025-03-01", &second),
    ]
    .iter()
    .map(|(debtor, due, _)| {
        let id = app.open_case(&creditor, input(debtor, due));
        for m in [
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
            "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-02\", trackingNumber: \"1A00112233445\") { state } }",
        ] {
            app.ok(Some(&agent), m, json!({ "id": id }));
        }
        (id, *debtor)
    })
    .collect();
    set_today(app, "2026-03-16");
    let agent = token(app, "agent@agency.test");
    for ((id, _), lawyer) in cases.iter().zip([&first, &first, &second]) {
        app.ok(
            Some(&agent),
            "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { state } }",
            json!({ "id": id, "l": lawyer.id }),
        );
    }
    let mut b = Browser::new(app);
    let p = b.sign_in("avocat@cabinet.test", "/portal");
    assert_eq!(p.location.as_deref(), Some("/portal"));
    assert_eq!(
        b.get("/portal").location.as_deref(),
        Some("/portal/agenda"),
        "the lawyer's home"
    );
    let page = b.get("/portal/agenda");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("2 dossiers en phase judiciaire"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("Imprimerie Blanc"),
        "another lawyer's case"
    );
    let roy = page.body.find("Menuiserie Roy").expect("Roy listed");
    let lefort = page.body.find("Garage Lefort").expect("Lefort listed");
    assert!(roy < lefort, "the nearest deadline first");
    for (id, _) in &cases[..2] {
        assert!(page.body.contains(&format!("href=\"/portal/cases/{id}\"")));
    }
    assert!(page.body.contains("Phase judiciaire"));
    // The next deadline of each case is the first of `legalAgenda` for it.
    let d = app.ok(
        Some(&token(app, "avocat@cabinet.test")),
        "{ legalAgenda(withinDays: 3660) { caseId debtorName eligible deadline { date } } }",
        json!({}),
    );
    let agenda = d["legalAgenda"].as_array().unwrap();
    assert!(agenda.iter().all(|e| e["caseId"] != cases[2].0.as_str()));
    assert_eq!(agenda[0]["debtorName"], "Menuiserie Roy", "{d}");
    let date = agenda[0]["deadline"]["date"].as_str().unwrap();
    let fr = format!("{}&#x2F;{}&#x2F;{}", &date[8..10], &date[5..7], &date[..4]);
    assert!(
        page.body[..roy].contains(&fr),
        "{fr} before Roy: {}",
        page.body
    );
    let eligible = if agenda[0]["eligible"] == true {
        "Conditions réunies"
    } else {
        "À vérifier"
    };
    assert!(page.body[roy..lefort].contains(eligible));
    // The lawyer's case page leaves out the creditor's money.
    let case = b.get(&format!("/portal/cases/{}", cases[0].0));
    assert_eq!(case.status, 200);
    assert!(!case.body.contains("Encaissements et reversements"));
    // A creditor is refused the page.
    let mut c = Browser::new(app);
    c.sign_in("compta@lemaire.test", "/portal");
    assert_eq!(c.get("/portal/agenda").status, 403);
}
