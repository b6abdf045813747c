//! The CSV import of cases: over GraphQL (`importCases`) and on the portal (`/portal/import`,
//! multipart with the CSRF token as a form field).

use serde_json::{json, Value};

use crate::helpers::*;
use crate::portal::Browser;

const IMPORT: &str = "mutation($csv: String!, $c: ID) { importCases(csv: $csv, creditorId: $c) {
    importedCases refusedCases rows { line dossier imported caseId reference errors { column message } } } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { reference creditor { name }
    debtor { name firstName isConsumer address { line1 city } }
    invoices { number amount alreadyPaid dueDate } } }";

const HEADER: &str = "dossier;debiteur_type;debiteur_nom;debiteur_prenom;siren;adresse;code_postal;ville;consommateur;facture;date_facture;echeance;montant_ttc;deja_paye";

/// Four cases (five rows): A (two invoices) and D import; B has a bad amount, C a bad date.
fn four_cases() -> String {
    [
        HEADER,
        "A;societe;Boulangerie Martin;;362275869;12 rue des Lilas;69002;Lyon;non;FA-1;10/01/2025;09/02/2025;1 234,56;",
        "B;societe;Garage Dupont;;;3 quai Nord;33000;Bordeaux;;FB-1;10/01/2025;09/02/2025;12,3,4;",
        "A;societe;Boulangerie Martin;;362275869;12 rue des Lilas;69002;Lyon;non;FA-2;2025-02-10;2025-03-12;850.50;100",
        "C;particulier;Durand;Claire;;8 rue Haute;75011;Paris;oui;FC-1;32/01/2025;09/02/2025;99,90;",
        "D;particulier;Petit;Louis;;\"5 allée des Pins; bât. B\";13001;Marseille;;FD-1;01/03/2025;31/03/2025;350;",
    ]
    .join("\n")
}

fn import(app: &TestApp, token: &str, csv: &str, creditor: Option<&str>) -> Value {
    app.gql(Some(token), IMPORT, json!({ "csv": csv, "c": creditor }))
}

fn rows(d: &Value) -> Vec<Value> {
    d["data"]["importCases"]["rows"].as_array().unwrap().clone()
}

#[test]
fn good_cases_are_imported_and_bad_rows_reported_with_line_and_column() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let r = import(&app, &acme.user.token, &four_cases(), None);
    assert!(r.get("errors").is_none(), "{r}");
    let rep = &r["data"]["importCases"];
    assert_eq!(rep["importedCases"], 2);
    assert_eq!(rep["refusedCases"], 2);
    let rows = rows(&r);
    let lines: Vec<i64> = rows.iter().map(|r| r["line"].as_i64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    // Line 3 (B): the amount; line 5 (C): the date. Each names its column.
    assert_eq!(rows[1]["imported"], false);
    assert_eq!(rows[1]["dossier"], "B");
    assert_eq!(rows[1]["errors"][0]["column"], "montant_ttc");
    assert!(rows[1]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("12,3,4"));
    assert_eq!(rows[3]["errors"][0]["column"], "date_facture");
    assert!(rows[3]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("32/01/2025"));
    assert_eq!(rows[3]["errors"].as_array().unwrap().len(), 1);
    // Both rows of A point to one case; D is another.
    assert_eq!(rows[0]["caseId"], rows[2]["caseId"]);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(rows[0]["reference"], format!("REC-{year}-000001"));
    assert_eq!(rows[4]["reference"], format!("REC-{year}-000002"));

    let a = &app.ok(
        Some(&acme.user.token),
        CASE,
        json!({ "id": rows[0]["caseId"] }),
    )["case"];
    assert_eq!(a["creditor"]["name"], "ACME Fournitures");
    assert_eq!(a["debtor"]["name"], "Boulangerie Martin");
    assert_eq!(a["debtor"]["isConsumer"], false);
    assert_eq!(
        a["invoices"],
        json!([
            { "number": "FA-1", "amount": "1234.56", "alreadyPaid": "0.00", "dueDate": "2025-02-09" },
            { "number": "FA-2", "amount": "850.50", "alreadyPaid": "100.00", "dueDate": "2025-03-12" }
        ])
    );
    let d = &app.ok(
        Some(&acme.user.token),
        CASE,
        json!({ "id": rows[4]["caseId"] }),
    )["case"];
    assert_eq!(d["debtor"]["firstName"], "Louis");
    assert_eq!(d["debtor"]["isConsumer"], true);
    assert_eq!(d["debtor"]["address"]["line1"], "5 allée des Pins; bât. B");
    assert_eq!(d["invoices"][0]["amount"], "350.00");
}

