//! Centres, branches, users, memberships, sessions and sign-in throttling.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE centres (
    id {uuid} PRIMARY KEY,
    slug text NOT NULL,
    name text NOT NULL,
    operator text NOT NULL,
    region_code text NOT NULL,
    seat text NOT NULL,
    created_at {ts} NOT NULL,
    CONSTRAINT centres_slug_key UNIQUE (slug)
);

CREATE TABLE branches (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    name text NOT NULL,
    municipality text NOT NULL,
    address text NOT NULL,
    created_at {ts} NOT NULL,
    CONSTRAINT branches_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT branches_tenant_id_name_key UNIQUE (tenant_id, name)
);

CREATE TABLE users (
    id {uuid} PRIMARY KEY,
    email text NOT NULL,
    display_name text NOT NULL,
    password_hash text,
    platform_roles text NOT NULL DEFAULT '',
    created_at {ts} NOT NULL,
    disabled_at {ts},
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE memberships (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    user_id {uuid} NOT NULL REFERENCES users (id),
    roles text NOT NULL,
    created_at {ts} NOT NULL,
    CONSTRAINT memberships_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT memberships_tenant_id_user_id_key UNIQUE (tenant_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE sessions (
    id {uuid} PRIMARY KEY,
    token_hash text NOT NULL,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    active_centre_id {uuid} REFERENCES centres (id),
    created_at {ts} NOT NULL,
    last_seen_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    window_started_at {ts} NOT NULL,
    locked_until {ts}
)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rls::install_roles(manager).await?;
        sql::run(manager, UP).await?;
        rls::isolate_tenant_table(manager, "branches").await?;
        rls::isolate_tenant_table(manager, "memberships").await?;
        // Signing in reads the user's own memberships in every centre before
        // a centre is chosen; this policy shows exactly those rows.
        rls::postgres_only(
            manager,
            "CREATE POLICY own_memberships ON memberships FOR SELECT \
             USING (user_id = integra_current_user())",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP TABLE login_throttle; DROP TABLE sessions; DROP TABLE memberships; \
             DROP TABLE users; DROP TABLE branches; DROP TABLE centres",
        )
        .await
    }
}
