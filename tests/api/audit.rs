//! The hash chain of a case's events, checked by `recouvra verify-audit`.

use crate::helpers::*;
use serde_json::{json, Value};
use std::process::Command;

fn verify_audit(app: &TestApp) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_recouvra"))
        .arg("verify-audit")
        .env("DATABASE_URL", &app.db_url)
        .env("RECOUVRA_DATA_DIR", std::env::temp_dir())
        .env("RECOUVRA_JWT_SECRET", "x".repeat(40))
        .output()
        .expect("run recouvra");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn case_with_history(app: &TestApp) -> i64 {
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { id } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!, $a: ID!) { assignCase(id: $id, agentId: $a) { id } }",
        json!({ "id": id, "a": agent.id }),
    );
    id.parse().unwrap()
}

#[test]
fn the_event_chain_verifies_and_each_event_links_to_the_previous() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    let events = recouvra::store::events::of_case(&mut app.conn(), id).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].prev_hash, recouvra::store::events::GENESIS);
    assert_eq!(events[1].prev_hash, events[0].hash);
    assert_eq!(events[2].prev_hash, events[1].hash);
    assert_eq!(recouvra::store::events::verify(&events), Ok(()));
    let (ok, text) = verify_audit(&app);
    assert!(ok, "{text}");
    assert!(text.contains("1 case(s), 3 event(s)"), "{text}");
}

#[test]
fn a_changed_event_breaks_the_chain_and_is_named() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    use diesel::prelude::*;
    use recouvra::db::schema::case_events;
    diesel::update(
        case_events::table
            .filter(case_events::case_id.eq(id))
            .filter(case_events::seq.eq(2)),
    )
    .set(case_events::payload.eq("{\"forged\":true}"))
    .execute(&mut app.conn())
    .unwrap();
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "tampering went unnoticed: {text}");
    assert!(text.contains(&format!("case {id} event #2")), "{text}");
    assert!(text.contains("no longer matches its hash"), "{text}");
}

#[test]
fn a_deleted_event_in_the_middle_breaks_the_chain() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    use diesel::prelude::*;
    use recouvra::db::schema::case_events;
    diesel::delete(
        case_events::table
            .filter(case_events::case_id.eq(id))
            .filter(case_events::seq.eq(2)),
    )
    .execute(&mut app.conn())
    .unwrap();
    let (ok, text) = verify_audit(&app);
    assert!(!ok);
    assert!(text.contains(&format!("case {id} event #3")), "{text}");
}

#[test]
fn deleting_the_last_events_of_a_case_is_named_by_verify_audit() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    use diesel::prelude::*;
    use recouvra::db::schema::case_events;
    diesel::delete(
        case_events::table
            .filter(case_events::case_id.eq(id))
            .filter(case_events::seq.eq(3)),
    )
    .execute(&mut app.conn())
    .unwrap();
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "a deleted last event went unnoticed: {text}");
    assert!(text.contains(&format!("case {id} event #3")), "{text}");
    assert!(text.contains("the last 1 event(s) are missing"), "{text}");
}

const TRAIL: &str = "query($id: ID!, $first: Int, $after: Int) { auditTrail(caseId: $id, first: $first, afterSeq: $after) { verified brokenAt { seq reason } totalCount events { seq kind hash prevHash actorName } } }";

#[test]
fn the_audit_trail_is_verified_and_paginated_for_agents_and_refused_to_creditors() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    let agent = token(&app, "agent@agency.test");
    let d = app.ok(
        Some(&agent),
        TRAIL,
        json!({ "id": id.to_string(), "first": 2 }),
    );
    let trail = &d["auditTrail"];
    assert_eq!(trail["verified"], true);
    assert_eq!(trail["totalCount"], 3);
    let events = trail["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "case_opened");
    assert_eq!(events[0]["prevHash"], recouvra::store::events::GENESIS);
    assert_eq!(events[1]["prevHash"], events[0]["hash"]);
    let d = app.ok(
        Some(&agent),
        TRAIL,
        json!({ "id": id.to_string(), "first": 2, "after": 2 }),
    );
    let rest = d["auditTrail"]["events"].as_array().unwrap().clone();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["seq"], 3);
    assert_eq!(rest[0]["prevHash"], events[1]["hash"]);

    // The creditor reads its timeline, not the trail; another creditor does not see the case.
    let creditor = token(&app, "compta@acme.test");
    let r = app.gql(Some(&creditor), TRAIL, json!({ "id": id.to_string() }));
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    let other = app.creditor("Autre SA", "552100554", "other@autre.test");
    let r = app.gql(
        Some(&other.user.token),
        TRAIL,
        json!({ "id": id.to_string() }),
    );
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    // A lawyer the case was not referred to does not see it.
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let r = app.gql(Some(&lawyer.token), TRAIL, json!({ "id": id.to_string() }));
    assert_eq!(code(&r), "NOT_FOUND", "{r}");

    // A tampered event shows in the trail itself.
    app.exec(&format!(
        "UPDATE case_events SET payload = '{{\"forged\":true}}' WHERE case_id = {id} AND seq = 2"
    ));
    let d = app.ok(Some(&agent), TRAIL, json!({ "id": id.to_string() }));
    assert_eq!(d["auditTrail"]["verified"], false);
    assert_eq!(d["auditTrail"]["brokenAt"]["seq"], 2);
    assert_eq!(
        d["auditTrail"]["brokenAt"]["reason"],
        "its content no longer matches its hash"
    );
}

