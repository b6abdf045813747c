//! Paying by card from the debtor's page (issue 17), against the local fake of Stripe's API
//! (`tests/fakes/stripe.py`, a real HTTP server): the checkout opened for what the debtor
//! types, the card typed on the provider's page, the payment recorded only when the signed
//! event arrives — through the agents' use case (receipt, event) —, a replayed event and a
//! second confirmation of the same checkout doing nothing again, forged signatures refused
//! with a typed error and in the security log.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::csrf_field;
use super::debtor::{count, events, letter_link, open};
use super::Browser;
use crate::helpers::*;
use crate::recovery::world_in;

const WEBHOOK_SECRET: &str = "whsec_recouvra_test";

/// The fake provider (`tests/fakes/stripe.py`): the one `.ci/run` started (`TEST_STRIPE_URL`),
/// where this test is an account of its own (its secret key), else one started for the test
/// and stopped with it.
pub struct FakeStripe {
    child: Option<Child>,
    pub base: String,
    pub secret_key: String,
}

impl FakeStripe {
    pub fn start() -> FakeStripe {
        static ACCOUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let secret_key = format!(
            "sk_test_recouvra_{}_{}",
            std::process::id(),
            ACCOUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        if let Ok(base) = std::env::var("TEST_STRIPE_URL") {
            return FakeStripe {
                child: None,
                base: base.trim_end_matches('/').to_string(),
                secret_key,
            };
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fakes/stripe.py");
        let mut child = Command::new("python3")
            .args([script, "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the fake provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().strip_prefix("PORT ").expect("the fake's port");
        FakeStripe {
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            secret_key,
        }
    }

    fn control(&self, path: &str) -> ureq::Request {
        ureq::post(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.secret_key))
    }

    /// Sends the account's events to the server's webhook, signed with [`WEBHOOK_SECRET`].
    fn hook(&self, app: &TestApp) {
        self.control("/_config/webhook")
            .send_form(&[
                ("url", &format!("{}/webhooks/stripe", app.base)),
                ("secret", WEBHOOK_SECRET),
            ])
            .unwrap();
    }

    pub fn events(&self) -> Vec<Value> {
        ureq::get(&format!("{}/_events", self.base))
            .set("Authorization", &format!("Bearer {}", self.secret_key))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }

    /// The provider pays out what the account has available (its events sent when `send`):
    /// the payout.
    pub fn payout(&self, send: bool) -> Value {
        self.control("/_payouts")
            .send_form(&[("send", if send { "1" } else { "0" })])
            .unwrap()
            .into_json()
            .unwrap()
    }

    /// The server's provider settings for this account.
    pub fn config(&self) -> recouvra::card::StripeConfig {
        recouvra::card::StripeConfig {
            secret_key: self.secret_key.clone(),
            webhook_secret: WEBHOOK_SECRET.into(),
            api_url: self.base.parse().unwrap(),
        }
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// POSTs an event to the webhook as the provider would: (status, body).
pub fn deliver(app: &TestApp, body: &str, signature: &str) -> (u16, Value) {
    let r = ureq::post(&format!("{}/webhooks/stripe", app.base))
        .set("Content-Type", "application/json")
        .set("Stripe-Signature", signature)
        .send_string(body);
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    (r.status(), r.into_json().unwrap())
}

fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The world of `recovery` on a server whose card provider is the fake, its events sent to
/// the server: the fake, the world and the debtor's link.
fn card_world() -> (FakeStripe, crate::recovery::World, String) {
    let fake = FakeStripe::start();
    let config = fake.config();
    let app = TestApp::spawn_with(move |c| c.stripe = Some(config));
    fake.hook(&app);
    let w = world_in(app, "2026-03-16");
    let link = letter_link(&w);
    (fake, w, link)
}

/// The debtor pays `card` on the provider's page of `checkout`: the provider's answer.
fn pay_at_provider(checkout: &str, card: &str) -> ureq::Response {
    ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .post(checkout)
        .send_form(&[("card", card), ("exp", "12/30"), ("cvc", "123")])
        .unwrap()
}

#[test]
fn a_card_payment_is_recorded_once_when_the_provider_confirms_it() {
    let (fake, w, link) = card_world();
    let app = &w.app;
    let mut b = Browser::new(app);
    let p = open(&mut b, &link, "69002");
    assert_eq!(p.status, 303);
    let page = b.get(&link);
    assert!(
        page.body.contains("Payer par carte bancaire"),
        "{}",
        page.body
    );
    let csrf = csrf_field(&page.body);

    // More than is due, or less than 0.50 €: refused in French, the amount kept, nothing
    // started at the provider.
    let card = format!("{link}/act/card");
    let p = b.post(&card, &[("csrf", &csrf), ("amount", "99999.00")]);
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("au plus sont dus aujourd"), "{}", p.body);
    assert!(p.body.contains("value=\"99999.00\""));
    let p = b.post(&card, &[("csrf", &csrf), ("amount", "0.20")]);
    assert_eq!(p.status, 422);
    assert!(p.body.contains("au moins 0,50"), "{}", p.body);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM card_payments"), 0);
    // A forged form: refused, nothing started.
    let p = b.post(&card, &[("csrf", "forged"), ("amount", "500.00")]);
    assert_eq!(p.status, 422);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM card_payments"), 0);

    // Part of the claim: the debtor is sent to the provider's page for 500,00 €.
    let p = b.post(&card, &[("csrf", &csrf), ("amount", "500.00")]);
    assert_eq!(p.status, 303, "{}", p.body);
    let checkout = p.location.unwrap();
    assert!(
        checkout.starts_with(&format!("{}/pay/cs_test_", fake.base)),
        "{checkout}"
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM card_payments WHERE status = 'open' AND amount_cents = 50000"),
        1
    );
    assert_eq!(events(app, "debtor_card_started"), 1);
    let hosted = ureq::get(&checkout).call().unwrap().into_string().unwrap();
    assert!(hosted.contains("500,00 €"), "{hosted}");

    // A declined card: the provider says so, nothing is recorded.
    let r = pay_at_provider(&checkout, "4000 0000 0000 0002");
    assert!(r.into_string().unwrap().contains("refusée"));
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 0);

    // Paid: the provider's signed event records the payment before the debtor is back.
    let r = pay_at_provider(&checkout, "4242 4242 4242 4242");
    assert_eq!(r.status(), 303);
    let back = r.header("location").unwrap().to_string();
    assert_eq!(back, format!("{}{link}?done=card#top", app.base));
    let sent = fake.events();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["status"], 200, "{sent:?}");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM payments WHERE method = 'card' AND amount_cents = 50000"
        ),
        1
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM card_payments WHERE status = 'paid' AND payment_id IS NOT NULL AND provider_payment LIKE 'pi_test_%'"),
        1
    );
    assert_eq!(events(app, "debtor_card_paid"), 1);
    assert_eq!(events(app, "payment_recorded"), 1);
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM documents WHERE kind = 'receipt'"
        ),
        1
    );
    let page = b.get(&back[app.base.len()..back.find('#').unwrap()]);
    assert!(
        page.body.contains("en cours de confirmation"),
        "{}",
        page.body
    );
    assert!(page.body.contains("500,00\u{a0}€"), "{}", page.body);

    // The same event again (a retry, a replay): answered, nothing recorded twice.
    let (body, signature) = (
        sent[0]["body"].as_str().unwrap(),
        sent[0]["signature"].as_str().unwrap(),
    );
    let (status, answer) = deliver(app, body, signature);
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("duplicate"))
    );
    // Another event confirming the same checkout: nothing recorded twice either.
    let again = body.replacen("\"id\": \"evt_test_", "\"id\": \"evt_test_again", 1);
    assert_ne!(again, body);
    let signed = recouvra::card::sign_stripe(WEBHOOK_SECRET, again.as_bytes(), wall_clock());
    let (status, answer) = deliver(app, &again, &signed);
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("already_paid"))
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 1);

    // Forged: another secret, a changed body, a stale timestamp, no signature at all.
    let forged = [
        (
            again.clone(),
            recouvra::card::sign_stripe("whsec_wrong", again.as_bytes(), wall_clock()),
        ),
        (body.replace("50000", "99900"), signature.to_string()),
        (
            again.clone(),
            recouvra::card::sign_stripe(WEBHOOK_SECRET, again.as_bytes(), wall_clock() - 3600),
        ),
        (again.clone(), String::new()),
    ];
    for (body, signature) in &forged {
        let (status, answer) = deliver(app, body, signature);
        assert_eq!(status, 401, "{answer}");
        assert_eq!(answer["code"], "UNAUTHENTICATED");
        assert_eq!(answer["field"], "Stripe-Signature");
    }
    // The admin's read waits for the entries of the requests already answered.
    let log = app.ok(
        Some(&app.admin_token),
        "{ securityLog(kind: WEBHOOK_REFUSED, first: 10) { edges { node { ip detail } } } }",
        serde_json::json!({}),
    );
    let entries = log["securityLog"]["edges"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{log}");
    assert_eq!(entries[0]["node"]["ip"], "127.0.0.1");
    assert!(
        entries[0]["node"]["detail"]
            .as_str()
            .unwrap()
            .starts_with("stripe webhook: "),
        "{log}"
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 1);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM provider_events"), 2);
}

