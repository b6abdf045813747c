//! The admin pages: refused to every other role (and the refusal audited), forms that create
//! through the same use cases as GraphQL, refused forms that keep what was typed with the
//! French message next to the field.

use serde_json::json;

use super::Browser;
use crate::helpers::*;

/// Every admin page, as an admin sees it (200) and as another role is refused it (403).
const PAGES: &[&str] = &[
    "/portal/admin",
    "/portal/admin/users",
    "/portal/admin/organisations",
    "/portal/admin/rates",
];

fn admin_browser(app: &TestApp) -> Browser<'_> {
    let mut b = Browser::new(app);
    b.sign_in("admin@agency.test", "/portal");
    b
}

fn csrf(b: &Browser) -> String {
    b.cookies["rv_csrf"].clone()
}

#[test]
fn the_admin_pages_are_the_admins_and_refused_to_every_other_role() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.user("AGENT", "agent@agency.test", None);
    app.user("LAWYER", "avocat@agency.test", None);
    let mut b = Browser::new(&app);
    let p = b.sign_in("admin@agency.test", "/portal");
    assert_eq!(p.location.as_deref(), Some("/portal"));
    let home = b.get("/portal");
    assert_eq!(home.location.as_deref(), Some("/portal/admin"), "an admin lands on the admin home");
    for path in PAGES {
        let p = b.get(path);
        assert_eq!(p.status, 200, "{path}: {}", p.body);
        assert!(p.body.contains("href=\"/portal/admin/users\""), "admin nav on {path}");
    }
    for email in ["compta@acme.test", "agent@agency.test", "avocat@agency.test"] {
        let mut other = Browser::new(&app);
        other.sign_in(email, "/portal");
        for path in PAGES {
            let p = other.get(path);
            assert_eq!(p.status, 403, "{email} {path}");
            assert!(p.body.contains("Accès refusé"), "{email} {path}");
            assert!(!p.body.contains("admin@agency.test"), "{email} {path}");
        }
        assert!(!other.get("/portal/cases").body.contains("/portal/admin/users"), "no admin nav");
        // A form posted by another role is refused too, and nothing is created.
        let token = other.cookies["rv_csrf"].clone();
        let p = other.post(
            "/portal/admin/users",
            &[("csrf", &token), ("role", "admin"), ("email", "evil@x.test"), ("name", "Evil")],
        );
        assert_eq!(p.status, 403, "{email}");
    }
    let d = app.ok(
        Some(&app.admin_token),
        "query { users(first: 50) { totalCount edges { node { email } } } securityLog(kind: PERMISSION_REFUSED, first: 100) { totalCount } }",
        json!({}),
    );
    assert!(!d.to_string().contains("evil@x.test"));
    assert!(
        d["securityLog"]["totalCount"].as_i64().unwrap() >= 3 * (PAGES.len() as i64 + 1),
        "every refusal audited: {d}"
    );
}

#[test]
fn an_admin_creates_a_user_and_reads_the_password_once() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.user("AGENT", "agent@agency.test", None);
    let mut b = admin_browser(&app);
    let token = csrf(&b);
    // A creditor without its organisation: refused, what was typed kept, the French message
    // next to the organisation field.
    let p = b.post(
        "/portal/admin/users",
        &[
            ("csrf", &token),
            ("role", "creditor"),
            ("organisation", ""),
            ("email", "nouveau@acme.test"),
            ("name", "Nadia Nouveau"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("value=\"nouveau@acme.test\""), "e-mail kept");
    assert!(p.body.contains("value=\"Nadia Nouveau\""), "name kept");
    assert!(p.body.contains("<option value=\"creditor\" selected>"), "role kept");
    assert!(
        p.body.contains("id=\"organisation-error\">Un utilisateur créancier appartient à une organisation créancière."),
        "{}",
        p.body
    );
    // A bad e-mail: the message by the e-mail field.
    let p = b.post(
        "/portal/admin/users",
        &[("csrf", &token), ("role", "agent"), ("email", "pas-une-adresse"), ("name", "Paul")],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"email-error\">Cette adresse e-mail n&#x27;est pas valide."), "{}", p.body);

    let p = b.post(
        "/portal/admin/users",
        &[
            ("csrf", &token),
            ("role", "creditor"),
            ("organisation", &acme.org_id),
            ("email", "nouveau@acme.test"),
            ("name", "Nadia Nouveau"),
        ],
    );
    assert_eq!(p.status, 200, "{}", p.body);
    let at = p.body.find("class=\"secret\">").expect("the password shown") + 15;
    let password = p.body[at..].split('<').next().unwrap().to_string();
    assert!(password.len() >= 12);
    // The new user signs in with it.
    app.login("nouveau@acme.test", &password);
    // The list, filtered by role then by organisation.
    let p = b.get("/portal/admin/users?role=creditor");
    assert!(p.body.contains("nouveau@acme.test") && p.body.contains("compta@acme.test"));
    assert!(!p.body.contains("agent@agency.test"));
    assert!(p.body.contains("2 comptes"), "{}", p.body);
    let p = b.get(&format!("/portal/admin/users?org={}", acme.org_id));
    assert!(p.body.contains("ACME Fournitures") && !p.body.contains("admin@agency.test"));
    // Over GraphQL, the same filter.
    let d = app.ok(
        Some(&app.admin_token),
        "query($o: ID) { users(organisationId: $o) { totalCount } }",
        json!({ "o": acme.org_id }),
    );
    assert_eq!(d["users"]["totalCount"], 2);
    // Without the token, nothing is created.
    let p = b.post(
        "/portal/admin/users",
        &[("role", "agent"), ("email", "sans@agency.test"), ("name", "Sans Jeton")],
    );
    assert_eq!(p.status, 403);
    assert!(!b.get("/portal/admin/users").body.contains("sans@agency.test"));
}

