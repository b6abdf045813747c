//! `POST /api/auth/login|refresh|logout`: the same use cases as the GraphQL mutations, for
//! clients (and `curl`) that prefer plain JSON.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::accounts::Session;
use crate::app::AppState;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct LoginBody {
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshBody {
    refresh_token: String,
}

fn session_json(s: &Session) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "accessToken": s.access_token,
        "refreshToken": s.refresh_token,
        "expiresIn": s.expires_in,
        "user": { "id": s.user.id.to_string(), "email": s.user.email, "role": s.user.role },
        "mustChangePassword": s.user.must_change_password,
    }))
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, AppError> {
    let LoginBody { email, password } = body.into_inner();
    let ip = super::client_ip(&req);
    let s = state
        .run(move |conn, st| crate::accounts::login(conn, st, &email, &password, ip.as_deref()))
        .await?;
    Ok(session_json(&s))
}

pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshBody>,
) -> Result<HttpResponse, AppError> {
    let token = body.into_inner().refresh_token;
    let s = state
        .run(move |conn, st| crate::accounts::refresh(conn, st, &token))
        .await?;
    Ok(session_json(&s))
}

pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshBody>,
) -> Result<HttpResponse, AppError> {
    let token = body.into_inner().refresh_token;
    state
        .run(move |conn, st| crate::accounts::logout(conn, st, &token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
