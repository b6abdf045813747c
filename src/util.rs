//! Small helpers shared by several layers.

use std::io::Write;
use std::path::Path;

/// Writes a file under a temporary name, flushes it to disk, then renames it into place, so a
/// crash leaves either the old file or the complete new one, never half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
