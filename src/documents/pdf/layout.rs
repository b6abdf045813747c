//! Pagination: turns a [`Document`] into positioned items, page by page.
//!
//! All coordinates are in points, `y` measured from the *top* of the page
//! (the renderer flips them). Text `y` is the baseline.

use super::error::PdfError;
use super::metrics::{sanitize, text_width, wrap};
use super::model::{Align, Block, Document, TextBlock};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// A4 width in points.
pub(crate) const PAGE_W: f32 = 210.0 * MM;
/// A4 height in points.
pub(crate) const PAGE_H: f32 = 297.0 * MM;
/// Left edge of the text area.
pub(crate) const LEFT: f32 = 20.0 * MM;
/// Right edge of the text area.
pub(crate) const RIGHT: f32 = PAGE_W - 20.0 * MM;
/// Width of the text area (170 mm).
pub(crate) const TEXT_W: f32 = RIGHT - LEFT;
/// Top of the text area.
pub(crate) const TOP: f32 = 20.0 * MM;
/// Bottom of the text area.
pub(crate) const BOTTOM: f32 = PAGE_H - 20.0 * MM;
/// Body font size in points.
pub(crate) const BODY_SIZE: f32 = 10.0;
/// Line height as a multiple of the font size.
pub(crate) const LEADING: f32 = 1.4;
/// Left edge of the recipient address (window envelope position).
const RECIPIENT_X: f32 = 110.0 * MM;
/// Lowest top position of the recipient address on a page (window envelope).
const RECIPIENT_TOP: f32 = 45.0 * MM;
/// Grey level of secondary text (0 = black, 1 = white).
pub(crate) const SOFT: f32 = 0.35;

/// A positioned drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A single line of text; `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        gray: f32,
        word_spacing: f32,
        text: String,
    },
    /// A straight stroked line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: f32,
    },
    /// A filled rectangle; `y` is its top edge.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
}

/// Distance from the top of a line box to the baseline (Helvetica ascent 0.718,
/// descent 0.207, glyph box centred in the line box).
pub(crate) fn baseline_offset(size: f32, line_height: f32) -> f32 {
    (line_height - 0.925 * size) / 2.0 + 0.718 * size
}

/// Page-filling state machine.
pub(crate) struct Layouter {
    pages: Vec<Vec<Item>>,
    items: Vec<Item>,
    /// Top of the next content, from the top of the page.
    pub(crate) y: f32,
    pub(crate) has_content: bool,
    pub(crate) force_break: bool,
}

impl Layouter {
    fn new() -> Self {
        Self {
            pages: Vec::new(),
            items: Vec::new(),
            y: TOP,
            has_content: false,
            force_break: false,
        }
    }

    /// Closes the current page and starts an empty one.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.items));
        self.y = TOP;
        self.has_content = false;
        self.force_break = false;
    }

    /// Ensures `h` points fit below the cursor, starting a new page if needed
    /// (never on an empty page: oversized content then simply overflows).
    pub(crate) fn reserve(&mut self, h: f32) {
        if self.force_break || (self.has_content && self.y + h > BOTTOM) {
            self.new_page();
        }
    }

    /// Adds an item to the current page.
    pub(crate) fn push(&mut self, item: Item) {
        self.items.push(item);
        self.has_content = true;
    }

    /// Adds one text line whose box starts at the cursor `y`.
    pub(crate) fn line_at(
        &mut self,
        x: f32,
        top: f32,
        lh: f32,
        style: (f32, bool, f32),
        text: &str,
    ) {
        let (size, bold, gray) = style;
        self.push(Item::Text {
            x,
            y: top + baseline_offset(size, lh),
            size,
            bold,
            gray,
            word_spacing: 0.0,
            text: text.to_string(),
        });
    }

    fn finish(mut self) -> Vec<Vec<Item>> {
        if self.has_content || self.pages.is_empty() {
            self.pages.push(self.items);
        }
        self.pages
    }
}

/// Lays the document out; returns the items of each page, header and footer included.
pub(crate) fn layout(doc: &Document) -> Result<Vec<Vec<Item>>, PdfError> {
    let mut l = Layouter::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => heading(&mut l, *level, text),
            Block::Paragraph(text) => text_block(&mut l, &TextBlock::new(text.as_str())),
            Block::Text(t) => text_block(&mut l, t),
            Block::AddressBlocks { sender, recipient } => addresses(&mut l, sender, recipient),
            Block::KeyValue(rows) => key_value(&mut l, rows),
            Block::Table(t) => super::table::layout_table(&mut l, t)?,
            Block::Spacer(mm) => {
                if l.has_content && mm.is_finite() && *mm > 0.0 {
                    l.y = (l.y + mm * MM).min(BOTTOM);
                }
            }
            Block::PageBreak => {
                if l.has_content {
                    l.force_break = true;
                }
            }
            Block::Divider { title, subtitle } => {
                super::pages::divider(&mut l, title, subtitle.as_deref())
            }
            Block::Qr(text) => qr(&mut l, text)?,
        }
    }
    let mut pages = l.finish();
    super::pages::decorate(&mut pages, doc);
    Ok(pages)
}

