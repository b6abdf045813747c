//! Migrations go up, down and up again on the backend under test, and the app works after.

use crate::helpers::*;
use serde_json::json;

#[test]
fn migrations_go_down_and_up_again_cleanly() {
    let app = TestApp::spawn();
    let mut conn = app.conn();
    assert!(!recouvra::db::has_pending(&mut conn).unwrap());
    let reverted = recouvra::db::revert_all(&mut conn).unwrap();
    assert!(reverted >= 1);
    assert!(!recouvra::db::has_schema(&mut conn).unwrap());
    let applied = recouvra::db::migrate(&mut conn).unwrap();
    assert_eq!(applied.len(), reverted);
    assert!(recouvra::db::has_schema(&mut conn).unwrap());
    // The reverted database is empty: the bootstrap admin is gone, sign-in fails cleanly.
    let r = app.gql(
        None,
        "mutation { login(email: \"admin@agency.test\", password: \"x\") { accessToken } }",
        json!({}),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED");
}
