//! Merging whole PDFs page by page (court dossiers: cover + requête + exhibits).
//!
//! [`Assembler`] takes the inputs one at a time (each is parsed, its objects written to the
//! output at once, then dropped) and lays the pages out in any order at the end, with
//! optional bookmarks; [`merge_pdfs`] is the simple "all pages in input order" case.

use super::error::PdfError;
use super::finish::text_string;
use super::graph::{flatten_inherited, reachable, shift_ids};
use super::image::image_document;
use super::sanitize::strip_active_content;
use super::writer::PdfWriter;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

fn load(index: usize, bytes: &[u8]) -> Result<Document, PdfError> {
    let doc = Document::load_mem(bytes).map_err(|e| PdfError::Read {
        index,
        reason: e.to_string(),
    })?;
    // Files encrypted with an empty user password are decrypted by lopdf while
    // loading; anything still encrypted needs a password we do not have.
    if doc.is_encrypted() {
        return Err(PdfError::Read {
            index,
            reason: "the PDF is password-protected".into(),
        });
    }
    Ok(doc)
}

/// Number of pages of a PDF.
pub fn page_count(pdf: &[u8]) -> Result<usize, PdfError> {
    Ok(load(0, pdf)?.get_pages().len())
}

/// The pages one input brought to an [`Assembler`], in their order. Hand them back to
/// [`Assembler::finish`] (whole, or cut with [`Pages::split`]) to place them.
#[derive(Debug, PartialEq, Eq)]
pub struct Pages(Vec<ObjectId>);

impl Pages {
    /// Number of pages.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no page.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One [`Pages`] per page, in order (to interleave the pages of one rendered document,
    /// e.g. exhibit dividers, with other inputs).
    pub fn split(self) -> Vec<Pages> {
        self.0.into_iter().map(|id| Pages(vec![id])).collect()
    }
}

/// A bookmark (outline entry) of the assembled PDF, pointing at a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    /// Text shown in the viewer's bookmark panel.
    pub title: String,
    /// Zero-based index of the page in the assembled PDF.
    pub page: usize,
}

/// Builds one PDF out of whole PDFs and images, appended one at a time.
///
/// Each input is parsed, the objects its pages need are written to the output at once, and
/// the input is dropped: memory stays close to the size of the output plus the largest
/// input, whatever their number (the output buffer is reserved once, see
/// [`Assembler::with_capacity`]). Document-level structures of the inputs (outlines, named
/// destinations, AcroForm dictionaries, metadata, open actions, the JavaScript and embedded
/// files name trees) are not carried over; the pages keep their annotations, without active
/// content: actions, JavaScript, links' targets and embedded files are stripped from every
/// object copied (`sanitize`). Every appended page must be placed by [`Assembler::finish`]. The output
/// only depends on the inputs and the order given to `finish`.
#[derive(Debug)]
pub struct Assembler {
    writer: PdfWriter,
    /// The page-tree root, reserved first so pages can point to it as they are written.
    pages_id: ObjectId,
    next_id: u32,
    inputs: usize,
    version: String,
    appended: HashSet<ObjectId>,
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    /// An empty assembly with a small output buffer.
    pub fn new() -> Self {
        Self::with_capacity(64 * 1024)
    }

