//! The portal's session: the API's own token pair carried in cookies (HttpOnly,
//! SameSite=Strict, `Secure` whenever the portal is reached over HTTPS or on localhost),
//! renewed with the refresh token when the 15-minute access token has expired, and a CSRF
//! token on every form bound to the session: an HMAC, under a key derived from the server's
//! secret, of the sign-in (refresh family) the access cookie names — or, before sign-in, of a
//! random nonce kept in a cookie.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::accounts::Session;
use crate::app::AppState;
use crate::auth::{tokens, Actor};
use crate::error::AppResult;

pub const ACCESS: &str = "rv_access";
pub const REFRESH: &str = "rv_refresh";
/// The browser's nonce, what the sign-in form's CSRF token is bound to (no session yet).
pub const CSRF: &str = "rv_csrf";

fn app_state(req: &HttpRequest) -> Option<&AppState> {
    req.app_data::<web::Data<AppState>>().map(|d| d.get_ref())
}

/// Whether a host (as in a `Host` header or a URL, port or not) is this machine: browsers
/// treat `localhost` as a secure context and keep `Secure` cookies there over plain HTTP.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => match host.rsplit_once(':') {
            Some((name, port))
                if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) =>
            {
                name
            }
            _ => host,
        },
    };
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the portal's cookies get `Secure`: decided by `RECOUVRA_PUBLIC_URL` when it is
/// set (HTTPS, or a loopback host), else from the request — HTTPS as the connection (or a
/// proxy's `Forwarded` / `X-Forwarded-Proto`) says, or a loopback `Host`. A client that
/// forges those headers only changes the cookies it gets itself.
pub fn secure(req: &HttpRequest) -> bool {
    if let Some(fixed) = app_state(req).and_then(|s| s.cookies_secure) {
        return fixed;
    }
    let info = req.connection_info();
    info.scheme() == "https" || is_loopback_host(info.host())
}

fn cookie(name: &'static str, value: String, path: &'static str, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieAge::days(tokens::REFRESH_TTL_DAYS))
        .finish()
}

/// The cookies of a fresh sign-in or refresh.
pub fn session_cookies(req: &HttpRequest, s: &Session) -> Vec<Cookie<'static>> {
    let secure = secure(req);
    vec![
        cookie(ACCESS, s.access_token.clone(), "/", secure),
        cookie(REFRESH, s.refresh_token.clone(), "/portal", secure),
    ]
}

/// Cookies that end the session in the browser.
pub fn cleared(req: &HttpRequest) -> Vec<Cookie<'static>> {
    let secure = secure(req);
    [(ACCESS, "/"), (REFRESH, "/portal")]
        .into_iter()
        .map(|(name, path)| {
            let mut c = cookie(name, String::new(), path, secure);
            c.make_removal();
            c
        })
        .collect()
}

/// The CSRF token of this request's forms, and the nonce cookie to send when the browser has
/// none yet.
pub struct CsrfToken {
    pub value: String,
    pub cookie: Option<Cookie<'static>>,
}

/// The HMAC of what a CSRF token is bound to, under a key of its own derived from the
/// server's secret (shared by every instance, like the JWTs).
fn csrf_mac(state: &AppState, binding: &str) -> Option<Hmac<Sha256>> {
    let mut derive = Hmac::<Sha256>::new_from_slice(&state.jwt_secret).ok()?;
    derive.update(b"recouvra portal csrf key v1");
    let key = derive.finalize().into_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(binding.as_bytes());
    Some(mac)
}

