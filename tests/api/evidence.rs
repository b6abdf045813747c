//! The evidence archive over HTTP: uploads streamed, typed from their bytes, size-limited and
//! deduplicated; downloads byte for byte and refused when the bytes changed; exhibit numbers
//! under concurrency; the archive checked by `fsck`; nothing half-stored after a kill.

use serde_json::{json, Value};
use std::io::Read;

use crate::helpers::*;

const BOUNDARY: &str = "recouvra-test-boundary-7MA4YWxkTrZu0gW";

/// A small but well-formed PDF (header, one object, trailer).
pub fn pdf(tag: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Note ({tag}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

pub fn form(file: &[u8], filename: &str, kind: &str, description: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("kind", kind), ("description", description)] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// [`form`] with the document's own date (`documentDate`, YYYY-MM-DD) sent first.
pub fn form_dated(
    file: &[u8],
    filename: &str,
    kind: &str,
    description: &str,
    date: &str,
) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"documentDate\"\r\n\r\n{date}\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&form(file, filename, kind, description));
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Uploads and returns (status, JSON body).
pub fn upload(app: &TestApp, token: &str, case_id: &str, body: &[u8]) -> (u16, Value) {
    let resp = ureq::post(&format!("{}/api/cases/{case_id}/evidence", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", &content_type())
        .send_bytes(body);
    match resp {
        Ok(r) => (r.status(), r.into_json().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{e}"),
    }
}

/// The response's headers (lower-case names) and bytes, or its status and JSON error.
pub(crate) type Downloaded = (std::collections::HashMap<String, String>, Vec<u8>);

pub(crate) fn download(app: &TestApp, token: &str, url: &str) -> Result<Downloaded, (u16, Value)> {
    match ureq::get(&format!("{}{url}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => {
            let headers = r
                .headers_names()
                .into_iter()
                .filter_map(|n| r.header(&n).map(|v| (n.to_lowercase(), v.to_string())))
                .collect();
            let mut bytes = Vec::new();
            r.into_reader().read_to_end(&mut bytes).unwrap();
            Ok((headers, bytes))
        }
        Err(ureq::Error::Status(s, r)) => Err((s, r.into_json().unwrap_or(Value::Null))),
        Err(e) => panic!("{e}"),
    }
}

struct Case {
    app: TestApp,
    creditor: Creditor,
    id: String,
}

fn case_with(app: TestApp) -> Case {
    let creditor = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let id = app.open_case(&creditor.user.token, case_input(None));
    Case { app, creditor, id }
}

fn pieces(app: &TestApp, token: &str, id: &str) -> Value {
    app.ok(
        Some(token),
        "query($id: ID!) { case(id: $id) { pieces(includeWithdrawn: true) { id exhibitNumber kind description filename mediaType sha256 sizeBytes withdrawnAt withdrawalReason url } } }",
        json!({ "id": id }),
    )["case"]["pieces"]
        .clone()
}

#[test]
fn an_upload_round_trips_byte_for_byte_and_the_same_bytes_are_one_piece() {
    let c = case_with(TestApp::spawn());
    let (app, token) = (&c.app, c.creditor.user.token.as_str());
    let bytes = pdf("facture F-2026-001");
    let (status, piece) = upload(
        app,
        token,
        &c.id,
        &form(
            &bytes,
            "Facture F-2026-001.pdf",
            "INVOICE",
            "Facture du 10 janvier",
        ),
    );
    assert_eq!(status, 201, "{piece}");
    assert_eq!(piece["exhibitNumber"], 1);
    assert_eq!(piece["kind"], "INVOICE");
    assert_eq!(piece["mediaType"], "application/pdf");
    assert_eq!(piece["filename"], "Facture F-2026-001.pdf");
    assert_eq!(piece["duplicate"], false);
    let sha = recouvra::blobs::sha256_hex(&bytes);
    assert_eq!(piece["sha256"], sha.as_str());

    let (headers, got) = download(app, token, piece["url"].as_str().unwrap()).unwrap();
    assert_eq!(got, bytes);
    assert_eq!(headers["x-content-sha256"], sha);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-disposition"].contains("filename=\"Facture F-2026-001.pdf\""),
        "{headers:?}"
    );
    let (_, again) = download(app, token, piece["url"].as_str().unwrap()).unwrap();
    assert_eq!(again, bytes);

    // The same bytes again, under another name: one piece, said so.
    let (status, again) = upload(app, token, &c.id, &form(&bytes, "copie.pdf", "OTHER", ""));
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["id"], piece["id"]);
    assert_eq!(pieces(app, token, &c.id).as_array().unwrap().len(), 1);

    // The timeline records the upload and each download.
    let tl = app.ok(
        Some(token),
        "query($id: ID!) { case(id: $id) { timeline { kind } } }",
        json!({ "id": c.id }),
    );
    let kinds: Vec<&str> = tl["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "evidence_added").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "evidence_downloaded")
            .count(),
        2,
        "{kinds:?}"
    );
    // Each download is in the security log too, naming who and which case.
    let log = app.ok(
        Some(&app.admin_token),
        "{ securityLog(kind: EVIDENCE_DOWNLOADED) { totalCount edges { node { userId caseId detail } } } }",
        json!({}),
    );
    assert_eq!(log["securityLog"]["totalCount"], 2, "{log}");
    let entry = &log["securityLog"]["edges"][0]["node"];
    assert_eq!(entry["userId"], c.creditor.user.id.as_str());
    assert_eq!(entry["caseId"], c.id.as_str());
    assert!(entry["detail"].as_str().unwrap().contains(&sha), "{entry}");
}

#[test]
fn files_are_typed_from_their_bytes_and_their_names_neutralised() {
    let c = case_with(TestApp::spawn());
    let (app, token) = (&c.app, c.creditor.user.token.as_str());
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    for (bytes, name) in [
        (&exe[..], "facture.pdf"),
        (b"#!/bin/sh\nrm -rf /\n".as_slice(), "releve.pdf"),
        (
            b"<html><script>alert(1)</script></html>".as_slice(),
            "contrat.pdf",
        ),
    ] {
        let (status, body) = upload(app, token, &c.id, &form(bytes, name, "INVOICE", ""));
        assert_eq!(status, 415, "{name}: {body}");
        assert_eq!(body["code"], "UNSUPPORTED_MEDIA_TYPE", "{body}");
    }
    // A hostile name is kept only as sanitised metadata.
    let (status, piece) = upload(
        app,
        token,
        &c.id,
        &form(&pdf("a"), "../../etc/passwd", "OTHER", ""),
    );
    assert_eq!(status, 201, "{piece}");
    assert_eq!(piece["filename"], "passwd");
    let (status, piece) = upload(
        app,
        token,
        &c.id,
        &form(
            b"Bonjour,\nvoici notre accord.\n",
            "..\\..\\bon\u{202E}txt.exe de livraison.txt",
            "DELIVERY_NOTE",
            "Courriel",
        ),
    );
    assert_eq!(status, 201, "{piece}");
    assert_eq!(piece["mediaType"], "text/plain");
    assert_eq!(piece["filename"], "bontxt.exe de livraison.txt");
    // Control characters cannot even travel in a form's headers: a clear refusal.
    let (status, body) = upload(
        app,
        token,
        &c.id,
        &form(b"texte", "bon\u{7}\u{1b}[31m.txt", "OTHER", ""),
    );
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("file")),
        "{body}"
    );
    // No field, bad kind: clear errors with their field.
    let (status, body) = upload(app, token, &c.id, &form(&pdf("b"), "x.pdf", "SECRET", ""));
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("kind")),
        "{body}"
    );
    let (status, body) = upload(app, token, &c.id, format!("--{BOUNDARY}--\r\n").as_bytes());
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("file")),
        "{body}"
    );
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// An endless-looking body, produced on the fly (never held in memory).
struct Generated {
    head: Vec<u8>,
    left: u64,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.head.is_empty() {
            let n = self.head.len().min(buf.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head.drain(..n);
            return Ok(n);
        }
        let n = (buf.len() as u64).min(self.left) as usize;
        buf[..n].fill(b'A');
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn oversize_uploads_are_refused_without_holding_them() {
    let c = case_with(TestApp::spawn_with(|cfg| {
        cfg.evidence_limits.max_file_bytes = 1024 * 1024;
    }));
    let (app, token) = (&c.app, c.creditor.user.token.as_str());
    // Announced too large: refused before a byte is read.
    let big = vec![b'A'; 3 * 1024 * 1024];
    let (status, body) = upload(app, token, &c.id, &form(&big, "gros.txt", "OTHER", ""));
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["code"], "PAYLOAD_TOO_LARGE");
    // Streamed without a length (chunked): cut at the limit, the rest drained, not kept.
    let before = rss_kib();
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nOTHER\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flux.txt\"\r\n\r\n"
    );
    let resp = ureq::post(&format!("{}/api/cases/{}/evidence", app.base, c.id))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", &content_type())
        .send(Generated {
            head: head.into_bytes(),
            left: 40 * 1024 * 1024,
        });
    let after = rss_kib();
    match resp {
        Err(ureq::Error::Status(413, r)) => {
            let body: Value = r.into_json().unwrap();
            assert_eq!(body["code"], "PAYLOAD_TOO_LARGE");
        }
        other => panic!("expected 413, got {other:?}"),
    }
    assert!(
        after < before + 16 * 1024,
        "memory grew from {before} KiB to {after} KiB for a 40 MiB upload"
    );
    assert_eq!(pieces(app, token, &c.id).as_array().unwrap().len(), 0);
    let spool: Vec<_> = std::fs::read_dir(app.data_dir.join("spool"))
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(spool.is_empty(), "spool leftovers: {spool:?}");
}

