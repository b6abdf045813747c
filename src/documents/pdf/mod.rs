//! PDF layout engine of Recouvra: French letters and court dossiers.
//!
//! * [`Document`] / [`Block`]: a small layout model (headings, wrapped
//!   paragraphs, address blocks, key/value rows, tables, divider pages),
//!   independent of the PDF library;
//! * [`render`]: A4 portrait, 20 mm margins, automatic page breaks,
//!   "page X / N" footer, deterministic output;
//! * [`merge_pdfs`], [`append_image_page`], [`image_page`]: assembling dossiers
//!   (cover + requête + exhibits) from whole PDFs and scanned images; [`Assembler`] does it
//!   one input at a time, in any page order, with bookmarks.
//!
//! Text uses the standard Helvetica fonts (not embedded) with WinAnsi
//! encoding, which covers French; see [`metrics`].

mod error;
mod finish;
mod graph;
mod image;
mod layout;
mod merge;
pub mod metrics;
mod model;
mod pages;
mod render;
mod sanitize;
mod table;
mod writer;

pub use error::PdfError;
pub use image::{append_image_page, image_page};
pub use merge::{merge_pdfs, page_count, Assembler, Bookmark, Pages};
pub use model::{Align, Block, Column, Document, Table, TextBlock};
pub use render::render;

#[cfg(test)]
mod tests;
