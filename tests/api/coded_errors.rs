//! Requests refused before any handler runs — malformed or repeated query parameters, a
//! path that does not parse, an unreadable form or JSON body, a body over the limit, a method
//! a route does not take — get a coded answer like every other error: JSON with a `code` on
//! the API, the French error page on the portal. Never actix's own English text.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::portal::Browser;

/// (status, content type, body) of a request with optional headers and body.
fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> (u16, String, String) {
    let mut req = ureq::request(method, &format!("{}{path}", app.base));
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match body {
        Some(b) => req.send_bytes(b),
        None => req.call(),
    };
    let r = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let ct = r.header("content-type").unwrap_or("").to_string();
    (r.status(), ct, r.into_string().unwrap_or_default())
}

/// actix's own wording, which must never reach a client.
const RAW: &[&str] = &[
    "Content type error",
    "deserialize error",
    "Deserialize error",
    "Parse error",
    "payload",
    "Payload",
    "than allowed",
    "can not parse",
    "Method Not Allowed",
];

fn assert_json_error(
    (status, ct, body): &(u16, String, String),
    want: (u16, &str),
    what: &str,
) -> Value {
    assert!(
        ct.starts_with("application/json"),
        "{what}: {status} {ct} {body}"
    );
    let v: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: {body}"));
    assert_eq!(
        (*status, v["code"].as_str().unwrap_or("")),
        want,
        "{what}: {body}"
    );
    v
}

fn assert_french_page((status, ct, body): &(u16, String, String), want: u16, what: &str) {
    assert_eq!(*status, want, "{what}: {body}");
    assert!(ct.starts_with("text/html"), "{what}: {ct} {body}");
    assert!(body.contains("<html"), "{what}: {body}");
    for raw in RAW {
        assert!(!body.contains(raw), "{what}: {raw} in {body}");
    }
}

#[test]
fn the_issues_examples_are_coded_errors() {
    let app = TestApp::spawn();
    let bearer = format!("Bearer {}", app.admin_token);
    // A repeated query parameter on the API: VALIDATION naming it.
    let r = send(
        &app,
        "POST",
        "/api/cases/import?creditorId=1&creditorId=2",
        &[("Authorization", &bearer), ("Content-Type", "text/csv")],
        Some(b"dossier;x\n"),
    );
    let v = assert_json_error(&r, (400, "VALIDATION"), "creditorId twice");
    assert_eq!(v["field"], "creditorId");
    // On the portal (signed in or not): the French page.
    let mut b = Browser::new(&app);
    b.sign_in("admin@agency.test", "/portal");
    for path in ["/portal/cases?after=abc", "/portal/dashboard?from=a&from=b"] {
        let p = b.get(path);
        let r = (p.status, "text/html".to_string(), p.body);
        assert_french_page(&r, 400, path);
        assert!(r.2.contains("Adresse incorrecte"), "{path}: {}", r.2);
        let signed_out = send(&app, "GET", path, &[], None);
        assert_french_page(&signed_out, 400, path);
    }
    // An empty sign-out form (no content type): the French page, not "Content type error.".
    let r = send(&app, "POST", "/portal/logout", &[], Some(b""));
    assert_french_page(&r, 415, "empty logout");
    assert!(r.2.contains("Formulaire illisible"), "{}", r.2);
}

#[test]
fn each_extractor_refusal_is_coded() {
    let app = TestApp::spawn();
    let json_ct = [("Content-Type", "application/json")];
    // Query: a value that is not a number.
    let r = send(&app, "GET", "/portal/agenda?page=1&page=2", &[], None);
    assert_french_page(&r, 400, "query");
    // Path: an id that is not a number is a missing page (JSON on the API, a page here).
    let r = send(
        &app,
        "POST",
        "/portal/admin/users/abc/active",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"csrf=x"),
    );
    assert_french_page(&r, 404, "path");
    assert!(r.2.contains("Page introuvable"));
    // Form: a body over the limit, then one that is not a form.
    let big = format!("csrf=x&email={}", "a".repeat(200 * 1024));
    let r = send(
        &app,
        "POST",
        "/portal/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(big.as_bytes()),
    );
    assert_french_page(&r, 413, "form over the limit");
    let r = send(
        &app,
        "POST",
        "/portal/login",
        &[("Content-Type", "application/json")],
        Some(b"{}"),
    );
    assert_french_page(&r, 415, "form as JSON");
    // JSON: malformed, wrong type, missing field, wrong content type, over the limit.
    for (body, what) in [
        (&b"{ not json"[..], "malformed"),
        (&b"{\"email\": 1, \"password\": \"x\"}"[..], "wrong type"),
        (&b"{\"email\": \"a@b.test\"}"[..], "missing field"),
    ] {
        let r = send(&app, "POST", "/api/auth/login", &json_ct, Some(body));
        let v = assert_json_error(&r, (400, "VALIDATION"), what);
        assert_eq!(v["field"], "body");
    }
    let r = send(
        &app,
        "POST",
        "/api/auth/login",
        &[("Content-Type", "text/plain")],
        Some(b"{}"),
    );
    assert_json_error(&r, (415, "UNSUPPORTED_MEDIA_TYPE"), "text/plain");
    let huge = json!({ "email": "a@b.test", "password": "x".repeat(1_100_000) }).to_string();
    for path in ["/api/auth/login", "/api/auth/refresh", "/graphql"] {
        let r = send(&app, "POST", path, &json_ct, Some(huge.as_bytes()));
        assert_json_error(&r, (413, "PAYLOAD_TOO_LARGE"), path);
    }
    // A method no route takes at that address: no such page.
    let r = send(&app, "DELETE", "/api/auth/login", &[], None);
    assert_json_error(&r, (404, "NOT_FOUND"), "DELETE");
    let r = send(&app, "PUT", "/portal/cases", &[], None);
    assert_french_page(&r, 404, "PUT on a page");
    let r = send(&app, "GET", "/portal/nowhere", &[], None);
    assert_french_page(&r, 404, "a page that does not exist");
}

