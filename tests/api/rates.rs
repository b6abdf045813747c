//! The current half-year's rates (issue 14, item 10): with the table ending in June, statements
//! stop at 30/06/2026 and say so, reminders still go out, the formal notice and the requête
//! wait with a typed code, the admins are warned from 15 days before the half-year starts, and
//! everything resumes by itself once an admin enters the rates.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::portal::Browser;
use crate::recovery::{case, run_due, world};

const STATEMENT: &str = "query($id: ID!) { statement(caseId: $id) { asOf interestUntil
    interestIncomplete missingRates totals { principalOutstanding interestTotal indemnity totalDue } } }";
const ADD_H2: &str = "mutation { addInterestRate(input: { year: 2026, half: H2, ecbRate: \"2.15\",
    legalRatePrivateCreditor: \"6.50\", legalRateOther: \"2.50\" }) { year half } }";
const MISSING: &str = "{ missingInterestRates { halfYear startsOn } }";

fn metrics(app: &TestApp) -> String {
    let (status, body) = app.http("GET", "/metrics", None);
    assert_eq!(status, 200);
    body
}

const GAUGE_H2: &str = "recouvra_interest_rates_missing{half_year=\"2026-H2\"} 1";

fn admin_home(app: &TestApp) -> String {
    let mut b = Browser::new(app);
    b.sign_in("admin@agency.test", "/portal/admin");
    let page = b.get("/portal/admin");
    assert_eq!(page.status, 200);
    page.body
}

#[test]
fn with_rates_up_to_june_a_statement_stops_at_30_june_reminders_go_and_the_notice_waits() {
    // The world of recovery.rs accepted on 1 December 2026; the table ends with 2026 H1.
    let w = world("2026-12-01");
    let (app, id) = (&w.app, w.case_id.as_str());
    let agent = token(app, "agent@agency.test");

    // F-2026-001: 1 200.00 × 12.15 % × 141 days (10/02..30/06) / 365 = 56.3227… → 56.32;
    // F-2026-002: 750.50 × 12.15 % × 110 days (13/03..30/06) / 365 = 27.4806… → 27.48;
    // nothing after 30/06 (2026 H2 not entered); 2 × 40 € indemnity.
    let s = &app.ok(Some(&agent), STATEMENT, json!({ "id": id }))["statement"];
    assert_eq!(
        *s,
        json!({ "asOf": "2026-12-01", "interestUntil": "2026-06-30", "interestIncomplete": true,
                "missingRates": "2026-H2",
                "totals": { "principalOutstanding": "1950.50", "interestTotal": "83.80",
                            "indemnity": "80.00", "totalDue": "2114.30" } })
    );

    // The first step runs: the courteous e-mail with the first letter, which says where
    // interest stopped.
    let run = run_due(app);
    assert_eq!(run["stepsRun"], 1, "{run}");
    let c = case(app, &agent, id);
    assert_eq!(c["documents"][0]["kind"], "first_letter");
    let text = squash(&pdf_text(
        app,
        &agent,
        c["documents"][0]["url"].as_str().unwrap(),
    ));
    assert!(
        text.contains("intérêts arrêtés au 30/06/2026 : taux du 2e semestre 2026 non saisi"),
        "{text}"
    );
    assert!(text.contains("2 114,30"), "{text}");
    // No task blocks the case for the rates: one warning for the agency instead.
    assert!(
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["kind"] != "step_blocked"),
        "{c}"
    );

    // The formal notice demands the whole sum: refused with a typed code.
    let r = app.gql(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("INELIGIBLE", "interestIncomplete"),
        "{r}"
    );
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("interest stopped at 30/06/2026: the rates of 2026 H2 are not entered"),
        "{r}"
    );
    // The portal says it in French, on the case page and when the form is refused.
    let mut b = Browser::new(app);
    b.sign_in("agent@agency.test", "/portal");
    let page = b.get(&format!("/portal/cases/{id}"));
    assert!(
        squash(&page.body).contains(
            "intérêts arrêtés au 30&#x2F;06&#x2F;2026 : taux du 2e semestre 2026 non saisi"
        ),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Taux d'intérêt à saisir"),
        "banner for an agent"
    );
    let version = case(app, &agent, id)["version"].to_string();
    let csrf = crate::portal::csrf_field(&page.body);
    let refused = b.post(
        &format!("/portal/cases/{id}/actions/prepare_formal_notice"),
        &[("csrf", &csrf), ("version", &version)],
    );
    assert_eq!(refused.status, 409);
    assert!(
        squash(&refused.body).contains(
            // (capitalised or not, as the form's message shows it)
            "ntérêts arrêtés au 30&#x2F;06&#x2F;2026 : taux du 2e semestre 2026 non saisi ; un administrateur doit le saisir avant toute mise en demeure ou requête"
        ),
        "{}",
        refused.body
    );

    // The warning: the API, the metric, the admin's home.
    assert_eq!(
        app.ok(Some(&agent), MISSING, json!({}))["missingInterestRates"],
        json!([{ "halfYear": "2026-H2", "startsOn": "2026-07-01" }])
    );
    assert_eq!(
        code(&app.gql(Some(&w.creditor.user.token), MISSING, json!({}))),
        "FORBIDDEN"
    );
    assert!(metrics(app).contains(GAUGE_H2));
    let home = squash(&admin_home(app));
    assert!(
        home.contains("À saisir : 2e semestre 2026 (dès le 01&#x2F;07&#x2F;2026)"),
        "{home}"
    );

    // An admin enters 2026 H2: the warning goes, the statement is complete, the notice goes.
    app.ok(Some(&app.admin_token), ADD_H2, json!({}));
    assert_eq!(
        app.ok(Some(&agent), MISSING, json!({}))["missingInterestRates"],
        json!([])
    );
    assert!(!metrics(app).contains("recouvra_interest_rates_missing{"));
    assert!(!admin_home(app).contains("Taux d'intérêt à saisir"));
    // From 01/07 at 12.15 % (2.15 + 10): 1 200.00 × 12.15 % × 154 / 365 = 61.5156… → 61.52;
    // 750.50 × 12.15 % × 154 / 365 = 38.4728… → 38.47 (01/07..01/12 = 154 days).
    let s = &app.ok(Some(&agent), STATEMENT, json!({ "id": id }))["statement"];
    assert_eq!(s["interestIncomplete"], false);
    assert_eq!(s["interestUntil"], "2026-12-01");
    assert_eq!(s["missingRates"], Value::Null);
    assert_eq!(s["totals"]["interestTotal"], "183.79");
    let r = app.ok(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    assert!(r["prepareFormalNotice"]["id"].is_string(), "{r}");
}

