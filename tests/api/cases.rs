//! Intake: open → accept → assign, lists, withdrawal, optimistic locking.

use crate::helpers::*;
use serde_json::json;

const CASE: &str = "query($id: ID!) { case(id: $id) { reference state outcome version statusReason
    creditor { name } debtor { name siren isConsumer address { city } }
    invoices { number amount alreadyPaid outstanding dueDate }
    totals { currency principalClaimed alreadyPaid outstanding }
    assignedAgent { email } timeline { seq kind actorName payload } } }";
const ACCEPT: &str = "mutation($id: ID!, $v: Int) { acceptCase(id: $id, expectedVersion: $v) { state version acceptedAt } }";
const ASSIGN: &str = "mutation($id: ID!, $a: ID!) { assignCase(id: $id, agentId: $a) { assignedAgent { email } version } }";
const WITHDRAW: &str = "mutation($id: ID!, $r: String!) { withdrawCase(id: $id, reason: $r) { state outcome statusReason closedAt } }";
const LIST: &str = "query($f: CaseFilterInput, $first: Int, $after: String) { cases(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { reference state debtor { name } } } } }";

#[test]
fn a_case_is_opened_accepted_and_assigned_with_exact_totals() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);

    let d = app.ok(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_input(None) }),
    );
    let opened = &d["openCase"];
    assert_eq!(opened["state"], "SUBMITTED");
    assert_eq!(opened["version"], 1);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(opened["reference"], format!("REC-{year}-000001"));
    assert_eq!(
        opened["totals"],
        json!({ "principalClaimed": "2050.50", "alreadyPaid": "100.00", "outstanding": "1950.50" })
    );
    let id = opened["id"].as_str().unwrap();

    let d = app.ok(Some(&agent.token), ACCEPT, json!({ "id": id, "v": 1 }));
    assert_eq!(d["acceptCase"]["state"], "AMICABLE");
    assert_eq!(d["acceptCase"]["version"], 2);
    assert!(d["acceptCase"]["acceptedAt"].is_string());

    let d = app.ok(
        Some(&agent.token),
        ASSIGN,
        json!({ "id": id, "a": agent.id }),
    );
    assert_eq!(
        d["assignCase"]["assignedAgent"]["email"],
        "agent@agency.test"
    );
    assert_eq!(d["assignCase"]["version"], 3);

    let c = &app.ok(Some(&acme.user.token), CASE, json!({ "id": id }))["case"];
    assert_eq!(c["state"], "AMICABLE");
    assert_eq!(c["creditor"]["name"], "ACME Fournitures");
    assert_eq!(c["debtor"]["siren"], "362275869");
    assert_eq!(c["debtor"]["isConsumer"], false);
    assert_eq!(
        c["totals"],
        json!({ "currency": "EUR", "principalClaimed": "2050.50", "alreadyPaid": "100.00", "outstanding": "1950.50" })
    );
    assert_eq!(
        c["invoices"][1],
        json!({ "number": "F-2026-002", "amount": "850.50", "alreadyPaid": "100.00", "outstanding": "750.50", "dueDate": "2026-03-12" })
    );
    let kinds: Vec<&str> = c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["case_opened", "case_accepted", "case_assigned"]);
    assert_eq!(c["timeline"][1]["actorName"], "agent@agency.test");
    assert_eq!(c["timeline"][2]["seq"], 3);
}

#[test]
fn an_agent_opens_a_case_on_behalf_of_a_creditor() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&agent.token, case_input(Some(&acme.org_id)));
    let c = app.ok(Some(&acme.user.token), CASE, json!({ "id": id }));
    assert_eq!(c["case"]["state"], "SUBMITTED");
    // Without saying for whom, the agent is asked to.
    let r = app.gql(
        Some(&agent.token),
        OPEN_CASE,
        json!({ "i": case_input(None) }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "creditorId"));
}

