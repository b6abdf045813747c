//! What a claim may demand and until when (issue 14): only the invoices already due are
//! demanded by the formal notice, the eligibility report and the requête, the others shown
//! apart; prescription restarted by the debtor's acknowledgement; the procedure's order kept
//! (no step before the referral, no filing while the report blocks, the formal notice a
//! warning unless the agency requires it). Figures by hand: base × rate × days / 36 500.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::legal::{blocking, get, legal_case, tool, Legal};
use crate::recovery::{case, world_in};

/// F-1 (1 000 €) due Saturday 14 February 2026, F-2 (500 €) due two months later, Tuesday
/// 14 April 2026.
const TWO_INVOICES: &str = r#"{
    "debtor": { "kind": "COMPANY", "name": "Boulangerie Martin", "legalForm": "SARL", "siren": "362275869",
        "address": { "line1": "12 rue des Forges", "postalCode": "21000", "city": "Dijon" },
        "email": "compta@boulangerie-martin.fr" },
    "invoices": [
        { "number": "F-1", "issueDate": "2026-01-15", "dueDate": "2026-02-14", "amount": "1000.00" },
        { "number": "F-2", "issueDate": "2026-02-14", "dueDate": "2026-04-14", "amount": "500.00" }
    ] }"#;

const DUE_TOTALS: &str = "query($id: ID!) { statement(caseId: $id) {
    invoices { number toFallDue totalDue }
    totals { totalDue toFallDue due { principal interest indemnity total } } } }";

/// A B2B world on `today` with the two-invoice case opened and accepted.
fn two_invoices(today: &str) -> Legal {
    let w = world_in(TestApp::spawn(), today);
    let app = &w.app;
    let creditor = token(app, "compta@lemaire.test");
    let id = app.open_case(&creditor, serde_json::from_str(TWO_INVOICES).unwrap());
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    Legal { w, id, lawyer }
}

