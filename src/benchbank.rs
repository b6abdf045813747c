//! Benchmark only (issue 17, `bench/bank.sh`): a camt.053 statement of the dedicated account
//! written against a seeded database (`benchseed`), with the mix of a real month's credits,
//! and the import (`recovery::bank::import`) timed with its SQL statements counted.
//!
//! The mix, in shares of the entries: most name an open case's reference in the remittance
//! information however the debtor wrote it, paying its balance due on the booking day or a
//! part of it; some name a closed case (the payment is refused, the entry queued) or a
//! reference no case has; some name no reference — the payer is an open case's debtor and the
//! amount its balance due (the proposal by amount and name runs and may propose it), or a
//! payer nobody owes (the proposal runs and finds nothing); a few are the same entry twice.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::schema::cases;
use crate::db::DbConn;
use crate::domain::bank::matching;
use crate::domain::money;
use crate::error::{AppError, AppResult};

/// How many entries of each kind the statement holds.
#[derive(Debug, Clone, Default)]
pub struct Mix {
    pub reference_full: usize,
    pub reference_partial: usize,
    pub reference_closed: usize,
    pub reference_unknown: usize,
    pub proposal_target: usize,
    pub nobody: usize,
    pub duplicates: usize,
}

impl Mix {
    /// The shares of `n` entries (per mille): 60 % full, 15 % partial, 3 % closed case, 4 %
    /// unknown reference, 8 % a debtor's balance without reference, 9 % nobody's, 1 % twice.
    pub fn of(n: usize) -> Mix {
        let part = |per_mille: usize| n * per_mille / 1000;
        let mut m = Mix {
            reference_full: 0,
            reference_partial: part(150),
            reference_closed: part(30),
            reference_unknown: part(40),
            proposal_target: part(80),
            nobody: part(90),
            duplicates: part(10),
        };
        m.reference_full = n
            - m.reference_partial
            - m.reference_closed
            - m.reference_unknown
            - m.proposal_target
            - m.nobody
            - m.duplicates;
        m
    }

    pub fn total(&self) -> usize {
        self.reference_full
            + self.reference_partial
            + self.reference_closed
            + self.reference_unknown
            + self.proposal_target
            + self.nobody
            + self.duplicates
    }
}

struct Ntry {
    amount_cents: i64,
    booked_on: NaiveDate,
    servicer_ref: String,
    payer: Option<String>,
    remittance: Option<String>,
}

