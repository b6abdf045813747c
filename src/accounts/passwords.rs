//! Passwords their holders own: changing one's own (with the current one), the
//! forgotten-password link sent by e-mail (single-use, expiring after an hour, its token
//! stored hashed, throttled per account and per client address), and the provisional password
//! an admin gives, which must be changed at the next sign-in. Each step lands in the security
//! log; a new password ends every other sign-in of the account.

use chrono::Duration;

use super::{address_key, LOCK_WINDOW_MINUTES, MAX_FAILED_LOGINS};
use crate::app::AppState;
use crate::auth::{password, tokens, Actor};
use crate::db::{self, DbConn};
use crate::domain::ids::Email;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::jobs::mail::OutgoingMessage;
use crate::security;
use crate::store::password_resets::{self as resets, NewPasswordReset};
use crate::store::security::{self as store_security, NewEntry, SecurityKind};
use crate::store::{throttle, tokens as token_store, users};

/// How long a forgotten-password link works.
pub const RESET_TTL_MINUTES: i64 = 60;
/// Links one account may be sent per hour: more would let anyone flood a mailbox.
pub const MAX_RESETS_PER_HOUR: i64 = 3;
/// Links one client address may ask for per [`LOCK_WINDOW_MINUTES`], whatever the accounts.
pub const MAX_RESET_REQUESTS_PER_ADDRESS: i32 = 10;

fn entry(user: Option<&users::User>, ip: Option<&str>, detail: impl Into<String>) -> NewEntry {
    NewEntry {
        user_id: user.map(|u| u.id),
        email: user.map(|u| u.email.clone()),
        ip: ip.map(str::to_string),
        case_id: None,
        detail: detail.into(),
    }
}

fn new_password_checked(field: &str, pw: &str) -> AppResult<()> {
    password::check_strength(pw).map_err(|e| AppError::validation(field, e.message))
}

/// Replaces the password and ends the account's other sign-ins and open links, in the
/// caller's transaction.
fn replace(
    conn: &mut DbConn,
    state: &AppState,
    user: &users::User,
    hash: &str,
    provisional: bool,
    keep: Option<&str>,
) -> AppResult<users::User> {
    let now = state.clock.now();
    let updated = users::set_password(conn, user.id, hash, provisional)?
        .ok_or_else(|| AppError::not_found("user"))?;
    token_store::revoke_user(conn, user.id, keep, now)?;
    resets::end_all_of(conn, user.id, now)?;
    Ok(updated)
}

/// Changes the caller's own password. The current one is checked and counted like a sign-in
/// attempt (a stolen session cannot try passwords faster than the sign-in page); `session`
/// is the caller's sign-in, the only one kept.
pub fn change_password(
    conn: &mut DbConn,
    state: &AppState,
    actor: &Actor,
    session: Option<&str>,
    current: &str,
    new: &str,
    ip: Option<&str>,
) -> AppResult<users::User> {
    let now = state.clock.now();
    // The new password's rules first: a typo there must not cost a sign-in attempt.
    new_password_checked("newPassword", new)?;
    let user = super::me(conn, actor)?;
    let window = Duration::minutes(LOCK_WINDOW_MINUTES);
    let counted = users::count_attempt(conn, &user.email, now, now - window)?
        .ok_or_else(|| AppError::not_found("user"))?;
    if counted.failed_logins > MAX_FAILED_LOGINS {
        password::verify(current, &state.dummy_hash);
        return Err(AppError::new(
            ErrorCode::Locked,
            format!("too many wrong passwords: try again in {LOCK_WINDOW_MINUTES} minutes"),
        ));
    }
    if !password::verify(current, &user.password_hash) {
        security::record(
            conn,
            now,
            SecurityKind::LoginFailed,
            entry(
                Some(&user),
                ip,
                "wrong current password on a password change",
            ),
        )?;
        return Err(AppError::validation(
            "currentPassword",
            "the current password is wrong",
        ));
    }
    if new == current {
        return Err(AppError::validation(
            "newPassword",
            "the new password must differ from the current one",
        ));
    }
    let hash = password::hash(new, state.hash_cost)?;
    db::transaction(conn, |conn| {
        let updated = replace(conn, state, &user, &hash, false, session)?;
        store_security::append(
            conn,
            now,
            SecurityKind::PasswordChanged,
            entry(
                Some(&user),
                ip,
                "changed by its holder: other sign-ins ended",
            ),
        )?;
        Ok(updated)
    })
}

