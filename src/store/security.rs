//! The security log: sign-ins, failed sign-ins, lock-outs, refused operations and downloads,
//! across all cases. Append-only and hash-chained like the case events
//! (`hash = sha256(prev_hash || canonical entry)`); the chain's head is one row of
//! `security_log_head`, updated by every append, which serialises the writers on PostgreSQL
//! (SQLite's write lock does already) and shows deleted entries at the end of the log.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::events::{chain_hash, BrokenLink, GENESIS};
use crate::db::schema::{security_events, security_log_head};
use crate::db::DbConn;

/// What the log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecurityKind {
    LoginSucceeded,
    LoginFailed,
    /// The failure that locked the account.
    AccountLocked,
    /// A sign-in attempt while the account was locked.
    LoginRefusedLocked,
    /// A refresh token presented again after its rotation (possibly stolen).
    RefreshTokenReused,
    /// An operation refused by the policy (role not allowed, or a case not the caller's).
    PermissionRefused,
    EvidenceDownloaded,
    DocumentDownloaded,
    DossierDownloaded,
    /// An admin disabled an account (its holder can no longer sign in).
    AccountDisabled,
    /// An admin enabled a disabled account again.
    AccountEnabled,
    /// A user changed their own password (with the current one).
    PasswordChanged,
    /// A forgotten-password link was asked for (sent, or refused by the throttle).
    PasswordResetRequested,
    /// A forgotten-password link was used: the password was replaced.
    PasswordReset,
    /// An admin gave an account a provisional password, to change at the next sign-in.
    ProvisionalPasswordSet,
    /// A payment provider's request refused: its signature does not verify, or is stale.
    WebhookRefused,
    /// An admin corrected a mistyped half-year of the interest rate table.
    RateCorrected,
}

impl SecurityKind {
    pub const ALL: [SecurityKind; 17] = [
        SecurityKind::LoginSucceeded,
        SecurityKind::LoginFailed,
        SecurityKind::AccountLocked,
        SecurityKind::LoginRefusedLocked,
        SecurityKind::RefreshTokenReused,
        SecurityKind::PermissionRefused,
        SecurityKind::EvidenceDownloaded,
        SecurityKind::DocumentDownloaded,
        SecurityKind::DossierDownloaded,
        SecurityKind::AccountDisabled,
        SecurityKind::AccountEnabled,
        SecurityKind::PasswordChanged,
        SecurityKind::PasswordResetRequested,
        SecurityKind::PasswordReset,
        SecurityKind::ProvisionalPasswordSet,
        SecurityKind::WebhookRefused,
        SecurityKind::RateCorrected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityKind::LoginSucceeded => "login_succeeded",
            SecurityKind::LoginFailed => "login_failed",
            SecurityKind::AccountLocked => "account_locked",
            SecurityKind::LoginRefusedLocked => "login_refused_locked",
            SecurityKind::RefreshTokenReused => "refresh_token_reused",
            SecurityKind::PermissionRefused => "permission_refused",
            SecurityKind::EvidenceDownloaded => "evidence_downloaded",
            SecurityKind::DocumentDownloaded => "document_downloaded",
            SecurityKind::DossierDownloaded => "dossier_downloaded",
            SecurityKind::AccountDisabled => "account_disabled",
            SecurityKind::AccountEnabled => "account_enabled",
            SecurityKind::PasswordChanged => "password_changed",
            SecurityKind::PasswordResetRequested => "password_reset_requested",
            SecurityKind::PasswordReset => "password_reset",
            SecurityKind::ProvisionalPasswordSet => "provisional_password_set",
            SecurityKind::WebhookRefused => "webhook_refused",
            SecurityKind::RateCorrected => "rate_corrected",
        }
    }
}

/// One entry to append.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub case_id: Option<i64>,
    pub detail: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = security_events)]
