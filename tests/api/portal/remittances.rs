//! The money of a case on its page: what was collected, the commission and the net remitted
//! to the creditor, exact to the cent.

use serde_json::json;

use super::Browser;
use crate::helpers::*;
use crate::recovery::world;

#[test]
fn the_case_page_shows_the_creditor_its_remittances_with_exact_amounts() {
    let w = world("2026-03-16");
    let app = &w.app;
    set_today(app, "2026-05-10");
    let agent = token(app, "agent@agency.test");
    for (date, amount) in [("2026-04-15", "500.05"), ("2026-05-01", "300.00")] {
        app.ok(
            Some(&agent),
            "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
            json!({ "i": { "caseId": w.case_id, "receivedOn": date, "amount": amount, "method": "TRANSFER" } }),
        );
    }
    // Up to 30 April: the April payment, 12 % commission (60.006 → 60.01).
    let r = app.ok(
        Some(&agent),
        "mutation($c: ID!, $d: LocalDate) { prepareRemittance(creditorId: $c, upTo: $d) { reference net commission } }",
        json!({ "c": w.creditor.org_id, "d": "2026-04-30" }),
    )["prepareRemittance"]
        .clone();
    assert_eq!(
        (r["commission"].as_str(), r["net"].as_str()),
        (Some("60.01"), Some("440.04"))
    );
    let reference = r["reference"].as_str().unwrap();

    let mut b = Browser::new(app);
    b.sign_in("compta@lemaire.test", "/portal");
    let page = b.get(&format!("/portal/cases/{}", w.case_id));
    assert_eq!(page.status, 200);
    let at = page
        .body
        .find("Encaissements et reversements")
        .expect("the section");
    let section = &page.body[at..];
    let section = &section[..section.find("</section>").unwrap()];
    for shown in [
        "500,05",
        "60,01",
        "440,04",
        reference,
        "à verser au plus tard le 15&#x2F;05&#x2F;2026",
        "300,00",
        "à reverser au plus tard le 01&#x2F;06&#x2F;2026",
        "800,05",
    ] {
        assert!(squash(section).contains(shown), "{shown} in {section}");
    }
    // The agency sees the same figures.
    let mut a = Browser::new(app);
    a.sign_in("agent@agency.test", "/portal");
    assert!(a
        .get(&format!("/portal/cases/{}", w.case_id))
        .body
        .contains("440,04"));
}
