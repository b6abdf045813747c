//! The payment provider's payouts on the dedicated account (issue 17; CPCE R124-2). A card
//! payment is recorded when the provider confirms it (`debtor::card`), but its money reaches
//! the account days later, in a payout that groups several payments less the provider's
//! fees. Reconciling such a credit of the statement records nothing again: it ties the entry
//! to the payout the provider announced, and so the card payments it carried.
//!
//! - [`announced`]: the provider's verified event (`payout.paid`,
//!   `payout.reconciliation_completed`) and the payout's detail fetched from it are stored once
//!   (the payout's id), its card payments tied to it; a credit of the statement that already
//!   waits for it in the queue is reconciled at once.
//! - [`decide`]: during an import, a credit naming a payout (`po_…`) is reconciled with it
//!   when the amounts agree; a credit from the provider without its id with the one waiting
//!   payout of its amount; otherwise it waits, unmatched, with the reason.
//!
//! Until its payout is reconciled, a card payment's money is "in transit" at the provider:
//! `bank::balance` sets it apart, and shows the fees the provider kept (the creditors are
//! owed the whole payment: R124-6 — the agency bears the fees).

use std::collections::HashMap;

use super::bank::{Decision, IMPORT_LOCK};
use crate::card::{Event, Payout};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::debtor::card::Outcome;
use crate::domain::bank::Entry;
use crate::domain::money;
use crate::error::{AppError, AppResult};
use crate::store::bank::{self as bank_store, BankEntry};
use crate::store::card_payments::{self as store, CardPayout, NewCardPayout, NewProviderEvent};
use crate::store::events;

/// The case event of a card payment whose payout reached the dedicated account.
pub const RECONCILED: &str = "card_payout_reconciled";

/// The payout ids (`po_` and at least 6 letters, digits or underscores) a text names, in
/// order.
pub fn refs_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("po_") {
        let start = i + at;
        let end = start
            + 3
            + bytes[start + 3..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
        let boundary =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if boundary && end - start >= 9 {
            let r = text[start..end].to_string();
            if !out.contains(&r) {
                out.push(r);
            }
        }
        i = end;
    }
    out
}

/// Whether an entry comes from a payment provider: the payer or the remittance says it.
pub fn from_provider(e: &BankEntry) -> bool {
    [e.payer_name.as_deref(), e.remittance.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| t.to_ascii_uppercase().contains("STRIPE"))
}

/// Whether an entry is a payout of the provider (it names one, or comes from the provider):
/// never a debtor's payment to record on a case.
pub fn is_payout(e: &BankEntry) -> bool {
    from_provider(e) || !refs_in(e.remittance.as_deref().unwrap_or("")).is_empty()
}

/// The payouts an import may reconcile: those its credits name, and every waiting one.
#[derive(Default)]
pub struct Known {
    by_ref: HashMap<String, CardPayout>,
}

impl Known {
    pub fn load(conn: &mut DbConn, credits: &[&Entry]) -> AppResult<Known> {
        let mut refs: Vec<String> = credits
            .iter()
            .flat_map(|e| refs_in(e.remittance.as_deref().unwrap_or("")))
            .collect();
        refs.sort_unstable();
        refs.dedup();
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let mut by_ref = HashMap::new();
        for p in store::payouts_by_refs(conn, &refs)?
            .into_iter()
            .chain(store::payouts_waiting(conn)?)
        {
            by_ref.insert(p.payout_ref.clone(), p);
        }
        Ok(Known { by_ref })
    }
}

fn why_matched(p: &CardPayout) -> String {
    format!(
        "the payout {} of the payment provider: {} € of card payments, less {} € of fees",
        p.payout_ref,
        money::format_cents(p.gross_cents),
        money::format_cents(p.fee_cents)
    )
}

fn matched(p: &CardPayout) -> Decision {
    Decision {
        status: "matched",
        reason: Some(why_matched(p)),
        case_id: None,
        payment_id: None,
    }
}

