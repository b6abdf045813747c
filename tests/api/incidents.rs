//! The incidents of a debtor's life (C. com. L622-21, L622-28, L622-7, R622-24; C. conso.
//! L722-2): what they freeze, the interest they stop, the deadlines they open, figures and
//! dates worked by hand in each test.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::recovery::{case, run_due, world};

const RECORD: &str = "mutation($id: ID!, $i: DebtorIncidentInput!) {
    recordDebtorIncident(caseId: $id, input: $i) { state incidents {
        id kind label article occurredOn publishedOn inForce effect declarationMissed
        dates { key date } } } }";

fn record(app: &TestApp, token: &str, id: &str, input: Value) -> Value {
    app.gql(Some(token), RECORD, json!({ "id": id, "i": input }))
}

fn report(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(
        Some(token),
        "query($id: ID!) { eligibility(caseId: $id) { eligible firstBlockingFailure { key }
            conditions { key status article } } }",
        json!({ "id": id }),
    )["eligibility"]
        .clone()
}

fn status_of(report: &Value, key: &str) -> String {
    report["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn a_redressement_judiciaire_freezes_the_debtors_cases_stops_interest_and_opens_the_declaration() {
    // Accepted on Monday 16 March 2026: the playbook's first step runs that day.
    let w = world("2026-03-16");
    let (app, id) = (&w.app, w.case_id.as_str());
    let agent = || token(app, "agent@agency.test");
    let creditor = || token(app, "compta@lemaire.test");
    assert_eq!(run_due(app)["stepsRun"], 1);
    // A second open case against the same company (SIREN 362275869), for the same creditor.
    let other = app.open_case(&creditor(), case_input(None));
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": other }),
    );

    // Judgment of Tuesday 17 March 2026, published at the BODACC on Saturday 21 March.
    set_today(app, "2026-03-23");
    let bad = record(
        app,
        &agent(),
        id,
        json!({ "kind": "RECEIVERSHIP", "occurredOn": "2026-03-17", "publishedOn": "2026-03-16" }),
    );
    assert_eq!(
        (code(&bad), field(&bad)),
        ("VALIDATION", "publishedOn"),
        "{bad}"
    );
    let refused = record(
        app,
        &creditor(),
        id,
        json!({ "kind": "RECEIVERSHIP", "occurredOn": "2026-03-17" }),
    );
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    let r = record(
        app,
        &agent(),
        id,
        json!({ "kind": "RECEIVERSHIP", "occurredOn": "2026-03-17", "publishedOn": "2026-03-21",
                "court": "Tribunal de commerce de Lyon", "reference": "2026J00117",
                "representative": "SELARL MJ Synergie, 87 rue de Sèze, 69006 Lyon" }),
    );
    let incident = &r["data"]["recordDebtorIncident"]["incidents"][0];
    assert_eq!(incident["kind"], "RECEIVERSHIP", "{r}");
    assert_eq!(incident["inForce"], true);
    assert_eq!(incident["article"], "C. com. L631-14, L622-21");
    // R622-24: two months from the publication, Thursday 21 May 2026; the relief of
    // L622-26 until Monday 21 September 2026; interest stops on the judgment's day.
    assert_eq!(
        incident["dates"],
        json!([
            { "key": "interest_stops_on", "date": "2026-03-17" },
            { "key": "declaration_deadline", "date": "2026-05-21" },
            { "key": "relief_deadline", "date": "2026-09-21" },
        ])
    );
    let incident_id = incident["id"].as_str().unwrap().to_string();
    // Recorded twice, it is refused (the other case already has it too).
    let twice = record(
        app,
        &agent(),
        id,
        json!({ "kind": "RECEIVERSHIP", "occurredOn": "2026-03-17", "publishedOn": "2026-03-21" }),
    );
    assert_eq!(
        (code(&twice), field(&twice)),
        ("VALIDATION", "kind"),
        "{twice}"
    );
    // The other case of the same SIREN is frozen too, with its own declaration task.
    let o = case(app, &agent(), &other);
    assert!(
        o["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "claim_declaration" && t["status"] == "open"),
        "{o}"
    );

    // L622-28: the 1 200 € invoice bears interest from 10 February through 16 March, 35 days:
    // 1 200 × 12.15 % × 35 / 365 = 13.98; the 750.50 € left of the second from 13 to
    // 16 March, 4 days: 750.50 × 12.15 % × 4 / 365 = 1.00 — and nothing after, however late
    // the statement (21.48 € of interest on 26 March without the judgment).
    let st = app.ok(
        Some(&agent()),
        "query($id: ID!) { statement(caseId: $id, asOf: \"2026-03-26\") {
            interestStoppedByJudgmentOn totals { interestTotal indemnity totalDue } } }",
        json!({ "id": id }),
    )["statement"]
        .clone();
    assert_eq!(st["interestStoppedByJudgmentOn"], "2026-03-17");
    assert_eq!(
        st["totals"],
        json!({ "interestTotal": "14.98", "indemnity": "80.00", "totalDue": "2045.48" })
    );

    // L622-21: the reminder due on 26 March is not sent; the formal notice, a promise and the
    // eligibility report are refused, naming the condition.
    set_today(app, "2026-03-26");
    assert_eq!(run_due(app)["stepsRun"], 0);
    assert_eq!(case(app, &agent(), id)["recovery"]["nextStep"], 2);
    let notice = app.gql(
        Some(&agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { state } }",
        json!({ "id": id }),
    );
    assert_eq!(
        (code(&notice), field(&notice)),
        ("INELIGIBLE", "no_collective_proceedings"),
        "{notice}"
    );
    assert!(notice["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("jugement d'ouverture du 17 mars 2026"));
    let promise = app.gql(
        Some(&agent()),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-04-10\", amount: \"500.00\") { promise { id } } }",
        json!({ "id": id }),
    );
    assert_eq!(code(&promise), "INELIGIBLE", "{promise}");
    let rep = report(app, &agent(), id);
    assert_eq!(rep["eligible"], false);
    assert_eq!(status_of(&rep, "no_collective_proceedings"), "FAILED");
    assert_eq!(status_of(&rep, "no_over_indebtedness"), "MET");

    // L622-7: a payment received after the judgment is recorded, and flagged for the agent.
    let paid = app.ok(
        Some(&agent()),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { case { tasks { kind status title } } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2026-03-24", "amount": "100.00", "method": "TRANSFER" } }),
    );
    let tasks = paid["recordPayment"]["case"]["tasks"]
        .as_array()
        .unwrap()
        .clone();
    let flagged = tasks
        .iter()
        .find(|t| t["kind"] == "payment_after_opening")
        .expect("the payment is flagged");
    assert!(flagged["title"]
        .as_str()
        .unwrap()
        .contains("C. com. L622-7"));

    // The declaration, recorded on 2 April, closes its task.
    set_today(app, "2026-04-02");
    let declared = app.ok(
        Some(&agent()),
        "mutation($i: ID!) { recordClaimDeclaration(incidentId: $i, declaredOn: \"2026-04-02\") {
            incidents { declaredOn } tasks { kind status } } }",
        json!({ "i": incident_id }),
    );
    let d = &declared["recordClaimDeclaration"];
    assert_eq!(d["incidents"][0]["declaredOn"], "2026-04-02");
    assert!(!d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "claim_declaration" && t["status"] == "open"));

    // A plan of continuation on 10 April: recovery resumes only on the agency's decision,
    // and the reminder that waited goes out at the next run.
    set_today(app, "2026-04-10");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let r = app.gql(
        Some(&lawyer.token),
        "mutation($i: ID!) { endDebtorIncident(incidentId: $i, endedOn: \"2026-04-10\", end: RESUMED) { state } }",
        json!({ "i": incident_id }),
    );
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let ended = app.ok(
        Some(&agent()),
        "mutation($i: ID!) { endDebtorIncident(incidentId: $i, endedOn: \"2026-04-10\", end: RESUMED,
            note: \"Plan de continuation arrêté\") { state incidents { inForce end endNote } } }",
        json!({ "i": incident_id }),
    );
    assert_eq!(
        ended["endDebtorIncident"]["incidents"][0],
        json!({ "inForce": false, "end": "RESUMED", "endNote": "Plan de continuation arrêté" })
    );
    assert_eq!(run_due(app)["stepsRun"], 1);
    assert_eq!(case(app, &agent(), id)["recovery"]["nextStep"], 3);
    // The other case stays frozen until the agency decides for it too.
    assert_eq!(
        status_of(&report(app, &agent(), &other), "no_collective_proceedings"),
        "FAILED"
    );
    let again = app.gql(
        Some(&agent()),
        "mutation($i: ID!) { endDebtorIncident(incidentId: $i, endedOn: \"2026-04-10\", end: RESUMED) { state } }",
        json!({ "i": incident_id }),
    );
    assert_eq!(code(&again), "VALIDATION", "{again}");
}

