//! Issue 15, item 6: the security log is neither an amplifier nor an oracle. A request
//! writes at most one refusal, after its answer (off its path), and one user's refusals are
//! rate-limited, the excess counted in one entry.

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;

fn refusals(app: &TestApp) -> Vec<Value> {
    // The admin's read waits for the refusals of the requests already answered.
    let d = app.ok(
        Some(&app.admin_token),
        "{ securityLog(kind: PERMISSION_REFUSED, first: 100) { edges { node { userId caseId ip detail } } } }",
        json!({}),
    );
    d["securityLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Two creditors; the first owns three cases (the first one's id returned), the second one
/// (its id returned).
fn two_creditors(app: &TestApp) -> (Creditor, Creditor, String, String) {
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let other = app.creditor("Autre SA", "552100554", "other@autre.test");
    let acme_case = app.open_case(&acme.user.token, case_input(None));
    for _ in 0..2 {
        app.open_case(&acme.user.token, case_input(None));
    }
    let foreign = app.open_case(&other.user.token, case_input(None));
    (acme, other, acme_case, foreign)
}

#[test]
fn a_request_with_many_refused_nested_fields_and_aliases_writes_one_security_log_entry() {
    let app = TestApp::spawn();
    let (acme, _, _, foreign) = two_creditors(&app);
    // Refused nested fields: a creditor may not read the agency's tasks, on each of its
    // three cases (how many run before the first error nulls the answer varies).
    let r = app.gql(
        Some(&acme.user.token),
        "{ cases { edges { node { id tasks { id } } } } }",
        json!({}),
    );
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    let log = refusals(&app);
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["userId"], acme.user.id.as_str());
    assert_eq!(log[0]["ip"], "127.0.0.1");
    let detail = log[0]["detail"].as_str().unwrap();
    assert!(detail.starts_with("cases: FORBIDDEN"), "{detail}");
    // A batch of ten entries, each with aliases of a foreign case: every entry runs, so ten
    // refusals at least — one entry, naming the case for the agency.
    let aliases: String = (0..5)
        .map(|i| format!("f{i}: case(id: \"{foreign}\") {{ id }} "))
        .collect();
    let batch: Vec<Value> = (0..10)
        .map(|_| json!({ "query": format!("{{ {aliases} }}") }))
        .collect();
    let answers: Value = match ureq::post(&format!("{}/graphql", app.base))
        .set("Authorization", &format!("Bearer {}", acme.user.token))
        .send_json(Value::Array(batch))
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r.into_json().unwrap(),
        Err(e) => panic!("{e}"),
    };
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 10);
    assert!(
        answers.iter().all(|a| code(a) == "NOT_FOUND"),
        "{answers:?}"
    );
    let log = refusals(&app);
    assert_eq!(log.len(), 2, "one entry for the whole batch: {log:?}");
    assert_eq!(
        log[0]["caseId"],
        foreign.as_str(),
        "the refused case, for the agency"
    );
    let detail = log[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("case: NOT_FOUND (case not found"),
        "{detail}"
    );
    let counted: u32 = detail
        .rsplit_once("; ")
        .and_then(|(_, n)| n.strip_suffix(" refusals in this request"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((10..=50).contains(&counted), "{detail}");
}

#[test]
fn past_the_rate_one_users_refusals_are_counted_in_one_summarising_entry() {
    let app = TestApp::spawn_with(|c| c.refusals_per_minute = 3);
    let (_, other, acme_case, _) = two_creditors(&app);
    for _ in 0..5 {
        let r = app.gql(
            Some(&other.user.token),
            "query($id: ID!) { case(id: $id) { id } }",
            json!({ "id": acme_case }),
        );
        assert_eq!(code(&r), "NOT_FOUND");
    }
    let log = refusals(&app);
    assert_eq!(log.len(), 3, "three entries a minute: {log:?}");
    // When the minute is over, the two others are counted in one entry.
    app.clock.advance(61);
    crate::faults::wait_until(10, "the summarising entry", || refusals(&app).len() == 4);
    let summary = &refusals(&app)[0];
    assert_eq!(summary["userId"], other.user.id.as_str());
    assert_eq!(summary["caseId"], acme_case.as_str());
    let detail = summary["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("2 more refusals (2 requests) within a minute of "),
        "{detail}"
    );
    // A new minute: recorded one by one again.
    let r = app.gql(
        Some(&other.user.token),
        "query($id: ID!) { case(id: $id) { id } }",
        json!({ "id": acme_case }),
    );
    assert_eq!(code(&r), "NOT_FOUND");
    assert_eq!(refusals(&app).len(), 5);
}

#[test]
fn a_refusal_is_recorded_after_the_answer_so_a_foreign_id_costs_what_a_missing_one_does() {
    // Deterministic rather than timed: the test holds the security log's lock (SQLite's
    // write lock, the log head's row on PostgreSQL). A refusal written on the request's path
    // would wait for it (10 s of busy timeout, forever on PostgreSQL) and the request would
    // time out; written after the answer, the answer comes at once, the entry once the lock
    // is released. The request's path is then the same for a foreign id and a missing one.
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn();
    let (_, other, acme_case, _) = two_creditors(&app);
    let mut lock = app.conn();
    match &mut lock {
        recouvra::db::DbConn::Sqlite(c) => c.batch_execute("BEGIN IMMEDIATE"),
        recouvra::db::DbConn::Pg(c) => {
            c.batch_execute("BEGIN; SELECT seq FROM security_log_head WHERE id = 1 FOR UPDATE")
        }
    }
    .unwrap();
    for id in [acme_case.as_str(), "999999"] {
        let r = ureq::post(&format!("{}/graphql", app.base))
            .set("Authorization", &format!("Bearer {}", other.user.token))
            .timeout(Duration::from_secs(4))
            .send_json(json!({ "query": "query($id: ID!) { case(id: $id) { id } }", "variables": { "id": id } }));
        let body: Value = match r {
            Ok(r) => r.into_json().unwrap(),
            Err(ureq::Error::Status(_, r)) => r.into_json().unwrap(),
            Err(e) => panic!("the answer waited for the security log: {e}"),
        };
        assert_eq!(code(&body), "NOT_FOUND", "{body}");
        assert_eq!(body["errors"][0]["message"], "case not found");
    }
    match &mut lock {
        recouvra::db::DbConn::Sqlite(c) => c.batch_execute("ROLLBACK"),
        recouvra::db::DbConn::Pg(c) => c.batch_execute("ROLLBACK"),
    }
    .unwrap();
    // The foreign id is recorded (the missing one is not a refusal).
    crate::faults::wait_until(10, "the refusal", || refusals(&app).len() == 1);
    assert_eq!(refusals(&app)[0]["caseId"], acme_case.as_str());
}
