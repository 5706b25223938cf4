//! How a client's record is read for a screen: one small trait with a
//! PostgreSQL and a SQLite implementation, chosen once when the service is
//! built ([`for_engine`]).
//!
//! Both read the record with the parts asked for and write its audit line
//! in one transaction. PostgreSQL does it in one round trip, the
//! `integra_client_page` function (`crates/clients/sql/client_page.sql`);
//! SQLite runs the statements of [`ClientService::get_parts_in`] in one
//! write transaction.

use std::sync::Arc;

use integra_kernel::scope::can;
use integra_kernel::{AppResult, Authorized, Backend, ClientId, Database};
use sea_orm::prelude::async_trait;

use crate::Parts;
use crate::model::Client;
use crate::service::{ClientService, Nothing};

/// Reads a client's record with its `parts`, logged as read.
#[async_trait::async_trait]
pub(crate) trait RecordReader: Send + Sync {
    /// The record of `id` as `service` reads it.
    async fn read(
        &self,
        service: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
    ) -> AppResult<Client>;
}

/// The reader for the database's engine.
pub(crate) fn for_engine(db: &Database) -> Arc<dyn RecordReader> {
    match db.backend() {
        Backend::Postgres => Arc::new(Function),
        Backend::Sqlite => Arc::new(Statements),
    }
}

/// One call of `integra_client_page` (PostgreSQL).
struct Function;

#[async_trait::async_trait]
impl RecordReader for Function {
    async fn read(
        &self,
        service: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
    ) -> AppResult<Client> {
        let (c, Nothing {}) = service.read_page(auth, id, parts, 0).await?;
        Ok(c)
    }
}

/// The statements in one write transaction (SQLite).
struct Statements;

#[async_trait::async_trait]
impl RecordReader for Statements {
    async fn read(
        &self,
        service: &ClientService,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
    ) -> AppResult<Client> {
        let txn = service.db.scoped_write(auth).await?;
        let c = service.get_parts_in(&txn, auth, id, parts).await?;
        txn.commit().await?;
        Ok(c)
    }
}
