use super::*;
use std::io::Cursor;

// -----------------------------------------------------------------------------------------
// Helpers
// -----------------------------------------------------------------------------------------

fn sniff_bytes(bytes: &[u8]) -> Result<MediaType, Refused> {
    sniff(&mut Cursor::new(bytes.to_vec()))
}

fn sniff_detailed_bytes(bytes: &[u8]) -> Result<Sniffed, Refused> {
    sniff_detailed(&mut Cursor::new(bytes.to_vec()))
}

/// A reader that counts the bytes it hands out.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Simple xorshift64 generator, for reproducible pseudo-random bytes.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// One entry for the hand-built ZIP writer.
struct ZipEntry {
    name: Vec<u8>,
    data: Vec<u8>,
    method: u16,
    uncompressed: u32,
    flags: u16,
    local_extra: Vec<u8>,
}

fn stored(name: &str, data: &[u8]) -> ZipEntry {
    ZipEntry {
        name: name.as_bytes().to_vec(),
        data: data.to_vec(),
        method: 0,
        uncompressed: data.len() as u32,
        flags: 0,
        local_extra: Vec::new(),
    }
}

fn deflated(name: &str, compressed: &[u8], uncompressed: u32) -> ZipEntry {
    ZipEntry {
        name: name.as_bytes().to_vec(),
        data: compressed.to_vec(),
        method: 8,
        uncompressed,
        flags: 0,
        local_extra: Vec::new(),
    }
}

/// Local headers and data, then the central directory, then the EOCD record (CRCs are 0:
/// the sniffer does not check them).
fn zip_with_comment(entries: &[ZipEntry], comment: &[u8]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        out.extend_from_slice(b"PK\x03\x04");
        u16le(&mut out, 20);
        u16le(&mut out, e.flags);
        u16le(&mut out, e.method);
        u32le(&mut out, 0); // time, date
        u32le(&mut out, 0); // crc
        u32le(&mut out, e.data.len() as u32);
        u32le(&mut out, e.uncompressed);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, e.local_extra.len() as u16);
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.local_extra);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len() as u32;
    for (e, &offset) in entries.iter().zip(&offsets) {
        out.extend_from_slice(b"PK\x01\x02");
        u16le(&mut out, 20);
        u16le(&mut out, 20);
        u16le(&mut out, e.flags);
        u16le(&mut out, e.method);
        u32le(&mut out, 0);
        u32le(&mut out, 0);
        u32le(&mut out, e.data.len() as u32);
        u32le(&mut out, e.uncompressed);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0); // extra
        u16le(&mut out, 0); // comment
        u16le(&mut out, 0); // disk
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, 0); // external attributes
        u32le(&mut out, offset);
        out.extend_from_slice(&e.name);
    }
    let cd_size = out.len() as u32 - cd_start;
    out.extend_from_slice(b"PK\x05\x06");
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_start);
    u16le(&mut out, comment.len() as u16);
    out.extend_from_slice(comment);
    out
}

fn zip(entries: &[ZipEntry]) -> Vec<u8> {
    zip_with_comment(entries, b"")
}

/// Where the (last) EOCD record starts.
fn eocd_pos(zip: &[u8]) -> usize {
    (0..zip.len() - 3)
        .rev()
        .find(|&p| &zip[p..p + 4] == b"PK\x05\x06")
        .unwrap()
}

fn patch_u16(buf: &mut [u8], at: usize, v: u16) {
    buf[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn patch_u32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

const DOCX_CT: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    "</Types>"
);

fn content_types(main: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/x" ContentType="{}"/></Types>"#
        ),
        main
    )
}

const DOCX_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const XLSX_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const PPTX_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";

fn docx_entries() -> Vec<ZipEntry> {
    vec![
        stored("[Content_Types].xml", content_types(DOCX_MAIN).as_bytes()),
        stored("_rels/.rels", b"<Relationships/>"),
        stored("word/document.xml", b"<w:document/>"),
    ]
}

fn docx() -> Vec<u8> {
    zip(&docx_entries())
}

fn odf(mimetype: &str, extra: Vec<ZipEntry>) -> Vec<u8> {
    let mut entries = vec![
        stored("mimetype", mimetype.as_bytes()),
        stored("content.xml", b"<office:document-content/>"),
        stored("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ];
    entries.extend(extra);
    zip(&entries)
}

fn pdf(body: &[u8]) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    v.extend_from_slice(body);
    v.extend_from_slice(b"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n");
    v
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

// -----------------------------------------------------------------------------------------
// MediaType
// -----------------------------------------------------------------------------------------

#[test]
fn media_type_names_round_trip_and_are_unique() {
    for t in MediaType::ALL {
        assert_eq!(MediaType::parse(t.as_str()), Some(t));
        assert_eq!(t.to_string(), t.as_str());
        assert_eq!(t.as_str(), t.as_str().to_lowercase());
        assert!(expected_extension_matches(
            &format!("x.{}", t.extension()),
            t
        ));
        assert!(!t.mime().is_empty());
    }
    let mut names: Vec<_> = MediaType::ALL.iter().map(|t| t.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), MediaType::ALL.len());
    assert_eq!(MediaType::parse("PDF"), None);
    assert_eq!(MediaType::parse("exe"), None);
    assert_eq!(MediaType::parse(""), None);
}

#[test]
fn media_type_properties() {
    let images: Vec<_> = MediaType::ALL
        .into_iter()
        .filter(|t| t.is_image())
        .collect();
    assert_eq!(images, [MediaType::Png, MediaType::Jpeg, MediaType::Tiff]);
    assert!(MediaType::Pdf.is_pdf());
    assert!(!MediaType::Png.is_pdf());
    assert_eq!(MediaType::Pdf.mime(), "application/pdf");
    assert_eq!(MediaType::Eml.mime(), "message/rfc822");
    assert_eq!(
        MediaType::Xlsx.mime(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        MediaType::Odp.mime(),
        "application/vnd.oasis.opendocument.presentation"
    );
    assert_eq!(MediaType::Jpeg.extension(), "jpg");
}

#[test]
fn content_type_of_text_carries_charset() {
    let s = sniff_detailed_bytes(b"Bonjour").unwrap();
    assert_eq!(s.content_type(), "text/plain; charset=utf-8");
    let s = sniff_detailed_bytes(b"Cr\xe9ance impay\xe9e").unwrap();
    assert_eq!(s.content_type(), "text/plain; charset=windows-1252");
    let s = sniff_detailed_bytes(&pdf(b"")).unwrap();
    assert_eq!(s.content_type(), "application/pdf");
    assert_eq!(s.charset, None);
}

// -----------------------------------------------------------------------------------------
// PDF and images
// -----------------------------------------------------------------------------------------

#[test]
fn pdf_is_recognised() {
    assert_eq!(
        sniff_bytes(&pdf(b"1 0 obj << >> endobj")),
        Ok(MediaType::Pdf)
    );
}

#[test]
fn pdf_after_bom_and_white_space_is_recognised() {
    let mut v = b"\xEF\xBB\xBF \r\n\t".to_vec();
    v.extend(pdf(b""));
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Pdf));
}

#[test]
fn pdf_with_incremental_update_and_trailing_newlines_is_recognised() {
    let mut v = pdf(b"");
    v.extend_from_slice(b"1 0 obj << >> endobj\nstartxref\n9\n%%EOF\r\n\r\n\0\0");
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Pdf));
}

#[test]
fn truncated_pdf_is_refused() {
    let mut v = pdf(&[b'x'; 5000]);
    v.truncate(3000);
    assert_eq!(sniff_bytes(&v), Err(Refused::TruncatedPdf));
    assert_eq!(sniff_bytes(b"%PDF-1.4"), Err(Refused::TruncatedPdf));
}

#[test]
fn pdf_eof_marker_must_be_in_last_kib() {
    let mut v = pdf(b"");
    v.extend(std::iter::repeat_n(b' ', 2000));
    assert_eq!(sniff_bytes(&v), Err(Refused::TruncatedPdf));
}

#[test]
fn pdf_header_not_at_start_is_not_a_pdf() {
    let mut v = b"garbage\0\x01\x02".to_vec();
    v.extend(pdf(b""));
    assert_eq!(sniff_bytes(&v), Err(Refused::Unrecognised));
}

#[test]
fn large_pdf_is_sniffed_reading_only_head_and_tail() {
    let v = pdf(&vec![b'a'; 26 * 1024 * 1024]);
    let mut r = Counting {
        inner: Cursor::new(v),
        read: 0,
    };
    assert_eq!(sniff(&mut r), Ok(MediaType::Pdf));
    assert!(r.read <= (HEAD_LEN + 2048) as u64, "read {} bytes", r.read);
}

