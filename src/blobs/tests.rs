//! One set of behaviour tests, run against every backend (S3 only when
//! `TEST_S3_ENDPOINT` points at an S3 emulator, see `start-moto.sh`).

use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::*;

/// What a backend's test harness provides besides the store.
struct Harness<'a> {
    store: &'a dyn BlobStore,
    /// Where uploads are spooled.
    spool_dir: &'a Path,
    /// Replaces the stored bytes of `key` with `bytes`, behind the store's back.
    tamper: &'a dyn Fn(&str, &[u8]),
    /// Leaves what a crash would: temp files, unfinished uploads, foreign names.
    plant_debris: &'a dyn Fn(),
}

fn spool(dir: &Path, bytes: &[u8], chunk: usize) -> Spooled {
    let mut spool = Spool::new(dir, 64 * 1024 * 1024).unwrap();
    for c in bytes.chunks(chunk.max(1)) {
        spool.write(c).unwrap();
    }
    spool.finish().unwrap()
}

fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_in_small_chunks(mut reader: Box<dyn Read + Send>) -> (Vec<u8>, std::io::Result<()>) {
    let mut out = Vec::new();
    let mut buf = [0u8; 1000];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return (out, Ok(())),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Err(e)),
        }
    }
}

fn round_trip(h: &Harness) {
    let store = h.store;
    let evidence = pseudo_random(300_000, 1);
    let spooled = spool(h.spool_dir, &evidence, 10_000);
    let key = spooled.sha256.clone();
    let spool_path = spooled.path().to_path_buf();
    assert_eq!(key, sha256_hex(&evidence));
    assert_eq!(spooled.size, evidence.len() as u64);
    assert!(!store.exists(&key).unwrap());
    assert!(store.put_spooled(spooled).unwrap(), "first put stores");
    assert!(!spool_path.exists(), "the spool file is consumed");
    assert!(store.exists(&key).unwrap());
    assert_eq!(store.get(&key).unwrap(), evidence);
    let (streamed, end) = read_in_small_chunks(store.open(&key).unwrap());
    end.unwrap();
    assert_eq!(streamed, evidence);
    assert!(store.verify(&key).unwrap());

    let pdf = b"%PDF-1.7 generated letter".to_vec();
    let pdf_key = store.put_bytes(&pdf).unwrap();
    assert_eq!(pdf_key, sha256_hex(&pdf));
    assert_eq!(store.get(&pdf_key).unwrap(), pdf);

    // The empty blob is a blob too.
    let empty = store.put_bytes(b"").unwrap();
    assert_eq!(store.get(&empty).unwrap(), Vec::<u8>::new());

    let mut listed = store.list().unwrap();
    listed.retain(|k| [&key, &pdf_key, &empty].contains(&k));
    let mut expected = vec![key, pdf_key, empty];
    expected.sort();
    assert_eq!(listed, expected);
}

fn idempotence(h: &Harness) {
    let store = h.store;
    let bytes = pseudo_random(20_000, 2);
    let first = spool(h.spool_dir, &bytes, 4096);
    let key = first.sha256.clone();
    assert!(store.put_spooled(first).unwrap());
    let again = spool(h.spool_dir, &bytes, 333);
    let again_path = again.path().to_path_buf();
    assert!(!store.put_spooled(again).unwrap(), "already there");
    assert!(!again_path.exists(), "the duplicate spool is removed");
    assert_eq!(store.put_bytes(&bytes).unwrap(), key);
    assert_eq!(
        store.list().unwrap().iter().filter(|k| **k == key).count(),
        1
    );
    assert_eq!(store.get(&key).unwrap(), bytes);
}