    /// An empty assembly whose output buffer holds `bytes` without growing (growing a big
    /// buffer copies it, briefly doubling its memory); reserving more than needed costs no
    /// resident memory on Linux until it is written.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            writer: PdfWriter::with_capacity(bytes),
            pages_id: (1, 0),
            next_id: 2,
            inputs: 0,
            version: "1.4".into(),
            appended: HashSet::new(),
        }
    }

    /// Parses `bytes` (dropped as soon as they are parsed) and writes its pages.
    ///
    /// Errors on an unreadable or password-protected PDF, or one without pages
    /// ([`PdfError::Read`] carries the zero-based number of the input: inputs counted in
    /// the order they were appended, images included).
    pub fn append_pdf(&mut self, bytes: Vec<u8>) -> Result<Pages, PdfError> {
        let index = self.inputs;
        self.inputs += 1;
        let doc = load(index, &bytes)?;
        drop(bytes);
        self.absorb(index, doc)
    }

    /// Adds one page showing `image` (JPEG or PNG, see [`super::image_page`]).
    pub fn append_image(&mut self, image: &[u8]) -> Result<Pages, PdfError> {
        let index = self.inputs;
        self.inputs += 1;
        let doc = image_document(image)?;
        self.absorb(index, doc)
    }

    /// Renumbers `doc` after the objects already written, re-parents its pages under the
    /// assembly's page tree, and writes every object its pages reach (not its catalog, page
    /// tree nodes, outlines or form dictionaries).
    fn absorb(&mut self, index: usize, mut doc: Document) -> Result<Pages, PdfError> {
        if doc.version > self.version {
            self.version = doc.version.clone();
        }
        let first = doc.objects.keys().map(|id| id.0).min().unwrap_or(1);
        shift_ids(&mut doc, self.next_id.saturating_sub(first));
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(PdfError::Read {
                index,
                reason: "the PDF has no pages".into(),
            });
        }
        // Whatever could run in a viewer goes before anything is copied.
        strip_active_content(&mut doc);
        for &page_id in &pages {
            flatten_inherited(&mut doc, page_id)?;
            doc.get_dictionary_mut(page_id)
                .map_err(|e| PdfError::Malformed(format!("page {page_id:?}: {e}")))?
                .set("Parent", Object::Reference(self.pages_id));
        }
        // Drop the old catalog and page-tree nodes, whatever refers to them.
        if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
            doc.objects.remove(&root);
        }
        doc.objects.retain(|_, obj| {
            !matches!(obj, Object::Dictionary(d) if d.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Pages"))
        });
        let (needed, highest) = reachable(&doc, &pages);
        // Later inputs are numbered after every number this one used or referred to, so a
        // dangling reference can never land on another input's object.
        let last = doc.objects.keys().map(|id| id.0).max().unwrap_or(0);
        self.next_id = self.next_id.max(last.max(highest).saturating_add(1));
        for id in needed {
            if let Some(mut object) = doc.objects.remove(&id) {
                if let Object::Stream(stream) = &mut object {
                    if stream.allows_compression {
                        // As `save_deterministic` does: only streams without a filter; a
                        // failure leaves the stream as it is.
                        let _ = stream.compress();
                    }
                }
                self.writer.write(id, &object)?;
            }
        }
        self.appended.extend(pages.iter().copied());
        Ok(Pages(pages))
    }

    fn new_id(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Lays out `order` (every page appended, each exactly once) as the pages of the result,
    /// adds `bookmarks`, and returns the file.
    pub fn finish(
        mut self,
        order: Vec<Pages>,
        bookmarks: &[Bookmark],
    ) -> Result<Vec<u8>, PdfError> {
        let kids: Vec<ObjectId> = order.into_iter().flat_map(|p| p.0).collect();
        if kids.is_empty() {
            return Err(PdfError::Malformed("no page to assemble".into()));
        }
        let placed: HashSet<ObjectId> = kids.iter().copied().collect();
        if placed.len() != kids.len() || placed != self.appended {
            return Err(PdfError::Malformed(
                "every page appended must be placed exactly once".into(),
            ));
        }
        let count = i64::try_from(kids.len()).map_err(|e| PdfError::Malformed(e.to_string()))?;
        let outlines = self.outline(&kids, bookmarks)?;
        let pages = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(count)),
            (
                "Kids",
                Object::Array(kids.into_iter().map(Object::Reference).collect()),
            ),
        ]);
        self.writer
            .write(self.pages_id, &Object::Dictionary(pages))?;
        let mut catalog = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(self.pages_id)),
        ]);
        if let Some(id) = outlines {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        let catalog_id = self.new_id();
        self.writer
            .write(catalog_id, &Object::Dictionary(catalog))?;
        self.writer.finish(catalog_id, &self.version)
    }

    /// Writes a flat outline (ISO 32000-1, 12.3.3) whose items open their page; `None`
    /// without bookmarks.
    fn outline(
        &mut self,
        kids: &[ObjectId],
        bookmarks: &[Bookmark],
    ) -> Result<Option<ObjectId>, PdfError> {
        if bookmarks.is_empty() {
            return Ok(None);
        }
        let root = self.new_id();
        let ids: Vec<ObjectId> = bookmarks.iter().map(|_| self.new_id()).collect();
        for (i, (bookmark, &id)) in bookmarks.iter().zip(&ids).enumerate() {
            let page = kids.get(bookmark.page).ok_or_else(|| {
                PdfError::Malformed(format!(
                    "bookmark {:?} points at page {} of {}",
                    bookmark.title,
                    bookmark.page + 1,
                    kids.len()
                ))
            })?;
            let mut item = Dictionary::from_iter(vec![
                ("Title", text_string(&bookmark.title)),
                ("Parent", Object::Reference(root)),
                (
                    "Dest",
                    Object::Array(vec![
                        Object::Reference(*page),
                        Object::Name(b"Fit".to_vec()),
                    ]),
                ),
            ]);
            if let Some(prev) = i.checked_sub(1).and_then(|p| ids.get(p)) {
                item.set("Prev", Object::Reference(*prev));
            }
            if let Some(next) = ids.get(i + 1) {
                item.set("Next", Object::Reference(*next));
            }
            self.writer.write(id, &Object::Dictionary(item))?;
        }
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return Ok(None);
        };
        let count = i64::try_from(ids.len()).map_err(|e| PdfError::Malformed(e.to_string()))?;
        let outlines = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(*first)),
            ("Last", Object::Reference(*last)),
            ("Count", Object::Integer(count)),
        ]);
        self.writer.write(root, &Object::Dictionary(outlines))?;
        Ok(Some(root))
    }
}

/// Merges whole PDFs, page by page, in the given order (see [`Assembler`] for memory use and
/// what is carried over). The output is deterministic: the same inputs give the same bytes.
///
/// Errors on an empty list, an unreadable or password-protected PDF, or a PDF
/// without pages ([`PdfError::Read`] carries the index of the offending input).
pub fn merge_pdfs(pdfs: Vec<Vec<u8>>) -> Result<Vec<u8>, PdfError> {
    if pdfs.is_empty() {
        return Err(PdfError::Malformed("no PDF to merge".into()));
    }
    let size = pdfs.iter().map(Vec::len).sum::<usize>() + 64 * 1024;
    let mut assembler = Assembler::with_capacity(size);
    let mut order = Vec::with_capacity(pdfs.len());
    for bytes in pdfs {
        order.push(assembler.append_pdf(bytes)?);
    }
    assembler.finish(order, &[])
}
