//! Reconciling the agency's dedicated account (issue 17; CPCE R124-2: the funds collected
//! for creditors go through an account of their own). An agent or an admin imports a
//! statement of the account (camt.053 or CSV, `domain::bank`); each booked entry is stored
//! once ever (its bank reference, else a hash of its fields), and each new credit is:
//!
//! - **matched** when its remittance information names one case's reference: it is recorded
//!   as that case's payment by bank transfer through the same use case as an agent's
//!   (`payments::record_payment`: imputation, receipt — R124-6 —, the creditor's notice —
//!   R124-5 —, closure when paid in full);
//! - **proposed** when no reference is found but the amount is the balance due on the booking
//!   day of exactly one open case whose debtor's name is close to the payer's: an agent
//!   confirms it (then it is recorded the same way) or assigns it elsewhere;
//! - otherwise **unmatched**, in the reconciliation queue, with the reason — also when its
//!   payment was refused (above the balance, case closed): the import goes on without it.
//!
//! A credit that is a payout of the payment provider (it names `po_…`, or comes from
//! Stripe) is no debtor's payment: its card payments were recorded when the provider confirmed
//! them, and `payouts` reconciles it with the payout the provider announced — nothing is
//! recorded again, and an agent cannot record it on a case.
//!
//! Debits are stored (the account's whole story) and ignored for matching. The whole import
//! is one transaction; each payment inside it is a savepoint, so a refused one leaves nothing.
//! Held funds (R124-6) follow from the payments so recorded; [`balance`] sets the account's
//! balance of the latest statement against what the agency holds.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::payments::{record_payment, PaymentInput};
use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::bank::{self, csv::Mapping, matching, Direction, Entry, Format, Refused};
use crate::domain::money;
use crate::domain::payment::PaymentMethod;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::bank::{
    self as store, BankEntry, BankStatement, NewEntry, NewStatement, Outcome,
};
use crate::store::events;

/// Serialises imports: two of the same file at once would both find an entry new.
pub(crate) const IMPORT_LOCK: i32 = 0x4241_4e4b; // "BANK"
/// Open cases a payer's name may propose, at most (the rest would not be one proposal).
const CANDIDATES: i64 = 20;

/// The case event of an entry recorded as the case's payment.
pub const RECONCILED: &str = "bank_entry_reconciled";
/// The case event of an entry proposed for the case.
pub const PROPOSED: &str = "bank_entry_proposed";
/// The case event of an entry naming the case whose payment was refused.
pub const REFUSED: &str = "bank_entry_refused";
/// The case event of an entry set aside by an agent.
pub const IGNORED: &str = "bank_entry_ignored";

/// A statement file handed over.
#[derive(Debug, Clone)]
pub struct ImportInput {
    pub content: Vec<u8>,
    pub format: Format,
    /// For CSV: the columns (default: « Date ; Libellé ; Montant »).
    pub mapping: Option<Mapping>,
    /// For CSV: the account (default: the agency's dedicated account of its settings).
    pub iban: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub statements: Vec<BankStatement>,
    /// Booked entries in euros read from the file.
    pub read: usize,
    /// Entries stored by this import.
    pub new: usize,
    /// Entries already stored (or twice in the file): not stored, nothing recorded again.
    pub duplicates: usize,
    /// Credits recorded as a case's payment.
    pub matched: usize,
    /// Credits reconciled with a payout of the payment provider (nothing recorded again).
    pub payouts: usize,
    pub proposed: usize,
    pub unmatched: usize,
    /// Debits: stored, not matched.
    pub ignored: usize,
    /// Entries not booked yet (left for a later statement).
    pub pending: usize,
    /// Entries refused one by one (another currency), with their line.
    pub refused: Vec<Refused>,
    /// The new entries, with what became of each.
    pub entries: Vec<QueueItem>,
}

pub(crate) struct Decision {
    pub status: &'static str,
    pub reason: Option<String>,
    pub case_id: Option<i64>,
    pub payment_id: Option<i64>,
}

