//! The legal phase end to end: referral, the eligibility report and its blocking conditions,
//! the injunction dossier read back (text, pages, hashes, ZIP manifest, determinism), and the
//! procedure after filing with its deadlines.

use serde_json::{json, Value};
use std::io::Read;

use crate::evidence::{form, upload};
use crate::helpers::*;
use crate::recovery::{world_in, World};

/// "4450.50" → "4 450,50 €" as the documents print it (no-break spaces read back as spaces).
pub(crate) fn fr(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out},{frac} €")
}

/// A PDF of `pages` pages made with the engine.
pub(crate) fn pdf_of_pages(title: &str, pages: usize) -> Vec<u8> {
    use recouvra::documents::pdf::{render, Block, Document};
    let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut doc = Document::new(title, "Fournitures Lemaire", at);
    for n in 0..pages {
        if n > 0 {
            doc.push(Block::PageBreak);
        }
        doc.push(Block::Paragraph(format!("{title} — page {}", n + 1)));
    }
    render(&doc).unwrap()
}

/// A valid 2×2 RGB PNG.
pub(crate) fn png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for _ in 0..2 {
        raw.push(0u8);
        raw.extend_from_slice(&[200, 30, 30, 30, 200, 30]);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, &raw).unwrap();
    let idat = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Downloads a file: (status, bytes) on success, (status, JSON error) otherwise.
pub(crate) fn get(app: &TestApp, token: &str, url: &str) -> Result<Vec<u8>, (u16, Value)> {
    match ureq::get(&format!("{}{url}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => {
            let mut bytes = Vec::new();
            r.into_reader().read_to_end(&mut bytes).unwrap();
            Ok(bytes)
        }
        Err(ureq::Error::Status(s, r)) => Err((s, r.into_json().unwrap_or(Value::Null))),
        Err(e) => panic!("{e}"),
    }
}

pub(crate) fn tool(cmd: &str, args: &[&str], bytes: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, bytes).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push(path.to_str().unwrap());
    if cmd == "pdftotext" {
        all.push("-");
    }
    let out = std::process::Command::new(cmd)
        .args(&all)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is installed (.ci/run installs it): {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " "),
    )
}

const B2B_CASE: &str = r#"{
    "debtor": { "kind": "COMPANY", "name": "Boulangerie Martin", "legalForm": "SARL", "siren": "362275869",
        "address": { "line1": "12 rue des Forges", "postalCode": "21000", "city": "Dijon" },
        "email": "compta@boulangerie-martin.fr" },
    "invoices": [
        { "number": "F-101", "issueDate": "2025-10-01", "dueDate": "2025-10-31", "amount": "1200.00" },
        { "number": "F-102", "issueDate": "2025-11-05", "dueDate": "2025-12-05", "amount": "850.50" },
        { "number": "F-103", "issueDate": "2026-01-10", "dueDate": "2026-02-09", "amount": "2400.00" }
    ] }"#;

/// A B2B case with three invoices, its formal notice posted on 2 March 2026 (deadline
/// 10 March), a partial payment on 5 March, three exhibits uploaded by the creditor; today is
/// 16 March 2026, the notice expired unpaid.
pub(crate) struct Legal {
    pub w: World,
    pub id: String,
    pub lawyer: Login,
}

pub(crate) fn legal_case() -> Legal {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let creditor = token(app, "compta@lemaire.test");
    let agent = || token(app, "agent@agency.test");
    let id = app.open_case(&creditor, serde_json::from_str(B2B_CASE).unwrap());
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    app.ok(
        Some(&agent()),
        "mutation($id: ID!) { postFormalNotice(caseId: $id, postedOn: \"2026-03-02\", trackingNumber: \"1A00112233445\") { state } }",
        json!({ "id": id }),
    );
    set_today(app, "2026-03-05");
    app.ok(
        Some(&agent()),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        json!({ "i": { "caseId": id, "receivedOn": "2026-03-05", "amount": "500.00", "method": "TRANSFER" } }),
    );
    for (bytes, name, kind, description) in [
        (
            pdf_of_pages("Bon de commande BC-77", 2),
            "bon-commande.pdf",
            "PURCHASE_ORDER",
            "Bon de commande BC-77",
        ),
        (
            png(),
            "livraison.png",
            "DELIVERY_NOTE",
            "Bon de livraison signé",
        ),
        (
            b"Relance telephonique du 20 fevrier 2026 : promesse non tenue.\n".to_vec(),
            "note.txt",
            "CORRESPONDENCE",
            "Compte rendu d'appel",
        ),
    ] {
        let (status, body) = upload(
            app,
            &token(app, "compta@lemaire.test"),
            &id,
            &form(&bytes, name, kind, description),
        );
        assert_eq!(status, 201, "{body}");
    }
    set_today(app, "2026-03-16");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    Legal { w, id, lawyer }
}

