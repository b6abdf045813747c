//! Assembling the dossier PDF: exhibits first (one at a time, so memory stays bounded by the
//! output), then the dossier's own pages numbered from their page counts, then everything
//! laid out in reading order with bookmarks.

use super::check::check;
use super::context::PagePlan;
use super::front::{dividers, section, BORDEREAU, COVER, REQUETE, STATEMENT};
use super::input::{DossierInput, Exhibit, ExhibitSource};
use super::kind::{placement, Placement};
use super::DossierError;
use crate::documents::pdf::{page_count, Assembler, Bookmark, Pages, PdfError};
use sha2::{Digest, Sha256};

/// Titles of the sections, in order (headers, footers and bookmarks).
const SECTION_TITLES: [&str; 4] = [
    "Page de garde",
    "Requête en injonction de payer",
    "Décompte de la créance",
    "Bordereau des pièces",
];

/// How many times the cover and the bordereau are rendered at most before their page counts
/// settle (they print page numbers, which depend on their own length).
const MAX_PAGINATION_PASSES: usize = 4;

/// Reads an exhibit and checks it is the one recorded (size and SHA-256): the bordereau
/// prints that hash, so the bytes placed in the dossier must be the ones it names.
pub(super) fn fetch(source: &dyn ExhibitSource, e: &Exhibit) -> Result<Vec<u8>, DossierError> {
    let bytes = source.bytes(e)?;
    if bytes.len() as u64 != e.size_bytes {
        return Err(DossierError::exhibit(
            e.number,
            format!("{} bytes read, {} recorded", bytes.len(), e.size_bytes),
        ));
    }
    if hex::encode(Sha256::digest(&bytes)) != e.sha256 {
        return Err(DossierError::exhibit(
            e.number,
            "the bytes do not match the recorded SHA-256",
        ));
    }
    Ok(bytes)
}

/// Why a PDF or image exhibit cannot go into the dossier, without the engine's wording of
/// the input's position (the exhibit number says which one).
fn reason(err: PdfError) -> String {
    match err {
        PdfError::Read { reason, .. } => format!("cannot read the PDF: {reason}"),
        PdfError::Image(reason) => format!("cannot place the image: {reason}"),
        other => other.to_string(),
    }
}

/// Appends the exhibit's own pages (none for an exhibit only shipped in the ZIP archive).
fn append_exhibit(
    assembler: &mut Assembler,
    source: &dyn ExhibitSource,
    e: &Exhibit,
) -> Result<Option<Pages>, DossierError> {
    let pages = match placement(&e.media_type) {
        Placement::ZipOnly => return Ok(None),
        Placement::Pdf => assembler.append_pdf(fetch(source, e)?),
        Placement::Image => assembler.append_image(&fetch(source, e)?),
    };
    pages
        .map(Some)
        .map_err(|err| DossierError::exhibit(e.number, reason(err)))
}

/// Room for the output: the exhibits placed in the PDF, an eighth more (an exhibit's objects
/// may be written bigger than they were stored, a PNG is re-encoded), and the dossier's own
/// pages. Reserving too much costs no resident memory; too little costs a copy.
fn output_estimate(input: &DossierInput) -> usize {
    let exhibits: u64 = input
        .exhibits
        .iter()
        .filter(|e| placement(&e.media_type) != Placement::ZipOnly)
        .map(|e| e.size_bytes)
        .sum();
    usize::try_from(exhibits + exhibits / 8 + (2 << 20)).unwrap_or(usize::MAX)
}

/// Renders the cover and the bordereau until the page numbers they print agree with their
/// own page counts; returns them with the final plan.
fn paginate(
    input: &DossierInput,
    requete: usize,
    statement: usize,
    exhibit_pages: &[usize],
) -> Result<(Vec<u8>, Vec<u8>, PagePlan), DossierError> {
    let (mut cover_n, mut bordereau_n) = (1, 1);
    for _ in 0..MAX_PAGINATION_PASSES {
        let plan = PagePlan::new([cover_n, requete, statement, bordereau_n], exhibit_pages);
        let cover = section(COVER, SECTION_TITLES[0], input, Some(&plan))?;
        let bordereau = section(BORDEREAU, SECTION_TITLES[3], input, Some(&plan))?;
        let counts = (page_count(&cover)?, page_count(&bordereau)?);
        if counts == (cover_n, bordereau_n) {
            return Ok((cover, bordereau, plan));
        }
        (cover_n, bordereau_n) = counts;
    }
    Err(
        PdfError::Layout("the page numbers of the cover and the bordereau do not settle".into())
            .into(),
    )
}

/// The dossier as one PDF: cover, requête (CPC 1407), statement, bordereau, then each
/// exhibit behind its divider page "Pièce n° N" (PDF exhibits page by page, JPEG and PNG on
/// A4 pages, other formats as the divider alone, naming the file in the ZIP archive).
///
/// The same input and exhibit bytes always give the same bytes. Errors before producing
/// anything if the input is inconsistent (see [`DossierError`]), if an exhibit does not
/// match its record, or if a PDF exhibit cannot be read (encrypted, broken) — an exhibit is
/// never silently left out.
pub fn dossier_pdf(
    input: &DossierInput,
    source: &dyn ExhibitSource,
) -> Result<Vec<u8>, DossierError> {
    check(input)?;
    let mut assembler = Assembler::with_capacity(output_estimate(input));
    // Exhibits first: their page counts number the cover and the bordereau.
    let mut exhibits: Vec<Option<Pages>> = Vec::with_capacity(input.exhibits.len());
    for e in &input.exhibits {
        exhibits.push(append_exhibit(&mut assembler, source, e)?);
    }
    let exhibit_pages: Vec<usize> = exhibits
        .iter()
        .map(|p| p.as_ref().map_or(0, Pages::len))
        .collect();

    let requete = assembler.append_pdf(section(REQUETE, SECTION_TITLES[1], input, None)?)?;
    let statement = assembler.append_pdf(section(STATEMENT, SECTION_TITLES[2], input, None)?)?;
    let divider_pages = assembler.append_pdf(dividers(input)?)?.split();
    if divider_pages.len() != input.exhibits.len() {
        return Err(PdfError::Layout(format!(
            "{} divider pages for {} exhibits",
            divider_pages.len(),
            input.exhibits.len()
        ))
        .into());
    }
    let (cover, bordereau, plan) = paginate(input, requete.len(), statement.len(), &exhibit_pages)?;
    let cover = assembler.append_pdf(cover)?;
    let bordereau = assembler.append_pdf(bordereau)?;

    let mut bookmarks: Vec<Bookmark> = SECTION_TITLES
        .iter()
        .zip(plan.sections)
        .map(|(title, (first, _))| Bookmark {
            title: (*title).to_string(),
            page: first - 1,
        })
        .collect();
    bookmarks.extend(
        input
            .exhibits
            .iter()
            .zip(&plan.exhibits)
            .map(|(e, &(first, _))| Bookmark {
                title: format!("Pièce n° {} — {}", e.number, e.title),
                page: first - 1,
            }),
    );
    let mut order = vec![cover, requete, statement, bordereau];
    for (divider, pages) in divider_pages.into_iter().zip(exhibits) {
        order.push(divider);
        order.extend(pages);
    }
    let placed: usize = order.iter().map(Pages::len).sum();
    if placed != plan.total() {
        return Err(PdfError::Layout(format!(
            "{placed} pages assembled, {} planned",
            plan.total()
        ))
        .into());
    }
    Ok(assembler.finish(order, &bookmarks)?)
}
