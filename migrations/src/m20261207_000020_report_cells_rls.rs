//! The indicator cells under row-level security. `report_cells` names a
//! centre in its `geo` key (`centre:<id>`, `project:<id>`) and holds the
//! centres' unsuppressed figures beside the published ones. A row is now
//! visible when it is published, when it is the transaction's own centre's
//! or one of its own funding projects' (the project table is itself under
//! the tenant policy), or to the indicator work, whose transactions say so
//! (`app.reporting`, set by `Database::reporting`); only that work writes.

use sea_orm_migration::prelude::*;

use crate::rls;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE OR REPLACE FUNCTION integra_reporting() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.reporting', true), '') = 'on' $$;

ALTER TABLE report_cells ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_cells FORCE ROW LEVEL SECURITY;
CREATE POLICY published_own_or_reporting ON report_cells
    USING (
        published
        OR integra_reporting()
        OR geo = 'centre:' || integra_current_tenant()::text
        OR (geo LIKE 'project:%'
            AND EXISTS (SELECT 1 FROM funding_projects f WHERE geo = 'project:' || f.id::text))
    )
    WITH CHECK (integra_reporting());
"#;

const DOWN: &str = r#"
DROP POLICY published_own_or_reporting ON report_cells;
ALTER TABLE report_cells NO FORCE ROW LEVEL SECURITY;
ALTER TABLE report_cells DISABLE ROW LEVEL SECURITY;
DROP FUNCTION integra_reporting();
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
