//! What every request goes through first: a request id (the caller's when it is sane, a fresh
//! one otherwise) echoed in `X-Request-Id`, a tracing span carrying it so every log line of the
//! request names it, one access-log line, and the request counted in the metrics.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument as _;

use crate::metrics::{method_label, Metrics};

/// The header carrying the request id, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Route label of a request no route matched (never the raw path: it may hold ids, and a
/// scanner would make the label set unbounded).
pub const UNMATCHED: &str = "unmatched";

/// The caller's id when it is 1 to 64 visible ASCII characters (no space, no control
/// character, so it cannot forge a log line); otherwise `None`.
pub fn accept_request_id(value: &str) -> Option<&str> {
    let ok = !value.is_empty() && value.len() <= 64 && value.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(value)
}

/// A fresh id: 16 random bytes in hex (32 characters).
pub fn new_request_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// What is known of a request before it runs.
pub struct Started {
    id: String,
    route: String,
    method: &'static str,
    span: tracing::Span,
    at: Instant,
}

/// Reads the id, the route pattern and the method, and opens the request's span.
pub fn start(req: &ServiceRequest) -> Started {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(accept_request_id)
        .map_or_else(new_request_id, str::to_string);
    let route = req
        .request()
        .match_pattern()
        .unwrap_or_else(|| UNMATCHED.to_string());
    let method = method_label(req.method().as_str());
    let span = tracing::info_span!("request", request_id = %id, method, route = %route);
    Started {
        id,
        route,
        method,
        span,
        at: Instant::now(),
    }
}

/// Awaits the response inside the span, then logs, counts and tags it.
pub fn finish<B, F>(
    started: Started,
    response: F,
    metrics: Arc<Metrics>,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>>
where
    F: Future<Output = Result<ServiceResponse<B>, actix_web::Error>>,
{
    let span = started.span.clone();
    async move {
        let result = response.await;
        let status = match &result {
            Ok(res) => res.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        let seconds = started.at.elapsed().as_secs_f64();
        metrics.observe(&started.route, started.method, status, seconds);
        tracing::info!(
            status,
            duration_ms = (seconds * 1000.0 * 10.0).round() / 10.0,
            "request"
        );
        result.map(|mut res| {
            // The id passed `accept_request_id` or is hex, so it is always a valid value.
            if let Ok(value) = HeaderValue::from_str(&started.id) {
                res.headers_mut().insert(REQUEST_ID, value);
            }
            res
        })
    }
    .instrument(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_request_id_is_kept_and_anything_else_is_refused() {
        assert_eq!(accept_request_id("abc-123_XYZ"), Some("abc-123_XYZ"));
        assert_eq!(accept_request_id(&"a".repeat(64)).map(str::len), Some(64));
        assert_eq!(accept_request_id(&"a".repeat(65)), None);
        assert_eq!(accept_request_id(""), None);
        assert_eq!(accept_request_id("a b"), None);
        assert_eq!(accept_request_id("é"), None);
    }

    #[test]
    fn a_generated_request_id_is_32_hex_characters() {
        let id = new_request_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, new_request_id());
    }
}
