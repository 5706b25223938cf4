//! Email: the outbox written in the same transaction as the change that
//! sends it, single-use account links (staff invitations, password resets)
//! and each user's language for the emails they get.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE outbox (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} REFERENCES centres (id),
    kind text NOT NULL,
    reference text NOT NULL DEFAULT '',
    client_id {uuid},
    recipient text NOT NULL,
    recipient_name text NOT NULL DEFAULT '',
    language text NOT NULL,
    subject text NOT NULL,
    body_text text NOT NULL,
    body_html text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at {ts} NOT NULL,
    last_error text NOT NULL DEFAULT '',
    created_at {ts} NOT NULL,
    sent_at {ts}
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_tenant_idx ON outbox (tenant_id, status, created_at);
CREATE INDEX outbox_reference_idx ON outbox (tenant_id, reference) WHERE status = 'pending';
CREATE INDEX outbox_client_idx ON outbox (tenant_id, client_id);

CREATE TABLE account_tokens (
    id {uuid} PRIMARY KEY,
    purpose text NOT NULL,
    token_hash text NOT NULL,
    email text NOT NULL,
    user_id {uuid} REFERENCES users (id) ON DELETE CASCADE,
    centre_id {uuid} REFERENCES centres (id),
    roles text NOT NULL DEFAULT '',
    display_name text NOT NULL DEFAULT '',
    language text NOT NULL DEFAULT 'cs',
    created_by {uuid},
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    used_at {ts},
    revoked_at {ts},
    CONSTRAINT account_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX account_tokens_centre_idx ON account_tokens (centre_id, created_at);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose, created_at);

ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'cs'
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        rls::isolate_tenant_table(manager, "outbox").await?;
        // The delivery worker reads and marks every centre's mail; it says so
        // with `app.mail_worker` for the length of its own transactions.
        rls::postgres_only(
            manager,
            "CREATE POLICY mail_worker ON outbox \
             USING (current_setting('app.mail_worker', true) = 'on') \
             WITH CHECK (current_setting('app.mail_worker', true) = 'on')",
        )
        .await?;
        // Account mail (password resets) belongs to no centre; anyone may
        // queue it, nobody but the worker reads it.
        rls::postgres_only(
            manager,
            "CREATE POLICY platform_mail ON outbox FOR INSERT WITH CHECK (tenant_id IS NULL)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP TABLE account_tokens; DROP TABLE outbox; ALTER TABLE users DROP COLUMN language",
        )
        .await
    }
}
