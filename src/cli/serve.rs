//! `recouvra serve`: migrate if needed, seed the demo, listen, and stop gracefully on SIGTERM
//! or SIGINT (in-flight requests and the scheduler's run finish first).

use crate::clock::Clock;
use crate::config::Config;
use crate::db;

use super::open;

pub(super) fn serve(
    config: &Config,
    clock: Clock,
    demo: bool,
    migrate: bool,
) -> anyhow::Result<()> {
    let mut conn = open(config)?;
    if migrate || !db::has_schema(&mut conn)? {
        let applied = db::migrate(&mut conn)?;
        tracing::info!(count = applied.len(), "migrations applied");
    } else if db::has_pending(&mut conn)? {
        anyhow::bail!("the database schema is behind this version: run `recouvra migrate` (or serve --migrate)");
    }
    let logins = if demo {
        let portal_url = match &config.public_url {
            Some(u) => u.to_string(),
            None => format!("http://{}", config.bind),
        };
        Some(crate::demo::seed(
            &mut conn,
            &clock,
            config.hash_cost,
            &portal_url,
        )?)
    } else {
        None
    };
    drop(conn);
    actix_web::rt::System::new().block_on(async move {
        let app = crate::Application::build(config, clock)?;
        let url = format!("http://{}:{}", config.bind.ip(), app.port());
        println!(
            "Recouvra is listening on {url}  (portal: {url}/portal, GraphiQL: {url}/graphiql)"
        );
        if let Some(logins) = logins {
            println!("{logins}");
        }
        let handle = app.handle();
        actix_web::rt::spawn(async move {
            let signal = stop_signal().await;
            tracing::info!(
                signal,
                timeout_secs = crate::app::SHUTDOWN_TIMEOUT_SECS,
                "stopping: no new connections, finishing the requests in flight"
            );
            handle.stop(true).await;
        });
        app.run().await?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Waits for SIGTERM (what orchestrators send) or SIGINT (Ctrl-C); both stop gracefully.
async fn stop_signal() -> &'static str {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            match futures_util::future::select(Box::pin(term.recv()), Box::pin(int.recv())).await {
                futures_util::future::Either::Left(_) => "SIGTERM",
                futures_util::future::Either::Right(_) => "SIGINT",
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            // Without the handlers the default action (exit at once) still applies; say so.
            tracing::error!(error = %e, "cannot listen for stop signals");
            std::future::pending().await
        }
    }
}
