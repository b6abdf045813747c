//! Passwords their holders own: the forgotten-password link (mailed through a real SMTP
//! server, single-use, expiring, throttled, logged), the provisional password that opens
//! nothing but its change, and the change of one's own password; over GraphQL and in the
//! portal.

use serde_json::{json, Value};
use std::time::Duration;

use crate::helpers::*;
use crate::portal::{csrf_field, Browser};
use crate::smtp_sink::{text_body, SmtpSink};

const NEW: &str = "un tout nouveau mot de passe";
const REQUEST: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
const RESET: &str =
    "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { email mustChangePassword } }";
const LOG: &str = "query($kind: SecurityEventKind) { securityLog(kind: $kind) { edges { node { kind userId email detail } } } }";

fn with_mail() -> (SmtpSink, TestApp) {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(url));
    (sink, app)
}

/// The link's token of a received e-mail, and the link.
fn link_of(data: &str) -> (String, String) {
    let body = text_body(data);
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/portal/password/reset?token="))
        .unwrap_or_else(|| panic!("no link in {body}"))
        .to_string();
    let token = link.split("token=").nth(1).unwrap().to_string();
    (token, link)
}

fn log(app: &TestApp, kind: &str) -> Vec<Value> {
    // A fresh token: the tests move the clock past the admin's.
    let admin = token(app, "admin@agency.test");
    let d = app.ok(Some(&admin), LOG, json!({ "kind": kind }));
    d["securityLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[test]
fn a_forgotten_password_link_is_mailed_works_once_expires_and_ends_every_sign_in() {
    let (sink, app) = with_mail();
    let agent = app.user("AGENT", "agent@agency.test", None);

    // The same answer for an account and for no account; only the account gets a mail.
    for email in ["agent@agency.test", "nobody@agency.test"] {
        let d = app.ok(None, REQUEST, json!({ "e": email }));
        assert_eq!(d["requestPasswordReset"], true);
    }
    let mails = sink.wait_for(1, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        sink.messages().len(),
        1,
        "nothing is sent to an unknown address"
    );
    assert_eq!(mails[0].to, ["agent@agency.test"]);
    let (token, link) = link_of(&mails[0].data);
    assert!(link.starts_with(&app.base), "{link} points at this server");
    assert!(token.len() >= 43, "at least 256 random bits: {token}");

    // A weak password is refused and the link still works; then it works once.
    let r = app.gql(None, RESET, json!({ "t": token, "p": "court" }));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "newPassword"));
    let d = app.ok(None, RESET, json!({ "t": token, "p": NEW }));
    assert_eq!(d["resetPassword"], true);
    let r = app.gql(
        None,
        RESET,
        json!({ "t": token, "p": "encore un autre mot" }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "token"), "used once");

    // Every sign-in of the account has ended; the old password no longer works.
    let r = app.gql(Some(&agent.token), "{ me { email } }", json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let r = app.gql(
        None,
        "mutation($r: String!) { refresh(refreshToken: $r) { accessToken } }",
        json!({ "r": agent.refresh }),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let r = app.gql(
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        json!({ "e": "agent@agency.test", "p": PASSWORD }),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED");
    app.login("agent@agency.test", NEW);

    // A link expires after an hour.
    app.ok(None, REQUEST, json!({ "e": "agent@agency.test" }));
    let mails = sink.wait_for(2, Duration::from_secs(10));
    let (late, _) = link_of(&mails[1].data);
    app.clock.advance(61 * 60);
    let r = app.gql(
        None,
        RESET,
        json!({ "t": late, "p": "trop tard pour celui-ci" }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "token"), "expired");

    // Three links an hour per account: the fourth asks sends nothing, and says nothing.
    for _ in 0..4 {
        let d = app.ok(None, REQUEST, json!({ "e": "agent@agency.test" }));
        assert_eq!(d["requestPasswordReset"], true);
    }
    sink.wait_for(5, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 5, "2 earlier + 3 within the hour");

    // Logged: each request (sent or not, with why) and the reset.
    let requested = log(&app, "PASSWORD_RESET_REQUESTED");
    assert_eq!(requested.len(), 7, "{requested:?}");
    let details: Vec<&str> = requested
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        details
            .iter()
            .filter(|d| d.starts_with("link sent"))
            .count(),
        5
    );
    assert!(details.contains(&"unknown or disabled account: nothing sent"));
    assert!(details.contains(&"3 links already sent within the hour: nothing sent"));
    let reset = log(&app, "PASSWORD_RESET");
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0]["userId"], json!(agent.id));
}