fn unmatched(reason: impl Into<String>, case_id: Option<i64>) -> Decision {
    Decision {
        status: "unmatched",
        reason: Some(reason.into()),
        case_id,
        payment_id: None,
    }
}

/// Case pages read at a time by the proposal's single pass over the search keys.
const SCAN_PAGE: i64 = 20_000;

/// What an import reads once for all its entries instead of once per entry.
#[derive(Default)]
struct Lookups {
    /// Dedupe keys of the file already stored.
    stored: HashSet<String>,
    /// The cases of the references the credits name.
    cases: HashMap<String, i64>,
    /// For each payer's word a proposal searches by: the first open cases (by id) whose
    /// search key holds it.
    naming: HashMap<String, Naming>,
    /// The payment provider's payouts the credits may be.
    payouts: super::payouts::Known,
}

/// The first open cases whose search key holds a word, when the import began.
struct Naming {
    ids: Vec<i64>,
    /// Every such case is in `ids` (otherwise only the first `2 × CANDIDATES`).
    complete: bool,
}

/// The word of a payer's name a proposal searches the cases by: its longest of three
/// letters or more.
fn proposal_word(payer: &str) -> Option<String> {
    matching::name_words(payer)
        .into_iter()
        .filter(|w| w.chars().count() >= 3)
        .max_by_key(|w| w.chars().count())
}

impl Lookups {
    /// Reads what the file's entries need: the keys already stored, the cases of the
    /// references named (batched lookups on the unique indexes), and — for the credits that
    /// name no known case — the candidates of each payer's word in one pass over the open
    /// cases' search keys.
    fn load(
        conn: &mut DbConn,
        statements: &[(&bank::Statement, Vec<String>)],
    ) -> AppResult<Lookups> {
        let keys: Vec<&str> = statements
            .iter()
            .flat_map(|(_, keys)| keys.iter().map(String::as_str))
            .collect();
        let stored = store::existing_keys(conn, &keys)?;
        let credits: Vec<&Entry> = statements
            .iter()
            .flat_map(|(st, _)| st.entries.iter())
            .filter(|e| e.direction == Direction::Credit)
            .collect();
        let mut refs: Vec<String> = credits
            .iter()
            .flat_map(|e| matching::references_in(e.remittance.as_deref().unwrap_or("")))
            .collect();
        refs.sort_unstable();
        refs.dedup();
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let cases = store::cases_by_references(conn, &refs)?;
        let mut words: Vec<String> = credits
            .iter()
            .filter(|e| {
                !matching::references_in(e.remittance.as_deref().unwrap_or(""))
                    .iter()
                    .any(|r| cases.contains_key(r))
            })
            .filter_map(|e| e.payer_name.as_deref().and_then(proposal_word))
            .collect();
        words.sort_unstable();
        words.dedup();
        let naming = scan_naming(conn, words)?;
        let payouts = super::payouts::Known::load(conn, &credits)?;
        Ok(Lookups {
            stored,
            cases,
            naming,
            payouts,
        })
    }
}

/// The first `2 × CANDIDATES` open cases (by id) whose search key holds each word: what
/// `store::open_cases_naming` finds with a `LIKE` per word, in a single pass over the keys
/// (Aho-Corasick over every word at once; keys and words are folded alike, so `LIKE`'s
/// ASCII case folding changes nothing). Stops as soon as every word has its cases.
fn scan_naming(conn: &mut DbConn, words: Vec<String>) -> AppResult<HashMap<String, Naming>> {
    if words.is_empty() {
        return Ok(HashMap::new());
    }
    let ac = aho_corasick::AhoCorasick::new(&words).map_err(AppError::internal)?;
    let keep = usize::try_from(CANDIDATES * 2).unwrap_or(usize::MAX);
    let mut lists: Vec<Vec<i64>> = vec![Vec::new(); words.len()];
    let mut full = 0usize;
    let mut after = 0i64;
    'scan: loop {
        let page = store::open_search_keys(conn, after, SCAN_PAGE)?;
        let Some(&(last, _)) = page.last() else {
            break;
        };
        after = last;
        for (id, key) in &page {
            for m in ac.find_overlapping_iter(key.as_str()) {
                let list = &mut lists[m.pattern().as_usize()];
                if list.len() < keep && list.last() != Some(id) {
                    list.push(*id);
                    if list.len() == keep {
                        full += 1;
                        if full == words.len() {
                            break 'scan;
                        }
                    }
                }
            }
        }
        if i64::try_from(page.len()).unwrap_or(i64::MAX) < SCAN_PAGE {
            break;
        }
    }
    Ok(words
        .into_iter()
        .zip(lists)
        .map(|(w, ids)| {
            let complete = ids.len() < keep;
            (w, Naming { ids, complete })
        })
        .collect())
}

