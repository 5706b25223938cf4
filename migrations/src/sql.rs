//! Portable DDL: `{uuid}`, `{ts}`, `{bool}`, `{json}`, `{date}` and `{ctext}`
//! (text compared byte-wise, for prefix ranges) placeholders filled per engine.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Replaces the type placeholders for `backend`.
pub fn render(backend: DbBackend, ddl: &str) -> String {
    let (uuid, ts, boolean, json, date, ctext) = match backend {
        DbBackend::Postgres => (
            "uuid",
            "timestamptz",
            "boolean",
            "jsonb",
            "date",
            "text COLLATE \"C\"",
        ),
        _ => ("blob", "text", "integer", "text", "text", "text"),
    };
    ddl.replace("{uuid}", uuid)
        .replace("{ts}", ts)
        .replace("{date}", date)
        .replace("{ctext}", ctext)
        .replace("{bool}", boolean)
        .replace("{json}", json)
}

/// Runs each `;`-separated statement of `ddl` after rendering it.
pub async fn run(manager: &SchemaManager<'_>, ddl: &str) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let conn = manager.get_connection();
    for stmt in render(backend, ddl)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        conn.execute_unprepared(stmt).await?;
    }
    Ok(())
}
