//! Issue 14, the letters, the courts and the requête: the texts in force quoted word for word
//! (CPCE L111-8 al. 2 and 3), a contractual rate named as such, the first letter's reference
//! and sending date (CPCE R124-4), the competent court from the directory of real courts
//! (CPC 1406), and the requête naming the lawyer's firm with a bordereau of dated exhibits
//! (CPC 1407). Every document is read back with pdftotext.

use serde_json::{json, Value};

use crate::evidence::{form_dated, upload};
use crate::helpers::*;
use crate::legal::{legal_case, pdf_of_pages};
use crate::recovery::{case, world_in};

/// L111-8 al. 2 and 3 as the letters must print them, from the one copy in the code.
fn l111_8() -> String {
    recouvra::domain::texts::CPCE_L111_8_AL_2_3
        .paragraphs
        .iter()
        .map(|p| format!("« {p} »"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn document<'a>(c: &'a Value, kind: &str) -> &'a Value {
    c["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {c}"))
}

#[test]
fn a_formal_notice_sent_first_cites_no_letter_and_later_documents_repeat_its_sending_date() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let (app, id) = (&w.app, w.case_id.as_str());
    let agent = token(app, "agent@agency.test");
    // The formal notice is the first letter to the debtor, printed on 2 March...
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    let c = case(app, &agent, id);
    let notice = document(&c, "formal_notice");
    let reference = notice["reference"].as_str().unwrap().to_string();
    let text = squash(&pdf_text(app, &agent, notice["url"].as_str().unwrap()));
    assert!(text.contains("MISE EN DEMEURE"), "{text}");
    // CPCE L111-8 al. 2 and 3 word for word, in the wording in force (« … au créancier »).
    assert!(
        text.contains(&l111_8()),
        "L111-8 not quoted word for word: {text}"
    );
    assert!(!text.contains("« Sauf s'ils concernent"), "{text}");
    // It is the first letter: it cites no earlier one, not even itself.
    assert!(!text.contains("premier courrier"), "{text}");
    assert!(
        text.contains("Vous restez redevable envers Fournitures Lemaire"),
        "{text}"
    );

    // ... posted on 4 March: that is its sending date (R124-4), not the printed one.
    set_today(app, "2026-03-04");
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-04\", trackingNumber: \"1A00112233445\") { state } }",
        json!({ "id": id }),
    );
    set_today(app, "2026-03-05");
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2026-03-05", "amount": "100.00", "method": "TRANSFER" } }),
    );
    let c = case(app, &agent, id);
    let receipt = document(&c, "receipt");
    let text = squash(&pdf_text(app, &agent, receipt["url"].as_str().unwrap()));
    assert!(
        text.contains(&format!(
            "Notre premier courrier : réf. {reference}, envoyé le 04/03/2026"
        )),
        "the receipt does not repeat the first letter's sending date: {text}"
    );
    assert!(!text.contains("02/03/2026"), "{text}");
}

#[test]
fn no_later_letter_while_the_first_is_unsent_then_it_repeats_the_posting_date() {
    // A debtor without an e-mail address: the playbook's first step (16 March 2026) makes
    // the R124-4 first letter a paper letter waiting to be posted.
    let w = world_in(TestApp::spawn(), "2026-03-16");
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    let mut input = case_input(None);
    input["debtor"].as_object_mut().unwrap().remove("email");
    let id = app.open_case(&w.creditor.user.token, input);
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    crate::recovery::run_due(app);
    let c = case(app, &agent, &id);
    let first = document(&c, "first_letter")["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let message = c["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["channel"] == "letter")
        .unwrap_or_else(|| panic!("no paper letter in {c}"))
        .clone();
    assert_eq!(message["status"], "to_post", "{c}");

    // 17 March: the formal notice would have to repeat the first letter's sending date
    // (CPCE R124-4), which is not known while it waits to be posted. Refused, nothing stored.
    set_today(app, "2026-03-17");
    let agent = token(app, "agent@agency.test");
    let r = app.gql(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "firstLetter"), "{r}");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("the first letter {first} has not been sent yet")),
        "{r}"
    );
    let c = case(app, &agent, &id);
    assert_eq!(c["documents"].as_array().unwrap().len(), 1, "{c}");

    // Posted on 18 March: the notice of 19 March repeats that date, not the printed 16 March.
    set_today(app, "2026-03-18");
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($m: ID!) { decideMessage(id: $m, decision: POSTED) { status } }",
        json!({ "m": message["id"] }),
    );
    set_today(app, "2026-03-19");
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    let c = case(app, &agent, &id);
    let text = squash(&pdf_text(
        app,
        &agent,
        document(&c, "formal_notice")["url"].as_str().unwrap(),
    ));
    assert!(
        text.contains(&format!("réf. {first}, envoyé le 18/03/2026")),
        "{text}"
    );
    assert!(!text.contains("envoyé le 16/03/2026"), "{text}");
}

