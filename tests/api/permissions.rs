//! The permission matrix: every operation × every role × own/foreign case (DESIGN.md §1).
//! Expected answers are written out, not derived from the policy under test.

use crate::helpers::*;
use serde_json::{json, Value};

/// Who calls, in the column order of the table below.
const WHO: [&str; 7] = [
    "anonymous",
    "admin",
    "agent",
    "lawyer of the case",
    "other lawyer",
    "own creditor",
    "foreign creditor",
];

struct World {
    app: TestApp,
    tokens: Vec<Option<String>>,
    own: Creditor,
    agent_id: String,
    lawyer_id: i64,
    other_lawyer_id: String,
}

fn world() -> World {
    let app = TestApp::spawn();
    // Within the half-years whose rates the migrations seed.
    set_today(&app, "2026-05-04");
    let agency = app.organisation("AGENCY", "Recouvra Démo", "552100554");
    app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-1",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin", "formalNoticeDays": 8, "graceDays": 3 } }),
    );
    let own = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let foreign = app.creditor("Bâtiment Berthier", "871866729", "compta@berthier.test");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let lawyer = app.user("LAWYER", "avocat@agency.test", None);
    let other_lawyer = app.user("LAWYER", "autre.avocat@agency.test", None);
    let tokens = vec![
        None,
        Some(app.admin_token.clone()),
        Some(agent.token.clone()),
        Some(lawyer.token.clone()),
        Some(other_lawyer.token.clone()),
        Some(own.user.token.clone()),
        Some(foreign.user.token.clone()),
    ];
    World {
        tokens,
        agent_id: agent.id,
        lawyer_id: lawyer.id.parse().unwrap(),
        other_lawyer_id: other_lawyer.id,
        own,
        app,
    }
}

impl World {
    /// A fresh submitted case of the own creditor, referred to the lawyer of the case.
    fn fresh_case(&self) -> String {
        let id = self.app.open_case(&self.own.user.token, case_input(None));
        use diesel::prelude::*;
        use recouvra::db::schema::cases;
        diesel::update(cases::table.find(id.parse::<i64>().unwrap()))
            .set(cases::assigned_lawyer_id.eq(Some(self.lawyer_id)))
            .execute(&mut self.app.conn())
            .unwrap();
        id
    }
}

impl World {
    /// Runs a query as the admin, which must succeed (to set up the state a row needs).
    fn admin(&self, query: &str, variables: Value) -> Value {
        self.app.ok(self.tokens[1].as_deref(), query, variables)
    }

    fn accepted(&self, id: &str) {
        self.admin(
            "mutation($id: ID!) { acceptCase(id: $id) { id } }",
            json!({ "id": id }),
        );
    }

    fn with_dispute(&self, id: &str) {
        self.accepted(id);
        self.admin(
            "mutation($id: ID!) { raiseDispute(caseId: $id, reason: QUALITY, details: \"Livraison abîmée\") { dispute { id } } }",
            json!({ "id": id }),
        );
    }

    /// An accepted case with a plan proposed to the creditor, for the whole balance.
    fn with_plan(&self, id: &str) {
        self.accepted(id);
        let total = self.admin(
            "query($id: ID!) { statement(caseId: $id) { totals { totalDue } } }",
            json!({ "id": id }),
        )["statement"]["totals"]["totalDue"]
            .as_str()
            .unwrap()
            .replace('.', "")
            .parse::<i64>()
            .unwrap();
        let first = total - 10_000;
        self.admin(
            "mutation($id: ID!, $i: [InstalmentInput!]!) { proposePaymentPlan(caseId: $id, instalments: $i) { plan { id } } }",
            json!({ "id": id, "i": [
                { "dueOn": "2026-06-05", "amount": format!("{}.{:02}", first / 100, first % 100) },
                { "dueOn": "2026-07-05", "amount": "100.00" } ] }),
        );
    }

    fn with_formal_notice(&self, id: &str) -> Value {
        self.accepted(id);
        self.admin(
            "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
            json!({ "id": id }),
        );
        self.admin(
            "query($id: ID!) { case(id: $id) { messages { id status } tasks { id kind } documents { url } } }",
            json!({ "id": id }),
        )["case"]
            .clone()
    }

