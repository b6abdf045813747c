//! `POST /portal/cases/{id}/pieces`: a piece added to a case after it was opened, from the
//! case page, by whoever sees the case (its creditor, the agency's staff, the lawyer it was
//! referred to) — the portal's form of `POST /api/cases/{id}/evidence`, through the same use
//! case (`evidence::store_upload`: typed from its bytes, blob first, then the row with the
//! next exhibit number and the case event). A refused piece (too large, not accepted, a
//! forged form) leaves nothing and shows the case page again with the reason next to the form
//! and what was typed kept.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};

use super::case_page::Refused;
use super::session::{self, csrf_token, CsrfToken, Signed};
use super::upload::{read_form, Read, Rules};
use super::{error_page, page};
use crate::app::AppState;
use crate::error::{AppError, ErrorCode};
use crate::evidence::{PieceKind, UploadInfo};

/// The form's name on the case page (where its refusal is shown).
pub const FORM: &str = "add_piece";
/// The kinds a user may choose, with their French label (letters and receipts are the
/// agency's own).
pub const KINDS: [(PieceKind, &str); 9] = [
    (PieceKind::Invoice, "Facture"),
    (PieceKind::Contract, "Contrat ou devis signé"),
    (PieceKind::PurchaseOrder, "Bon de commande"),
    (PieceKind::DeliveryNote, "Bon de livraison"),
    (PieceKind::Correspondence, "Correspondance"),
    (PieceKind::FormalNotice, "Mise en demeure"),
    (PieceKind::Acknowledgement, "Reconnaissance de dette"),
    (PieceKind::Statement, "Relevé de compte"),
    (
        PieceKind::Other,
        "Autre (ordonnance, acte de signification…)",
    ),
];

/// The case page again with the refusal next to the piece form.
async fn refused(
    state: &web::Data<AppState>,
    s: &Signed,
    csrf: &CsrfToken,
    id: i64,
    error: AppError,
    values: HashMap<String, String>,
) -> HttpResponse {
    let status = error.code.http_status();
    let refused = Refused {
        form: FORM.into(),
        error,
        values,
    };
    let actor = s.actor;
    let shown = state
        .run(move |conn, st| super::case_page::load(conn, st, &actor, id, Some(&refused)))
        .await;
    match shown {
        Ok(ctx) => page(status, "portal/case.html", ctx, Some(s), csrf),
        Err(e) => error_page(&e, Some(s), csrf),
    }
}

pub async fn add(
    req: HttpRequest,
    path: web::Path<String>,
    form: Multipart,
    state: web::Data<AppState>,
) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let Some(id) = path.parse::<i64>().ok().filter(|n| *n > 0) else {
        return error_page(&AppError::not_found("case"), Some(&s), &csrf);
    };
    let actor = s.actor;
    // Who may add a piece is checked before a byte is read (an unseen case: not found).
    if let Err(e) = state
        .run_as(actor, "POST /portal/cases/{id}/pieces", move |conn, _| {
            crate::evidence::authorize_upload(conn, &actor, id).map(|_| ())
        })
        .await
    {
        return error_page(&e, Some(&s), &csrf);
    }
    let Read {
        values,
        mut uploads,
        refused_file,
    } = match read_form(
        form,
        &state,
        &Rules {
            is_file: &|name| name == "file",
            max_files: 1,
            max_file_bytes: state.evidence_limits.max_file_bytes,
            too_many: "Un fichier à la fois : ajoutez les autres un par un.",
        },
    )
    .await
    {
        Ok(read) => read,
        Err(e) => return refused(&state, &s, &csrf, id, e, HashMap::new()).await,
    };
    if !session::csrf_ok(&req, values.get("csrf").map(String::as_str).unwrap_or("")) {
        return super::pages::forbidden_form(&csrf);
    }
    if let Some(e) = refused_file {
        return refused(&state, &s, &csrf, id, e, values).await;
    }
    let Some(upload) = uploads.pop() else {
        let e = AppError::validation("file", "Choisissez le fichier de la pièce.");
        return refused(&state, &s, &csrf, id, e, values).await;
    };
    let kind = values.get("piece_kind").map(String::as_str).unwrap_or("");
    let Some((kind, _)) = KINDS.into_iter().find(|(k, _)| k.as_str() == kind) else {
        let e = AppError::validation("piece_kind", "Choisissez la nature de la pièce.");
        return refused(&state, &s, &csrf, id, e, values).await;
    };
    let document_date = match values.get("document_date").map(|d| d.trim()) {
        None | Some("") => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let e = AppError::validation(
                    "document_date",
                    "La date du document est une date (JJ/MM/AAAA).",
                );
                return refused(&state, &s, &csrf, id, e, values).await;
            }
        },
    };
    let info = UploadInfo {
        case_id: id,
        kind,
        description: values.get("piece_description").cloned().unwrap_or_default(),
        original_name: upload.name,
        document_date,
    };
    let spool = upload.spool;
    let stored = state
        .run_as(actor, "POST /portal/cases/{id}/pieces", move |conn, st| {
            let spooled = spool.finish().map_err(crate::evidence::blob_error)?;
            crate::evidence::store_upload(
                conn,
                &st.clock,
                st.jobs.blobs.as_ref(),
                st.evidence_limits,
                &actor,
                &info,
                spooled,
            )
        })
        .await;
    match stored {
        Ok(up) => {
            let done = if up.duplicate {
                "add_piece_duplicate"
            } else {
                FORM
            };
            let mut resp = HttpResponse::SeeOther();
            resp.insert_header(("Location", format!("/portal/cases/{id}?fait={done}")));
            for c in s.renewed.clone() {
                resp.cookie(c);
            }
            resp.finish()
        }
        Err(e) if matches!(e.code, ErrorCode::Internal | ErrorCode::Unavailable) => {
            error_page(&e, Some(&s), &csrf)
        }
        Err(e) => refused(&state, &s, &csrf, id, e, values).await,
    }
}

/// The confirmation shown after the form (`?fait=…`).
pub fn done_message(name: &str) -> Option<&'static str> {
    match name {
        FORM => Some("La pièce est ajoutée au dossier."),
        "add_piece_duplicate" => {
            Some("Ce fichier est déjà une pièce du dossier : il n'est conservé qu'une fois.")
        }
        _ => None,
    }
}
