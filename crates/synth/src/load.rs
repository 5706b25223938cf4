//! Bulk loading: COPY on PostgreSQL (as the owner: the app role may not
//! COPY into tables under row-level security), multi-row inserts in one
//! transaction per centre on SQLite.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use integra_clients::names;
use integra_kernel::{
    AppError, AppResult, Backend, CentreId, PlatformDb, Role, RoleSet, SharedClock,
};
use integra_tenants::seed;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};

use integra_kernel::FundingProjectId;
use integra_tenants::{EligibilityRule, FundingProject, FundingSource};

use crate::{Scale, SynthClient, centre_sizes, clients_of, courses, services};

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
    /// Courses written.
    pub courses: u64,
    /// Course sessions written.
    pub sessions: u64,
    /// Enrolments written (enrolled, waitlisted, withdrawn).
    pub enrolments: u64,
    /// Attendance marks written.
    pub attendance: u64,
    /// Events written.
    pub events: u64,
    /// Event registrations written.
    pub registrations: u64,
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
    db: &PlatformDb,
    clock: &SharedClock,
    scale: Scale,
    seed_value: u64,
    person_key: &PersonKeyFn<'_>,
) -> AppResult<LoadReport> {
    let started = Instant::now();
    let now = clock.now();
    let mut report = LoadReport::default();
    let sink = Sink::start(db).await?;
    let mut loaded = Vec::new();
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
        let existing = count_for(
            db,
            "SELECT COUNT(*) AS n FROM clients WHERE tenant_id = :tenant",
            centre.uuid(),
        )
        .await?;
        if existing > 0 {
            report.skipped_centres += 1;
        } else {
            load_clients(
                &sink,
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
            load_services(db, &sink, centre.uuid(), slug, count, seed_value, now).await?;
        let c = load_courses_events(db, clock, &sink, centre, slug, count, seed_value, now).await?;
        if interventions > 0 || c.courses > 0 || c.events > 0 {
            loaded.push(centre.uuid());
        }
        report.interventions += interventions;
        report.tasks += tasks;
        report.courses += c.courses;
        report.sessions += c.sessions;
        report.enrolments += c.enrolments;
        report.attendance += c.attendance;
        report.events += c.events;
        report.registrations += c.registrations;
    }
    sink.finish().await?;
    mark_for_reporting(db, &loaded, now.date_naive()).await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Marks every month of the generated years of the `centres` for the
/// reporting refresh (the bulk writers may bypass the marking triggers).
async fn mark_for_reporting(
    db: &PlatformDb,
    centres: &[uuid::Uuid],
    today: NaiveDate,
) -> AppResult<()> {
    let first = crate::first_day(today);
    // Courses and events are planned up to three months ahead.
    let last = today + chrono::Duration::days(92);
    for centre in centres {
        let mut month = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
        let mut rows = Vec::new();
        while month <= last {
            rows.push(vec![Cell::Uuid(*centre), Cell::Date(month)]);
            month = month
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(last + chrono::Duration::days(1));
        }
        for chunk in rows.chunks(200) {
            let sql = format!(
                "INSERT INTO report_dirty (centre_id, month) VALUES {} ON CONFLICT DO NOTHING",
                vec!["(?, ?)"; chunk.len()].join(", ")
            );
            query(db, &sql, chunk.iter().flatten().map(Cell::value).collect()).await?;
        }
    }
    Ok(())
}

/// Where generated rows go: COPY through parallel writers on PostgreSQL,
/// multi-row inserts on SQLite (one writer).
enum Sink {
    Postgres(Writers),
    Sqlite(PlatformDb),
}

/// Rows per COPY handed to one writer.
const ROWS_PER_WRITE: usize = 100_000;

impl Sink {
    async fn start(db: &PlatformDb) -> AppResult<Self> {
        Ok(match db.backend() {
            Backend::Postgres => Self::Postgres(Writers::start(db).await?),
            Backend::Sqlite => Self::Sqlite(db.clone()),
        })
    }

    /// Writes the tables (on PostgreSQL: queued, in pieces, in any order
    /// when the checks are off, in order otherwise).
    async fn write(&self, tables: Vec<Table>) -> AppResult<()> {
        match self {
            Self::Sqlite(db) => insert_tables(db, &tables).await,
            Self::Postgres(w) if w.ordered => w.send(tables).await,
            Self::Postgres(w) => {
                for t in tables {
                    let mut rows = t.rows.into_iter().peekable();
                    while rows.peek().is_some() {
                        let piece: Vec<Vec<Cell>> = rows.by_ref().take(ROWS_PER_WRITE).collect();
                        w.send(vec![Table {
                            name: t.name,
                            columns: t.columns,
                            rows: piece,
                        }])
                        .await?;
                    }
                }
                Ok(())
            }
        }
    }

    async fn finish(self) -> AppResult<()> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(w) => w.finish().await,
        }
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
)]
async fn load_clients(
    sink: &Sink,
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
        let started = Instant::now();
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
        let generating = started.elapsed().as_secs_f64();
        sink.write(tables).await?;
        tracing::info!(
            centre = slug,
            clients = count,
            generating_s = generating,
            writing_s = started.elapsed().as_secs_f64() - generating,
            "synthetic clients queued"
        );
    }
    Ok(())
}

