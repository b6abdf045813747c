//! `POST /graphql`. Our own small handler rather than juniper_actix's: it bounds the body,
//! never panics on bad input, and gives every error an `extensions.code`.

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use juniper::http::{GraphQLBatchRequest, GraphQLBatchResponse, GraphQLResponse};

use super::MAX_JSON_BODY;
use crate::app::AppState;
use crate::error::AppError;
use crate::graphql::{Context, Schema};

/// An answer with data and no error, as GraphQL writes it: `{"data": …}`.
#[derive(serde::Serialize)]
struct DataOnly<T> {
    data: T,
}

/// Most operations in one batched request.
const MAX_BATCH: usize = 10;

pub async fn handle(
    req: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
    schema: web::Data<Schema>,
) -> HttpResponse {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return HttpResponse::UnsupportedMediaType().json(
            AppError::new(
                crate::error::ErrorCode::UnsupportedMediaType,
                "send the query as application/json",
            )
            .to_json(),
        );
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return HttpResponse::BadRequest().json(
                AppError::validation("body", "the request body could not be read").to_json(),
            );
        };
        if body.len() + chunk.len() > MAX_JSON_BODY {
            return HttpResponse::PayloadTooLarge().json(
                AppError::new(
                    crate::error::ErrorCode::PayloadTooLarge,
                    format!("the request body is larger than {MAX_JSON_BODY} bytes"),
                )
                .to_json(),
            );
        }
        body.extend_from_slice(&chunk);
    }
    let request: GraphQLBatchRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return HttpResponse::BadRequest().json(
                AppError::validation("body", format!("not a GraphQL request: {e}")).to_json(),
            )
        }
    };
    if let GraphQLBatchRequest::Batch(list) = &request {
        if list.len() > MAX_BATCH {
            return HttpResponse::BadRequest().json(
                AppError::validation("body", format!("at most {MAX_BATCH} operations per batch"))
                    .to_json(),
            );
        }
    }
    let ctx = Context::new(
        state.get_ref().clone(),
        super::bearer_actor(&req, &state).await,
        operation_of(&request),
        super::client_ip(&req),
    );
    let response = match request.execute(&schema, &ctx).await {
        // Data and no error (most answers): written straight to bytes, without the
        // intermediate `serde_json::Value` tree the error path edits (a list page is
        // hundreds of fields).
        GraphQLBatchResponse::Single(single) => match single.into_result() {
            Ok((data, errors)) if errors.is_empty() => {
                return match serde_json::to_vec(&DataOnly { data }) {
                    Ok(body) => HttpResponse::Ok()
                        .content_type("application/json")
                        .body(body),
                    Err(e) => {
                        HttpResponse::InternalServerError().json(AppError::internal(e).to_json())
                    }
                };
            }
            other => GraphQLBatchResponse::Single(GraphQLResponse::from_result(other)),
        },
        batch => batch,
    };
    let ok = response.is_ok();
    let mut json = match serde_json::to_value(&response) {
        Ok(v) => v,
        Err(e) => return HttpResponse::InternalServerError().json(AppError::internal(e).to_json()),
    };
    add_missing_codes(&mut json);
    if only_unavailable(&json) {
        // Nothing was done because the database is away: 503, as REST answers, so clients
        // and load balancers retry; the body still carries the GraphQL errors.
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "5"))
            .json(json)
    } else if ok {
        HttpResponse::Ok().json(json)
    } else {
        HttpResponse::BadRequest().json(json)
    }
}

/// What a request asks, for the security log: the operation name when given, else the first
/// field of the query (`mutation { acceptCase(…) }` → `acceptCase`).
fn operation_of(request: &GraphQLBatchRequest) -> String {
    let first = match request {
        GraphQLBatchRequest::Single(r) => Some(r),
        GraphQLBatchRequest::Batch(list) => list.first(),
    };
    let Some(r) = first else {
        return "graphql".to_string();
    };
    if let Some(name) = r.operation_name.as_deref().filter(|n| !n.is_empty()) {
        return name.chars().take(64).collect();
    }
    let body = r.query.split_once('{').map(|(_, b)| b).unwrap_or("");
    let field: String = body
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':' || *c == ' ')
        .take(64)
        .collect();
    // `alias: field` names the field after the colon.
    let field = field.rsplit(':').next().unwrap_or("").trim();
    let field = field.split_whitespace().next().unwrap_or("");
    if field.is_empty() {
        "graphql".to_string()
    } else {
        field.to_string()
    }
}

/// Whether the response has errors and every one of them is `UNAVAILABLE`.
fn only_unavailable(json: &serde_json::Value) -> bool {
    let responses: Vec<&serde_json::Value> = match json {
        serde_json::Value::Array(list) => list.iter().collect(),
        other => vec![other],
    };
    let codes: Vec<&serde_json::Value> = responses
        .iter()
        .filter_map(|r| r.get("errors")?.as_array())
        .flatten()
        .map(|e| &e["extensions"]["code"])
        .collect();
    !codes.is_empty() && codes.iter().all(|c| *c == "UNAVAILABLE")
}

/// Errors raised by juniper itself (syntax, unknown field, wrong argument type, depth limit)
/// carry no code: they are refused input, so they get `VALIDATION`.
fn add_missing_codes(json: &mut serde_json::Value) {
    let responses: Vec<&mut serde_json::Value> = match json {
        serde_json::Value::Array(list) => list.iter_mut().collect(),
        other => vec![other],
    };
    for r in responses {
        if let Some(serde_json::Value::Array(errors)) = r.get_mut("errors") {
            for e in errors {
                let Some(obj) = e.as_object_mut() else {
                    continue;
                };
                let ext = obj
                    .entry("extensions")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(ext) = ext.as_object_mut() {
                    ext.entry("code")
                        .or_insert_with(|| serde_json::Value::String("VALIDATION".into()));
                }
            }
        }
    }
}

pub async fn get_not_supported() -> HttpResponse {
    HttpResponse::MethodNotAllowed().json(
        AppError::validation(
            "method",
            "send GraphQL requests with POST (GraphiQL is at /graphiql)",
        )
        .to_json(),
    )
}
