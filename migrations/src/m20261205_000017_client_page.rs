//! A client's page in one round trip on PostgreSQL.
//!
//! This migration once created the function(s) itself. They are code, not
//! schema history, and now live in `crates/clients/sql/client_page.sql`, installed after the
//! migrations by every `integra migrate` whose file text changed
//! (`crate::functions`). On a database where this migration ran, the first
//! such run replaces what it created; on a new database it does nothing.

use sea_orm_migration::prelude::*;

use crate::rls;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rls::postgres_only(
            manager,
            "DROP FUNCTION IF EXISTS integra_client_page(uuid, uuid, uuid, timestamptz, uuid, boolean, boolean, boolean, boolean, integer)",
        )
        .await
    }
}
