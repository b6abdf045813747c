//! A tiny real SMTP server for tests: 127.0.0.1 on a free port, a thread per connection, enough
//! ESMTP for lettre's plain (no TLS) client. It records what it receives, and can be told to
//! refuse recipients (451 or 550). Plus small MIME helpers to read what arrived.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;

/// One message as the sink received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Envelope sender (`MAIL FROM`).
    pub from: String,
    /// Envelope recipients (`RCPT TO`).
    pub to: Vec<String>,
    /// The message (headers and body) with CRLF line ends, dot-stuffing undone.
    pub data: String,
}

#[derive(Default)]
struct Shared {
    mails: Mutex<Vec<ReceivedMail>>,
    arrived: Condvar,
    stop: AtomicBool,
}

/// How the sink misbehaves.
#[derive(Clone, Copy, Default)]
struct Faults {
    /// Reply to every `RCPT TO` with this code.
    rcpt_error: Option<u16>,
    /// Advertise `AUTH PLAIN LOGIN` and refuse every login with 535.
    refuse_logins: bool,
    /// Wait this long after a message is received before acknowledging it (a slow relay).
    ack_delay: Option<Duration>,
}

/// Stops listening when dropped.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
}

impl SmtpSink {
    /// A sink that accepts everything.
    pub fn start() -> SmtpSink {
        Self::start_inner(Faults::default())
    }

    /// A sink that answers `code` (451: transient, 550: permanent) to every `RCPT TO`.
    pub fn rejecting_recipients(code: u16) -> SmtpSink {
        assert!((400..600).contains(&code), "not an error code: {code}");
        Self::start_inner(Faults {
            rcpt_error: Some(code),
            ..Faults::default()
        })
    }

    /// A sink that offers `AUTH PLAIN LOGIN` and answers 535 (bad credentials) to every login.
    pub fn refusing_logins() -> SmtpSink {
        Self::start_inner(Faults {
            refuse_logins: true,
            ..Faults::default()
        })
    }

    /// A sink that records each message at once but acknowledges it only after `delay`, so a
    /// test can kill the sender while it waits for the answer.
    pub fn slow(delay: Duration) -> SmtpSink {
        Self::start_inner(Faults {
            ack_delay: Some(delay),
            ..Faults::default()
        })
    }

    fn start_inner(faults: Faults) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        let shared = Arc::new(Shared::default());
        let accepting = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accepting.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let session = Arc::clone(&accepting);
                std::thread::spawn(move || {
                    // A broken connection ends the session; the test sees what arrived.
                    let _ = serve(stream, &session, faults);
                });
            }
        });
        SmtpSink { port, shared }
    }

    /// `smtp://127.0.0.1:PORT`: with no `tls` query parameter, lettre's `from_url` uses plain
    /// SMTP (no STARTTLS). (`?tls=none` is not accepted by lettre.)
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.mails.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages arrived or `timeout` passed; returns what arrived.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        let mut mails = self.shared.mails.lock().unwrap();
        while mails.len() < n {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            mails = self
                .shared
                .arrived
                .wait_timeout(mails, deadline - now)
                .unwrap()
                .0;
        }
        mails.clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, shared: &Shared, faults: Faults) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let mut reply = |line: &str| out.write_all(format!("{line}\r\n").as_bytes());
    reply("220 sink.test ESMTP ready")?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    loop {
        let Some(line) = read_line(&mut input)? else {
            return Ok(());
        };
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            reply("250-sink.test greets you")?;
            reply("250-PIPELINING")?;
            if faults.refuse_logins {
                reply("250-AUTH PLAIN LOGIN")?;
            }
            reply("250 SIZE 10485760")?;
        } else if upper.starts_with("HELO") {
            reply("250 sink.test")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(angle_address(&line));
            to.clear();
            reply("250 2.1.0 OK")?;
        } else if upper.starts_with("RCPT TO:") {
            match faults.rcpt_error {
                _ if from.is_none() => reply("503 5.5.1 MAIL first")?,
                Some(code) if code < 500 => {
                    reply(&format!("{code} 4.3.0 Mailbox temporarily unavailable"))?
                }
                Some(code) => reply(&format!("{code} 5.1.1 No such user"))?,
                None => {
                    to.push(angle_address(&line));
                    reply("250 2.1.5 OK")?;
                }
            }
        } else if upper == "DATA" {
            if from.is_none() || to.is_empty() {
                reply("503 5.5.1 need MAIL and RCPT first")?;
                continue;
            }
            reply("354 End data with <CR><LF>.<CR><LF>")?;
            let mut data = String::new();
            loop {
                let Some(line) = read_line(&mut input)? else {
                    return Ok(());
                };
                if line == "." {
                    break;
                }
                // Undo dot-stuffing (RFC 5321 4.5.2).
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push_str("\r\n");
            }
            let mail = ReceivedMail {
                from: from.take().unwrap_or_default(),
                to: std::mem::take(&mut to),
                data,
            };
            shared.mails.lock().unwrap().push(mail);
            shared.arrived.notify_all();
            if let Some(delay) = faults.ack_delay {
                std::thread::sleep(delay);
            }
            reply("250 2.0.0 queued")?;
        } else if upper.starts_with("AUTH") && faults.refuse_logins {
            reply("535 5.7.8 Authentication credentials invalid")?;
        } else if upper == "RSET" {
            from = None;
            to.clear();
            reply("250 2.0.0 OK")?;
        } else if upper == "NOOP" {
            reply("250 2.0.0 OK")?;
        } else if upper == "QUIT" {
            reply("221 2.0.0 bye")?;
            return Ok(());
        } else {
            reply("502 5.5.2 command not implemented")?;
        }
    }
}

