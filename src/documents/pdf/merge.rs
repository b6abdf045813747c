//! Merging whole PDFs page by page (court dossiers: cover + requête + exhibits).

use super::error::PdfError;
use super::finish::save_deterministic;
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

/// Merges whole PDFs, page by page, in the given order.
///
/// Each input is parsed and then dropped before the next one is read, and the
/// page objects (content streams, images, fonts) are moved, not copied, into
/// the result, so peak memory stays close to the size of the inputs plus the
/// output. Document-level structures of the inputs (outlines, named
/// destinations, AcroForm dictionaries, metadata) are not carried over; the
/// pages keep their annotations. The output is deterministic: the same inputs
/// give the same bytes.
///
/// Errors on an empty list, an unreadable or password-protected PDF, or a PDF
/// without pages ([`PdfError::Read`] carries the index of the offending input).
pub fn merge_pdfs(pdfs: Vec<Vec<u8>>) -> Result<Vec<u8>, PdfError> {
    if pdfs.is_empty() {
        return Err(PdfError::Malformed("no PDF to merge".into()));
    }
    // Output is about the size of the inputs; reserve it once.
    let size_hint = pdfs.iter().map(Vec::len).sum::<usize>() + 64 * 1024;
    let mut out = Document::with_version("1.4");
    let mut kids: Vec<ObjectId> = Vec::new();
    let mut next_id: u32 = 1;

    for (index, bytes) in pdfs.into_iter().enumerate() {
        let mut doc = load(index, &bytes)?;
        drop(bytes);
        if doc.version > out.version {
            out.version = doc.version.clone();
        }
        let first = doc.objects.keys().map(|id| id.0).min().unwrap_or(1);
        shift_ids(&mut doc, next_id.saturating_sub(first));
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
        // Drop the old catalog and page-tree nodes; whatever only they
        // referenced is pruned below.
        if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
            doc.objects.remove(&root);
        }
        doc.objects.retain(|_, obj| {
            !matches!(obj, Object::Dictionary(d) if d.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Pages"))
        });
        let last = doc.objects.keys().map(|id| id.0).max().unwrap_or(next_id);
        next_id = last.max(next_id).saturating_add(1);
        kids.extend(pages);
        out.objects.append(&mut doc.objects);
    }

    out.max_id = next_id;
    let pages_id = out.new_object_id();
    for &kid in &kids {
        if let Ok(page) = out.get_dictionary_mut(kid) {
            page.set("Parent", Object::Reference(pages_id));
        }
    }
    let count = i64::try_from(kids.len()).map_err(|e| PdfError::Malformed(e.to_string()))?;
    let pages = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Pages".to_vec())),
        ("Count", Object::Integer(count)),
        (
            "Kids",
            Object::Array(kids.into_iter().map(Object::Reference).collect()),
        ),
    ]);
    out.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ]);
    let catalog_id = out.add_object(catalog);
    out.trailer.set("Root", Object::Reference(catalog_id));
    prune(&mut out);
    save_deterministic(&mut out, size_hint)
}
