//! Image pages: a JPEG or PNG scaled to fit an A4 page.
//!
//! JPEG files are embedded as they are (`/DCTDecode`, no decoding, no quality
//! loss, little memory); their EXIF orientation is honoured. PNG files are
//! decoded (printpdf's `RawImage`) and stored losslessly (`/FlateDecode`,
//! alpha channel as a soft mask).

use super::error::PdfError;
use super::finish::save_deterministic;
use super::merge::merge_pdfs;
use lopdf::{Dictionary, Document, Object, Stream};

const A4_W: f32 = 595.276;
const A4_H: f32 = 841.89;
const MARGIN: f32 = 10.0 * 72.0 / 25.4;

/// An image ready to be placed: its XObject stream, optional soft mask,
/// pixel size and EXIF orientation (1..=8).
struct Prepared {
    stream: Stream,
    smask: Option<Stream>,
    width: u32,
    height: u32,
    orientation: u8,
}

fn image_dict(width: u32, height: u32, color_space: &str, bpc: i64) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(width))),
        ("Height", Object::Integer(i64::from(height))),
        ("ColorSpace", Object::Name(color_space.as_bytes().to_vec())),
        ("BitsPerComponent", Object::Integer(bpc)),
    ])
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

/// EXIF orientation from an APP1 segment body, if present.
fn exif_orientation(seg: &[u8]) -> Option<u8> {
    let tiff = seg.strip_prefix(b"Exif\0\0")?;
    let le = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = [
            *tiff.get(at)?,
            *tiff.get(at + 1)?,
            *tiff.get(at + 2)?,
            *tiff.get(at + 3)?,
        ];
        Some(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count.min(256))
        .map(|i| ifd + 2 + 12 * i)
        .find(|&e| u16_at(e) == Some(0x0112))
        .and_then(|e| u16_at(e + 8))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
}

/// Reads the frame header of a JPEG without decoding it.
fn prepare_jpeg(data: &[u8]) -> Result<Prepared, PdfError> {
    let bad = |m: &str| PdfError::Image(format!("invalid JPEG: {m}"));
    let mut pos = 2;
    let mut orientation = 1;
    let mut adobe = false;
    loop {
        // Skip fill bytes before a marker.
        while data.get(pos) == Some(&0xFF) && data.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if data.get(pos) != Some(&0xFF) {
            return Err(bad("marker expected"));
        }
        let marker = *data.get(pos + 1).ok_or_else(|| bad("truncated"))?;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            pos += 2;
            continue;
        }
        let len = usize::from(be16(data, pos + 2).ok_or_else(|| bad("truncated"))?);
        let body = data
            .get(pos + 4..pos + 2 + len)
            .ok_or_else(|| bad("truncated segment"))?;
        match marker {
            0xE1 => orientation = exif_orientation(body).unwrap_or(orientation),
            0xEE => adobe = body.starts_with(b"Adobe"),
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let precision = *body.first().ok_or_else(|| bad("frame header"))?;
                let height = be16(body, 1).ok_or_else(|| bad("frame header"))?;
                let width = be16(body, 3).ok_or_else(|| bad("frame header"))?;
                let components = *body.get(5).ok_or_else(|| bad("frame header"))?;
                if width == 0 || height == 0 || precision != 8 {
                    return Err(bad("unsupported size or precision"));
                }
                let cs = match components {
                    1 => "DeviceGray",
                    3 => "DeviceRGB",
                    4 => "DeviceCMYK",
                    _ => return Err(bad("unsupported number of components")),
                };
                let mut dict = image_dict(u32::from(width), u32::from(height), cs, 8);
                dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
                if components == 4 && adobe {
                    // Adobe CMYK JPEGs store inverted values.
                    let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).to_vec();
                    dict.set("Decode", Object::Array(decode));
                }
                return Ok(Prepared {
                    stream: Stream::new(dict, data.to_vec()).with_compression(false),
                    smask: None,
                    width: u32::from(width),
                    height: u32::from(height),
                    orientation,
                });
            }
            0xDA | 0xD9 => return Err(bad("no frame header before scan data")),
            _ => {}
        }
        pos += 2 + len;
    }
}

