//! The directory tables keyed by a centre but read before any centre is
//! known, by a secret the caller holds: `account_tokens` (invitation and
//! password-reset links), `calendar_feeds` (feed addresses) and
//! `public_events` (public registration pages). Until now they had no
//! row-level security. Each is now under a forced policy: a row is visible
//! to its own centre, to a transaction that holds its key (`app.lookup`,
//! set by `Database::by_secret` to a link's token hash or a page's slug)
//! and, for a password-reset link (no centre), to its own user; rows are
//! written only for the transaction's own centre (or own user).

use sea_orm_migration::prelude::*;

use crate::rls;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE OR REPLACE FUNCTION integra_lookup() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.lookup', true), '') $$;

ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY;
CREATE POLICY centre_or_holder ON calendar_feeds
    USING (centre_id = integra_current_tenant() OR token_hash = integra_lookup())
    WITH CHECK (centre_id = integra_current_tenant());

ALTER TABLE public_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_events FORCE ROW LEVEL SECURITY;
CREATE POLICY centre_or_holder ON public_events
    USING (centre_id = integra_current_tenant() OR slug = integra_lookup())
    WITH CHECK (centre_id = integra_current_tenant());

ALTER TABLE account_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY centre_holder_or_owner ON account_tokens
    USING (
        centre_id = integra_current_tenant()
        OR token_hash = integra_lookup()
        OR (centre_id IS NULL AND user_id = integra_current_user())
    )
    WITH CHECK (
        centre_id = integra_current_tenant()
        OR (centre_id IS NULL AND user_id = integra_current_user())
    );
"#;

const DOWN: &str = r#"
DROP POLICY centre_holder_or_owner ON account_tokens;
ALTER TABLE account_tokens NO FORCE ROW LEVEL SECURITY;
ALTER TABLE account_tokens DISABLE ROW LEVEL SECURITY;
DROP POLICY centre_or_holder ON public_events;
ALTER TABLE public_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public_events DISABLE ROW LEVEL SECURITY;
DROP POLICY centre_or_holder ON calendar_feeds;
ALTER TABLE calendar_feeds NO FORCE ROW LEVEL SECURITY;
ALTER TABLE calendar_feeds DISABLE ROW LEVEL SECURITY;
DROP FUNCTION integra_lookup();
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rls::postgres_only(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rls::postgres_only(manager, DOWN).await
    }
}
