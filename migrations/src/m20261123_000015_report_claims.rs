//! Months being recounted. Taking a month's mark in `report_dirty` was the
//! claim, held by the recount's transaction until it committed: every write
//! to that centre-month meanwhile (its trigger inserting the mark again)
//! waited for the whole recount, seconds for a large centre. The claim now
//! moves here in a short transaction of its own, so writers never wait for a
//! recount; a claim left by a process that stopped mid-recount is given back
//! to `report_dirty` by the next refresh. A platform table (no person, no
//! tenant policy), like `report_dirty`.

use sea_orm_migration::prelude::*;

use crate::sql;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "CREATE TABLE report_claims (
                centre_id {uuid} NOT NULL,
                month {date} NOT NULL,
                claimed_at {ts} NOT NULL,
                PRIMARY KEY (centre_id, month)
            )",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, "DROP TABLE report_claims").await
    }
}
