//! Issue 15, hardening: amounts and dates out of range, active content in the court dossier,
//! and the defects found while reading the code (downloads recorded before their check,
//! database errors answered as "not found", the scheduler's panics, the list's « Reste dû »,
//! search beyond ASCII).

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::recovery::{case, run_due, world};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One integer the SQL computes (`SELECT COUNT(*) AS n …`).
pub fn count(app: &TestApp, sql: &str) -> i64 {
    match &mut app.conn() {
        recouvra::db::DbConn::Sqlite(c) => diesel::sql_query(sql).get_result::<N>(c),
        recouvra::db::DbConn::Pg(c) => diesel::sql_query(sql).get_result::<N>(c),
    }
    .unwrap()
    .n
}

fn get(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let res = ureq::get(&format!("{}{path}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call();
    match res {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("transport error: {e}"),
    }
}

/// The first letter of the accepted case, sent by the scheduler: a document to download.
fn first_letter(w: &crate::recovery::World) -> (String, String) {
    set_today(&w.app, "2026-03-16");
    run_due(&w.app);
    // The clock moved: a fresh token.
    let agent = token(&w.app, "agent@agency.test");
    let c = case(&w.app, &agent, &w.case_id);
    (c["documents"][0]["id"].as_str().unwrap().to_string(), agent)
}

#[test]
fn a_document_asked_for_with_the_wrong_extension_is_not_found_and_not_recorded_as_downloaded() {
    let w = world("2026-03-13");
    let (doc, agent) = first_letter(&w);
    let app = &w.app;
    let downloads = |kind: &str| {
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM case_events WHERE kind = '{kind}'"),
        ) + count(
            app,
            &format!("SELECT COUNT(*) AS n FROM security_events WHERE kind = '{kind}'"),
        )
    };
    let (status, body) = get(app, &agent, &format!("/api/documents/{doc}.zip"));
    assert_eq!(status, 404, "{body}");
    assert_eq!(downloads("document_downloaded"), 0);
    let (status, _) = get(app, &agent, &format!("/api/documents/{doc}.pdf"));
    assert_eq!(status, 200);
    // One real download: one event in the case's trail, one entry in the security log.
    assert_eq!(downloads("document_downloaded"), 2);
}

#[test]
fn a_database_error_while_checking_who_sees_a_document_is_an_internal_error_not_a_refusal() {
    let w = world("2026-03-13");
    let (doc, agent) = first_letter(&w);
    let app = &w.app;
    let refusals = || {
        count(
            app,
            "SELECT COUNT(*) AS n FROM security_events WHERE kind = 'permission_refused'",
        )
    };
    let before = refusals();
    // The cases table gone from under the server: the visibility check cannot be read.
    app.exec("ALTER TABLE cases RENAME TO cases_away");
    let (status, body) = get(app, &agent, &format!("/api/documents/{doc}.pdf"));
    app.exec("ALTER TABLE cases_away RENAME TO cases");
    assert_eq!(status, 500, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "INTERNAL");
    assert_eq!(body["message"], "internal error");
    assert_eq!(refusals(), before, "no false refusal in the security log");
}

#[test]
fn a_panic_on_one_case_blocks_its_step_and_the_scheduler_goes_on_with_the_others() {
    use recouvra::jobs::{scheduler, JobEnv, RunSummary};
    use std::sync::atomic::Ordering;
    let w = world("2026-03-13");
    let app = &w.app;
    let mut input = case_input(None);
    input["debtor"]["email"] = json!("autre@example.test");
    let second = app.open_case(&w.creditor.user.token, input);
    app.ok(
        Some(&w.agent.token),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": second }),
    );
    set_today(app, "2026-03-16");
    let config = recouvra::config::Config::from_vars(&app.env).unwrap();
    let env = JobEnv::new(
        &app.db_url,
        app.data_dir.clone(),
        None,
        config.blob_store().unwrap(),
    )
    .unwrap();
    // One connection: the run must go on with it after the panic, so it must be clean.
    let pool = recouvra::db::pool(&app.db_url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let first: i64 = w.case_id.parse().unwrap();
    let mut summary = RunSummary::default();
    scheduler::run_steps_with(
        &mut conn,
        &app.clock,
        &env,
        &mut summary,
        &move |conn, clock, env, case, rec, summary| {
            if case.id == first {
                panic!("a bug in a step");
            }
            scheduler::run_step(conn, clock, env, case, rec, summary)
        },
    )
    .expect("the run goes on");
    drop(conn);
    assert_eq!(summary.steps_run, 1, "the other case's step ran");
    assert_eq!(env.scheduler_panics.load(Ordering::Relaxed), 1);
    assert_eq!(summary.blocked.len(), 1, "{:?}", summary.blocked);
    assert!(
        summary.blocked[0].contains("internal error"),
        "{:?}",
        summary.blocked
    );
    let blocked = |id: &str| {
        count(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM tasks WHERE case_id = {id} \
                 AND kind = 'step_blocked' AND status = 'open'"
            ),
        )
    };
    assert_eq!((blocked(&w.case_id), blocked(&second)), (1, 0));
    let steps = |id: &str| {
        count(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM case_events WHERE case_id = {id} AND kind = 'playbook_step'"
            ),
        )
    };
    assert_eq!(
        (steps(&w.case_id), steps(&second)),
        (0, 1),
        "the panic rolled back"
    );
    // Nothing is stuck: the next (normal) run performs the blocked case's step.
    assert_eq!(run_due(app)["stepsRun"], 1);
    assert_eq!(steps(&w.case_id), 1);
    // The counter is exposed (this server's own scheduler has not panicked).
    let (status, text) = app.http("GET", "/metrics", None);
    assert_eq!(status, 200);
    assert!(
        text.contains(
            "# TYPE recouvra_scheduler_panics_total counter\nrecouvra_scheduler_panics_total 0\n"
        ),
        "{text}"
    );
}