/// Payers nobody in the seeded portfolio is called (their words are in no search key).
const STRANGERS: &[&str] = &[
    "M OU MME KOWALSKI",
    "SCI LES TILLEULS",
    "NGUYEN VAN THANH",
    "ASSOCIATION SPORTIVE ZEPHYR",
    "OKONKWO CHIDI",
    "HOLDING QUETZAL",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The debtor's name as a bank writes the payer: upper case, the legal form after it, a
/// title before an individual's.
fn payer_of(rng: &mut StdRng, d: &crate::store::cases::Debtor) -> String {
    let name = match &d.first_name {
        Some(f) if rng.gen_bool(0.5) => {
            format!("{} {f} {}", ["M", "MME"][rng.gen_range(0..2)], d.name)
        }
        Some(f) => format!("{} {f}", d.name),
        None => match &d.legal_form {
            Some(form) => format!("{} {form}", d.name),
            None => d.name.clone(),
        },
    };
    name.to_uppercase()
}

/// The reference as debtors write it in the remittance information.
fn written(rng: &mut StdRng, reference: &str) -> String {
    let loose = reference.to_lowercase().replace('-', " ");
    let compact = reference.replace('-', "");
    match rng.gen_range(0..5) {
        0 => reference.to_string(),
        1 => format!("VIR SEPA REF {loose} MERCI"),
        2 => format!("Facture dossier {} reglement", reference.replace('-', "/")),
        3 => format!("acompte {compact}"),
        _ => format!("Votre ref. {reference} - solde"),
    }
}

fn draw_case(
    conn: &mut DbConn,
    rng: &mut StdRng,
    max_id: i64,
    used: &mut HashSet<i64>,
    open: bool,
) -> AppResult<(crate::store::cases::Case, crate::store::cases::Debtor)> {
    loop {
        let id = rng.gen_range(1..=max_id);
        if used.contains(&id) {
            continue;
        }
        let Some(case) = crate::store::cases::find(conn, id)? else {
            continue;
        };
        let is_open = matches!(case.state.as_str(), "amicable" | "formal_notice" | "legal");
        if is_open != open || (!open && case.state != "closed") {
            continue;
        }
        let Some(debtor) = crate::store::cases::find_debtors(conn, &[case.debtor_id])?.pop() else {
            continue;
        };
        used.insert(id);
        return Ok((case, debtor));
    }
}

/// Writes a camt.053 statement of `n` credits booked in the week before `today` on the
/// account `iban`, against the cases of the database; the same `seed`, the same statement.
pub fn statement(
    conn: &mut DbConn,
    iban: &str,
    today: NaiveDate,
    n: usize,
    seed: u64,
) -> AppResult<(String, Mix)> {
    let mix = Mix::of(n);
    let mut rng = StdRng::seed_from_u64(seed);
    let max_id: i64 = cases::table
        .select(diesel::dsl::max(cases::id))
        .first::<Option<i64>>(conn)?
        .ok_or_else(|| AppError::internal("no case: seed the database first (bench-seed)"))?;
    let mut used = HashSet::new();
    let mut entries: Vec<Ntry> = Vec::with_capacity(n);
    let day = |rng: &mut StdRng| today - Days::days(rng.gen_range(1..=7));
    let mut next_ref = 0usize;
    let mut bank_ref = || {
        next_ref += 1;
        format!("BENCH-{seed}-{next_ref:06}")
    };
    // Open cases named by their reference: the balance due, or a part of it.
    for i in 0..mix.reference_full + mix.reference_partial {
        let (case, debtor) = draw_case(conn, &mut rng, max_id, &mut used, true)?;
        let booked_on = day(&mut rng);
        let Some(due) = crate::recovery::bank::balance_due_on(conn, case.id, booked_on)? else {
            continue;
        };
        if due < 100 {
            continue;
        }
        let amount_cents = if i < mix.reference_full {
            due
        } else {
            // A round part: a third of the balance, in euros.
            (due / 3 / 100).max(1) * 100
        };
        entries.push(Ntry {
            amount_cents,
            booked_on,
            servicer_ref: bank_ref(),
            payer: Some(payer_of(&mut rng, &debtor)),
            remittance: Some(written(&mut rng, &case.reference)),
        });
    }
    // Closed cases (paid, withdrawn): the payment is refused, the entry waits.
    for _ in 0..mix.reference_closed {
        let (case, debtor) = draw_case(conn, &mut rng, max_id, &mut used, false)?;
        entries.push(Ntry {
            amount_cents: rng.gen_range(20..2_000) * 100,
            booked_on: day(&mut rng),
            servicer_ref: bank_ref(),
            payer: Some(payer_of(&mut rng, &debtor)),
            remittance: Some(written(&mut rng, &case.reference)),
        });
    }
    // References no case has (a typo, another agency's).
    for _ in 0..mix.reference_unknown {
        let r = format!("REC-2099-{:06}", rng.gen_range(1..999_999));
        entries.push(Ntry {
            amount_cents: rng.gen_range(2_000..200_000),
            booked_on: day(&mut rng),
            servicer_ref: bank_ref(),
            payer: Some(STRANGERS[rng.gen_range(0..STRANGERS.len())].to_string()),
            remittance: Some(written(&mut rng, &r)),
        });
    }
    // No reference: the debtor of an open case pays its balance due. The case is one the
    // payer's longest word finds (so the proposal can name it when no other has that
    // balance).
    for _ in 0..mix.proposal_target {
        let (_, debtor) = draw_case(conn, &mut rng, max_id, &mut used, true)?;
        let payer = payer_of(&mut rng, &debtor);
        let Some(word) = matching::name_words(&payer)
            .into_iter()
            .filter(|w| w.chars().count() >= 3)
            .max_by_key(|w| w.chars().count())
        else {
            continue;
        };
        let found = crate::store::bank::open_cases_naming(conn, &word, 20)?;
        let Some(&(target, _, _)) = found
            .iter()
            .filter(|(id, name, first)| {
                let d = match first {
                    Some(f) => format!("{f} {name}"),
                    None => name.clone(),
                };
                !used.contains(id) && matching::names_similar(&payer, &d)
            })
            .nth(rng.gen_range(0..3))
        else {
            continue;
        };
        used.insert(target);
        let booked_on = day(&mut rng);
        let Some(due) = crate::recovery::bank::balance_due_on(conn, target, booked_on)? else {
            continue;
        };
        if due <= 0 {
            continue;
        }
        entries.push(Ntry {
            amount_cents: due,
            booked_on,
            servicer_ref: bank_ref(),
            payer: Some(payer),
            remittance: Some(
                ["reglement solde", "paiement facture", "VIR SEPA"][rng.gen_range(0..3)]
                    .to_string(),
            ),
        });
    }
    // No reference, nobody's: half a stranger (a word of no key: the search reads every
    // case), half a debtor's name with an amount no case is due (candidates, no proposal).
    for i in 0..mix.nobody {
        let payer = if i % 2 == 0 {
            STRANGERS[rng.gen_range(0..STRANGERS.len())].to_string()
        } else {
            let (_, debtor) = draw_case(conn, &mut rng, max_id, &mut used, true)?;
            payer_of(&mut rng, &debtor)
        };
        entries.push(Ntry {
            amount_cents: rng.gen_range(1_000..300_000) + 1,
            booked_on: day(&mut rng),
            servicer_ref: bank_ref(),
            payer: Some(payer),
            remittance: if rng.gen_bool(0.5) {
                Some("virement".to_string())
            } else {
                None
            },
        });
    }
    // Top up to the requested count with full payments when a draw was skipped.
    while entries.len() + mix.duplicates < n {
        let (case, debtor) = draw_case(conn, &mut rng, max_id, &mut used, true)?;
        let booked_on = day(&mut rng);
        match crate::recovery::bank::balance_due_on(conn, case.id, booked_on)? {
            Some(due) if due >= 100 => entries.push(Ntry {
                amount_cents: due,
                booked_on,
                servicer_ref: bank_ref(),
                payer: Some(payer_of(&mut rng, &debtor)),
                remittance: Some(written(&mut rng, &case.reference)),
            }),
            _ => continue,
        }
    }
    // Shuffle (a statement is in booking order, the kinds mixed), then the duplicates: the
    // bank sending the same entry twice.
    for i in (1..entries.len()).rev() {
        entries.swap(i, rng.gen_range(0..=i));
    }
    for _ in 0..mix.duplicates {
        let k = rng.gen_range(0..entries.len());
        let e = &entries[k];
        let twin = Ntry {
            amount_cents: e.amount_cents,
            booked_on: e.booked_on,
            servicer_ref: e.servicer_ref.clone(),
            payer: e.payer.clone(),
            remittance: e.remittance.clone(),
        };
        entries.push(twin);
    }
    entries.sort_by_key(|e| e.booked_on);
    let closing =
        money::sum_cents(entries.iter().map(|e| e.amount_cents)).map_err(AppError::internal)?;
    let mut xml = String::with_capacity(entries.len() * 600);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>BENCH-{seed}</MsgId><CreDtTm>{today}T06:00:00</CreDtTm></GrpHdr>\n\
         <Stmt><Id>BENCH-STMT-{seed}-{n}</Id><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}</Amt>\
         <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{}</Dt></Dt></Bal>\n",
        money::format_cents(closing),
        today - Days::days(1)
    );
    for e in &entries {
        let _ = write!(
            xml,
            "<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>{}</Dt></BookgDt><AcctSvcrRef>{}</AcctSvcrRef><NtryDtls><TxDtls>",
            money::format_cents(e.amount_cents),
            e.booked_on,
            e.servicer_ref
        );
        if let Some(p) = &e.payer {
            let _ = write!(
                xml,
                "<RltdPties><Dbtr><Nm>{}</Nm></Dbtr></RltdPties>",
                escape(p)
            );
        }
        if let Some(r) = &e.remittance {
            let _ = write!(xml, "<RmtInf><Ustrd>{}</Ustrd></RmtInf>", escape(r));
        }
        xml.push_str("</TxDtls></NtryDtls></Ntry>\n");
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    Ok((xml, mix))
}

