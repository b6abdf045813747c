//! `recouvra backup --to PATH`: an online, consistent copy of the SQLite database. `VACUUM
//! INTO` reads one snapshot (a read transaction; the server keeps writing through the WAL)
//! and writes a compact, self-contained file. PostgreSQL has its own tool (`pg_dump`).

use diesel::connection::SimpleConnection;
use std::path::Path;

use crate::db::{self, Backend, DbConn};

/// The database is PostgreSQL: the operator is told to use `pg_dump` (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error(
    "backup copies SQLite databases only; on PostgreSQL use `pg_dump --format=custom` \
     (and `pg_restore` to restore): see README, Operations"
)]
pub struct UsePgDump;

/// Copies the database at `url` to `target` (which must not exist); returns its size.
///
/// The copy is written beside the target under a temporary name, flushed to disk, then linked
/// to the target name (a hard link fails if the target appeared meanwhile, so nothing is ever
/// overwritten), so a crash leaves no half-written file under the target's name.
pub fn sqlite(url: &str, target: &Path) -> anyhow::Result<u64> {
    if Backend::from_url(url)? == Backend::Postgres {
        return Err(UsePgDump.into());
    }
    let source = db::sqlite_path(url);
    if !Path::new(source).is_file() {
        anyhow::bail!("no database at {source}");
    }
    if target.exists() {
        anyhow::bail!("{} already exists: choose a new file", target.display());
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{} is not a file name", target.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let tmp_str = tmp
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not valid UTF-8", tmp.display()))?;
    let result = (|| -> anyhow::Result<u64> {
        let mut conn = db::connect(url)?;
        let DbConn::Sqlite(c) = &mut conn else {
            return Err(UsePgDump.into());
        };
        // A string literal, quotes doubled: VACUUM INTO takes no bound parameter here.
        c.batch_execute(&format!("VACUUM INTO '{}'", tmp_str.replace('\'', "''")))
            .map_err(|e| anyhow::anyhow!("VACUUM INTO {}: {e}", tmp.display()))?;
        drop(conn);
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::hard_link(&tmp, target)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", target.display()))?;
        // The new name must survive a power cut too.
        std::fs::File::open(dir)?.sync_all()?;
        Ok(std::fs::metadata(target)?.len())
    })();
    // The temporary name goes in every case (after the link it is a second name of the copy).
    let _ = std::fs::remove_file(&tmp);
    result
}
