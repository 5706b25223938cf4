//! Recording a service in two round trips on PostgreSQL.
//!
//! This migration once created the function(s) itself. They are code, not
//! schema history, and now live in `crates/counselling/sql/record_service.sql`, installed after the
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
            "DROP FUNCTION IF EXISTS integra_service_inputs(uuid, uuid, uuid, uuid[], uuid[], uuid, uuid, uuid, uuid); DROP FUNCTION IF EXISTS integra_record_service(uuid, uuid, jsonb, jsonb, jsonb, jsonb, jsonb)",
        )
        .await
    }
}