#[test]
fn images_are_recognised() {
    assert_eq!(sniff_bytes(PNG), Ok(MediaType::Png));
    assert_eq!(
        sniff_bytes(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"),
        Ok(MediaType::Jpeg)
    );
    assert_eq!(
        sniff_bytes(b"\xFF\xD8\xFF\xE1\0\x10Exif\0"),
        Ok(MediaType::Jpeg)
    );
    assert_eq!(sniff_bytes(b"II*\0\x08\0\0\0"), Ok(MediaType::Tiff));
    assert_eq!(sniff_bytes(b"MM\0*\0\0\0\x08"), Ok(MediaType::Tiff));
}

#[test]
fn png_signature_without_ihdr_is_refused() {
    assert_eq!(
        sniff_bytes(b"\x89PNG\r\n\x1a\nrest"),
        Err(Refused::Unrecognised)
    );
}

#[test]
fn other_images_are_refused() {
    for v in [
        &b"GIF89a\x01\0\x01\0\x80\0\0"[..],
        b"GIF87a\x01\0\x01\0",
        b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0",
        b"RIFF\x24\0\0\0WEBPVP8 ",
        b"\0\0\0\x18ftypheic\0\0\0\0",
        b"\0\0\0\x1cftypavif\0\0\0\0",
        b"II+\0\x08\0\0\0",
    ] {
        assert_eq!(sniff_bytes(v), Err(Refused::UnsupportedImage), "{v:?}");
    }
}

// -----------------------------------------------------------------------------------------
// Dangerous and other binaries
// -----------------------------------------------------------------------------------------

#[test]
fn executables_are_refused() {
    let mut pe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".to_vec();
    pe.extend([0u8; 48]);
    pe.extend_from_slice(b"This program cannot be run in DOS mode.");
    assert_eq!(sniff_bytes(&pe), Err(Refused::Executable));
    assert_eq!(
        sniff_bytes(b"\x7fELF\x02\x01\x01\0\0\0"),
        Err(Refused::Executable)
    );
    assert_eq!(
        sniff_bytes(b"\xCF\xFA\xED\xFE\x07\0\0\x01"),
        Err(Refused::Executable)
    );
    assert_eq!(sniff_bytes(b"\0asm\x01\0\0\0"), Err(Refused::Executable));
    assert_eq!(
        Refused::Executable.to_string(),
        "executable files are not accepted"
    );
}

#[test]
fn text_starting_with_mz_is_text() {
    assert_eq!(sniff_bytes(b"MZ Recouvrement SARL\n"), Ok(MediaType::Text));
    let mut v = vec![b'a'; 600];
    v[257..266].copy_from_slice(b"ustarde, ");
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Text));
}

#[test]
fn self_extracting_zip_is_an_executable() {
    let mut v = b"MZ\x90\0\x03\0\0\0".to_vec();
    v.extend([0u8; 100]);
    v.extend(docx());
    assert_eq!(sniff_bytes(&v), Err(Refused::Executable));
}

#[test]
fn scripts_are_refused() {
    assert_eq!(sniff_bytes(b"#!/bin/sh\nrm -rf /\n"), Err(Refused::Script));
    assert_eq!(
        sniff_bytes(b"\xEF\xBB\xBF#!/usr/bin/env python3\n"),
        Err(Refused::Script)
    );
    assert_eq!(Refused::Script.to_string(), "scripts are not accepted");
}

#[test]
fn html_is_refused() {
    for v in [
        &b"<!DOCTYPE html><html><body>x</body></html>"[..],
        b"<!doctype HTML>",
        b"\xEF\xBB\xBF\n  <HTML lang=\"fr\">",
        b"<html>",
        b"<p>Bonjour</p>",
        b"<b>gras</b>",
        b"<!-- commentaire -->",
        b"Cher client,\n<script>alert(1)</script>",
        b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
        b"<ScRiPt src=x>",
    ] {
        assert_eq!(
            sniff_bytes(v),
            Err(Refused::Html),
            "{}",
            String::from_utf8_lossy(v)
        );
    }
    assert_eq!(
        Refused::Html.to_string(),
        "HTML is not accepted: send a PDF"
    );
}

#[test]
fn text_with_angle_brackets_is_still_text() {
    assert_eq!(
        sniff_bytes(b"<bonjour> a < b > c <br/> fin"),
        Ok(MediaType::Text)
    );
    assert_eq!(
        sniff_bytes(b"<?xml version=\"1.0\"?><facture/>"),
        Ok(MediaType::Text)
    );
}

#[test]
fn svg_rtf_and_postscript_are_refused() {
    assert_eq!(
        sniff_bytes(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"),
        Err(Refused::UnsupportedFormat("SVG"))
    );
    assert_eq!(
        sniff_bytes(b"{\\rtf1\\ansi Bonjour}"),
        Err(Refused::UnsupportedFormat("RTF"))
    );
    assert_eq!(
        sniff_bytes(b"%!PS-Adobe-3.0\n"),
        Err(Refused::UnsupportedFormat("PostScript"))
    );
    assert_eq!(
        Refused::UnsupportedFormat("RTF").to_string(),
        "RTF files are not accepted: send a PDF"
    );
}

#[test]
fn compound_files_archives_and_media_are_refused() {
    assert_eq!(
        sniff_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0"),
        Err(Refused::CompoundFile)
    );
    for v in [
        &b"\x1F\x8B\x08\0\0\0\0\0"[..],
        b"7z\xBC\xAF\x27\x1C\0\x04",
        b"Rar!\x1A\x07\x01\0",
        b"\xFD7zXZ\0\0\x04",
        b"BZh91AY&SY\0\0",
    ] {
        assert_eq!(sniff_bytes(v), Err(Refused::Archive), "{v:?}");
    }
    let mut tar = vec![0u8; 512];
    tar[..9].copy_from_slice(b"facture.p");
    tar[257..263].copy_from_slice(b"ustar\0");
    assert_eq!(sniff_bytes(&tar), Err(Refused::Archive));
    for v in [
        &b"\0\0\0\x20ftypisom\0\0\x02\0"[..],
        b"ID3\x03\0\0\0\0\0\0",
        b"OggS\0\x02\0\0",
        b"RIFF\x24\0\0\0WAVEfmt ",
        b"#!AMR\n",
    ] {
        assert_eq!(sniff_bytes(v), Err(Refused::AudioVideo), "{v:?}");
    }
}

#[test]
fn random_bytes_are_unrecognised() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let v = rng.bytes(4096);
    assert_eq!(sniff_bytes(&v), Err(Refused::Unrecognised));
    assert_eq!(
        Refused::Unrecognised.to_string(),
        "unrecognised binary content"
    );
}

#[test]
fn empty_file_is_refused() {
    assert_eq!(sniff_bytes(b""), Err(Refused::Empty));
    assert_eq!(Refused::Empty.to_string(), "the file is empty");
}

#[test]
fn utf16_text_is_refused() {
    assert_eq!(sniff_bytes(b"\xFF\xFEB\0o\0n\0"), Err(Refused::Utf16Text));
    assert_eq!(sniff_bytes(b"\xFE\xFF\0B\0o\0n"), Err(Refused::Utf16Text));
}

// -----------------------------------------------------------------------------------------
// Text and e-mail
// -----------------------------------------------------------------------------------------

#[test]
fn utf8_text_is_recognised() {
    let s =
        sniff_detailed_bytes("Créance n° 42 : 1 200,00 €\r\nÉchéance dépassée.\n中文".as_bytes())
            .unwrap();
    assert_eq!(s.media_type, MediaType::Text);
    assert_eq!(s.charset, Some(Charset::Utf8));
    let s = sniff_detailed_bytes(b"\xEF\xBB\xBFdate;montant\n2024-01-01;12,50\n").unwrap();
    assert_eq!(
        (s.media_type, s.charset),
        (MediaType::Text, Some(Charset::Utf8))
    );
    assert_eq!(sniff_bytes(b"x"), Ok(MediaType::Text));
    assert_eq!(sniff_bytes(b"page 1\x0cpage 2\ttab"), Ok(MediaType::Text));
}

#[test]
fn latin1_text_is_recognised() {
    let s = sniff_detailed_bytes(
        b"Madame, nous vous rappelons que la cr\xe9ance de 150 \x80 reste impay\xe9e.\r\n\
          Fran\xe7ois \x93Recouvra\x94 \xe0 Paris\r\n",
    )
    .unwrap();
    assert_eq!(s.media_type, MediaType::Text);
    assert_eq!(s.charset, Some(Charset::Windows1252));
}

#[test]
fn text_with_nul_or_many_controls_is_binary() {
    assert_eq!(sniff_bytes(b"hello\0world"), Err(Refused::Unrecognised));
    assert_eq!(
        sniff_bytes(b"a\x01b\x02c\x03d\x04"),
        Err(Refused::Unrecognised)
    );
    let mut v = vec![b'a'; 1000];
    v[500] = 0x1b; // one escape in a thousand bytes is fine
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Text));
}

