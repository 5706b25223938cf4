//! Telemetry: the line a slow request leaves in the log says which
//! operation of which centre it was, and nothing the caller typed.

use std::io::Write;
use std::sync::{Arc, Mutex};

use integra_gateway::config::Mode;
use integra_test_support::{Engine, MailSetup, TestApp};
use serde_json::{Value, json};

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// A current-thread runtime: the server's tasks run on this thread, so the
// thread's subscriber sees their lines.
#[tokio::test]
async fn a_slow_request_names_its_operation_and_centre_and_nothing_typed() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::start_tuned(Engine::Sqlite, Mode::Dev, MailSetup::default(), |c| {
        c.server.slow_request = std::time::Duration::ZERO;
    })
    .await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let centre = staff
        .query("query Who { viewer { centre { id } } }", json!({}))
        .await;
    let centre = centre.ok()["viewer"]["centre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = staff
        .query(
            "query FindClients($t: String) { searchClients(text: $t) { edges { cursor } } }",
            json!({"t": "Kovalenko Olena"}),
        )
        .await;
    r.ok();
    // Unnamed: it goes by its first root field.
    staff.query("{ interpreters { id } }", json!({})).await.ok();

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|l: &Value| l["fields"]["message"] == "slow request")
        .collect();
    let of = |operation: &str| {
        lines
            .iter()
            .find(|l| l["span"]["operation"] == operation)
            .unwrap_or_else(|| panic!("no slow-request line for {operation}: {text}"))
            .clone()
    };
    let search = of("FindClients");
    assert_eq!(search["span"]["centre"], centre.as_str(), "{search}");
    assert_eq!(search["span"]["path"], "/graphql");
    assert!(search["fields"]["latency_ms"].is_u64(), "{search}");
    assert_eq!(search["fields"]["status"], 200);
    assert_eq!(of("interpreters")["span"]["centre"], centre.as_str());
    assert!(
        !text.contains("Kovalenko") && !text.contains("searchClients(text"),
        "neither the variables nor the query text are logged: {text}"
    );
}

/// Each root field of an operation (one call into a service) runs in its
/// own `service_call` span inside the request span, and its end is logged
/// at `DEBUG` with its time: which call of which operation of which centre
/// took how long, still with nothing the caller typed.
#[tokio::test]
async fn each_service_call_has_its_span_inside_the_request() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::start(Engine::Sqlite).await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    staff
        .query(
            "query Desk($t: String) { searchClients(text: $t) { edges { cursor } } interpreters { id } }",
            json!({"t": "Kovalenko Olena"}),
        )
        .await
        .ok();
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let calls: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|l: &Value| l["fields"]["message"] == "service call finished")
        .filter(|l: &Value| l["spans"][0]["operation"] == "Desk")
        .collect();
    // A query's root fields run concurrently: their ends come in either order.
    let mut fields: Vec<&str> = calls
        .iter()
        .filter_map(|l| l["span"]["field"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["interpreters", "searchClients"], "{text}");
    for call in &calls {
        assert!(call["fields"]["elapsed_us"].is_u64(), "{call}");
        let request = call["spans"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["name"] == "request"))
            .unwrap_or_else(|| panic!("no request span around {call}"));
        assert_eq!(request["operation"], "Desk", "{call}");
        assert!(request["centre"].is_string(), "{call}");
    }
    assert!(!text.contains("Kovalenko"), "the variables are not logged");
}
