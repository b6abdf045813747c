//! Merging whole PDFs page by page (court dossiers: cover + requête + exhibits).
//!
//! [`Assembler`] takes the inputs one at a time (each is parsed, its bytes dropped, its
//! objects moved into the result) and lays the pages out in any order at the end, with
//! optional bookmarks; [`merge_pdfs`] is the simple "all pages in input order" case.

use super::error::PdfError;
use super::finish::{save_deterministic, text_string};
use super::image::image_document;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Page attributes that may be inherited from the page tree (ISO 32000-1, 7.7.3.4).
const INHERITABLE: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

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

/// Copies inherited attributes from the page's ancestors onto the page itself,
/// so that the page can be re-parented under the merged page tree.
fn flatten_inherited(doc: &mut Document, page_id: ObjectId) -> Result<(), PdfError> {
    let mut found: Vec<(&[u8], Object)> = Vec::new();
    {
        let page = doc
            .get_dictionary(page_id)
            .map_err(|e| PdfError::Malformed(format!("page {page_id:?}: {e}")))?;
        let mut missing: Vec<&[u8]> = INHERITABLE
            .iter()
            .copied()
            .filter(|k| !page.has(k))
            .collect();
        let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
        let mut depth = 0;
        while let (Some(pid), false) = (parent, missing.is_empty()) {
            depth += 1;
            let Ok(node) = doc.get_dictionary(pid) else {
                break;
            };
            if depth > 64 {
                break; // cyclic or absurdly deep page tree
            }
            missing.retain(|key| match node.get(key) {
                Ok(value) => {
                    found.push((key, value.clone()));
                    false
                }
                Err(_) => true,
            });
            parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        }
    }
    let page = doc
        .get_dictionary_mut(page_id)
        .map_err(|e| PdfError::Malformed(format!("page {page_id:?}: {e}")))?;
    for (key, value) in found {
        page.set(key, value);
    }
    if !page.has(b"MediaBox") {
        // Required attribute; default to A4 rather than producing an invalid page.
        let a4: Vec<Object> = vec![0.into(), 0.into(), 595.276f32.into(), 841.89f32.into()];
        page.set("MediaBox", a4);
    }
    Ok(())
}

/// Applies `f` to every indirect reference inside `obj`.
fn for_each_ref(obj: &mut Object, f: &mut impl FnMut(&mut ObjectId)) {
    match obj {
        Object::Reference(id) => f(id),
        Object::Array(items) => items.iter_mut().for_each(|o| for_each_ref(o, f)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| for_each_ref(o, f)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| for_each_ref(o, f)),
        _ => {}
    }
}

/// Shifts every object number of `doc` by `offset` (linear time, unlike
/// lopdf's renumbering which is quadratic in the number of objects).
fn shift_ids(doc: &mut Document, offset: u32) {
    let mut shift = |id: &mut ObjectId| id.0 = id.0.saturating_add(offset);
    let objects = std::mem::take(&mut doc.objects);
    doc.objects = objects
        .into_iter()
        .map(|((num, generation), mut obj)| {
            for_each_ref(&mut obj, &mut shift);
            ((num.saturating_add(offset), generation), obj)
        })
        .collect();
    doc.trailer
        .iter_mut()
        .for_each(|(_, o)| for_each_ref(o, &mut shift));
}

/// Removes the objects not reachable from the trailer (linear time).
fn prune(doc: &mut Document) {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<ObjectId> = Vec::new();
    doc.trailer
        .iter()
        .for_each(|(_, o)| collect_refs(o, &mut stack));
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            if let Some(obj) = doc.objects.get(&id) {
                collect_refs(obj, &mut stack);
            }
        }
    }
    doc.objects.retain(|id, _| seen.contains(id));
}

fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| collect_refs(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| collect_refs(o, out)),
        _ => {}
    }
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
/// Each input is parsed and then dropped, and its objects (content streams, images, fonts)
/// are moved, not copied, into the result, so peak memory stays close to the size of the
/// inputs plus the output, whatever their number. Document-level structures of the inputs
/// (outlines, named destinations, AcroForm dictionaries, metadata) are not carried over;
/// the pages keep their annotations. The output only depends on the inputs and the order
/// given to [`Assembler::finish`].
#[derive(Debug)]
pub struct Assembler {
    out: Document,
    next_id: u32,
    inputs: usize,
    size_hint: usize,
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    /// An empty assembly.
    pub fn new() -> Self {
        Self {
            out: Document::with_version("1.4"),
            next_id: 1,
            inputs: 0,
            size_hint: 64 * 1024,
        }
    }