#[test]
fn concurrent_uploads_to_one_case_get_distinct_exhibit_numbers() {
    let c = case_with(TestApp::spawn());
    let (app, token) = (&c.app, c.creditor.user.token.clone());
    let numbers: Vec<i64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let token = token.clone();
                let id = c.id.clone();
                s.spawn(move || {
                    let (status, p) = upload(
                        app,
                        &token,
                        &id,
                        &form(
                            &pdf(&format!("piece {i}")),
                            &format!("p{i}.pdf"),
                            "CORRESPONDENCE",
                            "",
                        ),
                    );
                    assert_eq!(status, 201, "{p}");
                    p["exhibitNumber"].as_i64().unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=8).collect::<Vec<_>>(), "{numbers:?}");
}

#[test]
fn exhibits_are_reordered_and_withdrawn_pieces_stay_in_the_archive() {
    let c = case_with(TestApp::spawn());
    let app = &c.app;
    let agent = app.user("AGENT", "agent@agency.test", None);
    let ids: Vec<String> = (0..3)
        .map(|i| {
            let (_, p) = upload(
                app,
                &c.creditor.user.token,
                &c.id,
                &form(
                    &pdf(&format!("{i}")),
                    &format!("{i}.pdf"),
                    "INVOICE",
                    &format!("Pièce {i}"),
                ),
            );
            p["id"].as_str().unwrap().to_string()
        })
        .collect();
    const REORDER: &str = "mutation($c: ID!, $p: [ID!]!) { reorderExhibits(caseId: $c, pieceIds: $p) { id exhibitNumber } }";
    let r = app.gql(
        Some(&c.creditor.user.token),
        REORDER,
        json!({ "c": c.id, "p": [ids[2], ids[0], ids[1]] }),
    );
    assert_eq!(code(&r), "FORBIDDEN");
    let r = app.gql(
        Some(&agent.token),
        REORDER,
        json!({ "c": c.id, "p": [ids[2], ids[0]] }),
    );
    assert_eq!((code(&r), field(&r)), ("VALIDATION", "pieceIds"));
    let r = app.ok(
        Some(&agent.token),
        REORDER,
        json!({ "c": c.id, "p": [ids[2], ids[0], ids[1]] }),
    );
    assert_eq!(
        r["reorderExhibits"],
        json!([{ "id": ids[2], "exhibitNumber": 1 }, { "id": ids[0], "exhibitNumber": 2 }, { "id": ids[1], "exhibitNumber": 3 }])
    );
    const WITHDRAW: &str = "mutation($id: ID!, $r: String!) { withdrawPiece(id: $id, reason: $r) { exhibitNumber withdrawnAt withdrawalReason } }";
    let w = app.ok(
        Some(&agent.token),
        WITHDRAW,
        json!({ "id": ids[0], "r": "Doublon d'une autre pièce" }),
    );
    assert_eq!(w["withdrawPiece"]["exhibitNumber"], Value::Null);
    assert_eq!(
        w["withdrawPiece"]["withdrawalReason"],
        "Doublon d'une autre pièce"
    );
    let again = app.gql(
        Some(&agent.token),
        WITHDRAW,
        json!({ "id": ids[0], "r": "encore" }),
    );
    assert_eq!(code(&again), "INVALID_TRANSITION");
    let list = pieces(app, &agent.token, &c.id);
    let numbers: Vec<(Value, Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].clone(), p["exhibitNumber"].clone()))
        .collect();
    assert_eq!(
        numbers,
        vec![
            (json!(ids[2]), json!(1)),
            (json!(ids[1]), json!(2)),
            (json!(ids[0]), Value::Null)
        ]
    );
    // Still downloadable: withdrawn is not deleted.
    assert!(download(app, &agent.token, &format!("/api/evidence/{}", ids[0])).is_ok());
}

