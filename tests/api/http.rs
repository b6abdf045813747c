//! The HTTP surface: error bodies are JSON with a code, limits hold, GraphiQL is self-hosted,
//! and the schema file is current.

use crate::helpers::*;
use serde_json::{json, Value};

#[test]
fn health_reports_the_database() {
    let app = TestApp::spawn();
    let (status, body) = app.http("GET", "/healthz", None);
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({ "status": "ok", "database": "ok" })
    );
}

#[test]
fn malformed_requests_get_json_errors_with_a_code() {
    let app = TestApp::spawn();
    type Check<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>, u16);
    let checks: Vec<Check> = vec![
        ("GET", "/nowhere", None, 404),
        ("GET", "/graphql", None, 405),
        (
            "POST",
            "/graphql",
            Some(("text/plain", "{ me { id } }")),
            415,
        ),
        (
            "POST",
            "/graphql",
            Some(("application/json", "{ this is not json")),
            400,
        ),
        (
            "POST",
            "/graphql",
            Some(("application/json", "{\"query\": 42}")),
            400,
        ),
    ];
    for (method, path, body, want) in checks {
        let (status, text) = app.http(method, path, body);
        assert_eq!(status, want, "{method} {path}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        assert!(v["code"].is_string(), "{method} {path}: {text}");
    }
    let huge =
        json!({ "query": format!("{{ me {{ id }} }} #{}", "x".repeat(1_100_000)) }).to_string();
    let (status, _) = app.http("POST", "/graphql", Some(("application/json", &huge)));
    assert_eq!(status, 413);
}

#[test]
fn graphql_syntax_and_schema_errors_carry_a_code_too() {
    let app = TestApp::spawn();
    for q in [
        "{ me { id ",
        "{ nosuchfield }",
        "query { case(id: 1, extra: 2) { id } }",
    ] {
        let r = app.gql(Some(&app.admin_token), q, json!({}));
        assert_eq!(code(&r), "VALIDATION", "{q}: {r}");
    }
    // Depth is limited: 25 nested `ofType` is deeper than any real query.
    let deep = format!(
        "{{ __schema {{ types {{ {}name{} }} }} }}",
        "ofType { ".repeat(25),
        " }".repeat(25)
    );
    let r = app.gql(Some(&app.admin_token), &deep, json!({}));
    assert_eq!(code(&r), "VALIDATION", "{r}");
}

#[test]
fn graphiql_is_served_without_any_cdn() {
    let app = TestApp::spawn();
    let (status, page) = app.http("GET", "/graphiql", None);
    assert_eq!(status, 200);
    assert!(page.contains("/graphiql/assets/graphiql.min.js"));
    assert!(
        !page.contains("https://"),
        "the page loads something from outside"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let (status, body) = app.http("GET", &format!("/graphiql/assets/{asset}"), None);
        assert_eq!(status, 200, "{asset}");
        assert!(body.len() > 5_000, "{asset}");
    }
    let (status, _) = app.http("GET", "/graphiql/assets/..%2F..%2FCargo.toml", None);
    assert_eq!(status, 404);
}

#[test]
fn the_schema_file_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/graphql/schema.graphql");
    let sdl = recouvra::graphql::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok() {
        std::fs::write(path, &sdl).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == sdl,
        "graphql/schema.graphql is out of date: run `UPDATE_SCHEMA=1 cargo test the_schema_file_is_current`"
    );
}

#[test]
fn every_error_code_has_a_distinct_wire_name_and_status() {
    use recouvra::error::ErrorCode;
    let names: std::collections::HashSet<&str> =
        ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), ErrorCode::ALL.len());
    assert_eq!(ErrorCode::NotFound.http_status(), 404);
    assert_eq!(ErrorCode::Unavailable.http_status(), 503);
}
