//! Reconciling the dedicated account (issue 17): statements imported in camt.053 and CSV,
//! credits matched to cases by their reference and recorded as payments, proposals, the
//! reconciliation queue, duplicates recorded once, malformed files refused whole, and the
//! account's balance against held funds — every figure to the cent.

use crate::helpers::*;
use serde_json::{json, Value};

const IMPORT: &str = "mutation($c: String!, $f: BankStatementFormat, $m: BankCsvMapping) {
    importBankStatement(content: $c, format: $f, mapping: $m) {
      read new duplicates matched proposed unmatched ignored pending
      refused { line reason }
      statements { identity iban closingBalance closingBalanceOn entries newEntries }
      entries { id bookedOn amount direction status reason caseReference bankReference paymentId } } }";
const QUEUE: &str =
    "{ reconciliationQueue { id amount status reason caseId caseReference debtor payerName } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { reference state outcome
    payments { amount method receivedOn reference } documents { kind } timeline { kind payload } } }";
const DUE: &str =
    "query($id: ID!, $d: LocalDate) { statement(caseId: $id, asOf: $d) { totals { totalDue } } }";

/// Cents of an amount written `1234.56`.
fn cents(s: &str) -> i64 {
    let (i, f) = s.split_once('.').unwrap_or((s, "00"));
    let sign = if i.starts_with('-') { -1 } else { 1 };
    sign * (i.trim_start_matches('-').parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap())
}

fn euros(c: i64) -> String {
    format!(
        "{}{}.{:02}",
        if c < 0 { "-" } else { "" },
        c.abs() / 100,
        c.abs() % 100
    )
}

struct World {
    app: TestApp,
    agent: String,
    creditor: String,
    /// Case ids and references: A (Boulangerie Martin), B (Garage Lambert), C (Dupré).
    cases: Vec<(String, String)>,
}

fn debtor_case(name: &str, siren: &str) -> Value {
    let mut input = case_input(None);
    input["debtor"]["name"] = json!(name);
    input["debtor"]["siren"] = json!(siren);
    input["debtor"]["email"] = json!(format!("compta@{}.test", siren));
    input
}

fn world() -> World {
    let app = TestApp::spawn();
    set_today(&app, "2026-06-15");
    // Complete settings (receipts are issued) with the dedicated account of the test files.
    let agency = app.organisation("AGENCY", "Recouvra Démo", "871866729");
    app.ok(
        Some(&app.admin_token),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { iban } }",
        json!({ "i": { "agencyOrganisationId": agency, "insurer": "MMA IARD", "policyNumber": "RC-778899",
                       "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP", "mailFrom": "relances@recouvra.test",
                       "signatory": "Claire Martin, gestionnaire", "formalNoticeDays": 8, "graceDays": 3 } }),
    );
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let agent = app.user("AGENT", "agent@agency.test", None).token;
    let mut cases = Vec::new();
    for (name, siren) in [
        ("Boulangerie Martin", "362275869".to_string()),
        ("Garage Lambert", nth_siren(2)),
        ("Dupré Électricité", nth_siren(3)),
    ] {
        let id = app.open_case(&acme.user.token, debtor_case(name, &siren));
        app.ok(
            Some(&agent),
            "mutation($id: ID!) { acceptCase(id: $id) { id } }",
            json!({ "id": id }),
        );
        let r = app.ok(Some(&agent), CASE, json!({ "id": id }))["case"]["reference"]
            .as_str()
            .unwrap()
            .to_string();
        cases.push((id, r));
    }
    World {
        app,
        agent,
        creditor: acme.user.token,
        cases,
    }
}

fn due_on(w: &World, case: usize, day: &str) -> i64 {
    cents(
        w.app.ok(
            Some(&w.agent),
            DUE,
            json!({ "id": w.cases[case].0, "d": day }),
        )["statement"]["totals"]["totalDue"]
            .as_str()
            .unwrap(),
    )
}

