//! Page-level elements: exhibit divider pages, header line and footer.

use super::layout::{Item, Layouter, LEADING, LEFT, MM, PAGE_H, PAGE_W, RIGHT, SOFT, TEXT_W};
use super::metrics::{ellipsize, sanitize, text_width, wrap};
use super::model::Document;

/// Starts a page holding only a big centred title (and subtitle); the next
/// block starts on a new page.
pub(crate) fn divider(l: &mut Layouter, title: &str, subtitle: Option<&str>) {
    if l.has_content || l.force_break {
        l.new_page();
    }
    let (ts, ss) = (30.0, 13.0);
    let (tlh, slh) = (ts * 1.25, ss * LEADING);
    let titles = wrap(&sanitize(title), ts, true, TEXT_W);
    let subs = subtitle
        .map(|s| wrap(&sanitize(s), ss, false, TEXT_W))
        .unwrap_or_default();
    let gap = 10.0 * MM;
    let h = titles.len() as f32 * tlh
        + if subs.is_empty() {
            0.0
        } else {
            gap + subs.len() as f32 * slh
        };
    let mut y = (PAGE_H - h) / 2.0 - 10.0 * MM;
    for (line, _) in &titles {
        let x = LEFT + (TEXT_W - text_width(line, ts, true)) / 2.0;
        l.line_at(x, y, tlh, (ts, true, 0.0), line);
        y += tlh;
    }
    if !subs.is_empty() {
        let (x1, x2) = (PAGE_W / 2.0 - 20.0 * MM, PAGE_W / 2.0 + 20.0 * MM);
        let ry = y + gap / 2.0;
        l.push(Item::Line {
            x1,
            y1: ry,
            x2,
            y2: ry,
            width: 0.8,
            gray: 0.5,
        });
        y += gap;
        for (line, _) in &subs {
            let x = LEFT + (TEXT_W - text_width(line, ss, false)) / 2.0;
            l.line_at(x, y, slh, (ss, false, 0.2), line);
            y += slh;
        }
    }
    l.has_content = true;
    l.force_break = true;
}

/// Adds the header line and the "page X / N" footer to every page.
pub(crate) fn decorate(pages: &mut [Vec<Item>], doc: &Document) {
    let n = pages.len();
    let header = doc
        .header
        .as_deref()
        .map(sanitize)
        .filter(|h| !h.trim().is_empty());
    let note = doc
        .footer_note
        .as_deref()
        .map(sanitize)
        .filter(|h| !h.trim().is_empty());
    for (i, items) in pages.iter_mut().enumerate() {
        if let Some(h) = &header {
            if i > 0 || doc.header_on_first_page {
                items.push(Item::Text {
                    x: LEFT,
                    y: 13.0 * MM,
                    size: 8.0,
                    bold: false,
                    gray: SOFT,
                    word_spacing: 0.0,
                    text: ellipsize(h, 8.0, false, TEXT_W),
                });
                let y = 15.0 * MM;
                items.push(Item::Line {
                    x1: LEFT,
                    y1: y,
                    x2: RIGHT,
                    y2: y,
                    width: 0.5,
                    gray: 0.7,
                });
            }
        }
        let fy = PAGE_H - 15.0 * MM;
        items.push(Item::Line {
            x1: LEFT,
            y1: fy,
            x2: RIGHT,
            y2: fy,
            width: 0.5,
            gray: 0.7,
        });
        let label = if doc.page_numbers {
            format!("page {} / {}", i + 1, n)
        } else {
            String::new()
        };
        let label_w = text_width(&label, 8.0, false);
        let base = PAGE_H - 10.5 * MM;
        if let Some(note) = &note {
            // The note carries mentions a letter must show whole (the agency's insurer and
            // policy number, CPCE R124-2/R124-4): wrapped onto two lines between the footer
            // rule and the page's edge rather than cut.
            let width = TEXT_W - label_w - 6.0 * MM;
            let lines: Vec<(f32, String)> = if text_width(note, 7.5, false) <= width {
                vec![(base, note.clone())]
            } else {
                let wrapped: Vec<String> = wrap(note, 7.5, false, width)
                    .into_iter()
                    .map(|(line, _)| line)
                    .collect();
                let first = wrapped.first().cloned().unwrap_or_default();
                let rest = wrapped.get(1..).unwrap_or_default().join(" ");
                vec![(PAGE_H - 11.9 * MM, first), (PAGE_H - 8.7 * MM, rest)]
            };
            for (y, line) in lines {
                items.push(Item::Text {
                    x: LEFT,
                    y,
                    size: 7.5,
                    bold: false,
                    gray: SOFT,
                    word_spacing: 0.0,
                    text: ellipsize(&line, 7.5, false, width),
                });
            }
        }
        if !label.is_empty() {
            items.push(Item::Text {
                x: RIGHT - label_w,
                y: base,
                size: 8.0,
                bold: false,
                gray: SOFT,
                word_spacing: 0.0,
                text: label,
            });
        }
    }
}
