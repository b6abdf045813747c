//! Issue 17: reminders before, not only after — a courteous e-mail to the debtor a few days
//! before a promised date and each instalment of a plan, once, with what is left to pay and
//! how; and a thank-you with the receipt after each payment.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::recovery::{case, world, World};

const PORTAL: &str = "https://recouvra.agence.test";

fn run(app: &TestApp) -> Value {
    app.ok(
        Some(&token(app, "admin@agency.test")),
        "mutation { runDueSteps { remindersAhead promisesKept plansCompleted blocked } }",
        json!({}),
    )["runDueSteps"]
        .clone()
}

/// The agency's settings with a portal address and `days` of reminder.
fn settings(w: &World, days: i64) -> Value {
    let agency = w.app.ok(
        Some(&w.app.admin_token),
        "{ agencySettings { agencyOrganisationId } }",
        json!({}),
    )["agencySettings"]["agencyOrganisationId"]
        .clone();
    w.app.gql(
        Some(&w.app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { reminderDaysBefore portalUrl } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3,
                       "portalUrl": PORTAL, "reminderDaysBefore": days } }),
    )
}

/// The case's messages of `kind`, oldest first.
fn messages(w: &World, kind: &str) -> Vec<Value> {
    let mut all: Vec<Value> = case(&w.app, &token(&w.app, "agent@agency.test"), &w.case_id)
        ["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .cloned()
        .collect();
    all.sort_by_key(|m| m["id"].as_str().unwrap().parse::<i64>().unwrap());
    all
}

fn body(w: &World, id: &str) -> String {
    w.app.ok(
        Some(&token(&w.app, "agent@agency.test")),
        "query($id: ID!) { case(id: $id) { messages { id body } } }",
        json!({ "id": w.case_id }),
    )["case"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()["body"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The case's sum due today, as the API gives it ("1234.56").
fn due_today(w: &World) -> String {
    w.app.ok(
        Some(&token(&w.app, "agent@agency.test")),
        "query($id: ID!) { statement(caseId: $id) { totals { totalDue } } }",
        json!({ "id": w.case_id }),
    )["statement"]["totals"]["totalDue"]
        .as_str()
        .unwrap()
        .to_string()
}

fn eur(amount: &str) -> String {
    recouvra::domain::fmt::euros(amount.parse().unwrap())
}

fn pay(w: &World, on: &str, amount: &str) {
    w.app.ok(
        Some(&token(&w.app, "agent@agency.test")),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { case { state } } }",
        json!({ "i": { "caseId": w.case_id, "receivedOn": on, "amount": amount, "method": "TRANSFER" } }),
    );
}

#[test]
fn the_debtor_is_reminded_once_before_a_promised_date_and_each_instalment_and_thanked_after_paying()
{
    let w = world("2026-03-16");
    let app = &w.app;
    // The delay is the agency's setting: 0 to 15 days.
    let refused = settings(&w, 16);
    assert_eq!(
        (code(&refused), field(&refused)),
        ("VALIDATION", "reminderDaysBefore"),
        "{refused}"
    );
    let ok = settings(&w, 4);
    assert_eq!(
        ok["data"]["updateAgencySettings"]["reminderDaysBefore"], 4,
        "{ok}"
    );
    run(app); // the playbook's first e-mail
    let agent = || token(app, "agent@agency.test");
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-03-27\", amount: \"500.00\") { promise { status } } }",
        json!({ "id": w.case_id }),
    );

    // Five days before: not yet. Four days before (23 March): the reminder, once.
    set_today(app, "2026-03-22");
    assert_eq!(run(app)["remindersAhead"], 0);
    set_today(app, "2026-03-23");
    let s = run(app);
    assert_eq!(s["remindersAhead"], 1, "{s}");
    let sent = messages(&w, "reminder_ahead");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["recipient"], "compta@boulangerie-martin.fr");
    assert_eq!(sent[0]["channel"], "email");
    assert_eq!(sent[0]["status"], "sent", "delivered by the same run");
    let reference = case(app, &agent(), &w.case_id)["messages"][0]["subject"]
        .as_str()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .to_string();
    assert_eq!(
        sent[0]["subject"],
        format!("Dossier {reference} — votre paiement prévu le 27/03/2026")
    );
    let text = body(&w, sent[0]["id"].as_str().unwrap());
    for part in [
        &format!("régler {} au plus tard le 27/03/2026", eur("500.00")),
        "IBAN FR76 3000 6000 0112 3456 7890 189 (BIC AGRIFRPP)",
        &format!("la référence {reference}"),
        &format!("sur votre espace : {PORTAL}/d/"),
    ] {
        assert!(text.contains(part), "« {part} » missing: {text}");
    }
    set_today(app, "2026-03-24");
    assert_eq!(run(app)["remindersAhead"], 0, "once per promise");

    // The debtor pays 200 €: thanked, with the receipt, what is left and the page's link.
    pay(&w, "2026-03-24", "200.00");
    let receipts = messages(&w, "receipt");
    assert_eq!(receipts.len(), 1);
    let thanks = body(&w, receipts[0]["id"].as_str().unwrap());
    assert!(
        thanks.contains(&format!(
            "Nous vous remercions de votre paiement de {} reçu le 24/03/2026",
            eur("200.00")
        )),
        "{thanks}"
    );
    assert!(thanks.contains("Il reste "), "{thanks}");
    assert!(thanks.contains(&format!("{PORTAL}/d/")), "{thanks}");
    // The promise is kept with the rest; a kept promise is not reminded.
    set_today(app, "2026-03-25");
    pay(&w, "2026-03-25", "300.00");
    set_today(app, "2026-03-26");
    let s = run(app);
    assert_eq!(
        (s["promisesKept"].as_i64(), s["remindersAhead"].as_i64()),
        (Some(1), Some(0)),
        "{s}"
    );

    // A plan of two instalments, accepted by the creditor.
    let due = due_today(&w);
    let cents: i64 = due.replace('.', "").parse().unwrap();
    let euros = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let (first, second) = (cents / 2, cents - cents / 2);
    app.ok(
        Some(&agent()),
        "mutation($id: ID!, $i: [InstalmentInput!]!) { proposePaymentPlan(caseId: $id, instalments: $i) { plan { status } } }",
        json!({ "id": w.case_id, "i": [ { "dueOn": "2026-04-15", "amount": euros(first) },
                                         { "dueOn": "2026-05-15", "amount": euros(second) } ] }),
    );
    app.ok(
        Some(&token(app, "compta@lemaire.test")),
        "mutation($id: ID!) { decidePaymentPlan(caseId: $id, accept: true) { case { state } } }",
        json!({ "id": w.case_id }),
    );
    // The debtor is told by e-mail that the creditor accepted, with the instalments.
    let answers = messages(&w, "plan_answer");
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0]["recipient"], "compta@boulangerie-martin.fr");
    assert_eq!(
        answers[0]["subject"],
        format!("Dossier {reference} — votre échéancier de paiement")
    );
    let text = body(&w, answers[0]["id"].as_str().unwrap());
    for part in [
        "est accepté par Fournitures Lemaire (SAS)".to_string(),
        format!("- le 15/04/2026 : {}", eur(&euros(first))),
        format!("- le 15/05/2026 : {}", eur(&euros(second))),
        "Nous vous enverrons un rappel par courriel 4 jours avant chaque échéance.".to_string(),
        format!("sur votre espace : {PORTAL}/d/"),
    ] {
        assert!(text.contains(&part), "« {part} » missing: {text}");
    }
    // 100 € paid ahead of the first instalment: the reminder asks for the rest of it.
    set_today(app, "2026-04-02");
    pay(&w, "2026-04-02", "100.00");
    set_today(app, "2026-04-11");
    assert_eq!(run(app)["remindersAhead"], 1);
    let sent = messages(&w, "reminder_ahead");
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1]["subject"],
        format!("Dossier {reference} — votre échéance du 15/04/2026")
    );
    let text = body(&w, sent[1]["id"].as_str().unwrap());
    let rest = recouvra::domain::fmt::euros(rust_decimal::Decimal::new(first - 10000, 2));
    assert!(
        text.contains(&format!(
            "L'échéance n° 1 sur 2 de votre échéancier, dans le dossier {reference} (Fournitures Lemaire (SAS)), tombe le 15/04/2026 : il reste {rest} à régler"
        )),
        "{text}"
    );
    // Paid in full before its date: the second instalment is reminded in its own window.
    set_today(app, "2026-04-14");
    pay(&w, "2026-04-14", &euros(first - 10000));
    set_today(app, "2026-05-10");
    assert_eq!(run(app)["remindersAhead"], 0);
    set_today(app, "2026-05-11");
    assert_eq!(run(app)["remindersAhead"], 1);
    set_today(app, "2026-05-12");
    assert_eq!(run(app)["remindersAhead"], 0);
    let sent = messages(&w, "reminder_ahead");
    let text = body(&w, sent[2]["id"].as_str().unwrap());
    let whole = recouvra::domain::fmt::euros(rust_decimal::Decimal::new(second, 2));
    assert!(
        text.contains("n° 2 sur 2") && text.contains(&format!("il reste {whole} à régler")),
        "{text}"
    );
    // Each reminder is a case event, and a link of its own to the debtor's page.
    assert_eq!(
        crate::harden::count(
            app,
            "SELECT COUNT(*) AS n FROM case_events WHERE kind = 'debtor_reminded_ahead'"
        ),
        3
    );
    assert_eq!(
        crate::harden::count(app, "SELECT COUNT(*) AS n FROM advance_reminders"),
        3
    );
}

