//! From the layered text to the typed tree: each setting parsed and checked
//! once, a bad one refused with a line naming it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::raw::Raw;
use super::{
    Config, ConfigError, DatabaseConfig, LogConfig, LogFormat, MailConfig, Mode,
    RegistrationConfig, ReportingConfig, ServerConfig, SessionConfig, WebConfig, redact_url,
};

/// Builds the configuration from `raw`.
pub(super) fn build(raw: &Raw) -> Result<Config, ConfigError> {
    let server = server(raw)?;
    let log = log(raw, server.mode)?;
    Ok(Config {
        database: database(raw)?,
        session: session(raw)?,
        mail: mail(raw)?,
        registration: registration(raw)?,
        reporting: ReportingConfig {
            refresh: seconds(raw, "reporting.refresh_seconds", 1, 3_600)?,
        },
        web: WebConfig {
            dir: folder(raw, "web.dir")?,
        },
        server,
        log,
    })
}

fn seconds(raw: &Raw, path: &'static str, min: i64, max: i64) -> Result<Duration, ConfigError> {
    Ok(Duration::from_secs(raw.number(path, min, max)?))
}

fn millis(raw: &Raw, path: &'static str, min: i64, max: i64) -> Result<Duration, ConfigError> {
    Ok(Duration::from_millis(raw.number(path, min, max)?))
}

fn folder(raw: &Raw, path: &'static str) -> Result<PathBuf, ConfigError> {
    Ok(PathBuf::from(
        raw.checked(path, "a folder path", &|v| !v.is_empty())?,
    ))
}

fn server(raw: &Raw) -> Result<ServerConfig, ConfigError> {
    let mode = match raw
        .checked(
            "server.mode",
            "a mode (expected 'dev' or 'production')",
            &|v| matches!(v, "dev" | "production"),
        )?
        .as_str()
    {
        "production" => Mode::Production,
        _ => Mode::Dev,
    };
    let what = "a socket address (expected HOST:PORT, e.g. 127.0.0.1:8080)";
    let text = raw.checked("server.bind", what, &|v| v.parse::<SocketAddr>().is_ok())?;
    let bind: SocketAddr = text
        .parse()
        .map_err(|_| raw.invalid("server.bind", &text, what))?;
    let public_url = match raw.get("server.public_url") {
        None => format!("http://{bind}"),
        Some(_) => raw
            .checked(
                "server.public_url",
                "a web address (expected http://HOST or https://HOST)",
                &|v| {
                    (v.starts_with("http://") || v.starts_with("https://"))
                        && !v.contains(char::is_whitespace)
                },
            )?
            .trim_end_matches('/')
            .to_owned(),
    };
    let secret_key = match raw.get("server.secret_key") {
        Some(v) if v.trim().chars().count() < 32 => {
            return Err(ConfigError(format!(
                "{}: must be at least 32 characters long",
                raw.name("server.secret_key")
            )));
        }
        Some(v) => Some(v.trim().to_owned().into()),
        None if mode == Mode::Production => {
            return Err(ConfigError(
                "INTEGRA_SECRET_KEY: is required in production mode (at least 32 random characters)"
                    .into(),
            ));
        }
        None => None,
    };
    let trusted_proxies = match raw.get("server.trusted_proxies") {
        None => Default::default(),
        Some(v) => crate::client_address::TrustedProxies::parse(v)
            .map_err(|e| ConfigError(format!("{}: {e}", raw.name("server.trusted_proxies"))))?,
    };
    Ok(ServerConfig {
        mode,
        bind,
        public_url,
        data_dir: folder(raw, "server.data_dir")?,
        secret_key,
        trusted_proxies,
        request_timeout: seconds(raw, "server.request_timeout_seconds", 1, 3_600)?,
        slow_request: millis(raw, "server.slow_request_ms", 0, 3_600_000)?,
        shutdown: seconds(raw, "server.shutdown_seconds", 1, 3_600)?,
    })
}

