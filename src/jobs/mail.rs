//! Outgoing e-mail: builds RFC 5322 messages (plain-text French body + PDF attachments) and
//! delivers them to an SMTP relay, or — when no relay is configured — writes them as `.eml`
//! files into `<data_dir>/outbox` (useful for demos, tests and air-gapped installs).
//!
//! The scheduler is a plain blocking thread, so this uses lettre's synchronous
//! [`SmtpTransport`] (no async runtime), one connection per message (no pool).
//!
//! Retry policy (owned by the caller, using the `permanent` flag of [`MailError`], [`backoff`]
//! and [`MAX_ATTEMPTS`]): a permanent error (5xx reply, invalid address, unbuildable message) marks
//! the message failed at once; a transient one (4xx, connection refused, timeout, TLS or
//! authentication trouble) is retried after `backoff(attempts)`, until `MAX_ATTEMPTS` failures.
//!
//! Secrets: the SMTP password is never part of [`Mailer::describe`], `Debug` output or any
//! [`MailError`] message.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration as StdDuration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment as MimeAttachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::response::Code;
use lettre::{Message, SmtpTransport, Transport};

/// Network timeout for connecting to the relay and for each SMTP command.
pub const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(20);

/// After this many failed attempts a message is marked failed (and shown to agents). With
/// [`backoff`] the last attempt happens about 13 h 20 min after the first one, which rides out
/// an overnight relay outage.
pub const MAX_ATTEMPTS: u32 = 8;

/// Retry delays in minutes after the 1st, 2nd, … failure; the last one is the cap.
const BACKOFF_MINUTES: [i64; 5] = [1, 5, 15, 60, 240];

/// Longest accepted `message_id` (it also becomes a file name).
const MAX_MESSAGE_ID_LEN: usize = 200;

/// Delay before the next attempt after `attempts` failed attempts:
/// 1 → 1 min, 2 → 5 min, 3 → 15 min, 4 → 1 h, 5 and more → 4 h (the cap).
/// `0` is treated like `1`.
pub fn backoff(attempts: u32) -> chrono::Duration {
    let index = usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX);
    let cap = BACKOFF_MINUTES[BACKOFF_MINUTES.len() - 1];
    chrono::Duration::minutes(BACKOFF_MINUTES.get(index).copied().unwrap_or(cap))
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Stable id, the same on every retry, e.g. `outbox-42@recouvra.local` (RFC 5322 `id-left@
    /// id-right`, without angle brackets). Sent as the `Message-ID` header; names the `.eml` file.
    pub message_id: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// Plain text, UTF-8.
    pub body: String,
    pub attachments: Vec<Attachment>,
}

/// What [`Mailer::send`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Accepted by the relay, or written to the outbox directory.
    Sent,
    /// Files mode: the `.eml` for this `message_id` already existed; nothing was rewritten.
    AlreadyWritten,
}

/// A failed delivery (or a bad configuration).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MailError {
    /// `true`: retrying cannot help (5xx reply, invalid address, unbuildable message).
    /// `false`: retry later (4xx reply, network, timeout, TLS, authentication, disk).
    pub permanent: bool,
    pub message: String,
}

impl MailError {
    fn permanent(message: impl Into<String>) -> Self {
        MailError {
            permanent: true,
            message: message.into(),
        }
    }

    fn transient(message: impl Into<String>) -> Self {
        MailError {
            permanent: false,
            message: message.into(),
        }
    }
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum Mailer {
    /// An SMTP relay (`RECOUVRA_SMTP_URL`).
    Smtp(Box<SmtpMailer>),
    /// `.eml` files in this directory (`<data_dir>/outbox`).
    Files(PathBuf),
}

impl Mailer {
    /// `smtp_url` (from `RECOUVRA_SMTP_URL`) set and non-blank → SMTP, configured by lettre's
    /// `SmtpTransport::from_url`:
    /// - `smtps://user:pass@host[:465]` — implicit TLS (recommended);
    /// - `smtp://user:pass@host[:587]?tls=required` — STARTTLS, refused if not offered;
    /// - `smtp://host[:587]?tls=opportunistic` — STARTTLS if offered (not for production);
    /// - `smtp://host[:25]` — no TLS at all (local relays, tests).
    ///
    /// User and password must be percent-encoded; a path (`smtp://host/name`) sets the EHLO name
    /// (default `[127.0.0.1]`). Otherwise → `Files(data_dir/outbox)`; the directory is created on
    /// the first send.
    pub fn from_config(smtp_url: Option<&str>, data_dir: &Path) -> Result<Mailer, MailError> {
        match smtp_url.map(str::trim).filter(|url| !url.is_empty()) {
            Some(url) => SmtpMailer::from_url(url).map(|smtp| Mailer::Smtp(Box::new(smtp))),
            None => Ok(Mailer::Files(data_dir.join("outbox"))),
        }
    }