#[test]
fn mostly_high_bytes_are_not_latin1_text() {
    let v: Vec<u8> = (0..600)
        .map(|i| if i % 2 == 0 { 0xE9 } else { 0xC3 })
        .collect();
    // "éÃéÃ…" is not valid UTF-8 and has too many high bytes for Latin-1 text.
    assert_eq!(sniff_bytes(&v), Err(Refused::Unrecognised));
}

#[test]
fn long_text_cut_inside_a_character_is_text() {
    let mut v = vec![b'a'; HEAD_LEN - 1];
    v.extend("éé".as_bytes()); // the first é straddles the 64 KiB boundary
    v.extend(vec![b'b'; 100_000]);
    assert_eq!(
        sniff_detailed_bytes(&v).unwrap().charset,
        Some(Charset::Utf8)
    );
}

#[test]
fn long_text_followed_by_binary_is_refused() {
    let mut v = vec![b'a'; 200_000];
    v.extend_from_slice(b"\0\0\0\x01\x02");
    assert_eq!(sniff_bytes(&v), Err(Refused::Unrecognised));
}

const EMAIL: &[u8] = b"Return-Path: <debiteur@example.fr>\r\n\
    Received: from mx.example.fr (mx.example.fr [192.0.2.1])\r\n\
    \tby mail.recouvra.fr with ESMTPS id 123\r\n\
    \tfor <dossiers@recouvra.fr>; Mon, 4 Mar 2024 10:00:00 +0100\r\n\
    From: =?utf-8?q?Jean_Dupr=C3=A9?= <debiteur@example.fr>\r\n\
    To: dossiers@recouvra.fr\r\n\
    Subject: Re: Mise en demeure\r\n\
    Date: Mon, 4 Mar 2024 10:00:00 +0100\r\n\
    Message-ID: <abc@example.fr>\r\n\
    MIME-Version: 1.0\r\n\
    Content-Type: multipart/alternative; boundary=\"b\"\r\n\
    \r\n\
    --b\r\nContent-Type: text/html\r\n\r\n<html><script>x</script></html>\r\n--b--\r\n";

#[test]
fn email_is_recognised() {
    assert_eq!(sniff_bytes(EMAIL), Ok(MediaType::Eml));
    assert_eq!(
        sniff_bytes(b"from: a@example.fr\nsubject: test\n\nbody\n"),
        Ok(MediaType::Eml)
    );
    // Headers only, ending at the end of the file.
    assert_eq!(
        sniff_bytes(b"From: a@b.fr\nDate: today"),
        Ok(MediaType::Eml)
    );
    // An mbox "From " line before the headers.
    let mut v = b"From - Mon Mar  4 10:00:00 2024\n".to_vec();
    v.extend_from_slice(EMAIL);
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Eml));
    // Latin-1 body.
    let s = sniff_detailed_bytes(b"From: a@b.fr\nSubject: cr\xe9ance\n\nr\xe9ponse\n").unwrap();
    assert_eq!(
        (s.media_type, s.charset),
        (MediaType::Eml, Some(Charset::Windows1252))
    );
    assert_eq!(s.content_type(), "message/rfc822");
}

#[test]
fn text_that_is_not_quite_an_email_is_text() {
    for v in [
        // No From.
        &b"To: a@b.fr\nSubject: x\n\nbody"[..],
        // From alone.
        b"From: a@b.fr\nTo: c@d.fr\n\nbody",
        // Blank line first.
        b"\nFrom: a@b.fr\nSubject: x\n\nbody",
        // A line that is not a header field before the blank line.
        b"From: a@b.fr\nBonjour madame\nSubject: x\n\nbody",
        // A header name with a space in it.
        b"Objet du courrier: x\nFrom: a@b.fr\nDate: y\n\n",
        // A continuation line first.
        b" From: a@b.fr\nDate: y\n\n",
        b"Bonjour,\nFrom: a@b.fr\nDate: y\n",
    ] {
        assert_eq!(
            sniff_bytes(v),
            Ok(MediaType::Text),
            "{}",
            String::from_utf8_lossy(v)
        );
    }
}

#[test]
fn email_headers_cut_by_the_window_are_not_an_email() {
    let mut v = b"From: a@b.fr\nDate: x\n".to_vec();
    while v.len() < HEAD_LEN + 10 {
        v.extend_from_slice(b"X-Long: padding padding padding padding\n");
    }
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Text));
}

// -----------------------------------------------------------------------------------------
// ZIP containers
// -----------------------------------------------------------------------------------------

#[test]
fn ooxml_documents_are_recognised() {
    assert_eq!(sniff_bytes(&docx()), Ok(MediaType::Docx));
    let xlsx = zip(&[
        stored("[Content_Types].xml", content_types(XLSX_MAIN).as_bytes()),
        stored("_rels/.rels", b""),
        stored("xl/workbook.xml", b"<workbook/>"),
        stored("xl/worksheets/sheet1.xml", b"<worksheet/>"),
    ]);
    assert_eq!(sniff_bytes(&xlsx), Ok(MediaType::Xlsx));
    let pptx = zip(&[
        stored("[Content_Types].xml", content_types(PPTX_MAIN).as_bytes()),
        stored("ppt/presentation.xml", b"<p:presentation/>"),
    ]);
    assert_eq!(sniff_bytes(&pptx), Ok(MediaType::Pptx));
}

#[test]
fn ooxml_part_names_compare_case_insensitively() {
    let v = zip(&[
        stored("[content_types].XML", content_types(DOCX_MAIN).as_bytes()),
        stored("Word/Document.xml", b""),
    ]);
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Docx));
}

#[test]
fn ooxml_with_deflated_content_types_is_recognised() {
    let v = zip(&[
        deflated(
            "[Content_Types].xml",
            DOCX_CT_DEFLATED,
            DOCX_CT.len() as u32,
        ),
        stored("word/document.xml", b"<w:document/>"),
    ]);
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Docx));
}

#[test]
fn zip_made_by_python_is_recognised() {
    assert_eq!(sniff_bytes(PYTHON_DOCX), Ok(MediaType::Docx));
}

#[test]
fn zip_with_trailing_comment_is_recognised() {
    let v = zip_with_comment(&docx_entries(), b"Recouvra export \xe9 2024");
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Docx));
    let v = zip_with_comment(&docx_entries(), &[b'c'; 0xFFFF]);
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Docx));
}

#[test]
fn ambiguous_ooxml_is_decided_by_content_types() {
    let mut entries = docx_entries();
    entries.push(stored("xl/workbook.xml", b""));
    assert_eq!(sniff_bytes(&zip(&entries)), Ok(MediaType::Docx));
    let mut entries = vec![stored("[Content_Types].xml", b"<Types/>")];
    entries.push(stored("word/document.xml", b""));
    entries.push(stored("xl/workbook.xml", b""));
    assert_eq!(sniff_bytes(&zip(&entries)), Err(Refused::NotOfficeZip));
}

#[test]
fn macro_documents_are_refused() {
    // A vbaProject.bin entry.
    let mut entries = docx_entries();
    entries.push(stored("word/vbaProject.bin", b"\xD0\xCF\x11\xE0"));
    assert_eq!(sniff_bytes(&zip(&entries)), Err(Refused::Macros));
    // A macro-enabled main part, deflated as Word does.
    let v = zip(&[
        deflated("[Content_Types].xml", DOCM_CT_DEFLATED, 608),
        stored("word/document.xml", b""),
        stored("word/renamed.bin", b"\xD0\xCF\x11\xE0"),
    ]);
    assert_eq!(sniff_bytes(&v), Err(Refused::Macros));
    // xlsm content type, stored.
    let v = zip(&[
        stored(
            "[Content_Types].xml",
            content_types("application/vnd.ms-excel.sheet.macroEnabled.main+xml").as_bytes(),
        ),
        stored("xl/workbook.xml", b""),
    ]);
    assert_eq!(sniff_bytes(&v), Err(Refused::Macros));
    // Excel 4.0 macro sheet.
    let v = zip(&[
        stored("[Content_Types].xml", content_types(XLSX_MAIN).as_bytes()),
        stored("xl/workbook.xml", b""),
        stored("xl/macrosheets/sheet1.xml", b""),
    ]);
    assert_eq!(sniff_bytes(&v), Err(Refused::Macros));
    assert_eq!(
        Refused::Macros.to_string(),
        "documents with macros are not accepted"
    );
}

