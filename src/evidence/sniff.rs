//! Typing of uploaded evidence from its bytes, and safe handling of its file name.
//!
//! An uploaded piece of evidence (« pièce ») is typed by looking at its content only: the name
//! the client gave it and the `Content-Type` it announced are never trusted. Accepted types are
//! listed by [`MediaType`]; everything else is [`Refused`] with a reason written for the person
//! who uploaded the file (the HTTP layer answers 415 Unsupported Media Type with it, except for
//! [`Refused::Io`], which is a server-side read error).
//!
//! # What is recognised
//!
//! | type | rule |
//! | --- | --- |
//! | PDF | `%PDF-` at the start (after an optional UTF-8 BOM and ASCII white space) **and** `%%EOF` in the last KiB; otherwise the PDF is refused as truncated |
//! | PNG | the 8-byte signature followed by the `IHDR` chunk |
//! | JPEG | `FF D8 FF` |
//! | TIFF | `II*\0` or `MM\0*` (BigTIFF is refused) |
//! | OOXML (docx, xlsx, pptx) | a ZIP archive with `[Content_Types].xml` and `word/document.xml`, `xl/workbook.xml` or `ppt/presentation.xml`; no macros |
//! | ODF (odt, ods, odp) | a ZIP archive whose first entry is `mimetype`, stored, holding the ODF text, spreadsheet or presentation type, and that has a `content.xml`; no macros |
//! | e-mail | text that starts with RFC 5322 header fields including `From:` and one of `Date:`, `Subject:`, `Message-ID:`, `Received:`, `MIME-Version:` before the first blank line |
//! | plain text | UTF-8 (BOM allowed) or Windows-1252/ISO-8859-1 looking text, no NUL byte, few control characters |
//!
//! ZIP archives are read without a ZIP crate: the End Of Central Directory record is found at the
//! end of the file, the central directory is read (at most [`MAX_ZIP_ENTRIES`] entries and
//! 4 MiB), and every offset is bounds-checked. `[Content_Types].xml` is inflated (flate2, with an
//! output cap), so that macro-enabled documents are refused even
//! when their VBA part is not called `vbaProject.bin`. ZIP64 archives are refused.
//!
//! Only what is needed is read: the first 64 KiB, and for PDFs and ZIP archives the end of the
//! file; [`sniff`] leaves the reader positioned at the start of the file.
//!
//! # File names
//!
//! [`sanitize_filename`] turns a client-supplied name into one that is safe to store and show,
//! [`content_disposition`] builds a `Content-Disposition` header value from it (RFC 6266 and
//! RFC 8187), and [`download_filename`] makes sure a downloaded file ends with an extension that
//! matches its sniffed type (so a text file called `relance.js` downloads as `relance.js.txt`).

use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// How many bytes at the start of the file are inspected.
const HEAD_LEN: usize = 64 * 1024;
/// How many bytes at the end of a text file are checked for NUL bytes.
const TEXT_TAIL_LEN: u64 = 64 * 1024;
/// The window at the start of the file in which `%PDF-` may follow a BOM and white space.
const PDF_HEADER_WINDOW: usize = 1024;
/// The window at the end of a PDF in which `%%EOF` must appear.
const PDF_TRAILER_WINDOW: u64 = 1024;
/// The most central-directory entries read from a ZIP archive.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// The largest central directory read from a ZIP archive.
const MAX_CENTRAL_DIRECTORY: u64 = 4 * 1024 * 1024;
/// The largest `[Content_Types].xml` read, compressed or not.
const MAX_CONTENT_TYPES: u64 = 1024 * 1024;
/// The largest ODF `mimetype` entry read.
const MAX_ODF_MIMETYPE: u64 = 128;
/// The longest file name kept by [`sanitize_filename`], in bytes.
pub const MAX_FILENAME_BYTES: usize = 200;
/// The longest extension (dot included) that truncation tries to keep.
const MAX_KEPT_EXTENSION: usize = 16;
/// The name used when nothing usable is left of a file name.
const FALLBACK_FILENAME: &str = "piece";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// Media types
// ---------------------------------------------------------------------------------------------

/// An accepted type of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Text,
    Eml,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
}

impl MediaType {
    /// Every accepted type.
    pub const ALL: [MediaType; 12] = [
        MediaType::Pdf,
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Tiff,
        MediaType::Text,
        MediaType::Eml,
        MediaType::Docx,
        MediaType::Xlsx,
        MediaType::Pptx,
        MediaType::Odt,
        MediaType::Ods,
        MediaType::Odp,
    ];

    /// The MIME type to serve the file with. For [`MediaType::Text`] no charset is given: see
    /// [`Sniffed::content_type`].
    pub fn mime(&self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Tiff => "image/tiff",
            MediaType::Text => "text/plain",
            MediaType::Eml => "message/rfc822",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            MediaType::Odt => "application/vnd.oasis.opendocument.text",
            MediaType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            MediaType::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(&self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Tiff => "tif",
            MediaType::Text => "txt",
            MediaType::Eml => "eml",
            MediaType::Docx => "docx",
            MediaType::Xlsx => "xlsx",
            MediaType::Pptx => "pptx",
            MediaType::Odt => "odt",
            MediaType::Ods => "ods",
            MediaType::Odp => "odp",
        }
    }