#[test]
fn no_reminder_before_a_date_when_the_agency_sets_none() {
    let w = world("2026-03-16");
    let app = &w.app;
    settings(&w, 0);
    run(app);
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-03-27\", amount: \"500.00\") { promise { status } } }",
        json!({ "id": w.case_id }),
    );
    for day in ["2026-03-24", "2026-03-27"] {
        set_today(app, day);
        assert_eq!(run(app)["remindersAhead"], 0);
    }
    assert!(messages(&w, "reminder_ahead").is_empty());
}

#[test]
fn the_debtor_is_told_by_e_mail_when_the_creditor_refuses_a_plan() {
    let w = world("2026-03-16");
    let app = &w.app;
    settings(&w, 3);
    let agent = token(app, "agent@agency.test");
    let due = due_today(&w);
    app.ok(
        Some(&agent),
        "mutation($id: ID!, $i: [InstalmentInput!]!) { proposePaymentPlan(caseId: $id, instalments: $i) { plan { status } } }",
        json!({ "id": w.case_id, "i": [ { "dueOn": "2026-12-15", "amount": due } ] }),
    );
    assert!(messages(&w, "plan_answer").is_empty(), "no answer yet");
    app.ok(
        Some(&token(app, "compta@lemaire.test")),
        "mutation($id: ID!) { decidePaymentPlan(caseId: $id, accept: false) { plan { status } } }",
        json!({ "id": w.case_id }),
    );
    let answers = messages(&w, "plan_answer");
    assert_eq!(answers.len(), 1);
    let text = body(&w, answers[0]["id"].as_str().unwrap());
    assert!(
        text.contains("Fournitures Lemaire (SAS) n'a pas accepté la proposition d'échéancier"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "nouvelle proposition sur votre espace : {PORTAL}/d/"
        )),
        "{text}"
    );
    assert!(!text.contains("Vos échéances"), "{text}");
}
