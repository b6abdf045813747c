//! Evidence over plain HTTP: `POST /api/cases/{id}/evidence` (multipart, streamed to a spool
//! file while hashed, size-limited, typed from its bytes) and `GET /api/evidence/{id}` (the
//! bytes re-hashed before and while they stream out).

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;
use std::io::Read;

use super::bearer_actor;
use crate::app::AppState;
use crate::blobs::{self, Spool};
use crate::error::{AppError, AppResult};
use crate::evidence::{self, sniff, PieceKind, UploadInfo};
use crate::store::evidence::Piece;

/// Room for the multipart framing and the small fields around the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// Longest text field (kind, description) read.
const MAX_TEXT_FIELD: usize = 4 * 1024;
/// A refused upload is read (and discarded) up to this many bytes past the limit, so the
/// client gets its 413 instead of a broken connection; beyond, the connection is dropped.
const DRAIN_CAP: u64 = 64 * 1024 * 1024;

async fn actor(req: &HttpRequest, state: &AppState) -> AppResult<crate::auth::Actor> {
    bearer_actor(req, state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))
}

fn id_of(path: &str, what: &str) -> AppResult<i64> {
    path.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found(what))
}

/// The JSON of a piece, as the upload answers it.
pub fn piece_json(p: &Piece) -> serde_json::Value {
    serde_json::json!({
        "id": p.id.to_string(),
        "caseId": p.case_id.to_string(),
        "exhibitNumber": p.exhibit_no,
        "kind": p.kind.to_uppercase(),
        "description": p.description,
        "filename": p.filename,
        "mediaType": sniff::MediaType::parse(&p.media_type).map(|m| m.mime()).unwrap_or("application/octet-stream"),
        "sha256": p.sha256,
        "sizeBytes": p.size_bytes,
        "addedAt": p.added_at.and_utc(),
        "documentDate": p.document_date.unwrap_or(p.added_at.date()),
        "url": format!("/api/evidence/{}", p.id),
        "activeContent": p.active_kinds(),
    })
}

async fn read_text(mut field: actix_multipart::Field, name: &str) -> AppResult<String> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::validation(name, format!("unreadable: {e}")))?;
        if buf.len() + chunk.len() > MAX_TEXT_FIELD {
            return Err(AppError::validation(name, "too long"));
        }
        buf.extend_from_slice(&chunk);
    }
    String::from_utf8(buf).map_err(|_| AppError::validation(name, "not UTF-8 text"))
}

