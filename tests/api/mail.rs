//! `jobs::mail` against a real (local) SMTP server and in files mode.

use std::path::Path;
use std::time::{Duration, Instant};

use recouvra::jobs::mail::{Attachment, Delivery, Mailer, OutgoingMessage};

use crate::helpers::{token, TestApp};
use crate::recovery::{case, run_due, world_in};
use crate::smtp_sink::{attachments, decode_header, header, text_body, SmtpSink};

/// Not a real PDF, but starts like one and has non-ASCII bytes and bare LFs.
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const SUBJECT: &str = "Mise en demeure — dossier n° 2024-017, échéance dépassée";
/// Has lines starting with a dot, to exercise SMTP dot-stuffing.
const BODY: &str = "Madame, Monsieur,\n\nSauf règlement sous huit jours, nous saisirons le \
                    tribunal judiciaire.\n.\n.Ligne commençant par un point.\n\nÉtude Durand\n";
const WAIT: Duration = Duration::from_secs(5);

fn message(id: &str) -> OutgoingMessage {
    OutgoingMessage {
        message_id: id.to_owned(),
        from: "Étude Durand <relances@recouvra.example>".to_owned(),
        to: "jean.dupont@example.com".to_owned(),
        subject: SUBJECT.to_owned(),
        body: BODY.to_owned(),
        attachments: vec![Attachment {
            filename: "mise-en-demeure.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: PDF.to_vec(),
        }],
    }
}

/// Checks headers, body and attachment of a message built from `message(id)`.
fn assert_is_message(data: &str, id: &str) {
    let subject = header(data, "Subject").expect("Subject header");
    assert!(
        subject.is_ascii(),
        "subject must be RFC 2047-encoded: {subject}"
    );
    assert_eq!(decode_header(&subject), SUBJECT);
    assert_eq!(
        decode_header(&header(data, "From").expect("From header")),
        "Étude Durand <relances@recouvra.example>"
    );
    assert_eq!(
        header(data, "To").as_deref(),
        Some("jean.dupont@example.com")
    );
    assert_eq!(header(data, "Message-ID"), Some(format!("<{id}>")));
    assert!(header(data, "Date").is_some(), "{data}");
    assert!(header(data, "Content-Type")
        .unwrap()
        .starts_with("multipart/mixed"));
    assert_eq!(text_body(data), BODY.replace('\n', "\r\n"));
    assert_eq!(
        attachments(data),
        vec![(
            "mise-en-demeure.pdf".to_owned(),
            "application/pdf".to_owned(),
            PDF.to_vec()
        )]
    );
}

fn smtp_mailer(url: &str) -> Mailer {
    let mailer = Mailer::from_config(Some(url), Path::new("/nonexistent")).unwrap();
    assert!(matches!(mailer, Mailer::Smtp(_)), "{mailer:?}");
    mailer
}

/// A port on which nothing listens (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn smtp_delivers_the_message_with_its_pdf() {
    let sink = SmtpSink::start();
    let mailer = smtp_mailer(&sink.url());
    assert!(
        mailer.describe().starts_with("SMTP 127.0.0.1:"),
        "{}",
        mailer.describe()
    );

    let sent = mailer.send(&message("outbox-42@recouvra.local")).unwrap();
    assert_eq!(sent, Delivery::Sent);

    let mails = sink.wait_for(1, WAIT);
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.from, "relances@recouvra.example");
    assert_eq!(mail.to, ["jean.dupont@example.com"]);
    assert_is_message(&mail.data, "outbox-42@recouvra.local");
}

#[test]
fn smtp_retry_sends_the_same_message_id_again() {
    let sink = SmtpSink::start();
    let mailer = smtp_mailer(&sink.url());
    let msg = message("outbox-7@recouvra.local");
    assert_eq!(mailer.send(&msg).unwrap(), Delivery::Sent);
    assert_eq!(mailer.send(&msg).unwrap(), Delivery::Sent);
    let mails = sink.wait_for(2, WAIT);
    assert_eq!(mails.len(), 2);
    for mail in &mails {
        assert_eq!(
            header(&mail.data, "Message-ID").as_deref(),
            Some("<outbox-7@recouvra.local>")
        );
    }
}

#[test]
fn smtp_451_is_transient() {
    let sink = SmtpSink::rejecting_recipients(451);
    let e = smtp_mailer(&sink.url())
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(!e.permanent, "{e}");
    assert!(e.message.contains("451"), "{e}");
    assert!(e.message.contains("outbox-1@recouvra.local"), "{e}");
    assert!(sink.messages().is_empty());
}

#[test]
fn smtp_550_is_permanent() {
    let sink = SmtpSink::rejecting_recipients(550);
    let e = smtp_mailer(&sink.url())
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(e.permanent, "{e}");
    assert!(e.message.contains("550"), "{e}");
    assert!(sink.messages().is_empty());
}