impl Legal {
    pub(crate) fn app(&self) -> &TestApp {
        &self.w.app
    }
    pub(crate) fn agent(&self) -> String {
        token(self.app(), "agent@agency.test")
    }
    pub(crate) fn lawyer(&self) -> String {
        token(self.app(), "avocat@cabinet.test")
    }
    pub(crate) fn refer(&self) {
        let d = self.app().ok(
            Some(&self.agent()),
            "mutation($id: ID!, $l: ID!) { referCase(caseId: $id, lawyerId: $l) { state legal { lawyerName } } }",
            json!({ "id": self.id, "l": self.lawyer.id }),
        );
        assert_eq!(d["referCase"]["state"], "LEGAL");
        assert_eq!(d["referCase"]["legal"]["lawyerName"], "avocat@cabinet.test");
    }
    pub(crate) fn confirm_court(&self) {
        self.app().ok(
            Some(&self.lawyer()),
            "mutation($id: ID!) { confirmCourt(caseId: $id, input: { kind: COMMERCIAL_COURT, name: \"Tribunal de commerce de Dijon\", transferOnOpposition: true }) { id } }",
            json!({ "id": self.id }),
        );
    }
    pub(crate) fn eligibility(&self) -> Value {
        self.app().ok(
            Some(&self.lawyer()),
            "query($id: ID!) { eligibility(caseId: $id) { eligible firstBlockingFailure { key reason }
                conditions { key status blocking article }
                prescriptions { number endsOn }
                court { kind proposedName judge cerfa feesExclVat feesInclVat }
                smallClaimsAlternative europeanOrder lawyerRequiredOnOpposition } }",
            json!({ "id": self.id }),
        )["eligibility"]
            .clone()
    }
}