const TOTALS: &str = "query($id: ID!) { case(id: $id) { state totals { principalClaimed alreadyPaid outstanding } } }";
const STATEMENT_TOTALS: &str = "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) { totals { principalOutstanding totalDue } } }";
const PAY: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { case { state } } }";

fn pay(app: &TestApp, token: &str, case_id: &str, date: &str, amount: &str) -> Value {
    app.gql(
        Some(token),
        PAY,
        json!({ "i": { "caseId": case_id, "receivedOn": date, "amount": amount, "method": "TRANSFER" } }),
    )
}

/// The « Reste dû » cell of a case's row in the portal's list.
fn reste_du(app: &TestApp, email: &str, reference: &str) -> String {
    let mut b = crate::portal::Browser::new(app);
    b.sign_in(email, "/portal/cases");
    let page = b.get("/portal/cases");
    assert_eq!(page.status, 200);
    let row = page
        .body
        .split("<tr")
        .find(|r| r.contains(reference))
        .unwrap_or_else(|| panic!("no row for {reference}: {}", page.body));
    let at = row.find("<td class=\"num\">").expect("the amount cell") + 16;
    let cell = &row[at..];
    cell[..cell.find("</td>").unwrap()].trim().to_string()
}

#[test]
fn the_outstanding_principal_of_a_case_is_what_the_statement_shows_once_payments_are_imputed() {
    let w = world("2026-04-01");
    let app = &w.app;
    set_today(app, "2026-04-20");
    // The clock moved: fresh tokens.
    let agent = token(app, "agent@agency.test");
    let creditor = token(app, "compta@lemaire.test");
    let id = &w.case_id;
    let reference = app.ok(
        Some(&agent),
        "query($id: ID!) { case(id: $id) { reference } }",
        json!({ "id": id }),
    )["case"]["reference"]
        .as_str()
        .unwrap()
        .to_string();
    // 1200.00 + 850.50 claimed, 100.00 paid before intake.
    let t = app.ok(Some(&agent), TOTALS, json!({ "id": id }))["case"]["totals"].clone();
    assert_eq!(
        t,
        json!({ "principalClaimed": "2050.50", "alreadyPaid": "100.00", "outstanding": "1950.50" })
    );
    assert_eq!(
        reste_du(app, "compta@lemaire.test", &reference),
        "1\u{a0}950,50\u{a0}€"
    );
    // 500.00 on 15 April: 40.00 indemnity and 25.96 interest first, 434.04 of principal.
    let r = pay(app, &agent, id, "2026-04-15", "500.00");
    assert!(r.get("errors").is_none(), "{r}");
    let t = app.ok(Some(&agent), TOTALS, json!({ "id": id }))["case"]["totals"].clone();
    let st = app.ok(
        Some(&agent),
        STATEMENT_TOTALS,
        json!({ "id": id, "d": "2026-04-20" }),
    )["statement"]["totals"]
        .clone();
    assert_eq!(t["outstanding"], "1516.46");
    assert_eq!(st["principalOutstanding"], t["outstanding"]);
    assert_eq!(
        reste_du(app, "compta@lemaire.test", &reference),
        "1\u{a0}516,46\u{a0}€"
    );
    // The rest in full on 20 April: the case closes as paid and nothing is outstanding.
    let due = st["totalDue"].as_str().unwrap().to_string();
    let r = pay(app, &agent, id, "2026-04-20", &due);
    assert_eq!(r["data"]["recordPayment"]["case"]["state"], "CLOSED", "{r}");
    let t = app.ok(Some(&creditor), TOTALS, json!({ "id": id }))["case"].clone();
    assert_eq!(t["state"], "CLOSED");
    assert_eq!(t["totals"]["outstanding"], "0.00");
    assert_eq!(
        reste_du(app, "compta@lemaire.test", &reference),
        "0,00\u{a0}€"
    );
}

