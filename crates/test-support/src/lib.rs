//! Test helpers for Integra's integration tests.
//!
//! - [`pg`]: one throwaway PostgreSQL cluster per test process, started from
//!   the installed server binaries; each test gets its own database cloned
//!   from a migrated, demo-seeded template and connects as the non-owner
//!   application role, so row-level security is in force.
//! - [`sqlite`]: a temporary SQLite file per test, copied from a migrated,
//!   demo-seeded template.
//! - [`TestApp`]: the real router served on a loopback port, with a
//!   [`Gql`] client that keeps cookies like a browser.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    missing_docs,
    reason = "tests and test helpers: a failed unwrap is the test failing, with its message"
)]

pub mod app;
pub mod pg;
pub mod smtp;
pub mod sqlite;

pub use app::{Gql, GqlResponse, MailSetup, TestApp};

/// Which engine a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL as the application role.
    Postgres,
}

/// Runs one async test body on both engines: defines `NAME::sqlite` and
/// `NAME::postgres`. The body is `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body($crate::TestApp::start($crate::Engine::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$body($crate::TestApp::start($crate::Engine::Postgres).await).await
            }
        }
    };
}
