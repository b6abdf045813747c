//! `recouvra bench-seed`: fills an empty, migrated database with a realistic portfolio for
//! the benchmark harness (`bench/`), quickly: plain multi-row `INSERT`s with explicit ids,
//! a few thousand cases per transaction, on SQLite and PostgreSQL alike.
//!
//! What it writes (see `bench/README.md`): one agency, creditor organisations (one per 5 000
//! cases, at least 10) each with a mandate in force and a user, an admin, ten agents, three
//! lawyers; per case a debtor (three quarters companies), 1–3 invoices (money in integer
//! cents), the case in a realistic state, its recovery progress, its payments and its events,
//! hash-chained exactly as `store::events::append` chains them (so `verify-audit` stays
//! clean), with the chain heads. Past playbook steps are events only: the letters they sent
//! (PDFs, outbox rows) are not generated.
//!
//! Never run against a database holding real data: it refuses a database that has cases.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::db::DbConn;
use crate::domain::ids::case_reference;
use crate::domain::money::format_cents;
use crate::store::events::{canonical, chain_hash, GENESIS};

/// The password of every seeded user.
pub const PASSWORD: &str = "bench-recouvra-2026";

/// What to seed.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub cases: u64,
    /// The generator's random seed (same seed, same data).
    pub seed: u64,
    /// The day the portfolio is seen from (its newest cases open on it).
    pub today: NaiveDate,
    /// Cases per transaction.
    pub chunk: u64,
    /// The argon2 hash stored for every user (hashed once by the caller).
    pub password_hash: String,
}

/// What was written.
#[derive(Debug, Default, Clone)]
pub struct SeedReport {
    pub creditors: u64,
    pub users: u64,
    pub cases: u64,
    pub invoices: u64,
    pub payments: u64,
    pub events: u64,
    pub states: BTreeMap<String, u64>,
    pub due_steps: u64,
}

/// SQL text literal.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "NULL".into())
}

fn ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

fn date(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

fn b(v: bool) -> &'static str {
    if v {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// Multi-row INSERT statements of at most 500 rows each, appended to `sql`.
struct Rows {
    head: String,
    rows: Vec<String>,
}

impl Rows {
    fn new(table: &str, columns: &str) -> Rows {
        Rows {
            head: format!("INSERT INTO {table} ({columns}) VALUES "),
            rows: Vec::new(),
        }
    }
    fn push(&mut self, row: String) {
        self.rows.push(row);
    }
    fn flush_into(&mut self, sql: &mut String) {
        for chunk in self.rows.chunks(500) {
            sql.push_str(&self.head);
            sql.push_str(&chunk.join(","));
            sql.push_str(";\n");
        }
        self.rows.clear();
    }
}

/// A valid SIREN (Luhn) from 8 digits.
fn siren(rng: &mut StdRng) -> String {
    let mut digits: Vec<u32> = (0..8).map(|_| rng.gen_range(0..10)).collect();
    digits[0] = rng.gen_range(3..10);
    for check in 0..10 {
        let mut all = digits.clone();
        all.push(check);
        let sum: u32 = all
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| {
                if i % 2 == 1 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    *d
                }
            })
            .sum();
        if sum.is_multiple_of(10) {
            digits.push(check);
            break;
        }
    }
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

const CITIES: &[(&str, &str)] = &[
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13006", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("34000", "Montpellier"),
    ("35000", "Rennes"),
    ("06000", "Nice"),
    ("38000", "Grenoble"),
    ("21000", "Dijon"),
    ("49000", "Angers"),
    ("37000", "Tours"),
    ("63000", "Clermont-Ferrand"),
];
const TRADES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Menuiserie",
    "Transports",
    "Plomberie",
    "Restaurant",
    "Imprimerie",
    "Pharmacie",
    "Électricité",
    "Fleurs",
    "Café",
    "Bâtiment",
];
const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
];
const FIRST_NAMES: &[&str] = &[
    "Jean",
    "Marie",
    "Pierre",
    "Nathalie",
    "Michel",
    "Isabelle",
    "Philippe",
    "Sylvie",
    "Alain",
    "Catherine",
    "Éric",
    "Sophie",
    "Nicolas",
    "Céline",
    "Julien",
    "Camille",
];
const FORMS: &[&str] = &["SARL", "SAS", "SASU", "EURL", "SA"];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "place de la Mairie",
    "rue Pasteur",
    "chemin des Vignes",
];

