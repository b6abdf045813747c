//! Remittances (CPCE R124-6): the payments collected for a creditor paid over within one month
//! of encashment, less the commission of the mandate, with a statement read back from its PDF.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::recovery::world;

const PAY: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }";
const PREPARE: &str =
    "mutation($c: ID!, $d: LocalDate) { prepareRemittance(creditorId: $c, upTo: $d) {
    id reference status dueOn overdue gross commission net statementUrl paidOn
    lines { caseReference debtor receivedOn amount commission net } } }";
const LIST: &str = "query($c: ID, $s: RemittanceStatus) { remittances(creditorId: $c, status: $s) {
    totalCount edges { node { reference status net } } } }";
const HELD: &str = "{ heldFunds { creditor payments amount dueOn overdue } }";

fn pay(app: &TestApp, case_id: &str, date: &str, amount: &str) {
    app.ok(
        Some(&token(app, "agent@agency.test")),
        PAY,
        json!({ "i": { "caseId": case_id, "receivedOn": date, "amount": amount, "method": "TRANSFER" } }),
    );
}

fn remittance_mails(app: &TestApp) -> Vec<(String, String, String)> {
    use diesel::prelude::*;
    use recouvra::db::schema::outbox;
    let mut conn = app.conn();
    match &mut conn {
        recouvra::db::DbConn::Sqlite(c) => outbox::table
            .filter(outbox::kind.eq("creditor_remittance_notice"))
            .select((outbox::recipient, outbox::subject, outbox::body))
            .load(c),
        recouvra::db::DbConn::Pg(c) => outbox::table
            .filter(outbox::kind.eq("creditor_remittance_notice"))
            .select((outbox::recipient, outbox::subject, outbox::body))
            .load(c),
    }
    .unwrap()
}

