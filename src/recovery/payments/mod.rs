//! Recording a payment from the debtor. The claim engine imputes it (C. civ. 1342-10: the
//! invoice the debtor names, else the oldest due; C. civ. 1343-1: indemnity, then interest,
//! then principal); a payment above what is due is refused; paid in full, the case closes.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::Actor;
use crate::cases::actions::{act_creating, no_change};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::money;
use crate::domain::payment::PaymentMethod;
use crate::domain::workflow::{self, Action};
use crate::error::{AppError, AppResult};
use crate::store::cases::Case;
use crate::store::payments::{self as store, NewPayment, Payment};
use crate::validate;

pub(crate) mod receipt;

#[derive(Debug, Clone)]
pub struct PaymentInput {
    pub case_id: i64,
    pub received_on: NaiveDate,
    /// As typed ("250.00"): parsed here so that a bad amount names its field.
    pub amount: String,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    /// The invoice the debtor said it pays, if any.
    pub invoice_id: Option<i64>,
    pub expected_version: Option<i32>,
}

/// Records a payment on a case the agency works (agent, admin) and returns it with the case.
pub fn record_payment(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    input: &PaymentInput,
) -> AppResult<(Payment, Case)> {
    let amount = money::parse_positive_cents(&input.amount)
        .map_err(|e| AppError::validation("amount", e.0))?;
    crate::domain::calendar::supported_date(input.received_on)
        .map_err(|e| AppError::validation("receivedOn", e.0))?;
    if input.received_on > clock.today() {
        return Err(AppError::validation(
            "receivedOn",
            "the date is in the future",
        ));
    }
    let reference = validate::optional("reference", input.reference.as_deref(), 100)?;
    act_creating(
        conn,
        clock,
        actor,
        input.case_id,
        input.expected_version,
        Action::RecordPayment,
        |case, state, conn| {
            // Checked before anything is written: the invoice named must be one of this case.
            let mut claim = crate::claims::claim_input(conn, case)?;
            if let Some(inv) = input.invoice_id {
                if !claim.invoices.iter().any(|i| i.id == inv) {
                    return Err(AppError::validation(
                        "invoiceId",
                        "not an invoice of this case",
                    ));
                }
            }
            if claim
                .invoices
                .iter()
                .all(|i| input.received_on < i.issue_date)
            {
                return Err(AppError::validation(
                    "receivedOn",
                    "the date is before every invoice of the case",
                ));
            }
            let payment = store::insert(
                conn,
                &NewPayment {
                    case_id: case.id,
                    received_on: input.received_on,
                    amount_cents: amount,
                    method: input.method.as_str(),
                    reference: reference.as_deref(),
                    invoice_id: input.invoice_id,
                    recorded_by: actor.user_id,
                    recorded_at: clock.now(),
                },
            )?;
            claim.payments.push(crate::domain::claim::PaymentInput {
                id: payment.id,
                date: payment.received_on,
                amount: money::from_cents(payment.amount_cents),
                invoice_id: payment.invoice_id,
            });
            // Checked as of the latest payment, so a back-dated payment cannot push a later
            // one over the balance either.
            let last = claim
                .payments
                .iter()
                .map(|p| p.date)
                .max()
                .unwrap_or(input.received_on);
            let st = crate::claims::compute(conn, &claim, last, "receivedOn")?;
            if st.totals.unallocated > Decimal::ZERO {
                let room = money::from_cents(amount) - st.totals.unallocated;
                return Err(AppError::validation(
                    "amount",
                    format!(
                        "the payment exceeds what is due by {:.2} €: at most {:.2} € can be recorded",
                        st.totals.unallocated,
                        room.max(Decimal::ZERO)
                    ),
                ));
            }
            let imputation: Vec<serde_json::Value> = st
                .payments
                .iter()
                .filter(|p| p.payment_id == payment.id)
                .flat_map(|p| p.allocations.iter())
                .map(|a| {
                    serde_json::json!({
                        "invoice_id": a.invoice_id,
                        "indemnity": format!("{:.2}", a.to_indemnity),
                        "interest": format!("{:.2}", a.to_interest),
                        "principal": format!("{:.2}", a.to_principal),
                    })
                })
                .collect();
            // Interest stopped at the rate table's end is not all that is owed: the case
            // stays open until the missing half-year is entered and computed.
            let paid_in_full =
                st.totals.total_due == Decimal::ZERO && st.interest_stopped.is_none();
            let transition = workflow::after_payment(state, paid_in_full);
            let mut change = no_change();
            if let Some(outcome) = transition.outcome {
                change.state = Some(transition.to.as_str().to_string());
                change.outcome = Some(Some(outcome.as_str().to_string()));
                change.closed_at = Some(Some(clock.now()));
                settle_arrangements(conn, case.id, clock.now())?;
            }
            let receipt = receipt::issue(conn, blobs, clock.now(), case, &payment, &st)?;
            // R124-5: the creditor hears of every payment, except an instalment of a plan it
            // already agreed to.
            if state != crate::domain::workflow::CaseState::PaymentPlan || paid_in_full {
                super::notify::creditor(
                    conn,
                    clock.now(),
                    case,
                    crate::documents::notices::CreditorNoticeKind::Payment,
                    vec![
                        // Read by people: the French way, « 1 000,00 € ».
                        (
                            "Montant reçu".into(),
                            crate::domain::fmt::euros(money::from_cents(amount)),
                        ),
                        (
                            "Reçu le".into(),
                            input.received_on.format("%d/%m/%Y").to_string(),
                        ),
                        (
                            "Solde restant dû".into(),
                            crate::domain::fmt::euros(st.totals.total_due),
                        ),
                    ],
                    None,
                )?;
            }
            // C. com. L622-7: paid after an opening judgment, the payment is flagged.
            let after_opening =
                crate::cases::incidents::flag_payment(conn, clock, case.id, input.received_on)?;
            let payload = serde_json::json!({
                "after_opening_judgment": after_opening,
                "payment_id": payment.id,
                "amount": money::format_cents(amount),
                "received_on": input.received_on.to_string(),
                "method": input.method.as_str(),
                "reference": reference,
                "invoice_id": input.invoice_id,
                "imputation": imputation,
                "balance_after": format!("{:.2}", st.totals.total_due),
                "closes_case": paid_in_full,
                "receipt_document_id": receipt,
            });
            Ok((payment, change, "payment_recorded", payload))
        },
    )
}

/// A case paid in full: its promises are kept, its plan complete, its tasks moot.
fn settle_arrangements(
    conn: &mut DbConn,
    case_id: i64,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    use crate::store::arrangements as arr;
    for p in arr::promises_of(conn, case_id)? {
        if p.status == "open" {
            arr::resolve_promise(conn, p.id, "kept", now)?;
        }
    }
    if let Some(mut plan) = arr::live_plan(conn, case_id)? {
        plan.status = "completed".into();
        plan.ended_at = Some(now);
        arr::save_plan(conn, &plan)?;
    }
    crate::store::tasks::cancel_open_of_case(conn, case_id, now)?;
    Ok(())
}

/// The payments of a case the actor may see.
pub fn list(conn: &mut DbConn, actor: &Actor, case_id: i64) -> AppResult<Vec<Payment>> {
    let case = crate::cases::load_visible(conn, actor, case_id)?;
    Ok(store::of_case(conn, case.id)?)
}