fn unmatched(reason: String) -> Decision {
    Decision {
        status: "unmatched",
        reason: Some(reason),
        case_id: None,
        payment_id: None,
    }
}

/// Ties a waiting payout to the entry and writes the event on the case of each card payment
/// it carried: whether it was still waiting (an entry reconciled it meanwhile otherwise).
fn reconcile(
    conn: &mut DbConn,
    clock: &Clock,
    actor: Option<i64>,
    p: &CardPayout,
    entry: &BankEntry,
    how: &str,
) -> AppResult<bool> {
    if !store::reconcile_payout(conn, p.id, entry.id)? {
        return Ok(false);
    }
    for case_id in store::cases_of_payout(conn, p.id)? {
        events::append(
            conn,
            case_id,
            clock.now(),
            actor,
            RECONCILED,
            &serde_json::json!({
                "payout": p.payout_ref,
                "bank_entry_id": entry.id,
                "booked_on": entry.booked_on.to_string(),
                "amount": money::format_cents(entry.amount_cents),
                "how": how,
            }),
        )?;
    }
    Ok(true)
}

/// What the import does with a credit that names a payout or comes from the provider
/// (`None`: neither, the case-reference matching goes on).
pub(crate) fn decide(
    conn: &mut DbConn,
    clock: &Clock,
    actor: i64,
    known: &Known,
    entry: &BankEntry,
) -> AppResult<Option<Decision>> {
    let e = entry;
    let refs = refs_in(e.remittance.as_deref().unwrap_or(""));
    let amount = money::format_cents(e.amount_cents);
    if let Some(r) = refs.first() {
        if refs.len() > 1 {
            return Ok(Some(unmatched(format!(
                "the remittance names several payouts: {}",
                refs.join(", ")
            ))));
        }
        let Some(p) = known.by_ref.get(r) else {
            return Ok(Some(unmatched(format!(
                "the payment provider has not announced the payout {r} yet: it is reconciled when it does"
            ))));
        };
        if p.amount_cents != e.amount_cents {
            return Ok(Some(unmatched(format!(
                "the entry brings {amount} €, the payout {r} {} €",
                money::format_cents(p.amount_cents)
            ))));
        }
        return Ok(Some(
            if reconcile(conn, clock, Some(actor), p, entry, "reference")? {
                matched(p)
            } else {
                unmatched(format!(
                    "the payout {r} is already reconciled with another entry"
                ))
            },
        ));
    }
    if !from_provider(e) {
        return Ok(None);
    }
    let same: Vec<&CardPayout> = known
        .by_ref
        .values()
        .filter(|p| p.bank_entry_id.is_none() && p.amount_cents == e.amount_cents)
        .collect();
    Ok(Some(match same.as_slice() {
        // An earlier credit of the same file may have taken it meanwhile.
        [p] => match reconcile(conn, clock, Some(actor), p, entry, "amount")? {
            true => matched(p),
            false => unmatched(format!(
                "a payout of the payment provider: none of {amount} € is announced yet"
            )),
        },
        [] => unmatched(format!(
            "a payout of the payment provider: none of {amount} € is announced yet"
        )),
        _ => unmatched(format!(
            "a payout of the payment provider: several of {amount} € wait, name it (po_…)"
        )),
    }))
}

