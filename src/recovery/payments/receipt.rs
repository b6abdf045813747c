//! The receipt (quittance) the debtor gets for every payment (CPCE R124-6): a PDF stored with
//! the case's documents, sent by e-mail when the debtor has an address, else on paper.

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::documents::{letters, notices};
use crate::domain::claim::Statement;
use crate::domain::money;
use crate::domain::payment::PaymentMethod;
use crate::error::AppResult;
use crate::store::cases::{self as case_store, Case};
use crate::store::payments::Payment;
use crate::store::tasks;

pub(crate) fn method_label(m: &str) -> &'static str {
    match PaymentMethod::parse(m) {
        Ok(PaymentMethod::Transfer) => "virement",
        Ok(PaymentMethod::Card) => "carte bancaire",
        Ok(PaymentMethod::Cheque) => "chèque",
        Ok(PaymentMethod::Cash) => "espèces",
        Ok(PaymentMethod::DirectDebit) => "prélèvement",
        _ => "autre moyen",
    }
}

/// Issues the receipt; returns its document id. When the agency's settings do not allow a
/// letter yet, the payment is still recorded and an agent gets a task to issue it later.
pub(crate) fn issue(
    conn: &mut DbConn,
    blobs: &dyn crate::blobs::BlobStore,
    now: NaiveDateTime,
    case: &Case,
    payment: &Payment,
    st: &Statement,
) -> AppResult<Option<i64>> {
    let parties = match super::super::letters::parties(conn, case) {
        Ok(p) => p,
        Err(e) => {
            tasks::open_review(
                conn,
                case.id,
                // The use cases' messages are English (the API's): the queue is French.
                &format!(
                    "Quittance du paiement n° {} non émise : {}",
                    payment.id,
                    crate::i18n::french(&e.message)
                ),
                now,
            )?;
            return Ok(None);
        }
    };
    let invoices = case_store::invoices_of(conn, &[case.id])?;
    let number_of = |id: i64| {
        invoices
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.number.clone())
            .unwrap_or_default()
    };
    let allocations = st
        .payments
        .iter()
        .filter(|p| p.payment_id == payment.id)
        .flat_map(|p| p.allocations.iter())
        .map(|a| {
            (
                number_of(a.invoice_id),
                a.to_indemnity,
                a.to_interest,
                a.to_principal,
            )
        })
        .collect();
    let reference = super::super::letters::next_reference(conn, case)?;
    // CPCE R124-4: the first letter's reference and sending date, once it has been sent.
    let first_letter = match crate::store::recovery::case_recovery(conn, case.id)? {
        Some(r) => match super::super::letters::first_letter(conn, case.id, &r)? {
            super::super::letters::FirstLetter::Sent(f) => Some(f),
            _ => None,
        },
        None => None,
    };
    let receipt = letters::Receipt {
        reference: reference.clone(),
        case_reference: case.reference.clone(),
        date: now.date(),
        agency: parties.agency,
        creditor: parties.creditor,
        debtor: parties.debtor.clone(),
        received_on: payment.received_on,
        amount: money::from_cents(payment.amount_cents),
        method: method_label(&payment.method).into(),
        payment_reference: payment.reference.clone(),
        allocations,
        balance_after: st.totals.total_due,
        first_letter,
    };
    let bytes = letters::receipt(&receipt, now).map_err(letters::LetterError::into_app)?;
    let doc = super::super::letters::store(
        conn,
        blobs,
        (Some(case.id), None),
        "receipt",
        &reference,
        &bytes,
        now,
        None,
    )?;
    // Issue 17: the thank-you carries a link of its own to the debtor's page (only its hash
    // is kept), which still opens for the grace days after the case closes.
    let debtor_link = crate::debtor::printed_link(
        conn,
        now,
        &parties.settings.portal_url,
        case.id,
        Some(&reference),
        None,
    )?;
    let mail = notices::receipt_email(&notices::ReceiptNote {
        reference: reference.clone(),
        case_reference: case.reference.clone(),
        amount: letters::format_euros(receipt.amount),
        received_on: letters::format_date(payment.received_on),
        agency: receipt.agency.name.clone(),
        balance_after: (st.totals.total_due > rust_decimal::Decimal::ZERO)
            .then(|| letters::format_euros(st.totals.total_due)),
        debtor_link,
    })
    .map_err(letters::LetterError::into_app)?;
    let (channel, recipient) = match &parties.debtor_row.email {
        Some(e) => ("email", e.clone()),
        None => ("letter", parties.debtor.name.clone()),
    };
    crate::recovery::queue::enqueue(
        conn,
        now,
        case.id,
        &crate::recovery::queue::Outgoing {
            channel,
            kind: "receipt",
            recipient: &recipient,
            subject: &mail.subject,
            body: &mail.body,
            document_id: doc.id,
            what: "la quittance",
            reference: &reference,
        },
    )?;
    Ok(Some(doc.id))
}
