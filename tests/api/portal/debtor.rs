//! The debtor's page (issue 17): the link printed on the first letter, the check question,
//! the claim of the day to the cent, the transfer details, the documents sent, and what the
//! debtor does there going through the agents' rules; wrong answers, revoked links, forged
//! forms refused and nothing recorded for them.

use serde_json::{json, Value};

use super::{csrf_field, Browser, Page};
use crate::helpers::*;
use crate::recovery::{run_due, world, World};

/// The world of `recovery` with the portal's address set (so letters carry a link), its
/// first letter produced on 16 March 2026: the link printed on it.
pub(super) fn letter_link(w: &World) -> String {
    let admin = token(&w.app, "admin@agency.test");
    let mut s = w.app.ok(
        Some(&admin),
        "{ agencySettings { agencyOrganisationId insurer policyNumber iban bic phone email mailFrom signatory formalNoticeDays graceDays } }",
        json!({}),
    )["agencySettings"]
        .clone();
    s["portalUrl"] = json!("https://recouvra.agence.test");
    w.app.ok(
        Some(&admin),
        "mutation($i: AgencySettingsInput!) { updateAgencySettings(input: $i) { portalUrl } }",
        json!({ "i": s }),
    );
    run_due(&w.app);
    let c = crate::recovery::case(&w.app, &token(&w.app, "agent@agency.test"), &w.case_id);
    assert_eq!(c["documents"][0]["kind"], "first_letter");
    let text = squash(&pdf_text(
        &w.app,
        &token(&w.app, "agent@agency.test"),
        c["documents"][0]["url"].as_str().unwrap(),
    ));
    let at = text
        .find("https://recouvra.agence.test/d/")
        .unwrap_or_else(|| panic!("the letter prints the debtor's link: {text}"))
        + "https://recouvra.agence.test".len();
    let link: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
        .collect();
    assert_eq!(link.len(), "/d/".len() + 22, "{link}");
    // The letter's QR code opens the same link, as a phone's camera reads it.
    assert_eq!(
        pdf_qr_codes(
            &w.app,
            &token(&w.app, "agent@agency.test"),
            c["documents"][0]["url"].as_str().unwrap(),
        ),
        [format!("https://recouvra.agence.test{link}")]
    );
    link
}

pub(super) fn count(app: &TestApp, sql: &str) -> i64 {
    crate::harden::count(app, sql)
}

pub(super) fn events(app: &TestApp, kind: &str) -> i64 {
    count(
        app,
        &format!("SELECT COUNT(*) AS n FROM case_events WHERE kind = '{kind}'"),
    )
}

pub(super) fn open(b: &mut Browser, link: &str, answer: &str) -> Page {
    let form = b.get(link);
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = csrf_field(&form.body);
    b.post(link, &[("csrf", &csrf), ("answer", answer)])
}

fn due_today(w: &World) -> Value {
    w.app.ok(
        Some(&token(&w.app, "admin@agency.test")),
        "query($id: ID!) { statement(caseId: $id) { totals { due { principal interest indemnity total } } } }",
        json!({ "id": w.case_id }),
    )["statement"]["totals"]["due"]
        .clone()
}

/// « 1950.50 » as the page writes it: « 1 950,50 € » with no-break spaces.
fn euros(amount: &str) -> String {
    let (int, dec) = amount.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    format!("{grouped},{dec}\u{a0}€")
}