#[test]
fn the_notice_the_report_and_the_requete_demand_only_the_invoice_already_due() {
    // Everything on Monday 16 March 2026. F-1 is late from 15 February: 15/02..16/03 =
    // 14 + 16 = 30 days, 1 000 × 12.15 × 30 / 36 500 = 9.986… → 9.99, plus the 40 €
    // indemnity (D441-5): 1 049,99 € demanded. F-2 falls due on 14 April: 500 € apart.
    let l = two_invoices("2026-03-16");
    let app = l.app();
    let st = app.ok(Some(&l.agent()), DUE_TOTALS, json!({ "id": l.id }))["statement"].clone();
    assert_eq!(
        st["totals"],
        json!({ "totalDue": "1549.99", "toFallDue": "500.00",
                "due": { "principal": "1000.00", "interest": "9.99", "indemnity": "40.00", "total": "1049.99" } })
    );
    assert_eq!(
        st["invoices"],
        json!([{ "number": "F-1", "toFallDue": false, "totalDue": "1049.99" },
               { "number": "F-2", "toFallDue": true, "totalDue": "500.00" }])
    );

    // The formal notice of the day (C. civ. 1344) demands F-1 only, and lists F-2 apart.
    app.ok(
        Some(&l.agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": l.id }),
    );
    let c = case(app, &l.agent(), &l.id);
    let notice = c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "formal_notice")
        .unwrap_or_else(|| panic!("no formal notice: {c}"));
    let letter = squash(&pdf_text(app, &l.agent(), notice["url"].as_str().unwrap()));
    for needle in [
        "mise en demeure de payer la somme de 1 049,99 €",
        "Total dû 1 049,99 €",
        "Factures à échoir, non réclamées par le présent courrier",
        "F-2 14/02/2026 14/04/2026 500,00 € 500,00 €",
    ] {
        assert!(
            letter.contains(needle),
            "the notice lacks « {needle} »: {letter}"
        );
    }
    assert!(
        !letter.contains("1 549,99"),
        "the notice demands F-2: {letter}"
    );

    // The eligibility report of the day: the same determined amount, F-2 named apart. No
    // formal notice was posted: a warning, not a block (Cass., avis, 25 Sept. 2025).
    l.refer();
    let report = l.eligibility();
    assert_eq!(report["eligible"], true, "{report}");
    let determined = report["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "determined_amount")
        .unwrap()
        .clone();
    assert_eq!(determined["status"], "MET");
    let reason = app.ok(
        Some(&l.lawyer()),
        "query($id: ID!) { eligibility(caseId: $id) { conditions { key reason } } }",
        json!({ "id": l.id }),
    )["eligibility"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "determined_amount")
        .unwrap()["reason"]
        .as_str()
        .unwrap()
        .replace('\u{a0}', " ");
    assert_eq!(
        reason,
        "Montant déterminé et exigible : 1 049,99 € (dont 1 000,00 € en principal), arrêté le \
         16 mars 2026 ; à échoir, non réclamé : F-2 (500,00 €, échéance le 14 avril 2026)."
    );

    // The requête of the day claims the same sum, component by component (CPC 1405, 1407).
    app.ok(
        Some(&l.lawyer()),
        "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: COMMERCIAL_COURT, name: \"Tribunal de commerce de Dijon\", transferOnOpposition: false }) { id } }",
        json!({ "id": l.id }),
    );
    let pdf = get(
        app,
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.pdf", l.id),
    )
    .unwrap();
    let (_, text) = tool("pdftotext", &["-layout"], &pdf);
    let dossier = squash(&text);
    for needle in [
        "Somme réclamée 1 049,99 €",
        "de la somme de 1 049,99 €, arrêtée au 16/03/2026",
        "Total réclamé 1 049,99 €",
        "la somme de 1 000,00 € en principal",
        "la somme de 9,99 € au titre des intérêts de retard",
        "la somme de 40,00 € au titre de l'indemnité forfaitaire",
        "facture F-2 du 14/02/2026, échéance le 14/04/2026 : 500,00 €",
        "Facture F-2 — à échoir le 14/04/2026, non réclamée",
        "Dont à échoir, non réclamé 500,00 €",
    ] {
        assert!(
            dossier.contains(needle),
            "the dossier lacks « {needle} »:\n{text}"
        );
    }
    // 1 549,99 € is the account's balance (the décompte shows it), never the sum claimed.
    assert!(dossier.contains("Total restant dû 1 549,99 €"), "{text}");
    assert!(!dossier.contains("Somme réclamée 1 549,99"), "{text}");
    assert!(!dossier.contains("Total réclamé 1 549,99"), "{text}");
}

#[test]
fn a_case_whose_invoices_are_all_still_to_fall_due_gets_no_formal_notice() {
    // On 14 February 2026 neither invoice is due: F-1 falls due that very day (the debtor
    // still pays in time), F-2 on 14 April.
    let l = two_invoices("2026-02-14");
    let r = l.app().gql(
        Some(&l.agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": l.id }),
    );
    assert_eq!(code(&r), "INVALID_TRANSITION", "{r}");
    assert_eq!(
        r["errors"][0]["message"],
        "nothing is due yet: a formal notice demands only invoices whose due date has passed; \
         the first falls due on 14/02/2026"
    );
    // The portal shows it in French.
    assert_eq!(
        recouvra::i18n::french(r["errors"][0]["message"].as_str().unwrap()),
        "rien n'est encore exigible : une mise en demeure ne réclame que les factures échues ; \
         la première échoit le 14/02/2026"
    );
    // Nothing was produced or stored.
    let c = case(l.app(), &l.agent(), &l.id);
    assert_eq!(c["documents"], json!([]), "{c}");
    assert!(c["recovery"]["formalNoticeOn"].is_null());
}

/// A consumer (Paul Durand, Lyon) owes invoice F-9 of 300,00 € issued and due on the dates
/// given; the case is opened and accepted on 2 March 2026.
pub(crate) fn accepted_consumer_case(issued: &str, due: &str) -> (crate::recovery::World, String) {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let id = app.open_case(
        &token(app, "compta@lemaire.test"),
        json!({
            "debtor": { "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
                "address": { "line1": "3 rue Neuve", "postalCode": "69003", "city": "Lyon" } },
            "invoices": [{ "number": "F-9", "issueDate": issued, "dueDate": due, "amount": "300.00" }]
        }),
    );
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    (w, id)
}

const PRESCRIPTIONS: &str = "query($id: ID!) { eligibility(caseId: $id) { eligible
    firstBlockingFailure { key }
    prescriptions { number startsOn endsOn restartedBy { kind date article } } } }";