fn database(raw: &Raw) -> Result<DatabaseConfig, ConfigError> {
    let url = raw.checked(
        "database.url",
        "a database URL (expected sqlite://PATH or postgres://USER@HOST/DB)",
        &|v| {
            v.starts_with("sqlite:")
                || v.starts_with("postgres://")
                || v.starts_with("postgresql://")
        },
    )?;
    // A limit of 0 is none.
    let limit = |path| -> Result<Option<Duration>, ConfigError> {
        let d = seconds(raw, path, 0, 86_400)?;
        Ok((!d.is_zero()).then_some(d))
    };
    Ok(DatabaseConfig {
        url,
        max_connections: raw.number("database.max_connections", 1, 1000)?,
        timeouts: integra_kernel::SessionTimeouts {
            statement: limit("database.statement_timeout_seconds")?,
            lock: limit("database.lock_timeout_seconds")?,
            idle_in_transaction: limit("database.idle_in_transaction_seconds")?,
        },
    })
}

fn session(raw: &Raw) -> Result<SessionConfig, ConfigError> {
    let minutes: u64 = raw.number("session.idle_minutes", 1, 60 * 24 * 30)?;
    let hours: u64 = raw.number("session.absolute_hours", 1, 24 * 90)?;
    Ok(SessionConfig {
        idle: Duration::from_secs(minutes * 60),
        absolute: Duration::from_secs(hours * 3_600),
        cache: seconds(raw, "session.cache_seconds", 0, 60)?,
    })
}

fn mail(raw: &Raw) -> Result<MailConfig, ConfigError> {
    let smtp_url = match raw.get("mail.smtp_url") {
        Some(v) if v.trim().is_empty() => None,
        None => None,
        Some(v) if !(v.starts_with("smtp://") || v.starts_with("smtps://")) => {
            return Err(raw.invalid(
                "mail.smtp_url",
                &redact_url(v),
                "an SMTP URL (expected smtp://HOST:PORT or smtps://USER:PASSWORD@HOST:PORT)",
            ));
        }
        Some(v) => Some(v.trim().to_owned().into()),
    };
    Ok(MailConfig {
        smtp_url,
        from: raw.checked(
            "mail.from",
            "a sender address (expected e.g. 'Integra <integra@example.cz>')",
            &|v| integra_notify::parse_sender(v).is_ok(),
        )?,
        max_attempts: raw.number("mail.max_attempts", 1, 100)?,
        retry: seconds(raw, "mail.retry_seconds", 1, 86_400)?,
        lease: seconds(raw, "mail.lease_seconds", 1, 86_400)?,
        poll: millis(raw, "mail.poll_ms", 10, 600_000)?,
        connections: raw.number("mail.connections", 1, 256)?,
    })
}

fn registration(raw: &Raw) -> Result<RegistrationConfig, ConfigError> {
    let days: u32 = raw.number("registration.retention_days", 0, 3_650)?;
    Ok(RegistrationConfig {
        per_address: raw.number("registration.per_address", 0, 1_000_000_000)?,
        per_email: raw.number("registration.per_email", 0, 1_000_000_000)?,
        retention_days: (days > 0).then_some(days),
    })
}

fn log(raw: &Raw, mode: Mode) -> Result<LogConfig, ConfigError> {
    let filter = raw.checked(
        "log.filter",
        "a log filter (e.g. 'info' or 'info,integra=debug')",
        &|v| tracing_subscriber::EnvFilter::try_new(v).is_ok(),
    )?;
    let format = match raw.get("log.format") {
        None => match mode {
            Mode::Dev => LogFormat::Pretty,
            Mode::Production => LogFormat::Json,
        },
        Some(_) => match raw
            .checked(
                "log.format",
                "a log format (expected 'pretty' or 'json')",
                &|v| matches!(v, "pretty" | "json"),
            )?
            .as_str()
        {
            "json" => LogFormat::Json,
            _ => LogFormat::Pretty,
        },
    };
    Ok(LogConfig { filter, format })
}