/// Side of a QR code on the page, quiet zone included.
const QR_MM: f32 = 25.0;
/// Modules of white around the code (ISO/IEC 18004 asks for four).
const QR_QUIET: usize = 4;

/// A QR code drawn as filled rectangles, one per run of dark modules on a row (no image:
/// the code stays sharp at any zoom and costs a few hundred bytes).
fn qr(l: &mut Layouter, text: &str) -> Result<(), PdfError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| PdfError::Layout(format!("QR code: {e}")))?;
    let n = code.width();
    let colors = code.to_colors();
    let side = QR_MM * MM;
    let module = side / (n + 2 * QR_QUIET) as f32;
    l.y += 0.3 * BODY_SIZE;
    l.reserve(side);
    let (x0, y0) = (
        LEFT + QR_QUIET as f32 * module,
        l.y + QR_QUIET as f32 * module,
    );
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == qrcode::Color::Dark {
                col += 1;
            }
            l.push(Item::Fill {
                x: x0 + start as f32 * module,
                y: y0 + row as f32 * module,
                w: (col - start) as f32 * module,
                h: module,
                gray: 0.0,
            });
        }
    }
    l.y += side;
    Ok(())
}

fn heading(l: &mut Layouter, level: u8, text: &str) {
    let size = match level {
        0 | 1 => 14.0,
        2 => 12.0,
        _ => 10.5,
    };
    let lh = size * 1.3;
    let lines = wrap(&sanitize(text), size, true, TEXT_W);
    if l.has_content {
        l.y += 0.7 * size;
    }
    // Keep the heading with at least two lines of what follows.
    l.reserve(lines.len() as f32 * lh + 2.0 * BODY_SIZE * LEADING);
    for (line, _) in &lines {
        l.line_at(LEFT, l.y, lh, (size, true, 0.0), line);
        l.y += lh;
    }
    l.y += 0.3 * size;
}

fn text_block(l: &mut Layouter, t: &TextBlock) {
    let size = if t.size_pt.is_finite() && t.size_pt > 0.0 {
        t.size_pt
    } else {
        BODY_SIZE
    };
    let indent = (t.indent_mm.max(0.0) * MM).min(TEXT_W * 0.8);
    let width = TEXT_W - indent;
    let lh = size * LEADING;
    let lines = wrap(&sanitize(&t.text), size, t.bold, width);
    let n = lines.len();
    for (i, (line, last)) in lines.into_iter().enumerate() {
        // Avoid a lone first line at the bottom of a page.
        l.reserve(if i == 0 && n >= 2 { 2.0 * lh } else { lh });
        let w = text_width(&line, size, t.bold);
        let x0 = LEFT + indent;
        let (x, word_spacing) = match t.align {
            Align::Left => (x0, 0.0),
            Align::Right => (x0 + width - w, 0.0),
            Align::Center => (x0 + (width - w) / 2.0, 0.0),
            Align::Justify => {
                let spaces = line.matches(' ').count();
                if last || spaces == 0 {
                    (x0, 0.0)
                } else {
                    (x0, (width - w) / spaces as f32)
                }
            }
        };
        let y = l.y + baseline_offset(size, lh);
        l.push(Item::Text {
            x,
            y,
            size,
            bold: t.bold,
            gray: 0.0,
            word_spacing,
            text: line,
        });
        l.y += lh;
    }
    l.y += 0.5 * lh;
}

/// Wrapped lines of an address: (text, size, bold, gray, line height).
fn address_lines(
    lines: &[String],
    width: f32,
    first: (f32, bool),
    rest: (f32, f32),
) -> Vec<(String, f32, bool, f32, f32)> {
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let (size, bold, gray) = if i == 0 {
            (first.0, first.1, 0.0)
        } else {
            (rest.0, false, rest.1)
        };
        for (line, _) in wrap(&sanitize(raw), size, bold, width) {
            out.push((line, size, bold, gray, size * 1.35));
        }
    }
    out
}

fn addresses(l: &mut Layouter, sender: &[String], recipient: &[String]) {
    let sender = address_lines(
        sender,
        RECIPIENT_X - LEFT - 5.0 * MM,
        (11.0, true),
        (9.0, SOFT),
    );
    let recipient = address_lines(recipient, RIGHT - RECIPIENT_X, (10.5, true), (10.5, 0.0));
    let sum = |v: &[(String, f32, bool, f32, f32)]| v.iter().map(|x| x.4).sum::<f32>();
    let (sender_h, recipient_h) = (sum(&sender), sum(&recipient));
    let height = |top: f32| sender_h.max(top.max(RECIPIENT_TOP) - top + recipient_h);
    l.reserve(height(l.y));
    let top = l.y;
    let mut y = top;
    for (text, size, bold, gray, lh) in &sender {
        l.line_at(LEFT, y, *lh, (*size, *bold, *gray), text);
        y += lh;
    }
    let mut y = top.max(RECIPIENT_TOP);
    for (text, size, bold, gray, lh) in &recipient {
        l.line_at(RECIPIENT_X, y, *lh, (*size, *bold, *gray), text);
        y += lh;
    }
    l.y = top + height(top) + 8.0 * MM;
}

