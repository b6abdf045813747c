//! Statements computed by the claim engine from a case, and the interest rate table.

use crate::helpers::*;
use serde_json::json;

const STATEMENT: &str =
    "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) { asOf regime currency
    invoices { number interestStarts principalOutstanding interestTotal indemnity totalDue
               interestPeriods { from to days base rate amount } }
    totals { principalOutstanding interestTotal indemnity totalDue } } }";
const ADD_RATE: &str = "mutation($i: InterestRateInput!) { addInterestRate(input: $i) { year half ecbRate b2bDefaultRate legalRateOther } }";

#[test]
fn a_b2b_statement_shows_interest_period_by_period_and_the_indemnity() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let s = &app.ok(
        Some(&acme.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2026-06-30" }),
    )["statement"];
    assert_eq!(s["regime"], "B2B");
    // 2026 H1: ECB 2.15 % + 10 points = 12.15 % (C. com. L441-10 II).
    // F-2026-001: 1200.00 × 12.15 % × 141 / 365 = 56.3227… → 56.32, from the day after the due date.
    let inv1 = &s["invoices"][0];
    assert_eq!(inv1["interestStarts"], "2026-02-10");
    assert_eq!(
        inv1["interestPeriods"],
        json!([{ "from": "2026-02-10", "to": "2026-06-30", "days": 141, "base": "1200.00", "rate": "12.15", "amount": "56.32" }])
    );
    assert_eq!(inv1["indemnity"], "40.00");
    assert_eq!(inv1["totalDue"], "1296.32");
    // F-2026-002: (850.50 − 100.00) × 12.15 % × 110 / 365 = 27.4806… → 27.48.
    assert_eq!(s["invoices"][1]["interestTotal"], "27.48");
    assert_eq!(
        s["totals"],
        json!({ "principalOutstanding": "1950.50", "interestTotal": "83.80", "indemnity": "80.00", "totalDue": "2114.30" })
    );
}

#[test]
fn a_half_year_without_rates_stops_interest_at_the_tables_end_until_an_admin_enters_it() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let id = app.open_case(&acme.user.token, case_input(None));
    // 2026 H2 not entered: interest stops at 30/06/2026 (the figures of that day: 83.80 €
    // of interest, see the test above) and the statement says so — never an assumed rate.
    let s = &app.ok(
        Some(&acme.user.token),
        "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) { asOf interestUntil
            interestIncomplete missingRates interestWarning totals { interestTotal totalDue } } }",
        json!({ "id": id, "d": "2026-09-30" }),
    )["statement"];
    assert_eq!(
        *s,
        json!({ "asOf": "2026-09-30", "interestUntil": "2026-06-30", "interestIncomplete": true,
                "missingRates": "2026-H2",
                "interestWarning": "interest stopped at 2026-06-30: the rates of 2026-H2 are not entered",
                "totals": { "interestTotal": "83.80", "totalDue": "2114.30" } })
    );

    let rate = json!({ "i": { "year": 2026, "half": "H2", "ecbRate": "2.40", "legalRatePrivateCreditor": "6.50", "legalRateOther": "2.70" } });
    assert_eq!(
        code(&app.gql(Some(&agent.token), ADD_RATE, rate.clone())),
        "FORBIDDEN"
    );
    let d = app.ok(Some(&app.admin_token), ADD_RATE, rate.clone());
    assert_eq!(
        d["addInterestRate"],
        json!({ "year": 2026, "half": "H2", "ecbRate": "2.40", "b2bDefaultRate": "12.40", "legalRateOther": "2.70" })
    );
    let r = app.gql(Some(&app.admin_token), ADD_RATE, rate);
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "half"));
    let bad = json!({ "i": { "year": 2027, "half": "H1", "ecbRate": "2.401", "legalRatePrivateCreditor": "6.50", "legalRateOther": "2.70" } });
    assert_eq!(
        field(&app.gql(Some(&app.admin_token), ADD_RATE, bad)),
        "ecbRate"
    );

    // The period is now cut at 30 June: 12.15 % before, 12.40 % after.
    // F-2026-001: 56.32 + 1200.00 × 12.40 % × 92 / 365 (37.5057… → 37.51) = 93.83.
    // F-2026-002: 27.48 + 750.50 × 12.40 % × 92 / 365 (23.4572… → 23.46) = 50.94.
    let s = &app.ok(
        Some(&acme.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2026-09-30" }),
    )["statement"];
    let periods = &s["invoices"][0]["interestPeriods"];
    assert_eq!(periods.as_array().unwrap().len(), 2);
    assert_eq!(
        periods[1],
        json!({ "from": "2026-07-01", "to": "2026-09-30", "days": 92, "base": "1200.00", "rate": "12.40", "amount": "37.51" })
    );
    assert_eq!(s["invoices"][0]["interestTotal"], "93.83");
    assert_eq!(s["invoices"][1]["interestTotal"], "50.94");
    assert_eq!(s["totals"]["totalDue"], "2175.27");
    let rates = app.ok(
        Some(&acme.user.token),
        "{ interestRates { year half } }",
        json!({}),
    );
    assert_eq!(rates["interestRates"].as_array().unwrap().len(), 8);
}

