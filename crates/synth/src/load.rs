//! Bulk loading: COPY on PostgreSQL (as the owner: the app role may not
//! COPY into tables under row-level security), multi-row inserts in one
//! transaction per centre on SQLite.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use integra_clients::names;
use integra_kernel::{AppError, AppResult, Backend, Database, Role, RoleSet, SharedClock};
use integra_tenants::seed;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};

use integra_kernel::FundingProjectId;
use integra_tenants::{EligibilityRule, FundingProject, FundingSource};

use crate::{Scale, SynthClient, centre_sizes, clients_of, services};

/// Password of the synthetic staff accounts (`bench.<slug>@example.org`).
pub const BENCH_PASSWORD: &str = "integra-bench";

/// Computes the server's pseudonymous person key from family name, given
/// name, birth date and nationality.
pub type PersonKeyFn<'a> = dyn Fn(&str, &str, Option<NaiveDate>, &str) -> String + Sync + 'a;

/// What a load did.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    /// Clients written.
    pub clients: u64,
    /// Residence periods written.
    pub residence_periods: u64,
    /// Name-index postings written.
    pub terms: u64,
    /// Name-index variants written.
    pub variants: u64,
    /// Centres skipped because they already had clients.
    pub skipped_centres: u64,
    /// Interventions written (each with one participant).
    pub interventions: u64,
    /// Follow-up tasks written.
    pub tasks: u64,
    /// Wall time in seconds.
    pub seconds: f64,
}

#[derive(Clone)]
enum Cell {
    Null,
    Text(String),
    Uuid(uuid::Uuid),
    Date(NaiveDate),
    Int(i32),
    Bool(bool),
    Ts(DateTime<Utc>),
}

impl Cell {
    fn copy_text(&self, out: &mut String) {
        match self {
            Cell::Null => out.push_str("\\N"),
            Cell::Text(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
            Cell::Uuid(u) => {
                let _ = write!(out, "{u}");
            }
            Cell::Date(d) => {
                let _ = write!(out, "{d}");
            }
            Cell::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Cell::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            Cell::Ts(t) => out.push_str(&t.to_rfc3339()),
        }
    }

    fn value(&self) -> Value {
        match self {
            Cell::Null => Value::String(None),
            Cell::Text(s) => s.clone().into(),
            Cell::Uuid(u) => (*u).into(),
            Cell::Date(d) => (*d).into(),
            Cell::Int(i) => (*i).into(),
            Cell::Bool(b) => (*b).into(),
            Cell::Ts(t) => (*t).into(),
        }
    }
}

struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
}

