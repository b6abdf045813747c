//! Issue 15, items 1 and 10 (the 503 rule): the cost of a `/graphql` request is computed
//! before anything runs and refused above the limit; the answer's size and a query's time
//! are bounded; a 503 never answers a request that changed something.

use crate::helpers::*;
use recouvra::config::GraphqlLimits;
use serde_json::{json, Value};

/// One alias of the attack of issue 15.
const ATTACK: &str = "cases(first: 100) { edges { node { timeline { payload } pieces { sha256 } payments { id } } } }";

fn limit() -> u64 {
    GraphqlLimits::default().max_cost
}

/// A server with the production cost limit (the suite's servers run at a quarter of it).
fn spawn_real() -> TestApp {
    TestApp::spawn_with(|c| c.graphql_limits = GraphqlLimits::default())
}

fn estimate(query: &str, variables: &Value) -> u64 {
    let vars: juniper::Variables = serde_json::from_value(variables.clone()).unwrap();
    recouvra::graphql::cost::estimate(&recouvra::graphql::schema(), query, None, &vars)
        .unwrap()
        .cost
}

/// POSTs a raw JSON body; returns (status, Retry-After, body).
fn post(app: &TestApp, token: &str, body: &Value) -> (u16, Option<String>, Value) {
    let r = ureq::post(&format!("{}/graphql", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .send_json(body.clone());
    match r {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (
            r.status(),
            r.header("Retry-After").map(str::to_string),
            r.into_json().unwrap(),
        ),
        Err(e) => panic!("transport error: {e}"),
    }
}

fn case_count(app: &TestApp) -> i64 {
    let d = app.ok(
        Some(&app.admin_token),
        "{ cases { totalCount } }",
        json!({}),
    );
    d["cases"]["totalCount"].as_i64().unwrap()
}

/// What the portal's pages show, asked through GraphQL, and the heaviest queries of the
/// suite and of the benchmark.
const HEAVY: &[&str] = &[
    // The portal's case list: 25 a page, the columns of the list.
    "query($f: CaseFilterInput) { cases(filter: $f, first: 25) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id reference state openedAt version creditor { name } debtor { name firstName kind address { city } } totals { principalClaimed alreadyPaid outstanding } assignedAgent { displayName } } } } }",
    // The portal's case page: parties, invoices, statement, documents, pieces, payments,
    // dealings and the timeline.
    "query($id: ID!) { case(id: $id) { id reference state outcome version note statusReason openedAt acceptedAt closedAt contractualRate creditor { id name siren address { line1 postalCode city } } debtor { id kind name firstName legalForm siren email phone isConsumer address { line1 line2 postalCode city country } } invoices { id number issueDate dueDate amount alreadyPaid outstanding } totals { currency principalClaimed alreadyPaid outstanding } assignedAgent { id displayName } assignedLawyer { id displayName } payments { id receivedOn amount method reference invoiceId recordedAt } pieces(includeWithdrawn: true) { id exhibitNumber kind description filename mediaType sha256 sizeBytes generated addedAt withdrawnAt withdrawalReason url } documents { id kind reference filename sizeBytes createdAt url } tasks { id kind title dueOn status } messages { id channel kind recipient subject status attempts sentAt } calls { id outcome notes calledAt } promises { id payBy amount status madeOn } disputes { id reason details status raisedAt creditorAnswer resolution } paymentPlans { id status total autoApproved proposedAt instalments { position dueOn amount } } recovery { nextStep firstLetterReference firstLetterOn formalNoticeOn formalNoticeDeadline formalNoticeExpired } legal { lawyerName courtName filedOn orderOn deadlines { kind date title daysLeft missed } dossier { id url } } timeline { seq at kind actorName payload } } statement(caseId: $id, asOf: \"2026-06-30\") { asOf regime invoices { number principalOutstanding interestPeriods { from to days base rate amount } interestTotal indemnity totalDue } payments { paymentId date amount allocations { invoiceId toIndemnity toInterest toPrincipal } } totals { principalOutstanding interestOutstanding indemnityOutstanding paymentsReceived totalDue } } }",
    // The creditor's dashboard.
    "query { dashboard(from: \"2026-01-01\", to: \"2026-12-31\") { from to casesOpened placed recovered recoveryRate casesByState { state count } ageing { label amount } averageDaysToRecover } }",
    // The benchmark's list (bench/run.sh) at the largest page.
    "query { cases(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node { id reference state debtor { name address { city } } totals { outstanding } } } } }",
    // The suite's widest lists.
    "{ cases(first: 100) { edges { node { calls { outcome } } } } }",
    "query { users(first: 50) { totalCount edges { node { email } } } securityLog(kind: PERMISSION_REFUSED, first: 100) { totalCount edges { node { seq kind userId email ip caseId detail } } } }",
    "query($id: ID!) { auditTrail(caseId: $id, first: 100) { verified totalCount brokenAt { seq reason } events { seq at kind actorName payload hash prevHash } } }",
];

#[test]
fn the_portals_pages_and_the_suites_heaviest_queries_cost_under_a_quarter_of_the_limit() {
    let app = spawn_real();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let id = app.open_case(&acme.user.token, case_input(None));
    let vars = json!({ "id": id });
    for q in HEAVY {
        let cost = estimate(q, &vars);
        assert!(cost < limit() / 4, "{cost} ≥ {} for {q}", limit() / 4);
        // They are real queries: they run (as the creditor for its dashboard, else an admin).
        let token = if q.contains("dashboard") {
            &acme.user.token
        } else {
            &app.admin_token
        };
        let r = app.gql(Some(token), q, vars.clone());
        assert!(r.get("errors").is_none(), "{q}: {r}");
    }
}

#[test]
fn hundreds_of_aliases_of_the_attack_are_refused_with_their_cost_before_anything_runs() {
    let app = spawn_real();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    app.open_case(&acme.user.token, case_input(None));
    let aliases: String = (0..300).map(|i| format!("a{i}: {ATTACK} ")).collect();
    let attack = format!("{{ {aliases} }}");
    let expected = estimate(&attack, &json!({}));
    assert_eq!(
        expected,
        300 * estimate(&format!("{{ {ATTACK} }}"), &json!({}))
    );
    let started = std::time::Instant::now();
    let (status, _, body) = post(&app, &acme.user.token, &json!({ "query": attack }));
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "QUERY_TOO_COSTLY", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["cost"], expected);
    assert_eq!(body["errors"][0]["extensions"]["limit"], limit());
    assert!(body.get("data").is_none(), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // Nothing ran: a mutation in the same batch is refused with it, and opens nothing.
    let before = case_count(&app);
    let open = format!(
        "mutation {{ openCase(input: {}) {{ id }} }}",
        graphql_literal(&case_input(None))
    );
    let (status, _, body) = post(
        &app,
        &acme.user.token,
        &json!([{ "query": open }, { "query": attack }]),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 2);
    assert_eq!(code(&body[0]), "QUERY_TOO_COSTLY");
    assert_eq!(case_count(&app), before);
}

#[test]
fn a_batch_of_ten_is_refused_with_the_cost_of_its_entries_together() {
    let app = spawn_real();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    // Each entry alone is allowed …
    let entry = format!("{{ a: {ATTACK} b: {ATTACK} }}");
    let one = estimate(&entry, &json!({}));
    assert!(one <= limit(), "{one}");
    let r = app.gql(Some(&acme.user.token), &entry, json!({}));
    assert!(r.get("errors").is_none(), "{r}");
    // … ten of them at once are not.
    let batch: Vec<Value> = (0..10).map(|_| json!({ "query": entry })).collect();
    let (status, _, body) = post(&app, &acme.user.token, &Value::Array(batch));
    assert_eq!(status, 400, "{body}");
    let answers = body.as_array().unwrap();
    assert_eq!(answers.len(), 10);
    for a in answers {
        assert_eq!(code(a), "QUERY_TOO_COSTLY", "{a}");
        assert_eq!(a["errors"][0]["extensions"]["cost"], 10 * one);
        assert_eq!(a["errors"][0]["extensions"]["limit"], limit());
    }
}

#[test]
fn an_answer_above_the_size_limit_is_replaced_whole_by_a_coded_error() {
    let app = TestApp::spawn_with(|c| c.graphql_limits.max_response_bytes = 1_000);
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    for _ in 0..6 {
        app.open_case(&acme.user.token, case_input(None));
    }
    let (status, _, body) = post(
        &app,
        &acme.user.token,
        &json!({ "query": "{ cases { edges { node { id reference note debtor { name address { line1 city } } invoices { number amount } } } } }" }),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(code(&body), "RESPONSE_TOO_LARGE", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 1_000);
    assert!(body["data"].is_null());
    // A mutation already applied says so, and is not answered as refused.
    let before = case_count(&app);
    let (status, _, body) = post(
        &app,
        &acme.user.token,
        &json!({ "query": format!("mutation {{ openCase(input: {}) {{ id timeline {{ seq at kind payload hash prevHash }} again: timeline {{ payload hash prevHash }} invoices {{ number amount }} debtor {{ name address {{ line1 city }} }} creditor {{ name siren legalForm address {{ line1 postalCode city country }} }} totals {{ principalClaimed alreadyPaid outstanding }} note }} }}", graphql_literal(&case_input(None))) }),
    );
    assert_eq!(case_count(&app), before + 1);
    if code(&body) == "RESPONSE_TOO_LARGE" {
        assert_eq!(status, 200, "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("the operation was executed"),
            "{body}"
        );
    } else {
        panic!("the answer fitted: make it larger ({body})");
    }
}

#[test]
fn a_query_past_its_time_budget_is_answered_timeout_and_a_mutation_is_never_cut() {
    // One pooled connection, held 5 s by `runDueSteps` (it waits for a second one): a query
    // arriving meanwhile waits for the pool past its 1 s budget.
    let app = TestApp::spawn_with(|c| {
        c.pool_size = 1;
        c.graphql_limits.time_budget = std::time::Duration::from_secs(1);
    });
    let admin = app.admin_token.clone();
    let (status, _, body, took) = std::thread::scope(|s| {
        let mutation = s.spawn(|| {
            let started = std::time::Instant::now();
            let (status, _, body) = post(
                &app,
                &admin,
                &json!({ "query": "mutation { runDueSteps { stepsRun } }" }),
            );
            (status, (), body, started.elapsed())
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        let started = std::time::Instant::now();
        let (status, _, body) = post(&app, &admin, &json!({ "query": "{ me { id } }" }));
        assert_eq!(status, 503, "{body}");
        assert_eq!(code(&body), "TIMEOUT", "{body}");
        assert!(body["data"].is_null());
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        mutation.join().unwrap()
    });
    // The mutation ran to its own end (its pool wait, 5 s), past the budget: not cut, since
    // cutting it would hide whether it committed.
    assert!(took >= std::time::Duration::from_secs(4), "{took:?}");
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(status, 503);
}

#[test]
fn an_unavailable_error_after_a_committed_mutation_is_not_a_503() {
    // One pooled connection: `runDueSteps` holds it and waits for a second one, so it fails
    // UNAVAILABLE after the pool's wait (5 s) — after the first field was committed.
    let app = TestApp::spawn_with(|c| c.pool_size = 1);
    let q = "mutation($i: OrganisationInput!) { created: createOrganisation(input: $i) { id } run: runDueSteps { stepsRun } }";
    let (status, retry, body) = post(
        &app,
        &app.admin_token,
        &json!({ "query": q, "variables": { "i": org_input("CREDITOR", "Nouvelle SA", "552100554") } }),
    );
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1, "{body}");
    // `runDueSteps` is non-null: its error nulls the whole `data`, though the organisation
    // was created — so "data is null" does not mean "nothing was done".
    let d = app.ok(
        Some(&app.admin_token),
        "{ organisations(kind: CREDITOR) { edges { node { name } } } }",
        json!({}),
    );
    assert!(d.to_string().contains("Nouvelle SA"), "{d}");
    assert_eq!(
        (status, retry),
        (200, None),
        "a retry would create it twice: {body}"
    );
    // Nothing done: still 503 with Retry-After, so clients retry.
    let (status, retry, body) = post(
        &app,
        &app.admin_token,
        &json!({ "query": "mutation { runDueSteps { stepsRun } }" }),
    );
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    assert_eq!((status, retry.as_deref()), (503, Some("5")), "{body}");
}

/// A JSON value written as a GraphQL input literal (keys unquoted, enums bare).
fn graphql_literal(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{k}: {}", graphql_literal(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Value::Array(list) => format!(
            "[{}]",
            list.iter()
                .map(graphql_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::String(s) if s == "COMPANY" || s == "INDIVIDUAL" => s.clone(),
        other => other.to_string(),
    }
}
