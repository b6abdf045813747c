//! Content-addressed blob storage for evidence files and generated documents.
//!
//! Every blob is stored under its key, the lowercase hex SHA-256 of its bytes
//! ([`Sha256Hex`], 64 characters). Two backends implement [`BlobStore`]:
//!
//! * [`FsStore`]: `<root>/<first 2 hex>/<sha>` on a local filesystem; temp files are
//!   written in `<root>/tmp/`, fsynced, renamed into place, and the directory is fsynced.
//! * [`S3Store`]: `<prefix><sha>` in an S3 bucket (AWS or any S3-compatible server), through
//!   `object_store`. An S3 object only appears once its PUT or multipart upload completes.
//!
//! [`from_env`] picks one from `RECOUVRA_STORAGE` and friends.
//!
//! # Durability
//!
//! A database row that references a blob is committed only after the blob is completely
//! stored. The put methods return only once the blob is durable (fsync + rename + directory
//! fsync, or a completed upload), so a crash at any moment leaves either no blob or a complete
//! one. At most a stray temp file is left behind, and [`BlobStore::list`] never reports it.
//!
//! # Uploads
//!
//! A request body is written chunk by chunk to a [`Spool`] (a temp file that hashes as it is
//! written and refuses more than its limit), then [`Spool::finish`] gives a [`Spooled`] file
//! that [`BlobStore::put_spooled`] stores under its hash. For [`FsStore`], spool into
//! [`FsStore::tmp_dir`] so that storing is a plain rename (another directory works too, the file
//! is then copied).
//!
//! # Reads
//!
//! [`BlobStore::open`] streams a blob and verifies its SHA-256 as the bytes flow: if the bytes do
//! not hash to the key at EOF, the last `read` fails with an [`std::io::Error`] of kind
//! `InvalidData` that [`is_integrity_error`] recognises. A reader never ends cleanly on
//! corrupted bytes. [`BlobStore::get`] and [`BlobStore::verify`] are built on it.
//!
//! # Keys
//!
//! Every method taking a key refuses anything but exactly 64 lowercase hex characters (so no
//! path traversal) with [`BlobError::NotFound`] before touching the storage.
//!
//! # Threads
//!
//! The API is synchronous and blocking: call it from blocking threads (`web::block`,
//! `spawn_blocking`, a scheduler thread, a CLI command). [`S3Store`] runs its requests on a small
//! runtime of its own and waits for them on a channel, so it also works on the blocking threads
//! of another tokio runtime; it never calls `block_on`.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

mod fs;
mod s3;

pub use fs::FsStore;
pub use s3::{S3Config, S3Store};

/// Lowercase hex SHA-256 of a blob's bytes: its key.
pub type Sha256Hex = String;

/// How many first bytes of an upload [`Spool::head`] keeps for type sniffing.
pub const HEAD_LEN: usize = 8 * 1024;

/// Errors of the blob store. Messages name no filesystem path, endpoint or secret: they may
/// be shown to users; details are logged with `tracing` where the error is made.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// No blob under this key, or the key is malformed (the message then says so).
    #[error("blob not found: {0}")]
    NotFound(String),
    /// An upload went past the spool limit.
    #[error("file too large (the limit is {limit} bytes)")]
    TooLarge { limit: u64 },
    /// Stored bytes do not hash to their key.
    #[error("blob {expected} is corrupted (its content hashes to {actual})")]
    Integrity { expected: String, actual: String },
    /// The storage failed (disk, network, permissions…).
    #[error("storage error: {0}")]
    Io(String),
    /// A missing or bad setting; the message names the variable.
    #[error("storage configuration: {0}")]
    Config(String),
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Is `key` exactly 64 lowercase hex characters?
pub fn is_valid_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Refuses a malformed key before it reaches a path or an object name.
pub(crate) fn check_key(key: &str) -> Result<(), BlobError> {
    if is_valid_key(key) {
        Ok(())
    } else {
        Err(BlobError::NotFound("malformed key".to_string()))
    }
}

/// Whether an error from a reader returned by [`BlobStore::open`] means that the blob's bytes
/// do not match its key.
pub fn is_integrity_error(e: &io::Error) -> bool {
    integrity_mismatch(e).is_some()
}

