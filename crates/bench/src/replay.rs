//! The database's own limit by record and replay (`--direct`): the scenario's GraphQL
//! requests are executed once in this process, through the same schema and
//! services as `integra serve` on a connection that records every statement
//! (with its values) the services issue; the recordings are then replayed
//! straight on PostgreSQL, each request's statements in one transaction, at
//! the same concurrency. What the replay leaves out is the gateway's own
//! work: HTTP, the GraphQL layer, the services' Rust code and building the
//! answer (the XLSX file of `export`).
//!
//! Recording writes for real: each recorded `register` creates a client and
//! each recorded `event` a registration. So that a replayed write is a new
//! row and not a conflict, every UUIDv7 minted while recording (time-ordered
//! ids stamped after the recording began) is replaced by a fresh one on each
//! replay, as are the strings a scenario names as unique per request (an
//! event registration's e-mail, code and cancel-token hash).
//!
//! `viewer` needs no statement at all through Integra while the session is
//! cached (5 s); its replay is what the cache saves: resolving the session
//! in the database (the recorder keeps no session cache).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use integra_gateway::config::{Config, Mode};
use integra_gateway::graphql::RequestAuth;
use integra_gateway::http::AppState;
use integra_kernel::clock::SystemClock;
use integra_kernel::db::Database;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, Statement, TransactionTrait, Value,
};

/// Whether a scenario has a direct twin: every one but `import` (one long
/// request of many rows) and `mail` (a delay to the SMTP server, not the
/// database).
pub fn has_twin(scenario: &str) -> bool {
    !["import", "mail"].contains(&scenario)
}

/// The client of `centre` with the most interventions (the `timeline`
/// scenario's), read as the app role reads it.
pub async fn longest_history(url: &str, centre: &str) -> Result<String, String> {
    let centre: uuid::Uuid = centre
        .parse()
        .map_err(|_| format!("not a uuid: {centre}"))?;
    let db = Database::connect(url, &integra_kernel::db::PoolOptions::default())
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let txn = integra_kernel::PlatformDb::grant(&db)
        .unscoped_for_centre(integra_kernel::CentreId::from(centre))
        .await
        .map_err(|e| e.to_string())?;
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT client_id FROM intervention_participants WHERE tenant_id = $1 \
             GROUP BY client_id ORDER BY COUNT(*) DESC LIMIT 1",
            [Value::from(centre)],
        ))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the centre has no interventions")?;
    let id: uuid::Uuid = row.try_get("", "client_id").map_err(|e| e.to_string())?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok(id.to_string())
}

/// Requests recorded at most; the replay cycles through them.
const RECORDED: usize = 256;

/// One request's statements, and the strings to renew on each replay.
struct Script {
    statements: Vec<Statement>,
    unique: HashSet<String>,
}

type Log = Arc<Mutex<Vec<Statement>>>;

fn take(log: &Log) -> Vec<Statement> {
    std::mem::take(&mut *log.lock().unwrap_or_else(PoisonError::into_inner))
}

/// The scenario's requests recorded and replayed: answers (throughput per
/// second, sorted latencies in microseconds, errors).
pub async fn run(
    url: &str,
    email: &str,
    password: &str,
    bodies: &[String],
    scenario: &str,
    concurrency: usize,
    requests: usize,
) -> Result<(f64, Vec<u64>, usize), String> {
    let (scripts, begun) = record(url, email, password, bodies, scenario).await?;
    let statements: usize = scripts.iter().map(|s| s.statements.len()).sum();
    eprintln!(
        "{scenario:<10} recorded {} requests, {:.1} statements each",
        scripts.len(),
        statements as f64 / scripts.len().max(1) as f64
    );
    replay(url, scripts, begun, concurrency, requests).await
}