fn spool_limit(h: &Harness) {
    let dir = h.spool_dir.join("limit-test");
    // Exactly the limit is fine.
    let mut ok = Spool::new(&dir, 10).unwrap();
    ok.write(b"12345").unwrap();
    ok.write(b"67890").unwrap();
    assert_eq!(ok.head(), b"1234567890");
    let ok = ok.finish().unwrap();
    assert_eq!(ok.size, 10);
    assert!(ok.path().exists());
    drop(ok);
    assert!(
        files_in(&dir).is_empty(),
        "an unconsumed Spooled is removed on drop"
    );

    // One byte more is not, and the file goes at once.
    let mut big = Spool::new(&dir, 10).unwrap();
    big.write(b"123456").unwrap();
    assert_eq!(files_in(&dir).len(), 1);
    assert!(matches!(
        big.write(b"78901"),
        Err(BlobError::TooLarge { limit: 10 })
    ));
    assert!(files_in(&dir).is_empty(), "temp removed past the limit");
    assert!(matches!(big.write(b"1"), Err(BlobError::TooLarge { .. })));
    assert!(matches!(big.finish(), Err(BlobError::TooLarge { .. })));

    // A spool dropped half-way leaves nothing.
    let mut abandoned = Spool::new(&dir, 10).unwrap();
    abandoned.write(b"abc").unwrap();
    drop(abandoned);
    assert!(files_in(&dir).is_empty());

    // head() keeps the first 8 KiB only.
    let data = pseudo_random(20_000, 3);
    let mut s = Spool::new(&dir, 1 << 20).unwrap();
    for c in data.chunks(3000) {
        s.write(c).unwrap();
    }
    assert_eq!(s.head(), &data[..HEAD_LEN]);
    drop(s);
    assert!(files_in(&dir).is_empty());
    let _ = h.store; // the limit is the spool's business, whatever the store
}

fn tampering(h: &Harness) {
    let store = h.store;
    let original = pseudo_random(50_000, 4);
    let key = store.put_bytes(&original).unwrap();
    let mut forged = original.clone();
    forged[25_000] ^= 1;
    (h.tamper)(&key, &forged);

    let (_, end) = read_in_small_chunks(store.open(&key).unwrap());
    let e = end.expect_err("a corrupted blob must not read cleanly");
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert!(is_integrity_error(&e));
    // The error stays: a reader never ends cleanly after it.
    let mut reader = store.open(&key).unwrap();
    let mut sink = Vec::new();
    assert!(is_integrity_error(
        &reader.read_to_end(&mut sink).unwrap_err()
    ));
    assert!(is_integrity_error(
        &reader.read(&mut [0u8; 16]).unwrap_err()
    ));

    match store.get(&key) {
        Err(BlobError::Integrity { expected, actual }) => {
            assert_eq!(expected, key);
            assert_eq!(actual, sha256_hex(&forged));
        }
        other => panic!("expected an integrity error, got {other:?}"),
    }
    assert!(!store.verify(&key).unwrap());
    // A truncated blob is caught as well.
    (h.tamper)(&key, &original[..1000]);
    assert!(!store.verify(&key).unwrap());
    assert!(matches!(store.get(&key), Err(BlobError::Integrity { .. })));
    assert!(!is_integrity_error(&std::io::Error::new(
        ErrorKind::InvalidData,
        "other"
    )));

    // fsck --repair: delete, then the upload can come back.
    store.delete(&key).unwrap();
    assert_eq!(store.put_bytes(&original).unwrap(), key);
    assert!(store.verify(&key).unwrap());
}

fn malformed_keys(h: &Harness) {
    let store = h.store;
    let good = store.put_bytes(b"well-formed").unwrap();
    let bad = [
        String::new(),
        "../../etc/passwd".to_string(),
        good.to_uppercase(),
        good[..63].to_string(),
        format!("{good}0"),
        format!("../{}", &good[3..]),
        format!("{}/{}", &good[..2], &good[3..]),
        format!("{}\0", &good[..63]),
        format!("{}g", &good[..63]),
        "tmp".to_string(),
    ];
    for key in &bad {
        let refused = |r: Result<(), BlobError>| {
            assert!(
                matches!(r, Err(BlobError::NotFound(ref m)) if m == "malformed key"),
                "{key:?}: {r:?}"
            )
        };
        refused(store.open(key).map(drop));
        refused(store.get(key).map(drop));
        refused(store.exists(key).map(drop));
        refused(store.verify(key).map(drop));
        refused(store.delete(key));
    }
    assert!(store.exists(&good).unwrap());
}

fn forged_spooled(h: &Harness) {
    let store = h.store;
    let other = sha256_hex(b"some other content");
    let mut forged = spool(h.spool_dir, b"content", 3);
    forged.sha256 = other.clone();
    let path = forged.path().to_path_buf();
    assert!(matches!(
        store.put_spooled(forged),
        Err(BlobError::Integrity { expected, .. }) if expected == other
    ));
    assert!(!path.exists());
    assert!(!store.exists(&other).unwrap());
    let mut traversal = spool(h.spool_dir, b"content", 3);
    traversal.sha256 = "../../escape".to_string();
    assert!(matches!(
        store.put_spooled(traversal),
        Err(BlobError::NotFound(m)) if m == "malformed key"
    ));
}

