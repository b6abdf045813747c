//! The hash chain of a case's events, checked by `recouvra verify-audit`.

use crate::helpers::*;
use serde_json::json;
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