#[test]
fn a_confirmed_card_payment_above_the_balance_of_the_day_is_left_to_an_agent() {
    let (fake, w, link) = card_world();
    let app = &w.app;
    let mut b = Browser::new(app);
    open(&mut b, &link, "69002");
    let page = b.get(&link);
    let csrf = csrf_field(&page.body);
    // The debtor opens a checkout for the whole claim…
    let due = page
        .body
        .split("id=\"card-amount\" name=\"amount\" inputmode=\"decimal\" required value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the card form offers the amount due")
        .to_string();
    let p = b.post(
        &format!("{link}/act/card"),
        &[("csrf", &csrf), ("amount", &due)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    // … while a transfer of 100 € is recorded by an agent.
    app.ok(
        Some(&token(app, "agent@agency.test")),
        "mutation($i: PaymentInput!) { recordPayment(input: $i) { payment { id } } }",
        serde_json::json!({ "i": { "caseId": w.case_id, "receivedOn": "2026-03-16", "amount": "100.00", "method": "TRANSFER" } }),
    );
    // The provider confirms the whole claim: more than is now due. Not recorded; the card
    // payment is refused with why, and a task asks an agent to refund or record it.
    assert_eq!(
        pay_at_provider(&p.location.unwrap(), "4242424242424242").status(),
        303
    );
    assert_eq!(fake.events()[0]["status"], 200);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 1);
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM card_payments WHERE status = 'refused' AND note LIKE 'the payment exceeds what is due by 100.00 €%'"),
        1
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM tasks WHERE status = 'open' AND title LIKE 'Paiement par carte de %non enregistré%'"),
        1
    );
    assert_eq!(events(app, "debtor_card_refused"), 1);
    assert_eq!(events(app, "debtor_card_paid"), 0);
}

