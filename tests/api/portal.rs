//! The portal over HTTP, as a browser without JavaScript uses it: sign-in with a CSRF token,
//! the session in HttpOnly SameSite=Strict cookies renewed when the access token expires,
//! pages refused to signed-out users, a foreign case answered like a missing one, the
//! creditor's dashboard (also over GraphQL) with exact figures.

use serde_json::json;
use std::collections::HashMap;

use crate::helpers::*;

/// A browser: its cookies, redirects not followed (also used by the import's tests).
pub(crate) struct Browser<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) agent: ureq::Agent,
    pub(crate) cookies: HashMap<String, String>,
}

pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) set_cookies: Vec<String>,
    pub(crate) body: String,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            cookies: HashMap::new(),
        }
    }

    fn send(&mut self, req: ureq::Request, form: Option<&[(&str, &str)]>) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let req = if cookie.is_empty() {
            req
        } else {
            req.set("Cookie", &cookie)
        };
        let resp = match form {
            Some(f) => req.send_form(f),
            None => req.call(),
        };
        let r = match resp {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        let set_cookies: Vec<String> = r.all("set-cookie").iter().map(|s| s.to_string()).collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page {
            status: r.status(),
            location: r.header("location").map(str::to_string),
            set_cookies,
            body: r.into_string().unwrap_or_default(),
        }
    }

    pub(crate) fn get(&mut self, path: &str) -> Page {
        let req = self.agent.get(&format!("{}{path}", self.app.base));
        self.send(req, None)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let req = self.agent.post(&format!("{}{path}", self.app.base));
        self.send(req, Some(form))
    }

    /// The CSRF token of the sign-in form.
    fn csrf(&mut self) -> String {
        let page = self.get("/portal/login");
        let at = page
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a CSRF field")
            + 19;
        page.body[at..at + 32].to_string()
    }

    pub(crate) fn sign_in(&mut self, email: &str, next: &str) -> Page {
        let csrf = self.csrf();
        self.post(
            "/portal/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", PASSWORD),
                ("next", next),
            ],
        )
    }
}

#[test]
fn no_page_is_served_signed_out_and_sign_in_leads_back_to_the_page_wanted() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let mut b = Browser::new(&app);
    for path in [
        "/portal",
        "/portal/cases",
        &format!("/portal/cases/{id}"),
        "/portal/dashboard",
    ] {
        let p = b.get(path);
        assert_eq!(p.status, 303, "{path}");
        let loc = p.location.unwrap();
        assert!(loc.starts_with("/portal/login?next="), "{loc}");
        assert!(!p.body.contains("ACME"), "{path}");
    }
    let p = b.get(&format!("/portal/cases/{id}"));
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/portal/login?next=%2Fportal%2Fcases%2F{id}").as_str())
    );

    let p = b.sign_in("compta@acme.test", &format!("/portal/cases/{id}"));
    assert_eq!(p.status, 303);
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/portal/cases/{id}").as_str())
    );
    for name in ["rv_access", "rv_refresh"] {
        let c = p
            .set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} set"));
        assert!(c.contains("HttpOnly"), "{c}");
        assert!(c.contains("SameSite=Strict"), "{c}");
    }
    let page = b.get(&format!("/portal/cases/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Boulangerie Martin"));
    assert!(page.body.contains("F-2026-001"));
    assert!(page.body.contains("À examiner"), "the state in French");
    assert!(
        page.body.contains("Dossier ouvert"),
        "the timeline in French"
    );
    // An open redirect is not followed.
    let p = b.sign_in("compta@acme.test", "https://evil.example/");
    assert_eq!(p.location.as_deref(), Some("/portal"));
    // Signing out ends the session.
    let csrf = b.cookies["rv_csrf"].clone();
    let p = b.post("/portal/logout", &[("csrf", &csrf)]);
    assert_eq!(p.location.as_deref(), Some("/portal/login"));
    assert_eq!(b.get("/portal/cases").status, 303);
}

