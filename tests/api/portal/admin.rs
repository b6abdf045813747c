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
    "/portal/admin/courts",
    "/portal/admin/bodacc",
    "/portal/admin/settings",
    "/portal/admin/mandates",
    "/portal/admin/playbooks",
    "/portal/admin/playbooks/new",
    "/portal/admin/security",
];

fn admin_browser(app: &TestApp) -> Browser<'_> {
    let mut b = Browser::new(app);
    b.sign_in("admin@agency.test", "/portal");
    b
}

fn csrf(b: &mut Browser) -> String {
    b.form_token()
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
    assert_eq!(
        home.location.as_deref(),
        Some("/portal/admin"),
        "an admin lands on the admin home"
    );
    for path in PAGES {
        let p = b.get(path);
        assert_eq!(p.status, 200, "{path}: {}", p.body);
        assert!(
            p.body.contains("href=\"/portal/admin/users\""),
            "admin nav on {path}"
        );
    }
    for email in [
        "compta@acme.test",
        "agent@agency.test",
        "avocat@agency.test",
    ] {
        let mut other = Browser::new(&app);
        other.sign_in(email, "/portal");
        for path in PAGES {
            let p = other.get(path);
            assert_eq!(p.status, 403, "{email} {path}");
            assert!(p.body.contains("Accès refusé"), "{email} {path}");
            assert!(!p.body.contains("admin@agency.test"), "{email} {path}");
        }
        assert!(
            !other
                .get("/portal/cases")
                .body
                .contains("/portal/admin/users"),
            "no admin nav"
        );
        // A form posted by another role is refused too, and nothing is created.
        let token = other.form_token();
        let p = other.post(
            "/portal/admin/users",
            &[
                ("csrf", &token),
                ("role", "admin"),
                ("email", "evil@x.test"),
                ("name", "Evil"),
            ],
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
    let token = csrf(&mut b);
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
    assert!(
        p.body.contains("value=\"nouveau@acme.test\""),
        "e-mail kept"
    );
    assert!(p.body.contains("value=\"Nadia Nouveau\""), "name kept");
    assert!(
        p.body.contains("<option value=\"creditor\" selected>"),
        "role kept"
    );
    assert!(
        p.body.contains("id=\"organisation-error\">Un utilisateur créancier appartient à une organisation créancière."),
        "{}",
        p.body
    );
    // A bad e-mail: the message by the e-mail field.
    let p = b.post(
        "/portal/admin/users",
        &[
            ("csrf", &token),
            ("role", "agent"),
            ("email", "pas-une-adresse"),
            ("name", "Paul"),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains(
            "id=\"email-error\">« pas-une-adresse » n&#x27;est pas une adresse e-mail valide."
        ),
        "{}",
        p.body
    );

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
    let at = p
        .body
        .find("class=\"secret\">")
        .expect("the password shown")
        + 15;
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
        &[
            ("role", "agent"),
            ("email", "sans@agency.test"),
            ("name", "Sans Jeton"),
        ],
    );
    assert_eq!(p.status, 403);
    assert!(!b
        .get("/portal/admin/users")
        .body
        .contains("sans@agency.test"));
}

#[test]
fn an_admin_records_an_organisation_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::spawn();
    app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = admin_browser(&app);
    let token = csrf(&mut b);
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
    assert!(
        p.body
            .contains("id=\"siren-error\">Une organisation de SIREN 856624390 existe déjà."),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"Transports Dupont\""));
    assert!(p.body.contains("value=\"3 quai des Chartrons\""));
    // A bad postal code: by its field.
    let p = post(&mut b, form("552100554", "3300"), &token);
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("id=\"address.postalCode-error\">Un code postal français compte 5 chiffres."),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"3300\""));
    // Without the CSRF token: refused.
    let p = b.post("/portal/admin/organisations", &form("552100554", "33000"));
    assert_eq!(p.status, 403);

    let p = post(&mut b, form("552 100 554", "33000"), &token);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body
            .contains("L'organisation Transports Dupont est enregistrée."),
        "{}",
        p.body
    );
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
    let token = csrf(&mut b);
    // A half-year already entered: the message by the semester, what was typed kept.
    let p = b.post(
        "/portal/admin/rates",
        &[
            ("csrf", &token),
            ("year", "2024"),
            ("half", "H1"),
            ("ecbRate", "4,50"),
            ("legalRatePrivateCreditor", "8,01"),
            ("legalRateOther", "5,07"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("id=\"half-error\">Les taux du premier semestre 2024 sont déjà saisis."),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"8,01\""));
    let p = b.post(
        "/portal/admin/rates",
        &[
            ("csrf", &token),
            ("year", "2026"),
            ("half", "H2"),
            ("ecbRate", "3,16 %"),
            ("legalRatePrivateCreditor", "7,3"),
            ("legalRateOther", "3,1x"),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("id=\"legalRateOther-error\">"),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"3,1x\""));
    let p = b.post(
        "/portal/admin/rates",
        &[
            ("csrf", &token),
            ("year", "2026"),
            ("half", "H2"),
            ("ecbRate", "3,16 %"),
            ("legalRatePrivateCreditor", "7,3"),
            ("legalRateOther", "3,10"),
        ],
    );
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("2d semestre 2026"));
    assert!(p.body.contains("3,16 %") && p.body.contains("7,30 %") && p.body.contains("3,10 %"));
    let d = app.ok(
        Some(&app.admin_token),
        "query { interestRates { year half ecbRate legalRateOther } }",
        json!({}),
    );
    let e = d["interestRates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["year"] == 2026 && e["half"] == "H2")
        .unwrap()
        .clone();
    assert_eq!(e["ecbRate"], "3.16");
    assert_eq!(e["legalRateOther"], "3.10");
    // 3,10 was a typing slip for 3,01: corrected with its reason (the second button).
    let correction = |reason: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("year", "2026".to_string()),
            ("half", "H2".to_string()),
            ("ecbRate", "3,16".to_string()),
            ("legalRatePrivateCreditor", "7,30".to_string()),
            ("legalRateOther", "3,01".to_string()),
            ("reason", reason.to_string()),
            ("mode", "correct".to_string()),
        ]
    };
    let post = |b: &mut Browser, v: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
        b.post("/portal/admin/rates", &pairs)
    };
    let p = post(&mut b, correction(""));
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"reason-error\""), "{}", p.body);
    assert!(p.body.contains("value=\"3,01\""), "typed values kept");
    let p = post(&mut b, correction("faute de frappe sur le taux légal"));
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body
            .contains("Les taux du 2d semestre 2026 sont corrigés"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("3,01 %") && !p.body.contains("3,10 %"),
        "{}",
        p.body
    );
}