#[test]
fn a_consumers_admissible_over_indebtedness_file_freezes_the_case_until_the_debt_is_erased() {
    let (w, id) = crate::due::accepted_consumer_case("2026-01-10", "2026-02-10");
    let app = &w.app;
    let agent = || token(app, "agent@agency.test");
    set_today(app, "2026-03-20");
    // A consumer is never in a procédure collective (C. com. L620-2).
    let r = record(
        app,
        &agent(),
        &id,
        json!({ "kind": "LIQUIDATION", "occurredOn": "2026-03-12" }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "kind"), "{r}");
    let r = record(
        app,
        &agent(),
        &id,
        json!({ "kind": "OVER_INDEBTEDNESS", "occurredOn": "2026-03-12",
                "court": "Commission de surendettement du Rhône" }),
    );
    let incident = &r["data"]["recordDebtorIncident"]["incidents"][0];
    assert_eq!(incident["article"], "C. conso. L722-2", "{r}");
    // No interest stop and no declaration: only the freeze.
    assert_eq!(incident["dates"], json!([]));
    let rep = report(app, &agent(), &id);
    assert_eq!(
        rep["firstBlockingFailure"]["key"], "no_over_indebtedness",
        "{rep}"
    );
    let incident_id = incident["id"].as_str().unwrap().to_string();

    // A debt is erased only by a rétablissement personnel; a liquidation's incident cannot.
    set_today(app, "2026-09-01");
    let closed = app.ok(
        Some(&agent()),
        "mutation($i: ID!) { endDebtorIncident(incidentId: $i, endedOn: \"2026-08-28\", end: DEBT_ERASED,
            note: \"Rétablissement personnel sans liquidation judiciaire, jugement définitif\") { state outcome } }",
        json!({ "i": incident_id }),
    );
    assert_eq!(
        closed["endDebtorIncident"],
        json!({ "state": "CLOSED", "outcome": "DEBT_ERASED" })
    );
}

