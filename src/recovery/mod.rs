//! Amicable recovery use cases: the agency's settings, playbooks, calls, promises, disputes,
//! payment plans, payments and their receipts, the formal notice, the work queue and the
//! outbox. Each function that changes something is one transaction.

pub mod arrangements;
pub mod bank;
pub mod creditor_money;
pub mod letters;
pub mod notice;
pub mod notify;
pub mod payments;
pub mod payouts;
pub mod playbooks;
pub mod queue;
pub mod remittances;
pub mod settings;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbConn;
use crate::domain::workflow::{CaseState, Outcome};
use crate::error::AppResult;
use crate::store::cases::{self as case_store, Case, CaseChange};

/// Cents received on a case on or after `since`.
pub fn paid_since(conn: &mut DbConn, case_id: i64, since: NaiveDate) -> AppResult<i64> {
    let payments = crate::store::payments::of_case(conn, case_id)?;
    crate::domain::money::sum_cents(
        payments
            .iter()
            .filter(|p| p.received_on >= since)
            .map(|p| p.amount_cents),
    )
    .map_err(crate::error::AppError::internal)
}

/// Cents received on a case since intake.
pub fn paid_total(conn: &mut DbConn, case_id: i64) -> AppResult<i64> {
    let payments = crate::store::payments::of_case(conn, case_id)?;
    crate::domain::money::sum_cents(payments.iter().map(|p| p.amount_cents))
        .map_err(crate::error::AppError::internal)
}

/// Cents received on a case since its payment plan started (what its instalments are met
/// by, in order: `domain::arrangement::plan_progress`).
pub fn paid_since_plan(
    conn: &mut DbConn,
    plan: &crate::store::arrangements::Plan,
) -> AppResult<i64> {
    paid_total(conn, plan.case_id)?
        .checked_sub(plan.paid_before_cents)
        .ok_or_else(|| crate::error::AppError::internal("payments out of range"))
}

/// Moves a case to a state decided by the system (a plan ends, a dispute is resolved), if
/// nobody changed it since it was read. Returns false when someone did.
pub fn set_state(
    conn: &mut DbConn,
    case: &Case,
    to: CaseState,
    outcome: Option<Outcome>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let change = CaseChange {
        state: Some(to.as_str().to_string()),
        outcome: outcome.map(|o| Some(o.as_str().to_string())),
        closed_at: outcome.map(|_| Some(now)),
        ..crate::cases::actions::no_change()
    };
    Ok(case_store::update_if_version(
        conn,
        case.id,
        case.version,
        &change,
    )?)
}

/// What the agency did with the debtor on a case.
#[derive(Debug, Clone)]
pub struct Dealings {
    pub calls: Vec<crate::store::arrangements::Call>,
    pub promises: Vec<crate::store::arrangements::Promise>,
    pub disputes: Vec<crate::store::arrangements::Dispute>,
    pub plans: Vec<(
        crate::store::arrangements::Plan,
        Vec<crate::store::arrangements::PlanInstalment>,
    )>,
    pub recovery: Option<crate::store::recovery::CaseRecovery>,
}

/// The calls, promises, disputes, plans and recovery state of a case the actor may see.
pub fn dealings(
    conn: &mut DbConn,
    actor: &crate::auth::Actor,
    case_id: i64,
) -> AppResult<Dealings> {
    use crate::store::arrangements as arr;
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    let plans = arr::plans_of(conn, case.id)?;
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let instalments = arr::instalments_of(conn, &ids)?;
    Ok(Dealings {
        calls: arr::calls_of(conn, case.id)?,
        promises: arr::promises_of(conn, case.id)?,
        disputes: arr::disputes_of(conn, case.id)?,
        plans: plans
            .into_iter()
            .map(|p| {
                let own = instalments
                    .iter()
                    .filter(|i| i.plan_id == p.id)
                    .cloned()
                    .collect();
                (p, own)
            })
            .collect(),
        recovery: crate::store::recovery::case_recovery(conn, case.id)?,
    })
}

/// The generated documents of a case the actor may see.
pub fn case_documents(
    conn: &mut DbConn,
    actor: &crate::auth::Actor,
    case_id: i64,
) -> AppResult<Vec<crate::store::documents::Document>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    Ok(crate::store::documents::of_case(conn, case.id)?)
}

/// A document's bytes, for a user who may see its case (or its creditor's documents). The
/// download is recorded in the case's trail (when it has a case) and the security log.
pub fn document_bytes(
    conn: &mut DbConn,
    clock: &crate::clock::Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &crate::auth::Actor,
    id: i64,
    zip: bool,
) -> AppResult<(crate::store::documents::Document, Vec<u8>)> {
    let doc = crate::store::documents::find(conn, id)?
        .ok_or_else(|| crate::error::AppError::not_found("document"))?;
    let visible = match (doc.case_id, doc.creditor_org_id) {
        // Only "not found" means unseen: a database error or an outage is answered as what
        // it is (INTERNAL, UNAVAILABLE), never as a refusal the security log would record.
        (Some(case_id), _) => match crate::cases::load_visible(conn, actor, case_id) {
            Ok(_) => true,
            Err(e) if e.code == crate::error::ErrorCode::NotFound => false,
            Err(e) => return Err(e),
        },
        (None, Some(org)) => actor.role.is_agency_staff() || actor.org_id == Some(org),
        (None, None) => actor.role.is_agency_staff(),
    };
    if !visible {
        return Err(crate::error::AppError::not_visible("document"));
    }
    // The injunction dossier is the lawyer's and the agency's: its creditor sees that it
    // exists, not its content.
    if doc.kind.starts_with("dossier_") && actor.role == crate::domain::parties::Role::Creditor {
        return Err(crate::error::AppError::forbidden());
    }
    // The URL's extension names the format (`.pdf`, the dossier's `.zip`): a wrong one is no
    // download, checked before anything is recorded in the trail or the security log.
    if zip != (doc.kind == crate::legal::views::DOSSIER_ZIP) {
        return Err(crate::error::AppError::not_found("document"));
    }
    let bytes = blobs
        .get(&doc.sha256)
        .map_err(crate::evidence::blob_error)?;
    crate::db::transaction(conn, |conn| {
        let now = clock.now();
        if let Some(case_id) = doc.case_id {
            crate::store::events::append(
                conn,
                case_id,
                now,
                Some(actor.user_id),
                "document_downloaded",
                &serde_json::json!({ "document_id": doc.id, "sha256": doc.sha256 }),
            )?;
        }
        crate::store::security::append(
            conn,
            now,
            crate::store::security::SecurityKind::DocumentDownloaded,
            crate::store::security::NewEntry {
                user_id: Some(actor.user_id),
                case_id: doc.case_id,
                detail: format!("document {} ({})", doc.id, doc.reference),
                ..Default::default()
            },
        )?;
        Ok(())
    })?;
    Ok((doc, bytes))
}
