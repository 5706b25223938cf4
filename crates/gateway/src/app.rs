//! Wiring: from configuration and a database to a running server.

use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use integra_clients::ClientService;
use integra_kernel::db::PoolOptions;
use integra_kernel::{Backend, Database, PlatformDb, SharedClock, SystemClock};
use integra_migrations::{Migrator, MigratorTrait};
use integra_notify::{MailAdmin, MailSignal, Mailer, Transport};
use integra_tenants::{
    AccountService, AuthConfig, AuthService, CentreService, FundingService, StaffService, seed,
};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::config::{Config, Mode, redact_url};
use crate::graphql::{Services, build_schema};
use crate::http::{AppState, router};

/// A start-up failure: one line for the operator.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartError(pub String);

/// Opens the configured database, without time limits on its
/// statements: for migrations and the other commands of an operator.
pub async fn open_database(config: &Config) -> Result<Database, StartError> {
    connect(
        config,
        PoolOptions {
            max_connections: config.database.max_connections,
            ..PoolOptions::default()
        },
    )
    .await
}

/// The pool requests are served from: every connection under the
/// configured statement, lock and idle-in-transaction limits.
pub async fn open_request_pool(config: &Config) -> Result<Database, StartError> {
    connect(
        config,
        PoolOptions {
            max_connections: config.database.max_connections,
            timeouts: config.database.timeouts,
            ..PoolOptions::default()
        },
    )
    .await
}

/// A small pool of its own for the background work (recounting the
/// indicators, whose statements over a year of a large centre may run
/// longer than a request's limit) and for `/health/ready`, so that a busy
/// request pool does not flip readiness.
pub async fn open_background_pool(config: &Config) -> Result<Database, StartError> {
    connect(
        config,
        PoolOptions {
            max_connections: BACKGROUND_CONNECTIONS,
            timeouts: integra_kernel::SessionTimeouts {
                statement: None,
                ..config.database.timeouts
            },
            ..PoolOptions::default()
        },
    )
    .await
}

/// Connections of the background pool.
const BACKGROUND_CONNECTIONS: u32 = 3;

async fn connect(config: &Config, pool: PoolOptions) -> Result<Database, StartError> {
    let url = config
        .prepared_database_url()
        .map_err(|e| StartError(e.0))?;
    Database::connect(&url, &pool).await.map_err(|e| {
        StartError(format!(
            "cannot open database {}: {e}",
            redact_url(&config.database.url)
        ))
    })
}

/// Every context's SQL functions (PostgreSQL), for `integra migrate` to
/// install: each context keeps its own in its `sql/` folder.
pub fn sql_functions() -> Vec<integra_kernel::SqlFunctions> {
    let mut all = vec![integra_clients::SQL_FUNCTIONS];
    all.extend_from_slice(integra_counselling::SQL_FUNCTIONS);
    all
}

/// Applies pending migrations, then installs the SQL functions whose text
/// changed since the last run.
pub async fn migrate(db: &Database) -> Result<usize, StartError> {
    let platform = PlatformDb::grant(db);
    let conn = platform.connection();
    let pending = Migrator::get_pending_migrations(conn)
        .await
        .map_err(|e| StartError(format!("cannot read migration state: {e}")))?
        .len();
    Migrator::up(conn, None)
        .await
        .map_err(|e| StartError(format!("migration failed: {e}")))?;
    let installed = integra_migrations::functions::install(conn, &sql_functions())
        .await
        .map_err(|e| StartError(format!("installing SQL functions failed: {e}")))?;
    for file in &installed.changed {
        tracing::info!(file, "SQL functions installed");
    }
    Ok(pending)
}

/// Number of migrations not yet applied. Reads the migration table without
/// trying to create it, so it works as the application role (which may not
/// create tables).
pub async fn pending_migrations(db: &Database) -> Result<usize, StartError> {
    let platform = PlatformDb::grant(db);
    let conn = platform.connection();
    let applied: Vec<String> = match conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    {
        Ok(rows) => rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "version").ok())
            .collect(),
        // No migration table: nothing has been applied.
        Err(_) => Vec::new(),
    };
    Ok(Migrator::migrations()
        .iter()
        .filter(|m| !applied.iter().any(|a| a == m.name()))
        .count())
}

