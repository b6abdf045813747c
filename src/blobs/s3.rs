//! S3 backend (AWS or any S3-compatible server) through `object_store`: key `<prefix><sha>`.
//!
//! Requests run on a small tokio runtime owned by the store: a call spawns its future there and
//! waits for the result on a `std::sync::mpsc` channel, so callers may be plain threads or the
//! blocking threads of another runtime (never `block_on` from the caller's thread).
//!
//! Uploads: a spooled file below 8 MiB is one PUT; a bigger one is a multipart upload of 8 MiB
//! parts read from the file one at a time. The bytes are re-hashed as they are read, and the
//! upload is aborted (not completed) if they no longer hash to the key. With SigV4 signed
//! payloads the server also checks every request body.
//!
//! Deployment notes:
//! * The credentials need `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject`,
//!   `s3:AbortMultipartUpload` and `s3:ListBucket`. Without `ListBucket`, AWS answers 403
//!   instead of 404 for a missing key, so every new upload would fail its existence check.
//! * A crash during a multipart upload leaves invisible parts that are billed: add a bucket
//!   lifecycle rule "abort incomplete multipart uploads after 1 day".
//! * TLS is rustls with the `ring` provider (installed as the process default by
//!   [`S3Store::new`] if none is), certificates verified against the system's CA store
//!   (`rustls-platform-verifier`): the image needs the `ca-certificates` package for https.

use std::fmt;
use std::fs::File;
use std::future::Future;
use std::io::{self, Read};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    ClientOptions, MultipartUpload, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};
use sha2::{Digest, Sha256};

use super::{
    check_key, io_error, is_valid_key, sha256_hex, BlobError, BlobStore, Sha256Hex, Spooled,
    VerifyingReader,
};

/// Below this size a spooled file is sent in one PUT; above, as a multipart upload of parts of
/// this size (S3 wants at least 5 MiB per part but the last).
const PART_SIZE: usize = 8 * 1024 * 1024;

/// Settings of [`S3Store`]. `Debug` does not show the secret.
#[derive(Clone)]
pub struct S3Config {
    pub bucket: String,
    /// For S3-compatible servers (MinIO, Garage, Ceph, moto…), e.g. `http://127.0.0.1:9000`.
    /// Requests are then path style (`<endpoint>/<bucket>/<key>`).
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allow a plain `http://` endpoint.
    pub allow_http: bool,
    /// Put before every key, e.g. `recouvra/blobs/` (may be empty).
    pub prefix: String,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("allow_http", &self.allow_http)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// The store's own runtime; shut down without blocking when the last user goes, so that
/// dropping the store inside an async context does not panic.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn new() -> Result<Self, BlobError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("blobs-s3")
            .enable_all()
            .build()
            .map_err(|e| {
                tracing::error!(error = %e, "could not start the S3 runtime");
                BlobError::Io("could not start the S3 client".to_string())
            })?;
        Ok(Runtime(Some(rt)))
    }

    /// Runs `fut` on the runtime and waits for its output on this (blocking) thread.
    fn run<F>(&self, fut: F) -> Result<F::Output, BlobError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let Some(rt) = &self.0 else {
            return Err(BlobError::Io("the S3 client is shut down".to_string()));
        };
        let (tx, rx) = mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        // The sender is dropped without a value only if the task panicked or was cancelled.
        rx.recv()
            .map_err(|_| BlobError::Io("an S3 request was aborted".to_string()))
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Blobs in an S3 bucket. See [the module docs](super) for the guarantees.
pub struct S3Store {
    rt: Arc<Runtime>,
    store: Arc<AmazonS3>,
    /// Same client settings, no retries and a short timeout: for [`BlobStore::check`].
    probe: Arc<AmazonS3>,
    bucket: String,
    endpoint: Option<String>,
    prefix: String,
}

impl fmt::Debug for S3Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// Logs an `object_store` error (which may name the endpoint and bucket) and returns a
/// message-safe [`BlobError`].
fn s3_error(what: &str, key: &str, e: object_store::Error) -> BlobError {
    match e {
        object_store::Error::NotFound { .. } => BlobError::NotFound(key.to_string()),
        e => {
            tracing::error!(blob = key, error = %e, "S3: {what} failed");
            BlobError::Io(format!("{what} failed (S3)"))
        }
    }
}

