//! The evidence archive: pieces uploaded to a case or generated for it, their exhibit list,
//! and their download. Files are typed from their bytes (`sniff`) and kept content-addressed in
//! the blob store; a row is committed only once its blob is complete.

pub mod sniff;