#[test]
fn zip_without_content_types_is_refused() {
    let v = zip(&[stored("word/document.xml", b"<w:document/>")]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
    assert_eq!(
        Refused::NotOfficeZip.to_string(),
        "the file is a ZIP archive but not an OOXML or ODF document"
    );
}

#[test]
fn plain_and_empty_zips_are_refused() {
    let v = zip(&[stored("facture.pdf", &pdf(b""))]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
    let v = zip(&[stored("[Content_Types].xml", b"<Types/>")]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
    assert_eq!(sniff_bytes(&zip(&[])), Err(Refused::NotOfficeZip));
    // Local header signature but an empty central directory.
    let mut v = zip(&[stored("a", b"b")]);
    let eocd = eocd_pos(&v);
    patch_u16(&mut v, eocd + 8, 0);
    patch_u16(&mut v, eocd + 10, 0);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
}

#[test]
fn odf_documents_are_recognised() {
    assert_eq!(
        sniff_bytes(&odf("application/vnd.oasis.opendocument.text", vec![])),
        Ok(MediaType::Odt)
    );
    assert_eq!(
        sniff_bytes(&odf(
            "application/vnd.oasis.opendocument.spreadsheet",
            vec![]
        )),
        Ok(MediaType::Ods)
    );
    assert_eq!(
        sniff_bytes(&odf(
            "application/vnd.oasis.opendocument.presentation",
            vec![]
        )),
        Ok(MediaType::Odp)
    );
    // Basic library index files alone are not macros.
    let v = odf(
        "application/vnd.oasis.opendocument.text",
        vec![
            stored("Basic/script-lc.xml", b"<library:libraries/>"),
            stored("Basic/", b""),
        ],
    );
    assert_eq!(sniff_bytes(&v), Ok(MediaType::Odt));
}

#[test]
fn odf_with_local_extra_field_is_recognised() {
    let mut entries = vec![stored(
        "mimetype",
        b"application/vnd.oasis.opendocument.text",
    )];
    entries[0].local_extra = b"UT\x05\0\x01\0\0\0\0".to_vec();
    entries.push(stored("content.xml", b""));
    assert_eq!(sniff_bytes(&zip(&entries)), Ok(MediaType::Odt));
}

#[test]
fn odf_with_macros_is_refused() {
    let v = odf(
        "application/vnd.oasis.opendocument.spreadsheet",
        vec![
            stored("Basic/script-lc.xml", b""),
            stored("Basic/Standard/script-lb.xml", b""),
            stored("Basic/Standard/Module1.xml", b"<script:module/>"),
        ],
    );
    assert_eq!(sniff_bytes(&v), Err(Refused::Macros));
    let v = odf(
        "application/vnd.oasis.opendocument.text",
        vec![stored("Scripts/python/evil.py", b"import os")],
    );
    assert_eq!(sniff_bytes(&v), Err(Refused::Macros));
}

#[test]
fn odf_lookalikes_are_refused() {
    // Other ODF and EPUB types.
    for mimetype in [
        "application/vnd.oasis.opendocument.graphics",
        "application/vnd.oasis.opendocument.text-template",
        "application/epub+zip",
        "application/vnd.oasis.opendocument.text ",
    ] {
        assert_eq!(
            sniff_bytes(&odf(mimetype, vec![])),
            Err(Refused::NotOfficeZip)
        );
    }
    // The mimetype entry compressed.
    let v = zip(&[
        deflated("mimetype", b"\x03\0", 39),
        stored("content.xml", b""),
    ]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
    // Not first.
    let v = zip(&[
        stored("content.xml", b""),
        stored("mimetype", b"application/vnd.oasis.opendocument.text"),
    ]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
    // No content.xml.
    let v = zip(&[stored(
        "mimetype",
        b"application/vnd.oasis.opendocument.text",
    )]);
    assert_eq!(sniff_bytes(&v), Err(Refused::NotOfficeZip));
}

#[test]
fn zip_with_bogus_eocd_offset_is_refused() {
    let mut v = docx();
    let eocd = eocd_pos(&v);
    patch_u32(&mut v, eocd + 16, 0x7FFF_0000);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
    // An offset inside the file, but not at a central directory.
    let mut v = docx();
    patch_u32(&mut v, eocd + 16, 1);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
    // A size running past the EOCD record.
    let mut v = docx();
    patch_u32(&mut v, eocd + 12, 0xFFFF_FF00);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
}

#[test]
fn zip_with_more_entries_than_its_directory_holds_is_refused() {
    let mut v = docx();
    let eocd = eocd_pos(&v);
    patch_u16(&mut v, eocd + 8, 4);
    patch_u16(&mut v, eocd + 10, 4);
    assert_eq!(
        sniff_bytes(&v),
        Err(Refused::MalformedZip("its central directory is truncated"))
    );
}

#[test]
fn zip_with_too_many_entries_is_refused() {
    let mut v = docx();
    let eocd = eocd_pos(&v);
    patch_u16(&mut v, eocd + 8, 20_000);
    patch_u16(&mut v, eocd + 10, 20_000);
    assert_eq!(
        sniff_bytes(&v),
        Err(Refused::MalformedZip("it has too many entries"))
    );
}

#[test]
fn zip_with_a_huge_name_length_is_refused() {
    let mut v = docx();
    let cd = v.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    patch_u16(&mut v, cd + 28, 0xFFFF);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
}

#[test]
fn split_archives_are_refused() {
    let mut v = docx();
    let eocd = eocd_pos(&v);
    patch_u16(&mut v, eocd + 4, 1);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
}

#[test]
fn truncated_zip_is_refused() {
    let v = docx();
    let cut = &v[..v.len() - 30];
    assert!(matches!(sniff_bytes(cut), Err(Refused::MalformedZip(_))));
    assert!(matches!(
        sniff_bytes(b"PK\x03\x04"),
        Err(Refused::MalformedZip(_))
    ));
}

#[test]
fn zip64_is_refused() {
    let mut v = docx();
    let eocd = eocd_pos(&v);
    patch_u16(&mut v, eocd + 8, 0xFFFF);
    patch_u16(&mut v, eocd + 10, 0xFFFF);
    assert_eq!(sniff_bytes(&v), Err(Refused::Zip64));
    // A ZIP64 end-of-central-directory locator before the EOCD record.
    let mut v = docx();
    let eocd = eocd_pos(&v);
    let mut locator = b"PK\x06\x07".to_vec();
    locator.extend([0u8; 16]);
    v.splice(eocd..eocd, locator);
    assert_eq!(sniff_bytes(&v), Err(Refused::Zip64));
    // An entry with ZIP64 sizes.
    let mut v = docx();
    let cd = v.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    patch_u32(&mut v, cd + 20, 0xFFFF_FFFF);
    assert_eq!(sniff_bytes(&v), Err(Refused::Zip64));
}

#[test]
fn entry_pointing_outside_the_data_is_refused() {
    let mut v = docx();
    let cd = v.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    // [Content_Types].xml is the first entry: point its local header into the directory.
    patch_u32(&mut v, cd + 42, cd as u32 + 4);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
    let mut v = docx();
    patch_u32(&mut v, cd + 42, 7);
    assert!(matches!(sniff_bytes(&v), Err(Refused::MalformedZip(_))));
}

#[test]
fn local_header_disagreeing_with_directory_is_refused() {
    let mut v = docx();
    v[30] = b'X'; // first byte of the local name "[Content_Types].xml"
    assert_eq!(
        sniff_bytes(&v),
        Err(Refused::MalformedZip(
            "a local header does not match the central directory"
        ))
    );
}

#[test]
fn uncheckable_content_types_are_refused() {
    let mut entries = docx_entries();
    entries[0].flags = 1;
    assert!(matches!(
        sniff_bytes(&zip(&entries)),
        Err(Refused::UncheckableDocument(_))
    ));
    let mut entries = docx_entries();
    entries[0].method = 12; // bzip2
    assert!(matches!(
        sniff_bytes(&zip(&entries)),
        Err(Refused::UncheckableDocument(_))
    ));
    let entries = vec![
        stored(
            "[Content_Types].xml",
            &vec![b' '; MAX_CONTENT_TYPES as usize + 1],
        ),
        stored("word/document.xml", b""),
    ];
    assert!(matches!(
        sniff_bytes(&zip(&entries)),
        Err(Refused::UncheckableDocument(_))
    ));
}

#[test]
fn corrupt_deflated_content_types_are_refused() {
    let v = zip(&[
        deflated(
            "[Content_Types].xml",
            &DOCX_CT_DEFLATED[..100],
            DOCX_CT.len() as u32,
        ),
        stored("word/document.xml", b""),
    ]);
    assert_eq!(
        sniff_bytes(&v),
        Err(Refused::MalformedZip("a compressed entry is corrupt"))
    );
}

#[test]
fn large_docx_is_sniffed_reading_little() {
    let mut entries = docx_entries();
    entries.insert(
        1,
        stored("word/media/image1.png", &vec![0x42; 26 * 1024 * 1024]),
    );
    let mut r = Counting {
        inner: Cursor::new(zip(&entries)),
        read: 0,
    };
    assert_eq!(sniff(&mut r), Ok(MediaType::Docx));
    assert!(r.read <= 3 * HEAD_LEN as u64, "read {} bytes", r.read);
}

// -----------------------------------------------------------------------------------------
// Inflate
// -----------------------------------------------------------------------------------------

#[test]
fn inflate_decodes_zlib_output() {
    let out = inflate::inflate(DOCX_CT_DEFLATED, 1 << 20).unwrap();
    assert_eq!(out, DOCX_CT.as_bytes());
    let out = inflate::inflate(DOCM_CT_DEFLATED, 1 << 20).unwrap();
    assert_eq!(out.len(), 608);
    assert!(out.ends_with(b"</Types>"));
    assert!(contains(&out, b"macroEnabled"));
    let out = inflate::inflate(FIXED_DEFLATED, 1 << 20).unwrap();
    assert_eq!(out, b"Bonjour, bonjour, bonjour ! ");
}

#[test]
fn inflate_decodes_stored_blocks() {
    let out = inflate::inflate(b"\0\x03\0\xFC\xFFabc\x01\x02\0\xFD\xFFde", 100).unwrap();
    assert_eq!(out, b"abcde");
    assert_eq!(
        inflate::inflate(b"\x01\x03\0\xFC\xFEabc", 100),
        Err(inflate::Error::Corrupt)
    );
}

#[test]
fn inflate_enforces_its_limit() {
    assert_eq!(
        inflate::inflate(DOCX_CT_DEFLATED, 100),
        Err(inflate::Error::TooLarge)
    );
    assert_eq!(
        inflate::inflate(b"\x01\x03\0\xFC\xFFabc", 2),
        Err(inflate::Error::TooLarge)
    );
}

#[test]
fn inflate_refuses_truncated_and_invalid_streams() {
    for cut in 0..DOCX_CT_DEFLATED.len() {
        assert!(
            inflate::inflate(&DOCX_CT_DEFLATED[..cut], 1 << 20).is_err(),
            "{cut}"
        );
    }
    assert_eq!(inflate::inflate(b"\x07", 10), Err(inflate::Error::Corrupt));
    // block type 3
}

// -----------------------------------------------------------------------------------------
// Reader handling
// -----------------------------------------------------------------------------------------

#[test]
fn sniff_rewinds_the_reader() {
    for v in [docx(), pdf(b""), b"texte".to_vec(), b"\x7fELF".to_vec()] {
        let mut c = Cursor::new(v);
        c.set_position(3);
        let _ = sniff(&mut c);
        assert_eq!(c.position(), 0);
    }
}

#[test]
fn sniff_reads_from_a_real_file() {
    let path = std::env::temp_dir().join(format!("sniff-test-{}.docx", std::process::id()));
    std::fs::write(&path, docx()).unwrap();
    let mut f = std::fs::File::open(&path).unwrap();
    let result = sniff(&mut f);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(result, Ok(MediaType::Docx));
}

struct Failing;

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::other("disk on fire"))
    }
}

impl Seek for Failing {
    fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
        Ok(100)
    }
}

#[test]
fn read_errors_are_reported_as_io() {
    let err = sniff(&mut Failing).unwrap_err();
    assert!(err.is_io());
    assert!(err.to_string().contains("disk on fire"));
    assert!(!Refused::Unrecognised.is_io());
}

/// A reader that hands out one byte at a time.
struct Trickle(Cursor<Vec<u8>>);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(1);
        self.0.read(&mut buf[..n])
    }
}