/// Imports a statement file (agents and admins).
pub fn import(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    input: &ImportInput,
) -> AppResult<ImportReport> {
    actor.require_staff()?;
    if input.content.len() > bank::MAX_FILE_BYTES {
        return Err(AppError {
            field: Some("file".into()),
            ..AppError::new(
                ErrorCode::PayloadTooLarge,
                "the statement file is larger than 16 MiB",
            )
        });
    }
    if input.content.is_empty() {
        return Err(AppError::validation("file", "the statement file is empty"));
    }
    let sha = hex::encode(Sha256::digest(&input.content));
    let text = bank::text_of(&input.content).map_err(|e| AppError::validation("file", e.0))?;
    let agency_iban = crate::store::recovery::settings(conn)?.iban;
    let parsed = match input.format {
        Format::Camt053 => bank::camt053::parse(text),
        Format::Csv => {
            let iban = match input.iban.as_deref().filter(|i| !i.trim().is_empty()) {
                Some(i) => i.to_string(),
                None if !agency_iban.is_empty() => agency_iban.clone(),
                None => {
                    return Err(AppError::validation(
                        "iban",
                        "name the account of the CSV export (no dedicated account in the agency's settings)",
                    ))
                }
            };
            let iban = crate::domain::ids::parse_iban(&iban)
                .map_err(|e| AppError::validation("iban", e.0))?;
            let mapping = input.mapping.clone().unwrap_or_default();
            bank::csv::parse(text, &iban, &mapping, &format!("csv:{}", &sha[..16]))
        }
    }
    .map_err(|e| AppError::validation("file", e.0))?;
    // R124-2: the dedicated account is the one declared; a statement of another account is
    // not the creditors' money.
    if let Ok(ours) = crate::domain::ids::parse_iban(&agency_iban) {
        if let Some(st) = parsed.statements.iter().find(|s| s.iban != ours) {
            return Err(AppError::validation(
                "file",
                format!(
                    "the statement is of the account {}, not of the agency's dedicated account {ours}",
                    st.iban
                ),
            ));
        }
    }
    let report = db::transaction(conn, |conn| {
        db::lock_in_transaction(conn, IMPORT_LOCK, 0)?;
        let mut r = ImportReport {
            pending: parsed.pending,
            refused: parsed.refused.clone(),
            ..ImportReport::default()
        };
        let keyed: Vec<(&bank::Statement, Vec<String>)> = parsed
            .statements
            .iter()
            .map(|st| (st, bank::dedupe_keys(st)))
            .collect();
        let lookups = Lookups::load(conn, &keyed)?;
        let mut seen = HashSet::new();
        for (st, keys) in &keyed {
            let row = store::insert_statement(
                conn,
                &NewStatement {
                    identity: &st.identity,
                    format: input.format.as_str(),
                    account_iban: &st.iban,
                    file_sha256: &sha,
                    closing_balance_cents: st.closing_balance.map(|b| b.0),
                    closing_balance_on: st.closing_balance.map(|b| b.1),
                    entries: i32::try_from(st.entries.len()).unwrap_or(i32::MAX),
                    new_entries: 0,
                    imported_at: clock.now(),
                    imported_by: Some(actor.user_id),
                },
            )?;
            let mut new = 0i32;
            for (e, key) in st.entries.iter().zip(keys.iter()) {
                r.read += 1;
                if !seen.insert(key.clone()) || lookups.stored.contains(key) {
                    r.duplicates += 1;
                    continue;
                }
                let entry = store::insert_entry(
                    conn,
                    &NewEntry {
                        statement_id: row.id,
                        dedupe_key: key,
                        account_iban: &st.iban,
                        booked_on: e.booked_on,
                        amount_cents: e.amount_cents,
                        direction: e.direction.as_str(),
                        payer_name: e.payer_name.as_deref(),
                        remittance: e.remittance.as_deref(),
                        servicer_ref: e.servicer_ref.as_deref(),
                        status: "unmatched",
                        reason: None,
                        case_id: None,
                        payment_id: None,
                        decided_by: None,
                        decided_at: None,
                        created_at: clock.now(),
                    },
                )?;
                new += 1;
                r.new += 1;
                let d = match e.direction {
                    Direction::Debit => Decision {
                        status: "ignored",
                        reason: Some("a debit: not a payment to reconcile".into()),
                        case_id: None,
                        payment_id: None,
                    },
                    Direction::Credit => {
                        decide_credit(conn, clock, blobs, actor, &lookups, &entry, e)?
                    }
                };
                match d.status {
                    "matched" if d.case_id.is_none() => r.payouts += 1,
                    "matched" => r.matched += 1,
                    "proposed" => r.proposed += 1,
                    "ignored" => r.ignored += 1,
                    _ => r.unmatched += 1,
                }
                store::decide(
                    conn,
                    entry.id,
                    "unmatched",
                    &Outcome {
                        status: d.status,
                        reason: d.reason.as_deref(),
                        case_id: d.case_id,
                        payment_id: d.payment_id,
                        decided_by: None,
                        decided_at: None,
                    },
                )?;
            }
            store::set_new_entries(conn, row.id, new)?;
            r.statements.push(BankStatement {
                new_entries: new,
                ..row
            });
        }
        let ids: Vec<i64> = r.statements.iter().map(|s| s.id).collect();
        let stored = store::of_statements(conn, &ids)?;
        r.entries = describe(conn, stored)?;
        Ok(r)
    })?;
    tracing::info!(
        read = report.read,
        new = report.new,
        duplicates = report.duplicates,
        matched = report.matched,
        payouts = report.payouts,
        proposed = report.proposed,
        unmatched = report.unmatched,
        refused = report.refused.len(),
        "bank statement imported"
    );
    Ok(report)
}

