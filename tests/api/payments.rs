//! Payments: imputation by the engine, exact statement figures, refusal above the balance,
//! closure when paid in full.

use crate::helpers::*;
use serde_json::{json, Value};

const PAY: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id amount method receivedOn invoiceId }
    case { state outcome version payments { amount } timeline { kind payload } } } }";
const STATEMENT: &str = "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) {
    invoices { number principalOutstanding interestTotal interestPaid indemnityPaid totalDue interestPeriods { from to days base amount } }
    payments { date amount allocations { toIndemnity toInterest toPrincipal } }
    totals { principalOutstanding interestTotal paymentsReceived totalDue } } }";

fn accepted_case(app: &TestApp) -> (String, Login, Creditor) {
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { id } }",
        json!({ "id": id }),
    );
    (id, agent, acme)
}

fn pay(case_id: &str, date: &str, amount: &str, invoice: Option<&str>) -> Value {
    json!({ "i": { "caseId": case_id, "receivedOn": date, "amount": amount, "method": "TRANSFER",
                   "reference": "VIR 2026-0415", "invoiceId": invoice } })
}

#[test]
fn payments_are_imputed_indemnity_then_interest_then_principal_oldest_first() {
    let app = TestApp::spawn();
    let (id, agent, acme) = accepted_case(&app);
    // Undesignated: F-2026-001 (oldest due) takes 40.00 indemnity, 25.96 interest
    // (1200.00 × 12.15 % × 65 / 365), then 434.04 of principal.
    let d = app.ok(
        Some(&agent.token),
        PAY,
        pay(&id, "2026-04-15", "500.00", None),
    );
    assert_eq!(d["recordPayment"]["case"]["state"], "AMICABLE");
    let event = d["recordPayment"]["case"]["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(event["kind"], "payment_recorded");
    let payload: Value = serde_json::from_str(event["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["imputation"][0]["indemnity"], "40.00");
    assert_eq!(payload["imputation"][0]["interest"], "25.96");
    assert_eq!(payload["imputation"][0]["principal"], "434.04");

    // Designated to F-2026-002: 40.00 indemnity, 12.49 interest (750.50 × 12.15 % × 50 / 365),
    // 247.51 principal.
    let statement = app.ok(
        Some(&acme.user.token),
        "query($id: ID!) { case(id: $id) { invoices { id } } }",
        json!({ "id": id }),
    );
    let inv2 = statement["case"]["invoices"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.ok(
        Some(&agent.token),
        PAY,
        pay(&id, "2026-05-01", "300.00", Some(&inv2)),
    );

    let s = &app.ok(
        Some(&acme.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2026-06-30" }),
    )["statement"];
    assert_eq!(
        s["invoices"][0]["interestPeriods"],
        json!([
            { "from": "2026-02-10", "to": "2026-04-15", "days": 65, "base": "1200.00", "amount": "25.96" },
            { "from": "2026-04-16", "to": "2026-06-30", "days": 76, "base": "765.96", "amount": "19.38" }
        ])
    );
    assert_eq!(s["invoices"][0]["principalOutstanding"], "765.96");
    assert_eq!(s["invoices"][0]["interestPaid"], "25.96");
    assert_eq!(s["invoices"][0]["indemnityPaid"], "40.00");
    assert_eq!(s["invoices"][0]["totalDue"], "785.34");
    assert_eq!(s["invoices"][1]["interestTotal"], "22.54"); // 12.49 + 10.05 (502.99 × 60 days)
    assert_eq!(s["invoices"][1]["totalDue"], "513.04");
    assert_eq!(
        s["payments"][1]["allocations"],
        json!([{ "toIndemnity": "40.00", "toInterest": "12.49", "toPrincipal": "247.51" }])
    );
    assert_eq!(
        s["totals"],
        json!({ "principalOutstanding": "1268.95", "interestTotal": "67.88", "paymentsReceived": "800.00", "totalDue": "1298.38" })
    );

    // One cent more than what is due is refused, and nothing is recorded.
    let r = app.gql(
        Some(&agent.token),
        PAY,
        pay(&id, "2026-06-30", "1298.39", None),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "amount"));
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1298.38"),
        "{r}"
    );
    // Exactly what is due closes the case as paid.
    let d = app.ok(
        Some(&agent.token),
        PAY,
        pay(&id, "2026-06-30", "1298.38", None),
    );
    assert_eq!(d["recordPayment"]["case"]["state"], "CLOSED");
    assert_eq!(d["recordPayment"]["case"]["outcome"], "PAID");
    assert_eq!(
        d["recordPayment"]["case"]["payments"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let r = app.gql(
        Some(&agent.token),
        PAY,
        pay(&id, "2026-06-30", "1.00", None),
    );
    assert_eq!(code(&r), "INVALID_TRANSITION");
}

#[test]
fn bad_payments_are_refused_with_their_field() {
    let app = TestApp::spawn();
    let (id, agent, acme) = accepted_case(&app);
    let other = app.open_case(&acme.user.token, case_input(None));
    let other_invoice = app.ok(
        Some(&agent.token),
        "query($id: ID!) { case(id: $id) { invoices { id } } }",
        json!({ "id": other }),
    )["case"]["invoices"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    for (input, want) in [
        (pay(&id, "2026-04-15", "0", None), "amount"),
        (pay(&id, "2026-04-15", "12.345", None), "amount"),
        (pay(&id, &tomorrow, "10.00", None), "receivedOn"),
        (pay(&id, "2025-01-01", "10.00", None), "receivedOn"),
        (
            pay(&id, "2026-04-15", "10.00", Some(&other_invoice)),
            "invoiceId",
        ),
        (pay(&id, "2026-04-15", "10.00", Some("99999")), "invoiceId"),
    ] {
        let r = app.gql(Some(&agent.token), PAY, input);
        assert_eq!((code(&r), field(&r)), ("VALIDATION", want), "{r}");
    }
    // A submitted case takes no payment yet.
    let r = app.gql(
        Some(&agent.token),
        PAY,
        pay(&other, "2026-04-15", "10.00", None),
    );
    assert_eq!(code(&r), "INVALID_TRANSITION");
    let payments = app.ok(
        Some(&agent.token),
        "query($id: ID!) { case(id: $id) { payments { id } version } }",
        json!({ "id": id }),
    );
    assert_eq!(payments["case"]["payments"], json!([]));
    assert_eq!(payments["case"]["version"], 2);
}

#[test]
fn a_payment_recorded_before_the_agency_settings_leaves_a_task_in_french_for_its_receipt() {
    let app = TestApp::spawn();
    let (id, _, _) = accepted_case(&app);
    set_today(&app, "2026-04-15");
    let agent_token = token(&app, "agent@agency.test");
    app.ok(
        Some(&agent_token),
        PAY,
        pay(&id, "2026-04-15", "100.00", None),
    );
    let tasks = app.ok(
        Some(&agent_token),
        "query($id: ID!) { case(id: $id) { tasks { kind title status } } }",
        json!({ "id": id }),
    )["case"]["tasks"]
        .clone();
    let task = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["title"]
                .as_str()
                .unwrap()
                .starts_with("Quittance du paiement")
        })
        .unwrap_or_else(|| panic!("{tasks}"));
    let title = task["title"].as_str().unwrap();
    assert_eq!(
        (task["kind"].as_str(), task["status"].as_str()),
        (Some("review"), Some("open"))
    );
    assert!(
        title.contains("non émise : les réglages de l'agence"),
        "{title}"
    );
    assert!(!title.contains("the agency"), "{title}");
}
