//! Installs the contexts' SQL functions (PostgreSQL).
//!
//! A function that does a request's work in one statement is code, not
//! schema history: it lives in its context's `sql/` folder
//! ([`SqlFunctions`]) and is installed after the migrations on every run of
//! `integra migrate`, when its text (placeholders filled) differs from the
//! one recorded in `integra_sql_functions`. Installing drops every function
//! of the names the file defines (whatever their arguments, so that a
//! changed argument list replaces the old function rather than adding an
//! overload), runs the file and records its SHA-256, all in one
//! transaction: a failed file leaves the installed functions as they were.

use integra_kernel::SqlFunctions;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::APP_ROLE;

/// What one run installed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Installed {
    /// Files run because their text changed (or was never installed).
    pub changed: Vec<&'static str>,
    /// Files already installed as they are.
    pub unchanged: usize,
}

/// Installs every file of `files` whose text changed. A no-op on SQLite,
/// which has no functions (its callers run the statements themselves).
pub async fn install(
    conn: &DatabaseConnection,
    files: &[SqlFunctions],
) -> Result<Installed, DbErr> {
    let mut done = Installed::default();
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(done);
    }
    conn.execute_unprepared(&format!(
        "CREATE TABLE IF NOT EXISTS integra_sql_functions (\
           file text PRIMARY KEY, sha256 text NOT NULL, installed_at timestamptz NOT NULL); \
         REVOKE ALL ON integra_sql_functions FROM {APP_ROLE}"
    ))
    .await?;
    for f in files {
        let text = f.text().map_err(DbErr::Custom)?;
        let hash = hex::encode(Sha256::digest(text.as_bytes()));
        if recorded(conn, f.file).await?.as_deref() == Some(hash.as_str()) {
            done.unchanged += 1;
            continue;
        }
        let txn = conn.begin().await?;
        for name in f.functions {
            for signature in overloads(&txn, name).await? {
                txn.execute_unprepared(&format!("DROP FUNCTION {signature}"))
                    .await?;
            }
        }
        txn.execute_unprepared(&text)
            .await
            .map_err(|e| DbErr::Custom(format!("{}: {e}", f.file)))?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO integra_sql_functions (file, sha256, installed_at) VALUES ($1, $2, now()) \
             ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256, installed_at = now()",
            [f.file.into(), hash.into()],
        ))
        .await?;
        txn.commit().await?;
        done.changed.push(f.file);
    }
    Ok(done)
}

/// The hash recorded for `file`, if it was ever installed.
async fn recorded(conn: &DatabaseConnection, file: &str) -> Result<Option<String>, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT sha256 FROM integra_sql_functions WHERE file = $1",
            [file.into()],
        ))
        .await?;
    row.map(|r| r.try_get::<String>("", "sha256")).transpose()
}

/// Every function of the schema named `name`, as a signature `DROP
/// FUNCTION` takes (`integra_x(uuid, integer)`).
async fn overloads(conn: &impl ConnectionTrait, name: &str) -> Result<Vec<String>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT p.oid::regprocedure::text AS signature FROM pg_proc p \
             JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname = current_schema() AND p.proname = $1",
            [name.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "signature"))
        .collect()
}
