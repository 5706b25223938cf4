//! Every setting once: where it sits in the tree (its TOML key), its
//! environment variable and its default. The loader, the error lines and
//! the README's configuration table (checked by a test) all read this list.

/// One setting.
#[derive(Debug)]
pub struct Setting {
    /// `section.key`, as written in the TOML file.
    pub path: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// The default as text; `None` when there is none or it depends on
    /// other settings.
    pub default: Option<&'static str>,
}

const fn s(path: &'static str, env: &'static str, default: Option<&'static str>) -> Setting {
    Setting { path, env, default }
}

/// Every setting, by section.
pub const SETTINGS: &[Setting] = &[
    s("server.mode", "INTEGRA_MODE", Some("dev")),
    s("server.bind", "INTEGRA_BIND", Some("127.0.0.1:8080")),
    s("server.public_url", "INTEGRA_PUBLIC_URL", None),
    s("server.data_dir", "INTEGRA_DATA_DIR", Some("./data")),
    s("server.secret_key", "INTEGRA_SECRET_KEY", None),
    s("server.trusted_proxies", "INTEGRA_TRUSTED_PROXIES", None),
    s(
        "server.request_timeout_seconds",
        "INTEGRA_REQUEST_TIMEOUT_SECONDS",
        Some("60"),
    ),
    s(
        "server.slow_request_ms",
        "INTEGRA_SLOW_REQUEST_MS",
        Some("1000"),
    ),
    s(
        "server.shutdown_seconds",
        "INTEGRA_SHUTDOWN_SECONDS",
        Some("30"),
    ),
    s(
        "database.url",
        "INTEGRA_DATABASE_URL",
        Some("sqlite://./data/integra.sqlite3"),
    ),
    s(
        "database.max_connections",
        "INTEGRA_DB_MAX_CONNECTIONS",
        Some("16"),
    ),
    s(
        "database.statement_timeout_seconds",
        "INTEGRA_DB_STATEMENT_TIMEOUT_SECONDS",
        Some("30"),
    ),
    s(
        "database.lock_timeout_seconds",
        "INTEGRA_DB_LOCK_TIMEOUT_SECONDS",
        Some("10"),
    ),
    s(
        "database.idle_in_transaction_seconds",
        "INTEGRA_DB_IDLE_IN_TRANSACTION_SECONDS",
        Some("60"),
    ),
    s(
        "session.idle_minutes",
        "INTEGRA_SESSION_IDLE_MINUTES",
        Some("480"),
    ),
    s(
        "session.absolute_hours",
        "INTEGRA_SESSION_ABSOLUTE_HOURS",
        Some("72"),
    ),
    s(
        "session.cache_seconds",
        "INTEGRA_SESSION_CACHE_SECONDS",
        Some("5"),
    ),
    s("mail.smtp_url", "INTEGRA_SMTP_URL", None),
    s(
        "mail.from",
        "INTEGRA_MAIL_FROM",
        Some("Integra <integra@localhost>"),
    ),
    s("mail.max_attempts", "INTEGRA_MAIL_MAX_ATTEMPTS", Some("8")),
    s(
        "mail.retry_seconds",
        "INTEGRA_MAIL_RETRY_SECONDS",
        Some("30"),
    ),
    s(
        "mail.lease_seconds",
        "INTEGRA_MAIL_LEASE_SECONDS",
        Some("300"),
    ),
    s("mail.poll_ms", "INTEGRA_MAIL_POLL_MS", Some("1000")),
    s("mail.connections", "INTEGRA_MAIL_CONNECTIONS", Some("16")),
    s(
        "registration.per_address",
        "INTEGRA_REGISTRATIONS_PER_ADDRESS",
        Some("60"),
    ),
    s(
        "registration.per_email",
        "INTEGRA_REGISTRATIONS_PER_EMAIL",
        Some("5"),
    ),
    s(
        "registration.retention_days",
        "INTEGRA_REGISTRATION_RETENTION_DAYS",
        Some("365"),
    ),
    s(
        "reporting.refresh_seconds",
        "INTEGRA_REPORTING_REFRESH_SECONDS",
        Some("15"),
    ),
    s("log.filter", "INTEGRA_LOG", Some("info")),
    s("log.format", "INTEGRA_LOG_FORMAT", None),
    s("web.dir", "INTEGRA_WEB_DIR", Some("./frontend/dist")),
];

/// The setting at `path`.
pub fn by_path(path: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.path == path)
}
