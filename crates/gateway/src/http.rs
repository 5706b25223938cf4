//! The HTTP surface: `/graphql` with its transport rules, health checks,
//! request ids and tracing.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use integra_kernel::Database;
use integra_tenants::AuthService;
use serde_json::json;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::client_address::TrustedProxies;
use crate::documents::{DocumentCache, mutates};
use crate::graphql::{IntegraSchema, RequestAuth, finish_errors};
use crate::guard::{self, RequestLimits};
use crate::session_cookie;

/// Shared state of the HTTP handlers.
#[derive(Clone)]
pub struct AppState {
    /// The schema with its services.
    pub schema: IntegraSchema,
    /// Database (health checks).
    pub db: Database,
    /// Session lookup.
    pub auth: AuthService,
    /// Whether GraphiQL is served (dev mode).
    pub graphiql: bool,
    /// Whether cookies are `Secure`.
    pub secure_cookies: bool,
    /// The email delivery worker (spawned by `serve`).
    pub mailer: integra_notify::Mailer,
    /// Courses (the calendar feeds served without a session).
    pub courses: integra_courses::CourseService,
    /// Events (the housekeeping purges old registrations).
    pub events: integra_events::EventService,
    /// Indicators (the refresh worker, spawned by `serve`).
    pub reporting: integra_reporting::ReportingService,
    /// The built web app (a folder with `index.html`), if there is one.
    pub web_dir: Option<PathBuf>,
    /// Parsed GraphQL documents by their text.
    pub documents: DocumentCache,
    /// Reverse proxies whose `X-Forwarded-For` names the caller.
    pub trusted_proxies: TrustedProxies,
    /// The database `/health/ready` asks: in `serve` a small pool of its
    /// own, so that a busy request pool does not flip readiness.
    pub health: Database,
    /// How long one request may take before it is answered 503.
    pub request_timeout: Duration,
    /// From how long on a request is logged as slow (`WARN`).
    pub slow_request: Duration,
}

/// Largest accepted request body: room for an uploaded spreadsheet and for
/// an oversized field to reach validation, which names it (a 10 MB name gets
/// `BAD_USER_INPUT` on `givenName`, not a bare 413).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The application router.
pub fn router(state: AppState) -> Router {
    let state = Arc::new(state);
    let mut app = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/calendar/{file}", get(calendar_feed))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready));
    if state.graphiql {
        app = app.route("/graphiql", get(graphiql));
    }
    app = app.fallback(web_app);
    let request_id = http::HeaderName::from_static("x-request-id");
    let timeout = state.request_timeout;
    let slow_request = state.slow_request;
    if state.secure_cookies {
        // Production sits behind TLS: browsers are told to come back only
        // over HTTPS (sent on plain HTTP too, where browsers ignore it).
        app = app.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    app.with_state(state)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        // axum's own 2 MB default would cut in first; this layer is the limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        // Path only in the span (a query string may carry personal data,
        // and a calendar feed's path is its secret); slow requests logged.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::request_span)
                .on_response(crate::telemetry::SlowRequests {
                    threshold: slow_request,
                }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// HSTS: two years, subdomains included.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The path as it may be logged: a calendar feed's secret replaced.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/calendar/") {
        "/calendar/{secret}.ics"
    } else {
        path
    }
}

/// `GET /calendar/{secret}.ics`: a lecturer's or room's sessions as
/// iCalendar, for calendar applications (no session; the secret is the
/// key). Unknown or revoked addresses get 404.
async fn calendar_feed(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.courses.feed(token).await {
        Ok(ics) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            ics,
        )
            .into_response(),
        Err(integra_kernel::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The policy for the web app's pages: only its own scripts, styles
/// (Mantine sets inline style attributes) and images; never framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";

/// Everything not matched above: the web app. Built files under `/assets/`
/// (content-hashed names, cached for a year); any other path gets
/// `index.html`, so the app's own addresses (`/clients/…`) load it.
async fn web_app(State(state): State<Arc<AppState>>, req: Request<axum::body::Body>) -> Response {
    if !matches!(*req.method(), http::Method::GET | http::Method::HEAD) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(dir) = &state.web_dir else {
        return (
            StatusCode::NOT_FOUND,
            Html(
                "<!doctype html><html lang=\"en\"><title>Integra</title><h1>The web app is not built</h1>\
                 <p>Run <code>npm --prefix frontend ci &amp;&amp; npm --prefix frontend run build</code> \
                 (or <code>bash scripts/run</code>) and reload. The API is at <code>/graphql</code>.</p>",
            ),
        )
            .into_response();
    };
    let asset = req.uri().path().starts_with("/assets/");
    let served = if asset {
        ServeDir::new(dir).oneshot(req).await
    } else {
        ServeDir::new(dir)
            .fallback(ServeFile::new(dir.join("index.html")))
            .oneshot(req)
            .await
    };
    let Ok(res) = served;
    let mut res = res.map(axum::body::Body::new);
    let cacheable = asset && res.status().is_success();
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if cacheable {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    res
}

async fn live() -> impl IntoResponse {
    (StatusCode::OK, axum::Json(json!({"status": "live"})))
}

async fn ready(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), state.health.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, axum::Json(json!({"status": "ready"}))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({"status": "unavailable", "reason": "database unreachable"})),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"status": "unavailable", "reason": "database timed out"})),
        ),
    }
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .header(session_cookie::CSRF_HEADER, "graphiql")
            .title("Integra GraphiQL")
            .finish(),
    )
}