/// `POST /api/cases/{id}/evidence`: fields `file` (the bytes), `kind` (CONTRACT, INVOICE, …)
/// and `description`. 201 with the piece; 200 with `duplicate: true` when the same bytes
/// already are a piece of the case.
pub async fn upload(
    req: HttpRequest,
    path: web::Path<String>,
    mut form: Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, &state).await?;
    let case_id = id_of(&path, "case")?;
    let limits = state.evidence_limits;
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_file_bytes + FORM_OVERHEAD) {
        return Err(evidence::too_large("the file", limits.max_file_bytes));
    }
    // Who may upload is checked before a byte is read.
    state
        .run_as(actor, "POST /api/cases/{id}/evidence", move |conn, _| {
            evidence::authorize_upload(conn, &actor, case_id).map(|_| ())
        })
        .await?;

    let spool_dir = state.jobs.data_dir.join("spool");
    let mut spool: Option<Spool> = None;
    let mut original_name = None;
    let mut kind = None;
    let mut description = String::new();
    let mut document_date = None;
    let mut refused: Option<AppError> = None;
    let mut drained: u64 = 0;
    while let Some(field) = form.next().await {
        let mut field = match field {
            Ok(f) => f,
            // Once refused, what follows does not matter: the refusal is the answer.
            Err(_) if refused.is_some() => break,
            Err(e) => return Err(AppError::validation("file", format!("malformed form: {e}"))),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" if spool.is_none() && refused.is_none() => {
                original_name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .map(str::to_string);
                let mut s =
                    Spool::new(&spool_dir, limits.max_file_bytes).map_err(evidence::blob_error)?;
                while let Some(chunk) = field.next().await {
                    let chunk = match chunk {
                        Ok(c) => c,
                        Err(_) if refused.is_some() => break,
                        Err(e) => {
                            return Err(AppError::validation(
                                "file",
                                format!("upload interrupted: {e}"),
                            ))
                        }
                    };
                    if refused.is_some() {
                        drained += chunk.len() as u64;
                        if drained > DRAIN_CAP {
                            return Err(evidence::too_large("the file", limits.max_file_bytes));
                        }
                        continue;
                    }
                    if let Err(e) = s.write(&chunk) {
                        refused = Some(evidence::blob_error(e));
                    }
                }
                if refused.is_none() {
                    spool = Some(s);
                }
            }
            "file" => {
                // A second file, or the rest of a refused one: read and dropped.
                while let Some(chunk) = field.next().await {
                    drained += chunk.map(|c| c.len() as u64).unwrap_or(0);
                    if drained > DRAIN_CAP {
                        return Err(AppError::validation("file", "send one file per upload"));
                    }
                }
                if refused.is_none() {
                    refused = Some(AppError::validation("file", "send one file per upload"));
                }
            }
            "kind" => {
                let text = read_text(field, "kind").await?;
                kind = Some(PieceKind::parse(&text.trim().to_lowercase()).map_err(|_| {
                    AppError::validation(
                        "kind",
                        "one of CONTRACT, PURCHASE_ORDER, INVOICE, DELIVERY_NOTE, \
                             CORRESPONDENCE, FORMAL_NOTICE, ACKNOWLEDGEMENT, STATEMENT, OTHER",
                    )
                })?);
            }
            "description" => description = read_text(field, "description").await?,
            // The document's own date (YYYY-MM-DD), which the bordereau shows; the upload day
            // when absent.
            "documentDate" => {
                let text = read_text(field, "documentDate").await?;
                let text = text.trim();
                if !text.is_empty() {
                    document_date =
                        Some(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(
                            |_| AppError::validation("documentDate", "a date as YYYY-MM-DD"),
                        )?);
                }
            }
            other => {
                return Err(AppError::validation(
                    other,
                    "unknown field: send `file`, `kind`, `description` and `documentDate`",
                ))
            }
        }
    }
    if let Some(e) = refused {
        return Err(e);
    }
    let spool = spool.ok_or_else(|| AppError::validation("file", "no file was sent"))?;
    let kind = kind.ok_or_else(|| AppError::validation("kind", "say what the piece is"))?;
    let info = UploadInfo {
        case_id,
        kind,
        description,
        original_name,
        document_date,
    };
    let uploaded = state
        .run(move |conn, state| {
            // The fsync of the spool file, off the async workers like the rest.
            let spooled = spool.finish().map_err(evidence::blob_error)?;
            evidence::store_upload(
                conn,
                &state.clock,
                state.jobs.blobs.as_ref(),
                state.evidence_limits,
                &actor,
                &info,
                spooled,
            )
        })
        .await?;
    let mut body = piece_json(&uploaded.piece);
    body["duplicate"] = serde_json::json!(uploaded.duplicate);
    if uploaded.duplicate {
        body["message"] =
            serde_json::json!("these exact bytes already are a piece of this case: kept once");
        Ok(HttpResponse::Ok().json(body))
    } else {
        Ok(HttpResponse::Created().json(body))
    }
}

/// `GET /api/evidence/{id}`: the piece's bytes for whoever may see its case, checked against
/// their SHA-256 first, and again as they stream (a change in between cuts the transfer short,
/// so a client never gets silently different bytes under a valid length).
pub async fn download(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let r = download_piece(req.clone(), path, state).await;
    super::download_answer(&req, r)
}

