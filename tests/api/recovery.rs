//! Amicable recovery end to end: the playbook run by the scheduler with a fake clock, letters
//! as PDFs read back, calls, a broken promise, a payment with its receipt, a plan that breaks,
//! the formal notice and its expiry; and the outbox sending each message once.

use serde_json::{json, Value};

use crate::helpers::*;

pub fn run_due(app: &TestApp) -> Value {
    app.ok(
        Some(&token(app, "admin@agency.test")),
        "mutation { runDueSteps { stepsRun tasksCreated messagesQueued promisesKept promisesBroken
            plansCompleted plansBroken noticesExpired emailsSent emailsFailed emailsUncertain blocked } }",
        json!({}),
    )["runDueSteps"]
        .clone()
}

const CASE: &str = "query($id: ID!) { case(id: $id) { state version
    recovery { nextStep firstLetterReference firstLetterOn formalNoticeOn formalNoticePostedOn
               formalNoticeDeadline formalNoticeExpired }
    messages { id channel kind status recipient subject documentId }
    documents { id kind reference sha256 url }
    tasks { id kind status }
    promises { status } paymentPlans { status } } }";

pub fn case(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(Some(token), CASE, json!({ "id": id }))["case"].clone()
}

fn totals(app: &TestApp, id: &str, as_of: &str) -> Value {
    app.ok(
        Some(&token(app, "admin@agency.test")),
        "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) {
            totals { principalOutstanding interestTotal indemnity totalDue } } }",
        json!({ "id": id, "d": as_of }),
    )["statement"]["totals"]
        .clone()
}

/// An agency with complete settings, a creditor, an agent, and one accepted case.
pub struct World {
    pub app: TestApp,
    pub agent: Login,
    pub creditor: Creditor,
    pub case_id: String,
}

pub fn world(accept_on: &str) -> World {
    world_in(TestApp::spawn(), accept_on)
}

