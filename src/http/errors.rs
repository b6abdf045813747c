//! Requests refused before a handler runs — a malformed query string, path, form or JSON
//! body, a body over its limit, a method a route does not take — answered like every other
//! error: the JSON body with a `code` on API routes, the French error page on portal pages.
//! The extractors' configurations name the fault precisely; [`safety_net`] codes whatever
//! other answer actix would still write as bare text (an empty 405, for one).

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::error::{
    InternalError, JsonPayloadError, PathError, PayloadError, QueryPayloadError, UrlencodedError,
};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpRequest, HttpResponse};

use super::MAX_JSON_BODY;
use crate::error::{AppError, ErrorCode};

/// Largest form accepted by the portal's (urlencoded) forms: the playbook editor's rows with
/// their texts stay far below.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// Whether the request is for a portal page, or from a browser asking for a page outside the
/// API's data routes (answered in French, as a page).
fn is_portal(req: &HttpRequest) -> bool {
    let path = req.path();
    path == "/portal"
        || path.starts_with("/portal/")
        || (super::wants_page(req)
            && !path.starts_with("/graphql")
            && !path.starts_with("/api/auth"))
}

/// The field a serde message names (``duplicate field `creditorId` `` → `creditorId`).
fn field_named(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    let (name, _) = rest.split_once('`')?;
    Some(name).filter(|n| !n.is_empty() && n.len() <= 64)
}

/// The answer to a refused request: `error` as JSON with `status`, or on a portal page the
/// French page with `heading` and `message`.
fn answer(
    req: &HttpRequest,
    status: StatusCode,
    error: &AppError,
    heading: &str,
    message: &str,
) -> HttpResponse {
    if is_portal(req) {
        crate::portal::refused_request(req, status.as_u16(), heading, message)
    } else {
        HttpResponse::build(status).json(error.to_json())
    }
}

fn too_large(req: &HttpRequest, limit: usize) -> HttpResponse {
    answer(
        req,
        StatusCode::PAYLOAD_TOO_LARGE,
        &AppError::new(
            ErrorCode::PayloadTooLarge,
            format!("the request body is larger than {limit} bytes"),
        ),
        "Envoi trop volumineux",
        "Le formulaire envoyé dépasse la taille acceptée.",
    )
}

fn bad_query(req: &HttpRequest, detail: &str) -> HttpResponse {
    answer(
        req,
        StatusCode::BAD_REQUEST,
        &AppError::validation(
            field_named(detail).unwrap_or("query"),
            format!("invalid query string: {detail}"),
        ),
        "Adresse incorrecte",
        "L'adresse de la page contient un paramètre incorrect ou répété. Revenez à la page \
         précédente et recommencez.",
    )
}

fn query_error(err: QueryPayloadError, req: &HttpRequest) -> actix_web::Error {
    let detail = match &err {
        QueryPayloadError::Deserialize(d) => d.to_string(),
        other => other.to_string(),
    };
    let resp = bad_query(req, &detail);
    InternalError::from_response(err, resp).into()
}

/// The answer of an address no route serves (JSON, or the French page under `/portal`).
pub fn not_found(req: &HttpRequest) -> HttpResponse {
    answer(
        req,
        StatusCode::NOT_FOUND,
        &AppError::not_found("page"),
        "Page introuvable",
        "Ce dossier ou cette page n'existe pas, ou vous n'y avez pas accès.",
    )
}

fn path_error(err: PathError, req: &HttpRequest) -> actix_web::Error {
    // A path segment that does not parse (an id that is no number) names nothing that exists:
    // the same answer as a missing record, as the handlers give for ids they parse themselves.
    let resp = not_found(req);
    InternalError::from_response(err, resp).into()
}

fn payload_overflow(e: &PayloadError) -> bool {
    matches!(e, PayloadError::Overflow)
}

