//! Documents: the PDF layout engine, letters and e-mails rendered from tera templates into it
//! (through a small markup), the injunction-of-payment dossier (PDF and ZIP), and the store
//! that keeps every generated PDF byte for byte under its SHA-256.

pub mod dossier;
pub mod letters;
pub mod markup;
pub mod notices;
pub mod pdf;