#[test]
fn a_contractual_rate_is_described_as_such_in_the_letter_never_as_the_ecb_rate() {
    let w = world_in(TestApp::spawn(), "2026-03-16");
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    let mut input = case_input(None);
    // 10 % a year, above 3 × the legal rate of 2026 H1 (3 × 2.62 = 7.86 %): applied as is.
    input["contractualRate"] = json!("10");
    let id = app.open_case(&w.creditor.user.token, input);
    for q in [
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
    ] {
        app.ok(Some(&agent), q, json!({ "id": id }));
    }
    let c = case(app, &agent, &id);
    let text = squash(&pdf_text(
        app,
        &agent,
        document(&c, "formal_notice")["url"].as_str().unwrap(),
    ));
    assert!(
        text.contains("pénalités de retard au taux contractuel de 10 % l'an"),
        "{text}"
    );
    assert!(!text.contains("BCE"), "{text}");
}

/// A case of the world's creditor against `debtor`, accepted; the agent reads its report.
fn court_of(app: &TestApp, debtor: Value) -> Value {
    let mut input = case_input(None);
    input["debtor"] = debtor;
    let creditor = token(app, "compta@lemaire.test");
    let id = app.open_case(&creditor, input);
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "query($id: ID!) { eligibility(caseId: $id) { court { kind proposedName courtId candidates reason } } }",
        json!({ "id": id }),
    )["eligibility"]["court"]
        .clone()
}

fn company(postal_code: &str, city: &str) -> Value {
    json!({ "kind": "COMPANY", "name": "Transports Rivière", "legalForm": "SARL", "siren": "362275869",
            "address": { "line1": "4 rue du Port", "postalCode": postal_code, "city": city } })
}

fn person(postal_code: &str, city: &str) -> Value {
    json!({ "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
            "address": { "line1": "3 rue Neuve", "postalCode": postal_code, "city": city } })
}