/// The errors that refuse one payment (the entry waits for an agent) rather than the import.
pub(crate) fn is_refusal(e: &AppError) -> bool {
    matches!(
        e.code,
        ErrorCode::Validation
            | ErrorCode::InvalidTransition
            | ErrorCode::Conflict
            | ErrorCode::Ineligible
            | ErrorCode::Locked
    )
}

/// The payment's reference: the bank's own, else the remittance information.
fn bank_reference(e: &BankEntry) -> String {
    let r = e
        .servicer_ref
        .clone()
        .or_else(|| e.remittance.clone())
        .unwrap_or_else(|| format!("virement du {}", e.booked_on.format("%d/%m/%Y")));
    r.chars().take(100).collect()
}

/// Records the entry as a payment by bank transfer of the case, received on its booking day.
fn pay(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    case_id: i64,
    e: &BankEntry,
) -> AppResult<i64> {
    let (payment, _) = record_payment(
        conn,
        clock,
        blobs,
        actor,
        &PaymentInput {
            case_id,
            received_on: e.booked_on,
            amount: money::format_cents(e.amount_cents),
            method: PaymentMethod::Transfer,
            reference: Some(bank_reference(e)),
            invoice_id: None,
            expected_version: None,
        },
    )?;
    Ok(payment.id)
}