const LOG: &str = "query($kind: SecurityEventKind, $first: Int, $after: String) { securityLog(kind: $kind, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { seq kind userId email ip caseId detail } } } }";

fn log_of(app: &TestApp, kind: &str) -> Vec<Value> {
    let d = app.ok(
        Some(&app.admin_token),
        LOG,
        json!({ "kind": kind, "first": 100 }),
    );
    d["securityLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[test]
fn the_security_log_records_sign_ins_lockouts_refusals_and_downloads() {
    let app = TestApp::spawn();
    let id = case_with_history(&app);
    let creditor = app.login("compta@acme.test", PASSWORD);

    // Five wrong passwords lock the account: four failures, then the lock; then a refusal.
    for _ in 0..5 {
        let r = app.gql(
            None,
            "mutation { login(email: \"compta@acme.test\", password: \"wrong\") { accessToken } }",
            json!({}),
        );
        assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    }
    let r = app.gql(
        None,
        &format!("mutation {{ login(email: \"compta@acme.test\", password: \"{PASSWORD}\") {{ accessToken }} }}"),
        json!({}),
    );
    assert_eq!(
        code(&r),
        "UNAUTHENTICATED",
        "locked, in the words of a wrong password: {r}"
    );
    let (status, _) = app.http(
        "POST",
        "/api/auth/login",
        Some((
            "application/json",
            r#"{"email":"nobody@nowhere.test","password":"x"}"#,
        )),
    );
    assert_eq!(status, 401);

    let failed = log_of(&app, "LOGIN_FAILED");
    let mine: Vec<_> = failed
        .iter()
        .filter(|e| e["email"] == "compta@acme.test")
        .collect();
    assert_eq!(mine.len(), 4, "{failed:?}");
    assert!(mine.iter().all(|e| e["userId"] == creditor.id.as_str()));
    assert!(mine.iter().all(|e| e["ip"] == "127.0.0.1"));
    let unknown: Vec<_> = failed
        .iter()
        .filter(|e| e["email"] == "nobody@nowhere.test")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0]["userId"].is_null());
    let locked = log_of(&app, "ACCOUNT_LOCKED");
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0]["userId"], creditor.id.as_str());
    assert_eq!(log_of(&app, "LOGIN_REFUSED_LOCKED").len(), 1);
    let signed_in = log_of(&app, "LOGIN_SUCCEEDED");
    assert!(signed_in
        .iter()
        .any(|e| e["userId"] == creditor.id.as_str()));

    // Refusals: a role that may not act (FORBIDDEN) and a foreign case (NOT_FOUND to the
    // caller, a refusal in the log); a missing case is not a refusal.
    let r = app.gql(
        Some(&creditor.token),
        "mutation($id: ID!) { acceptCase(id: $id) { id } }",
        json!({ "id": id.to_string() }),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let other = app.creditor("Autre SA", "552100554", "other@autre.test");
    let r = app.gql(
        Some(&other.user.token),
        "query($id: ID!) { case(id: $id) { id } }",
        json!({ "id": id.to_string() }),
    );
    assert_eq!(code(&r), "NOT_FOUND");
    let r = app.gql(
        Some(&other.user.token),
        "query { case(id: \"999999\") { id } }",
        json!({}),
    );
    assert_eq!(code(&r), "NOT_FOUND");
    let refused = log_of(&app, "PERMISSION_REFUSED");
    assert_eq!(refused.len(), 2, "{refused:?}");
    // Newest first.
    assert_eq!(refused[0]["userId"], other.user.id.as_str());
    assert!(
        refused[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("case: NOT_FOUND"),
        "{refused:?}"
    );
    assert_eq!(refused[1]["userId"], creditor.id.as_str());
    assert!(refused[1]["detail"]
        .as_str()
        .unwrap()
        .starts_with("acceptCase: FORBIDDEN"));

    // Only admins read the log.
    let r = app.gql(Some(&creditor.token), LOG, json!({}));
    assert_eq!(code(&r), "FORBIDDEN");

    // Pages follow each other without overlap.
    let d = app.ok(Some(&app.admin_token), LOG, json!({ "first": 3 }));
    let total = d["securityLog"]["totalCount"].as_i64().unwrap();
    assert!(total >= 10, "{d}");
    let first_page: Vec<i64> = d["securityLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(first_page, vec![total, total - 1, total - 2]);
    let cursor = d["securityLog"]["pageInfo"]["endCursor"].clone();
    let d = app.ok(
        Some(&app.admin_token),
        LOG,
        json!({ "first": 3, "after": cursor }),
    );
    assert_eq!(
        d["securityLog"]["edges"][0]["node"]["seq"]
            .as_i64()
            .unwrap(),
        total - 3
    );

    let (ok, text) = verify_audit(&app);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("security log: {total} entr(ies)")),
        "{text}"
    );
}

#[test]
fn a_changed_security_log_entry_is_named_by_verify_audit() {
    let app = TestApp::spawn();
    case_with_history(&app);
    app.exec("UPDATE security_events SET detail = 'nothing happened' WHERE seq = 2");
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "{text}");
    assert!(
        text.contains("security log entry #2") && text.contains("no longer matches its hash"),
        "{text}"
    );
    // Deleting the newest entries is seen through the log's head.
    let app = TestApp::spawn();
    case_with_history(&app);
    app.exec("DELETE FROM security_events WHERE seq = (SELECT max(seq) FROM security_events)");
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "{text}");
    assert!(text.contains("the last 1 entr(ies) are missing"), "{text}");
}