#[test]
fn a_creditor_outside_metropolitan_france_has_four_months_and_a_missed_deadline_shows_the_relief() {
    let w = world("2026-03-16");
    let (app, id) = (&w.app, w.case_id.as_str());
    set_today(app, "2026-08-03");
    let agent = token(app, "agent@agency.test");
    // Liquidation of Friday 13 March 2026 published on Saturday 14 March: four months end on
    // Tuesday 14 July, a public holiday, so Wednesday 15 July 2026 (CPC 642); relief until
    // Monday 14 September 2026 (L622-26).
    let r = record(
        app,
        &agent,
        id,
        json!({ "kind": "LIQUIDATION", "occurredOn": "2026-03-13", "publishedOn": "2026-03-14",
                "creditorAbroad": true }),
    );
    let incident = &r["data"]["recordDebtorIncident"]["incidents"][0];
    assert_eq!(
        incident["dates"],
        json!([
            { "key": "interest_stops_on", "date": "2026-03-13" },
            { "key": "declaration_deadline", "date": "2026-07-15" },
            { "key": "relief_deadline", "date": "2026-09-14" },
        ]),
        "{r}"
    );
    assert_eq!(incident["declarationMissed"], true);
    // The task is due at once, the deadline having passed.
    let c = case(app, &agent, id);
    assert!(c["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "claim_declaration"));
}

#[test]
fn the_declaration_states_the_sums_due_at_the_judgment_and_those_to_fall_due_then_the_decision_is_recorded(
) {
    let w = world("2026-03-16");
    let app = &w.app;
    let id = app.open_case(
        &token(app, "compta@lemaire.test"),
        json!({
            "debtor": { "kind": "COMPANY", "name": "Menuiserie Petit", "legalForm": "SARL", "siren": "443061809",
                "address": { "line1": "2 rue du Port", "postalCode": "44000", "city": "Nantes" } },
            "invoices": [
                { "number": "F-1", "issueDate": "2026-01-16", "dueDate": "2026-02-15", "amount": "1000.00" },
                { "number": "F-2", "issueDate": "2026-03-02", "dueDate": "2026-05-15", "amount": "500.00" }
            ]
        }),
    );
    set_today(app, "2026-03-23");
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    let r = record(
        app,
        &agent,
        &id,
        json!({ "kind": "RECEIVERSHIP", "occurredOn": "2026-03-17", "publishedOn": "2026-03-21",
                "court": "Tribunal de commerce de Nantes", "reference": "2026J00211",
                "representative": "SELARL MJ Ouest, 4 quai de Versailles, 44000 Nantes" }),
    );
    let incident = r["data"]["recordDebtorIncident"]["incidents"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    const PREPARE: &str =
        "mutation($i: ID!, $s: String) { prepareClaimDeclaration(incidentId: $i, security: $s) {
        documents { kind url } incidents { declarationDocumentId security } } }";
    let declaration_text = |r: &Value| {
        let docs = r["prepareClaimDeclaration"]["documents"]
            .as_array()
            .unwrap();
        let doc = docs
            .iter()
            .rev()
            .find(|d| d["kind"] == "claim_declaration")
            .unwrap();
        squash(&pdf_text(app, &agent, doc["url"].as_str().unwrap()))
    };
    let r = app.ok(Some(&agent), PREPARE, json!({ "i": incident }));
    assert!(r["prepareClaimDeclaration"]["incidents"][0]["declarationDocumentId"].is_string());
    let text = declaration_text(&r);
    // F-1: 1 000 € + interest 16 February – 16 March (29 days: 1 000 × 12.15 % × 29 / 365 =
    // 9.65, stopped at the judgment, L622-28) + 40 € = 1 049.65 € due; F-2, due 15 May 2026,
    // is to fall due (500.00 €).
    for part in [
        "DÉCLARATION DE CRÉANCE",
        "SELARL MJ Ouest",
        "Redressement judiciaire, Tribunal de commerce de Nantes, n° 2026J00211",
        "Menuiserie Petit (SARL) (SIREN 443061809)",
        "9,65",
        "1 049,65",
        "Total à échoir",
        "500,00",
        "15/05/2026",
        "créance chirographaire",
        "signée par le créancier lui-même",
    ] {
        assert!(text.contains(part), "« {part} » missing: {text}");
    }
    // With the mandate's special power, the agency declares and signs for the creditor.
    app.exec("UPDATE mandates SET declares_claims = TRUE");
    let r = app.ok(
        Some(&agent),
        PREPARE,
        json!({ "i": incident, "s": "Clause de réserve de propriété (C. com. L624-16)" }),
    );
    let text = declaration_text(&r);
    assert!(
        text.contains("en vertu du pouvoir spécial de déclarer"),
        "{text}"
    );
    assert!(text.contains("Clause de réserve de propriété"), "{text}");

    let declared = app.ok(
        Some(&agent),
        "mutation($i: ID!) { recordClaimDeclaration(incidentId: $i, declaredOn: \"2026-03-23\",
            trackingNumber: \"1A 111 222 3334 5\") { incidents { declaredOn declarationTracking } } }",
        json!({ "i": incident }),
    );
    assert_eq!(
        declared["recordClaimDeclaration"]["incidents"][0],
        json!({ "declaredOn": "2026-03-23", "declarationTracking": "1A 111 222 3334 5" })
    );
    let again = app.gql(Some(&agent), PREPARE, json!({ "i": incident }));
    assert_eq!(code(&again), "INVALID_TRANSITION", "{again}");

    // L624-2: admitted in part, for 1 000 €.
    set_today(app, "2026-06-10");
    let agent = token(app, "agent@agency.test");
    const DECIDE: &str = "mutation($i: ID!, $a: String) { recordClaimDecision(incidentId: $i,
        decision: PARTLY_ADMITTED, decidedOn: \"2026-06-08\", admittedAmount: $a) {
        incidents { claimDecision claimDecidedOn admittedAmount } } }";
    let r = app.gql(Some(&agent), DECIDE, json!({ "i": incident }));
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "admittedAmount"),
        "{r}"
    );
    let r = app.ok(
        Some(&agent),
        DECIDE,
        json!({ "i": incident, "a": "1000.00" }),
    );
    assert_eq!(
        r["recordClaimDecision"]["incidents"][0],
        json!({ "claimDecision": "PARTLY_ADMITTED", "claimDecidedOn": "2026-06-08", "admittedAmount": "1000.00" })
    );
}