/// A transport-level error in GraphQL's response shape.
fn transport_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"errors": [{"message": message, "extensions": {"code": code}}]})),
    )
        .into_response()
}

fn csrf_ok(headers: &HeaderMap, secure: bool) -> bool {
    session_cookie::token(headers, secure).is_none()
        || headers.contains_key(session_cookie::CSRF_HEADER)
}

fn csrf_refused() -> Response {
    transport_error(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        "Requests with a session cookie must carry the x-integra-csrf header.",
    )
}

/// Who sent a GraphQL request: the session its cookie holds, if any.
struct Caller {
    auth: Option<Arc<integra_tenants::Authenticated>>,
    token: Option<String>,
}

/// Resolves the session cookie before anything of the body is read, so
/// that the body limit and the query limits can depend on it (a made-up
/// cookie gets the anonymous limits).
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let token = session_cookie::token(headers, state.secure_cookies);
    let auth = match &token {
        Some(t) => state.auth.authenticate(t).await.map_err(|e| {
            tracing::error!(error = %e, "session lookup failed");
            transport_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "INTERNAL",
                "The service is temporarily unavailable.",
            )
        })?,
        None => None,
    };
    Ok(Caller { auth, token })
}

/// A request the guard refuses: `BAD_USER_INPUT` on `query`.
fn too_much(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"errors": [{
            "message": format!("query: {message}"),
            "extensions": {"code": "BAD_USER_INPUT", "field": "query"},
        }]})),
    )
        .into_response()
}

async fn graphql_post(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return transport_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_USER_INPUT",
            "Send GraphQL requests as application/json.",
        );
    }
    if !csrf_ok(&headers, state.secure_cookies) {
        return csrf_refused();
    }
    let caller = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    let limits = RequestLimits::for_caller(caller.auth.is_some());
    let Ok(body) = axum::body::to_bytes(body, limits.max_body_bytes).await else {
        return transport_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BAD_USER_INPUT",
            &format!(
                "The request is larger than {} KB{}.",
                limits.max_body_bytes / 1024,
                if caller.auth.is_some() {
                    ""
                } else {
                    " (sign in to send more)"
                }
            ),
        );
    };
    if body.trim_ascii_start().starts_with(b"[") {
        return transport_error(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "Send one GraphQL request per HTTP request; batches are not accepted.",
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return transport_error(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "The body is not a GraphQL request (expected {\"query\": …}).",
            );
        }
    };
    run(&state, request, caller, &limits, &headers, addr, false).await
}

async fn graphql_get(
    State(state): State<Arc<AppState>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return transport_error(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "Send GraphQL requests with POST as application/json.",
        );
    };
    if !csrf_ok(&headers, state.secure_cookies) {
        return csrf_refused();
    }
    let caller = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    let limits = RequestLimits::for_caller(caller.auth.is_some());
    if query.len() > limits.max_body_bytes {
        return too_much("the query string is too long");
    }
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(_) => {
            return transport_error(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "The query string is not a GraphQL request.",
            );
        }
    };
    run(&state, request, caller, &limits, &headers, addr, true).await
}

/// Checks the request against the caller's limits, gives it its parsed
/// document and runs it.
async fn run(
    state: &AppState,
    mut request: async_graphql::Request,
    caller: Caller,
    limits: &RequestLimits,
    headers: &HeaderMap,
    addr: SocketAddr,
    over_get: bool,
) -> Response {
    if let Err(message) = guard::check_text(&request.query, limits) {
        return too_much(&message);
    }
    if let Err(message) = guard::check_nul(&request.query, &request.variables) {
        return too_much(&message);
    }
    if let Some(doc) = state.documents.parse(&request.query) {
        if let Err(message) = guard::check_document(&doc, request.operation_name.as_deref(), limits)
        {
            return too_much(&message);
        }
        // Mutations change state and must not be triggerable by a link or
        // an <img>: only POST may carry them.
        if over_get && mutates(&doc) {
            return transport_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "FORBIDDEN",
                "Mutations must be sent with POST.",
            );
        }
        crate::telemetry::record_operation(
            crate::telemetry::operation_name(&doc, request.operation_name.as_deref()).as_deref(),
        );
        request.set_parsed_query(doc);
    }
    let client = state.trusted_proxies.network(addr.ip(), headers);
    execute(state, request, caller, client).await
}

async fn execute(
    state: &AppState,
    request: async_graphql::Request,
    caller: Caller,
    client: integra_kernel::ClientNetwork,
) -> Response {
    let Caller { auth, token } = caller;
    if let Some(scope) = auth.as_ref().and_then(|a| a.scope.as_ref()) {
        crate::telemetry::record_centre(scope.centre_id());
    }
    let stale_cookie = token.is_some() && auth.is_none();
    let request = request.data(RequestAuth {
        auth,
        token,
        client: Some(client),
    });
    let mut response = state.schema.execute(request).await;
    finish_errors(&mut response.errors);
    let mut out = axum::Json(&response).into_response();
    let mut has_cookie = false;
    for (name, value) in response.http_headers.iter() {
        has_cookie |= name == header::SET_COOKIE;
        out.headers_mut().append(name.clone(), value.clone());
    }
    if stale_cookie && !has_cookie {
        out.headers_mut().append(
            header::SET_COOKIE,
            session_cookie::clear(state.secure_cookies),
        );
    }
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_feeds_secret_never_reaches_the_log() {
        assert_eq!(
            loggable_path("/calendar/s3cr3t-t0ken.ics"),
            "/calendar/{secret}.ics"
        );
        assert_eq!(loggable_path("/graphql"), "/graphql");
    }
}
