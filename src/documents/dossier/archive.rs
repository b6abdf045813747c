//! The dossier as a ZIP archive: the PDF, every exhibit in its original format, and a
//! manifest of their SHA-256.

use super::assemble::fetch;
use super::check::check;
use super::input::{DossierInput, ExhibitSource};
use super::kind::{number_width, zip_name};
use super::zip::{archive_len, ZipWriter, MAX_ARCHIVE_BYTES};
use super::DossierError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;

/// Name of the dossier PDF in the archive.
pub const PDF_NAME: &str = "dossier.pdf";
/// Name of the manifest in the archive.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Room reserved for the manifest: its size is only known at the end, and a buffer that has
/// to grow copies the whole archive.
const MANIFEST_RESERVE_PER_FILE: u64 = 512;

/// `manifest.json`; the field order is the key order in the file.
#[derive(Serialize)]
struct Manifest<'a> {
    case: &'a str,
    date: String,
    files: Vec<ManifestFile>,
}

#[derive(Serialize)]
struct ManifestFile {
    path: String,
    sha256: String,
    size: u64,
    exhibit: Option<u32>,
    title: String,
}

/// Writes the archive to `out` (see [`dossier_zip`]); returns `out`. Nothing is buffered
/// but one exhibit at a time.
pub fn dossier_zip_to<W: Write>(
    input: &DossierInput,
    pdf: &[u8],
    source: &dyn ExhibitSource,
    out: W,
) -> Result<W, DossierError> {
    check(input)?;
    let width = number_width(input.exhibits.len());
    let mut zip = ZipWriter::new(out, input.date)?;
    let mut files = Vec::with_capacity(input.exhibits.len() + 1);
    zip.add(PDF_NAME, pdf)?;
    files.push(ManifestFile {
        path: PDF_NAME.into(),
        sha256: hex::encode(Sha256::digest(pdf)),
        size: pdf.len() as u64,
        exhibit: None,
        title: format!(
            "Requête en injonction de payer — dossier {}",
            input.case_reference
        ),
    });
    for e in &input.exhibits {
        // `fetch` checks the bytes against the recorded SHA-256, which the manifest repeats.
        let bytes = fetch(source, e)?;
        let path = zip_name(e, width);
        zip.add(&path, &bytes)?;
        files.push(ManifestFile {
            path,
            sha256: e.sha256.clone(),
            size: bytes.len() as u64,
            exhibit: Some(e.number),
            title: e.title.clone(),
        });
    }
    let manifest = Manifest {
        case: &input.case_reference,
        date: input.date.format("%Y-%m-%d").to_string(),
        files,
    };
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| DossierError::Invalid(format!("manifest: {e}")))?;
    json.push(b'\n');
    zip.add(MANIFEST_NAME, &json)?;
    zip.finish()
}

/// The dossier as a ZIP archive (STORED, deterministic): `dossier.pdf`, then each exhibit as
/// `pieces/{NN}-{name}` in exhibit order, then `manifest.json` listing every file with its
/// SHA-256, size, exhibit number and title. The same input gives the same bytes; every entry
/// is dated the dossier date.
///
/// Errors if the input is inconsistent, if an exhibit does not match its recorded size or
/// SHA-256, or ([`DossierError::TooLarge`]) if the archive would need zip64.
pub fn dossier_zip(
    input: &DossierInput,
    pdf: &[u8],
    source: &dyn ExhibitSource,
) -> Result<Vec<u8>, DossierError> {
    let width = number_width(input.exhibits.len());
    let names = std::iter::once((PDF_NAME.len(), pdf.len() as u64))
        .chain(
            input
                .exhibits
                .iter()
                .map(|e| (zip_name(e, width).len(), e.size_bytes)),
        )
        .chain(std::iter::once((
            MANIFEST_NAME.len(),
            MANIFEST_RESERVE_PER_FILE * (input.exhibits.len() as u64 + 1),
        )));
    // Reserve the whole archive once (capped: a wrong size only costs a regrowth).
    let reserve = usize::try_from(archive_len(names).min(MAX_ARCHIVE_BYTES)).unwrap_or(0);
    dossier_zip_to(input, pdf, source, Vec::with_capacity(reserve))
}