/// Records the requests; answers the scripts and when recording began.
async fn record(
    url: &str,
    email: &str,
    password: &str,
    bodies: &[String],
    scenario: &str,
) -> Result<(Vec<Script>, Duration), String> {
    let log: Log = Arc::default();
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(4).sqlx_logging(false);
    let mut conn = sea_orm::Database::connect(opts)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let sink = log.clone();
    conn.set_metric_callback(move |info| {
        if !info.failed {
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(info.statement.clone());
        }
    });
    let db = Database::from_connection(conn);
    let mut config = Config::load(None).map_err(|e| e.0)?;
    config.database.url = url.to_owned();
    config.server.mode = Mode::Production;
    config.session.cache = Duration::ZERO;
    // Only the person key depends on it; the server's own key is used when
    // the environment passes it.
    config
        .server
        .secret_key
        .get_or_insert_with(|| "integra-bench-recorder".to_owned().into());
    let state = integra_gateway::app::build_state(db, &config, Arc::new(SystemClock))
        .await
        .map_err(|e| e.0)?;
    let signed = if scenario == "event" {
        None
    } else {
        Some(
            state
                .auth
                .sign_in(email, password, None)
                .await
                .map_err(|e| format!("recorder sign-in failed: {e}"))?,
        )
    };
    let begun = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?;
    let mut scripts = Vec::new();
    for body in bodies.iter().take(RECORDED) {
        take(&log);
        let auth = match &signed {
            Some(s) => state
                .auth
                .authenticate(&s.token)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        if scenario != "viewer" {
            // The server resolves a busy session from its cache.
            take(&log);
        }
        execute(&state, body, auth, signed.as_ref().map(|s| s.token.clone())).await?;
        let statements = take(&log);
        let unique = if scenario == "event" {
            inserted(
                &statements,
                "event_registrations",
                &["email", "code", "cancel_token_hash"],
            )
        } else {
            HashSet::new()
        };
        scripts.push(Script { statements, unique });
    }
    Ok((scripts, begun))
}

async fn execute(
    state: &AppState,
    body: &str,
    auth: Option<Arc<integra_tenants::auth::Authenticated>>,
    token: Option<String>,
) -> Result<(), String> {
    let request: async_graphql::Request =
        serde_json::from_str(body).map_err(|e| format!("not a GraphQL request: {e}"))?;
    let response = state
        .schema
        .execute(request.data(RequestAuth {
            auth,
            token,
            client: None,
        }))
        .await;
    if response.errors.is_empty() {
        Ok(())
    } else {
        Err(format!("recorded request failed: {:?}", response.errors))
    }
}

/// Whether `u` is a UUIDv7 stamped at or after `since` (since the epoch).
fn minted_since(u: &uuid::Uuid, since: Duration) -> bool {
    u.get_version_num() == 7
        && u.get_timestamp().is_some_and(|t| {
            let (secs, nanos) = t.to_unix();
            Duration::new(secs, nanos) + Duration::from_millis(1) >= since
        })
}

/// The values the statements insert into `columns` of `table` (sea-orm's
/// `INSERT INTO "table" ("a", "b", …) VALUES ($1, $2, …), (…)` form).
fn inserted(statements: &[Statement], table: &str, columns: &[&str]) -> HashSet<String> {
    let head = format!("INSERT INTO \"{table}\" (");
    let mut out = HashSet::new();
    for s in statements {
        let (Some(rest), Some(values)) = (s.sql.strip_prefix(&head), s.values.as_ref()) else {
            continue;
        };
        let Some(end) = rest.find(')') else { continue };
        let names: Vec<&str> = rest[..end]
            .split(',')
            .map(|c| c.trim().trim_matches('"'))
            .collect();
        for (name, v) in names.iter().cycle().zip(&values.0) {
            if let (true, Value::String(Some(text))) = (columns.contains(name), v) {
                out.insert(text.clone());
            }
        }
    }
    out
}

/// What replay number `n` of one script renews: every id minted since the
/// recording began (the same fresh id wherever the old one appears in the
/// script) and every string the scenario names as unique per request.
struct Renewal<'a> {
    ids: HashMap<uuid::Uuid, uuid::Uuid>,
    unique: &'a HashSet<String>,
    since: Duration,
    n: usize,
}

impl Renewal<'_> {
    /// The id to use for `u`: a fresh one if `u` was minted while recording.
    fn id(&mut self, u: uuid::Uuid) -> uuid::Uuid {
        if minted_since(&u, self.since) {
            *self.ids.entry(u).or_insert_with(uuid::Uuid::now_v7)
        } else {
            u
        }
    }

    /// Renews `text` if it is one of the unique strings; says whether it was.
    fn unique_text(&self, text: &mut String) -> bool {
        let hit = self.unique.contains(text.as_str());
        if hit {
            *text = format!("{text}.{}", self.n);
        }
        hit
    }

    /// A statement with fresh ids and unique strings.
    fn statement(&mut self, s: &Statement) -> Statement {
        let mut s = s.clone();
        if let Some(values) = s.values.as_mut() {
            for v in &mut values.0 {
                match v {
                    Value::Uuid(Some(u)) => *u = self.id(*u),
                    Value::String(Some(text)) => {
                        self.unique_text(text);
                    }
                    // A PostgreSQL function's rows travel as JSON (the
                    // two-trip `record`), their ids as strings.
                    Value::Json(Some(json)) => self.json(json),
                    _ => {}
                }
            }
        }
        s
    }

    /// The same inside a JSON argument, at any depth.
    fn json(&mut self, json: &mut serde_json::Value) {
        match json {
            serde_json::Value::String(text) => {
                if !self.unique_text(text)
                    && let Ok(u) = text.parse::<uuid::Uuid>()
                {
                    *text = self.id(u).to_string();
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| self.json(i)),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(|i| self.json(i)),
            _ => {}
        }
    }
}