/// `case_input` with its invoices replaced.
fn case_with(invoices: Value) -> Value {
    let mut input = case_input(None);
    input["invoices"] = invoices;
    input
}

fn invoice(number: &str, issue: &str, due: &str, amount: &str) -> Value {
    json!({ "number": number, "issueDate": issue, "dueDate": due, "amount": amount })
}

#[test]
fn invoices_above_a_billion_euros_are_refused_with_their_field_and_the_limit() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    // Two invoices of i64::MAX cents: they summed to a principal of -0.02 €.
    let max = "92233720368547758.07";
    let r = app.gql(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([
            invoice("F-1", "2026-01-10", "2026-02-09", max),
            invoice("F-2", "2026-01-10", "2026-02-09", max),
        ])) }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "invoices[0].amount"),
        "{r}"
    );
    assert_eq!(
        r["errors"][0]["message"],
        "an amount is at most 1000000000.00 €"
    );
    // 10 000 billion euros.
    let r = app.gql(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([
            invoice("F-1", "2026-01-10", "2026-02-09", "100.00"),
            invoice("F-2", "2026-01-10", "2026-02-09", "10000000000000.00"),
        ])) }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "invoices[1].amount"),
        "{r}"
    );
    // An already-paid part above the limit too.
    let mut inv = invoice("F-1", "2026-01-10", "2026-02-09", "100.00");
    inv["alreadyPaid"] = json!("1000000000.01");
    let r = app.gql(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([inv])) }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "invoices[0].alreadyPaid"),
        "{r}"
    );
    // The limit itself is accepted, and two of them add up exactly, here and on the dashboard.
    let d = app.ok(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([
            invoice("F-1", "2026-01-10", "2026-02-09", "1000000000.00"),
            invoice("F-2", "2026-01-10", "2026-02-09", "1000000000,00"),
        ])) }),
    );
    assert_eq!(
        d["openCase"]["totals"],
        json!({ "principalClaimed": "2000000000.00", "alreadyPaid": "0.00", "outstanding": "2000000000.00" })
    );
    let d = app.ok(
        Some(&acme.user.token),
        "{ dashboard(from: \"2026-01-01\", to: \"2026-03-31\") { casesOpened placed } }",
        json!({}),
    );
    assert_eq!(
        d["dashboard"],
        json!({ "casesOpened": 1, "placed": "2000000000.00" })
    );
}

