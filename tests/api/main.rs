//! End-to-end API tests over real HTTP on PostgreSQL (as the non-owner
//! application role, with row-level security) and on SQLite.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "tests and test helpers: a failed unwrap is the test failing, with its message"
)]

mod auth;
mod client_import;
mod client_rights;
mod clients;
mod counselling;
mod courses;
mod events;
mod hostile;
mod mail;
mod reporting;
mod schema;
mod sql_functions;
mod staff;
mod startup;
mod structure;
mod synthetic;
mod telemetry;
mod tenancy;
mod transport;