#[test]
fn no_reminder_nor_formal_notice_goes_out_for_a_prescribed_claim() {
    // A consumer's invoice due 10 January 2024 is prescribed after 10 January 2026 (C. conso.
    // L218-2); the case is taken on 2 March 2026: its first letter would demand it.
    let (w, id) = crate::due::accepted_consumer_case("2023-12-10", "2024-01-10");
    let app = &w.app;
    let s = run_due(app);
    // Only the world's other case, not prescribed, gets its first e-mail.
    assert_eq!(s["stepsRun"], 1, "{s}");
    let blocked = s["blocked"][0].as_str().unwrap_or_default();
    assert!(
        blocked.contains("Prescription de 2 ans acquise pour la facture F-9"),
        "{s}"
    );
    let c = case(app, &token(app, "agent@agency.test"), &id);
    assert!(
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "step_blocked"),
        "{c}"
    );
    let notice = app.gql(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { state } }",
        json!({ "id": id }),
    );
    assert_eq!(
        (code(&notice), field(&notice)),
        ("INELIGIBLE", "not_prescribed"),
        "{notice}"
    );
}

#[test]
fn one_debtor_gets_at_most_two_e_mails_a_week_whatever_the_number_of_its_cases() {
    // Three cases against the same company (SIREN 362275869), accepted on 16 March 2026:
    // the first e-mail of two goes out, the third waits for the rolling week to let it.
    let w = world("2026-03-16");
    let app = &w.app;
    let creditor = token(app, "compta@lemaire.test");
    let agent = token(app, "agent@agency.test");
    for _ in 0..2 {
        let id = app.open_case(&creditor, case_input(None));
        app.ok(
            Some(&agent),
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            json!({ "id": id }),
        );
    }
    assert_eq!(run_due(app)["stepsRun"], 2);
    assert_eq!(run_due(app)["stepsRun"], 0);
    set_today(app, "2026-03-20");
    assert_eq!(run_due(app)["stepsRun"], 0);
    set_today(app, "2026-03-24");
    assert_eq!(run_due(app)["stepsRun"], 1);
}