#[test]
fn the_rates_warning_starts_fifteen_days_before_the_half_year() {
    let app = TestApp::spawn();
    // 1 July 2026 − 15 days = 16 June: not yet on the 15th.
    set_today(&app, "2026-06-15");
    let admin = token(&app, "admin@agency.test");
    assert_eq!(
        app.ok(Some(&admin), MISSING, json!({}))["missingInterestRates"],
        json!([])
    );
    assert!(!metrics(&app).contains("recouvra_interest_rates_missing{"));
    assert!(!admin_home(&app).contains("Taux d'intérêt à saisir"));
    set_today(&app, "2026-06-16");
    let admin = token(&app, "admin@agency.test");
    assert_eq!(
        app.ok(Some(&admin), MISSING, json!({}))["missingInterestRates"],
        json!([{ "halfYear": "2026-H2", "startsOn": "2026-07-01" }])
    );
    assert!(metrics(&app).contains(GAUGE_H2));
    let home = admin_home(&app);
    assert!(home.contains("Taux d'intérêt à saisir"), "{home}");
    assert!(home.contains("2e semestre 2026"), "{home}");
}

#[test]
fn the_formal_notice_step_waits_for_the_rates_without_tasks_and_runs_once_they_are_entered() {
    // Accepted on 1 October 2026: steps on 01/10, 11/10, 18/10, 25/10, formal notice 04/11.
    let w = world("2026-10-01");
    let (app, id) = (&w.app, w.case_id.as_str());
    for day in ["2026-10-01", "2026-10-11", "2026-10-18", "2026-10-25"] {
        set_today(app, day);
        assert_eq!(run_due(app)["stepsRun"], 1, "{day}");
    }
    set_today(app, "2026-11-04");
    let run = run_due(app);
    assert_eq!(run["stepsRun"], 0, "{run}");
    assert!(
        run["blocked"][0]
            .as_str()
            .unwrap()
            .contains("interest stopped at 30/06/2026"),
        "{run}"
    );
    let agent = token(app, "agent@agency.test");
    let kinds = |c: &Value| -> Vec<String> {
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["status"] == "open")
            .map(|t| t["kind"].as_str().unwrap().to_string())
            .collect()
    };
    let c = case(app, &agent, id);
    assert!(!kinds(&c).contains(&"step_blocked".to_string()), "{c}");
    assert_eq!(c["recovery"]["nextStep"], 5);
    // The rates are entered: the next run performs the formal notice.
    app.ok(Some(&app.admin_token), ADD_H2, json!({}));
    let run = run_due(app);
    assert_eq!(run["stepsRun"], 1, "{run}");
    let c = case(app, &agent, id);
    assert_eq!(c["recovery"]["formalNoticeOn"], "2026-11-04");
    assert!(c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "formal_notice"));
}

