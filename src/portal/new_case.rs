//! "Confier une créance": a creditor opens a case — the debtor, up to twenty invoices (five
//! shown, the others behind « Plus de factures »), up to twenty pieces of evidence in three
//! slots that each take several files — in one form (multipart, works without JavaScript).
//! Nothing is created unless everything is valid: the files are typed from their bytes before
//! the case is opened; a refused form comes back with every missing field listed, the first
//! message beside its field, and what was typed kept — also when a file is refused for its
//! size (files excepted: a browser never lets a page pre-fill them).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

use super::session::{self, csrf_token, CsrfToken, Signed};
use super::upload::{read_form, Read, Rules};
use super::{error_page, page};
use crate::app::AppState;
use crate::cases::intake::{DebtorInput, InvoiceInput, OpenCaseInput};
use crate::domain::parties::{DebtorKind, Role};
use crate::error::{AppError, ErrorCode};
use crate::evidence::{sniff, PieceKind, UploadInfo};

/// Invoice rows of the form, and those shown before « Plus de factures ».
const ROWS: usize = 20;
const SHOWN_ROWS: usize = 5;
/// File slots of the form (each takes several files), and most files in one form.
const FILES: usize = 3;
const MAX_FILES: usize = 20;
/// The countries offered for the debtor's address (ISO 3166 alpha-2), France first.
const COUNTRIES: &[(&str, &str)] = &[
    ("FR", "France"),
    ("BE", "Belgique"),
    ("LU", "Luxembourg"),
    ("CH", "Suisse"),
    ("MC", "Monaco"),
    ("DE", "Allemagne"),
    ("ES", "Espagne"),
    ("IT", "Italie"),
    ("NL", "Pays-Bas"),
    ("PT", "Portugal"),
    ("GB", "Royaume-Uni"),
    ("IE", "Irlande"),
    ("US", "États-Unis"),
];

/// One field left wrong, for the list at the top of a refused form.
#[derive(serde::Serialize)]
struct FieldError {
    field: String,
    label: String,
    message: String,
}

#[allow(clippy::too_many_arguments)]
fn render(
    status: u16,
    values: &HashMap<String, String>,
    error: Option<&AppError>,
    errors: &[FieldError],
    max_file_bytes: u64,
    signed: &Signed,
    csrf: &CsrfToken,
) -> HttpResponse {
    let mut ctx = tera::Context::new();
    let v = with_defaults(values);
    // The hidden rows open when one of them was typed or is at fault.
    let more_open = (SHOWN_ROWS..ROWS).any(|i| {
        ["number", "issueDate", "dueDate", "amount", "alreadyPaid"]
            .iter()
            .any(|f| {
                v.get(&format!("invoices[{i}].{f}"))
                    .is_some_and(|x| !x.is_empty())
            })
            || error
                .and_then(|e| e.field.as_deref())
                .is_some_and(|f| f.starts_with(&format!("invoices[{i}]")))
    });
    ctx.insert("shown_rows", &SHOWN_ROWS);
    ctx.insert("more_open", &more_open);
    ctx.insert("countries", COUNTRIES);
    ctx.insert("errors", errors);
    ctx.insert("max_files", &MAX_FILES);
    ctx.insert("max_mb", &(max_file_bytes / (1024 * 1024)));
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
        "debtor.address.line2",
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
    all.insert("debtor.address.country".into(), "FR".into());
    // A fresh form ticks « consommateur » (what an individual usually is); a posted one keeps
    // what was sent (an unticked box sends nothing).
    let fresh = !values.contains_key("debtor.name");
    all.insert(
        "debtor.isConsumer".into(),
        if fresh { "on" } else { "" }.into(),
    );
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
    let s = signed_or_return!(req, state, csrf);
    if s.actor.role != Role::Creditor {
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    render(
        200,
        &HashMap::new(),
        None,
        &[],
        state.evidence_limits.max_file_bytes,
        &s,
        &csrf,
    )
}

/// Every required field left empty, and every typed invoice row left incomplete, at once (the
/// intake then checks what is typed, one message at a time).
fn missing_fields(values: &HashMap<String, String>) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut need = |field: String, label: &str, message: &str| {
        if opt(values, &field).is_none() {
            out.push(FieldError {
                field,
                label: label.to_string(),
                message: message.to_string(),
            });
        }
    };
    need("debtor.name".into(), "Raison sociale ou nom", "à saisir");
    need("debtor.address.line1".into(), "Adresse", "à saisir");
    need(
        "debtor.address.postalCode".into(),
        "Code postal",
        "à saisir",
    );
    need("debtor.address.city".into(), "Ville", "à saisir");
    let mut any = false;
    for i in 0..ROWS {
        let key = |f: &str| format!("invoices[{i}].{f}");
        let typed = ["number", "issueDate", "dueDate", "amount", "alreadyPaid"]
            .iter()
            .any(|f| opt(values, &key(f)).is_some());
        if !typed {
            continue;
        }
        any = true;
        let row = i + 1;
        need(key("number"), &format!("Facture {row}, n°"), "à saisir");
        need(
            key("issueDate"),
            &format!("Facture {row}, émise le"),
            "date à saisir",
        );
        need(
            key("dueDate"),
            &format!("Facture {row}, échéance"),
            "date à saisir",
        );
        need(
            key("amount"),
            &format!("Facture {row}, montant"),
            "à saisir",
        );
    }
    if !any {
        out.push(FieldError {
            field: "invoices[0].number".into(),
            label: "Factures".into(),
            message: "saisissez au moins une facture".into(),
        });
    }
    out
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
            address_line2: opt(values, "debtor.address.line2"),
            postal_code: opt(values, "debtor.address.postalCode").unwrap_or_default(),
            city: opt(values, "debtor.address.city").unwrap_or_default(),
            country: opt(values, "debtor.address.country"),
            email: opt(values, "debtor.email"),
            phone: opt(values, "debtor.phone"),
            // The box speaks of individuals; a company is never a consumer.
            is_consumer: (kind == DebtorKind::Individual)
                .then(|| opt(values, "debtor.isConsumer").is_some()),
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

/// The file slot a field of the form is (`file1` … `file3`), if it is one.
fn slot(name: &str) -> Option<usize> {
    name.strip_prefix("file")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=FILES).contains(n))
}

