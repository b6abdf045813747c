//! The per-request context: the shared state and who is calling.

use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

pub struct Context {
    pub state: AppState,
    actor: Option<Actor>,
    /// Why the bearer token (if any) was refused; reported by resolvers that need a user.
    auth_error: Option<AppError>,
    /// What the request asks (its operation name or first field), for the security log.
    pub operation: String,
    /// The client's address, for the security log.
    pub client_ip: Option<String>,
}

impl juniper::Context for Context {}

impl Context {
    pub fn new(
        state: AppState,
        auth: Option<AppResult<Actor>>,
        operation: String,
        client_ip: Option<String>,
    ) -> Context {
        let (actor, auth_error) = match auth {
            Some(Ok(a)) => (Some(a), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        Context {
            state,
            actor,
            auth_error,
            operation,
            client_ip,
        }
    }

    /// The signed-in caller, or `UNAUTHENTICATED`.
    pub fn actor(&self) -> AppResult<Actor> {
        match (&self.actor, &self.auth_error) {
            (Some(a), _) => Ok(*a),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Err(AppError::unauthenticated(
                "sign in first: send the access token as `Authorization: Bearer <token>`",
            )),
        }
    }

    /// Runs a use case with a connection, off the async workers; a refusal of the signed-in
    /// caller by the policy lands in the security log.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &AppState) -> AppResult<T> + Send + 'static,
    {
        match self.actor {
            Some(actor) => self.state.run_as(actor, &self.operation, f).await,
            None => self.state.run(f).await,
        }
    }
}
