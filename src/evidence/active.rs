//! Active content in an uploaded PDF: JavaScript, actions run on opening a page or the file,
//! launch actions, links to the web, embedded files. Such a file is kept as uploaded (it is
//! evidence), flagged on its piece, served only as a download in a sandbox, and stripped of
//! that content wherever Recouvra copies it (the court dossier: `documents::pdf::Assembler`).

/// What can be found, in a stable order, by the name shown in the API.
pub const KINDS: [&str; 6] = [
    "JavaScript",
    "OpenAction",
    "AdditionalActions",
    "Launch",
    "URI",
    "EmbeddedFile",
];

/// The kinds of active content `pdf` carries (empty when none). The file is parsed, so names
/// inside compressed object streams and written with `#xx` escapes are found too; a file
/// that does not parse is searched byte by byte for the same names.
pub fn pdf_active_content(pdf: &[u8]) -> Vec<&'static str> {
    let mut found = [false; KINDS.len()];
    match lopdf::Document::load_mem(pdf) {
        Ok(doc) => {
            for object in doc.objects.values() {
                visit(object, &mut found);
            }
            for (_, value) in doc.trailer.iter() {
                visit(value, &mut found);
            }
        }
        Err(_) => raw_scan(pdf, &mut found),
    }
    KINDS
        .iter()
        .zip(found)
        .filter_map(|(k, f)| f.then_some(*k))
        .collect()
}

fn mark(found: &mut [bool; KINDS.len()], kind: &str) {
    if let Some(i) = KINDS.iter().position(|k| *k == kind) {
        found[i] = true;
    }
}

fn visit(object: &lopdf::Object, found: &mut [bool; KINDS.len()]) {
    use lopdf::Object;
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => {
            items.iter().for_each(|o| visit(o, found));
            return;
        }
        _ => return,
    };
    for (key, value) in dict.iter() {
        match key.as_slice() {
            b"JS" | b"JavaScript" => mark(found, "JavaScript"),
            b"OpenAction" => mark(found, "OpenAction"),
            b"AA" => mark(found, "AdditionalActions"),
            b"URI" => mark(found, "URI"),
            b"EmbeddedFiles" | b"EF" => mark(found, "EmbeddedFile"),
            _ => {}
        }
        if let Ok(name) = value.as_name() {
            match (key.as_slice(), name) {
                (b"S", b"JavaScript") => mark(found, "JavaScript"),
                (b"S", b"Launch") => mark(found, "Launch"),
                (b"S", b"URI") => mark(found, "URI"),
                (b"Type", b"EmbeddedFile") | (b"Subtype", b"FileAttachment") => {
                    mark(found, "EmbeddedFile")
                }
                _ => {}
            }
        }
        visit(value, found);
    }
}

/// The names as written in the file, each followed by a delimiter (so `/JSON` is not `/JS`).
fn raw_scan(pdf: &[u8], found: &mut [bool; KINDS.len()]) {
    const NAMES: [(&[u8], &str); 8] = [
        (b"/JavaScript", "JavaScript"),
        (b"/JS", "JavaScript"),
        (b"/OpenAction", "OpenAction"),
        (b"/AA", "AdditionalActions"),
        (b"/Launch", "Launch"),
        (b"/URI", "URI"),
        (b"/EmbeddedFiles", "EmbeddedFile"),
        (b"/EmbeddedFile", "EmbeddedFile"),
    ];
    let regular = |b: u8| !b.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&b);
    for (name, kind) in NAMES {
        let hit = pdf
            .windows(name.len())
            .enumerate()
            .any(|(at, w)| w == name && pdf.get(at + name.len()).is_none_or(|b| !regular(*b)));
        if hit {
            mark(found, kind);
        }
    }
}

/// The French words for what was found (the portal's case page).
pub fn french(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|k| match *k {
            "JavaScript" => "JavaScript",
            "OpenAction" => "action à l'ouverture",
            "AdditionalActions" => "actions automatiques",
            "Launch" => "lancement de programme",
            "URI" => "liens vers internet",
            "EmbeddedFile" => "fichiers joints",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_pdf_has_no_active_content_and_a_hostile_one_is_named() {
        let plain = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Note (JSON) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        assert!(pdf_active_content(plain).is_empty());
        let hostile = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n\
            2 0 obj << /Subtype /Link /Rect [0 0 1 1] /A << /S /URI /URI (http://x.test) >> >> endobj\n\
            trailer << /Root 1 0 R >>\n%%EOF\n";
        assert_eq!(
            pdf_active_content(hostile),
            ["JavaScript", "OpenAction", "URI"]
        );
        assert_eq!(
            french(&["JavaScript", "URI"]),
            "JavaScript, liens vers internet"
        );
    }
}