pub struct SecurityEvent {
    pub id: i64,
    pub seq: i64,
    pub occurred_at: NaiveDateTime,
    pub kind: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub case_id: Option<i64>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The text hashed for one entry (sorted-key JSON, like the case events).
fn canonical(e: &SecurityEvent) -> String {
    serde_json::json!({
        "seq": e.seq,
        "at": e.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        "kind": e.kind,
        "user_id": e.user_id,
        "email": e.email,
        "ip": e.ip,
        "case_id": e.case_id,
        "detail": e.detail,
    })
    .to_string()
}

/// Appends an entry. Call inside a transaction of its own (or of the use case, when the entry
/// must stand or fall with it): the head row's update is the lock.
pub fn append(
    conn: &mut DbConn,
    at: NaiveDateTime,
    kind: SecurityKind,
    entry: NewEntry,
) -> QueryResult<SecurityEvent> {
    // Taking the row lock first (a no-op update) makes the read below see the latest head.
    diesel::update(security_log_head::table.find(1))
        .set(security_log_head::seq.eq(security_log_head::seq))
        .execute(conn)?;
    let (last_seq, prev) = security_log_head::table
        .find(1)
        .select((security_log_head::seq, security_log_head::hash))
        .first::<(i64, String)>(conn)?;
    let mut e = SecurityEvent {
        id: 0,
        seq: last_seq + 1,
        occurred_at: at,
        kind: kind.as_str().to_string(),
        user_id: entry.user_id,
        email: entry.email,
        ip: entry.ip,
        case_id: entry.case_id,
        detail: entry.detail,
        prev_hash: prev,
        hash: String::new(),
    };
    e.hash = chain_hash(&e.prev_hash, &canonical(&e));
    diesel::update(security_log_head::table.find(1))
        .set((
            security_log_head::seq.eq(e.seq),
            security_log_head::hash.eq(&e.hash),
        ))
        .execute(conn)?;
    diesel::insert_into(security_events::table)
        .values((
            security_events::seq.eq(e.seq),
            security_events::occurred_at.eq(e.occurred_at),
            security_events::kind.eq(&e.kind),
            security_events::user_id.eq(e.user_id),
            security_events::email.eq(&e.email),
            security_events::ip.eq(&e.ip),
            security_events::case_id.eq(e.case_id),
            security_events::detail.eq(&e.detail),
            security_events::prev_hash.eq(&e.prev_hash),
            security_events::hash.eq(&e.hash),
        ))
        .returning(security_events::all_columns)
        .get_result(conn)
}

/// Filters of the log's listing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<SecurityKind>,
    pub user_id: Option<i64>,
}

/// One page of the log, newest first; `before` is the `seq` of the last entry of the
/// previous page.
pub fn page(
    conn: &mut DbConn,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<super::Page<SecurityEvent>> {
    let base = || {
        let mut q = security_events::table.into_boxed();
        if let Some(k) = filter.kind {
            q = q.filter(security_events::kind.eq(k.as_str()));
        }
        if let Some(u) = filter.user_id {
            q = q.filter(security_events::user_id.eq(u));
        }
        q
    };
    let total = base().count().get_result(conn)?;
    let mut q = base();
    if let Some(b) = before {
        q = q.filter(security_events::seq.lt(b));
    }
    let mut items: Vec<SecurityEvent> = q
        .order(security_events::seq.desc())
        .limit(limit + 1)
        .select(SecurityEvent::as_select())
        .load(conn)?;
    let has_next = items.len() as i64 > limit;
    items.truncate(limit.max(0) as usize);
    Ok(super::Page {
        items,
        has_next,
        total,
    })
}

/// What the log's verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogCheck {
    pub entries: usize,
    pub broken: Option<BrokenLink>,
}

/// Checks the whole log: numbering, links, hashes, and the head. Entries are read in
/// batches so a long log is never held whole. A broken link names `case_id` 0 (the log is
/// not a case's).
pub fn verify(conn: &mut DbConn) -> QueryResult<LogCheck> {
    const BATCH: i64 = 1000;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let broken = |e: &SecurityEvent, reason: &str| BrokenLink {
        case_id: 0,
        seq: e.seq,
        event_id: e.id,
        reason: reason.to_string(),
    };
    loop {
        let batch: Vec<SecurityEvent> = security_events::table
            .filter(security_events::seq.ge(expected_seq))
            .order(security_events::seq.asc())
            .limit(BATCH)
            .select(SecurityEvent::as_select())
            .load(conn)?;
        for e in &batch {
            let fault = if e.seq != expected_seq {
                Some("an entry is missing before this one")
            } else if e.prev_hash != prev {
                Some("does not point at the previous entry's hash")
            } else if e.hash != chain_hash(&e.prev_hash, &canonical(e)) {
                Some("its content no longer matches its hash")
            } else {
                None
            };
            if let Some(reason) = fault {
                return Ok(LogCheck {
                    entries: (expected_seq - 1) as usize,
                    broken: Some(broken(e, reason)),
                });
            }
            prev = e.hash.clone();
            expected_seq += 1;
        }
        if (batch.len() as i64) < BATCH {
            break;
        }
    }
    let entries = (expected_seq - 1) as usize;
    let (head_seq, head_hash) = security_log_head::table
        .find(1)
        .select((security_log_head::seq, security_log_head::hash))
        .first::<(i64, String)>(conn)?;
    let broken = if head_seq != entries as i64 || head_hash != prev {
        Some(BrokenLink {
            case_id: 0,
            seq: entries as i64 + 1,
            event_id: 0,
            reason: if head_seq > entries as i64 {
                format!(
                    "the last {} entr(ies) are missing (the log's head is entry #{head_seq})",
                    head_seq - entries as i64
                )
            } else {
                "the log's recorded head does not match its last entry".to_string()
            },
        })
    } else {
        None
    };
    Ok(LogCheck { entries, broken })
}