fn debris_not_listed(h: &Harness) {
    let store = h.store;
    let key = store.put_bytes(b"listed").unwrap();
    (h.plant_debris)();
    // An unfinished spool.
    let mut pending = Spool::new(h.spool_dir, 100).unwrap();
    pending.write(b"half").unwrap();
    let listed = store.list().unwrap();
    assert!(listed.contains(&key));
    assert!(listed.iter().all(|k| is_valid_key(k)), "{listed:?}");
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(listed, sorted);
    drop(pending);
}

fn delete_and_missing(h: &Harness) {
    let store = h.store;
    let key = store.put_bytes(b"to be deleted").unwrap();
    assert!(store.exists(&key).unwrap());
    store.delete(&key).unwrap();
    assert!(!store.exists(&key).unwrap());
    assert!(!store.list().unwrap().contains(&key));
    store.delete(&key).unwrap(); // again: not an error

    let missing = sha256_hex(b"never stored");
    assert!(matches!(store.open(&missing).map(drop), Err(BlobError::NotFound(k)) if k == missing));
    assert!(matches!(store.get(&missing), Err(BlobError::NotFound(_))));
    assert!(matches!(
        store.verify(&missing),
        Err(BlobError::NotFound(_))
    ));
    assert!(!store.exists(&missing).unwrap());
    store.check().unwrap();
}

fn run_all(h: &Harness) {
    round_trip(h);
    idempotence(h);
    spool_limit(h);
    tampering(h);
    malformed_keys(h);
    forged_spooled(h);
    debris_not_listed(h);
    delete_and_missing(h);
}

// ---------------------------------------------------------------------------------------------
// Filesystem

fn fs_harness_run(store: &FsStore, spool_dir: &Path) {
    let root = store.root().to_path_buf();
    let tamper = |key: &str, bytes: &[u8]| {
        std::fs::write(root.join(&key[..2]).join(key), bytes).unwrap();
    };
    let debris_root = root.clone();
    let plant = move || {
        std::fs::write(debris_root.join("tmp").join("put-1-2-3.tmp"), b"x").unwrap();
        std::fs::write(
            debris_root.join("tmp").join(sha256_hex(b"in tmp")),
            b"in tmp",
        )
        .unwrap();
        std::fs::create_dir_all(debris_root.join("ab")).unwrap();
        std::fs::write(debris_root.join("ab").join("not-a-blob"), b"x").unwrap();
        // A valid key in the wrong directory is not a blob either.
        let misplaced = sha256_hex(b"misplaced");
        let wrong = if misplaced.starts_with("ab") {
            "cd"
        } else {
            "ab"
        };
        std::fs::create_dir_all(debris_root.join(wrong)).unwrap();
        std::fs::write(debris_root.join(wrong).join(&misplaced), b"misplaced").unwrap();
        std::fs::write(debris_root.join("README"), b"x").unwrap();
        std::fs::create_dir_all(debris_root.join("zz")).unwrap();
    };
    run_all(&Harness {
        store,
        spool_dir,
        tamper: &tamper,
        plant_debris: &plant,
    });
    let listed = store.list().unwrap();
    assert!(!listed.contains(&sha256_hex(b"in tmp")));
    assert!(!listed.contains(&sha256_hex(b"misplaced")));
}

#[test]
fn fs_store_sweeps_temp_files_of_a_killed_process_once_stale() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsStore::new(dir.path().join("blobs")).unwrap();
    let stale = store.tmp_dir().join("put-killed.tmp");
    let fresh = store.tmp_dir().join("put-in-progress.tmp");
    std::fs::write(&stale, b"half a blob").unwrap();
    std::fs::write(&fresh, b"a blob being written").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    drop(store);
    // Opening the store again (a restart, or `fsck`) removes only the stale one.
    let store = FsStore::new(dir.path().join("blobs")).unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists());
    assert!(store.list().unwrap().is_empty());
}

#[test]
fn fs_store_spooled_in_its_tmp_dir() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsStore::new(dir.path().join("blobs")).unwrap();
    let spool_dir = store.tmp_dir().to_path_buf();
    fs_harness_run(&store, &spool_dir);
}

