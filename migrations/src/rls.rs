//! PostgreSQL roles, grants and row-level security.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::APP_ROLE;

/// Creates the application role (if missing), the helper that reads the
/// request's tenant, and default grants. PostgreSQL only; a no-op on SQLite.
pub async fn install_roles(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let conn = manager.get_connection();
    conn.execute_unprepared(&format!(
        r#"DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
            END IF;
        END
        $$"#
    ))
    .await?;
    // Roles are cluster-wide; make sure an existing one was not given powers.
    conn.execute_unprepared(&format!(
        "ALTER ROLE {APP_ROLE} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
    ))
    .await?;
    conn.execute_unprepared(
        r#"CREATE OR REPLACE FUNCTION integra_current_tenant() RETURNS uuid
           LANGUAGE sql STABLE
           AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$"#,
    )
    .await?;
    conn.execute_unprepared(
        r#"CREATE OR REPLACE FUNCTION integra_current_user() RETURNS uuid
           LANGUAGE sql STABLE
           AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$"#,
    )
    .await?;
    for stmt in [
        format!("GRANT USAGE ON SCHEMA public TO {APP_ROLE}"),
        format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}"
        ),
        format!(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE}"
        ),
        format!("GRANT SELECT ON seaql_migrations TO {APP_ROLE}"),
    ] {
        conn.execute_unprepared(&stmt).await?;
    }
    Ok(())
}

/// Turns on forced row-level security for a table with a `tenant_id` column:
/// rows are visible and writable only when `tenant_id` equals the request's
/// `app.tenant_id`. PostgreSQL only.
pub async fn isolate_tenant_table(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let conn = manager.get_connection();
    for stmt in [
        format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY tenant_isolation ON {table} \
             USING (tenant_id = integra_current_tenant()) \
             WITH CHECK (tenant_id = integra_current_tenant())"
        ),
    ] {
        conn.execute_unprepared(&stmt).await?;
    }
    Ok(())
}

/// Runs raw SQL on PostgreSQL only.
pub async fn postgres_only(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() == DbBackend::Postgres {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}