/// One line without its CRLF; `None` at end of stream.
fn read_line(input: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// `MAIL FROM:<a@b> SIZE=12` → `a@b`.
fn angle_address(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_owned()
}

// ---- MIME helpers (enough for what lettre writes) ----

/// Splits a message or part into (unfolded header lines, body).
fn split_entity(entity: &str) -> (Vec<String>, &str) {
    let (head, body) = entity
        .split_once("\r\n\r\n")
        .unwrap_or((entity.trim_end_matches("\r\n"), ""));
    let mut headers: Vec<String> = Vec::new();
    for line in head.split("\r\n") {
        match headers.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => headers.push(line.to_owned()),
        }
    }
    (headers, body)
}

fn find_header(headers: &[String], name: &str) -> Option<String> {
    headers.iter().find_map(|h| {
        let (key, value) = h.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// The raw (unfolded, still RFC 2047-encoded) value of a top-level header of `data`.
pub fn header(data: &str, name: &str) -> Option<String> {
    find_header(&split_entity(data).0, name)
}

/// `param` of a header value such as `attachment; filename="x.pdf"`.
fn header_param(value: &str, param: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, v) = p.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(param)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=` and `=?utf-8?q?…?=`); whitespace between
/// two encoded words is dropped, as the RFC says.
pub fn decode_header(value: &str) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut rest = value;
    let mut after_word = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            out.extend_from_slice(rest.as_bytes());
            break;
        };
        let (plain, word) = rest.split_at(start);
        let decoded = encoded_word(word);
        let Some((bytes, len)) = decoded else {
            out.extend_from_slice(&rest.as_bytes()[..start + 2]);
            rest = &rest[start + 2..];
            after_word = false;
            continue;
        };
        if !(after_word && plain.trim().is_empty()) {
            out.extend_from_slice(plain.as_bytes());
        }
        out.extend_from_slice(&bytes);
        rest = &word[len..];
        after_word = true;
    }
    String::from_utf8(out).expect("header decodes to UTF-8")
}

/// `=?charset?enc?text?=` at the start of `word` → (bytes, length of the encoded word).
fn encoded_word(word: &str) -> Option<(Vec<u8>, usize)> {
    let inner = word.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    assert!(charset.eq_ignore_ascii_case("utf-8"), "charset {charset}");
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let text = &inner[..end];
    let bytes = match encoding {
        "b" | "B" => base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("base64 encoded word"),
        "q" | "Q" => quoted_printable(&text.replace('_', " ")),
        other => panic!("unknown encoding {other}"),
    };
    Some((bytes, 2 + charset.len() + 1 + encoding.len() + 1 + end + 2))
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("quoted-printable escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn decode_body(headers: &[String], body: &str) -> Vec<u8> {
    let encoding = find_header(headers, "Content-Transfer-Encoding").unwrap_or_default();
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .expect("base64 body")
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.as_bytes().to_vec(),
    }
}

/// The leaf parts of `entity` (recursing into multiparts): (headers, decoded body).
fn leaf_parts(entity: &str) -> Vec<(Vec<String>, Vec<u8>)> {
    let (headers, body) = split_entity(entity);
    let content_type = find_header(&headers, "Content-Type").unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("multipart/") {
        let decoded = decode_body(&headers, body);
        return vec![(headers, decoded)];
    }
    let boundary = header_param(&content_type, "boundary").expect("multipart boundary");
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    // Skip the preamble; stop at the closing delimiter.
    for chunk in body.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix("\r\n").unwrap_or(chunk);
        parts.extend(leaf_parts(chunk));
    }
    parts
}

/// The attachments of a message: (filename, content type without parameters, decoded bytes).
pub fn attachments(data: &str) -> Vec<(String, String, Vec<u8>)> {
    leaf_parts(data)
        .into_iter()
        .filter_map(|(headers, bytes)| {
            let disposition = find_header(&headers, "Content-Disposition")?;
            if !disposition.to_ascii_lowercase().starts_with("attachment") {
                return None;
            }
            let filename = decode_header(&header_param(&disposition, "filename")?);
            let content_type = find_header(&headers, "Content-Type")
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            Some((filename, content_type, bytes))
        })
        .collect()
}

/// The decoded `text/plain` part(s) of a message, concatenated.
pub fn text_body(data: &str) -> String {
    leaf_parts(data)
        .into_iter()
        .filter(|(headers, _)| {
            find_header(headers, "Content-Type")
                .unwrap_or_else(|| "text/plain".into())
                .to_ascii_lowercase()
                .starts_with("text/plain")
                && find_header(headers, "Content-Disposition").is_none()
        })
        .map(|(_, bytes)| String::from_utf8(bytes).expect("UTF-8 text part"))
        .collect()
}