    /// The stable lowercase name stored in the database.
    pub fn as_str(&self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Png => "png",
            MediaType::Jpeg => "jpeg",
            MediaType::Tiff => "tiff",
            MediaType::Text => "text",
            MediaType::Eml => "eml",
            MediaType::Docx => "docx",
            MediaType::Xlsx => "xlsx",
            MediaType::Pptx => "pptx",
            MediaType::Odt => "odt",
            MediaType::Ods => "ods",
            MediaType::Odp => "odp",
        }
    }

    /// The type stored under `name` by [`MediaType::as_str`] (exact match).
    pub fn parse(name: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// PNG, JPEG or TIFF.
    pub fn is_image(&self) -> bool {
        matches!(self, MediaType::Png | MediaType::Jpeg | MediaType::Tiff)
    }

    /// PDF.
    pub fn is_pdf(&self) -> bool {
        matches!(self, MediaType::Pdf)
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The character set of a [`MediaType::Text`] or [`MediaType::Eml`] file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    /// Valid UTF-8 (possibly with a BOM), which includes plain ASCII.
    Utf8,
    /// Not UTF-8, but looks like ISO-8859-1 / Windows-1252 text.
    Windows1252,
}

impl Charset {
    /// The IANA name, for a `charset=` parameter.
    pub fn as_str(&self) -> &'static str {
        match self {
            Charset::Utf8 => "utf-8",
            Charset::Windows1252 => "windows-1252",
        }
    }
}

/// The result of [`sniff_detailed`]: the type and, for text and e-mail, the character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sniffed {
    pub media_type: MediaType,
    /// `Some` for [`MediaType::Text`] and [`MediaType::Eml`] only.
    pub charset: Option<Charset>,
}