#[test]
fn references_number_cases_in_order() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut refs = Vec::new();
    for _ in 0..3 {
        let d = app.ok(
            Some(&acme.user.token),
            OPEN_CASE,
            json!({ "i": case_input(None) }),
        );
        refs.push(d["openCase"]["reference"].as_str().unwrap().to_string());
    }
    let ends: Vec<&str> = refs.iter().map(|r| &r[9..]).collect();
    assert_eq!(ends, ["000001", "000002", "000003"]);
}

#[test]
fn the_case_list_pages_and_filters() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let other = app.creditor("Bâtiment Berthier", "871866729", "compta@berthier.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut input = case_input(None);
        input["debtor"]["name"] = json!(format!("Débiteur numéro {i}"));
        ids.push(app.open_case(&acme.user.token, input));
    }
    app.open_case(&other.user.token, case_input(None));
    app.ok(Some(&agent.token), ACCEPT, json!({ "id": ids[1] }));
    app.ok(
        Some(&agent.token),
        ASSIGN,
        json!({ "id": ids[1], "a": agent.id }),
    );

    // Newest first, three per page, with a cursor that continues exactly where it stopped.
    let p1 = &app.ok(Some(&acme.user.token), LIST, json!({ "first": 3 }))["cases"];
    assert_eq!(p1["totalCount"], 5);
    assert_eq!(p1["pageInfo"]["hasNextPage"], true);
    let names = |p: &serde_json::Value| -> Vec<String> {
        p["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["debtor"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(p1),
        [
            "Débiteur numéro 4",
            "Débiteur numéro 3",
            "Débiteur numéro 2"
        ]
    );
    let p2 = &app.ok(
        Some(&acme.user.token),
        LIST,
        json!({ "first": 3, "after": p1["pageInfo"]["endCursor"] }),
    )["cases"];
    assert_eq!(names(p2), ["Débiteur numéro 1", "Débiteur numéro 0"]);
    assert_eq!(p2["pageInfo"]["hasNextPage"], false);

    // The agency sees both creditors; filters narrow it.
    let all = &app.ok(Some(&agent.token), LIST, json!({}))["cases"];
    assert_eq!(all["totalCount"], 6);
    let by_state = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "states": ["AMICABLE"] } }),
    )["cases"];
    assert_eq!(by_state["totalCount"], 1);
    let by_creditor = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "creditorId": other.org_id } }),
    )["cases"];
    assert_eq!(by_creditor["totalCount"], 1);
    let by_agent = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "assignedAgentId": agent.id } }),
    )["cases"];
    assert_eq!(names(by_agent), ["Débiteur numéro 1"]);
    let by_text = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "text": "NUMÉRO 3" } }),
    )["cases"];
    assert_eq!(names(by_text), ["Débiteur numéro 3"]);
    let by_ref = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "text": "-000002" } }),
    )["cases"];
    assert_eq!(names(by_ref), ["Débiteur numéro 1"]);
    let none = &app.ok(
        Some(&agent.token),
        LIST,
        json!({ "f": { "text": "100%_" } }),
    )["cases"];
    assert_eq!(none["totalCount"], 0);

    for bad in [
        json!({ "first": 0 }),
        json!({ "first": 101 }),
        json!({ "after": "not-a-cursor" }),
    ] {
        let r = app.gql(Some(&agent.token), LIST, bad.clone());
        assert_eq!(code(&r), "VALIDATION", "{bad}");
    }
}