/// The debtor pays `amount` by card (a good card at the provider): the payment is recorded.
fn pay_by_card(app: &TestApp, b: &mut Browser, link: &str, amount: &str) {
    let csrf = csrf_field(&b.get(link).body);
    let p = b.post(
        &format!("{link}/act/card"),
        &[("csrf", &csrf), ("amount", amount)],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    let r = pay_at_provider(&p.location.unwrap(), "4242424242424242");
    assert_eq!(r.status(), 303);
    let paid = count(
        app,
        "SELECT COUNT(*) AS n FROM card_payments WHERE status = 'paid'",
    );
    assert!(paid > 0);
}

/// A camt.053 statement of the dedicated account (the IBAN of `world_in`'s settings): its
/// credits (amount, payer, remittance, bank reference) booked on `day`, its closing balance.
fn statement(id: &str, day: &str, credits: &[(&str, &str, &str, &str)], closing: &str) -> String {
    let entries: String = credits
        .iter()
        .map(|(amount, payer, remittance, bank_ref)| {
            format!(
                "<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\
                 <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{bank_ref}</AcctSvcrRef>\
                 <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{payer}</Nm></Dbtr></RltdPties>\
                 <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr><Stmt><Id>{id}</Id>\
         <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{closing}</Amt>\
         <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>{entries}</Stmt></BkToCstmrStmt></Document>"
    )
}

const IMPORT: &str = "mutation($c: String!) { importBankStatement(content: $c, format: CAMT053) {
    new duplicates matched payouts unmatched entries { id amount status reason payout paymentId caseId } } }";
const BALANCE: &str =
    "{ bankAccountBalance { balance held inTransit expected cardFees difference } }";

fn balance(w: &crate::recovery::World) -> Value {
    w.app
        .ok(Some(&w.agent.token), BALANCE, serde_json::json!({}))["bankAccountBalance"]
        .clone()
}

#[test]
fn a_payout_of_the_provider_reconciles_the_card_payments_it_carries_and_records_nothing_again() {
    let (fake, w, link) = card_world();
    let app = &w.app;
    let mut b = Browser::new(app);
    open(&mut b, &link, "69002");
    pay_by_card(app, &mut b, &link, "500.00");
    pay_by_card(app, &mut b, &link, "300.00");
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 2);
    // Recorded and held for the creditor, but still at the provider: not expected on the
    // account yet.
    let bal = balance(&w);
    assert_eq!(
        (
            &bal["held"],
            &bal["inTransit"],
            &bal["expected"],
            &bal["cardFees"]
        ),
        (
            &"800.00".into(),
            &"800.00".into(),
            &"0.00".into(),
            &"0.00".into()
        ),
        "{bal}"
    );

    // The provider pays out both, less its fees (1.5 % + 0.25 € each: 7.75 € and 4.75 €).
    let payout = fake.payout(true);
    let po = payout["id"].as_str().unwrap().to_string();
    assert_eq!(payout["amount"], 78_750);
    let sent = fake.events();
    let kinds: Vec<(&str, &Value)> = sent
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), &e["status"]))
        .collect();
    assert_eq!(
        kinds[2..],
        [
            ("payout.paid", &Value::from(200)),
            ("payout.reconciliation_completed", &Value::from(200))
        ]
    );
    assert_eq!(
        count(app, &format!("SELECT COUNT(*) AS n FROM card_payouts WHERE payout_ref = '{po}' AND amount_cents = 78750 AND gross_cents = 80000 AND fee_cents = 1250 AND charges = 2 AND unknown_charges = 0 AND bank_entry_id IS NULL")),
        1
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) AS n FROM card_payments WHERE card_payout_id IS NOT NULL"
        ),
        2
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM provider_events WHERE outcome IN ('reconciled', 'already_paid')"),
        2
    );

    // The statement: the payout named by its id; a credit naming a payout never announced; a
    // credit from the provider of an amount no payout has.
    let xml = statement(
        "STMT-CARD-1",
        "2026-03-18",
        &[
            ("787.50", "STRIPE", &format!("STRIPE PAYOUT {po}"), "BNK-C1"),
            ("45.00", "STRIPE", "STRIPE po_test_neverannounced", "BNK-C2"),
            ("12.00", "STRIPE TECHNOLOGY EUROPE", "STRIPE", "BNK-C3"),
        ],
        "844.50",
    );
    let r = app.ok(
        Some(&w.agent.token),
        IMPORT,
        serde_json::json!({ "c": xml }),
    )["importBankStatement"]
        .clone();
    assert_eq!(
        (&r["new"], &r["matched"], &r["payouts"], &r["unmatched"]),
        (&3.into(), &0.into(), &1.into(), &2.into()),
        "{r}"
    );
    let e = &r["entries"];
    assert_eq!(e[0]["status"], "MATCHED");
    assert_eq!(e[0]["payout"], po.as_str());
    assert_eq!(e[0]["paymentId"], Value::Null);
    assert_eq!(
        e[0]["reason"],
        format!("the payout {po} of the payment provider: 800.00 € of card payments, less 12.50 € of fees")
    );
    assert_eq!(e[1]["status"], "UNMATCHED");
    assert_eq!(
        e[1]["reason"],
        "the payment provider has not announced the payout po_test_neverannounced yet: it is reconciled when it does"
    );
    assert_eq!(
        e[2]["reason"],
        "a payout of the payment provider: none of 12.00 € is announced yet"
    );
    // Nothing recorded again; the case says its card payments reached the account.
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 2);
    assert_eq!(events(app, "card_payout_reconciled"), 1);
    // The account: 844.50 € shown, 800.00 € held for the creditor, nothing in transit; the
    // 12.50 € of fees kept by the provider and the two entries waiting make the difference.
    let bal = balance(&w);
    assert_eq!(
        (
            &bal["balance"],
            &bal["held"],
            &bal["inTransit"],
            &bal["expected"],
            &bal["cardFees"],
            &bal["difference"]
        ),
        (
            &"844.50".into(),
            &"800.00".into(),
            &"0.00".into(),
            &"800.00".into(),
            &"12.50".into(),
            &"44.50".into()
        ),
        "{bal}"
    );
    // A provider's credit is no debtor's payment: an agent cannot record it on the case.
    let r = app.gql(
        Some(&w.agent.token),
        "mutation($id: ID!, $c: ID!) { assignBankEntry(id: $id, caseId: $c) { status } }",
        serde_json::json!({ "id": e[2]["id"], "c": w.case_id }),
    );
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "INVALID_TRANSITION",
        "{r}"
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 2);
    // The same statement again: nothing new.
    let r = app.ok(
        Some(&w.agent.token),
        IMPORT,
        serde_json::json!({ "c": xml }),
    )["importBankStatement"]
        .clone();
    assert_eq!((&r["new"], &r["duplicates"]), (&0.into(), &3.into()));
    // The agent's page says it in French.
    let mut agent = Browser::new(app);
    agent.sign_in("agent@agency.test", "/portal/bank");
    let page = agent.get("/portal/bank");
    assert!(
        page.body
            .contains("Frais retenus par le prestataire de paiement"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("aucun de 12,00 € n&#x27;est encore annoncé"),
        "{}",
        page.body
    );
    // Its queue offers to set a provider's credit aside, not to record it on a case.
    let row = page.body.split("aucun de 12,00 €").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("Écarter") && !row.contains("Enregistrer sur ce dossier"),
        "{row}"
    );
}

