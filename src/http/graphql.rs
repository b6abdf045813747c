//! `POST /graphql`. Our own small handler rather than juniper_actix's: it bounds the body,
//! never panics on bad input, and gives every error an `extensions.code`.

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use juniper::http::{GraphQLBatchRequest, GraphQLBatchResponse, GraphQLRequest, GraphQLResponse};

use super::MAX_JSON_BODY;
use crate::app::AppState;
use crate::error::{AppError, ErrorCode};
use crate::graphql::{cost, Context, Schema};

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
    let limits = state.graphql_limits;
    // The cost, before anything runs: every entry of a batch together. Parsing a large
    // document is CPU work: on the blocking pool, so an attacker's requests do not hold the
    // async workers that answer everyone else (`/healthz` included).
    let for_cost = schema.clone().into_inner();
    let Ok((request, cost, mutation)) = web::block(move || {
        let (cost, mutation) = total_cost(&for_cost, &request);
        (request, cost, mutation)
    })
    .await
    else {
        return HttpResponse::InternalServerError()
            .json(AppError::internal("the cost could not be computed").to_json());
    };
    if cost > limits.max_cost {
        let error = serde_json::json!({
            "message": format!(
                "this request would cost {cost}, above the limit of {}: ask for smaller pages \
                 (`first`), fewer fields or fewer aliases",
                limits.max_cost
            ),
            "extensions": { "code": ErrorCode::QueryTooCostly.as_str(), "cost": cost, "limit": limits.max_cost },
        });
        // Refused input, like juniper's validation errors: 400.
        return HttpResponse::BadRequest().json(each_entry(&request, error));
    }
    // The session check (a database read) counts in the query's time budget: a request that
    // waits for a pooled connection is cut like one whose resolvers wait.
    let run = async {
        let ctx = Context::new(
            state.get_ref().clone(),
            super::bearer(&req, &state).await,
            operation_of(&request),
            super::client_ip(&req),
            super::link_base(&req, &state),
        );
        let response = request.execute(&schema, &ctx).await;
        (response, ctx)
    };
    let (response, ctx) = if mutation {
        // A mutation is not cut: dropped half-way, its use case would still commit (or roll
        // back) on the blocking pool, and the client could not know which. Its size is bounded
        // by the cost (each mutation field weighs `cost::MUTATION_FIELD`).
        run.await
    } else {
        match actix_web::rt::time::timeout(limits.time_budget, run).await {
            Ok(done) => done,
            Err(_) => {
                // Reads only: nothing was written. The reads in flight finish on the blocking
                // pool, their results dropped; no further one starts.
                let error = serde_json::json!({
                    "message": format!(
                        "the query took longer than {} s: ask for less",
                        limits.time_budget.as_secs()
                    ),
                    "extensions": { "code": ErrorCode::Timeout.as_str() },
                });
                return HttpResponse::ServiceUnavailable()
                    .json(each_entry(&request, with_null_data(error)));
            }
        }
    };
    // Something was written if a use case of a mutation succeeded: then the answer must not
    // invite a retry (503), which would apply it twice.
    let done = mutation && ctx.succeeded() > 0;
    let max = limits.max_response_bytes;
    let response = match response {
        // Data and no error (most answers): written straight to bytes, without the
        // intermediate `serde_json::Value` tree the error path edits (a list page is
        // hundreds of fields).
        GraphQLBatchResponse::Single(single) => match single.into_result() {
            Ok((data, errors)) if errors.is_empty() => {
                return match capped_json(&DataOnly { data }, max) {
                    Ok(body) => HttpResponse::Ok()
                        .content_type("application/json")
                        .body(body),
                    Err(Capped::TooLarge) => too_large(&request, max, done),
                    Err(Capped::Failed(e)) => {
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
    drop(response);
    add_missing_codes(&mut json);
    let body = match capped_json(&json, max) {
        Ok(body) => body,
        Err(Capped::TooLarge) => return too_large(&request, max, done),
        Err(Capped::Failed(e)) => {
            return HttpResponse::InternalServerError().json(AppError::internal(e).to_json())
        }
    };
    let mut answer = if only_unavailable(&json) && !done {
        // Nothing was done because the database is away: 503, as REST answers, so clients
        // and load balancers retry; the body still carries the GraphQL errors. Not when a
        // mutation's use case succeeded: a retry would apply it twice.
        let mut a = HttpResponse::ServiceUnavailable();
        a.insert_header(("Retry-After", "5"));
        a
    } else if ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::BadRequest()
    };
    answer.content_type("application/json").body(body)
}

/// The cost of every entry of the request together, and whether one is a mutation.
fn total_cost(schema: &Schema, request: &GraphQLBatchRequest) -> (u64, bool) {
    let entries: Vec<&GraphQLRequest> = match request {
        GraphQLBatchRequest::Single(r) => vec![r],
        GraphQLBatchRequest::Batch(list) => list.iter().collect(),
    };
    let mut cost: u64 = 0;
    let mut mutation = false;
    for r in entries {
        let estimate = cost::estimate(
            schema,
            &r.query,
            r.operation_name.as_deref(),
            &r.variables(),
        );
        if let Some(e) = estimate {
            cost = cost.saturating_add(e.cost);
            mutation |= e.mutation;
        }
    }
    (cost, mutation)
}

/// The same error as the answer of every entry of the request (one object, or an array for
/// a batch).
fn each_entry(request: &GraphQLBatchRequest, error: serde_json::Value) -> serde_json::Value {
    let one = match error.get("data") {
        Some(_) => error,
        None => serde_json::json!({ "errors": [error] }),
    };
    match request {
        GraphQLBatchRequest::Single(_) => one,
        GraphQLBatchRequest::Batch(list) => {
            serde_json::Value::Array(std::iter::repeat_n(one, list.len()).collect())
        }
    }
}

/// An execution error: `data` is null (the error came after execution began).
fn with_null_data(error: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [error] })
}

/// An answer above the size limit, replaced whole (never a body cut half-way).
fn too_large(request: &GraphQLBatchRequest, max: usize, done: bool) -> HttpResponse {
    let message = if done {
        format!("the operation was executed, but its answer is larger than {max} bytes: read the result with a smaller query")
    } else {
        format!("the answer is larger than {max} bytes: ask for smaller pages or fewer fields")
    };
    let error = serde_json::json!({
        "message": message,
        "extensions": { "code": ErrorCode::ResponseTooLarge.as_str(), "limit": max },
    });
    let body = each_entry(request, with_null_data(error));
    // Executed: answered like any execution error (200), so the client does not take a
    // change that was made for a refusal; otherwise refused like a too costly query (400).
    if done {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::BadRequest().json(body)
    }
}

enum Capped {
    TooLarge,
    Failed(serde_json::Error),
}

/// Serialises `value`, stopping as soon as it passes `max` bytes.
fn capped_json<T: serde::Serialize>(value: &T, max: usize) -> Result<Vec<u8>, Capped> {
    struct Writer {
        buf: Vec<u8>,
        max: usize,
        over: bool,
    }
    impl std::io::Write for Writer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.buf.len() + bytes.len() > self.max {
                self.over = true;
                return Err(std::io::Error::other("answer too large"));
            }
            self.buf.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Writer {
        buf: Vec::new(),
        max,
        over: false,
    };
    match serde_json::to_writer(&mut w, value) {
        Ok(()) => Ok(w.buf),
        Err(_) if w.over => Err(Capped::TooLarge),
        Err(e) => Err(Capped::Failed(e)),
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