#[test]
fn a_consumer_who_paid_200_euros_a_year_ago_is_not_prescribed() {
    // A consumer's claim prescribes in two years (C. conso. L218-2): due 10 January 2024, it
    // would be prescribed after 10 January 2026. The 200 € paid on 20 March 2025
    // acknowledged the debt (C. civ. 2240): two new years from that day, to 20 March 2027.
    // The case is taken on 2 March 2026; the payment is recorded with its own date.
    let (w, id) = accepted_consumer_case("2023-12-10", "2024-01-10");
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2025-03-20", "amount": "200.00", "method": "TRANSFER" } }),
    );
    set_today(app, "2026-03-20");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let l = Legal { w, id, lawyer };
    l.refer();
    let r = l
        .app()
        .ok(Some(&l.lawyer()), PRESCRIPTIONS, json!({ "id": l.id }))["eligibility"]
        .clone();
    assert_eq!(r["eligible"], true, "{r}");
    assert_eq!(
        r["prescriptions"],
        json!([{ "number": "F-9", "startsOn": "2025-03-20", "endsOn": "2027-03-20",
                 "restartedBy": { "kind": "PARTIAL_PAYMENT", "date": "2025-03-20", "article": "C. civ. 2240" } }])
    );
    let reason = l.eligibility()["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "not_prescribed")
        .unwrap()["status"]
        .clone();
    assert_eq!(reason, "MET");
}

#[test]
fn a_promise_to_pay_restarts_prescription_and_the_report_names_it() {
    // Due 10 March 2024 (consumer: two years to 10 March 2026); a promise made on 2 March
    // 2026, before that last day (C. civ. 2240), restarts them to 2 March 2028. On 20 March
    // 2026 the claim would otherwise be prescribed.
    let (w, id) = accepted_consumer_case("2024-02-10", "2024-03-10");
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    let r = app.gql(
        Some(&agent),
        "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-03-31\", amount: \"300.00\") { __typename } }",
        json!({ "id": id }),
    );
    assert!(r["errors"].is_null(), "{r}");
    set_today(app, "2026-03-20");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let l = Legal { w, id, lawyer };
    l.refer();
    let r = l
        .app()
        .ok(Some(&l.lawyer()), PRESCRIPTIONS, json!({ "id": l.id }))["eligibility"]
        .clone();
    assert_eq!(
        r["prescriptions"][0]["restartedBy"],
        json!({ "kind": "PROMISE", "date": "2026-03-02", "article": "C. civ. 2240" }),
        "{r}"
    );
    assert_eq!(r["prescriptions"][0]["endsOn"], "2028-03-02");
}

#[test]
fn a_step_dated_before_the_referral_is_refused_with_its_field() {
    // Referred on 16 March 2026: a filing dated 13 March cannot be recorded (the procedure
    // starts with the referral: the lawyer had no dossier before).
    let l = legal_case();
    l.refer();
    l.confirm_court();
    let r = l.app().gql(
        Some(&l.lawyer()),
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-13\", reference: \"RG 26/1\") { state } }",
        json!({ "id": l.id }),
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    assert_eq!(field(&r), "filedOn", "{r}");
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("ne peut précéder le renvoi du dossier à l'avocat (le 16 mars 2026)"));
}

#[test]
fn filing_is_refused_while_a_blocking_condition_of_the_report_fails() {
    // The formal notice's deadline runs to 10 March 2026: a filing that day is refused, as
    // the dossier is, naming the condition (the same rule, `require_eligible`).
    let l = legal_case();
    set_today(l.app(), "2026-03-10");
    l.refer();
    l.confirm_court();
    let r = l.app().gql(
        Some(&l.lawyer()),
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-10\", reference: \"RG 26/2\") { state } }",
        json!({ "id": l.id }),
    );
    assert_eq!(code(&r), "INELIGIBLE", "{r}");
    assert_eq!(field(&r), "formal_notice_expired", "{r}");
    let c = case(l.app(), &l.agent(), &l.id);
    assert_eq!(c["state"], "LEGAL", "nothing was recorded: {c}");
}

#[test]
fn a_missing_formal_notice_is_a_warning_unless_the_agency_requires_one() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    set_today(app, "2026-04-01");
    let l = Legal {
        id: w.case_id.clone(),
        lawyer,
        w,
    };
    let app = l.app();
    l.refer();
    // By default: no prior amicable step is required (Cass., avis, 25 Sept. 2025).
    let report = l.eligibility();
    assert_eq!(report["eligible"], true, "{report}");
    let status = |report: &Value| {
        report["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == "formal_notice_sent")
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&report), "WARNING");

    // The agency's convention: no requête without a formal notice.
    let settings = |require: Option<bool>| {
        let mut i = json!({ "agencyOrganisationId": null, "insurer": "MMA IARD", "policyNumber": "RC-778899",
            "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
            "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3 });
        if let Some(r) = require {
            i["requireFormalNotice"] = json!(r);
        }
        i
    };
    let agency = app.ok(
        Some(&app.admin_token),
        "{ agencySettings { agencyOrganisationId requireFormalNotice } }",
        json!({}),
    )["agencySettings"]
        .clone();
    assert_eq!(agency["requireFormalNotice"], false);
    let mut input = settings(Some(true));
    input["agencyOrganisationId"] = agency["agencyOrganisationId"].clone();
    let d = app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { requireFormalNotice } }",
        json!({ "i": input }),
    );
    assert_eq!(d["updateAgencySettings"]["requireFormalNotice"], true);
    // A client that does not send the choice leaves it as it is.
    let mut input = settings(None);
    input["agencyOrganisationId"] = agency["agencyOrganisationId"].clone();
    let d = app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { requireFormalNotice } }",
        json!({ "i": input }),
    );
    assert_eq!(d["updateAgencySettings"]["requireFormalNotice"], true);
    blocking(&l, "formal_notice_sent");
    assert_eq!(status(&l.eligibility()), "FAILED");
}

