//! Confirmation by email link before a place is held. An event may ask
//! each public registrant to confirm from a link sent to the address they
//! gave; until then the registration is `unconfirmed`, holds no place and
//! no waitlist ticket, and lapses at `confirm_by`. Only the hash of the
//! link's token is kept (as for the cancel link).

use sea_orm_migration::prelude::*;

use crate::sql;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "ALTER TABLE events ADD COLUMN confirm_by_email {bool} NOT NULL DEFAULT false;\n\
             ALTER TABLE event_registrations ADD COLUMN confirm_token_hash text;\n\
             ALTER TABLE event_registrations ADD COLUMN confirm_by {ts};\n\
             CREATE UNIQUE INDEX event_registrations_confirm_key ON event_registrations \
               (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;\n\
             CREATE INDEX event_registrations_lapse_idx ON event_registrations \
               (tenant_id, confirm_by) WHERE status = 'unconfirmed'",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP INDEX event_registrations_lapse_idx;\n\
             DROP INDEX event_registrations_confirm_key;\n\
             ALTER TABLE event_registrations DROP COLUMN confirm_by;\n\
             ALTER TABLE event_registrations DROP COLUMN confirm_token_hash;\n\
             ALTER TABLE events DROP COLUMN confirm_by_email",
        )
        .await
    }
}