/// Where a link in an e-mail points: the address users reach the server at. Without
/// `RECOUVRA_PUBLIC_URL`, only a loopback host is trusted from the request (any other `Host`
/// header could be an attacker's, who would then receive the link's token).
pub fn link_base(public_url: Option<&url::Url>, scheme: &str, host: &str) -> Option<String> {
    match public_url {
        Some(u) => Some(u.as_str().trim_end_matches('/').to_string()),
        None if crate::portal::session::is_loopback_host(host) => {
            Some(format!("{scheme}://{host}"))
        }
        None => None,
    }
}

/// Asks for a forgotten-password link to be sent to `email`. The answer is the same whether
/// the account exists, is disabled, or was already sent its quota of links (none of it may be
/// told); only a client address over its limit is answered `LOCKED`, which says nothing of
/// any account. The link is mailed at once (after the commit); a failure to send is logged
/// for the operator, not shown.
pub fn request_reset(
    conn: &mut DbConn,
    state: &AppState,
    email: &str,
    base: Option<&str>,
    ip: Option<&str>,
) -> AppResult<()> {
    let now = state.clock.now();
    let window = Duration::minutes(LOCK_WINDOW_MINUTES);
    if let Some(address) = ip.and_then(address_key) {
        let (attempts, since) =
            throttle::count_attempt(conn, &format!("reset {address}"), now, now - window)?;
        if attempts > MAX_RESET_REQUESTS_PER_ADDRESS {
            if attempts == MAX_RESET_REQUESTS_PER_ADDRESS + 1 {
                security::record(
                    conn,
                    now,
                    SecurityKind::PasswordResetRequested,
                    entry(
                        None,
                        ip,
                        format!(
                            "{MAX_RESET_REQUESTS_PER_ADDRESS} links asked for from this address \
                             within {LOCK_WINDOW_MINUTES} minutes: refused until {} UTC",
                            (since + window).format("%Y-%m-%d %H:%M")
                        ),
                    ),
                )?;
            }
            return Err(AppError::new(
                ErrorCode::Locked,
                format!(
                    "too many requests from this address: try again after {} UTC",
                    (since + window).format("%Y-%m-%d %H:%M")
                ),
            ));
        }
    }
    let typed: String = email.trim().chars().take(254).collect();
    let user = match Email::parse(email) {
        Ok(e) => users::find_by_email(conn, e.as_str())?.filter(|u| u.active),
        Err(_) => None,
    };
    let Some(user) = user else {
        return security::record(
            conn,
            now,
            SecurityKind::PasswordResetRequested,
            NewEntry {
                email: Some(typed),
                ..entry(None, ip, "unknown or disabled account: nothing sent")
            },
        );
    };
    if resets::count_since(conn, user.id, now - Duration::hours(1))? >= MAX_RESETS_PER_HOUR {
        return security::record(
            conn,
            now,
            SecurityKind::PasswordResetRequested,
            entry(
                Some(&user),
                ip,
                format!("{MAX_RESETS_PER_HOUR} links already sent within the hour: nothing sent"),
            ),
        );
    }
    let Some(base) = base else {
        tracing::warn!(
            "a password link was asked for, but RECOUVRA_PUBLIC_URL is unset and the request's \
             host is not this machine: no link can be addressed"
        );
        return security::record(
            conn,
            now,
            SecurityKind::PasswordResetRequested,
            entry(Some(&user), ip, "RECOUVRA_PUBLIC_URL unset: nothing sent"),
        );
    };
    let token = tokens::random_token(32);
    let from = crate::store::recovery::settings(conn)?.mail_from;
    db::transaction(conn, |conn| {
        resets::insert(
            conn,
            &NewPasswordReset {
                user_id: user.id,
                token_hash: &tokens::token_hash(&token),
                created_at: now,
                expires_at: now + Duration::minutes(RESET_TTL_MINUTES),
            },
        )?;
        store_security::append(
            conn,
            now,
            SecurityKind::PasswordResetRequested,
            entry(Some(&user), ip, "link sent, valid for one hour"),
        )?;
        Ok(())
    })?;
    let message = reset_mail(
        &user,
        &from,
        &format!("{base}/portal/password/reset?token={token}"),
    );
    if let Err(e) = state.jobs.mailer.send(&message) {
        tracing::warn!(user_id = user.id, error = %e, "the password link could not be sent");
    }
    Ok(())
}