/// SQL statements run on a connection: how many, and the time spent in each distinct text.
#[derive(Debug, Default)]
pub struct SqlCount {
    pub by_text: HashMap<String, (u64, Duration)>,
    started: Option<(String, Instant)>,
}

impl SqlCount {
    pub fn total(&self) -> u64 {
        self.by_text.values().map(|(n, _)| n).sum()
    }

    /// The `k` statements that took the most time, with their count and time.
    pub fn top(&self, k: usize) -> Vec<(String, u64, Duration)> {
        let mut v: Vec<_> = self
            .by_text
            .iter()
            .map(|(t, (n, d))| (t.clone(), *n, *d))
            .collect();
        v.sort_by_key(|t| std::cmp::Reverse(t.2));
        v.truncate(k);
        v
    }
}

struct Counter(Arc<Mutex<SqlCount>>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let Ok(mut c) = self.0.lock() else { return };
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                // The text without its bound values: one line per statement shape.
                let text = query.to_string();
                let text = text.split(" -- binds").next().unwrap_or("").to_string();
                c.started = Some((text, Instant::now()));
            }
            InstrumentationEvent::FinishQuery { .. } => {
                if let Some((text, at)) = c.started.take() {
                    let slot = c.by_text.entry(text).or_default();
                    slot.0 += 1;
                    slot.1 += at.elapsed();
                }
            }
            _ => {}
        }
    }
}

/// Counts (and times) every statement the connection runs from now on.
pub fn count_statements(conn: &mut DbConn) -> Arc<Mutex<SqlCount>> {
    let c = Arc::new(Mutex::new(SqlCount::default()));
    conn.set_instrumentation(Counter(c.clone()));
    c
}