/// Stores a payout the provider announced (see the module's comment), in one transaction:
/// what became of the event.
pub fn announced(
    conn: &mut DbConn,
    clock: &Clock,
    provider: &str,
    event: &Event,
    payout: &Payout,
) -> AppResult<Outcome> {
    let now = clock.now();
    db::transaction(conn, |conn| {
        // The import's lock: a statement being imported does not reconcile it meanwhile.
        db::lock_in_transaction(conn, IMPORT_LOCK, 0)?;
        if store::event_seen(conn, provider, &event.id)? {
            return Ok(Outcome::Duplicate);
        }
        let outcome = if !payout.currency.eq_ignore_ascii_case("eur") {
            tracing::warn!(payout = %payout.id, currency = %payout.currency, "payout not in euros");
            Outcome::Ignored
        } else if store::payout_by_ref(conn, provider, &payout.id)?.is_some() {
            Outcome::AlreadyPaid
        } else {
            store_payout(conn, clock, provider, payout)?;
            Outcome::Reconciled
        };
        store::record_event(
            conn,
            &NewProviderEvent {
                provider,
                event_id: &event.id,
                kind: &event.kind,
                received_at: now,
                card_payment_id: None,
                outcome: outcome.as_str(),
            },
        )?;
        Ok(outcome)
    })
}

fn store_payout(
    conn: &mut DbConn,
    clock: &Clock,
    provider: &str,
    payout: &Payout,
) -> AppResult<()> {
    let gross = money::sum_cents(payout.charges.iter().map(|c| c.amount_cents))
        .map_err(AppError::internal)?;
    let fees =
        money::sum_cents(payout.charges.iter().map(|c| c.fee_cents)).map_err(AppError::internal)?;
    let payments: Vec<&str> = payout
        .charges
        .iter()
        .filter_map(|c| c.provider_payment.as_deref())
        .collect();
    let ours = store::paid_untied(conn, provider, &payments)?;
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let row = store::insert_payout(
        conn,
        &NewCardPayout {
            provider,
            payout_ref: &payout.id,
            amount_cents: payout.amount_cents,
            gross_cents: gross,
            fee_cents: fees,
            other_cents: payout.other_cents,
            charges: count(payout.charges.len()),
            unknown_charges: count(payout.charges.len().saturating_sub(ours.len())),
            arrival_on: payout.arrival_on,
            bank_entry_id: None,
            created_at: clock.now(),
        },
    )?;
    let ids: Vec<i64> = ours.iter().map(|(id, _)| *id).collect();
    store::tie(conn, &ids, row.id)?;
    // A credit of the statement imported before the announcement: reconciled now, by its
    // naming the payout, else (from the provider) as the one waiting credit of its amount.
    let waiting = bank_store::waiting_of_amount(conn, row.amount_cents)?;
    let naming: Vec<&BankEntry> = waiting
        .iter()
        .filter(|w| refs_in(w.remittance.as_deref().unwrap_or("")) == [row.payout_ref.clone()])
        .collect();
    let (entry, how) = match naming.as_slice() {
        [one] => (Some(*one), "reference"),
        [] => {
            let anonymous: Vec<&BankEntry> = waiting
                .iter()
                .filter(|w| {
                    refs_in(w.remittance.as_deref().unwrap_or("")).is_empty() && from_provider(w)
                })
                .collect();
            match anonymous.as_slice() {
                [one] => (Some(*one), "amount"),
                _ => (None, ""),
            }
        }
        _ => (None, ""),
    };
    if let Some(entry) = entry {
        if reconcile(conn, clock, None, &row, entry, how)? {
            bank_store::decide(
                conn,
                entry.id,
                "unmatched",
                &bank_store::Outcome {
                    status: "matched",
                    reason: Some(&why_matched(&row)),
                    case_id: None,
                    payment_id: None,
                    decided_by: None,
                    decided_at: Some(clock.now()),
                },
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::refs_in;

    #[test]
    fn a_payout_id_is_read_whole_and_only_at_a_word_start() {
        assert_eq!(
            refs_in("VIR STRIPE po_1Qx7Ab2CdEf payout"),
            ["po_1Qx7Ab2CdEf"]
        );
        assert_eq!(
            refs_in("po_test_abc123 and po_test_abc123, po_zz9999zz"),
            ["po_test_abc123", "po_zz9999zz"]
        );
        // Too short, or inside a word (« repo_… »): none.
        assert!(refs_in("po_12 repo_abcdefgh").is_empty());
        assert!(refs_in("").is_empty());
    }
}
