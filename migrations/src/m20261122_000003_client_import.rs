//! Lookup of clients by date of birth, for the duplicate check of the
//! spreadsheet import.

use sea_orm_migration::prelude::*;

use crate::sql;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "CREATE INDEX clients_tenant_birth_date_idx ON clients (tenant_id, birth_date)",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, "DROP INDEX clients_tenant_birth_date_idx").await
    }
}