#[test]
fn a_blocked_step_task_closes_by_itself_when_the_step_then_runs() {
    let w = world("2026-12-01");
    let (app, id) = (&w.app, w.case_id.as_str());
    // A task left by an earlier version, when a missing half-year stopped every statement.
    let now = "2026-11-30 09:00:00";
    app.exec(&format!(
        "INSERT INTO tasks (case_id, kind, title, due_on, status, created_at)
         VALUES ({id}, 'step_blocked', 'Étape de relance bloquée : no interest rate entered for 2026 H2', '2026-11-30', 'open', '{now}')"
    ));
    let agent = token(app, "agent@agency.test");
    let before = case(app, &agent, id);
    assert!(before["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "step_blocked" && t["status"] == "open"));
    assert_eq!(run_due(app)["stepsRun"], 1);
    let after = case(app, &agent, id);
    let task = after["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "step_blocked")
        .unwrap()
        .clone();
    assert_eq!(task["status"], "done", "{after}");
}

const CORRECT: &str = "mutation($i: InterestRateInput!, $r: String!) {
    correctInterestRate(input: $i, reason: $r) { year half ecbRate legalRatePrivateCreditor legalRateOther } }";

#[test]
fn a_mistyped_half_year_is_corrected_with_its_reason_statements_follow_and_the_log_keeps_it() {
    let w = world("2026-03-16");
    let app = &w.app;
    let admin = token(app, "admin@agency.test");
    let interest = || {
        app.ok(
            Some(&admin),
            "query($id: ID!) { statement(caseId: $id, asOf: \"2026-03-26\") { totals { interestTotal } } }",
            json!({ "id": w.case_id }),
        )["statement"]["totals"]["interestTotal"]
            .clone()
    };
    // As entered: 1200.00 × 12.15 % × 45 / 365 = 17.98 and 750.50 × 12.15 % × 14 / 365 = 3.50.
    assert_eq!(interest(), "21.48");
    let rates = |ecb: &str| {
        json!({ "year": 2026, "half": "H1", "ecbRate": ecb,
                "legalRatePrivateCreditor": "6.67", "legalRateOther": "2.62" })
    };
    // Refused: without a reason, with nothing changed, for a half-year never entered, and
    // for anyone but an admin.
    let r = app.gql(
        Some(&admin),
        CORRECT,
        json!({ "i": rates("2.40"), "r": " " }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "reason"), "{r}");
    let r = app.gql(
        Some(&admin),
        CORRECT,
        json!({ "i": rates("2.15"), "r": "saisie" }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "ecbRate"), "{r}");
    let mut later = rates("2.40");
    later["year"] = json!(2031);
    let r = app.gql(Some(&admin), CORRECT, json!({ "i": later, "r": "saisie" }));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "half"), "{r}");
    let r = app.gql(
        Some(&w.agent.token),
        CORRECT,
        json!({ "i": rates("2.40"), "r": "saisie" }),
    );
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    assert_eq!(interest(), "21.48", "nothing changed by the refusals");

    let d = app.ok(
        Some(&admin),
        CORRECT,
        json!({ "i": rates("2.40"), "r": "faute de frappe sur le taux BCE" }),
    );
    assert_eq!(d["correctInterestRate"]["ecbRate"], "2.40");
    // 12.40 %: 1200.00 × 45 / 365 → 18.35 and 750.50 × 14 / 365 → 3.57.
    assert_eq!(interest(), "21.92");
    let log = app.ok(
        Some(&admin),
        "{ securityLog(kind: RATE_CORRECTED, first: 5) { edges { node { userId detail } } } }",
        json!({}),
    );
    let entries = log["securityLog"]["edges"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{log}");
    assert_eq!(
        entries[0]["node"]["detail"],
        "2026 H1 : taux BCE 2,15 % → 2,40 %, taux légal créancier particulier 6,67 % → 6,67 %, \
         autres cas 2,62 % → 2,62 % ; motif : faute de frappe sur le taux BCE"
    );
    assert!(entries[0]["node"]["userId"].is_string(), "{log}");
}