#[test]
fn collected_funds_are_remitted_less_the_commission_with_a_statement() {
    let w = world("2026-03-16");
    let app = &w.app;
    let creditor = w.creditor.org_id.as_str();
    set_today(app, "2026-05-10");
    pay(app, &w.case_id, "2026-04-15", "500.00");
    pay(app, &w.case_id, "2026-05-01", "300.00");
    // Another creditor's money is never mixed in.
    let other = app.creditor("Transports Vidal", "552100554", "compta@vidal.test");
    let other_case = app.open_case(&other.user.token, case_input(None));
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": other_case }),
    );
    pay(app, &other_case, "2026-05-02", "100.00");

    let agent = token(app, "agent@agency.test");
    // Held funds, oldest due first: R124-6, one month from encashment.
    let held = app.ok(Some(&agent), HELD, json!({}));
    assert_eq!(
        held["heldFunds"],
        json!([
            { "creditor": "Fournitures Lemaire", "payments": 2, "amount": "800.00", "dueOn": "2026-05-15", "overdue": false },
            { "creditor": "Transports Vidal", "payments": 1, "amount": "100.00", "dueOn": "2026-06-02", "overdue": false }
        ])
    );

    // Up to 30 April: the April payment only. 12 % commission (the mandate's 1200 bps).
    let r = app.ok(
        Some(&agent),
        PREPARE,
        json!({ "c": creditor, "d": "2026-04-30" }),
    )["prepareRemittance"]
        .clone();
    assert!(
        r["reference"].as_str().unwrap().starts_with("REV-2026-"),
        "{r}"
    );
    assert_eq!(
        (&r["status"], &r["dueOn"], &r["overdue"], &r["paidOn"]),
        (
            &json!("PREPARED"),
            &json!("2026-05-15"),
            &json!(false),
            &Value::Null
        )
    );
    assert_eq!(
        (&r["gross"], &r["commission"], &r["net"]),
        (&json!("500.00"), &json!("60.00"), &json!("440.00"))
    );
    assert_eq!(
        r["lines"],
        json!([{ "caseReference": r["lines"][0]["caseReference"], "debtor": "Boulangerie Martin",
                 "receivedOn": "2026-04-15", "amount": "500.00", "commission": "60.00", "net": "440.00" }])
    );
    // The statement, read back: the figures and the deadline.
    let text = squash(&pdf_text(
        app,
        &token(app, "compta@lemaire.test"),
        r["statementUrl"].as_str().unwrap(),
    ));
    for expected in [
        r["reference"].as_str().unwrap(),
        "Fournitures Lemaire",
        "Boulangerie Martin",
        "15/04/2026",
        "500,00",
        "60,00",
        "440,00",
        "12,00 %",
        "15/05/2026",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    // The creditor was told, with the statement attached.
    let mails = remittance_mails(app);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "compta@lemaire.test");
    assert!(mails[0].1.contains(r["reference"].as_str().unwrap()));
    assert!(
        mails[0].2.contains("Montant net : 440,00"),
        "{}",
        mails[0].2
    );

    // The rest; then nothing is left to remit.
    let r2 = app.ok(Some(&agent), PREPARE, json!({ "c": creditor }))["prepareRemittance"].clone();
    assert_eq!(
        (&r2["gross"], &r2["commission"], &r2["net"], &r2["dueOn"]),
        (
            &json!("300.00"),
            &json!("36.00"),
            &json!("264.00"),
            &json!("2026-06-01")
        )
    );
    let again = app.gql(Some(&agent), PREPARE, json!({ "c": creditor }));
    assert_eq!(
        (code(&again), field(&again)),
        ("VALIDATION", "creditorId"),
        "{again}"
    );
    let held = app.ok(Some(&agent), HELD, json!({}));
    assert_eq!(held["heldFunds"].as_array().unwrap().len(), 1, "{held}");

    // Past its due date unpaid, a remittance shows as overdue; then it is paid, once.
    set_today(app, "2026-05-20");
    let agent = token(app, "agent@agency.test");
    let list = app.ok(
        Some(&agent),
        LIST,
        json!({ "c": creditor, "s": "PREPARED" }),
    );
    assert_eq!(list["remittances"]["totalCount"], 2);
    let id = r["id"].as_str().unwrap();
    let overdue = app.ok(
        Some(&agent),
        "query { remittances(status: PREPARED) { edges { node { reference overdue } } } }",
        json!({}),
    );
    let first = overdue["remittances"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["reference"] == r["reference"])
        .unwrap()
        .clone();
    assert_eq!(first["node"]["overdue"], true);
    const PAID: &str = "mutation($id: ID!, $d: LocalDate!) { markRemittancePaid(id: $id, paidOn: $d) { status paidOn overdue } }";
    let future = app.gql(Some(&agent), PAID, json!({ "id": id, "d": "2026-05-21" }));
    assert_eq!((code(&future), field(&future)), ("VALIDATION", "paidOn"));
    let paid = app.ok(Some(&agent), PAID, json!({ "id": id, "d": "2026-05-19" }));
    assert_eq!(
        paid["markRemittancePaid"],
        json!({ "status": "PAID", "paidOn": "2026-05-19", "overdue": false })
    );
    let twice = app.gql(Some(&agent), PAID, json!({ "id": id, "d": "2026-05-19" }));
    assert_eq!(code(&twice), "INVALID_TRANSITION", "{twice}");

    // The case's audit trail says where its money went.
    let tl = app.ok(
        Some(&agent),
        "query($id: ID!) { case(id: $id) { timeline { kind } } }",
        json!({ "id": w.case_id }),
    );
    let kinds: Vec<&str> = tl["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "remittance_prepared")
            .count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"remittance_paid"), "{kinds:?}");

    // Who sees what: the creditor its own; another creditor nothing; a lawyer is refused;
    // a creditor cannot prepare or pay a remittance.
    let mine = app.ok(Some(&token(app, "compta@lemaire.test")), LIST, json!({}));
    assert_eq!(mine["remittances"]["totalCount"], 2);
    let theirs = app.ok(
        Some(&token(app, "compta@vidal.test")),
        LIST,
        json!({ "c": creditor }),
    );
    assert_eq!(theirs["remittances"]["totalCount"], 0);
    let statement = ureq::get(&format!(
        "{}{}",
        app.base,
        r["statementUrl"].as_str().unwrap()
    ))
    .set(
        "Authorization",
        &format!("Bearer {}", token(app, "compta@vidal.test")),
    )
    .call();
    assert!(
        matches!(statement, Err(ureq::Error::Status(404, _))),
        "another creditor's statement is not found"
    );
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    assert_eq!(
        code(&app.gql(Some(&lawyer.token), LIST, json!({}))),
        "FORBIDDEN"
    );
    let creditor_token = token(app, "compta@vidal.test");
    assert_eq!(
        code(&app.gql(Some(&creditor_token), PREPARE, json!({ "c": other.org_id }))),
        "FORBIDDEN"
    );
    assert_eq!(
        code(&app.gql(
            Some(&creditor_token),
            PAID,
            json!({ "id": id, "d": "2026-05-19" })
        )),
        "FORBIDDEN"
    );
}

