//! The creditor's CSV import: `/portal/import` (the form and the format), its example file,
//! and the report page after an upload. The import itself is `cases::import`, as in the API.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;

use super::session::{self, csrf_token, signed_in, CsrfToken, Signed};
use super::{error_page, page};
use crate::app::AppState;
use crate::cases::import::ImportReport;
use crate::domain::import::{COLUMNS, EXAMPLE, MAX_BYTES, MAX_ROWS};
use crate::domain::parties::Role;
use crate::error::{AppError, ErrorCode};

/// Room for the multipart framing and the CSRF field around the file.
const FORM_OVERHEAD: usize = 16 * 1024;
/// A refused upload is read (and dropped) up to this much, so the browser gets the page
/// instead of a broken connection.
const DRAIN_CAP: usize = 16 * 1024 * 1024;

/// The signed-in creditor of a page, or the response that ends the handler.
async fn creditor(
    req: &HttpRequest,
    state: &AppState,
    csrf: &CsrfToken,
) -> Result<Signed, HttpResponse> {
    match signed_in(req, state).await {
        Ok(Some(s)) if s.actor.role == Role::Creditor => Ok(s),
        // The agency imports for a creditor through the API (`importCases(creditorId)`).
        Ok(Some(s)) => Err(error_page(&AppError::forbidden(), Some(&s), csrf)),
        Ok(None) => Err(session::to_sign_in(req)),
        Err(e) => Err(error_page(&e, None, csrf)),
    }
}

fn form_context(file_error: Option<&str>) -> tera::Context {
    let mut ctx = tera::Context::new();
    let columns: Vec<(&str, bool)> = COLUMNS.to_vec();
    ctx.insert("columns", &columns);
    ctx.insert("max_rows", &MAX_ROWS);
    ctx.insert("max_mib", &(MAX_BYTES / (1024 * 1024)));
    ctx.insert("file_error", &file_error);
    ctx
}

/// `GET /portal/import`: the form and the documented format.
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = match creditor(&req, &state, &csrf).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    page(
        200,
        "portal/import.html",
        form_context(None),
        Some(&s),
        &csrf,
    )
}

/// `GET /portal/import/example.csv`: the example file of the format.
pub async fn example(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    if let Err(resp) = creditor(&req, &state, &csrf).await {
        return resp;
    }
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"exemple-import-recouvra.csv\"",
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(EXAMPLE)
}

/// What the form sent.
struct Posted {
    csrf: String,
    file: Option<(Option<String>, Vec<u8>)>,
    too_large: bool,
}

async fn read_form(mut form: Multipart) -> Result<Posted, String> {
    let mut posted = Posted {
        csrf: String::new(),
        file: None,
        too_large: false,
    };
    let mut drained = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| format!("formulaire illisible : {e}"))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let limit = if name == "file" { MAX_BYTES } else { 1024 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| format!("envoi interrompu : {e}"))?;
            if buf.len() + chunk.len() > limit {
                posted.too_large |= name == "file";
                drained += chunk.len();
                if drained > DRAIN_CAP {
                    return Err("le fichier est beaucoup trop volumineux".into());
                }
                continue;
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => posted.csrf = String::from_utf8_lossy(&buf).into_owned(),
            "file" if posted.file.is_none() => posted.file = Some((filename, buf)),
            _ => {}
        }
    }
    Ok(posted)
}

/// `POST /portal/import`: reads the file, imports it, shows the report (or the form again
/// with the reason next to the file field when the file is refused as a whole).
pub async fn upload(req: HttpRequest, form: Multipart, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = match creditor(&req, &state, &csrf).await {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let refuse = |msg: &str| {
        page(
            422,
            "portal/import.html",
            form_context(Some(msg)),
            Some(&s),
            &csrf,
        )
    };
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = format!(
        "Le fichier dépasse {} Mio : découpez-le en plusieurs fichiers.",
        MAX_BYTES / (1024 * 1024)
    );
    if declared.is_some_and(|n| n > MAX_BYTES + FORM_OVERHEAD + DRAIN_CAP) {
        return refuse(&too_large);
    }
    let posted = match read_form(form).await {
        Ok(p) => p,
        Err(e) => return refuse(&e),
    };
    // The CSRF token is checked before anything of the file is used.
    if !session::csrf_ok(&req, &posted.csrf) {
        let mut ctx = tera::Context::new();
        ctx.insert("heading", "Formulaire refusé");
        ctx.insert(
            "message",
            "Ce formulaire a expiré ou ne vient pas de Recouvra. Rechargez la page et recommencez.",
        );
        return page(403, "portal/error.html", ctx, Some(&s), &csrf);
    }
    if posted.too_large {
        return refuse(&too_large);
    }
    let (name, bytes) = match posted.file {
        Some((name, bytes)) if !bytes.is_empty() => (name.unwrap_or_default(), bytes),
        _ => return refuse("Choisissez un fichier CSV."),
    };
    let lower = name.to_lowercase();
    if [".xlsx", ".xls", ".ods", ".pdf"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return refuse(
            "Ce fichier n'est pas un CSV : dans votre tableur, choisissez « Enregistrer sous » \
             puis le format « CSV UTF-8 (séparateur point-virgule) ».",
        );
    }
    let actor = s.actor;
    let result = state
        .run_as(actor, "POST /portal/import", move |conn, st| {
            crate::cases::import::import_cases(conn, &st.clock, &actor, None, &bytes, "file")
        })
        .await;
    match result {
        Ok(report) => report_page(&report, &s, &csrf),
        Err(e) if e.code == ErrorCode::Validation && e.field.as_deref() == Some("file") => {
            let msg = crate::i18n::sentence(&super::french(&e.message));
            refuse(&msg)
        }
        Err(e) => error_page(&e, Some(&s), &csrf),
    }
}

fn report_page(r: &ImportReport, s: &Signed, csrf: &CsrfToken) -> HttpResponse {
    let rows: Vec<serde_json::Value> = r
        .rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "line": row.line,
                "dossier": row.dossier,
                "case_id": row.case.as_ref().map(|(id, _)| id),
                "reference": row.case.as_ref().map(|(_, reference)| reference),
                "errors": row.errors.iter().map(|(c, m)| serde_json::json!({"column": c, "message": m})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("imported", &r.cases_imported);
    ctx.insert("refused", &r.cases_refused);
    ctx.insert("rows", &rows);
    page(200, "portal/import_report.html", ctx, Some(s), csrf)
}
