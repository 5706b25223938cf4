//! The `mail` scenario: how long an email takes from the commit of the
//! change that sends it to the SMTP server's acceptance.
//!
//! The bench runs the SMTP server itself (on `--smtp-port`; start
//! `integra serve` with `INTEGRA_SMTP_URL=smtp://127.0.0.1:PORT`), then
//! invites `--requests` new staff members (one email each) at
//! `--concurrency`, as fast as they go or at `--rate` per second. An
//! invitation's transaction commits before its response
//! is written, so "response received → message received" is a lower bound
//! of the delay and "request sent → message received" an upper bound; both
//! are printed.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use integra_test_support::smtp::SmtpSink;
use serde_json::json;

use crate::{Args, percentile, sign_in, succeeded};

/// Runs the scenario and prints the figures.
#[allow(
    clippy::print_stdout,
    reason = "the benchmark's output is its printed figures"
)]
pub async fn run(args: &Args) -> Result<(), String> {
    let sink = SmtpSink::start_on(&format!("127.0.0.1:{}", args.smtp_port)).await;
    let run = Utc::now().timestamp_millis();
    let mut clients = Vec::new();
    for k in 0..args.concurrency.max(1) {
        clients.push(sign_in(args, k).await?);
    }
    let per_client = args.requests / clients.len();
    let lanes = clients.len();
    let started = Instant::now();
    let begin = tokio::time::Instant::now();
    let rate = args.rate;
    let mut tasks = Vec::new();
    for (k, c) in clients.into_iter().enumerate() {
        let url = format!("{}/graphql", args.url);
        tasks.push(tokio::spawn(async move {
            let mut sent: Vec<(String, DateTime<Utc>, DateTime<Utc>, bool)> = Vec::new();
            for n in 0..per_client {
                if let Some(rate) = rate {
                    // Open loop: request i of the run goes at i / rate s.
                    let i = (n * lanes + k) as f64;
                    tokio::time::sleep_until(begin + Duration::from_secs_f64(i / rate)).await;
                }
                let email = format!("bench-{run}-{k}-{n}@example.org");
                let body = json!({
                    "query": "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }",
                    "variables": {"i": {"email": email, "displayName": "Bench Invite", "roles": ["COUNSELLOR"]}},
                });
                let before = Utc::now();
                let ok = succeeded(
                    c.post(&url)
                        .header("x-integra-csrf", "1")
                        .json(&body)
                        .send()
                        .await,
                )
                .await;
                sent.push((email, before, Utc::now(), ok));
            }
            sent
        }));
    }
    let mut sent = Vec::new();
    for t in tasks {
        sent.extend(t.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();
    let errors = sent.iter().filter(|s| !s.3).count();
    let expected = sent.len() - errors;
    let deadline = Instant::now() + Duration::from_secs(120);
    while sink.messages().len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received: HashMap<String, DateTime<Utc>> = sink
        .messages()
        .into_iter()
        .filter_map(|m| m.to.first().map(|t| (t.clone(), m.received_at)))
        .collect();
    let mut lower: Vec<u64> = Vec::new();
    let mut upper: Vec<u64> = Vec::new();
    let mut missing = 0usize;
    for (email, before, after, ok) in &sent {
        if !ok {
            continue;
        }
        match received.get(email) {
            Some(at) => {
                let micros = |d: chrono::TimeDelta| {
                    u64::try_from(d.num_microseconds().unwrap_or(0).max(0)).unwrap_or(0)
                };
                lower.push(micros(*at - *after));
                upper.push(micros(*at - *before));
            }
            None => missing += 1,
        }
    }
    lower.sort_unstable();
    upper.sort_unstable();
    let rps = sent.len() as f64 / elapsed.as_secs_f64().max(1e-6);
    let figures = json!({
        "scenario": "mail", "requests": sent.len(), "concurrency": args.concurrency,
        "rate_limit": args.rate,
        "throughput_rps": rps, "errors": errors, "emails_received": lower.len(),
        "emails_missing": missing,
        "commit_to_smtp_p50_ms": percentile(&lower, 50.0),
        "commit_to_smtp_p99_ms": percentile(&lower, 99.0),
        "request_to_smtp_p50_ms": percentile(&upper, 50.0),
        "request_to_smtp_p99_ms": percentile(&upper, 99.0),
        "request_to_smtp_max_ms": upper.last().map_or(0.0, |m| *m as f64 / 1000.0),
    });
    if args.json {
        println!("{figures}");
    } else {
        println!(
            "mail       invitations={} concurrency={}{} throughput={:.0}/s errors={} received={} missing={}\n\
             mail       response→SMTP accepted p50={:.1}ms p99={:.1}ms; request→SMTP accepted p50={:.1}ms p99={:.1}ms max={:.1}ms",
            sent.len(),
            args.concurrency,
            args.rate
                .map(|r| format!(" rate={r}/s"))
                .unwrap_or_default(),
            rps,
            errors,
            lower.len(),
            missing,
            percentile(&lower, 50.0),
            percentile(&lower, 99.0),
            percentile(&upper, 50.0),
            percentile(&upper, 99.0),
            upper.last().map_or(0.0, |m| *m as f64 / 1000.0),
        );
    }
    if errors > 0 || missing > 0 {
        return Err(format!("{errors} errors, {missing} emails missing"));
    }
    Ok(())
}
