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

/// Queues an e-mail (with the stored document it carries, if any): the outbox message.
pub(crate) fn queue_email(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case_id: Option<i64>,
    kind: &str,
    to: &str,
    mail: &crate::documents::letters::Email,
    document_id: Option<i64>,
) -> AppResult<outbox::OutboxMessage> {
    Ok(outbox::insert(
        conn,
        &NewMessage {
            case_id,
            channel: "email",
            kind,
            recipient: to,
            subject: &mail.subject,
            body: &mail.body,
            document_id,
            status: "pending",
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )?)
}

/// How the debtor of the case pays, for an e-mail to them: the agency's dedicated account and
/// a new link to their page (inside the caller's transaction; no link while the agency has
/// not set its portal's address).
pub(crate) fn payee(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case_id: i64,
    p: &super::letters::Parties,
) -> AppResult<notices::Payee> {
    Ok(notices::Payee {
        agency: p.agency.name.clone(),
        agency_phone: p.agency.phone.clone(),
        iban: crate::domain::ids::iban_grouped(&p.agency.iban),
        bic: p.agency.bic.clone(),
        debtor_link: crate::debtor::printed_link(
            conn,
            now,
            &p.settings.portal_url,
            case_id,
            None,
            None,
        )?,
    })
}

/// The debtor is told the answer to a payment plan by e-mail (issue 17): accepted — by the
/// creditor, or at once within the mandate's limits — with its instalments and how to pay, or
/// refused, with an invitation to propose another. Nothing is sent to a debtor without an
/// e-mail address, nor while the agency's settings cannot name the agency (the page shows
/// the answer either way).
pub(crate) fn debtor_plan_answer(
    conn: &mut DbConn,
    now: NaiveDateTime,
    case: &Case,
    plan_id: i64,
    answer: notices::PlanAnswer,
) -> AppResult<()> {
    let p = match super::letters::parties(conn, case) {
        Ok(p) => p,
        // Settings that cannot name the agency yet: the page shows the answer; the agents
        // already see what the settings lack.
        Err(e) if e.code == crate::error::ErrorCode::Validation => return Ok(()),
        Err(e) => return Err(e),
    };
    let Some(email) = p.debtor_row.email.clone() else {
        return Ok(());
    };
    let instalments = crate::store::arrangements::instalments_of(conn, &[plan_id])?
        .into_iter()
        .map(|i| {
            (
                crate::documents::letters::format_date(i.due_on),
                crate::domain::fmt::euros(crate::domain::money::from_cents(i.amount_cents)),
            )
        })
        .collect();
    let mail = notices::plan_answer_email(&notices::PlanAnswerNote {
        answer,
        case_reference: case.reference.clone(),
        creditor: p.creditor.name.clone(),
        instalments,
        payee: payee(conn, now, case.id, &p)?,
        reminder_days: p.settings.reminder_days_before,
    })
    .map_err(crate::documents::letters::LetterError::into_app)?;
    queue_email(conn, now, Some(case.id), "plan_answer", &email, &mail, None)?;
    Ok(())
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
        queue_email(
            conn,
            now,
            msg.case_id,
            msg.kind.as_str(),
            &user.email,
            &mail,
            msg.document_id,
        )?;
    }
    Ok(recipients.len())
}
