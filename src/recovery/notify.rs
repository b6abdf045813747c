//! Telling the creditor (CPCE R124-5): every payment, even partial (unless it is an instalment
//! of a plan the creditor already agreed), and every proposal of the debtor other than
//! immediate payment in full; and each remittance of its funds (R124-6). One e-mail per active
//! user of the creditor, through the outbox.

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::documents::notices::{self, About, CreditorNotice, CreditorNoticeKind};
use crate::error::{AppError, AppResult};
use crate::store::cases::{self as case_store, Case};
use crate::store::outbox::{self, NewMessage};
use crate::store::{orgs, users};

/// Queues the notice to every active user of the case's creditor; returns how many.
pub fn creditor(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case: &Case,
    kind: CreditorNoticeKind,
    details: Vec<(String, String)>,
    document_id: Option<i64>,
) -> AppResult<usize> {
    let debtor = case_store::find_debtors(conn, &[case.debtor_id])?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("case without debtor"))?;
    let about = About::Case {
        reference: case.reference.clone(),
        debtor: debtor.name,
    };
    let msg = Outgoing {
        case_id: Some(case.id),
        kind,
        about,
        details,
        document_id,
    };
    send(conn, now, case.creditor_org_id, msg)
}

/// A notice to a creditor.
pub(crate) struct Outgoing {
    pub case_id: Option<i64>,
    pub kind: CreditorNoticeKind,
    pub about: About,
    pub details: Vec<(String, String)>,
    pub document_id: Option<i64>,
}

/// Queues the notice to every active user of the creditor organisation; returns how many.
pub(crate) fn send(
    conn: &mut DbConn,
    now: NaiveDateTime,
    creditor_org_id: i64,
    msg: Outgoing,
) -> AppResult<usize> {
    let org = orgs::find(conn, creditor_org_id)?
        .ok_or_else(|| AppError::internal("notice to an unknown creditor"))?;
    let settings = crate::store::recovery::settings(conn)?;
    let link = (!settings.portal_url.is_empty()).then(|| match msg.case_id {
        Some(id) => format!("{}/portal/cases/{id}", settings.portal_url),
        None => format!("{}/portal/payments", settings.portal_url),
    });
    let agency = settings
        .agency_org_id
        .map(|id| orgs::find(conn, id))
        .transpose()?
        .flatten()
        .map(|o| o.name)
        .unwrap_or_else(|| "L'agence de recouvrement".into());
    let notice = CreditorNotice {
        kind: msg.kind,
        agency,
        creditor: org.name.clone(),
        about: msg.about,
        details: msg.details,
        link,
    };
    let mail = notices::creditor_email(&notice).map_err(AppError::internal)?;
    let recipients = users::active_of_org(conn, org.id)?;
    for user in &recipients {
        outbox::insert(
            conn,
            &NewMessage {
                case_id: msg.case_id,
                channel: "email",
                kind: msg.kind.as_str(),
                recipient: &user.email,
                subject: &mail.subject,
                body: &mail.body,
                document_id: msg.document_id,
                status: "pending",
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            },
        )?;
    }
    Ok(recipients.len())
}