#[test]
fn a_b2b_case_gives_a_court_ready_dossier_whose_figures_and_exhibits_can_be_trusted() {
    let l = legal_case();
    let app = l.app();
    l.refer();
    let report = l.eligibility();
    assert_eq!(report["eligible"], true, "{report}");
    assert!(report["firstBlockingFailure"].is_null());
    assert_eq!(report["court"]["kind"], "COMMERCIAL_COURT");
    assert_eq!(
        report["court"]["proposedName"],
        "Tribunal de commerce de Dijon"
    );
    assert_eq!(report["court"]["feesExclVat"], "27.89");
    assert_eq!(report["court"]["feesInclVat"], "33.47");
    // 5 years (C. com. L110-4), restarted for every invoice by the unnamed partial payment of
    // 5 March 2026 (C. civ. 2240, 2231): to 5 March 2031.
    assert_eq!(
        report["prescriptions"],
        json!([{ "number": "F-101", "endsOn": "2031-03-05" },
               { "number": "F-102", "endsOn": "2031-03-05" },
               { "number": "F-103", "endsOn": "2031-03-05" }])
    );
    assert_eq!(report["lawyerRequiredOnOpposition"], false);
    assert!(report["smallClaimsAlternative"].is_string());

    // The court is confirmed by the lawyer before anything is produced.
    let err = get(
        app,
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.pdf", l.id),
    )
    .unwrap_err();
    assert_eq!(err.0, 422, "{err:?}");
    assert_eq!(err.1["field"], "court");
    l.confirm_court();

    let st = app.ok(
        Some(&l.lawyer()),
        "query($id: ID!) { statement(caseId: $id) { totals { principalOutstanding interestOutstanding indemnityOutstanding totalDue } } }",
        json!({ "id": l.id }),
    )["statement"]["totals"]
        .clone();
    let pdf = get(
        app,
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.pdf", l.id),
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let again = get(app, &l.agent(), &format!("/api/cases/{}/dossier.pdf", l.id)).unwrap();
    assert!(pdf == again, "two builds of the same state differ");
    let (ok, check) = tool("qpdf", &["--check"], &pdf);
    assert!(ok, "qpdf --check failed: {check}");

    let (_, text) = tool("pdftotext", &["-layout"], &pdf);
    let flat = squash(&text);
    for needle in [
        "Fournitures Lemaire",
        "Boulangerie Martin",
        "362275869",
        "Tribunal de commerce de Dijon",
        "À Monsieur ou Madame le Président du tribunal de commerce",
        "F-101",
        "F-102",
        "F-103",
        "avocat@cabinet.test",
    ] {
        assert!(
            flat.contains(needle),
            "the dossier does not show {needle}:\n{text}"
        );
    }
    for key in [
        "principalOutstanding",
        "interestOutstanding",
        "indemnityOutstanding",
        "totalDue",
    ] {
        let amount = fr(st[key].as_str().unwrap());
        assert!(flat.contains(&amount), "{key} {amount} missing:\n{text}");
    }
    // Three late invoices: 3 × 40 € (C. com. D441-5), of which the 500 € payment paid the
    // oldest invoice's first (C. civ. 1342-10, 1343-1: indemnity, interest, then principal).
    assert_eq!(st["indemnityOutstanding"], "80.00");

    // The exhibit list names every exhibit with its hash, and each exhibit follows its divider.
    let pieces = app.ok(
        Some(&l.lawyer()),
        "query($id: ID!) { case(id: $id) { pieces { exhibitNumber description sha256 mediaType url } } }",
        json!({ "id": l.id }),
    )["case"]["pieces"]
        .as_array()
        .unwrap()
        .clone();
    assert!(pieces.len() >= 4, "{pieces:?}");
    let nospace: String = text.split_whitespace().collect();
    for p in &pieces {
        // The bordereau prints each hash whole, in two halves of 32 hex digits.
        let sha = p["sha256"].as_str().unwrap();
        let (a, b) = sha.split_at(32);
        assert!(
            nospace.contains(a) && nospace.contains(b),
            "bordereau lacks {sha}"
        );
    }
    // Pages: the front matter, then per exhibit one divider and its pages (a PDF's own pages,
    // an image on one page, other formats only listed).
    // pdftotext ends every page with a form feed (an image page reads back empty).
    let mut pages: Vec<&str> = text.split('\u{c}').collect();
    pages.pop();
    let is_divider = |page: &str, n: i64| {
        let flat = format!("{} ", squash(page));
        flat.starts_with("Pièces communiquées") && flat.contains(&format!("Pièce n° {n} "))
    };
    for p in &pieces {
        let n = p["exhibitNumber"].as_i64().unwrap();
        assert!(
            pages.iter().any(|page| is_divider(page, n)),
            "no divider for {n}"
        );
    }
    let first_divider = pages
        .iter()
        .position(|p| is_divider(p, 1))
        .expect("a divider page for exhibit 1");
    let mut expected = first_divider;
    for p in &pieces {
        expected += 1;
        let url = p["url"].as_str().unwrap();
        let bytes = get(app, &l.lawyer(), url).unwrap();
        expected += match p["mediaType"].as_str().unwrap() {
            "application/pdf" => recouvra::documents::pdf::page_count(&bytes).unwrap(),
            "image/png" | "image/jpeg" => 1,
            _ => 0,
        };
    }
    assert_eq!(
        recouvra::documents::pdf::page_count(&pdf).unwrap(),
        expected,
        "page count"
    );

    // The ZIP: the PDF, each exhibit under its number, and a manifest whose hashes match.
    let zip = get(
        app,
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.zip", l.id),
    )
    .unwrap();
    let listing = zip_listing(&zip);
    let manifest: Value = serde_json::from_str(&listing["manifest.json"].1).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), pieces.len() + 1, "{manifest}");
    for f in files {
        let path = f["path"].as_str().unwrap();
        let (sha, _) = &listing[path];
        assert_eq!(f["sha256"].as_str().unwrap(), sha, "{path}");
    }
    assert_eq!(
        listing["dossier.pdf"].0,
        recouvra::blobs::sha256_hex(&pdf),
        "the ZIP's PDF is the dossier"
    );

    // Stored as a document of the case; the creditor sees that it exists, not its content.
    let creditor = token(app, "compta@lemaire.test");
    let d = app.ok(
        Some(&creditor),
        "query($id: ID!) { case(id: $id) { legal { dossier { kind sha256 url } courtName } } }",
        json!({ "id": l.id }),
    );
    let dossier = &d["case"]["legal"]["dossier"];
    assert_eq!(
        dossier["sha256"],
        recouvra::blobs::sha256_hex(&pdf).as_str()
    );
    let err = get(app, &creditor, &format!("/api/cases/{}/dossier.pdf", l.id)).unwrap_err();
    assert_eq!(err.0, 403);
    let err = get(app, &creditor, dossier["url"].as_str().unwrap()).unwrap_err();
    assert_eq!(err.0, 403);
    // Every download is in the case's trail and the security log.
    let trail = app.ok(
        Some(&l.agent()),
        "query($id: ID!) { auditTrail(caseId: $id) { verified events { kind } } }",
        json!({ "id": l.id }),
    );
    let downloads = trail["auditTrail"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "dossier_downloaded")
        .count();
    assert_eq!(downloads, 3);
    assert_eq!(trail["auditTrail"]["verified"], true);
    let log = app.ok(
        Some(&app.admin_token),
        "{ securityLog(kind: DOSSIER_DOWNLOADED) { totalCount } }",
        json!({}),
    );
    assert_eq!(log["securityLog"]["totalCount"], 3);
}

