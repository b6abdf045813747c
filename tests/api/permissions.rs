//! The permission matrix: every operation × every role × own/foreign case (DESIGN.md §1).
//! Expected answers are written out, not derived from the policy under test.

use crate::helpers::*;
use serde_json::{json, Value};

/// Who calls, in the column order of the table below.
const WHO: [&str; 7] = [
    "anonymous",
    "admin",
    "agent",
    "lawyer of the case",
    "other lawyer",
    "own creditor",
    "foreign creditor",
];

struct World {
    app: TestApp,
    tokens: Vec<Option<String>>,
    own: Creditor,
    agent_id: String,
    lawyer_id: i64,
}

fn world() -> World {
    let app = TestApp::spawn();
    let own = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let foreign = app.creditor("Bâtiment Berthier", "871866729", "compta@berthier.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let lawyer = app.user("LAWYER", "avocat@agency.test", None);
    let other_lawyer = app.user("LAWYER", "autre.avocat@agency.test", None);
    let tokens = vec![
        None,
        Some(app.admin_token.clone()),
        Some(agent.token.clone()),
        Some(lawyer.token.clone()),
        Some(other_lawyer.token.clone()),
        Some(own.user.token.clone()),
        Some(foreign.user.token.clone()),
    ];
    World {
        tokens,
        agent_id: agent.id,
        lawyer_id: lawyer.id.parse().unwrap(),
        own,
        app,
    }
}

impl World {
    /// A fresh submitted case of the own creditor, referred to the lawyer of the case.
    fn fresh_case(&self) -> String {
        let id = self.app.open_case(&self.own.user.token, case_input(None));
        use diesel::prelude::*;
        use recouvra::db::schema::cases;
        diesel::update(cases::table.find(id.parse::<i64>().unwrap()))
            .set(cases::assigned_lawyer_id.eq(Some(self.lawyer_id)))
            .execute(&mut self.app.conn())
            .unwrap();
        id
    }
}

/// "OK", or the expected error code.
fn outcome(r: &Value) -> String {
    match r.get("errors") {
        None => "OK".into(),
        Some(_) => code(r).to_string(),
    }
}

type Op = fn(&World, Option<&str>, &str) -> Value;

#[test]
fn every_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let unauth = "UNAUTHENTICATED";
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "me",
            |w, t, _| w.app.gql(t, "{ me { id } }", json!({})),
            [unauth, "OK", "OK", "OK", "OK", "OK", "OK"],
        ),
        (
            "case",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { id } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "case.timeline",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { timeline { kind } } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "cases (sees the case?)",
            |w, t, id| {
                let r = w.app.gql(
                    t,
                    "{ cases(first: 100) { edges { node { id } } } }",
                    json!({}),
                );
                if r.get("errors").is_some() {
                    return r;
                }
                let seen = r["data"]["cases"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["node"]["id"] == id);
                if seen {
                    json!({ "data": {} })
                } else {
                    json!({ "errors": [{ "extensions": { "code": "BLIND" } }] })
                }
            },
            [unauth, "OK", "OK", "OK", "BLIND", "OK", "BLIND"],
        ),
        (
            "organisations",
            |w, t, _| w.app.gql(t, "{ organisations { totalCount } }", json!({})),
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "users",
            |w, t, _| w.app.gql(t, "{ users { totalCount } }", json!({})),
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "organisation.mandates",
            |w, t, _| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { creditor { mandates { id } } } }",
                    json!({ "id": w.fresh_case() }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
        (
            "createOrganisation",
            |w, t, _| {
                let siren = [
                    "362275869",
                    "530530419",
                    "749008934",
                    "925988156",
                    "928720317",
                    "353246119",
                    "631229838",
                ];
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let s = siren[N.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 7];
                w.app.gql(
                    t,
                    "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
                    json!({ "i": org_input("CREDITOR", "Nouvelle", s) }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "createUser",
            |w, t, _| {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                w.app.gql(t, "mutation($i: UserInput!) { createUser(input: $i) { user { id } } }",
                json!({ "i": { "email": format!("new{n}@agency.test"), "displayName": "N", "role": "AGENT" } }))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "createMandate",
            |w, t, _| {
                w.app.gql(t, "mutation($i: MandateInput!) { createMandate(input: $i) { id } }",
                json!({ "i": { "organisationId": w.own.org_id, "signedOn": "2025-02-01", "commissionBps": 900, "terms": "Avenant." } }))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "openCase (for the own creditor)",
            |w, t, _| {
                w.app.gql(
                    t,
                    OPEN_CASE,
                    json!({ "i": case_input(Some(&w.own.org_id)) }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "OK",
                "FORBIDDEN",
            ],
        ),
        (
            "acceptCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { acceptCase(id: $id) { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "rejectCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { rejectCase(id: $id, reason: \"non\") { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "assignCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!, $a: ID!) { assignCase(id: $id, agentId: $a) { id } }",
                    json!({ "id": id, "a": w.agent_id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "withdrawCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { withdrawCase(id: $id, reason: \"repris\") { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
        (
            "recordPayment (accepted case)",
            |w, t, id| {
                w.app.ok(
                    w.tokens[1].as_deref(),
                    "mutation($id: ID!) { acceptCase(id: $id) { id } }",
                    json!({ "id": id }),
                );
                w.app.gql(t, "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
                json!({ "i": { "caseId": id, "receivedOn": "2026-04-15", "amount": "10.00", "method": "CHEQUE" } }))
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "case.payments",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { payments { id } } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "statement",
            |w, t, id| {
                w.app.gql(t, "query($id: ID!) { statement(caseId: $id, asOf: \"2026-06-30\") { totals { totalDue } } }", json!({ "id": id }))
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "interestRates",
            |w, t, _| w.app.gql(t, "{ interestRates { year } }", json!({})),
            [unauth, "OK", "OK", "OK", "OK", "OK", "OK"],
        ),
        (
            "addInterestRate",
            |w, t, _| {
                w.app.gql(t, "mutation { addInterestRate(input: { year: 2030, half: H1, ecbRate: \"2\", legalRatePrivateCreditor: \"6\", legalRateOther: \"3\" }) { year } }", json!({}))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (name, op, expected) in &ops {
        for (i, who) in WHO.iter().enumerate() {
            let case_id = w.fresh_case();
            let got = outcome(&op(&w, w.tokens[i].as_deref(), &case_id));
            if got != expected[i] {
                failures.push(format!(
                    "{name} as {who}: expected {}, got {got}",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission matrix mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_foreign_case_and_a_missing_case_get_the_same_answer() {
    let w = world();
    let id = w.fresh_case();
    let q = "query($id: ID!) { case(id: $id) { id } }";
    let foreign = w.app.gql(w.tokens[6].as_deref(), q, json!({ "id": id }));
    let missing = w
        .app
        .gql(w.tokens[6].as_deref(), q, json!({ "id": "987654" }));
    let garbage = w
        .app
        .gql(w.tokens[6].as_deref(), q, json!({ "id": "not-an-id" }));
    assert_eq!(
        foreign["errors"][0]["message"],
        missing["errors"][0]["message"]
    );
    assert_eq!(
        foreign["errors"][0]["extensions"],
        missing["errors"][0]["extensions"]
    );
    assert_eq!(code(&garbage), "NOT_FOUND");
}
