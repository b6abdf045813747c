//! Signing in, tokens, lock-out.

use crate::helpers::*;
use serde_json::json;

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresIn user { email role } } }";
const REFRESH: &str =
    "mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }";
const ME: &str = "{ me { email role displayName } }";

#[test]
fn a_user_signs_in_and_reads_who_they_are() {
    let app = TestApp::spawn();
    let d = app.ok(
        None,
        LOGIN,
        json!({ "e": "  ADMIN@agency.test ", "p": PASSWORD }),
    );
    assert_eq!(d["login"]["expiresIn"], 900);
    assert_eq!(d["login"]["user"]["role"], "ADMIN");
    let token = d["login"]["accessToken"].as_str().unwrap();
    let me = app.ok(Some(token), ME, json!({}));
    assert_eq!(me["me"]["email"], "admin@agency.test");
}

#[test]
fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn();
    let wrong = app.gql(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": "wrong password!" }),
    );
    let unknown = app.gql(
        None,
        LOGIN,
        json!({ "e": "nobody@agency.test", "p": "wrong password!" }),
    );
    assert_eq!(code(&wrong), "UNAUTHENTICATED");
    assert_eq!(code(&unknown), "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert!(wrong["data"].is_null());
}

#[test]
fn five_failures_lock_the_account_until_the_window_has_passed() {
    let app = TestApp::spawn();
    for _ in 0..5 {
        let r = app.gql(
            None,
            LOGIN,
            json!({ "e": "admin@agency.test", "p": "wrong password!" }),
        );
        assert_eq!(code(&r), "UNAUTHENTICATED");
    }
    // Even the right password is refused while locked, in the words of a wrong one (a lock
    // must not tell that the account exists).
    let r = app.gql(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": PASSWORD }),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED", "{r}");
    app.clock.advance(14 * 60);
    let r = app.gql(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": PASSWORD }),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED");
    app.clock.advance(61);
    app.ok(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": PASSWORD }),
    );
}

#[test]
fn failures_spread_beyond_the_window_do_not_lock() {
    let app = TestApp::spawn();
    for _ in 0..4 {
        app.gql(
            None,
            LOGIN,
            json!({ "e": "admin@agency.test", "p": "wrong password!" }),
        );
    }
    app.clock.advance(16 * 60);
    app.gql(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": "wrong password!" }),
    );
    app.ok(
        None,
        LOGIN,
        json!({ "e": "admin@agency.test", "p": PASSWORD }),
    );
}

#[test]
fn a_refresh_token_rotates_and_works_once() {
    let app = TestApp::spawn();
    let first = app.login("admin@agency.test", PASSWORD);
    let d = app.ok(None, REFRESH, json!({ "t": first.refresh }));
    let second_refresh = d["refresh"]["refreshToken"].as_str().unwrap().to_string();
    let new_access = d["refresh"]["accessToken"].as_str().unwrap();
    assert_ne!(second_refresh, first.refresh);
    app.ok(Some(new_access), ME, json!({}));
    // The rotated token is refused, and its reuse revokes the whole family.
    let r = app.gql(None, REFRESH, json!({ "t": first.refresh }));
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let r = app.gql(None, REFRESH, json!({ "t": second_refresh }));
    assert_eq!(code(&r), "UNAUTHENTICATED");
}

#[test]
fn a_revoked_refresh_token_is_refused() {
    let app = TestApp::spawn();
    let s = app.login("admin@agency.test", PASSWORD);
    app.ok(
        None,
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": s.refresh }),
    );
    let r = app.gql(None, REFRESH, json!({ "t": s.refresh }));
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let r = app.gql(None, REFRESH, json!({ "t": "made-up-token" }));
    assert_eq!(code(&r), "UNAUTHENTICATED");
}

#[test]
fn an_expired_refresh_token_is_refused() {
    let app = TestApp::spawn();
    let s = app.login("admin@agency.test", PASSWORD);
    app.clock.advance(31 * 24 * 3600);
    let r = app.gql(None, REFRESH, json!({ "t": s.refresh }));
    assert_eq!(code(&r), "UNAUTHENTICATED");
}

#[test]
fn an_access_token_expires_after_fifteen_minutes() {
    let app = TestApp::spawn();
    let s = app.login("admin@agency.test", PASSWORD);
    app.clock.advance(14 * 60);
    app.ok(Some(&s.token), ME, json!({}));
    app.clock.advance(61);
    let r = app.gql(Some(&s.token), ME, json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED");
}

fn b64(v: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[test]
fn forged_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn();
    let s = app.login("admin@agency.test", PASSWORD);
    let parts: Vec<&str> = s.token.split('.').collect();
    let exp = chrono::Utc::now().timestamp() + 600;
    let claims =
        json!({ "sub": "1", "role": "admin", "org": null, "iat": 0, "exp": exp, "typ": "access" });
    // alg: none with an empty signature.
    let none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&claims)
    );
    // A real header and signature over changed claims.
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(&json!({ "sub": "1", "role": "admin", "exp": exp + 999, "iat": 0, "typ": "access" })),
        parts[2]
    );
    // Signed with another secret.
    let other = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"not the server secret at all......"),
    )
    .unwrap();
    for bad in [
        none.as_str(),
        tampered.as_str(),
        other.as_str(),
        "garbage",
        "",
    ] {
        let r = app.gql(Some(bad), ME, json!({}));
        assert_eq!(code(&r), "UNAUTHENTICATED", "token {bad:?}: {r}");
    }
    // A request without a token is unauthenticated too.
    assert_eq!(code(&app.gql(None, ME, json!({}))), "UNAUTHENTICATED");
}

#[test]
fn the_rest_login_endpoint_gives_the_same_tokens() {
    let app = TestApp::spawn();
    let (status, body) = app.http(
        "POST",
        "/api/auth/login",
        Some((
            "application/json",
            &json!({ "email": "admin@agency.test", "password": PASSWORD }).to_string(),
        )),
    );
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    app.ok(v["accessToken"].as_str(), ME, json!({}));
    let (status, body) = app.http(
        "POST",
        "/api/auth/login",
        Some((
            "application/json",
            &json!({ "email": "admin@agency.test", "password": "nope nope nope" }).to_string(),
        )),
    );
    assert_eq!(status, 401);
    assert!(body.contains("\"code\":\"UNAUTHENTICATED\""), "{body}");
    let (status, body) = app.http(
        "POST",
        "/api/auth/login",
        Some(("application/json", "{not json")),
    );
    assert_eq!(status, 400);
    assert!(body.contains("\"code\":\"VALIDATION\""), "{body}");
}