/// Each file of a ZIP: its SHA-256 and (for text) its content, read back by Python's zipfile.
fn zip_listing(zip: &[u8]) -> std::collections::HashMap<String, (String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.zip");
    std::fs::write(&path, zip).unwrap();
    let script = "import hashlib,json,sys,zipfile\n\
        z=zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        out={}\n\
        for n in z.namelist():\n\
        \x20   b=z.read(n)\n\
        \x20   out[n]=[hashlib.sha256(b).hexdigest(), b.decode('utf-8') if n.endswith('.json') else '']\n\
        print(json.dumps(out))\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: std::collections::HashMap<String, (String, String)> =
        serde_json::from_slice(&out.stdout).unwrap();
    v
}

pub(crate) fn blocking(l: &Legal, key: &str) {
    let report = l.eligibility();
    assert_eq!(report["eligible"], false, "{report}");
    assert_eq!(report["firstBlockingFailure"]["key"], key, "{report}");
    l.confirm_court();
    let err = get(
        l.app(),
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.pdf", l.id),
    )
    .unwrap_err();
    assert_eq!(err.0, 409, "{err:?}");
    assert_eq!(err.1["code"], "INELIGIBLE");
    assert_eq!(err.1["field"], key);
}

#[test]
fn no_dossier_before_the_formal_notice_deadline_has_passed() {
    let l = legal_case();
    set_today(l.app(), "2026-03-10");
    l.refer();
    blocking(&l, "formal_notice_expired");
    let report = l.eligibility();
    let reason = report["firstBlockingFailure"]["reason"].as_str().unwrap();
    assert!(reason.contains("10 mars 2026"), "{reason}");
}

#[test]
fn no_dossier_for_a_debtor_abroad_and_the_european_order_is_suggested() {
    let l = legal_case();
    l.app().exec(&format!(
        "UPDATE debtors SET country = 'BE', postal_code = '1000', city = 'Bruxelles' \
         WHERE id = (SELECT debtor_id FROM cases WHERE id = {})",
        l.id
    ));
    l.refer();
    blocking(&l, "debtor_in_france");
    let report = l.eligibility();
    assert!(report["europeanOrder"]
        .as_str()
        .unwrap()
        .contains("1896/2006"));
}

#[test]
fn no_dossier_for_a_prescribed_consumer_claim() {
    let w = world_in(TestApp::spawn(), "2026-03-02");
    let app = &w.app;
    let creditor = token(app, "compta@lemaire.test");
    // A consumer's claim prescribes in 2 years (C. conso. L218-2): due 10 Jan 2024, prescribed
    // after 10 Jan 2026.
    let id = app.open_case(
        &creditor,
        json!({
            "debtor": { "kind": "INDIVIDUAL", "name": "Durand", "firstName": "Paul",
                "address": { "line1": "3 rue Neuve", "postalCode": "69003", "city": "Lyon" } },
            "invoices": [{ "number": "F-9", "issueDate": "2023-12-10", "dueDate": "2024-01-10", "amount": "300.00" }]
        }),
    );
    let agent = token(app, "agent@agency.test");
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { acceptCase(id: $id) { state } }",
        json!({ "id": id }),
    );
    // No formal notice demands a prescribed claim either (rules of contact, C. civ. 2219).
    let notice = app.gql(
        Some(&agent),
        "mutation($id: ID!) { prepareFormalNotice(caseId: $id) { id } }",
        json!({ "id": id }),
    );
    assert_eq!(field(&notice), "not_prescribed", "{notice}");
    set_today(app, "2026-03-20");
    let lawyer = app.user("LAWYER", "avocat@cabinet.test", None);
    let l = Legal { w, id, lawyer };
    l.refer();
    blocking(&l, "not_prescribed");
    let report = l.eligibility();
    assert_eq!(report["prescriptions"][0]["endsOn"], "2026-01-10");
    assert_eq!(report["court"]["kind"], "JUDICIAL_COURT");
}