#[test]
fn the_letters_link_opens_the_claim_of_the_day_only_with_the_postal_code() {
    let w = world("2026-03-16");
    let link = letter_link(&w);
    let app = &w.app;
    let mut b = Browser::new(app);

    // The link alone shows nothing of the case.
    let form = b.get(&link);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("code postal"), "{}", form.body);
    for secret in ["Boulangerie", "Lemaire", "1\u{a0}950", "FR76"] {
        assert!(!form.body.contains(secret), "{secret} before the check");
    }
    // A wrong answer is refused in French, kept in the field, and is a case event.
    let csrf = csrf_field(&form.body);
    let p = b.post(&link, &[("csrf", &csrf), ("answer", "75001")]);
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("Ce n&#x27;est ni le code postal"),
        "{}",
        p.body
    );
    assert!(p.body.contains("value=\"75001\""));
    assert_eq!(events(app, "debtor_check_failed"), 1);
    assert!(!p.set_cookies.iter().any(|c| c.starts_with("rv_debtor=")));

    // The postal code, however typed, opens a session scoped to the link.
    let p = b.post(&link, &[("csrf", &csrf), ("answer", " 69 002 ")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location.as_deref(), Some(link.as_str()));
    let cookie = p
        .set_cookies
        .iter()
        .find(|c| c.starts_with("rv_debtor="))
        .expect("the debtor's session");
    // Lax: the debtor comes back from the card provider's page (another site) by a GET.
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(cookie.contains(&format!("Path={link}")), "{cookie}");
    assert_eq!(events(app, "debtor_page_opened"), 1);

    let page = b.get(&link);
    assert_eq!(page.status, 200);
    let due = due_today(&w);
    // Hand-computed principal: 1 200,00 + 850,50 − 100,00 already paid; 40 € per invoice.
    assert_eq!(due["principal"], "1950.50");
    assert_eq!(due["indemnity"], "80.00");
    for figure in ["principal", "interest", "indemnity", "total"] {
        let shown = euros(due[figure].as_str().unwrap());
        assert!(page.body.contains(&shown), "{figure} {shown} on the page");
    }
    assert!(page.body.contains(&format!(
        "id=\"total-due\">{}",
        euros(due["total"].as_str().unwrap())
    )));
    for shown in [
        "Fournitures Lemaire",
        "Recouvra Démo",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPP",
        "<svg",
        "Premier courrier",
        "Je m&#x27;engage à payer",
    ] {
        assert!(page.body.contains(shown), "{shown} on the page");
    }
    // English on asking.
    let en = b.get(&format!("{link}?lang=en"));
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Amount due today") && en.body.contains("Pay by bank transfer"));

    // The first letter, downloaded from the page: the debtor's download is in the trail.
    let doc = page
        .body
        .split(&format!("{link}/documents/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a document link")
        .to_string();
    let before = events(app, "document_downloaded");
    let d = b.get(&format!("{link}/documents/{doc}"));
    assert_eq!(d.status, 200);
    assert!(d.body.starts_with("%PDF-"));
    assert_eq!(events(app, "document_downloaded"), before + 1);
    // Another browser, without the answer, gets the question, not the document.
    let mut other = Browser::new(app);
    let d = other.get(&format!("{link}/documents/{doc}"));
    assert_eq!(d.status, 401);
    assert!(!d.body.starts_with("%PDF-"));

    // Settings the agency left incomplete are not the debtor's business: a plain message.
    app.exec("UPDATE agency_settings SET insurer = ''");
    let p = b.get(&link);
    assert_eq!(p.status, 409);
    assert!(
        p.body
            .contains("contactez l&#x27;agence indiquée sur votre courrier"),
        "{}",
        p.body
    );
    assert!(!p.body.contains("R124"), "no internal text");
}

#[test]
fn the_debtor_promises_proposes_a_plan_and_disputes_under_the_agents_rules() {
    let w = world("2026-03-16");
    let link = letter_link(&w);
    let app = &w.app;
    let admin = token(app, "admin@agency.test");
    let mandate = app.ok(
        Some(&admin),
        "query($id: ID!) { case(id: $id) { creditor { mandates { id } } } }",
        json!({ "id": w.case_id }),
    )["case"]["creditor"]["mandates"][0]["id"]
        .clone();
    app.ok(
        Some(&admin),
        "mutation($m: ID!) { setMandatePlanLimits(mandateId: $m, maxInstalments: 3, maxMonths: 4) }",
        json!({ "m": mandate }),
    );
    let mut b = Browser::new(app);
    assert_eq!(
        open(&mut b, &link, "F-2026-002").status,
        303,
        "an invoice number opens it too"
    );
    let page = b.get(&link);
    let csrf = csrf_field(&page.body);
    let act = |b: &mut Browser, name: &str, form: &[(&str, &str)]| {
        let mut f = vec![("csrf", csrf.as_str())];
        f.extend_from_slice(form);
        b.post(&format!("{link}/act/{name}"), &f)
    };

    // A forged form (no token) records nothing.
    let p = b.post(
        &format!("{link}/act/promise"),
        &[("amount", "500"), ("pay_by", "2026-03-30")],
    );
    assert_eq!(p.status, 422);
    assert_eq!(events(app, "promise_recorded"), 0);

    // A promise, through the agents' use case: the creditor is told, the playbook pauses.
    let p = act(
        &mut b,
        "promise",
        &[("amount", "500,00"), ("pay_by", "2026-03-30")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.unwrap().contains("done=promise"));
    let c = crate::recovery::case(app, &admin, &w.case_id);
    assert_eq!(c["promises"], json!([{ "status": "open" }]));
    // A second one is refused in French, next to its form, with what was typed kept.
    let p = act(
        &mut b,
        "promise",
        &[("amount", "12,34"), ("pay_by", "2026-03-31")],
    );
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"error-promise\""), "{}", p.body);
    assert!(p.body.contains("value=\"12,34\""));
    assert!(
        !p.body.contains("already running"),
        "no English on a French page"
    );

    // A plan of 3 monthly instalments within the mandate's limits runs at once.
    let p = act(&mut b, "plan", &[("count", "3"), ("first", "2026-04-15")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.unwrap().contains("done=plan_active"));
    let c = crate::recovery::case(app, &admin, &w.case_id);
    assert_eq!(c["paymentPlans"], json!([{ "status": "active" }]));
    let page = b.get(&link);
    assert!(page.body.contains("Échéancier"));
    // Hand-computed: 1 950,50 principal + 80,00 indemnity + 14,98 interest (1 200,00 × 12,15 %
    // × 35 / 365 = 13,98 and 750,50 × 12,15 % × 4 / 365 = 1,00) = 2 045,48 € over three months:
    // 681,82 twice, the last one 681,84.
    for (day, amount) in [
        ("15&#x2F;04&#x2F;2026", "681,82"),
        ("15&#x2F;05&#x2F;2026", "681,82"),
        ("15&#x2F;06&#x2F;2026", "681,84"),
    ] {
        let row = format!("<tr><td>{day}</td><td class=\"num\">{amount}\u{a0}€</td></tr>");
        assert!(page.body.contains(&row), "{row}");
    }

    // "I have already paid": a task for the agent, no payment recorded.
    let p = act(
        &mut b,
        "already_paid",
        &[("details", "Virement de 500 € le 20/03")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM tasks WHERE kind = 'review' AND title LIKE 'Le débiteur indique avoir payé%'"),
        1
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 0);
    // A reason outside the list is refused.
    let p = act(&mut b, "reason", &[("reason", "lazy"), ("details", "…")]);
    assert_eq!(p.status, 422);
    assert_eq!(events(app, "debtor_reason_given"), 0);
    let p = act(
        &mut b,
        "reason",
        &[
            ("reason", "financial_difficulty"),
            ("details", "Trésorerie tendue"),
        ],
    );
    assert_eq!(p.status, 303);
    assert_eq!(events(app, "debtor_reason_given"), 1);

    // The actions are the debtor's, recorded under the « Espace débiteur » account, which
    // cannot sign in.
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM promises p JOIN users u ON u.id = p.created_by WHERE u.display_name = 'Espace débiteur' AND u.active = false"),
        1
    );
    let r = app.gql(
        None,
        "mutation { login(email: \"espace-debiteur@recouvra.invalid\", password: \"!\") { accessToken } }",
        json!({}),
    );
    assert!(r["errors"].is_array(), "{r}");
}

#[test]
fn wrong_answers_lock_the_link_and_a_new_link_ends_the_old_ones() {
    let w = world("2026-03-16");
    let link = letter_link(&w);
    let app = &w.app;
    let mut b = Browser::new(app);
    for _ in 0..5 {
        assert_eq!(open(&mut b, &link, "00000").status, 422);
    }
    // Past five wrong answers the link is locked, even for the right one.
    let p = open(&mut b, &link, "69002");
    assert_eq!(p.status, 423, "{}", p.body);
    assert!(p.body.contains("Trop d&#x27;essais"));

    // A creditor may not issue links; an agent may: the letter's link stops at once.
    let creditor = token(app, "compta@lemaire.test");
    let r = app.gql(
        Some(&creditor),
        "mutation($id: ID!) { issueDebtorLink(caseId: $id) }",
        json!({ "id": w.case_id }),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let agent = token(app, "agent@agency.test");
    let url = app.ok(
        Some(&agent),
        "mutation($id: ID!) { issueDebtorLink(caseId: $id) }",
        json!({ "id": w.case_id }),
    )["issueDebtorLink"]
        .as_str()
        .unwrap()
        .to_string();
    let fresh = &url[url.find("/d/").unwrap()..];
    assert_ne!(fresh, link);
    let old = b.get(&link);
    assert_eq!(old.status, 404);
    assert!(old.body.contains("Lien introuvable"));
    let mut b = Browser::new(app);
    assert_eq!(open(&mut b, fresh, "69002").status, 303);
    assert_eq!(b.get(fresh).status, 200);
    assert_eq!(events(app, "debtor_link_issued"), 1);

    // Revoked: the session ends with the link.
    let n = app.ok(
        Some(&agent),
        "mutation($id: ID!) { revokeDebtorLinks(caseId: $id) }",
        json!({ "id": w.case_id }),
    )["revokeDebtorLinks"]
        .clone();
    assert_eq!(n, 1);
    assert_eq!(b.get(fresh).status, 404);
    assert_eq!(b.get("/d/AAAAAAAAAAAAAAAAAAAAAA").status, 404);
}

/// Issue 17: the debtor sends pieces with a dispute and with « J'ai déjà payé » (multipart
/// forms of the page); what the page cannot accept is refused in French with what was typed
/// kept and nothing recorded; the agent and the case's creditor read and download the files,
/// another creditor gets nothing, and `fsck` counts them as the archive's.
#[test]
fn the_debtors_pieces_go_with_the_dispute_and_the_proof_of_payment_to_the_case() {
    let w = world("2026-03-16");
    let link = letter_link(&w);
    let app = &w.app;
    let agent = token(app, "agent@agency.test");
    let mut b = Browser::new(app);
    assert_eq!(open(&mut b, &link, "F-2026-002").status, 303);
    let csrf = csrf_field(&b.get(&link).body);
    let send = |b: &mut Browser, action: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let files: Vec<(&str, &str, &[u8])> = files
            .iter()
            .map(|(name, bytes)| ("file", *name, *bytes))
            .collect();
        let (ct, body) = super::multipart(&all, &files);
        b.post_multipart(&format!("{link}/act/{action}"), &ct, &body)
    };
    let dispute = [
        ("reason", "delivery"),
        ("details", "Deux palettes sur trois livrées."),
    ];
    let pieces = || count(app, "SELECT COUNT(*) AS n FROM debtor_pieces");
    let disputes = || count(app, "SELECT COUNT(*) AS n FROM disputes");

    // Refused, each in French next to the dispute's form, the details kept, nothing written.
    let executable: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00 not a document";
    let hostile = crate::harden::active_pdf();
    let pdf = crate::evidence::pdf("bon de livraison signé");
    for (files, says) in [
        (
            vec![("setup.exe", executable)],
            "Envoyez un fichier PDF, JPEG ou PNG",
        ),
        (
            vec![("bl.pdf", hostile.as_slice())],
            "Ce PDF contient du contenu actif",
        ),
        (
            vec![("a.pdf", pdf.as_slice()); 4],
            "Envoyez au plus 3 fichiers à la fois",
        ),
    ] {
        let p = send(&mut b, "dispute", &dispute, &files);
        assert_eq!(p.status, 422, "{}", p.body);
        assert!(p.body.contains("id=\"error-dispute\""), "{}", p.body);
        assert!(p.body.contains(says), "{says}: {}", p.body);
        assert!(p.body.contains("Deux palettes sur trois livrées."));
        assert!(p.body.contains("Choisissez de nouveau vos fichiers"));
        assert_eq!((disputes(), pieces()), (0, 0));
    }
    // A file over 10 MiB is refused while read, the form still coming back whole.
    let big = vec![b'%'; 10 * 1024 * 1024 + 1];
    let p = send(&mut b, "dispute", &dispute, &[("scan.pdf", &big)]);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body.contains("Le fichier dépasse la limite de 10 Mio"),
        "{}",
        p.body
    );
    assert_eq!((disputes(), pieces()), (0, 0));

    // The dispute with its delivery note: one transaction writes both.
    let p = send(&mut b, "dispute", &dispute, &[("BL 2026-03.pdf", &pdf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.unwrap().contains("done=dispute"));
    assert_eq!((disputes(), pieces()), (1, 1));
    assert_eq!(events(app, "debtor_piece_added"), 1);
    let page = b.get(&link);
    assert!(
        page.body.contains("Pièces que vous avez envoyées"),
        "{}",
        page.body
    );
    assert!(page.body.contains("BL 2026-03.pdf"), "{}", page.body);

    // « J'ai déjà payé » with a photo of the transfer: a task saying so, no payment.
    let png = crate::legal::png();
    let p = send(
        &mut b,
        "already_paid",
        &[("details", "Virement de 1 950,50 € le 12/03")],
        &[("virement.png", &png)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM tasks WHERE title LIKE 'Le débiteur indique avoir payé%(1 pièce jointe)'"),
        1
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 0);
    // Files with another request are refused.
    let p = send(
        &mut b,
        "call_back",
        &[("details", "Demain 10 h")],
        &[("x.pdf", &pdf)],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(
        p.body
            .contains("Les fichiers accompagnent une contestation"),
        "{}",
        p.body
    );
    assert_eq!(pieces(), 2);

    // Over the API, for the agent: each file, what it goes with, and its bytes.
    let c = app.ok(
        Some(&agent),
        "query($id: ID!) { case(id: $id) { disputes { id } debtorPieces { purpose disputeId filename mediaType sizeBytes url } } }",
        json!({ "id": w.case_id }),
    )["case"]
        .clone();
    let listed = &c["debtorPieces"];
    assert_eq!(listed[0]["purpose"], "DISPUTE");
    assert_eq!(listed[0]["disputeId"], c["disputes"][0]["id"]);
    assert_eq!(listed[0]["mediaType"], "application/pdf");
    assert_eq!(listed[0]["sizeBytes"], pdf.len().to_string());
    assert_eq!(listed[1]["purpose"], "ALREADY_PAID");
    assert_eq!(listed[1]["disputeId"], Value::Null);
    assert_eq!(listed[1]["mediaType"], "image/png");
    let url = listed[0]["url"].as_str().unwrap();
    let (headers, bytes) = crate::evidence::download(app, &agent, url).unwrap();
    assert_eq!(bytes, pdf);
    assert_eq!(headers["content-security-policy"], "sandbox");
    // The case's creditor reads it too; another creditor, and no one signed out, do not.
    let creditor = &w.creditor.user.token;
    assert_eq!(
        crate::evidence::download(app, creditor, url).unwrap().1,
        pdf
    );
    let other = app.creditor("Berthier Bâtiment", "552100554", "gestion@berthier.test");
    let refused = crate::evidence::download(app, &other.user.token, url).unwrap_err();
    assert_eq!(
        (refused.0, refused.1["code"].as_str()),
        (404, Some("NOT_FOUND"))
    );
    assert_eq!(app.http("GET", url, None).0, 401);
    assert_eq!(events(app, "evidence_downloaded"), 2);

    // The agent's case page: the dispute with its piece, the proof apart, the timeline.
    let mut staff = Browser::new(app);
    staff.sign_in("agent@agency.test", "/portal");
    let page = staff.get(&format!("/portal/cases/{}", w.case_id));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Pièce jointe par le débiteur : <a href=\"/api/debtor-pieces/"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Preuves de paiement envoyées par le débiteur"));
    assert!(page.body.contains("virement.png"));
    assert!(
        page.body
            .contains("Pièce envoyée par le débiteur (preuve de paiement : virement.png)"),
        "{}",
        page.body
    );

    // The files are the archive's: `fsck` finds no orphan (and would not remove them).
    let (ok, text) = app.command(&["fsck"]);
    assert!(ok, "{text}");
}
