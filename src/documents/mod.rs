//! Documents: the PDF layout engine (letters, statements, dossiers). Letters and dossier pieces
//! are rendered from tera templates into its layout model (issues 3 and 5).

pub mod pdf;
