//! The agent's queue page: filters, sorting, the priority score explained by its parts, and
//! several cases assigned at once.

use serde_json::json;

use super::{csrf_field, Browser};
use crate::helpers::*;

fn reference(app: &TestApp, id: &str) -> String {
    let d = app.ok(
        Some(&app.admin_token),
        "query($id: ID!) { case(id: $id) { reference } }",
        json!({ "id": id }),
    );
    d["case"]["reference"].as_str().unwrap().to_string()
}

#[test]
fn an_agent_filters_sorts_reads_the_score_and_assigns_several_cases_from_the_queue() {
    let app = TestApp::spawn();
    set_today(&app, "2026-05-20");
    let c = app.creditor("Lemaire", "856624390", "compta@lemaire.test");
    let mut ids = Vec::new();
    for (n, (name, amount)) in [
        ("Boulangerie Martin", "1200.00"),
        ("Garage Durand", "300.00"),
        ("Pharmacie Petit", "5000.00"),
    ]
    .iter()
    .enumerate()
    {
        let mut input = case_input(None);
        input["debtor"]["name"] = json!(name);
        input["debtor"]["siren"] = json!(nth_siren(n as u32 + 1));
        input["invoices"][0]["amount"] = json!(amount);
        ids.push(app.open_case(&c.user.token, input));
    }
    let refs: Vec<String> = ids.iter().map(|id| reference(&app, id)).collect();
    let agent = app.user("AGENT", "agent@agency.test", None);
    let bob = app.user("AGENT", "bob@agency.test", None);
    let mut b = Browser::new(&app);
    b.sign_in("agent@agency.test", "/portal/queue");

    // The score and its parts: 1 950,50 € unpaid (19 points), 100 days late (33 points).
    let q = b.get("/portal/queue");
    assert_eq!(q.status, 200);
    assert!(q.body.contains("3 dossiers"), "{}", q.body);
    assert!(q.body.contains("montant +19, retard +33"), "{}", q.body);
    assert!(q.body.contains(">52</span>"), "the score is their sum");
    // The biggest claim first (highest score), then by reference when asked.
    let at = |body: &str, r: &str| body.find(r).unwrap_or(usize::MAX);
    assert!(
        at(&q.body, &refs[2]) < at(&q.body, &refs[0])
            && at(&q.body, &refs[0]) < at(&q.body, &refs[1])
    );
    let by_ref = b.get("/portal/queue?sort=reference");
    assert!(at(&by_ref.body, &refs[0]) < at(&by_ref.body, &refs[1]));
    // Text, folded: case and accents do not matter.
    let found = b.get("/portal/queue?q=GARAGE");
    assert!(
        found.body.contains("1 dossier") && found.body.contains(&refs[1]),
        "{}",
        found.body
    );
    assert!(!found.body.contains(&refs[0]));
    // An empty box, as the page's own links carry it, filters nothing; ticked, only cases
    // with a task past its date (none yet).
    assert!(b
        .get("/portal/queue?overdue=&who=")
        .body
        .contains("3 dossiers"));
    assert!(b
        .get("/portal/queue?overdue=1")
        .body
        .contains("avec ces filtres"));
    let none = b.get("/portal/queue?who=mine");
    assert!(none
        .body
        .contains("Rien à faire pour l'instant avec ces filtres"));

    // Two cases to Bob at once: they leave this agent's queue and are Bob's.
    let csrf = csrf_field(&q.body);
    let p = b.post(
        "/portal/queue/assign",
        &[
            ("csrf", &csrf),
            ("back", "/portal/queue?who=&sort=&page=1"),
            ("case", &ids[0]),
            ("case", &ids[1]),
            ("agent", &bob.id),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let to = p.location.unwrap();
    assert!(
        to.starts_with("/portal/queue?who=&sort=&page=1&assigned=2"),
        "{to}"
    );
    let after = b.get(&to);
    assert!(
        after.body.contains("2 dossiers attribués."),
        "{}",
        after.body
    );
    assert!(after.body.contains("1 dossier") && after.body.contains(&refs[2]));
    let mut bb = Browser::new(&app);
    bb.sign_in("bob@agency.test", "/portal/queue");
    let mine = bb.get("/portal/queue?who=mine");
    assert!(mine.body.contains("2 dossiers"), "{}", mine.body);
    assert!(mine.body.contains(&refs[0]) && mine.body.contains(&refs[1]));

    // Bob's already: said by reference, the other assigned.
    let csrf = csrf_field(&mine.body);
    let p = bb.post(
        "/portal/queue/assign",
        &[
            ("csrf", &csrf),
            ("case", &ids[0]),
            ("case", &ids[2]),
            ("agent", &bob.id),
        ],
    );
    let to = p.location.unwrap();
    assert!(to.contains("assigned=1"), "{to}");
    let page = bb.get(&to);
    assert!(
        page.body.contains(&format!("Non attribués : {}", refs[0])),
        "{}",
        page.body
    );
    let d = app.ok(
        Some(&agent.token),
        "query($id: ID!) { case(id: $id) { assignedAgent { email } } }",
        json!({ "id": ids[2] }),
    );
    assert_eq!(d["case"]["assignedAgent"]["email"], "bob@agency.test");

    // Nothing ticked, or a creditor: refused.
    let p = bb.post(
        "/portal/queue/assign",
        &[("csrf", &csrf), ("agent", &bob.id)],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Cochez au moins un dossier"));
    let mut cb = Browser::new(&app);
    cb.sign_in("compta@lemaire.test", "/portal");
    let csrf = cb.form_token();
    let p = cb.post(
        "/portal/queue/assign",
        &[("csrf", &csrf), ("case", &ids[0]), ("agent", &bob.id)],
    );
    assert_eq!(p.status, 403, "{}", p.body);
}
