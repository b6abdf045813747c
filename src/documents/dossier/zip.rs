//! A small deterministic ZIP writer (APPNOTE 6.3.10, no zip64).
//!
//! Entries are STORED: the PDFs and images of a dossier are already compressed, so deflating
//! them again costs time for nothing. Every entry carries the same DOS timestamp (the dossier
//! date, 00:00), no extra field, no comment, no system-dependent attributes, and entries are
//! written in the order they are added: the same entries always give the same bytes.
//!
//! What would need zip64 is refused ([`DossierError::TooLarge`]) rather than written: more
//! than 65 535 entries, or an archive of 4 GiB or more (every size and offset must fit in
//! 32 bits).

use super::DossierError;
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;
use std::io::Write;

const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const END_SIGNATURE: u32 = 0x0605_4b50;
/// "Version needed to extract": 1.0 is enough for STORED entries.
const VERSION_NEEDED: u16 = 10;
/// "Version made by": MS-DOS attributes (high byte 0), specification 2.0.
const VERSION_MADE_BY: u16 = 20;
const LOCAL_HEADER_LEN: u64 = 30;
const CENTRAL_HEADER_LEN: u64 = 46;
const END_RECORD_LEN: u64 = 22;

/// Most entries a ZIP file without zip64 can hold.
pub const MAX_ENTRIES: usize = 65_535;
/// Largest archive without zip64, in bytes (offsets and sizes are 32-bit).
pub const MAX_ARCHIVE_BYTES: u64 = u32::MAX as u64;

/// One entry, as the central directory will describe it.
struct Entry {
    name: String,
    crc: u32,
    size: u32,
    offset: u32,
}

/// Writes a ZIP archive entry by entry to `W` (a `Vec<u8>`, a file).
pub struct ZipWriter<W: Write> {
    out: W,
    written: u64,
    central_len: u64,
    entries: Vec<Entry>,
    names: HashSet<String>,
    dos_date: u16,
    limit: u64,
}

/// The DOS date of `date` (years 1980 to 2107 only).
fn dos_date(date: NaiveDate) -> Result<u16, DossierError> {
    let year = u16::try_from(date.year() - 1980)
        .ok()
        .filter(|y| *y <= 127)
        .ok_or_else(|| {
            DossierError::Invalid(format!(
                "{date} cannot be a ZIP timestamp (years 1980 to 2107)"
            ))
        })?;
    // Month and day are at most 12 and 31: the casts cannot truncate.
    Ok(year << 9 | (date.month() as u16) << 5 | date.day() as u16)
}

/// Entry names are relative, `/`-separated, printable ASCII paths (no `..`, no empty part):
/// every tool reads them the same way and none can write outside its target folder.
fn check_name(name: &str) -> Result<(), DossierError> {
    let bad = |why: &str| DossierError::Invalid(format!("ZIP entry name {name:?}: {why}"));
    if name.is_empty() || name.len() > 1024 {
        return Err(bad("empty or longer than 1024 bytes"));
    }
    if !name
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        return Err(bad("not printable ASCII, or contains a backslash"));
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(bad("absolute, or with an empty, `.` or `..` part"));
    }
    Ok(())
}

impl<W: Write> ZipWriter<W> {
    /// Starts an archive whose entries are all dated `date` (00:00).
    pub fn new(out: W, date: NaiveDate) -> Result<Self, DossierError> {
        Self::with_limit(out, date, MAX_ARCHIVE_BYTES)
    }

