//! The injunction-of-payment dossier of a case (CPC 1407): gathered here from the case, its
//! statement and its evidence, laid out by `documents::dossier`. Produced for the case's
//! lawyer and the agency's staff; stored as a document of the case under its SHA-256; every
//! download is an event of the case and an entry of the security log.
//!
//! The dossier's date is the filing date once the requête was filed (the dossier is then the
//! record of what was filed), today before: the same case state on the same day gives the
//! same bytes.

use crate::auth::Actor;
use crate::blobs::BlobStore;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::documents::dossier::{
    self as layout, CompanyParty, CourtInfo, DebtorParty, DossierError, DossierInput, Exhibit,
    ExhibitSource, InvoiceLine,
};
use crate::domain::parties::DebtorKind;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::evidence::sniff::MediaType;
use crate::store::cases::{Case, Debtor};
use crate::store::documents::{self as doc_store, NewDocument};
use crate::store::orgs::Organisation;
use crate::store::security::{self, NewEntry, SecurityKind};
use crate::store::{events, evidence as pieces};

use super::views::{DOSSIER_PDF, DOSSIER_ZIP};

/// Which file of the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Zip,
}

impl Format {
    fn kind(self) -> &'static str {
        match self {
            Format::Pdf => DOSSIER_PDF,
            Format::Zip => DOSSIER_ZIP,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Zip => "zip",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Zip => "application/zip",
        }
    }
}

/// A dossier file ready to send.
#[derive(Debug)]
pub struct Produced {
    pub bytes: Vec<u8>,
    pub filename: String,
    pub sha256: String,
}

/// Exhibit bytes from the blob store, which re-hashes them as it reads.
struct Blobs<'a>(&'a dyn BlobStore);

impl ExhibitSource for Blobs<'_> {
    fn bytes(&self, exhibit: &Exhibit) -> Result<Vec<u8>, DossierError> {
        self.0
            .get(&exhibit.sha256)
            .map_err(|e| DossierError::Exhibit {
                number: exhibit.number,
                reason: e.to_string(),
            })
    }
}

/// Builds the dossier (PDF or ZIP) of a case, stores it, and records the download.
pub fn produce(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn BlobStore,
    actor: &Actor,
    case_id: i64,
    format: Format,
) -> AppResult<Produced> {
    let (case, p) = super::load_proceeding(conn, actor, case_id)?;
    super::require_legal_reader(actor)?;
    let date = p.filed_on.unwrap_or_else(|| clock.today());
    let assessment = super::eligibility::assess_case(conn, &case, date)?;
    // The requête states the exact sum claimed (CPC 1407): not while interest stops short
    // of its date for want of rates.
    if let Some(st) = &assessment.statement {
        crate::claims::require_complete(st)?;
    }
    if p.filed_on.is_none() {
        super::eligibility::require_eligible(&assessment.report)?;
    }
    let court_name = p.court_name.clone().ok_or_else(|| {
        AppError::validation(
            "court",
            "confirm the competent court first (the eligibility report proposes one)",
        )
    })?;
    let kind = p
        .court_kind
        .as_deref()
        .and_then(super::parse_court_kind)
        .unwrap_or(assessment.report.court.kind);
    let statement = assessment.statement.clone().ok_or_else(|| {
        AppError::new(
            ErrorCode::Ineligible,
            "the statement cannot be computed on the dossier's date",
        )
    })?;
    // CPC 1407: the requête names its filer, the lawyer's own firm (refused until entered).
    let filer = super::profile::filer(conn, p.lawyer_id)?;
    let exhibits = exhibits_of(conn, &case)?;
    let settings = crate::store::recovery::settings(conn)?;
    let agency = settings
        .agency_org_id
        .map(|id| crate::store::orgs::find(conn, id))
        .transpose()?
        .flatten();
    let input = DossierInput {
        date,
        place: agency
            .as_ref()
            .map(|a| a.city.clone())
            .unwrap_or_else(|| assessment.creditor.city.clone()),
        case_reference: case.reference.clone(),
        court: CourtInfo {
            // The requête is addressed to the judge in person ("À Monsieur ou Madame le
            // Président du tribunal de commerce").
            judge: format!("Monsieur ou Madame le {}", kind.judge()),
            name: court_name,
            cerfa: kind.cerfa().to_string(),
        },
        creditor: company(&assessment.creditor),
        debtor: debtor_party(&assessment.debtor),
        filer,
        basis: basis(&assessment.creditor, &assessment.claim),
        invoices: assessment
            .claim
            .invoices
            .iter()
            .map(InvoiceLine::from)
            .collect(),
        statement,
        interest_basis: super::eligibility::interest_basis(
            &assessment.claim,
            assessment.statement.as_ref(),
        ),
        transfer_on_opposition: p.transfer_on_opposition,
        exhibits,
    };
    let source = Blobs(blobs);
    let pdf = layout::dossier_pdf(&input, &source).map_err(dossier_error)?;
    let bytes = match format {
        Format::Pdf => pdf,
        Format::Zip => layout::dossier_zip(&input, &pdf, &source).map_err(dossier_error)?,
    };
    let reference = format!("{}-INJONCTION-{}", case.reference, date.format("%Y%m%d"));
    let filename = format!("{reference}.{}", format.extension());
    let sha256 = record(
        conn, clock, blobs, actor, &case, format, &reference, &filename, &bytes,
    )?;
    Ok(Produced {
        bytes,
        filename,
        sha256,
    })
}

