//! Database access: one connection type over SQLite and PostgreSQL, chosen from the URL
//! scheme; a small r2d2 manager; embedded migrations per backend; the write transaction.

pub mod schema;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

use crate::error::{AppError, AppResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Key of the PostgreSQL advisory lock held while migrating, so two instances starting at
/// once cannot both run the same migration.
const MIGRATION_LOCK_KEY: i64 = 0x5245_434f_5556; // "RECOUV"

/// A connection to either backend. Code is written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// The backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A URL Recouvra cannot use.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0})")]
    UnknownScheme(String),
    #[error("cannot open the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("cannot prepare the database connection: {0}")]
    Setup(#[from] diesel::result::Error),
    #[error("cannot create the database folder: {0}")]
    Folder(#[from] std::io::Error),
}

impl Backend {
    /// Picks the backend from the URL scheme (SQLite accepts any string, so never guess).
    pub fn from_url(url: &str) -> Result<Backend, ConnectError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(ConnectError::UnknownScheme(format!("{scheme}:")))
        }
    }
}

/// The file path of a `sqlite://path` URL.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Opens one connection, configured for Recouvra (SQLite: WAL, foreign keys, busy timeout).
pub fn connect(url: &str) -> Result<DbConn, ConnectError> {
    match Backend::from_url(url)? {
        Backend::Postgres => Ok(DbConn::Pg(diesel::PgConnection::establish(url)?)),
        Backend::Sqlite => {
            let path = sqlite_path(url);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)?;
                }
            }
            let mut conn = diesel::SqliteConnection::establish(path)?;
            conn.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// r2d2 manager calling our own [`connect`], so a PostgreSQL error is reported as it is
/// (the stock manager hides it behind a generic message after a long wait).
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        connect(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::Setup)
    }

    /// diesel's own check: a connection still inside a transaction (a failed commit whose
    /// rollback failed too, a panic in the middle of a use case) or whose transaction manager
    /// is in error is dropped instead of going back to the pool, where on SQLite it would hold
    /// the write lock for every other connection.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// The connection pool shared by the request handlers.
pub type Pool = r2d2::Pool<Manager>;
/// A connection taken from the pool.
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// How long a request waits for a pooled connection before it is answered 503
/// (`UNAVAILABLE`): bounded, so an outage of the database never hangs a client.
pub const POOL_WAIT: Duration = Duration::from_secs(5);

/// Builds the pool. It opens no connection up front, so the server starts even while the
/// database is briefly away; requests then fail within [`POOL_WAIT`] with a clear error.
///
/// On PostgreSQL each connection is checked (`SELECT 1`) as it leaves the pool: a server
/// restarted or failed over leaves every idle connection dead, and without the check each
/// would fail one request before being dropped. A SQLite file cannot go away under its
/// connections, so there the check is skipped.
pub fn pool(url: &str, size: u32) -> Result<Pool, ConnectError> {
    let backend = Backend::from_url(url)?;
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(POOL_WAIT)
        .test_on_check_out(backend == Backend::Postgres)
        .build_unchecked(Manager {
            url: url.to_string(),
        });
    Ok(pool)
}

/// Runs the pending migrations of the connection's backend, each in its own transaction
/// (diesel's default); on PostgreSQL under an advisory lock held for the whole run. Then
/// gives cases opened before the search key existed their key (`store::cases`): a step no
/// SQL migration can do, since the folding is Rust code; it finds nothing to do afterwards.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = run_migrations(conn)?;
    let filled = crate::store::cases::backfill_search_keys(conn)
        .map_err(|e| anyhow::anyhow!("cannot fill the search keys: {e}"))?;
    if filled > 0 {
        tracing::info!(cases = filled, "search keys filled");
    }
    Ok(applied)
}

fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConn::Sqlite(c) => {
            let applied = c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
                .iter()
                .map(|v| v.to_string())
                .collect();
            widen_sqlite_case_outcomes(c)?;
            applied
        }
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let result = c
                .run_pending_migrations(PG_MIGRATIONS)
                .map(|v| v.iter().map(|v| v.to_string()).collect::<Vec<_>>())
                .map_err(|e| anyhow::anyhow!("migration failed: {e}"));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            result?
        }
    };
    Ok(applied)
}