    /// Delivers one message. Blocking; over SMTP the connect and each read or write are bounded
    /// by [`SMTP_TIMEOUT`].
    pub fn send(&self, msg: &OutgoingMessage) -> Result<Delivery, MailError> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(msg),
            Mailer::Files(outbox) => write_eml(outbox, msg),
        }
    }

    /// For logs: `SMTP host:port (TLS, user "…")` or `files in /…/outbox`. Never the password.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(smtp) => smtp.describe(),
            Mailer::Files(outbox) => format!("files in {}", outbox.display()),
        }
    }
}

/// An SMTP relay. Its `Debug` output is [`Mailer::describe`]'s, without the password.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: SmtpTransport,
    /// `host:port`.
    endpoint: String,
    security: &'static str,
    user: Option<String>,
    /// The password as written in the URL and percent-decoded: scrubbed from error messages.
    secrets: Vec<String>,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl SmtpMailer {
    fn from_url(raw: &str) -> Result<SmtpMailer, MailError> {
        // The url crate's errors never echo the input, so they cannot leak the password.
        let url = url::Url::parse(raw)
            .map_err(|e| MailError::permanent(format!("invalid RECOUVRA_SMTP_URL: {e}")))?;
        let mut secrets = Vec::new();
        if let Some(password) = url.password().filter(|p| !p.is_empty()) {
            secrets.push(password.to_owned());
            // lettre percent-decodes the password the same way.
            if let Ok(decoded) = percent_encoding::percent_decode_str(password).decode_utf8() {
                if !decoded.is_empty() && decoded != password {
                    secrets.push(decoded.into_owned());
                }
            }
        }
        let scrub = |message: String| scrub(message, &secrets);

        let host = url
            .host_str()
            .ok_or_else(|| MailError::permanent("invalid RECOUVRA_SMTP_URL: no host"))?
            .to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        // Same table as lettre's `from_url` (which does the real configuration below).
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtps", _) => ("TLS", 465),
            ("smtp", Some("required")) => ("STARTTLS required", 587),
            ("smtp", Some("opportunistic")) => ("STARTTLS opportunistic", 587),
            ("smtp", None) => ("no TLS", 25),
            (scheme, tls) => {
                return Err(MailError::permanent(scrub(format!(
                    "invalid RECOUVRA_SMTP_URL: unsupported scheme {scheme:?} or tls={tls:?} \
                     (use smtps://, smtp://…?tls=required, smtp://…?tls=opportunistic or smtp://)"
                ))))
            }
        };
        let port = url.port().unwrap_or(default_port);
        let user = Some(url.username())
            .filter(|u| !u.is_empty())
            .map(str::to_owned);

        let transport = SmtpTransport::from_url(raw)
            .map_err(|e| MailError::permanent(scrub(format!("invalid RECOUVRA_SMTP_URL: {e}"))))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(SmtpMailer {
            transport,
            endpoint: format!("{host}:{port}"),
            security,
            user,
            secrets,
        })
    }

    fn describe(&self) -> String {
        match &self.user {
            Some(user) => format!("SMTP {} ({}, user {user:?})", self.endpoint, self.security),
            None => format!("SMTP {} ({})", self.endpoint, self.security),
        }
    }

    fn send(&self, msg: &OutgoingMessage) -> Result<Delivery, MailError> {
        let message = build_message(msg)?;
        match self.transport.send(&message) {
            Ok(_) => Ok(Delivery::Sent),
            Err(e) => Err(MailError {
                permanent: smtp_error_is_permanent(&e),
                message: scrub(
                    format!(
                        "SMTP delivery of {} via {} failed: {e}",
                        msg.message_id, self.endpoint
                    ),
                    &self.secrets,
                ),
            }),
        }
    }
}

/// 5xx replies are permanent, except authentication failures: those come from our own
/// configuration (e.g. a rotated password), not from the message, so they are retried.
/// Everything else (4xx, connection, timeout, TLS, unexpected replies) is transient.
fn smtp_error_is_permanent(e: &lettre::transport::smtp::Error) -> bool {
    match e.status() {
        Some(code) if e.is_permanent() => !is_authentication_code(code),
        _ => false,
    }
}

