//! `serve --demo`: the seeded data is consistent and usable through the API.

use serde_json::json;

use crate::helpers::*;

#[test]
fn the_demo_accounts_see_what_their_roles_allow() {
    let app = TestApp::spawn_demo();
    let pass = recouvra::demo::DEMO_PASSWORD;
    let cases = |token: &str| {
        app.ok(
            Some(token),
            "{ cases(first: 100) { totalCount } }",
            json!({}),
        )["cases"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let agent = app.login("agent@demo.recouvra.fr", pass).token;
    let lemaire = app.login("compta@lemaire-fournitures.fr", pass).token;
    let berthier = app.login("gestion@berthier-batiment.fr", pass).token;
    let lawyer = app.login("avocat@demo.recouvra.fr", pass).token;
    assert_eq!(cases(&agent), 30);
    // Every third case is Berthier's; the rest Lemaire's.
    assert_eq!((cases(&lemaire), cases(&berthier)), (20, 10));
    assert_eq!(cases(&lawyer), 3);
    // The agency's settings are complete, so letters can be produced.
    let s = app.ok(
        Some(&agent),
        "{ agencySettings { insurer iban signatory } }",
        json!({}),
    );
    assert_eq!(
        s["agencySettings"]["insurer"],
        "MMA IARD Assurances Mutuelles"
    );
    // The agent's queue is not empty, and some calls were logged.
    let q = app.ok(
        Some(&agent),
        "{ myQueue(first: 200) { reference } }",
        json!({}),
    );
    assert!(!q["myQueue"].as_array().unwrap().is_empty(), "{q}");
    let calls = app.ok(
        Some(&agent),
        "{ cases(first: 100) { edges { node { calls { outcome } } } } }",
        json!({}),
    );
    let logged: usize = calls["cases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["calls"].as_array().unwrap().len())
        .sum();
    assert!(logged > 0, "{calls}");
    // Seeding twice changes nothing.
    recouvra::demo::seed(
        &mut app.conn(),
        &app.clock,
        recouvra::config::HashCost::Test,
    )
    .unwrap();
    assert_eq!(cases(&agent), 30);
}