fn integrity_mismatch(e: &io::Error) -> Option<&IntegrityMismatch> {
    if e.kind() != io::ErrorKind::InvalidData {
        return None;
    }
    e.get_ref()?.downcast_ref::<IntegrityMismatch>()
}

/// The payload of the `InvalidData` error a verifying reader ends with.
#[derive(Debug, Clone)]
struct IntegrityMismatch {
    expected: String,
    actual: String,
}

impl fmt::Display for IntegrityMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "blob {} is corrupted (its content hashes to {})",
            self.expected, self.actual
        )
    }
}

impl std::error::Error for IntegrityMismatch {}

impl IntegrityMismatch {
    fn to_io(&self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self.clone())
    }
}

/// Turns an `io::Error` from a verifying reader into a [`BlobError`].
pub(crate) fn read_error(key: &str, e: &io::Error) -> BlobError {
    match integrity_mismatch(e) {
        Some(m) => BlobError::Integrity {
            expected: m.expected.clone(),
            actual: m.actual.clone(),
        },
        None => {
            tracing::error!(blob = key, error = %e, "reading a blob failed");
            BlobError::Io(format!("reading a blob failed ({})", e.kind()))
        }
    }
}

/// A local I/O failure: logged with its context (which may name paths), reported without it.
pub(crate) fn io_error(what: &str, path: &Path, e: &io::Error) -> BlobError {
    tracing::error!(path = %path.display(), error = %e, "{what} failed");
    BlobError::Io(format!("{what} failed ({})", e.kind()))
}

/// A reader that hashes what flows through it and fails at EOF if the hash is not `expected`.
pub(crate) struct VerifyingReader<R> {
    inner: R,
    hasher: Sha256,
    expected: String,
    state: VerifyState,
}

enum VerifyState {
    Reading,
    Verified,
    Corrupt(IntegrityMismatch),
}

impl<R: Read> VerifyingReader<R> {
    pub(crate) fn new(inner: R, expected: &str) -> Self {
        VerifyingReader {
            inner,
            hasher: Sha256::new(),
            expected: expected.to_string(),
            state: VerifyState::Reading,
        }
    }
}

impl<R: Read> Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &self.state {
            VerifyState::Verified => return Ok(0),
            VerifyState::Corrupt(m) => return Err(m.to_io()),
            VerifyState::Reading => {}
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hasher.update(&buf[..n]);
            return Ok(n);
        }
        let actual = hex::encode(self.hasher.finalize_reset());
        if actual == self.expected {
            self.state = VerifyState::Verified;
            Ok(0)
        } else {
            let m = IntegrityMismatch {
                expected: self.expected.clone(),
                actual,
            };
            tracing::error!(blob = %m.expected, actual = %m.actual, "blob integrity check failed");
            let e = m.to_io();
            self.state = VerifyState::Corrupt(m);
            Err(e)
        }
    }
}

/// Content-addressed blob storage. See the module docs for the guarantees.
pub trait BlobStore: Send + Sync + fmt::Debug {
    /// Stores a spooled file under its hash. Idempotent: already there → `Ok(false)` and the
    /// spool is just removed; stored → `Ok(true)`. Returns once the blob is durable.
    fn put_spooled(&self, spooled: Spooled) -> Result<bool, BlobError>;

    /// Stores bytes (generated PDFs) and returns their hash. Same durability.
    fn put_bytes(&self, bytes: &[u8]) -> Result<Sha256Hex, BlobError>;

    /// Streams a blob back, verifying its SHA-256 as the bytes flow (see the module docs).
    fn open(&self, sha256: &str) -> Result<Box<dyn Read + Send>, BlobError>;