impl Seek for Trickle {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

#[test]
fn short_reads_are_handled() {
    assert_eq!(
        sniff(&mut Trickle(Cursor::new(docx()))),
        Ok(MediaType::Docx)
    );
    assert_eq!(
        sniff(&mut Trickle(Cursor::new(pdf(b"")))),
        Ok(MediaType::Pdf)
    );
}

// -----------------------------------------------------------------------------------------
// Robustness
// -----------------------------------------------------------------------------------------

#[test]
fn sniff_never_panics_on_random_input() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let prefixes: [&[u8]; 8] = [
        b"",
        b"PK\x03\x04",
        b"%PDF-",
        b"\x89PNG\r\n\x1a\n",
        b"From: a\n",
        b"\xEF\xBB\xBF",
        b"MZ",
        b"<html",
    ];
    for i in 0..2000 {
        let len = (rng.next() % 700) as usize;
        let mut v = prefixes[i % prefixes.len()].to_vec();
        v.extend(rng.bytes(len));
        // Half of the inputs are made mostly of ASCII, to reach the text paths.
        if i % 2 == 1 {
            for b in v.iter_mut().skip(8) {
                *b &= 0x7F;
                if *b < 0x20 {
                    *b = b'\n';
                }
            }
        }
        let _ = sniff_bytes(&v);
    }
}

#[test]
fn sniff_never_panics_on_damaged_archives() {
    let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
    let deflated_docx = zip(&[
        deflated(
            "[Content_Types].xml",
            DOCX_CT_DEFLATED,
            DOCX_CT.len() as u32,
        ),
        stored("word/document.xml", b"<w:document/>"),
    ]);
    let samples = [
        docx(),
        deflated_docx,
        odf("application/vnd.oasis.opendocument.text", vec![]),
        PYTHON_DOCX.to_vec(),
    ];
    for i in 0..2000 {
        let mut v = samples[i % samples.len()].clone();
        let flips = 1 + rng.next() % 4;
        for _ in 0..flips {
            let at = (rng.next() % v.len() as u64) as usize;
            v[at] = rng.next() as u8;
        }
        if i % 7 == 0 {
            let cut = (rng.next() % v.len() as u64) as usize;
            v.truncate(cut.max(4));
        }
        let _ = sniff_bytes(&v);
    }
}

#[test]
fn inflate_never_panics_on_random_input() {
    let mut rng = XorShift(0x1234_5678_9ABC_DEF1);
    for i in 0..2000 {
        let v = if i % 2 == 0 {
            {
                let n = (rng.next() % 300) as usize;
                rng.bytes(n)
            }
        } else {
            let mut v = DOCX_CT_DEFLATED.to_vec();
            let at = (rng.next() % v.len() as u64) as usize;
            v[at] ^= 1 << (rng.next() % 8);
            v
        };
        let _ = inflate::inflate(&v, 1 << 16);
    }
}

// -----------------------------------------------------------------------------------------
// File names
// -----------------------------------------------------------------------------------------

#[test]
fn sanitize_keeps_the_last_path_component() {
    assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
    assert_eq!(
        sanitize_filename("C:\\Users\\x\\facture.pdf"),
        "facture.pdf"
    );
    assert_eq!(
        sanitize_filename("/var/tmp/relevé de compte.pdf"),
        "relevé de compte.pdf"
    );
    assert_eq!(sanitize_filename("..\\..\\boot.ini"), "boot.ini");
    assert_eq!(sanitize_filename("dossier/"), "piece");
}

#[test]
fn sanitize_refuses_reserved_and_empty_names() {
    for name in [
        "", ".", "..", "...", "   ", " . . ", "/", "\\", "\u{202E}", "\0\x01",
    ] {
        assert_eq!(sanitize_filename(name), "piece", "{name:?}");
    }
    assert_eq!(sanitize_filename(".htaccess"), "htaccess");
    assert_eq!(sanitize_filename("facture.pdf."), "facture.pdf");
    assert_eq!(sanitize_filename("  facture.pdf  "), "facture.pdf");
}

#[test]
fn sanitize_strips_control_and_bidi_characters() {
    assert_eq!(sanitize_filename("fac\0ture\x07.pdf"), "facture.pdf");
    assert_eq!(
        sanitize_filename("fac\u{7f}ture\u{85}x\u{9b}.pdf"),
        "facture x.pdf"
    );
    assert_eq!(
        sanitize_filename("facture\u{202E}fdp.exe"),
        "facturefdp.exe"
    );
    assert_eq!(
        sanitize_filename(
            "a\u{202A}b\u{202B}c\u{202C}d\u{202D}e\u{2066}f\u{2067}g\u{2068}h\u{2069}.txt"
        ),
        "abcdefgh.txt"
    );
    assert_eq!(
        sanitize_filename("zero\u{200B}width\u{FEFF}.pdf"),
        "zerowidth.pdf"
    );
    assert_eq!(sanitize_filename("line\r\nbreak.pdf"), "line break.pdf");
}

#[test]
fn sanitize_collapses_white_space_and_keeps_letters() {
    assert_eq!(
        sanitize_filename("mise   en\t\tdemeure.pdf"),
        "mise en demeure.pdf"
    );
    assert_eq!(sanitize_filename("reçu\u{00A0}\u{3000}é.pdf"), "reçu é.pdf");
    assert_eq!(sanitize_filename("合同 2024.pdf"), "合同 2024.pdf");
    assert_eq!(
        sanitize_filename("facture \"mars\".pdf"),
        "facture \"mars\".pdf"
    );
}