/// The same world in a server configured by the caller.
pub fn world_in(app: TestApp, accept_on: &str) -> World {
    set_today(&app, accept_on);
    let agency = app.organisation("AGENCY", "Recouvra Démo", "871866729");
    app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3 } }),
    );
    let creditor = app.creditor("Fournitures Lemaire", "732829320", "compta@lemaire.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let case_id = app.open_case(&creditor.user.token, case_input(None));
    app.ok(
        Some(&agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": case_id }),
    );
    World {
        app,
        agent,
        creditor,
        case_id,
    }
}

#[test]
fn a_case_goes_through_its_playbook_promise_plan_and_formal_notice() {
    let w = world("2026-03-16");
    let (app, id) = (&w.app, w.case_id.as_str());
    let agent = || token(app, "agent@agency.test");
    let creditor = || token(app, "compta@lemaire.test");

    // Step 1, on acceptance: the courteous e-mail with the R124-4 first letter attached.
    let s = run_due(app);
    assert_eq!(
        (s["stepsRun"].as_i64(), s["emailsSent"].as_i64()),
        (Some(1), Some(1)),
        "{s}"
    );
    let c = case(app, &agent(), id);
    let reference = c["recovery"]["firstLetterReference"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reference.ends_with("-L01"), "{reference}");
    assert_eq!(c["recovery"]["firstLetterOn"], "2026-03-16");
    assert_eq!(c["recovery"]["nextStep"], 2);
    let mail = &c["messages"][0];
    assert_eq!(
        (mail["channel"].as_str(), mail["status"].as_str()),
        (Some("email"), Some("sent"))
    );
    assert_eq!(mail["recipient"], "compta@boulangerie-martin.fr");
    assert_eq!(c["documents"][0]["kind"], "first_letter");
    let text = squash(&pdf_text(
        app,
        &creditor(),
        c["documents"][0]["url"].as_str().unwrap(),
    ));
    for mention in [
        "recouvrement amiable",
        "Fournitures Lemaire",
        "Recouvra Démo",
        "FR76",
        "MMA IARD",
        // CPCE L111-8 al. 2 in the wording in force (loi n° 2014-344).
        "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi au créancier.",
    ] {
        assert!(text.contains(mention), "first letter lacks « {mention} »: {text}");
    }
    // Running again the same day does nothing more: each step happens once.
    let again = run_due(app);
    assert_eq!(
        (again["stepsRun"].as_i64(), again["emailsSent"].as_i64()),
        (Some(0), Some(0))
    );

    // The statement the letters are built from, as of 26 March (hand-computed: 1200.00 ×
    // 12.15 % × 45 / 365 = 17.98; 750.50 × 12.15 % × 14 / 365 = 3.50; 2 × 40 € indemnity).
    assert_eq!(
        totals(app, id, "2026-03-26"),
        json!({ "principalOutstanding": "1950.50", "interestTotal": "21.48", "indemnity": "80.00", "totalDue": "2051.98" })
    );

    // Ten days later, the firm reminder, which repeats the first letter's reference.
    set_today(app, "2026-03-26");
    let s = run_due(app);
    assert_eq!(s["stepsRun"], 1, "{s}");
    let c = case(app, &agent(), id);
    assert_eq!(c["documents"][1]["kind"], "reminder_letter");
    let text = squash(&pdf_text(
        app,
        &agent(),
        c["documents"][1]["url"].as_str().unwrap(),
    ));
    assert!(
        text.contains(&reference),
        "reminder does not repeat {reference}: {text}"
    );
    assert!(text.contains("16/03/2026"), "{text}");

    // A week later, a phone task; the agent calls and records a promise: the playbook pauses.
    set_today(app, "2026-04-02");
    let s = run_due(app);
    assert_eq!(s["tasksCreated"], 1, "{s}");
    let queue = app.ok(
        Some(&agent()),
        "{ myQueue { caseId score tasks { kind } } }",
        json!({}),
    );
    assert_eq!(queue["myQueue"][0]["caseId"], id);
    assert_eq!(queue["myQueue"][0]["tasks"][0]["kind"], "call");
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { logCall(caseId: $id, outcome: PROMISE, notes: \"Paiera 500 € le 10/04\") { call { outcome } } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-04-10\", amount: \"500.00\") { promise { status } } }",
        json!({ "id": id }),
    );
    let c = case(app, &agent(), id);
    assert!(
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] != "open"),
        "{c}"
    );
    // The creditor is told of the proposal (R124-5).
    assert!(c["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "creditor_proposal_notice"
            && m["recipient"] == "compta@lemaire.test"
            && m["subject"].as_str().unwrap().starts_with("Dossier ")));

    // Past the letter step's date, nothing is sent while the promise runs.
    set_today(app, "2026-04-13");
    assert_eq!(run_due(app)["stepsRun"], 0);
    // Unpaid past 10 April + 3 days' grace: broken, and the playbook resumes from now.
    set_today(app, "2026-04-14");
    let s = run_due(app);
    assert_eq!(
        (s["promisesBroken"].as_i64(), s["stepsRun"].as_i64()),
        (Some(1), Some(0)),
        "{s}"
    );
    assert_eq!(case(app, &agent(), id)["promises"][0]["status"], "broken");

    // A partial payment: receipt for the debtor, notice for the creditor, exact balance.
    let r = app.ok(
        Some(&agent()),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { case { state } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2026-04-14", "amount": "300.00", "method": "TRANSFER" } }),
    );
    assert_eq!(r["recordPayment"]["case"]["state"], "AMICABLE");
    let c = case(app, &agent(), id);
    let receipt = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "receipt")
        .unwrap()
        .clone();
    let text = squash(&pdf_text(app, &agent(), receipt["url"].as_str().unwrap()));
    assert!(text.contains("300,00"), "{text}");
    assert!(c["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "creditor_payment_notice"));

    // A plan for the balance of the day, refused by the mandate limits → the creditor accepts.
    let balance = totals(app, id, "2026-04-14")["totalDue"]
        .as_str()
        .unwrap()
        .to_string();
    let cents: i64 = balance.replace('.', "").parse().unwrap();
    let first = format!("{}.{:02}", (cents / 2) / 100, (cents / 2) % 100);
    let second = format!(
        "{}.{:02}",
        (cents - cents / 2) / 100,
        (cents - cents / 2) % 100
    );
    let p = app.ok(
        Some(&agent()),
        "mutation($id: ID!, $i: [InstalmentInput!]!) { proposePaymentPlan(caseId: $id, instalments: $i) { plan { status autoApproved } case { state } } }",
        json!({ "id": id, "i": [ { "dueOn": "2026-04-30", "amount": first }, { "dueOn": "2026-05-29", "amount": second } ] }),
    );
    assert_eq!(p["proposePaymentPlan"]["plan"]["status"], "proposed");
    let d = app.ok(
        Some(&creditor()),
        "mutation($id: ID!) { decidePaymentPlan(caseId: $id, accept: true) { plan { status } case { state } } }",
        json!({ "id": id }),
    );
    assert_eq!(d["decidePaymentPlan"]["case"]["state"], "PAYMENT_PLAN");
    // The first instalment is missed: past 30 April + 3 days the plan breaks.
    set_today(app, "2026-05-04");
    let s = run_due(app);
    assert_eq!(s["plansBroken"], 1, "{s}");
    let c = case(app, &agent(), id);
    assert_eq!(
        (c["state"].as_str(), c["paymentPlans"][0]["status"].as_str()),
        (Some("AMICABLE"), Some("broken"))
    );

    // The playbook resumes: 7 days later the reminder letter (on paper), 10 days later the
    // formal notice by registered letter.
    set_today(app, "2026-05-11");
    assert_eq!(run_due(app)["stepsRun"], 1);
    set_today(app, "2026-05-21");
    assert_eq!(run_due(app)["stepsRun"], 1);
    let c = case(app, &agent(), id);
    let notice = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "formal_notice")
        .unwrap()
        .clone();
    let text = squash(&pdf_text(app, &agent(), notice["url"].as_str().unwrap()));
    for mention in [
        "MISE EN DEMEURE",
        "injonction de payer",
        &reference,
        "recouvrement amiable",
    ] {
        assert!(
            text.contains(mention),
            "formal notice lacks « {mention} »: {text}"
        );
    }
    // 21 May + 8 days = 29 May 2026 (a Friday).
    assert_eq!(c["recovery"]["formalNoticeDeadline"], "2026-05-29");
    let posted = app.ok(
        Some(&agent()),
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-05-21\", trackingNumber: \"1A 234 567 8901 2\") {
            state recovery { formalNoticeDeadline } } }",
        json!({ "id": id }),
    );
    assert_eq!(posted["postFormalNotice"]["state"], "FORMAL_NOTICE");
    // Delivered on Saturday 23 May: 8 days from there end on 31 May, a Sunday → Monday 1 June.
    set_today(app, "2026-05-25");
    let delivered = app.ok(
        Some(&agent()),
        "mutation($id: ID!) { recordFormalNoticeDelivery(caseId: $id, deliveredOn: \"2026-05-23\") { recovery { formalNoticeDeadline } } }",
        json!({ "id": id }),
    );
    assert_eq!(
        delivered["recordFormalNoticeDelivery"]["recovery"]["formalNoticeDeadline"],
        "2026-06-01"
    );
    set_today(app, "2026-06-01");
    assert_eq!(run_due(app)["noticesExpired"], 0);
    set_today(app, "2026-06-02");
    assert_eq!(run_due(app)["noticesExpired"], 1);
    let c = case(app, &agent(), id);
    assert_eq!(c["recovery"]["formalNoticeExpired"], true);
    assert!(c["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "formal_notice_expired" && t["status"] == "open"));
    // Every e-mail went out exactly once.
    let sent: Vec<&Value> = c["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["channel"] == "email")
        .collect();
    assert!(sent.iter().all(|m| m["status"] == "sent"), "{sent:?}");
}

#[test]
fn concurrent_runs_perform_each_step_and_send_each_message_once() {
    let w = world("2026-03-16");
    let app = &w.app;
    // A second case, so that runs have several things to race on.
    let second = app.open_case(&w.creditor.user.token, case_input(None));
    app.ok(
        Some(&w.agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": second }),
    );
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let base = app.base.clone();
            let token = app.admin_token.clone();
            std::thread::spawn(move || {
                let r: Value = ureq::post(&format!("{base}/graphql"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .send_json(
                        json!({ "query": "mutation { runDueSteps { stepsRun emailsSent } }" }),
                    )
                    .unwrap()
                    .into_json()
                    .unwrap();
                r
            })
        })
        .collect();
    let results: Vec<Value> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let total = |k: &str| -> i64 {
        results
            .iter()
            .map(|r| {
                r["data"]["runDueSteps"][k]
                    .as_i64()
                    .unwrap_or_else(|| panic!("{r}"))
            })
            .sum()
    };
    assert_eq!(total("stepsRun"), 2, "{results:?}");
    assert_eq!(total("emailsSent"), 2, "{results:?}");
    for id in [&w.case_id, &second] {
        let c = case(app, &w.agent.token, id);
        assert_eq!(c["messages"].as_array().unwrap().len(), 1, "{c}");
        assert_eq!(c["documents"].as_array().unwrap().len(), 1, "{c}");
    }
}

#[test]
fn steps_wait_for_the_agency_settings_and_say_why() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-16");
    let creditor = app.creditor("Fournitures Lemaire", "732829320", "compta@lemaire.test");
    let id = app.open_case(&creditor.user.token, case_input(None));
    app.ok(
        Some(&app.admin_token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    let s = run_due(&app);
    assert_eq!(s["stepsRun"], 0);
    assert!(s["blocked"][0].as_str().unwrap().contains("insurer"), "{s}");
    let c = case(&app, &app.admin_token, &id);
    assert_eq!(c["recovery"]["nextStep"], 1, "nothing half-done: {c}");
    assert_eq!(c["tasks"][0]["kind"], "step_blocked");
    assert!(c["messages"].as_array().unwrap().is_empty());
    // The queue is French: the task says why in French.
    let title = app.ok(
        Some(&app.admin_token),
        "{ myQueue { tasks { kind title status } } }",
        json!({}),
    );
    assert!(
        title
            .to_string()
            .contains("Étape de relance bloquée : les réglages de l'agence sont incomplets"),
        "{title}"
    );
    // Once the settings are complete, the step runs and its blocked task closes by itself.
    let agency = app.organisation("AGENCY", "Recouvra Démo", "871866729");
    app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3 } }),
    );
    assert_eq!(run_due(&app)["stepsRun"], 1);
    let c = case(&app, &app.admin_token, &id);
    assert_eq!(c["tasks"][0]["kind"], "step_blocked");
    assert_eq!(c["tasks"][0]["status"], "done", "{c}");
}

