//! Fuzzing: operations generated from `graphql/schema.graphql` by
//! `scripts/fuzz/graphql_fuzz.py` (hypothesis-graphql), anonymously and as
//! each demo role, against a real server on PostgreSQL: no answer 5xx, no
//! `INTERNAL`, no dropped connection. `INTEGRA_FUZZ_OPERATIONS` sets how
//! many (1,000 here; `scripts/fuzz` runs 10,000).

use integra_test_support::{Engine, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_operations_never_fail_the_server() {
    let operations = std::env::var("INTEGRA_FUZZ_OPERATIONS").unwrap_or_else(|_| "1000".into());
    let app = TestApp::start(Engine::Postgres).await;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let out = tokio::process::Command::new("python3")
        .current_dir(root)
        .args([
            "scripts/fuzz/graphql_fuzz.py",
            "--url",
            &app.base,
            "--operations",
            &operations,
        ])
        .output()
        .await
        .expect("python3 runs (scripts/test installs scripts/fuzz/requirements.txt)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stdout.lines().last().unwrap_or_default();
    println!("fuzz: {summary}");
    assert!(
        out.status.success(),
        "the fuzzer found failures:\n{summary}\n{stderr}"
    );
    let counts: serde_json::Value = serde_json::from_str(summary).expect("a JSON summary");
    let sent = counts["operations"].as_u64().unwrap();
    assert!(sent >= operations.parse::<u64>().unwrap(), "{summary}");
    assert_eq!(counts["status_5xx"], 0, "{summary}");
    assert_eq!(counts["internal"], 0, "{summary}");
    assert_eq!(counts["transport_errors"], 0, "{summary}");
    super::still_serving(&app).await;
}
