//! Error type of the PDF layer.

/// Everything that can go wrong while rendering, reading or merging PDFs.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The layout model is inconsistent (e.g. a table row with the wrong number of cells).
    #[error("invalid document layout: {0}")]
    Layout(String),
    /// The built-in font metrics could not be loaded.
    #[error("font error: {0}")]
    Font(String),
    /// An image could not be decoded or has an unsupported format.
    #[error("image error: {0}")]
    Image(String),
    /// An input PDF could not be parsed, or is encrypted.
    #[error("cannot read PDF #{index}: {reason}")]
    Read {
        /// Zero-based position of the offending PDF in the input list.
        index: usize,
        /// Human-readable cause.
        reason: String,
    },
    /// A PDF structure is malformed (missing catalog, page tree, ...).
    #[error("malformed PDF: {0}")]
    Malformed(String),
    /// Serialising the final PDF failed.
    #[error("cannot write PDF: {0}")]
    Write(String),
}