#[test]
fn an_admin_records_a_mandate_and_its_plan_limits() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = admin_browser(&app);
    let page = b.get(&format!("/portal/admin/mandates?org={}", acme.org_id));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("12,00 %"),
        "the helper's mandate: {}",
        page.body
    );
    let token = csrf(&mut b);
    let p = b.post(
        "/portal/admin/mandates",
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("signedOn", "2026-02-20"),
            ("endsOn", ""),
            ("commission", "9,5x"),
            ("terms", "Mandat amiable et judiciaire."),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("id=\"commission-error\">Saisissez un pourcentage"),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"9,5x\"") && p.body.contains("Mandat amiable et judiciaire."));
    let p = b.post(
        "/portal/admin/mandates",
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("signedOn", "2026-04-01"),
            ("commission", "9,5"),
            ("terms", "Mandat amiable et judiciaire."),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("id=\"signedOn-error\">Un mandat s&#x27;enregistre une fois signé"),
        "{}",
        p.body
    );
    let p = b.post(
        "/portal/admin/mandates",
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("signedOn", "2026-02-20"),
            ("commission", "9,5 %"),
            ("terms", "Mandat amiable et judiciaire."),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(page.body.contains("Le mandat est enregistré."));
    assert!(
        page.body.contains("9,50 %") && page.body.contains("20&#x2F;02&#x2F;2026"),
        "{}",
        page.body
    );
    let d = app.ok(
        Some(&app.admin_token),
        "query { organisations(kind: CREDITOR) { edges { node { id mandates { id commissionBps } } } } }",
        json!({}),
    );
    let mandates = d["organisations"]["edges"][0]["node"]["mandates"]
        .as_array()
        .unwrap()
        .clone();
    assert!(mandates.iter().any(|m| m["commissionBps"] == 950), "{d}");
    let id = mandates.iter().find(|m| m["commissionBps"] == 950).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Plan limits: out of bounds refused by that mandate's form, then set.
    let p = b.post(
        &format!("/portal/admin/mandates/{id}/limits"),
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("maxInstalments", "40"),
            ("maxMonths", "12"),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains(&format!("id=\"limits-{id}-error\">Entre 1 et 36.")),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"40\""));
    // Half a limit is refused (the use case's rule, over GraphQL too), not taken as "none".
    let p = b.post(
        &format!("/portal/admin/mandates/{id}/limits"),
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("maxInstalments", "6"),
            ("maxMonths", ""),
        ],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains(&format!(
        "id=\"limits-{id}-error\">Saisissez les deux limites, ou aucune pour les supprimer."
    )));
    let r = app.gql(
        Some(&app.admin_token),
        "mutation($m: ID!) { setMandatePlanLimits(mandateId: $m, maxInstalments: 6, maxMonths: null) }",
        json!({ "m": id }),
    );
    assert_eq!(r["errors"][0]["extensions"]["field"], "maxMonths", "{r}");
    let p = b.post(
        &format!("/portal/admin/mandates/{id}/limits"),
        &[
            ("csrf", &token),
            ("org", &acme.org_id),
            ("maxInstalments", "6"),
            ("maxMonths", "12"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get(p.location.as_deref().unwrap());
    assert!(
        page.body.contains("jusqu&#x27;à 6 échéances sur 12 mois")
            || page.body.contains("jusqu'à 6 échéances sur 12 mois"),
        "{}",
        page.body
    );
}

#[test]
fn an_admin_edits_a_playbooks_steps_and_attaches_it_to_a_creditor() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = admin_browser(&app);
    let token = csrf(&mut b);
    let form = |template2: &'static str| {
        vec![
            ("name", "Relance PME"),
            ("steps.0.channel", "email"),
            ("steps.0.template", "courteous_reminder"),
            ("steps.0.delayDays", "3"),
            ("steps.0.basis", "due_date"),
            // A free row between two steps is no step.
            ("steps.1.channel", ""),
            ("steps.1.template", "call"),
            ("steps.1.delayDays", ""),
            ("steps.1.basis", "previous"),
            ("steps.2.channel", "registered_letter"),
            ("steps.2.template", template2),
            ("steps.2.delayDays", "10"),
            ("steps.2.basis", "previous"),
        ]
    };
    let post = |b: &mut Browser, path: &str, fields: Vec<(&str, &str)>| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields);
        b.post(path, &all)
    };
    // A call cannot go by registered letter: refused beside the third row, all rows kept.
    let p = post(&mut b, "/portal/admin/playbooks/new", form("call"));
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("id=\"step-3-error\">Étape 3 : Ce modèle ne s&#x27;envoie pas par ce canal."),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"Relance PME\"") && p.body.contains("value=\"10\""));
    let p = post(&mut b, "/portal/admin/playbooks/new", form("formal_notice"));
    assert_eq!(p.status, 303, "{}", p.body);
    let list = b.get(p.location.as_deref().unwrap());
    assert!(list.body.contains("Le scénario est enregistré."));
    assert!(list.body.contains("Relance PME") && list.body.contains("Lettre recommandée"));
    let d = app.ok(
        Some(&app.admin_token),
        "query { playbooks { id name steps { position delayDays } } }",
        json!({}),
    );
    let book = d["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Relance PME")
        .unwrap()
        .clone();
    assert_eq!(book["steps"].as_array().unwrap().len(), 2, "{d}");
    let id = book["id"].as_str().unwrap().to_string();
    // Edit: remove the first step, rename.
    let edit = b.get(&format!("/portal/admin/playbooks/{id}"));
    assert!(
        edit.body
            .contains("<option value=\"registered_letter\" selected>"),
        "{}",
        edit.body
    );
    let p = post(
        &mut b,
        &format!("/portal/admin/playbooks/{id}"),
        vec![
            ("name", "Relance PME courte"),
            ("steps.0.channel", ""),
            ("steps.0.template", "call"),
            ("steps.0.delayDays", ""),
            ("steps.0.basis", "due_date"),
            ("steps.1.channel", "registered_letter"),
            ("steps.1.template", "formal_notice"),
            ("steps.1.delayDays", "15"),
            ("steps.1.basis", "due_date"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let d = app.ok(
        Some(&app.admin_token),
        "query { playbooks { name steps { delayDays } } }",
        json!({}),
    );
    let book = d["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Relance PME courte")
        .unwrap()
        .clone();
    assert_eq!(book["steps"], json!([{ "delayDays": 15 }]));
    // Attach it to the creditor.
    let p = post(
        &mut b,
        "/portal/admin/playbooks/attach",
        vec![("creditor", &acme.org_id), ("playbook", &id)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let list = b.get(p.location.as_deref().unwrap());
    assert!(list.body.contains("Le scénario est rattaché au créancier."));
    assert!(
        list.body
            .contains("<td>ACME Fournitures</td><td>Relance PME courte</td>"),
        "{}",
        list.body
    );
    // An agent may read playbooks over the API but not use the admin page.
    app.user("AGENT", "agent@agency.test", None);
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@agency.test", "/portal");
    assert_eq!(
        agent.get(&format!("/portal/admin/playbooks/{id}")).status,
        403
    );
}

#[test]
fn every_admin_form_is_refused_without_its_csrf_token() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = admin_browser(&app);
    let before = b.get("/portal/admin/rates").body;
    for (path, fields) in [
        (
            "/portal/admin/users",
            vec![("role", "agent"), ("email", "x@agency.test"), ("name", "X")],
        ),
        (
            "/portal/admin/organisations",
            vec![("kind", "creditor"), ("name", "X"), ("siren", "552100554")],
        ),
        (
            "/portal/admin/rates",
            vec![("year", "2026"), ("half", "H2"), ("ecbRate", "2")],
        ),
        (
            "/portal/admin/mandates",
            vec![("org", acme.org_id.as_str()), ("commission", "10")],
        ),
        (
            "/portal/admin/mandates/1/limits",
            vec![("maxInstalments", "6"), ("maxMonths", "6")],
        ),
        (
            "/portal/admin/playbooks/new",
            vec![("name", "X"), ("steps.0.channel", "email")],
        ),
        (
            "/portal/admin/playbooks/attach",
            vec![("creditor", acme.org_id.as_str()), ("playbook", "1")],
        ),
    ] {
        let p = b.post(path, &fields);
        assert_eq!(p.status, 403, "{path}");
        assert!(p.body.contains("Formulaire refusé"), "{path}");
        let mut wrong = fields.clone();
        wrong.push(("csrf", "0123456789abcdef0123456789abcdef"));
        assert_eq!(
            b.post(path, &wrong).status,
            403,
            "{path}: a token not the browser's"
        );
    }
    assert_eq!(b.get("/portal/admin/rates").body, before, "no rate added");
    let d = app.ok(
        Some(&app.admin_token),
        "query { users { totalCount } organisations { totalCount } playbooks { name } }",
        json!({}),
    );
    assert_eq!(
        (
            d["users"]["totalCount"].as_i64(),
            d["organisations"]["totalCount"].as_i64()
        ),
        (Some(2), Some(1)),
        "{d}"
    );
    assert!(!d["playbooks"].to_string().contains("\"X\""));
}

#[test]
fn an_admin_disables_an_account_and_enables_it_again() {
    let app = TestApp::spawn();
    let agent = app.user("AGENT", "agent@agency.test", None);
    let login = |app: &TestApp| {
        app.gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            json!({ "e": "agent@agency.test", "p": PASSWORD }),
        )
    };
    let refresh = |app: &TestApp, token: &str| {
        app.gql(
            None,
            "mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }",
            json!({ "t": token }),
        )
    };
    let mut b = admin_browser(&app);
    let token = csrf(&mut b);
    let page = b.get("/portal/admin/users");
    let form = format!("/portal/admin/users/{}/active", agent.id);
    assert!(
        page.body.contains(&format!("action=\"{form}\"")),
        "{}",
        page.body
    );

    // Without the CSRF token: refused, nothing changed.
    assert_eq!(b.post(&form, &[("active", "false")]).status, 403);
    assert!(login(&app).get("errors").is_none());

    // Without the confirmation box ticked: refused in French, the account still active.
    let p = b.post(&form, &[("csrf", &token), ("active", "false")]);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("Cochez la case pour confirmer la désactivation du compte."),
        "{}",
        p.body
    );
    assert!(login(&app).get("errors").is_none());
    let p = b.post(
        &form,
        &[("csrf", &token), ("active", "false"), ("confirm", "on")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(b.get("/portal/admin/users").body.contains("Désactivé"));
    // The holder can neither sign in nor renew the session they had.
    let refused = login(&app);
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );
    let renewed = refresh(&app, &agent.refresh);
    assert_eq!(
        renewed["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{renewed}"
    );

    // An admin cannot disable their own account (no button; the use case refuses it).
    let me = app.ok(Some(&app.admin_token), "{ me { id } }", json!({}))["me"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let own = format!("/portal/admin/users/{me}/active");
    assert!(!b
        .get("/portal/admin/users")
        .body
        .contains(&format!("action=\"{own}\"")));
    let p = b.post(
        &own,
        &[("csrf", &token), ("active", "false"), ("confirm", "on")],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("Vous ne pouvez pas désactiver votre propre compte."),
        "{}",
        p.body
    );

    // The access token the agent still holds within its 15 minutes stopped working at once.
    let set = "mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { active } }";
    let r = app.gql(
        Some(&agent.token),
        set,
        json!({ "id": agent.id, "a": true }),
    );
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{r}"
    );
    // Only an admin may do it, over GraphQL too: another agent is refused.
    let other = app.user("AGENT", "other-agent@agency.test", None);
    let r = app.gql(
        Some(&other.token),
        set,
        json!({ "id": agent.id, "a": true }),
    );
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "{r}");
    let d = app.ok(
        Some(&app.admin_token),
        set,
        json!({ "id": agent.id, "a": true }),
    );
    assert_eq!(d["setUserActive"]["active"], true);
    assert!(login(&app).get("errors").is_none(), "enabled again");

    // Both changes are in the security log, naming the account.
    let log = app.ok(
        Some(&app.admin_token),
        "{ securityLog(first: 50) { edges { node { kind email } } } }",
        json!({}),
    );
    let kinds: Vec<(String, String)> = log["securityLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["node"]["kind"]
                .as_str()
                .unwrap_or("")
                .starts_with("ACCOUNT_")
        })
        .map(|e| {
            (
                e["node"]["kind"].as_str().unwrap().to_string(),
                e["node"]["email"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                "ACCOUNT_ENABLED".to_string(),
                "agent@agency.test".to_string()
            ),
            (
                "ACCOUNT_DISABLED".to_string(),
                "agent@agency.test".to_string()
            ),
        ]
    );
}

#[test]
fn an_admin_reads_the_court_directory_and_imports_a_newer_one_from_the_page() {
    let app = TestApp::spawn();
    let mut b = admin_browser(&app);
    let page = b.get("/portal/admin/courts");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Annuaire des juridictions"));
    assert!(page.body.contains("fourni avec Recouvra"), "{}", page.body);
    assert!(page
        .body
        .contains("<td>Tribunal judiciaire de Nanterre</td>"));
    let token = csrf(&mut b);

    // A file that is no directory: refused in French, the one in force unchanged.
    let (ct, body) = super::multipart(
        &[("csrf", &token)],
        &[(
            "directory",
            "annuaire.json",
            b"{\"version\": \"2027-01-01\"}",
        )],
    );
    let p = b.post_multipart("/portal/admin/courts", &ct, &body);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("Ce fichier n&#x27;est pas un annuaire des juridictions"),
        "{}",
        p.body
    );
    let version = |app: &TestApp| {
        app.ok(
            Some(&app.admin_token),
            "{ courtDirectory { version } }",
            json!({}),
        )["courtDirectory"]["version"]
            .clone()
    };
    assert_eq!(version(&app), json!("2026-12-01"));
    // No file chosen.
    let (ct, body) = super::multipart(&[("csrf", &token)], &[]);
    let p = b.post_multipart("/portal/admin/courts", &ct, &body);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body.contains("Choisissez le fichier de l&#x27;annuaire"),
        "{}",
        p.body
    );
    // Without the CSRF token nothing happens.
    let mut newer: serde_json::Value =
        serde_json::from_str(include_str!("../../../assets/courts/directory.json")).unwrap();
    newer["version"] = json!("2027-01-01");
    let newer = newer.to_string();
    let (ct, body) = super::multipart(&[], &[("directory", "annuaire.json", newer.as_bytes())]);
    let p = b.post_multipart("/portal/admin/courts", &ct, &body);
    assert_eq!(p.status, 403, "{}", p.body);
    assert_eq!(version(&app), json!("2026-12-01"));

    let (ct, body) = super::multipart(
        &[("csrf", &token)],
        &[("directory", "annuaire.json", newer.as_bytes())],
    );
    let p = b.post_multipart("/portal/admin/courts", &ct, &body);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body
            .contains("L'annuaire version 2027-01-01 est en vigueur : 317 juridictions"),
        "{}",
        p.body
    );
    assert!(p.body.contains("importé le"), "{}", p.body);
    assert_eq!(version(&app), json!("2027-01-01"));

    // Another role may not import.
    app.user("AGENT", "agent@agency.test", None);
    let mut agent = Browser::new(&app);
    agent.sign_in("agent@agency.test", "/portal");
    let token = agent.form_token();
    let (ct, body) = super::multipart(
        &[("csrf", &token)],
        &[("directory", "annuaire.json", newer.as_bytes())],
    );
    let p = agent.post_multipart("/portal/admin/courts", &ct, &body);
    assert_eq!(p.status, 403, "{}", p.body);
}

