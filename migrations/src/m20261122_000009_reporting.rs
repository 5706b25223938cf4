//! Ministry reporting: funding projects' operator, budget, key activities
//! and targets; the monthly facts indicators are counted from; the published
//! indicator cells with their suppression marks; and the queue of months to
//! recount, filled by triggers on every table a count depends on, so that no
//! write path can forget to mark its month.
//!
//! `report_dirty`, `report_cells` and `report_builds` are platform tables
//! (aggregates and bookkeeping, no person): their centre column is called
//! `centre_id`, not `tenant_id`, and they carry no tenant policy.
//! `report_person_months` and its siblings hold client ids and are tenant
//! tables under row-level security.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE funding_projects ADD COLUMN operator text NOT NULL DEFAULT '';
ALTER TABLE funding_projects ADD COLUMN budget_czk bigint;
ALTER TABLE funding_projects ADD COLUMN key_activities text NOT NULL DEFAULT '';

CREATE TABLE project_targets (
    tenant_id {uuid} NOT NULL,
    funding_project_id {uuid} NOT NULL,
    indicator text NOT NULL,
    planned bigint NOT NULL,
    PRIMARY KEY (tenant_id, funding_project_id, indicator),
    CONSTRAINT project_targets_project_fkey FOREIGN KEY (tenant_id, funding_project_id) REFERENCES funding_projects (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE report_person_months (
    tenant_id {uuid} NOT NULL,
    month {date} NOT NULL,
    client_id {uuid} NOT NULL,
    funding_project_id {uuid} NOT NULL,
    measures integer NOT NULL,
    person_key text NOT NULL,
    sex text NOT NULL,
    birth_year integer,
    nationality text NOT NULL,
    residence_category text NOT NULL,
    PRIMARY KEY (tenant_id, month, client_id, funding_project_id)
);
CREATE INDEX report_person_months_client_idx ON report_person_months (tenant_id, client_id, month);
CREATE INDEX report_person_months_project_idx ON report_person_months (tenant_id, funding_project_id, month);

CREATE TABLE report_service_months (
    tenant_id {uuid} NOT NULL,
    month {date} NOT NULL,
    funding_project_id {uuid} NOT NULL,
    kind text NOT NULL,
    interventions integer NOT NULL,
    minutes bigint NOT NULL,
    contacts integer NOT NULL,
    PRIMARY KEY (tenant_id, month, funding_project_id, kind)
);

CREATE TABLE report_event_months (
    tenant_id {uuid} NOT NULL,
    month {date} NOT NULL,
    audience text NOT NULL,
    events integer NOT NULL,
    participants integer NOT NULL,
    PRIMARY KEY (tenant_id, month, audience)
);

CREATE TABLE report_dirty (
    centre_id {uuid} NOT NULL,
    month {date} NOT NULL,
    PRIMARY KEY (centre_id, month)
);

CREATE TABLE report_cells (
    year integer NOT NULL,
    geo text NOT NULL,
    period text NOT NULL,
    indicator text NOT NULL,
    dimension text NOT NULL,
    category text NOT NULL,
    value bigint NOT NULL,
    hidden integer NOT NULL,
    published {bool} NOT NULL,
    PRIMARY KEY (year, geo, period, indicator, dimension, category)
);
CREATE INDEX report_cells_dashboard_idx ON report_cells (year, period, dimension, indicator);

CREATE TABLE report_builds (
    year integer PRIMARY KEY,
    closed_through {date},
    built_at {ts} NOT NULL,
    cells integer NOT NULL
)
"#;

const TENANT_TABLES: [&str; 4] = [
    "project_targets",
    "report_person_months",
    "report_service_months",
    "report_event_months",
];

/// How a row of a watched table leads to the months to recount.
pub(crate) struct Watch {
    pub(crate) table: &'static str,
    /// Columns of the row the query reads.
    pub(crate) columns: &'static [&'static str],
    /// `SELECT centre, month FROM {src} r …`; `{src}` is the changed rows
    /// aliased `r`, `{m:EXPR}` the month of a timestamp, `{d:EXPR}` the
    /// month of a date.
    pub(crate) query: &'static str,
    /// Only on update, and (PostgreSQL) only when these columns change.
    pub(crate) update_only: Option<&'static [&'static str]>,
}

const SESSION_MONTHS: &str = "SELECT s.tenant_id, {m:s.starts_at} FROM {src} \
     JOIN course_sessions s ON s.tenant_id = r.tenant_id AND s.course_id = r.course_id";

