//! `POST /api/court-directory`: an admin imports a court directory file as it is (the body is
//! the JSON file of `assets/courts/directory.json`'s format). Same use case as
//! `importCourtDirectory`, without GraphQL's 1 MiB body limit: the shipped file, with every
//! commune of France, is about 2.5 MB.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{bearer_actor, read_capped};
use crate::app::AppState;
use crate::error::{AppError, AppResult};

/// The largest directory file taken.
const MAX_BYTES: usize = 32 * 1024 * 1024;

fn too_large() -> AppError {
    crate::evidence::too_large("the court directory", MAX_BYTES as u64)
}

pub async fn import(
    req: HttpRequest,
    mut body: web::Payload,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let actor = bearer_actor(&req, &state)
        .await
        .unwrap_or_else(|| Err(AppError::unauthenticated("sign in first")))?;
    let bytes = read_capped(&req, &mut body, MAX_BYTES, too_large).await?;
    let imported = state
        .run_as(actor, "POST /api/court-directory", move |conn, st| {
            actor.require_admin()?;
            let json = String::from_utf8(bytes)
                .map_err(|_| AppError::validation("data", "the file is not UTF-8 text"))?;
            crate::legal::courts::import(conn, &st.clock, Some(&actor), &json)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "version": imported.version,
        "source": imported.source,
        "courts": imported.courts,
        "communes": imported.communes,
    })))
}
