//! Refused inputs: each gets `VALIDATION` naming the field, and nothing is stored.

use crate::helpers::*;
use serde_json::{json, Value};

fn case_with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut v = case_input(None);
    edit(&mut v);
    v
}

fn count_cases(app: &TestApp, token: &str) -> i64 {
    app.ok(Some(token), "{ cases { totalCount } }", json!({}))["cases"]["totalCount"]
        .as_i64()
        .unwrap()
}

#[test]
fn bad_case_inputs_are_refused_with_their_field_path() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let cases: Vec<(&str, Value)> = vec![
        (
            "invoices[0].amount",
            case_with(|v| v["invoices"][0]["amount"] = json!("0")),
        ),
        (
            "invoices[0].amount",
            case_with(|v| v["invoices"][0]["amount"] = json!("-12.00")),
        ),
        (
            "invoices[1].amount",
            case_with(|v| v["invoices"][1]["amount"] = json!("10.001")),
        ),
        (
            "invoices[0].amount",
            case_with(|v| v["invoices"][0]["amount"] = json!("douze")),
        ),
        (
            "invoices[1].dueDate",
            case_with(|v| v["invoices"][1]["dueDate"] = json!("2026-02-01")),
        ),
        ("invoices", case_with(|v| v["invoices"] = json!([]))),
        (
            "invoices[1].number",
            case_with(|v| v["invoices"][1]["number"] = json!("F-2026-001")),
        ),
        (
            "invoices[1].alreadyPaid",
            case_with(|v| v["invoices"][1]["alreadyPaid"] = json!("850.50")),
        ),
        (
            "debtor.siren",
            case_with(|v| v["debtor"]["siren"] = json!("362275868")),
        ),
        (
            "debtor.siren",
            case_with(|v| v["debtor"]["siren"] = json!("12345")),
        ),
        (
            "debtor.email",
            case_with(|v| v["debtor"]["email"] = json!("compta@@martin")),
        ),
        (
            "debtor.name",
            case_with(|v| v["debtor"]["name"] = json!("   ")),
        ),
        (
            "debtor.address.postalCode",
            case_with(|v| v["debtor"]["address"]["postalCode"] = json!("6900")),
        ),
        (
            "debtor.isConsumer",
            case_with(|v| v["debtor"]["isConsumer"] = json!(true)),
        ),
        (
            "creditorId",
            case_with(|v| v["creditorId"] = json!("999999")),
        ),
    ];
    for (want_field, input) in cases {
        let r = app.gql(Some(&acme.user.token), OPEN_CASE, json!({ "i": input }));
        assert_eq!(
            code(&r),
            if want_field == "creditorId" {
                "FORBIDDEN"
            } else {
                "VALIDATION"
            },
            "{want_field}: {r}"
        );
        if want_field != "creditorId" {
            assert_eq!(field(&r), want_field, "{r}");
        }
    }
    assert_eq!(
        count_cases(&app, &acme.user.token),
        0,
        "a refused case left something behind"
    );
}

#[test]
fn a_float_amount_is_refused_before_it_can_lose_a_cent() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let r = app.gql(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(|v| v["invoices"][0]["amount"] = json!(1200.10)) }),
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    // A whole number is an exact amount.
    let d = app.ok(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(|v| v["invoices"][0]["amount"] = json!(1200)) }),
    );
    assert_eq!(d["openCase"]["totals"]["principalClaimed"], "2050.50");
}

#[test]
fn a_case_cannot_be_opened_without_a_signed_mandate() {
    let app = TestApp::spawn();
    let org = app.organisation("CREDITOR", "Sans Mandat SA", "871866729");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let r = app.gql(
        Some(&agent.token),
        OPEN_CASE,
        json!({ "i": case_input(Some(&org)) }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "creditorId"));
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("mandate"),
        "{r}"
    );
    // A mandate signed in the future does not count (and cannot be recorded).
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let r = app.gql(
        Some(&app.admin_token),
        "mutation($i: MandateInput!) { createMandate(input: $i) { id } }",
        json!({ "i": { "organisationId": org, "signedOn": tomorrow, "commissionBps": 1000, "terms": "x" } }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "signedOn"));
    // An agent naming an unknown creditor is told so.
    let r = app.gql(
        Some(&agent.token),
        OPEN_CASE,
        json!({ "i": case_input(Some("424242")) }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "creditorId"));
    let r = app.gql(
        Some(&agent.token),
        OPEN_CASE,
        json!({ "i": case_input(Some("abc")) }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "creditorId"));
}

#[test]
fn bad_administration_inputs_are_refused_with_their_field() {
    let app = TestApp::spawn();
    let t = app.admin_token.clone();
    let org_q = "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }";
    let user_q =
        "mutation($i: UserInput!) { createUser(input: $i) { user { id } generatedPassword } }";
    let mandate_q = "mutation($i: MandateInput!) { createMandate(input: $i) { id } }";

    let r = app.gql(
        Some(&t),
        org_q,
        json!({ "i": org_input("CREDITOR", "X", "123456789") }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "siren"));
    let org = app.organisation("CREDITOR", "ACME", "856624390");
    let r = app.gql(
        Some(&t),
        org_q,
        json!({ "i": org_input("CREDITOR", "ACME bis", "856 624 390") }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "siren"),
        "duplicate SIREN"
    );

    let user = |email: &str, role: &str, org: Option<&str>| json!({ "i": { "email": email, "displayName": "X", "role": role, "organisationId": org } });
    let r = app.gql(Some(&t), user_q, user("not-an-email", "AGENT", None));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "email"));
    let r = app.gql(
        Some(&t),
        user_q,
        user("c@acme.test", "CREDITOR", Some("98765")),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "organisationId"));
    let r = app.gql(Some(&t), user_q, user("c@acme.test", "CREDITOR", None));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "organisationId"));
    let r = app.gql(Some(&t), user_q, user("a@agency.test", "AGENT", Some(&org)));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "organisationId"));
    let r = app.gql(Some(&t), user_q, json!({ "i": { "email": "s@agency.test", "displayName": "S", "role": "AGENT", "password": "short" } }));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "password"));
    // Without a password, one is generated and shown once; it works.
    let d = app.ok(
        Some(&t),
        user_q,
        user("c@acme.test", "CREDITOR", Some(&org)),
    );
    let generated = d["createUser"]["generatedPassword"].as_str().unwrap();
    app.login("c@acme.test", generated);
    let r = app.gql(
        Some(&t),
        user_q,
        user("C@ACME.test", "CREDITOR", Some(&org)),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "email"),
        "duplicate e-mail"
    );

    let mandate = |org: &str, bps: i32| json!({ "i": { "organisationId": org, "signedOn": "2025-06-01", "commissionBps": bps, "terms": "Mandat." } });
    let r = app.gql(Some(&t), mandate_q, mandate("55555", 1000));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "organisationId"));
    let r = app.gql(Some(&t), mandate_q, mandate(&org, 10001));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "commissionBps"));
    let agency = app.organisation("AGENCY", "Agence", "871866729");
    let r = app.gql(Some(&t), mandate_q, mandate(&agency, 1000));
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "organisationId"));
}