#[test]
fn a_creditor_cannot_reach_another_creditors_archive() {
    let c = case_with(TestApp::spawn());
    let app = &c.app;
    let (_, piece) = upload(
        app,
        &c.creditor.user.token,
        &c.id,
        &form(&pdf("x"), "x.pdf", "CONTRACT", ""),
    );
    let other = app.creditor("Bâtiment Berthier", "871866729", "compta@berthier.test");
    let (status, body) = upload(
        app,
        &other.user.token,
        &c.id,
        &form(&pdf("y"), "y.pdf", "CONTRACT", ""),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("NOT_FOUND")),
        "{body}"
    );
    let err = download(app, &other.user.token, piece["url"].as_str().unwrap()).unwrap_err();
    assert_eq!((err.0, err.1["code"].as_str()), (404, Some("NOT_FOUND")));
    // Same answer as a piece that does not exist.
    let missing = download(app, &other.user.token, "/api/evidence/999999").unwrap_err();
    assert_eq!(missing.1, err.1);
    let anonymous = ureq::get(&format!("{}{}", app.base, piece["url"].as_str().unwrap())).call();
    assert!(matches!(anonymous, Err(ureq::Error::Status(401, _))));
}

#[test]
fn altered_bytes_are_never_served_and_fsck_reports_them() {
    let c = case_with(TestApp::spawn());
    let (app, token) = (&c.app, c.creditor.user.token.as_str());
    let bytes = pdf("contrat signé");
    let (_, piece) = upload(
        app,
        token,
        &c.id,
        &form(&bytes, "contrat.pdf", "CONTRACT", ""),
    );
    let (ok, text) = app.command(&["fsck"]);
    assert!(ok, "{text}");
    assert!(text.contains("archive intact"), "{text}");

    let sha = piece["sha256"].as_str().unwrap();
    let mut flipped = bytes.clone();
    flipped[20] ^= 0x01;
    app.tamper_blob(sha, &flipped);
    let err = download(app, token, piece["url"].as_str().unwrap()).unwrap_err();
    assert_eq!(
        (err.0, err.1["code"].as_str()),
        (500, Some("INTEGRITY")),
        "{:?}",
        err.1
    );
    assert!(
        !err.1["message"].as_str().unwrap().contains('/'),
        "no path in {:?}",
        err.1
    );

    let (ok, text) = app.command(&["fsck"]);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("corrupted blob (bytes no longer match): {sha}")),
        "{text}"
    );
    // Repair: the piece is withdrawn with the reason, never deleted; then the archive is clean.
    let (ok, text) = app.command(&["fsck", "--repair", "--grace", "0"]);
    assert!(ok, "{text}");
    assert!(text.contains("1 piece(s) withdrawn"), "{text}");
    let list = pieces(app, token, &c.id);
    assert_eq!(list[0]["exhibitNumber"], Value::Null);
    assert!(
        list[0]["withdrawalReason"]
            .as_str()
            .unwrap()
            .starts_with("fsck:"),
        "{list}"
    );
    let (ok, text) = app.command(&["fsck"]);
    assert!(ok, "{text}");
}

