//! Dossier assembly tests: merging PDFs and image pages.

use super::letter::letter;
use crate::documents::pdf::{
    append_image_page, image_page, merge_pdfs, page_count, render, Assembler, Block, Bookmark,
    Document, PdfError,
};
use printpdf::{OutputImageFormat, RawImage, RawImageData, RawImageFormat};

fn encode(width: usize, height: usize, rgba: bool, format: OutputImageFormat) -> Vec<u8> {
    let channels = if rgba { 4 } else { 3 };
    let mut pixels = Vec::with_capacity(width * height * channels);
    for y in 0..height {
        for x in 0..width {
            pixels.extend([(x * 255 / width) as u8, (y * 255 / height) as u8, 128]);
            if rgba {
                pixels.push(if x < width / 2 { 255 } else { 96 });
            }
        }
    }
    let image = RawImage {
        pixels: RawImageData::U8(pixels),
        width,
        height,
        data_format: if rgba {
            RawImageFormat::RGBA8
        } else {
            RawImageFormat::RGB8
        },
        tag: Vec::new(),
    };
    image
        .encode_to_bytes(&[format])
        .expect("encode test image")
        .0
}

/// Width and height of the first page's MediaBox, parsed with lopdf.
fn media_box(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).expect("load");
    let page = *doc.get_pages().values().next().expect("a page");
    let mb = doc
        .get_dictionary(page)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|o| o.as_array())
        .expect("mediabox");
    let num = |i: usize| {
        mb[i]
            .as_float()
            .or_else(|_| mb[i].as_i64().map(|v| v as f32))
            .expect("number")
    };
    (num(2) - num(0), num(3) - num(1))
}

fn small_doc(title: &str, paragraphs: usize) -> Vec<u8> {
    let mut doc = Document::new(title, "Recouvra", super::letter::fixed_date());
    doc.push(Block::Heading(1, title.into()));
    for i in 0..paragraphs {
        doc.push(Block::Paragraph(
            format!("Paragraphe {i} de la pièce « {title} ». ").repeat(12),
        ));
    }
    render(&doc).expect("render")
}

#[test]
fn merge_three_pdfs_sums_pages_and_passes_qpdf() {
    let a = render(&letter()).expect("render");
    let b = small_doc("Requête en injonction de payer", 30);
    let c = image_page(&encode(64, 40, false, OutputImageFormat::Jpeg)).expect("image page");
    let counts: Vec<usize> = [&a, &b, &c]
        .iter()
        .map(|p| page_count(p).expect("count"))
        .collect();
    assert!(counts[1] >= 2, "second document should span pages");
    let merged = merge_pdfs(vec![a.clone(), b.clone(), c.clone()]).expect("merge");
    assert_eq!(
        page_count(&merged).expect("count"),
        counts.iter().sum::<usize>()
    );
    assert_eq!(
        merged,
        merge_pdfs(vec![a, b, c]).expect("merge"),
        "merge is not deterministic"
    );
    if let Some((ok, out)) = super::common::qpdf_check("merged", &merged) {
        assert!(ok, "qpdf --check failed:\n{out}");
    }
    if let Some(text) = super::common::pdftotext("merged", &merged) {
        assert!(text.contains("Monsieur Jérôme Lefèvre"));
        assert!(text.contains("Requête en injonction de payer"));
        assert!(text.contains("Pièce n° 1"));
    }
}

#[test]
fn merge_handles_object_streams_and_empty_password_encryption() {
    let letter_pdf = render(&letter()).expect("render");
    let Some(modern) =
        super::common::qpdf_transform("objstm", &letter_pdf, &["--object-streams=generate"])
    else {
        return;
    };
    let Some(protected) = super::common::qpdf_transform(
        "owner-only",
        &letter_pdf,
        &["--encrypt", "", "owner-secret", "256", "--"],
    ) else {
        return;
    };
    let merged = merge_pdfs(vec![modern, protected]).expect("merge");
    assert_eq!(page_count(&merged).expect("count"), 4);
    if let Some((ok, out)) = super::common::qpdf_check("merged-modern", &merged) {
        assert!(ok, "{out}");
    }
    if let Some(text) = super::common::pdftotext("merged-modern", &merged) {
        assert_eq!(text.matches("Monsieur Jérôme Lefèvre").count(), 2);
    }
}

#[test]
fn merge_rejects_password_protected_and_garbage() {
    let letter_pdf = render(&letter()).expect("render");
    if let Some(locked) = super::common::qpdf_transform(
        "locked",
        &letter_pdf,
        &["--encrypt", "user-secret", "owner-secret", "256", "--"],
    ) {
        let err = merge_pdfs(vec![letter_pdf.clone(), locked]).expect_err("must fail");
        assert!(matches!(err, PdfError::Read { index: 1, .. }), "{err}");
    }
    let err = merge_pdfs(vec![letter_pdf, b"not a pdf".to_vec()]).expect_err("must fail");
    assert!(matches!(err, PdfError::Read { index: 1, .. }), "{err}");
    assert!(merge_pdfs(Vec::new()).is_err());
}

