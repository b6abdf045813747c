//! Sign-in, token refresh and sign-out (the use cases behind `login`, `refresh`, `logout`).

use chrono::{Duration, NaiveDateTime};

use crate::app::AppState;
use crate::auth::{password, tokens, Actor};
use crate::db::{self, DbConn};
use crate::domain::ids::Email;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::security;
use crate::store::security::{self as store_security, NewEntry, SecurityKind};
use crate::store::{tokens as token_store, users};

/// Failed attempts allowed within [`LOCK_WINDOW_MINUTES`] before the account locks.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// The throttling window, and how long a lock lasts from the first failure.
pub const LOCK_WINDOW_MINUTES: i64 = 15;

/// What a successful sign-in or refresh returns.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: users::User,
}

fn wrong_credentials() -> AppError {
    AppError::unauthenticated("wrong e-mail or password")
}

/// Signs a user in. Unknown e-mail, inactive account and wrong password give the same answer
/// after the same amount of work; after [`MAX_FAILED_LOGINS`] failures in the window the
/// account answers `LOCKED` until the window has passed.
/// Every outcome lands in the security log, with the client's address when known.
pub fn login(
    conn: &mut DbConn,
    state: &AppState,
    email: &str,
    pw: &str,
    ip: Option<&str>,
) -> AppResult<Session> {
    let now = state.clock.now();
    let entry = |user_id: Option<i64>, detail: &str| NewEntry {
        user_id,
        // What was typed, bounded: the log must not become a store of arbitrary text.
        email: Some(email.trim().chars().take(254).collect()),
        ip: ip.map(str::to_string),
        case_id: None,
        detail: detail.to_string(),
    };
    let user = match Email::parse(email) {
        Ok(e) => users::find_by_email(conn, e.as_str())?,
        Err(_) => None,
    };
    let Some(user) = user.filter(|u| u.active) else {
        password::verify(pw, &state.dummy_hash);
        security::record(
            conn,
            now,
            SecurityKind::LoginFailed,
            entry(None, "unknown or disabled account"),
        )?;
        return Err(wrong_credentials());
    };
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        security::record(
            conn,
            now,
            SecurityKind::LoginRefusedLocked,
            entry(Some(user.id), "the account is locked"),
        )?;
        return Err(locked(until));
    }
    if !password::verify(pw, &user.password_hash) {
        let locked_now = record_failure(conn, &user, now)?;
        let (kind, detail) = if locked_now {
            (
                SecurityKind::AccountLocked,
                format!("{MAX_FAILED_LOGINS} failed sign-ins: the account is locked"),
            )
        } else {
            (SecurityKind::LoginFailed, "wrong password".to_string())
        };
        security::record(conn, now, kind, entry(Some(user.id), &detail))?;
        return Err(wrong_credentials());
    }
    if user.failed_logins != 0 || user.locked_until.is_some() {
        users::set_login_state(conn, user.id, 0, None, None)?;
    }
    db::transaction(conn, |conn| {
        store_security::append(
            conn,
            now,
            SecurityKind::LoginSucceeded,
            entry(Some(user.id), "signed in"),
        )?;
        start_session(conn, state, user, &tokens::random_token(16), now)
    })
}

fn locked(until: NaiveDateTime) -> AppError {
    AppError::new(
        ErrorCode::Locked,
        format!(
            "too many failed sign-in attempts: the account is locked until {} UTC",
            until.format("%Y-%m-%d %H:%M")
        ),
    )
}

/// Counts a failure in the current window (a failure after the window starts a new one) and
/// locks the account at the limit (then answers `true`). Committed on its own: the refusal
/// must not roll it back.
fn record_failure(conn: &mut DbConn, user: &users::User, now: NaiveDateTime) -> AppResult<bool> {
    let window = Duration::minutes(LOCK_WINDOW_MINUTES);
    let (count, first) = match user.first_failed_at {
        Some(first) if now - first < window => (user.failed_logins + 1, first),
        _ => (1, now),
    };
    let locked_until = (count >= MAX_FAILED_LOGINS).then_some(first + window);
    users::set_login_state(conn, user.id, count, Some(first), locked_until)?;
    Ok(locked_until.is_some())
}

fn start_session(
    conn: &mut DbConn,
    state: &AppState,
    user: users::User,
    family: &str,
    now: NaiveDateTime,
) -> AppResult<Session> {
    let actor = actor_of(&user)?;
    let refresh = tokens::random_token(32);
    token_store::insert(
        conn,
        &token_store::NewRefreshToken {
            user_id: user.id,
            token_hash: &tokens::token_hash(&refresh),
            family,
            expires_at: now + Duration::days(tokens::REFRESH_TTL_DAYS),
            created_at: now,
        },
    )?;
    Ok(Session {
        access_token: tokens::issue_access(&actor, now, &state.jwt_secret)?,
        refresh_token: refresh,
        expires_in: tokens::ACCESS_TTL_SECONDS,
        user,
    })
}

/// The actor a user acts as.
pub fn actor_of(user: &users::User) -> AppResult<Actor> {
    Ok(Actor {
        user_id: user.id,
        role: Role::parse(&user.role).map_err(AppError::internal)?,
        org_id: user.organisation_id,
    })
}

/// Exchanges a refresh token for a new pair; the old token stops working. Presenting a token
/// that was already rotated or revoked revokes its whole family (it may have been stolen).
pub fn refresh(conn: &mut DbConn, state: &AppState, token: &str) -> AppResult<Session> {
    let now = state.clock.now();
    let invalid = || AppError::unauthenticated("invalid, expired or revoked refresh token");
    let found = token_store::find_by_hash(conn, &tokens::token_hash(token))?;
    let Some(found) = found else {
        return Err(invalid());
    };
    if found.revoked_at.is_some() {
        token_store::revoke_family(conn, &found.family, now)?;
        tracing::warn!(user_id = found.user_id, "reuse of a revoked refresh token");
        security::record(
            conn,
            now,
            SecurityKind::RefreshTokenReused,
            NewEntry {
                user_id: Some(found.user_id),
                detail: "a rotated or revoked refresh token was presented: its sign-in is revoked"
                    .to_string(),
                ..NewEntry::default()
            },
        )?;
        return Err(invalid());
    }
    if found.expires_at <= now {
        return Err(invalid());
    }
    db::transaction(conn, |conn| {
        if !token_store::revoke(conn, found.id, now)? {
            return Err(invalid());
        }
        let user = users::find(conn, found.user_id)?
            .filter(|u| u.active)
            .ok_or_else(invalid)?;
        start_session(conn, state, user, &found.family, now)
    })
}

/// Signs out: revokes the refresh token and every token rotated from the same sign-in.
/// Unknown tokens are accepted silently (signing out twice is not an error).
pub fn logout(conn: &mut DbConn, state: &AppState, token: &str) -> AppResult<()> {
    if let Some(found) = token_store::find_by_hash(conn, &tokens::token_hash(token))? {
        token_store::revoke_family(conn, &found.family, state.clock.now())?;
    }
    Ok(())
}

/// The current user, as the actor's token names it.
pub fn me(conn: &mut DbConn, actor: &Actor) -> AppResult<users::User> {
    users::find(conn, actor.user_id)?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::unauthenticated("this account no longer exists or is disabled"))
}