fn form_error(err: UrlencodedError, req: &HttpRequest) -> actix_web::Error {
    let resp = match &err {
        UrlencodedError::Overflow { .. } => too_large(req, MAX_FORM_BODY),
        UrlencodedError::Payload(p) if payload_overflow(p) => too_large(req, MAX_FORM_BODY),
        UrlencodedError::ContentType => answer(
            req,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &AppError::new(
                ErrorCode::UnsupportedMediaType,
                "send the form as application/x-www-form-urlencoded",
            ),
            "Formulaire illisible",
            "Le formulaire envoyé est illisible. Rechargez la page et recommencez.",
        ),
        other => answer(
            req,
            StatusCode::BAD_REQUEST,
            &AppError::validation("body", format!("invalid form: {other}")),
            "Formulaire illisible",
            "Le formulaire envoyé est illisible. Rechargez la page et recommencez.",
        ),
    };
    InternalError::from_response(err, resp).into()
}

fn json_error(err: JsonPayloadError, req: &HttpRequest) -> actix_web::Error {
    let unreadable = |message: String| {
        answer(
            req,
            StatusCode::BAD_REQUEST,
            &AppError::validation("body", message),
            "Envoi illisible",
            "La demande envoyée est illisible.",
        )
    };
    let resp = match &err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            too_large(req, MAX_JSON_BODY)
        }
        JsonPayloadError::Payload(p) if payload_overflow(p) => too_large(req, MAX_JSON_BODY),
        JsonPayloadError::ContentType => answer(
            req,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &AppError::new(
                ErrorCode::UnsupportedMediaType,
                "send the body as application/json",
            ),
            "Envoi illisible",
            "La demande envoyée est illisible.",
        ),
        JsonPayloadError::Deserialize(e) => unreadable(format!("invalid JSON body: {e}")),
        other => unreadable(format!("invalid JSON body: {other}")),
    };
    InternalError::from_response(err, resp).into()
}

/// The extractors' configurations: every refusal coded, on every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(
            web::FormConfig::default()
                .limit(MAX_FORM_BODY)
                .error_handler(form_error),
        )
        .app_data(
            web::JsonConfig::default()
                .limit(MAX_JSON_BODY)
                .error_handler(json_error),
        );
}

/// The code of an error status actix answered by itself.
fn code_of(status: StatusCode) -> AppError {
    match status.as_u16() {
        401 => AppError::unauthenticated("sign in first"),
        403 => AppError::new(ErrorCode::Forbidden, "your role does not allow this action"),
        404 => AppError::not_found("page"),
        405 => AppError::validation("method", "this address does not take this method"),
        413 => AppError::new(ErrorCode::PayloadTooLarge, "the request body is too large"),
        415 => AppError::new(
            ErrorCode::UnsupportedMediaType,
            "this content type is not accepted here",
        ),
        400..=499 => AppError::validation("request", "the request is malformed"),
        503 => AppError::unavailable(),
        _ => AppError::new(ErrorCode::Internal, "internal error"),
    }
}

fn french_of(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        401 | 403 => ("Accès refusé", "Votre rôle ne permet pas cette action."),
        404 | 405 => (
            "Page introuvable",
            "Ce dossier ou cette page n'existe pas, ou vous n'y avez pas accès.",
        ),
        413 => (
            "Envoi trop volumineux",
            "Le formulaire envoyé dépasse la taille acceptée.",
        ),
        400..=499 => (
            "Demande incorrecte",
            "La demande envoyée est incorrecte. Revenez à la page précédente et recommencez.",
        ),
        503 => (
            "Service momentanément indisponible",
            "Veuillez réessayer dans quelques instants.",
        ),
        _ => (
            "Une erreur est survenue",
            "L'incident a été enregistré. Veuillez réessayer plus tard.",
        ),
    }
}

/// Replaces an error answer that is neither JSON nor a page (actix's own bare text or empty
/// body) with ours, same status (and `Allow` kept on a 405).
fn recode<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json") || ct.starts_with("text/html"));
    if ours {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let (heading, message) = french_of(status);
    let mut resp = answer(&req, status, &code_of(status), heading, message);
    if let Some(allow) = allow {
        resp.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, resp)
            .map_into_boxed_body()
            .map_into_right_body(),
    ))
}

/// The middleware that codes every error answer actix wrote by itself.
pub fn safety_net<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(recode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_a_serde_message_names_is_read() {
        assert_eq!(
            field_named("duplicate field `creditorId`"),
            Some("creditorId")
        );
        assert_eq!(field_named("invalid digit found in string"), None);
    }
}