#[test]
fn an_admin_records_an_organisation_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = admin_browser(&app);
    let token = csrf(&b);
    let form = |siren: &'static str, postal: &'static str| {
        vec![
            ("kind", "creditor"),
            ("name", "Transports Dupont"),
            ("legalForm", "SARL"),
            ("siren", siren),
            ("address.line1", "3 quai des Chartrons"),
            ("address.postalCode", postal),
            ("address.city", "Bordeaux"),
        ]
    };
    let post = |b: &mut Browser, fields: Vec<(&str, &str)>, token: &str| {
        let mut all = vec![("csrf", token)];
        all.extend(fields);
        b.post("/portal/admin/organisations", &all)
    };
    // A SIREN already registered: refused beside the SIREN field, everything typed kept.
    let p = post(&mut b, form("856624390", "33000"), &token);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"siren-error\">Une organisation porte déjà ce SIREN."), "{}", p.body);
    assert!(p.body.contains("value=\"Transports Dupont\""));
    assert!(p.body.contains("value=\"3 quai des Chartrons\""));
    // A bad postal code: by its field.
    let p = post(&mut b, form("552100554", "3300"), &token);
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"address.postalCode-error\">Un code postal français compte 5 chiffres."), "{}", p.body);
    assert!(p.body.contains("value=\"3300\""));
    // Without the CSRF token: refused.
    let p = b.post("/portal/admin/organisations", &form("552100554", "33000"));
    assert_eq!(p.status, 403);

    let p = post(&mut b, form("552 100 554", "33000"), &token);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("L'organisation Transports Dupont est enregistrée."), "{}", p.body);
    let p = b.get("/portal/admin/organisations?kind=creditor");
    assert!(p.body.contains("552100554") && p.body.contains("Créancier"));
    assert!(p.body.contains("2 organisations"), "{}", p.body);
    // The same organisation over GraphQL.
    let d = app.ok(
        Some(&app.admin_token),
        "query { organisations(kind: CREDITOR) { edges { node { name siren } } } }",
        json!({}),
    );
    assert!(d.to_string().contains("Transports Dupont"));
}

#[test]
fn an_admin_enters_a_half_years_rates_as_exact_decimals() {
    let app = TestApp::spawn();
    let mut b = admin_browser(&app);
    let page = b.get("/portal/admin/rates");
    // The seeded table, the French way.
    assert!(page.body.contains("2,15 %"), "{}", page.body);
    let token = csrf(&b);
    // A half-year already entered: the message by the semester, what was typed kept.
    let p = b.post(
        "/portal/admin/rates",
        &[("csrf", &token), ("year", "2024"), ("half", "H1"), ("ecbRate", "4,50"),
          ("legalRatePrivateCreditor", "8,01"), ("legalRateOther", "5,07")],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"half-error\">Les taux de ce semestre sont déjà saisis."), "{}", p.body);
    assert!(p.body.contains("value=\"8,01\""));
    let p = b.post(
        "/portal/admin/rates",
        &[("csrf", &token), ("year", "2026"), ("half", "H2"), ("ecbRate", "3,16 %"),
          ("legalRatePrivateCreditor", "7,3"), ("legalRateOther", "3,1x")],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"legalRateOther-error\">"), "{}", p.body);
    assert!(p.body.contains("value=\"3,1x\""));
    let p = b.post(
        "/portal/admin/rates",
        &[("csrf", &token), ("year", "2026"), ("half", "H2"), ("ecbRate", "3,16 %"),
          ("legalRatePrivateCreditor", "7,3"), ("legalRateOther", "3,10")],
    );
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("2d semestre 2026"));
    assert!(p.body.contains("3,16 %") && p.body.contains("7,30 %") && p.body.contains("3,10 %"));
    let d = app.ok(Some(&app.admin_token), "query { interestRates { year half ecbRate legalRateOther } }", json!({}));
    let e = d["interestRates"].as_array().unwrap().iter().find(|e| e["year"] == 2026 && e["half"] == "H2").unwrap().clone();
    assert_eq!(e["ecbRate"], "3.16");
    assert_eq!(e["legalRateOther"], "3.10");
}
