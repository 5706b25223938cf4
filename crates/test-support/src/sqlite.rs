//! Temporary SQLite databases.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use integra_kernel::db::PoolOptions;
use integra_kernel::{Database, PlatformDb, SharedClock, SystemClock};

static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();

/// Migrates a template database (installing the SQL functions as
/// `integra migrate` does) and seeds the demo network into it.
pub(crate) async fn prepare_template(db: &Database) {
    integra_gateway::app::migrate(db)
        .await
        .expect("migrate template");
    seed_demo(db).await;
}

/// Closes a template's pool, so that it can be copied.
pub(crate) async fn close(db: &Database) {
    PlatformDb::grant(db)
        .connection()
        .clone()
        .close()
        .await
        .ok();
}

/// Seeds the demo network and sign-ins.
pub async fn seed_demo(db: &Database) {
    let clock: SharedClock = Arc::new(SystemClock);
    integra_tenants::seed::demo(&PlatformDb::grant(db), &clock)
        .await
        .expect("demo seed");
}

fn template() -> &'static PathBuf {
    TEMPLATE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("integra-sqlite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("sqlite template dir");
        let path = dir.join("template.sqlite3");
        let _ = std::fs::remove_file(&path);
        let p = path.clone();
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(async move {
                    let db = Database::connect(
                        &format!("sqlite://{}?mode=rwc", p.display()),
                        &PoolOptions::default(),
                    )
                    .await
                    .expect("open sqlite template");
                    prepare_template(&db).await;
                    // Fold the WAL into the main file so a plain copy is complete.
                    use sea_orm::ConnectionTrait;
                    PlatformDb::grant(&db)
                        .connection()
                        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                        .await
                        .expect("checkpoint");
                    close(&db).await;
                })
        })
        .join()
        .expect("sqlite template thread");
        path
    })
}

/// A temporary SQLite database (deleted with the returned guard).
pub struct SqliteTestDb {
    pub db: Database,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Copies the migrated, seeded template into a fresh temporary file.
pub async fn fresh_db() -> SqliteTestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("integra.sqlite3");
    std::fs::copy(template(), &path).expect("copy sqlite template");
    let db = Database::connect(
        &format!("sqlite://{}?mode=rwc", path.display()),
        &PoolOptions::default(),
    )
    .await
    .expect("open sqlite");
    SqliteTestDb {
        db,
        path,
        _dir: dir,
    }
}
