//! Card payments through a payment provider (issue 17), behind one interface, [`Provider`]:
//! open a hosted checkout for an amount, and verify the provider's signed events. The card is
//! typed on the provider's page, never on ours (no card data here, no JavaScript on the
//! debtor's page); a payment is recorded only when a verified event confirms it
//! (`debtor::card`).
//!
//! [`Stripe`] is the first provider: Checkout Sessions (`POST /v1/checkout/sessions`, form
//! encoded, with an idempotency key) and webhooks signed as Stripe documents them
//! (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `t.payload` under the endpoint's secret,
//! timestamps within [`TOLERANCE_SECS`]). Tests run it against a local stateful fake of
//! Stripe's API (`tests/fakes/stripe.py`).

use std::future::Future;
use std::pin::Pin;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// Stripe's API.
pub const STRIPE_API: &str = "https://api.stripe.com";
/// How old a signed event may be (Stripe's own libraries' default): older is a replay.
pub const TOLERANCE_SECS: i64 = 300;
/// How long the provider may take to open a checkout.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// What a checkout is opened for.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    /// Our row (`card_payments.id`): the checkout's reference and its idempotency key.
    pub card_payment_id: i64,
    pub amount_cents: i64,
    /// The case's reference, shown to the payer and kept in the provider's metadata.
    pub case_reference: String,
    /// The line the payer sees (the creditor and the case).
    pub description: String,
    pub success_url: String,
    pub cancel_url: String,
    /// `fr` or `en`.
    pub locale: &'static str,
}

/// A checkout the provider opened: where to send the payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub session_id: String,
    pub url: String,
}

/// A checkout the provider says is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub session_id: String,
    /// The provider's payment (e.g. `pi_…`), when it names one.
    pub provider_payment: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
}

/// A verified event of the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub kind: String,
    /// For the events that confirm a payment.
    pub paid: Option<Paid>,
    /// For the events that announce a payout to the bank account: its id (`po_…`).
    pub payout: Option<String>,
}

/// A payout of the provider to the agency's account, as the provider details it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    pub id: String,
    /// What reaches the account.
    pub amount_cents: i64,
    pub currency: String,
    pub arrival_on: chrono::NaiveDate,
    /// The card payments it carries.
    pub charges: Vec<Charge>,
    /// Its other movements (refunds, adjustments), net.
    pub other_cents: i64,
}

/// A card payment carried by a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// The provider's payment (`pi_…`), as stored with our card payment.
    pub provider_payment: Option<String>,
    pub amount_cents: i64,
    pub fee_cents: i64,
}

/// Why a provider's request was refused (its signature, its shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

pub type Opening<'a> = Pin<Box<dyn Future<Output = Result<Checkout, String>> + Send + 'a>>;
pub type Fetching<'a> = Pin<Box<dyn Future<Output = Result<Payout, String>> + Send + 'a>>;

/// A payment provider.
pub trait Provider: Send + Sync {
    /// Its name, as stored with each payment (`stripe`).
    fn name(&self) -> &'static str;
    /// The origin of its hosted checkout pages (the debtor's form is sent there).
    fn checkout_origin(&self) -> String;
    /// Opens a hosted checkout for the amount (an error in words, never the secret).
    fn checkout<'a>(&'a self, req: &'a CheckoutRequest) -> Opening<'a>;
    /// The event of a webhook request, if its signature verifies at `now` (Unix seconds).
    fn event(&self, payload: &[u8], signature: Option<&str>, now: i64) -> Result<Event, Refused>;
    /// A payout with the payments it carries (an error in words, never the secret).
    fn payout<'a>(&'a self, id: &'a str) -> Fetching<'a>;
}

/// Stripe's settings (`config::Config::stripe`).
#[derive(Clone)]
pub struct StripeConfig {
    pub secret_key: String,
    pub webhook_secret: String,
    pub api_url: url::Url,
}

pub struct Stripe {
    config: StripeConfig,
    client: reqwest::Client,
}

impl Stripe {
    pub fn new(config: StripeConfig) -> Result<Stripe, String> {
        // The TLS backend's crypto (reqwest is built without one).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Stripe { config, client })
    }

    fn url(&self, path: &str) -> Result<url::Url, String> {
        self.config.api_url.join(path).map_err(|e| e.to_string())
    }

