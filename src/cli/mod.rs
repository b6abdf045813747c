//! Command line: `serve [--demo]`, `migrate`, `run-due`, `org add`, `user add`,
//! `mandate add`, `verify-audit`, `fsck`, `backup`, `print-schema`, `import-courts`,
//! `import-bodacc`, `bank import`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

use crate::admin;
use crate::config::Config;
use crate::db;
use crate::domain::parties::{OrgKind, Role};

pub(crate) mod logging;
mod serve;
use logging::init_logging;
use serve::serve;

#[derive(Parser)]
#[command(
    name = "recouvra",
    version,
    about = "Case management for debt-collection agencies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve {
        /// Seed demo data (once) and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (overrides RECOUVRA_BIND).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
        /// Apply pending migrations before serving (a fresh database is always migrated).
        #[arg(long)]
        migrate: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Run the scheduler once (due playbook steps, promises, plans, deadlines, the outbox) and
    /// print what it did: for cron, when the server's background scheduler is off. Safe to run
    /// beside servers: each step and each message is done once.
    RunDue,
    /// Organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Creditor mandates.
    Mandate {
        #[command(subcommand)]
        command: MandateCommand,
    },
    /// Check the hash chain of every case's events; names the first broken link.
    VerifyAudit,
    /// Check the evidence archive: blobs no row points to, rows whose blob is missing, bytes
    /// that no longer match their SHA-256. Exit code 1 when something is wrong.
    Fsck {
        /// Remove orphan blobs and withdraw pieces whose bytes are lost or altered.
        #[arg(long)]
        repair: bool,
        /// Seconds an orphan blob must stay orphaned before --repair removes it (an upload
        /// may be committing its row right now).
        #[arg(long, default_value_t = 10)]
        grace: u64,
    },
    /// Copy the SQLite database while the server runs (a consistent snapshot, `VACUUM INTO`).
    /// On PostgreSQL, use `pg_dump` instead (exit code 2).
    Backup {
        /// The file to create; an existing file is never overwritten.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Print the GraphQL schema (SDL).
    PrintSchema,
    /// Import a court directory (the JSON format of assets/courts/directory.json): checked
    /// whole, then in force for the competent court of every requête (CPC 1406).
    ImportCourts {
        /// The directory file.
        file: std::path::PathBuf,
    },
    /// Import BODACC announcements (the DILA's « annonces-commerciales » open data, its JSON
    /// export): each one stored once; those on the debtor of open cases raise an alert for
    /// the agent.
    ImportBodacc {
        /// The JSON file.
        file: std::path::PathBuf,
    },
    /// The agency's dedicated account (CPCE R124-2).
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// Benchmark only: fill an EMPTY migrated database with N realistic cases (bench/).
    #[command(hide = true)]
    BenchSeed {
        /// How many cases.
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// Random seed (same seed, same data).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Cases per transaction.
        #[arg(long, default_value_t = 5_000)]
        chunk: u64,
        /// The day the portfolio is seen from (default: the application's today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Benchmark only: time the scheduler's scan for due playbook steps, without running them.
    #[command(hide = true)]
    BenchScan {
        /// Repeat the scan this many times (each is timed).
        #[arg(long, default_value_t = 3)]
        times: u32,
    },
    /// Benchmark only: write a camt.053 statement of N credits against the seeded cases, then
    /// time its import (it records payments: run it on a copy of the database).
    #[command(hide = true)]
    BenchBank {
        /// How many entries.
        #[arg(long, default_value_t = 10_000)]
        entries: usize,
        /// Random seed (same seed and database, same statement).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The agent who imports (their e-mail).
        #[arg(long = "as", default_value = "agent1@bench.recouvra.test")]
        by: String,
        /// Also write the statement to this file.
        #[arg(long)]
        statement: Option<std::path::PathBuf>,
        /// Write what became of each entry (bank reference, status, case, reason) to this file.
        #[arg(long)]
        decisions: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum BankCommand {
    /// Import a statement of the account (camt.053, or CSV with its columns named): each
    /// entry stored once ever; credits naming a case's reference recorded as its payment,
    /// the others proposed or left in the reconciliation queue. Prints the report.
    Import {
        /// The statement file.
        file: std::path::PathBuf,
        #[arg(long, default_value = "camt053", value_parser = ["camt053", "csv"])]
        format: String,
        /// The agent or admin the payments are recorded by (their e-mail).
        #[arg(long = "as")]
        by: String,
        /// A CSV's account (default: the dedicated account of the agency's settings).
        #[arg(long)]
        iban: Option<String>,
        /// CSV: the header of the booking date.
        #[arg(long, default_value = "Date")]
        date_column: String,
        /// CSV: the header of the signed amount (or --credit-column and --debit-column).
        #[arg(long)]
        amount_column: Option<String>,
        #[arg(long)]
        credit_column: Option<String>,
        #[arg(long)]
        debit_column: Option<String>,
        /// CSV: the header of the remittance information.
        #[arg(long, default_value = "Libellé")]
        remittance_column: String,
        #[arg(long)]
        payer_column: Option<String>,
        #[arg(long)]
        reference_column: Option<String>,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation; prints its id.
    Add {
        #[arg(long, value_parser = ["agency", "creditor"])]
        kind: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        legal_form: String,
        #[arg(long)]
        siren: String,
        #[arg(long)]
        address: String,
        #[arg(long)]
        postal_code: String,
        #[arg(long)]
        city: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input with --password-stdin,
    /// otherwise generated and printed once.
    Add {
        #[arg(long, value_parser = ["admin", "agent", "lawyer", "creditor"])]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Organisation id (required for a creditor user).
        #[arg(long)]
        org: Option<i64>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum MandateCommand {
    /// Record a creditor's signed mandate.
    Add {
        #[arg(long)]
        org: i64,
        /// Date of signature, YYYY-MM-DD.
        #[arg(long)]
        signed_on: chrono::NaiveDate,
        /// Commission in basis points (1250 = 12.50 %).
        #[arg(long)]
        commission_bps: i32,
        #[arg(long)]
        terms: String,
    },
}

/// Entry point of the binary: one clear line on error, exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("recouvra: {e}");
            return ExitCode::FAILURE;
        }
    };
    init_logging(&config.log_filter, config.log_format);
    match run(cli.command, &mut config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<crate::backup::UsePgDump>() => {
            eprintln!("recouvra: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("recouvra: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub(super) fn open(config: &Config) -> anyhow::Result<db::DbConn> {
    Ok(db::connect(&config.database_url)?)
}

fn run(command: Command, config: &mut Config) -> anyhow::Result<()> {
    let clock = config.clock();
    match command {
        Command::PrintSchema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Backup { to } => {
            let size = crate::backup::sqlite(&config.database_url, &to)?;
            println!("backup written to {} ({size} bytes)", to.display());
            Ok(())
        }
        Command::BenchSeed {
            cases,
            seed,
            chunk,
            today,
        } => {
            config.prepare_data_dir()?;
            let mut conn = open(config)?;
            db::migrate(&mut conn)?;
            let started = std::time::Instant::now();
            let opts = crate::benchseed::SeedOptions {
                cases,
                seed,
                today: today.unwrap_or_else(|| clock.today()),
                chunk: chunk.max(1),
                password_hash: crate::auth::password::hash(
                    crate::benchseed::PASSWORD,
                    config.hash_cost,
                )?,
            };
            let report = crate::benchseed::seed(&mut conn, &opts, |done| {
                if done.is_multiple_of(100_000) || done == cases {
                    eprintln!("  {done} cases ({:.1} s)", started.elapsed().as_secs_f64());
                }
            })?;
            println!(
                "seeded {} cases in {:.1} s: {} creditors, {} users, {} invoices, {} payments, \
                 {} events, {} playbook steps due; states: {:?}; password of every user: {}",
                report.cases,
                started.elapsed().as_secs_f64(),
                report.creditors,
                report.users,
                report.invoices,
                report.payments,
                report.events,
                report.due_steps,
                report.states,
                crate::benchseed::PASSWORD
            );
            Ok(())
        }
        Command::BenchScan { times } => {
            let mut conn = open(config)?;
            for _ in 0..times {
                let started = std::time::Instant::now();
                let due = crate::jobs::scheduler::due_steps(&mut conn, clock.today())?;
                println!(
                    "scan: {} case(s) with a playbook step due, {:.1} ms",
                    due.len(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            Ok(())
        }
        Command::BenchBank {
            entries,
            seed,
            by,
            statement,
            decisions,
        } => bench_bank(config, &clock, entries, seed, &by, statement, decisions),
        Command::ImportCourts { file } => {
            let json = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let mut conn = open(config)?;
            if db::has_pending(&mut conn)? {
                anyhow::bail!("the database schema is behind this version: run `recouvra migrate`");
            }
            let imported = crate::legal::courts::import(&mut conn, &clock, None, &json)
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!(
                "court directory {} imported: {} courts, {} communes ({})",
                imported.version, imported.courts, imported.communes, imported.source
            );
            Ok(())
        }
        Command::ImportBodacc { file } => {
            let json = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let mut conn = open(config)?;
            if db::has_pending(&mut conn)? {
                anyhow::bail!("the database schema is behind this version: run `recouvra migrate`");
            }
            let s = crate::legal::bodacc::import(&mut conn, &clock, None, &json)
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!(
                "BODACC: {} read, {} new, {} duplicates, {} ignored (other families), \
                 {} case(s) alerted, {} unmatched, {} refused",
                s.read,
                s.new,
                s.duplicates,
                s.ignored,
                s.matched_cases,
                s.unmatched,
                s.refused.len()
            );
            for r in &s.refused {
                println!("refused: record {}: {}", r.record, r.reason);
            }
            Ok(())
        }
        Command::Bank {
            command:
                BankCommand::Import {
                    file,
                    format,
                    by,
                    iban,
                    date_column,
                    amount_column,
                    credit_column,
                    debit_column,
                    remittance_column,
                    payer_column,
                    reference_column,
                },
        } => {
            let content = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let mut conn = open(config)?;
            if db::has_pending(&mut conn)? {
                anyhow::bail!("the database schema is behind this version: run `recouvra migrate`");
            }
            let user = crate::store::users::find_by_email(&mut conn, &by.trim().to_lowercase())?
                .filter(|u| u.active)
                .ok_or_else(|| anyhow::anyhow!("no active user {by}"))?;
            let actor = crate::auth::Actor {
                user_id: user.id,
                role: Role::parse(&user.role)?,
                org_id: user.organisation_id,
            };
            let split = credit_column.is_some() || debit_column.is_some();
            let mapping = crate::domain::bank::csv::Mapping {
                date: date_column,
                amount: amount_column.or(if split { None } else { Some("Montant".into()) }),
                credit: credit_column,
                debit: debit_column,
                payer: payer_column,
                remittance: remittance_column,
                reference: reference_column,
                currency: None,
            };
            let blobs = config.blob_store()?;
            let input = crate::recovery::bank::ImportInput {
                content,
                format: crate::domain::bank::Format::parse(&format)?,
                mapping: Some(mapping),
                iban,
            };
            let r =
                crate::recovery::bank::import(&mut conn, &clock, blobs.as_ref(), &actor, &input)
                    .map_err(|e| match &e.field {
                        Some(f) => anyhow::anyhow!("{f}: {}", e.message),
                        None => anyhow::anyhow!("{}", e.message),
                    })?;
            println!(
                "bank statement: {} entries read, {} new, {} duplicates, {} matched, {} payouts, \
                 {} proposed, {} unmatched, {} debits, {} pending, {} refused",
                r.read,
                r.new,
                r.duplicates,
                r.matched,
                r.payouts,
                r.proposed,
                r.unmatched,
                r.ignored,
                r.pending,
                r.refused.len()
            );
            for x in &r.refused {
                println!("refused: line {}: {}", x.line, x.reason);
            }
            for q in &r.entries {
                let e = &q.entry;
                if e.status == "unmatched" || e.status == "proposed" {
                    println!(
                        "{} {} {} {}: {}",
                        e.status,
                        e.booked_on,
                        crate::domain::money::format_cents(e.amount_cents),
                        q.case_reference.as_deref().unwrap_or("-"),
                        e.reason.as_deref().unwrap_or("")
                    );
                }
            }
            Ok(())
        }
        Command::Migrate => {
            config.prepare_data_dir()?;
            let applied = db::migrate(&mut open(config)?)?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::RunDue => {
            config.prepare_data_dir()?;
            let pool = db::pool(&config.database_url, 2)?;
            if db::has_pending(&mut open(config)?)? {
                anyhow::bail!("the database schema is behind this version: run `recouvra migrate`");
            }
            let env = crate::jobs::JobEnv {
                bodacc_feed_url: config.bodacc_feed_url.clone(),
                ..crate::jobs::JobEnv::new(
                    &config.database_url,
                    config.data_dir.clone(),
                    config.smtp_url.as_deref(),
                    config.blob_store()?,
                )?
            };
            let s = crate::jobs::run_due(&pool, &clock, &env)?;
            println!(
                "steps run: {}, tasks created: {}, messages queued: {}, e-mails sent: {}, \
                 retrying: {}, failed: {}, uncertain: {}, promises kept/broken: {}/{}, \
                 plans completed/broken: {}/{}, reminders before a date: {}, \
                 formal notices expired: {}",
                s.steps_run,
                s.tasks_created,
                s.messages_queued,
                s.emails_sent,
                s.emails_retrying,
                s.emails_failed,
                s.emails_uncertain,
                s.promises_kept,
                s.promises_broken,
                s.plans_completed,
                s.plans_broken,
                s.reminders_ahead,
                s.notices_expired
            );
            for b in &s.blocked {
                println!("blocked: {b}");
            }
            Ok(())
        }
        Command::Serve {
            demo,
            bind,
            migrate,
        } => {
            if let Some(b) = bind {
                config.bind = b;
            }
            config.prepare_data_dir()?;
            serve(config, clock, demo, migrate)
        }
        Command::Org {
            command:
                OrgCommand::Add {
                    kind,
                    name,
                    legal_form,
                    siren,
                    address,
                    postal_code,
                    city,
                },
        } => {
            config.prepare_data_dir()?;
            let input = admin::OrganisationInput {
                kind: OrgKind::parse(&kind)?,
                name,
                legal_form,
                siren,
                address_line1: address,
                address_line2: None,
                postal_code,
                city,
                country: None,
            };
            let org = admin::create_organisation(&mut open(config)?, &clock, None, &input)?;
            println!("organisation {} created: {}", org.id, org.name);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    role,
                    email,
                    name,
                    org,
                    password_stdin,
                },
        } => {
            config.prepare_data_dir()?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_string())
            } else {
                None
            };
            let input = admin::UserInput {
                display_name: name.unwrap_or_else(|| email.clone()),
                email,
                role: Role::parse(&role)?,
                organisation_id: org,
                password,
                // A password typed by the operator is theirs; a generated one is provisional.
                provisional: false,
            };
            let (user, generated) =
                admin::create_user(&mut open(config)?, &clock, config.hash_cost, None, &input)?;
            println!("user {} created: {} ({})", user.id, user.email, user.role);
            if let Some(p) = generated {
                println!("password (shown once): {p}");
            }
            Ok(())
        }
        Command::Mandate {
            command:
                MandateCommand::Add {
                    org,
                    signed_on,
                    commission_bps,
                    terms,
                },
        } => {
            config.prepare_data_dir()?;
            let input = admin::MandateInput {
                organisation_id: org,
                signed_on,
                ends_on: None,
                commission_bps,
                terms,
                declares_claims: false,
            };
            let m = admin::create_mandate(&mut open(config)?, &clock, None, &input)?;
            println!(
                "mandate {} recorded for organisation {}",
                m.id, m.creditor_org_id
            );
            Ok(())
        }
        Command::Fsck { repair, grace } => {
            config.prepare_data_dir()?;
            let blobs = config.blob_store()?;
            let r = crate::evidence::fsck::fsck(
                &mut open(config)?,
                &clock,
                blobs.as_ref(),
                repair,
                std::time::Duration::from_secs(grace),
            )?;
            println!(
                "{} blob(s), {} hash(es) referenced by rows",
                r.blobs, r.rows
            );
            for sha in &r.orphans {
                println!("orphan blob (no row points to it): {sha}");
            }
            for sha in &r.missing {
                println!("missing blob (a row points to it): {sha}");
            }
            for sha in &r.corrupted {
                println!("corrupted blob (bytes no longer match): {sha}");
            }
            if repair {
                println!(
                    "repaired: {} orphan blob(s) removed, {} piece(s) withdrawn",
                    r.removed, r.withdrawn
                );
            }
            if r.clean() {
                println!("archive intact");
                Ok(())
            } else {
                anyhow::bail!(
                    "archive problems: {} orphan, {} missing, {} corrupted",
                    r.orphans.len(),
                    r.missing.len(),
                    r.corrupted.len()
                )
            }
        }
        Command::VerifyAudit => {
            config.prepare_data_dir()?;
            let report = crate::cases::audit::verify_all(&mut open(config)?)?;
            match report.broken {
                None => {
                    println!(
                        "audit trail intact: {} case(s), {} event(s); security log: {} entr(ies)",
                        report.cases, report.events, report.security_entries
                    );
                    Ok(())
                }
                Some(b) => {
                    let row = match b.event_id {
                        0 => String::new(),
                        id => format!(" (row id {id})"),
                    };
                    match b.case_id {
                        0 => anyhow::bail!(
                            "audit trail broken: security log entry #{}{row}: {}",
                            b.seq,
                            b.reason
                        ),
                        case => anyhow::bail!(
                            "audit trail broken: case {case} event #{}{row}: {}",
                            b.seq,
                            b.reason
                        ),
                    }
                }
            }
        }
    }
}

/// `bench-bank`: the statement written, then its import timed (bench/bank.sh).
fn bench_bank(
    config: &Config,
    clock: &crate::clock::Clock,
    entries: usize,
    seed: u64,
    by: &str,
    statement: Option<std::path::PathBuf>,
    decisions: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let mut conn = open(config)?;
    if db::has_pending(&mut conn)? {
        anyhow::bail!("the database schema is behind this version: run `recouvra migrate`");
    }
    let user = crate::store::users::find_by_email(&mut conn, &by.trim().to_lowercase())?
        .filter(|u| u.active)
        .ok_or_else(|| anyhow::anyhow!("no active user {by}"))?;
    let actor = crate::auth::Actor {
        user_id: user.id,
        role: Role::parse(&user.role)?,
        org_id: user.organisation_id,
    };
    let iban = crate::store::recovery::settings(&mut conn)?.iban;
    let started = std::time::Instant::now();
    let (xml, mix) = crate::benchbank::statement(&mut conn, &iban, clock.today(), entries, seed)
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    println!(
        "statement of {} entries ({} bytes) written in {:.1} s: {mix:?}",
        mix.total(),
        xml.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &statement {
        std::fs::write(path, &xml)?;
    }
    let blobs = config.blob_store()?;
    let input = crate::recovery::bank::ImportInput {
        content: xml.into_bytes(),
        format: crate::domain::bank::Format::Camt053,
        mapping: None,
        iban: None,
    };
    let sql = crate::benchbank::count_statements(&mut conn);
    let started = std::time::Instant::now();
    let r = crate::recovery::bank::import(&mut conn, clock, blobs.as_ref(), &actor, &input)
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let took = started.elapsed();
    println!(
        "import: {:.2} s; {} read, {} new, {} duplicates, {} matched, {} proposed, {} unmatched",
        took.as_secs_f64(),
        r.read,
        r.new,
        r.duplicates,
        r.matched,
        r.proposed,
        r.unmatched
    );
    let sql = sql
        .lock()
        .map_err(|_| anyhow::anyhow!("the counter was poisoned"))?;
    println!("SQL statements: {}; the most costly:", sql.total());
    for (text, n, d) in sql.top(12) {
        let short: String = text.chars().take(160).collect();
        println!("  {:>8.1} ms {n:>7} × {short}", d.as_secs_f64() * 1000.0);
    }
    if let Some(path) = decisions {
        let mut out = String::new();
        for q in &r.entries {
            let e = &q.entry;
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.servicer_ref.as_deref().unwrap_or(""),
                e.status,
                e.case_id.map(|c| c.to_string()).unwrap_or_default(),
                e.payment_id.is_some(),
                e.reason.as_deref().unwrap_or("")
            ));
        }
        std::fs::write(path, out)?;
    }
    Ok(())
}
