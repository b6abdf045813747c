//! Database queries, one module per aggregate. Nothing here knows of HTTP or GraphQL; every
//! function takes a connection that the use case holds inside its transaction.

pub mod advance_reminders;
pub mod agenda_feeds;
pub mod arrangements;
pub mod bank;
pub mod bodacc;
pub mod card_payments;
pub mod cases;
pub mod claims;
pub mod courts;
pub mod debtor_links;
pub mod debtor_pieces;
pub mod documents;
pub mod events;
pub mod evidence;
pub mod gauges;
pub mod incidents;
pub mod lawyers;
pub mod legal;
pub mod mandates;
pub mod orgs;
pub mod outbox;
pub mod password_resets;
pub mod payments;
pub mod rates;
pub mod recovery;
pub mod remittances;
pub mod security;
pub mod tasks;
pub mod throttle;
pub mod tokens;
pub mod users;

/// One page of a keyset-paginated list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    pub total: i64,
}