/// Stores the bytes (blob first, then the row: a rolled-back transaction leaves at most an
/// unreferenced blob), keeps one document per distinct file, and records the download.
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn BlobStore,
    actor: &Actor,
    case: &Case,
    format: Format,
    reference: &str,
    filename: &str,
    bytes: &[u8],
) -> AppResult<String> {
    let sha = blobs
        .put_bytes(bytes)
        .map_err(crate::evidence::blob_error)?;
    db::transaction(conn, |conn| {
        let now = clock.now();
        let existing = doc_store::of_case(conn, case.id)?
            .into_iter()
            .find(|d| d.kind == format.kind() && d.sha256 == sha);
        let doc = match existing {
            Some(d) => d,
            None => doc_store::insert(
                conn,
                &NewDocument {
                    case_id: Some(case.id),
                    creditor_org_id: None,
                    kind: format.kind(),
                    reference,
                    filename,
                    sha256: &sha,
                    size_bytes: bytes.len() as i64,
                    created_at: now,
                    created_by: Some(actor.user_id),
                },
            )?,
        };
        events::append(
            conn,
            case.id,
            now,
            Some(actor.user_id),
            "dossier_downloaded",
            &serde_json::json!({ "format": format.extension(), "document_id": doc.id, "sha256": sha }),
        )?;
        security::append(
            conn,
            now,
            SecurityKind::DossierDownloaded,
            NewEntry {
                user_id: Some(actor.user_id),
                case_id: Some(case.id),
                detail: format!("{filename} ({sha})"),
                ..NewEntry::default()
            },
        )?;
        Ok(())
    })?;
    Ok(sha)
}

/// The case's exhibit list (withdrawn pieces are out of it), in exhibit order.
fn exhibits_of(conn: &mut DbConn, case: &Case) -> AppResult<Vec<Exhibit>> {
    Ok(pieces::of_case(conn, case.id)?
        .into_iter()
        .filter(|p| p.withdrawn_at.is_none())
        .filter_map(|p| {
            let number = u32::try_from(p.exhibit_no?).ok()?;
            let media_type = MediaType::parse(&p.media_type)
                .map(|m| m.mime())
                .unwrap_or("application/octet-stream")
                .to_string();
            let title = if p.description.trim().is_empty() {
                p.filename.clone()
            } else {
                p.description.clone()
            };
            Some(Exhibit {
                number,
                title,
                // The document's own date, entered at upload; the upload day by default.
                date: p.document_date.unwrap_or(p.added_at.date()),
                nature: crate::evidence::PieceKind::parse(&p.kind)
                    .map(crate::evidence::kind_label)
                    .unwrap_or("Autre pièce")
                    .to_string(),
                media_type,
                sha256: p.sha256,
                size_bytes: u64::try_from(p.size_bytes).unwrap_or(0),
                filename: p.filename,
            })
        })
        .collect())
}

fn address_of(o: &Organisation) -> Vec<String> {
    let mut lines = vec![o.address_line1.clone()];
    lines.extend(o.address_line2.clone());
    lines.push(format!("{} {}", o.postal_code, o.city));
    lines
}

fn company(o: &Organisation) -> CompanyParty {
    CompanyParty {
        name: o.name.clone(),
        legal_form: o.legal_form.clone(),
        siren: o.siren.clone(),
        address_lines: address_of(o),
        representative: "prise en la personne de son représentant légal domicilié en cette \
                         qualité audit siège"
            .to_string(),
    }
}

fn debtor_party(d: &Debtor) -> DebtorParty {
    let mut address_lines = vec![d.address_line1.clone()];
    address_lines.extend(d.address_line2.clone());
    address_lines.push(format!("{} {}", d.postal_code, d.city));
    if d.country != "FR" {
        address_lines.push(d.country.clone());
    }
    if d.kind == DebtorKind::Individual.as_str() {
        DebtorParty::Individual {
            surname: d.name.clone(),
            first_names: d.first_name.clone().unwrap_or_default(),
            address_lines,
            profession: None,
            birth: None,
        }
    } else {
        DebtorParty::Company(CompanyParty {
            name: d.name.clone(),
            legal_form: d.legal_form.clone().unwrap_or_default(),
            siren: d.siren.clone().unwrap_or_default(),
            address_lines,
            representative: "prise en la personne de son représentant légal".to_string(),
        })
    }
}

/// The basis of the claim (CPC 1407: "le fondement de celle-ci").
fn basis(creditor: &Organisation, claim: &crate::domain::claim::ClaimInput) -> String {
    let n = claim.invoices.len();
    format!(
        "La créance résulte de {} demeurée{} impayée{} malgré mise en demeure, émise{} par {} en \
         exécution des commandes passées par le débiteur et des prestations ou livraisons \
         effectuées (art. 1103 et 1231-1 du Code civil), dont le détail figure au décompte \
         ci-annexé.",
        if n == 1 {
            "la facture ci-dessous".to_string()
        } else {
            format!("{n} factures")
        },
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" },
        creditor.name
    )
}

/// A layout failure: a broken exhibit is named (the lawyer can withdraw or replace it);
/// anything else is internal.
fn dossier_error(e: DossierError) -> AppError {
    match e {
        DossierError::Exhibit { number, reason } => {
            tracing::error!(exhibit = number, %reason, "dossier exhibit unusable");
            AppError::validation(
                format!("exhibits[{number}]"),
                format!(
                    "exhibit n° {number} cannot be included in the dossier (unreadable, \
                     encrypted or damaged): withdraw it or replace it"
                ),
            )
        }
        // E.g. a case without a single exhibit: the lawyer can act on it.
        DossierError::Invalid(why) => {
            AppError::validation("dossier", format!("the dossier cannot be assembled: {why}"))
        }
        DossierError::TooLarge(why) => AppError::new(
            ErrorCode::PayloadTooLarge,
            format!("the dossier's archive would be too large: {why}"),
        ),
        // A statement that does not add up, a template or PDF failure: our bug, not the
        // user's; the detail goes to the log.
        other => AppError::internal(other),
    }
}
