//! Registrations of an event by status in id order (the waitlist's order):
//! a registrant's waitlist position is then counted within the index
//! instead of over every registration of the event.

use sea_orm_migration::prelude::*;

use crate::sql;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "CREATE INDEX event_registrations_status_idx ON event_registrations (tenant_id, event_id, status, id);\n\
             DROP INDEX event_registrations_event_idx",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "CREATE INDEX event_registrations_event_idx ON event_registrations (tenant_id, event_id, status, created_at);\n\
             DROP INDEX event_registrations_status_idx",
        )
        .await
    }
}
