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

const SECRET_KEY: &str = "sk_test_recouvra";
const WEBHOOK_SECRET: &str = "whsec_recouvra_test";

/// The fake provider, stopped with the test.
struct FakeStripe {
    child: Child,
    base: String,
}

impl FakeStripe {
    fn start() -> FakeStripe {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fakes/stripe.py");
        let mut child = Command::new("python3")
            .args([
                script,
                "--port",
                "0",
                "--secret-key",
                SECRET_KEY,
                "--webhook-secret",
                WEBHOOK_SECRET,
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the fake provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().strip_prefix("PORT ").expect("the fake's port");
        FakeStripe {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Sends the provider's events to the server's webhook.
    fn hook(&self, app: &TestApp) {
        ureq::post(&format!("{}/_config/webhook", self.base))
            .send_form(&[("url", &format!("{}/webhooks/stripe", app.base))])
            .unwrap();
    }

    fn events(&self) -> Vec<Value> {
        ureq::get(&format!("{}/_events", self.base))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POSTs an event to the webhook as the provider would: (status, body).
fn deliver(app: &TestApp, body: &str, signature: &str) -> (u16, Value) {
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
    let api = fake.base.clone();
    let app = TestApp::spawn_with(move |c| {
        c.stripe = Some(recouvra::card::StripeConfig {
            secret_key: SECRET_KEY.into(),
            webhook_secret: WEBHOOK_SECRET.into(),
            api_url: api.parse().unwrap(),
        })
    });
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