#[test]
fn recovery_operations_follow_the_roles() {
    let w = world("2026-03-16");
    let (app, id) = (&w.app, w.case_id.as_str());
    let other = app.creditor("Berthier Bâtiment", "552100554", "gestion@berthier.test");
    // A creditor cannot log calls or run the scheduler; another creditor does not see the case.
    let r = app.gql(
        Some(&w.creditor.user.token),
        "mutation($id: ID!) { logCall(caseId: $id, outcome: REACHED) { call { id } } }",
        json!({ "id": id }),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let r = app.gql(
        Some(&w.creditor.user.token),
        "mutation { runDueSteps { stepsRun } }",
        json!({}),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let r = app.gql(
        Some(&w.agent.token),
        "mutation { runDueSteps { stepsRun } }",
        json!({}),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let r = app.gql(
        Some(&other.user.token),
        "mutation($id: ID!) { answerDispute(caseId: $id, answer: \"x\") { dispute { id } } }",
        json!({ "id": id }),
    );
    assert_eq!(code(&r), "NOT_FOUND");
    let r = app.gql(
        Some(&w.creditor.user.token),
        "{ myQueue { caseId } }",
        json!({}),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    // An agent cannot accept a plan for the creditor, nor answer its dispute.
    let r = app.gql(
        Some(&w.agent.token),
        "mutation($id: ID!) { decidePaymentPlan(caseId: $id, accept: true) { plan { id } } }",
        json!({ "id": id }),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    // The dispute round trip: agent raises, creditor answers, agent resumes.
    let r = app.ok(
        Some(&w.agent.token),
        "mutation($id: ID!) { raiseDispute(caseId: $id, reason: DELIVERY, details: \"Livraison incomplète\") { case { state } } }",
        json!({ "id": id }),
    );
    assert_eq!(r["raiseDispute"]["case"]["state"], "DISPUTED");
    app.ok(
        Some(&w.creditor.user.token),
        "mutation($id: ID!) { answerDispute(caseId: $id, answer: \"Bon de livraison signé joint\") { dispute { status } } }",
        json!({ "id": id }),
    );
    let r = app.ok(
        Some(&w.agent.token),
        "mutation($id: ID!) { resolveDispute(caseId: $id, resume: true, note: \"Livraison prouvée\") { dispute { status resolution } case { state } } }",
        json!({ "id": id }),
    );
    assert_eq!(r["resolveDispute"]["case"]["state"], "AMICABLE");
    assert_eq!(r["resolveDispute"]["dispute"]["resolution"], "resume");
    // A promise above what is owed is refused with its field.
    let r = app.gql(
        Some(&w.agent.token),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-04-10\", amount: \"99999.00\") { promise { id } } }",
        json!({ "id": id }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "amount"));
    // Documents of another creditor's case are not found.
    let (status, _) = app.http("GET", "/api/documents/1.pdf", None);
    assert_eq!(status, 401);
}

/// `recouvra run-due`, for cron: one run of the scheduler from the command line, in files mode.
#[test]
fn run_due_from_the_command_line_performs_the_due_steps_once() {
    let w = world("2026-03-16");
    let data = tempfile::tempdir().unwrap();
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_recouvra"))
            .arg("run-due")
            .env("DATABASE_URL", &w.app.db_url)
            .env("RECOUVRA_DATA_DIR", data.path())
            .env("RECOUVRA_JWT_SECRET", "x".repeat(40))
            .env("RECOUVRA_TEST_TODAY", "2026-03-20")
            .env_remove("RECOUVRA_SMTP_URL")
            .output()
            .expect("run recouvra");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    let first = run();
    assert!(first.contains("steps run: 1,"), "{first}");
    assert!(first.contains("e-mails sent: 1,"), "{first}");
    let written: Vec<_> = std::fs::read_dir(data.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].ends_with(".eml"), "{written:?}");
    let second = run();
    assert!(second.contains("steps run: 0,"), "{second}");
    assert!(second.contains("e-mails sent: 0,"), "{second}");
    assert_eq!(
        case(&w.app, &w.agent.token, &w.case_id)["messages"][0]["status"],
        "sent"
    );
}

/// A consumer owes legal interest from the formal notice (C. civ. 1231-6, 1344-1): none before
/// it is sent; from the day after its posting once posted, after its delivery once delivered.
#[test]
fn a_consumer_owes_legal_interest_from_the_formal_notice() {
    let w = world("2026-03-16");
    let app = &w.app;
    let mut input = case_input(None);
    input["debtor"] = json!({ "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
        "address": { "line1": "3 rue Neuve", "postalCode": "69003", "city": "Lyon" } });
    let id = app.open_case(&token(app, "compta@lemaire.test"), input);
    let agent = || token(app, "agent@agency.test");
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    const Q: &str = "query($id: ID!) { statement(caseId: $id, asOf: \"2026-06-30\") { regime
        invoices { interestStarts interestPeriods { from rate amount } indemnity } } }";
    let s = app.ok(Some(&agent()), Q, json!({ "id": id }))["statement"].clone();
    assert_eq!(s["regime"], "B2C");
    assert_eq!(s["invoices"][0]["interestStarts"], Value::Null);
    assert_eq!(s["invoices"][0]["indemnity"], "0.00");

    set_today(app, "2026-03-20");
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-20\", trackingNumber: \"1A00112233445\") { id } }",
        json!({ "id": id }),
    );
    // From the day after the posting, at the legal rate of 2026 H1 for a professional
    // creditor: 1200.00 × 2.62 % × 102 / 365 (21 March – 30 June) = 8.7858… → 8.79.
    let s = app.ok(Some(&agent()), Q, json!({ "id": id }))["statement"].clone();
    assert_eq!(s["invoices"][0]["interestStarts"], "2026-03-21");
    assert_eq!(
        s["invoices"][0]["interestPeriods"],
        json!([{ "from": "2026-03-21", "rate": "2.62", "amount": "8.79" }])
    );
    set_today(app, "2026-03-24");
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { recordFormalNoticeDelivery(caseId: $id, deliveredOn: \"2026-03-23\") { id } }",
        json!({ "id": id }),
    );
    // From the day after the delivery: 1200.00 × 2.62 % × 99 / 365 = 8.5277… → 8.53.
    let s = app.ok(Some(&agent()), Q, json!({ "id": id }))["statement"].clone();
    assert_eq!(s["invoices"][0]["interestStarts"], "2026-03-24");
    assert_eq!(s["invoices"][0]["interestPeriods"][0]["amount"], "8.53");
}