/// The default playbook's steps (migration 4): (template, delay in days after the previous).
const STEPS: &[(&str, i64)] = &[
    ("courteous_reminder", 0),
    ("firm_reminder", 10),
    ("call", 7),
    ("reminder_letter", 7),
    ("formal_notice", 10),
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// Where a seeded case stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Submitted,
    Amicable,
    FormalNotice,
    Legal,
    ClosedPaid,
    ClosedWithdrawn,
    ClosedUnrecoverable,
}

impl Fate {
    fn state(self) -> &'static str {
        match self {
            Fate::Submitted => "submitted",
            Fate::Amicable => "amicable",
            Fate::FormalNotice => "formal_notice",
            Fate::Legal => "legal",
            _ => "closed",
        }
    }
    fn outcome(self) -> Option<&'static str> {
        match self {
            Fate::ClosedPaid => Some("paid"),
            Fate::ClosedWithdrawn => Some("withdrawn"),
            Fate::ClosedUnrecoverable => Some("unrecoverable"),
            _ => None,
        }
    }
}

/// One case's events, chained.
struct Chain {
    case_id: i64,
    seq: i64,
    prev: String,
}

impl Chain {
    fn push(
        &mut self,
        rows: &mut Rows,
        next_id: &mut i64,
        at: NaiveDateTime,
        actor: Option<i64>,
        kind: &str,
        payload: serde_json::Value,
    ) {
        self.seq += 1;
        let payload = payload.to_string();
        let hash = chain_hash(
            &self.prev,
            &canonical(self.case_id, self.seq, at, actor, kind, &payload),
        );
        rows.push(format!(
            "({},{},{},{},{},{},{},{},{})",
            *next_id,
            self.case_id,
            self.seq,
            ts(at),
            actor
                .map(|a| a.to_string())
                .unwrap_or_else(|| "NULL".into()),
            q(kind),
            q(&payload),
            q(&self.prev),
            q(&hash)
        ));
        *next_id += 1;
        self.prev = hash;
    }
}

fn count(conn: &mut DbConn, table: &str) -> anyhow::Result<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let n: N = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
    };
    Ok(n.n)
}

fn max_id(conn: &mut DbConn, table: &str) -> anyhow::Result<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS n FROM {table}");
    let n: N = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
    };
    Ok(n.n)
}

