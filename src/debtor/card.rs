//! Paying by card from the debtor's page (issue 17), through the payment provider of
//! `crate::card`:
//!
//! 1. [`start`] checks the amount (at least [`MIN_CENTS`], at most what is due today) and
//!    the case (a payment may be recorded in its state), and writes the card payment
//!    `started`, with its case event, before the provider is asked;
//! 2. the provider opens its checkout ([`opened`]) — or cannot ([`failed`]) — and the debtor
//!    types the card on the provider's page;
//! 3. [`confirm`] takes the provider's verified event: the payment is recorded through the
//!    same use case as an agent's (`recovery::payments::record_payment`: imputation, receipt,
//!    creditor notice, playbook stop, closure when paid in full), the card payment is `paid`.
//!    An event id is handled once ever, a checkout paid once ever; a confirmed amount that can
//!    no longer be recorded (the balance fell meanwhile, the case closed) is `refused` and
//!    leaves a task: the agent refunds it or records it by hand.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::{by_id, desk};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::parties::Role;
use crate::domain::payment::PaymentMethod;
use crate::domain::workflow::{self, Action, CaseState};
use crate::domain::{fmt, money};
use crate::error::{AppError, AppResult};
use crate::recovery::payments::{record_payment, PaymentInput};
use crate::store::card_payments::{self as store, NewCardPayment, NewProviderEvent};
use crate::store::debtor_links::DebtorLink;
use crate::store::{events, tasks};

/// The smallest card payment (Stripe's minimum charge in euros is 0.50 €).
pub const MIN_CENTS: i64 = 50;
/// Serialises the handling of the provider's events (a retry racing its first delivery).
const CARD_LOCK: i32 = 0x4341_5244; // "CARD"

/// A card payment written, for the provider to open its checkout.
#[derive(Debug, Clone)]
pub struct Started {
    pub id: i64,
    pub amount_cents: i64,
    pub reference: String,
    pub creditor: String,
}

/// Writes a card payment of `amount` (as typed) for the link's case, `started`.
pub fn start(
    conn: &mut DbConn,
    clock: &Clock,
    link: &DebtorLink,
    provider: &str,
    amount: &str,
) -> AppResult<Started> {
    let now = clock.now();
    let cents =
        money::parse_positive_cents(amount).map_err(|e| AppError::validation("amount", e.0))?;
    if cents < MIN_CENTS {
        return Err(AppError::validation(
            "amount",
            "a card payment is of 0.50 € at least",
        ));
    }
    db::transaction(conn, |conn| {
        let (_, case) = by_id(conn, now, link.id)?;
        let state = CaseState::parse(&case.state).map_err(AppError::internal)?;
        if case.closed_at.is_some()
            || workflow::decide(Role::Agent, state, Action::RecordPayment).is_err()
        {
            return Err(AppError::invalid_transition(
                "no payment can be received on this case now",
            ));
        }
        let input = crate::claims::claim_input(conn, &case)?;
        let due = crate::claims::compute(conn, &input, clock.today(), "amount")?
            .totals
            .total_due;
        if money::from_cents(cents) > due {
            return Err(AppError::validation(
                "amount",
                format!("at most {:.2} € is due today", due.max(Decimal::ZERO)),
            ));
        }
        let id = store::insert(
            conn,
            &NewCardPayment {
                case_id: case.id,
                link_id: link.id,
                provider,
                amount_cents: cents,
                status: "started",
                created_at: now,
                updated_at: now,
            },
        )?;
        events::append(
            conn,
            case.id,
            now,
            None,
            "debtor_card_started",
            &serde_json::json!({
                "link_id": link.id,
                "card_payment_id": id,
                "amount": money::format_cents(cents),
                "provider": provider,
            }),
        )?;
        let creditor = crate::store::orgs::find(conn, case.creditor_org_id)?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok(Started {
            id,
            amount_cents: cents,
            reference: case.reference,
            creditor,
        })
    })
}

/// The provider opened the checkout of a started payment.
pub fn opened(conn: &mut DbConn, clock: &Clock, id: i64, session_id: &str) -> AppResult<()> {
    store::opened(conn, id, session_id, clock.now())?;
    Ok(())
}

/// The provider could not open the checkout: the payment is `failed`, with why (for the
/// agents; the debtor is told to retry or pay by transfer).
pub fn failed(conn: &mut DbConn, clock: &Clock, id: i64, why: &str) -> AppResult<()> {
    let now = clock.now();
    db::transaction(conn, |conn| {
        let Some(row) = store::find(conn, id)? else {
            return Ok(());
        };
        store::settle(conn, id, "failed", None, None, Some(why), now)?;
        events::append(
            conn,
            row.case_id,
            now,
            None,
            "debtor_card_failed",
            &serde_json::json!({ "card_payment_id": id, "reason": why }),
        )?;
        Ok(())
    })
}