/// Decodes a PNG to 8-bit gray/RGB samples plus an optional alpha mask.
fn prepare_png(data: &[u8]) -> Result<Prepared, PdfError> {
    use printpdf::{RawImage, RawImageData, RawImageFormat as F};
    let img = RawImage::decode_from_bytes(data, &mut Vec::new()).map_err(PdfError::Image)?;
    let (channels, colors, bgr) = match img.data_format {
        F::R8 | F::R16 => (1, 1, false),
        F::RG8 | F::RG16 => (2, 1, false),
        F::RGB8 | F::RGB16 | F::RGBF32 => (3, 3, false),
        F::RGBA8 | F::RGBA16 | F::RGBAF32 => (4, 3, false),
        F::BGR8 => (3, 3, true),
        F::BGRA8 => (4, 3, true),
    };
    let samples: Vec<u8> = match img.pixels {
        RawImageData::U8(v) => v,
        RawImageData::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        RawImageData::F32(v) => v
            .into_iter()
            .map(|s| (s.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect(),
    };
    let (w, h) = (img.width, img.height);
    if w == 0 || h == 0 || samples.len() < w * h * channels {
        return Err(PdfError::Image("PNG pixel data is truncated".into()));
    }
    let mut color = Vec::with_capacity(w * h * colors);
    let mut alpha = Vec::with_capacity(if channels % 2 == 0 { w * h } else { 0 });
    for px in samples.chunks_exact(channels).take(w * h) {
        match (colors, bgr) {
            (3, true) => color.extend([px[2], px[1], px[0]]),
            _ => color.extend_from_slice(&px[..colors]),
        }
        if channels == 2 || channels == 4 {
            alpha.push(px[channels - 1]);
        }
    }
    drop(samples);
    let width = u32::try_from(w).map_err(|e| PdfError::Image(e.to_string()))?;
    let height = u32::try_from(h).map_err(|e| PdfError::Image(e.to_string()))?;
    let cs = if colors == 1 {
        "DeviceGray"
    } else {
        "DeviceRGB"
    };
    let mut stream = Stream::new(image_dict(width, height, cs, 8), color);
    stream
        .compress()
        .map_err(|e| PdfError::Image(e.to_string()))?;
    let smask = if alpha.iter().any(|&a| a != 255) {
        let mut s = Stream::new(image_dict(width, height, "DeviceGray", 8), alpha);
        s.compress().map_err(|e| PdfError::Image(e.to_string()))?;
        Some(s)
    } else {
        None
    };
    Ok(Prepared {
        stream,
        smask,
        width,
        height,
        orientation: 1,
    })
}

/// Builds a one-page PDF showing the image (JPEG or PNG) centred and scaled to
/// fit an A4 page with 10 mm margins, portrait or landscape depending on the
/// image's shape. Small images are enlarged to fit too.
pub fn image_page(image: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut doc = image_document(image)?;
    save_deterministic(&mut doc, image.len() + 4096)
}

/// The document of [`image_page`], not yet serialised (an [`super::Assembler`] takes it as
/// it is, without writing and parsing it again).
pub(crate) fn image_document(image: &[u8]) -> Result<Document, PdfError> {
    let prepared = if image.starts_with(&[0xFF, 0xD8]) {
        prepare_jpeg(image)?
    } else if image.starts_with(b"\x89PNG\r\n\x1a\n") {
        prepare_png(image)?
    } else {
        return Err(PdfError::Image(
            "only JPEG and PNG images are supported".into(),
        ));
    };
    let Prepared {
        mut stream,
        smask,
        width,
        height,
        orientation,
    } = prepared;
    let rotated = orientation >= 5;
    let (dw, dh) = if rotated {
        (height as f32, width as f32)
    } else {
        (width as f32, height as f32)
    };
    let (pw, ph) = if dw > dh { (A4_H, A4_W) } else { (A4_W, A4_H) };
    let scale = ((pw - 2.0 * MARGIN) / dw).min((ph - 2.0 * MARGIN) / dh);
    let (w, h) = (dw * scale, dh * scale);
    let (x, y) = ((pw - w) / 2.0, (ph - h) / 2.0);
    // Maps the image unit square onto the displayed box, per EXIF orientation.
    let m = match orientation {
        2 => [-w, 0.0, 0.0, h, x + w, y],
        3 => [-w, 0.0, 0.0, -h, x + w, y + h],
        4 => [w, 0.0, 0.0, -h, x, y + h],
        5 => [0.0, -h, -w, 0.0, x + w, y + h],
        6 => [0.0, -h, w, 0.0, x, y + h],
        7 => [0.0, h, w, 0.0, x, y],
        8 => [0.0, h, -w, 0.0, x + w, y],
        _ => [w, 0.0, 0.0, h, x, y],
    };
    let content = format!(
        "q {:.4} {:.4} {:.4} {:.4} {:.4} {:.4} cm /Im1 Do Q",
        m[0], m[1], m[2], m[3], m[4], m[5]
    );

    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    if let Some(mask) = smask {
        let mask_id = doc.add_object(mask);
        stream.dict.set("SMask", Object::Reference(mask_id));
    }
    let image_id = doc.add_object(stream);
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let xobjects = Dictionary::from_iter(vec![("Im1", Object::Reference(image_id))]);
    let resources = Dictionary::from_iter(vec![("XObject", Object::Dictionary(xobjects))]);
    let media_box: Vec<Object> = vec![0.into(), 0.into(), pw.into(), ph.into()];
    let page_id = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Page".to_vec())),
        ("Parent", Object::Reference(pages_id)),
        ("MediaBox", Object::Array(media_box)),
        ("Resources", Object::Dictionary(resources)),
        ("Contents", Object::Reference(content_id)),
    ]));
    let pages = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Pages".to_vec())),
        ("Count", Object::Integer(1)),
        ("Kids", Object::Array(vec![Object::Reference(page_id)])),
    ]);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog_id));
    Ok(doc)
}

/// Appends one page showing `image` (JPEG or PNG, see [`image_page`]) to the
/// end of `pdf`.
pub fn append_image_page(pdf: Vec<u8>, image: &[u8]) -> Result<Vec<u8>, PdfError> {
    let page = image_page(image)?;
    merge_pdfs(vec![pdf, page])
}