#[test]
fn bom_comma_separator_and_quoted_newlines_are_read() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let csv = "\u{feff}dossier,debiteur_type,debiteur_nom,adresse,code_postal,ville,facture,date_facture,echeance,montant_ttc,note\r\n\
        X,societe,\"Martin, Fils & Cie\",1 rue,75001,Paris,F1,01/02/2025,01/03/2025,\"1 000,50\",\"dit \"\"urgent\"\"\r\nseconde ligne\"\r\n\
        Y,societe,Autre,2 rue,75002,Paris,F2,01/02/2025,01/01/2025,10,\r\n";
    let r = import(&app, &acme.user.token, csv, None);
    let rows = rows(&r);
    assert_eq!(rows[0]["imported"], true, "{r}");
    // The quoted note spans two physical lines: the next record starts on line 4.
    assert_eq!(rows[1]["line"], 4);
    // An intake rule (due before issue) is reported on its column too.
    assert_eq!(rows[1]["errors"][0]["column"], "echeance");
    let c = &app.ok(
        Some(&acme.user.token),
        CASE,
        json!({ "id": rows[0]["caseId"] }),
    )["case"];
    assert_eq!(c["debtor"]["name"], "Martin, Fils & Cie");
    assert_eq!(c["invoices"][0]["amount"], "1000.50");
}

#[test]
fn a_file_that_cannot_be_read_is_refused_as_a_whole() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let r = import(&app, &acme.user.token, "nom;montant\nMartin;12", None);
    assert_eq!(code(&r), "VALIDATION");
    assert_eq!(field(&r), "csv");
    let msg = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("colonnes manquantes") && msg.contains("colonnes inconnues : nom, montant"),
        "{msg}"
    );
    let mut many = HEADER.to_string();
    for i in 0..5001 {
        many.push_str(&format!(
            "\nK{i};societe;X;;;1 rue;75001;Paris;;F;01/01/2025;01/02/2025;1;"
        ));
    }
    let r = import(&app, &acme.user.token, &many, None);
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("5000 lignes"),
        "{r}"
    );
    // Nothing was opened.
    let d = app.ok(
        Some(&acme.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 0);
}

#[test]
fn the_same_file_twice_does_not_duplicate_cases() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    import(&app, &acme.user.token, &four_cases(), None);
    let r = import(&app, &acme.user.token, &four_cases(), None);
    assert_eq!(r["data"]["importCases"]["importedCases"], 0, "{r}");
    let rows = rows(&r);
    assert_eq!(rows[0]["errors"][0]["column"], "facture");
    assert!(rows[0]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("REC-"));
    assert_eq!(rows[2]["errors"][0]["column"], "dossier");
    assert_eq!(rows[4]["errors"][0]["column"], "facture");
    let d = app.ok(
        Some(&acme.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 2);
}

#[test]
fn a_creditor_imports_only_for_itself_and_an_agent_names_the_creditor() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let other = app.creditor("Béta SA", "732829320", "compta@beta.test");
    let r = import(&app, &acme.user.token, &four_cases(), Some(&other.org_id));
    assert_eq!(code(&r), "FORBIDDEN");
    let agent = app.user("AGENT", "agent@agency.test", None);
    let r = import(&app, &agent.token, &four_cases(), None);
    assert_eq!(field(&r), "creditorId");
    let r = import(&app, &agent.token, &four_cases(), Some(&other.org_id));
    assert_eq!(r["data"]["importCases"]["importedCases"], 2, "{r}");
    let d = app.ok(
        Some(&other.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 2);
    let d = app.ok(
        Some(&acme.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 0);
}

/// A multipart form as a browser sends it: (name, filename, bytes).
fn multipart(b: &Browser, parts: &[(&str, Option<&str>, &[u8])]) -> (u16, String) {
    let boundary = "----recouvra-test-boundary";
    let mut body = Vec::new();
    for (name, filename, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = b
        .agent
        .post(&format!("{}/portal/import", b.app.base))
        .set("Cookie", &cookie)
        .set(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        );
    match req.send_bytes(&body) {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

fn csrf_of(body: &str) -> String {
    crate::portal::csrf_field(body)
}

#[test]
fn the_portal_imports_a_file_and_shows_the_report() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let mut b = Browser::new(&app);
    assert_eq!(b.get("/portal/import").status, 303);
    b.sign_in("compta@acme.test", "/portal/import");
    let form = b.get("/portal/import");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Importer des dossiers"));
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("montant_ttc"));
    let example = b.get("/portal/import/example.csv");
    assert_eq!(example.status, 200);
    assert!(example.body.starts_with("dossier;debiteur_type"));
    let csrf = csrf_of(&form.body);
    let csv = four_cases();

    // Without the token: refused, nothing imported.
    let (status, body) = multipart(&b, &[("file", Some("dossiers.csv"), csv.as_bytes())]);
    assert_eq!(status, 403);
    assert!(body.contains("Formulaire refusé"));

    let (status, body) = multipart(
        &b,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("file", Some("dossiers.csv"), csv.as_bytes()),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("id=\"imported-count\">2<"), "{body}");
    assert!(body.contains("id=\"refused-count\">2<"));
    assert!(body.contains("<code>montant_ttc</code>"));
    assert!(body.contains("href=\"/portal/cases/1\""));

    // A refused file: the reason next to the file field.
    let (status, body) = multipart(
        &b,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("file", Some("x.csv"), b"nom;montant\nA;1"),
        ],
    );
    assert_eq!(status, 422);
    assert!(body.contains("id=\"file-error\""));
    assert!(body.contains("colonnes manquantes"));
    let (status, body) = multipart(
        &b,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("file", Some("classeur.xlsx"), b"PK\x03\x04"),
        ],
    );
    assert_eq!(status, 422);
    assert!(body.contains("pas un CSV"));
    let big = vec![b'a'; 2 * 1024 * 1024 + 10];
    let (status, body) = multipart(
        &b,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("file", Some("big.csv"), &big),
        ],
    );
    assert_eq!(status, 422);
    assert!(body.contains("dépasse 2 Mio"), "{body}");

    // The example offered for download imports as it is: two cases, three invoices.
    let r = import(&app, &acme.user.token, &example.body, None);
    assert_eq!(r["data"]["importCases"]["importedCases"], 2, "{r}");
    assert_eq!(rows(&r).len(), 3);
}