/// Loads the synthetic clients of `scale` into the demo centres (which must
/// exist: run the demo seed first). Centres that already have clients are
/// skipped, so a rerun adds nothing. `person_key` computes the server's
/// pseudonymous key.
pub async fn load(
    db: &Database,
    clock: &SharedClock,
    scale: Scale,
    seed_value: u64,
    person_key: &PersonKeyFn<'_>,
) -> AppResult<LoadReport> {
    let started = Instant::now();
    let now = clock.now();
    let mut report = LoadReport::default();
    for (slug, count) in centre_sizes(scale) {
        let Some(centre) = seed::unscoped_centre_id_by_slug(db, slug).await? else {
            return Err(AppError::bad_input(
                "centre",
                format!("centre '{slug}' is missing: run `integra seed --demo` first"),
            ));
        };
        let roles: RoleSet = [Role::Counsellor, Role::Receptionist].into_iter().collect();
        seed::ensure_user(
            db,
            clock,
            &format!("bench.{slug}@example.org"),
            &format!("Bench {slug}"),
            BENCH_PASSWORD,
            Some((centre, roles)),
            RoleSet::default(),
        )
        .await?;
        let existing = db
            .unscoped_connection()
            .query_one_raw(Statement::from_sql_and_values(
                db.unscoped_connection().get_database_backend(),
                match db.backend() {
                    Backend::Postgres => "SELECT COUNT(*) AS n FROM clients WHERE tenant_id = $1",
                    Backend::Sqlite => "SELECT COUNT(*) AS n FROM clients WHERE tenant_id = ?",
                },
                [centre.uuid().into()],
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if existing > 0 {
            report.skipped_centres += 1;
        } else {
            load_clients(
                db,
                centre.uuid(),
                slug,
                count,
                seed_value,
                now,
                person_key,
                &mut report,
            )
            .await?;
        }
        let (interventions, tasks) =
            load_services(db, centre.uuid(), slug, count, seed_value, now).await?;
        report.interventions += interventions;
        report.tasks += tasks;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn load_clients(
    db: &Database,
    centre: uuid::Uuid,
    slug: &str,
    count: u64,
    seed_value: u64,
    now: DateTime<Utc>,
    person_key: &PersonKeyFn<'_>,
    report: &mut LoadReport,
) -> AppResult<()> {
    let today = now.date_naive();
    {
        let tables = centre_tables(
            centre,
            clients_of(seed_value, slug, count, today),
            now,
            person_key,
        );
        report.clients += tables[0].rows.len() as u64;
        report.residence_periods += tables[1].rows.len() as u64;
        report.terms += tables[3].rows.len() as u64;
        report.variants += tables[4].rows.len() as u64;
        match db.backend() {
            Backend::Postgres => copy_tables(db, &tables).await?,
            Backend::Sqlite => insert_tables(db, &tables).await?,
        }
        tracing::info!(centre = slug, clients = count, "synthetic clients loaded");
    }
    Ok(())
}

/// Runs `sql` with `?` placeholders on the pooled connection and reads the
/// rows.
async fn query(
    db: &Database,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<Vec<sea_orm::QueryResult>> {
    Ok(db
        .unscoped_connection()
        .query_all_raw(integra_kernel::stmt(db.backend(), sql, values))
        .await?)
}

/// The centre's current AMIF project and its own-money project.
async fn projects_of(
    db: &Database,
    centre: uuid::Uuid,
) -> AppResult<(FundingProject, FundingProject)> {
    let rows = query(
        db,
        "SELECT id, registration_number, name, source, eligibility_rule, starts_on, ends_on, \
         contact_threshold_minutes FROM funding_projects WHERE tenant_id = ? ORDER BY starts_on DESC",
        vec![centre.into()],
    )
    .await?;
    let mut projects = Vec::new();
    for r in rows {
        let source: String = r.try_get("", "source")?;
        let rule: String = r.try_get("", "eligibility_rule")?;
        projects.push(FundingProject {
            id: FundingProjectId(r.try_get("", "id")?),
            registration_number: r.try_get("", "registration_number")?,
            name: r.try_get("", "name")?,
            source: FundingSource::parse(&source)
                .ok_or_else(|| AppError::internal_msg("unknown funding source"))?,
            eligibility_rule: EligibilityRule::parse(&rule)
                .ok_or_else(|| AppError::internal_msg("unknown eligibility rule"))?,
            starts_on: r.try_get("", "starts_on")?,
            ends_on: r.try_get("", "ends_on")?,
            contact_threshold_minutes: r.try_get("", "contact_threshold_minutes")?,
        });
    }
    let amif = projects
        .iter()
        .find(|p| p.source == FundingSource::Amif)
        .cloned();
    let own = projects
        .iter()
        .find(|p| p.eligibility_rule == EligibilityRule::Open)
        .cloned();
    match (amif, own) {
        (Some(a), Some(o)) => Ok((a, o)),
        _ => Err(AppError::bad_input(
            "centre",
            "the centre needs an AMIF and an own-money project: run `integra seed --demo` first",
        )),
    }
}

/// Clients per write of the services phase (bounded memory at any scale).
const SERVICE_CHUNK: usize = 10_000;

/// Loads the interventions and follow-up tasks of a centre's synthetic
/// clients, unless the centre has interventions already.
async fn load_services(
    db: &Database,
    centre: uuid::Uuid,
    slug: &str,
    count: u64,
    seed_value: u64,
    now: DateTime<Utc>,
) -> AppResult<(u64, u64)> {
    let existing = query(
        db,
        "SELECT COUNT(*) AS n FROM interventions WHERE tenant_id = ?",
        vec![centre.into()],
    )
    .await?
    .first()
    .map(|r| r.try_get::<i64>("", "n"))
    .transpose()?
    .unwrap_or(0);
    if existing > 0 {
        return Ok((0, 0));
    }
    let worker: uuid::Uuid = query(
        db,
        "SELECT id FROM users WHERE email = ?",
        vec![format!("bench.{slug}@example.org").into()],
    )
    .await?
    .first()
    .map(|r| r.try_get("", "id"))
    .transpose()?
    .ok_or_else(|| AppError::internal_msg("bench user missing"))?;
    let (amif, own) = projects_of(db, centre).await?;
    let today = now.date_naive();
    let mut written = (0, 0);
    let mut clients = clients_of(seed_value, slug, count, today)
        .enumerate()
        .peekable();
    while clients.peek().is_some() {
        let mut i_rows = Vec::new();
        let mut p_rows = Vec::new();
        let mut t_rows = Vec::new();
        for (index, c) in clients.by_ref().take(SERVICE_CHUNK) {
            for s in services::interventions_of(seed_value, index as u64, &c, &amif, &own, today) {
                let at = s
                    .occurred_on
                    .and_hms_opt(10, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(now);
                i_rows.push(vec![
                    Cell::Uuid(s.id),
                    Cell::Uuid(centre),
                    Cell::Date(s.occurred_on),
                    Cell::Int(s.duration_minutes),
                    Cell::Uuid(worker),
                    Cell::Text(s.kind.to_owned()),
                    s.target_office
                        .map_or(Cell::Null, |o| Cell::Text(o.to_owned())),
                    Cell::Text(s.form.to_owned()),
                    Cell::Text(s.topics.clone()),
                    Cell::Text(s.language.to_owned()),
                    Cell::Uuid(s.project),
                    Cell::Bool(false),
                    Cell::Int(0),
                    Cell::Uuid(worker),
                    Cell::Ts(at),
                ]);
                p_rows.push(vec![
                    Cell::Uuid(centre),
                    Cell::Uuid(s.id),
                    Cell::Uuid(s.client_id),
                    Cell::Date(s.occurred_on),
                    Cell::Bool(s.eligible),
                    Cell::Text(s.eligibility_reason.clone()),
                    Cell::Bool(s.counts),
                ]);
                if let Some((task_id, due, done)) = s.task {
                    t_rows.push(vec![
                        Cell::Uuid(task_id),
                        Cell::Uuid(centre),
                        Cell::Text("Ověřit, jak úřad rozhodl".to_owned()),
                        Cell::Date(due),
                        Cell::Uuid(worker),
                        Cell::Uuid(s.client_id),
                        Cell::Uuid(s.id),
                        Cell::Uuid(worker),
                        Cell::Ts(at),
                        if done {
                            Cell::Ts(at + chrono::Duration::days(10))
                        } else {
                            Cell::Null
                        },
                        if done { Cell::Uuid(worker) } else { Cell::Null },
                    ]);
                }
            }
        }
        written.0 += i_rows.len() as u64;
        written.1 += t_rows.len() as u64;
        let tables = [
            Table {
                name: "interventions",
                columns: &[
                    "id",
                    "tenant_id",
                    "occurred_on",
                    "duration_minutes",
                    "worker_id",
                    "kind",
                    "target_office",
                    "form",
                    "topics",
                    "language",
                    "funding_project_id",
                    "is_group",
                    "anonymous_count",
                    "recorded_by",
                    "created_at",
                ],
                rows: i_rows,
            },
            Table {
                name: "intervention_participants",
                columns: &[
                    "tenant_id",
                    "intervention_id",
                    "client_id",
                    "occurred_on",
                    "eligible",
                    "eligibility_reason",
                    "counts",
                ],
                rows: p_rows,
            },
            Table {
                name: "tasks",
                columns: &[
                    "id",
                    "tenant_id",
                    "title",
                    "due_on",
                    "assignee_id",
                    "client_id",
                    "intervention_id",
                    "created_by",
                    "created_at",
                    "done_at",
                    "done_by",
                ],
                rows: t_rows,
            },
        ];
        match db.backend() {
            Backend::Postgres => copy_tables(db, &tables).await?,
            Backend::Sqlite => insert_tables(db, &tables).await?,
        }
    }
    tracing::info!(
        centre = slug,
        interventions = written.0,
        "synthetic services loaded"
    );
    Ok(written)
}

fn centre_tables(
    tenant: uuid::Uuid,
    clients: impl Iterator<Item = SynthClient>,
    now: DateTime<Utc>,
    person_key: &PersonKeyFn<'_>,
) -> Vec<Table> {
    let mut c_rows = Vec::new();
    let mut r_rows = Vec::new();
    let mut a_rows = Vec::new();
    let mut t_rows = Vec::new();
    let mut words_seen: BTreeSet<String> = BTreeSet::new();
    for c in clients {
        let created = c
            .first_contact_on
            .and_hms_opt(9, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now);
        c_rows.push(vec![
            Cell::Uuid(c.id),
            Cell::Uuid(tenant),
            Cell::Text(c.given_name.clone()),
            Cell::Text(c.family_name.clone()),
            Cell::Date(c.birth_date),
            Cell::Int(c.birth_date.year()),
            Cell::Text(c.sex.to_owned()),
            Cell::Text(c.nationality.to_owned()),
            Cell::Date(c.first_contact_on),
            Cell::Text(person_key(
                &c.family_name,
                &c.given_name,
                Some(c.birth_date),
                c.nationality,
            )),
            Cell::Ts(created),
            Cell::Ts(created),
        ]);
        for s in &c.statuses {
            r_rows.push(vec![
                Cell::Uuid(uuid::Uuid::now_v7()),
                Cell::Uuid(tenant),
                Cell::Uuid(c.id),
                Cell::Text(s.status.as_str().to_owned()),
                Cell::Date(s.valid_from),
                s.valid_to.map_or(Cell::Null, Cell::Date),
                Cell::Bool(s.pending),
                Cell::Ts(created),
            ]);
        }
        let mut texts = vec![c.given_name.clone(), c.family_name.clone()];
        if let Some((g, f)) = &c.alias {
            a_rows.push(vec![
                Cell::Uuid(uuid::Uuid::now_v7()),
                Cell::Uuid(tenant),
                Cell::Uuid(c.id),
                Cell::Text(g.clone()),
                Cell::Text(f.clone()),
            ]);
            texts.push(g.clone());
            texts.push(f.clone());
        }
        let words: BTreeSet<String> = texts.iter().flat_map(|t| names::words(t)).collect();
        for w in words {
            t_rows.push(vec![
                Cell::Uuid(tenant),
                Cell::Text(w.clone()),
                Cell::Uuid(c.id),
            ]);
            words_seen.insert(w);
        }
    }
    let mut v_rows = Vec::new();
    for w in &words_seen {
        let mut keys = names::index_keys(w);
        keys.insert(format!("={w}"));
        for k in keys {
            v_rows.push(vec![
                Cell::Uuid(tenant),
                Cell::Text(k),
                Cell::Text(w.clone()),
            ]);
        }
    }
    vec![
        Table {
            name: "clients",
            columns: &[
                "id",
                "tenant_id",
                "given_name",
                "family_name",
                "birth_date",
                "birth_year",
                "sex",
                "nationality",
                "first_contact_on",
                "person_key",
                "created_at",
                "updated_at",
            ],
            rows: c_rows,
        },
        Table {
            name: "residence_statuses",
            columns: &[
                "id",
                "tenant_id",
                "client_id",
                "status",
                "valid_from",
                "valid_to",
                "proceedings_pending",
                "recorded_at",
            ],
            rows: r_rows,
        },
        Table {
            name: "client_aliases",
            columns: &["id", "tenant_id", "client_id", "given_name", "family_name"],
            rows: a_rows,
        },
        Table {
            name: "client_terms",
            columns: &["tenant_id", "term", "client_id"],
            rows: t_rows,
        },
        Table {
            name: "client_term_variants",
            columns: &["tenant_id", "variant", "term"],
            rows: v_rows,
        },
    ]
}

async fn copy_tables(db: &Database, tables: &[Table]) -> AppResult<()> {
    let pool = db.unscoped_connection().get_postgres_connection_pool();
    let mut conn = pool.acquire().await.map_err(AppError::internal)?;
    for t in tables {
        if t.rows.is_empty() {
            continue;
        }
        let sql = format!("COPY {} ({}) FROM STDIN", t.name, t.columns.join(", "));
        let mut copy = conn.copy_in_raw(&sql).await.map_err(AppError::internal)?;
        let mut buf = String::with_capacity(1 << 22);
        for row in &t.rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                cell.copy_text(&mut buf);
            }
            buf.push('\n');
            if buf.len() > (1 << 22) {
                copy.send(buf.as_bytes())
                    .await
                    .map_err(AppError::internal)?;
                buf.clear();
            }
        }
        if !buf.is_empty() {
            copy.send(buf.as_bytes())
                .await
                .map_err(AppError::internal)?;
        }
        copy.finish().await.map_err(AppError::internal)?;
    }
    Ok(())
}

async fn insert_tables(db: &Database, tables: &[Table]) -> AppResult<()> {
    let txn = db.unscoped_connection().begin().await?;
    for t in tables {
        let per_row = t.columns.len();
        let chunk = (30_000 / per_row).clamp(1, 500);
        for rows in t.rows.chunks(chunk) {
            let group = format!("({})", vec!["?"; per_row].join(", "));
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                t.name,
                t.columns.join(", "),
                vec![group.as_str(); rows.len()].join(", ")
            );
            let values: Vec<Value> = rows.iter().flatten().map(Cell::value).collect();
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                sql,
                values,
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
