//! Start-up failures are one clear line, never a panic; sessions expire.

use std::sync::Arc;

use chrono::Duration;
use integra_gateway::app::{open_database, serve};
use integra_gateway::config::Config;
use integra_kernel::{FixedClock, SharedClock};
use integra_tenants::{AuthConfig, AuthService};
use integra_test_support::{Engine, TestApp};
use sea_orm::ConnectionTrait;

/// A configuration from these settings alone (no environment).
pub(crate) fn config(pairs: &[(&str, &str)]) -> Config {
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    Config::load_from(None, move |k| {
        owned.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
    .unwrap()
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_start_up_error() {
    let dir = tempfile_dir();
    let c = config(&[
        (
            "INTEGRA_DATABASE_URL",
            "postgres://integra_app:secret@127.0.0.1:1/integra",
        ),
        ("INTEGRA_DATA_DIR", &dir),
    ]);
    let err = open_database(&c).await.unwrap_err().to_string();
    assert!(
        err.starts_with("cannot open database postgres://integra_app:***@127.0.0.1:1/integra"),
        "{err}"
    );
    assert!(!err.contains("secret"));
    assert!(!err.contains('\n'));
}

#[tokio::test]
async fn production_refuses_a_schema_that_is_behind() {
    let dir = tempfile_dir();
    let pg = integra_test_support::pg::fresh_db().await;
    let owner = integra_test_support::pg::owner_connection(&pg.name).await;
    owner
        .execute_unprepared(
            "DELETE FROM seaql_migrations WHERE version = (SELECT max(version) FROM seaql_migrations)",
        )
        .await
        .unwrap();
    let url = integra_test_support::pg::cluster().app_url(&pg.name);
    let c = config(&[
        ("INTEGRA_MODE", "production"),
        ("INTEGRA_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &url),
        ("INTEGRA_BIND", "127.0.0.1:0"),
    ]);
    let err = serve(c, false, false).await.unwrap_err().to_string();
    assert!(err.contains("run `integra migrate`"), "{err}");
}

#[tokio::test]
async fn a_busy_port_is_a_clear_start_up_error() {
    let dir = tempfile_dir();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let c = config(&[
        ("INTEGRA_DATA_DIR", &dir),
        (
            "INTEGRA_DATABASE_URL",
            &format!("sqlite://{dir}/integra.sqlite3"),
        ),
        ("INTEGRA_BIND", &format!("127.0.0.1:{port}")),
    ]);
    let err = serve(c, false, false).await.unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
}

/// A fresh, empty folder.
pub(crate) fn tempfile_dir() -> String {
    let d = std::env::temp_dir().join(format!("integra-startup-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_and_at_their_absolute_limit() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let app = TestApp::start(engine).await;
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let shared: SharedClock = clock.clone();
        let auth = AuthService::new(
            app.platform.clone(),
            shared,
            AuthConfig {
                idle_timeout: Duration::minutes(30),
                absolute_timeout: Duration::hours(2),
                ..AuthConfig::default()
            },
        );
        // Idle: 29 minutes keeps it, 31 minutes of silence ends it.
        let s = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        clock.advance(Duration::minutes(29));
        assert!(
            auth.authenticate(&s.token).await.unwrap().is_some(),
            "{engine:?}"
        );
        clock.advance(Duration::minutes(31));
        assert!(
            auth.authenticate(&s.token).await.unwrap().is_none(),
            "{engine:?}"
        );
        // Absolute: busy all along, still ends after 2 hours.
        let s = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        for _ in 0..5 {
            clock.advance(Duration::minutes(20));
            assert!(
                auth.authenticate(&s.token).await.unwrap().is_some(),
                "{engine:?}"
            );
        }
        clock.advance(Duration::minutes(21));
        assert!(
            auth.authenticate(&s.token).await.unwrap().is_none(),
            "{engine:?}"
        );
        // Signing out everywhere ends every session of the user.
        let a = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        let b = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        assert!(auth.authenticate(&b.token).await.unwrap().is_some());
        assert_eq!(auth.sign_out_everywhere(a.auth.user.id).await.unwrap(), 2);
        assert!(
            auth.authenticate(&b.token).await.unwrap().is_none(),
            "{engine:?}: a cached session outlived sign-out everywhere"
        );

        // A second process (here a second service on the same database)
        // signs the session out: this process learns within the cache time.
        let other = AuthService::new(app.platform.clone(), clock.clone(), AuthConfig::default());
        let s = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        assert!(auth.authenticate(&s.token).await.unwrap().is_some());
        other.sign_out(&s.token).await.unwrap();
        assert!(
            auth.authenticate(&s.token).await.unwrap().is_some(),
            "{engine:?}: within the cache time the old answer stands"
        );
        clock.advance(AuthConfig::default().cache_ttl);
        assert!(
            auth.authenticate(&s.token).await.unwrap().is_none(),
            "{engine:?}: after the cache time the sign-out holds"
        );

        // Purging removes idle and over-age sessions and keeps live ones.
        let live = auth
            .sign_in("admin.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        clock.advance(Duration::minutes(20));
        let fresh = auth
            .sign_in("counsellor.usti@example.org", "integra-demo", None)
            .await
            .unwrap();
        clock.advance(Duration::minutes(15));
        // `live` is now 35 minutes idle (limit 30), `fresh` 15.
        assert_eq!(auth.purge_expired().await.unwrap(), 1, "{engine:?}");
        assert!(auth.authenticate(&fresh.token).await.unwrap().is_some());
        let count = |db: integra_kernel::Database| async move {
            use sea_orm::{ConnectionTrait, Statement};
            let db = integra_kernel::PlatformDb::grant(&db);
            let row = db
                .connection()
                .query_one_raw(Statement::from_string(
                    db.connection().get_database_backend(),
                    "SELECT COUNT(*) AS n FROM sessions",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        };
        assert_eq!(count(app.db.clone()).await, 1, "{engine:?}");
        drop(live);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_role_can_check_the_schema_and_is_not_a_bypasser() {
    let app = TestApp::start(Engine::Postgres).await;
    assert_eq!(
        integra_gateway::app::pending_migrations(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        integra_gateway::app::role_bypasses_rls(&app.db)
            .await
            .unwrap(),
        None
    );
    let owner = integra_kernel::Database::connect(
        &integra_test_support::pg::cluster().owner_url(app.pg_name.as_deref().unwrap()),
        &integra_kernel::db::PoolOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        integra_gateway::app::role_bypasses_rls(&owner)
            .await
            .unwrap()
            .as_deref(),
        Some("postgres")
    );
    // A login role that is a member of the tables' owner could SET ROLE to
    // it: refused like the owner itself.
    let role = format!("sneaky_{}", uuid::Uuid::now_v7().simple());
    integra_kernel::PlatformDb::grant(&owner)
        .connection()
        .execute_unprepared(&format!(
            "CREATE ROLE {role} LOGIN NOINHERIT; GRANT postgres TO {role}; \
             GRANT CONNECT ON DATABASE {} TO {role}",
            app.pg_name.as_deref().unwrap()
        ))
        .await
        .unwrap();
    let member_url = integra_test_support::pg::cluster()
        .owner_url(app.pg_name.as_deref().unwrap())
        .replace("postgres@", &format!("{role}@"));
    let member =
        integra_kernel::Database::connect(&member_url, &integra_kernel::db::PoolOptions::default())
            .await
            .unwrap();
    assert_eq!(
        integra_gateway::app::role_bypasses_rls(&member)
            .await
            .unwrap()
            .as_deref(),
        Some(role.as_str())
    );
}

/// Staff memberships the connection can see.
async fn memberships_seen(conn: &impl ConnectionTrait) -> i64 {
    conn.query_one_raw(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        "SELECT count(*) AS n FROM memberships",
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "n")
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_role_connects_through_the_unix_socket() {
    let app = TestApp::start(Engine::Postgres).await;
    let dir = tempfile_dir();
    let url = integra_test_support::pg::cluster().app_socket_url(app.pg_name.as_deref().unwrap());
    let c = config(&[
        ("INTEGRA_MODE", "production"),
        ("INTEGRA_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
        ("INTEGRA_DATA_DIR", &dir),
        ("INTEGRA_DATABASE_URL", &url),
    ]);
    let db = open_database(&c).await.unwrap();
    // The same database (migrated), as the RLS-bound role.
    assert_eq!(
        integra_gateway::app::pending_migrations(&db).await.unwrap(),
        0
    );
    assert_eq!(
        integra_gateway::app::role_bypasses_rls(&db).await.unwrap(),
        None
    );
    // Row-level security holds over the socket: with no centre set, no
    // centre's staff memberships are visible, though the demo seed has them.
    assert_eq!(
        memberships_seen(integra_kernel::PlatformDb::grant(&db).connection()).await,
        0
    );
    let owner = integra_test_support::pg::owner_connection(app.pg_name.as_deref().unwrap()).await;
    assert!(memberships_seen(&owner).await > 0);
}