#[test]
fn connection_refused_is_transient_and_hides_the_password() {
    let port = closed_port();
    let mailer = smtp_mailer(&format!("smtp://agent:s3cr3t-pw@127.0.0.1:{port}"));
    let started = Instant::now();
    let e = mailer
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(started.elapsed() < WAIT, "took {:?}", started.elapsed());
    assert!(!e.permanent, "{e}");
    assert!(e.message.contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(!e.message.contains("s3cr3t"), "{e}");
    assert!(
        !mailer.describe().contains("s3cr3t"),
        "{}",
        mailer.describe()
    );
}

#[test]
fn credentials_against_a_server_without_auth_fail_without_leaking_the_password() {
    let sink = SmtpSink::start();
    let url = sink.url().replace("smtp://", "smtp://agent:s3cr3t-pw@");
    let e = smtp_mailer(&url)
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(!e.permanent, "{e}");
    assert!(!e.message.contains("s3cr3t"), "{e}");
    assert!(sink.messages().is_empty());
}

#[test]
fn refused_login_is_transient_and_does_not_leak_the_password() {
    // A 535 comes from our configuration (e.g. a rotated password), not from the message.
    let sink = SmtpSink::refusing_logins();
    let url = sink.url().replace("smtp://", "smtp://agent:s3cr3t-pw@");
    let e = smtp_mailer(&url)
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(!e.permanent, "{e}");
    assert!(e.message.contains("535"), "{e}");
    assert!(!e.message.contains("s3cr3t"), "{e}");
    assert!(sink.messages().is_empty());
}

#[test]
fn invalid_recipient_is_permanent_and_nothing_is_sent() {
    let sink = SmtpSink::start();
    let mut msg = message("outbox-1@recouvra.local");
    msg.to = "jean.dupont.example.com".to_owned();
    let e = smtp_mailer(&sink.url()).send(&msg).unwrap_err();
    assert!(e.permanent, "{e}");
    assert!(e.message.starts_with("invalid recipient address"), "{e}");
    assert!(sink.wait_for(1, Duration::from_millis(200)).is_empty());
}

fn outbox_entries(outbox: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(outbox)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn files_mode_writes_one_eml_once() {
    let data_dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(None, data_dir.path()).unwrap();
    let outbox = data_dir.path().join("outbox");
    assert_eq!(mailer.describe(), format!("files in {}", outbox.display()));
    assert!(!outbox.exists(), "created on first send");

    let msg = message("outbox-42@recouvra.local");
    assert_eq!(mailer.send(&msg).unwrap(), Delivery::Sent);
    assert_eq!(outbox_entries(&outbox), ["outbox-42@recouvra.local.eml"]);
    let path = outbox.join("outbox-42@recouvra.local.eml");
    let first = std::fs::read(&path).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("\r\n"), "RFC 5322 line ends");
    assert_is_message(&text, "outbox-42@recouvra.local");

    // A retry (even with other content) is a no-op.
    let mut retry = msg.clone();
    retry.body = "autre texte".to_owned();
    assert_eq!(mailer.send(&retry).unwrap(), Delivery::AlreadyWritten);
    assert_eq!(std::fs::read(&path).unwrap(), first);

    // Another id is another file; no temporary file is left behind.
    let other = message("outbox-43@recouvra.local");
    assert_eq!(mailer.send(&other).unwrap(), Delivery::Sent);
    assert_eq!(
        outbox_entries(&outbox),
        [
            "outbox-42@recouvra.local.eml",
            "outbox-43@recouvra.local.eml"
        ]
    );
}

#[test]
fn files_mode_rejects_bad_messages_without_writing() {
    let data_dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(None, data_dir.path()).unwrap();
    let mut msg = message("outbox-1@recouvra.local");
    msg.to = "pas une adresse".to_owned();
    let e = mailer.send(&msg).unwrap_err();
    assert!(e.permanent, "{e}");
    assert!(e.message.starts_with("invalid recipient address"), "{e}");

    let e = mailer.send(&message("../../etc/passwd")).unwrap_err();
    assert!(e.permanent, "{e}");
    let outbox = data_dir.path().join("outbox");
    assert!(!outbox.exists() || outbox_entries(&outbox).is_empty());
}

#[test]
fn files_mode_disk_trouble_is_transient() {
    let data_dir = tempfile::tempdir().unwrap();
    // `outbox` is a file, so the directory cannot be created.
    std::fs::write(data_dir.path().join("outbox"), b"").unwrap();
    let mailer = Mailer::from_config(None, data_dir.path()).unwrap();
    let e = mailer
        .send(&message("outbox-1@recouvra.local"))
        .unwrap_err();
    assert!(!e.permanent, "{e}");
}

#[test]
fn the_scheduler_mails_the_first_letter_through_smtp_with_its_pdf() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let w = world_in(
        TestApp::spawn_with(|c| c.smtp_url = Some(url)),
        "2026-03-16",
    );
    let app = &w.app;
    let s = run_due(app);
    assert_eq!(s["emailsSent"], 1, "{s}");
    let mails = sink.wait_for(1, WAIT);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.from, "relances@recouvra.test");
    assert_eq!(mail.to, ["compta@boulangerie-martin.fr"]);
    let subject = decode_header(&header(&mail.data, "Subject").unwrap());
    let c = case(app, &token(app, "agent@agency.test"), &w.case_id);
    let message = &c["messages"][0];
    assert_eq!(message["subject"].as_str(), Some(subject.as_str()));
    assert_eq!(message["status"], "sent");
    // The attachment is the stored first letter, byte for byte.
    let document = &c["documents"][0];
    assert_eq!(document["kind"], "first_letter");
    let files = attachments(&mail.data);
    assert_eq!(files.len(), 1, "{files:?}");
    let (name, content_type, bytes) = &files[0];
    assert_eq!(
        name,
        &format!("{}.pdf", document["reference"].as_str().unwrap())
    );
    assert_eq!(content_type, "application/pdf");
    assert_eq!(
        recouvra::blobs::sha256_hex(bytes),
        document["sha256"].as_str().unwrap()
    );
    // Sent once: a second run finds nothing to send.
    let again = run_due(app);
    assert_eq!(again["emailsSent"], 0, "{again}");
    assert_eq!(sink.messages().len(), 1);
}

