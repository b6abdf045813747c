//! Access tokens (short-lived JWT, HS256) and refresh tokens (random, stored hashed).

use chrono::NaiveDateTime;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Actor;
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};

/// Lifetime of an access token.
pub const ACCESS_TTL_SECONDS: i64 = 15 * 60;
/// Lifetime of a refresh token (rotated at each use).
pub const REFRESH_TTL_DAYS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: String,
    org: Option<i64>,
    iat: i64,
    exp: i64,
    typ: String,
    /// The sign-in (refresh-token family) the token was issued under: every request checks
    /// that it is still live, so a sign-out or a disabled account takes effect at once.
    sid: String,
}

/// What a verified access token says: who, and under which sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub actor: Actor,
    /// The refresh-token family of the sign-in.
    pub session: String,
}

/// Signs an access token for the actor's sign-in `session`, valid [`ACCESS_TTL_SECONDS`]
/// from `now`.
pub fn issue_access(
    actor: &Actor,
    session: &str,
    now: NaiveDateTime,
    secret: &[u8],
) -> AppResult<String> {
    let iat = now.and_utc().timestamp();
    let claims = Claims {
        sub: actor.user_id.to_string(),
        role: actor.role.as_str().to_string(),
        org: actor.org_id,
        iat,
        exp: iat + ACCESS_TTL_SECONDS,
        typ: "access".into(),
        sid: session.to_string(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(AppError::internal)
}

fn decode_access(token: &str, secret: &[u8]) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Expiry is checked by the callers against the application clock (tests move it).
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation).ok()?;
    (data.claims.typ == "access" && !data.claims.sid.is_empty()).then_some(data.claims)
}

/// Checks an access token: signature (HS256 only, so `alg: none` and algorithm swaps are
/// refused), type, and expiry against the application clock. Whether its sign-in is still
/// live is the database's to say (`accounts::check_session`).
pub fn verify_access(token: &str, now: NaiveDateTime, secret: &[u8]) -> AppResult<Access> {
    let invalid = || AppError::unauthenticated("invalid or expired access token");
    let c = decode_access(token, secret).ok_or_else(invalid)?;
    if c.exp <= now.and_utc().timestamp() {
        return Err(invalid());
    }
    Ok(Access {
        actor: Actor {
            user_id: c.sub.parse().map_err(|_| invalid())?,
            role: Role::parse(&c.role).map_err(|_| invalid())?,
            org_id: c.org,
        },
        session: c.sid,
    })
}

/// The sign-in an access token was issued under, expired or not (its signature checked):
/// what the portal binds its CSRF tokens to.
pub fn session_of(token: &str, secret: &[u8]) -> Option<String> {
    decode_access(token, secret).map(|c| c.sid)
}

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// SHA-256 of a token, hex: what the database keeps of a refresh token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn actor() -> Actor {
        Actor {
            user_id: 7,
            role: Role::Agent,
            org_id: Some(1),
        }
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let t = issue_access(&actor(), "family", now(), SECRET).unwrap();
        let access = verify_access(&t, now(), SECRET).unwrap();
        assert_eq!((access.actor, access.session.as_str()), (actor(), "family"));
        let later = now() + chrono::Duration::seconds(ACCESS_TTL_SECONDS);
        assert!(verify_access(&t, later, SECRET).is_err());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let t = issue_access(&actor(), "f", now(), b"another secret another secret!!!").unwrap();
        assert!(verify_access(&t, now(), SECRET).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = random_token(32);
        assert_ne!(a, random_token(32));
        assert_eq!(token_hash(&a).len(), 64);
    }
}