fn is_authentication_code(code: Code) -> bool {
    matches!(code.to_string().as_str(), "530" | "534" | "535" | "538")
}

fn scrub(mut message: String, secrets: &[String]) -> String {
    for secret in secrets {
        if message.contains(secret.as_str()) {
            message = message.replace(secret.as_str(), "***");
        }
    }
    message
}

/// Builds the RFC 5322 message: UTF-8 subject, `Message-ID: <message_id>`, a plain-text part
/// and, if there are attachments, `multipart/mixed` with each attachment base64-encoded.
fn build_message(msg: &OutgoingMessage) -> Result<Message, MailError> {
    validate_message_id(&msg.message_id)?;
    let from: Mailbox = msg
        .from
        .parse()
        .map_err(|e| MailError::permanent(format!("invalid sender address {:?}: {e}", msg.from)))?;
    let to: Mailbox = msg.to.parse().map_err(|e| {
        MailError::permanent(format!("invalid recipient address {:?}: {e}", msg.to))
    })?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(single_line(&msg.subject))
        .message_id(Some(format!("<{}>", msg.message_id)));
    let text = SinglePart::plain(msg.body.clone());
    let built = if msg.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for attachment in &msg.attachments {
            let content_type = ContentType::parse(&attachment.content_type).map_err(|e| {
                MailError::permanent(format!(
                    "invalid content type {:?} for attachment {:?}: {e}",
                    attachment.content_type, attachment.filename
                ))
            })?;
            // Always base64: lettre would send ASCII-only bytes as 7bit and rewrite their line
            // endings to CRLF, which corrupts a PDF.
            let body =
                Body::new_with_encoding(attachment.bytes.clone(), ContentTransferEncoding::Base64)
                    .map_err(|_| {
                        MailError::permanent(format!(
                            "cannot encode attachment {:?}",
                            attachment.filename
                        ))
                    })?;
            parts = parts.singlepart(
                MimeAttachment::new(attachment.filename.clone()).body(body, content_type),
            );
        }
        builder.multipart(parts)
    };
    built.map_err(|e| MailError::permanent(format!("cannot build message {}: {e}", msg.message_id)))
}

/// Header text on one line: each run of control characters (CR, LF, tab, …) becomes one space.
/// lettre would encode a CRLF safely, but a subject must not contain one at all.
fn single_line(text: &str) -> String {
    text.split(char::is_control)
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `message_id` must be an RFC 5322 `dot-atom-text "@" dot-atom-text`, without angle brackets.
fn validate_message_id(id: &str) -> Result<(), MailError> {
    fn dot_atom_text(s: &str) -> bool {
        !s.is_empty()
            && s.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b))
            })
    }
    let valid = id.len() <= MAX_MESSAGE_ID_LEN
        && matches!(id.split_once('@'), Some((left, right)) if dot_atom_text(left) && dot_atom_text(right));
    if valid {
        Ok(())
    } else {
        Err(MailError::permanent(format!(
            "invalid message_id {id:?} (expected e.g. outbox-42@recouvra.local)"
        )))
    }
}

/// File name stem for a (validated) message id: `[A-Za-z0-9.@_+-]` kept, every other byte
/// written `=XX`. Injective (`=` itself is escaped), never contains `/`, never starts with `.`
/// (a valid id cannot).
fn file_stem(message_id: &str) -> String {
    let mut stem = String::with_capacity(message_id.len());
    for b in message_id.bytes() {
        if b.is_ascii_alphanumeric() || b".@_+-".contains(&b) {
            stem.push(char::from(b));
        } else {
            stem.push_str(&format!("={b:02X}"));
        }
    }
    stem
}

/// Files mode: `<outbox>/<file_stem(message_id)>.eml`, written once. One scheduler thread owns
/// the outbox: the existence check and the rename are not atomic together, so two concurrent
/// writers of the same id would both succeed (the second replacing the first, complete, file).
fn write_eml(outbox: &Path, msg: &OutgoingMessage) -> Result<Delivery, MailError> {
    validate_message_id(&msg.message_id)?;
    let stem = file_stem(&msg.message_id);
    let path = outbox.join(format!("{stem}.eml"));
    let io_error = |what: &str, e: std::io::Error| {
        MailError::transient(format!("cannot {what} {}: {e}", path.display()))
    };
    if path.try_exists().map_err(|e| io_error("check", e))? {
        return Ok(Delivery::AlreadyWritten);
    }
    let message = build_message(msg)?;
    std::fs::create_dir_all(outbox)
        .map_err(|e| MailError::transient(format!("cannot create {}: {e}", outbox.display())))?;
    write_new_file(outbox, &stem, &path, &message.formatted()).map_err(|e| io_error("write", e))?;
    Ok(Delivery::Sent)
}