/// On PostgreSQL: whether the connected role could bypass row-level
/// security (superuser, BYPASSRLS, owner of a table, or a member of a
/// role that owns one, which could `SET ROLE` to it).
pub async fn role_bypasses_rls(db: &Database) -> Result<Option<String>, StartError> {
    if db.backend() != Backend::Postgres {
        return Ok(None);
    }
    let row = PlatformDb::grant(db)
        .connection()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text AS name, r.rolsuper OR r.rolbypassrls AS bypass, \
             EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' \
                     AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS owns \
             FROM pg_roles r WHERE r.rolname = current_user",
        ))
        .await
        .map_err(|e| StartError(format!("cannot inspect database role: {e}")))?;
    let Some(row) = row else { return Ok(None) };
    let name: String = row.try_get("", "name").unwrap_or_default();
    let bypass: bool = row.try_get("", "bypass").unwrap_or(true);
    let owns: bool = row.try_get("", "owns").unwrap_or(true);
    Ok((bypass || owns).then_some(name))
}

/// The key of the pseudonymous person key, derived from the server secret
/// with its own label so that the secret is never used twice for different
/// purposes.
fn person_key_secret(config: &Config) -> Result<Vec<u8>, StartError> {
    derived_key(config, b"integra person key v1\0", "the person key")
}

/// A configured duration as chrono's (saturating: no setting comes near).
fn chrono_of(d: std::time::Duration) -> Duration {
    Duration::from_std(d).unwrap_or(Duration::MAX)
}

/// A key for one purpose, derived from the server secret with its label.
fn derived_key(config: &Config, label: &[u8], what: &str) -> Result<Vec<u8>, StartError> {
    use sha2::Digest as _;
    let secret = config
        .secret()
        .ok_or_else(|| StartError(format!("INTEGRA_SECRET_KEY: is not set ({what} needs it)")))?;
    let mut h = sha2::Sha256::new();
    h.update(label);
    h.update(secret.as_bytes());
    Ok(h.finalize().to_vec())
}

/// Every context that keeps rows about clients, for the client registry
/// to tell of merges and anonymisations: each moves and erases its own.
pub fn client_links() -> integra_kernel::ClientLinkSet {
    Arc::from(vec![
        Arc::new(integra_counselling::client_links::CounsellingClientLinks)
            as Arc<dyn integra_kernel::ClientLinks>,
        Arc::new(integra_courses::client_links::CoursesClientLinks),
        Arc::new(integra_events::client_links::EventsClientLinks),
        Arc::new(integra_notify::client_links::OutboxClientLinks),
        Arc::new(integra_reporting::client_links::FeedbackClientLinks),
    ])
}

/// The client registry with the server's person-key secret.
pub fn client_service(
    db: &Database,
    config: &Config,
    clock: SharedClock,
) -> Result<ClientService, StartError> {
    ClientService::new(
        db.clone(),
        clock,
        &person_key_secret(config)?,
        client_links(),
    )
    .map_err(|e| StartError(format!("cannot start the client registry: {e}")))
}

/// Builds the HTTP state for a database.
pub async fn build_state(
    db: Database,
    config: &Config,
    clock: SharedClock,
) -> Result<AppState, StartError> {
    let auth_config = AuthConfig {
        idle_timeout: chrono_of(config.session.idle),
        absolute_timeout: chrono_of(config.session.absolute),
        cache_ttl: chrono_of(config.session.cache),
        ..AuthConfig::default()
    };
    // The composition root: the one place the platform's doors are handed
    // out, to the services whose work includes a platform path.
    let platform = PlatformDb::grant(&db);
    let auth = AuthService::new(platform.clone(), clock.clone(), auth_config);
    let secure_cookies = config.server.mode == Mode::Production;
    let signal = MailSignal::new();
    let mailer = Mailer::new(
        platform.clone(),
        clock.clone(),
        config.mail_transport().map_err(|e| StartError(e.0))?,
        config.delivery().map_err(|e| StartError(e.0))?,
        signal.clone(),
    );
    let courses = integra_courses::CourseService::new(platform.clone(), clock.clone())
        .with_mail(signal.clone())
        .with_public_url(&config.server.public_url);
    let services = Services {
        accounts: AccountService::new(
            platform.clone(),
            clock.clone(),
            auth.clone(),
            signal.clone(),
            &config.server.public_url,
        ),
        mail: MailAdmin::new(db.clone(), signal.clone()),
        events: integra_events::EventService::new(
            platform.clone(),
            clock.clone(),
            signal.clone(),
            &config.server.public_url,
            &derived_key(config, b"integra event links v1\0", "event cancel links")?,
        )
        .with_limits(integra_events::RegistrationLimits {
            per_address_per_hour: config.registration.per_address,
            per_email_per_hour: config.registration.per_email,
        }),
        auth: auth.clone(),
        centres: CentreService::new(platform.clone(), clock.clone()),
        staff: StaffService::new(db.clone()),
        funding: FundingService::new(db.clone(), clock.clone()),
        clients: client_service(&db, config, clock.clone())?,
        counselling: integra_counselling::CounsellingService::new(db.clone(), clock.clone())
            .with_mail(signal.clone()),
        courses: courses.clone(),
        reporting: integra_reporting::ReportingService::new(platform.clone(), clock.clone()),
        feedback: integra_reporting::feedback::FeedbackService::new(
            platform.clone(),
            clock.clone(),
            courses.clone(),
            signal.clone(),
            &config.server.public_url,
        ),
        secure_cookies,
        clock: clock.clone(),
    };
    let reporting = services.reporting.clone();
    let events = services.events.clone();
    Ok(AppState {
        events,
        schema: build_schema(Some(services), config.server.mode == Mode::Dev),
        courses,
        reporting,
        health: db.clone(),
        request_timeout: config.server.request_timeout,
        slow_request: config.server.slow_request,
        db,
        auth,
        graphiql: config.server.mode == Mode::Dev,
        secure_cookies,
        mailer,
        web_dir: web_dir(&config.web.dir),
        documents: crate::documents::DocumentCache::default(),
        trusted_proxies: config.server.trusted_proxies.clone(),
    })
}