#[test]
fn fs_store_spooled_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsStore::new(dir.path().join("blobs")).unwrap();
    fs_harness_run(&store, &dir.path().join("spool"));
}

/// A spool on another filesystem (tmpfs) is copied in, not renamed.
#[cfg(target_os = "linux")]
#[test]
fn fs_store_spooled_on_another_filesystem() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let other = match tempfile::tempdir_in("/dev/shm") {
        Ok(other) => other,
        Err(e) => {
            eprintln!("note: cross-filesystem spool test skipped: /dev/shm: {e}");
            return;
        }
    };
    let dev = |p: &Path| std::fs::metadata(p).unwrap().dev();
    if dev(dir.path()) == dev(other.path()) {
        eprintln!("note: cross-filesystem spool test skipped: /dev/shm is on the same filesystem");
        return;
    }
    let store = FsStore::new(dir.path().join("blobs")).unwrap();
    fs_harness_run(&store, other.path());
    let bytes = pseudo_random(100_000, 7);
    let spool_dir = other.path().join("fresh");
    let spooled = spool(&spool_dir, &bytes, 7000);
    let key = spooled.sha256.clone();
    let tmp_before = files_in(store.tmp_dir());
    assert!(store.put_spooled(spooled).unwrap());
    assert_eq!(
        files_in(&spool_dir),
        Vec::<String>::new(),
        "spool removed after the copy"
    );
    assert_eq!(
        files_in(store.tmp_dir()),
        tmp_before,
        "no temp left after the copy"
    );
    assert_eq!(store.get(&key).unwrap(), bytes);
}

#[test]
fn fs_layout_and_crash_debris() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let store = FsStore::new(root.clone()).unwrap();
    let key = store.put_bytes(b"layout").unwrap();
    assert!(root.join(&key[..2]).join(&key).is_file());
    assert!(
        files_in(&root.join("tmp")).is_empty(),
        "no temp left after a put"
    );
    let spooled = spool(store.tmp_dir(), b"spooled", 3);
    let key2 = spooled.sha256.clone();
    store.put_spooled(spooled).unwrap();
    assert!(root.join(&key2[..2]).join(&key2).is_file());
    assert!(files_in(&root.join("tmp")).is_empty());
    store.check().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join(&key[..2]).join(&key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "blobs are private to the owner");
    }
    // A store on a missing directory cannot answer its probe.
    std::fs::remove_dir_all(&root).unwrap();
    assert!(matches!(store.check(), Err(BlobError::Io(_))));
}