/// What became of a provider's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The payment is recorded.
    Recorded,
    /// This event id was handled before: nothing done again.
    Duplicate,
    /// Another event already confirmed this checkout, or announced this payout: nothing done
    /// again.
    AlreadyPaid,
    /// A payout is stored, its card payments tied to it (`recovery::payouts`).
    Reconciled,
    /// Paid, but not recordable: the card payment is `refused`, a task asks an agent.
    Refused,
    /// Not a checkout we opened, or an event that confirms nothing: kept, nothing done.
    Ignored,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Recorded => "recorded",
            Outcome::Duplicate => "duplicate",
            Outcome::AlreadyPaid => "already_paid",
            Outcome::Reconciled => "reconciled",
            Outcome::Refused => "refused",
            Outcome::Ignored => "ignored",
        }
    }
}

/// Handles a verified event of `provider` (see the module's comment), in one transaction.
pub fn confirm(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    provider: &str,
    event: &crate::card::Event,
) -> AppResult<Outcome> {
    let now = clock.now();
    // The desk account is created outside the transaction (see `desk`).
    let actor = desk(conn, now)?;
    db::transaction(conn, |conn| {
        db::lock_in_transaction(conn, CARD_LOCK, 0)?;
        if store::event_seen(conn, provider, &event.id)? {
            return Ok(Outcome::Duplicate);
        }
        let row = match &event.paid {
            Some(p) => store::by_session(conn, &p.session_id)?,
            None => None,
        };
        let outcome = match (&event.paid, &row) {
            (Some(paid), Some(row)) if row.provider == provider => match row.status.as_str() {
                "paid" | "refused" => Outcome::AlreadyPaid,
                _ => settle_paid(conn, clock, blobs, &actor, now, row, paid)?,
            },
            _ => Outcome::Ignored,
        };
        store::record_event(
            conn,
            &NewProviderEvent {
                provider,
                event_id: &event.id,
                kind: &event.kind,
                received_at: now,
                card_payment_id: row.as_ref().map(|r| r.id),
                outcome: outcome.as_str(),
            },
        )?;
        Ok(outcome)
    })
}

fn settle_paid(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &crate::auth::Actor,
    now: NaiveDateTime,
    row: &store::CardPayment,
    paid: &crate::card::Paid,
) -> AppResult<Outcome> {
    let reference = paid
        .provider_payment
        .clone()
        .unwrap_or_else(|| paid.session_id.clone());
    let mismatch = if !paid.currency.eq_ignore_ascii_case("eur") {
        Some(format!("paid in {}, not in euros", paid.currency))
    } else if paid.amount_cents != row.amount_cents {
        Some(format!(
            "the provider confirms {} €, the checkout was opened for {} €",
            money::format_cents(paid.amount_cents),
            money::format_cents(row.amount_cents)
        ))
    } else {
        None
    };
    let recorded: Result<i64, String> = match mismatch {
        Some(why) => Err(why),
        // A savepoint: a refused payment leaves nothing of itself.
        None => match db::transaction(conn, |conn| {
            record_payment(
                conn,
                clock,
                blobs,
                actor,
                &PaymentInput {
                    case_id: row.case_id,
                    received_on: clock.today(),
                    amount: money::format_cents(row.amount_cents),
                    method: PaymentMethod::Card,
                    reference: Some(reference.clone()),
                    invoice_id: None,
                    expected_version: None,
                },
            )
        }) {
            Ok((payment, _)) => Ok(payment.id),
            Err(e) if crate::recovery::bank::is_refusal(&e) => Err(e.message),
            Err(e) => return Err(e),
        },
    };
    match recorded {
        Ok(payment_id) => {
            store::settle(
                conn,
                row.id,
                "paid",
                Some(&reference),
                Some(payment_id),
                None,
                now,
            )?;
            events::append(
                conn,
                row.case_id,
                now,
                None,
                "debtor_card_paid",
                &serde_json::json!({
                    "card_payment_id": row.id,
                    "payment_id": payment_id,
                    "amount": money::format_cents(row.amount_cents),
                    "provider_payment": reference,
                }),
            )?;
            Ok(Outcome::Recorded)
        }
        Err(why) => {
            store::settle(
                conn,
                row.id,
                "refused",
                Some(&reference),
                None,
                Some(&why),
                now,
            )?;
            let title = format!(
                "Paiement par carte de {} confirmé par le prestataire mais non enregistré : le rembourser ou l'enregistrer à la main ({reference})",
                fmt::euros(money::from_cents(paid.amount_cents))
            );
            tasks::open_review(conn, row.case_id, &title, now)?;
            events::append(
                conn,
                row.case_id,
                now,
                None,
                "debtor_card_refused",
                &serde_json::json!({
                    "card_payment_id": row.id,
                    "amount": money::format_cents(paid.amount_cents),
                    "provider_payment": reference,
                    "reason": why,
                }),
            )?;
            Ok(Outcome::Refused)
        }
    }
}