    /// Parses `bytes` (dropped as soon as they are parsed) and takes its pages.
    ///
    /// Errors on an unreadable or password-protected PDF, or one without pages
    /// ([`PdfError::Read`] carries the zero-based number of the input: inputs counted in
    /// the order they were appended, images included).
    pub fn append_pdf(&mut self, bytes: Vec<u8>) -> Result<Pages, PdfError> {
        let index = self.inputs;
        self.inputs += 1;
        self.size_hint = self.size_hint.saturating_add(bytes.len());
        let doc = load(index, &bytes)?;
        drop(bytes);
        self.absorb(index, doc)
    }

    /// Adds one page showing `image` (JPEG or PNG, see [`super::image_page`]).
    pub fn append_image(&mut self, image: &[u8]) -> Result<Pages, PdfError> {
        let index = self.inputs;
        self.inputs += 1;
        self.size_hint = self.size_hint.saturating_add(image.len());
        let doc = image_document(image)?;
        self.absorb(index, doc)
    }

    /// Moves the objects of `doc` into the result, renumbered after the ones already there;
    /// its catalog and page-tree nodes are dropped (the pages get a new parent at the end).
    fn absorb(&mut self, index: usize, mut doc: Document) -> Result<Pages, PdfError> {
        if doc.version > self.out.version {
            self.out.version = doc.version.clone();
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
        for &page_id in &pages {
            flatten_inherited(&mut doc, page_id)?;
        }
        // Drop the old catalog and page-tree nodes; whatever only they referenced is
        // pruned when the result is saved.
        if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
            doc.objects.remove(&root);
        }
        doc.objects.retain(|_, obj| {
            !matches!(obj, Object::Dictionary(d) if d.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Pages"))
        });
        let last = doc
            .objects
            .keys()
            .map(|id| id.0)
            .max()
            .unwrap_or(self.next_id);
        self.next_id = last.max(self.next_id).saturating_add(1);
        self.out.objects.append(&mut doc.objects);
        Ok(Pages(pages))
    }

    /// Lays out `order` (pages taken from this assembler, each at most once) as the pages of
    /// the result, adds `bookmarks`, and saves. Pages appended but not placed are dropped.
    pub fn finish(self, order: Vec<Pages>, bookmarks: &[Bookmark]) -> Result<Vec<u8>, PdfError> {
        let Assembler {
            mut out,
            next_id,
            size_hint,
            ..
        } = self;
        let kids: Vec<ObjectId> = order.into_iter().flat_map(|p| p.0).collect();
        if kids.is_empty() {
            return Err(PdfError::Malformed("no page to assemble".into()));
        }
        let mut seen = HashSet::with_capacity(kids.len());
        for kid in &kids {
            if !seen.insert(*kid) || out.get_dictionary(*kid).is_err() {
                return Err(PdfError::Malformed(format!(
                    "page {kid:?} is placed twice or does not belong to this assembly"
                )));
            }
        }
        out.max_id = next_id;
        let pages_id = out.new_object_id();
        for &kid in &kids {
            if let Ok(page) = out.get_dictionary_mut(kid) {
                page.set("Parent", Object::Reference(pages_id));
            }
        }
        let count = i64::try_from(kids.len()).map_err(|e| PdfError::Malformed(e.to_string()))?;
        let outlines = outline(&mut out, &kids, bookmarks)?;
        let pages = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(count)),
            (
                "Kids",
                Object::Array(kids.into_iter().map(Object::Reference).collect()),
            ),
        ]);
        out.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages_id)),
        ]);
        if let Some(id) = outlines {
            catalog.set("Outlines", Object::Reference(id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        let catalog_id = out.add_object(catalog);
        out.trailer.set("Root", Object::Reference(catalog_id));
        prune(&mut out);
        save_deterministic(&mut out, size_hint)
    }
}

/// Adds a flat outline (ISO 32000-1, 12.3.3) whose items open their page; `None` without
/// bookmarks.
fn outline(
    out: &mut Document,
    kids: &[ObjectId],
    bookmarks: &[Bookmark],
) -> Result<Option<ObjectId>, PdfError> {
    if bookmarks.is_empty() {
        return Ok(None);
    }
    let root = out.new_object_id();
    let ids: Vec<ObjectId> = bookmarks.iter().map(|_| out.new_object_id()).collect();
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
        out.objects.insert(id, Object::Dictionary(item));
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
    out.objects.insert(root, Object::Dictionary(outlines));
    Ok(Some(root))
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
    let mut assembler = Assembler::new();
    let mut order = Vec::with_capacity(pdfs.len());
    for bytes in pdfs {
        order.push(assembler.append_pdf(bytes)?);
    }
    assembler.finish(order, &[])
}