#[test]
fn errors_do_not_show_paths() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    // A root below a regular file cannot be created.
    let err = FsStore::new(file.join("secret-place")).unwrap_err();
    assert!(matches!(err, BlobError::Io(_)));
    assert!(!err.to_string().contains("secret-place"), "{err}");
    let err = Spool::new(&file.join("spool"), 10).unwrap_err();
    assert!(!err.to_string().contains("a-file"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// from_env

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn from_env_defaults_to_fs() {
    let dir = tempfile::tempdir().unwrap();
    let store = from_env(&env(&[]), dir.path()).unwrap();
    let key = store.put_bytes(b"default").unwrap();
    assert!(dir
        .path()
        .join("blobs")
        .join(&key[..2])
        .join(&key)
        .is_file());
    let store = from_env(&env(&[("RECOUVRA_STORAGE", "fs")]), dir.path()).unwrap();
    assert!(store.exists(&key).unwrap());
}

#[test]
fn from_env_names_the_bad_variable() {
    let dir = tempfile::tempdir().unwrap();
    let config_error = |pairs: &[(&str, &str)]| match from_env(&env(pairs), dir.path()) {
        Err(BlobError::Config(m)) => m,
        Err(other) => panic!("{pairs:?}: expected a Config error, got {other:?}"),
        Ok(store) => panic!("{pairs:?}: expected a Config error, got {store:?}"),
    };
    let s3 = ("RECOUVRA_STORAGE", "s3");
    let bucket = ("RECOUVRA_S3_BUCKET", "evidence");
    let key_id = ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    let secret = (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    );
    assert!(config_error(&[("RECOUVRA_STORAGE", "nfs")]).contains("RECOUVRA_STORAGE"));
    assert!(config_error(&[s3, key_id, secret]).contains("RECOUVRA_S3_BUCKET"));
    assert!(config_error(&[s3, bucket, secret]).contains("AWS_ACCESS_KEY_ID"));
    assert!(config_error(&[s3, bucket, key_id]).contains("AWS_SECRET_ACCESS_KEY"));
    let m = config_error(&[
        s3,
        bucket,
        key_id,
        secret,
        ("RECOUVRA_S3_ALLOW_HTTP", "maybe"),
    ]);
    assert!(m.contains("RECOUVRA_S3_ALLOW_HTTP"));
    let m = config_error(&[
        s3,
        bucket,
        key_id,
        secret,
        ("RECOUVRA_S3_ENDPOINT", "http://127.0.0.1:9"),
    ]);
    assert!(m.contains("RECOUVRA_S3_ALLOW_HTTP"), "{m}");
    let m = config_error(&[
        s3,
        bucket,
        key_id,
        secret,
        ("RECOUVRA_S3_ENDPOINT", "minio:9000"),
    ]);
    assert!(m.contains("RECOUVRA_S3_ENDPOINT"), "{m}");
    for prefix in ["/abs/", "a//b/", "a/../b/"] {
        let m = config_error(&[s3, bucket, key_id, secret, ("RECOUVRA_S3_PREFIX", prefix)]);
        assert!(m.contains("RECOUVRA_S3_PREFIX"), "{prefix}: {m}");
    }

    // A complete configuration builds without any request; Debug hides the secret.
    let store = from_env(
        &env(&[
            s3,
            bucket,
            key_id,
            secret,
            ("RECOUVRA_S3_ENDPOINT", "http://127.0.0.1:9"),
            ("RECOUVRA_S3_ALLOW_HTTP", "true"),
            ("RECOUVRA_S3_PREFIX", "recouvra/blobs/"),
        ]),
        dir.path(),
    )
    .unwrap();
    let shown = format!("{store:?}");
    assert!(
        shown.contains("evidence") && !shown.contains("EXAMPLEKEY"),
        "{shown}"
    );
    let config = S3Config {
        bucket: "b".into(),
        endpoint: None,
        region: "eu-west-3".into(),
        access_key_id: "id".into(),
        secret_access_key: "very-secret".into(),
        allow_http: false,
        prefix: String::new(),
    };
    assert!(!format!("{config:?}").contains("very-secret"));
    // Nothing listens on port 9: the probe fails quickly, as an Io error without the endpoint.
    match store.check() {
        Err(BlobError::Io(m)) => assert!(!m.contains("127.0.0.1"), "{m}"),
        other => panic!("expected an Io error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// S3 (against an emulator)

static BUCKET_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh bucket on the emulator and a store on it, or `None` (with a note) when no emulator
/// is configured.
fn s3_store(test: &str, prefix: &str) -> Option<S3Store> {
    let Some(endpoint) = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        // CI sets this so that a missing emulator fails instead of passing silently.
        assert!(
            std::env::var_os("TEST_S3_REQUIRED").is_none(),
            "{test}: TEST_S3_REQUIRED is set but TEST_S3_ENDPOINT is not"
        );
        eprintln!("note: {test} skipped: set TEST_S3_ENDPOINT (see start-moto.sh)");
        return None;
    };
    let endpoint = endpoint.trim_end_matches('/').to_string();
    let bucket = format!(
        "recouvra-test-{}-{}-{}",
        std::process::id(),
        BUCKET_COUNTER.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    // object_store cannot create buckets; moto accepts an unsigned `PUT /<bucket>`.
    ureq::put(&format!("{endpoint}/{bucket}"))
        .call()
        .unwrap_or_else(|e| panic!("creating bucket {bucket} on {endpoint}: {e}"));
    let store = S3Store::new(S3Config {
        bucket,
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
        allow_http: endpoint.starts_with("http://"),
        prefix: prefix.to_string(),
    })
    .unwrap();
    Some(store)
}

fn s3_harness_run(store: &S3Store) {
    let spool = tempfile::tempdir().unwrap();
    let tamper =
        |key: &str, bytes: &[u8]| store.raw_put(&format!("{}{key}", store.prefix()), bytes);
    let plant = || {
        let p = store.prefix();
        store.raw_unfinished_upload(&format!("{p}{}", sha256_hex(b"crashed upload")));
        store.raw_put(&format!("{p}not-a-blob"), b"x");
        store.raw_put(&format!("{p}nested/{}", sha256_hex(b"nested")), b"nested");
        store.raw_put(&format!("elsewhere-{}", sha256_hex(b"outside")), b"outside");
    };
    run_all(&Harness {
        store,
        spool_dir: spool.path(),
        tamper: &tamper,
        plant_debris: &plant,
    });
    let listed = store.list().unwrap();
    for foreign in [b"crashed upload".as_slice(), b"nested", b"outside"] {
        assert!(!listed.contains(&sha256_hex(foreign)), "{listed:?}");
    }
}

#[test]
fn s3_store_without_prefix() {
    if let Some(store) = s3_store("s3_store_without_prefix", "") {
        s3_harness_run(&store);
    }
}

#[test]
fn s3_store_with_dir_prefix() {
    if let Some(store) = s3_store("s3_store_with_dir_prefix", "recouvra/blobs/") {
        s3_harness_run(&store);
    }
}

#[test]
fn s3_store_with_name_prefix() {
    if let Some(store) = s3_store("s3_store_with_name_prefix", "recouvra/blob-") {
        s3_harness_run(&store);
    }
}

#[test]
fn s3_big_file_goes_multipart() {
    let Some(store) = s3_store("s3_big_file_goes_multipart", "big/") else {
        return;
    };
    let spool_dir = tempfile::tempdir().unwrap();
    let data = pseudo_random(20 * 1024 * 1024 + 12_345, 5);
    let spooled = spool(spool_dir.path(), &data, 256 * 1024);
    let key = spooled.sha256.clone();
    assert!(store.put_spooled(spooled).unwrap());
    assert!(files_in(spool_dir.path()).is_empty());
    assert_eq!(store.list().unwrap(), vec![key.clone()]);
    assert!(store.verify(&key).unwrap());
    let (streamed, end) = read_in_small_chunks(store.open(&key).unwrap());
    end.unwrap();
    assert!(streamed == data, "multipart round trip");
    // Exactly one part's size goes multipart too (one full part, then an empty read).
    let exact = pseudo_random(8 * 1024 * 1024, 6);
    let spooled = spool(spool_dir.path(), &exact, 1 << 20);
    let exact_key = spooled.sha256.clone();
    assert!(store.put_spooled(spooled).unwrap());
    assert!(store.get(&exact_key).unwrap() == exact);

    // A spool file changed on disk after `finish` is refused before the upload completes, on
    // both paths, and leaves no object.
    for len in [1000, 9 * 1024 * 1024] {
        let bytes = pseudo_random(len, 8);
        let spooled = spool(spool_dir.path(), &bytes, 1 << 20);
        let key = spooled.sha256.clone();
        let mut changed = bytes.clone();
        changed[len - 1] ^= 1;
        std::fs::write(spooled.path(), &changed).unwrap();
        assert!(
            matches!(store.put_spooled(spooled), Err(BlobError::Integrity { .. })),
            "{len}"
        );
        assert!(!store.exists(&key).unwrap());
    }
    assert!(files_in(spool_dir.path()).is_empty());
}

#[test]
fn s3_from_blocking_threads_of_another_runtime() {
    let Some(store) = s3_store("s3_from_blocking_threads_of_another_runtime", "") else {
        return;
    };
    let store: std::sync::Arc<dyn BlobStore> = std::sync::Arc::new(store);
    // Like actix: a current-thread runtime whose handlers use spawn_blocking.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut tasks = Vec::new();
        for i in 0..4u8 {
            let store = std::sync::Arc::clone(&store);
            tasks.push(tokio::task::spawn_blocking(move || {
                let bytes = vec![i; 10_000];
                let key = store.put_bytes(&bytes).unwrap();
                assert_eq!(store.get(&key).unwrap(), bytes);
                store.check().unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        // Dropping the last handle inside an async context must not panic.
        drop(store);
    });
}

#[test]
fn s3_check_fails_on_a_missing_bucket() {
    let Some(store) = s3_store("s3_check_fails_on_a_missing_bucket", "") else {
        return;
    };
    store.check().unwrap();
    let endpoint = std::env::var("TEST_S3_ENDPOINT").unwrap();
    let missing = S3Store::new(S3Config {
        bucket: "recouvra-no-such-bucket".into(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
        allow_http: endpoint.starts_with("http://"),
        prefix: String::new(),
    })
    .unwrap();
    assert!(matches!(missing.check(), Err(BlobError::Io(_))));
}
