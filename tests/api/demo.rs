//! `serve --demo`: the seeded data is consistent and usable through the API.

use serde_json::json;

use crate::helpers::*;

#[test]
fn the_demo_accounts_see_what_their_roles_allow() {
    let app = TestApp::spawn_demo();
    let pass = recouvra::demo::DEMO_PASSWORD;
    let cases = |token: &str| {
        app.ok(
            Some(token),
            "{ cases(first: 100) { totalCount } }",
            json!({}),
        )["cases"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let agent = app.login("agent@demo.recouvra.fr", pass).token;
    let lemaire = app.login("compta@lemaire-fournitures.fr", pass).token;
    let berthier = app.login("gestion@berthier-batiment.fr", pass).token;
    let lawyer = app.login("avocat@demo.recouvra.fr", pass).token;
    assert_eq!(cases(&agent), 30);
    // Every third case is Berthier's; the rest Lemaire's.
    assert_eq!((cases(&lemaire), cases(&berthier)), (20, 10));
    assert_eq!(cases(&lawyer), 3);
    // The agency's settings are complete, so letters can be produced.
    let s = app.ok(
        Some(&agent),
        "{ agencySettings { insurer iban signatory } }",
        json!({}),
    );
    assert_eq!(
        s["agencySettings"]["insurer"],
        "MMA IARD Assurances Mutuelles"
    );
    // The agent's queue is not empty, and some calls were logged.
    let q = app.ok(
        Some(&agent),
        "{ myQueue(first: 200) { reference } }",
        json!({}),
    );
    assert!(!q["myQueue"].as_array().unwrap().is_empty(), "{q}");
    let calls = app.ok(
        Some(&agent),
        "{ cases(first: 100) { edges { node { calls { outcome } } } } }",
        json!({}),
    );
    let logged: usize = calls["cases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["calls"].as_array().unwrap().len())
        .sum();
    assert!(logged > 0, "{calls}");
    // Seeding twice changes nothing.
    recouvra::demo::seed(
        &mut app.conn(),
        &app.clock,
        recouvra::config::HashCost::Test,
        &app.base,
    )
    .unwrap();
    assert_eq!(cases(&agent), 30);
}

#[test]
fn the_demo_works_on_a_date_far_after_the_rate_table() {
    // Started on 15 March 2031: every invoice falls due after 30/06/2026, the table's last
    // day. Statements compute (interest stopped there, and flagged), never with a made-up
    // rate; the scheduler runs the reminders and leaves no task per case for the rates.
    let app = TestApp::spawn_demo_on("2031-03-15");
    let pass = recouvra::demo::DEMO_PASSWORD;
    let agent = app.login("agent@demo.recouvra.fr", pass).token;
    let list = app.ok(
        Some(&agent),
        "{ cases(first: 100) { edges { node { id state } } } }",
        json!({}),
    );
    let edges = list["cases"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 30);
    let mut incomplete = 0;
    for e in edges {
        let s = app.ok(
            Some(&agent),
            "query($id: ID!) { statement(caseId: $id) { asOf interestUntil interestIncomplete
                missingRates totals { interestTotal totalDue } } }",
            json!({ "id": e["node"]["id"] }),
        );
        let s = &s["statement"];
        assert_eq!(s["asOf"], "2031-03-15");
        if s["interestIncomplete"] == true {
            incomplete += 1;
            assert_eq!(s["interestUntil"], "2026-06-30", "{s}");
            assert_eq!(s["missingRates"], "2026-H2", "{s}");
            // Nothing was due before the table's end: no interest at all, no assumed rate.
            assert_eq!(s["totals"]["interestTotal"], "0.00", "{s}");
        }
    }
    assert!(incomplete > 0, "some demo cases bear interest");
    let admin = app.login("admin@demo.recouvra.fr", pass).token;
    let run = app.ok(
        Some(&admin),
        "mutation { runDueSteps { stepsRun tasksCreated blocked } }",
        json!({}),
    )["runDueSteps"]
        .clone();
    assert!(run["stepsRun"].as_i64().unwrap() > 0, "{run}");
    let q = app.ok(
        Some(&agent),
        "{ myQueue(first: 200) { tasks { kind } } }",
        json!({}),
    );
    assert!(
        !q.to_string().contains("step_blocked"),
        "no blocked-step task for the rates: {q}"
    );
    let missing = app.ok(
        Some(&agent),
        "{ missingInterestRates { halfYear } }",
        json!({}),
    );
    assert_eq!(
        missing["missingInterestRates"].as_array().unwrap().len(),
        10,
        "2026-H2 to 2031-H1: {missing}"
    );
}

#[test]
fn the_creditors_e_mails_link_to_the_case_on_the_portal_whose_address_the_admin_sets() {
    let app = TestApp::spawn_demo();
    let pass = recouvra::demo::DEMO_PASSWORD;
    let agent = app.login("agent@demo.recouvra.fr", pass).token;
    let admin = app.login("admin@demo.recouvra.fr", pass).token;
    let d = app.ok(
        Some(&agent),
        "{ cases(first: 1, filter: { states: [AMICABLE] }) { edges { node { id } } } }",
        json!({}),
    );
    let id = d["cases"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pay = |amount: &str| {
        app.ok(
            Some(&agent),
            "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
            json!({ "i": { "caseId": id, "receivedOn": app.clock.today().to_string(),
                           "amount": amount, "method": "TRANSFER" } }),
        );
        let d = app.ok(
            Some(&agent),
            "query($id: ID!) { case(id: $id) { messages { kind body } } }",
            json!({ "id": id }),
        );
        d["case"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "creditor_payment_notice")
            .map(|m| m["body"].as_str().unwrap().to_string())
            .next_back()
            .expect("a notice to the creditor")
    };
    // The demo's portal is this server.
    let body = pay("10.00");
    let link = format!(
        "Suivre le dossier sur le portail : {}/portal/cases/{id}\n",
        app.base
    );
    assert!(body.contains(&link), "{body}");

    let q = "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { portalUrl } }";
    let s = app.ok(
        Some(&admin),
        "{ agencySettings { agencyOrganisationId insurer policyNumber iban bic phone email mailFrom signatory formalNoticeDays graceDays } }",
        json!({}),
    )["agencySettings"]
        .clone();
    let with = |url: &str| {
        let mut i = s.clone();
        i["portalUrl"] = json!(url);
        json!({ "i": i })
    };
    let r = app.gql(Some(&admin), q, with("ftp://recouvra.agence.fr"));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "portalUrl"));
    let d = app.ok(Some(&admin), q, with("https://recouvra.agence.fr/"));
    assert_eq!(
        d["updateAgencySettings"]["portalUrl"],
        "https://recouvra.agence.fr"
    );
    let body = pay("10.00");
    assert!(
        body.contains(&format!("https://recouvra.agence.fr/portal/cases/{id}\n")),
        "{body}"
    );
    // Cleared: no link.
    app.ok(Some(&admin), q, with(""));
    assert!(!pay("10.00").contains("portail"));
}