fn entry_json(e: &BankEntry) -> serde_json::Value {
    serde_json::json!({
        "bank_entry_id": e.id,
        "booked_on": e.booked_on.to_string(),
        "amount": money::format_cents(e.amount_cents),
        "payer": e.payer_name,
        "remittance": e.remittance,
        "bank_reference": e.servicer_ref,
    })
}

fn with(mut v: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(a), serde_json::Value::Object(b)) = (v.as_object_mut(), extra) {
        a.extend(b);
    }
    v
}

fn decide_credit(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    lookups: &Lookups,
    entry: &BankEntry,
    e: &Entry,
) -> AppResult<Decision> {
    // A payout of the payment provider: its card payments are recorded already.
    if let Some(d) = super::payouts::decide(conn, clock, actor.user_id, &lookups.payouts, entry)? {
        return Ok(d);
    }
    let refs = matching::references_in(e.remittance.as_deref().unwrap_or(""));
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for r in refs {
        match lookups.cases.get(&r) {
            Some(id) => known.push((*id, r)),
            None => unknown.push(r),
        }
    }
    if known.len() > 1 {
        let names: Vec<&str> = known.iter().map(|(_, r)| r.as_str()).collect();
        return Ok(unmatched(
            format!("the remittance names several cases: {}", names.join(", ")),
            None,
        ));
    }
    if let Some((case_id, _)) = known.first() {
        return match pay(conn, clock, blobs, actor, *case_id, entry) {
            Ok(payment_id) => {
                events::append(
                    conn,
                    *case_id,
                    clock.now(),
                    Some(actor.user_id),
                    RECONCILED,
                    &with(
                        entry_json(entry),
                        serde_json::json!({ "payment_id": payment_id, "how": "reference" }),
                    ),
                )?;
                Ok(Decision {
                    status: "matched",
                    reason: None,
                    case_id: Some(*case_id),
                    payment_id: Some(payment_id),
                })
            }
            Err(err) if is_refusal(&err) => {
                events::append(
                    conn,
                    *case_id,
                    clock.now(),
                    Some(actor.user_id),
                    REFUSED,
                    &with(
                        entry_json(entry),
                        serde_json::json!({ "reason": err.message }),
                    ),
                )?;
                Ok(unmatched(err.message, Some(*case_id)))
            }
            Err(err) => Err(err),
        };
    }
    if let Some(case_id) = propose(conn, &lookups.naming, e)? {
        events::append(
            conn,
            case_id,
            clock.now(),
            Some(actor.user_id),
            PROPOSED,
            &entry_json(entry),
        )?;
        return Ok(Decision {
            status: "proposed",
            reason: Some(
                "the amount is the balance due and the payer's name is close to the debtor's"
                    .into(),
            ),
            case_id: Some(case_id),
            payment_id: None,
        });
    }
    Ok(match unknown.first() {
        Some(r) => unmatched(format!("no case has the reference {r}"), None),
        None => unmatched("no case reference in the remittance information", None),
    })
}

