//! The one integration-test binary: black-box tests over HTTP against the real application.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod auth;
mod cases;
mod claims;
mod demo;
mod evidence;
mod faults;
mod helpers;
mod http;
mod import;
mod instances;
mod legal;
mod lockout;
mod mail;
mod migrations;
mod ops;
mod payments;
mod permissions;
mod portal;
mod recovery;
mod refusals;
mod remittances;
mod sessions;
mod smtp_sink;
mod validation;
