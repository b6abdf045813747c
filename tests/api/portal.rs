//! The portal over HTTP, as a browser without JavaScript uses it: sign-in with a CSRF token,
//! the session in HttpOnly SameSite=Strict cookies renewed when the access token expires,
//! pages refused to signed-out users, a foreign case answered like a missing one, the
//! creditor's dashboard (also over GraphQL) with exact figures.

use serde_json::json;
use std::collections::HashMap;

use crate::helpers::*;

/// The value of a page's first `csrf` field.
pub(crate) fn csrf_field(body: &str) -> String {
    let at = body.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    let len = body[at..].find('"').expect("the field's end");
    body[at..at + len].to_string()
}

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

    pub(crate) fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let req = self.agent.post(&format!("{}{path}", self.app.base));
        self.send(req, Some(form))
    }

    /// The CSRF token of the sign-in form.
    fn csrf(&mut self) -> String {
        self.form_token()
    }

    /// The CSRF token of this browser's forms (bound to its session once signed in), as a
    /// page's form carries it.
    pub(crate) fn form_token(&mut self) -> String {
        csrf_field(&self.get("/portal/login").body)
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
    let csrf = b.form_token();
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

#[test]
fn an_agent_works_a_case_from_its_page_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.user("AGENT", "agent@agency.test", None);
    app.user("LAWYER", "avocat@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    let mut b = Browser::new(&app);
    b.sign_in("agent@agency.test", &format!("/portal/cases/{id}"));
    // The agent's queue shows the case waiting for intake.
    let reference = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { reference } }",
        json!({ "id": id }),
    )["case"]["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let queue = b.get("/portal/queue");
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains(&reference), "{}", queue.body);
    assert!(queue.body.contains("Examiner le dossier"));
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Accepter le dossier"));
    assert!(
        !page.body.contains("Enregistrer un paiement"),
        "not before acceptance"
    );
    let csrf = b.form_token();
    let version = |body: &str| {
        let at = body.find("name=\"version\" value=\"").unwrap() + 22;
        body[at..].split('"').next().unwrap().to_string()
    };
    let v = version(&page.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/accept"),
        &[("csrf", &csrf), ("version", &v)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(page.body.contains("Dossier accepté."), "{}", page.body);
    assert!(page.body.contains("Recouvrement amiable"));

    // A bad amount: the page again, the message by the payment form, the amount kept.
    let v = version(&page.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/record_payment"),
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("received_on", "2026-03-02"),
            ("amount", "12,3x"),
            ("method", "cheque"),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("id=\"record_payment-error\""),
        "message by the form"
    );
    assert!(p.body.contains("value=\"12,3x\""), "amount kept");
    assert!(
        p.body.contains("<option value=\"cheque\" selected>"),
        "method kept"
    );
    // A stale version is a clear conflict, not a lost change.
    let p = b.post(
        &format!("/portal/cases/{id}/actions/record_payment"),
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("received_on", "2026-03-02"),
            ("amount", "10,00"),
            ("method", "cheque"),
        ],
    );
    assert_eq!(p.status, 409);
    assert!(
        p.body
            .contains("a été modifié par quelqu&#x27;un d&#x27;autre entre-temps"),
        "{}",
        p.body
    );
    let p = b.post(
        &format!("/portal/cases/{id}/actions/record_payment"),
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("received_on", "2026-03-02"),
            ("amount", "1 200,00"),
            ("method", "transfer"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let paid = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { payments { amount method } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        paid["case"]["payments"],
        json!([{ "amount": "1200.00", "method": "TRANSFER" }])
    );
    // Without the CSRF token nothing happens.
    let p = b.post(
        &format!("/portal/cases/{id}/actions/reject"),
        &[("version", &v), ("reason", "x")],
    );
    assert_eq!(p.status, 403);

    // Referred to the lawyer, who sees the eligibility report and confirms the court.
    let page = b.get(&format!("/portal/cases/{id}"));
    let v = version(&page.body);
    let lawyer_id = app.ok(
        Some(&app.admin_token),
        "{ users(role: LAWYER) { edges { node { id } } } }",
        json!({}),
    )["users"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let p = b.post(
        &format!("/portal/cases/{id}/actions/refer"),
        &[("csrf", &csrf), ("version", &v), ("lawyer", &lawyer_id)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let mut lawyer = Browser::new(&app);
    lawyer.sign_in("avocat@agency.test", &format!("/portal/cases/{id}"));
    let page = lawyer.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Recevabilité de l'injonction de payer"));
    assert!(
        page.body.contains("Mise en demeure envoyée"),
        "{}",
        page.body
    );
    // A SARL seated in Lyon: the experimental economic-activities court of Lyon.
    assert!(
        page.body
            .contains("value=\"Tribunal des activités économiques de Lyon\""),
        "court proposed"
    );
    // No dossier link until the court is confirmed: the page says what is missing.
    assert!(!page.body.contains(&format!("/api/cases/{id}/dossier.pdf")));
    assert!(
        page.body
            .contains("pas encore productible : confirmez d&#x27;abord la juridiction compétente"),
        "{}",
        page.body
    );
    let csrf = lawyer.form_token();
    let p = lawyer.post(
        &format!("/portal/cases/{id}/actions/confirm_court"),
        &[
            ("csrf", &csrf),
            ("kind", "economic_activities_court"),
            ("name", "Tribunal des activités économiques de Lyon"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    // The dossier link works with the portal's session (INELIGIBLE here: no formal notice, which
    // this agency requires before any requête).
    app.exec("UPDATE agency_settings SET require_formal_notice = TRUE");
    let p = lawyer.get(&format!("/api/cases/{id}/dossier.pdf"));
    assert_eq!(p.status, 409);
    assert!(p.body.contains("formal_notice_sent"), "{}", p.body);

    // Before any title, an attachment by way of enforcement is refused in French by its
    // form, what was typed kept; a saisie conservatoire is recorded and listed (C. civ. 2244).
    let page = lawyer.get(&format!("/portal/cases/{id}"));
    assert!(
        page.body
            .contains("Mesure conservatoire ou d&#x27;exécution"),
        "{}",
        page.body
    );
    let v = version(&page.body);
    let p = lawyer.post(
        &format!("/portal/cases/{id}/actions/record_measure"),
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("kind", "saisie_attribution"),
            ("date", "2026-03-02"),
            ("officer", "SCP Roux"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"record_measure-error\""), "{}", p.body);
    assert!(p.body.contains("CPCE L111-2"), "{}", p.body);
    assert!(
        p.body
            .contains("<option value=\"saisie_attribution\" selected>"),
        "kind kept"
    );
    let p = lawyer.post(
        &format!("/portal/cases/{id}/actions/record_measure"),
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("kind", "saisie_conservatoire"),
            ("date", "2026-03-02"),
            ("officer", "SCP Roux"),
            ("reference", "SC-1"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = lawyer.get(p.location.as_deref().unwrap());
    assert!(
        page.body
            .contains("Saisie conservatoire, par SCP Roux (réf. SC-1)"),
        "{}",
        page.body
    );
}

/// A multipart body of text fields and files (name, file name, bytes).
pub(crate) fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    const B: &str = "portal-test-boundary-91a7";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{B}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={B}"), body)
}

impl Browser<'_> {
    pub(crate) fn post_multipart(&mut self, path: &str, content_type: &str, body: &[u8]) -> Page {
        let req = self
            .agent
            .post(&format!("{}{path}", self.app.base))
            .set("Content-Type", content_type);
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = match req.set("Cookie", &cookie).send_bytes(body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        Page {
            status: r.status(),
            location: r.header("location").map(str::to_string),
            set_cookies: Vec::new(),
            body: r.into_string().unwrap_or_default(),
        }
    }
}

#[test]
fn a_creditor_opens_a_case_with_its_evidence_in_one_form() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases/new");
    let page = b.get("/portal/cases/new");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Confier une créance"));
    let csrf = b.form_token();
    let debtor = [
        ("debtor.kind", "company"),
        ("debtor.name", "Boulangerie Martin"),
        ("debtor.legalForm", "SARL"),
        ("debtor.siren", "362 275 869"),
        ("debtor.address.line1", "12 rue de la République"),
        ("debtor.address.postalCode", "69002"),
        ("debtor.address.city", "Lyon"),
    ];
    let count = |app: &TestApp| {
        app.ok(
            Some(&app.admin_token),
            "{ cases { totalCount } }",
            json!({}),
        )["cases"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let pdf = crate::evidence::pdf("bon de commande");

    // A bad amount on the second row: nothing created, the message by that row's field.
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(debtor);
    fields.extend([
        ("invoices[1].number", "F-9"),
        ("invoices[1].issueDate", "2026-01-10"),
        ("invoices[1].dueDate", "2026-02-09"),
        ("invoices[1].amount", "12x"),
    ]);
    let (ct, body) = multipart(&fields, &[("file1", "bc.pdf", &pdf)]);
    let p = b.post_multipart("/portal/cases/new", &ct, &body);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body.contains("id=\"invoices[1].amount-error\""),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"12x\""), "typed amount kept");
    // In French, as every message the portal shows (the API's own text is English).
    assert!(
        p.body
            .contains("« 12x » n&#x27;est pas un montant (par exemple 1 234,56)"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("value=\"Boulangerie Martin\""),
        "debtor kept"
    );
    assert_eq!(count(&app), 0);

    // A program disguised as a PDF: refused by its bytes, nothing created.
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(debtor);
    fields.extend([
        ("invoices[0].number", "F-9"),
        ("invoices[0].issueDate", "2026-01-10"),
        ("invoices[0].dueDate", "2026-02-09"),
        ("invoices[0].amount", "1 234,56"),
    ]);
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let (ct, body) = multipart(&fields, &[("file1", "facture.pdf", exe)]);
    let p = b.post_multipart("/portal/cases/new", &ct, &body);
    assert_eq!(p.status, 415, "{}", p.body);
    assert!(p.body.contains("aria-invalid") || p.body.contains("field-error"));
    assert_eq!(count(&app), 0);

    // Without the CSRF token: refused.
    let (ct, body) = multipart(&fields[1..], &[("file1", "bc.pdf", &pdf)]);
    assert_eq!(
        b.post_multipart("/portal/cases/new", &ct, &body).status,
        403
    );
    assert_eq!(count(&app), 0);

    // All good: the case with its invoice (a French amount) and its piece.
    let fields: Vec<(&str, &str)> = fields
        .into_iter()
        .chain([("file1.kind", "purchase_order")])
        .collect();
    let (ct, body) = multipart(&fields, &[("file1", "bc.pdf", &pdf)]);
    let p = b.post_multipart("/portal/cases/new", &ct, &body);
    assert_eq!(p.status, 303, "{}", p.body);
    let loc = p.location.unwrap();
    assert!(loc.ends_with("?fait=open"), "{loc}");
    let id = loc
        .trim_start_matches("/portal/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let d = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { state debtor { name siren } invoices { number amount } pieces { kind filename } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        d["case"],
        json!({ "state": "SUBMITTED", "debtor": { "name": "Boulangerie Martin", "siren": "362275869" },
                "invoices": [{ "number": "F-9", "amount": "1234.56" }],
                "pieces": [{ "kind": "PURCHASE_ORDER", "filename": "bc.pdf" }] })
    );
    let page = b.get(&loc);
    assert!(
        page.body.contains("Le dossier a été confié à l"),
        "{}",
        page.body
    );
}

#[test]
fn a_creditor_answers_a_dispute_from_its_case_page() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { id } }",
        json!({ "id": id }),
    );
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", &format!("/portal/cases/{id}"));
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(!page.body.contains("Répondre à la contestation"));
    assert!(
        !page.body.contains("Se prononcer sur l"),
        "no plan waits for a decision"
    );
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { raiseDispute(caseId: $id, reason: QUALITY, details: \"Livraison abîmée\") { dispute { id } } }",
        json!({ "id": id }),
    );
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Répondre à la contestation"));
    let csrf = b.form_token();
    let p = b.post(
        &format!("/portal/cases/{id}/actions/answer_dispute"),
        &[("csrf", &csrf), ("answer", "")],
    );
    assert_eq!(p.status, 422, "an empty answer is refused");
    let p = b.post(
        &format!("/portal/cases/{id}/actions/answer_dispute"),
        &[
            ("csrf", &csrf),
            ("answer", "Bon de livraison signé sans réserve."),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let d = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { disputes { creditorAnswer } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        d["case"]["disputes"][0]["creditorAnswer"],
        "Bon de livraison signé sans réserve."
    );
}

mod admin;
mod agenda;
mod agenda_feed;
mod card;
mod creditor_money;
mod debtor;
mod queue;
mod remittances;

#[test]
fn a_crafted_sign_in_link_leads_to_the_portal_home_not_to_an_error() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    let form = b.get("/portal/login?next=/portal%0d%0aX:%20y");
    assert_eq!(form.status, 200);
    // (tera escapes the slash)
    assert!(
        form.body.contains("name=\"next\" value=\"&#x2F;portal\">"),
        "{}",
        form.body
    );
    for next in [
        "/portal\r\nX: y",
        "/portal/cases?q=\r\nSet-Cookie: a=b",
        "/portal/../graphql",
    ] {
        let p = b.sign_in("compta@acme.test", next);
        assert_eq!(p.status, 303, "{next:?}: {}", p.body);
        assert_eq!(p.location.as_deref(), Some("/portal"), "{next:?}");
    }
}

#[test]
fn a_csrf_token_of_another_session_is_refused() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut mallory = Browser::new(&app);
    mallory.sign_in("compta@acme.test", "/portal/cases");
    let foreign = mallory.form_token();
    let mut victim = Browser::new(&app);
    victim.sign_in("compta@acme.test", "/portal/cases");
    let own = victim.form_token();
    assert_ne!(foreign, own, "each sign-in has its own token");
    // Another session's token (same account even) does not sign the victim out.
    let p = victim.post("/portal/logout", &[("csrf", &foreign)]);
    assert_eq!(p.status, 403);
    assert!(p.body.contains("Formulaire refusé"));
    assert_eq!(victim.get("/portal/cases").status, 200);
    // Nor does a cookie planted equal to the field (the old double submit).
    victim
        .cookies
        .insert("rv_csrf".into(), "0123456789abcdef0123456789abcdef".into());
    let p = victim.post(
        "/portal/logout",
        &[("csrf", "0123456789abcdef0123456789abcdef")],
    );
    assert_eq!(p.status, 403);
    assert_eq!(victim.get("/portal/cases").status, 200);
    // The session's own token, after a renewal of the access token too, is accepted.
    app.clock.advance(20 * 60);
    assert_eq!(victim.get("/portal/cases").status, 200);
    let p = victim.post("/portal/logout", &[("csrf", &own)]);
    assert_eq!(p.status, 303);
    assert_eq!(victim.get("/portal/cases").status, 303);
}

/// The `Set-Cookie` of `name` when `/portal/login` is fetched with these headers.
fn cookie_set(app: &TestApp, name: &str, headers: &[(&str, &str)]) -> String {
    let mut req = ureq::get(&format!("{}/portal/login", app.base));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let r = req.call().unwrap();
    r.all("set-cookie")
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} set"))
        .to_string()
}

#[test]
fn portal_cookies_are_secure_over_https_and_on_localhost_only() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    // Reached on a loopback address: Secure (browsers keep such cookies on localhost).
    assert!(cookie_set(&app, "rv_csrf", &[]).contains("Secure"));
    let mut b = Browser::new(&app);
    let p = b.sign_in("compta@acme.test", "/portal");
    for name in ["rv_access", "rv_refresh"] {
        let c = p.set_cookies.iter().find(|c| c.starts_with(name)).unwrap();
        assert!(c.contains("Secure"), "{c}");
    }
    // Plain HTTP under another name: not Secure (the browser would drop it); HTTPS as a
    // proxy says: Secure.
    let plain = [("Host", "recouvra.intranet:8080")];
    assert!(!cookie_set(&app, "rv_csrf", &plain).contains("Secure"));
    let proxied = [
        ("Host", "recouvra.example.fr"),
        ("X-Forwarded-Proto", "https"),
    ];
    assert!(cookie_set(&app, "rv_csrf", &proxied).contains("Secure"));

    // RECOUVRA_PUBLIC_URL decides when set.
    let https = TestApp::spawn_with(|c| {
        c.public_url = Some("https://recouvra.example.fr".parse().unwrap());
    });
    assert!(cookie_set(&https, "rv_csrf", &plain).contains("Secure"));
    let http = TestApp::spawn_with(|c| {
        c.public_url = Some("http://recouvra.intranet:8080".parse().unwrap());
    });
    assert!(!cookie_set(&http, "rv_csrf", &[]).contains("Secure"));
}

/// The case page's version field.
fn version_of(body: &str) -> String {
    let at = body.find("name=\"version\" value=\"").unwrap() + 22;
    body[at..].split('"').next().unwrap().to_string()
}

#[test]
fn an_agent_assigns_notes_a_promise_a_dispute_a_plan_a_delivery_and_closes_tasks_from_the_case_page(
) {
    let w = crate::recovery::world_in(TestApp::spawn(), "2026-03-16");
    let (app, id) = (&w.app, w.case_id.clone());
    let second = app.user("AGENT", "agent2@agency.test", None);
    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", &format!("/portal/cases/{id}"));
    let csrf = b.form_token();
    let case = |q: &str| app.ok(Some(&app.admin_token), q, json!({ "id": id }))["case"].clone();
    let post = |b: &mut Browser, form: &str, fields: &[(&str, &str)]| {
        let page = b.get(&format!("/portal/cases/{id}"));
        let v = version_of(&page.body);
        let mut all = vec![("csrf", csrf.as_str()), ("version", v.as_str())];
        all.extend_from_slice(fields);
        b.post(&format!("/portal/cases/{id}/actions/{form}"), &all)
    };

    // Assignment to another agent.
    let p = post(&mut b, "assign", &[("agent", &second.id)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        case("query($id: ID!) { case(id: $id) { assignedAgent { displayName } } }")
            ["assignedAgent"]["displayName"],
        "agent2@agency.test"
    );

    // A dispute raised, then ended: collection resumes.
    let p = post(
        &mut b,
        "raise_dispute",
        &[
            ("reason", "delivery"),
            ("details", "Livraison incomplète selon le débiteur."),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        case("query($id: ID!) { case(id: $id) { state } }")["state"],
        "DISPUTED"
    );
    let p = post(
        &mut b,
        "resolve_dispute",
        &[("decision", "resume"), ("note", "")],
    );
    assert_eq!(
        p.status, 422,
        "the reason of the decision is required: {}",
        p.body
    );
    assert!(
        p.body.contains("id=\"resolve_dispute-error\""),
        "{}",
        p.body
    );
    let p = post(
        &mut b,
        "resolve_dispute",
        &[
            ("decision", "resume"),
            ("note", "Bon de livraison signé produit."),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        case("query($id: ID!) { case(id: $id) { state disputes { reason status } } }"),
        json!({ "state": "AMICABLE", "disputes": [{ "reason": "DELIVERY", "status": "resolved" }] })
    );

    // A plan whose instalments do not add up is refused, what was typed kept; one that adds
    // up to the balance due today is recorded.
    let total = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { statement(caseId: $id, asOf: \"2026-03-16\") { totals { totalDue } } }",
        json!({ "id": id }),
    )["statement"]["totals"]["totalDue"]
        .as_str()
        .unwrap()
        .to_string();
    let (euros, cents) = total.split_once('.').unwrap();
    let rest = euros.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap() - 100_000;
    let rest = format!("{},{:02}", rest / 100, rest % 100);
    let p = post(
        &mut b,
        "propose_plan",
        &[
            ("due_on_0", "2026-04-15"),
            ("amount_0", "1000,00"),
            ("due_on_1", "2026-05-15"),
            ("amount_1", "1,00"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"propose_plan-error\""), "{}", p.body);
    assert!(p.body.contains("value=\"1000,00\""), "amount kept");
    let p = post(
        &mut b,
        "propose_plan",
        &[
            ("due_on_0", "2026-04-15"),
            ("amount_0", "1000,00"),
            ("due_on_1", "2026-05-15"),
            ("amount_1", &rest),
        ],
    );
    assert_eq!(p.status, 303, "{} ({total})", p.body);
    let plans = case(
        "query($id: ID!) { case(id: $id) { paymentPlans { total instalments { dueOn amount } } } }",
    );
    assert_eq!(plans["paymentPlans"][0]["total"], total.as_str());
    assert_eq!(
        plans["paymentPlans"][0]["instalments"][0]["amount"],
        "1000.00"
    );
    // The cockpit's contact history: the dispute with its outcome, the plan and its lines; the
    // debtor's e-mail as a link.
    let page = b.get(&format!("/portal/cases/{id}"));
    let history = page.body.split("id=\"relation-title\"").nth(1).unwrap();
    let history = history
        .split("</section>")
        .next()
        .unwrap()
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'");
    assert!(
        history.contains("Livraison : Livraison incomplète selon le débiteur."),
        "{history}"
    );
    assert!(
        history.contains("Résolue : recouvrement repris — Bon de livraison signé produit."),
        "{history}"
    );
    assert!(
        history.contains("2 échéances pour")
            && history.contains("proposé, en attente de la décision du créancier"),
        "{history}"
    );
    assert!(
        history.contains(
            "<td>15/04/2026</td><td class=\"num\">1\u{a0}000,00\u{a0}€</td>\
             <td class=\"num\">0,00\u{a0}€</td><td>à venir</td>"
        ),
        "{history}"
    );
    assert!(page
        .body
        .contains("href=\"mailto:compta@boulangerie-martin.fr\""));
    // The creditor decides seeing the instalments and what its mandate allows.
    let mut cb = Browser::new(app);
    cb.sign_in("compta@lemaire.test", &format!("/portal/cases/{id}"));
    let cp = cb.get(&format!("/portal/cases/{id}"));
    let form = cp
        .body
        .split("/actions/decide_plan")
        .nth(1)
        .expect("the decision form");
    let form = form.split("</form>").next().unwrap().replace("&#x2F;", "/");
    assert!(
        form.contains("Échéancier proposé le 16/03/2026 : 2 échéances pour"),
        "{form}"
    );
    assert!(form.contains("la dernière le 15/05/2026"), "{form}");
    assert!(
        form.contains("Votre mandat ne fixe pas de limites : chaque échéancier vous est soumis."),
        "{form}"
    );

    // On another case: a promise, then the formal notice's delivery.
    let other = app.open_case(&w.creditor.user.token, case_input(None));
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": other }),
    );
    let post_other = |b: &mut Browser, form: &str, fields: &[(&str, &str)]| {
        let page = b.get(&format!("/portal/cases/{other}"));
        let v = version_of(&page.body);
        let mut all = vec![("csrf", csrf.as_str()), ("version", v.as_str())];
        all.extend_from_slice(fields);
        b.post(&format!("/portal/cases/{other}/actions/{form}"), &all)
    };
    let p = post_other(
        &mut b,
        "record_promise",
        &[("pay_by", "2026-03-30"), ("amount", "500,00")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let promises = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { promises { payBy amount } } }",
        json!({ "id": other }),
    );
    assert_eq!(
        promises["case"]["promises"],
        json!([{ "payBy": "2026-03-30", "amount": "500.00" }])
    );
    let page = b.get(&format!("/portal/cases/{other}"));
    assert!(
        page.body
            .replace("&#x2F;", "/")
            .contains("500,00\u{a0}€ au plus tard le 30/03/2026 (promis le 16/03/2026) — en cours"),
        "{}",
        page.body
    );
    // The playbook waits while the promise runs, and the page says so.
    let next = page
        .body
        .split("class=\"next-step\"")
        .nth(1)
        .expect("the next step");
    let next = next.split("</p>").next().unwrap().replace("&#x27;", "'");
    assert!(next.contains("Prochaine étape du scénario :"), "{next}");
    assert!(
        next.contains("en pause tant que la promesse de paiement court"),
        "{next}"
    );
    for q in [
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-16\", trackingNumber: \"1A00112233445\") { state } }",
    ] {
        app.ok(Some(&app.admin_token), q, json!({ "id": other }));
    }
    let page = b.get(&format!("/portal/cases/{other}"));
    assert!(
        page.body.contains("Date de distribution du recommandé"),
        "{}",
        page.body
    );
    let p = post_other(&mut b, "record_delivery", &[("delivered_on", "2026-03-16")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let delivered = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { timeline { kind } } }",
        json!({ "id": other }),
    );
    assert!(
        delivered["case"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "formal_notice_delivered"),
        "{delivered}"
    );

    // An open task is completed from the page; another case's task is not found here.
    app.exec(&format!(
        "INSERT INTO tasks (case_id, kind, title, due_on, status, created_at) \
         VALUES ({id}, 'call', 'Rappeler le débiteur', '2026-03-16', 'open', '2026-03-16 10:00:00'), \
                ({other}, 'call', 'Rappeler l''autre débiteur', '2026-03-16', 'open', '2026-03-16 10:00:00')"
    ));
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Rappeler le débiteur"), "{}", page.body);
    let tasks = |case_id: &str| {
        app.ok(
            Some(&app.admin_token),
            "query($id: ID!) { case(id: $id) { tasks { id title status } } }",
            json!({ "id": case_id }),
        )["case"]["tasks"]
            .as_array()
            .unwrap()
            .clone()
    };
    let mine = tasks(&id)
        .into_iter()
        .find(|t| t["title"] == "Rappeler le débiteur")
        .unwrap();
    let theirs = tasks(&other)
        .into_iter()
        .find(|t| t["title"] == "Rappeler l'autre débiteur")
        .unwrap();
    let p = b.post(
        &format!("/portal/cases/{id}/actions/complete_task"),
        &[("csrf", &csrf), ("task", theirs["id"].as_str().unwrap())],
    );
    assert_eq!(p.status, 404, "{}", p.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/complete_task"),
        &[("csrf", &csrf), ("task", mine["id"].as_str().unwrap())],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(page.body.contains("Tâche terminée."), "{}", page.body);
    assert!(!page.body.contains("Rappeler le débiteur"), "{}", page.body);
    assert_eq!(
        tasks(&other)
            .iter()
            .filter(|t| t["status"] == "open")
            .count(),
        1
    );

    // A piece the creditor sent is withdrawn by the agent, with the reason.
    let (status, piece) = crate::evidence::upload(
        app,
        &w.creditor.user.token,
        &id,
        &crate::evidence::form(b"Avoir du 2 mars\n", "avoir.txt", "CORRESPONDENCE", "Avoir"),
    );
    assert_eq!(status, 201, "{piece}");
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Retirer la pièce"), "{}", page.body);
    let piece_id = piece["id"].as_str().unwrap().to_string();
    let p = b.post(
        &format!("/portal/cases/{other}/actions/withdraw_piece"),
        &[("csrf", &csrf), ("piece", &piece_id), ("reason", "Doublon")],
    );
    assert_eq!(p.status, 404, "another case's piece: {}", p.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/withdraw_piece"),
        &[
            ("csrf", &csrf),
            ("piece", &piece_id),
            ("reason", "Doublon de la facture"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let pieces = case(
        "query($id: ID!) { case(id: $id) { pieces(includeWithdrawn: true) { withdrawalReason } } }",
    );
    assert_eq!(
        pieces["pieces"],
        json!([{ "withdrawalReason": "Doublon de la facture" }])
    );
}

#[test]
fn an_agent_marks_a_paper_letter_posted_from_the_messages_page() {
    // A debtor without an e-mail address: the playbook's first letter waits to be posted.
    let w = crate::recovery::world_in(TestApp::spawn(), "2026-03-16");
    let app = &w.app;
    let mut input = case_input(None);
    input["debtor"].as_object_mut().unwrap().remove("email");
    let id = app.open_case(&w.creditor.user.token, input);
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    crate::recovery::run_due(app);
    let message = app.ok(
        Some(&app.admin_token),
        "{ outboxAttention { id status channel } }",
        json!({}),
    )["outboxAttention"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["status"] == "to_post")
        .unwrap()
        .clone();
    let mid = message["id"].as_str().unwrap().to_string();

    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", "/portal/outbox");
    let page = b.get("/portal/outbox");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("À poster"), "{}", page.body);
    assert!(
        page.body.contains(&format!("/portal/cases/{id}")),
        "{}",
        page.body
    );
    let csrf = b.form_token();
    let p = b.post(
        &format!("/portal/outbox/{mid}"),
        &[("csrf", &csrf), ("decision", "posted")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("Le courrier est noté comme posté."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Aucun message à traiter."),
        "{}",
        page.body
    );
    // Twice: refused in French, on the page.
    let p = b.post(
        &format!("/portal/outbox/{mid}"),
        &[("csrf", &csrf), ("decision", "posted")],
    );
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(
        p.body.contains("Le message est à l&#x27;état « posted »"),
        "{}",
        p.body
    );
    // The letter's sending date is now known (CPCE R124-4): the outbox says sent.
    let sent = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { messages { status sentAt } } }",
        json!({ "id": id }),
    );
    assert_eq!(sent["case"]["messages"][0]["status"], "posted", "{sent}");
    // A creditor has no messages page.
    let mut creditor = Browser::new(app);
    creditor.sign_in("compta@lemaire.test", "/portal");
    assert_eq!(creditor.get("/portal/outbox").status, 403);
}

#[test]
fn an_agent_remits_the_funds_held_for_a_creditor_and_records_the_transfer_from_the_money_page() {
    let w = crate::recovery::world_in(TestApp::spawn(), "2026-03-16");
    let app = &w.app;
    set_today(app, "2026-05-10");
    app.ok(
        Some(&app.admin_token),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        json!({ "i": { "caseId": w.case_id, "receivedOn": "2026-04-15", "amount": "500.00", "method": "TRANSFER" } }),
    );
    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", "/portal/money");
    let page = b.get("/portal/money");
    assert_eq!(page.status, 200, "{}", page.body);
    // Held: 500,00 €, owed by 15 May 2026 (one month from encashment, CPCE R124-6).
    assert!(page.body.contains("500,00"), "{}", page.body);
    assert!(page.body.contains("15&#x2F;05&#x2F;2026"), "{}", page.body);
    let csrf = b.form_token();
    let creditor = w.creditor.org_id.clone();
    let p = b.post(
        "/portal/money/prepare",
        &[
            ("csrf", &csrf),
            ("creditor", &creditor),
            ("up_to", "2026-05-xx"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("Saisissez une date valide."), "{}", p.body);
    let p = b.post(
        "/portal/money/prepare",
        &[
            ("csrf", &csrf),
            ("creditor", &creditor),
            ("up_to", "2026-05-10"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("Le reversement est préparé"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Aucun fonds en attente de reversement."),
        "{}",
        page.body
    );
    // 12 % commission of the mandate: 60,00 € kept, 440,00 € to remit.
    assert!(page.body.contains("440,00"), "{}", page.body);
    let r = app.ok(
        Some(&app.admin_token),
        "{ remittances { edges { node { id reference status net statementUrl } } } }",
        json!({}),
    )["remittances"]["edges"][0]["node"]
        .clone();
    assert_eq!(
        (&r["status"], &r["net"]),
        (&json!("PREPARED"), &json!("440.00"))
    );
    assert!(
        page.body.contains(r["statementUrl"].as_str().unwrap()),
        "{}",
        page.body
    );
    let p = b.post(
        "/portal/money/paid",
        &[
            ("csrf", &csrf),
            ("remittance", r["id"].as_str().unwrap()),
            ("paid_on", "2026-05-12"),
        ],
    );
    // Today is 10 May: a transfer on the 12th has not happened yet.
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("La date est dans le futur."), "{}", p.body);
    set_today(app, "2026-05-12");
    b.sign_in("agent@agency.test", "/portal/money");
    let csrf = b.form_token();
    let p = b.post(
        "/portal/money/paid",
        &[
            ("csrf", &csrf),
            ("remittance", r["id"].as_str().unwrap()),
            ("paid_on", "2026-05-12"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("versé le 12&#x2F;05&#x2F;2026"),
        "{}",
        page.body
    );
    let r = app.ok(
        Some(&app.admin_token),
        "{ remittances { edges { node { status paidOn } } } }",
        json!({}),
    )["remittances"]["edges"][0]["node"]
        .clone();
    assert_eq!(r, json!({ "status": "PAID", "paidOn": "2026-05-12" }));
    // A creditor has no money page.
    let mut c = Browser::new(app);
    c.sign_in("compta@lemaire.test", "/portal");
    assert_eq!(c.get("/portal/money").status, 403);
}

#[test]
fn the_exhibits_are_put_in_order_from_the_case_page_and_not_by_the_creditor() {
    let w = crate::recovery::world_in(TestApp::spawn(), "2026-03-16");
    let (app, id) = (&w.app, w.case_id.clone());
    for (name, what) in [("contrat.txt", "Contrat"), ("avoir.txt", "Avoir")] {
        let (status, body) = crate::evidence::upload(
            app,
            &w.creditor.user.token,
            &id,
            &crate::evidence::form(what.as_bytes(), name, "CORRESPONDENCE", what),
        );
        assert_eq!(status, 201, "{body}");
    }
    let order = || {
        app.ok(
            Some(&app.admin_token),
            "query($id: ID!) { case(id: $id) { pieces { id exhibitNumber description } } }",
            json!({ "id": id }),
        )["case"]["pieces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["description"].as_str().unwrap().to_string(),
                    p["id"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = order();
    assert_eq!(
        before.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(),
        ["Contrat", "Avoir"]
    );
    let avoir = before[1].1.clone();
    // The creditor sees no arrows and may not reorder.
    let mut c = Browser::new(app);
    c.sign_in("compta@lemaire.test", &format!("/portal/cases/{id}"));
    let page = c.get(&format!("/portal/cases/{id}"));
    assert!(!page.body.contains("Monter la pièce"), "{}", page.body);
    let token = c.form_token();
    let p = c.post(
        &format!("/portal/cases/{id}/actions/move_piece"),
        &[("csrf", &token), ("piece", &avoir), ("direction", "up")],
    );
    assert_eq!(p.status, 403, "{}", p.body);
    assert_eq!(order(), before);
    // The agent moves the credit note up: it becomes exhibit 1.
    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", &format!("/portal/cases/{id}"));
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(page.body.contains("Monter la pièce 2"), "{}", page.body);
    let token = b.form_token();
    let p = b.post(
        &format!("/portal/cases/{id}/actions/move_piece"),
        &[("csrf", &token), ("piece", &avoir), ("direction", "up")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("Ordre des pièces modifié."),
        "{}",
        page.body
    );
    assert_eq!(
        order().iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(),
        ["Avoir", "Contrat"]
    );
}

#[test]
fn an_agent_records_a_redressement_judiciaire_the_declaration_and_the_decision_from_the_case_page()
{
    let w = crate::recovery::world_in(TestApp::spawn(), "2026-03-16");
    let (app, id) = (&w.app, w.case_id.clone());
    set_today(app, "2026-03-23");
    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", &format!("/portal/cases/{id}"));
    let csrf = b.form_token();
    let post = |b: &mut Browser, form: &str, fields: &[(&str, &str)]| {
        let page = b.get(&format!("/portal/cases/{id}"));
        let v = version_of(&page.body);
        let mut all = vec![("csrf", csrf.as_str()), ("version", v.as_str())];
        all.extend_from_slice(fields);
        b.post(&format!("/portal/cases/{id}/actions/{form}"), &all)
    };
    // A publication before the judgment is refused next to its form, in French, what was
    // typed kept.
    let p = post(
        &mut b,
        "record_incident",
        &[
            ("incident_kind", "redressement_judiciaire"),
            ("occurred_on", "2026-03-17"),
            ("published_on", "2026-03-16"),
            ("court", "Tribunal de commerce de Lyon"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body.contains("id=\"record_incident-error\""),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("La publication ne peut pas précéder"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("value=\"Tribunal de commerce de Lyon\""),
        "court kept"
    );
    assert!(
        p.body
            .contains("<option value=\"redressement_judiciaire\" selected>"),
        "kind kept"
    );
    let p = post(
        &mut b,
        "record_incident",
        &[
            ("incident_kind", "redressement_judiciaire"),
            ("occurred_on", "2026-03-17"),
            ("published_on", "2026-03-21"),
            ("court", "Tribunal de commerce de Lyon"),
            ("representative", "SELARL MJ Synergie, Lyon"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    for text in [
        "Redressement judiciaire — 17&#x2F;03&#x2F;2026",
        "toute action et toute mesure d&#x27;exécution des créanciers antérieurs sont interrompues",
        "Déclaration de créance au mandataire, au plus tard (C. com. R622-24)",
        "21&#x2F;05&#x2F;2026",
        "intérêts arrêtés au jugement d&#x27;ouverture du 17 mars 2026 (C. com. L622-28)",
        "Déclarer la créance au mandataire judiciaire au plus tard le 21 mai 2026",
    ] {
        assert!(
            page.body.contains(text),
            "« {text} » missing: {}",
            page.body
        );
    }
    // The frozen demands are refused in French by their form.
    let p = post(&mut b, "prepare_formal_notice", &[]);
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(p.body.contains("C. com. L631-14"), "{}", p.body);
    let incident = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { incidents { id } } }",
        json!({ "id": id }),
    )["case"]["incidents"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let p = b.post(
        &format!("/portal/cases/{id}/actions/prepare_declaration"),
        &[("csrf", &csrf), ("incident", &incident), ("security", "")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("Déclaration de créance — "),
        "document listed: {}",
        page.body
    );
    assert!(
        page.body.contains("produite, à envoyer en recommandé"),
        "{}",
        page.body
    );
    let p = b.post(
        &format!("/portal/cases/{id}/actions/declare_claim"),
        &[
            ("csrf", &csrf),
            ("incident", &incident),
            ("declared_on", "2026-03-23"),
            ("tracking", "1A 111 222 3334 5"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body
            .contains("faite le 23&#x2F;03&#x2F;2026 (recommandé n° 1A 111 222 3334 5)"),
        "{}",
        page.body
    );
    // A claim admitted in part without its amount is refused next to the incidents.
    let p = b.post(
        &format!("/portal/cases/{id}/actions/decide_claim"),
        &[
            ("csrf", &csrf),
            ("incident", &incident),
            ("claim_decision", "partly_admitted"),
            ("decided_on", "2026-03-23"),
            ("amount", ""),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"decide_claim-error\""), "{}", p.body);
    assert!(p.body.contains("indiquez le montant admis"), "{}", p.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/decide_claim"),
        &[
            ("csrf", &csrf),
            ("incident", &incident),
            ("claim_decision", "partly_admitted"),
            ("decided_on", "2026-03-23"),
            ("amount", "1 500,00"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(page.body.contains("admise en partie : 1"), "{}", page.body);
    let p = b.post(
        &format!("/portal/cases/{id}/actions/end_incident"),
        &[
            ("csrf", &csrf),
            ("incident", &incident),
            ("ended_on", "2026-03-23"),
            ("end", "resumed"),
            ("note", "Plan de continuation"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body
            .contains("Reprise du recouvrement (décision de l&#x27;agence) (Plan de continuation)"),
        "{}",
        page.body
    );
}

#[test]
fn a_file_over_the_limit_keeps_the_form_and_every_missing_field_is_listed_at_once() {
    // Uploads of at most 1 MiB here: a 2 MiB file is refused, the rest of the form arrives.
    let app = TestApp::spawn_with(|c| c.evidence_limits.max_file_bytes = 1024 * 1024);
    set_today(&app, "2026-03-02");
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases/new");
    let csrf = b.form_token();
    let big = vec![b'%'; 2 * 1024 * 1024];
    let fields = [
        ("csrf", csrf.as_str()),
        ("debtor.kind", "company"),
        ("debtor.name", "Boulangerie Martin"),
        ("debtor.address.line1", "12 rue de la République"),
        ("debtor.address.line2", "Bâtiment B"),
        ("debtor.address.postalCode", "69002"),
        ("debtor.address.city", "Lyon"),
        ("invoices[0].number", "F-9"),
        ("invoices[0].issueDate", "2026-01-10"),
        ("invoices[0].dueDate", "2026-02-09"),
        ("invoices[0].amount", "1 234,56"),
    ];
    let (ct, body) = multipart(&fields, &[("file1", "gros.pdf", &big)]);
    let p = b.post_multipart("/portal/cases/new", &ct, &body);
    assert_eq!(p.status, 413, "{}", p.body);
    assert!(
        p.body
            .contains("<p class=\"field-error\">le fichier dépasse la limite de 1 Mio</p>"),
        "{}",
        p.body
    );
    for kept in [
        "value=\"Boulangerie Martin\"",
        "value=\"Bâtiment B\"",
        "value=\"1 234,56\"",
    ] {
        assert!(p.body.contains(kept), "{kept} lost: {}", p.body);
    }

    // The name, the city and the second invoice's due date and amount left empty: all listed.
    let fields = [
        ("csrf", csrf.as_str()),
        ("debtor.kind", "company"),
        ("debtor.name", ""),
        ("debtor.address.line1", "12 rue de la République"),
        ("debtor.address.postalCode", "69002"),
        ("debtor.address.city", ""),
        ("invoices[0].number", "F-9"),
        ("invoices[0].issueDate", "2026-01-10"),
        ("invoices[0].dueDate", "2026-02-09"),
        ("invoices[0].amount", "1 234,56"),
        ("invoices[7].number", "F-10"),
        ("invoices[7].issueDate", "2026-01-12"),
    ];
    let (ct, body) = multipart(&fields, &[]);
    let p = b.post_multipart("/portal/cases/new", &ct, &body);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body.contains("corrigez les 4 champs signalés"),
        "{}",
        p.body
    );
    for item in [
        "href=\"#debtor.name\"",
        "href=\"#debtor.address.city\"",
        "Facture 8, échéance : date à saisir",
        "Facture 8, montant : à saisir",
    ] {
        assert!(p.body.contains(item), "{item}: {}", p.body);
    }
    // The eighth row, typed, is shown open.
    assert!(
        p.body.contains("<details class=\"more-rows\" open>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"F-10\""));
}

#[test]
fn the_root_leads_to_the_portal_and_a_browser_gets_french_pages_for_refused_downloads() {
    let app = TestApp::spawn();
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let root = agent.get(&format!("{}/", app.base)).call().unwrap();
    assert_eq!(
        (root.status(), root.header("Location")),
        (303, Some("/portal"))
    );
    // A document link opened without a session: the French page, with a way back.
    let page = |path: &str| match agent
        .get(&format!("{}{path}", app.base))
        .set("Accept", "text/html,application/xhtml+xml")
        .call()
    {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    };
    let (status, body) = page("/api/documents/12.pdf");
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("Session expirée"), "{body}");
    assert!(
        body.contains("/portal/login?next=%2Fapi%2Fdocuments%2F12%2Epdf"),
        "{body}"
    );
    let (status, body) = page("/nulle-part");
    assert_eq!(status, 404);
    assert!(body.contains("Page introuvable"), "{body}");
    // An API client still gets JSON.
    let r = agent
        .get(&format!("{}/api/documents/12.pdf", app.base))
        .call();
    match r {
        Err(ureq::Error::Status(401, r)) => {
            let v: serde_json::Value = r.into_json().unwrap();
            assert_eq!(v["code"], "UNAUTHENTICATED");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_piece_is_added_from_the_case_page_by_the_creditor_and_the_agent_and_a_refused_one_leaves_nothing(
) {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.user("AGENT", "agent@agency.test", None);
    let other = app.creditor("Autre SA", "552100554", "compta@autre.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let path = format!("/portal/cases/{id}");
    let pieces = |app: &TestApp| {
        app.ok(
            Some(&app.admin_token),
            "query($id: ID!) { case(id: $id) { pieces { exhibitNumber kind filename description documentDate } } }",
            json!({ "id": id }),
        )["case"]["pieces"]
            .clone()
    };
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", &path);
    let page = b.get(&path);
    assert!(page.body.contains("Ajouter une pièce"), "{}", page.body);
    let csrf = csrf_field(&page.body);
    let target = format!("{path}/pieces");

    // A program disguised as a PDF: refused in French next to the form, the description
    // kept, nothing stored.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let (ct, body) = multipart(
        &[
            ("csrf", &csrf),
            ("piece_kind", "delivery_note"),
            ("piece_description", "Bon de livraison signé"),
        ],
        &[("file", "bl.pdf", exe)],
    );
    let p = b.post_multipart(&target, &ct, &body);
    assert_eq!(p.status, 415, "{}", p.body);
    assert!(p.body.contains("id=\"add_piece-error\""), "{}", p.body);
    assert!(p.body.contains("value=\"Bon de livraison signé\""));
    assert!(p.body.contains("<option value=\"delivery_note\" selected>"));
    assert_eq!(pieces(&app), json!([]));
    // No file chosen, or a forged form: refused, nothing stored.
    let (ct, body) = multipart(&[("csrf", &csrf), ("piece_kind", "invoice")], &[]);
    let p = b.post_multipart(&target, &ct, &body);
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("Choisissez le fichier de la pièce."),
        "{}",
        p.body
    );
    let pdf = crate::evidence::pdf("bon de livraison");
    let (ct, body) = multipart(
        &[("csrf", "forged"), ("piece_kind", "delivery_note")],
        &[("file", "bl.pdf", &pdf)],
    );
    assert_eq!(b.post_multipart(&target, &ct, &body).status, 403);
    assert_eq!(pieces(&app), json!([]));

    // The creditor adds the delivery note: piece 1, back on the page with a confirmation.
    let (ct, body) = multipart(
        &[
            ("csrf", &csrf),
            ("piece_kind", "delivery_note"),
            ("piece_description", "Bon de livraison signé"),
            ("document_date", "2026-01-12"),
        ],
        &[("file", "bl.pdf", &pdf)],
    );
    let p = b.post_multipart(&target, &ct, &body);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some(&*format!("{path}?fait=add_piece"))
    );
    let page = b.get(&format!("{path}?fait=add_piece"));
    assert!(page.body.contains("La pièce est ajoutée au dossier."));
    assert!(page.body.contains("bl.pdf"), "{}", page.body);
    assert_eq!(
        pieces(&app),
        json!([{ "exhibitNumber": 1, "kind": "DELIVERY_NOTE", "filename": "bl.pdf",
                 "description": "Bon de livraison signé", "documentDate": "2026-01-12" }])
    );
    // The same bytes again: kept once, and said so.
    let p = b.post_multipart(&target, &ct, &body);
    assert_eq!(
        p.location.as_deref(),
        Some(&*format!("{path}?fait=add_piece_duplicate"))
    );
    assert_eq!(pieces(&app).as_array().unwrap().len(), 1);

    // The agent adds a letter of the debtor: piece 2.
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@agency.test", &path);
    let csrf = csrf_field(&agent.get(&path).body);
    let letter = crate::evidence::pdf("courrier du débiteur");
    let (ct, body) = multipart(
        &[("csrf", &csrf), ("piece_kind", "correspondence")],
        &[("file", "courrier.pdf", &letter)],
    );
    assert_eq!(agent.post_multipart(&target, &ct, &body).status, 303);
    assert_eq!(pieces(&app).as_array().unwrap().len(), 2);

    // Another creditor does not see the case: not found, nothing stored.
    let mut stranger = Browser::new(&app);
    stranger.sign_in("compta@autre.test", "/portal");
    let csrf = stranger.form_token();
    let (ct, body) = multipart(
        &[("csrf", &csrf), ("piece_kind", "invoice")],
        &[("file", "x.pdf", &crate::evidence::pdf("x"))],
    );
    assert_eq!(stranger.post_multipart(&target, &ct, &body).status, 404);
    assert_eq!(pieces(&app).as_array().unwrap().len(), 2);
    let _ = other;
}