/// Seeds the portfolio. `progress` is called after each transaction with the cases done.
pub fn seed(
    conn: &mut DbConn,
    opts: &SeedOptions,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<SeedReport> {
    if count(conn, "cases")? > 0 || count(conn, "users")? > 0 {
        anyhow::bail!("bench-seed needs an empty, migrated database (this one has users or cases)");
    }
    let pg = matches!(conn, DbConn::Pg(_));
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut report = SeedReport::default();
    let today = opts.today;
    let now = today.and_hms_opt(8, 0, 0).unwrap_or_default();
    let span_days: i64 = 700;
    let start = now - Duration::days(span_days);

    // Reference data: the agency, creditors with mandates, users.
    let n_creditors = (opts.cases / 5000).max(10) as i64;
    let mut sql = String::new();
    let mut orgs = Rows::new(
        "organisations",
        "id, kind, name, legal_form, siren, address_line1, postal_code, city, country, created_at",
    );
    orgs.push(format!(
        "(1,'agency','Recouvra Banc d''essai','SAS',{},'1 rue du Banc','75002','Paris','FR',{})",
        q(&siren(&mut rng)),
        ts(start)
    ));
    let mut sirens = std::collections::HashSet::new();
    for c in 0..n_creditors {
        let id = c + 2;
        let mut s = siren(&mut rng);
        while !sirens.insert(s.clone()) {
            s = siren(&mut rng);
        }
        let (pc, city) = CITIES[rng.gen_range(0..CITIES.len())];
        orgs.push(format!(
            "({id},'creditor',{},{},{},{},{},{},'FR',{})",
            q(&format!(
                "{} {} {}",
                pick(&mut rng, TRADES),
                pick(&mut rng, SURNAMES),
                c + 1
            )),
            q(pick(&mut rng, FORMS)),
            q(&s),
            q(&format!(
                "{} {}",
                rng.gen_range(1..120),
                pick(&mut rng, STREETS)
            )),
            q(pc),
            q(city),
            ts(start)
        ));
    }
    orgs.flush_into(&mut sql);
    let mut mandates = Rows::new(
        "mandates",
        "id, creditor_org_id, signed_on, commission_bps, terms, created_at",
    );
    for c in 0..n_creditors {
        mandates.push(format!(
            "({},{},{},{},'Mandat de recouvrement amiable et judiciaire (banc d''essai)',{})",
            c + 1,
            c + 2,
            date(start.date() - Duration::days(30)),
            rng.gen_range(8..20) * 100,
            ts(start)
        ));
    }
    mandates.flush_into(&mut sql);
    let hash = q(&opts.password_hash);
    let mut users = Rows::new(
        "users",
        "id, email, display_name, password_hash, role, organisation_id, active, failed_logins, created_at",
    );
    let mut uid = 0i64;
    let mut user = |users: &mut Rows, email: String, name: String, role: &str, org: i64| {
        uid += 1;
        users.push(format!(
            "({uid},{},{},{hash},'{role}',{org},TRUE,0,{})",
            q(&email),
            q(&name),
            ts(start)
        ));
        uid
    };
    let admin = user(
        &mut users,
        "admin@bench.recouvra.test".into(),
        "Admin Banc".into(),
        "admin",
        1,
    );
    let agents: Vec<i64> = (1..=10)
        .map(|i| {
            user(
                &mut users,
                format!("agent{i}@bench.recouvra.test"),
                format!("Agent {i}"),
                "agent",
                1,
            )
        })
        .collect();
    let lawyers: Vec<i64> = (1..=3)
        .map(|i| {
            user(
                &mut users,
                format!("avocat{i}@bench.recouvra.test"),
                format!("Maître {}", SURNAMES[i]),
                "lawyer",
                1,
            )
        })
        .collect();
    let creditor_users: Vec<i64> = (0..n_creditors)
        .map(|c| {
            user(
                &mut users,
                format!("creancier{}@bench.recouvra.test", c + 1),
                format!("Comptabilité {}", c + 1),
                "creditor",
                c + 2,
            )
        })
        .collect();
    users.flush_into(&mut sql);
    let _ = admin;
    // What the agency's letters need, so that the scheduler can produce them.
    sql.push_str(
        "UPDATE agency_settings SET agency_org_id = 1, insurer = 'Assurances du Banc', \
         policy_number = 'RC-000-BENCH', iban = 'FR7630006000011234567890189', \
         signatory = 'Service recouvrement' WHERE id = 1;\n",
    );
    report.creditors = n_creditors as u64;
    report.users = uid as u64;
    exec_tx(conn, &sql)?;

    // The cases, a chunk per transaction.
    let mut next_event = max_id(conn, "case_events")? + 1;
    let mut next_invoice = 1i64;
    let mut next_payment = 1i64;
    let mut counters: BTreeMap<i32, i64> = BTreeMap::new();
    let total = opts.cases as i64;
    let mut id = 1i64;
    while id <= total {
        let end = (id + opts.chunk as i64 - 1).min(total);
        let mut debtors = Rows::new(
            "debtors",
            "id, creditor_org_id, kind, name, first_name, legal_form, siren, address_line1, \
             postal_code, city, country, email, phone, is_consumer, created_at",
        );
        let mut cases = Rows::new(
            "cases",
            "id, reference, creditor_org_id, debtor_id, mandate_id, state, outcome, \
             assigned_agent_id, assigned_lawyer_id, note, status_reason, opened_by, opened_at, \
             accepted_at, closed_at, version",
        );
        let mut invoices = Rows::new(
            "invoices",
            "id, case_id, number, issue_date, due_date, amount_cents, paid_cents",
        );
        let mut recovery = Rows::new(
            "case_recovery",
            "case_id, playbook_id, next_step, anchor_at, formal_notice_on, \
             formal_notice_deadline, formal_notice_expired",
        );
        let mut payments = Rows::new(
            "payments",
            "id, case_id, received_on, amount_cents, method, reference, recorded_by, recorded_at",
        );
        let mut events = Rows::new(
            "case_events",
            "id, case_id, seq, occurred_at, actor_user_id, kind, payload, prev_hash, hash",
        );
        let mut heads = Rows::new("case_event_heads", "case_id, seq, hash");
        let mut legal = Rows::new(
            "legal_proceedings",
            "case_id, lawyer_id, referred_by, referred_at",
        );
        for case_id in id..=end {
            // Opened in order over the last 700 days, newest on `today`.
            let opened_at = start
                + Duration::seconds((span_days * 86_400) * (case_id - 1) / total.max(1))
                + Duration::seconds(rng.gen_range(0..600));
            let opened_at = opened_at.min(now);
            let age = (now - opened_at).num_days();
            let creditor = rng.gen_range(0..n_creditors);
            let org = creditor + 2;
            let creditor_user = creditor_users[creditor as usize];
            let agent = agents[rng.gen_range(0..agents.len())];
            let r: u32 = rng.gen_range(0..1000);
            // Older cases are more often finished.
            let closed_share = (age * 400 / span_days) as u32; // up to 40 %
            let fate = if age < 2 {
                Fate::Submitted
            } else if r < closed_share * 7 / 10 {
                Fate::ClosedPaid
            } else if r < closed_share * 85 / 100 {
                Fate::ClosedWithdrawn
            } else if r < closed_share {
                Fate::ClosedUnrecoverable
            } else if age > 60 && r >= 940 {
                Fate::Legal
            } else if age > 40 && r >= 860 {
                Fate::FormalNotice
            } else {
                Fate::Amicable
            };
            *report.states.entry(fate.state().to_string()).or_default() += 1;

            // Debtor.
            let company = rng.gen_range(0..4) > 0;
            let (pc, city) = CITIES[rng.gen_range(0..CITIES.len())];
            let surname = pick(&mut rng, SURNAMES);
            let (name, first, form, siren_no) = if company {
                (
                    format!("{} {}", pick(&mut rng, TRADES), surname),
                    None,
                    Some(pick(&mut rng, FORMS)),
                    Some(siren(&mut rng)),
                )
            } else {
                (
                    surname.to_string(),
                    Some(pick(&mut rng, FIRST_NAMES)),
                    None,
                    None,
                )
            };
            let email = format!("debiteur{case_id}@exemple.fr");
            debtors.push(format!(
                "({case_id},{org},{},{},{},{},{},{},{},{},'FR',{},{},{},{})",
                q(if company { "company" } else { "individual" }),
                q(&name),
                opt(first),
                opt(form),
                opt(siren_no.as_deref()),
                q(&format!(
                    "{} {}",
                    rng.gen_range(1..200),
                    pick(&mut rng, STREETS)
                )),
                q(pc),
                q(city),
                if rng.gen_bool(0.7) {
                    q(&email)
                } else {
                    "NULL".into()
                },
                if rng.gen_bool(0.5) {
                    q(&format!(
                        "06 {:02} {:02} {:02} {:02}",
                        rng.gen_range(0..100),
                        rng.gen_range(0..100),
                        rng.gen_range(0..100),
                        rng.gen_range(0..100)
                    ))
                } else {
                    "NULL".into()
                },
                b(!company),
                ts(opened_at)
            ));

            // Invoices: 1–3, 80 € to 25 000 €, due 30 or 60 days after issue, overdue at opening.
            let n_inv = [1, 1, 1, 2, 2, 3][rng.gen_range(0..6)];
            let mut claimed = 0i64;
            let mut earliest_due = opened_at.date();
            for k in 0..n_inv {
                // Integer cents throughout: a cubed draw in millionths spreads the sizes
                // (most invoices small, a few up to 25 080 €).
                let magnitude = i128::from(rng.gen_range(0i64..1_000_000));
                let spread = 2_500_000 * magnitude.pow(3) / 1_000_000_000_000_000_000;
                let amount = 8_000 + i64::try_from(spread).unwrap_or(0);
                let amount = amount - amount % 10 + if company { 0 } else { 5 };
                let due = opened_at.date() - Duration::days(rng.gen_range(20..200));
                let issue = due - Duration::days(if rng.gen_bool(0.5) { 30 } else { 60 });
                earliest_due = earliest_due.min(due);
                claimed += amount;
                invoices.push(format!(
                    "({next_invoice},{case_id},{},{},{},{amount},0)",
                    q(&format!(
                        "F{}-{:05}",
                        issue.year(),
                        (case_id * 7 + k) % 100_000
                    )),
                    date(issue),
                    date(due)
                ));
                next_invoice += 1;
            }
            let year = opened_at.year();
            let number = counters.entry(year).or_insert(0);
            *number += 1;
            let reference = case_reference(year, *number);

            let mut chain = Chain {
                case_id,
                seq: 0,
                prev: GENESIS.to_string(),
            };
            chain.push(
                &mut events,
                &mut next_event,
                opened_at,
                Some(creditor_user),
                "case_opened",
                serde_json::json!({
                    "reference": reference,
                    "debtor": name,
                    "invoices": n_inv,
                    "principal_claimed": format_cents(claimed),
                    "already_paid": format_cents(0),
                }),
            );
            let mut accepted_at = None;
            let mut closed_at = None;
            let mut lawyer = None;
            let mut version = 1;
            if fate != Fate::Submitted {
                let at = opened_at + Duration::hours(rng.gen_range(2..40));
                accepted_at = Some(at);
                version += 1;
                chain.push(
                    &mut events,
                    &mut next_event,
                    at,
                    Some(agent),
                    "case_accepted",
                    serde_json::json!({}),
                );
                // Steps already run: how far the playbook went depends on the time since
                // acceptance (delays 0, 10, 7, 7, 10 days).
                // The steps already run: the playbook's delays (0, 10, 7, 7, 10 days) plus a
                // lag of 0–2 days each (the scheduler runs daily, steps catch up one a run).
                let mut step_times: Vec<NaiveDateTime> = Vec::new();
                let mut t = at;
                for (i, (_, delay)) in STEPS.iter().enumerate() {
                    let lag = if i == 0 { 0 } else { rng.gen_range(0..3) };
                    let next = t + Duration::days(delay + lag);
                    if next > now - Duration::hours(1) {
                        break;
                    }
                    step_times.push(next);
                    t = next;
                }
                let steps_to_log = match fate {
                    // The formal notice (step 5) went out.
                    Fate::FormalNotice | Fate::Legal => STEPS.len(),
                    // A case past its playbook stays in amicable recovery only after the
                    // formal notice was settled by a payment or a promise: step 4 at most
                    // here for the young ones, the whole playbook for the older ones.
                    Fate::Amicable if step_times.len() < STEPS.len() => step_times.len(),
                    Fate::Amicable => STEPS.len(),
                    _ => step_times.len().min(2),
                };
                let mut anchor = at;
                for (i, (template, _)) in STEPS.iter().take(steps_to_log).enumerate() {
                    let step_at = step_times
                        .get(i)
                        .copied()
                        .unwrap_or(anchor + Duration::days(STEPS[i].1))
                        .min(now - Duration::hours(1));
                    chain.push(
                        &mut events,
                        &mut next_event,
                        step_at,
                        None,
                        "playbook_step",
                        serde_json::json!({ "step": i + 1, "template": template, "seeded": true }),
                    );
                    anchor = step_at;
                }
                let mut notice = (None, None, false);
                if matches!(fate, Fate::FormalNotice | Fate::Legal) {
                    let deadline = anchor.date() + Duration::days(8);
                    notice = (Some(anchor.date()), Some(deadline), deadline < today);
                }
                // Amicable cases whose next step falls due: the anchor is the last step's
                // time; `recouvra run-due` performs the due ones.
                let next_step = steps_to_log as i64 + 1;
                if fate == Fate::Amicable && next_step <= STEPS.len() as i64 {
                    let delay = STEPS[(next_step - 1) as usize].1;
                    if anchor.date() + Duration::days(delay) <= today {
                        report.due_steps += 1;
                    }
                }
                recovery.push(format!(
                    "({case_id},NULL,{next_step},{},{},{},{})",
                    ts(anchor),
                    notice.0.map(date).unwrap_or_else(|| "NULL".into()),
                    notice.1.map(date).unwrap_or_else(|| "NULL".into()),
                    b(notice.2)
                ));
                match fate {
                    Fate::Legal => {
                        let l = lawyers[rng.gen_range(0..lawyers.len())];
                        lawyer = Some(l);
                        let at = (anchor + Duration::days(rng.gen_range(10..30)))
                            .min(now - Duration::minutes(30));
                        version += 1;
                        legal.push(format!("({case_id},{l},{agent},{})", ts(at)));
                        chain.push(
                            &mut events,
                            &mut next_event,
                            at,
                            Some(agent),
                            "case_referred",
                            serde_json::json!({ "lawyer_id": l, "lawyer": format!("Maître {}", SURNAMES[(l - lawyers[0] + 1) as usize]) }),
                        );
                    }
                    Fate::ClosedPaid | Fate::Amicable
                        if fate == Fate::ClosedPaid || rng.gen_range(0..100) < 12 =>
                    {
                        // A payment: in full (closes the case) or a part of the claim.
                        let amount = if fate == Fate::ClosedPaid {
                            claimed
                        } else {
                            (claimed / 100 * rng.gen_range(10..60)).max(100)
                        };
                        let at = (anchor + Duration::days(rng.gen_range(1..20)))
                            .min(now - Duration::minutes(30));
                        let method = ["transfer", "transfer", "card", "cheque", "direct_debit"]
                            [rng.gen_range(0..5)];
                        payments.push(format!(
                            "({next_payment},{case_id},{},{amount},'{method}',NULL,{agent},{})",
                            date(at.date()),
                            ts(at)
                        ));
                        version += 1;
                        chain.push(
                            &mut events,
                            &mut next_event,
                            at,
                            Some(agent),
                            "payment_recorded",
                            serde_json::json!({
                                "payment_id": next_payment,
                                "amount": format_cents(amount),
                                "received_on": at.date().to_string(),
                                "method": method,
                                "closes_case": fate == Fate::ClosedPaid,
                                "seeded": true,
                            }),
                        );
                        next_payment += 1;
                        report.payments += 1;
                        if fate == Fate::ClosedPaid {
                            closed_at = Some(at);
                        }
                    }
                    Fate::ClosedWithdrawn | Fate::ClosedUnrecoverable => {
                        let at = (anchor + Duration::days(rng.gen_range(5..60)))
                            .min(now - Duration::minutes(30));
                        version += 1;
                        closed_at = Some(at);
                        chain.push(
                            &mut events,
                            &mut next_event,
                            at,
                            Some(if fate == Fate::ClosedWithdrawn {
                                creditor_user
                            } else {
                                agent
                            }),
                            if fate == Fate::ClosedWithdrawn {
                                "case_withdrawn"
                            } else {
                                "case_closed"
                            },
                            serde_json::json!({ "outcome": fate.outcome(), "seeded": true }),
                        );
                    }
                    _ => {}
                }
            }
            cases.push(format!(
                "({case_id},{},{org},{case_id},{},{},{},{},{},'',{},{creditor_user},{},{},{},{version})",
                q(&reference),
                creditor + 1,
                q(fate.state()),
                opt(fate.outcome()),
                if fate == Fate::Submitted { "NULL".into() } else { agent.to_string() },
                lawyer.map(|l| l.to_string()).unwrap_or_else(|| "NULL".into()),
                match fate {
                    Fate::ClosedWithdrawn => q("Le créancier retire le dossier"),
                    Fate::ClosedUnrecoverable => q("Débiteur insolvable"),
                    _ => "NULL".into(),
                },
                ts(opened_at),
                accepted_at.map(ts).unwrap_or_else(|| "NULL".into()),
                closed_at.map(ts).unwrap_or_else(|| "NULL".into()),
            ));
            heads.push(format!("({case_id},{},{})", chain.seq, q(&chain.prev)));
            report.events += chain.seq as u64;
        }
        report.invoices = (next_invoice - 1) as u64;
        let mut sql = String::with_capacity(8 << 20);
        for rows in [
            &mut debtors,
            &mut cases,
            &mut invoices,
            &mut recovery,
            &mut payments,
            &mut events,
            &mut heads,
            &mut legal,
        ] {
            rows.flush_into(&mut sql);
        }
        exec_tx(conn, &sql)?;
        report.cases = end as u64;
        progress(report.cases);
        id = end + 1;
    }

    // The yearly reference counters continue after the seeded cases; PostgreSQL's sequences
    // continue after the explicit ids.
    let mut sql = String::new();
    for (year, n) in &counters {
        let _ = writeln!(
            sql,
            "INSERT INTO counters (name, value) VALUES ('case_ref_{year}', {n});"
        );
    }
    if pg {
        for t in [
            "organisations",
            "users",
            "mandates",
            "debtors",
            "cases",
            "invoices",
            "payments",
            "case_events",
        ] {
            let _ = writeln!(
                sql,
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {t}));"
            );
        }
        sql.push_str("ANALYZE;\n");
    } else {
        sql.push_str("ANALYZE;\n");
    }
    // The search keys, computed by the same Rust folding as at intake (before ANALYZE reads
    // the table's statistics again on the next run: cheap next to the seeding itself).
    crate::store::cases::backfill_search_keys(conn)?;
    conn.batch_execute(&sql)?;
    Ok(report)
}

/// Runs a batch of statements in one transaction.
fn exec_tx(conn: &mut DbConn, sql: &str) -> anyhow::Result<()> {
    conn.batch_execute("BEGIN")?;
    match conn.batch_execute(sql) {
        Ok(()) => {
            conn.batch_execute("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e.into())
        }
    }
}
