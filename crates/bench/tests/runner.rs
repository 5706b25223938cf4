//! The runner end to end: every scenario against a real server on
//! PostgreSQL (row-level security, the app role) with the small synthetic
//! set, each printing its figures, and each but `import` and `mail` also
//! its direct SQL and the ratio. Few requests: this checks that the runner
//! works and its twins run without error, not how fast anything is.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "tests and test helpers: a failed unwrap is the test failing, with its message"
)]

use std::sync::Arc;

use integra_gateway::config::{Config, Mode};
use integra_kernel::{Database, SharedClock, SystemClock};
use integra_test_support::app::{MailSetup, TEST_SECRET};
use integra_test_support::{Engine, TestApp, pg};
use serde_json::Value;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `integra-bench` and answers its JSON lines by scenario name.
async fn bench(app_url: &str, base: &str, args: &[&str]) -> Vec<Value> {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_integra-bench"))
        .args(args)
        .args(["--url", base, "--database-url", app_url, "--json"])
        .env("INTEGRA_SECRET_KEY", TEST_SECRET)
        .env("INTEGRA_LOG", "warn")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{args:?} failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .collect()
}

fn line<'a>(lines: &'a [Value], scenario: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["scenario"] == scenario)
        .unwrap_or_else(|| panic!("no line for {scenario} in {lines:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_prints_its_figures_and_its_ratio() {
    let smtp = free_port();
    let app = TestApp::start_tuned(
        Engine::Postgres,
        Mode::Dev,
        MailSetup {
            smtp_port: Some(smtp),
            ..MailSetup::default()
        },
        |c| {
            c.registration.per_address = 0;
        },
    )
    .await;
    let name = app.pg_name.clone().unwrap();
    let owner = Database::connect(
        &pg::cluster().owner_url(&name),
        &integra_kernel::db::PoolOptions::default(),
    )
    .await
    .unwrap();
    let clock: SharedClock = Arc::new(SystemClock);
    // The server's own person key, so the loaded clients are found as
    // duplicates the way the server finds them.
    let mut config = Config::load_from(None, |_| None).unwrap();
    config.server.secret_key = Some(TEST_SECRET.to_owned().into());
    let clients = integra_gateway::app::client_service(&owner, &config, clock.clone()).unwrap();
    let key =
        |f: &str, g: &str, b: Option<chrono::NaiveDate>, n: &str| clients.person_key(f, g, b, n);
    integra_synth::load(
        &integra_kernel::PlatformDb::grant(&owner),
        &clock,
        integra_synth::Scale::Small,
        7,
        &key,
    )
    .await
    .unwrap();
    while app.reporting.marked_months().await.unwrap() > 0 {
        app.reporting.refresh().await.unwrap();
    }
    let app_url = pg::cluster().app_url(&name);
    let base = app.base.clone();
    let smtp = smtp.to_string();
    let praha = [
        "--email",
        "bench.praha@example.org",
        "--password",
        "integra-bench",
    ];
    let admin = [
        "--email",
        "admin.praha@example.org",
        "--password",
        "integra-demo",
    ];
    let lecturers = [
        "--email",
        "bench.lecturer{n}.praha@example.org",
        "--password",
        "integra-bench",
    ];
    let ministry = [
        "--email",
        "ministry@example.org",
        "--password",
        "integra-demo",
    ];
    let counsellor = [
        "--email",
        "counsellor.usti@example.org",
        "--password",
        "integra-demo",
    ];
    let small = ["--requests", "24", "--concurrency", "2"];
    let cases: Vec<(&str, &[&str], Vec<&str>)> = vec![
        ("viewer", &praha, vec!["--direct"]),
        ("search", &praha, vec!["--direct"]),
        ("register", &praha, vec!["--direct"]),
        ("detail", &praha, vec!["--direct"]),
        ("timeline", &praha, vec!["--direct"]),
        ("record", &praha, vec!["--direct"]),
        ("tasks", &praha, vec!["--direct"]),
        ("week", &lecturers, vec!["--direct", "--accounts", "2"]),
        ("schedule", &admin, vec!["--direct"]),
        ("attendance", &admin, vec!["--direct"]),
        ("centre-year", &admin, vec!["--direct"]),
        ("ministry", &ministry, vec!["--direct"]),
        ("export", &ministry, vec!["--direct"]),
        (
            "event",
            &counsellor,
            vec!["--direct", "--capacity", "10", "--smtp-port", &smtp],
        ),
    ];
    for (scenario, who, extra) in cases {
        let mut args = vec![scenario];
        args.extend_from_slice(who);
        args.extend_from_slice(&small);
        args.extend(extra);
        let lines = bench(&app_url, &base, &args).await;
        let through = line(&lines, scenario);
        assert_eq!(through["requests"], 24, "{scenario}: {through}");
        assert_eq!(through["errors"], 0, "{scenario}: {through}");
        assert!(through["p99_ms"].as_f64().unwrap() > 0.0, "{scenario}");
        let direct = line(&lines, &format!("{scenario} (direct SQL)"));
        assert_eq!(direct["errors"], 0, "{scenario}: {direct}");
        assert!(
            direct["ratio_integra_to_direct"].as_f64().unwrap() > 0.0,
            "{scenario}: {direct}"
        );
    }
    // The import is one request of many rows, with no direct twin.
    let mut args = vec!["import"];
    args.extend_from_slice(&praha);
    args.extend(["--rows", "40"]);
    let lines = bench(&app_url, &base, &args).await;
    assert_eq!(
        line(&lines, "import")["file_bytes"].as_u64().map(|b| b > 0),
        Some(true)
    );
    // Asking for a twin the runner does not have is a clear error.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_integra-bench"))
        .args([
            "import",
            "--url",
            &base,
            "--database-url",
            &app_url,
            "--direct",
        ])
        .args(praha)
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
}