/// The one open case whose debtor's name is close to the payer's and whose balance due on
/// the booking day is the amount, if exactly one is.
fn propose(
    conn: &mut DbConn,
    naming: &HashMap<String, Naming>,
    e: &Entry,
) -> AppResult<Option<i64>> {
    let Some(payer) = e.payer_name.as_deref() else {
        return Ok(None);
    };
    let Some(word) = proposal_word(payer) else {
        return Ok(None);
    };
    let mut found = Vec::new();
    for (case_id, name, first_name) in candidates(conn, naming, &word)? {
        let debtor = match first_name {
            Some(f) => format!("{f} {name}"),
            None => name,
        };
        if !matching::names_similar(payer, &debtor) {
            continue;
        }
        if balance_due_on(conn, case_id, e.booked_on)? == Some(e.amount_cents) {
            found.push(case_id);
        }
    }
    Ok(match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// The first `CANDIDATES` open cases (by id) whose search key holds the word, with their
/// debtor's names: those of the import's pass over the keys still open (an earlier entry of
/// the file may have closed one), or `store::open_cases_naming`'s `LIKE` when too few of
/// them are left to say.
fn candidates(
    conn: &mut DbConn,
    naming: &HashMap<String, Naming>,
    word: &str,
) -> AppResult<Vec<(i64, String, Option<String>)>> {
    let limit = usize::try_from(CANDIDATES).unwrap_or(usize::MAX);
    if let Some(n) = naming.get(word) {
        let mut open = store::open_cases_named(conn, &n.ids)?;
        if n.complete || open.len() >= limit {
            open.truncate(limit);
            return Ok(open);
        }
    }
    Ok(store::open_cases_naming(conn, word, CANDIDATES)?)
}

/// What a case's debtor owes on a day (after its payments), in cents; `None` when the claim
/// engine cannot say (a day before its invoices).
pub fn balance_due_on(conn: &mut DbConn, case_id: i64, day: NaiveDate) -> AppResult<Option<i64>> {
    let Some(case) = crate::store::cases::find(conn, case_id)? else {
        return Ok(None);
    };
    let claim = crate::claims::claim_input(conn, &case)?;
    let as_of = claim
        .payments
        .iter()
        .map(|p| p.date)
        .max()
        .map_or(day, |last| last.max(day));
    match crate::claims::compute(conn, &claim, as_of, "bookedOn") {
        Ok(st) => money::to_cents(money::round_cents(st.totals.total_due))
            .map(Some)
            .map_err(AppError::internal),
        Err(e) if e.code == ErrorCode::Validation => Ok(None),
        Err(e) => Err(e),
    }
}

fn load_entry(conn: &mut DbConn, id: i64) -> AppResult<BankEntry> {
    store::find_entry(conn, id)?.ok_or_else(|| AppError::not_found("bank entry"))
}

fn require_open(e: &BankEntry) -> AppResult<()> {
    if e.direction != "credit" {
        return Err(AppError::invalid_transition(
            "a debit is not a payment to reconcile",
        ));
    }
    if e.status != "proposed" && e.status != "unmatched" {
        return Err(AppError::invalid_transition(format!(
            "the entry is already {}",
            e.status
        )));
    }
    Ok(())
}

fn stale() -> AppError {
    AppError::conflict("the entry was decided by someone else meanwhile: reload the queue")
}

/// Records an entry as the payment of a case (the proposal's, or the one an agent names).
fn settle(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    e: &BankEntry,
    case_id: i64,
    how: &str,
) -> AppResult<QueueItem> {
    if super::payouts::is_payout(e) {
        return Err(AppError::invalid_transition(
            "a payout of the payment provider is no debtor's payment (its card payments are recorded): it is reconciled when the provider announces it",
        ));
    }
    let payment_id = pay(conn, clock, blobs, actor, case_id, e)?;
    let done = store::decide(
        conn,
        e.id,
        &e.status,
        &Outcome {
            status: "matched",
            reason: None,
            case_id: Some(case_id),
            payment_id: Some(payment_id),
            decided_by: Some(actor.user_id),
            decided_at: Some(clock.now()),
        },
    )?;
    if !done {
        return Err(stale());
    }
    events::append(
        conn,
        case_id,
        clock.now(),
        Some(actor.user_id),
        RECONCILED,
        &with(
            entry_json(e),
            serde_json::json!({ "payment_id": payment_id, "how": how }),
        ),
    )?;
    let e = load_entry(conn, e.id)?;
    described(conn, e)
}

/// An agent confirms a proposed entry: it is recorded as the payment of the proposed case.
pub fn confirm(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    entry_id: i64,
) -> AppResult<QueueItem> {
    actor.require_staff()?;
    db::transaction(conn, |conn| {
        let e = load_entry(conn, entry_id)?;
        require_open(&e)?;
        let case_id = match (e.status.as_str(), e.case_id) {
            ("proposed", Some(c)) => c,
            _ => {
                return Err(AppError::invalid_transition(
                    "only a proposed entry is confirmed: assign it to a case",
                ))
            }
        };
        settle(conn, clock, blobs, actor, &e, case_id, "confirmed")
    })
}

/// An agent assigns an unmatched (or proposed) entry to a case by hand: it is recorded as
/// that case's payment.
pub fn assign(
    conn: &mut DbConn,
    clock: &Clock,
    blobs: &dyn crate::blobs::BlobStore,
    actor: &Actor,
    entry_id: i64,
    case_id: i64,
) -> AppResult<QueueItem> {
    actor.require_staff()?;
    db::transaction(conn, |conn| {
        let e = load_entry(conn, entry_id)?;
        require_open(&e)?;
        let case = crate::cases::load_visible(conn, actor, case_id)?;
        settle(conn, clock, blobs, actor, &e, case.id, "assigned")
    })
}

/// An agent sets an entry aside (not a debtor's payment: a refund, a mistake of the bank),
/// saying why.
pub fn ignore(
    conn: &mut DbConn,
    clock: &Clock,
    actor: &Actor,
    entry_id: i64,
    reason: &str,
) -> AppResult<QueueItem> {
    actor.require_staff()?;
    let reason = crate::validate::required("reason", reason, 500)?;
    db::transaction(conn, |conn| {
        let e = load_entry(conn, entry_id)?;
        require_open(&e)?;
        let done = store::decide(
            conn,
            e.id,
            &e.status,
            &Outcome {
                status: "ignored",
                reason: Some(reason.as_str()),
                case_id: e.case_id,
                payment_id: None,
                decided_by: Some(actor.user_id),
                decided_at: Some(clock.now()),
            },
        )?;
        if !done {
            return Err(stale());
        }
        if let Some(case_id) = e.case_id {
            events::append(
                conn,
                case_id,
                clock.now(),
                Some(actor.user_id),
                IGNORED,
                &with(entry_json(&e), serde_json::json!({ "reason": reason })),
            )?;
        }
        let e = load_entry(conn, e.id)?;
        described(conn, e)
    })
}

/// An entry of the queue with the case it names or was proposed for.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub entry: BankEntry,
    pub case_reference: Option<String>,
    pub debtor: Option<String>,
    /// The payment provider's payout it was reconciled with (`po_…`).
    pub payout: Option<String>,
}

/// The reconciliation queue: credits proposed or unmatched, oldest first (at most `limit`).
pub fn queue(conn: &mut DbConn, actor: &Actor, limit: i64) -> AppResult<Vec<QueueItem>> {
    actor.require_staff()?;
    let entries = store::queue(conn, limit.clamp(1, 500))?;
    describe(conn, entries)
}

/// Entries with the reference and debtor of the case each names, or the payout each was
/// reconciled with (one query per table).
fn describe(conn: &mut DbConn, entries: Vec<BankEntry>) -> AppResult<Vec<QueueItem>> {
    let entry_ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let payouts = crate::store::card_payments::payouts_of_entries(conn, &entry_ids)?;
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.case_id).collect();
    let cases = crate::store::cases::find_many(conn, &ids)?;
    let debtor_ids: Vec<i64> = cases.iter().map(|c| c.debtor_id).collect();
    let debtors = crate::store::cases::find_debtors(conn, &debtor_ids)?;
    Ok(entries
        .into_iter()
        .map(|entry| {
            let case = entry
                .case_id
                .and_then(|id| cases.iter().find(|c| c.id == id));
            QueueItem {
                case_reference: case.map(|c| c.reference.clone()),
                debtor: case
                    .and_then(|c| debtors.iter().find(|d| d.id == c.debtor_id))
                    .map(|d| match &d.first_name {
                        Some(f) => format!("{f} {}", d.name),
                        None => d.name.clone(),
                    }),
                payout: payouts
                    .iter()
                    .find(|p| p.bank_entry_id == Some(entry.id))
                    .map(|p| p.payout_ref.clone()),
                entry,
            }
        })
        .collect())
}