/// Adds the case outcome `debt_erased` (issue 18: a rétablissement personnel, C. conso.
/// L741-2) to the CHECK of `cases.outcome` on SQLite; PostgreSQL's migration 000017 does it
/// in SQL. SQLite cannot alter a CHECK, and `cases` cannot be rebuilt inside a migration's
/// transaction (every table references it, and foreign keys cannot be turned off inside
/// one). For a change that only widens a constraint, which every stored row already
/// satisfies, SQLite documents editing the table's SQL in the schema and bumping
/// `schema_version` in one transaction (sqlite.org/lang_altertable.html, "otheralter"); the
/// bump makes every open connection read the new schema. It finds nothing to do afterwards.
fn widen_sqlite_case_outcomes(c: &mut diesel::SqliteConnection) -> anyhow::Result<()> {
    use diesel::sql_types::{BigInt, Text};
    c.transaction(|c| {
        let sql: String = diesel::select(diesel::dsl::sql::<Text>(
            "sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'",
        ))
        .get_result(c)?;
        if sql.contains("'debt_erased'") || !sql.contains("'handed_over')") {
            return Ok(());
        }
        let version: i64 = diesel::select(diesel::dsl::sql::<BigInt>(
            "schema_version FROM pragma_schema_version",
        ))
        .get_result(c)?;
        c.batch_execute("PRAGMA writable_schema = ON")?;
        diesel::sql_query(
            "UPDATE sqlite_master SET sql = replace(sql, '''handed_over'')', \
             '''handed_over'', ''debt_erased'')') WHERE type = 'table' AND name = 'cases'",
        )
        .execute(c)?;
        c.batch_execute(&format!("PRAGMA schema_version = {}", version + 1))?;
        c.batch_execute("PRAGMA writable_schema = OFF")?;
        Ok::<_, diesel::result::Error>(())
    })
    .map_err(|e| anyhow::anyhow!("cannot add the outcome debt_erased: {e}"))
}

/// Serialises the transactions that call it with the same `(namespace, key)` until they end:
/// on PostgreSQL a transaction-scoped advisory lock; on SQLite nothing to do, `BEGIN
/// IMMEDIATE` already lets one writer in at a time. For a check-then-insert that no unique
/// index can express (e.g. "no open case of this creditor holds this invoice").
pub fn lock_in_transaction(conn: &mut DbConn, namespace: i32, key: i64) -> AppResult<()> {
    if let DbConn::Pg(c) = conn {
        // The two-int form keeps these keys apart from the migration lock's single bigint.
        let key = key as i32 ^ (key >> 32) as i32;
        c.batch_execute(&format!("SELECT pg_advisory_xact_lock({namespace}, {key})"))?;
    }
    Ok(())
}

/// Runs `f` in one transaction: committed if it returns `Ok`, rolled back otherwise.
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock first, so
/// two writers queue (busy timeout) instead of both reading and then one failing on upgrade.
/// On PostgreSQL concurrent changes to one case are caught by the `version` column.
///
/// A panic inside `f` rolls the transaction back before it unwinds further, so a caller that
/// catches it (the scheduler, per case) keeps a clean connection.
///
/// Called inside another transaction, it is a savepoint on both backends: an error rolls
/// back what `f` wrote and leaves the outer transaction going (the bank import records each
/// payment so, and keeps an entry whose payment is refused as unmatched).
pub fn transaction<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> AppResult<T>,
) -> AppResult<T> {
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    let mut panicked = None;
    // The panic is kept aside while the transaction is rolled back as for an error, then
    // resumed: the connection never leaves here inside a transaction.
    let guarded = |c: &mut DbConn| match catch_unwind(AssertUnwindSafe(|| f(c))) {
        Ok(result) => result,
        Err(payload) => {
            panicked = Some(payload);
            Err(AppError::new(
                crate::error::ErrorCode::Internal,
                "internal error",
            ))
        }
    };
    let result = match conn {
        DbConn::Pg(_) => conn.transaction(guarded),
        DbConn::Sqlite(_) => sqlite_transaction(conn, guarded),
    };
    if let Some(payload) = panicked {
        resume_unwind(payload);
    }
    result
}

fn sqlite_transaction<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> AppResult<T>,
) -> AppResult<T> {
    match conn {
        DbConn::Pg(_) => Err(AppError::internal("not a SQLite connection")),
        DbConn::Sqlite(inner) => {
            // Inside a transaction already (a use case run by another, such as a bank
            // import recording payments): a savepoint, so that the inner one's failure rolls
            // back its own writes only.
            let nested = AnsiTransactionManager::transaction_manager_status_mut(inner)
                .transaction_depth()?
                .is_some();
            if nested {
                AnsiTransactionManager::begin_transaction(inner)?;
            } else {
                AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            }
            let result = f(conn);
            let DbConn::Sqlite(inner) = conn else {
                return Err(AppError::internal("connection changed backend"));
            };
            match result {
                Ok(v) => {
                    AnsiTransactionManager::commit_transaction(inner)?;
                    Ok(v)
                }
                Err(e) => {
                    AnsiTransactionManager::rollback_transaction(inner)?;
                    Err(e)
                }
            }
        }
    }
}