/// Writes `bytes` to `.<stem>.<pid>.<n>.tmp` in `dir`, fsyncs it, renames it to `path` and
/// fsyncs the directory, so a crash leaves either no `.eml` or the complete one. The temporary
/// file is removed on failure.
fn write_new_file(dir: &Path, stem: &str, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{stem}.{}.{n}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> OutgoingMessage {
        OutgoingMessage {
            message_id: "outbox-42@recouvra.local".into(),
            from: "Étude Durand <relances@recouvra.example>".into(),
            to: "jean.dupont@example.com".into(),
            subject: "Mise en demeure de payer".into(),
            body: "Madame, Monsieur,\nVeuillez régler la somme due.\n".into(),
            attachments: vec![Attachment {
                filename: "mise-en-demeure.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.7\nline\n".to_vec(),
            }],
        }
    }

    fn formatted(msg: &OutgoingMessage) -> String {
        String::from_utf8(build_message(msg).unwrap().formatted()).unwrap()
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let delays: Vec<i64> = (1..=8).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(delays, [1, 5, 15, 60, 240, 240, 240, 240]);
        assert_eq!(backoff(0), backoff(1));
        assert_eq!(backoff(u32::MAX), chrono::Duration::hours(4));
        let total: i64 = (1..MAX_ATTEMPTS).map(|n| backoff(n).num_minutes()).sum();
        assert!(total > 12 * 60 && total < 24 * 60, "{total} minutes");
    }

    #[test]
    fn describe_and_debug_never_show_the_password() {
        let dir = Path::new("/data");
        for (url, shown, hidden) in [
            (
                "smtp://user:secret@host:25",
                "SMTP host:25 (no TLS, user \"user\")",
                "secret",
            ),
            (
                "smtps://u:s%40cr%C3%A9t@mail.example.com",
                "mail.example.com:465",
                "cr",
            ),
            (
                "smtp://u:hunter2@relay.example.com?tls=required",
                ":587 (STARTTLS required",
                "hunter2",
            ),
            (
                "smtp://relay.example.com?tls=opportunistic",
                "relay.example.com:587",
                "secret",
            ),
            (
                "smtp://127.0.0.1:2525",
                "SMTP 127.0.0.1:2525 (no TLS)",
                "user",
            ),
        ] {
            let mailer = Mailer::from_config(Some(url), dir).unwrap();
            let described = mailer.describe();
            assert!(described.contains(shown), "{described}");
            assert!(!described.contains(hidden), "{described}");
            assert!(!format!("{mailer:?}").contains(hidden), "{mailer:?}");
        }
    }

    #[test]
    fn config_errors_are_permanent_and_hide_the_password() {
        for url in [
            "smtp://user:secret@host:25?tls=bogus",
            "http://user:secret@host",
            "smtp://user:secret@",
            "not a url secret",
        ] {
            let e = Mailer::from_config(Some(url), Path::new("/data")).unwrap_err();
            assert!(e.permanent, "{url}");
            assert!(
                e.message.starts_with("invalid RECOUVRA_SMTP_URL"),
                "{}",
                e.message
            );
            assert!(!e.message.contains("secret"), "{}", e.message);
        }
    }

    #[test]
    fn without_url_messages_go_to_the_outbox_directory() {
        for url in [None, Some(""), Some("  ")] {
            match Mailer::from_config(url, Path::new("/data")).unwrap() {
                Mailer::Files(dir) => assert_eq!(dir, Path::new("/data/outbox")),
                other => panic!("{other:?}"),
            }
        }
        let files = Mailer::Files(PathBuf::from("/data/outbox"));
        assert_eq!(files.describe(), "files in /data/outbox");
    }

    #[test]
    fn scrub_replaces_every_secret() {
        let secrets = vec!["p%40ss".to_owned(), "p@ss".to_owned()];
        assert_eq!(scrub("a p@ss b p%40ss".into(), &secrets), "a *** b ***");
    }

    #[test]
    fn builds_multipart_with_message_id_and_base64_attachment() {
        let text = formatted(&message());
        assert!(
            text.contains("\r\nMessage-ID: <outbox-42@recouvra.local>\r\n"),
            "{text}"
        );
        assert!(text.contains("Content-Type: multipart/mixed;"), "{text}");
        assert!(text.contains("Content-Type: application/pdf\r\n"), "{text}");
        assert!(text.contains("filename=\"mise-en-demeure.pdf\""), "{text}");
        // ASCII-only attachment bytes are still base64 (never 7bit with rewritten line ends).
        assert!(text.contains("JVBERi0xLjcKbGluZQo="), "{text}");
    }

    #[test]
    fn without_attachments_the_message_is_a_single_text_part() {
        let mut msg = message();
        msg.attachments.clear();
        let text = formatted(&msg);
        assert!(!text.contains("multipart"), "{text}");
        assert!(
            text.contains("Content-Type: text/plain; charset=utf-8"),
            "{text}"
        );
    }

    #[test]
    fn invalid_addresses_are_permanent_errors() {
        for to in [
            "pas une adresse",
            "jean@",
            "",
            "a@b.fr, c@d.fr",
            "x@y.fr\r\nBcc: z@w.fr",
        ] {
            let mut msg = message();
            msg.to = to.into();
            let e = build_message(&msg).unwrap_err();
            assert!(e.permanent, "{to:?}");
            assert!(
                e.message.starts_with("invalid recipient address"),
                "{}",
                e.message
            );
        }
        let mut msg = message();
        msg.from = "relances".into();
        let e = build_message(&msg).unwrap_err();
        assert!(e.permanent);
        assert!(
            e.message.starts_with("invalid sender address"),
            "{}",
            e.message
        );
    }

    #[test]
    fn invalid_attachment_content_type_is_permanent() {
        let mut msg = message();
        msg.attachments[0].content_type = "pdf".into();
        let e = build_message(&msg).unwrap_err();
        assert!(e.permanent);
        assert!(e.message.contains("invalid content type"), "{}", e.message);
    }

    #[test]
    fn subject_cannot_inject_headers() {
        let mut msg = message();
        msg.subject = "Relance\r\nBcc: pirate@example.com".into();
        let text = formatted(&msg);
        let headers = text.split("\r\n\r\n").next().unwrap();
        assert!(!headers.contains("\r\nBcc:"), "{headers}");
        assert!(!headers.contains("\nBcc:"), "{headers}");
        assert_eq!(single_line("Relance\r\nBcc: x\t y"), "Relance Bcc: x  y");
        assert_eq!(single_line("Échéance dépassée"), "Échéance dépassée");
    }

    #[test]
    fn message_ids_are_validated() {
        validate_message_id("outbox-42@recouvra.local").unwrap();
        validate_message_id("a.b+c/d=e@x").unwrap();
        let too_long = format!("{}@x", "a".repeat(MAX_MESSAGE_ID_LEN));
        for bad in [
            "",
            "outbox-42",
            "<outbox-42@recouvra.local>",
            "a b@x",
            "..@x",
            ".a@x",
            "a@x.",
            "a@b@c",
            "a@x\r\nBcc: z@w",
            "é@x",
            &too_long,
        ] {
            let e = validate_message_id(bad).unwrap_err();
            assert!(
                e.permanent && e.message.starts_with("invalid message_id"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn file_stems_are_safe_and_distinct() {
        assert_eq!(
            file_stem("outbox-42@recouvra.local"),
            "outbox-42@recouvra.local"
        );
        assert_eq!(file_stem("a/b@c"), "a=2Fb@c");
        assert_ne!(file_stem("a/@x"), file_stem("a=2F@x"));
        assert!(!file_stem("../../x@y").contains('/'));
    }

    #[test]
    fn smtp_classification_treats_only_non_auth_5xx_as_permanent() {
        use lettre::transport::smtp::response::{Category, Detail, Severity};
        let code = |severity, category, detail| Code::new(severity, category, detail);
        assert!(is_authentication_code(code(
            Severity::PermanentNegativeCompletion,
            Category::Unspecified3,
            Detail::Five
        )));
        assert!(!is_authentication_code(code(
            Severity::PermanentNegativeCompletion,
            Category::MailSystem,
            Detail::Zero
        )));
    }
}