impl S3Store {
    /// Builds the client; makes no request (see [`BlobStore::check`]).
    ///
    /// Installs rustls' `ring` provider as the process default if none is installed yet (the
    /// HTTP client is built with `reqwest`'s `rustls-no-provider`).
    pub fn new(config: S3Config) -> Result<S3Store, BlobError> {
        if config.bucket.is_empty() {
            return Err(BlobError::Config("RECOUVRA_S3_BUCKET is empty".to_string()));
        }
        if let Some(endpoint) = &config.endpoint {
            let http = endpoint.starts_with("http://");
            if !http && !endpoint.starts_with("https://") {
                return Err(BlobError::Config(
                    "RECOUVRA_S3_ENDPOINT must start with http:// or https://".to_string(),
                ));
            }
            if http && !config.allow_http {
                return Err(BlobError::Config(
                    "RECOUVRA_S3_ENDPOINT is http:// but RECOUVRA_S3_ALLOW_HTTP is not true"
                        .to_string(),
                ));
            }
        }
        // The prefix must survive object_store's path parsing unchanged.
        let sample = format!("{}{}", config.prefix, "0".repeat(64));
        if !ObjectPath::parse(&sample).is_ok_and(|p| p.as_ref() == sample) {
            return Err(BlobError::Config(
                "RECOUVRA_S3_PREFIX must be empty or like `dir/sub/` (no leading or double `/`)"
                    .to_string(),
            ));
        }

        // Already installed (by us or the application) is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let rt = Arc::new(Runtime::new()?);
        let builder = |options: ClientOptions, retry: RetryConfig| {
            let mut b = AmazonS3Builder::new()
                .with_client_options(options)
                .with_retry(retry)
                .with_bucket_name(&config.bucket)
                .with_region(&config.region)
                .with_access_key_id(&config.access_key_id)
                .with_secret_access_key(&config.secret_access_key)
                .with_allow_http(config.allow_http)
                .with_virtual_hosted_style_request(false);
            if let Some(endpoint) = &config.endpoint {
                b = b.with_endpoint(endpoint);
            }
            b
        };
        // The overall timeout bounds a single request (a whole 8 MiB part, or a GET body that is
        // read as the caller consumes it: body errors are retried with a range request).
        let main = builder(
            ClientOptions::new()
                .with_timeout(Duration::from_secs(300))
                .with_connect_timeout(Duration::from_secs(10)),
            RetryConfig::default(),
        );
        let probe = builder(
            ClientOptions::new()
                .with_timeout(Duration::from_secs(5))
                .with_connect_timeout(Duration::from_secs(3)),
            RetryConfig {
                max_retries: 0,
                ..RetryConfig::default()
            },
        );
        // Built on the runtime, in case building the HTTP client wants a runtime context.
        let (store, probe) = rt.run(async move { (main.build(), probe.build()) })?;
        let build_error = |e: object_store::Error| {
            tracing::error!(error = %e, "S3 client configuration refused");
            BlobError::Config(format!("S3 settings refused: {e}"))
        };
        Ok(S3Store {
            rt,
            store: Arc::new(store.map_err(build_error)?),
            probe: Arc::new(probe.map_err(build_error)?),
            bucket: config.bucket,
            endpoint: config.endpoint,
            prefix: config.prefix,
        })
    }

    fn location(&self, key: &str) -> ObjectPath {
        // Checked in `new`: prefix + key parses to itself.
        ObjectPath::from(format!("{}{key}", self.prefix))
    }

    /// Uploads `bytes` (already hashed to `key`) in one PUT.
    fn put_once(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        let store = Arc::clone(&self.store);
        let location = self.location(key);
        self.rt
            .run(async move { store.put(&location, PutPayload::from(bytes)).await })?
            .map(|_| ())
            .map_err(|e| s3_error("storing a blob", key, e))
    }