#[test]
fn a_consumer_owes_no_interest_before_a_formal_notice_and_no_indemnity() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut input = case_input(None);
    input["debtor"] = json!({ "kind": "INDIVIDUAL", "name": "Bernard", "firstName": "Lucie",
        "address": { "line1": "8 impasse des Lilas", "postalCode": "44000", "city": "Nantes" } });
    let id = app.open_case(&acme.user.token, input);
    let s = &app.ok(
        Some(&acme.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2026-06-30" }),
    )["statement"];
    assert_eq!(s["regime"], "B2C");
    assert_eq!(
        s["totals"],
        json!({ "principalOutstanding": "1950.50", "interestTotal": "0.00", "indemnity": "0.00", "totalDue": "1950.50" })
    );
}

#[test]
fn a_statement_follows_the_case_visibility() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let other = app.creditor("Bâtiment Berthier", "871866729", "compta@berthier.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let r = app.gql(
        Some(&other.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2026-06-30" }),
    );
    assert_eq!(code(&r), "NOT_FOUND");
    let r = app.gql(
        Some(&acme.user.token),
        STATEMENT,
        json!({ "id": id, "d": "2025-01-01" }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "asOf"));
}

#[test]
fn a_contractual_rate_applies_between_professionals_never_below_three_times_the_legal_rate() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let rate_of = |rate: &str| {
        let mut input = case_input(None);
        input["contractualRate"] = json!(rate);
        let id = app.open_case(&acme.user.token, input);
        let d = app.ok(
            Some(&acme.user.token),
            "query($id: ID!) { case(id: $id) { contractualRate } statement(caseId: $id, asOf: \"2026-06-30\") {
                invoices { interestPeriods { rate amount } } } }",
            json!({ "id": id }),
        );
        (
            d["case"]["contractualRate"].clone(),
            d["statement"]["invoices"][0]["interestPeriods"][0].clone(),
        )
    };
    // 15 %: 1200.00 × 15 % × 141 / 365 = 69.5342… → 69.53.
    assert_eq!(
        rate_of("15,00"),
        (
            json!("15.00"),
            json!({ "rate": "15.00", "amount": "69.53" })
        )
    );
    // 5 % is below 3 × 2.62 % (2026 H1 legal rate): raised to 7.86 %;
    // 1200.00 × 7.86 % × 141 / 365 = 36.4356… → 36.44.
    assert_eq!(
        rate_of("5"),
        (json!("5.00"), json!({ "rate": "7.86", "amount": "36.44" }))
    );
    for (bad, why) in [
        ("abc", "percent"),
        ("0", "percent"),
        ("120", "percent"),
        ("12.345", "percent"),
    ] {
        let mut input = case_input(None);
        input["contractualRate"] = json!(bad);
        let r = app.gql(Some(&acme.user.token), OPEN_CASE, json!({ "i": input }));
        assert_eq!(
            (code(&r), field(&r)),
            ("VALIDATION", "contractualRate"),
            "{bad}: {r}"
        );
        assert!(
            r["errors"][0]["message"].as_str().unwrap().contains(why),
            "{r}"
        );
    }
    // A consumer owes legal interest from the formal notice, not a contractual rate.
    let mut input = case_input(None);
    input["debtor"] = json!({ "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
        "address": { "line1": "3 rue Neuve", "postalCode": "69003", "city": "Lyon" } });
    input["contractualRate"] = json!("10");
    let r = app.gql(Some(&acme.user.token), OPEN_CASE, json!({ "i": input }));
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "contractualRate"),
        "{r}"
    );
}