/// An HMAC of `binding` under the CSRF key, hex (the debtor's pages bind their own tokens).
pub(crate) fn mac_hex(state: &AppState, binding: &str) -> String {
    csrf_mac(state, binding)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `posted` is [`mac_hex`] of `binding`, compared in constant time.
pub(crate) fn mac_ok(state: &AppState, binding: &str, posted: &str) -> bool {
    let Ok(posted) = hex::decode(posted) else {
        return false;
    };
    csrf_mac(state, binding).is_some_and(|m| m.verify_slice(&posted).is_ok())
}

/// The token of a signed-in page: bound to the sign-in `session` (refresh family).
pub fn csrf_for_session(state: &AppState, session: &str) -> String {
    mac_hex(state, &format!("session:{session}"))
}

fn valid_nonce(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What this request's CSRF tokens are bound to: the sign-in named by the access cookie (its
/// signature checked, expired or not — the session itself is checked by `signed_in`), else
/// the browser's nonce.
fn binding(req: &HttpRequest, state: &AppState) -> Option<String> {
    if let Some(session) = req
        .cookie(ACCESS)
        .and_then(|c| tokens::session_of(c.value(), &state.jwt_secret))
    {
        return Some(format!("session:{session}"));
    }
    req.cookie(CSRF)
        .map(|c| c.value().to_string())
        .filter(|v| valid_nonce(v))
        .map(|n| format!("browser:{n}"))
}

pub fn csrf_token(req: &HttpRequest) -> CsrfToken {
    let Some(state) = app_state(req) else {
        // No state, no key: a token that matches nothing.
        return CsrfToken {
            value: String::new(),
            cookie: None,
        };
    };
    let mac = |binding: &str| mac_hex(state, binding);
    if let Some(b) = binding(req, state) {
        return CsrfToken {
            value: mac(&b),
            cookie: None,
        };
    }
    let nonce = {
        use rand::RngCore;
        let mut buf = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut buf);
        hex::encode(buf)
    };
    CsrfToken {
        value: mac(&format!("browser:{nonce}")),
        cookie: Some(cookie(CSRF, nonce, "/portal", secure(req))),
    }
}

/// Whether a posted form carries the CSRF token of this request's session (or, signed out,
/// of this browser's nonce); compared in constant time by the HMAC's own check.
pub fn csrf_ok(req: &HttpRequest, posted: &str) -> bool {
    let Some(state) = app_state(req) else {
        return false;
    };
    binding(req, state).is_some_and(|b| mac_ok(state, &b, posted))
}

/// Who is signed in, and the cookies to send back when the session was renewed.
pub struct Signed {
    pub actor: Actor,
    /// The sign-in (refresh family): the one kept when the password is changed.
    pub session: String,
    /// The password is provisional (only the password page lets such a session in).
    pub provisional: bool,
    pub name: String,
    pub renewed: Vec<Cookie<'static>>,
    /// For the agency's staff: the half-years whose rates must be entered now, in French
    /// (« 2e semestre 2026 (dès le 01/07/2026) »), shown as a banner on every page.
    pub rates_missing: Vec<String>,
    /// The CSRF token of this session's forms.
    pub csrf: String,
}

/// The banner's half-years for `actor` (none for a creditor; a failure to read the table
/// only costs the banner, never the page).
fn rates_banner(conn: &mut crate::db::DbConn, st: &AppState, actor: &Actor) -> Vec<String> {
    if actor.role == crate::domain::parties::Role::Creditor {
        return Vec::new();
    }
    match crate::claims::missing_rates(conn, st.clock.today()) {
        Ok(list) => list
            .into_iter()
            .map(|h| match h.first_day() {
                Some(d) => format!("{} (dès le {})", h.french(), d.format("%d/%m/%Y")),
                None => h.french(),
            })
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the rate table for the banner");
            Vec::new()
        }
    }
}

/// The signed-in user of a page: the access cookie when still valid and its sign-in still
/// live (checked in the database: a sign-out or a disabled account ends it at once), else a
/// renewal with the refresh cookie; `None` sends the browser to the sign-in page.
///
/// An account whose password is provisional gets `PASSWORD_CHANGE_REQUIRED` (the error page
/// sends it to the password page), its refresh token left unrotated.
pub async fn signed_in(req: &HttpRequest, state: &AppState) -> AppResult<Option<Signed>> {
    resolve(req, state, false).await
}

/// [`signed_in`] for the password page: also an account whose password is provisional.
pub async fn signed_in_provisional(
    req: &HttpRequest,
    state: &AppState,
) -> AppResult<Option<Signed>> {
    resolve(req, state, true).await
}

