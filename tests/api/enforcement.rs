//! Conservatory measures and acts of enforcement (C. civ. 2244, CPCE L111-2, L511-1,
//! CPC 1416 al. 2): what they interrupt and restart, figures worked by hand in each test.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::legal::{legal_case, Legal};

const MEASURE: &str = "mutation($id: ID!, $i: EnforcementMeasureInput!) {
    recordEnforcementMeasure(caseId: $id, input: $i) { state legal {
        firstPersonalActOn lastEnforcementActOn
        enforcementMeasures { kind label article conservatory date officer reference }
        deadlines { kind date } } } }";

fn measure(l: &Legal, token: &str, input: Value) -> Value {
    l.app()
        .gql(Some(token), MEASURE, json!({ "id": l.id, "i": input }))
}

#[test]
fn a_conservatory_measure_before_filing_restarts_prescription_and_an_attachment_waits_for_the_title(
) {
    // A consumer's invoice due 10 March 2024 prescribes after 10 March 2026 (C. conso.
    // L218-2). A saisie conservatoire on 5 March 2026, before that last day, interrupts it
    // (C. civ. 2244): two new years from that day, to 5 March 2028 (2231).
    let (w, id) = crate::due::accepted_consumer_case("2024-02-10", "2024-03-10");
    let app = &w.app;
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let l = Legal { w, id, lawyer };
    l.refer();
    set_today(l.app(), "2026-03-05");

    // An attachment by way of enforcement needs the enforceable title (CPCE L111-2).
    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "ATTACHMENT_OF_CLAIMS", "date": "2026-03-05", "officer": "SCP Roux" }),
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    assert_eq!(field(&r), "date", "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("CPCE L111-2"),
        "{r}"
    );
    // Not in the future; not by the creditor; nothing was stored by the refusals.
    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "PROTECTIVE_ATTACHMENT", "date": "2026-03-06", "officer": "SCP Roux" }),
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    let r = measure(
        &l,
        &token(l.app(), "compta@lemaire.test"),
        json!({ "kind": "PROTECTIVE_ATTACHMENT", "date": "2026-03-05", "officer": "SCP Roux" }),
    );
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "PROTECTIVE_ATTACHMENT", "date": "2026-03-05", "officer": "  " }),
    );
    assert_eq!(field(&r), "officer", "{r}");

    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "PROTECTIVE_ATTACHMENT", "date": "2026-03-05",
                "officer": "SCP Roux, commissaires de justice", "reference": "SC-2026-114" }),
    );
    let done = &r["data"]["recordEnforcementMeasure"];
    assert_eq!(done["state"], "LEGAL", "{r}");
    assert_eq!(
        done["legal"]["enforcementMeasures"],
        json!([{ "kind": "PROTECTIVE_ATTACHMENT", "label": "Saisie conservatoire",
                 "article": "CPCE L521-1", "conservatory": true, "date": "2026-03-05",
                 "officer": "SCP Roux, commissaires de justice", "reference": "SC-2026-114" }])
    );
    // A conservatory measure is no act of enforcement.
    assert!(done["legal"]["lastEnforcementActOn"].is_null(), "{r}");

    set_today(l.app(), "2026-03-20");
    let r = l.app().ok(
        Some(&l.lawyer()),
        "query($id: ID!) { eligibility(caseId: $id) {
            conditions { key status }
            prescriptions { number startsOn endsOn restartedBy { kind date article } } } }",
        json!({ "id": l.id }),
    )["eligibility"]
        .clone();
    assert_eq!(
        r["prescriptions"],
        json!([{ "number": "F-9", "startsOn": "2026-03-05", "endsOn": "2028-03-05",
                 "restartedBy": { "kind": "ENFORCEMENT_MEASURE", "date": "2026-03-05",
                                  "article": "C. civ. 2244" } }]),
        "{r}"
    );
    let status = r["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "not_prescribed")
        .unwrap()["status"]
        .clone();
    assert_eq!(status, "MET");
    // The audit trail has the measure.
    let events = l.app().ok(
        Some(&l.lawyer()),
        "query($id: ID!) { case(id: $id) { timeline { kind } } }",
        json!({ "id": l.id }),
    );
    let kinds: Vec<&str> = events["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "enforcement_measure_recorded")
            .count(),
        1,
        "{kinds:?}"
    );
}

#[test]
fn after_a_service_not_in_person_the_first_attachment_opens_the_opposition_month_and_each_act_restarts_the_ten_years(
) {
    let l = legal_case();
    l.refer();
    l.confirm_court();
    let go = |q: &str| {
        let r = l.app().gql(Some(&l.lawyer()), q, json!({ "id": l.id }));
        assert!(r["errors"].is_null(), "{q}: {r}");
    };
    go("mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/01234\") { state } }");
    set_today(l.app(), "2026-04-08");
    go("mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-04-07\", outcome: GRANTED }) { state } }");
    // Served on Monday 20 April 2026, not to the debtor in person: enforceable from 21 May
    // whatever the mode of service (CPC 1422), the opposition month not yet running.
    set_today(l.app(), "2026-04-21");
    go("mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-04-20\", inPerson: false }) { state } }");
    set_today(l.app(), "2026-05-21");
    go("mutation($id: ID!) { recordEnforceableTitle(caseId: $id) { state } }");

    // A saisie-attribution on Tuesday 2 June 2026 is the first measure making the debtor's
    // assets unavailable (CPC 1416 al. 2): the debtor may oppose until Thursday 2 July 2026.
    // It is an act of enforcement: ten years from it, to 2 June 2036 (CPCE L111-4,
    // C. civ. 2244), where the title of 21 May gave 21 May 2036.
    set_today(l.app(), "2026-06-03");
    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "ATTACHMENT_OF_CLAIMS", "date": "2026-06-02", "officer": "SCP Roux" }),
    );
    let legal = &r["data"]["recordEnforcementMeasure"]["legal"];
    assert_eq!(legal["firstPersonalActOn"], "2026-06-02", "{r}");
    assert_eq!(legal["lastEnforcementActOn"], "2026-06-02", "{r}");
    assert_eq!(
        legal["deadlines"],
        json!([{ "kind": "OPPOSITION_WINDOW_ENDS", "date": "2026-07-02" },
               { "kind": "ENFORCEMENT_ENDS", "date": "2036-06-02" }]),
        "{r}"
    );
    assert_eq!(
        r["data"]["recordEnforcementMeasure"]["state"],
        "ENFORCEABLE"
    );

    // A saisie-vente on Monday 15 March 2027: the ten years run to 15 March 2037; the
    // opposition month stays where the first attachment put it (and has closed).
    set_today(l.app(), "2027-03-15");
    let r = measure(
        &l,
        &l.lawyer(),
        json!({ "kind": "ATTACHMENT_OF_GOODS", "date": "2027-03-15", "officer": "SCP Roux" }),
    );
    let legal = &r["data"]["recordEnforcementMeasure"]["legal"];
    assert_eq!(legal["firstPersonalActOn"], "2026-06-02", "{r}");
    assert_eq!(
        legal["deadlines"],
        json!([{ "kind": "ENFORCEMENT_ENDS", "date": "2037-03-15" }]),
        "{r}"
    );
    assert_eq!(
        legal["enforcementMeasures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["label"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Saisie-attribution", "Saisie-vente"]
    );
}