#[test]
fn the_http_endpoint_takes_the_file_as_the_body() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let url = format!("{}/api/cases/import", app.base);
    let bearer = format!("Bearer {}", acme.user.token);
    let r = ureq::post(&url)
        .set("Authorization", &bearer)
        .set("Content-Type", "text/csv")
        .send_string(&four_cases())
        .unwrap();
    let v: Value = r.into_json().unwrap();
    assert_eq!(v["importedCases"], 2, "{v}");
    assert_eq!(v["refusedCases"], 2);
    assert_eq!(v["rows"][1]["errors"][0]["column"], "montant_ttc");
    assert!(v["rows"][0]["reference"]
        .as_str()
        .unwrap()
        .starts_with("REC-"));

    let big = "a".repeat(2 * 1024 * 1024 + 1);
    match ureq::post(&url)
        .set("Authorization", &bearer)
        .send_string(&big)
    {
        Err(ureq::Error::Status(413, r)) => {
            assert_eq!(r.into_json::<Value>().unwrap()["code"], "PAYLOAD_TOO_LARGE")
        }
        other => panic!("{other:?}"),
    }
    match ureq::post(&url)
        .set("Authorization", &bearer)
        .send_string("nom;montant\nA;1")
    {
        Err(ureq::Error::Status(422, r)) => {
            assert_eq!(r.into_json::<Value>().unwrap()["field"], "file")
        }
        other => panic!("{other:?}"),
    }
    match ureq::post(&url).send_string("x") {
        Err(ureq::Error::Status(401, _)) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_file_imported_several_times_at_once_opens_each_case_once() {
    // A double click on "Importer": the duplicate check runs inside each case's transaction,
    // under a lock per creditor, so the imports cannot both pass it.
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let csv = four_cases();
    let reports: Vec<Value> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| import(&app, &acme.user.token, &csv, None)))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let imported: Vec<i64> = reports
        .iter()
        .map(|r| r["data"]["importCases"]["importedCases"].as_i64().unwrap())
        .collect();
    assert_eq!(imported.iter().sum::<i64>(), 2, "{reports:?}");
    let d = app.ok(
        Some(&acme.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 2);
}

#[test]
fn the_portal_list_pages_through_cases_and_caps_its_count() {
    let app = TestApp::spawn();
    let acme = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let rows = |n: usize, k: &str| {
        let mut csv = HEADER.to_string();
        for i in 0..n {
            csv.push_str(&format!(
                "\n{k}{i};societe;Client {k}{i};;;1 rue Haute;75001;Paris;non;F-{k}{i};10/01/2025;09/02/2025;100,00;"
            ));
        }
        csv
    };
    let imported = |r: &Value| r["data"]["importCases"]["importedCases"].as_i64();
    let r = import(&app, &acme.user.token, &rows(27, "K"), None);
    assert_eq!(imported(&r), Some(27));
    let mut b = Browser::new(&app);
    b.sign_in("compta@acme.test", "/portal/cases");
    let first = b.get("/portal/cases");
    assert!(first.body.contains("27 dossiers"), "{}", first.body);
    assert_eq!(first.body.matches("<td class=\"ref\">").count(), 25);
    assert!(!first.body.contains("Première page"));
    let next = first
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("after="))
        .expect("a link to the next page")
        .replace("&amp;", "&");
    let second = b.get(&next);
    assert_eq!(second.status, 200, "{next} {}", second.body);
    assert_eq!(second.body.matches("<td class=\"ref\">").count(), 2);
    assert!(second.body.contains("← Première page"));
    assert!(!second.body.contains("Page suivante"));
    // Beyond 1 000 matches the page says so instead of counting them all.
    let r = import(&app, &acme.user.token, &rows(1001, "L"), None);
    assert_eq!(imported(&r), Some(1001));
    assert!(b
        .get("/portal/cases")
        .body
        .contains("Plus de 1 000 dossiers"));
    // The exact figure stays available to integrators.
    let d = app.ok(
        Some(&acme.user.token),
        "{ cases { totalCount } }",
        json!({}),
    );
    assert_eq!(d["cases"]["totalCount"], 1028);
}
