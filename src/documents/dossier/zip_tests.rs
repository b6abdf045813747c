//! Tests of the ZIP writer: the bytes are parsed back by a reader written from the
//! specification (and by python3's `zipfile` in the dossier tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// One entry as read back: name, method, DOS time and date, CRC, data.
#[derive(Debug, PartialEq)]
struct Read {
    name: String,
    method: u16,
    time: u16,
    date: u16,
    crc: u32,
    data: Vec<u8>,
}

/// Reads an archive through its end record and central directory, checking every local
/// header against its central entry, the CRC of the data, and that nothing is left over.
fn read(zip: &[u8]) -> Vec<Read> {
    let end = zip.len() - 22;
    assert_eq!(u32_at(zip, end), END_SIGNATURE);
    assert_eq!(u16_at(zip, end + 20), 0, "no comment");
    let count = usize::from(u16_at(zip, end + 10));
    assert_eq!(u16_at(zip, end + 8), u16_at(zip, end + 10));
    let cd_size = u32_at(zip, end + 12) as usize;
    let cd_offset = u32_at(zip, end + 16) as usize;
    assert_eq!(
        cd_offset + cd_size,
        end,
        "central directory right before the end record"
    );
    let mut entries = Vec::new();
    let mut at = cd_offset;
    let mut expected_offset = 0;
    for _ in 0..count {
        assert_eq!(u32_at(zip, at), CENTRAL_SIGNATURE);
        assert_eq!(u16_at(zip, at + 4), VERSION_MADE_BY);
        assert_eq!(u16_at(zip, at + 6), VERSION_NEEDED);
        let (crc, csize, usize_) = (
            u32_at(zip, at + 16),
            u32_at(zip, at + 20),
            u32_at(zip, at + 24),
        );
        assert_eq!(csize, usize_, "stored: both sizes equal");
        let name_len = usize::from(u16_at(zip, at + 28));
        assert_eq!(u16_at(zip, at + 30), 0, "no extra field");
        assert_eq!(u16_at(zip, at + 32), 0, "no comment");
        assert_eq!(u32_at(zip, at + 38), 0, "no external attributes");
        let offset = u32_at(zip, at + 42) as usize;
        assert_eq!(offset, expected_offset, "entries are contiguous, in order");
        let name = &zip[at + 46..at + 46 + name_len];
        // The local header repeats the central entry.
        assert_eq!(u32_at(zip, offset), LOCAL_SIGNATURE);
        assert_eq!(
            zip[offset + 4..offset + 26],
            zip[at + 6..at + 28],
            "local header of {name:?}"
        );
        assert_eq!(u16_at(zip, offset + 28), 0);
        assert_eq!(&zip[offset + 30..offset + 30 + name_len], name);
        let start = offset + 30 + name_len;
        let data = zip[start..start + csize as usize].to_vec();
        assert_eq!(crc32fast::hash(&data), crc, "CRC of {name:?}");
        expected_offset = start + data.len();
        entries.push(Read {
            name: String::from_utf8(name.to_vec()).unwrap(),
            method: u16_at(zip, at + 10),
            time: u16_at(zip, at + 12),
            date: u16_at(zip, at + 14),
            crc,
            data,
        });
        at += 46 + name_len;
    }
    assert_eq!(
        expected_offset, cd_offset,
        "nothing between the data and the directory"
    );
    assert_eq!(at, end);
    entries
}

fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Vec::new(), date()).unwrap();
    for (name, data) in entries {
        zip.add(name, data).unwrap();
    }
    zip.finish().unwrap()
}

#[test]
fn entries_read_back_with_their_crc_sizes_and_date() {
    let big: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let zip = archive(&[
        ("dossier.pdf", b"%PDF-1.7"),
        ("pieces/01-a.txt", b""),
        ("pieces/02-b.bin", &big),
    ]);
    assert_eq!(
        zip.len() as u64,
        archive_len([(11, 8), (15, 0), (15, 70_000)])
    );
    let entries = read(&zip);
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].name, "dossier.pdf");
    assert_eq!(entries[0].data, b"%PDF-1.7");
    assert_eq!(entries[1].data, b"");
    assert_eq!(entries[1].crc, 0);
    assert_eq!(entries[2].data, big);
    for e in &entries {
        assert_eq!(e.method, 0, "stored");
        assert_eq!(e.time, 0, "00:00:00");
        // 2026-03-02: (2026 - 1980) << 9 | 3 << 5 | 2.
        assert_eq!(e.date, 46 << 9 | 3 << 5 | 2);
    }
}

#[test]
fn crc_is_the_standard_crc32() {
    // The check value of CRC-32/ISO-HDLC, the one ZIP uses.
    let entries = read(&archive(&[("check.txt", b"123456789")]));
    assert_eq!(entries[0].crc, 0xCBF4_3926);
}