    /// Sends a request of the API with the secret key: its answer read as `T` (`what` names
    /// it in the errors).
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<T, String> {
        let resp = request
            .bearer_auth(&self.config.secret_key)
            .send()
            .await
            .map_err(|e| format!("the provider cannot be reached: {e}"))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| format!("the provider's answer was cut: {e}"))?;
        if !status.is_success() {
            let why = serde_json::from_slice::<ErrorBody>(&bytes)
                .ok()
                .and_then(|b| b.error.message)
                .unwrap_or_default();
            return Err(format!("the provider answered {status}: {why}"));
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("the provider's answer is not {what}: {e}"))
    }

    fn form(req: &CheckoutRequest) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("mode", "payment")
            .append_pair("payment_method_types[0]", "card")
            .append_pair("line_items[0][quantity]", "1")
            .append_pair("line_items[0][price_data][currency]", "eur")
            .append_pair(
                "line_items[0][price_data][unit_amount]",
                &req.amount_cents.to_string(),
            )
            .append_pair(
                "line_items[0][price_data][product_data][name]",
                &req.description,
            )
            .append_pair("client_reference_id", &req.card_payment_id.to_string())
            .append_pair("metadata[case_reference]", &req.case_reference)
            .append_pair(
                "payment_intent_data[metadata][case_reference]",
                &req.case_reference,
            )
            .append_pair("success_url", &req.success_url)
            .append_pair("cancel_url", &req.cancel_url)
            .append_pair("locale", req.locale)
            .finish()
    }
}

#[derive(Deserialize)]
struct SessionBody {
    id: String,
    url: Option<String>,
}

#[derive(Deserialize)]
struct PayoutBody {
    id: String,
    amount: i64,
    currency: String,
    arrival_date: i64,
}

#[derive(Deserialize)]
struct TxnPage {
    data: Vec<Txn>,
    #[serde(default)]
    has_more: bool,
}

#[derive(Deserialize)]
struct Txn {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    amount: i64,
    #[serde(default)]
    fee: i64,
    net: i64,
    /// The charge (expanded: an object with its `payment_intent`), or its id.
    #[serde(default)]
    source: serde_json::Value,
}

/// A payout from the provider's payout and its balance transactions: the charges with their
/// payment, the rest (refunds, adjustments) summed; the payout's own transaction left out.
/// Refused when the transactions do not add up to what the payout brings.
fn payout_of(p: PayoutBody, txns: Vec<Txn>) -> Result<Payout, String> {
    let arrival_on = chrono::DateTime::from_timestamp(p.arrival_date, 0)
        .ok_or("the payout has no arrival date")?
        .date_naive();
    let mut charges = Vec::new();
    let mut net = 0i64;
    let mut other_cents = 0i64;
    for t in txns {
        match t.kind.as_str() {
            "payout" => continue,
            "charge" | "payment" => charges.push(Charge {
                provider_payment: t.source["payment_intent"].as_str().map(str::to_string),
                amount_cents: t.amount,
                fee_cents: t.fee,
            }),
            _ => other_cents = other_cents.checked_add(t.net).ok_or("amounts overflow")?,
        }
        net = net.checked_add(t.net).ok_or("amounts overflow")?;
    }
    if net != p.amount {
        return Err(format!(
            "the payout {} brings {} cents, its transactions {net}",
            p.id, p.amount
        ));
    }
    Ok(Payout {
        id: p.id,
        amount_cents: p.amount,
        currency: p.currency,
        arrival_on,
        charges,
        other_cents,
    })
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: Option<String>,
}

#[derive(Deserialize)]
struct EventBody {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

impl Provider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn checkout_origin(&self) -> String {
        if self.config.api_url.as_str().trim_end_matches('/') == STRIPE_API {
            "https://checkout.stripe.com".into()
        } else {
            // A local fake serves its pages where it serves its API.
            self.config.api_url.origin().ascii_serialization()
        }
    }

    fn checkout<'a>(&'a self, req: &'a CheckoutRequest) -> Opening<'a> {
        Box::pin(async move {
            let url = self.url("/v1/checkout/sessions")?;
            let request = self
                .client
                .post(url)
                // A retried request opens the same checkout, not a second one.
                .header(
                    "Idempotency-Key",
                    format!("recouvra-card-{}", req.card_payment_id),
                )
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(Stripe::form(req));
            let body: SessionBody = self.call(request, "a checkout").await?;
            let url = body
                .url
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .ok_or("the provider's checkout has no address")?;
            Ok(Checkout {
                session_id: body.id,
                url,
            })
        })
    }