#[test]
fn image_page_from_generated_png() {
    let png = encode(40, 20, true, OutputImageFormat::Png);
    assert!(png.starts_with(b"\x89PNG"));
    let page = image_page(&png).expect("image page");
    assert_eq!(page_count(&page).expect("count"), 1);
    let (w, h) = media_box(&page);
    assert!(w > h, "a wide image gets a landscape page ({w}x{h})");
    if let Some((ok, out)) = super::common::qpdf_check("png-page", &page) {
        assert!(ok, "{out}");
    }
    // The alpha channel becomes a soft mask.
    let doc = lopdf::Document::load_mem(&page).expect("load");
    let has_smask = doc
        .objects
        .values()
        .any(|o| o.as_stream().is_ok_and(|s| s.dict.has(b"SMask")));
    assert!(has_smask);

    let letter_pdf = render(&letter()).expect("render");
    let with_image = append_image_page(letter_pdf, &png).expect("append");
    assert_eq!(page_count(&with_image).expect("count"), 3);
    if let Some((ok, out)) = super::common::qpdf_check("letter-png", &with_image) {
        assert!(ok, "{out}");
    }
    assert_eq!(
        image_page(&png).expect("again"),
        page,
        "image page is not deterministic"
    );
}

#[test]
fn jpeg_is_embedded_verbatim_and_exif_orientation_is_honoured() {
    let jpeg = encode(60, 30, false, OutputImageFormat::Jpeg);
    assert!(jpeg.starts_with(&[0xFF, 0xD8]));
    let page = image_page(&jpeg).expect("image page");
    assert!(
        page.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "JPEG must be passed through"
    );
    let (w, h) = media_box(&page);
    assert!(w > h);

    // Same JPEG with an EXIF APP1 segment saying "rotate 90° clockwise".
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend([
        0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0, 0, 0, 0, 0,
    ]);
    let len = u16::try_from(exif.len() + 2).expect("len");
    let mut rotated = vec![0xFF, 0xD8, 0xFF, 0xE1];
    rotated.extend(len.to_be_bytes());
    rotated.extend(&exif);
    rotated.extend(&jpeg[2..]);
    let page = image_page(&rotated).expect("rotated page");
    let (w, h) = media_box(&page);
    assert!(
        w < h,
        "EXIF orientation 6 must give a portrait page ({w}x{h})"
    );
    if let Some((ok, out)) = super::common::qpdf_check("jpeg-rotated", &page) {
        assert!(ok, "{out}");
    }
    assert!(matches!(image_page(b"GIF89a...."), Err(PdfError::Image(_))));
    assert!(matches!(image_page(&jpeg[..20]), Err(PdfError::Image(_))));
}

#[test]
fn assembler_places_pages_in_any_order_with_bookmarks() {
    let a = small_doc("Premier", 30);
    let n = page_count(&a).expect("count");
    assert!(n >= 2);
    let mut asm = Assembler::with_capacity(a.len() * 2);
    let first = asm.append_pdf(a).expect("append");
    let image = asm
        .append_image(&encode(64, 40, false, OutputImageFormat::Jpeg))
        .expect("image");
    assert_eq!((first.len(), image.len()), (n, 1));
    // The image between the first page and the others.
    let mut pages = first.split().into_iter();
    let head = pages.next().expect("a page");
    let mut order = vec![head, image];
    order.extend(pages);
    let bookmarks = [
        Bookmark {
            title: "Début".into(),
            page: 0,
        },
        Bookmark {
            title: "Image".into(),
            page: 1,
        },
    ];
    let pdf = asm.finish(order, &bookmarks).expect("finish");
    assert_eq!(page_count(&pdf).expect("count"), n + 1);
    if let Some((ok, out)) = super::common::qpdf_check("assembler", &pdf) {
        assert!(ok, "{out}");
    }
    if let Some(text) = super::common::pdftotext("assembler", &pdf) {
        let pages: Vec<&str> = text.split('\u{c}').collect();
        assert!(pages[0].contains("Premier"));
        assert!(pages[1].trim().is_empty(), "page 2 is the image");
        assert!(pages[2].contains("page 2 /"));
    }
    let doc = lopdf::Document::load_mem(&pdf).expect("load");
    let catalog = doc.catalog().expect("catalog");
    assert!(catalog.has(b"Outlines"));
}

#[test]
fn assembler_refuses_pages_left_out_and_bookmarks_past_the_end() {
    let twice = || {
        let mut asm = Assembler::new();
        let a = asm.append_pdf(small_doc("A", 1)).expect("append");
        let b = asm.append_pdf(small_doc("B", 1)).expect("append");
        (asm, a, b)
    };
    let (asm, a, _) = twice();
    assert!(matches!(
        asm.finish(vec![a], &[]),
        Err(PdfError::Malformed(_))
    ));
    let (mut asm, a, b) = twice();
    let again = asm.append_pdf(small_doc("C", 1)).expect("append");
    assert!(asm.finish(vec![a, b, again], &[]).is_ok());
    let (asm, a, b) = twice();
    let bad = [Bookmark {
        title: "Trop loin".into(),
        page: 5,
    }];
    assert!(matches!(
        asm.finish(vec![a, b], &bad),
        Err(PdfError::Malformed(_))
    ));
    let err = Assembler::new()
        .append_pdf(b"%PDF-1.4 nothing".to_vec())
        .expect_err("garbage");
    assert!(matches!(err, PdfError::Read { index: 0, .. }), "{err}");
}