pub async fn submit(req: HttpRequest, form: Multipart, state: web::Data<AppState>) -> HttpResponse {
    let csrf = csrf_token(&req);
    let s = signed_or_return!(req, state, csrf);
    let max = state.evidence_limits.max_file_bytes;
    let Read {
        values,
        uploads,
        refused_file,
    } = match read_form(
        form,
        &state,
        &Rules {
            is_file: &|name| slot(name).is_some(),
            max_files: MAX_FILES,
            max_file_bytes: max,
            too_many: &format!(
                "{MAX_FILES} fichiers au plus par dossier : ajoutez les autres depuis la page du dossier"
            ),
        },
    )
    .await
    {
        Ok(read) => read,
        Err(e) => {
            return render(
                e.code.http_status(),
                &HashMap::new(),
                Some(&e),
                &[],
                max,
                &s,
                &csrf,
            )
        }
    };
    if !session::csrf_ok(&req, values.get("csrf").map(String::as_str).unwrap_or("")) {
        return super::pages::forbidden_form(&csrf);
    }
    if s.actor.role != Role::Creditor {
        return error_page(&AppError::forbidden(), Some(&s), &csrf);
    }
    if let Some(e) = refused_file {
        return render(e.code.http_status(), &values, Some(&e), &[], max, &s, &csrf);
    }
    let missing = missing_fields(&values);
    if let Some(first) = missing.first() {
        let e = AppError::validation(first.field.clone(), first.message.clone());
        return render(422, &values, Some(&e), &missing, max, &s, &csrf);
    }
    let (input, rows) = match input(&values) {
        Ok(i) => i,
        Err(e) => return render(422, &values, Some(&e), &[], max, &s, &csrf),
    };
    let (actor, kinds) = (s.actor, values.clone());
    let result = state
        .run_as(actor, "POST /portal/cases/new", move |conn, st| {
            // Every file is typed from its bytes before anything is created.
            let mut ready = Vec::new();
            for u in uploads {
                let field = u.field;
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
            render(e.code.http_status(), &values, Some(&e), &[], max, &s, &csrf)
        }
    }
}
