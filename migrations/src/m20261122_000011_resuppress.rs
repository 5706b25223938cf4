//! Rebuilds every year's reporting cells once. The suppression audit before
//! this change lost track of a hidden cell's company when a relation held a
//! secondary-suppressed part (its bound for "the other parts" came out too
//! small and the relation was skipped), so a cell hidden alone next to shown
//! totals could stay recoverable. Moving every build's `closed_through` off
//! its true value makes the next refresh rebuild each year with the mended
//! audit; the month counts themselves were right and are kept.

use sea_orm_migration::prelude::*;

use crate::sql;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "UPDATE report_builds SET closed_through = '1900-01-01'",
        )
        .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Nothing to undo: the rebuilt cells are the right ones either way.
        Ok(())
    }
}