#[test]
fn no_dossier_while_interest_stops_short_for_want_of_the_half_years_rates() {
    let l = legal_case();
    l.refer();
    // 2026 H2's rates are not entered: interest stops at 30/06/2026, so the amount of
    // 15/07/2026 is not determined (CPC 1405) and the requête, which states it, waits.
    set_today(l.app(), "2026-07-15");
    let report = l.eligibility();
    assert_eq!(report["eligible"], false, "{report}");
    assert_eq!(report["firstBlockingFailure"]["key"], "determined_amount");
    let reason = report["firstBlockingFailure"]["reason"].as_str().unwrap();
    assert!(reason.contains("second semestre 2026"), "{reason}");
    l.confirm_court();
    let err = get(
        l.app(),
        &l.lawyer(),
        &format!("/api/cases/{}/dossier.pdf", l.id),
    )
    .unwrap_err();
    assert_eq!(err.0, 409, "{err:?}");
    assert_eq!(err.1["code"], "INELIGIBLE");
    assert_eq!(err.1["field"], "interestIncomplete");
}

const LEGAL: &str = "query($id: ID!) { case(id: $id) { state outcome legal {
    filedOn filingReference orderOn orderOutcome orderAmount servedOn servedInPerson
    enforceableOn handedOverOn enforcementOfficer orderLapsed
    deadlines { kind date daysLeft missed } } tasks { kind status dueOn } } }";

fn legal_of(l: &Legal) -> Value {
    l.app().ok(Some(&l.lawyer()), LEGAL, json!({ "id": l.id }))["case"].clone()
}

fn step(l: &Legal, mutation: &str) -> Value {
    l.app()
        .gql(Some(&l.lawyer()), mutation, json!({ "id": l.id }))
}