#[test]
fn a_payout_announced_after_its_statement_reconciles_the_waiting_credit_once() {
    let (fake, w, link) = card_world();
    let app = &w.app;
    let mut b = Browser::new(app);
    open(&mut b, &link, "69002");
    pay_by_card(app, &mut b, &link, "200.00");
    // Paid out, its events held back: the bank's statement comes first.
    let payout = fake.payout(false);
    let po = payout["id"].as_str().unwrap().to_string();
    assert_eq!(payout["amount"], 20_000 - 325);
    let xml = statement(
        "STMT-CARD-2",
        "2026-03-19",
        &[("196.75", "STRIPE", &format!("VIR STRIPE {po}"), "BNK-D1")],
        "196.75",
    );
    let r = app.ok(
        Some(&w.agent.token),
        IMPORT,
        serde_json::json!({ "c": xml }),
    )["importBankStatement"]
        .clone();
    assert_eq!(r["entries"][0]["status"], "UNMATCHED", "{r}");
    assert_eq!(balance(&w)["inTransit"], "200.00");
    // The provider's events arrive: the waiting credit is reconciled by the first, the
    // second finds the payout known, a replay is a duplicate.
    let held: Vec<Value> = fake.events().into_iter().skip(1).collect();
    assert_eq!(held.len(), 2);
    let outcomes: Vec<Value> = [&held[0], &held[1], &held[0]]
        .iter()
        .map(|e| {
            let (status, body) = deliver(
                app,
                e["body"].as_str().unwrap(),
                e["signature"].as_str().unwrap(),
            );
            assert_eq!(status, 200, "{body}");
            body["outcome"].clone()
        })
        .collect();
    assert_eq!(outcomes, ["reconciled", "already_paid", "duplicate"]);
    // A payout the provider cannot detail (unknown there): 503 and a typed error, so the
    // provider retries; the event is not taken as handled.
    let handled = count(app, "SELECT COUNT(*) AS n FROM provider_events");
    let unknown = serde_json::json!({ "id": "evt_test_unknownpayout", "type": "payout.paid",
        "data": { "object": { "id": "po_test_unknownthere", "amount": 100 } } })
    .to_string();
    let signed = recouvra::card::sign_stripe(WEBHOOK_SECRET, unknown.as_bytes(), wall_clock());
    let (status, body) = deliver(app, &unknown, &signed);
    assert_eq!(
        (status, &body["code"]),
        (503, &"UNAVAILABLE".into()),
        "{body}"
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM provider_events"),
        handled
    );
    let queue = app.ok(
        Some(&w.agent.token),
        "{ reconciliationQueue { id } }",
        serde_json::json!({}),
    );
    assert_eq!(queue["reconciliationQueue"], serde_json::json!([]));
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM bank_entries WHERE status = 'matched' AND case_id IS NULL AND payment_id IS NULL"),
        1
    );
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM payments"), 1);
    assert_eq!(events(app, "card_payout_reconciled"), 1);
    let bal = balance(&w);
    assert_eq!(
        (&bal["inTransit"], &bal["cardFees"], &bal["difference"]),
        (&"0.00".into(), &"3.25".into(), &"-3.25".into()),
        "{bal}"
    );
}