#[test]
fn dates_before_1990_or_after_2100_are_refused_with_their_field_and_both_bounds() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    for (issue, due, wanted) in [
        ("0000-01-10", "0000-02-09", "invoices[0].issueDate"),
        ("1989-12-31", "2026-02-09", "invoices[0].issueDate"),
        ("2026-01-10", "2101-01-01", "invoices[0].dueDate"),
    ] {
        let r = app.gql(
            Some(&acme.user.token),
            OPEN_CASE,
            json!({ "i": case_with(json!([invoice("F-1", issue, due, "100.00")])) }),
        );
        assert_eq!(
            (code(&r), field(&r)),
            ("VALIDATION", wanted),
            "{issue} {due}: {r}"
        );
        assert_eq!(
            r["errors"][0]["message"],
            "a date between 1990-01-01 and 2100-12-31"
        );
    }
    // A six-digit year does not even parse as a GraphQL `LocalDate`: refused, coded.
    let r = app.gql(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([invoice("F-1", "2026-01-10", "262142-01-01", "100.00")])) }),
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    // The bounds themselves are dates like any other.
    app.ok(
        Some(&acme.user.token),
        OPEN_CASE,
        json!({ "i": case_with(json!([invoice("F-1", "1990-01-01", "2100-12-31", "100.00")])) }),
    );
}

#[test]
fn a_payment_above_a_billion_euros_or_dated_out_of_range_is_refused_over_graphql_and_the_portal() {
    let w = world("2026-03-02");
    let app = &w.app;
    let id = &w.case_id;
    let r = pay(app, &w.agent.token, id, "2026-03-02", "10000000000000.00");
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "amount"), "{r}");
    assert_eq!(
        r["errors"][0]["message"],
        "an amount is at most 1000000000.00 €"
    );
    let r = pay(app, &w.agent.token, id, "0000-03-02", "10.00");
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "receivedOn"), "{r}");
    assert_eq!(
        r["errors"][0]["message"],
        "a date between 1990-01-01 and 2100-12-31"
    );
    // The same on the case page's payment form: the French message, never a 500.
    let mut b = crate::portal::Browser::new(app);
    b.sign_in("agent@agency.test", &format!("/portal/cases/{id}"));
    let page = b.get(&format!("/portal/cases/{id}"));
    let csrf = crate::portal::csrf_field(&page.body);
    let at = page.body.find("name=\"version\" value=\"").unwrap() + 22;
    let version = page.body[at..].split('"').next().unwrap().to_string();
    for (date, amount, french) in [
        // (The page may capitalise the message: its first letter is left out.)
        (
            "2026-03-02",
            "10 000 000 000 000,00",
            "n montant ne peut dépasser 1 000 000 000,00 €",
        ),
        (
            "0000-03-02",
            "10,00",
            "ne date entre le 01&#x2F;01&#x2F;1990 et le 31&#x2F;12&#x2F;2100",
        ),
    ] {
        let p = b.post(
            &format!("/portal/cases/{id}/actions/record_payment"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("received_on", date),
                ("amount", amount),
                ("method", "transfer"),
            ],
        );
        assert_eq!(p.status, 422, "{}", p.body);
        assert!(p.body.contains(french), "{french}: {}", p.body);
    }
    let paid = app.ok(
        Some(&w.agent.token),
        "query($id: ID!) { case(id: $id) { payments { amount } } }",
        json!({ "id": id }),
    );
    assert_eq!(paid["case"]["payments"], json!([]));
}

