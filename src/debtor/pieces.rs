//! What the debtor sends from their page with a dispute or with « J'ai déjà payé » (issue 17):
//! a scan or a photo of the delivery note, of the transfer order. Kept apart from the case's
//! exhibits (the creditor's evidence, which feeds the injunction dossier): the agent and the
//! creditor read them on the case and decide what becomes of them.
//!
//! The link holder is not a trusted user, so the files are narrower than an agent's upload:
//! PDF, JPEG or PNG only, typed from their bytes; a PDF with active content (scripts, launch
//! actions) is refused rather than flagged; [`MAX_FILE_BYTES`] a file, [`MAX_PER_ACTION`] a
//! form, [`MAX_PER_CASE`] a case. The blobs are stored (temp name, fsync, rename) before the
//! use case's transaction writes their rows with the dispute or the task they go with.

use chrono::NaiveDateTime;

use crate::auth::Actor;
use crate::blobs::{BlobStore, Spooled};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::evidence::{self, sniff};
use crate::store::debtor_pieces::{self as store, DebtorPiece, NewDebtorPiece};
use crate::store::events;

/// Largest file a debtor may send.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Files sent with one form.
pub const MAX_PER_ACTION: usize = 3;
/// Files a debtor may send for one case, ever.
pub const MAX_PER_CASE: i64 = 20;

/// What a debtor's file goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Dispute,
    AlreadyPaid,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Dispute => "dispute",
            Purpose::AlreadyPaid => "already_paid",
        }
    }
}

/// The French label of a purpose (the case page, the timeline).
pub fn purpose_label(purpose: &str) -> &'static str {
    match purpose {
        "dispute" => "à l'appui de sa contestation",
        _ => "preuve de paiement",
    }
}

/// A file the debtor's form carried, spooled to disk.
pub struct Sent {
    pub spooled: Spooled,
    /// The browser's file name, kept only as sanitised metadata.
    pub name: Option<String>,
}

/// A file checked and its blob stored: what its row will say.
pub(crate) struct Stored {
    filename: String,
    media_type: sniff::MediaType,
    sha256: String,
    size_bytes: i64,
}

fn refused(message: &str) -> AppError {
    AppError::validation("file", message)
}

/// Checks the files against the case's room and their types, then stores their blobs (before
/// any row: a crash leaves at most an orphan blob, which `fsck` removes).
pub(crate) fn store_blobs(
    conn: &mut DbConn,
    blobs: &dyn BlobStore,
    case_id: i64,
    files: Vec<Sent>,
) -> AppResult<Vec<Stored>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    if files.len() > MAX_PER_ACTION {
        return Err(refused(&format!(
            "send at most {MAX_PER_ACTION} files at a time"
        )));
    }
    let held = store::count_of_case(conn, case_id)?;
    let count = i64::try_from(files.len()).map_err(AppError::internal)?;
    if held.checked_add(count).is_none_or(|n| n > MAX_PER_CASE) {
        return Err(refused(&format!(
            "this case already holds the {MAX_PER_CASE} files a debtor may send: contact your case handler"
        )));
    }
    let mut checked = Vec::with_capacity(files.len());
    for file in files {
        if file.spooled.size > MAX_FILE_BYTES {
            return Err(refused(&format!(
                "a file is larger than the limit of {} MiB",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        let mut reader = std::fs::File::open(file.spooled.path()).map_err(AppError::internal)?;
        let media_type = match sniff::sniff(&mut reader) {
            Ok(t @ (sniff::MediaType::Pdf | sniff::MediaType::Jpeg | sniff::MediaType::Png)) => t,
            Ok(_) => {
                return Err(refused(
                    "send a PDF, a JPEG or a PNG file (a scan or a photo)",
                ))
            }
            Err(e) if e.is_io() => return Err(AppError::internal(e)),
            Err(_) => {
                return Err(refused(
                    "send a PDF, a JPEG or a PNG file (a scan or a photo)",
                ))
            }
        };
        if media_type.is_pdf() {
            let bytes = std::fs::read(file.spooled.path()).map_err(AppError::internal)?;
            if !evidence::active::pdf_active_content(&bytes).is_empty() {
                return Err(refused(
                    "this PDF holds active content (scripts or actions): send a PDF printed from it, or a photo",
                ));
            }
        }
        checked.push((file, media_type));
    }
    let mut stored = Vec::with_capacity(checked.len());
    for (file, media_type) in checked {
        let filename = sniff::sanitize_filename(file.name.as_deref().unwrap_or(""));
        let sha256 = file.spooled.sha256.to_string();
        let size_bytes = i64::try_from(file.spooled.size).map_err(AppError::internal)?;
        blobs
            .put_spooled(file.spooled)
            .map_err(evidence::blob_error)?;
        stored.push(Stored {
            filename,
            media_type,
            sha256,
            size_bytes,
        });
    }
    Ok(stored)
}

/// The rows of stored files and their case events (inside the use case's transaction).
pub(crate) fn record(
    conn: &mut DbConn,
    now: NaiveDateTime,
    (case_id, link_id): (i64, i64),
    purpose: Purpose,
    dispute_id: Option<i64>,
    stored: &[Stored],
) -> AppResult<()> {
    for s in stored {
        let id = store::insert(
            conn,
            &NewDebtorPiece {
                case_id,
                link_id,
                purpose: purpose.as_str(),
                dispute_id,
                filename: &s.filename,
                media_type: s.media_type.as_str(),
                sha256: &s.sha256,
                size_bytes: s.size_bytes,
                added_at: now,
            },
        )?;
        events::append(
            conn,
            case_id,
            now,
            None,
            "debtor_piece_added",
            &serde_json::json!({
                "debtor_piece_id": id,
                "purpose": purpose.as_str(),
                "dispute_id": dispute_id,
                "filename": s.filename,
                "media_type": s.media_type.as_str(),
                "sha256": s.sha256,
                "size_bytes": s.size_bytes,
            }),
        )?;
    }
    Ok(())
}

/// The debtor's files of a case the actor sees, oldest first.
pub fn of_case(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<DebtorPiece>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    Ok(store::of_cases(conn, &[case.id])?)
}

/// A debtor's file for whoever sees its case, after its blob was re-hashed; the download is in
/// the case's trail and the security log, as an exhibit's is.
pub fn prepare_download(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn BlobStore,
    actor: &Actor,
    id: i64,
) -> AppResult<DebtorPiece> {
    let piece = store::find(conn, id)?.ok_or_else(|| AppError::not_found("piece"))?;
    evidence::verified_download(
        conn,
        (clock, blobs, actor),
        (piece.case_id, &piece.sha256, None),
        serde_json::json!({ "debtor_piece_id": piece.id, "sha256": piece.sha256 }),
        format!("pièce du débiteur {} ({})", piece.id, piece.sha256),
    )?;
    Ok(piece)
}