#[test]
fn an_admin_sets_the_agency_up_and_the_page_says_what_letters_still_lack() {
    let app = TestApp::spawn();
    let agency = app.organisation("AGENCY", "Recouvra Démo", "871866729");
    let mut b = admin_browser(&app);
    let page = b.get("/portal/admin/settings");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Aucun courrier ne peut partir tant que manquent"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("l&#x27;IBAN du compte dédié"),
        "{}",
        page.body
    );
    let token = csrf(&mut b);
    let mut fields = vec![
        ("csrf", token.as_str()),
        ("agencyOrganisationId", agency.as_str()),
        ("insurer", "MMA IARD"),
        ("policyNumber", "RC-778899-2026"),
        ("iban", "FR76 3000 6000 0112 3456 7890 188"),
        ("bic", "AGRIFRPP"),
        ("phone", "04 72 00 00 00"),
        ("email", ""),
        ("mailFrom", "relances@recouvra.test"),
        ("signatory", "Claire Martin, gestionnaire"),
        ("formalNoticeDays", "8"),
        ("graceDays", "3"),
        ("requireFormalNotice", "on"),
        ("maxMessagesPerWeek", "3"),
        ("reminderDaysBefore", "5"),
        ("callFromHour", "10"),
        ("callUntilHour", "18"),
    ];
    // A wrong IBAN check digit: refused next to the field, what was typed kept.
    let p = b.post("/portal/admin/settings", &fields);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"iban-error\""), "{}", p.body);
    assert!(
        p.body.contains("value=\"RC-778899-2026\""),
        "typed values kept"
    );
    fields[4] = ("iban", "FR76 3000 6000 0112 3456 7890 189");
    let p = b.post("/portal/admin/settings", &fields);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body.contains("Les réglages de l'agence sont enregistrés"),
        "{}",
        p.body
    );
    assert!(
        !p.body.contains("Aucun courrier ne peut partir"),
        "{}",
        p.body
    );
    let s = app.ok(
        Some(&app.admin_token),
        "{ agencySettings { agencyOrganisationId insurer policyNumber iban bic formalNoticeDays graceDays requireFormalNotice
            reminderDaysBefore contactRules { maxMessagesPerWeek callFromHour callUntilHour callsOnSaturday } } }",
        json!({}),
    );
    assert_eq!(
        s["agencySettings"],
        json!({ "agencyOrganisationId": agency, "insurer": "MMA IARD",
                "policyNumber": "RC-778899-2026", "iban": "FR7630006000011234567890189",
                "bic": "AGRIFRPP", "formalNoticeDays": 8, "graceDays": 3,
                "requireFormalNotice": true, "reminderDaysBefore": 5,
                "contactRules": { "maxMessagesPerWeek": 3, "callFromHour": 10, "callUntilHour": 18,
                                  "callsOnSaturday": false } })
    );
    // Calls until 9 h when they start at 10 h: refused next to the field, in French.
    let last = fields.len() - 1;
    fields[last] = ("callUntilHour", "9");
    let p = b.post("/portal/admin/settings", &fields);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("id=\"callUntilHour-error\""), "{}", p.body);
    assert!(
        p.body
            .contains("Entre 9 h et 21 h, après l&#x27;heure du début des appels."),
        "{}",
        p.body
    );
}