#[test]
fn a_provisional_password_opens_nothing_but_its_change() {
    let app = TestApp::spawn();
    let d = app.ok(
        Some(&app.admin_token),
        "mutation($i: UserInput!) { createUser(input: $i) { user { id mustChangePassword } generatedPassword } }",
        json!({ "i": { "email": "new@agency.test", "displayName": "Nouvel agent", "role": "AGENT" } }),
    );
    assert_eq!(d["createUser"]["user"]["mustChangePassword"], true);
    let id = d["createUser"]["user"]["id"].as_str().unwrap().to_string();
    let generated = d["createUser"]["generatedPassword"]
        .as_str()
        .unwrap()
        .to_string();
    let d = app.ok(
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken mustChangePassword } }",
        json!({ "e": "new@agency.test", "p": generated }),
    );
    assert_eq!(d["login"]["mustChangePassword"], true);
    let t = d["login"]["accessToken"].as_str().unwrap().to_string();
    for q in ["{ me { email } }", "{ cases(first: 5) { totalCount } }"] {
        let r = app.gql(Some(&t), q, json!({}));
        assert_eq!(code(&r), "PASSWORD_CHANGE_REQUIRED", "{q}");
    }
    let (status, body) = {
        let r = ureq::get(&format!("{}/api/evidence/1", app.base))
            .set("Authorization", &format!("Bearer {t}"))
            .call();
        match r {
            Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("PASSWORD_CHANGE_REQUIRED"), "{body}");

    let r = app.gql(
        Some(&t),
        CHANGE,
        json!({ "c": "pas le bon mot de passe", "n": NEW }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "currentPassword"));
    let r = app.gql(Some(&t), CHANGE, json!({ "c": generated, "n": generated }));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "newPassword"));
    let d = app.ok(Some(&t), CHANGE, json!({ "c": generated, "n": NEW }));
    assert_eq!(d["changePassword"]["mustChangePassword"], false);
    // The sign-in that changed it is kept.
    let d = app.ok(Some(&t), "{ me { email mustChangePassword } }", json!({}));
    assert_eq!(d["me"]["mustChangePassword"], false);

    // An admin gives a provisional password again: the sign-ins end.
    let q = "mutation($u: ID!) { setProvisionalPassword(userId: $u) { user { mustChangePassword } generatedPassword } }";
    let agent = app.user("AGENT", "agent@agency.test", None);
    let r = app.gql(Some(&agent.token), q, json!({ "u": id }));
    assert_eq!(code(&r), "FORBIDDEN");
    let admin_id = app.ok(Some(&app.admin_token), "{ me { id } }", json!({}))["me"]["id"].clone();
    let r = app.gql(Some(&app.admin_token), q, json!({ "u": admin_id }));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "userId"));
    let d = app.ok(Some(&app.admin_token), q, json!({ "u": id }));
    assert_eq!(
        d["setProvisionalPassword"]["user"]["mustChangePassword"],
        true
    );
    let again = d["setProvisionalPassword"]["generatedPassword"]
        .as_str()
        .unwrap();
    let r = app.gql(Some(&t), "{ me { email } }", json!({}));
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let d = app.ok(
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { mustChangePassword } }",
        json!({ "e": "new@agency.test", "p": again }),
    );
    assert_eq!(d["login"]["mustChangePassword"], true);

    let kinds: Vec<Vec<Value>> = ["PASSWORD_CHANGED", "PROVISIONAL_PASSWORD_SET"]
        .iter()
        .map(|k| log(&app, k))
        .collect();
    assert_eq!(kinds[0].len(), 1);
    assert_eq!(kinds[1].len(), 1);
    assert_eq!(kinds[1][0]["userId"], json!(id));
}

