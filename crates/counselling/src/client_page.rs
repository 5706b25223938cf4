//! How a client's page is read: the registry's record (with the parts the
//! screen shows, logged as read) and the client's latest services, in one
//! transaction. One small trait with a PostgreSQL and a SQLite
//! implementation, chosen once when the service is built ([`for_engine`]).
//!
//! PostgreSQL reads the whole page in one round trip: the registry's
//! `integra_client_page` calls this context's `integra_client_page_rest`
//! (`crates/counselling/sql/client_page_rest.sql`) for the services, so
//! both run in the one statement's transaction. SQLite runs the same reads
//! as statements in one write transaction
//! ([`CounsellingService::client_page_by_statements`]).

use std::sync::Arc;

use integra_clients::{Client, ClientService, Parts};
use integra_kernel::scope::can;
use integra_kernel::{AppResult, Authorized, Backend, ClientId, Database};
use sea_orm::prelude::async_trait;

use crate::interventions::{LatestRows, attach};
use crate::model::Intervention;
use crate::service::CounsellingService;

/// The most latest services one page reads.
const LATEST_MAX: u64 = 100;

/// Reads a client's page.
#[async_trait::async_trait]
pub(crate) trait PageReader: Send + Sync {
    /// The record of `client` with `parts` and its `latest` latest
    /// services, newest first.
    async fn read(
        &self,
        service: &CounsellingService,
        clients: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        parts: Parts,
        latest: u64,
    ) -> AppResult<(Client, Vec<Intervention>)>;
}

/// The reader for the database's engine.
pub(crate) fn for_engine(db: &Database) -> Arc<dyn PageReader> {
    match db.backend() {
        Backend::Postgres => Arc::new(Function),
        Backend::Sqlite => Arc::new(Statements),
    }
}

/// One call of `integra_client_page` (PostgreSQL).
struct Function;

#[async_trait::async_trait]
impl PageReader for Function {
    async fn read(
        &self,
        _service: &CounsellingService,
        clients: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        parts: Parts,
        latest: u64,
    ) -> AppResult<(Client, Vec<Intervention>)> {
        let first = u32::try_from(latest.clamp(1, LATEST_MAX)).unwrap_or(100);
        let (record, rows): (Client, LatestRows) =
            clients.read_page(auth, client, parts, first).await?;
        Ok((record, attach(rows.interventions, rows.participants)?))
    }
}

/// The statements in one write transaction (SQLite).
struct Statements;

#[async_trait::async_trait]
impl PageReader for Statements {
    async fn read(
        &self,
        service: &CounsellingService,
        clients: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        parts: Parts,
        latest: u64,
    ) -> AppResult<(Client, Vec<Intervention>)> {
        service
            .client_page_by_statements(clients, auth, client, parts, latest)
            .await
    }
}