fn key_value(l: &mut Layouter, rows: &[(String, String)]) {
    let size = BODY_SIZE;
    let lh = size * LEADING;
    let rows: Vec<(String, String)> = rows
        .iter()
        .map(|(k, v)| (sanitize(k), sanitize(v)))
        .collect();
    let widest = rows
        .iter()
        .map(|(k, _)| text_width(k, size, true))
        .fold(0.0f32, f32::max);
    let label_w = (widest + 4.0 * MM).clamp(30.0 * MM, 75.0 * MM);
    for (k, v) in &rows {
        let keys = wrap(k, size, true, label_w - 2.0 * MM);
        let values = wrap(v, size, false, TEXT_W - label_w);
        let h = keys.len().max(values.len()) as f32 * lh;
        l.reserve(h);
        let top = l.y;
        for (i, (line, _)) in keys.iter().enumerate() {
            l.line_at(LEFT, top + i as f32 * lh, lh, (size, true, 0.0), line);
        }
        for (i, (line, _)) in values.iter().enumerate() {
            l.line_at(
                LEFT + label_w,
                top + i as f32 * lh,
                lh,
                (size, false, 0.0),
                line,
            );
        }
        l.y = top + h + 2.0;
    }
    l.y += 0.5 * lh;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn doc(blocks: Vec<Block>) -> Document {
        let mut d = Document::new("t", "a", NaiveDateTime::default());
        d.blocks = blocks;
        d
    }

    fn texts(page: &[Item]) -> Vec<&str> {
        page.iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_qr_code_is_drawn_module_by_module_and_reads_back_as_the_code_of_its_text() {
        let link = "https://recouvra.agence.fr/d/47QGDzMCRsN6M5NAZ3HQBw";
        let pages = layout(&doc(vec![
            Block::Paragraph("Avant".into()),
            Block::Qr(link.into()),
        ]))
        .unwrap();
        let fills: Vec<(f32, f32, f32, f32)> = pages[0]
            .iter()
            .filter_map(|i| match i {
                Item::Fill { x, y, w, h, gray } if *gray == 0.0 => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect();
        let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
            .unwrap();
        let n = code.width();
        let module = fills[0].3;
        let (x0, y0) = fills
            .iter()
            .fold((f32::MAX, f32::MAX), |(x, y), f| (x.min(f.0), y.min(f.1)));
        // The grid the rectangles paint is the code's, module for module.
        let mut grid = vec![qrcode::Color::Light; n * n];
        for (x, y, w, _) in &fills {
            let (row, col) = (
                ((y - y0) / module).round() as usize,
                ((x - x0) / module).round() as usize,
            );
            for c in col..col + (w / module).round() as usize {
                grid[row * n + c] = qrcode::Color::Dark;
            }
        }
        assert_eq!(grid, code.to_colors());
        // 25 mm square with its quiet zone, below the paragraph, at the left margin.
        assert!((module * (n + 8) as f32 - 25.0 * MM).abs() < 0.01);
        assert!((x0 - (LEFT + 4.0 * module)).abs() < 0.01);
        assert!(y0 > TOP + BODY_SIZE);
    }

    #[test]
    fn page_breaks_never_create_blank_pages() {
        let p = || Block::Paragraph("Texte".into());
        let count = |b| layout(&doc(b)).map(|p| p.len()).unwrap_or(0);
        assert_eq!(count(vec![p(), Block::PageBreak]), 1);
        assert_eq!(count(vec![Block::PageBreak, p()]), 1);
        assert_eq!(count(vec![p(), Block::PageBreak, Block::PageBreak, p()]), 2);
        let divider = || Block::Divider {
            title: "Pièce n° 2".into(),
            subtitle: None,
        };
        assert_eq!(count(vec![p(), divider(), divider(), p()]), 4);
        assert_eq!(count(vec![]), 1);
    }

    #[test]
    fn text_stays_inside_the_margins() {
        let long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(200);
        let pages = layout(&doc(vec![Block::Paragraph(long)])).unwrap_or_default();
        assert!(pages.len() >= 3);
        for page in &pages {
            let body = texts(page);
            assert!(body.iter().any(|t| t.starts_with("page ")));
            for item in page {
                if let Item::Text {
                    x,
                    y,
                    size,
                    bold,
                    text,
                    ..
                } = item
                {
                    assert!(
                        *x >= LEFT - 0.01 && x + text_width(text, *size, *bold) <= RIGHT + 0.01
                    );
                    assert!(*y > 0.0 && *y < PAGE_H);
                }
            }
        }
    }
}