#[test]
fn the_security_log_reads_in_french_and_the_home_warns_of_what_needs_the_admin() {
    let app = TestApp::spawn();
    let mut b = admin_browser(&app);
    // A message that failed, and e-mails due for an hour: the scheduler does not run.
    let at = app.clock.now();
    let old = at - chrono::Duration::hours(1);
    app.exec(&format!(
        "INSERT INTO outbox (case_id, channel, kind, recipient, subject, body, status, attempts, \
         next_attempt_at, created_at) VALUES \
         (NULL, 'email', 'reminder', 'a@example.test', 'Relance', 'Texte', 'failed', 8, '{at}', '{at}'), \
         (NULL, 'email', 'reminder', 'b@example.test', 'Relance', 'Texte', 'pending', 0, '{old}', '{old}')",
        at = at.format("%Y-%m-%d %H:%M:%S"),
        old = old.format("%Y-%m-%d %H:%M:%S"),
    ));
    let home = b.get("/portal/admin");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("À surveiller"), "{}", home.body);
    // One sentence, with single spaces (the text is the page's, not the source's layout).
    assert!(
        home.body.contains(
            "1 message en échec (adresse refusée ou relais indisponible) : à relancer ou annuler"
        ),
        "{}",
        home.body
    );
    assert!(
        home.body.contains(
            "Des e-mails attendent depuis 60 minutes : le planificateur ne tourne plus (vérifiez"
        ),
        "{}",
        home.body
    );

    // A wrong password, then the log: French kinds and details, newest first.
    let r = app.gql(
        None,
        "mutation { login(email: \"admin@agency.test\", password: \"pas le bon du tout\") { accessToken } }",
        json!({}),
    );
    assert_eq!(code(&r), "UNAUTHENTICATED");
    let log = b.get("/portal/admin/security");
    assert_eq!(log.status, 200);
    let first_row = log.body.split("<tbody>").nth(1).unwrap();
    let first_row = first_row.split("</tr>").next().unwrap();
    assert!(first_row.contains("Connexion refusée"), "{first_row}");
    assert!(first_row.contains("mot de passe erroné"), "{first_row}");
    assert!(log.body.contains("connexion réussie"));
    let only = b.get("/portal/admin/security?kind=login_failed&user=");
    assert_eq!(
        only.body.matches("Connexion refusée").count(),
        2,
        "the option and one row"
    );
    let verified = b.get("/portal/admin/security?verify=1");
    assert!(
        verified.body.contains("Chaîne vérifiée"),
        "{}",
        verified.body
    );
}