#[test]
fn the_csv_import_refuses_amounts_and_dates_out_of_range_naming_the_column() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let csv = [
        "dossier;debiteur_type;debiteur_nom;debiteur_prenom;siren;adresse;code_postal;ville;consommateur;facture;date_facture;echeance;montant_ttc;deja_paye",
        "A;societe;Boulangerie Martin;;362275869;12 rue des Lilas;69002;Lyon;non;FA-1;10/01/2025;09/02/2025;10 000 000 000 000,00;",
        "B;societe;Garage Dupont;;;3 quai Nord;33000;Bordeaux;;FB-1;10/01/2025;01/01/2101;100,00;",
        "C;societe;Garage Dupont;;;3 quai Nord;33000;Bordeaux;;FC-1;10/01/2025;09/02/2025;1 000 000 000,00;",
    ]
    .join("\n");
    let r = app.gql(
        Some(&acme.user.token),
        "mutation($csv: String!) { importCases(csv: $csv) { importedCases refusedCases
            rows { line imported errors { column message } } } }",
        json!({ "csv": csv }),
    );
    assert!(r.get("errors").is_none(), "{r}");
    let rep = &r["data"]["importCases"];
    assert_eq!(
        (rep["importedCases"].as_i64(), rep["refusedCases"].as_i64()),
        (Some(1), Some(2))
    );
    let rows = rep["rows"].as_array().unwrap();
    assert_eq!(rows[0]["errors"][0]["column"], "montant_ttc");
    assert!(
        rows[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("10 000 000 000 000,00"),
        "{r}"
    );
    assert_eq!(rows[1]["errors"][0]["column"], "echeance");
    assert_eq!(
        rows[1]["errors"][0]["message"],
        "une date entre le 01/01/1990 et le 31/12/2100"
    );
    assert_eq!(rows[2]["imported"], true);
}

/// A one-page PDF carrying what a hostile exhibit may: a page-open JavaScript action, a link
/// to the web, a launch action, a file attachment with an embedded file, and a document open
/// action with a JavaScript name tree.
pub(crate) fn active_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 18 Tf 72 720 Td (Facture F-101 signee) Tj ET".to_vec(),
    ));
    let js = |code: &str| dictionary! { "S" => "JavaScript", "JS" => Object::string_literal(code) };
    let file = doc.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        b"MZ not really a program".to_vec(),
    ));
    let rect = || Object::Array(vec![72.into(), 700.into(), 300.into(), 730.into()]);
    let link = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => rect(),
        "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.test/") },
    });
    let launch = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => rect(),
        "A" => dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") },
    });
    let attachment = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "FileAttachment", "Rect" => rect(),
        "FS" => dictionary! { "Type" => "Filespec", "F" => Object::string_literal("payload.exe"),
                              "EF" => dictionary! { "F" => Object::Reference(file) } },
    });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => Object::Reference(pages_id),
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => Object::Reference(content),
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => Object::Reference(font) } },
        "AA" => dictionary! { "O" => js("app.alert('page ouverte')") },
        "Annots" => vec![Object::Reference(link), Object::Reference(launch), Object::Reference(attachment)],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![Object::Reference(page)], "Count" => 1 }),
    );
    let names = doc.add_object(dictionary! {
        "JavaScript" => dictionary! { "Names" => vec![Object::string_literal("init"), Object::Dictionary(js("app.alert(2)"))] },
    });
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => Object::Reference(pages_id),
        "OpenAction" => js("app.alert(3)"), "Names" => Object::Reference(names),
    });
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Every dictionary key and name value of a PDF, as lopdf reads it (object streams included).
fn pdf_names(pdf: &[u8]) -> std::collections::BTreeSet<String> {
    fn walk(o: &lopdf::Object, out: &mut std::collections::BTreeSet<String>) {
        use lopdf::Object;
        match o {
            Object::Name(n) => {
                out.insert(String::from_utf8_lossy(n).into_owned());
            }
            Object::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Object::Dictionary(d) => d.iter().for_each(|(k, v)| {
                out.insert(String::from_utf8_lossy(k).into_owned());
                walk(v, out);
            }),
            Object::Stream(s) => s.dict.iter().for_each(|(k, v)| {
                out.insert(String::from_utf8_lossy(k).into_owned());
                walk(v, out);
            }),
            _ => {}
        }
    }
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = std::collections::BTreeSet::new();
    doc.objects.values().for_each(|o| walk(o, &mut out));
    doc.trailer.iter().for_each(|(k, v)| {
        out.insert(String::from_utf8_lossy(k).into_owned());
        walk(v, &mut out);
    });
    out
}

const ACTIVE: [&str; 9] = [
    "AA",
    "JS",
    "JavaScript",
    "URI",
    "OpenAction",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "EF",
];