    fn payout<'a>(&'a self, id: &'a str) -> Fetching<'a> {
        Box::pin(async move {
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("{id:?} is not a payout's id"));
            }
            let url = self.url(&format!("/v1/payouts/{id}"))?;
            let payout: PayoutBody = self.call(self.client.get(url), "a payout").await?;
            // Its balance transactions, 100 a page, each charge with its payment (the
            // reconciliation Stripe documents: `payout=` and `expand[]=data.source`).
            let mut txns = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let mut url = self.url("/v1/balance_transactions")?;
                url.query_pairs_mut()
                    .append_pair("payout", id)
                    .append_pair("limit", "100")
                    .append_pair("expand[]", "data.source");
                if let Some(a) = &after {
                    url.query_pairs_mut().append_pair("starting_after", a);
                }
                let page: TxnPage = self
                    .call(self.client.get(url), "a list of transactions")
                    .await?;
                after = page.data.last().map(|t| t.id.clone());
                txns.extend(page.data);
                if !page.has_more || after.is_none() {
                    break;
                }
            }
            payout_of(payout, txns)
        })
    }

    fn event(&self, payload: &[u8], signature: Option<&str>, now: i64) -> Result<Event, Refused> {
        verify_stripe(&self.config.webhook_secret, payload, signature, now)?;
        parse_stripe_event(payload)
    }
}

/// Checks a `Stripe-Signature` header: a timestamp `t` within [`TOLERANCE_SECS`] of `now`
/// and one `v1` among its signatures equal to HMAC-SHA256(secret, "t.payload") (compared in
/// constant time).
pub fn verify_stripe(
    secret: &str,
    payload: &[u8],
    header: Option<&str>,
    now: i64,
) -> Result<(), Refused> {
    let header = header.ok_or_else(|| Refused("no Stripe-Signature header".into()))?;
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v.to_string()),
            _ => {}
        }
    }
    let t = t.ok_or_else(|| Refused("the signature has no timestamp".into()))?;
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(Refused(format!(
            "the signature's timestamp is {} s away from now (at most {TOLERANCE_SECS})",
            (now - t).abs()
        )));
    }
    let ok = signatures.iter().any(|s| {
        let (Ok(expected), Some(mac)) = (hex::decode(s), stripe_mac(secret, payload, t)) else {
            return false;
        };
        mac.verify_slice(&expected).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Refused("no signature of the request verifies".into()))
    }
}

/// HMAC-SHA256 of "t.payload" under the endpoint's secret (HMAC takes keys of any length:
/// `None` never happens).
fn stripe_mac(secret: &str, payload: &[u8], t: i64) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    Some(mac)
}

/// The signature a Stripe endpoint expects for `payload` at `t` (the tests' counterpart of
/// [`verify_stripe`]).
pub fn sign_stripe(secret: &str, payload: &[u8], t: i64) -> String {
    let v1 = stripe_mac(secret, payload, t)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default();
    format!("t={t},v1={v1}")
}