fn described(conn: &mut DbConn, e: BankEntry) -> AppResult<QueueItem> {
    describe(conn, vec![e])?
        .pop()
        .ok_or_else(|| AppError::internal("an entry vanished"))
}

/// The dedicated account as its latest statement shows it, against what the agency's books
/// say it should hold.
#[derive(Debug, Clone)]
pub struct AccountBalance {
    pub statement: Option<BankStatement>,
    /// Payments received and not yet in a remittance (`remittances::held`, R124-6).
    pub held_cents: i64,
    /// Remittances prepared and not yet transferred: their money is still on the account.
    pub prepared_cents: i64,
    /// Remittances transferred to the creditors (their net), for information.
    pub remitted_cents: i64,
    /// Card payments recorded whose money the payment provider has not yet brought to the
    /// account (no payout of theirs reconciled with an entry).
    pub in_transit_cents: i64,
    /// What the account should hold: held + prepared − in transit.
    pub expected_cents: i64,
    /// The fees the payment provider kept on the payouts reconciled: part of the difference
    /// until the agency pays them into the account (the creditors are owed the whole
    /// payments).
    pub card_fees_cents: i64,
    /// The statement's balance less what it should hold (none without a statement).
    pub difference_cents: Option<i64>,
}

/// The account's balance against held funds (agents and admins). Convention: the account
/// holds the creditors' money until it is transferred, so it should show what is held plus
/// what is prepared and not yet paid, less the card payments still at the payment provider
/// (`payouts`); commissions the agency has not yet taken out of the account, the provider's
/// fees it has not yet paid in, and payments recorded but not (yet) booked on it (cheques,
/// cash), show as the difference.
pub fn balance(conn: &mut DbConn, actor: &Actor) -> AppResult<AccountBalance> {
    actor.require_staff()?;
    let held = super::remittances::held(conn, actor)?;
    let held_cents =
        money::sum_cents(held.iter().map(|h| h.amount_cents)).map_err(AppError::internal)?;
    let (prepared_cents, remitted_cents) = crate::store::remittances::totals_by_status(conn)?;
    let in_transit_cents = money::sum_cents(crate::store::card_payments::in_transit_amounts(conn)?)
        .map_err(AppError::internal)?;
    let card_fees_cents = money::sum_cents(crate::store::card_payments::reconciled_fees(conn)?)
        .map_err(AppError::internal)?;
    let expected_cents = money::sub_cents(
        money::sum_cents([held_cents, prepared_cents]).map_err(AppError::internal)?,
        in_transit_cents,
    )
    .map_err(AppError::internal)?;
    let statement = store::latest_balance(conn)?;
    let difference_cents = match statement.as_ref().and_then(|s| s.closing_balance_cents) {
        Some(b) => Some(money::sub_cents(b, expected_cents).map_err(AppError::internal)?),
        None => None,
    };
    Ok(AccountBalance {
        statement,
        held_cents,
        prepared_cents,
        remitted_cents,
        in_transit_cents,
        expected_cents,
        card_fees_cents,
        difference_cents,
    })
}

/// The latest statements imported (agents and admins).
pub fn statements(conn: &mut DbConn, actor: &Actor, limit: i64) -> AppResult<Vec<BankStatement>> {
    actor.require_staff()?;
    Ok(store::latest_statements(conn, limit.clamp(1, 100))?)
}

/// The case a reference typed by an agent names (`REC-2026-000042`, written loosely).
pub fn case_of_reference(conn: &mut DbConn, actor: &Actor, typed: &str) -> AppResult<i64> {
    actor.require_staff()?;
    let refs = matching::references_in(typed);
    let [reference] = refs.as_slice() else {
        return Err(AppError::validation(
            "caseReference",
            "type one case reference (REC-AAAA-NNNNNN)",
        ));
    };
    store::case_by_reference(conn, reference)?.ok_or_else(|| {
        AppError::validation(
            "caseReference",
            format!("no case has the reference {reference}"),
        )
    })
}
