//! The contexts' SQL functions live in `.sql` files and every `integra
//! migrate` installs the ones whose text changed (issue 32).

use integra_kernel::{Database, SqlFunctions};
use integra_migrations::functions::{Installed, install};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use sha2::{Digest, Sha256};

async fn text_of(conn: &DatabaseConnection, sql: &str) -> Vec<String> {
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

fn probe(args: &str) -> SqlFunctions {
    SqlFunctions {
        file: "tests/probe.sql",
        functions: &["integra_probe"],
        sql: Box::leak(
            format!(
                "CREATE FUNCTION integra_probe({args}) RETURNS integer LANGUAGE sql AS $$ SELECT {{{{ANSWER}}}} $$;"
            )
            .into_boxed_str(),
        ),
        constants: &[("ANSWER", 42)],
    }
}

/// Each file is recorded with the hash of its text; a file whose text
/// changed since (here: a stale record and a hand-edited function, as after
/// an upgrade) is installed again by the next migration run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migration_run_reinstalls_what_changed() {
    let pg = integra_test_support::pg::fresh_db().await;
    let owner = integra_test_support::pg::owner_connection(&pg.name).await;
    let files = integra_gateway::app::sql_functions();
    assert_eq!(files.len(), 3, "client page, its rest, recording a service");
    let recorded = text_of(
        &owner,
        "SELECT file || ' ' || sha256 FROM integra_sql_functions ORDER BY file",
    )
    .await;
    let mut expected: Vec<String> = files
        .iter()
        .map(|f| {
            let hash = hex::encode(Sha256::digest(f.text().unwrap().as_bytes()));
            format!("{} {hash}", f.file)
        })
        .collect();
    expected.sort();
    assert_eq!(recorded, expected);

    owner
        .execute_unprepared(
            "CREATE OR REPLACE FUNCTION integra_client_page_rest(p_tenant uuid, p_client uuid, p_latest integer) \
             RETURNS json LANGUAGE sql AS $$ SELECT '{}'::json $$; \
             UPDATE integra_sql_functions SET sha256 = 'stale' \
             WHERE file = 'crates/counselling/sql/client_page_rest.sql'",
        )
        .await
        .unwrap();
    let db = Database::connect(
        &integra_test_support::pg::cluster().owner_url(&pg.name),
        &integra_kernel::db::PoolOptions::default(),
    )
    .await
    .unwrap();
    integra_gateway::app::migrate(&db).await.unwrap();
    let body = text_of(
        &owner,
        "SELECT pg_get_functiondef('integra_client_page_rest'::regproc)",
    )
    .await;
    assert!(body[0].contains("intervention_participants"), "{body:?}");
    // The chain limit is the Rust constant's, written into the text.
    let inputs = text_of(
        &owner,
        "SELECT pg_get_functiondef('integra_service_inputs'::regproc)",
    )
    .await;
    assert!(
        inputs[0].contains(&format!(
            "FOR step IN 1..{} LOOP",
            integra_clients::MERGE_CHAIN_LIMIT
        )),
        "{inputs:?}"
    );
    // Nothing changed since: nothing is run again.
    let again = install(&owner, &files).await.unwrap();
    assert_eq!(
        again,
        Installed {
            changed: Vec::new(),
            unchanged: 3
        }
    );
}

/// A changed argument list replaces the function instead of adding an
/// overload; a file that fails leaves the installed function as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_signature_replaces_and_a_broken_file_changes_nothing() {
    let pg = integra_test_support::pg::fresh_db().await;
    let owner = integra_test_support::pg::owner_connection(&pg.name).await;
    let one = install(&owner, &[probe("a integer")]).await.unwrap();
    assert_eq!(one.changed, vec!["tests/probe.sql"]);
    let two = install(&owner, &[probe("a integer, b integer")])
        .await
        .unwrap();
    assert_eq!(two.changed, vec!["tests/probe.sql"]);
    let signatures = text_of(
        &owner,
        "SELECT oid::regprocedure::text FROM pg_proc WHERE proname = 'integra_probe'",
    )
    .await;
    assert_eq!(
        signatures,
        vec!["integra_probe(integer,integer)".to_owned()]
    );

    let broken = SqlFunctions {
        sql: "CREATE FUNCTION integra_probe(a text) RETURNS integer LANGUAGE sql AS $$ SELEC 1 $$;",
        ..probe("")
    };
    let err = install(&owner, &[broken]).await.unwrap_err().to_string();
    assert!(err.contains("tests/probe.sql"), "{err}");
    let answer = text_of(&owner, "SELECT integra_probe(1, 2)::text").await;
    assert_eq!(answer, vec!["42".to_owned()]);
    let unknown = SqlFunctions {
        constants: &[],
        ..probe("a integer")
    };
    let err = install(&owner, &[unknown]).await.unwrap_err().to_string();
    assert!(err.contains("{{ANSWER}}"), "{err}");
}

/// The application role can neither read nor rewrite the record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_role_cannot_touch_the_record() {
    let pg = integra_test_support::pg::fresh_db().await;
    let platform = integra_kernel::PlatformDb::grant(&pg.db);
    let err = platform
        .connection()
        .execute_unprepared("UPDATE integra_sql_functions SET sha256 = 'x'")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
}

/// SQLite has no functions: installing is a no-op there.
#[tokio::test]
async fn sqlite_installs_nothing() {
    let s = integra_test_support::sqlite::fresh_db().await;
    let platform = integra_kernel::PlatformDb::grant(&s.db);
    let done = install(
        platform.connection(),
        &integra_gateway::app::sql_functions(),
    )
    .await
    .unwrap();
    assert_eq!(done, Installed::default());
}
