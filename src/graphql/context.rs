//! The per-request context: the shared state and who is calling, and what the request did
//! (use cases that succeeded, refusals met).

use crate::app::AppState;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

pub struct Context {
    pub state: AppState,
    actor: Option<Actor>,
    /// Why the bearer token (if any) was refused; reported by resolvers that need a user.
    auth_error: Option<AppError>,
    /// The token's holder, also when its password is provisional (for `changePassword`).
    holder: Option<crate::http::Bearer>,
    /// What the request asks (its operation name or first field), for the security log.
    pub operation: String,
    /// The client's address, for the security log.
    pub client_ip: Option<String>,
    /// Where links in the e-mails this request sends point (`http::link_base`).
    pub link_base: Option<String>,
    /// Use cases of this request that returned `Ok` (the 503 rule: `http::graphql`).
    succeeded: std::sync::atomic::AtomicUsize,
    /// The refusals the request met: one security-log entry for all of them, handed to the
    /// log's writer when the request is over (`Drop`).
    refusals: std::sync::Mutex<crate::refusals::Tally>,
}

impl juniper::Context for Context {}

impl Context {
    pub fn new(
        state: AppState,
        auth: Option<AppResult<crate::http::Bearer>>,
        operation: String,
        client_ip: Option<String>,
        link_base: Option<String>,
    ) -> Context {
        let (actor, auth_error, holder) = match auth {
            // A provisional password: every operation but the change is refused.
            Some(Ok(b)) if b.provisional => (
                None,
                Some(crate::accounts::password_change_required()),
                Some(b),
            ),
            Some(Ok(b)) => (Some(b.actor), None, Some(b)),
            Some(Err(e)) => (None, Some(e), None),
            None => (None, None, None),
        };
        Context {
            state,
            actor,
            auth_error,
            holder,
            operation,
            client_ip,
            link_base,
            succeeded: Default::default(),
            refusals: Default::default(),
        }
    }

    /// How many use cases of this request succeeded so far.
    pub fn succeeded(&self) -> usize {
        self.succeeded.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The token's holder and its sign-in, also when its password is provisional: for the
    /// password change only.
    pub fn holder(&self) -> AppResult<(Actor, String)> {
        match &self.holder {
            Some(b) => Ok((b.actor, b.session.clone())),
            None => self.actor().map(|a| (a, String::new())),
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

    /// Runs a use case with a connection, off the async workers. A refusal of the signed-in
    /// caller by the policy is tallied: the request's one security-log entry is written
    /// after it, off its path (nothing here touches the database for it).
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &AppState) -> AppResult<T> + Send + 'static,
    {
        let result = self.state.run(f).await;
        match (&result, &self.actor) {
            (Ok(_), _) => {
                self.succeeded
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            (Err(e), Some(actor)) => {
                let refusal = crate::security::refusal_of(
                    self.state.clock.now(),
                    actor,
                    e,
                    &self.operation,
                    self.client_ip.clone(),
                );
                if let (Some(r), Ok(mut tally)) = (refusal, self.refusals.lock()) {
                    tally.add(r);
                }
            }
            (Err(_), None) => {}
        }
        result
    }
}

impl Drop for Context {
    // The request is over (answered, cut by its time budget, or its client gone): its one
    // refusal, if any, goes to the security log's writer.
    fn drop(&mut self) {
        let refusal = match self.refusals.get_mut() {
            Ok(tally) => tally.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(r) = refusal {
            self.state.refusals.submit(r);
        }
    }
}
