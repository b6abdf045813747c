//! Tests of the PDF engine: text read back with `pdftotext`, structure checked with `qpdf`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod assemble;
mod common;
mod letter;
mod render;