    /// Streams a big spooled file as a multipart upload, one part in memory at a time; the
    /// object appears only on `complete`. Aborted on any error.
    fn put_multipart(&self, spooled: &Spooled, mut file: File) -> Result<(), BlobError> {
        let key = spooled.sha256.as_str();
        let store = Arc::clone(&self.store);
        let location = self.location(key);
        let mut upload: Box<dyn MultipartUpload> = self
            .rt
            .run(async move { store.put_multipart(&location).await })?
            .map_err(|e| s3_error("starting an upload", key, e))?;
        let mut hasher = Sha256::new();
        let result = loop {
            let part = match read_part(&mut file) {
                Ok(part) => part,
                Err(e) => break Err(io_error("reading a spool file", spooled.path(), &e)),
            };
            if part.is_empty() {
                // Never store under a key the bytes do not hash to.
                let actual = hex::encode(hasher.finalize());
                if actual != key {
                    tracing::error!(expected = key, %actual, "spool file changed before it was stored");
                    break Err(BlobError::Integrity {
                        expected: key.to_string(),
                        actual,
                    });
                }
                let (back, done) = self.rt.run(async move {
                    let done = upload.complete().await;
                    (upload, done)
                })?;
                upload = back;
                break done
                    .map(|_| ())
                    .map_err(|e| s3_error("completing an upload", key, e));
            }
            hasher.update(&part);
            let (back, sent) = self.rt.run(async move {
                let sent = upload.put_part(PutPayload::from(part)).await;
                (upload, sent)
            })?;
            upload = back;
            if let Err(e) = sent {
                break Err(s3_error("uploading a part", key, e));
            }
        };
        if result.is_err() {
            let aborted = self.rt.run(async move { upload.abort().await });
            if let Ok(Err(e)) = aborted {
                tracing::warn!(blob = key, error = %e, "S3: aborting an upload failed");
            }
        }
        result
    }
}

/// Reads up to [`PART_SIZE`] bytes (fewer only at EOF).
fn read_part(file: &mut File) -> io::Result<Vec<u8>> {
    let mut part = Vec::with_capacity(PART_SIZE);
    file.by_ref()
        .take(PART_SIZE as u64)
        .read_to_end(&mut part)?;
    Ok(part)
}

/// Pulls a GET body chunk by chunk from the store's runtime.
struct S3Reader {
    rt: Arc<Runtime>,
    stream: Option<BoxStream<'static, object_store::Result<Bytes>>>,
    chunk: Bytes,
    key: String,
}

