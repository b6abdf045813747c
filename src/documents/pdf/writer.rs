//! An incremental PDF writer: objects are serialised one by one into the output as they
//! come, so an assembly never holds more than the output and the input being read (lopdf
//! only saves whole documents, and keeps its object writer private).
//!
//! Output: a PDF 1.x header, the objects in the order written, a classic cross-reference
//! table, and a trailer whose `/ID` is derived from the content (as
//! [`super::finish::save_deterministic`] does). Strings are always written in hexadecimal,
//! which needs no escaping; stream lengths are always written directly.

use super::error::PdfError;
use super::finish::{hex, patch_id, PLACEHOLDER};
use lopdf::{Object, ObjectId, Stream};
use std::collections::BTreeMap;
use std::io::Write;

/// The binary-file marker of the second line (ISO 32000-1, 7.5.2).
const HEADER: &[u8] = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";

/// Writes a PDF object by object (see the module documentation).
#[derive(Debug)]
pub(crate) struct PdfWriter {
    out: Vec<u8>,
    offsets: BTreeMap<u32, (usize, u16)>,
}

impl PdfWriter {
    /// Starts a file; `capacity` is reserved at once (a buffer that grows copies itself).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity.max(HEADER.len()));
        out.extend_from_slice(HEADER);
        Self {
            out,
            offsets: BTreeMap::new(),
        }
    }

    /// Writes `object` as indirect object `id` (each id at most once).
    pub(crate) fn write(&mut self, id: ObjectId, object: &Object) -> Result<(), PdfError> {
        if self.offsets.insert(id.0, (self.out.len(), id.1)).is_some() {
            return Err(PdfError::Write(format!("object {} written twice", id.0)));
        }
        // Writing to a Vec cannot fail.
        let _ = writeln!(self.out, "{} {} obj", id.0, id.1);
        serialize(&mut self.out, object);
        self.out.extend_from_slice(b"\nendobj\n");
        Ok(())
    }

    /// Writes the cross-reference table and the trailer (`/Root` = `root`), patches the
    /// header's version (`1.4` unless `version` is a later `x.y`) and returns the file.
    pub(crate) fn finish(mut self, root: ObjectId, version: &str) -> Result<Vec<u8>, PdfError> {
        let size = self.offsets.keys().next_back().map_or(1, |last| last + 1);
        let xref = self.out.len();
        let _ = write!(self.out, "xref\n0 {size}\n0000000000 65535 f\r\n");
        for id in 1..size {
            let _ = match self.offsets.get(&id) {
                Some((offset, generation)) => {
                    write!(self.out, "{offset:010} {generation:05} n\r\n")
                }
                None => write!(self.out, "0000000000 65535 f\r\n"),
            };
        }
        let _ = write!(
            self.out,
            "trailer\n<</Size {size}/Root {} {} R/ID[<{id}><{id}>]>>\nstartxref\n{xref}\n%%EOF",
            root.0,
            root.1,
            id = String::from_utf8_lossy(&hex(&PLACEHOLDER)),
        );
        if version.len() == 3 && version.as_bytes()[1] == b'.' && version > "1.4" {
            self.out[5..8].copy_from_slice(version.as_bytes());
        }
        patch_id(&mut self.out)?;
        self.out.shrink_to_fit();
        Ok(self.out)
    }
}

/// Whether a space must separate `object` from what precedes it.
fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

fn name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        // Delimiters, white space and bytes outside 33..=126 are written as #xx (7.3.5).
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            let _ = write!(out, "#{byte:02X}");
        } else {
            out.push(byte);
        }
    }
}

fn stream(out: &mut Vec<u8>, s: &Stream) {
    // The length is the content's, written directly (an input's indirect /Length object
    // may not be carried over).
    let mut dict = s.dict.clone();
    dict.set("Length", Object::Integer(s.content.len() as i64));
    serialize(out, &Object::Dictionary(dict));
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&s.content);
    out.extend_from_slice(b"\nendstream");
}

/// Appends the PDF syntax of `object` (7.3).
fn serialize(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Object::Real(r) => {
            let _ = write!(out, "{}", if r.is_finite() { *r } else { 0.0 });
        }
        Object::Name(n) => name(out, n),
        Object::String(bytes, _) => {
            out.push(b'<');
            out.extend(hex(bytes));
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                serialize(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict.iter() {
                name(out, key);
                if needs_separator(value) {
                    out.push(b' ');
                }
                serialize(out, value);
            }
            out.extend_from_slice(b">>");
        }
        Object::Stream(s) => stream(out, s),
        Object::Reference(id) => {
            let _ = write!(out, "{} {} R", id.0, id.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, StringFormat};

    fn text(object: &Object) -> String {
        let mut out = Vec::new();
        serialize(&mut out, object);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn objects_are_written_in_pdf_syntax() {
        let dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("A b#", Object::Name(b"x(y)".to_vec())),
            ("N", Object::Integer(-3)),
            ("R", Object::Real(1.5)),
            ("Ref", Object::Reference((12, 0))),
            (
                "Arr",
                Object::Array(vec![
                    Object::Integer(1),
                    Object::Integer(2),
                    Object::Name(b"F".to_vec()),
                    Object::Null,
                    Object::Boolean(true),
                ]),
            ),
            (
                "S",
                Object::String(b"(a)\\".to_vec(), StringFormat::Literal),
            ),
        ]);
        assert_eq!(
            text(&Object::Dictionary(dict)),
            "<</Type/Page/A#20b#23/x#28y#29/N -3/R 1.5/Ref 12 0 R/Arr[1 2/F null true]/S<2861295C>>>"
        );
        let mut s = Stream::new(Dictionary::new(), b"BT ET".to_vec());
        s.dict.set("Length", Object::Reference((9, 0)));
        assert_eq!(
            text(&Object::Stream(s)),
            "<</Length 5>>stream\nBT ET\nendstream"
        );
    }
}