async fn replay(
    url: &str,
    scripts: Vec<Script>,
    since: Duration,
    concurrency: usize,
    requests: usize,
) -> Result<(f64, Vec<u64>, usize), String> {
    if scripts.is_empty() {
        return Err("nothing was recorded".into());
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    // Pooled like the server's connections (see `integra_kernel::db`).
    opts.max_connections(concurrency.max(1) as u32)
        .test_before_acquire_if_idle_for(integra_kernel::db::IDLE_BEFORE_PING)
        .sqlx_logging(false);
    let conn: DatabaseConnection = sea_orm::Database::connect(opts)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    let scripts = Arc::new(scripts);
    let lanes = concurrency.max(1);
    Ok(drive(concurrency, requests, move |k, n| {
        let conn = conn.clone();
        let scripts = scripts.clone();
        async move {
            // Script `i` was recorded for lane `i % lanes` (see the caller).
            let i = n * lanes + k;
            let script = &scripts[i % scripts.len()];
            one(&conn, script, since, i).await.is_ok()
        }
    })
    .await)
}

/// Runs `requests` spread over `concurrency` lanes, each lane one request
/// after another; `request(k, n)` makes lane `k`'s `n`-th request and says
/// whether it succeeded. Answers (throughput per second, sorted latencies
/// in microseconds, errors).
async fn drive<F, Fut>(concurrency: usize, requests: usize, request: F) -> (f64, Vec<u64>, usize)
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let per = requests / concurrency.max(1);
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for k in 0..concurrency.max(1) {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            let mut errors = 0;
            for n in 0..per {
                let t = std::time::Instant::now();
                if !request(k, n).await {
                    errors += 1;
                }
                lat.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            all.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    all.sort_unstable();
    (all.len() as f64 / elapsed, all, errors)
}

async fn one(
    conn: &DatabaseConnection,
    script: &Script,
    since: Duration,
    n: usize,
) -> Result<(), sea_orm::DbErr> {
    let mut renewal = Renewal {
        ids: HashMap::new(),
        unique: &script.unique,
        since,
        n,
    };
    // A lone statement is one the server ran in a transaction of its own
    // (a page read by one PostgreSQL function): every scoped transaction
    // records at least two, its `set_config` and a query.
    if let [only] = script.statements.as_slice() {
        conn.query_all_raw(renewal.statement(only)).await?;
        return Ok(());
    }
    let txn = conn.begin().await?;
    for s in &script.statements {
        txn.query_all_raw(renewal.statement(s)).await?;
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_inside_json_are_renewed_consistently_and_old_ones_kept() {
        let since = Duration::from_secs(1_000);
        let fresh = uuid::Uuid::now_v7();
        let old = uuid::Uuid::new_v4();
        let mut json = serde_json::json!({
            "id": fresh.to_string(),
            "client_id": old.to_string(),
            "rows": [{"intervention_id": fresh.to_string(), "email": "a@b.cz"}],
        });
        let unique = HashSet::from(["a@b.cz".to_owned()]);
        let mut renewal = Renewal {
            ids: HashMap::new(),
            unique: &unique,
            since,
            n: 3,
        };
        renewal.json(&mut json);
        let renewed = renewal.ids.get(&fresh).map(ToString::to_string);
        assert!(renewed.is_some());
        assert_ne!(renewed.as_deref(), Some(fresh.to_string().as_str()));
        assert_eq!(json["id"].as_str(), renewed.as_deref());
        assert_eq!(
            json["rows"][0]["intervention_id"].as_str(),
            renewed.as_deref()
        );
        assert_eq!(json["client_id"].as_str(), Some(old.to_string().as_str()));
        assert_eq!(json["rows"][0]["email"].as_str(), Some("a@b.cz.3"));
    }
}
