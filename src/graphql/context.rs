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
}

impl juniper::Context for Context {}

impl Context {
    pub fn new(state: AppState, auth: Option<AppResult<Actor>>) -> Context {
        let (actor, auth_error) = match auth {
            Some(Ok(a)) => (Some(a), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        Context {
            state,
            actor,
            auth_error,
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

    /// Runs a use case with a connection, off the async workers.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &AppState) -> AppResult<T> + Send + 'static,
    {
        self.state.run(f).await
    }
}