/// The e-mail of a forgotten-password link, in French then English.
fn reset_mail(user: &users::User, from: &str, link: &str) -> OutgoingMessage {
    OutgoingMessage {
        message_id: format!("password-{}@recouvra.local", tokens::random_token(12)),
        from: from.to_string(),
        to: user.email.clone(),
        subject: "Votre mot de passe Recouvra / Your Recouvra password".to_string(),
        body: format!(
            "Bonjour {name},\n\n\
             Un nouveau mot de passe a été demandé pour votre compte Recouvra. Pour le choisir, \
             ouvrez ce lien dans l'heure :\n\n{link}\n\n\
             Le lien ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre \
             mot de passe reste le même.\n\n\
             ---\n\n\
             Hello {name},\n\n\
             A new password was asked for your Recouvra account. To choose it, open this link \
             within the hour (it works once). If you did not ask, ignore this message: your \
             password stays the same.\n",
            name = user.display_name,
        ),
        attachments: Vec::new(),
    }
}

/// Whether a forgotten-password link still works (the page asks before showing its form).
pub fn reset_link_valid(conn: &mut DbConn, state: &AppState, token: &str) -> AppResult<bool> {
    let now = state.clock.now();
    Ok(resets::find_by_hash(conn, &tokens::token_hash(token))?
        .is_some_and(|r| r.used_at.is_none() && r.expires_at > now))
}

fn invalid_link() -> AppError {
    AppError::validation(
        "token",
        "this link is invalid, has expired or was already used: ask for a new one",
    )
}

/// Chooses a new password with a forgotten-password link: the link is used up, every sign-in
/// of the account ends, a lock from failed sign-ins is lifted.
pub fn reset_password(
    conn: &mut DbConn,
    state: &AppState,
    token: &str,
    new: &str,
    ip: Option<&str>,
) -> AppResult<users::User> {
    let now = state.clock.now();
    let found = resets::find_by_hash(conn, &tokens::token_hash(token))?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
        .ok_or_else(invalid_link)?;
    new_password_checked("newPassword", new)?;
    let hash = password::hash(new, state.hash_cost)?;
    db::transaction(conn, |conn| {
        if !resets::use_once(conn, found.id, now)? {
            return Err(invalid_link());
        }
        let user = users::find(conn, found.user_id)?
            .filter(|u| u.active)
            .ok_or_else(invalid_link)?;
        let updated = replace(conn, state, &user, &hash, false, None)?;
        store_security::append(
            conn,
            now,
            SecurityKind::PasswordReset,
            entry(
                Some(&user),
                ip,
                "replaced with a forgotten-password link: sign-ins ended",
            ),
        )?;
        Ok(updated)
    })
}

/// An admin gives an account a provisional password (`None`: one is generated and returned):
/// the account's sign-ins end, and its holder must change it at the next sign-in. Not one's
/// own account (that is a password change).
pub fn set_provisional(
    conn: &mut DbConn,
    state: &AppState,
    by: &Actor,
    user_id: i64,
    chosen: Option<&str>,
) -> AppResult<(users::User, Option<String>)> {
    by.require_admin()?;
    if user_id == by.user_id {
        return Err(AppError::validation(
            "userId",
            "change your own password on your password page",
        ));
    }
    let (pw, generated) = match chosen.filter(|p| !p.is_empty()) {
        Some(p) => {
            new_password_checked("password", p)?;
            (p.to_string(), None)
        }
        None => {
            let p = password::generate();
            (p.clone(), Some(p))
        }
    };
    let hash = password::hash(&pw, state.hash_cost)?;
    let now = state.clock.now();
    db::transaction(conn, |conn| {
        let user = users::find(conn, user_id)?.ok_or_else(|| AppError::not_found("user"))?;
        let updated = replace(conn, state, &user, &hash, true, None)?;
        store_security::append(
            conn,
            now,
            SecurityKind::ProvisionalPasswordSet,
            entry(
                Some(&user),
                None,
                format!("by user {}: to be changed at the next sign-in", by.user_id),
            ),
        )?;
        Ok((updated, generated))
    })
}