#[test]
fn a_demand_waiting_in_the_outbox_does_not_leave_once_the_debtor_is_in_proceedings() {
    // The formal notice was prepared on 16 March 2026 and waits to be posted when the
    // liquidation judgment of 18 March is recorded (C. com. L622-21, L641-3).
    let w = world("2026-03-16");
    let (app, id) = (&w.app, w.case_id.as_str());
    let agent = || token(app, "agent@agency.test");
    assert_eq!(run_due(app)["stepsRun"], 1);
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { state } }",
        json!({ "id": id }),
    );
    let before = case(app, &agent(), id);
    let waiting = |c: &Value, status: &str| -> Vec<String> {
        c["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "formal_notice" && m["status"] == status)
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    let notice = waiting(&before, "to_post");
    assert_eq!(notice.len(), 1, "{before}");
    let open_posting = |c: &Value| {
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "post_letter" && t["status"] == "open")
            .count()
    };
    assert_eq!(open_posting(&before), 1, "{before}");

    set_today(app, "2026-03-19");
    let r = record(
        app,
        &agent(),
        id,
        json!({ "kind": "LIQUIDATION", "occurredOn": "2026-03-18" }),
    );
    assert!(r.get("errors").is_none(), "{r}");
    let after = case(app, &agent(), id);
    assert_eq!(waiting(&after, "cancelled"), notice, "{after}");
    assert_eq!(open_posting(&after), 0, "{after}");
    // The first e-mail, sent before, stays sent.
    assert!(
        after["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["channel"] == "email" && m["status"] == "sent"),
        "{after}"
    );
    let events = app.ok(
        Some(&agent()),
        "query($id: ID!) { case(id: $id) { timeline { kind payload } } }",
        json!({ "id": id }),
    );
    let recorded = events["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "incident_recorded")
        .cloned()
        .unwrap_or_default();
    let payload: Value =
        serde_json::from_str(recorded["payload"].as_str().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(
        payload["withheld_messages"].as_array().map(|a| a.len()),
        Some(1),
        "{recorded}"
    );
}

const SETTINGS: &str = "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) {
    contactRules { maxMessagesPerWeek callFromHour callUntilHour callsOnSaturday } } }";

fn settings_with(agency: &str, rules: Value) -> Value {
    json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                   "iban": "FR76 3000 6000 0112 3456 7890 189", "mailFrom": "relances@recouvra.test",
                   "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3,
                   "contactRules": rules } })
}

