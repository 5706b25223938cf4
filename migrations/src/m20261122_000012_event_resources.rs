//! Events take people and places like courses do: the staff who run or
//! speak at an event, its room and its interpreter are booked in the
//! centre's one calendar, so an event clashes with course sessions and
//! appointments (and they with it). Overridden clashes are kept with the
//! event, as a course keeps its own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE events ADD COLUMN room_id {uuid};
ALTER TABLE events ADD COLUMN interpreter_id {uuid};

CREATE TABLE event_staff (
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    event_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    PRIMARY KEY (tenant_id, event_id, user_id),
    CONSTRAINT event_staff_event_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX event_staff_user_idx ON event_staff (tenant_id, user_id);

CREATE TABLE event_overrides (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    event_id {uuid} NOT NULL,
    clashes {json} NOT NULL,
    reason text NOT NULL,
    by_user {uuid},
    at {ts} NOT NULL,
    CONSTRAINT event_overrides_event_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX event_overrides_event_idx ON event_overrides (tenant_id, event_id, at)
"#;

/// SQLite cannot add a constraint to an existing table; there the service's
/// own checks (the room and interpreter must be the centre's) stand alone.
const POSTGRES_ONLY: &str = r#"
ALTER TABLE events ADD CONSTRAINT events_room_fkey FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id);
ALTER TABLE events ADD CONSTRAINT events_interpreter_fkey FOREIGN KEY (tenant_id, interpreter_id) REFERENCES interpreters (tenant_id, id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            sql::run(manager, POSTGRES_ONLY).await?;
        }
        for table in ["event_staff", "event_overrides"] {
            rls::isolate_tenant_table(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP TABLE event_overrides")
            .await?;
        conn.execute_unprepared("DROP TABLE event_staff").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            conn.execute_unprepared(
                "ALTER TABLE events DROP CONSTRAINT events_room_fkey, DROP CONSTRAINT events_interpreter_fkey",
            )
            .await?;
        }
        conn.execute_unprepared("ALTER TABLE events DROP COLUMN interpreter_id")
            .await?;
        conn.execute_unprepared("ALTER TABLE events DROP COLUMN room_id")
            .await?;
        Ok(())
    }
}
