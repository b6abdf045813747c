//! Recouvra: case management for debt-collection agencies (French law).
//!
//! Layers (arrows point one way): `http`/`graphql` → use cases (`accounts`, `admin`, `cases`)
//! → `domain` (pure rules) + `store` (diesel queries). See docs/ARCHITECTURE.md.

pub mod accounts;
pub mod admin;
pub mod app;
pub mod auth;
pub mod backup;
pub mod benchbank;
pub mod benchseed;
pub mod blobs;
pub mod card;
pub mod cases;
pub mod claims;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod debtor;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod legal;
pub mod metrics;
pub mod portal;
pub mod recovery;
pub mod refusals;
pub mod security;
pub mod store;
pub mod util;
pub mod validate;

pub use app::{AppState, Application};
pub use config::Config;