#[test]
fn a_refused_sign_in_keeps_the_email_and_says_why_next_to_the_field() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    let csrf = b.csrf();
    let p = b.post(
        "/portal/login",
        &[
            ("csrf", &csrf),
            ("email", "compta@acme.test"),
            ("password", "wrong"),
        ],
    );
    assert_eq!(p.status, 401);
    assert!(p.body.contains("value=\"compta@acme.test\""), "email kept");
    assert!(p.body.contains("id=\"password-error\""));
    assert!(p.body.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(!p.set_cookies.iter().any(|c| c.starts_with("rv_access=")));

    let p = b.post(
        "/portal/login",
        &[("csrf", &csrf), ("email", ""), ("password", "")],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Saisissez votre adresse e-mail."));
    assert!(p.body.contains("Saisissez votre mot de passe."));
}

#[test]
fn a_form_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    b.csrf();
    let p = b.post(
        "/portal/login",
        &[("email", "compta@acme.test"), ("password", PASSWORD)],
    );
    assert_eq!(p.status, 403);
    assert!(!p.set_cookies.iter().any(|c| c.starts_with("rv_access=")));
    let p = b.post(
        "/portal/login",
        &[
            ("csrf", "0123456789abcdef0123456789abcdef"),
            ("email", "compta@acme.test"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(p.status, 403, "a token that is not the browser's");
    // Signed in, a sign-out without the token leaves the session alone.
    b.sign_in("compta@acme.test", "/portal/cases");
    let p = b.post("/portal/logout", &[("csrf", "")]);
    assert_eq!(p.status, 403);
    assert_eq!(b.get("/portal/cases").status, 200);
}

#[test]
fn an_expired_session_is_renewed_with_the_refresh_cookie() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases");
    let before = b.cookies["rv_access"].clone();
    app.clock.advance(20 * 60);
    let p = b.get("/portal/cases");
    assert_eq!(p.status, 200);
    assert_ne!(b.cookies["rv_access"], before, "a new access token");
    // A refresh token is used once: replaying the old one signs out.
    let mut thief = Browser::new(&app);
    thief.cookies = b.cookies.clone();
    thief.cookies.remove("rv_access");
    app.clock.advance(20 * 60);
    assert_eq!(thief.get("/portal/cases").status, 200);
    b.cookies.remove("rv_access");
    assert_eq!(
        b.get("/portal/cases").status,
        303,
        "the reused token is refused"
    );
}

#[test]
fn another_creditors_case_is_the_same_page_as_a_missing_one() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.creditor("Autre SA", "552100554", "other@autre.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let mut b = Browser::new(&app);
    b.sign_in("other@autre.test", "/portal/cases");
    let foreign = b.get(&format!("/portal/cases/{id}"));
    let missing = b.get("/portal/cases/987654");
    assert_eq!(foreign.status, 404);
    assert_eq!(foreign.body, missing.body);
    assert!(!foreign.body.contains("Boulangerie"));
    let list = b.get("/portal/cases");
    assert!(list.body.contains("0 dossier"), "no foreign case listed");
}

#[test]
fn the_creditor_dashboard_shows_exact_figures_here_and_over_graphql() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    // 1200.00 + 850.50 − 100.00 placed; 250.00 recovered.
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { id } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent.token),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2026-03-02", "amount": "250.00", "method": "TRANSFER" } }),
    );
    let d = app.ok(
        Some(&token(&app, "compta@acme.test")),
        "{ dashboard(from: \"2026-01-01\", to: \"2026-03-31\") { casesOpened placed recovered recoveryRate
            casesByState { state count } ageing { label amount } averageDaysToRecover } }",
        json!({}),
    )["dashboard"]
        .clone();
    assert_eq!(
        d,
        json!({ "casesOpened": 1, "placed": "1950.50", "recovered": "250.00", "recoveryRate": "12.8",
                "casesByState": [{ "state": "AMICABLE", "count": 1 }],
                // On 31 March: F-2026-001 (due 9 Feb, 50 days late) has 1200 − 250 = 950.00
                // unpaid; F-2026-002 (due 12 March, 19 days) 750.50.
                "ageing": [{ "label": "0–30 j", "amount": "750.50" }, { "label": "31–60 j", "amount": "950.00" },
                           { "label": "61–90 j", "amount": "0.00" }, { "label": "90+ j", "amount": "0.00" }],
                "averageDaysToRecover": null })
    );
    let r = app.gql(
        Some(&token(&app, "agent@agency.test")),
        "{ dashboard(from: \"2026-01-01\", to: \"2026-03-31\") { placed } }",
        json!({}),
    );
    assert_eq!(code(&r), "VALIDATION");

    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal");
    let p = b.get("/portal");
    assert_eq!(p.location.as_deref(), Some("/portal/dashboard"));
    let p = b.get("/portal/dashboard?from=2026-01-01&to=2026-03-31");
    assert_eq!(p.status, 200);
    let text = p.body.replace('\u{a0}', " ");
    for needle in [
        "1 950,50 €",
        "250,00 €",
        "12,8 %",
        "<svg",
        "950,00 €",
        "750,50 €",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    let p = b.get("/portal/dashboard?from=2026-04-01&to=2026-03-01");
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("La date de début est après la date de fin."));
    assert!(
        p.body.contains("value=\"2026-04-01\""),
        "the dates typed are kept"
    );
}
