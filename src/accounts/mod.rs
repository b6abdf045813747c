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
use crate::store::{throttle, tokens as token_store, users};

pub mod passwords;

/// Attempts on one account whose password is checked within [`LOCK_WINDOW_MINUTES`]; the
/// attempts beyond are refused without checking it, until the window has passed.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// The throttling window, and how long a lock lasts from the first attempt.
pub const LOCK_WINDOW_MINUTES: i64 = 15;
/// Sign-in attempts one client address may make within [`LOCK_WINDOW_MINUTES`] (successful
/// ones are given back): with five per account, one address locks at most four accounts per
/// window, instead of every account it knows the e-mail of.
pub const MAX_ATTEMPTS_PER_ADDRESS: i32 = 20;

/// What a successful sign-in or refresh returns.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: users::User,
    /// The sign-in's refresh-token family (named in the access token, kept over rotations).
    pub family: String,
}

/// The one answer of a refused sign-in: a wrong password, an unknown e-mail, a disabled
/// account and a locked account all read the same, so none of them tells that an account
/// exists (the rule is stated, not the state).
fn wrong_credentials() -> AppError {
    AppError::unauthenticated(format!(
        "wrong e-mail or password (after {MAX_FAILED_LOGINS} failed attempts, an account is \
         suspended for {LOCK_WINDOW_MINUTES} minutes)"
    ))
}

/// The key of a client address in `login_attempts`: an IPv4 address (also when mapped into
/// IPv6), or the /64 of an IPv6 address (one subscriber holds a whole /64, so counting single
/// addresses would let them rotate through it).
pub(crate) fn address_key(ip: &str) -> Option<String> {
    let ip: std::net::IpAddr = ip.parse().ok()?;
    Some(match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    })
}

/// Signs a user in.
///
/// Each attempt is counted in the database *before* any password is checked — first for the
/// client's address, then for the account — by one statement that returns the count, so at
/// most [`MAX_FAILED_LOGINS`] passwords of an account are checked per window however many
/// attempts arrive at once, on however many instances. Beyond, the account is locked until
/// the window has passed: its attempts are verified against the dummy hash and answered
/// exactly like an unknown e-mail (same body, same work). An address over
/// [`MAX_ATTEMPTS_PER_ADDRESS`] is answered `LOCKED` at once, without hashing anything: that
/// says nothing of any account, and an attacker cannot make the server hash for nothing.
/// Every outcome lands in the security log, with the client's address when known.
pub fn login(
    conn: &mut DbConn,
    state: &AppState,
    email: &str,
    pw: &str,
    ip: Option<&str>,
) -> AppResult<Session> {
    let now = state.clock.now();
    let window = Duration::minutes(LOCK_WINDOW_MINUTES);
    let entry = |user_id: Option<i64>, detail: &str| NewEntry {
        user_id,
        // What was typed, bounded: the log must not become a store of arbitrary text.
        email: Some(email.trim().chars().take(254).collect()),
        ip: ip.map(str::to_string),
        case_id: None,
        detail: detail.to_string(),
    };
    let address = ip.and_then(address_key);
    if let Some(address) = &address {
        let (attempts, since) = throttle::count_attempt(conn, address, now, now - window)?;
        if attempts > MAX_ATTEMPTS_PER_ADDRESS {
            // Recorded once per window: past the limit, the log must not grow with the attack.
            if attempts == MAX_ATTEMPTS_PER_ADDRESS + 1 {
                security::record(
                    conn,
                    now,
                    SecurityKind::LoginRefusedLocked,
                    entry(
                        None,
                        &format!(
                            "{MAX_ATTEMPTS_PER_ADDRESS} sign-in attempts from this address \
                             within {LOCK_WINDOW_MINUTES} minutes: its attempts are refused \
                             unchecked until {} UTC",
                            (since + window).format("%Y-%m-%d %H:%M")
                        ),
                    ),
                )?;
            }
            return Err(address_locked(since + window));
        }
    }
    let user = match Email::parse(email) {
        Ok(e) => users::count_attempt(conn, e.as_str(), now, now - window)?,
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
    if user.failed_logins > MAX_FAILED_LOGINS {
        // The same work as an unknown e-mail, so the lock cannot be told apart by its time.
        password::verify(pw, &state.dummy_hash);
        security::record(
            conn,
            now,
            SecurityKind::LoginRefusedLocked,
            entry(
                Some(user.id),
                "the account is locked: the password was not checked",
            ),
        )?;
        return Err(wrong_credentials());
    }
    if !password::verify(pw, &user.password_hash) {
        let (kind, detail) = if user.failed_logins == MAX_FAILED_LOGINS {
            let first = user.first_failed_at.unwrap_or(now);
            // For the operator's eyes only: the decision is the count in its window.
            users::set_login_state(
                conn,
                user.id,
                user.failed_logins,
                Some(first),
                Some(first + window),
            )?;
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
    users::set_login_state(conn, user.id, 0, None, None)?;
    if let Some(address) = &address {
        throttle::refund(conn, address)?;
        throttle::purge(conn, now - window)?;
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

fn address_locked(until: NaiveDateTime) -> AppError {
    AppError::new(
        ErrorCode::Locked,
        format!(
            "too many sign-in attempts from this address: try again after {} UTC",
            until.format("%Y-%m-%d %H:%M")
        ),
    )
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
        access_token: tokens::issue_access(&actor, family, now, &state.jwt_secret)?,
        refresh_token: refresh,
        expires_in: tokens::ACCESS_TTL_SECONDS,
        user,
        family: family.to_string(),
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

/// The account behind a verified access token, when its sign-in is still live: not signed
/// out, not revoked for reuse, and the account still active. Run on every authenticated
/// request (GraphQL, downloads, uploads, portal pages), so a sign-out or a disabled account
/// takes effect at once on every instance. The role and organisation are the account's of
/// now, not the token's.
pub fn check_session(
    conn: &mut DbConn,
    access: &tokens::Access,
    now: NaiveDateTime,
) -> AppResult<(Actor, users::User)> {
    let user = token_store::live_session_user(conn, access.actor.user_id, &access.session, now)?
        .ok_or_else(|| {
            AppError::unauthenticated(
                "this sign-in has ended (signed out, or the account is disabled): sign in again",
            )
        })?;
    Ok((actor_of(&user)?, user))
}

/// The refusal of everything but a password change to an account signed in with a
/// provisional password.
pub fn password_change_required() -> AppError {
    AppError::new(
        ErrorCode::PasswordChangeRequired,
        "this account has a provisional password: change it first (changePassword)",
    )
}

/// Whether the refresh token `token` belongs to an account that must change its password:
/// the portal then sends it to the password page without rotating the token.
pub fn refresh_is_provisional(conn: &mut DbConn, token: &str) -> AppResult<bool> {
    let Some(found) = token_store::find_by_hash(conn, &tokens::token_hash(token))? else {
        return Ok(false);
    };
    Ok(users::find(conn, found.user_id)?.is_some_and(|u| u.must_change_password))
}

/// The current user, as the actor's token names it.
pub fn me(conn: &mut DbConn, actor: &Actor) -> AppResult<users::User> {
    users::find(conn, actor.user_id)?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::unauthenticated("this account no longer exists or is disabled"))
}