#[test]
fn sanitize_prefixes_windows_device_names() {
    for (name, expected) in [
        ("CON", "_CON"),
        ("CON.pdf", "_CON.pdf"),
        ("con.tar.gz", "_con.tar.gz"),
        ("Aux.txt", "_Aux.txt"),
        ("nul", "_nul"),
        ("PRN.docx", "_PRN.docx"),
        ("com1.pdf", "_com1.pdf"),
        ("LPT9", "_LPT9"),
        ("COM¹.txt", "_COM¹.txt"),
        ("CON .pdf", "_CON .pdf"),
        ("conin$", "_conin$"),
    ] {
        assert_eq!(sanitize_filename(name), expected, "{name}");
    }
    for name in [
        "CONTRAT.pdf",
        "COM10.pdf",
        "LPT0.txt",
        "console.txt",
        "auxiliaire.pdf",
    ] {
        assert_eq!(sanitize_filename(name), name);
    }
}

#[test]
fn sanitize_caps_length_keeping_the_extension() {
    let long = format!("{}.pdf", "a".repeat(500));
    let s = sanitize_filename(&long);
    assert_eq!(s.len(), MAX_FILENAME_BYTES);
    assert!(s.ends_with("aaa.pdf"));

    // Multi-byte characters are never cut in half.
    let long = format!("{}.docx", "é".repeat(300));
    let s = sanitize_filename(&long);
    assert!(s.len() <= MAX_FILENAME_BYTES);
    assert!(s.ends_with("é.docx"));

    let long = "中".repeat(100);
    let s = sanitize_filename(&long);
    assert!(s.len() <= MAX_FILENAME_BYTES && s.len() >= MAX_FILENAME_BYTES - 2);
    assert!(s.chars().all(|c| c == '中'));

    // An over-long "extension" is not kept.
    let long = format!("x.{}", "b".repeat(400));
    assert_eq!(sanitize_filename(&long).len(), MAX_FILENAME_BYTES);

    // A dot left at the end of the cut stem is trimmed.
    let long = format!("{}.{}.pdf", "a".repeat(195), "b".repeat(50));
    assert_eq!(sanitize_filename(&long), format!("{}.pdf", "a".repeat(195)));
}

#[test]
fn sanitize_is_idempotent() {
    for name in [
        "../../etc/passwd",
        "CON.pdf",
        " . .a. . ",
        "facture\u{202E}fdp.exe",
        &format!("{}.pdf", "é".repeat(300)),
        &format!("{}.pdf", "a ".repeat(300)),
        "",
    ] {
        let once = sanitize_filename(name);
        assert_eq!(sanitize_filename(&once), once, "{name:?}");
    }
}

#[test]
fn content_disposition_is_safe() {
    assert_eq!(
        content_disposition(Disposition::Attachment, "facture.pdf"),
        "attachment; filename=\"facture.pdf\"; filename*=UTF-8''facture.pdf"
    );
    assert_eq!(
        content_disposition(Disposition::Inline, "relevé de compte.pdf"),
        "inline; filename=\"relev_ de compte.pdf\"; filename*=UTF-8''relev%C3%A9%20de%20compte.pdf"
    );
    assert_eq!(
        content_disposition(Disposition::Attachment, "a\"b.pdf"),
        "attachment; filename=\"ab.pdf\"; filename*=UTF-8''a%22b.pdf"
    );
    assert_eq!(
        content_disposition(Disposition::Attachment, "100%.txt"),
        "attachment; filename=\"100_.txt\"; filename*=UTF-8''100%25.txt"
    );
    assert_eq!(
        content_disposition(Disposition::Attachment, "合同.pdf"),
        "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E5%90%88%E5%90%8C.pdf"
    );
    assert_eq!(
        content_disposition(Disposition::Attachment, "\"\"\""),
        "attachment; filename=\"piece\"; filename*=UTF-8''%22%22%22"
    );
    assert_eq!(
        content_disposition(Disposition::Attachment, "../../etc/passwd"),
        "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"
    );
}

#[test]
fn content_disposition_never_contains_line_breaks() {
    for name in [
        "a\r\nSet-Cookie: x=y.pdf",
        "a\u{2028}b\u{2029}c\u{85}d.pdf",
        "a;b=c,d.pdf",
        "x\u{202E}fdp.exe",
        "\u{0}\u{1}\u{1F}\u{7F}",
    ] {
        let h = content_disposition(Disposition::Attachment, name);
        assert!(h.bytes().all(|b| (0x20..0x7F).contains(&b)), "{h:?}");
        let fallback = h.split('"').nth(1).unwrap();
        assert!(!fallback.contains('"') && !fallback.contains('\\'));
    }
    let h = content_disposition(Disposition::Attachment, "a;b=c,d.pdf");
    assert!(h.ends_with("filename*=UTF-8''a%3Bb%3Dc%2Cd.pdf"), "{h}");
}

#[test]
fn extension_expectations() {
    assert!(expected_extension_matches("Facture.PDF", MediaType::Pdf));
    assert!(expected_extension_matches("photo.jpeg", MediaType::Jpeg));
    assert!(expected_extension_matches("photo.JPG", MediaType::Jpeg));
    assert!(expected_extension_matches("scan.tiff", MediaType::Tiff));
    assert!(expected_extension_matches("scan.tif", MediaType::Tiff));
    assert!(expected_extension_matches("notes", MediaType::Text));
    assert!(expected_extension_matches("export.csv", MediaType::Text));
    assert!(expected_extension_matches("app.log", MediaType::Text));
    assert!(expected_extension_matches("courriel.eml", MediaType::Eml));
    assert!(expected_extension_matches(
        "C:\\docs\\contrat.odt",
        MediaType::Odt
    ));
    assert!(!expected_extension_matches("facture.pdf", MediaType::Png));
    assert!(!expected_extension_matches("facture", MediaType::Pdf));
    assert!(!expected_extension_matches("relance.js", MediaType::Text));
    assert!(!expected_extension_matches("contrat.docm", MediaType::Docx));
    assert!(!expected_extension_matches("photo.pdf.jpg", MediaType::Pdf));
}

#[test]
fn download_names_match_the_sniffed_type() {
    assert_eq!(
        download_filename("facture.pdf", MediaType::Pdf),
        "facture.pdf"
    );
    assert_eq!(
        download_filename("relance.js", MediaType::Text),
        "relance.js.txt"
    );
    assert_eq!(
        download_filename("facture.pdf", MediaType::Jpeg),
        "facture.pdf.jpg"
    );
    assert_eq!(download_filename("notes", MediaType::Text), "notes");
    assert_eq!(download_filename("scan", MediaType::Pdf), "scan.pdf");
    assert_eq!(download_filename("CON", MediaType::Pdf), "_CON.pdf");
    assert_eq!(
        download_filename("facture\u{202E}fdp.exe", MediaType::Pdf),
        "facturefdp.exe.pdf"
    );
    let long = download_filename(&"a".repeat(300), MediaType::Pdf);
    assert_eq!(long.len(), MAX_FILENAME_BYTES);
    assert!(long.ends_with(".pdf"));
}

// -----------------------------------------------------------------------------------------
// Fixtures
// -----------------------------------------------------------------------------------------

