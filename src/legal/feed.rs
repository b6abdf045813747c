//! The lawyer's agenda as a calendar feed (issue 16): the deadlines of `views::agenda` as
//! all-day events a calendar application fetches by itself, without a session — so the feed's
//! URL carries a token of 32 random bytes, of which only the SHA-256 is stored. A lawyer has
//! at most one live feed: a new one revokes the old, and the lawyer may revoke it at any time.
//! A revoked or unknown token, or a disabled account, is `NOT_FOUND` and says nothing more.

use chrono::NaiveDateTime;

use crate::auth::{tokens, Actor};
use crate::clock::Clock;
use crate::db::{self, DbConn};
use crate::domain::ics::{self, AllDayEvent};
use crate::domain::parties::Role;
use crate::error::{AppError, AppResult};
use crate::store::agenda_feeds::{self as store, NewAgendaFeed};
use crate::store::users;

/// How far ahead the feed looks: the longest a deadline may lie (the agenda's bound).
pub const WITHIN_DAYS: i64 = 3660;
/// Deadlines in a feed at most (every case's, for any realistic practice).
pub const MAX_DEADLINES: usize = 10_000;

/// The path of a feed, under the server's address.
pub fn path(token: &str) -> String {
    format!("/portal/agenda.ics?token={token}")
}

fn require_lawyer(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Lawyer {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Creates the caller's feed (lawyers only), revoking the one they had: its token, to be
/// shown once (it cannot be read back).
pub fn create(conn: &mut DbConn, clock: &Clock, actor: &Actor) -> AppResult<String> {
    require_lawyer(actor)?;
    let now = clock.now();
    let token = tokens::random_token(32);
    let hash = tokens::token_hash(&token);
    db::transaction(conn, |conn| {
        store::revoke_all_of(conn, actor.user_id, now)?;
        store::insert(
            conn,
            &NewAgendaFeed {
                user_id: actor.user_id,
                token_hash: &hash,
                created_at: now,
            },
        )?;
        Ok(())
    })?;
    Ok(token)
}

/// Revokes the caller's feed (lawyers only); whether one was live.
pub fn revoke(conn: &mut DbConn, clock: &Clock, actor: &Actor) -> AppResult<bool> {
    require_lawyer(actor)?;
    let now = clock.now();
    db::transaction(conn, |conn| {
        Ok(store::revoke_all_of(conn, actor.user_id, now)? > 0)
    })
}

/// When the caller's live feed was created, if they have one (lawyers only).
pub fn live_since(conn: &mut DbConn, actor: &Actor) -> AppResult<Option<NaiveDateTime>> {
    require_lawyer(actor)?;
    Ok(store::live_of(conn, actor.user_id)?.map(|f| f.created_at))
}

/// The calendar of the feed with this token: every deadline of its lawyer's agenda, each an
/// all-day event linking to the case's page under `base` (the server's address).
pub fn calendar(conn: &mut DbConn, clock: &Clock, token: &str, base: &str) -> AppResult<String> {
    let gone = || AppError::not_found("feed");
    let feed = store::find_live_by_hash(conn, &tokens::token_hash(token))?.ok_or_else(gone)?;
    let user = users::find(conn, feed.user_id)?.ok_or_else(gone)?;
    // A disabled account's feed stops with it; a lawyer who changed role has no agenda.
    if !user.active {
        return Err(gone());
    }
    let actor = crate::accounts::actor_of(&user)?;
    if actor.role != Role::Lawyer {
        return Err(gone());
    }
    let entries = super::views::agenda(conn, clock, &actor, WITHIN_DAYS, MAX_DEADLINES)?;
    let events: Vec<AllDayEvent> = entries
        .iter()
        .map(|e| {
            let d = &e.deadline;
            let url = format!("{base}/portal/cases/{}", e.case_id);
            AllDayEvent {
                uid: format!("dossier-{}-{}@recouvra", e.case_id, d.kind.key()),
                date: d.date,
                summary: format!("{} ({}) : {}", e.reference, e.debtor, d.title),
                description: format!(
                    "{} ({}).\n{}\nDossier {}, débiteur {}.\n{url}",
                    d.title,
                    d.article,
                    d.kind.what_to_do(),
                    e.reference,
                    e.debtor,
                ),
                url: Some(url),
            }
        })
        .collect();
    let name = format!("Échéances de {}", user.display_name);
    Ok(ics::calendar(&name, clock.now(), &events))
}
