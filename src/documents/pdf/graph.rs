//! Object-graph helpers for merging: renumbering, inherited page attributes, reachability.

use super::error::PdfError;
use lopdf::{Document, Object, ObjectId};
use std::collections::BTreeSet;

/// Page attributes that may be inherited from the page tree (ISO 32000-1, 7.7.3.4).
const INHERITABLE: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// Copies inherited attributes from the page's ancestors onto the page itself,
/// so that the page can be re-parented under the merged page tree.
pub(super) fn flatten_inherited(doc: &mut Document, page_id: ObjectId) -> Result<(), PdfError> {
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
pub(super) fn shift_ids(doc: &mut Document, offset: u32) {
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

/// The objects reachable from `roots`, in id order, and the highest object number referred
/// to on the way, present or not (linear time).
pub(super) fn reachable(doc: &Document, roots: &[ObjectId]) -> (BTreeSet<ObjectId>, u32) {
    let mut seen = BTreeSet::new();
    let mut highest = 0;
    let mut stack: Vec<ObjectId> = roots.to_vec();
    while let Some(id) = stack.pop() {
        highest = highest.max(id.0);
        if let Some(obj) = doc.objects.get(&id) {
            if seen.insert(id) {
                collect_refs(obj, &mut stack);
            }
        }
    }
    (seen, highest)
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
