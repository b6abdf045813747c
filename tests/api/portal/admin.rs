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