const WATCHES: &[Watch] = &[
    Watch {
        table: "interventions",
        columns: &["tenant_id", "occurred_on"],
        query: "SELECT r.tenant_id, {d:r.occurred_on} FROM {src}",
        update_only: None,
    },
    Watch {
        table: "intervention_participants",
        columns: &["tenant_id", "occurred_on"],
        query: "SELECT r.tenant_id, {d:r.occurred_on} FROM {src}",
        update_only: None,
    },
    Watch {
        table: "course_sessions",
        columns: &["tenant_id", "starts_at"],
        query: "SELECT r.tenant_id, {m:r.starts_at} FROM {src}",
        update_only: None,
    },
    Watch {
        table: "attendance",
        columns: &["tenant_id", "session_id"],
        // Every month of the course: completion, counted in its last month,
        // depends on attendance in all of them.
        query: "SELECT x.tenant_id, {m:x.starts_at} FROM {src} \
                JOIN course_sessions s ON s.tenant_id = r.tenant_id AND s.id = r.session_id \
                JOIN course_sessions x ON x.tenant_id = s.tenant_id AND x.course_id = s.course_id",
        update_only: None,
    },
    Watch {
        table: "enrolments",
        columns: &["tenant_id", "course_id"],
        query: SESSION_MONTHS,
        update_only: None,
    },
    Watch {
        table: "courses",
        columns: &["tenant_id", "id"],
        query: "SELECT s.tenant_id, {m:s.starts_at} FROM {src} \
                JOIN course_sessions s ON s.tenant_id = r.tenant_id AND s.course_id = r.id",
        update_only: Some(&["kind", "funding_project_id", "completion_percent", "status"]),
    },
    Watch {
        table: "events",
        columns: &["tenant_id", "starts_at"],
        query: "SELECT r.tenant_id, {m:r.starts_at} FROM {src}",
        update_only: None,
    },
    Watch {
        table: "event_registrations",
        columns: &["tenant_id", "event_id"],
        query: "SELECT e.tenant_id, {m:e.starts_at} FROM {src} \
                JOIN events e ON e.tenant_id = r.tenant_id AND e.id = r.event_id",
        update_only: None,
    },
    Watch {
        table: "event_headcounts",
        columns: &["tenant_id", "event_id"],
        query: "SELECT e.tenant_id, {m:e.starts_at} FROM {src} \
                JOIN events e ON e.tenant_id = r.tenant_id AND e.id = r.event_id",
        update_only: None,
    },
    Watch {
        table: "clients",
        columns: &["tenant_id", "id"],
        query: "SELECT f.tenant_id, f.month FROM {src} \
                JOIN report_person_months f ON f.tenant_id = r.tenant_id AND f.client_id = r.id",
        update_only: Some(&[
            "sex",
            "birth_year",
            "nationality",
            "person_key",
            "residence_category",
            "merged_into",
        ]),
    },
    Watch {
        table: "residence_statuses",
        columns: &["tenant_id", "client_id"],
        query: "SELECT f.tenant_id, f.month FROM {src} \
                JOIN report_person_months f ON f.tenant_id = r.tenant_id AND f.client_id = r.client_id",
        update_only: None,
    },
];

