//! The database's own limit: a scenario's SQL run directly on PostgreSQL
//! (the statements the service issues, in one transaction with the tenant
//! set as the application sets it), at the same concurrency: the
//! counselling scenarios, the course week with its clash check, and the
//! reporting reads.

use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::Setup;

/// Scenarios with hand-written statements here (the others are recorded
/// and replayed, see [`crate::replay`]).
pub const SCENARIOS: [&str; 7] = [
    "detail",
    "timeline",
    "record",
    "tasks",
    "week",
    "ministry",
    "centre-year",
];

/// A pool of `size` connections.
pub async fn pool(url: &str, size: u32) -> Result<PgPool, String> {
    PgPoolOptions::new()
        .max_connections(size)
        .connect(url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

fn uuid(s: &str) -> Result<uuid::Uuid, String> {
    s.parse().map_err(|_| format!("not a uuid: {s}"))
}

/// The client of `centre` with the most interventions.
pub async fn longest_history(pool: &PgPool, centre: &str) -> Result<String, String> {
    let centre = uuid(centre)?;
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(centre.to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let row = sqlx::query(
        "SELECT client_id FROM intervention_participants WHERE tenant_id = $1 \
         GROUP BY client_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .bind(centre)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    let id: uuid::Uuid = row.try_get(0).map_err(|e| e.to_string())?;
    Ok(id.to_string())
}

async fn one(
    pool: &PgPool,
    scenario: &str,
    setup: &Setup,
    client: uuid::Uuid,
    (k, n): (usize, usize),
) -> Result<(), sqlx::Error> {
    // The ministry's scenarios run without a centre (the nil id).
    let centre = uuid(&setup.centre).unwrap_or_default();
    let user = uuid(&setup.user).unwrap_or_default();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)",
    )
    .bind(centre.to_string())
    .bind(user.to_string())
    .execute(&mut *tx)
    .await?;
    let audit = |action: &'static str, fields: &'static str| {
        sqlx::query(
            "INSERT INTO audit_log (id, tenant_id, at, actor_id, action, entity, entity_id, fields) \
             VALUES ($1, $2, now(), $3, $4, 'client', $5, $6)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(centre)
        .bind(user)
        .bind(action)
        .bind(client)
        .bind(fields)
    };
    match scenario {
        "detail" => {
            reads(&mut tx, centre, client, &[
                "SELECT * FROM clients WHERE tenant_id = $1 AND id = $2",
                "SELECT * FROM client_aliases WHERE tenant_id = $1 AND client_id = $2",
                "SELECT * FROM residence_statuses WHERE tenant_id = $1 AND client_id = $2 ORDER BY valid_from",
                "SELECT * FROM consents WHERE tenant_id = $1 AND client_id = $2",
                "SELECT * FROM household_links WHERE tenant_id = $1 AND client_id = $2",
            ]).await?;
            audit("read", "").execute(&mut *tx).await?;
            let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
                "SELECT intervention_id FROM intervention_participants WHERE tenant_id = $1 \
                 AND client_id = $2 ORDER BY occurred_on DESC, intervention_id DESC LIMIT 20",
            )
            .bind(centre)
            .bind(client)
            .fetch_all(&mut *tx)
            .await?;
            details(&mut tx, centre, &ids).await?;
        }
        "timeline" => {
            reads(
                &mut tx,
                centre,
                client,
                &["SELECT * FROM clients WHERE tenant_id = $1 AND id = $2"],
            )
            .await?;
            let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
                "SELECT intervention_id FROM intervention_participants WHERE tenant_id = $1 \
                 AND client_id = $2 ORDER BY occurred_on DESC, intervention_id DESC LIMIT 101",
            )
            .bind(centre)
            .bind(client)
            .fetch_all(&mut *tx)
            .await?;
            reads(&mut tx, centre, client, &[
                "SELECT * FROM appointments WHERE tenant_id = $1 AND client_id = $2 ORDER BY starts_on DESC, id DESC LIMIT 101",
                "SELECT * FROM tasks WHERE tenant_id = $1 AND client_id = $2 ORDER BY due_on DESC, id DESC LIMIT 101",
            ]).await?;
            details(&mut tx, centre, &ids[..ids.len().min(100)]).await?;
            audit("read", "timeline").execute(&mut *tx).await?;
        }
        "record" => {
            let project = uuid(&setup.project).map_err(sqlx::Error::Protocol)?;
            sqlx::query("SELECT * FROM funding_projects WHERE tenant_id = $1 AND id = $2")
                .bind(centre)
                .bind(project)
                .fetch_all(&mut *tx)
                .await?;
            reads(&mut tx, centre, client, &[
                "SELECT * FROM clients WHERE tenant_id = $1 AND id = $2",
                "SELECT * FROM residence_statuses WHERE tenant_id = $1 AND client_id = $2 ORDER BY valid_from",
            ]).await?;
            let id = uuid::Uuid::now_v7();
            sqlx::query(
                "INSERT INTO interventions (id, tenant_id, occurred_on, duration_minutes, worker_id, kind, \
                 form, topics, language, funding_project_id, is_group, anonymous_count, recorded_by, created_at) \
                 VALUES ($1, $2, CURRENT_DATE, 45, $3, 'social_counselling', 'office', 'housing', 'uk', $4, \
                 false, 0, $3, now())",
            )
            .bind(id)
            .bind(centre)
            .bind(user)
            .bind(project)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO intervention_participants (tenant_id, intervention_id, client_id, occurred_on, \
                 eligible, eligibility_reason, counts) VALUES ($1, $2, $3, CURRENT_DATE, true, 'direct', true)",
            )
            .bind(centre)
            .bind(id)
            .bind(client)
            .execute(&mut *tx)
            .await?;
            audit("update", "interventions").execute(&mut *tx).await?;
        }
        "tasks" => {
            sqlx::query(
                "SELECT * FROM tasks WHERE tenant_id = $1 AND assignee_id = $2 AND done_at IS NULL \
                 ORDER BY due_on, id LIMIT 100",
            )
            .bind(centre)
            .bind(user)
            .fetch_all(&mut *tx)
            .await?;
        }
        "week" => {
            let (from, to) = crate::week(k, n);
            let sessions: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
                "SELECT id, course_id FROM course_sessions WHERE tenant_id = $1 AND ends_at > $2 \
                 AND starts_at < $3 AND starts_at > $2 - interval '10 hours' ORDER BY starts_at, id LIMIT 2000",
            )
            .bind(centre)
            .bind(from)
            .bind(to)
            .fetch_all(&mut *tx)
            .await?;
            let courses: Vec<uuid::Uuid> = sessions.iter().map(|s| s.1).collect();
            for sql in [
                "SELECT id, title FROM courses WHERE tenant_id = $1 AND id = ANY($2)",
                "SELECT course_id, user_id FROM course_lecturers WHERE tenant_id = $1 AND course_id = ANY($2)",
            ] {
                sqlx::query(sql)
                    .bind(centre)
                    .bind(&courses)
                    .fetch_all(&mut *tx)
                    .await?;
            }
            // The new course's 24 sessions against the lecturer's bookings.
            let lecturer = setup
                .lecturers
                .get(crate::mix(k, 31, n, 1) % setup.lecturers.len().max(1))
                .map(|l| uuid(l))
                .transpose()
                .map_err(sqlx::Error::Protocol)?
                .unwrap_or_default();
            sqlx::query(
                "SELECT * FROM bookings WHERE tenant_id = $1 AND resource = 'person' AND resource_id = $2 \
                 AND starts_at < $4 AND starts_at >= $3 - interval '32 days' AND ends_at > $3 ORDER BY starts_at",
            )
            .bind(centre)
            .bind(lecturer)
            .bind(from)
            .bind(from + chrono::Duration::weeks(13))
            .fetch_all(&mut *tx)
            .await?;
        }
        "ministry" => {
            sqlx::query(
                "SELECT geo, indicator, category, value, hidden FROM report_cells \
                 WHERE year = $1 AND period = $2 AND dimension = 'total' AND geo LIKE 'centre:%' \
                 AND published ORDER BY geo, indicator, category",
            )
            .bind(crate::last_year())
            .bind(crate::PERIODS[crate::mix(k, 7, n, 1) % crate::PERIODS.len()])
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query("SELECT id, name, region_code FROM centres ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        }
        "centre-year" => {
            sqlx::query(
                "SELECT geo, indicator, category, value, hidden FROM report_cells \
                 WHERE year = $1 AND period = $2 AND dimension = 'kind' AND geo = $3 \
                 AND indicator = ANY($4) ORDER BY geo, indicator, category",
            )
            .bind(crate::last_year())
            .bind(crate::PERIODS[crate::mix(k, 7, n, 1) % crate::PERIODS.len()])
            .bind(format!("centre:{centre}"))
            .bind(&["interventions", "intervention_hours"][..])
            .fetch_all(&mut *tx)
            .await?;
        }
        other => {
            return Err(sqlx::Error::Protocol(format!("no direct SQL for {other}")));
        }
    }
    tx.commit().await
}

/// Runs each statement with `$1` = the centre and `$2` = the client.
async fn reads(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    centre: uuid::Uuid,
    client: uuid::Uuid,
    statements: &[&'static str],
) -> Result<(), sqlx::Error> {
    for sql in statements {
        sqlx::query(*sql)
            .bind(centre)
            .bind(client)
            .fetch_all(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn details(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    centre: uuid::Uuid,
    ids: &[uuid::Uuid],
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT * FROM interventions WHERE tenant_id = $1 AND id = ANY($2)")
        .bind(centre)
        .bind(ids)
        .fetch_all(&mut **tx)
        .await?;
    sqlx::query(
        "SELECT * FROM intervention_participants WHERE tenant_id = $1 AND intervention_id = ANY($2) \
         ORDER BY client_id",
    )
    .bind(centre)
    .bind(ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(())
}

/// Runs `requests` of the scenario's SQL at `concurrency`; answers
/// (throughput per second, sorted latencies in microseconds, errors).
pub async fn run(
    url: &str,
    scenario: &str,
    setup: &Setup,
    requests: usize,
    concurrency: usize,
) -> Result<(f64, Vec<u64>, usize), String> {
    if !SCENARIOS.contains(&scenario) {
        return Err(format!("no hand-written SQL for '{scenario}'"));
    }
    let pool = pool(url, concurrency as u32).await?;
    let clients: Vec<uuid::Uuid> = setup
        .clients
        .iter()
        .map(|c| uuid(c))
        .collect::<Result<_, _>>()?;
    let long = uuid(&setup.long_client).unwrap_or_default();
    let setup = std::sync::Arc::new(setup.clone());
    let clients = std::sync::Arc::new(clients);
    let scenario = scenario.to_owned();
    Ok(crate::drive(concurrency, requests, move |k, n| {
        let (pool, setup, clients, scenario) = (
            pool.clone(),
            setup.clone(),
            clients.clone(),
            scenario.clone(),
        );
        async move {
            let client = if scenario == "timeline" {
                long
            } else {
                clients
                    .get(crate::mix(k, 7919, n, 31) % clients.len().max(1))
                    .copied()
                    .unwrap_or_default()
            };
            one(&pool, &scenario, &setup, client, (k, n)).await.is_ok()
        }
    })
    .await)
}