#[test]
fn the_competent_court_is_a_court_of_the_directory_never_one_named_after_the_town() {
    let w = world_in(TestApp::spawn(), "2026-03-16");
    let app = &w.app;
    // Villeurbanne is in the territory of Lyon's courts (COJ tableau IV, Rhône).
    let c = court_of(app, company("69100", "Villeurbanne"));
    assert_eq!(c["kind"], "ECONOMIC_ACTIVITIES_COURT", "{c}");
    assert_eq!(
        c["proposedName"],
        "Tribunal des activités économiques de Lyon"
    );
    assert_eq!(c["courtId"], "tae-lyon");
    let c = court_of(app, person("69100", "Villeurbanne"));
    assert_eq!(c["proposedName"], "Tribunal judiciaire de Lyon", "{c}");
    // Boulogne-Billancourt: the Hauts-de-Seine are the territory of Nanterre.
    let c = court_of(app, company("92100", "Boulogne-Billancourt"));
    assert_eq!(
        c["proposedName"], "Tribunal des activités économiques de Nanterre",
        "{c}"
    );
    let c = court_of(app, person("92100", "Boulogne-Billancourt"));
    assert_eq!(c["proposedName"], "Tribunal judiciaire de Nanterre", "{c}");
    // Saint-Loubès (33450) is placed by its canton of 2014, Carbon-Blanc: Bordeaux.
    let c = court_of(app, person("33450", "Saint-Loubès"));
    assert_eq!(c["proposedName"], "Tribunal judiciaire de Bordeaux", "{c}");
    // Wattrelos (59150) is in no territory the directory can decide: the lawyer chooses
    // between the tribunaux judiciaires of the Nord, never a name made from the town.
    let c = court_of(app, person("59150", "Wattrelos"));
    assert_eq!(
        c["proposedName"], "Juridiction à choisir par l'avocat dans l'annuaire",
        "{c}"
    );
    assert!(c["courtId"].is_null());
    assert_eq!(
        c["candidates"],
        json!([
            "Tribunal judiciaire d'Avesnes-sur-Helpe",
            "Tribunal judiciaire de Cambrai",
            "Tribunal judiciaire de Douai",
            "Tribunal judiciaire de Dunkerque",
            "Tribunal judiciaire de Lille",
            "Tribunal judiciaire de Valenciennes"
        ]),
        "{c}"
    );
    // Bordeaux itself is the seat of a canton of its court.
    let c = court_of(app, person("33000", "Bordeaux"));
    assert_eq!(c["proposedName"], "Tribunal judiciaire de Bordeaux", "{c}");
}

#[test]
fn the_lawyer_confirms_only_a_court_of_the_directory() {
    let l = legal_case();
    let app = l.app();
    l.refer();
    let lawyer = token(app, "avocat@cabinet.test");
    let confirm = |kind: &str, name: &str| {
        app.gql(
            Some(&lawyer),
            &format!(
                "mutation($id: ID!) {{ confirmCourt(caseId: $id, input: {{ kind: {kind}, name: \"{name}\" }}) {{ id }} }}"
            ),
            json!({ "id": l.id }),
        )
    };
    let r = confirm("COMMERCIAL_COURT", "Tribunal de commerce de Villeurbanne");
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "name"), "{r}");
    let r = confirm("JUDICIAL_COURT", "Tribunal de commerce de Dijon");
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "kind"), "{r}");
    let r = confirm("COMMERCIAL_COURT", "tribunal de commerce de dijon");
    assert!(r["errors"].is_null(), "{r}");
    let d = app.ok(
        Some(&lawyer),
        "query($id: ID!) { case(id: $id) { legal { courtName } } }",
        json!({ "id": l.id }),
    );
    // Stored under the directory's spelling.
    assert_eq!(
        d["case"]["legal"]["courtName"],
        "Tribunal de commerce de Dijon"
    );
}

