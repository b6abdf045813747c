//! The portal's session: the API's own token pair carried in cookies (HttpOnly,
//! SameSite=Strict), renewed with the refresh token when the 15-minute access token has
//! expired, and a double-submit CSRF token on every form.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};

use crate::accounts::Session;
use crate::app::AppState;
use crate::auth::{tokens, Actor};
use crate::error::AppResult;

pub const ACCESS: &str = "rv_access";
pub const REFRESH: &str = "rv_refresh";
pub const CSRF: &str = "rv_csrf";

fn cookie(name: &'static str, value: String, path: &'static str) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(CookieAge::days(tokens::REFRESH_TTL_DAYS))
        .finish()
}

/// The cookies of a fresh sign-in or refresh.
pub fn session_cookies(s: &Session) -> Vec<Cookie<'static>> {
    vec![
        cookie(ACCESS, s.access_token.clone(), "/"),
        cookie(REFRESH, s.refresh_token.clone(), "/portal"),
    ]
}

/// Cookies that end the session in the browser.
pub fn cleared() -> Vec<Cookie<'static>> {
    [(ACCESS, "/"), (REFRESH, "/portal")]
        .into_iter()
        .map(|(name, path)| {
            let mut c = cookie(name, String::new(), path);
            c.make_removal();
            c
        })
        .collect()
}

/// The CSRF token of this browser: the cookie's, or a new one (then `new` is set and the
/// page must send the cookie).
pub struct CsrfToken {
    pub value: String,
    pub new: bool,
}

pub fn csrf_token(req: &HttpRequest) -> CsrfToken {
    match req.cookie(CSRF).map(|c| c.value().to_string()) {
        Some(v) if v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()) => CsrfToken {
            value: v,
            new: false,
        },
        _ => CsrfToken {
            value: {
                use rand::RngCore;
                let mut buf = [0u8; 16];
                rand::rngs::OsRng.fill_bytes(&mut buf);
                hex::encode(buf)
            },
            new: true,
        },
    }
}

pub fn csrf_cookie(value: &str) -> Cookie<'static> {
    cookie(CSRF, value.to_string(), "/portal")
}

/// Whether a posted form carries the browser's CSRF token (compared in constant time).
pub fn csrf_ok(req: &HttpRequest, posted: &str) -> bool {
    let Some(cookie) = req.cookie(CSRF) else {
        return false;
    };
    let (a, b) = (cookie.value().as_bytes(), posted.as_bytes());
    a.len() == 32
        && a.len() == b.len()
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Who is signed in, and the cookies to send back when the session was renewed.
pub struct Signed {
    pub actor: Actor,
    pub name: String,
    pub renewed: Vec<Cookie<'static>>,
    /// For the agency's staff: the half-years whose rates must be entered now, in French
    /// (« 2e semestre 2026 (dès le 01/07/2026) »), shown as a banner on every page.
    pub rates_missing: Vec<String>,
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

/// The signed-in user of a page: the access cookie when still valid, else a renewal with the
/// refresh cookie; `None` sends the browser to the sign-in page.
pub async fn signed_in(req: &HttpRequest, state: &AppState) -> AppResult<Option<Signed>> {
    if let Some(access) = req.cookie(ACCESS) {
        if let Ok(actor) =
            tokens::verify_access(access.value(), state.clock.now(), &state.jwt_secret)
        {
            // The account may have been disabled since the token was issued.
            return match state
                .run(move |conn, st| {
                    let user = crate::accounts::me(conn, &actor)?;
                    Ok((user, rates_banner(conn, st, &actor)))
                })
                .await
            {
                Ok((user, rates_missing)) => Ok(Some(Signed {
                    actor,
                    name: user.display_name,
                    renewed: Vec::new(),
                    rates_missing,
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
                name: s.user.display_name.clone(),
                renewed: session_cookies(&s),
                rates_missing,
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
    for c in cleared() {
        resp.cookie(c);
    }
    resp.finish()
}

/// A `next` parameter is followed only within the portal (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/portal")
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/portal/login") =>
        {
            n.to_string()
        }
        _ => "/portal".to_string(),
    }
}