/// A real server process killed with SIGKILL in the middle of an upload: after a restart
/// there is no row, no visible piece, and `fsck` finds the archive intact.
#[test]
fn a_server_killed_mid_upload_leaves_nothing_half_stored() {
    use std::io::{BufRead, Write};
    let c = case_with(TestApp::spawn());
    let app = &c.app;
    let start = || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_recouvra"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RECOUVRA_SCHEDULER_INTERVAL", "0")
            .envs(app.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start recouvra serve");
        // Log lines come first; the URL is on the "listening" line.
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let url = loop {
            let mut line = String::new();
            assert!(out.read_line(&mut line).unwrap() > 0, "the server stopped");
            if let Some(u) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                break u.to_string();
            }
        };
        (child, url)
    };
    let (mut child, url) = start();
    let token = c.creditor.user.token.clone();
    let port = url.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let mut sock = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body_len = 5 * 1024 * 1024;
    write!(
        sock,
        "POST /api/cases/{}/evidence HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        c.id,
        content_type(),
        body_len
    )
    .unwrap();
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nOTHER\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"coupe.txt\"\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).unwrap();
    sock.write_all(&vec![b'A'; 2 * 1024 * 1024]).unwrap();
    sock.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(sock);

    let (mut child, _url) = start();
    assert_eq!(pieces(app, &token, &c.id).as_array().unwrap().len(), 0);
    let (ok, text) = app.command(&["fsck"]);
    assert!(ok, "{text}");
    child.kill().unwrap();
    child.wait().unwrap();
}
