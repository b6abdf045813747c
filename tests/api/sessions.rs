//! Sessions end at once: after a sign-out, or once an admin disables the account, the access
//! token still within its 15 minutes is refused on the next request — over GraphQL, on a
//! download and on a portal page.

use serde_json::{json, Value};

use crate::evidence::{form, pdf, upload};
use crate::helpers::*;
use crate::portal::Browser;

const CASES: &str = "{ cases(first: 5) { edges { node { id } } } }";

/// `GET url` with the bearer token: the status.
fn download_status(app: &TestApp, token: &str, url: &str) -> (u16, Value) {
    match ureq::get(&format!("{}{url}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => (r.status(), Value::Null),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{e}"),
    }
}

/// A creditor with a case and one piece of evidence: (creditor, the piece's URL).
fn creditor_with_a_piece(app: &TestApp) -> (Creditor, String) {
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let (status, piece) = upload(
        app,
        &acme.user.token,
        &id,
        &form(&pdf("contrat"), "contrat.pdf", "CONTRACT", "Contrat"),
    );
    assert_eq!(status, 201, "{piece}");
    (acme, piece["url"].as_str().unwrap().to_string())
}

fn set_active(app: &TestApp, user_id: &str, active: bool) {
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { active } }",
        json!({ "id": user_id, "a": active }),
    );
}

#[test]
fn a_disabled_accounts_access_token_is_refused_at_once_everywhere() {
    let app = TestApp::spawn();
    let (acme, piece) = creditor_with_a_piece(&app);
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases");
    assert_eq!(b.get("/portal/cases").status, 200);
    app.ok(Some(&acme.user.token), CASES, json!({}));
    assert_eq!(download_status(&app, &acme.user.token, &piece).0, 200);

    set_active(&app, &acme.user.id, false);
    let r = app.gql(Some(&acme.user.token), CASES, json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    let (status, body) = download_status(&app, &acme.user.token, &piece);
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );
    let page = b.get("/portal/cases");
    assert_eq!(page.status, 303, "back to sign-in");
    assert!(!page.body.contains("ACME"));

    // Enabled again, the same sign-in works again (it was never revoked).
    set_active(&app, &acme.user.id, true);
    app.ok(Some(&acme.user.token), CASES, json!({}));
}

#[test]
fn after_a_sign_out_the_access_token_is_refused_at_once_everywhere() {
    let app = TestApp::spawn();
    let (acme, piece) = creditor_with_a_piece(&app);
    // Over the API: logout revokes the sign-in the access token belongs to.
    app.ok(
        None,
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": acme.user.refresh }),
    );
    let r = app.gql(Some(&acme.user.token), CASES, json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    let r = app.gql(
        Some(&acme.user.token),
        "mutation($c: ID!) { logCall(caseId: $c, outcome: NO_ANSWER) { __typename } }",
        json!({ "c": "1" }),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    assert_eq!(download_status(&app, &acme.user.token, &piece).0, 401);
    // Another sign-in of the same account is untouched.
    let again = app.login("compta@acme.test", PASSWORD);
    app.ok(Some(&again.token), CASES, json!({}));
    assert_eq!(download_status(&app, &again.token, &piece).0, 200);

    // On the portal: the access cookie kept from before the sign-out opens nothing.
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases");
    let access = b.cookies["rv_access"].clone();
    let token = b.form_token();
    let p = b.post("/portal/logout", &[("csrf", &token)]);
    assert_eq!(p.status, 303);
    let mut replay = Browser::new(&app);
    replay.cookies.insert("rv_access".into(), access.clone());
    assert_eq!(replay.get("/portal/cases").status, 303);
    assert_eq!(download_status(&app, &access, &piece).0, 401);
    let r = app.gql(Some(&access), CASES, json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
}
