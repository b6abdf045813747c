//! Error type of the dossier (messages in English, for the logs; no paths, no bytes).

use crate::documents::markup::MarkupError;
use crate::documents::pdf::PdfError;

/// Everything that can stop a dossier from being produced. Nothing is ever written partly:
/// the caller gets either the whole document or one of these.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    /// The input is incomplete or inconsistent (a missing party detail, exhibits not numbered
    /// 1..n, an invoice that is not the statement's).
    #[error("invalid dossier data: {0}")]
    Invalid(String),
    /// The statement does not add up (its lines, its totals and the sum the requête would
    /// claim disagree): no document is better than a wrong one.
    #[error("the statement does not add up: {0}")]
    Statement(String),
    /// An exhibit could not be read, does not match its record, or cannot be put into the
    /// PDF (an encrypted or broken PDF, an undecodable image).
    #[error("exhibit {number}: {reason}")]
    Exhibit {
        /// The exhibit's number in the bordereau.
        number: u32,
        /// What is wrong with it.
        reason: String,
    },
    /// A template could not be loaded or rendered.
    #[error("template {template}: {message}")]
    Template {
        /// Template name.
        template: String,
        /// The tera error, with its causes.
        message: String,
    },
    /// A template produced invalid markup.
    #[error("template {template} produced invalid markup: {source}")]
    Markup {
        /// Template name.
        template: String,
        /// The markup error.
        source: MarkupError,
    },
    /// The PDF could not be rendered or assembled.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The archive would need zip64 (over 4 GiB, or more than 65 535 entries), which this
    /// writer refuses rather than produce a file some tools cannot open.
    #[error("the archive is too large for a plain ZIP file: {0}")]
    TooLarge(String),
    /// The archive could not be written to its destination.
    #[error("cannot write the archive: {0}")]
    Write(String),
}

impl DossierError {
    pub(super) fn exhibit(number: u32, reason: impl Into<String>) -> Self {
        DossierError::Exhibit {
            number,
            reason: reason.into(),
        }
    }
}