impl Read for S3Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            let Some(mut stream) = self.stream.take() else {
                return Ok(0);
            };
            let (stream, item) = self
                .rt
                .run(async move {
                    let item = stream.next().await;
                    (stream, item)
                })
                .map_err(io::Error::other)?;
            match item {
                None => return Ok(0),
                Some(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.stream = Some(stream);
                }
                Some(Err(e)) => {
                    tracing::error!(blob = %self.key, error = %e, "S3: reading a blob failed");
                    return Err(io::Error::other("reading a blob from S3 failed"));
                }
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

impl BlobStore for S3Store {
    fn put_spooled(&self, spooled: Spooled) -> Result<bool, BlobError> {
        let key = spooled.key()?.to_string();
        if self.exists(&key)? {
            return Ok(false); // `spooled` is dropped: its temp file is removed
        }
        let mut file = File::open(spooled.path())
            .map_err(|e| io_error("reading a spool file", spooled.path(), &e))?;
        if spooled.size < PART_SIZE as u64 {
            let mut bytes = Vec::with_capacity(spooled.size as usize);
            file.read_to_end(&mut bytes)
                .map_err(|e| io_error("reading a spool file", spooled.path(), &e))?;
            let actual = sha256_hex(&bytes);
            if actual != key {
                tracing::error!(expected = %key, %actual, "spool file changed before it was stored");
                return Err(BlobError::Integrity {
                    expected: key,
                    actual,
                });
            }
            self.put_once(&key, Bytes::from(bytes))?;
        } else {
            self.put_multipart(&spooled, file)?;
        }
        Ok(true)
    }

    fn put_bytes(&self, bytes: &[u8]) -> Result<Sha256Hex, BlobError> {
        let key = sha256_hex(bytes);
        if !self.exists(&key)? {
            self.put_once(&key, Bytes::copy_from_slice(bytes))?;
        }
        Ok(key)
    }

    fn open(&self, sha256: &str) -> Result<Box<dyn Read + Send>, BlobError> {
        check_key(sha256)?;
        let store = Arc::clone(&self.store);
        let location = self.location(sha256);
        let result = self
            .rt
            .run(async move { store.get(&location).await })?
            .map_err(|e| s3_error("opening a blob", sha256, e))?;
        let reader = S3Reader {
            rt: Arc::clone(&self.rt),
            stream: Some(result.into_stream()),
            chunk: Bytes::new(),
            key: sha256.to_string(),
        };
        Ok(Box::new(VerifyingReader::new(reader, sha256)))
    }

    fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        check_key(sha256)?;
        let store = Arc::clone(&self.store);
        let location = self.location(sha256);
        match self.rt.run(async move { store.head(&location).await })? {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(s3_error("looking up a blob", sha256, e)),
        }
    }

    fn list(&self) -> Result<Vec<Sha256Hex>, BlobError> {
        // object_store lists whole path segments: list the prefix's directory, then filter.
        let dir = self
            .prefix
            .rfind('/')
            .map(|i| ObjectPath::from(&self.prefix[..i]));
        let store = Arc::clone(&self.store);
        let listed = self.rt.run(async move {
            let mut stream = store.list(dir.as_ref());
            let mut locations = Vec::new();
            while let Some(meta) = stream.next().await {
                locations.push(meta?.location);
            }
            Ok::<_, object_store::Error>(locations)
        })?;
        let locations = listed.map_err(|e| s3_error("listing blobs", "", e))?;
        let mut keys: Vec<Sha256Hex> = locations
            .iter()
            .filter_map(|location| location.as_ref().strip_prefix(self.prefix.as_str()))
            .filter(|key| is_valid_key(key))
            .map(str::to_string)
            .collect();
        keys.sort();
        Ok(keys)
    }

    fn delete(&self, sha256: &str) -> Result<(), BlobError> {
        check_key(sha256)?;
        let store = Arc::clone(&self.store);
        let location = self.location(sha256);
        match self.rt.run(async move { store.delete(&location).await })? {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(s3_error("deleting a blob", sha256, e)),
        }
    }

    fn check(&self) -> Result<(), BlobError> {
        // One LIST request under a name no blob has: proves the endpoint answers, the bucket
        // exists and the credentials are accepted (a HEAD could not tell a missing bucket from
        // a missing key).
        let probe = Arc::clone(&self.probe);
        let location = ObjectPath::from(format!("{}readyz-probe", self.prefix));
        let answered = self.rt.run(async move {
            let mut stream = probe.list(Some(&location));
            match stream.next().await {
                None | Some(Ok(_)) => Ok(()),
                Some(Err(e)) => Err(e),
            }
        })?;
        answered.map_err(|e| s3_error("checking the storage", "", e))
    }
}

#[cfg(test)]
impl S3Store {
    /// Writes an object directly, bypassing the checks (for tampering in tests).
    pub(crate) fn raw_put(&self, name: &str, bytes: &[u8]) {
        let store = Arc::clone(&self.store);
        let location = ObjectPath::from(name);
        let bytes = Bytes::copy_from_slice(bytes);
        self.rt
            .run(async move { store.put(&location, PutPayload::from(bytes)).await })
            .unwrap()
            .unwrap();
    }

    /// Starts a multipart upload with one part and leaves it unfinished (a crashed upload).
    pub(crate) fn raw_unfinished_upload(&self, name: &str) {
        let store = Arc::clone(&self.store);
        let location = ObjectPath::from(name);
        self.rt
            .run(async move {
                let mut upload = store.put_multipart(&location).await?;
                upload
                    .put_part(PutPayload::from(vec![7u8; 5 * 1024 * 1024]))
                    .await
            })
            .unwrap()
            .unwrap();
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }
}
