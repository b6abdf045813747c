//! "Confier une créance": a creditor opens a case — the debtor, up to five invoices, up to three
//! pieces of evidence — in one form (multipart, works without JavaScript). Nothing is created
//! unless everything is valid: the files are typed from their bytes before the case is opened;
//! a refused form comes back with the message beside the field and what was typed kept (files
//! excepted: a browser never lets a page pre-fill them).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use futures_util::StreamExt as _;

use super::session::{self, csrf_token, signed_in, CsrfToken, Signed};
use super::{error_page, page};
use crate::app::AppState;
use crate::blobs::Spool;
use crate::cases::intake::{DebtorInput, InvoiceInput, OpenCaseInput};
use crate::domain::parties::{DebtorKind, Role};
use crate::error::{AppError, ErrorCode};
use crate::evidence::{sniff, PieceKind, UploadInfo};

/// Invoice rows and file slots of the form.
const ROWS: usize = 5;
const FILES: usize = 3;
/// Longest text field read.
const MAX_TEXT: usize = 4 * 1024;

fn render(
    status: u16,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    signed: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    let v = with_defaults(values);
    // Each invoice row's field names and values (tera cannot build a key inside `v[…]`).
    let rows: Vec<serde_json::Value> = (0..ROWS)
        .map(|i| {
            let field = |f: &str| {
                let name = format!("invoices[{i}].{f}");
                let value = v.get(&name).cloned().unwrap_or_default();
                serde_json::json!([name, value])
            };
            serde_json::json!({
                "label": i + 1,
                "number": field("number"),
                "issue": field("issueDate"),
                "due": field("dueDate"),
                "amount": field("amount"),
                "paid": field("alreadyPaid"),
            })
        })
        .collect();
    ctx.insert("v", &v);
    ctx.insert("rows", &rows);
    ctx.insert(
        "files",
        &(1..=FILES)
            .map(|i| (format!("file{i}"), i))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "error",
        &error.map(|e| super::french(&e.message)).unwrap_or_default(),
    );
    ctx.insert(
        "error_field",
        &error.and_then(|e| e.field.as_deref()).unwrap_or(""),
    );
    page(status, "portal/new_case.html", ctx, Some(signed), csrf)
}

/// Every field the template reads, empty unless typed.
fn with_defaults(values: &HashMap<String, String>) -> HashMap<String, String> {
    let mut all: HashMap<String, String> = [
        "debtor.name",
        "debtor.firstName",
        "debtor.legalForm",
        "debtor.siren",
        "debtor.address.line1",
        "debtor.address.postalCode",
        "debtor.address.city",
        "debtor.email",
        "debtor.phone",
        "note",
    ]
    .iter()
    .map(|k| (k.to_string(), String::new()))
    .collect();
    all.insert("debtor.kind".into(), "company".into());
    for i in 0..ROWS {
        for f in ["number", "issueDate", "dueDate", "amount", "alreadyPaid"] {
            all.insert(format!("invoices[{i}].{f}"), String::new());
        }
    }
    for (k, v) in values {
        if all.contains_key(k) {
            all.insert(k.clone(), v.clone());
        }
    }
    all
}

pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = match signed_in(&req, &state).await {
        Ok(Some(s)) => s,
        Ok(None) => return session::to_sign_in(&req),
        Err(e) => return error_page(&e, None, &csrf),
    };
    if s.actor.role != Role::Creditor {
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    render(200, &HashMap::new(), None, &s, &csrf)
}

/// A file of the form, spooled to disk while read (never held in memory).
struct Upload {
    slot: usize,
    spool: Spool,
    name: Option<String>,
}

/// Reads the multipart body: text fields into a map, files into spools.
async fn read_form(
    mut form: Multipart,
    state: &AppState,
) -> Result<(HashMap<String, String>, Vec<Upload>), AppError> {
    let mut values = HashMap::new();
    let mut uploads = Vec::new();
    let spool_dir = state.jobs.data_dir.join("spool");
    while let Some(field) = form.next().await {
        let mut field = field
            .map_err(|e| AppError::validation("form", format!("formulaire illisible : {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        let slot = name
            .strip_prefix("file")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=FILES).contains(n));
        if let Some(slot) = slot {
            let original = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .map(str::to_string);
            let mut spool = Spool::new(&spool_dir, state.evidence_limits.max_file_bytes)
                .map_err(crate::evidence::blob_error)?;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| {
                    AppError::validation(name.clone(), format!("envoi interrompu : {e}"))
                })?;
                spool
                    .write(&chunk)
                    .map_err(|e| crate::evidence::blob_error(e).in_field(&name))?;
            }
            // An empty slot (no file chosen) sends an empty part.
            if spool.size() > 0 {
                uploads.push(Upload {
                    slot,
                    spool,
                    name: original,
                });
            }
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::validation(name.clone(), e.to_string()))?;
            if buf.len() + chunk.len() > MAX_TEXT {
                return Err(AppError::validation(name, "texte trop long"));
            }
            buf.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(buf)
            .map_err(|_| AppError::validation(name.clone(), "texte illisible (UTF-8 attendu)"))?;
        values.insert(name, text);
    }
    Ok((values, uploads))
}

fn opt(values: &HashMap<String, String>, key: &str) -> Option<String> {
    values
        .get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn date(values: &HashMap<String, String>, key: &str) -> Result<NaiveDate, AppError> {
    let text = opt(values, key).unwrap_or_default();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| AppError::validation(key, "saisissez une date (jj/mm/aaaa)"))
}

