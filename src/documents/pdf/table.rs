//! Table layout: wrapped cells, rows never split, header repeated after a page break.

use super::error::PdfError;
use super::layout::{Item, Layouter, BOTTOM, LEFT, MM, TEXT_W, TOP};
use super::metrics::{sanitize, text_width, wrap};
use super::model::{Align, Table};

const SIZE: f32 = 9.0;
const LH: f32 = SIZE * 1.3;
const PAD_X: f32 = 1.5 * MM;
const PAD_Y: f32 = 2.5;

/// Column geometry: left x, width, alignment.
type Geometry = Vec<(f32, f32, Align)>;

/// A laid-out row: wrapped lines per cell, and its height.
struct Row {
    cells: Vec<Vec<String>>,
    height: f32,
}

fn prepare(cells: &[String], geometry: &Geometry, bold: bool) -> Row {
    let cells: Vec<Vec<String>> = cells
        .iter()
        .zip(geometry)
        .map(|(c, (_, w, _))| {
            wrap(&sanitize(c), SIZE, bold, (w - 2.0 * PAD_X).max(1.0))
                .into_iter()
                .map(|(line, _)| line)
                .collect()
        })
        .collect();
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    Row {
        cells,
        height: lines as f32 * LH + 2.0 * PAD_Y,
    }
}

fn draw_cells(l: &mut Layouter, row: &Row, geometry: &Geometry, bold: bool) {
    let top = l.y;
    for (lines, (x, w, align)) in row.cells.iter().zip(geometry) {
        for (i, line) in lines.iter().enumerate() {
            let tw = text_width(line, SIZE, bold);
            let tx = match align {
                Align::Right => x + w - PAD_X - tw,
                Align::Center => x + (w - tw) / 2.0,
                Align::Left | Align::Justify => x + PAD_X,
            };
            l.line_at(tx, top + PAD_Y + i as f32 * LH, LH, (SIZE, bold, 0.0), line);
        }
    }
}

fn draw_header(l: &mut Layouter, header: &Row, geometry: &Geometry, table_w: f32) {
    l.push(Item::Fill {
        x: LEFT,
        y: l.y,
        w: table_w,
        h: header.height,
        gray: 0.9,
    });
    draw_cells(l, header, geometry, true);
    l.y += header.height;
    let y = l.y;
    l.push(Item::Line {
        x1: LEFT,
        y1: y,
        x2: LEFT + table_w,
        y2: y,
        width: 0.6,
        gray: 0.4,
    });
}

fn check(t: &Table) -> Result<(), PdfError> {
    let n = t.columns.len();
    if n == 0 {
        return Err(PdfError::Layout("table without columns".into()));
    }
    if let Some(c) = t
        .columns
        .iter()
        .find(|c| !(c.width_mm.is_finite() && c.width_mm > 0.0))
    {
        return Err(PdfError::Layout(format!(
            "column {:?} has an invalid width",
            c.title
        )));
    }
    if let Some((i, r)) = t.rows.iter().enumerate().find(|(_, r)| r.len() != n) {
        return Err(PdfError::Layout(format!(
            "table row {i} has {} cells, expected {n}",
            r.len()
        )));
    }
    if t.total.as_ref().is_some_and(|r| r.len() != n) {
        return Err(PdfError::Layout(format!(
            "table total row must have {n} cells"
        )));
    }
    Ok(())
}

/// Lays out a table at the cursor.
pub(crate) fn layout_table(l: &mut Layouter, t: &Table) -> Result<(), PdfError> {
    check(t)?;
    let total_mm: f32 = t.columns.iter().map(|c| c.width_mm).sum();
    let scale = (TEXT_W / (total_mm * MM)).min(1.0);
    let mut x = LEFT;
    let geometry: Geometry = t
        .columns
        .iter()
        .map(|c| {
            let w = c.width_mm * MM * scale;
            let g = (x, w, c.align);
            x += w;
            g
        })
        .collect();
    let table_w = x - LEFT;
    let titles: Vec<String> = t.columns.iter().map(|c| c.title.clone()).collect();
    let header = prepare(&titles, &geometry, true);
    let max_row = BOTTOM - TOP - header.height;

    let mut started = false;
    let bodies = t.rows.iter().map(|r| (r, false));
    let total = t.total.iter().map(|r| (r, true));
    for (cells, bold) in bodies.chain(total) {
        let row = prepare(cells, &geometry, bold);
        if row.height > max_row {
            return Err(PdfError::Layout("a table row is taller than a page".into()));
        }
        if !started {
            l.reserve(header.height + row.height);
            draw_header(l, &header, &geometry, table_w);
            started = true;
        } else if l.y + row.height > BOTTOM {
            l.new_page();
            draw_header(l, &header, &geometry, table_w);
        }
        let y = l.y;
        if bold {
            l.push(Item::Line {
                x1: LEFT,
                y1: y,
                x2: LEFT + table_w,
                y2: y,
                width: 0.9,
                gray: 0.0,
            });
        }
        draw_cells(l, &row, &geometry, bold);
        l.y += row.height;
        if !bold {
            let y = l.y;
            l.push(Item::Line {
                x1: LEFT,
                y1: y,
                x2: LEFT + table_w,
                y2: y,
                width: 0.3,
                gray: 0.75,
            });
        }
    }
    if !started {
        l.reserve(header.height);
        draw_header(l, &header, &geometry, table_w);
    }
    l.y += 6.0;
    Ok(())
}