// Raw DEFLATE streams made with zlib 1.2.13 (level 9, wbits -15), and a ZIP made by
// Python's zipfile (deflated entries, archive comment).
const DOCX_CT_DEFLATED: &[u8] = &[
    0xad, 0x92, 0xcb, 0x4e, 0xc3, 0x30, 0x10, 0x45, 0xf7, 0x7c, 0x85, 0xe5, 0x6d, 0x95, 0x38, 0xb0,
    0x40, 0x08, 0x25, 0xe9, 0x82, 0xc7, 0x12, 0xba, 0x28, 0x1f, 0x60, 0xd9, 0x93, 0xc6, 0xc2, 0x2f,
    0x79, 0xdc, 0xd2, 0xfc, 0x3d, 0x93, 0xa6, 0x74, 0x81, 0x42, 0x01, 0xc1, 0xd2, 0x9e, 0xb9, 0xf7,
    0x5c, 0xcf, 0xb8, 0x5e, 0xee, 0x9d, 0x65, 0x3b, 0x48, 0x68, 0x82, 0x6f, 0xf8, 0x65, 0x59, 0x71,
    0x06, 0x5e, 0x05, 0x6d, 0xfc, 0xa6, 0xe1, 0x2f, 0xeb, 0xc7, 0xe2, 0x86, 0x33, 0xcc, 0xd2, 0x6b,
    0x69, 0x83, 0x87, 0x86, 0x0f, 0x80, 0x7c, 0xd9, 0x5e, 0xd4, 0xeb, 0x21, 0x02, 0x32, 0x12, 0x7b,
    0x6c, 0x78, 0x9f, 0x73, 0xbc, 0x15, 0x02, 0x55, 0x0f, 0x4e, 0x62, 0x19, 0x22, 0x78, 0xaa, 0x74,
    0x21, 0x39, 0x99, 0xe9, 0x98, 0x36, 0x22, 0x4a, 0xf5, 0x2a, 0x37, 0x20, 0xae, 0xaa, 0xea, 0x5a,
    0xa8, 0xe0, 0x33, 0xf8, 0x5c, 0xe4, 0xd1, 0x83, 0xb7, 0xf5, 0x3d, 0x74, 0x72, 0x6b, 0x33, 0x7b,
    0xd8, 0xd3, 0xf5, 0x14, 0x24, 0x81, 0x45, 0xce, 0xee, 0xa6, 0xc6, 0x91, 0xd5, 0x70, 0x19, 0xa3,
    0x35, 0x4a, 0x66, 0xaa, 0x8b, 0x9d, 0xd7, 0x9f, 0x28, 0xc5, 0x91, 0x50, 0x92, 0xf2, 0xd0, 0x83,
    0xbd, 0x89, 0xb8, 0xa0, 0x06, 0x2e, 0x66, 0x09, 0x63, 0xe5, 0x6b, 0xc0, 0x51, 0xf7, 0x4c, 0x93,
    0x49, 0x46, 0x03, 0x5b, 0xc9, 0x94, 0x9f, 0xa4, 0xa3, 0x2e, 0xf1, 0x16, 0x92, 0x16, 0x3a, 0xa8,
    0xad, 0x23, 0x65, 0x79, 0xde, 0x66, 0x26, 0x67, 0xe8, 0x3a, 0xa3, 0xe0, 0xa4, 0x1f, 0xdd, 0x62,
    0x0a, 0x0a, 0x10, 0x69, 0xe4, 0xce, 0x96, 0xa7, 0x8a, 0x93, 0xc6, 0x2f, 0xbe, 0xcb, 0x81, 0x79,
    0xb0, 0x80, 0xff, 0x9f, 0x62, 0xf2, 0x3d, 0x87, 0x27, 0xed, 0x2a, 0x85, 0x88, 0xb4, 0xcd, 0x04,
    0xbf, 0x0f, 0xf0, 0xb1, 0xae, 0x51, 0x5d, 0x10, 0x3a, 0x42, 0xca, 0xe6, 0x87, 0x44, 0xb2, 0xfe,
    0xf3, 0x8b, 0x61, 0xfc, 0x09, 0x1a, 0xf4, 0x0c, 0x5b, 0x1c, 0xfe, 0x76, 0xfb, 0x0e,
];

const DOCM_CT_DEFLATED: &[u8] = &[
    0x8d, 0x92, 0xc1, 0x52, 0x02, 0x31, 0x0c, 0x86, 0xef, 0x3e, 0x45, 0xa7, 0x57, 0x67, 0x5b, 0xf4,
    0xe0, 0x38, 0x0e, 0xbb, 0x1c, 0x14, 0x8f, 0xca, 0x01, 0x1f, 0x20, 0x74, 0xb3, 0x50, 0x6d, 0xd3,
    0x4e, 0x53, 0x10, 0xde, 0xde, 0x2e, 0x0b, 0x1c, 0x18, 0x51, 0x8e, 0xed, 0x9f, 0xff, 0xff, 0x92,
    0x4c, 0xc6, 0x93, 0xad, 0x77, 0x62, 0x83, 0x89, 0x6d, 0xa0, 0x5a, 0xde, 0xa9, 0x91, 0x14, 0x48,
    0x26, 0xb4, 0x96, 0x96, 0xb5, 0xfc, 0x98, 0xbf, 0x56, 0x8f, 0x52, 0x70, 0x06, 0x6a, 0xc1, 0x05,
    0xc2, 0x5a, 0xee, 0x90, 0xe5, 0xa4, 0xb9, 0x19, 0xcf, 0x77, 0x11, 0x59, 0x14, 0x33, 0x71, 0x2d,
    0x57, 0x39, 0xc7, 0x27, 0xad, 0xd9, 0xac, 0xd0, 0x03, 0xab, 0x10, 0x91, 0x8a, 0xd2, 0x85, 0xe4,
    0x21, 0x97, 0x67, 0x5a, 0xea, 0x08, 0xe6, 0x0b, 0x96, 0xa8, 0xef, 0x47, 0xa3, 0x07, 0x6d, 0x02,
    0x65, 0xa4, 0x5c, 0xe5, 0x3e, 0x43, 0x36, 0xe3, 0x17, 0xec, 0x60, 0xed, 0xb2, 0x98, 0x6e, 0xcb,
    0xf7, 0xd0, 0x48, 0x42, 0xc7, 0x52, 0x3c, 0x0f, 0x85, 0x3d, 0xab, 0x96, 0x10, 0xa3, 0xb3, 0x06,
    0x72, 0xd1, 0xf5, 0x86, 0xda, 0x33, 0x4a, 0x75, 0x20, 0xa8, 0xe2, 0xdc, 0xd7, 0xf0, 0xca, 0x46,
    0xbe, 0x2d, 0x05, 0x52, 0xff, 0x4a, 0xe8, 0x95, 0xcb, 0x80, 0xcb, 0xbe, 0x85, 0xa5, 0x7f, 0x1a,
    0xf3, 0x5c, 0x85, 0xae, 0xb3, 0x06, 0xd5, 0x66, 0x01, 0xb3, 0x14, 0x3e, 0xd1, 0xe4, 0x3e, 0xec,
    0xbd, 0xac, 0x39, 0xd9, 0x16, 0xc5, 0x0c, 0x52, 0x7e, 0x03, 0x5f, 0xac, 0xfa, 0x3b, 0xa4, 0x56,
    0xb7, 0xc1, 0xac, 0x7d, 0x89, 0x53, 0x7f, 0xf7, 0x74, 0xc8, 0xee, 0x2d, 0xea, 0x64, 0xf1, 0x60,
    0x52, 0x98, 0x12, 0x2c, 0x1c, 0x16, 0x15, 0x2c, 0x1d, 0x47, 0xbe, 0x48, 0xe3, 0xbc, 0x73, 0xc8,
    0x57, 0xb0, 0xce, 0x16, 0x3c, 0xcc, 0x74, 0x02, 0xf7, 0x59, 0x31, 0x05, 0x83, 0xcc, 0xe5, 0x56,
    0xbc, 0x53, 0x43, 0xee, 0x11, 0xaf, 0xf7, 0x07, 0xd2, 0xfc, 0x00,
];

const FIXED_DEFLATED: &[u8] = &[
    0x73, 0xca, 0xcf, 0xcb, 0xca, 0x2f, 0x2d, 0xd2, 0x51, 0x48, 0x42, 0x63, 0x28, 0x28, 0x2a, 0x00,
    0x00,
];