#[test]
fn the_portal_mails_a_link_sends_a_provisional_password_to_its_page_and_admins_give_one() {
    let (sink, app) = with_mail();
    let agent = app.user("AGENT", "agent@agency.test", None);

    // The forgotten-password page, then the link's page.
    let mut b = Browser::new(&app);
    let login = b.get("/portal/login");
    assert!(login.body.contains("href=\"/portal/password/forgot\""));
    let csrf = csrf_field(&b.get("/portal/password/forgot").body);
    let p = b.post(
        "/portal/password/forgot",
        &[("csrf", &csrf), ("email", "agent@agency.test")],
    );
    assert_eq!(p.status, 303);
    assert_eq!(
        p.location.as_deref(),
        Some("/portal/password/forgot?sent=1")
    );
    let sent = b.get("/portal/password/forgot?sent=1");
    assert!(
        sent.body.contains("Si un compte existe pour cette adresse"),
        "{}",
        sent.body
    );
    let mails = sink.wait_for(1, Duration::from_secs(10));
    let (token, _) = link_of(&mails[0].data);
    let form = b.get(&format!("/portal/password/reset?token={token}"));
    assert_eq!(form.status, 200);
    let csrf = csrf_field(&form.body);
    let p = b.post(
        "/portal/password/reset",
        &[
            ("csrf", &csrf),
            ("token", &token),
            ("newPassword", NEW),
            ("confirm", "autre chose encore"),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("Les deux saisies du nouveau mot de passe diffèrent."));
    let p = b.post(
        "/portal/password/reset",
        &[
            ("csrf", &csrf),
            ("token", &token),
            ("newPassword", NEW),
            ("confirm", NEW),
        ],
    );
    assert_eq!(p.location.as_deref(), Some("/portal/login?reset=1"));
    assert!(b
        .get("/portal/login?reset=1")
        .body
        .contains("Votre mot de passe est changé"));
    let dead = b.get(&format!("/portal/password/reset?token={token}"));
    assert_eq!(dead.status, 410);
    assert!(dead.body.contains("Ce lien ne fonctionne plus"));
    app.login("agent@agency.test", NEW);

    // An admin gives the agent a provisional password from the users page.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@agency.test", "/portal");
    let csrf = csrf_field(&admin.get("/portal/admin/users").body);
    let p = admin.post(
        &format!("/portal/admin/users/{}/password", agent.id),
        &[("csrf", &csrf), ("how", "provisional")],
    );
    assert_eq!(p.status, 200, "{}", p.body);
    let at = p
        .body
        .find("class=\"secret\">")
        .expect("the password shown once")
        + 15;
    let provisional = p.body[at..].split('<').next().unwrap().to_string();
    assert!(provisional.len() >= 12);
    let p = admin.post(
        &format!("/portal/admin/users/{}/password", agent.id),
        &[("csrf", &csrf), ("how", "link")],
    );
    assert!(p
        .body
        .contains("Un lien pour choisir un nouveau mot de passe est envoyé"));
    sink.wait_for(2, Duration::from_secs(10));

    // Signed in with it, every page leads to the password page until it is changed.
    let mut a = Browser::new(&app);
    let csrf = a.form_token();
    let p = a.post(
        "/portal/login",
        &[
            ("csrf", &csrf),
            ("email", "agent@agency.test"),
            ("password", &provisional),
            ("next", "/portal/queue"),
        ],
    );
    assert_eq!(p.location.as_deref(), Some("/portal/password"));
    let q = a.get("/portal/queue");
    assert_eq!(
        (q.status, q.location.as_deref()),
        (303, Some("/portal/password"))
    );
    let page = a.get("/portal/password");
    assert!(
        page.body.contains("Votre mot de passe est provisoire"),
        "{}",
        page.body
    );
    let csrf = csrf_field(&page.body);
    let p = a.post(
        "/portal/password",
        &[
            ("csrf", &csrf),
            ("currentPassword", "pas celui-là du tout"),
            ("newPassword", NEW),
            ("confirm", NEW),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("Le mot de passe actuel est erroné."),
        "{}",
        p.body
    );
    let p = a.post(
        "/portal/password",
        &[
            ("csrf", &csrf),
            ("currentPassword", &provisional),
            ("newPassword", NEW),
            ("confirm", NEW),
        ],
    );
    assert_eq!(p.location.as_deref(), Some("/portal/password?changed=1"));
    assert!(a
        .get("/portal/password?changed=1")
        .body
        .contains("Mot de passe changé."));
    assert_eq!(a.get("/portal/queue").status, 200);
}