#[test]
fn a_one_entry_archive_is_byte_for_byte_what_the_specification_says() {
    let zip = archive(&[("a", b"xyz")]);
    let crc = crc32fast::hash(b"xyz").to_le_bytes();
    let date = (46u16 << 9 | 3 << 5 | 2).to_le_bytes();
    let mut expected: Vec<u8> = vec![
        0x50, 0x4b, 0x03, 0x04, 10, 0, 0, 0, 0, 0, 0, 0, date[0], date[1],
    ];
    expected.extend(crc);
    expected.extend([3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, b'a', b'x', b'y', b'z']);
    expected.extend([
        0x50, 0x4b, 0x01, 0x02, 20, 0, 10, 0, 0, 0, 0, 0, 0, 0, date[0], date[1],
    ]);
    expected.extend(crc);
    expected.extend([
        3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'a',
    ]);
    expected.extend([
        0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 47, 0, 0, 0, 34, 0, 0, 0, 0, 0,
    ]);
    assert_eq!(zip, expected);
}

#[test]
fn the_same_entries_give_the_same_bytes() {
    let entries: &[(&str, &[u8])] = &[("b.txt", b"second"), ("a.txt", b"first")];
    let zip = archive(entries);
    assert_eq!(zip, archive(entries));
    // Order is the order given, not sorted.
    let names: Vec<String> = read(&zip).into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["b.txt", "a.txt"]);
    // Only the date fields change with the date.
    let mut other =
        ZipWriter::new(Vec::new(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).unwrap();
    for (name, data) in entries {
        other.add(name, data).unwrap();
    }
    let other = other.finish().unwrap();
    assert_eq!(other.len(), zip.len());
    let differing = zip.iter().zip(&other).filter(|(a, b)| a != b).count();
    assert!(
        differing > 0 && differing <= 2 * 4,
        "{differing} bytes differ"
    );
}

#[test]
fn more_than_65535_entries_are_refused() {
    let mut zip = ZipWriter::new(std::io::sink(), date()).unwrap();
    for i in 0..MAX_ENTRIES {
        zip.add(&format!("e/{i}"), b"").unwrap();
    }
    let err = zip.add("one-too-many", b"").unwrap_err();
    assert!(matches!(err, DossierError::TooLarge(_)), "{err:?}");
    zip.finish().unwrap();
}

#[test]
fn an_archive_over_the_size_limit_is_refused_before_anything_is_written() {
    // The limit is 4 GiB; the same check with a limit of a few hundred bytes. Entry "a" of
    // 50 bytes then entry "b" of 2 bytes make (30 + 1 + 50) + (30 + 1 + 2) + 2 × (46 + 1)
    // + 22 = 230 bytes.
    for (limit, fits) in [(229, false), (230, true)] {
        let mut zip = ZipWriter::with_limit(Vec::new(), date(), limit).unwrap();
        zip.add("a", &[0u8; 50]).unwrap();
        let before = zip.out.len();
        match zip.add("b", &[0u8; 2]) {
            Ok(()) => assert!(fits, "accepted over the limit {limit}"),
            Err(err) => {
                assert!(!fits && matches!(err, DossierError::TooLarge(_)), "{err:?}");
                assert_eq!(zip.out.len(), before, "nothing written for a refused entry");
            }
        }
        let bytes = zip.finish().unwrap();
        assert!(bytes.len() as u64 <= limit);
        assert_eq!(read(&bytes).len(), if fits { 2 } else { 1 });
    }
}

#[test]
fn the_real_limit_is_4_gib() {
    let zip = ZipWriter::new(Vec::new(), date()).unwrap();
    assert_eq!(zip.limit, u32::MAX as u64);
    assert_eq!(MAX_ARCHIVE_BYTES, 4 * 1024 * 1024 * 1024 - 1);
}

#[test]
fn unsafe_or_duplicate_names_are_refused() {
    for bad in [
        "", "/abs", "../up", "a/../b", "a//b", "a/", "./a", "a\\b", "é.txt", "tab\t", "nul\0",
    ] {
        let mut zip = ZipWriter::new(Vec::new(), date()).unwrap();
        let err = zip.add(bad, b"x").unwrap_err();
        assert!(matches!(err, DossierError::Invalid(_)), "{bad:?}: {err:?}");
    }
    let mut zip = ZipWriter::new(Vec::new(), date()).unwrap();
    zip.add("pieces/01-a.pdf", b"x").unwrap();
    assert!(matches!(
        zip.add("pieces/01-a.pdf", b"y"),
        Err(DossierError::Invalid(_))
    ));
}

#[test]
fn dates_outside_the_dos_range_are_refused() {
    for (y, ok) in [(1979, false), (1980, true), (2107, true), (2108, false)] {
        let d = NaiveDate::from_ymd_opt(y, 12, 31).unwrap();
        assert_eq!(ZipWriter::new(Vec::new(), d).is_ok(), ok, "{y}");
    }
}
