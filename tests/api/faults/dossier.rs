//! SIGKILL while an injunction dossier is being built for a download.

use std::io::Write;
use std::time::{Duration, Instant};

use sha2::Digest as _;

use super::*;
use crate::evidence::{form, upload};
use crate::legal::legal_case;

fn get(server: &Server, token: &str, url: &str) -> (u16, Vec<u8>, Option<String>) {
    let resp = ureq::get(&format!("{}{url}", server.base))
        .timeout(Duration::from_secs(60))
        .set("Authorization", &format!("Bearer {token}"))
        .call();
    let r = match resp {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let sha = r.header("X-Content-SHA256").map(str::to_string);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    (status, bytes, sha)
}

#[test]
fn a_server_killed_while_building_a_dossier_leaves_it_whole_or_absent() {
    let l = legal_case();
    l.refer();
    l.confirm_court();
    let app = l.app();
    // A long exhibit (1 500 pages merged into the dossier), so the build lasts long enough for
    // the kill to land in it.
    let long = crate::legal::pdf_of_pages("Grand livre 2025", 1500);
    let creditor = token(app, "compta@lemaire.test");
    let (status, body) = upload(
        app,
        &creditor,
        &l.id,
        &form(&long, "grand-livre.pdf", "STATEMENT", "Grand livre 2025"),
    );
    assert_eq!(status, 201, "{body}");
    let dossiers = |kind: &str| {
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM documents WHERE kind = '{kind}'"),
        )
    };
    let downloads = || {
        count(
            app,
            "SELECT COUNT(*) AS n FROM case_events WHERE kind = 'dossier_downloaded'",
        )
    };
    let (blobs_before, _, _) = fsck_clean(app);
    // The server's clock on the test's day: the formal notice expired, the dossier is open.
    let server = Server::start(app, &[("RECOUVRA_TEST_TODAY", "2026-03-16")]);
    let lawyer = server.login("avocat@cabinet.test");

    // One ZIP first, timed: the PDF's build is most of it, so killing the PDF's request a
    // quarter of that time after it is sent lands in the middle of the build.
    let started = Instant::now();
    let (status, zip, _) = get(
        &server,
        &lawyer,
        &format!("/api/cases/{}/dossier.zip", l.id),
    );
    assert_eq!(status, 200);
    assert!(zip.starts_with(b"PK"));
    let zip_time = started.elapsed();
    assert_eq!((dossiers("dossier_zip"), downloads()), (1, 1));

    let mut sock = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        sock,
        "GET /api/cases/{}/dossier.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {lawyer}\r\n\r\n",
        l.id
    )
    .unwrap();
    sock.flush().unwrap();
    std::thread::sleep(zip_time / 4);
    server.kill9();
    drop(sock);

    // Whole or absent: a PDF document row goes with its download event (same transaction)
    // and its blob (stored before the row).
    let pdf_rows = dossiers("dossier_pdf");
    eprintln!(
        "killed {:?} into a build of about {zip_time:?} ({} KiB ZIP): {pdf_rows} PDF document(s) recorded",
        zip_time / 4,
        zip.len() / 1024
    );
    assert!(pdf_rows <= 1);
    assert_eq!(downloads(), 1 + pdf_rows);
    let (ok, out) = app.command(&["fsck"]);
    assert!(
        !out.contains("missing blob") && !out.contains("corrupted"),
        "{out}"
    );
    if !ok {
        // Killed between storing the blob and committing its row: the one orphan is the PDF's
        // bytes, which the next download of the same dossier references again.
        let orphans: Vec<&str> = out.lines().filter(|l| l.starts_with("orphan")).collect();
        assert_eq!((orphans.len(), pdf_rows), (1, 0), "{out}");
    }
    audit_intact(app);

    // Restarted, the same download completes: same dossier, one document, the archive clean.
    let server = Server::start(app, &[("RECOUVRA_TEST_TODAY", "2026-03-16")]);
    let lawyer = server.login("avocat@cabinet.test");
    let (status, pdf, sha) = get(
        &server,
        &lawyer,
        &format!("/api/cases/{}/dossier.pdf", l.id),
    );
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        sha.as_deref(),
        Some(hex::encode(sha2::Sha256::digest(&pdf)).as_str())
    );
    assert_eq!(dossiers("dossier_pdf"), 1);
    assert_eq!(downloads(), 2 + pdf_rows);
    let (blobs, _, _) = fsck_clean(app);
    assert_eq!(blobs, blobs_before + 2, "the ZIP and the PDF, once each");
    audit_intact(app);
}