/// Fills `{m:…}` and `{d:…}` in `query`.
fn months(query: &str, ts: impl Fn(&str) -> String, date: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = query;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 1..start + len];
        match inner.split_once(':') {
            Some(("m", expr)) => out.push_str(&ts(expr)),
            Some(("d", expr)) => out.push_str(&date(expr)),
            _ => out.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

pub(crate) fn postgres_triggers(w: &Watch) -> Vec<String> {
    let body = |src: &str| {
        months(
            w.query,
            |e| format!("date_trunc('month', ({e}) AT TIME ZONE 'Europe/Prague')::date"),
            |e| format!("date_trunc('month', {e})::date"),
        )
        .replace("{src}", &format!("{src} r"))
    };
    let insert = |src: &str| {
        format!(
            "INSERT INTO report_dirty (centre_id, month) SELECT DISTINCT * FROM ({}) q ON CONFLICT DO NOTHING",
            body(src)
        )
    };
    let t = w.table;
    let mut out = Vec::new();
    match w.update_only {
        Some(cols) => {
            // A column list cannot go with transition tables: row level,
            // and only when a counted attribute changes.
            let changed = cols
                .iter()
                .map(|c| format!("OLD.{c} IS DISTINCT FROM NEW.{c}"))
                .collect::<Vec<_>>()
                .join(" OR ");
            let row = format!(
                "(SELECT {}) r",
                w.columns
                    .iter()
                    .map(|c| format!("NEW.{c} AS {c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let sql = months(
                w.query,
                |e| format!("date_trunc('month', ({e}) AT TIME ZONE 'Europe/Prague')::date"),
                |e| format!("date_trunc('month', {e})::date"),
            )
            .replace("{src}", &row);
            out.push(format!(
                "CREATE FUNCTION report_dirty_{t}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN \
                 INSERT INTO report_dirty (centre_id, month) SELECT DISTINCT * FROM ({sql}) q ON CONFLICT DO NOTHING; \
                 RETURN NULL; END $fn$"
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t} AFTER UPDATE ON {t} FOR EACH ROW \
                 WHEN ({changed}) EXECUTE FUNCTION report_dirty_{t}()"
            ));
        }
        None => {
            // Statement level with transition tables: one insert per
            // statement, so bulk loads (COPY) pay once, not per row.
            out.push(format!(
                "CREATE FUNCTION report_dirty_{t}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN \
                 IF TG_OP <> 'INSERT' THEN {old}; END IF; \
                 IF TG_OP <> 'DELETE' THEN {new}; END IF; \
                 RETURN NULL; END $fn$",
                old = insert("old_rows"),
                new = insert("new_rows"),
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_ins AFTER INSERT ON {t} \
                 REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_{t}()"
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_upd AFTER UPDATE ON {t} \
                 REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_{t}()"
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_del AFTER DELETE ON {t} \
                 REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_{t}()"
            ));
        }
    }
    out
}

pub(crate) fn sqlite_triggers(w: &Watch) -> Vec<String> {
    let t = w.table;
    let inserts = |row: &str| -> String {
        let src = format!(
            "(SELECT {}) r",
            w.columns
                .iter()
                .map(|c| format!("{row}.{c} AS {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        // SQLite has no time zones: a timestamp's Prague month is the month
        // of UTC + 1 h (winter) or + 2 h (summer); marking both is safe.
        ["+1 hour", "+2 hours"]
            .iter()
            .map(|shift| {
                let q = months(
                    w.query,
                    |e| format!("date({e}, '{shift}', 'start of month')"),
                    |e| format!("date({e}, 'start of month')"),
                )
                .replace("{src}", &src);
                format!("INSERT OR IGNORE INTO report_dirty (centre_id, month) SELECT * FROM ({q}) WHERE 1;")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = Vec::new();
    match w.update_only {
        Some(cols) => {
            let changed = cols
                .iter()
                .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
                .collect::<Vec<_>>()
                .join(" OR ");
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_upd AFTER UPDATE ON {t} FOR EACH ROW WHEN {changed} BEGIN {} END",
                inserts("NEW")
            ));
        }
        None => {
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_ins AFTER INSERT ON {t} FOR EACH ROW BEGIN {} END",
                inserts("NEW")
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_upd AFTER UPDATE ON {t} FOR EACH ROW BEGIN {} {} END",
                inserts("OLD"),
                inserts("NEW")
            ));
            out.push(format!(
                "CREATE TRIGGER report_dirty_{t}_del AFTER DELETE ON {t} FOR EACH ROW BEGIN {} END",
                inserts("OLD")
            ));
        }
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        for table in TENANT_TABLES {
            rls::isolate_tenant_table(manager, table).await?;
        }
        let backend = manager.get_database_backend();
        let conn = manager.get_connection();
        for w in WATCHES {
            let stmts = if backend == DbBackend::Postgres {
                postgres_triggers(w)
            } else {
                sqlite_triggers(w)
            };
            for s in stmts {
                conn.execute_unprepared(&s).await?;
            }
        }
        // Months already on file are counted on the first refresh.
        for (table, expr) in [
            ("interventions", "occurred_on"),
            ("course_sessions", "starts_at"),
            ("events", "starts_at"),
        ] {
            let month = if backend == DbBackend::Postgres {
                if expr == "occurred_on" {
                    format!("date_trunc('month', {expr})::date")
                } else {
                    format!("date_trunc('month', {expr} AT TIME ZONE 'Europe/Prague')::date")
                }
            } else if expr == "occurred_on" {
                format!("date({expr}, 'start of month')")
            } else {
                format!("date({expr}, '+1 hour', 'start of month')")
            };
            let insert = if backend == DbBackend::Postgres {
                "INSERT INTO report_dirty (centre_id, month) SELECT DISTINCT tenant_id, {month} FROM {table} ON CONFLICT DO NOTHING"
            } else {
                "INSERT OR IGNORE INTO report_dirty (centre_id, month) SELECT DISTINCT tenant_id, {month} FROM {table}"
            };
            conn.execute_unprepared(&insert.replace("{month}", &month).replace("{table}", table))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let conn = manager.get_connection();
        for w in WATCHES {
            let t = w.table;
            if backend == DbBackend::Postgres {
                conn.execute_unprepared(&format!(
                    "DROP FUNCTION IF EXISTS report_dirty_{t}() CASCADE"
                ))
                .await?;
            } else {
                for suffix in ["ins", "upd", "del"] {
                    conn.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS report_dirty_{t}_{suffix}"
                    ))
                    .await?;
                }
            }
        }
        sql::run(
            manager,
            "DROP TABLE report_builds; DROP TABLE report_cells; DROP TABLE report_dirty; \
             DROP TABLE report_event_months; DROP TABLE report_service_months; \
             DROP TABLE report_person_months; DROP TABLE project_targets; \
             ALTER TABLE funding_projects DROP COLUMN key_activities; \
             ALTER TABLE funding_projects DROP COLUMN budget_czk; \
             ALTER TABLE funding_projects DROP COLUMN operator",
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_fill_both_placeholders() {
        let q = months(
            "SELECT {m:s.starts_at}, {d:r.on} FROM {src}",
            |e| format!("M({e})"),
            |e| format!("D({e})"),
        );
        assert_eq!(q, "SELECT M(s.starts_at), D(r.on) FROM {src}");
    }
}