    /// The whole blob, verified.
    fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        let mut reader = self.open(sha256)?;
        let mut bytes = Vec::new();
        match reader.read_to_end(&mut bytes) {
            Ok(_) => Ok(bytes),
            Err(e) => Err(read_error(sha256, &e)),
        }
    }

    /// Whether a blob is stored under this key.
    fn exists(&self, sha256: &str) -> Result<bool, BlobError>;

    /// Every stored key, sorted (for `fsck`); temp files and foreign names are left out.
    fn list(&self) -> Result<Vec<Sha256Hex>, BlobError>;

    /// Removes a blob (only `fsck --repair` calls this). Removing a missing blob is not an error.
    fn delete(&self, sha256: &str) -> Result<(), BlobError>;

    /// Re-hashes a stored blob: `Ok(true)` if it matches its key, `Ok(false)` if it does not,
    /// `Err(NotFound)` if there is none.
    fn verify(&self, sha256: &str) -> Result<bool, BlobError> {
        let mut reader = self.open(sha256)?;
        match io::copy(&mut reader, &mut io::sink()) {
            Ok(_) => Ok(true),
            Err(e) if is_integrity_error(&e) => Ok(false),
            Err(e) => Err(read_error(sha256, &e)),
        }
    }

    /// Readiness probe (`/readyz`): the storage answers.
    fn check(&self) -> Result<(), BlobError>;
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A unique file name for a temp file (never a valid key, so never listed).
pub(crate) fn temp_name(kind: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{kind}-{}-{}-{nanos:08x}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates a new file (never an existing one) readable by the owner only.
pub(crate) fn create_new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A temp file path removed on drop unless [`TempPath::keep`] was called.
#[derive(Debug)]
pub(crate) struct TempPath {
    path: PathBuf,
    armed: bool,
}

impl TempPath {
    pub(crate) fn new(path: PathBuf) -> Self {
        TempPath { path, armed: true }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file was renamed away: do not remove anything on drop.
    pub(crate) fn keep(mut self) {
        self.armed = false;
    }

    /// Removes the file now.
    fn remove(&mut self) {
        if self.armed {
            self.armed = false;
            if let Err(e) = std::fs::remove_file(&self.path) {
                if e.kind() != io::ErrorKind::NotFound {
                    tracing::warn!(path = %self.path.display(), error = %e, "could not remove a temp file");
                }
            }
        }
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        self.remove();
    }
}

/// A spooled upload: a temp file under a spool directory that hashes while it is written and
/// refuses more than its limit. Dropped before [`Spool::finish`], its file is removed.
pub struct Spool {
    // Declared before `temp` so that the file is closed before it is removed.
    state: SpoolState,
    temp: TempPath,
    hasher: Sha256,
    size: u64,
    limit: u64,
    head: Vec<u8>,
}

enum SpoolState {
    Open(BufWriter<File>),
    /// Went past the limit; the file is gone.
    TooLarge,
    /// A write failed: the file no longer matches the hash; it is gone.
    Failed,
}

impl fmt::Debug for Spool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spool")
            .field("size", &self.size)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl Spool {
    /// Creates the spool directory if needed and a new temp file in it.
    pub fn new(spool_dir: &Path, limit: u64) -> Result<Spool, BlobError> {
        std::fs::create_dir_all(spool_dir)
            .map_err(|e| io_error("creating the spool directory", spool_dir, &e))?;
        let path = spool_dir.join(temp_name("spool"));
        let file =
            create_new_file(&path).map_err(|e| io_error("creating a spool file", &path, &e))?;
        Ok(Spool {
            state: SpoolState::Open(BufWriter::with_capacity(64 * 1024, file)),
            temp: TempPath::new(path),
            hasher: Sha256::new(),
            size: 0,
            limit,
            head: Vec::new(),
        })
    }

    fn broken(&self) -> BlobError {
        match self.state {
            SpoolState::TooLarge => BlobError::TooLarge { limit: self.limit },
            _ => BlobError::Io("the upload failed earlier".to_string()),
        }
    }

    /// Appends a chunk. Past the limit: [`BlobError::TooLarge`], the temp file is removed and
    /// every later write (and `finish`) fails the same way. After a write error the spool is
    /// likewise dead.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        let SpoolState::Open(writer) = &mut self.state else {
            return Err(self.broken());
        };
        let new_size = self.size.saturating_add(chunk.len() as u64);
        if new_size > self.limit {
            self.state = SpoolState::TooLarge;
            self.temp.remove();
            return Err(self.broken());
        }
        if let Err(e) = writer.write_all(chunk) {
            // Part of the chunk may be in the file: it can no longer match any hash.
            self.state = SpoolState::Failed;
            self.temp.remove();
            return Err(io_error("writing a spool file", self.temp.path(), &e));
        }
        self.hasher.update(chunk);
        self.size = new_size;
        if self.head.len() < HEAD_LEN {
            let take = (HEAD_LEN - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        Ok(())
    }

    /// The first bytes written (up to [`HEAD_LEN`]), for type sniffing.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Flushes and fsyncs the file; returns it with its hash and size.
    pub fn finish(self) -> Result<Spooled, BlobError> {
        let error = self.broken();
        let Spool {
            state,
            temp,
            hasher,
            size,
            ..
        } = self;
        let SpoolState::Open(writer) = state else {
            return Err(error);
        };
        let file = writer
            .into_inner()
            .map_err(|e| io_error("writing a spool file", temp.path(), e.error()))?;
        file.sync_all()
            .map_err(|e| io_error("syncing a spool file", temp.path(), &e))?;
        drop(file);
        let sha256 = hex::encode(hasher.finalize());
        Ok(Spooled {
            sha256: sha256.clone(),
            size,
            computed: sha256,
            temp,
        })
    }
}

/// A finished, fsynced spool file. Its temp file is removed on drop unless a store consumed it.
#[derive(Debug)]
pub struct Spooled {
    /// Lowercase hex SHA-256 of the content.
    pub sha256: Sha256Hex,
    /// Size in bytes.
    pub size: u64,
    /// The hash as computed; a store refuses a `Spooled` whose public `sha256` was changed.
    computed: Sha256Hex,
    temp: TempPath,
}

impl Spooled {
    /// Where the spooled file is.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// The key to store this file under; refuses a `sha256` changed since `finish`.
    pub(crate) fn key(&self) -> Result<&str, BlobError> {
        check_key(&self.sha256)?;
        if self.sha256 != self.computed {
            return Err(BlobError::Integrity {
                expected: self.sha256.clone(),
                actual: self.computed.clone(),
            });
        }
        Ok(&self.computed)
    }

    /// The temp file guard (stores rename it away and then [`TempPath::keep`] it).
    pub(crate) fn into_temp(self) -> TempPath {
        self.temp
    }
}

fn var(vars: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    vars(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn required(vars: &impl Fn(&str) -> Option<String>, name: &str) -> Result<String, BlobError> {
    var(vars, name)
        .ok_or_else(|| BlobError::Config(format!("{name} is required when RECOUVRA_STORAGE=s3")))
}

/// Builds the configured store.
///
/// `RECOUVRA_STORAGE` = `fs` (default: [`FsStore`] at `<data_dir>/blobs`) or `s3`, with
/// `RECOUVRA_S3_BUCKET` (required), `RECOUVRA_S3_ENDPOINT` (for S3-compatible servers; path
/// style is then used), `RECOUVRA_S3_REGION` (default `us-east-1`), `RECOUVRA_S3_PREFIX`
/// (default empty, e.g. `recouvra/blobs/`), `RECOUVRA_S3_ALLOW_HTTP` (`true`/`false`, default
/// false), and the credentials `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (required).
/// A missing or bad setting is a [`BlobError::Config`] naming the variable.
pub fn from_env(
    vars: &impl Fn(&str) -> Option<String>,
    data_dir: &Path,
) -> Result<Arc<dyn BlobStore>, BlobError> {
    let kind = var(vars, "RECOUVRA_STORAGE").map(|k| k.to_ascii_lowercase());
    match kind.as_deref() {
        None | Some("fs") => Ok(Arc::new(FsStore::new(data_dir.join("blobs"))?)),
        Some("s3") => {
            let allow_http = match var(vars, "RECOUVRA_S3_ALLOW_HTTP")
                .map(|v| v.to_ascii_lowercase())
                .as_deref()
            {
                None | Some("false" | "0" | "no") => false,
                Some("true" | "1" | "yes") => true,
                Some(_) => {
                    return Err(BlobError::Config(
                        "RECOUVRA_S3_ALLOW_HTTP must be true or false".to_string(),
                    ))
                }
            };
            let config = S3Config {
                bucket: required(vars, "RECOUVRA_S3_BUCKET")?,
                endpoint: var(vars, "RECOUVRA_S3_ENDPOINT"),
                region: var(vars, "RECOUVRA_S3_REGION").unwrap_or_else(|| "us-east-1".to_string()),
                access_key_id: required(vars, "AWS_ACCESS_KEY_ID")?,
                secret_access_key: required(vars, "AWS_SECRET_ACCESS_KEY")?,
                allow_http,
                prefix: var(vars, "RECOUVRA_S3_PREFIX").unwrap_or_default(),
            };
            Ok(Arc::new(S3Store::new(config)?))
        }
        Some(_) => Err(BlobError::Config(
            "RECOUVRA_STORAGE must be fs or s3".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests;