#[test]
fn a_consumers_legal_interest_rises_by_five_points_two_months_after_the_order_is_enforceable() {
    // A consumer owes 1 000 € due 31 January 2026; the formal notice posted on Monday 2 March
    // makes legal interest run from 3 March (C. civ. 1231-6, 1344-1).
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    let id = app.open_case(
        &token(app, "compta@lemaire.test"),
        json!({
            "debtor": { "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
                "address": { "line1": "3 rue Neuve", "postalCode": "69003", "city": "Lyon" } },
            "invoices": [{ "number": "F-7", "issueDate": "2026-01-01", "dueDate": "2026-01-31", "amount": "1000.00" }]
        }),
    );
    for q in [
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-02\", trackingNumber: \"1A00112233445\") { state } }",
    ] {
        app.ok(Some(&agent), q, json!({ "id": id }));
    }
    set_today(app, "2026-03-16");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let l = Legal { w, id, lawyer };
    l.refer();
    let steps = [
        ("2026-03-16", "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: JUDICIAL_COURT, name: \"Tribunal judiciaire de Lyon\", transferOnOpposition: false }) { id } }"),
        ("2026-03-16", "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/7\") { state } }"),
        ("2026-04-08", "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-04-07\", outcome: GRANTED }) { state } }"),
        ("2026-04-21", "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-04-20\", inPerson: true }) { state } }"),
        // Served on 20 April: enforceable from 21 May (CPC 1416, 1422).
        ("2026-05-21", "mutation($id: ID!) { recordEnforceableTitle(caseId: $id) { legal { enforceableOn } } }"),
    ];
    for (day, q) in steps {
        set_today(l.app(), day);
        let r = l.app().gql(Some(&l.lawyer()), q, json!({ "id": l.id }));
        assert!(r["errors"].is_null(), "{q}: {r}");
    }
    // A test value for 2026 H2 (not yet published): legal rate, other cases, 2.70 %.
    l.app().ok(
        Some(&l.app().admin_token),
        "mutation($i: InterestRateInput!) { addInterestRate(input: $i) { year } }",
        json!({ "i": { "year": 2026, "half": "H2", "ecbRate": "2.40", "legalRatePrivateCreditor": "6.50", "legalRateOther": "2.70" } }),
    );
    // Enforceable on 21 May: the two months end on 21 July, + 5 points from 22 July
    // (C. mon. fin. L313-3). As of 31 July:
    // 03/03..30/06 = 29 + 30 + 31 + 30 = 120 days at 2.62 %: 1 000 × 2.62 × 120 / 36 500 = 8.613… → 8.61
    // 01/07..21/07 = 21 days at 2.70 %: 1 000 × 2.70 × 21 / 36 500 = 1.553… → 1.55
    // 22/07..31/07 = 10 days at 7.70 %: 1 000 × 7.70 × 10 / 36 500 = 2.109… → 2.11
    let st = l.app().ok(
        Some(&l.agent()),
        "query($id: ID!) { statement(caseId: $id, asOf: \"2026-07-31\") {
            invoices { interestPeriods { from to days rate amount } interestTotal } } }",
        json!({ "id": l.id }),
    )["statement"]["invoices"][0]
        .clone();
    assert_eq!(
        st,
        json!({ "interestPeriods": [
            { "from": "2026-03-03", "to": "2026-06-30", "days": 120, "rate": "2.62", "amount": "8.61" },
            { "from": "2026-07-01", "to": "2026-07-21", "days": 21, "rate": "2.70", "amount": "1.55" },
            { "from": "2026-07-22", "to": "2026-07-31", "days": 10, "rate": "7.70", "amount": "2.11" }
        ], "interestTotal": "12.27" })
    );
}