#[test]
fn the_procedure_after_filing_follows_its_deadlines_to_enforcement() {
    let l = legal_case();
    l.refer();
    l.confirm_court();
    // Not before the referral, nor in the future.
    let r = step(
        &l,
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-04-01\", reference: \"RG 26/01234\") { state } }",
    );
    assert_eq!(code(&r), "VALIDATION", "{r}");
    let r = step(
        &l,
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/01234\") { state } }",
    );
    assert_eq!(r["data"]["recordFiling"]["state"], "FILED", "{r}");

    // Granted on Tuesday 7 April 2026: to be served by 7 October 2026 (CPC 1411).
    set_today(l.app(), "2026-04-08");
    let r = step(
        &l,
        "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-04-07\", outcome: GRANTED }) { state } }",
    );
    assert_eq!(r["data"]["recordOrder"]["state"], "ORDER_GRANTED", "{r}");
    let c = legal_of(&l);
    assert_eq!(
        c["legal"]["deadlines"][0],
        json!({ "kind": "SERVE_ORDER", "date": "2026-10-07", "daysLeft": 182, "missed": false })
    );
    let tasks: Vec<&Value> = c["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "legal_deadline" && t["status"] == "open")
        .collect();
    assert_eq!(tasks.len(), 1, "{c}");
    assert_eq!(tasks[0]["dueOn"], "2026-09-07");

    // Served in person on Monday 20 April: the window ends on 20 May, the title is
    // enforceable from 21 May (CPC 1416, 1422).
    set_today(l.app(), "2026-04-21");
    let r = step(
        &l,
        "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-04-20\", inPerson: true }) { state } }",
    );
    assert_eq!(r["data"]["recordService"]["state"], "SERVED", "{r}");
    let c = legal_of(&l);
    let kinds: Vec<(&str, &str)> = c["legal"]["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap(), d["date"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("OPPOSITION_WINDOW_ENDS", "2026-05-20")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("ENFORCEABLE_FROM", "2026-05-21")),
        "{kinds:?}"
    );
    let r = step(
        &l,
        "mutation($id: ID!) { recordEnforceableTitle(caseId: $id) { state } }",
    );
    assert_eq!(code(&r), "INVALID_TRANSITION", "{r}");

    set_today(l.app(), "2026-05-21");
    let r = step(
        &l,
        "mutation($id: ID!) { recordEnforceableTitle(caseId: $id) { state legal { enforceableOn } } }",
    );
    assert_eq!(
        r["data"]["recordEnforceableTitle"],
        json!({ "state": "ENFORCEABLE", "legal": { "enforceableOn": "2026-05-21" } }),
        "{r}"
    );
    let r = step(
        &l,
        "mutation($id: ID!) { handOverForEnforcement(caseId: $id, date: \"2026-05-21\", officer: \"SCP Roux, commissaires de justice\") { state legal { enforcementOfficer } } }",
    );
    assert_eq!(
        r["data"]["handOverForEnforcement"]["state"], "ENFORCEMENT",
        "{r}"
    );

    // The lawyer's agenda shows the title's 10-year life among their deadlines.
    let agenda = l.app().ok(
        Some(&l.lawyer()),
        "{ legalAgenda(withinDays: 3660) { caseReference deadline { kind date } } }",
        json!({}),
    );
    assert_eq!(
        agenda["legalAgenda"][0]["deadline"],
        json!({ "kind": "ENFORCEMENT_ENDS", "date": "2036-05-21" })
    );
}

#[test]
fn an_order_not_served_in_six_months_lapses_and_an_opposition_closes_the_case() {
    let l = legal_case();
    l.refer();
    l.confirm_court();
    step(
        &l,
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/9\") { state } }",
    );
    set_today(l.app(), "2026-03-31");
    let r = step(
        &l,
        "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-03-31\", outcome: PARTIALLY_GRANTED }) { state } }",
    );
    assert_eq!(code(&r), "VALIDATION");
    assert_eq!(field(&r), "amount");
    let r = step(
        &l,
        "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-03-31\", outcome: PARTIALLY_GRANTED, amount: \"3000.00\" }) { legal { orderAmount orderOutcome } } }",
    );
    assert_eq!(
        r["data"]["recordOrder"]["legal"],
        json!({ "orderAmount": "3000.00", "orderOutcome": "PARTIALLY_GRANTED" }),
        "{r}"
    );
    // 31 March + 6 months = 30 September (the month has no 31st), a Wednesday.
    set_today(l.app(), "2026-10-01");
    let c = legal_of(&l);
    assert_eq!(c["legal"]["orderLapsed"], true);
    assert_eq!(c["legal"]["deadlines"][0]["date"], "2026-09-30");
    assert_eq!(c["legal"]["deadlines"][0]["missed"], true);
    let r = step(
        &l,
        "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-10-01\", inPerson: true }) { state } }",
    );
    assert_eq!(
        code(&r),
        "VALIDATION",
        "a lapsed order cannot be served: {r}"
    );

    // Another case, served in time then opposed: closed as handed over.
    let l = legal_case();
    l.refer();
    l.confirm_court();
    step(
        &l,
        "mutation($id: ID!) { recordFiling(caseId: $id, filedOn: \"2026-03-16\", reference: \"RG 26/10\") { state } }",
    );
    set_today(l.app(), "2026-04-10");
    step(
        &l,
        "mutation($id: ID!) { recordOrder(caseId: $id, input: { date: \"2026-04-09\", outcome: GRANTED }) { state } }",
    );
    step(
        &l,
        "mutation($id: ID!) { recordService(caseId: $id, input: { servedOn: \"2026-04-10\", inPerson: true }) { state } }",
    );
    set_today(l.app(), "2026-04-20");
    let r = step(
        &l,
        "mutation($id: ID!) { recordOpposition(caseId: $id, opposedOn: \"2026-04-18\") { state outcome } }",
    );
    assert_eq!(
        r["data"]["recordOpposition"],
        json!({ "state": "CLOSED", "outcome": "HANDED_OVER" }),
        "{r}"
    );
}