/// Runs `sql` with `?` placeholders on the pooled connection and reads the
/// rows.
async fn query(
    db: &PlatformDb,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<Vec<sea_orm::QueryResult>> {
    Ok(db
        .connection()
        .query_all_raw(integra_kernel::stmt(db.backend(), sql, values))
        .await?)
}

/// Runs a query in one centre's transaction: `:tenant` in `sql` is the
/// centre, `?` the `values`.
async fn query_in(
    db: &PlatformDb,
    centre: CentreId,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<Vec<sea_orm::QueryResult>> {
    let txn = db.unscoped_for_centre(centre).await?;
    let rows = txn.query_all_raw(txn.stmt(sql, values)).await?;
    txn.commit().await?;
    Ok(rows)
}

/// The id of the user signing in with `email`.
async fn user_id(db: &PlatformDb, email: &str) -> AppResult<Option<uuid::Uuid>> {
    Ok(query(
        db,
        "SELECT id FROM users WHERE email = ?",
        vec![email.into()],
    )
    .await?
    .first()
    .map(|r| r.try_get("", "id"))
    .transpose()?)
}

/// What `sql` counts (as `n`) in a centre (`:tenant`).
async fn count_for(db: &PlatformDb, sql: &str, centre: uuid::Uuid) -> AppResult<i64> {
    Ok(query_in(db, CentreId::from(centre), sql, Vec::new())
        .await?
        .first()
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

/// The centre's current AMIF project and its own-money project.
async fn projects_of(
    db: &PlatformDb,
    centre: uuid::Uuid,
) -> AppResult<(FundingProject, FundingProject)> {
    let rows = query_in(
        db,
        CentreId::from(centre),
        "SELECT id, registration_number, name, source, eligibility_rule, starts_on, ends_on, \
         contact_threshold_minutes FROM funding_projects WHERE tenant_id = :tenant ORDER BY starts_on DESC",
        Vec::new(),
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
const SERVICE_CHUNK: usize = 20_000;

/// Loads the interventions and follow-up tasks of a centre's synthetic
/// clients, unless the centre has interventions already.
async fn load_services(
    db: &PlatformDb,
    sink: &Sink,
    centre: uuid::Uuid,
    slug: &str,
    count: u64,
    seed_value: u64,
    now: DateTime<Utc>,
) -> AppResult<(u64, u64)> {
    let existing = count_for(
        db,
        "SELECT COUNT(*) AS n FROM interventions WHERE tenant_id = :tenant",
        centre,
    )
    .await?;
    if existing > 0 {
        return Ok((0, 0));
    }
    let worker = user_id(db, &format!("bench.{slug}@example.org"))
        .await?
        .ok_or_else(|| AppError::internal_msg("bench user missing"))?;
    let (amif, own) = projects_of(db, centre).await?;
    let today = now.date_naive();
    let mut written = (0, 0);
    let (mut generating, mut writing) = (0.0, 0.0);
    let mut clients = clients_of(seed_value, slug, count, today)
        .enumerate()
        .peekable();
    while clients.peek().is_some() {
        let chunk_started = Instant::now();
        let mut i_rows = Vec::new();
        let mut p_rows = Vec::new();
        let mut t_rows = Vec::new();
        // In id (that is date) order: the indexes by id and by date then
        // take each chunk in one pass instead of at random places.
        let mut chunk: Vec<services::SynthIntervention> = clients
            .by_ref()
            .take(SERVICE_CHUNK)
            .flat_map(|(index, c)| {
                services::interventions_of(seed_value, index as u64, &c, &amif, &own, today)
            })
            .collect();
        chunk.sort_unstable_by_key(|s| s.id);
        {
            for s in chunk {
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
        let write_started = Instant::now();
        generating += (write_started - chunk_started).as_secs_f64();
        sink.write(tables.into()).await?;
        writing += write_started.elapsed().as_secs_f64();
    }
    tracing::info!(
        centre = slug,
        interventions = written.0,
        generating_s = generating,
        writing_s = writing,
        "synthetic services queued"
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

/// Writes tables on PostgreSQL through several connections at once (the
/// database, not the generator, is the bottleneck: one backend ingests on
/// one core). Each writer turns off the per-row foreign-key checks and
/// triggers when allowed (`session_replication_role = replica`, for the
/// owner as superuser): the generator keeps references whole, and
/// [`Writers::finish`] marks the loaded months for the reporting refresh
/// that the statement triggers would have marked.
struct Writers {
    tx: Option<tokio::sync::mpsc::Sender<Vec<Table>>>,
    handles: Vec<tokio::task::JoinHandle<AppResult<()>>>,
    /// With the checks on, one writer in order (clients before their
    /// services, interventions before their participants).
    ordered: bool,
    /// The first writer's failure.
    failed: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

/// Connections writing at once on PostgreSQL.
const WRITERS: usize = 2;

impl Writers {
    async fn start(db: &PlatformDb) -> AppResult<Self> {
        let pool = db.connection().get_postgres_connection_pool().clone();
        let (tx, rx) = tokio::sync::mpsc::channel::<Vec<Table>>(WRITERS);
        let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
        let mut handles = Vec::new();
        let failed: std::sync::Arc<std::sync::Mutex<Option<String>>> = std::sync::Arc::default();
        let mut ordered = false;
        for n in 0..WRITERS {
            let mut conn = pool.acquire().await.map_err(AppError::internal)?;
            if let Err(e) = sqlx::query("SET session_replication_role = replica")
                .execute(&mut *conn)
                .await
            {
                tracing::info!(error = %e, "bulk load keeps per-row checks (not a superuser)");
                ordered = true;
            }
            if ordered && n > 0 {
                break;
            }
            let rx = rx.clone();
            let failed = failed.clone();
            handles.push(tokio::spawn(async move {
                loop {
                    let next = rx.lock().await.recv().await;
                    let Some(tables) = next else { break };
                    if let Err(e) = copy_tables(&mut conn, &tables).await {
                        // Stop the load: the others finish what they hold.
                        if let Ok(mut f) = failed.lock() {
                            f.get_or_insert_with(|| e.to_string());
                        }
                        rx.lock().await.close();
                        return Err(e);
                    }
                }
                sqlx::query("RESET session_replication_role")
                    .execute(&mut *conn)
                    .await
                    .map_err(AppError::internal)?;
                Ok(())
            }));
        }
        Ok(Self {
            tx: Some(tx),
            handles,
            ordered,
            failed,
        })
    }

    async fn send(&self, tables: Vec<Table>) -> AppResult<()> {
        match &self.tx {
            Some(tx) => tx.send(tables).await.map_err(|_| {
                let why = self
                    .failed
                    .lock()
                    .ok()
                    .and_then(|f| f.clone())
                    .unwrap_or_default();
                AppError::internal_msg(format!("a bulk writer stopped: {why}"))
            }),
            None => Err(AppError::internal_msg("bulk writers finished")),
        }
    }

    /// Waits for everything sent to be written.
    async fn finish(mut self) -> AppResult<()> {
        self.tx = None;
        let mut first_error = None;
        for h in self.handles.drain(..) {
            let r = h.await.map_err(AppError::internal).and_then(|r| r);
            if let Err(e) = r {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

async fn copy_tables(conn: &mut sqlx::PgConnection, tables: &[Table]) -> AppResult<()> {
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

async fn insert_tables(db: &PlatformDb, tables: &[Table]) -> AppResult<()> {
    let txn = db.connection().begin().await?;
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

/// The centre's bench lecturers (`bench.lecturer<n>.<slug>@example.org`,
/// signing in with the bench password), created when missing.
async fn bench_lecturers(
    db: &PlatformDb,
    clock: &SharedClock,
    centre: CentreId,
    slug: &str,
    n: usize,
) -> AppResult<Vec<uuid::Uuid>> {
    let users: Vec<(String, String)> = (1..=n)
        .map(|i| {
            (
                format!("bench.lecturer{i}.{slug}@example.org"),
                format!("Lektor {i} {slug}"),
            )
        })
        .collect();
    let roles: RoleSet = [Role::Lecturer].into_iter().collect();
    let ids = seed::ensure_users(
        db,
        clock,
        &users,
        BENCH_PASSWORD,
        Some((centre, roles)),
        RoleSet::default(),
    )
    .await?;
    Ok(ids.into_iter().map(|u| u.uuid()).collect())
}

/// What [`load_courses_events`] wrote for one centre.
#[derive(Default)]
struct CourseCounts {
    courses: u64,
    sessions: u64,
    enrolments: u64,
    attendance: u64,
    events: u64,
    registrations: u64,
}

/// Loads the courses (with lecturers, sessions and their bookings, skipped
/// holidays, placements, enrolments, attendance) and the events (with
/// registrations and head-counts) of a centre, unless it has courses or
/// events already.
#[allow(
    clippy::too_many_arguments,
    reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
)]
async fn load_courses_events(
    db: &PlatformDb,
    clock: &SharedClock,
    sink: &Sink,
    centre: CentreId,
    slug: &str,
    count: u64,
    seed_value: u64,
    now: DateTime<Utc>,
) -> AppResult<CourseCounts> {
    let mut counts = CourseCounts::default();
    let tenant = centre.uuid();
    let existing = count_for(
        db,
        "SELECT (SELECT COUNT(*) FROM courses WHERE tenant_id = :tenant) \
         + (SELECT COUNT(*) FROM events WHERE tenant_id = :tenant) AS n",
        tenant,
    )
    .await?;
    if existing > 0 {
        return Ok(counts);
    }
    let lecturers =
        bench_lecturers(db, clock, centre, slug, courses::lecturer_count(count)).await?;
    let worker = user_id(db, &format!("bench.{slug}@example.org"))
        .await?
        .ok_or_else(|| AppError::internal_msg("bench user missing"))?;
    let (amif, own) = projects_of(db, tenant).await?;
    let today = now.date_naive();
    let mut people: Vec<courses::Person> = clients_of(seed_value, slug, count, today)
        .map(|c| courses::Person {
            id: c.id,
            first_contact_on: c.first_contact_on,
        })
        .collect();
    people.sort_by_key(|p| (p.first_contact_on, p.id));

    let generated = courses::courses_of(
        seed_value,
        slug,
        courses::course_count(count),
        &people,
        lecturers.len(),
        &amif,
        &own,
        now,
    );
    let mut tables = course_tables();
    for c in &generated {
        let lecturer = lecturers[c.lecturer % lecturers.len()];
        let created = c.sessions.first().map_or(now, |s| s.starts_at) - chrono::Duration::days(30);
        let enrolled = c
            .enrolments
            .iter()
            .filter(|e| e.status == "enrolled")
            .count();
        tables[0].rows.push(vec![
            Cell::Uuid(c.id),
            Cell::Uuid(tenant),
            Cell::Text(c.kind.to_owned()),
            Cell::Text(c.level.to_owned()),
            Cell::Text(c.title.clone()),
            Cell::Int(c.capacity),
            Cell::Text(c.interpreter_language.to_owned()),
            Cell::Uuid(c.project),
            Cell::Text(c.key_activity.to_owned()),
            c.fee_czk.map_or(Cell::Null, Cell::Int),
            Cell::Int(70),
            Cell::Text(c.rule.clone()),
            Cell::Date(c.first_day),
            Cell::Text(c.start_time.to_owned()),
            Cell::Text(c.end_time.to_owned()),
            Cell::Text("active".to_owned()),
            Cell::Int(i32::try_from(enrolled).unwrap_or(i32::MAX)),
            Cell::Uuid(worker),
            Cell::Ts(created),
            Cell::Ts(created),
        ]);
        tables[1].rows.push(vec![
            Cell::Uuid(tenant),
            Cell::Uuid(c.id),
            Cell::Uuid(lecturer),
        ]);
        for s in &c.sessions {
            tables[2].rows.push(vec![
                Cell::Uuid(s.id),
                Cell::Uuid(tenant),
                Cell::Uuid(c.id),
                Cell::Ts(s.starts_at),
                Cell::Ts(s.ends_at),
                Cell::Text("scheduled".to_owned()),
                Cell::Ts(created),
                Cell::Ts(created),
            ]);
            tables[3].rows.push(vec![
                Cell::Uuid(tenant),
                Cell::Text("course_session".to_owned()),
                Cell::Uuid(s.id),
                Cell::Text("person".to_owned()),
                Cell::Uuid(lecturer),
                Cell::Ts(s.starts_at),
                Cell::Ts(s.ends_at),
                Cell::Text(c.title.clone()),
            ]);
        }
        for (day, reason) in &c.skipped {
            tables[4].rows.push(vec![
                Cell::Uuid(tenant),
                Cell::Uuid(c.id),
                Cell::Date(*day),
                Cell::Text(reason.clone()),
            ]);
        }
        for e in &c.enrolments {
            if let Some(placement) = e.placement_id {
                tables[5].rows.push(vec![
                    Cell::Uuid(placement),
                    Cell::Uuid(tenant),
                    Cell::Uuid(e.client_id),
                    Cell::Text(e.entry_level.to_owned()),
                    Cell::Date(e.enrolled_at.date_naive() - chrono::Duration::days(7)),
                    Cell::Uuid(worker),
                    Cell::Ts(e.enrolled_at),
                ]);
            }
            tables[6].rows.push(vec![
                Cell::Uuid(e.id),
                Cell::Uuid(tenant),
                Cell::Uuid(c.id),
                Cell::Uuid(e.client_id),
                Cell::Text(e.status.to_owned()),
                Cell::Text(e.entry_level.to_owned()),
                Cell::Text(e.exit_level.to_owned()),
                if e.status == "waitlisted" {
                    Cell::Null
                } else {
                    Cell::Ts(e.enrolled_at)
                },
                e.withdrawn_at.map_or(Cell::Null, Cell::Ts),
                Cell::Uuid(worker),
                Cell::Ts(e.enrolled_at),
                Cell::Ts(e.withdrawn_at.unwrap_or(e.enrolled_at)),
            ]);
            for (si, mark) in &e.marks {
                let Some(s) = c.sessions.get(*si) else {
                    continue;
                };
                tables[7].rows.push(vec![
                    Cell::Uuid(tenant),
                    Cell::Uuid(s.id),
                    Cell::Uuid(e.id),
                    Cell::Text((*mark).to_owned()),
                    Cell::Uuid(lecturer),
                    Cell::Ts(s.ends_at),
                ]);
            }
        }
    }
    counts.courses = tables[0].rows.len() as u64;
    counts.sessions = tables[2].rows.len() as u64;
    counts.enrolments = tables[6].rows.len() as u64;
    counts.attendance = tables[7].rows.len() as u64;
    drop(generated);
    sink.write(tables).await?;

    let events = courses::events_of(
        seed_value,
        slug,
        courses::event_count(count),
        &people,
        &amif,
        &own,
        now,
    );
    let mut tables = event_tables();
    for e in &events {
        let created = e.starts_at - chrono::Duration::days(30);
        let confirmed = e
            .registrations
            .iter()
            .filter(|r| r.status == "confirmed")
            .count();
        tables[0].rows.push(vec![
            Cell::Uuid(e.id),
            Cell::Uuid(tenant),
            Cell::Text(e.slug.clone()),
            Cell::Text(e.kind.to_owned()),
            Cell::Text(e.audience.to_owned()),
            Cell::Text(e.title.clone()),
            Cell::Text(e.venue.to_owned()),
            Cell::Ts(e.starts_at),
            Cell::Ts(e.ends_at),
            e.capacity.map_or(Cell::Null, Cell::Int),
            e.capacity.map_or(Cell::Null, |_| {
                Cell::Ts(e.starts_at - chrono::Duration::days(21))
            }),
            Cell::Bool(e.capacity.is_some()),
            Cell::Text(e.languages.to_owned()),
            Cell::Uuid(e.project),
            Cell::Text("KA4 Akce a osvěta".to_owned()),
            Cell::Text("scheduled".to_owned()),
            Cell::Int(i32::try_from(confirmed).unwrap_or(i32::MAX)),
            Cell::Uuid(worker),
            Cell::Ts(created),
            Cell::Ts(created),
        ]);
        tables[1].rows.push(vec![
            Cell::Text(e.slug.clone()),
            Cell::Uuid(tenant),
            Cell::Uuid(e.id),
        ]);
        // Waitlist tickets in registration order (as the service gives them).
        let mut tickets = 0;
        for r in &e.registrations {
            let ticket = if r.status == "waitlisted" {
                tickets += 1;
                Cell::Int(tickets)
            } else {
                Cell::Null
            };
            tables[2].rows.push(vec![
                Cell::Uuid(r.id),
                Cell::Uuid(tenant),
                Cell::Uuid(e.id),
                Cell::Text(r.name.clone()),
                Cell::Text(r.email.clone()),
                Cell::Text(r.language.to_owned()),
                Cell::Ts(r.created_at),
                Cell::Text(r.status.to_owned()),
                Cell::Text(r.code.clone()),
                Cell::Text(r.cancel_token_hash.clone()),
                r.client_id.map_or(Cell::Null, Cell::Uuid),
                r.checked_in_at.map_or(Cell::Null, Cell::Ts),
                Cell::Ts(r.created_at),
                Cell::Ts(r.checked_in_at.unwrap_or(r.created_at)),
                ticket,
            ]);
        }
        if let Some(n) = e.headcount {
            tables[3].rows.push(vec![
                Cell::Uuid(tenant),
                Cell::Uuid(e.id),
                Cell::Text(e.audience.to_owned()),
                Cell::Int(n),
            ]);
        }
    }
    counts.events = tables[0].rows.len() as u64;
    counts.registrations = tables[2].rows.len() as u64;
    sink.write(tables).await?;
    tracing::info!(
        centre = slug,
        courses = counts.courses,
        events = counts.events,
        "synthetic courses and events queued"
    );
    Ok(counts)
}

fn table(name: &'static str, columns: &'static [&'static str]) -> Table {
    Table {
        name,
        columns,
        rows: Vec::new(),
    }
}

/// The course tables in write order (referenced before referencing).
fn course_tables() -> Vec<Table> {
    vec![
        table(
            "courses",
            &[
                "id",
                "tenant_id",
                "kind",
                "level",
                "title",
                "capacity",
                "interpreter_language",
                "funding_project_id",
                "key_activity",
                "fee_czk",
                "completion_percent",
                "recurrence",
                "first_day",
                "start_time",
                "end_time",
                "status",
                "enrolled",
                "created_by",
                "created_at",
                "updated_at",
            ],
        ),
        table("course_lecturers", &["tenant_id", "course_id", "user_id"]),
        table(
            "course_sessions",
            &[
                "id",
                "tenant_id",
                "course_id",
                "starts_at",
                "ends_at",
                "status",
                "created_at",
                "updated_at",
            ],
        ),
        table(
            "bookings",
            &[
                "tenant_id",
                "source",
                "source_id",
                "resource",
                "resource_id",
                "starts_at",
                "ends_at",
                "title",
            ],
        ),
        table(
            "course_skipped_days",
            &["tenant_id", "course_id", "day", "reason"],
        ),
        table(
            "placement_tests",
            &[
                "id",
                "tenant_id",
                "client_id",
                "level",
                "tested_on",
                "recorded_by",
                "created_at",
            ],
        ),
        table(
            "enrolments",
            &[
                "id",
                "tenant_id",
                "course_id",
                "client_id",
                "status",
                "entry_level",
                "exit_level",
                "enrolled_at",
                "withdrawn_at",
                "created_by",
                "created_at",
                "updated_at",
            ],
        ),
        table(
            "attendance",
            &[
                "tenant_id",
                "session_id",
                "enrolment_id",
                "status",
                "recorded_by",
                "recorded_at",
            ],
        ),
    ]
}

/// The event tables in write order.
fn event_tables() -> Vec<Table> {
    vec![
        table(
            "events",
            &[
                "id",
                "tenant_id",
                "slug",
                "kind",
                "audience",
                "title",
                "venue",
                "starts_at",
                "ends_at",
                "capacity",
                "registration_opens_at",
                "public_registration",
                "languages",
                "funding_project_id",
                "key_activity",
                "status",
                "confirmed",
                "created_by",
                "created_at",
                "updated_at",
            ],
        ),
        table("public_events", &["slug", "centre_id", "event_id"]),
        table(
            "event_registrations",
            &[
                "id",
                "tenant_id",
                "event_id",
                "name",
                "email",
                "language",
                "consent_at",
                "status",
                "code",
                "cancel_token_hash",
                "client_id",
                "checked_in_at",
                "created_at",
                "updated_at",
                "waitlist_ticket",
            ],
        ),
        table(
            "event_headcounts",
            &["tenant_id", "event_id", "audience", "count"],
        ),
    ]
}