/// The intake's input from the form; a row left empty is no invoice. Also the form row of each
/// invoice, to put the intake's `invoices[n]` errors beside the right row.
fn input(values: &HashMap<String, String>) -> Result<(OpenCaseInput, Vec<usize>), AppError> {
    let kind = match values.get("debtor.kind").map(String::as_str) {
        Some("individual") => DebtorKind::Individual,
        _ => DebtorKind::Company,
    };
    let mut invoices = Vec::new();
    let mut rows = Vec::new();
    for i in 0..ROWS {
        let key = |f: &str| format!("invoices[{i}].{f}");
        let typed = ["number", "issueDate", "dueDate", "amount", "alreadyPaid"]
            .iter()
            .any(|f| opt(values, &key(f)).is_some());
        if !typed {
            continue;
        }
        rows.push(i);
        invoices.push(InvoiceInput {
            number: opt(values, &key("number")).unwrap_or_default(),
            issue_date: date(values, &key("issueDate"))?,
            due_date: date(values, &key("dueDate"))?,
            amount: crate::domain::money::normalise_amount(
                &opt(values, &key("amount")).unwrap_or_default(),
            ),
            already_paid: opt(values, &key("alreadyPaid"))
                .map(|a| crate::domain::money::normalise_amount(&a)),
        });
    }
    if invoices.is_empty() {
        return Err(AppError::validation(
            "invoices[0].number",
            "saisissez au moins une facture",
        ));
    }
    let input = OpenCaseInput {
        creditor_id: None,
        debtor: DebtorInput {
            kind,
            name: opt(values, "debtor.name").unwrap_or_default(),
            first_name: opt(values, "debtor.firstName"),
            legal_form: opt(values, "debtor.legalForm"),
            siren: opt(values, "debtor.siren").map(|s| s.replace(' ', "")),
            address_line1: opt(values, "debtor.address.line1").unwrap_or_default(),
            address_line2: None,
            postal_code: opt(values, "debtor.address.postalCode").unwrap_or_default(),
            city: opt(values, "debtor.address.city").unwrap_or_default(),
            country: None,
            email: opt(values, "debtor.email"),
            phone: opt(values, "debtor.phone"),
            is_consumer: None,
        },
        invoices,
        note: opt(values, "note"),
        contractual_rate: None,
    };
    Ok((input, rows))
}

/// `invoices[k].x` of the k-th invoice typed → the form row it came from.
fn to_row(mut e: AppError, rows: &[usize]) -> AppError {
    if let Some(rest) = e.field.as_deref().and_then(|f| f.strip_prefix("invoices[")) {
        if let Some((k, tail)) = rest.split_once(']') {
            if let Some(row) = k.parse::<usize>().ok().and_then(|k| rows.get(k)) {
                e.field = Some(format!("invoices[{row}]{tail}"));
            }
        }
    }
    e
}

pub async fn submit(req: HttpRequest, form: Multipart, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = match signed_in(&req, &state).await {
        Ok(Some(s)) => s,
        Ok(None) => return session::to_sign_in(&req),
        Err(e) => return error_page(&e, None, &csrf),
    };
    let (values, uploads) = match read_form(form, &state).await {
        Ok(read) => read,
        Err(e) => return render(e.code.http_status(), &HashMap::new(), Some(&e), &s, &csrf),
    };
    if !session::csrf_ok(&req, values.get("csrf").map(String::as_str).unwrap_or("")) {
        return super::pages::forbidden_form(&csrf);
    }
    if s.actor.role != Role::Creditor {
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    let (input, rows) = match input(&values) {
        Ok(i) => i,
        Err(e) => return render(422, &values, Some(&e), &s, &csrf),
    };
    let (actor, kinds) = (s.actor, values.clone());
    let result = state
        .run_as(actor, "POST /portal/cases/new", move |conn, st| {
            // Every file is typed from its bytes before anything is created.
            let mut ready = Vec::new();
            for u in uploads {
                let field = format!("file{}", u.slot);
                let spooled = u.spool.finish().map_err(crate::evidence::blob_error)?;
                let mut file = std::fs::File::open(spooled.path()).map_err(AppError::internal)?;
                if let Err(e) = sniff::sniff(&mut file) {
                    if e.is_io() {
                        return Err(AppError::internal(e));
                    }
                    return Err(AppError {
                        field: Some(field),
                        ..AppError::new(
                            ErrorCode::UnsupportedMediaType,
                            format!("ce fichier n'est pas accepté : {e}"),
                        )
                    });
                }
                let kind = kinds
                    .get(&format!("{field}.kind"))
                    .and_then(|k| PieceKind::parse(k).ok())
                    .unwrap_or(PieceKind::Other);
                ready.push((kind, u.name, spooled));
            }
            let case = crate::cases::intake::open_case(conn, &st.clock, &actor, &input)?;
            // The case exists from here on: a piece that cannot be stored is reported on the
            // case's page, never by sending back a form that would open the case twice.
            let mut stored_all = true;
            for (kind, name, spooled) in ready {
                let info = UploadInfo {
                    case_id: case.id,
                    kind,
                    description: String::new(),
                    original_name: name,
                    document_date: None,
                };
                if let Err(e) = crate::evidence::store_upload(
                    conn,
                    &st.clock,
                    st.jobs.blobs.as_ref(),
                    st.evidence_limits,
                    &actor,
                    &info,
                    spooled,
                ) {
                    tracing::warn!(case = case.id, error = %e, "a piece of a new case was not stored");
                    stored_all = false;
                }
            }
            Ok((case.id, stored_all))
        })
        .await;
    match result {
        Ok((id, stored_all)) => {
            let done = if stored_all { "open" } else { "open_partial" };
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
        Err(e) => {
            let e = to_row(e, &rows);
            render(e.code.http_status(), &values, Some(&e), &s, &csrf)
        }
    }
}
