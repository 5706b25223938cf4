//! The real `integra` binary: zero-config first start, and SIGTERM letting a
//! request that is already in flight finish before the process exits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn first_start_prints_the_demo_sign_ins_and_sigterm_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_integra"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("INTEGRA_DATA_DIR", dir.path().join("data"))
        .env(
            "INTEGRA_DATABASE_URL",
            format!("sqlite://{}/data/integra.sqlite3", dir.path().display()),
        )
        .env("INTEGRA_BIND", "127.0.0.1:0")
        .env("INTEGRA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Integra is running at http://") {
            addr = Some(rest.trim_end_matches('/').to_owned());
        }
        let done = line.contains("ministry@example.org");
        printed.push(line);
        if done {
            break;
        }
    }
    let addr = addr.expect("the URL is printed");
    let out = printed.join("\n");
    for login in [
        "admin.usti@example.org",
        "counsellor.usti@example.org",
        "lecturer.usti@example.org",
        "admin.praha@example.org",
        "ministry@example.org",
        "integra-demo",
    ] {
        assert!(out.contains(login), "{login} missing from:\n{out}");
    }

    // A request whose body is still arriving when SIGTERM comes.
    let body = br#"{"query":"{ __typename }"}"#;
    let mut conn = TcpStream::connect(&addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        conn,
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(&body[..10]).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(100));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));

    // No new connections once shutdown has begun.
    assert!(
        TcpStream::connect(&addr).is_err(),
        "the listener should be closed after SIGTERM"
    );

    conn.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains(r#""__typename":"QueryRoot""#),
        "{response}"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "integra did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status}");
}