/// Whether a diesel error is a unique-constraint violation (used to turn races on unique
/// keys into clear answers).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Checks the database answers (used by `/healthz`).
pub fn ping(conn: &mut DbConn) -> AppResult<()> {
    conn.batch_execute("SELECT 1")?;
    Ok(())
}

/// Whether the database already holds Recouvra's tables.
pub fn has_schema(conn: &mut DbConn) -> anyhow::Result<bool> {
    use diesel::sql_types::BigInt;
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'cases'"
        }
        DbConn::Pg(_) => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'cases'"
        }
    };
    let row: Count = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
    };
    Ok(row.n > 0)
}

/// Whether migrations of this version are not yet applied.
pub fn has_pending(conn: &mut DbConn) -> anyhow::Result<bool> {
    let pending = match conn {
        DbConn::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.has_pending_migration(PG_MIGRATIONS),
    };
    pending.map_err(|e| anyhow::anyhow!("cannot read the migration state: {e}"))
}

/// Reverts every migration (for the up → down → up test, and for operators rolling back).
pub fn revert_all(conn: &mut DbConn) -> anyhow::Result<usize> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConn::Pg(c) => c.revert_all_migrations(PG_MIGRATIONS).map(|v| v.len()),
    };
    reverted.map_err(|e| anyhow::anyhow!("revert failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn count(conn: &mut DbConn) -> i64 {
        let DbConn::Sqlite(c) = conn else {
            panic!("SQLite expected")
        };
        diesel::sql_query("SELECT COUNT(*) AS n FROM t")
            .get_result::<N>(c)
            .unwrap()
            .n
    }

    fn sqlite_pool() -> (tempfile::TempDir, String, Pool) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        connect(&url)
            .unwrap()
            .batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .unwrap();
        let pool = pool(&url, 1).unwrap();
        (dir, url, pool)
    }

    #[test]
    fn a_connection_left_inside_a_transaction_is_discarded_not_handed_out_again() {
        let (_dir, url, pool) = sqlite_pool();
        {
            // A connection whose transaction never ended (what a failed commit whose rollback
            // failed too leaves): back to the pool, it would hold SQLite's write lock.
            let mut conn = pool.get().unwrap();
            let DbConn::Sqlite(inner) = &mut *conn else {
                panic!("SQLite expected")
            };
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE").unwrap();
        }
        let mut conn = pool.get().unwrap();
        transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t (id) VALUES (1)")?;
            Ok(())
        })
        .expect("a fresh connection, not the one left in its transaction");
        drop(conn);
        // Committed: another connection sees the row (the write lock was free).
        assert_eq!(count(&mut connect(&url).unwrap()), 1);
    }

    #[test]
    fn a_failed_transaction_inside_another_rolls_back_its_own_writes_only() {
        let (_dir, url, pool) = sqlite_pool();
        let mut conn = pool.get().unwrap();
        transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t (id) VALUES (1)")?;
            let inner = transaction(c, |c| -> AppResult<()> {
                c.batch_execute("INSERT INTO t (id) VALUES (2)")?;
                Err(AppError::validation("amount", "refused"))
            });
            assert!(inner.is_err());
            transaction(c, |c| {
                c.batch_execute("INSERT INTO t (id) VALUES (3)")?;
                Ok(())
            })
        })
        .unwrap();
        drop(conn);
        // 1 and 3 committed with the outer transaction; 2 rolled back to its savepoint.
        assert_eq!(count(&mut connect(&url).unwrap()), 2);
    }

    #[test]
    fn a_panic_inside_a_transaction_rolls_it_back_before_unwinding() {
        let (_dir, url, pool) = sqlite_pool();
        let mut conn = pool.get().unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = transaction(&mut conn, |c| -> AppResult<()> {
                c.batch_execute("INSERT INTO t (id) VALUES (1)")?;
                panic!("a bug in a use case");
            });
        }));
        assert!(caught.is_err(), "the panic goes on");
        assert!(!diesel::r2d2::R2D2Connection::is_broken(&mut *conn));
        transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO t (id) VALUES (2)")?;
            Ok(())
        })
        .unwrap();
        drop(conn);
        assert_eq!(count(&mut connect(&url).unwrap()), 1, "row 1 rolled back");
    }
}
