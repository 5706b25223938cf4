//! `integra-bench`: load scenarios against a running Integra.

use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

/// Runs a scenario and prints its figures.
#[derive(Parser, Debug)]
#[command(name = "integra-bench", about)]
struct Args {
    /// Scenario: `viewer`.
    scenario: String,
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Sign in as.
    #[arg(long, default_value = "admin.usti@example.org")]
    email: String,
    /// Password.
    #[arg(long, default_value = "integra-demo")]
    password: String,
    /// Total requests.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    /// Concurrent clients (each with its own session).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy)]
struct Sample {
    micros: u64,
    ok: bool,
}

async fn sign_in(args: &Args) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let body = json!({
        "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
        "variables": {"e": args.email, "p": args.password},
    });
    let resp: Value = client
        .post(format!("{}/graphql", args.url))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if resp.get("errors").is_some() {
        return Err(format!("sign-in failed: {resp}"));
    }
    Ok(client)
}

fn scenario_query(name: &str) -> Result<&'static str, String> {
    match name {
        "viewer" => Ok("{ viewer { email roles centre { id name region } } }"),
        other => Err(format!("unknown scenario '{other}' (known: viewer)")),
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let query = match scenario_query(&args.scenario) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("integra-bench: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut clients = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        match sign_in(&args).await {
            Ok(c) => clients.push(c),
            Err(e) => {
                eprintln!("integra-bench: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let per_client = args.requests / clients.len();
    let body = json!({"query": query}).to_string();
    // Warm-up: one request per client, not measured.
    for c in &clients {
        let _ = c
            .post(format!("{}/graphql", args.url))
            .header("content-type", "application/json")
            .header("x-integra-csrf", "1")
            .body(body.clone())
            .send()
            .await;
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in clients {
        let url = format!("{}/graphql", args.url);
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let t = Instant::now();
                let ok = match c
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-integra-csrf", "1")
                    .body(body.clone())
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r
                        .bytes()
                        .await
                        .map(|b| !b.windows(9).any(|w| w == b"\"errors\":"))
                        .unwrap_or(false),
                    _ => false,
                };
                samples.push(Sample {
                    micros: u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX),
                    ok,
                });
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        if let Ok(s) = t.await {
            all.extend(s);
        }
    }
    let elapsed = started.elapsed();
    let errors = all.iter().filter(|s| !s.ok).count();
    let mut lat: Vec<u64> = all.iter().map(|s| s.micros).collect();
    lat.sort_unstable();
    let throughput = all.len() as f64 / elapsed.max(Duration::from_micros(1)).as_secs_f64();
    let (p50, p95, p99) = (
        percentile(&lat, 50.0),
        percentile(&lat, 95.0),
        percentile(&lat, 99.0),
    );
    if args.json {
        println!(
            "{}",
            json!({"scenario": args.scenario, "requests": all.len(), "concurrency": args.concurrency,
                   "seconds": elapsed.as_secs_f64(), "throughput_rps": throughput,
                   "p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "errors": errors})
        );
    } else {
        println!(
            "{:<10} requests={} concurrency={} time={:.2}s throughput={:.0}/s p50={:.2}ms p95={:.2}ms p99={:.2}ms errors={}",
            args.scenario,
            all.len(),
            args.concurrency,
            elapsed.as_secs_f64(),
            throughput,
            p50,
            p95,
            p99,
            errors
        );
    }
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
