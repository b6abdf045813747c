//! The creditor's cockpit: its payments and remittances page (exact totals, the statement
//! PDF), and the export of its cases as CSV for Excel (exact lines, the list's « Reste dû »);
//! another creditor's data absent, agents and lawyers refused.

use serde_json::json;

use super::Browser;
use crate::helpers::*;
use crate::recovery::world;

const PAYMENT: &str = "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }";

#[test]
fn the_creditor_sees_its_payments_and_remittances_with_exact_totals_and_exports_its_cases() {
    let w = world("2026-03-16");
    let app = &w.app;
    // Half a minute past ten (UTC): the events' times below stay in the same minute.
    app.clock.advance(30);
    // A second case of the creditor, not accepted yet, whose debtor's name needs quoting.
    let mut second = case_input(None);
    second["debtor"]["name"] = json!("Roy; \"Fils\"");
    second["debtor"]["siren"] = json!(null);
    second["invoices"] = json!([{ "number": "R-1", "issueDate": "2026-01-05", "dueDate": "2026-02-04", "amount": "99.90" }]);
    let second = app.open_case(&w.creditor.user.token, second);
    // Another creditor, with a case and a payment of its own.
    let other = app.creditor("Autre Créancier", "404833048", "compta@autre.test");
    let other_case = app.open_case(&other.user.token, case_input(None));
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": other_case }),
    );
    set_today(app, "2026-05-10");
    app.clock.advance(30);
    let agent = token(app, "agent@agency.test");
    for (date, amount) in [("2026-04-15", "500.05"), ("2026-05-01", "300.00")] {
        app.ok(
            Some(&agent),
            PAYMENT,
            json!({ "i": { "caseId": w.case_id, "receivedOn": date, "amount": amount, "method": "TRANSFER" } }),
        );
    }
    app.ok(
        Some(&agent),
        PAYMENT,
        json!({ "i": { "caseId": other_case, "receivedOn": "2026-04-20", "amount": "999.99", "method": "CHEQUE" } }),
    );
    // Up to 30 April: the April payment, 12 % commission (60.006 → 60.01).
    let r = app.ok(
        Some(&agent),
        "mutation($c: ID!, $d: LocalDate) { prepareRemittance(creditorId: $c, upTo: $d) { reference net commission } }",
        json!({ "c": w.creditor.org_id, "d": "2026-04-30" }),
    )["prepareRemittance"]
        .clone();
    let remittance = r["reference"].as_str().unwrap().to_string();

    let mut b = Browser::new(app);
    b.sign_in("compta@lemaire.test", "/portal");
    let dash = b.get("/portal/dashboard");
    assert!(dash.body.contains("href=\"/portal/payments\""));
    let page = b.get("/portal/payments");
    assert_eq!(page.status, 200, "{}", page.body);
    let body = squash(&page.body);
    for shown in [
        "Encaissé sur vos dossiers",
        "800,05",
        "2 paiements",
        "500,05",
        "300,00",
        "15/04/2026",
        "01/05/2026",
        "Boulangerie Martin",
        "virement",
        "Reversé (brut)",
        "60,01",
        "440,04",
        &remittance,
        "1 reversement",
        "Relevé (PDF)",
        "à verser au plus tard le 15/05/2026",
    ] {
        assert!(
            body.replace("&#x2F;", "/").contains(shown),
            "{shown} in {body}"
        );
    }
    assert!(!body.contains("999,99"), "another creditor's payment");
    assert!(!body.contains("chèque"));
    // The statement's link works for the creditor.
    let at = page
        .body
        .find("href=\"/api/documents/")
        .expect("the PDF link")
        + 6;
    let end = page.body[at..].find('"').unwrap() + at;
    let pdf = page.body[at..end].replace("&#x2F;", "/");
    assert_eq!(b.get(&pdf).status, 200, "{pdf}");

    // The CSV: the list's filters, the list's figures.
    let list = b.get("/portal/cases");
    assert!(list.body.contains("Exporter ces dossiers"));
    let csv = b.get("/portal/cases.csv");
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<&str> = csv.body[3..].split_terminator("\r\n").collect();
    let case = |id: &str| {
        app.ok(
            Some(&token(app, "compta@lemaire.test")),
            "query($id: ID!) { case(id: $id) { reference state totals { outstanding } } }",
            json!({ "id": id }),
        )["case"]
            .clone()
    };
    let first = case(&w.case_id);
    let outstanding = first["totals"]["outstanding"].as_str().unwrap().to_string();
    let st = app.ok(
        Some(&token(app, "compta@lemaire.test")),
        "query($id: ID!) { statement(caseId: $id) { totals { principalOutstanding } } }",
        json!({ "id": w.case_id }),
    );
    assert_eq!(
        st["statement"]["totals"]["principalOutstanding"].as_str(),
        Some(outstanding.as_str()),
        "the list's « Reste dû » is the statement's"
    );
    let second_ref = case(&second)["reference"].as_str().unwrap().to_string();
    assert_eq!(
        lines,
        [
            "Référence;Débiteur;SIREN;État;Principal;Réglé;Reste dû;Ouvert le;Dernier événement"
                .to_string(),
            format!("{second_ref};\"Roy; \"\"Fils\"\"\";;À examiner;99,90;0,00;99,90;16/03/2026;16/03/2026 11:00 — Dossier ouvert"),
            format!(
                "{};Boulangerie Martin;362275869;Recouvrement amiable;2050,50;900,05;{};16/03/2026;10/05/2026 12:00 — Reversement préparé",
                first["reference"].as_str().unwrap(),
                outstanding.replace('.', ",")
            ),
        ],
        "{}",
        csv.body
    );
    // The same filters as the list: one state, a text.
    let csv = b.get(&format!(
        "/portal/cases.csv?q=&state={}",
        first["state"].as_str().unwrap().to_lowercase()
    ));
    assert_eq!(csv.body[3..].split_terminator("\r\n").count(), 2);
    let csv = b.get("/portal/cases.csv?q=Roy&state=");
    let only: Vec<&str> = csv.body[3..].split_terminator("\r\n").collect();
    assert_eq!(only.len(), 2);
    assert!(only[1].starts_with(&second_ref));
    assert!(!csv.body.contains("Autre"));

    // Agents and lawyers are refused, as on the other creditor pages.
    app.user("LAWYER", "avocat@cabinet.test", None);
    for email in ["agent@agency.test", "avocat@cabinet.test"] {
        let mut o = Browser::new(app);
        o.sign_in(email, "/portal");
        for path in ["/portal/payments", "/portal/cases.csv", "/portal/dashboard"] {
            assert_eq!(o.get(path).status, 403, "{email} {path}");
        }
    }
    // The other creditor sees its own only.
    let mut c = Browser::new(app);
    c.sign_in("compta@autre.test", "/portal");
    let page = c.get("/portal/payments");
    assert!(page.body.contains("999,99"));
    assert!(!page.body.contains("800,05") && !page.body.contains(&remittance));
    assert!(page.body.contains("Aucun reversement pour le moment."));
    let csv = c.get("/portal/cases.csv");
    assert_eq!(csv.body[3..].split_terminator("\r\n").count(), 2);
    assert!(!csv.body.contains("Roy"));
}