    /// Like [`ZipWriter::new`] with a lower size limit (tests the limit without writing 4 GiB).
    pub(super) fn with_limit(out: W, date: NaiveDate, limit: u64) -> Result<Self, DossierError> {
        Ok(Self {
            out,
            written: 0,
            central_len: 0,
            entries: Vec::new(),
            names: HashSet::new(),
            dos_date: dos_date(date)?,
            limit: limit.min(MAX_ARCHIVE_BYTES),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), DossierError> {
        self.out
            .write_all(bytes)
            .map_err(|e| DossierError::Write(e.kind().to_string()))?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Adds a file. Refused before anything is written if the name is invalid or already
    /// used, or if the archive would then need zip64.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), DossierError> {
        check_name(name)?;
        if self.names.contains(name) {
            return Err(DossierError::Invalid(format!(
                "ZIP entry name {name:?} is used twice"
            )));
        }
        if self.entries.len() >= MAX_ENTRIES {
            return Err(DossierError::TooLarge(format!(
                "more than {MAX_ENTRIES} entries"
            )));
        }
        let name_len = name.len() as u64;
        // Check the whole archive as it would be if this were the last entry, so that
        // `finish` can never fail on size.
        let total = self.written
            + LOCAL_HEADER_LEN
            + name_len
            + data.len() as u64
            + self.central_len
            + CENTRAL_HEADER_LEN
            + name_len
            + END_RECORD_LEN;
        if total > self.limit {
            return Err(DossierError::TooLarge(format!(
                "{total} bytes, over the limit of {} bytes",
                self.limit
            )));
        }
        // Both fit in 32 bits: they are below `total`, itself at most `u32::MAX`.
        let too_large = |_| DossierError::TooLarge("offset over 4 GiB".into());
        let offset = u32::try_from(self.written).map_err(too_large)?;
        let size = u32::try_from(data.len()).map_err(too_large)?;
        let name_len16 = u16::try_from(name.len()).map_err(too_large)?;
        let crc = crc32fast::hash(data);

        let mut header = Vec::with_capacity(30 + name.len());
        header.extend(LOCAL_SIGNATURE.to_le_bytes());
        header.extend(VERSION_NEEDED.to_le_bytes());
        header.extend(0u16.to_le_bytes()); // flags: none (ASCII names, sizes known)
        header.extend(0u16.to_le_bytes()); // method: stored
        header.extend(0u16.to_le_bytes()); // time: 00:00:00
        header.extend(self.dos_date.to_le_bytes());
        header.extend(crc.to_le_bytes());
        header.extend(size.to_le_bytes()); // compressed size
        header.extend(size.to_le_bytes()); // uncompressed size
        header.extend(name_len16.to_le_bytes());
        header.extend(0u16.to_le_bytes()); // extra field length
        header.extend(name.as_bytes());
        self.write(&header)?;
        self.write(data)?;

        self.central_len += CENTRAL_HEADER_LEN + name_len;
        self.names.insert(name.to_string());
        self.entries.push(Entry {
            name: name.to_string(),
            crc,
            size,
            offset,
        });
        Ok(())
    }

    /// Writes the central directory and the end record; returns the destination.
    pub fn finish(mut self) -> Result<W, DossierError> {
        let too_large = |_| DossierError::TooLarge("central directory over 4 GiB".into());
        let central_offset = u32::try_from(self.written).map_err(too_large)?;
        let mut central = Vec::with_capacity(usize::try_from(self.central_len).unwrap_or(0));
        for e in &self.entries {
            central.extend(CENTRAL_SIGNATURE.to_le_bytes());
            central.extend(VERSION_MADE_BY.to_le_bytes());
            central.extend(VERSION_NEEDED.to_le_bytes());
            central.extend(0u16.to_le_bytes()); // flags
            central.extend(0u16.to_le_bytes()); // method: stored
            central.extend(0u16.to_le_bytes()); // time
            central.extend(self.dos_date.to_le_bytes());
            central.extend(e.crc.to_le_bytes());
            central.extend(e.size.to_le_bytes());
            central.extend(e.size.to_le_bytes());
            let name_len = u16::try_from(e.name.len()).map_err(too_large)?;
            central.extend(name_len.to_le_bytes());
            central.extend(0u16.to_le_bytes()); // extra field length
            central.extend(0u16.to_le_bytes()); // comment length
            central.extend(0u16.to_le_bytes()); // disk number start
            central.extend(0u16.to_le_bytes()); // internal attributes
            central.extend(0u32.to_le_bytes()); // external attributes
            central.extend(e.offset.to_le_bytes());
            central.extend(e.name.as_bytes());
        }
        let central_size = u32::try_from(central.len()).map_err(too_large)?;
        let count = u16::try_from(self.entries.len())
            .map_err(|_| DossierError::TooLarge(format!("more than {MAX_ENTRIES} entries")))?;
        let mut end = Vec::with_capacity(22);
        end.extend(END_SIGNATURE.to_le_bytes());
        end.extend(0u16.to_le_bytes()); // this disk
        end.extend(0u16.to_le_bytes()); // disk with the central directory
        end.extend(count.to_le_bytes()); // entries on this disk
        end.extend(count.to_le_bytes()); // entries in total
        end.extend(central_size.to_le_bytes());
        end.extend(central_offset.to_le_bytes());
        end.extend(0u16.to_le_bytes()); // comment length
        self.write(&central)?;
        self.write(&end)?;
        self.out
            .flush()
            .map_err(|e| DossierError::Write(e.kind().to_string()))?;
        Ok(self.out)
    }
}

/// Size of an archive holding entries of these (name length, data size), to reserve a buffer.
pub fn archive_len(entries: impl IntoIterator<Item = (usize, u64)>) -> u64 {
    entries
        .into_iter()
        .map(|(name, data)| LOCAL_HEADER_LEN + CENTRAL_HEADER_LEN + 2 * name as u64 + data)
        .sum::<u64>()
        + END_RECORD_LEN
}

#[cfg(test)]
#[path = "zip_tests.rs"]
mod tests;
