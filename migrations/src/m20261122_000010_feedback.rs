//! "Did this help you?": one request per client and completed course or
//! closed case, answered through a single-use link. An answer marks its
//! month for the reporting refresh (the result indicator "reported the
//! activity helpful").

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::m20261122_000009_reporting::{Watch, postgres_triggers, sqlite_triggers};
use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE feedback_requests (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    client_id {uuid} NOT NULL,
    subject text NOT NULL,
    subject_id {uuid} NOT NULL,
    title text NOT NULL,
    funding_project_id {uuid},
    served_on {date} NOT NULL,
    token_hash text NOT NULL,
    emailed {bool} NOT NULL,
    requested_by {uuid},
    created_at {ts} NOT NULL,
    answered_at {ts},
    answer text,
    language text NOT NULL DEFAULT '',
    comment text NOT NULL DEFAULT '',
    CONSTRAINT feedback_requests_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT feedback_requests_once_key UNIQUE (tenant_id, subject, subject_id, client_id),
    CONSTRAINT feedback_requests_token_key UNIQUE (tenant_id, token_hash),
    CONSTRAINT feedback_requests_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX feedback_requests_client_idx ON feedback_requests (tenant_id, client_id);
CREATE INDEX feedback_requests_answered_idx ON feedback_requests (tenant_id, answered_at)
"#;

const WATCH: Watch = Watch {
    table: "feedback_requests",
    columns: &["tenant_id", "answered_at"],
    query: "SELECT r.tenant_id, {m:r.answered_at} FROM {src} WHERE r.answered_at IS NOT NULL",
    update_only: None,
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        rls::isolate_tenant_table(manager, "feedback_requests").await?;
        let stmts = if manager.get_database_backend() == DbBackend::Postgres {
            postgres_triggers(&WATCH)
        } else {
            sqlite_triggers(&WATCH)
        };
        for s in stmts {
            manager.get_connection().execute_unprepared(&s).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            conn.execute_unprepared(
                "DROP FUNCTION IF EXISTS report_dirty_feedback_requests() CASCADE",
            )
            .await?;
        }
        sql::run(manager, "DROP TABLE feedback_requests").await
    }
}