/// (Content-Disposition, Content-Security-Policy, bytes) of a download.
fn download(app: &TestApp, token: &str, url: &str) -> (String, String, Vec<u8>) {
    let r = ureq::get(&format!("{}{url}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    let header = |n: &str| r.header(n).unwrap_or("<none>").to_string();
    let (cd, csp) = (
        header("content-disposition"),
        header("content-security-policy"),
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    (cd, csp, bytes)
}

#[test]
fn active_content_is_flagged_at_upload_served_sandboxed_and_stripped_from_the_dossier() {
    use crate::evidence::{form, upload};
    let l = crate::legal::legal_case();
    let app = l.app();
    let hostile = active_pdf();
    // The file as built carries everything the dossier must not.
    let before = pdf_names(&hostile);
    for key in [
        "AA",
        "JS",
        "URI",
        "OpenAction",
        "Launch",
        "EmbeddedFile",
        "EF",
    ] {
        assert!(before.contains(key), "the test PDF lacks {key}");
    }
    let creditor = token(app, "compta@lemaire.test");
    let (status, piece) = upload(
        app,
        &creditor,
        &l.id,
        &form(
            &hostile,
            "facture-signee.pdf",
            "INVOICE",
            "Facture F-101 signée",
        ),
    );
    assert_eq!(status, 201, "{piece}");
    assert_eq!(
        piece["activeContent"],
        json!([
            "JavaScript",
            "OpenAction",
            "AdditionalActions",
            "Launch",
            "URI",
            "EmbeddedFile"
        ])
    );
    let sha = piece["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha, recouvra::blobs::sha256_hex(&hostile));
    let d = app.ok(
        Some(&creditor),
        "query($id: ID!) { case(id: $id) { pieces { sha256 activeContent } } }",
        json!({ "id": l.id }),
    );
    let pieces = d["case"]["pieces"].as_array().unwrap();
    let flagged: Vec<&Value> = pieces
        .iter()
        .filter(|p| p["activeContent"] != json!([]))
        .collect();
    assert_eq!(flagged.len(), 1, "{pieces:?}");
    assert_eq!(flagged[0]["sha256"], sha.as_str());
    // Served byte for byte, but only as a download, and sandboxed; a plain PDF opens inline,
    // sandboxed too.
    let (cd, csp, bytes) = download(app, &creditor, piece["url"].as_str().unwrap());
    assert!(bytes == hostile, "the evidence is kept as filed");
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert_eq!(csp, "sandbox");
    let plain = pieces
        .iter()
        .find(|p| p["activeContent"] == json!([]))
        .unwrap();
    let url = app.ok(
        Some(&creditor),
        "query($id: ID!) { case(id: $id) { pieces { sha256 url mediaType } } }",
        json!({ "id": l.id }),
    )["case"]["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sha256"] == plain["sha256"] && p["mediaType"] == "application/pdf")
        .map(|p| p["url"].as_str().unwrap().to_string())
        .unwrap();
    let (cd, csp, _) = download(app, &creditor, &url);
    assert!(cd.starts_with("inline;"), "{cd}");
    assert_eq!(csp, "sandbox");
    // The case page says so, in French.
    let mut b = crate::portal::Browser::new(app);
    b.sign_in("compta@lemaire.test", &format!("/portal/cases/{}", l.id));
    let page = b.get(&format!("/portal/cases/{}", l.id));
    assert!(
        page.body.contains("Contenu actif (JavaScript, action à l&#x27;ouverture, actions automatiques, lancement de programme, liens vers internet, fichiers joints)"),
        "{}",
        page.body
    );

    // The lawyer's dossier: none of it, while the bordereau lists the original's SHA-256.
    l.refer();
    l.confirm_court();
    let lawyer = token(app, "avocat@cabinet.test");
    let (_, _, dossier) = download(app, &lawyer, &format!("/api/cases/{}/dossier.pdf", l.id));
    let after = pdf_names(&dossier);
    for key in ACTIVE {
        assert!(!after.contains(key), "the dossier still carries /{key}");
    }
    let raw = String::from_utf8_lossy(&dossier);
    for key in [
        "/JavaScript",
        "/JS ",
        "/AA ",
        "/URI",
        "/OpenAction",
        "/Launch",
        "/EmbeddedFile",
    ] {
        assert!(!raw.contains(key), "the dossier's bytes still hold {key}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, &dossier).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    let nospace: String = text.split_whitespace().collect();
    let (a, b) = sha.split_at(32);
    assert!(
        nospace.contains(a) && nospace.contains(b),
        "the bordereau lacks {sha}"
    );
    assert!(
        text.contains("Facture F-101 signee"),
        "the exhibit's page is in the dossier"
    );
    let check = std::process::Command::new("qpdf")
        .args(["--check", path.to_str().unwrap()])
        .output()
        .expect("qpdf is installed");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

const SEARCH: &str = "query($f: CaseFilterInput) { cases(filter: $f) { totalCount edges { node { reference debtor { name } } } } }";

fn found(app: &TestApp, token: &str, text: &str) -> Vec<String> {
    let d = app.ok(Some(token), SEARCH, json!({ "f": { "text": text } }));
    d["cases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["debtor"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_ignores_case_and_accents_and_finds_invoice_numbers_and_sirens() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut company = case_input(None);
    company["debtor"]["name"] = json!("Électricité de Provence");
    company["debtor"]["siren"] = json!("732829320");
    company["invoices"][0]["number"] = json!("FA-2026-0042");
    company["invoices"][1]["number"] = json!("FA-2026-0043");
    app.open_case(&acme.user.token, company);
    let person = json!({
        "debtor": { "kind": "INDIVIDUAL", "name": "Dupré", "firstName": "Élodie",
            "address": { "line1": "8 rue Haute", "postalCode": "75011", "city": "Paris" } },
        "invoices": [{ "number": "P-1", "issueDate": "2026-01-10", "dueDate": "2026-02-09", "amount": "99.90" }]
    });
    app.open_case(&acme.user.token, person);
    // The case of `case_input`: Boulangerie Martin, SIREN 362275869, F-2026-001 and -002.
    app.open_case(&acme.user.token, case_input(None));
    let t = &acme.user.token;
    for text in [
        "Électricité",
        "electricite",
        "ÉLECTRICITÉ",
        "electricité DE  provence",
    ] {
        assert_eq!(found(&app, t, text), ["Électricité de Provence"], "{text}");
    }
    for text in ["ÉLODIE", "elodie", "Dupre", "DUPRÉ"] {
        assert_eq!(found(&app, t, text), ["Dupré"], "{text}");
    }
    assert_eq!(found(&app, t, "fa-2026-0042"), ["Électricité de Provence"]);
    assert_eq!(found(&app, t, "F-2026-002"), ["Boulangerie Martin"]);
    assert_eq!(found(&app, t, "362 275 869"), ["Boulangerie Martin"]);
    assert_eq!(found(&app, t, "732829320"), ["Électricité de Provence"]);
    // A whole reference is an exact lookup; part of one still matches.
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(found(&app, t, &format!("rec-{year}-000002")), ["Dupré"]);
    assert_eq!(found(&app, t, "-000003").len(), 1);
    assert!(found(&app, t, "100%_").is_empty());
    // The portal's list searches the same way.
    let mut b = crate::portal::Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases");
    let page = b.get("/portal/cases?q=%C3%89LODIE");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Dupré"), "{}", page.body);
    assert!(!page.body.contains("Boulangerie Martin"), "{}", page.body);
}

#[test]
fn cases_opened_before_the_search_key_existed_get_theirs_when_the_database_is_migrated() {
    let app = TestApp::spawn();
    set_today(&app, "2026-03-02");
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut company = case_input(None);
    company["debtor"]["name"] = json!("Électricité de Provence");
    app.open_case(&acme.user.token, company);
    // As a database of the previous version holds it: no key.
    app.exec("UPDATE cases SET search_key = ''");
    assert!(found(&app, &acme.user.token, "electricite").is_empty());
    recouvra::db::migrate(&mut app.conn()).unwrap();
    assert_eq!(
        found(&app, &acme.user.token, "ELECTRICITE"),
        ["Électricité de Provence"]
    );
}
