//! The GraphQL API (juniper). Thin: resolvers parse arguments, call a use case off the async
//! workers, and map the result. No SQL here.

mod audit;
mod bank;
mod claims;
mod context;
pub mod cost;
mod courts;
mod dashboard;
mod evidence;
mod import;
mod incidents;
mod inputs;
mod legal;
mod mutation;
mod nodes;
mod query;
mod recovery;
mod scalars;

pub use context::Context;
pub use mutation::Mutation;
pub use query::Query;

use juniper::{EmptySubscription, RootNode};

/// The schema type.
pub type Schema = RootNode<Query, Mutation, EmptySubscription<Context>>;

/// Deepest query accepted (GraphiQL's introspection query needs about 13 levels).
pub const MAX_DEPTH: usize = 20;
/// Longest query accepted, in tokens: bounds parse and validation time.
pub const MAX_TOKENS: usize = 10_000;
/// Largest page a list returns.
pub const MAX_PAGE: i32 = 100;

/// Builds the schema with its depth and size limits.
pub fn schema() -> Schema {
    Schema::new(Query, Mutation, EmptySubscription::new())
        .limit_depth(MAX_DEPTH)
        .limit_tokens(MAX_TOKENS)
}

/// The SDL of the API, as kept in `graphql/schema.graphql`.
pub fn sdl() -> String {
    schema().as_sdl()
}
