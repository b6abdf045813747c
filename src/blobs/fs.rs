//! Filesystem backend: `<root>/<first 2 hex>/<sha>`, temp files in `<root>/tmp/`.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{
    check_key, create_new_file, io_error, is_valid_key, temp_name, BlobError, BlobStore, Sha256Hex,
    Spooled, TempPath, VerifyingReader,
};

/// Age past which a file in `tmp/` is debris of a killed process.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

/// Blobs in a local directory. See [the module docs](super) for the guarantees.
#[derive(Debug)]
pub struct FsStore {
    root: PathBuf,
    tmp: PathBuf,
}

impl FsStore {
    /// Opens (creating if needed) a store rooted at `root`. Temp files older than an hour are
    /// removed: a process killed while writing a blob leaves its temp file behind (never a
    /// blob: the rename did not happen), and no write lasts that long.
    pub fn new(root: PathBuf) -> Result<FsStore, BlobError> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp).map_err(|e| io_error("creating the blob directory", &tmp, &e))?;
        let swept = crate::util::sweep_old_files(&tmp, STALE_TEMP);
        if swept > 0 {
            tracing::info!(swept, "stale blob temp files removed");
        }
        Ok(FsStore { root, tmp })
    }

    /// The store's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The store's temp directory: spool uploads here so that storing them is a rename.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    fn dir_of(&self, key: &str) -> PathBuf {
        self.root.join(&key[..2])
    }

    fn path_of(&self, key: &str) -> PathBuf {
        self.dir_of(key).join(key)
    }

    /// Creates `<root>/<xx>/` if needed (and makes its entry in the root durable).
    fn ensure_dir(&self, dir: &Path) -> Result<(), BlobError> {
        match fs::create_dir(dir) {
            Ok(()) => sync_dir(&self.root),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(io_error("creating a blob directory", dir, &e)),
        }
    }

    /// Renames a complete, fsynced temp file to its key and makes the rename durable.
    fn commit(&self, temp: TempPath, key: &str) -> Result<(), BlobError> {
        let dir = self.dir_of(key);
        self.ensure_dir(&dir)?;
        let dest = dir.join(key);
        fs::rename(temp.path(), &dest).map_err(|e| io_error("storing a blob", &dest, &e))?;
        temp.keep();
        sync_dir(&dir)
    }

    /// Copies a spooled file from another filesystem into `tmp/`, checking its hash.
    fn copy_in(&self, spooled: &Spooled) -> Result<TempPath, BlobError> {
        let src = spooled.path();
        let mut input = File::open(src).map_err(|e| io_error("reading a spool file", src, &e))?;
        let temp = TempPath::new(self.tmp.join(temp_name("put")));
        let mut out = create_new_file(temp.path())
            .map_err(|e| io_error("creating a temp file", temp.path(), &e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error("reading a spool file", src, &e)),
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| io_error("writing a temp file", temp.path(), &e))?;
        }
        let actual = hex::encode(hasher.finalize());
        if actual != spooled.sha256 {
            tracing::error!(expected = %spooled.sha256, %actual, "spool file changed before it was stored");
            return Err(BlobError::Integrity {
                expected: spooled.sha256.clone(),
                actual,
            });
        }
        out.sync_all()
            .map_err(|e| io_error("syncing a temp file", temp.path(), &e))?;
        Ok(temp)
    }
}

/// fsyncs a directory so that the entries created or renamed in it survive a crash.
fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("syncing a blob directory", dir, &e))
}

impl BlobStore for FsStore {
    fn put_spooled(&self, spooled: Spooled) -> Result<bool, BlobError> {
        let key = spooled.key()?.to_string();
        if self.exists(&key)? {
            return Ok(false); // `spooled` is dropped: its temp file is removed
        }
        let dir = self.dir_of(&key);
        self.ensure_dir(&dir)?;
        let dest = dir.join(&key);
        match fs::rename(spooled.path(), &dest) {
            Ok(()) => {
                spooled.into_temp().keep();
                sync_dir(&dir)?;
            }
            Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
                // Spooled on another filesystem: copy into tmp/, then rename.
                let temp = self.copy_in(&spooled)?;
                self.commit(temp, &key)?;
            }
            Err(e) => return Err(io_error("storing a blob", &dest, &e)),
        }
        Ok(true)
    }

    fn put_bytes(&self, bytes: &[u8]) -> Result<Sha256Hex, BlobError> {
        let key = super::sha256_hex(bytes);
        if self.exists(&key)? {
            return Ok(key);
        }
        let temp = TempPath::new(self.tmp.join(temp_name("put")));
        let mut file = create_new_file(temp.path())
            .map_err(|e| io_error("creating a temp file", temp.path(), &e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error("writing a temp file", temp.path(), &e))?;
        drop(file);
        self.commit(temp, &key)?;
        Ok(key)
    }

    fn open(&self, sha256: &str) -> Result<Box<dyn Read + Send>, BlobError> {
        check_key(sha256)?;
        let path = self.path_of(sha256);
        match File::open(&path) {
            Ok(file) => Ok(Box::new(VerifyingReader::new(file, sha256))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(BlobError::NotFound(sha256.to_string()))
            }
            Err(e) => Err(io_error("opening a blob", &path, &e)),
        }
    }

    fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        check_key(sha256)?;
        let path = self.path_of(sha256);
        match fs::metadata(&path) {
            Ok(meta) => Ok(meta.is_file()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error("looking up a blob", &path, &e)),
        }
    }

    fn list(&self) -> Result<Vec<Sha256Hex>, BlobError> {
        let mut keys = Vec::new();
        let entries =
            fs::read_dir(&self.root).map_err(|e| io_error("listing blobs", &self.root, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("listing blobs", &self.root, &e))?;
            let name = entry.file_name();
            let Some(prefix) = name.to_str() else {
                continue;
            };
            if prefix.len() != 2
                || !prefix
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            {
                continue; // tmp/ and anything foreign
            }
            let dir = entry.path();
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let files = fs::read_dir(&dir).map_err(|e| io_error("listing blobs", &dir, &e))?;
            for file in files {
                let file = file.map_err(|e| io_error("listing blobs", &dir, &e))?;
                let Some(key) = file.file_name().to_str().map(str::to_string) else {
                    continue;
                };
                if is_valid_key(&key)
                    && key.starts_with(prefix)
                    && file.file_type().is_ok_and(|t| t.is_file())
                {
                    keys.push(key);
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn delete(&self, sha256: &str) -> Result<(), BlobError> {
        check_key(sha256)?;
        let path = self.path_of(sha256);
        match fs::remove_file(&path) {
            Ok(()) => sync_dir(&self.dir_of(sha256)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("deleting a blob", &path, &e)),
        }
    }

    fn check(&self) -> Result<(), BlobError> {
        // Creating and removing a file catches a missing, read-only or full volume.
        let probe = TempPath::new(self.tmp.join(temp_name("readyz")));
        create_new_file(probe.path())
            .map_err(|e| io_error("probing the blob directory", probe.path(), &e))?;
        drop(probe);
        Ok(())
    }
}