#[test]
fn an_admin_imports_a_court_directory_and_a_malformed_one_is_refused() {
    let app = TestApp::spawn();
    let embedded = include_str!("../../assets/courts/directory.json");
    let bad = app.gql(
        Some(&app.admin_token),
        "mutation($d: String!) { importCourtDirectory(data: $d) { version } }",
        json!({ "d": "{\"version\": \"2027-01-01\"}" }),
    );
    assert_eq!((code(&bad), field(&bad)), ("VALIDATION", "data"), "{bad}");
    let agent = app.user("AGENT", "agent@agency.test", None);
    // The shipped file (every commune of France, about 2.5 MB) is above GraphQL's 1 MiB body:
    // it is sent as it is to `POST /api/court-directory`.
    let post =
        |token: &str, body: &str| match ureq::post(&format!("{}/api/court-directory", app.base))
            .set("Authorization", &format!("Bearer {token}"))
            .set("Content-Type", "application/json")
            .send_string(body)
        {
            Ok(r) => (r.status(), r.into_json::<Value>().unwrap()),
            Err(ureq::Error::Status(s, r)) => (s, r.into_json::<Value>().unwrap()),
            Err(e) => panic!("{e}"),
        };
    let (status, refused) = post(&agent.token, embedded);
    assert_eq!(
        (status, refused["code"].as_str()),
        (403, Some("FORBIDDEN")),
        "{refused}"
    );
    let (status, bad) = post(&app.admin_token, "{\"version\": \"2027-01-01\"}");
    assert_eq!(
        (status, bad["code"].as_str()),
        (422, Some("VALIDATION")),
        "{bad}"
    );
    let mut newer: serde_json::Value = serde_json::from_str(embedded).unwrap();
    newer["version"] = json!("2027-01-01");
    let newer = newer.to_string();
    let (status, d) = post(&app.admin_token, &newer);
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["version"], "2027-01-01");
    assert_eq!(d["courts"], 317);
    let d = app.ok(
        Some(&agent.token),
        "{ courtDirectory { version source courts { name departements } } }",
        json!({}),
    );
    assert_eq!(d["courtDirectory"]["version"], "2027-01-01");
    assert!(d["courtDirectory"]["courts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Tribunal judiciaire de Nanterre"
            && c["departements"] == json!(["92"])));
}

#[test]
fn the_requete_names_the_lawyers_firm_and_the_bordereau_dates_each_exhibit_by_its_document() {
    let l = legal_case();
    let app = l.app();
    // The creditor's invoice, dated 1 October 2025, uploaded on 16 March 2026.
    let (status, body) = upload(
        app,
        &token(app, "compta@lemaire.test"),
        &l.id,
        &form_dated(
            &pdf_of_pages("Facture F-101", 1),
            "facture-f101.pdf",
            "INVOICE",
            "Facture F-101",
            "2025-10-01",
        ),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["documentDate"], "2025-10-01");
    l.refer();
    l.confirm_court();
    let lawyer = token(app, "avocat@cabinet.test");
    let pdf = ureq::get(&format!("{}/api/cases/{}/dossier.pdf", app.base, l.id))
        .set("Authorization", &format!("Bearer {lawyer}"))
        .call()
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut pdf.into_reader(), &mut bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed");
    let text = squash(&String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " "));
    // CPC 1407: the filer is the lawyer's own firm, from the lawyer's profile.
    for needle in [
        "Maître avocat@cabinet.test",
        "Avocat au barreau de Dijon",
        "Cabinet Durand & Associés",
        "3 place Darcy, 21000 Dijon",
        // CPC 57: names and domicile, or name and seat.
        "Article 57 du Code de procédure civile : nom, prénoms et domicile de la personne physique, ou dénomination et siège social de la personne morale.",
    ] {
        assert!(text.contains(needle), "the dossier lacks « {needle} »: {text}");
    }
    // The bordereau: the exhibit's nature as chosen, and its own date, not the upload day.
    let raw = String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ");
    let line = raw
        .lines()
        .find(|l| l.contains("Facture F-101") && l.contains("01/10/2025"))
        .unwrap_or_else(|| panic!("no bordereau line for the invoice dated 01/10/2025:\n{raw}"));
    assert!(line.contains("Facture"), "{line}");
    let order = raw
        .lines()
        .find(|l| l.contains("Bon de commande") && l.contains("/2026"))
        .unwrap_or_else(|| panic!("no bordereau line for the purchase order:\n{raw}"));
    // Uploaded on 5 March 2026 without a date: the upload day, and its nature.
    assert!(
        order.contains("05/03/2026") && order.matches("Bon de").count() == 2,
        "{order}"
    );
}

