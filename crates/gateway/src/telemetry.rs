//! Logging: human-readable in dev, JSON in production. Log lines carry ids
//! and event names, never personal data (names, notes, document numbers,
//! emails).

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber. Safe to call twice (the second is ignored).
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

/// The span of one HTTP request: its id, method and path (never the query
/// string), and, once known, the GraphQL operation and the caller's centre
/// ([`record_operation`], [`record_centre`]), so that every line logged
/// while it runs says which operation of which centre it belongs to.
pub fn request_span<B>(req: &http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %crate::http::loggable_path(req.uri().path()),
        operation = tracing::field::Empty,
        centre = tracing::field::Empty,
    )
}

/// Records the GraphQL operation on the current request span: its name
/// when the caller gave one, else the first root field. Only a GraphQL
/// name is recorded (letters, digits, `_`, at most 64), never the query
/// text or variables.
pub fn record_operation(name: Option<&str>) {
    let name = name.filter(|n| is_graphql_name(n)).unwrap_or("-");
    tracing::Span::current().record("operation", name);
}

/// Records the caller's centre on the current request span.
pub fn record_centre(centre: integra_kernel::CentreId) {
    tracing::Span::current().record("centre", tracing::field::display(centre));
}

fn is_graphql_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 64
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with(|c: char| c.is_ascii_digit())
}

/// The name a request's operation goes by in the log: the operation name,
/// else the first root field of the operation that runs.
pub fn operation_name(
    doc: &async_graphql::parser::types::ExecutableDocument,
    requested: Option<&str>,
) -> Option<String> {
    use async_graphql::parser::types::{DocumentOperations, Selection};
    if let Some(n) = requested {
        return Some(n.to_owned());
    }
    let op = match &doc.operations {
        DocumentOperations::Single(op) => op,
        // Several operations need a name to run one; say the first.
        DocumentOperations::Multiple(ops) => return ops.keys().next().map(|n| n.to_string()),
    };
    op.node
        .selection_set
        .node
        .items
        .iter()
        .find_map(|s| match &s.node {
            Selection::Field(f) => Some(f.node.name.node.to_string()),
            _ => None,
        })
}

/// Logs the end of a request: at `WARN` ("slow request", with its status
/// and latency, inside the request span with its operation and centre)
/// when it took `threshold` or longer, else at `DEBUG`.
#[derive(Clone, Copy, Debug)]
pub struct SlowRequests {
    /// From this long on a request is logged as slow.
    pub threshold: std::time::Duration,
}

impl<B> tower_http::trace::OnResponse<B> for SlowRequests {
    fn on_response(
        self,
        response: &http::Response<B>,
        latency: std::time::Duration,
        span: &tracing::Span,
    ) {
        let status = response.status().as_u16();
        let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        if latency >= self.threshold {
            tracing::warn!(parent: span, status, latency_ms, "slow request");
        } else {
            tracing::debug!(parent: span, status, latency_ms, "request finished");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_graphql_names_reach_the_log() {
        assert!(is_graphql_name("ClientPage"));
        assert!(is_graphql_name("client_page_2"));
        assert!(!is_graphql_name(""));
        assert!(!is_graphql_name("2fast"));
        assert!(!is_graphql_name("Olena Kovalenko"));
        assert!(!is_graphql_name("x@example.org"));
        assert!(!is_graphql_name(&"a".repeat(65)));
    }

    #[test]
    fn an_unnamed_operation_goes_by_its_first_root_field() {
        let doc = async_graphql::parser::parse_query("{ me { id } clients { id } }").unwrap();
        assert_eq!(operation_name(&doc, None).as_deref(), Some("me"));
        let doc = async_graphql::parser::parse_query("query ClientPage { client(id: 1) { id } }")
            .unwrap();
        assert_eq!(operation_name(&doc, None).as_deref(), Some("ClientPage"));
        assert_eq!(
            operation_name(&doc, Some("Given")).as_deref(),
            Some("Given")
        );
    }
}
