//! Deterministic serialisation of a lopdf document.
//!
//! The trailer `/ID` is derived from the file content: the document is saved
//! with a placeholder ID, the bytes are hashed, and the placeholder is patched
//! in place (same length, so the cross-reference offsets stay valid).

use super::error::PdfError;
use lopdf::{Object, StringFormat};

/// Placeholder bytes for the ID (16 bytes, written as 32 hex digits).
pub(crate) const PLACEHOLDER: [u8; 16] = *b"RECOUVRA-ID-TEMP";

/// Two 64-bit FNV-1a hashes with different offsets, as 16 bytes.
fn fnv128(data: &[u8]) -> [u8; 16] {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for &byte in data {
        a = (a ^ u64::from(byte)).wrapping_mul(PRIME);
        b = (b ^ u64::from(byte.rotate_left(3))).wrapping_mul(PRIME);
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.to_be_bytes());
    out[8..].copy_from_slice(&b.to_be_bytes());
    out
}

/// Uppercase hexadecimal digits of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> Vec<u8> {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .collect()
}

/// Compresses the remaining uncompressed streams, then saves `doc` with a
/// content-derived trailer `/ID`. Same objects in, same bytes out.
/// `size_hint` pre-allocates the output buffer (avoids regrowth copies on big files).
pub(crate) fn save_deterministic(
    doc: &mut lopdf::Document,
    size_hint: usize,
) -> Result<Vec<u8>, PdfError> {
    doc.compress();
    let id = Object::String(PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let mut out = Vec::with_capacity(size_hint);
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    patch_id(&mut out)?;
    Ok(out)
}

/// Replaces the placeholder `/ID` written in the trailer of `out` by a hash of the file.
pub(crate) fn patch_id(out: &mut [u8]) -> Result<(), PdfError> {
    let needle = hex(&PLACEHOLDER);
    let real = hex(&fnv128(out));
    // The trailer is at the end of the file: patch the last two occurrences.
    let mut patched = 0;
    let mut end = out.len();
    while patched < 2 {
        let Some(pos) = out[..end]
            .windows(needle.len())
            .rposition(|w| w == needle.as_slice())
        else {
            break;
        };
        out[pos..pos + needle.len()].copy_from_slice(&real);
        end = pos;
        patched += 1;
    }
    if patched != 2 {
        return Err(PdfError::Write("trailer ID not found after saving".into()));
    }
    Ok(())
}

/// Encodes a PDF text string: literal for ASCII, UTF-16BE with BOM otherwise.
pub(crate) fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_sensitive() {
        assert_eq!(fnv128(b"abc"), fnv128(b"abc"));
        assert_ne!(fnv128(b"abc"), fnv128(b"abd"));
        assert_eq!(hex(&[0xAB, 0x01]), b"AB01".to_vec());
    }
}
