//! Active content out of the exhibits copied into a dossier: a creditor's PDF may carry
//! JavaScript, actions run when a page opens or a link is followed, launch actions, links to
//! the web and embedded files. None of it belongs in a court dossier, and a lawyer's viewer
//! should never run it, so the [`super::Assembler`] removes it from every object it copies
//! (the exhibit's own bytes, and their SHA-256 on the bordereau, stay as filed).
//!
//! Removed: the `/AA` (additional actions), `/OpenAction`, `/JS`, `/JavaScript`, `/URI`,
//! `/EmbeddedFiles`, `/EF` and `/RF` entries of every dictionary; the `/A` and `/PA` actions
//! of annotations and outline-like items; every action dictionary of a kind that runs or
//! reaches something (`/S /JavaScript`, `/Launch`, `/URI`, `/SubmitForm`, …), emptied;
//! embedded file streams, emptied; and file-attachment, rich-media, screen, movie and sound
//! annotations, taken off their page. Links stay as boxes on the page without an action.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashSet;

/// Keys removed from every dictionary.
const KEYS: [&[u8]; 8] = [
    b"AA",
    b"OpenAction",
    b"JS",
    b"JavaScript",
    b"URI",
    b"EmbeddedFiles",
    b"EF",
    b"RF",
];

/// Action types (`/S`) that run code, open files or reach the network.
const ACTIONS: [&[u8]; 13] = [
    b"JavaScript",
    b"Launch",
    b"URI",
    b"SubmitForm",
    b"ImportData",
    b"ResetForm",
    b"GoToR",
    b"GoToE",
    b"Rendition",
    b"Sound",
    b"Movie",
    b"RichMediaExecute",
    b"Hide",
];

/// Annotations that are active content themselves: taken off their page.
const ANNOTATIONS: [&[u8]; 6] = [
    b"FileAttachment",
    b"RichMedia",
    b"Screen",
    b"Movie",
    b"Sound",
    b"3D",
];

/// Strips active content from every object of `doc` (see the module's documentation).
pub(super) fn strip_active_content(doc: &mut Document) {
    // The annotations to take off, when they are objects of their own.
    let dropped: HashSet<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| dict_of(o).is_some_and(is_dropped_annotation))
        .map(|(id, _)| *id)
        .collect();
    for (id, object) in doc.objects.iter_mut() {
        if dropped.contains(id) {
            *object = Object::Dictionary(Dictionary::new());
            continue;
        }
        if let Object::Stream(s) = object {
            if s.dict
                .get(b"Type")
                .and_then(Object::as_name)
                .is_ok_and(|t| t == b"EmbeddedFile")
            {
                *s = Stream::new(Dictionary::new(), Vec::new());
                continue;
            }
        }
        clean(object, &dropped);
    }
}

fn dict_of(o: &Object) -> Option<&Dictionary> {
    match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name<'a>(d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get(key).and_then(Object::as_name).ok()
}

fn is_dropped_annotation(d: &Dictionary) -> bool {
    name(d, b"Subtype").is_some_and(|s| ANNOTATIONS.contains(&s))
        && (d.has(b"Rect") || name(d, b"Type") == Some(b"Annot"))
}

/// Cleans one object and every dictionary and array inside it.
fn clean(object: &mut Object, dropped: &HashSet<ObjectId>) {
    match object {
        Object::Dictionary(d) => clean_dict(d, dropped),
        Object::Stream(s) => clean_dict(&mut s.dict, dropped),
        Object::Array(items) => {
            // Inline annotations of an `/Annots` array (or references to dropped ones).
            items.retain(|o| match o {
                Object::Reference(id) => !dropped.contains(id),
                Object::Dictionary(d) => !is_dropped_annotation(d),
                _ => true,
            });
            items.iter_mut().for_each(|o| clean(o, dropped));
        }
        _ => {}
    }
}

fn clean_dict(d: &mut Dictionary, dropped: &HashSet<ObjectId>) {
    if name(d, b"S").is_some_and(|s| ACTIONS.contains(&s)) {
        // An action that runs or reaches something: nothing of it is kept.
        *d = Dictionary::new();
        return;
    }
    for key in KEYS {
        d.remove(key);
    }
    // Annotations (a `/Rect`) and outline items (a `/Title`) carry their action in `/A`;
    // widgets also in `/PA`.
    if d.has(b"Rect") || d.has(b"Title") || name(d, b"Type") == Some(b"Annot") {
        d.remove(b"A");
        d.remove(b"PA");
    }
    for (_, value) in d.iter_mut() {
        clean(value, dropped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn actions_scripts_links_and_embedded_files_are_removed_and_the_rest_kept() {
        let mut doc = Document::with_version("1.5");
        let file = doc.add_object(Stream::new(
            dictionary! { "Type" => "EmbeddedFile" },
            b"MZ executable".to_vec(),
        ));
        let attachment = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "FileAttachment", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "FS" => dictionary! { "Type" => "Filespec", "F" => Object::string_literal("x.exe"), "EF" => dictionary! { "F" => Object::Reference(file) } },
        });
        let launch = doc
            .add_object(dictionary! { "S" => "Launch", "F" => Object::string_literal("cmd.exe") });
        let link = dictionary! {
            "Subtype" => "Link", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("http://evil.test") },
        };
        let mut page = dictionary! {
            "Type" => "Page",
            "AA" => dictionary! { "O" => dictionary! { "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)") } },
            "Annots" => vec![Object::Dictionary(link), Object::Reference(attachment)],
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        page.set("Next", Object::Reference(launch));
        let page_id = doc.add_object(page);
        strip_active_content(&mut doc);
        let page = doc.get_dictionary(page_id).unwrap();
        assert!(!page.has(b"AA"));
        assert!(page.has(b"MediaBox"), "the page itself is kept");
        let annots = page.get(b"Annots").unwrap().as_array().unwrap();
        assert_eq!(annots.len(), 1, "the attachment is off the page");
        let link = annots[0].as_dict().unwrap();
        assert!(
            link.has(b"Rect") && !link.has(b"A"),
            "the link keeps its box, not its action"
        );
        assert!(
            doc.get_dictionary(launch).unwrap().is_empty(),
            "the launch action is emptied"
        );
        let Object::Stream(file) = doc.get_object(file).unwrap() else {
            panic!("a stream")
        };
        assert!(
            file.content.is_empty() && !file.dict.has(b"Type"),
            "the embedded file is emptied"
        );
    }
}