async fn resolve(
    req: &HttpRequest,
    state: &AppState,
    provisional_allowed: bool,
) -> AppResult<Option<Signed>> {
    let now = state.clock.now();
    if let Some(access) = req.cookie(ACCESS) {
        if let Ok(access) = tokens::verify_access(access.value(), now, &state.jwt_secret) {
            let csrf = csrf_for_session(state, &access.session);
            let access_session = access.session.clone();
            // A live token whose sign-in has ended is not renewed: the refresh token of an
            // ended sign-in is refused too.
            return match state
                .run(move |conn, st| {
                    let (actor, user) = crate::accounts::check_session(conn, &access, now)?;
                    if user.must_change_password && !provisional_allowed {
                        return Err(crate::accounts::password_change_required());
                    }
                    let banner = rates_banner(conn, st, &actor);
                    Ok((actor, user, banner))
                })
                .await
            {
                Ok((actor, user, rates_missing)) => Ok(Some(Signed {
                    actor,
                    session: access_session,
                    provisional: user.must_change_password,
                    name: user.display_name,
                    renewed: Vec::new(),
                    rates_missing,
                    csrf,
                })),
                Err(e) if e.code == crate::error::ErrorCode::Unauthenticated => Ok(None),
                Err(e) => Err(e),
            };
        }
    }
    let Some(refresh) = req.cookie(REFRESH).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let renewed = state
        .run(move |conn, st| {
            if !provisional_allowed && crate::accounts::refresh_is_provisional(conn, &refresh)? {
                return Err(crate::accounts::password_change_required());
            }
            let s = crate::accounts::refresh(conn, st, &refresh)?;
            let banner = match crate::accounts::actor_of(&s.user) {
                Ok(actor) => rates_banner(conn, st, &actor),
                Err(_) => Vec::new(),
            };
            Ok((s, banner))
        })
        .await;
    match renewed {
        Ok((s, rates_missing)) => {
            let actor = crate::accounts::actor_of(&s.user)?;
            Ok(Some(Signed {
                actor,
                session: s.family.clone(),
                provisional: s.user.must_change_password,
                name: s.user.display_name.clone(),
                renewed: session_cookies(req, &s),
                rates_missing,
                csrf: csrf_for_session(state, &s.family),
            }))
        }
        // An expired, revoked or reused token: sign in again.
        Err(e) if e.code == crate::error::ErrorCode::Unauthenticated => Ok(None),
        Err(e) => Err(e),
    }
}

/// The sign-in page, remembering where the user wanted to go.
pub fn to_sign_in(req: &HttpRequest) -> HttpResponse {
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/portal");
    let target = format!(
        "/portal/login?next={}",
        percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", target));
    for c in cleared(req) {
        resp.cookie(c);
    }
    resp.finish()
}

/// A `next` parameter is followed only to a portal page — `/portal`, `/portal/…` or
/// `/portal?…`, never the sign-in page itself — or to a download a portal page links to (a
/// document, a piece, a dossier); a path of letters, digits, `/`, `-`, `_` and
/// `.` (no `.` or `..` segment, no `//`, so no other host and no climbing out), a query of
/// visible ASCII only (no CR/LF or other control character, no space, no backslash: the value
/// goes into a `Location` header). Anything else leads to `/portal`.
pub fn safe_next(next: Option<&str>) -> String {
    let safe = |n: &str| {
        let (path, query) = match n.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (n, None),
        };
        let download = path.starts_with("/api/documents/")
            || path.starts_with("/api/evidence/")
            || path.starts_with("/api/debtor-pieces/")
            || (path.starts_with("/api/cases/")
                && (path.ends_with("/dossier.pdf") || path.ends_with("/dossier.zip")));
        (path == "/portal" || path.starts_with("/portal/") || download)
            && !path.starts_with("/portal/login")
            && !path.contains("//")
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
            && !path.split('/').any(|seg| seg == "." || seg == "..")
            && query.is_none_or(|q| q.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'))
    };
    match next {
        Some(n) if safe(n) => n.to_string(),
        _ => "/portal".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_portal_path_is_followed_after_sign_in() {
        for ok in [
            "/portal",
            "/portal/cases/12",
            "/portal/cases?q=%C3%89lec&state=amicable&after=40",
            "/portal/import/example.csv",
            "/api/documents/12.pdf",
            "/api/evidence/7",
            "/api/debtor-pieces/7",
            "/api/cases/3/dossier.pdf",
        ] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "/portal\r\nX: y",
            "/portal/cases?q=a\r\nSet-Cookie: x=1",
            "/portal/cases?q=a b",
            "//evil.example/portal",
            "/portal//evil.example",
            "/portal/../graphql",
            "/portal/./x",
            "/portal\\evil",
            "/portal/cases?q=\\x",
            "/portalx",
            "/portal:evil",
            "https://evil.example/portal",
            "/portal/login?next=/portal",
            "/portal/cases/é",
            "/portal\u{7f}",
            "/api/cases/3/evil",
            "/api/documents/../../graphql",
            "/graphql",
        ] {
            assert_eq!(safe_next(Some(bad)), "/portal", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/portal");
    }

    #[test]
    fn loopback_hosts_are_told_apart_from_others() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:3000",
            "[::1]:80",
            "app.localhost",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.org",
            "10.0.0.1:8080",
            "[2001:db8::1]:443",
            "localhost.example.org",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
