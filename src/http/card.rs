//! `POST /webhooks/stripe`: the payment provider's events (issue 17). The signature is
//! verified before anything is read (a refused request is answered 401 `UNAUTHENTICATED` and
//! handed to the security log's writer, rate-limited per address as refusals are); a verified
//! event is handled once (`debtor::card::confirm`; a payout's, with its detail read from the
//! provider, by `recovery::payouts::announced`) and answered 200 with what became of it, so
//! the provider stops sending it.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::AppState;
use crate::error::{AppError, ErrorCode};
use crate::store::security::SecurityKind;

/// The largest event accepted (Stripe's are a few kilobytes).
const MAX_EVENT_BYTES: usize = 256 * 1024;

pub async fn stripe(
    req: HttpRequest,
    body: web::Bytes,
    st: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(provider) = st.card.clone() else {
        return Err(AppError::not_found("route"));
    };
    if body.len() > MAX_EVENT_BYTES {
        return Err(AppError::new(
            ErrorCode::PayloadTooLarge,
            "the event is larger than 256 KiB",
        ));
    }
    let signature = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // The signature's age is measured on the wall clock (the wire's time, not the
    // business date a test clock may move).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let event = match provider.event(&body, signature.as_deref(), now) {
        Ok(e) => e,
        Err(refused) => {
            let ip = crate::http::client_ip(&req);
            let detail = format!("{} webhook: {}", provider.name(), refused.0);
            tracing::warn!(%detail, "payment provider request refused");
            st.refusals.submit(crate::refusals::Refusal {
                at: st.clock.now(),
                kind: SecurityKind::WebhookRefused,
                user_id: None,
                ip,
                detail,
                case_id: None,
                count: 1,
            });
            return Err(AppError {
                field: Some("Stripe-Signature".into()),
                ..AppError::new(
                    ErrorCode::Unauthenticated,
                    "the request's signature does not verify",
                )
            });
        }
    };
    let name = provider.name();
    let (id, kind) = (event.id.clone(), event.kind.clone());
    let outcome = match event.payout.clone() {
        // A payout: its detail is asked of the provider (outside any transaction), unless the
        // event was handled already; the provider retries while we answer 503.
        Some(payout_id) => {
            let seen_id = id.clone();
            let seen = st
                .run(move |conn, _| {
                    Ok(crate::store::card_payments::event_seen(
                        conn, name, &seen_id,
                    )?)
                })
                .await?;
            if seen {
                crate::debtor::card::Outcome::Duplicate
            } else {
                let payout = provider.payout(&payout_id).await.map_err(|why| {
                    tracing::warn!(payout = %payout_id, %why, "payout detail unavailable");
                    AppError::new(
                        ErrorCode::Unavailable,
                        "the payout's detail cannot be read from the provider now: retry later",
                    )
                })?;
                st.run(move |conn, st| {
                    crate::recovery::payouts::announced(conn, &st.clock, name, &event, &payout)
                })
                .await?
            }
        }
        None => {
            st.run(move |conn, st| {
                crate::debtor::card::confirm(conn, &st.clock, st.jobs.blobs.as_ref(), name, &event)
            })
            .await?
        }
    };
    tracing::info!(event = %id, kind = %kind, outcome = outcome.as_str(), "payment provider event");
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "received": true,
        "outcome": outcome.as_str(),
    })))
}
