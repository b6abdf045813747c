//! What each exhibit's media type means for the dossier: its label in the bordereau, whether
//! its pages go into the PDF, and its name in the ZIP archive.

use super::input::Exhibit;

/// How an exhibit appears in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// Its pages are merged into the dossier.
    Pdf,
    /// It is shown on an A4 page (JPEG, PNG).
    Image,
    /// Only its divider page is in the PDF; the file itself is in the ZIP archive (text,
    /// e-mail, office documents, and TIFF, which the PDF engine does not draw).
    ZipOnly,
}

/// The media types the evidence store accepts, with their French label and usual extension.
const KINDS: &[(&str, &str, &str, Placement)] = &[
    ("application/pdf", "PDF", "pdf", Placement::Pdf),
    ("image/png", "Image PNG", "png", Placement::Image),
    ("image/jpeg", "Image JPEG", "jpg", Placement::Image),
    ("image/tiff", "Image TIFF", "tif", Placement::ZipOnly),
    ("text/plain", "Texte", "txt", Placement::ZipOnly),
    ("message/rfc822", "Courriel", "eml", Placement::ZipOnly),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
        "docx",
        Placement::ZipOnly,
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
        "xlsx",
        Placement::ZipOnly,
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (PPTX)",
        "pptx",
        Placement::ZipOnly,
    ),
    (
        "application/vnd.oasis.opendocument.text",
        "OpenDocument texte (ODT)",
        "odt",
        Placement::ZipOnly,
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        "OpenDocument tableur (ODS)",
        "ods",
        Placement::ZipOnly,
    ),
    (
        "application/vnd.oasis.opendocument.presentation",
        "OpenDocument présentation (ODP)",
        "odp",
        Placement::ZipOnly,
    ),
];

/// The media type without parameters, lowercase ("text/plain; charset=utf-8" → "text/plain").
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn lookup(
    media_type: &str,
) -> Option<&'static (&'static str, &'static str, &'static str, Placement)> {
    let essence = essence(media_type);
    KINDS.iter().find(|(mime, ..)| *mime == essence)
}

/// Where the exhibit goes. Unknown types are only shipped in the ZIP archive.
pub(super) fn placement(media_type: &str) -> Placement {
    lookup(media_type).map_or(Placement::ZipOnly, |k| k.3)
}

/// The label of the "Type" column of the bordereau.
pub(super) fn label(media_type: &str) -> String {
    lookup(media_type).map_or_else(|| essence(media_type), |k| k.1.to_string())
}

/// An ASCII spelling of common Latin letters (French first); `None` for anything else.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        'ß' => "ss",
        _ => return None,
    })
}

/// `s` in letters, digits, `-` and `_` only: accents folded, anything else becomes one `_`.
fn ascii_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if let Some(folded) = fold(c) {
            out.push_str(folded);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches(['_', '-']).to_string()
}

/// Longest stem kept in a ZIP name, in bytes (the names stay readable in every tool).
const MAX_STEM: usize = 80;

/// The exhibit's path in the ZIP archive: `pieces/{NN}-{name}`, `NN` zero-padded to `width`,
/// the name folded to ASCII, its extension kept (or the media type's added when it has
/// none). Unique because the number is.
pub(super) fn zip_name(exhibit: &Exhibit, width: usize) -> String {
    // A leading dot hides a file, it does not start an extension.
    let filename = exhibit.filename.trim_start_matches('.');
    let (stem, extension) = match filename.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.len() <= 10 && !ascii_part(ext).is_empty() => {
            (stem, ascii_part(ext).to_ascii_lowercase())
        }
        _ => (
            filename,
            lookup(&exhibit.media_type).map_or_else(String::new, |k| k.2.to_string()),
        ),
    };
    let mut stem = ascii_part(stem);
    stem.truncate(MAX_STEM); // ASCII only: any byte is a char boundary
    if stem.is_empty() {
        stem.push_str("piece");
    }
    let mut name = format!("pieces/{:0width$}-{stem}", exhibit.number);
    if !extension.is_empty() {
        name.push('.');
        name.push_str(&extension);
    }
    name
}

/// Digits of the exhibit numbers in ZIP names: 2, or more for 100 exhibits and over.
pub(super) fn number_width(count: usize) -> usize {
    count.to_string().len().max(2)
}