#[test]
fn the_agency_sets_the_weekly_cap_and_the_hours_and_days_of_calls() {
    // Friday 22 May 2026. The agency allows three e-mails a week and calls from 10 h to 18 h,
    // not on Saturdays.
    let w = world("2026-05-22");
    let app = &w.app;
    let admin = || token(app, "admin@agency.test");
    let agent = || token(app, "agent@agency.test");
    let creditor = || token(app, "compta@lemaire.test");
    let agency = app.ok(
        Some(&admin()),
        "{ agencySettings { agencyOrganisationId contactRules { maxMessagesPerWeek callFromHour
            callUntilHour callsOnSaturday } } }",
        json!({}),
    )["agencySettings"]
        .clone();
    // The defaults, our convention.
    assert_eq!(
        agency["contactRules"],
        json!({ "maxMessagesPerWeek": 2, "callFromHour": 9, "callUntilHour": 19, "callsOnSaturday": true })
    );
    let agency = agency["agencyOrganisationId"].as_str().unwrap().to_string();
    let bad = app.gql(
        Some(&admin()),
        SETTINGS,
        settings_with(
            &agency,
            json!({ "maxMessagesPerWeek": 3, "callFromHour": 10, "callUntilHour": 10, "callsOnSaturday": false }),
        ),
    );
    assert_eq!(
        (code(&bad), field(&bad)),
        ("VALIDATION", "callUntilHour"),
        "{bad}"
    );
    let bad = app.gql(
        Some(&admin()),
        SETTINGS,
        settings_with(
            &agency,
            json!({ "maxMessagesPerWeek": 0, "callFromHour": 10, "callUntilHour": 18, "callsOnSaturday": false }),
        ),
    );
    assert_eq!(
        (code(&bad), field(&bad)),
        ("VALIDATION", "maxMessagesPerWeek"),
        "{bad}"
    );
    let saved = app.ok(
        Some(&admin()),
        SETTINGS,
        settings_with(
            &agency,
            json!({ "maxMessagesPerWeek": 3, "callFromHour": 10, "callUntilHour": 18, "callsOnSaturday": false }),
        ),
    );
    assert_eq!(
        saved["updateAgencySettings"]["contactRules"]["maxMessagesPerWeek"],
        3
    );

    // Three cases against the same company: all three first e-mails go out this week.
    for _ in 0..2 {
        let id = app.open_case(&creditor(), case_input(None));
        app.ok(
            Some(&agent()),
            "mutation($id: ID!) { acceptCase(id: $id) { state } }",
            json!({ "id": id }),
        );
    }
    assert_eq!(run_due(app)["stepsRun"], 3);

    // A playbook that starts with a call the day after acceptance: due on Saturday 23 May,
    // the task falls on Tuesday 26 May (Sunday, then Whit Monday), between 10 h and 18 h.
    app.ok(
        Some(&admin()),
        "mutation { savePlaybook(name: \"Appel d'abord\", makeDefault: true, steps: [
            { basis: ACCEPTED, delayDays: 1, channel: PHONE_TASK, template: CALL }]) { id } }",
        json!({}),
    );
    let called = app.open_case(&creditor(), case_input(None));
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": called }),
    );
    set_today(app, "2026-05-23");
    assert_eq!(run_due(app)["tasksCreated"], 1);
    let c = app.ok(
        Some(&agent()),
        "query($id: ID!) { case(id: $id) { tasks { kind title dueOn } } }",
        json!({ "id": called }),
    );
    assert_eq!(
        c["case"]["tasks"],
        json!([{ "kind": "call", "title": "Appeler le débiteur (étape du scénario) entre 10 h et 18 h",
                 "dueOn": "2026-05-26" }])
    );
}

