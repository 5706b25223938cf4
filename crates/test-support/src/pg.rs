//! A throwaway PostgreSQL cluster for the test process.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use integra_kernel::Database;
use integra_kernel::db::PoolOptions;
use sea_orm::ConnectionTrait;

/// The running cluster.
#[derive(Debug)]
pub struct Cluster {
    pub port: u16,
    pub dir: PathBuf,
    pub bin: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

const TEMPLATE: &str = "integra_template";

/// The cluster, started (and the template database built) on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        let cluster = start();
        // The template is built on a runtime of its own: the caller's runtime
        // may be a current-thread one that must not be blocked on.
        let c = &cluster;
        std::thread::scope(|s| {
            s.spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(build_template(c))
            })
            .join()
            .expect("template thread")
        });
        cluster
    })
}

fn find_bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("INTEGRA_PG_BIN") {
        return PathBuf::from(dir);
    }
    if let Ok(out) = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !p.is_empty() {
            let p = std::fs::canonicalize(&p).unwrap_or_else(|_| PathBuf::from(&p));
            if let Some(parent) = p.parent() {
                return parent.to_owned();
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|p| p.join("initdb").exists());
    versions.sort();
    versions.pop().expect(
        "PostgreSQL server binaries not found: install postgresql (initdb, pg_ctl) or set INTEGRA_PG_BIN",
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root
/// (PostgreSQL refuses to run as root).
fn pg_cmd(bin: &Path, tool: &str) -> Command {
    let exe = bin.join(tool);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(exe);
        c
    } else {
        Command::new(exe)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start() -> Cluster {
    let bin = find_bin_dir();
    let dir = std::env::temp_dir().join(format!("integra-pg-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("cluster dir");
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "chown of the cluster dir to postgres failed (is the postgres user there?)"
        );
    }
    let data = dir.join("data");
    let out = pg_cmd(&bin, "initdb")
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run initdb");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB",
        dir.display()
    );
    let out = pg_cmd(&bin, "pg_ctl")
        .arg("-D")
        .arg(&data)
        .args(["-o", &opts, "-w", "-l"])
        .arg(dir.join("server.log"))
        .arg("start")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run pg_ctl");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    spawn_reaper(&bin, &dir, &data);
    Cluster { port, dir, bin }
}

/// Stops the cluster and removes its folder once this test process exits.
fn spawn_reaper(bin: &Path, dir: &Path, data: &Path) {
    let pg_ctl = bin.join("pg_ctl");
    let as_pg = if is_root() {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {as_pg}{pg_ctl} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    let _ = Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

impl Cluster {
    /// URL as the superuser (owner of everything) to database `db`.
    pub fn owner_url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// URL as the application role to database `db`.
    pub fn app_url(&self, db: &str) -> String {
        format!(
            "postgres://{}@127.0.0.1:{}/{db}",
            integra_migrations::APP_ROLE,
            self.port
        )
    }

    /// [`Cluster::app_url`] through the cluster's Unix socket (the way
    /// deploy/README.md advises for a server on the same machine): the
    /// `host` parameter names the socket's folder and wins over the address.
    pub fn app_socket_url(&self, db: &str) -> String {
        format!("{}?host={}", self.app_url(db), self.dir.display())
    }
}

/// A superuser connection to the cluster's maintenance database.
async fn cluster_admin(c: &Cluster) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(c.owner_url("postgres"))
        .await
        .expect("connect to cluster")
}

async fn build_template(c: &Cluster) {
    let admin = cluster_admin(c).await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {TEMPLATE}"))
        .await
        .expect("create template");
    admin.close().await.ok();
    let db = Database::connect(&c.owner_url(TEMPLATE), &PoolOptions::default())
        .await
        .expect("connect template");
    crate::sqlite::prepare_template(&db).await;
    crate::sqlite::close(&db).await;
}

/// A fresh database for one test.
pub struct PgTestDb {
    /// Connected as the application role.
    pub db: Database,
    /// Database name.
    pub name: String,
}

/// Clones the template into a new database and connects as the app role.
pub async fn fresh_db() -> PgTestDb {
    let c = cluster();
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let admin = cluster_admin(c).await;
    let mut attempts = 0;
    loop {
        match admin
            .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
            .await
        {
            Ok(_) => break,
            Err(e) if attempts < 50 && e.to_string().contains("being accessed") => {
                attempts += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("create test database: {e}"),
        }
    }
    admin.close().await.ok();
    let db = Database::connect(
        &c.app_url(&name),
        &PoolOptions {
            max_connections: 8,
            ..PoolOptions::default()
        },
    )
    .await
    .expect("connect as app role");
    PgTestDb { db, name }
}

/// A superuser connection to a test database (catalog checks, raw RLS probes).
pub async fn owner_connection(db_name: &str) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(cluster().owner_url(db_name))
        .await
        .expect("owner connection")
}