/// Every route of the application (`http::routes`, `portal::routes`, the admin pages), with
/// numbers where the path takes an id.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/graphql"),
    ("GET", "/graphql"),
    ("GET", "/graphiql"),
    ("GET", "/graphiql/assets/x.js"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/api/documents/1.pdf"),
    ("POST", "/api/cases/import"),
    ("POST", "/api/cases/1/evidence"),
    ("GET", "/api/cases/1/dossier.pdf"),
    ("GET", "/api/evidence/1"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/nowhere"),
    ("GET", "/portal"),
    ("GET", "/portal/login"),
    ("POST", "/portal/login"),
    ("POST", "/portal/logout"),
    ("GET", "/portal/cases"),
    ("GET", "/portal/cases/new"),
    ("POST", "/portal/cases/new"),
    ("GET", "/portal/cases/1"),
    ("POST", "/portal/cases/1/actions/accept"),
    ("GET", "/portal/dashboard"),
    ("GET", "/portal/queue"),
    ("GET", "/portal/agenda"),
    ("GET", "/portal/import"),
    ("POST", "/portal/import"),
    ("GET", "/portal/import/example.csv"),
    ("GET", "/portal/admin"),
    ("GET", "/portal/admin/users"),
    ("POST", "/portal/admin/users"),
    ("POST", "/portal/admin/users/1/active"),
    ("GET", "/portal/admin/organisations"),
    ("POST", "/portal/admin/organisations"),
    ("GET", "/portal/admin/mandates"),
    ("POST", "/portal/admin/mandates"),
    ("POST", "/portal/admin/mandates/1/limits"),
    ("GET", "/portal/admin/playbooks"),
    ("POST", "/portal/admin/playbooks/attach"),
    ("GET", "/portal/admin/playbooks/1"),
    ("POST", "/portal/admin/playbooks/1"),
    ("GET", "/portal/admin/rates"),
    ("POST", "/portal/admin/rates"),
    ("GET", "/portal/nowhere"),
];

#[test]
fn no_route_answers_malformed_input_with_actix_s_own_text() {
    let app = TestApp::spawn();
    let bearer = format!("Bearer {}", app.admin_token);
    let mut b = Browser::new(&app);
    b.sign_in("admin@agency.test", "/portal");
    let cookies = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let query = "?after=abc&after=x&from=a&from=b&to=x&creditorId=1&creditorId=2&page=x&page=y&q=1&q=2&state=x&state=y&next=%0d%0a&role=a&role=b&organisation=x&organisation=y";
    let big = vec![b'a'; 1_200_000];
    type Variant<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a [u8]>);
    let variants: Vec<Variant> = vec![
        ("repeated query", vec![], None),
        ("no content type", vec![], Some(b"")),
        (
            "bad JSON",
            vec![("Content-Type", "application/json")],
            Some(b"{ x"),
        ),
        (
            "bad form",
            vec![("Content-Type", "application/x-www-form-urlencoded")],
            Some(b"%zz=%%"),
        ),
        (
            "bad multipart",
            vec![("Content-Type", "multipart/form-data")],
            Some(b"--x"),
        ),
        ("text", vec![("Content-Type", "text/plain")], Some(b"hello")),
        (
            "too large",
            vec![("Content-Type", "application/x-www-form-urlencoded")],
            Some(&big),
        ),
    ];
    let mut checked = 0;
    for (method, path) in ROUTES {
        for wrong_method in [false, true] {
            for (what, headers, body) in &variants {
                for signed in [false, true] {
                    let method = if wrong_method { "PATCH" } else { *method };
                    let body = if method == "GET" { None } else { *body };
                    let mut headers = headers.clone();
                    if signed {
                        headers.push(("Authorization", &bearer));
                        headers.push(("Cookie", &cookies));
                    }
                    let url = format!("{path}{query}");
                    let r = send(&app, method, &url, &headers, body);
                    let (status, ct, text) = &r;
                    let label = format!("{method} {url} ({what}, signed {signed})");
                    assert!(*status < 500, "{label}: {status} {text}");
                    checked += 1;
                    if *status < 400 {
                        continue;
                    }
                    if path.starts_with("/portal") {
                        assert_french_page(&r, *status, &label);
                    } else {
                        assert!(ct.starts_with("application/json"), "{label}: {ct} {text}");
                        let v: Value = serde_json::from_str(text)
                            .unwrap_or_else(|_| panic!("{label}: {text}"));
                        assert!(v["code"].is_string(), "{label}: {text}");
                    }
                }
            }
        }
    }
    assert_eq!(checked, ROUTES.len() * 2 * variants.len() * 2);
}