/// The web app's folder if it holds a built app; otherwise says how to
/// build it (the API works either way).
fn web_dir(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    if dir.join("index.html").is_file() {
        Some(dir.to_path_buf())
    } else {
        tracing::warn!(
            web_dir = %dir.display(),
            "no built web app (index.html) in the web folder; run `npm --prefix frontend run build`"
        );
        None
    }
}

/// Refuses the starts that would open Integra wider than meant: dev mode
/// (demo sign-ins with a published password, GraphiQL, cookies without
/// `Secure`) anywhere but a loopback address on the embedded SQLite unless
/// `explicit_dev` (`--dev`), and production on SQLite, where tenant
/// isolation rests on the application code alone.
pub fn fail_closed(config: &Config, explicit_dev: bool) -> Result<(), StartError> {
    let safe_for_dev = config.server.bind.ip().is_loopback() && config.is_sqlite();
    match config.server.mode {
        Mode::Production if config.is_sqlite() => Err(StartError(
            "INTEGRA_DATABASE_URL: production mode needs PostgreSQL; on SQLite there is no \
             row-level security and tenant isolation would rest on the code alone"
                .into(),
        )),
        Mode::Dev if !explicit_dev && !safe_for_dev => Err(StartError(format!(
            "INTEGRA_MODE: dev mode (demo sign-ins, GraphiQL, cookies without Secure) runs only \
                 on a loopback address with the embedded SQLite, not on {} with {}; set \
                 INTEGRA_MODE=production, or start with `serve --dev` to run dev mode here anyway",
            config.server.bind,
            if config.is_sqlite() {
                "SQLite"
            } else {
                "PostgreSQL"
            }
        ))),
        _ => Ok(()),
    }
}

/// `integra seed` in production mode: refused, the demo sign-ins have a
/// published password.
pub fn refuse_demo_seed(config: &Config) -> Result<(), StartError> {
    if config.server.mode == Mode::Production {
        return Err(StartError(
            "seed: refused in production mode: the demo sign-ins have a published password \
             (invite people instead)"
                .into(),
        ));
    }
    Ok(())
}