const PYTHON_DOCX: &[u8] = &[
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x10, 0x74, 0x76, 0x5d, 0xb3, 0x41,
    0x37, 0x69, 0x1e, 0x01, 0x00, 0x00, 0x1b, 0x03, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x5b, 0x43,
    0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x5f, 0x54, 0x79, 0x70, 0x65, 0x73, 0x5d, 0x2e, 0x78, 0x6d,
    0x6c, 0xad, 0x92, 0xcb, 0x4e, 0xc3, 0x30, 0x10, 0x45, 0xf7, 0x7c, 0x85, 0xe5, 0x6d, 0x95, 0x38,
    0xb0, 0x40, 0x08, 0x25, 0xe9, 0x82, 0xc7, 0x12, 0xba, 0x28, 0x1f, 0x60, 0xd9, 0x93, 0xc6, 0xc2,
    0x2f, 0x79, 0xdc, 0xd2, 0xfc, 0x3d, 0x93, 0xa6, 0x74, 0x81, 0x42, 0x01, 0xc1, 0xd2, 0x9e, 0xb9,
    0xf7, 0x5c, 0xcf, 0xb8, 0x5e, 0xee, 0x9d, 0x65, 0x3b, 0x48, 0x68, 0x82, 0x6f, 0xf8, 0x65, 0x59,
    0x71, 0x06, 0x5e, 0x05, 0x6d, 0xfc, 0xa6, 0xe1, 0x2f, 0xeb, 0xc7, 0xe2, 0x86, 0x33, 0xcc, 0xd2,
    0x6b, 0x69, 0x83, 0x87, 0x86, 0x0f, 0x80, 0x7c, 0xd9, 0x5e, 0xd4, 0xeb, 0x21, 0x02, 0x32, 0x12,
    0x7b, 0x6c, 0x78, 0x9f, 0x73, 0xbc, 0x15, 0x02, 0x55, 0x0f, 0x4e, 0x62, 0x19, 0x22, 0x78, 0xaa,
    0x74, 0x21, 0x39, 0x99, 0xe9, 0x98, 0x36, 0x22, 0x4a, 0xf5, 0x2a, 0x37, 0x20, 0xae, 0xaa, 0xea,
    0x5a, 0xa8, 0xe0, 0x33, 0xf8, 0x5c, 0xe4, 0xd1, 0x83, 0xb7, 0xf5, 0x3d, 0x74, 0x72, 0x6b, 0x33,
    0x7b, 0xd8, 0xd3, 0xf5, 0x14, 0x24, 0x81, 0x45, 0xce, 0xee, 0xa6, 0xc6, 0x91, 0xd5, 0x70, 0x19,
    0xa3, 0x35, 0x4a, 0x66, 0xaa, 0x8b, 0x9d, 0xd7, 0x9f, 0x28, 0xc5, 0x91, 0x50, 0x92, 0xf2, 0xd0,
    0x83, 0xbd, 0x89, 0xb8, 0xa0, 0x06, 0x2e, 0x66, 0x09, 0x63, 0xe5, 0x6b, 0xc0, 0x51, 0xf7, 0x4c,
    0x93, 0x49, 0x46, 0x03, 0x5b, 0xc9, 0x94, 0x9f, 0xa4, 0xa3, 0x2e, 0xf1, 0x16, 0x92, 0x16, 0x3a,
    0xa8, 0xad, 0x23, 0x65, 0x79, 0xde, 0x66, 0x26, 0x67, 0xe8, 0x3a, 0xa3, 0xe0, 0xa4, 0x1f, 0xdd,
    0x62, 0x0a, 0x0a, 0x10, 0x69, 0xe4, 0xce, 0x96, 0xa7, 0x8a, 0x93, 0xc6, 0x2f, 0xbe, 0xcb, 0x81,
    0x79, 0xb0, 0x80, 0xff, 0x9f, 0x62, 0xf2, 0x3d, 0x87, 0x27, 0xed, 0x2a, 0x85, 0x88, 0xb4, 0xcd,
    0x04, 0xbf, 0x0f, 0xf0, 0xb1, 0xae, 0x51, 0x5d, 0x10, 0x3a, 0x42, 0xca, 0xe6, 0x87, 0x44, 0xb2,
    0xfe, 0xf3, 0x8b, 0x61, 0xfc, 0x09, 0x1a, 0xf4, 0x0c, 0x5b, 0x1c, 0xfe, 0x76, 0xfb, 0x0e, 0x50,
    0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x10, 0x74, 0x76, 0x5d, 0x5f, 0x33, 0x95,
    0x52, 0x95, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x5f, 0x72, 0x65,
    0x6c, 0x73, 0x2f, 0x2e, 0x72, 0x65, 0x6c, 0x73, 0x8d, 0xcf, 0x3b, 0x0e, 0xc2, 0x30, 0x0c, 0x06,
    0xe0, 0xab, 0x44, 0x3e, 0x40, 0x9d, 0x32, 0x30, 0xa0, 0xa6, 0x5d, 0x58, 0xba, 0x22, 0x2e, 0x10,
    0x25, 0x6e, 0x53, 0xd1, 0x3c, 0xe4, 0x84, 0xd7, 0xed, 0xc9, 0xc0, 0x40, 0x11, 0x03, 0xa3, 0x7f,
    0xff, 0xfa, 0x2c, 0x77, 0xc3, 0xc3, 0xaf, 0xe2, 0x46, 0x9c, 0x97, 0x18, 0x14, 0xb4, 0x8d, 0x84,
    0xa1, 0xef, 0x4e, 0xb4, 0xea, 0x52, 0x83, 0xec, 0x96, 0x94, 0x45, 0x6d, 0x84, 0xac, 0xc0, 0x95,
    0x92, 0x0e, 0x88, 0xd9, 0x38, 0xf2, 0x3a, 0x37, 0x31, 0x51, 0xa8, 0x9b, 0x29, 0xb2, 0xd7, 0xa5,
    0x8e, 0x3c, 0x63, 0xd2, 0xe6, 0xa2, 0x67, 0xc2, 0x9d, 0x94, 0x7b, 0xe4, 0x4f, 0x03, 0xb6, 0xa6,
    0x18, 0xad, 0x02, 0x1e, 0x6d, 0x0b, 0xe2, 0xfc, 0x4c, 0xf4, 0x8f, 0x1d, 0xa7, 0x69, 0x31, 0x74,
    0x8c, 0xe6, 0xea, 0x29, 0x94, 0x1f, 0x27, 0xbe, 0x1a, 0x55, 0xd6, 0x3c, 0x53, 0x51, 0x70, 0x8f,
    0x6c, 0xd1, 0xbe, 0xe3, 0xa6, 0xb2, 0x80, 0x7d, 0x87, 0x9b, 0x17, 0xfb, 0x17, 0x50, 0x4b, 0x03,
    0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x10, 0x74, 0x76, 0x5d, 0x57, 0x51, 0x52, 0xf4, 0x87,
    0x00, 0x00, 0x00, 0xb6, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x77, 0x6f, 0x72, 0x64, 0x2f,
    0x64, 0x6f, 0x63, 0x75, 0x6d, 0x65, 0x6e, 0x74, 0x2e, 0x78, 0x6d, 0x6c, 0x45, 0xce, 0x4b, 0x0e,
    0x83, 0x40, 0x08, 0x06, 0xe0, 0xab, 0x4c, 0xe6, 0x00, 0x62, 0xbb, 0xe8, 0xc2, 0xf8, 0x38, 0x41,
    0x0f, 0x61, 0x1d, 0xaa, 0x93, 0x08, 0x4c, 0x60, 0xac, 0xed, 0xed, 0xeb, 0xd8, 0x45, 0x37, 0x1f,
    0x81, 0x3f, 0x10, 0xda, 0xe1, 0x4d, 0xab, 0x7b, 0xa1, 0x5a, 0x14, 0xee, 0xfc, 0xa5, 0xaa, 0xfd,
    0xd0, 0xb7, 0x7b, 0x13, 0x64, 0xda, 0x08, 0x39, 0xbb, 0x23, 0x66, 0x6b, 0xf6, 0xce, 0x2f, 0x39,
    0xa7, 0x06, 0xc0, 0xa6, 0x05, 0x69, 0xb4, 0x4a, 0x12, 0xf2, 0x91, 0x3d, 0x45, 0x69, 0xcc, 0x47,
    0xab, 0x33, 0xec, 0xa2, 0x21, 0xa9, 0x4c, 0x68, 0x16, 0x79, 0xa6, 0x15, 0xae, 0x75, 0x7d, 0x03,
    0x1a, 0x23, 0xfb, 0x72, 0xf2, 0x21, 0xe1, 0x53, 0x6a, 0x2a, 0x68, 0x21, 0xf7, 0xf7, 0x68, 0xe8,
    0x90, 0x5d, 0x40, 0xc2, 0x4d, 0xb1, 0x85, 0x32, 0x2c, 0xea, 0x69, 0x3a, 0xfd, 0x2d, 0xc2, 0xff,
    0xa9, 0xfe, 0x0b, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x10,
    0x74, 0x76, 0x5d, 0xb3, 0x41, 0x37, 0x69, 0x1e, 0x01, 0x00, 0x00, 0x1b, 0x03, 0x00, 0x00, 0x13,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x5b, 0x43, 0x6f, 0x6e, 0x74, 0x65, 0x6e, 0x74, 0x5f, 0x54, 0x79, 0x70, 0x65, 0x73, 0x5d,
    0x2e, 0x78, 0x6d, 0x6c, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00,
    0x10, 0x74, 0x76, 0x5d, 0x5f, 0x33, 0x95, 0x52, 0x95, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00,
    0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x4f, 0x01,
    0x00, 0x00, 0x5f, 0x72, 0x65, 0x6c, 0x73, 0x2f, 0x2e, 0x72, 0x65, 0x6c, 0x73, 0x50, 0x4b, 0x01,
    0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x10, 0x74, 0x76, 0x5d, 0x57, 0x51, 0x52,
    0xf4, 0x87, 0x00, 0x00, 0x00, 0xb6, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x0d, 0x02, 0x00, 0x00, 0x77, 0x6f, 0x72, 0x64, 0x2f,
    0x64, 0x6f, 0x63, 0x75, 0x6d, 0x65, 0x6e, 0x74, 0x2e, 0x78, 0x6d, 0x6c, 0x50, 0x4b, 0x05, 0x06,
    0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00, 0xb9, 0x00, 0x00, 0x00, 0xc3, 0x02, 0x00, 0x00,
    0x0e, 0x00, 0x6d, 0x61, 0x64, 0x65, 0x20, 0x62, 0x79, 0x20, 0x70, 0x79, 0x74, 0x68, 0x6f, 0x6e,
];