#[test]
fn a_creditor_withdraws_its_case_but_not_in_the_legal_phase() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(Some(&agent.token), ACCEPT, json!({ "id": id }));

    let r = app.gql(
        Some(&acme.user.token),
        WITHDRAW,
        json!({ "id": id, "r": "  " }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "reason"));
    let d = app.ok(
        Some(&acme.user.token),
        WITHDRAW,
        json!({ "id": id, "r": "Paiement reçu directement." }),
    );
    assert_eq!(d["withdrawCase"]["state"], "CLOSED");
    assert_eq!(d["withdrawCase"]["outcome"], "WITHDRAWN");
    assert_eq!(
        d["withdrawCase"]["statusReason"],
        "Paiement reçu directement."
    );
    // A closed case takes no more actions.
    let r = app.gql(
        Some(&acme.user.token),
        WITHDRAW,
        json!({ "id": id, "r": "encore" }),
    );
    assert_eq!(code(&r), "INVALID_TRANSITION");

    let legal = app.open_case(&acme.user.token, case_input(None));
    {
        use diesel::prelude::*;
        use recouvra::db::schema::cases;
        diesel::update(cases::table.find(legal.parse::<i64>().unwrap()))
            .set(cases::state.eq("legal"))
            .execute(&mut app.conn())
            .unwrap();
    }
    let r = app.gql(
        Some(&acme.user.token),
        WITHDRAW,
        json!({ "id": legal, "r": "Trop tard ?" }),
    );
    assert_eq!(code(&r), "INVALID_TRANSITION", "{r}");
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("legal phase"));
}

#[test]
fn a_rejected_case_is_closed_with_its_reason() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    let q = "mutation($id: ID!, $r: String!) { rejectCase(id: $id, reason: $r) { state outcome statusReason } }";
    let d = app.ok(
        Some(&agent.token),
        q,
        json!({ "id": id, "r": "Créance contestée dès l'origine." }),
    );
    assert_eq!(
        d["rejectCase"],
        json!({ "state": "REJECTED", "outcome": "REJECTED", "statusReason": "Créance contestée dès l'origine." })
    );
    let r = app.gql(Some(&agent.token), ACCEPT, json!({ "id": id }));
    assert_eq!(code(&r), "INVALID_TRANSITION");
}

#[test]
fn acting_on_a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(Some(&agent.token), ACCEPT, json!({ "id": id, "v": 1 }));
    let q = "mutation($id: ID!, $a: ID!, $v: Int) { assignCase(id: $id, agentId: $a, expectedVersion: $v) { version } }";
    let r = app.gql(
        Some(&agent.token),
        q,
        json!({ "id": id, "a": agent.id, "v": 1 }),
    );
    assert_eq!(code(&r), "CONFLICT");
    let c = app.ok(
        Some(&agent.token),
        "query($id: ID!) { case(id: $id) { version assignedAgent { id } timeline { kind } } }",
        json!({ "id": id }),
    );
    assert_eq!(c["case"]["version"], 2);
    assert!(c["case"]["assignedAgent"].is_null());
    assert_eq!(c["case"]["timeline"].as_array().unwrap().len(), 2);
}

#[test]
fn two_agents_acting_at_once_one_wins_and_the_other_gets_a_conflict() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let a1 = app.user("AGENT", "agent1@agency.test", None);
    let a2 = app.user("AGENT", "agent2@agency.test", None);
    for round in 0..5 {
        let id = app.open_case(&acme.user.token, case_input(None));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let results: Vec<serde_json::Value> = std::thread::scope(|s| {
            let who_list = [&a1, &a2];
            let hs: Vec<_> = who_list
                .into_iter()
                .map(|who| {
                    let (barrier, id, app) = (barrier.clone(), id.clone(), &app);
                    let q = "mutation($id: ID!, $a: ID!, $v: Int) { assignCase(id: $id, agentId: $a, expectedVersion: $v) { version } }";
                    s.spawn(move || {
                        barrier.wait();
                        app.gql(Some(&who.token), q, json!({ "id": id, "a": who.id, "v": 1 }))
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let wins = results.iter().filter(|r| r.get("errors").is_none()).count();
        let conflicts = results.iter().filter(|r| code(r) == "CONFLICT").count();
        assert_eq!((wins, conflicts), (1, 1), "round {round}: {results:?}");
        let c = app.ok(
            Some(&a1.token),
            "query($id: ID!) { case(id: $id) { version timeline { kind } } }",
            json!({ "id": id }),
        );
        assert_eq!(c["case"]["version"], 2);
        assert_eq!(c["case"]["timeline"].as_array().unwrap().len(), 2);
    }
}
