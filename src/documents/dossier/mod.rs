//! The injunction-of-payment dossier (requête en injonction de payer, CPC 1405–1411) as
//! documents: one PDF and one ZIP archive, from plain typed data.
//!
//! [`dossier_pdf`] lays out, in order: a cover page; the requête with every mention of CPC
//! 1407 and 57, in the sections of the court's cerfa form (12946, 12948*06, 16040*01); the
//! statement (décompte) exactly as the claim engine computed it; the bordereau of the
//! exhibits with their SHA-256; then each exhibit behind a divider page "Pièce n° N". The
//! text comes from tera templates (`templates/dossier/`, embedded in the binary) rendered to
//! the markup of [`super::markup`] and laid out by [`super::pdf`], like the letters.
//! [`dossier_zip`] packs that PDF, every exhibit in its original format and a manifest.
//!
//! Figures are never computed here: the statement's are shown as they are, after checking
//! they add up and that the sum the requête claims is the statement's total due (otherwise
//! [`DossierError::Statement`], and no document). Only principal, interest and the legal
//! indemnity (C. com. D441-5) are claimed: never collection costs (CPCE L111-8).
//!
//! Both outputs are deterministic (no clock, no randomness, no hash-map order): the same
//! input and exhibit bytes give the same bytes, so a dossier can be rebuilt and compared.
//! Exhibits are read one at a time through [`ExhibitSource`] and dropped once placed; the
//! PDF is assembled with [`super::pdf::Assembler`], so memory stays close to the size of the
//! output (see `benches/dossier.rs`).

mod archive;
mod assemble;
mod check;
mod context;
mod error;
mod front;
mod input;
mod kind;
pub mod zip;

pub use archive::{dossier_zip, dossier_zip_to, MANIFEST_NAME, PDF_NAME};
pub use assemble::dossier_pdf;
pub use error::DossierError;
pub use input::{
    CompanyParty, CourtInfo, DebtorParty, DossierInput, Exhibit, ExhibitSource, Filer, InvoiceLine,
};

#[cfg(test)]
mod tests;