impl Sniffed {
    /// The `Content-Type` header value: the MIME type, with the charset for plain text.
    pub fn content_type(&self) -> String {
        match (self.media_type, self.charset) {
            (MediaType::Text, Some(charset)) => {
                format!("{}; charset={}", self.media_type.mime(), charset.as_str())
            }
            (t, _) => t.mime().to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

/// Why a file was refused. The `Display` text is meant for the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the file is empty")]
    Empty,
    #[error("executable files are not accepted")]
    Executable,
    #[error("scripts are not accepted")]
    Script,
    #[error("HTML is not accepted: send a PDF")]
    Html,
    #[error("documents with macros are not accepted")]
    Macros,
    #[error("the PDF is truncated (its end-of-file marker is missing): send the complete file")]
    TruncatedPdf,
    #[error("the file is a ZIP archive but not an OOXML or ODF document")]
    NotOfficeZip,
    #[error("ZIP64 archives are not accepted")]
    Zip64,
    /// The ZIP structure is broken or hostile; the text says what is wrong.
    #[error("the ZIP archive is damaged: {0}")]
    MalformedZip(&'static str),
    /// An OOXML/ODF document whose safety could not be checked; the text says why.
    #[error("the document could not be checked: {0}")]
    UncheckableDocument(&'static str),
    #[error(
        "Outlook messages (.msg) and old or password-protected Office documents are not \
         accepted: send the e-mail as .eml and documents as PDF"
    )]
    CompoundFile,
    #[error("compressed archives are not accepted: send each document on its own")]
    Archive,
    #[error("this image format is not accepted: send a PDF, PNG, JPEG or TIFF")]
    UnsupportedImage,
    #[error("audio and video files are not accepted")]
    AudioVideo,
    /// Another recognised format that is not accepted (the text names it: "RTF", "SVG"…).
    #[error("{0} files are not accepted: send a PDF")]
    UnsupportedFormat(&'static str),
    #[error("UTF-16 text is not accepted: save the file as UTF-8")]
    Utf16Text,
    #[error("unrecognised binary content")]
    Unrecognised,
    /// The file could not be read: a server-side error (500), not the uploader's fault.
    #[error("the file could not be read: {message}")]
    Io {
        kind: io::ErrorKind,
        message: String,
    },
}

impl Refused {
    /// True for [`Refused::Io`], which the HTTP layer should answer with a 500, not a 415.
    pub fn is_io(&self) -> bool {
        matches!(self, Refused::Io { .. })
    }
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Self {
        Refused::Io {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sniffing
// ---------------------------------------------------------------------------------------------

/// Types `file` from its bytes. The reader is left positioned at the start of the file.
pub fn sniff(file: &mut (impl Read + Seek)) -> Result<MediaType, Refused> {
    sniff_detailed(file).map(|s| s.media_type)
}

/// Like [`sniff`], with the character set of text and e-mail files.
pub fn sniff_detailed(file: &mut (impl Read + Seek)) -> Result<Sniffed, Refused> {
    let result = sniff_inner(file);
    let rewind = file.seek(SeekFrom::Start(0));
    let sniffed = result?;
    rewind?;
    Ok(sniffed)
}

fn sniffed(media_type: MediaType) -> Result<Sniffed, Refused> {
    Ok(Sniffed {
        media_type,
        charset: None,
    })
}

fn sniff_inner<R: Read + Seek>(file: &mut R) -> Result<Sniffed, Refused> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Err(Refused::Empty);
    }
    let head = read_at(file, 0, len.min(HEAD_LEN as u64) as usize)?;
    if head.is_empty() {
        return Err(Refused::Empty);
    }
    let whole_file_in_head = head.len() as u64 >= len;

    // PDF: `%PDF-` at the start, after an optional BOM and white space.
    let pdf_window = &head[..head.len().min(PDF_HEADER_WINDOW)];
    if strip_bom(pdf_window)
        .trim_ascii_start()
        .starts_with(b"%PDF-")
    {
        let tail_len = len.min(PDF_TRAILER_WINDOW);
        let tail = read_at(file, len - tail_len, tail_len as usize)?;
        return if contains(&tail, b"%%EOF") {
            sniffed(MediaType::Pdf)
        } else {
            Err(Refused::TruncatedPdf)
        };
    }

    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return if head.get(12..16) == Some(b"IHDR") {
            sniffed(MediaType::Png)
        } else {
            Err(Refused::Unrecognised)
        };
    }
    if head.starts_with(b"\xFF\xD8\xFF") {
        return sniffed(MediaType::Jpeg);
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return sniffed(MediaType::Tiff);
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip::sniff_zip(file, len).and_then(sniffed);
    }
    if head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08") {
        // An empty or spanned archive.
        return Err(Refused::NotOfficeZip);
    }
    if let Some(refusal) = known_refused_format(&head) {
        return Err(refusal);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(Refused::Utf16Text);
    }

    let Some(charset) = text_charset(&head, !whole_file_in_head) else {
        return Err(Refused::Unrecognised);
    };
    if !whole_file_in_head {
        // Text in front of binary content is still binary content.
        let tail_len = (len - head.len() as u64).min(TEXT_TAIL_LEN);
        let tail = read_at(file, len - tail_len, tail_len as usize)?;
        if tail.contains(&0) {
            return Err(Refused::Unrecognised);
        }
    }

    let text = strip_bom(&head);
    if looks_like_email(text, whole_file_in_head) {
        return Ok(Sniffed {
            media_type: MediaType::Eml,
            charset: Some(charset),
        });
    }
    if let Some(refusal) = refused_text_format(text) {
        return Err(refusal);
    }
    Ok(Sniffed {
        media_type: MediaType::Text,
        charset: Some(charset),
    })
}

/// Formats recognised by their first bytes that are refused, with the reason.
fn known_refused_format(head: &[u8]) -> Option<Refused> {
    let b = head;
    let at = |offset: usize, sig: &[u8]| b.get(offset..offset + sig.len()) == Some(sig);

    // Executables. `MZ` alone could start a text file: a real DOS/PE header has NUL bytes.
    if b.starts_with(b"MZ") && b.iter().take(64).any(|&c| c == 0) {
        return Some(Refused::Executable);
    }
    const EXECUTABLES: &[&[u8]] = &[
        b"\x7fELF",
        b"\xFE\xED\xFA\xCE", // Mach-O 32
        b"\xFE\xED\xFA\xCF", // Mach-O 64
        b"\xCE\xFA\xED\xFE",
        b"\xCF\xFA\xED\xFE",
        b"\xCA\xFE\xBA\xBE",      // Mach-O universal, Java class
        b"\0asm",                 // WebAssembly
        b"dex\n0",                // Android
        b"L\0\0\0\x01\x14\x02\0", // Windows shortcut (.lnk)
    ];
    if EXECUTABLES.iter().any(|sig| b.starts_with(sig)) {
        return Some(Refused::Executable);
    }
    if b.starts_with(b"#!AMR") {
        return Some(Refused::AudioVideo);
    }
    let text = strip_bom(b);
    if text.starts_with(b"#!") {
        return Some(Refused::Script);
    }
    if text.starts_with(b"{\\rtf") {
        return Some(Refused::UnsupportedFormat("RTF"));
    }
    if text.starts_with(b"%!PS") {
        return Some(Refused::UnsupportedFormat("PostScript"));
    }

    // OLE2 compound files: .doc, .xls, .ppt, .msg, encrypted OOXML, .msi…
    if b.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(Refused::CompoundFile);
    }

    const ARCHIVES: &[&[u8]] = &[
        b"\x1F\x8B\x08",       // gzip
        b"\xFD7zXZ\0",         // xz
        b"7z\xBC\xAF\x27\x1C", // 7-Zip
        b"Rar!\x1A\x07",       // RAR
        b"\x28\xB5\x2F\xFD",   // Zstandard
        b"MSCF\0\0\0\0",       // Cabinet
        b"!<arch>\n",          // ar, .deb
        b"\xED\xAB\xEE\xDB",   // RPM
    ];
    if ARCHIVES.iter().any(|sig| b.starts_with(sig))
        || (b.starts_with(b"BZh") && at(4, b"\x31\x41\x59\x26\x53\x59"))
        || ((at(257, b"ustar\0") || at(257, b"ustar ")) && b.iter().take(512).any(|&c| c == 0))
    {
        return Some(Refused::Archive);
    }

    const IMAGES: &[&[u8]] = &[
        b"GIF87a",
        b"GIF89a",
        b"8BPS\0\x01",               // Photoshop
        b"\0\0\0\x0CjP  \r\n\x87\n", // JPEG 2000
        b"\xFF\x0A",                 // JPEG XL codestream
        b"\0\0\0\x0CJXL \r\n\x87\n", // JPEG XL container
        b"II+\0",                    // BigTIFF
        b"MM\0+",
        b"\0\0\x01\0", // Windows icon
    ];
    if IMAGES.iter().any(|sig| b.starts_with(sig))
        || (b.starts_with(b"BM") && at(6, b"\0\0\0\0"))
        || (b.starts_with(b"RIFF") && at(8, b"WEBP"))
    {
        return Some(Refused::UnsupportedImage);
    }
    // ISO base media (MP4, MOV, HEIC, AVIF): a binary box size then `ftyp`.
    if b.first() == Some(&0) && at(4, b"ftyp") {
        let brand = b.get(8..12).unwrap_or_default();
        const IMAGE_BRANDS: &[&[u8]] = &[b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"];
        return Some(if IMAGE_BRANDS.contains(&brand) {
            Refused::UnsupportedImage
        } else {
            Refused::AudioVideo
        });
    }

    const MEDIA: &[&[u8]] = &[
        b"OggS\0",
        b"fLaC",
        b"\x1A\x45\xDF\xA3", // Matroska, WebM
        b"\xFF\xFB",         // MPEG audio frames
        b"\xFF\xF3",
        b"\xFF\xF2",
    ];
    if MEDIA.iter().any(|sig| b.starts_with(sig))
        || (b.starts_with(b"ID3") && matches!(b.get(3), Some(2..=4)))
        || (b.starts_with(b"RIFF") && (at(8, b"WAVE") || at(8, b"AVI ")))
    {
        return Some(Refused::AudioVideo);
    }
    None
}

/// Text formats that are refused: HTML (a browser would render it) and SVG.
fn refused_text_format(text: &[u8]) -> Option<Refused> {
    let start = text.trim_ascii_start();
    // The tags with which the WHATWG MIME sniffing algorithm recognises HTML.
    const HTML_TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    for tag in HTML_TAGS {
        if let Some(prefix) = start.get(..tag.len()) {
            if prefix.eq_ignore_ascii_case(tag) {
                let next = start.get(tag.len()).copied();
                if *tag == b"<!--" || matches!(next, Some(b' ' | b'>' | b'\t' | b'\n' | b'\r')) {
                    return Some(Refused::Html);
                }
            }
        }
    }
    let near_start = &text[..text.len().min(1024)];
    if contains_ignore_case(near_start, b"<!doctype html")
        || contains_ignore_case(near_start, b"<html")
        || contains_ignore_case(near_start, b"<script")
    {
        return Some(Refused::Html);
    }
    if contains_ignore_case(near_start, b"<svg") {
        return Some(Refused::UnsupportedFormat("SVG"));
    }
    None
}

/// Decides whether `head` is text, and in which charset. `truncated` is true when `head` is only
/// the start of the file (so a multi-byte character may be cut at its end).
fn text_charset(head: &[u8], truncated: bool) -> Option<Charset> {
    if head.contains(&0) {
        return None;
    }
    let body = strip_bom(head);
    let utf8 = match std::str::from_utf8(body) {
        Ok(_) => true,
        // A character cut by the end of the inspected window.
        Err(e) => truncated && e.error_len().is_none(),
    };
    let allowed = |c: u8| matches!(c, b'\t' | b'\n' | b'\r' | 0x0C);
    if utf8 {
        let text = match std::str::from_utf8(body) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
        };
        let controls = text
            .chars()
            .filter(|&c| c.is_control() && !(c.is_ascii() && allowed(c as u8)))
            .count();
        return few(controls, body.len()).then_some(Charset::Utf8);
    }
    // Windows-1252: C0 controls, DEL and the five undefined bytes are suspicious.
    let controls = body
        .iter()
        .filter(|&&c| {
            (c < 0x20 && !allowed(c)) || matches!(c, 0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
        })
        .count();
    let high = body.iter().filter(|&&c| c >= 0x80).count();
    (few(controls, body.len()) && high * 3 <= body.len()).then_some(Charset::Windows1252)
}

/// At most 1% of `total`.
fn few(count: usize, total: usize) -> bool {
    count * 100 <= total
}

/// Whether `text` starts with an RFC 5322 header block that looks like an e-mail. `complete` is
/// true when `text` is the whole file (the header block may then end at the end of the file).
fn looks_like_email(text: &[u8], complete: bool) -> bool {
    const OTHERS: &[&[u8]] = &[
        b"date",
        b"subject",
        b"message-id",
        b"received",
        b"mime-version",
    ];
    let mut lines = text.split(|&c| c == b'\n').peekable();
    // An mbox "From " separator line may precede the headers.
    if lines.peek().is_some_and(|l| l.starts_with(b"From ")) {
        lines.next();
    }
    let (mut has_from, mut has_other, mut seen_field, mut ended) = (false, false, false, false);
    while let Some(raw) = lines.next() {
        let is_last = lines.peek().is_none();
        if is_last && !complete {
            // A line cut by the end of the inspected window.
            break;
        }
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.is_empty() {
            ended = true;
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if !seen_field {
                return false;
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&c| c == b':') else {
            return false;
        };
        let name = line[..colon].trim_ascii_end();
        if name.is_empty() || !name.iter().all(|&c| (33..=126).contains(&c)) {
            return false;
        }
        seen_field = true;
        if name.eq_ignore_ascii_case(b"from") {
            has_from = true;
        } else if OTHERS.iter().any(|o| name.eq_ignore_ascii_case(o)) {
            has_other = true;
        }
    }
    (ended || complete) && has_from && has_other
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(UTF8_BOM).unwrap_or(b)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Reads up to `len` bytes at `offset`; fewer only at the end of the file.
fn read_at<R: Read + Seek>(file: &mut R, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads exactly `len` bytes at `offset`, or refuses the file as a damaged archive.
fn read_exact_at<R: Read + Seek>(
    file: &mut R,
    offset: u64,
    len: usize,
    what: &'static str,
) -> Result<Vec<u8>, Refused> {
    let buf = read_at(file, offset, len)?;
    if buf.len() == len {
        Ok(buf)
    } else {
        Err(Refused::MalformedZip(what))
    }
}

// ---------------------------------------------------------------------------------------------
// ZIP containers: OOXML and ODF
// ---------------------------------------------------------------------------------------------

mod zip {
    use super::*;

    const EOCD_SIG: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    const ZIP64_LOCATOR_SIG: &[u8] = b"PK\x06\x07";
    const CENTRAL_SIG: &[u8] = b"PK\x01\x02";
    const CENTRAL_LEN: usize = 46;
    const LOCAL_SIG: &[u8] = b"PK\x03\x04";
    const LOCAL_LEN: usize = 30;
    const FLAG_ENCRYPTED: u16 = 1;
    const METHOD_STORED: u16 = 0;
    const METHOD_DEFLATED: u16 = 8;

    /// One central-directory entry; `name` borrows the directory buffer.
    pub(super) struct Entry<'a> {
        pub name: &'a [u8],
        pub flags: u16,
        pub method: u16,
        pub compressed_size: u64,
        pub uncompressed_size: u64,
        pub local_offset: u64,
    }

    fn le16(b: &[u8], at: usize) -> u16 {
        match b.get(at..at + 2) {
            Some(&[x, y]) => u16::from_le_bytes([x, y]),
            _ => 0,
        }
    }

    fn le32(b: &[u8], at: usize) -> u32 {
        match b.get(at..at + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => 0,
        }
    }

    /// The offset in `tail` of the End Of Central Directory record: the last signature whose
    /// record, comment included, fits in `tail`.
    fn find_eocd(tail: &[u8]) -> Option<usize> {
        let last = tail.len().checked_sub(EOCD_LEN)?;
        (0..=last).rev().find(|&p| {
            tail.get(p..p + 4) == Some(EOCD_SIG)
                && p + EOCD_LEN + usize::from(le16(tail, p + 20)) <= tail.len()
        })
    }

    pub(super) fn sniff_zip<R: Read + Seek>(file: &mut R, len: u64) -> Result<MediaType, Refused> {
        let tail_len = len.min((EOCD_LEN + 0xFFFF) as u64);
        let tail_start = len - tail_len;
        let tail = read_exact_at(file, tail_start, tail_len as usize, "the file is truncated")?;
        let eocd_at = find_eocd(&tail).ok_or(Refused::MalformedZip(
            "its end-of-central-directory record is missing (the file may be truncated)",
        ))?;
        if eocd_at >= 20 && tail.get(eocd_at - 20..eocd_at - 16) == Some(ZIP64_LOCATOR_SIG) {
            return Err(Refused::Zip64);
        }
        let eocd = &tail[eocd_at..];
        let eocd_pos = tail_start + eocd_at as u64;
        let (disk, cd_disk) = (le16(eocd, 4), le16(eocd, 6));
        let (entries_here, entries_total) = (le16(eocd, 8), le16(eocd, 10));
        let (cd_size, cd_offset) = (le32(eocd, 12), le32(eocd, 16));
        if entries_here == 0xFFFF
            || entries_total == 0xFFFF
            || cd_size == 0xFFFF_FFFF
            || cd_offset == 0xFFFF_FFFF
        {
            return Err(Refused::Zip64);
        }
        if disk != 0 || cd_disk != 0 || entries_here != entries_total {
            return Err(Refused::MalformedZip("split archives are not accepted"));
        }
        let entries_total = usize::from(entries_total);
        if entries_total > MAX_ZIP_ENTRIES {
            return Err(Refused::MalformedZip("it has too many entries"));
        }
        let (cd_size, cd_offset) = (u64::from(cd_size), u64::from(cd_offset));
        if cd_offset + cd_size > eocd_pos {
            return Err(Refused::MalformedZip(
                "its central directory lies outside the file",
            ));
        }
        if cd_size > MAX_CENTRAL_DIRECTORY {
            return Err(Refused::MalformedZip("its central directory is too large"));
        }
        let cd = read_exact_at(
            file,
            cd_offset,
            cd_size as usize,
            "its central directory is truncated",
        )?;
        let entries = parse_central_directory(&cd, entries_total)?;
        classify(file, &entries, cd_offset)
    }

    fn parse_central_directory(cd: &[u8], count: usize) -> Result<Vec<Entry<'_>>, Refused> {
        const TRUNCATED: Refused = Refused::MalformedZip("its central directory is truncated");
        let mut entries = Vec::with_capacity(count.min(MAX_ZIP_ENTRIES));
        let mut pos = 0usize;
        for _ in 0..count {
            let header = cd.get(pos..pos + CENTRAL_LEN).ok_or(TRUNCATED)?;
            if !header.starts_with(CENTRAL_SIG) {
                return Err(Refused::MalformedZip(
                    "its central directory has a damaged entry",
                ));
            }
            let compressed = le32(header, 20);
            let uncompressed = le32(header, 24);
            let local_offset = le32(header, 42);
            if [compressed, uncompressed, local_offset].contains(&0xFFFF_FFFF) {
                return Err(Refused::Zip64);
            }
            let name_len = usize::from(le16(header, 28));
            let extra_len = usize::from(le16(header, 30));
            let comment_len = usize::from(le16(header, 32));
            let name_start = pos + CENTRAL_LEN;
            let name = cd.get(name_start..name_start + name_len).ok_or(TRUNCATED)?;
            pos = name_start + name_len + extra_len + comment_len;
            if pos > cd.len() {
                return Err(TRUNCATED);
            }
            entries.push(Entry {
                name,
                flags: le16(header, 8),
                method: le16(header, 10),
                compressed_size: u64::from(compressed),
                uncompressed_size: u64::from(uncompressed),
                local_offset: u64::from(local_offset),
            });
        }
        Ok(entries)
    }

    fn classify<R: Read + Seek>(
        file: &mut R,
        entries: &[Entry<'_>],
        cd_offset: u64,
    ) -> Result<MediaType, Refused> {
        let first = entries.first().ok_or(Refused::NotOfficeZip)?;
        if first.name == b"mimetype" {
            return classify_odf(file, entries, first, cd_offset);
        }
        classify_ooxml(file, entries, cd_offset)
    }

    fn find<'e, 'a>(entries: &'e [Entry<'a>], name: &[u8]) -> Option<&'e Entry<'a>> {
        // OPC part names compare case-insensitively.
        entries.iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }

    fn classify_odf<R: Read + Seek>(
        file: &mut R,
        entries: &[Entry<'_>],
        mimetype: &Entry<'_>,
        cd_offset: u64,
    ) -> Result<MediaType, Refused> {
        if mimetype.method != METHOD_STORED
            || mimetype.flags & FLAG_ENCRYPTED != 0
            || mimetype.compressed_size > MAX_ODF_MIMETYPE
            || mimetype.compressed_size != mimetype.uncompressed_size
        {
            return Err(Refused::NotOfficeZip);
        }
        let content = read_entry(file, mimetype, cd_offset, MAX_ODF_MIMETYPE)?;
        let media_type = match content.as_slice() {
            b"application/vnd.oasis.opendocument.text" => MediaType::Odt,
            b"application/vnd.oasis.opendocument.spreadsheet" => MediaType::Ods,
            b"application/vnd.oasis.opendocument.presentation" => MediaType::Odp,
            _ => return Err(Refused::NotOfficeZip),
        };
        if entries.iter().any(|e| is_odf_macro(e.name)) {
            return Err(Refused::Macros);
        }
        if find(entries, b"content.xml").is_none() {
            return Err(Refused::NotOfficeZip);
        }
        Ok(media_type)
    }

    /// A Basic module or a script stored in an ODF document. The library index files that
    /// LibreOffice writes next to modules are not macros by themselves.
    fn is_odf_macro(name: &[u8]) -> bool {
        if name.ends_with(b"/") {
            return false;
        }
        if starts_with_ignore_case(name, b"Scripts/") {
            return true;
        }
        if starts_with_ignore_case(name, b"Basic/") {
            let file = name.rsplit(|&c| c == b'/').next().unwrap_or_default();
            const INDEXES: &[&[u8]] = &[
                b"script-lc.xml",
                b"script-lb.xml",
                b"dialog-lc.xml",
                b"dialog-lb.xml",
            ];
            return !INDEXES.iter().any(|i| file.eq_ignore_ascii_case(i));
        }
        false
    }

    fn classify_ooxml<R: Read + Seek>(
        file: &mut R,
        entries: &[Entry<'_>],
        cd_offset: u64,
    ) -> Result<MediaType, Refused> {
        const MAIN_PARTS: [(&[u8], MediaType); 3] = [
            (b"word/document.xml", MediaType::Docx),
            (b"xl/workbook.xml", MediaType::Xlsx),
            (b"ppt/presentation.xml", MediaType::Pptx),
        ];
        let Some(content_types) = find(entries, b"[Content_Types].xml") else {
            return Err(Refused::NotOfficeZip);
        };
        let candidates: Vec<MediaType> = MAIN_PARTS
            .iter()
            .filter(|(part, _)| find(entries, part).is_some())
            .map(|&(_, t)| t)
            .collect();
        if candidates.is_empty() {
            return Err(Refused::NotOfficeZip);
        }
        if entries.iter().any(|e| is_ooxml_macro(e.name)) {
            return Err(Refused::Macros);
        }
        let xml = read_entry(file, content_types, cd_offset, MAX_CONTENT_TYPES)?;
        const MACRO_MARKERS: &[&[u8]] = &[b"macroenabled", b"vbaproject", b"macrosheet"];
        if MACRO_MARKERS.iter().any(|m| contains_ignore_case(&xml, m)) {
            return Err(Refused::Macros);
        }
        if let [only] = candidates.as_slice() {
            return Ok(*only);
        }
        // Several main parts: let the declared main content type decide.
        let declared: Vec<MediaType> = candidates
            .into_iter()
            .filter(|t| {
                let markers: &[&[u8]] = match t {
                    MediaType::Docx => &[b"wordprocessingml.document.main+xml"],
                    MediaType::Xlsx => &[b"spreadsheetml.sheet.main+xml"],
                    _ => &[b"presentationml.presentation.main+xml"],
                };
                markers.iter().any(|m| contains_ignore_case(&xml, m))
            })
            .collect();
        match declared.as_slice() {
            [only] => Ok(*only),
            _ => Err(Refused::NotOfficeZip),
        }
    }

    /// A VBA project or an Excel 4.0 macro sheet, by name.
    fn is_ooxml_macro(name: &[u8]) -> bool {
        let file = name.rsplit(|&c| c == b'/').next().unwrap_or_default();
        file.eq_ignore_ascii_case(b"vbaProject.bin")
            || starts_with_ignore_case(name, b"xl/macrosheets/")
    }

    fn starts_with_ignore_case(name: &[u8], prefix: &[u8]) -> bool {
        name.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    }

    /// Reads and, if needed, inflates one entry's data through its local header, refusing
    /// anything larger than `max` bytes (compressed or not).
    fn read_entry<R: Read + Seek>(
        file: &mut R,
        entry: &Entry<'_>,
        cd_offset: u64,
        max: u64,
    ) -> Result<Vec<u8>, Refused> {
        if entry.flags & FLAG_ENCRYPTED != 0 {
            return Err(Refused::UncheckableDocument("a part of it is encrypted"));
        }
        if entry.compressed_size > max || entry.uncompressed_size > max {
            return Err(Refused::UncheckableDocument(
                "a part that must be checked is too large",
            ));
        }
        const OUTSIDE: Refused =
            Refused::MalformedZip("an entry points outside the archive's data");
        if entry.local_offset + LOCAL_LEN as u64 > cd_offset {
            return Err(OUTSIDE);
        }
        let local = read_exact_at(
            file,
            entry.local_offset,
            LOCAL_LEN,
            "a local header is truncated",
        )?;
        if !local.starts_with(LOCAL_SIG) || le16(&local, 8) != entry.method {
            return Err(Refused::MalformedZip(
                "a local header does not match the central directory",
            ));
        }
        let name_len = u64::from(le16(&local, 26));
        let extra_len = u64::from(le16(&local, 28));
        let data_start = entry.local_offset + LOCAL_LEN as u64 + name_len + extra_len;
        if data_start + entry.compressed_size > cd_offset {
            return Err(OUTSIDE);
        }
        let name = read_exact_at(
            file,
            entry.local_offset + LOCAL_LEN as u64,
            name_len as usize,
            "a local header is truncated",
        )?;
        if name != entry.name {
            return Err(Refused::MalformedZip(
                "a local header does not match the central directory",
            ));
        }
        let data = read_exact_at(
            file,
            data_start,
            entry.compressed_size as usize,
            "an entry is truncated",
        )?;
        match entry.method {
            METHOD_STORED => Ok(data),
            METHOD_DEFLATED => inflate::inflate(&data, max as usize).map_err(|e| match e {
                inflate::Error::TooLarge => {
                    Refused::UncheckableDocument("a part that must be checked is too large")
                }
                inflate::Error::Corrupt => Refused::MalformedZip("a compressed entry is corrupt"),
            }),
            _ => Err(Refused::UncheckableDocument(
                "it uses an unsupported compression method",
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DEFLATE (RFC 1951), through flate2 (miniz_oxide), with an output cap: only small parts
// (content types, manifests) are ever inflated.
// ---------------------------------------------------------------------------------------------

mod inflate {
    use flate2::{Decompress, FlushDecompress, Status};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Error {
        /// Invalid or truncated data.
        Corrupt,
        /// The output would exceed the limit.
        TooLarge,
    }

    /// Inflates a raw DEFLATE stream of at most `max` bytes of output; a stream that does not
    /// end (truncated) is `Corrupt`.
    pub(super) fn inflate(data: &[u8], max: usize) -> Result<Vec<u8>, Error> {
        const STEP: usize = 64 * 1024;
        let mut d = Decompress::new(false);
        let mut out: Vec<u8> = Vec::new();
        loop {
            if out.len() == out.capacity() {
                out.reserve((max + 1 - out.len().min(max)).clamp(1, STEP));
            }
            let (in_before, out_before) = (d.total_in(), d.total_out());
            let consumed = usize::try_from(in_before).map_err(|_| Error::Corrupt)?;
            let rest = data.get(consumed..).ok_or(Error::Corrupt)?;
            let status = d
                .decompress_vec(rest, &mut out, FlushDecompress::Finish)
                .map_err(|_| Error::Corrupt)?;
            if out.len() > max {
                return Err(Error::TooLarge);
            }
            match status {
                Status::StreamEnd => return Ok(out),
                _ if d.total_in() == in_before
                    && d.total_out() == out_before
                    && out.len() < out.capacity() =>
                {
                    // No progress with room to write: the input ended before the stream did.
                    return Err(Error::Corrupt);
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

/// Invisible or reordering characters that have no place in a file name: bidi embeddings,
/// overrides, isolates and marks, zero-width space, word joiner and friends, BOM.
fn is_invisible_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Turns a client-supplied file name into one safe to store, show and send back:
/// the last path component (`/` or `\`), without control or bidi-override characters, white
/// space collapsed, no leading or trailing dots or spaces, Windows device names prefixed with
/// `_`, at most [`MAX_FILENAME_BYTES`] bytes (keeping the extension). Never empty: a name with
/// nothing usable left becomes `piece`.
pub fn sanitize_filename(original: &str) -> String {
    let mut cleaned = String::with_capacity(original.len());
    for c in original.chars() {
        if c.is_whitespace() {
            cleaned.push(' ');
        } else if !c.is_control() && !is_invisible_format_char(c) {
            cleaned.push(c);
        }
    }
    let last = cleaned.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut collapsed = String::with_capacity(last.len());
    for c in last.chars() {
        if !(c == ' ' && collapsed.ends_with(' ')) {
            collapsed.push(c);
        }
    }
    let trimmed = trim_dots_and_spaces(&collapsed);
    if trimmed.is_empty() {
        return FALLBACK_FILENAME.to_string();
    }
    let mut name = if is_windows_reserved(trimmed) {
        format!("_{trimmed}")
    } else {
        trimmed.to_string()
    };
    name = cap_length(&name, MAX_FILENAME_BYTES);
    if name.is_empty() {
        FALLBACK_FILENAME.to_string()
    } else {
        name
    }
}

fn trim_dots_and_spaces(s: &str) -> &str {
    s.trim_matches(|c| c == '.' || c == ' ')
}

/// CON, PRN, AUX, NUL, COM1–9, LPT1–9 (and their superscript-digit forms), CONIN$, CONOUT$,
/// whatever the case and the extension.
fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    let upper = stem.to_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT") && matches!(rest.as_slice(), ['1'..='9' | '¹' | '²' | '³'])
}

/// Truncates `name` to at most `max` bytes on a character boundary, keeping a short extension.
fn cap_length(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    if let Some(dot) = name.rfind('.') {
        let ext = &name[dot..];
        if dot > 0 && ext.len() <= MAX_KEPT_EXTENSION {
            let stem = trim_dots_and_spaces(truncate_bytes(&name[..dot], max - ext.len()));
            if !stem.is_empty() {
                return format!("{stem}{ext}");
            }
        }
    }
    trim_dots_and_spaces(truncate_bytes(name, max)).to_string()
}

fn truncate_bytes(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The kind of `Content-Disposition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    Attachment,
    Inline,
}

impl Disposition {
    pub fn as_str(&self) -> &'static str {
        match self {
            Disposition::Attachment => "attachment",
            Disposition::Inline => "inline",
        }
    }
}

/// Bytes outside RFC 8187's `attr-char` are percent-encoded.
const ATTR_CHAR_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A `Content-Disposition` header value (RFC 6266) for `filename`, sanitised first: an ASCII
/// `filename="…"` fallback (non-ASCII characters and `%` become `_`, `"` and `\` are dropped)
/// and `filename*=UTF-8''…` (RFC 8187). The result is printable ASCII only: no CR or LF.
pub fn content_disposition(kind: Disposition, filename: &str) -> String {
    let name = sanitize_filename(filename);
    let fallback: String = name
        .chars()
        .filter(|&c| c != '"' && c != '\\')
        .map(|c| {
            if c == '%' || !(c.is_ascii_graphic() || c == ' ') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let fallback = match trim_dots_and_spaces(&fallback) {
        "" => FALLBACK_FILENAME,
        f => f,
    };
    format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        kind.as_str(),
        fallback,
        utf8_percent_encode(&name, ATTR_CHAR_ENCODE)
    )
}

/// The lowercase extension of the sanitised `filename`, if any.
fn extension_of(filename: &str) -> Option<String> {
    let name = sanitize_filename(filename);
    let dot = name.rfind('.')?;
    Some(name[dot + 1..].to_lowercase())
}

/// Whether the extension of `filename` is one usually given to files of type `t` (for plain
/// text, no extension at all also matches). Informational: the type is always the sniffed one.
pub fn expected_extension_matches(filename: &str, t: MediaType) -> bool {
    let ext = extension_of(filename);
    let Some(ext) = ext.as_deref() else {
        return t == MediaType::Text;
    };
    match t {
        MediaType::Pdf => ext == "pdf",
        MediaType::Png => ext == "png",
        MediaType::Jpeg => matches!(ext, "jpg" | "jpeg" | "jpe" | "jfif"),
        MediaType::Tiff => matches!(ext, "tif" | "tiff"),
        MediaType::Text => matches!(ext, "txt" | "text" | "csv" | "tsv" | "log" | "md" | "asc"),
        MediaType::Eml => ext == "eml",
        MediaType::Docx => ext == "docx",
        MediaType::Xlsx => ext == "xlsx",
        MediaType::Pptx => ext == "pptx",
        MediaType::Odt => ext == "odt",
        MediaType::Ods => ext == "ods",
        MediaType::Odp => ext == "odp",
    }
}

/// The name to download a file of sniffed type `t` under: [`sanitize_filename`], with the type's
/// extension appended when the name's own extension does not match it (`relance.js` sniffed as
/// text becomes `relance.js.txt`, so that it cannot be run by a double click).
pub fn download_filename(original: &str, t: MediaType) -> String {
    let name = sanitize_filename(original);
    if expected_extension_matches(&name, t) {
        return name;
    }
    cap_length(&format!("{name}.{}", t.extension()), MAX_FILENAME_BYTES)
}

#[cfg(test)]
mod tests;
