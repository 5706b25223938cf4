//! A registrant's place on an event's waitlist without counting the
//! waitlist. Counting the waitlisted registrations up to a new one made a
//! registration cost grow with the waitlist (at 8,000 waitlisted the count
//! took most of PostgreSQL's time and halved the registrations a second).
//! Now each registration that joins the waitlist takes the next ticket of
//! its event (the highest so far plus one, read from an index), and the
//! event counts those who left the waitlist (moved up or cancelled): the
//! place is the ticket less those who left. Existing waitlists get their
//! tickets in their order.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "ALTER TABLE event_registrations ADD COLUMN waitlist_ticket bigint;\n\
             ALTER TABLE events ADD COLUMN waitlist_left bigint NOT NULL DEFAULT 0",
        )
        .await?;
        // Every centre's waitlists at once: the table's owner past its
        // forced row security for this one statement (the migration's
        // transaction keeps that from anyone else).
        rls::postgres_only(
            manager,
            "ALTER TABLE event_registrations NO FORCE ROW LEVEL SECURITY",
        )
        .await?;
        sql::run(
            manager,
            "UPDATE event_registrations SET waitlist_ticket = (\
               SELECT count(*) FROM event_registrations o \
               WHERE o.event_id = event_registrations.event_id AND o.status = 'waitlisted' \
               AND o.id <= event_registrations.id) \
             WHERE status = 'waitlisted'",
        )
        .await?;
        rls::postgres_only(
            manager,
            "ALTER TABLE event_registrations FORCE ROW LEVEL SECURITY",
        )
        .await?;
        sql::run(
            manager,
            "CREATE INDEX event_registrations_ticket_idx ON event_registrations \
               (tenant_id, event_id, waitlist_ticket) WHERE waitlist_ticket IS NOT NULL",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP INDEX event_registrations_ticket_idx;\n\
             ALTER TABLE events DROP COLUMN waitlist_left;\n\
             ALTER TABLE event_registrations DROP COLUMN waitlist_ticket",
        )
        .await
    }
}