fn mails_of_kind(app: &TestApp, kind: &str) -> Vec<String> {
    use diesel::prelude::*;
    use recouvra::db::schema::outbox;
    let mut conn = app.conn();
    match &mut conn {
        recouvra::db::DbConn::Sqlite(c) => outbox::table
            .filter(outbox::kind.eq(kind))
            .select(outbox::body)
            .load(c),
        recouvra::db::DbConn::Pg(c) => outbox::table
            .filter(outbox::kind.eq(kind))
            .select(outbox::body)
            .load(c),
    }
    .unwrap()
}

#[test]
fn a_remittance_prepared_more_than_a_month_after_encashment_goes_out_marked_late() {
    let w = world("2026-03-16");
    let app = &w.app;
    set_today(app, "2026-05-10");
    // Encashed 01/04/2026: owed to the creditor by 01/05/2026 (CPCE R124-6); prepared on 10/05.
    pay(app, &w.case_id, "2026-04-01", "1000.00");
    let agent = token(app, "agent@agency.test");
    let r = app.ok(
        Some(&agent),
        "mutation($c: ID!) { prepareRemittance(creditorId: $c) { id status dueOn overdue late net statementUrl } }",
        json!({ "c": w.creditor.org_id }),
    )["prepareRemittance"]
        .clone();
    // 12 % commission: 1 000.00 − 120.00 = 880.00.
    assert_eq!(
        (
            r["status"].as_str(),
            r["dueOn"].as_str(),
            r["overdue"].as_bool(),
            r["late"].as_bool(),
            r["net"].as_str()
        ),
        (
            Some("PREPARED"),
            Some("2026-05-01"),
            Some(true),
            Some(true),
            Some("880.00")
        ),
        "{r}"
    );
    let text = squash(&pdf_text(app, &agent, r["statementUrl"].as_str().unwrap()));
    assert!(
        text.contains("Ce reversement est en retard : les fonds encaissés devaient vous être reversés au plus tard le 01/05/2026"),
        "{text}"
    );
    // Paid the same day: no longer overdue, still late.
    let paid = app.ok(
        Some(&agent),
        "mutation($id: ID!, $d: LocalDate!) { markRemittancePaid(id: $id, paidOn: $d) { status overdue late } }",
        json!({ "id": r["id"], "d": "2026-05-10" }),
    )["markRemittancePaid"]
        .clone();
    assert_eq!(
        paid,
        json!({ "status": "PAID", "overdue": false, "late": true })
    );
    // The case page shows the creditor the lateness.
    let mut b = crate::portal::Browser::new(app);
    b.sign_in("compta@lemaire.test", "/portal");
    let page = b.get(&format!("/portal/cases/{}", w.case_id));
    assert!(
        squash(&page.body)
            .contains("versé le 10&#x2F;05&#x2F;2026 — <strong class=\"late\">en retard</strong>"),
        "{}",
        page.body
    );
}

#[test]
fn the_creditor_is_told_of_a_payment_in_french_amounts() {
    let w = world("2026-03-16");
    let app = &w.app;
    set_today(app, "2026-05-10");
    pay(app, &w.case_id, "2026-04-01", "1000.00");
    // As of 01/04: F-2026-001 owed 40 € + 1 200.00 × 12.15 % × 51 / 365 (20.3721… → 20.37)
    // + 1 200.00; the 1 000 € pay 40 + 20.37 + 939.63, leaving 260.37. F-2026-002: 750.50
    // + 750.50 × 12.15 % × 20 / 365 (4.9964… → 5.00) + 40. Balance: 1 055.87 €.
    let bodies = mails_of_kind(app, "creditor_payment_notice");
    assert_eq!(bodies.len(), 1);
    assert!(
        bodies[0].contains("Montant reçu : 1\u{a0}000,00\u{a0}€"),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[0].contains("Solde restant dû : 1\u{a0}055,87\u{a0}€"),
        "{}",
        bodies[0]
    );
}
