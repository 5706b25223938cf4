//! Fail closed: dev mode only where it is safe, production never on
//! SQLite nor with the demo seed; PostgreSQL cancels runaway statements,
//! lock waits and abandoned transactions.

use std::time::Duration;

use integra_gateway::app::{fail_closed, serve};
use integra_kernel::db::PoolOptions;
use integra_kernel::{Database, SessionTimeouts};
use sea_orm::ConnectionTrait;

use crate::startup::{config, tempfile_dir as data_dir};

#[tokio::test]
async fn production_refuses_sqlite_and_the_demo_seed() {
    let dir = data_dir();
    let sqlite = format!("sqlite://{dir}/integra.sqlite3");
    let production = config(&[
        ("INTEGRA_MODE", "production"),
        ("INTEGRA_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &sqlite),
        ("INTEGRA_BIND", "127.0.0.1:0"),
    ]);
    let err = serve(production.clone(), true, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("production mode needs PostgreSQL"), "{err}");
    assert!(
        !std::path::Path::new(&format!("{dir}/integra.sqlite3")).exists(),
        "refused before anything was created"
    );
    let err = integra_gateway::app::refuse_demo_seed(&production)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused in production mode"), "{err}");
    let dev = config(&[
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &sqlite),
    ]);
    assert!(integra_gateway::app::refuse_demo_seed(&dev).is_ok());
}

#[tokio::test]
async fn dev_mode_runs_only_on_loopback_with_sqlite_unless_asked_for() {
    let dir = data_dir();
    let sqlite = format!("sqlite://{dir}/integra.sqlite3");
    let open = config(&[
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &sqlite),
        ("INTEGRA_BIND", "0.0.0.0:0"),
    ]);
    let err = serve(open.clone(), false, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("dev mode"), "{err}");
    assert!(err.contains("--dev"), "{err}");
    assert!(fail_closed(&open, true).is_ok(), "--dev says it is meant");
    let on_pg = config(&[
        ("INTEGRA_DATA_DIR", &dir),
        (
            "INTEGRA_DATABASE_URL",
            "postgres://integra_app@127.0.0.1:1/integra",
        ),
    ]);
    assert!(fail_closed(&on_pg, false).is_err());
    let local = config(&[
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &sqlite),
    ]);
    assert!(
        fail_closed(&local, false).is_ok(),
        "the README's first command"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cancels_runaway_statements_lock_waits_and_idle_transactions() {
    let pg = integra_test_support::pg::fresh_db().await;
    let url = integra_test_support::pg::cluster().app_url(&pg.name);
    let db = Database::connect(
        &url,
        &PoolOptions {
            max_connections: 2,
            timeouts: SessionTimeouts {
                statement: Some(Duration::from_millis(300)),
                lock: Some(Duration::from_millis(200)),
                idle_in_transaction: Some(Duration::from_millis(500)),
            },
            ..PoolOptions::default()
        },
    )
    .await
    .unwrap();
    let platform = integra_kernel::PlatformDb::grant(&db);
    let conn = platform.connection();
    let started = std::time::Instant::now();
    let err = conn
        .execute_unprepared("SELECT pg_sleep(5)")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("statement timeout"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT current_setting('lock_timeout') AS l, \
             current_setting('idle_in_transaction_session_timeout') AS i",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "l").unwrap(), "200ms");
    assert_eq!(row.try_get::<String>("", "i").unwrap(), "500ms");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_cookie_is_host_prefixed_and_hsts_is_sent() {
    let app = integra_test_support::TestApp::start_with(
        integra_test_support::Engine::Postgres,
        integra_gateway::config::Mode::Production,
    )
    .await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/graphql", app.base))
        .json(&serde_json::json!({
            "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
            "variables": {"e": "admin.usti@example.org", "p": "integra-demo"},
        }))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-integra_session="), "{cookie}");
    assert!(
        cookie.contains("; Path=/;") && cookie.contains("Secure") && !cookie.contains("Domain")
    );
    let token = cookie
        .trim_start_matches("__Host-integra_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let viewer = |name: &str| {
        http.post(format!("{}/graphql", app.base))
            .header("cookie", format!("{name}={token}"))
            .header("x-integra-csrf", "1")
            .json(&serde_json::json!({"query": "{ viewer { email } }"}))
            .send()
    };
    let ok = integra_test_support::Gql::read(viewer("__Host-integra_session").await.unwrap()).await;
    assert_eq!(ok.ok()["viewer"]["email"], "admin.usti@example.org");
    // The unprefixed name, which a sibling site could set, is not read.
    let plain = integra_test_support::Gql::read(viewer("integra_session").await.unwrap()).await;
    assert!(plain.data()["viewer"].is_null(), "{}", plain.body);
    assert_eq!(
        reqwest::get(format!("{}/health/live", app.base))
            .await
            .unwrap()
            .headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}

/// `/health/ready` asks a pool of its own: with every connection of the
/// request pool held by stuck requests it still answers ready (and the
/// same check on the busy pool would not, so the test can tell).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_holds_while_every_request_connection_is_busy() {
    use sea_orm::TransactionTrait;
    let pg = integra_test_support::pg::fresh_db().await;
    let url = integra_test_support::pg::cluster().app_url(&pg.name);
    let busy = Database::connect(
        &url,
        &PoolOptions {
            max_connections: 2,
            acquire_timeout: Duration::from_secs(1),
            ..PoolOptions::default()
        },
    )
    .await
    .unwrap();
    let dir = data_dir();
    let mut config = config(&[("INTEGRA_DATA_DIR", &dir), ("INTEGRA_DATABASE_URL", &url)]);
    config.server.secret_key = Some(integra_test_support::app::TEST_SECRET.to_owned().into());
    let clock: integra_kernel::SharedClock = std::sync::Arc::new(integra_kernel::SystemClock);
    let serve = |health: Database| {
        let (busy, config, clock) = (busy.clone(), config.clone(), clock.clone());
        async move {
            let mut state = integra_gateway::app::build_state(busy, &config, clock)
                .await
                .unwrap();
            state.health = health;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let app = integra_gateway::http::router(state)
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
            tokio::spawn(async move { axum_serve(listener, app).await });
            base
        }
    };
    let own_pool = serve(pg.db.clone()).await;
    let shared_pool = serve(busy.clone()).await;
    // Two stuck requests hold the request pool's two connections.
    let held = [
        integra_kernel::PlatformDb::grant(&busy)
            .connection()
            .begin()
            .await
            .unwrap(),
        integra_kernel::PlatformDb::grant(&busy)
            .connection()
            .begin()
            .await
            .unwrap(),
    ];
    let ready = |base: String| async move {
        reqwest::get(format!("{base}/health/ready"))
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(ready(own_pool).await, 200, "readiness asks its own pool");
    assert_eq!(
        ready(shared_pool).await,
        503,
        "the busy pool could not answer"
    );
    drop(held);
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    app: axum::extract::connect_info::IntoMakeServiceWithConnectInfo<
        axum::Router,
        std::net::SocketAddr,
    >,
) {
    let _ = axum::serve(listener, app).await;
}