#[test]
fn no_letter_nor_setting_may_read_like_a_bailiffs_act() {
    // C. pén. 433-13: the signatory an admin types is refused at save; a creditor whose name
    // would put « huissiers » in the letter blocks the step at render, with the reason.
    let w = world("2026-03-16");
    let app = &w.app;
    let admin = || token(app, "admin@agency.test");
    let agency = app.ok(
        Some(&admin()),
        "{ agencySettings { agencyOrganisationId } }",
        json!({}),
    )["agencySettings"]["agencyOrganisationId"]
        .as_str()
        .unwrap()
        .to_string();
    let mut input = settings_with(
        &agency,
        json!({ "maxMessagesPerWeek": 2, "callFromHour": 9, "callUntilHour": 19, "callsOnSaturday": true }),
    );
    input["i"]["signatory"] = json!("Maître Durand, Huissier de justice");
    let refused = app.gql(Some(&admin()), SETTINGS, input);
    assert_eq!(
        (code(&refused), field(&refused)),
        ("VALIDATION", "signatory"),
        "{refused}"
    );
    assert!(refused.to_string().contains("433-13"), "{refused}");

    let other = app.creditor("Huissiers Réunis", &nth_siren(7), "compta@reunis.test");
    let id = app.open_case(&other.user.token, case_input(None));
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    let s = run_due(app);
    // The world's own case gets its e-mail; the other's step is blocked with the reason.
    assert_eq!(s["stepsRun"], 1, "{s}");
    let blocked = s["blocked"].to_string();
    assert!(
        blocked.contains("« huissiers »") && blocked.contains("433-13"),
        "{s}"
    );
}

#[test]
fn after_a_death_the_agency_writes_to_the_notary_and_nothing_more_to_the_deceased() {
    // Paul Durand, a consumer, owes 300 € due 4 February 2026; the case is taken on 2 March.
    // He dies on 10 March 2026; the heirs may be summoned to choose from 11 July (four months
    // expired, C. civ. 771), then have two months (772).
    let (w, id) = crate::due::accepted_consumer_case("2026-01-05", "2026-02-04");
    let app = &w.app;
    let agent = || token(app, "agent@agency.test");
    set_today(app, "2026-03-12");
    let r = record(
        app,
        &agent(),
        &id,
        json!({ "kind": "DEATH", "occurredOn": "2026-03-10" }),
    );
    let incident = r["data"]["recordDebtorIncident"]["incidents"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string();
    const LETTER: &str = "mutation($i: ID!, $n: String) { prepareNotaryLetter(incidentId: $i, notary: $n) {
        documents { kind url } messages { kind channel status recipient } tasks { kind status } } }";
    for notary in [json!(null), json!(" , \n ")] {
        let missing = app.gql(
            Some(&agent()),
            LETTER,
            json!({ "i": incident, "n": notary }),
        );
        assert_eq!(
            (code(&missing), field(&missing)),
            ("VALIDATION", "notary"),
            "{missing}"
        );
    }
    let creditor = app.gql(
        Some(&token(app, "compta@lemaire.test")),
        LETTER,
        json!({ "i": incident, "n": "Maître Anne Roche" }),
    );
    assert_eq!(code(&creditor), "FORBIDDEN", "{creditor}");
    let done = app.ok(
        Some(&agent()),
        LETTER,
        json!({ "i": incident, "n": "Maître Anne Roche, notaire\n12 place Bellecour\n69002 Lyon" }),
    )["prepareNotaryLetter"]
        .clone();
    let doc = done["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "notary_letter")
        .cloned()
        .unwrap_or_else(|| panic!("{done}"));
    assert!(
        done["messages"].as_array().unwrap().iter().any(|m| m
            == &json!({ "kind": "notary_letter", "channel": "letter", "status": "to_post",
                        "recipient": "Maître Anne Roche" })),
        "{done}"
    );
    assert!(
        done["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "post_letter" && t["status"] == "open"),
        "{done}"
    );
    let text = squash(&pdf_text(app, &agent(), doc["url"].as_str().unwrap()));
    for needle in [
        "Maître Anne Roche notaire 12 place Bellecour 69002 Lyon",
        "Succession de Paul Durand, décédé(e) le 10/03/2026",
        "Au 12/03/2026, la succession reste redevable",
        "F-9 05/01/2026 04/02/2026 300,00 €",
        "Total dû 300,00 €",
        "qu'à partir du 11/07/2026",
        "art. 772 du Code civil",
        "art. 792 du Code civil",
    ] {
        assert!(
            text.contains(needle),
            "the letter lacks « {needle} »: {text}"
        );
    }
    // The case is frozen: no reminder goes to the deceased.
    let notice = app.gql(
        Some(&agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { state } }",
        json!({ "id": id }),
    );
    assert_eq!(
        (code(&notice), field(&notice)),
        ("INELIGIBLE", "debtor_alive"),
        "{notice}"
    );
}
