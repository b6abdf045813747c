//! The document store: generated PDFs kept under `<data dir>/documents/<sha256>`, named by
//! their hash, so the bytes shown later are exactly those sent (and a changed file is seen).

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

/// The SHA-256 of some bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn path_of(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("documents").join(sha256)
}

/// Stores bytes (idempotent: the same bytes land in the same file) and returns their hash.
/// Written under a temporary name and renamed, so a crash never leaves half a document.
pub fn put(data_dir: &Path, bytes: &[u8]) -> AppResult<String> {
    let sha = sha256_hex(bytes);
    let path = path_of(data_dir, &sha);
    if path.exists() {
        return Ok(sha);
    }
    let dir = data_dir.join("documents");
    std::fs::create_dir_all(&dir).map_err(AppError::internal)?;
    crate::util::write_atomically(&path, bytes).map_err(AppError::internal)?;
    Ok(sha)
}

/// Reads a document back, checking that its bytes still have the recorded hash.
pub fn get(data_dir: &Path, sha256: &str) -> AppResult<Vec<u8>> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::internal("malformed document hash"));
    }
    let bytes = std::fs::read(path_of(data_dir, sha256)).map_err(AppError::internal)?;
    if sha256_hex(&bytes) != sha256 {
        return Err(AppError::internal(format!(
            "document {sha256} does not match its hash"
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip_and_changes_are_caught() {
        let dir = tempfile::tempdir().unwrap();
        let sha = put(dir.path(), b"%PDF-1.7 hello").unwrap();
        assert_eq!(sha, sha256_hex(b"%PDF-1.7 hello"));
        assert_eq!(put(dir.path(), b"%PDF-1.7 hello").unwrap(), sha);
        assert_eq!(get(dir.path(), &sha).unwrap(), b"%PDF-1.7 hello");
        std::fs::write(path_of(dir.path(), &sha), b"%PDF-1.7 changed").unwrap();
        assert!(get(dir.path(), &sha).is_err());
        assert!(get(dir.path(), "../../etc/passwd").is_err());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("documents"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("tmp")
            })
            .collect();
        assert!(leftovers.is_empty());
    }
}