/// The event of a verified payload. The checkout events that confirm a payment —
/// `checkout.session.completed` with `payment_status: paid`, and
/// `checkout.session.async_payment_succeeded` — carry a [`Paid`]; every other event is kept
/// (its id) and does nothing.
pub fn parse_stripe_event(payload: &[u8]) -> Result<Event, Refused> {
    let body: EventBody = serde_json::from_slice(payload)
        .map_err(|e| Refused(format!("the event is not a Stripe event: {e}")))?;
    let o = &body.data.object;
    let confirms = match body.kind.as_str() {
        "checkout.session.completed" => o["payment_status"] == "paid",
        "checkout.session.async_payment_succeeded" => true,
        _ => false,
    };
    let paid = if confirms {
        let session_id = o["id"]
            .as_str()
            .ok_or_else(|| Refused("the checkout has no id".into()))?;
        let amount_cents = o["amount_total"]
            .as_i64()
            .ok_or_else(|| Refused("the checkout has no amount_total".into()))?;
        Some(Paid {
            session_id: session_id.to_string(),
            provider_payment: o["payment_intent"].as_str().map(str::to_string),
            amount_cents,
            currency: o["currency"].as_str().unwrap_or("").to_string(),
        })
    } else {
        None
    };
    // A payout has reached the bank (`payout.paid`), or its transactions are listed
    // (`payout.reconciliation_completed`, what Stripe documents for reconciling).
    let payout = match body.kind.as_str() {
        "payout.paid" | "payout.reconciliation_completed" => Some(
            o["id"]
                .as_str()
                .ok_or_else(|| Refused("the payout has no id".into()))?
                .to_string(),
        ),
        _ => None,
    };
    Ok(Event {
        id: body.id,
        kind: body.kind,
        paid,
        payout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";

    fn completed(status: &str) -> Vec<u8> {
        serde_json::json!({
            "id": "evt_1", "type": "checkout.session.completed",
            "data": { "object": {
                "id": "cs_1", "payment_status": status, "amount_total": 12345,
                "currency": "eur", "payment_intent": "pi_1"
            }}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_signature_verifies_only_for_its_payload_secret_and_time() {
        let body = completed("paid");
        let sig = sign_stripe(SECRET, &body, 1_000_000);
        assert_eq!(verify_stripe(SECRET, &body, Some(&sig), 1_000_100), Ok(()));
        // Another secret, another payload, too late, or no header: refused.
        assert!(verify_stripe("whsec_other", &body, Some(&sig), 1_000_100).is_err());
        let mut forged = body.clone();
        forged[10] ^= 1;
        assert!(verify_stripe(SECRET, &forged, Some(&sig), 1_000_100).is_err());
        let late = verify_stripe(SECRET, &body, Some(&sig), 1_000_000 + TOLERANCE_SECS + 1);
        assert!(late.unwrap_err().0.contains("away from now"));
        assert!(verify_stripe(SECRET, &body, None, 1_000_000).is_err());
        // One good signature among several (Stripe sends one per secret during a rotation).
        let two = format!("{},v1=00ff", sig.replace("v1=", "v1=00ff,v1="));
        assert!(verify_stripe(SECRET, &body, Some(&two), 1_000_000).is_ok());
        assert!(verify_stripe(SECRET, &body, Some("t=1000000,v1=zz"), 1_000_000).is_err());
    }

    #[test]
    fn a_payout_is_its_charges_and_must_add_up() {
        let txns = serde_json::json!([
            { "id": "txn_1", "type": "charge", "amount": 50000, "fee": 775, "net": 49225,
              "source": { "id": "ch_1", "payment_intent": "pi_1" } },
            { "id": "txn_2", "type": "refund", "amount": -1000, "fee": 0, "net": -1000,
              "source": "re_1" },
            { "id": "txn_3", "type": "payout", "amount": -48225, "fee": 0, "net": -48225,
              "source": "po_1" }
        ]);
        let txns: Vec<Txn> = serde_json::from_value(txns).unwrap();
        let body = |amount| PayoutBody {
            id: "po_1".into(),
            amount,
            currency: "eur".into(),
            arrival_date: 1_780_000_000,
        };
        let p = payout_of(body(48225), txns).unwrap();
        assert_eq!(
            p.charges,
            [Charge {
                provider_payment: Some("pi_1".into()),
                amount_cents: 50000,
                fee_cents: 775
            }]
        );
        assert_eq!((p.amount_cents, p.other_cents), (48225, -1000));
        assert_eq!(p.arrival_on.to_string(), "2026-05-28");
        // Transactions that do not make the payout's amount: refused.
        let one: Vec<Txn> = serde_json::from_value(serde_json::json!([
            { "id": "txn_1", "type": "charge", "amount": 50000, "fee": 775, "net": 49225,
              "source": "ch_1" }
        ]))
        .unwrap();
        assert!(payout_of(body(50000), one)
            .unwrap_err()
            .contains("its transactions 49225"));
    }

    #[test]
    fn a_payout_event_names_its_payout() {
        let body = serde_json::json!({ "id": "evt_9", "type": "payout.paid",
            "data": { "object": { "id": "po_9", "amount": 100 } } });
        let e = parse_stripe_event(body.to_string().as_bytes()).unwrap();
        assert_eq!((e.payout.as_deref(), e.paid), (Some("po_9"), None));
        let none = serde_json::json!({ "id": "evt_8", "type": "payout.paid",
            "data": { "object": {} } });
        assert!(parse_stripe_event(none.to_string().as_bytes()).is_err());
    }

    #[test]
    fn only_a_paid_checkout_confirms_a_payment() {
        let e = parse_stripe_event(&completed("paid")).unwrap();
        assert_eq!(
            e.paid,
            Some(Paid {
                session_id: "cs_1".into(),
                provider_payment: Some("pi_1".into()),
                amount_cents: 12345,
                currency: "eur".into(),
            })
        );
        assert_eq!(parse_stripe_event(&completed("unpaid")).unwrap().paid, None);
        assert!(parse_stripe_event(b"{\"id\":1}").is_err());
    }

    #[test]
    fn the_checkout_form_names_the_amount_in_cents_and_the_case() {
        let form = Stripe::form(&CheckoutRequest {
            card_payment_id: 7,
            amount_cents: 50_000,
            case_reference: "REC-2026-000001".into(),
            description: "Dossier REC-2026-000001".into(),
            success_url: "https://x.test/d/t?done=card".into(),
            cancel_url: "https://x.test/d/t".into(),
            locale: "fr",
        });
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(form.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| pairs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
        assert_eq!(get("line_items[0][price_data][unit_amount]"), Some("50000"));
        assert_eq!(get("line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(get("client_reference_id"), Some("7"));
        assert_eq!(get("metadata[case_reference]"), Some("REC-2026-000001"));
        assert_eq!(get("success_url"), Some("https://x.test/d/t?done=card"));
    }
}
