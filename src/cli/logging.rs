//! Log output: human-readable lines by default, JSON lines with `RECOUVRA_LOG_FORMAT=json`.

/// Parses a `RECOUVRA_LOG` filter (`info`, `recouvra=debug,actix_web=warn`, …); the
/// configuration refuses one that does not parse, so the server never starts with a filter
/// other than the one asked for.
pub(crate) fn parse_filter(filter: &str) -> Result<tracing_subscriber::EnvFilter, String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(filter)
        .map_err(|e| e.to_string())
}

pub(super) fn init_logging(filter: &str, format: crate::config::LogFormat) {
    // Checked by the configuration already; `info` only if that ever changes.
    let filter =
        parse_filter(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match format {
        crate::config::LogFormat::Text => builder.try_init(),
        // The event's fields at the top level and the request span's fields (`request_id`,
        // `method`, `route`) under `span`, so a collector can filter on them directly.
        crate::config::LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