/// A test file with the cases' references and figures put in.
fn file(w: &World, name: &str, figures: &[(&str, String)]) -> String {
    let mut text = std::fs::read_to_string(format!(
        "{}/tests/data/bank/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let a = &w.cases[0].1;
    // The debtor's own way of writing it: lower case, spaces instead of dashes.
    let loose = a.to_lowercase().replace('-', " ");
    for (k, v) in [
        ("@REF_A_LOOSE@", loose),
        ("@REF_A@", a.clone()),
        ("@REF_B@", w.cases[1].1.clone()),
    ]
    .into_iter()
    .chain(figures.iter().map(|(k, v)| (*k, v.clone())))
    {
        text = text.replace(k, &v);
    }
    text
}

fn import(w: &World, content: &str, format: &str) -> Value {
    w.app.gql(
        Some(&w.agent),
        IMPORT,
        json!({ "c": content, "f": format, "m": null }),
    )
}

fn case(w: &World, i: usize) -> Value {
    w.app
        .ok(Some(&w.agent), CASE, json!({ "id": w.cases[i].0 }))["case"]
        .clone()
}

fn kinds(c: &Value) -> Vec<String> {
    c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

fn held(w: &World) -> i64 {
    let h = w
        .app
        .ok(Some(&w.agent), "{ heldFunds { amount } }", json!({}))["heldFunds"]
        .clone();
    h.as_array()
        .unwrap()
        .iter()
        .map(|x| cents(x["amount"].as_str().unwrap()))
        .sum()
}

#[test]
fn a_statement_records_the_payments_it_names_once_and_queues_the_rest() {
    let w = world();
    let a_before = due_on(&w, 0, "2026-06-02");
    let due_c = due_on(&w, 2, "2026-06-08");
    let b_due = due_on(&w, 1, "2026-06-03");
    assert!(
        b_due < 1_000_000,
        "the 10 000 € transfer exceeds case B's balance"
    );
    let closing_1 = 50_000 + 1_000_000 + 12_345 + due_c - 1_230;
    let first = file(
        &w,
        "statement-june-1.xml",
        &[("@DUE_C@", euros(due_c)), ("@CLOSING_1@", euros(closing_1))],
    );
    let r = import(&w, &first, "CAMT053");
    assert!(r.get("errors").is_none(), "{r}");
    let r = &r["data"]["importBankStatement"];
    assert_eq!(
        (
            &r["read"],
            &r["new"],
            &r["duplicates"],
            &r["matched"],
            &r["proposed"],
            &r["unmatched"],
            &r["ignored"],
            &r["pending"]
        ),
        (
            &json!(5),
            &json!(5),
            &json!(0),
            &json!(1),
            &json!(1),
            &json!(2),
            &json!(1),
            &json!(1)
        ),
        "{r}"
    );
    // The dollar entry is refused by its line (the 6th Ntry starts on line 55).
    assert_eq!(r["refused"][0]["line"], 55, "{r}");
    assert_eq!(
        r["refused"][0]["reason"],
        "entry 6: an amount in USD, not in euros"
    );
    assert_eq!(r["statements"][0]["identity"], "STMT-2026-06-1");
    assert_eq!(r["statements"][0]["closingBalance"], euros(closing_1));
    assert_eq!(r["statements"][0]["closingBalanceOn"], "2026-06-10");
    let e = r["entries"].as_array().unwrap();
    assert_eq!(e[0]["status"], "MATCHED");
    assert_eq!(e[0]["caseReference"], json!(w.cases[0].1));
    assert_eq!(e[1]["status"], "UNMATCHED");
    assert_eq!(e[1]["caseReference"], json!(w.cases[1].1));
    assert!(
        e[1]["reason"]
            .as_str()
            .unwrap()
            .starts_with("the payment exceeds what is due by"),
        "{}",
        e[1]
    );
    assert_eq!(e[2]["reason"], "no case has the reference REC-2026-999999");
    assert_eq!(
        (&e[3]["direction"], &e[3]["status"]),
        (&json!("DEBIT"), &json!("IGNORED"))
    );
    assert_eq!(e[4]["status"], "PROPOSED");
    assert_eq!(e[4]["caseReference"], json!(w.cases[2].1));

    // Case A: one payment of 500.00 by transfer, its receipt, its events; the balance less
    // exactly 500.00.
    let a = case(&w, 0);
    assert_eq!(
        a["payments"],
        json!([{ "amount": "500.00", "method": "TRANSFER", "receivedOn": "2026-06-02", "reference": "BNK-0001" }])
    );
    assert_eq!(due_on(&w, 0, "2026-06-02"), a_before - 50_000);
    assert!(a["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "receipt"));
    let k = kinds(&a);
    assert!(
        k.contains(&"payment_recorded".into()) && k.contains(&"bank_entry_reconciled".into()),
        "{k:?}"
    );
    // Case B: nothing recorded, the refusal in its trail.
    let b = case(&w, 1);
    assert_eq!(b["payments"], json!([]));
    assert!(kinds(&b).contains(&"bank_entry_refused".into()));
    // Case C: proposed, nothing recorded yet.
    let c = case(&w, 2);
    assert_eq!(c["payments"], json!([]));
    assert!(kinds(&c).contains(&"bank_entry_proposed".into()));
    assert_eq!(held(&w), 50_000);

    // The same statement again: nothing stored, nothing recorded twice.
    let again = import(&w, &first, "CAMT053");
    let again = &again["data"]["importBankStatement"];
    assert_eq!(
        (&again["new"], &again["duplicates"], &again["matched"]),
        (&json!(0), &json!(5), &json!(0)),
        "{again}"
    );
    assert_eq!(case(&w, 0)["payments"].as_array().unwrap().len(), 1);

    // The next statement repeats BNK-0001 and brings 200.00 for case A.
    let closing_2 = closing_1 + 20_000;
    let second = file(
        &w,
        "statement-june-2.xml",
        &[("@CLOSING_2@", euros(closing_2))],
    );
    let r2 = import(&w, &second, "CAMT053");
    let r2 = &r2["data"]["importBankStatement"];
    assert_eq!(
        (&r2["read"], &r2["new"], &r2["duplicates"], &r2["matched"]),
        (&json!(2), &json!(1), &json!(1), &json!(1)),
        "{r2}"
    );
    let a = case(&w, 0);
    let amounts: Vec<&str> = a["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, vec!["500.00", "200.00"]);
    assert_eq!(
        a["payments"][1]["reference"],
        "Règlement partiel réf. ".to_string() + &w.cases[0].1
    );

    // The queue: B's refused transfer, the unknown reference, C's proposal.
    let q = w.app.ok(Some(&w.agent), QUEUE, json!({}))["reconciliationQueue"].clone();
    let q = q.as_array().unwrap();
    assert_eq!(q.len(), 3, "{q:?}");
    assert_eq!(
        q.iter()
            .map(|x| x["amount"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["10000.00", "123.45", euros(due_c).as_str()]
    );
    assert_eq!(q[2]["debtor"], "Dupré Électricité");
    assert_eq!(q[2]["payerName"], "DUPRE ELECTRICITE SARL");

    // The agent confirms C's proposal: paid in full, the case closes as paid.
    let confirmed = w.app.ok(
        Some(&w.agent),
        "mutation($id: ID!) { confirmBankEntry(id: $id) { status paymentId caseReference } }",
        json!({ "id": q[2]["id"] }),
    )["confirmBankEntry"]
        .clone();
    assert_eq!(confirmed["status"], "MATCHED");
    let c = case(&w, 2);
    assert_eq!(c["payments"][0]["amount"], json!(euros(due_c)));
    assert_eq!(
        (&c["state"], &c["outcome"]),
        (&json!("CLOSED"), &json!("PAID"))
    );
    // A confirmed entry is not confirmed twice.
    let twice = w.app.gql(
        Some(&w.agent),
        "mutation($id: ID!) { confirmBankEntry(id: $id) { status } }",
        json!({ "id": q[2]["id"] }),
    );
    assert_eq!(code(&twice), "INVALID_TRANSITION");

    // The unknown reference is assigned to case B by hand; B's 10 000 € is set aside.
    let assigned = w.app.ok(
        Some(&w.agent),
        "mutation($id: ID!, $c: ID!) { assignBankEntry(id: $id, caseId: $c) { status caseReference } }",
        json!({ "id": q[1]["id"], "c": w.cases[1].0 }),
    )["assignBankEntry"]
        .clone();
    assert_eq!(assigned["caseReference"], json!(w.cases[1].1));
    assert_eq!(case(&w, 1)["payments"][0]["amount"], "123.45");
    let ignored = w.app.ok(
        Some(&w.agent),
        "mutation($id: ID!) { ignoreBankEntry(id: $id, reason: \"Virement à rembourser au débiteur\") { status reason } }",
        json!({ "id": q[0]["id"] }),
    )["ignoreBankEntry"]
        .clone();
    assert_eq!(ignored["status"], "IGNORED");
    let q = w.app.ok(Some(&w.agent), QUEUE, json!({}))["reconciliationQueue"].clone();
    assert_eq!(q, json!([]));

    // Held funds follow: 500 + 200 + C's balance + 123.45; the account shows them and the
    // 10 000 € still to refund less the bank's fees.
    let expected_held = 50_000 + 20_000 + due_c + 12_345;
    assert_eq!(held(&w), expected_held);
    let bal = w.app.ok(
        Some(&w.agent),
        "{ bankAccountBalance { balance balanceOn held prepared remitted expected difference } }",
        json!({}),
    )["bankAccountBalance"]
        .clone();
    assert_eq!(bal["balance"], json!(euros(closing_2)));
    assert_eq!(bal["balanceOn"], "2026-06-12");
    assert_eq!(bal["held"], json!(euros(expected_held)));
    assert_eq!(bal["prepared"], "0.00");
    assert_eq!(bal["expected"], json!(euros(expected_held)));
    assert_eq!(bal["difference"], "9987.70");
}

#[test]
fn a_malformed_statement_is_refused_whole_naming_the_line_and_nothing_is_stored() {
    let w = world();
    let bad = file(&w, "malformed.xml", &[]);
    let r = import(&w, &bad, "CAMT053");
    assert_eq!(code(&r), "VALIDATION", "{r}");
    assert_eq!(field(&r), "file");
    assert_eq!(
        r["errors"][0]["message"],
        "entry 2 (line 15): « 75,00 » is not an amount"
    );
    assert_eq!(case(&w, 0)["payments"], json!([]));
    let s = w
        .app
        .ok(Some(&w.agent), "{ bankStatements { id } }", json!({}));
    assert_eq!(s["bankStatements"], json!([]));
    // Not XML at all, and not a camt.053.
    let r = import(&w, "<Document><BkToCstmrStmt>", "CAMT053");
    assert_eq!(code(&r), "VALIDATION");
    let r = import(&w, "<html><body>relevé</body></html>", "CAMT053");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a camt.053 statement"),
        "{r}"
    );
}

#[test]
fn a_statement_of_another_account_than_the_dedicated_one_is_refused() {
    let w = world();
    w.app
        .exec("UPDATE agency_settings SET iban = 'FR1420041010050500013M02606'");
    let r = import(
        &w,
        &file(&w, "malformed.xml", &[]).replace("75,00", "75.00"),
        "CAMT053",
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not of the agency's dedicated account FR1420041010050500013M02606"));
    assert_eq!(case(&w, 0)["payments"], json!([]));
}

#[test]
fn a_csv_export_is_read_through_its_column_mapping() {
    let w = world();
    let csv = file(&w, "statement.csv", &[]);
    let mapping = json!({ "date": "date operation", "amount": null, "credit": "Crédit", "debit": "Débit",
                          "remittance": "Libellé de l'opération", "reference": "Référence banque" });
    let r = w.app.gql(
        Some(&w.agent),
        IMPORT,
        json!({ "c": csv, "f": "CSV", "m": mapping.clone() }),
    );
    assert!(r.get("errors").is_none(), "{r}");
    let r = &r["data"]["importBankStatement"];
    assert_eq!(
        (&r["new"], &r["matched"], &r["ignored"]),
        (&json!(2), &json!(1), &json!(1)),
        "{r}"
    );
    assert_eq!(
        case(&w, 0)["payments"],
        json!([{ "amount": "100.00", "method": "TRANSFER", "receivedOn": "2026-06-03", "reference": "CSV-0001" }])
    );
    assert_eq!(held(&w), 10_000);
    // Once only, and a CSV gives no balance.
    let r = w.app.ok(
        Some(&w.agent),
        IMPORT,
        json!({ "c": csv, "f": "CSV", "m": mapping }),
    );
    assert_eq!(r["importBankStatement"]["duplicates"], 2);
    let bal = w.app.ok(
        Some(&w.agent),
        "{ bankAccountBalance { balance difference held } }",
        json!({}),
    );
    assert_eq!(
        bal["bankAccountBalance"],
        json!({ "balance": null, "difference": null, "held": "100.00" })
    );
    // A mapping naming a column the file lacks refuses the file.
    let r = w.app.gql(
        Some(&w.agent),
        IMPORT,
        json!({ "c": csv, "f": "CSV", "m": { "date": "Jour" } }),
    );
    assert_eq!(code(&r), "VALIDATION");
    assert_eq!(
        r["errors"][0]["message"],
        "the header line has no column « Jour »"
    );
}

#[test]
fn creditors_and_lawyers_cannot_import_nor_see_the_account() {
    let w = world();
    let csv = file(&w, "statement.csv", &[]);
    let r = w
        .app
        .gql(Some(&w.creditor), IMPORT, json!({ "c": csv, "f": "CSV" }));
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
    let lawyer = w.app.user("LAWYER", "avocat@cabinet.test", None).token;
    for token in [&w.creditor, &lawyer] {
        assert_eq!(code(&w.app.gql(Some(token), QUEUE, json!({}))), "FORBIDDEN");
        assert_eq!(
            code(
                &w.app
                    .gql(Some(token), "{ bankAccountBalance { held } }", json!({}))
            ),
            "FORBIDDEN"
        );
        let r = w.app.gql(
            Some(token),
            "mutation { ignoreBankEntry(id: \"1\", reason: \"x\") { status } }",
            json!({}),
        );
        assert_eq!(code(&r), "FORBIDDEN");
    }
    assert_eq!(case(&w, 0)["payments"], json!([]));
}

#[test]
fn the_command_line_imports_a_statement_as_an_agent() {
    let w = world();
    let path = w.app.data_dir.join("releve.xml");
    let second = file(
        &w,
        "statement-june-2.xml",
        &[("@CLOSING_2@", "700.00".into())],
    );
    std::fs::write(&path, second).unwrap();
    let p = path.to_str().unwrap();
    let (ok, out) = w
        .app
        .command(&["bank", "import", p, "--as", "agent@agency.test"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("2 entries read, 2 new, 0 duplicates, 2 matched"),
        "{out}"
    );
    let (ok, out) = w
        .app
        .command(&["bank", "import", p, "--as", "agent@agency.test"]);
    assert!(ok, "{out}");
    assert!(out.contains("2 duplicates, 0 matched"), "{out}");
    // 500.00 (BNK-0001) and 200.00.
    assert_eq!(held(&w), 70_000);
    let (ok, out) = w
        .app
        .command(&["bank", "import", p, "--as", "compta@acme.test"]);
    assert!(!ok, "{out}");
}

#[test]
fn the_agent_imports_a_statement_and_reconciles_it_on_the_portal() {
    use crate::portal::{csrf_field, multipart, Browser};
    let w = world();
    let mut b = Browser::new(&w.app);
    b.sign_in("agent@agency.test", "/portal");
    let money = b.get("/portal/money");
    assert!(
        money.body.contains("href=\"/portal/bank\""),
        "{}",
        money.body
    );
    let page = b.get("/portal/bank");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Compte dédié et rapprochement bancaire"));
    assert!(page
        .body
        .contains("Aucune écriture en attente de rapprochement."));
    let token = csrf_field(&page.body);

    let due_c = due_on(&w, 2, "2026-06-08");
    let statement = file(
        &w,
        "statement-june-1.xml",
        &[
            ("@DUE_C@", euros(due_c)),
            ("@CLOSING_1@", "20000.00".into()),
        ],
    );
    let (ct, body) = multipart(
        &[("csrf", &token), ("format", "camt053")],
        &[("file", "releve.xml", statement.as_bytes())],
    );
    let p = b.post_multipart("/portal/bank/import", &ct, &body);
    assert_eq!(p.status, 200, "{}", p.body);
    let text = squash(&p.body);
    for shown in [
        "Relevé importé",
        "Paiement enregistré sur",
        "Aucun dossier ne porte la référence REC-2026-999999.",
        "Ligne 55 : écriture n° 6 : un montant en USD, pas en euros",
        "Le paiement dépasse de",
        "20 000,00",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
    assert_eq!(case(&w, 0)["payments"][0]["amount"], "500.00");

    // The queue's forms: confirm C's proposal, set B's transfer aside.
    let q = w.app.ok(Some(&w.agent), QUEUE, json!({}))["reconciliationQueue"].clone();
    let proposed = q
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["status"] == "PROPOSED")
        .unwrap();
    let token = csrf_field(&p.body);
    let id = proposed["id"].as_str().unwrap();
    let r = b.post("/portal/bank/confirm", &[("csrf", &token), ("entry", id)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let after = b.get("/portal/bank?fait=confirmed");
    assert!(after.body.contains("Le paiement proposé est confirmé"));
    assert_eq!(case(&w, 2)["payments"][0]["amount"], json!(euros(due_c)));
    // Assigning to a reference that does not exist is refused on the page, in French.
    let unknown = q
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["amount"] == "123.45")
        .unwrap();
    let r = b.post(
        "/portal/bank/assign",
        &[
            ("csrf", &token),
            ("entry", unknown["id"].as_str().unwrap()),
            ("case_reference", "rec 2026 999998"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Aucun dossier ne porte la référence REC-2026-999998."),
        "{}",
        r.body
    );
    // Without the CSRF token nothing happens.
    let r = b.post(
        "/portal/bank/ignore",
        &[("entry", unknown["id"].as_str().unwrap()), ("reason", "x")],
    );
    assert_ne!(r.status, 303);
    // A creditor does not see the page.
    let mut c = Browser::new(&w.app);
    c.sign_in("compta@acme.test", "/portal");
    assert_eq!(c.get("/portal/bank").status, 403);
}

#[test]
fn the_http_route_takes_a_statement_file_as_it_is() {
    let w = world();
    let csv = file(&w, "statement.csv", &[]);
    let url = format!(
        "{}/api/bank/statements?format=csv&date=Date%20op%C3%A9ration&credit=Cr%C3%A9dit&debit=D%C3%A9bit&remittance=Libell%C3%A9%20de%20l%27op%C3%A9ration&reference=R%C3%A9f%C3%A9rence%20banque",
        w.app.base
    );
    let post = |token: &str| match ureq::post(&url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "text/csv")
        .send_string(&csv)
    {
        Ok(r) => (r.status(), r.into_json::<Value>().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json::<Value>().unwrap()),
        Err(e) => panic!("{e}"),
    };
    let (status, refused) = post(&w.creditor);
    assert_eq!((status, refused["code"].as_str()), (403, Some("FORBIDDEN")));
    let (status, done) = post(&w.agent);
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (&done["new"], &done["matched"], &done["ignored"]),
        (&json!(2), &json!(1), &json!(1)),
        "{done}"
    );
    assert_eq!(case(&w, 0)["payments"][0]["amount"], "100.00");
    let (_, again) = post(&w.agent);
    assert_eq!(again["duplicates"], 2, "{again}");
}

#[test]
fn a_transfer_to_a_case_already_paid_waits_in_the_queue_with_the_reason() {
    let w = world();
    let due_c = due_on(&w, 2, "2026-06-08");
    let c = &w.cases[2].1;
    let csv = format!(
        "Date;Libellé;Montant\n08/06/2026;SOLDE {c};{}\n09/06/2026;{c} encore;10,00\n",
        euros(due_c).replace('.', ",")
    );
    let r = w.app.ok(
        Some(&w.agent),
        IMPORT,
        json!({ "c": csv, "f": "CSV", "m": null }),
    )["importBankStatement"]
        .clone();
    assert_eq!(
        (&r["matched"], &r["unmatched"]),
        (&json!(1), &json!(1)),
        "{r}"
    );
    let second = &r["entries"][1];
    assert_eq!(second["caseReference"], json!(c));
    let reason = second["reason"].as_str().unwrap();
    assert!(reason.contains("closed"), "{reason}");
    let case_c = case(&w, 2);
    assert_eq!(case_c["state"], "CLOSED");
    assert_eq!(
        case_c["payments"],
        json!([{ "amount": euros(due_c), "method": "TRANSFER",
        "receivedOn": "2026-06-08", "reference": format!("SOLDE {c}") }])
    );
    assert_eq!(held(&w), due_c);
}