async fn download_piece(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, &state).await?;
    let id = id_of(&path, "piece")?;
    let (piece, reader) = state
        .run_as(actor, "GET /api/evidence/{id}", move |conn, state| {
            let blobs = state.jobs.blobs.as_ref();
            let piece = evidence::prepare_download(conn, &state.clock, blobs, &actor, id)?;
            let reader = blobs.open(&piece.sha256).map_err(evidence::blob_error)?;
            Ok((piece, reader))
        })
        .await?;
    let active = !piece.active_kinds().is_empty();
    Ok(serve(
        Served {
            sha256: piece.sha256,
            media_type: piece.media_type,
            filename: piece.filename,
            active,
            size_bytes: piece.size_bytes,
        },
        reader,
    ))
}

/// `GET /api/debtor-pieces/{id}`: a file the debtor sent from their page, for whoever sees its
/// case, served as an exhibit is (checked, sandboxed, in the trail).
pub async fn download_debtor_piece(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let r = async {
        let actor = actor(&req, &state).await?;
        let id = id_of(&path, "piece")?;
        let (piece, reader) = state
            .run_as(actor, "GET /api/debtor-pieces/{id}", move |conn, state| {
                let blobs = state.jobs.blobs.as_ref();
                let piece =
                    crate::debtor::pieces::prepare_download(conn, &state.clock, blobs, &actor, id)?;
                let reader = blobs.open(&piece.sha256).map_err(evidence::blob_error)?;
                Ok((piece, reader))
            })
            .await?;
        Ok(serve(
            Served {
                sha256: piece.sha256,
                media_type: piece.media_type,
                filename: piece.filename,
                // Refused at upload: a debtor's PDF never holds active content.
                active: false,
                size_bytes: piece.size_bytes,
            },
            reader,
        ))
    }
    .await;
    super::download_answer(&req, r)
}

/// What a download serves: a stored file's hash, type, name, and whether it has active
/// content (then it is only ever saved, never shown).
struct Served {
    sha256: String,
    media_type: String,
    filename: String,
    active: bool,
    size_bytes: i64,
}

/// The file's bytes, re-hashed as they stream (a change cuts the transfer short), opened in
/// the browser only when harmless (a PDF or an image without active content), sandboxed.
fn serve(file: Served, reader: Box<dyn Read + Send>) -> HttpResponse {
    let media = sniff::MediaType::parse(&file.media_type);
    let filename = match media {
        Some(m) => sniff::download_filename(&file.filename, m),
        None => file.filename.clone(),
    };
    let disposition = if !file.active && media.is_some_and(|m| m.is_pdf() || m.is_image()) {
        sniff::Disposition::Inline
    } else {
        sniff::Disposition::Attachment
    };
    let sha = file.sha256.clone();
    let stream = futures_util::stream::unfold(Some(reader), move |reader| {
        let sha = sha.clone();
        async move {
            let mut reader = reader?;
            let read = web::block(move || {
                let mut buf = vec![0u8; 64 * 1024];
                let n = reader.read(&mut buf)?;
                buf.truncate(n);
                Ok::<_, std::io::Error>((reader, buf))
            })
            .await;
            match read {
                Ok(Ok((_, buf))) if buf.is_empty() => None,
                Ok(Ok((reader, buf))) => Some((Ok(web::Bytes::from(buf)), Some(reader))),
                Ok(Err(e)) => {
                    if blobs::is_integrity_error(&e) {
                        evidence::integrity_alert(&sha, None);
                    }
                    Some((Err(e), None))
                }
                Err(e) => Some((Err(std::io::Error::other(e)), None)),
            }
        }
    });
    HttpResponse::Ok()
        .content_type(
            media
                .map(|m| m.mime())
                .unwrap_or("application/octet-stream"),
        )
        .insert_header((
            "Content-Disposition",
            sniff::content_disposition(disposition, &filename),
        ))
        .insert_header(("X-Content-SHA256", file.sha256))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        // Opened in the browser (a PDF, an image), a stored file runs in a sandbox: no
        // script, no form, no navigation, whatever the file carries.
        .insert_header(("Content-Security-Policy", "sandbox"))
        .no_chunking(u64::try_from(file.size_bytes).unwrap_or(0))
        .streaming(stream)
}
