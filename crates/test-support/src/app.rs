//! The real router on a loopback port, and a GraphQL client.

use std::net::SocketAddr;
use std::sync::Arc;

use integra_gateway::config::{Config, Mode};
use integra_kernel::{Database, SharedClock, SystemClock};
use serde_json::{Value, json};

use crate::Engine;

/// A running Integra on a test database.
pub struct TestApp {
    /// Base URL, e.g. `http://127.0.0.1:43210`.
    pub base: String,
    /// The engine.
    pub engine: Engine,
    /// The app's database handle (as the app role on PostgreSQL).
    pub db: Database,
    /// The platform's doors on the same handle, for tests that read or
    /// arrange what no signed-in actor could.
    pub platform: integra_kernel::PlatformDb,
    /// PostgreSQL database name (for owner connections in catalog tests).
    pub pg_name: Option<String>,
    /// The app's email worker (its task can be stopped and started to play
    /// a process that dies and comes back).
    pub mailer: integra_notify::Mailer,
    /// The app's indicators (tests refresh them when they choose, instead
    /// of waiting for the worker `serve` runs).
    pub reporting: integra_reporting::ReportingService,
    /// Folder of `.eml` files when no SMTP server is configured.
    pub data_dir: tempfile::TempDir,
    config: Config,
    _sqlite: Option<crate::sqlite::SqliteTestDb>,
    server: tokio::task::JoinHandle<()>,
    mail_task: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        self.stop_mail_worker();
    }
}

/// How a test app sends email.
#[derive(Clone, Copy, Debug)]
pub struct MailSetup {
    /// SMTP port on 127.0.0.1; `None` writes `.eml` files.
    pub smtp_port: Option<u16>,
    /// Seconds a claimed email is left alone (a "dead process's" claim).
    pub lease_seconds: u64,
    /// Seconds before the first retry.
    pub retry_seconds: u64,
    /// Attempts before an email fails.
    pub max_attempts: i32,
}

impl Default for MailSetup {
    fn default() -> Self {
        Self {
            smtp_port: None,
            lease_seconds: 60,
            retry_seconds: 1,
            max_attempts: 8,
        }
    }
}

