//! Rendering of the laid-out pages with printpdf.

use super::error::PdfError;
use super::finish::{save_deterministic, text_string};
use super::layout::{layout, Item, PAGE_H};
use super::model::Document;
use lopdf::{Dictionary, Object, StringFormat};
use printpdf::{
    BuiltinFont, Color, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level.clamp(0.0, 1.0), None))
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_from_top),
    }
}

fn page_ops(items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 6);
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                bold,
                gray,
                word_spacing,
                text,
            } => {
                let font = if *bold {
                    BuiltinFont::HelveticaBold
                } else {
                    BuiltinFont::Helvetica
                };
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::Builtin(font),
                    size: Pt(*size),
                });
                ops.push(Op::SetFillColor { col: grey(*gray) });
                if *word_spacing != 0.0 {
                    ops.push(Op::SetWordSpacing {
                        pt: Pt(*word_spacing),
                    });
                }
                ops.push(Op::SetTextCursor { pos: point(*x, *y) });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
                if *word_spacing != 0.0 {
                    // Tw is part of the text state and survives ET.
                    ops.push(Op::SetWordSpacing { pt: Pt(0.0) });
                }
                ops.push(Op::EndTextSection);
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                gray,
            } => {
                ops.push(Op::SetOutlineColor { col: grey(*gray) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: point(*x1, *y1),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(*x2, *y2),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Fill { x, y, w, h, gray } => {
                ops.push(Op::SetFillColor { col: grey(*gray) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_H - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
        }
    }
    ops
}

/// PDF date string (`D:YYYYMMDDHHmmSS`) of the document's creation date.
fn pdf_date(doc: &Document) -> Object {
    let s = doc.creation_date.format("D:%Y%m%d%H%M%S").to_string();
    Object::String(s.into_bytes(), StringFormat::Literal)
}

/// Renders the document to PDF bytes.
///
/// The output only depends on `doc`: rendering the same document twice gives
/// byte-identical files (fixed metadata dates, content-derived `/ID`, no
/// random resource names).
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let pages = layout(doc)?;
    let mut pdf = PdfDocument::new(&doc.title);
    pdf.pages = pages
        .iter()
        .map(|items| PdfPage::new(Mm(210.0), Mm(297.0), page_ops(items)))
        .collect();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);

    // Replace printpdf's info dictionary (epoch dates, empty fields) by ours.
    let info = Dictionary::from_iter(vec![
        ("Title", text_string(&doc.title)),
        ("Author", text_string(&doc.author)),
        ("Creator", text_string("Recouvra")),
        (
            "Producer",
            text_string("Recouvra PDF (printpdf 0.12, lopdf)"),
        ),
        ("CreationDate", pdf_date(doc)),
        ("ModDate", pdf_date(doc)),
    ]);
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(info_id));
    lo.prune_objects();
    lo.renumber_objects();
    save_deterministic(&mut lo, 16 * 1024)
}
