//! `POST /api/bodacc`: an admin imports a BODACC file as it is (the body is the JSON export of
//! the « annonces-commerciales » dataset). Same use case as `importBodacc`, without GraphQL's
//! 1 MiB body limit: a day of the bulletin is a few megabytes.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{bearer_actor, read_capped};
use crate::app::AppState;
use crate::error::{AppError, AppResult};

/// The largest file taken.
const MAX_BYTES: usize = 32 * 1024 * 1024;

fn too_large() -> AppError {
    crate::evidence::too_large("the BODACC file", MAX_BYTES as u64)
}

pub async fn import(
    req: HttpRequest,
    mut body: web::Payload,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    actor.require_admin()?;
    let bytes = read_capped(&req, &mut body, MAX_BYTES, too_large).await?;
    let summary = state
        .run_as(actor, "POST /api/bodacc", move |conn, st| {
            let json = String::from_utf8(bytes)
                .map_err(|_| AppError::validation("content", "the file is not UTF-8 text"))?;
            crate::legal::bodacc::import(conn, &st.clock, Some(&actor), &json)
        })
        .await?;
    Ok(HttpResponse::Ok().json(crate::legal::bodacc::summary_json(&summary)))
}