/// Server logs go to the test output when `INTEGRA_TEST_LOG` is set
/// (a tracing filter such as `warn` or `integra=debug`).
fn init_logs() {
    if let Ok(filter) = std::env::var("INTEGRA_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    }
}

/// The server secret of test apps (fixed, so person keys are comparable).
pub const TEST_SECRET: &str = "integra-test-secret-integra-test-secret";

impl TestApp {
    /// Starts an app in dev mode on a fresh, demo-seeded database.
    pub async fn start(engine: Engine) -> Self {
        Self::start_with(engine, Mode::Dev).await
    }

    /// Starts an app in the given mode.
    pub async fn start_with(engine: Engine, mode: Mode) -> Self {
        Self::start_full(engine, mode, MailSetup::default()).await
    }

    /// Starts an app in dev mode that sends email to the SMTP server on
    /// 127.0.0.1:`port` (the other mail settings as [`MailSetup::default`]).
    pub async fn start_with_smtp(engine: Engine, port: u16) -> Self {
        Self::start_with_mail(
            engine,
            MailSetup {
                smtp_port: Some(port),
                ..MailSetup::default()
            },
        )
        .await
    }

    /// Starts an app in dev mode that sends email as `mail` says.
    pub async fn start_with_mail(engine: Engine, mail: MailSetup) -> Self {
        Self::start_full(engine, Mode::Dev, mail).await
    }

    async fn start_full(engine: Engine, mode: Mode, mail: MailSetup) -> Self {
        Self::start_tuned(engine, mode, mail, |_| {}).await
    }

    /// Starts an app after `tune` has changed its configuration (e.g. to
    /// raise the public registration limits for a load test).
    pub async fn start_tuned(
        engine: Engine,
        mode: Mode,
        mail: MailSetup,
        tune: impl FnOnce(&mut Config),
    ) -> Self {
        init_logs();
        let (db, pg_name, sqlite) = match engine {
            Engine::Sqlite => {
                let s = crate::sqlite::fresh_db().await;
                (s.db.clone(), None, Some(s))
            }
            Engine::Postgres => {
                let p = crate::pg::fresh_db().await;
                (p.db, Some(p.name), None)
            }
        };
        let mut config = Config::load_from(None, |_| None).expect("default config");
        config.server.mode = mode;
        config.server.secret_key = Some(TEST_SECRET.to_owned().into());
        let data_dir = tempfile::tempdir().expect("data dir");
        config.server.data_dir = data_dir.path().to_owned();
        config.mail.smtp_url = mail
            .smtp_port
            .map(|p| format!("smtp://127.0.0.1:{p}").into());
        config.mail.poll = std::time::Duration::from_millis(100);
        config.mail.lease = std::time::Duration::from_secs(mail.lease_seconds);
        config.mail.retry = std::time::Duration::from_secs(mail.retry_seconds);
        config.mail.max_attempts = mail.max_attempts;
        config.server.public_url = "https://integra.test".to_owned();
        tune(&mut config);
        let clock: SharedClock = Arc::new(SystemClock);
        let state = integra_gateway::app::build_state(db.clone(), &config, clock)
            .await
            .expect("app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mailer = state.mailer.clone();
        let reporting = state.reporting.clone();
        let router = integra_gateway::http::router(state);
        let server = tokio::spawn(async move {
            let _ = axum_serve(listener, router).await;
        });
        let app = Self {
            base: format!("http://{addr}"),
            engine,
            platform: integra_kernel::PlatformDb::grant(&db),
            db,
            pg_name,
            mailer,
            reporting,
            data_dir,
            config,
            _sqlite: sqlite,
            server,
            mail_task: std::sync::Mutex::new(None),
        };
        app.start_mail_worker();
        app
    }

    /// Starts the email worker (as `integra serve` does) with connections
    /// of its own, like a freshly started process.
    pub fn start_mail_worker(&self) {
        let mut task = self.mail_task.lock().unwrap();
        if task.is_none() {
            let transport = self.config.mail_transport().expect("mail transport");
            *task = Some(tokio::spawn(self.mailer.with_transport(transport).run()));
        }
    }

    /// Stops the email worker where it stands, like a killed process:
    /// whatever it had not committed is lost.
    pub fn stop_mail_worker(&self) {
        if let Some(t) = self
            .mail_task
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            t.abort();
        }
    }

    /// The `.eml` files written so far (no SMTP server configured).
    pub fn mail_files(&self) -> Vec<String> {
        let dir = self.data_dir.path().join("mail");
        let mut out: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// A new client (its own cookie jar) that sends the CSRF header.
    pub fn client(&self) -> Gql {
        Gql::new(&self.base, true)
    }

    /// A client whose connections come from `local` (any 127.x.y.z works
    /// on Linux loopback), so per-address limits can be tested.
    pub fn client_from(&self, local: std::net::IpAddr) -> Gql {
        Gql {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .local_address(local)
                .build()
                .expect("http client"),
            base: self.base.clone(),
            csrf: true,
        }
    }

    /// A client whose requests carry `X-Forwarded-For: forwarded_for`, as
    /// a reverse proxy in front of Integra would send them.
    pub fn client_behind_proxy(&self, forwarded_for: &str) -> Gql {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            forwarded_for.parse().expect("header value"),
        );
        Gql {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .default_headers(headers)
                .build()
                .expect("http client"),
            base: self.base.clone(),
            csrf: true,
        }
    }

    /// A client signed in as `email` with the demo password.
    pub async fn signed_in(&self, email: &str) -> Gql {
        self.signed_in_as(email, integra_tenants::seed::DEMO_PASSWORD)
            .await
    }

    /// A client signed in with the given password.
    pub async fn signed_in_as(&self, email: &str, password: &str) -> Gql {
        let c = self.client();
        let r = c.sign_in(email, password).await;
        assert!(
            r.errors().is_empty(),
            "sign-in of {email} failed: {}",
            r.body
        );
        c
    }
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

/// A GraphQL response.
#[derive(Debug, Clone)]
pub struct GqlResponse {
    /// HTTP status.
    pub status: u16,
    /// Parsed body (`Null` if it was not JSON).
    pub body: Value,
    /// `Set-Cookie` headers received.
    pub set_cookies: Vec<String>,
}

impl GqlResponse {
    /// `data` of the response.
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// The errors, possibly empty.
    pub fn errors(&self) -> Vec<Value> {
        self.body["errors"].as_array().cloned().unwrap_or_default()
    }

    /// The first error's `extensions.code`.
    pub fn code(&self) -> Option<String> {
        self.errors()
            .first()
            .and_then(|e| e["extensions"]["code"].as_str().map(str::to_owned))
    }

    /// Panics unless the response has data and no errors; returns the data.
    pub fn ok(&self) -> &Value {
        assert!(
            self.status == 200 && self.errors().is_empty(),
            "expected success, got {}: {}",
            self.status,
            self.body
        );
        self.data()
    }
}

/// A GraphQL client with a cookie jar.
#[derive(Clone)]
pub struct Gql {
    /// The underlying HTTP client.
    pub http: reqwest::Client,
    /// Base URL.
    pub base: String,
    csrf: bool,
}

impl Gql {
    /// A client; `csrf` decides whether it sends `x-integra-csrf`.
    pub fn new(base: &str, csrf: bool) -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("http client"),
            base: base.to_owned(),
            csrf,
        }
    }

    /// Posts a query with variables.
    pub async fn query(&self, query: &str, variables: Value) -> GqlResponse {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({"query": query, "variables": variables}));
        if self.csrf {
            req = req.header("x-integra-csrf", "1");
        }
        Self::read(req.send().await.expect("request")).await
    }

    /// Reads a response.
    pub async fn read(resp: reqwest::Response) -> GqlResponse {
        let status = resp.status().as_u16();
        let set_cookies = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let text = resp.text().await.unwrap_or_default();
        GqlResponse {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            set_cookies,
        }
    }

    /// `signIn`.
    pub async fn sign_in(&self, email: &str, password: &str) -> GqlResponse {
        self.query(
            "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email roles centre { id name region } } }",
            json!({"e": email, "p": password}),
        )
        .await
    }
}
