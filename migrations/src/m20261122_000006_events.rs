//! Events: lectures, multicultural events, trainings and the regional
//! platform, with public registration (waitlist, check-in codes), head-counts
//! per audience and the organisations taking part.
//!
//! `public_events` is the one directory the public registration page may
//! read without a centre: the slug of each event open to the public, and
//! which centre and event it leads to (nothing else). Everything else is
//! under row-level security.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE events (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    slug text NOT NULL,
    kind text NOT NULL,
    audience text NOT NULL,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    branch_id {uuid},
    venue text NOT NULL DEFAULT '',
    online_url text NOT NULL DEFAULT '',
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    capacity integer,
    registration_opens_at {ts},
    registration_closes_at {ts},
    public_registration {bool} NOT NULL,
    languages text NOT NULL DEFAULT '',
    funding_project_id {uuid},
    key_activity text NOT NULL DEFAULT '',
    status text NOT NULL,
    confirmed integer NOT NULL DEFAULT 0,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT events_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT events_slug_key UNIQUE (slug),
    CONSTRAINT events_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
);
CREATE INDEX events_starts_idx ON events (tenant_id, starts_at);

CREATE TABLE public_events (
    slug text PRIMARY KEY,
    centre_id {uuid} NOT NULL REFERENCES centres (id),
    event_id {uuid} NOT NULL
);

CREATE TABLE event_registrations (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    event_id {uuid} NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    organisation text NOT NULL DEFAULT '',
    language text NOT NULL,
    consent_at {ts} NOT NULL,
    status text NOT NULL,
    code text NOT NULL,
    cancel_token_hash text NOT NULL,
    client_id {uuid},
    checked_in_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT event_registrations_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT event_registrations_cancel_key UNIQUE (cancel_token_hash),
    CONSTRAINT event_registrations_code_key UNIQUE (event_id, code),
    CONSTRAINT event_registrations_event_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
    CONSTRAINT event_registrations_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE UNIQUE INDEX event_registrations_email_key ON event_registrations (event_id, email) WHERE status <> 'cancelled';
CREATE INDEX event_registrations_event_idx ON event_registrations (tenant_id, event_id, status, created_at);
CREATE INDEX event_registrations_client_idx ON event_registrations (tenant_id, client_id);

CREATE TABLE event_headcounts (
    tenant_id {uuid} NOT NULL,
    event_id {uuid} NOT NULL,
    audience text NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (tenant_id, event_id, audience),
    CONSTRAINT event_headcounts_event_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE event_organisations (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    event_id {uuid} NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    attendees integer NOT NULL,
    CONSTRAINT event_organisations_event_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX event_organisations_event_idx ON event_organisations (tenant_id, event_id)
"#;

const TENANT_TABLES: [&str; 4] = [
    "events",
    "event_registrations",
    "event_headcounts",
    "event_organisations",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        for table in TENANT_TABLES {
            rls::isolate_tenant_table(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP TABLE event_organisations; DROP TABLE event_headcounts; \
             DROP TABLE event_registrations; DROP TABLE public_events; DROP TABLE events",
        )
        .await
    }
}