#[test]
fn no_dossier_and_no_filing_while_the_lawyers_profile_is_missing() {
    let l = legal_case();
    let app = l.app();
    let other = app.user_without_profile("LAWYER", "nouvel.avocat@cabinet.test", None);
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { state } }",
        json!({ "id": l.id, "l": other.id }),
    );
    let lawyer = token(app, "nouvel.avocat@cabinet.test");
    app.ok(
        Some(&lawyer),
        "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: COMMERCIAL_COURT, name: \"Tribunal de commerce de Dijon\" }) { id } }",
        json!({ "id": l.id }),
    );
    let resp = ureq::get(&format!("{}/api/cases/{}/dossier.pdf", app.base, l.id))
        .set("Authorization", &format!("Bearer {lawyer}"))
        .call();
    match resp {
        Err(ureq::Error::Status(422, r)) => {
            let body: Value = r.into_json().unwrap();
            assert_eq!(body["field"], "lawyerProfile", "{body}");
        }
        other => panic!("expected 422, got {other:?}"),
    }
    let r = app.gql(
        Some(&lawyer),
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/1\") { id } }",
        json!({ "id": l.id }),
    );
    assert_eq!(
        (code(&r), field(&r)),
        ("VALIDATION", "lawyerProfile"),
        "{r}"
    );
    // Once the lawyer entered their firm, both work.
    let p = app.ok(
        Some(&lawyer),
        "mutation($i: LawyerProfileInput!) { setLawyerProfile(input: $i) { firmName bar } }",
        json!({ "i": { "firmName": "Cabinet Nouveau", "bar": "Dijon", "addressLine1": "1 rue de la Liberté",
                       "postalCode": "21000", "city": "Dijon" } }),
    );
    assert_eq!(p["setLawyerProfile"]["firmName"], "Cabinet Nouveau");
    let r = app.gql(
        Some(&lawyer),
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/1\") { id } }",
        json!({ "id": l.id }),
    );
    assert!(r["errors"].is_null(), "{r}");
    // An incomplete profile is refused field by field; an agent has none to set.
    let r = app.gql(
        Some(&lawyer),
        "mutation($i: LawyerProfileInput!) { setLawyerProfile(input: $i) { firmName } }",
        json!({ "i": { "firmName": " ", "bar": "Dijon", "addressLine1": "x", "postalCode": "21000", "city": "Dijon" } }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "firmName"), "{r}");
    let r = app.gql(
        Some(&token(app, "agent@agency.test")),
        "{ myLawyerProfile { firmName } }",
        json!({}),
    );
    assert_eq!(code(&r), "FORBIDDEN", "{r}");
}

#[test]
fn a_lawyer_enters_their_firm_on_a_french_portal_page() {
    use crate::portal::Browser;
    let app = TestApp::spawn();
    app.user_without_profile("LAWYER", "avocat@cabinet.test", None);
    let mut b = Browser::new(&app);
    let p = b.sign_in("avocat@cabinet.test", "/portal/profile");
    assert_eq!(p.status, 303, "{}", p.body);
    let page = b.get("/portal/profile");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mon cabinet"), "{}", page.body);
    assert!(page
        .body
        .contains("article 1407 du Code de procédure civile"));
    let csrf = crate::portal::csrf_field(&page.body);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("firmName", ""),
        ("bar", "Lyon"),
        ("addressLine1", "10 quai de la Pêcherie"),
        ("addressLine2", ""),
        ("postalCode", "69001"),
        ("city", "Lyon"),
    ];
    let p = b.post("/portal/profile", &fields);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("ce champ est obligatoire"), "{}", p.body);
    fields[1] = ("firmName", "Cabinet Rhône Avocats");
    let p = b.post("/portal/profile", &fields);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Votre profil est enregistré"), "{}", p.body);
    let d = app.ok(
        Some(&token(&app, "avocat@cabinet.test")),
        "{ myLawyerProfile { firmName bar addressLine1 addressLine2 postalCode city } }",
        json!({}),
    );
    assert_eq!(
        d["myLawyerProfile"],
        json!({ "firmName": "Cabinet Rhône Avocats", "bar": "Lyon", "addressLine1": "10 quai de la Pêcherie",
                "addressLine2": null, "postalCode": "69001", "city": "Lyon" })
    );
}
