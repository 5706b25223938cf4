//! The `integra` binary's library: configuration, the HTTP server, the
//! GraphQL schema and session handling. The only crate that knows about HTTP
//! and GraphQL; the context crates expose plain Rust services.

pub mod app;
pub mod cli;
pub mod client_address;
pub mod config;
pub mod documents;
pub mod graphql;
pub mod guard;
pub mod http;
pub mod session_cookie;
pub mod telemetry;