/// A process killed after handing a message to the SMTP server but before recording it leaves
/// a claim behind: later runs never resend it on their own (it turns `uncertain`, with a task
/// for an agent), and a fresh claim (another instance sending right now) is left alone.
#[test]
fn an_interrupted_send_is_never_repeated_without_an_agent() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let w = world_in(
        TestApp::spawn_with(|c| c.smtp_url = Some(url)),
        "2026-03-16",
    );
    let app = &w.app;
    assert_eq!(run_due(app)["emailsSent"], 1);
    assert_eq!(sink.wait_for(1, WAIT).len(), 1);
    let agent = token(app, "agent@agency.test");
    let id = case(app, &agent, &w.case_id)["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let claim = |minutes_ago: i64| {
        let at = app.clock.now() - chrono::Duration::minutes(minutes_ago);
        app.exec(&format!(
            "UPDATE outbox SET status = 'sending', sent_at = NULL, claimed_by = 'killed-worker', \
             claimed_at = '{}' WHERE id = {id}",
            at.format("%Y-%m-%d %H:%M:%S")
        ));
    };

    // Claimed a minute ago: someone is sending it; nothing is done. On PostgreSQL a worker is
    // known alive by its presence lock: the test holds it for the worker while it "sends".
    let presence = app.db_url.starts_with("postgres").then(|| {
        use diesel::Connection;
        let mut c = diesel::PgConnection::establish(&app.db_url).unwrap();
        recouvra::jobs::presence::announce(&mut c, "killed-worker").unwrap();
        c
    });
    claim(1);
    let s = run_due(app);
    assert_eq!(
        (s["emailsSent"].as_i64(), s["emailsUncertain"].as_i64()),
        (Some(0), Some(0)),
        "{s}"
    );
    assert_eq!(
        case(app, &agent, &w.case_id)["messages"][0]["status"],
        "sending"
    );

    // Claimed eleven minutes ago and never recorded: the sender died. Uncertain, not resent.
    drop(presence);
    claim(11);
    let s = run_due(app);
    assert_eq!(
        (s["emailsSent"].as_i64(), s["emailsUncertain"].as_i64()),
        (Some(0), Some(1)),
        "{s}"
    );
    let c = case(app, &agent, &w.case_id);
    assert_eq!(c["messages"][0]["status"], "uncertain");
    assert!(
        c["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "message_failed" && t["status"] == "open"),
        "{c}"
    );
    assert_eq!(run_due(app)["emailsSent"], 0);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(sink.messages().len(), 1, "never resent on its own");

    // The agent checked with the debtor and asks for it again: sent once more, once.
    app.ok(
        Some(&agent),
        "mutation($id: ID!) { decideMessage(id: $id, decision: RETRY) { status } }",
        serde_json::json!({ "id": id }),
    );
    assert_eq!(run_due(app)["emailsSent"], 1);
    assert_eq!(sink.wait_for(2, WAIT).len(), 2);
    assert_eq!(run_due(app)["emailsSent"], 0);
}
