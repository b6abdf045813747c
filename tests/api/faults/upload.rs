//! SIGKILL in the middle of an evidence upload.

use std::io::Write;
use std::time::Duration;

use super::*;
use crate::evidence::{form, pdf};

const BOUNDARY: &str = "recouvra-test-boundary-7MA4YWxkTrZu0gW";

/// The files in the spool directory (upload temp files).
fn spool_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(app.data_dir.join("spool"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_server_killed_mid_upload_leaves_no_row_no_blob_and_a_spool_file_fsck_ignores() {
    let app = TestApp::spawn();
    let creditor = app.creditor("ACME Fournitures", "856624390", "compta@acme.test");
    let case = app.open_case(&creditor.user.token, case_input(None));
    let server = Server::start(&app, &[]);
    let token = server.login("compta@acme.test");

    // A 3 MiB PDF announced whole, of which the headers, the fields and 1 MiB are sent.
    let mut file = b"%PDF-1.4\n%".to_vec();
    file.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    file.extend_from_slice(b"\n%%EOF\n");
    let body = form(&file, "contrat.pdf", "CONTRACT", "Contrat cadre");
    let mut sock = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        sock,
        "POST /api/cases/{case}/evidence HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    sock.write_all(&body[..1024 * 1024]).unwrap();
    sock.flush().unwrap();
    // The kill lands while the bytes are being spooled: the spool file exists and grows.
    wait_until(10, "the upload to reach the spool", || {
        spool_files(&app)
            .iter()
            .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
    });
    server.kill9();
    drop(sock);

    // Restarted: no row, no blob, no exhibit number taken; the spool file left behind is not
    // a blob and fsck does not count it.
    let leftovers = spool_files(&app);
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    let server = Server::start(&app, &[]);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM pieces"), 0);
    let (blobs, rows, _) = fsck_clean(&app);
    assert_eq!((blobs, rows), (0, 0));
    audit_intact(&app);

    // The same upload, complete this time: stored once, exhibit 1.
    let token = server.login("compta@acme.test");
    let resp = ureq::post(&format!("{}/api/cases/{case}/evidence", server.base))
        .set("Authorization", &format!("Bearer {token}"))
        .set(
            "Content-Type",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .send_bytes(&body)
        .unwrap();
    assert_eq!(resp.status(), 201);
    let piece: serde_json::Value = resp.into_json().unwrap();
    assert_eq!(piece["exhibitNumber"], 1, "{piece}");
    assert_eq!(piece["sizeBytes"], file.len() as i64);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM pieces"), 1);
    let (blobs, rows, _) = fsck_clean(&app);
    assert_eq!((blobs, rows), (1, 1));
    audit_intact(&app);
    server.kill9();

    // A spool file older than an hour is swept when a server starts; a fresh one (an upload
    // of another instance in progress) is kept. Age the leftover by two hours.
    let stale = &leftovers[0];
    let aged = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(stale)
        .unwrap()
        .set_modified(aged)
        .unwrap();
    let fresh = app.data_dir.join("spool").join("other-instance.part");
    std::fs::write(&fresh, pdf("en cours")).unwrap();
    let _server = Server::start(&app, &[]);
    assert!(!stale.exists(), "the stale spool file was swept");
    assert!(fresh.exists(), "a fresh spool file is kept");
}