/// `integra serve`.
#[allow(
    clippy::print_stdout,
    reason = "the server prints its address and demo sign-ins for the person who started it"
)]
pub async fn serve(
    mut config: Config,
    migrate_flag: bool,
    explicit_dev: bool,
) -> Result<(), StartError> {
    let started = Instant::now();
    fail_closed(&config, explicit_dev)?;
    config.ensure_secret().map_err(|e| StartError(e.0))?;
    let clock: SharedClock = Arc::new(SystemClock);
    if config.server.mode == Mode::Dev || migrate_flag {
        // Migrations run without the requests' statement limit.
        let owner = open_database(&config).await?;
        let applied = migrate(&owner).await?;
        drop(owner);
        if applied > 0 {
            tracing::info!(applied, "database migrated");
        }
    }
    let db = open_request_pool(&config).await?;
    if config.server.mode != Mode::Dev && !migrate_flag {
        let pending = pending_migrations(&db).await?;
        if pending > 0 {
            return Err(StartError(format!(
                "the database schema is {pending} migration(s) behind: run `integra migrate` (or start with --migrate)"
            )));
        }
    }
    if let Some(role) = role_bypasses_rls(&db).await? {
        let msg = format!(
            "database role '{role}' can bypass row-level security; connect as '{}' (see deploy/README.md)",
            integra_migrations::APP_ROLE
        );
        if config.server.mode == Mode::Production {
            return Err(StartError(msg));
        }
        tracing::warn!("{msg}");
    }
    let mut seeded = false;
    if config.server.mode == Mode::Dev
        && !seed::has_centres(&PlatformDb::grant(&db))
            .await
            .map_err(|e| StartError(format!("cannot read centres: {e}")))?
    {
        seed::demo(&PlatformDb::grant(&db), &clock)
            .await
            .map_err(|e| StartError(format!("demo seed failed: {e}")))?;
        seeded = true;
    }
    let background = open_background_pool(&config).await?;
    let mut state = build_state(db, &config, clock.clone()).await?;
    state.health = background.clone();
    let listener = tokio::net::TcpListener::bind(config.server.bind)
        .await
        .map_err(|e| StartError(format!("cannot listen on {}: {e}", config.server.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError(format!("cannot read the listening address: {e}")))?;
    tracing::info!(%addr, elapsed_ms = started.elapsed().as_millis() as u64, "ready");
    let mail_note = match state.mailer.transport() {
        Transport::Files { dir, .. } => format!(
            "no SMTP server configured (INTEGRA_SMTP_URL): emails are written as .eml files to {}",
            dir.display()
        ),
        Transport::Smtp(_) => "emails go to the configured SMTP server".to_owned(),
    };
    tracing::info!("{mail_note}");
    if config.server.mode == Mode::Dev {
        println!("Integra is running at http://{addr}/");
        println!("  Email: {mail_note}");
        println!("  GraphQL: POST http://{addr}/graphql   GraphiQL: http://{addr}/graphiql");
        if seeded {
            println!("  Demo data seeded.");
        }
        println!("  Demo sign-ins (password '{}'):", seed::DEMO_PASSWORD);
        for login in seed::DEMO_LOGINS {
            println!(
                "    {:<32} {}{}",
                login.email,
                login.role,
                login.centre.map(|c| format!(" ({c})")).unwrap_or_default()
            );
        }
    }
    let purge = tokio::spawn(housekeeping(
        state.auth.clone(),
        state.events.clone(),
        CentreService::new(PlatformDb::grant(&state.db), clock.clone()),
        config.registration.retention_days,
    ));
    let mail = tokio::spawn(state.mailer.clone().run());
    let indicators = tokio::spawn(
        integra_reporting::ReportingService::new(PlatformDb::grant(&background), clock)
            .run(config.reporting.refresh),
    );
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stopping.send(());
    });
    let deadline = config.server.shutdown;
    tokio::select! {
        served = server => served.map_err(|e| StartError(format!("server error: {e}")))?,
        () = async move {
            if stopped.await.is_ok() {
                tokio::time::sleep(deadline).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => {
            tracing::warn!(
                deadline_seconds = deadline.as_secs(),
                "requests still running at the shutdown deadline were cut off"
            );
        }
    }
    purge.abort();
    mail.abort();
    indicators.abort();
    tracing::info!("stopped");
    Ok(())
}

/// Every 10 minutes, for as long as the server runs: removes expired
/// sessions and spent throttling counts, deletes event registrations that
/// were never confirmed in time, and purges the details of event
/// registrants who are not clients once their event ended more than
/// `retention_days` ago (`None`: kept).
async fn housekeeping(
    auth: AuthService,
    events: integra_events::EventService,
    centres: CentreService,
    retention_days: Option<u32>,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match auth.purge_expired().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
        }
        let ids = match centres.unscoped_centre_ids().await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(error = %e, "listing centres for housekeeping failed");
                continue;
            }
        };
        let now = chrono::Utc::now();
        if let Err(e) = events.unscoped_drop_lapsed(&ids, now).await {
            tracing::warn!(error = %e, "removing lapsed event registrations failed");
        }
        if let Some(days) = retention_days {
            let before = now - Duration::days(i64::from(days));
            if let Err(e) = events.unscoped_purge_registrations(&ids, before).await {
                tracing::warn!(error = %e, "purging old event registrations failed");
            }
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