    fn posted(&self, id: &str) {
        self.with_formal_notice(id);
        self.admin(
            "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-05-04\", trackingNumber: \"1A00112233445\") { id } }",
            json!({ "id": id }),
        );
    }

    /// An accepted case with a payment.
    fn with_payment(&self, id: &str) {
        self.accepted(id);
        self.admin(
            "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
            json!({ "i": { "caseId": id, "receivedOn": "2026-04-15", "amount": "10.00", "method": "CHEQUE" } }),
        );
    }

    /// A remittance of everything held for the own creditor, after a payment on the case.
    fn remittance(&self, id: &str) -> String {
        self.with_payment(id);
        self.admin(
            "mutation($c: ID!) { prepareRemittance(creditorId: $c) { id } }",
            json!({ "c": self.own.org_id }),
        )["prepareRemittance"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn mandate_id(&self, id: &str) -> String {
        self.admin(
            "query($id: ID!) { case(id: $id) { creditor { mandates { id } } } }",
            json!({ "id": id }),
        )["case"]["creditor"]["mandates"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Runs every row for every caller, each on a fresh case, and lists the mismatches.
fn check(w: &World, ops: &[(&str, Op, [&str; 7])]) {
    let mut failures = Vec::new();
    for (name, op, expected) in ops {
        for (i, who) in WHO.iter().enumerate() {
            let case_id = w.fresh_case();
            let got = outcome(&op(w, w.tokens[i].as_deref(), &case_id));
            if got != expected[i] {
                failures.push(format!(
                    "{name} as {who}: expected {}, got {got}",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission matrix mismatches:\n{}",
        failures.join("\n")
    );
}

/// "OK", or the expected error code.
fn outcome(r: &Value) -> String {
    match r.get("errors") {
        None => "OK".into(),
        Some(_) => code(r).to_string(),
    }
}

type Op = fn(&World, Option<&str>, &str) -> Value;

#[test]
fn every_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let unauth = "UNAUTHENTICATED";
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "me",
            |w, t, _| w.app.gql(t, "{ me { id } }", json!({})),
            [unauth, "OK", "OK", "OK", "OK", "OK", "OK"],
        ),
        (
            "case",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { id } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "case.timeline",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { timeline { kind } } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "cases (sees the case?)",
            |w, t, id| {
                let r = w.app.gql(
                    t,
                    "{ cases(first: 100) { edges { node { id } } } }",
                    json!({}),
                );
                if r.get("errors").is_some() {
                    return r;
                }
                let seen = r["data"]["cases"]["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["node"]["id"] == id);
                if seen {
                    json!({ "data": {} })
                } else {
                    json!({ "errors": [{ "extensions": { "code": "BLIND" } }] })
                }
            },
            [unauth, "OK", "OK", "OK", "BLIND", "OK", "BLIND"],
        ),
        (
            "organisations",
            |w, t, _| w.app.gql(t, "{ organisations { totalCount } }", json!({})),
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "users",
            |w, t, _| w.app.gql(t, "{ users { totalCount } }", json!({})),
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "organisation.mandates",
            |w, t, _| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { creditor { mandates { id } } } }",
                    json!({ "id": w.fresh_case() }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
        (
            "createOrganisation",
            |w, t, _| {
                let siren = [
                    "362275869",
                    "530530419",
                    "749008934",
                    "925988156",
                    "928720317",
                    "353246119",
                    "631229838",
                ];
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let s = siren[N.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 7];
                w.app.gql(
                    t,
                    "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
                    json!({ "i": org_input("CREDITOR", "Nouvelle", s) }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "createUser",
            |w, t, _| {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                w.app.gql(t, "mutation($i: UserInput!) { createUser(input: $i) { user { id } } }",
                json!({ "i": { "email": format!("new{n}@agency.test"), "displayName": "N", "role": "AGENT" } }))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "createMandate",
            |w, t, _| {
                w.app.gql(t, "mutation($i: MandateInput!) { createMandate(input: $i) { id } }",
                json!({ "i": { "organisationId": w.own.org_id, "signedOn": "2025-02-01", "commissionBps": 900, "terms": "Avenant." } }))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "openCase (for the own creditor)",
            |w, t, _| {
                w.app.gql(
                    t,
                    OPEN_CASE,
                    json!({ "i": case_input(Some(&w.own.org_id)) }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "OK",
                "FORBIDDEN",
            ],
        ),
        (
            "acceptCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { acceptCase(id: $id) { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "rejectCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { rejectCase(id: $id, reason: \"non\") { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "assignCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!, $a: ID!) { assignCase(id: $id, agentId: $a) { id } }",
                    json!({ "id": id, "a": w.agent_id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "issueDebtorLink",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { issueDebtorLink(caseId: $id) }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "revokeDebtorLinks",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { revokeDebtorLinks(caseId: $id) }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "withdrawCase",
            |w, t, id| {
                w.app.gql(
                    t,
                    "mutation($id: ID!) { withdrawCase(id: $id, reason: \"repris\") { id } }",
                    json!({ "id": id }),
                )
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
        (
            "recordPayment (accepted case)",
            |w, t, id| {
                w.app.ok(
                    w.tokens[1].as_deref(),
                    "mutation($id: ID!) { acceptCase(id: $id) { id } }",
                    json!({ "id": id }),
                );
                w.app.gql(t, "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
                json!({ "i": { "caseId": id, "receivedOn": "2026-04-15", "amount": "10.00", "method": "CHEQUE" } }))
            },
            [
                unauth,
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "case.payments",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { payments { id } } }",
                    json!({ "id": id }),
                )
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "statement",
            |w, t, id| {
                w.app.gql(t, "query($id: ID!) { statement(caseId: $id, asOf: \"2026-06-30\") { totals { totalDue } } }", json!({ "id": id }))
            },
            [unauth, "OK", "OK", "OK", "NOT_FOUND", "OK", "NOT_FOUND"],
        ),
        (
            "interestRates",
            |w, t, _| w.app.gql(t, "{ interestRates { year } }", json!({})),
            [unauth, "OK", "OK", "OK", "OK", "OK", "OK"],
        ),
        (
            "correctInterestRate",
            |w, t, _| {
                w.app.gql(t, "mutation { correctInterestRate(input: { year: 2026, half: H1, ecbRate: \"2.15\", legalRatePrivateCreditor: \"6.67\", legalRateOther: \"2.62\" }, reason: \"saisie\") { year } }", json!({}))
            },
            [
                unauth,
                "VALIDATION",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "addInterestRate",
            |w, t, _| {
                w.app.gql(t, "mutation { addInterestRate(input: { year: 2030, half: H1, ecbRate: \"2\", legalRatePrivateCreditor: \"6\", legalRateOther: \"3\" }) { year } }", json!({}))
            },
            [
                unauth,
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
    ];
    check(&w, &ops);
}

const STAFF: [&str; 7] = [
    "UNAUTHENTICATED",
    "OK",
    "OK",
    "FORBIDDEN",
    "FORBIDDEN",
    "FORBIDDEN",
    "FORBIDDEN",
];
const ADMIN: [&str; 7] = [
    "UNAUTHENTICATED",
    "OK",
    "FORBIDDEN",
    "FORBIDDEN",
    "FORBIDDEN",
    "FORBIDDEN",
    "FORBIDDEN",
];
/// A case action of the agency's staff.
const STAFF_ON_CASE: [&str; 7] = [
    "UNAUTHENTICATED",
    "OK",
    "OK",
    "FORBIDDEN",
    "NOT_FOUND",
    "FORBIDDEN",
    "NOT_FOUND",
];
/// A case action of the creditor's (an admin may act for it).
const CREDITOR_ON_CASE: [&str; 7] = [
    "UNAUTHENTICATED",
    "OK",
    "FORBIDDEN",
    "FORBIDDEN",
    "NOT_FOUND",
    "OK",
    "NOT_FOUND",
];
/// Reading a case's records: whoever sees the case.
const READ_CASE: [&str; 7] = [
    "UNAUTHENTICATED",
    "OK",
    "OK",
    "OK",
    "NOT_FOUND",
    "OK",
    "NOT_FOUND",
];

fn case_field(w: &World, t: Option<&str>, id: &str, field: &str) -> Value {
    w.accepted(id);
    w.app.gql(
        t,
        &format!("query($id: ID!) {{ case(id: $id) {{ {field} }} }}"),
        json!({ "id": id }),
    )
}

/// An HTTP download answered as the GraphQL rows are ("OK" or an error code).
fn download(w: &World, t: Option<&str>, url: &str) -> Value {
    let mut req = ureq::get(&format!("{}{url}", w.app.base));
    if let Some(t) = t {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    match req.call() {
        Ok(_) => json!({ "data": {} }),
        Err(ureq::Error::Status(s, _)) => {
            let code = match s {
                401 => "UNAUTHENTICATED",
                403 => "FORBIDDEN",
                404 => "NOT_FOUND",
                _ => "OTHER",
            };
            json!({ "errors": [{ "extensions": { "code": code } }] })
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn every_recovery_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "myQueue",
            |w, t, _| w.app.gql(t, "{ myQueue { score } }", json!({})),
            STAFF,
        ),
        (
            "outboxAttention",
            |w, t, _| w.app.gql(t, "{ outboxAttention { id } }", json!({})),
            STAFF,
        ),
        (
            "agencySettings",
            |w, t, _| w.app.gql(t, "{ agencySettings { iban } }", json!({})),
            STAFF,
        ),
        (
            "playbooks",
            |w, t, _| w.app.gql(t, "{ playbooks { id } }", json!({})),
            STAFF,
        ),
        (
            "heldFunds",
            |w, t, _| w.app.gql(t, "{ heldFunds { amount } }", json!({})),
            STAFF,
        ),
        (
            "remittances",
            |w, t, _| w.app.gql(t, "{ remittances { totalCount } }", json!({})),
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "OK",
                "OK",
            ],
        ),
        (
            "runDueSteps",
            |w, t, _| {
                w.app
                    .gql(t, "mutation { runDueSteps { stepsRun } }", json!({}))
            },
            ADMIN,
        ),
        (
            "updateAgencySettings",
            |w, t, _| {
                let current = w.admin("{ agencySettings { agencyOrganisationId } }", json!({}));
                w.app.gql(t, "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
                    json!({ "i": { "agencyOrganisationId": current["agencySettings"]["agencyOrganisationId"],
                                   "insurer": "MMA IARD", "policyNumber": "RC-1", "iban": "FR76 3000 6000 0112 3456 7890 189",
                                   "mailFrom": "relances@recouvra.test", "signatory": "Claire Martin",
                                   "formalNoticeDays": 8, "graceDays": 3 } }))
            },
            ADMIN,
        ),
        (
            "setMandatePlanLimits",
            |w, t, id| {
                w.app.gql(t, "mutation($m: ID!) { setMandatePlanLimits(mandateId: $m, maxInstalments: null, maxMonths: null) }",
                    json!({ "m": w.mandate_id(id) }))
            },
            ADMIN,
        ),
        (
            "savePlaybook",
            |w, t, _| {
                w.app.gql(t, "mutation { savePlaybook(name: \"Court\", steps: [{ basis: ACCEPTED, delayDays: 0, channel: EMAIL, template: COURTEOUS_REMINDER }]) { id } }", json!({}))
            },
            ADMIN,
        ),
        (
            "attachPlaybook (to a case)",
            |w, t, id| {
                w.accepted(id);
                let book = w.admin("{ playbooks { id } }", json!({}))["playbooks"][0]["id"].clone();
                w.app.gql(
                    t,
                    "mutation($p: ID!, $c: ID!) { attachPlaybook(playbookId: $p, caseId: $c) }",
                    json!({ "p": book, "c": id }),
                )
            },
            ADMIN,
        ),
        (
            "logCall",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(t, "mutation($id: ID!) { logCall(caseId: $id, outcome: NO_ANSWER) { call { id } } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "recordPromise",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(t, "mutation($id: ID!) { recordPromise(caseId: $id, payBy: \"2026-05-20\", amount: \"100.00\") { promise { id } } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "raiseDispute",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(t, "mutation($id: ID!) { raiseDispute(caseId: $id, reason: PRICE, details: \"Prix contesté\") { dispute { id } } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "answerDispute",
            |w, t, id| {
                w.with_dispute(id);
                w.app.gql(t, "mutation($id: ID!) { answerDispute(caseId: $id, answer: \"Bon de livraison signé joint\") { dispute { id } } }", json!({ "id": id }))
            },
            CREDITOR_ON_CASE,
        ),
        (
            "resolveDispute",
            |w, t, id| {
                w.with_dispute(id);
                w.app.gql(t, "mutation($id: ID!) { resolveDispute(caseId: $id, resume: true, note: \"Levée\") { dispute { id } } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "proposePaymentPlan",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(t, "mutation($id: ID!) { proposePaymentPlan(caseId: $id, instalments: [{ dueOn: \"2026-06-05\", amount: \"1.00\" }]) { plan { id } } }", json!({ "id": id }))
            },
            // The staff get past the permission check, to the amount check.
            [
                "UNAUTHENTICATED",
                "VALIDATION",
                "VALIDATION",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "decidePaymentPlan",
            |w, t, id| {
                w.with_plan(id);
                w.app.gql(t, "mutation($id: ID!) { decidePaymentPlan(caseId: $id, accept: true) { plan { status } } }", json!({ "id": id }))
            },
            CREDITOR_ON_CASE,
        ),
        (
            "prepareFormalNotice",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
                    json!({ "id": id }),
                )
            },
            STAFF_ON_CASE,
        ),
        (
            "postFormalNotice",
            |w, t, id| {
                w.with_formal_notice(id);
                w.app.gql(t, "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-05-04\", trackingNumber: \"1A00112233445\") { id } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "recordFormalNoticeDelivery",
            |w, t, id| {
                w.posted(id);
                w.app.gql(t, "mutation($id: ID!) { recordFormalNoticeDelivery(caseId: $id, deliveredOn: \"2026-05-04\") { id } }", json!({ "id": id }))
            },
            STAFF_ON_CASE,
        ),
        (
            "completeTask",
            |w, t, id| {
                let c = w.with_formal_notice(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { completeTask(id: $id) { status } }",
                    json!({ "id": c["tasks"][0]["id"] }),
                )
            },
            STAFF,
        ),
        (
            "decideMessage",
            |w, t, id| {
                let c = w.with_formal_notice(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { decideMessage(id: $id, decision: CANCEL) { status } }",
                    json!({ "id": c["messages"][0]["id"] }),
                )
            },
            STAFF,
        ),
        (
            "prepareRemittance",
            |w, t, id| {
                w.with_payment(id);
                w.app.gql(
                    t,
                    "mutation($c: ID!) { prepareRemittance(creditorId: $c) { id } }",
                    json!({ "c": w.own.org_id }),
                )
            },
            STAFF,
        ),
        (
            "markRemittancePaid",
            |w, t, id| {
                let r = w.remittance(id);
                w.app.gql(t, "mutation($id: ID!) { markRemittancePaid(id: $id, paidOn: \"2026-05-04\") { status } }", json!({ "id": r }))
            },
            STAFF,
        ),
        (
            "GET /api/documents/{id}.pdf",
            |w, t, id| {
                let c = w.with_formal_notice(id);
                download(w, t, c["documents"][0]["url"].as_str().unwrap())
            },
            READ_CASE,
        ),
        (
            "case.tasks",
            |w, t, id| case_field(w, t, id, "tasks { id }"),
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "case.messages",
            |w, t, id| case_field(w, t, id, "messages { id }"),
            READ_CASE,
        ),
        (
            "case.documents",
            |w, t, id| case_field(w, t, id, "documents { id }"),
            READ_CASE,
        ),
        (
            "case.calls",
            |w, t, id| case_field(w, t, id, "calls { id }"),
            READ_CASE,
        ),
        (
            "case.promises",
            |w, t, id| case_field(w, t, id, "promises { id }"),
            READ_CASE,
        ),
        (
            "case.disputes",
            |w, t, id| case_field(w, t, id, "disputes { id }"),
            READ_CASE,
        ),
        (
            "case.paymentPlans",
            |w, t, id| case_field(w, t, id, "paymentPlans { id }"),
            READ_CASE,
        ),
        (
            "case.recovery",
            |w, t, id| case_field(w, t, id, "recovery { nextStep }"),
            READ_CASE,
        ),
    ];
    check(&w, &ops);
}

fn http_outcome(status: u16) -> Value {
    match status {
        200 | 201 => json!({ "data": {} }),
        s => {
            let code = match s {
                401 => "UNAUTHENTICATED",
                403 => "FORBIDDEN",
                404 => "NOT_FOUND",
                _ => "OTHER",
            };
            json!({ "errors": [{ "extensions": { "code": code } }] })
        }
    }
}

impl World {
    /// A piece uploaded by the admin to the case; its id.
    fn piece(&self, id: &str) -> String {
        use crate::evidence::{form, pdf, upload};
        let (status, p) = upload(
            &self.app,
            self.tokens[1].as_deref().unwrap(),
            id,
            &form(&pdf(id), "contrat.pdf", "CONTRACT", ""),
        );
        assert_eq!(status, 201, "{p}");
        p["id"].as_str().unwrap().to_string()
    }
}

#[test]
fn every_evidence_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "POST /api/cases/{id}/evidence",
            |w, t, id| {
                use crate::evidence::{form, pdf};
                let mut req = ureq::post(&format!("{}/api/cases/{id}/evidence", w.app.base)).set(
                    "Content-Type",
                    "multipart/form-data; boundary=recouvra-test-boundary-7MA4YWxkTrZu0gW",
                );
                if let Some(t) = t {
                    req = req.set("Authorization", &format!("Bearer {t}"));
                }
                let body = form(&pdf(&format!("{id}-{t:?}")), "bon.pdf", "DELIVERY_NOTE", "");
                let status = match req.send_bytes(&body) {
                    Ok(r) => r.status(),
                    Err(ureq::Error::Status(s, _)) => s,
                    Err(e) => panic!("{e}"),
                };
                http_outcome(status)
            },
            READ_CASE,
        ),
        (
            "GET /api/evidence/{id}",
            |w, t, id| {
                let piece = w.piece(id);
                download(w, t, &format!("/api/evidence/{piece}"))
            },
            READ_CASE,
        ),
        (
            "case.pieces",
            |w, t, id| case_field(w, t, id, "pieces { id }"),
            READ_CASE,
        ),
        (
            "reorderExhibits",
            |w, t, id| {
                let piece = w.piece(id);
                w.app.gql(
                    t,
                    "mutation($c: ID!, $p: [ID!]!) { reorderExhibits(caseId: $c, pieceIds: $p) { id } }",
                    json!({ "c": id, "p": [piece] }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "withdrawPiece (uploaded by the agency)",
            |w, t, id| {
                let piece = w.piece(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { withdrawPiece(id: $id, reason: \"Doublon\") { id } }",
                    json!({ "id": piece }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "auditTrail",
            |w, t, id| {
                w.app.gql(
                    t,
                    "query($id: ID!) { auditTrail(caseId: $id) { verified } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "securityLog",
            |w, t, _| w.app.gql(t, "{ securityLog { totalCount } }", json!({})),
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
    ];
    check(&w, &ops);
}

#[test]
fn a_foreign_case_and_a_missing_case_get_the_same_answer() {
    let w = world();
    let id = w.fresh_case();
    let q = "query($id: ID!) { case(id: $id) { id } }";
    let foreign = w.app.gql(w.tokens[6].as_deref(), q, json!({ "id": id }));
    let missing = w
        .app
        .gql(w.tokens[6].as_deref(), q, json!({ "id": "987654" }));
    let garbage = w
        .app
        .gql(w.tokens[6].as_deref(), q, json!({ "id": "not-an-id" }));
    assert_eq!(
        foreign["errors"][0]["message"],
        missing["errors"][0]["message"]
    );
    assert_eq!(
        foreign["errors"][0]["extensions"],
        missing["errors"][0]["extensions"]
    );
    assert_eq!(code(&garbage), "NOT_FOUND");
}

impl World {
    /// An accepted case referred (by the admin) to the lawyer of the case.
    fn referred(&self, id: &str) {
        self.accepted(id);
        self.app.exec(&format!(
            "UPDATE cases SET assigned_lawyer_id = NULL WHERE id = {id}"
        ));
        self.admin(
            "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { id } }",
            json!({ "id": id, "l": self.lawyer_id.to_string() }),
        );
    }

    /// A referred case whose requête was filed today.
    fn filed(&self, id: &str) {
        self.referred(id);
        self.admin(
            "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: ECONOMIC_ACTIVITIES_COURT, name: \"Tribunal des activités économiques de Lyon\" }) { id } }",
            json!({ "id": id }),
        );
        self.admin(
            "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-05-04\", reference: \"RG 1\") { id } }",
            json!({ "id": id }),
        );
    }

    /// A filed case whose order was granted and served in person today.
    fn served(&self, id: &str) {
        self.filed(id);
        self.admin(
            "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-05-04\", outcome: GRANTED }) { id } }",
            json!({ "id": id }),
        );
        self.admin(
            "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-05-04\", inPerson: false }) { id } }",
            json!({ "id": id }),
        );
    }

    /// An HTTP GET answered in the shape `outcome` reads.
    fn http_get(&self, token: Option<&str>, url: &str) -> Value {
        let mut req = ureq::get(&format!("{}{url}", self.app.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        match req.call() {
            Ok(_) => json!({ "data": {} }),
            Err(ureq::Error::Status(_, r)) => {
                let body: Value = r.into_json().unwrap_or(Value::Null);
                json!({ "errors": [{ "extensions": { "code": body["code"] } }] })
            }
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn every_legal_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "referCase",
            |w, t, id| {
                w.accepted(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { id } }",
                    json!({ "id": id, "l": w.other_lawyer_id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "eligibility",
            |w, t, id| {
                w.referred(id);
                w.app.gql(
                    t,
                    "query($id: ID!) { eligibility(caseId: $id) { eligible } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "case.legal",
            |w, t, id| {
                w.referred(id);
                w.app.gql(
                    t,
                    "query($id: ID!) { case(id: $id) { legal { lawyerName dossier { id } } } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
        (
            "confirmCourt",
            |w, t, id| {
                w.referred(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: ECONOMIC_ACTIVITIES_COURT, name: \"Tribunal des activités économiques de Lyon\" }) { id } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordFiling",
            |w, t, id| {
                w.referred(id);
                w.admin(
                    "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: ECONOMIC_ACTIVITIES_COURT, name: \"Tribunal des activités économiques de Lyon\" }) { id } }",
                    json!({ "id": id }),
                );
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-05-04\", reference: \"RG 1\") { id } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordOrder",
            |w, t, id| {
                w.filed(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-05-04\", outcome: REJECTED }) { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordService",
            |w, t, id| {
                w.filed(id);
                w.admin(
                    "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-05-04\", outcome: GRANTED }) { id } }",
                    json!({ "id": id }),
                );
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-05-04\", inPerson: true }) { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordFirstPersonalAct",
            |w, t, id| {
                w.served(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordFirstPersonalAct(caseId: $id, date: \"2026-05-04\") { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordOpposition",
            |w, t, id| {
                w.served(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordOpposition(caseId: $id, opposedOn: \"2026-05-04\") { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            // The window is open: those allowed get past the policy to the rule.
            "recordEnforceableTitle",
            |w, t, id| {
                w.served(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { recordEnforceableTitle(caseId: $id) { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "INVALID_TRANSITION",
                "FORBIDDEN",
                "INVALID_TRANSITION",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "handOverForEnforcement",
            |w, t, id| {
                w.served(id);
                w.app.gql(
                    t,
                    "mutation($id: ID!) { handOverForEnforcement(caseId: $id, date: \"2026-05-04\", officer: \"SCP Roux\") { state } }",
                    json!({ "id": id }),
                )
            },
            [
                "UNAUTHENTICATED",
                "INVALID_TRANSITION",
                "FORBIDDEN",
                "INVALID_TRANSITION",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "legalAgenda",
            |w, t, _| w.app.gql(t, "{ legalAgenda { caseReference } }", json!({})),
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "GET dossier.zip",
            |w, t, id| {
                w.referred(id);
                // The agency's convention for this call only: no requête without a formal
                // notice, so the dossier is INELIGIBLE for every staff role.
                w.app
                    .exec("UPDATE agency_settings SET require_formal_notice = TRUE");
                let answer = w.http_get(t, &format!("/api/cases/{id}/dossier.zip"));
                w.app
                    .exec("UPDATE agency_settings SET require_formal_notice = FALSE");
                answer
            },
            [
                "UNAUTHENTICATED",
                "INELIGIBLE",
                "INELIGIBLE",
                "INELIGIBLE",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "GET dossier.pdf",
            |w, t, id| {
                w.referred(id);
                // The agency's convention for this call only: no requête without a formal
                // notice, so the dossier is INELIGIBLE for every staff role.
                w.app
                    .exec("UPDATE agency_settings SET require_formal_notice = TRUE");
                let answer = w.http_get(t, &format!("/api/cases/{id}/dossier.pdf"));
                w.app
                    .exec("UPDATE agency_settings SET require_formal_notice = FALSE");
                answer
            },
            [
                "UNAUTHENTICATED",
                "INELIGIBLE",
                "INELIGIBLE",
                "INELIGIBLE",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
    ];
    check(&w, &ops);
}

const RECORD_INCIDENT: &str = "mutation($id: ID!) { recordDebtorIncident(caseId: $id, input: {
    kind: RECEIVERSHIP, occurredOn: \"2026-04-01\", publishedOn: \"2026-04-04\" }) { id } }";

/// A BODACC file of one announcement on the case's debtor (SIREN 362275869).
const BODACC_RECORD: &str = r#"[{"id": "A202600401001", "familleavis": "collective",
    "numeroannonce": 1001, "dateparution": "2026-04-04", "registre": "362 275 869,362275869",
    "jugement": "{\"nature\": \"Jugement d'ouverture d'une procédure de redressement judiciaire\"}"}]"#;

impl World {
    /// Records a redressement judiciaire on the case as the admin; its id.
    fn incident(&self, id: &str) -> String {
        self.admin(RECORD_INCIDENT, json!({ "id": id }));
        let r = self.admin(
            "query($id: ID!) { case(id: $id) { incidents { id } } }",
            json!({ "id": id }),
        );
        r["case"]["incidents"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

#[test]
fn every_incident_operation_answers_each_role_as_the_matrix_says() {
    let w = world();
    let ops: Vec<(&str, Op, [&str; 7])> = vec![
        (
            "recordDebtorIncident",
            |w, t, id| w.app.gql(t, RECORD_INCIDENT, json!({ "id": id })),
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "recordClaimDeclaration",
            |w, t, id| {
                let incident = w.incident(id);
                w.app.gql(
                    t,
                    "mutation($i: ID!) { recordClaimDeclaration(incidentId: $i, declaredOn: \"2026-04-20\", trackingNumber: \"1A\") { id } }",
                    json!({ "i": incident }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "endDebtorIncident",
            |w, t, id| {
                let incident = w.incident(id);
                w.app.gql(
                    t,
                    "mutation($i: ID!) { endDebtorIncident(incidentId: $i, endedOn: \"2026-05-01\", end: RESUMED) { id } }",
                    json!({ "i": incident }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "FORBIDDEN",
                "NOT_FOUND",
                "FORBIDDEN",
                "NOT_FOUND",
            ],
        ),
        (
            "importBodacc",
            |w, t, _| {
                w.app.gql(
                    t,
                    "mutation($c: String!) { importBodacc(content: $c) { new } }",
                    json!({ "c": BODACC_RECORD }),
                )
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
                "FORBIDDEN",
            ],
        ),
        (
            "Case.incidents",
            |w, t, id| {
                w.incident(id);
                case_field(w, t, id, "incidents { kind inForce }")
            },
            [
                "UNAUTHENTICATED",
                "OK",
                "OK",
                "OK",
                "NOT_FOUND",
                "OK",
                "NOT_FOUND",
            ],
        ),
    ];
    check(&w, &ops);
}
