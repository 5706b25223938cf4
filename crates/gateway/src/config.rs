//! Layered configuration: built-in defaults, then an optional TOML file,
//! then `INTEGRA_*` environment variables. Every bad value is reported as one
//! line naming the setting and where it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Run mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Local development: zero-config, demo data, GraphiQL, readable logs.
    Dev,
    /// Production: explicit secret, no seeding, no introspection, JSON logs.
    Production,
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// The validated configuration.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Run mode.
    pub mode: Mode,
    /// Server secret (keyed hashes, signing). Required in production; in dev
    /// generated once and kept in the data folder.
    pub secret_key: Option<String>,
    /// Folder for the embedded database, the dev secret and outgoing mail.
    pub data_dir: PathBuf,
    /// Connection pool size.
    pub db_max_connections: u32,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends.
    pub session_absolute_hours: i64,
    /// Seconds a resolved session may be served from memory (0 = off); a
    /// sign-out made through another process takes effect within this time.
    pub session_cache_seconds: i64,
    /// `tracing` filter, e.g. `info,integra=debug`.
    pub log_filter: String,
    /// Log format.
    pub log_format: LogFormat,
    /// The address people reach Integra at, for links in emails; defaults
    /// to `http://` + the bind address.
    pub public_url: String,
    /// Outgoing mail server, e.g. `smtps://user:pass@smtp.example.cz:465`;
    /// without it emails are written as `.eml` files under the data folder.
    pub smtp_url: Option<String>,
    /// The sender of every email, e.g. `Integra <integra@example.cz>`.
    pub mail_from: String,
    /// Delivery attempts before an email is marked failed.
    pub mail_max_attempts: i32,
    /// Seconds before the first retry; doubling after each failure.
    pub mail_retry_seconds: i64,
    /// Seconds a message being sent is left alone before another process
    /// may try it (longer than one SMTP exchange can take).
    pub mail_lease_seconds: i64,
    /// Milliseconds between looks for due mail when nothing wakes the
    /// worker.
    pub mail_poll_ms: i64,
    /// SMTP connections used at the same time (and emails in flight).
    pub mail_connections: i64,
    /// Public event registration attempts per client address per hour
    /// (0 = no limit).
    pub registrations_per_address: u32,
    /// Public event registrations per email address per hour (0 = no
    /// limit).
    pub registrations_per_email: u32,
    /// Seconds between recounts of the indicators a change has touched.
    pub reporting_refresh_seconds: u64,
    /// Folder of the built web app (`frontend/dist`), served at `/`.
    pub web_dir: PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` names the caller.
    pub trusted_proxies: crate::client_address::TrustedProxies,
    /// Seconds one HTTP request may take before it is answered 503.
    pub request_timeout_seconds: u64,
    /// Milliseconds from which a request is logged as slow (`WARN`, with
    /// its operation and centre).
    pub slow_request_ms: u64,
    /// PostgreSQL limits of the request pool's connections (0 = none).
    pub db_timeouts: integra_kernel::SessionTimeouts,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_seconds: u64,
    /// Days after an event's end when the details of registrants who are
    /// not clients are purged (0 = kept).
    pub registration_retention_days: i64,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("mode", &self.mode)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("data_dir", &self.data_dir)
            .field("db_max_connections", &self.db_max_connections)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// A configuration problem: one line naming the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// A setting: its file key and environment variable.
struct Setting {
    key: &'static str,
    env: &'static str,
    default: Option<&'static str>,
}

const SETTINGS: [Setting; 31] = [
    Setting {
        key: "database_url",
        env: "INTEGRA_DATABASE_URL",
        default: Some("sqlite://./data/integra.sqlite3"),
    },
    Setting {
        key: "bind",
        env: "INTEGRA_BIND",
        default: Some("127.0.0.1:8080"),
    },
    Setting {
        key: "mode",
        env: "INTEGRA_MODE",
        default: Some("dev"),
    },
    Setting {
        key: "secret_key",
        env: "INTEGRA_SECRET_KEY",
        default: None,
    },
    Setting {
        key: "data_dir",
        env: "INTEGRA_DATA_DIR",
        default: Some("./data"),
    },
    Setting {
        key: "db_max_connections",
        env: "INTEGRA_DB_MAX_CONNECTIONS",
        default: Some("16"),
    },
    Setting {
        key: "session_idle_minutes",
        env: "INTEGRA_SESSION_IDLE_MINUTES",
        default: Some("480"),
    },
    Setting {
        key: "session_absolute_hours",
        env: "INTEGRA_SESSION_ABSOLUTE_HOURS",
        default: Some("72"),
    },
    Setting {
        key: "session_cache_seconds",
        env: "INTEGRA_SESSION_CACHE_SECONDS",
        default: Some("5"),
    },
    Setting {
        key: "log",
        env: "INTEGRA_LOG",
        default: Some("info"),
    },
    Setting {
        key: "log_format",
        env: "INTEGRA_LOG_FORMAT",
        default: None,
    },
    Setting {
        key: "public_url",
        env: "INTEGRA_PUBLIC_URL",
        default: None,
    },
    Setting {
        key: "smtp_url",
        env: "INTEGRA_SMTP_URL",
        default: None,
    },
    Setting {
        key: "mail_from",
        env: "INTEGRA_MAIL_FROM",
        default: Some("Integra <integra@localhost>"),
    },
    Setting {
        key: "mail_max_attempts",
        env: "INTEGRA_MAIL_MAX_ATTEMPTS",
        default: Some("8"),
    },
    Setting {
        key: "mail_retry_seconds",
        env: "INTEGRA_MAIL_RETRY_SECONDS",
        default: Some("30"),
    },
    Setting {
        key: "mail_lease_seconds",
        env: "INTEGRA_MAIL_LEASE_SECONDS",
        default: Some("300"),
    },
    Setting {
        key: "mail_poll_ms",
        env: "INTEGRA_MAIL_POLL_MS",
        default: Some("1000"),
    },
    Setting {
        key: "mail_connections",
        env: "INTEGRA_MAIL_CONNECTIONS",
        default: Some("16"),
    },
    Setting {
        key: "registrations_per_address",
        env: "INTEGRA_REGISTRATIONS_PER_ADDRESS",
        default: Some("60"),
    },
    Setting {
        key: "registrations_per_email",
        env: "INTEGRA_REGISTRATIONS_PER_EMAIL",
        default: Some("5"),
    },
    Setting {
        key: "reporting_refresh_seconds",
        env: "INTEGRA_REPORTING_REFRESH_SECONDS",
        default: Some("15"),
    },
    Setting {
        key: "web_dir",
        env: "INTEGRA_WEB_DIR",
        default: Some("./frontend/dist"),
    },
    Setting {
        key: "trusted_proxies",
        env: "INTEGRA_TRUSTED_PROXIES",
        default: None,
    },
    Setting {
        key: "request_timeout_seconds",
        env: "INTEGRA_REQUEST_TIMEOUT_SECONDS",
        default: Some("60"),
    },
    Setting {
        key: "slow_request_ms",
        env: "INTEGRA_SLOW_REQUEST_MS",
        default: Some("1000"),
    },
    Setting {
        key: "db_statement_timeout_seconds",
        env: "INTEGRA_DB_STATEMENT_TIMEOUT_SECONDS",
        default: Some("30"),
    },
    Setting {
        key: "db_lock_timeout_seconds",
        env: "INTEGRA_DB_LOCK_TIMEOUT_SECONDS",
        default: Some("10"),
    },
    Setting {
        key: "db_idle_in_transaction_seconds",
        env: "INTEGRA_DB_IDLE_IN_TRANSACTION_SECONDS",
        default: Some("60"),
    },
    Setting {
        key: "shutdown_seconds",
        env: "INTEGRA_SHUTDOWN_SECONDS",
        default: Some("30"),
    },
    Setting {
        key: "registration_retention_days",
        env: "INTEGRA_REGISTRATION_RETENTION_DAYS",
        default: Some("365"),
    },
];

/// Where a raw value came from, for error messages.
#[derive(Clone)]
enum Source {
    Default,
    File(PathBuf),
    Env,
}

impl Config {
    /// Loads from the process environment and an optional file.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, |name| std::env::var(name).ok())
    }

    /// Loads with an explicit environment lookup (tests).
    pub fn load_from(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut raw: BTreeMap<&'static str, (String, Source)> = BTreeMap::new();
        for s in &SETTINGS {
            if let Some(d) = s.default {
                raw.insert(s.key, (d.to_owned(), Source::Default));
            }
        }
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError(format!(
                    "config file {}: cannot be read: {e}",
                    path.display()
                ))
            })?;
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                ConfigError(format!(
                    "config file {}: not valid TOML: {}",
                    path.display(),
                    e.message()
                ))
            })?;
            for (key, value) in table {
                let Some(setting) = SETTINGS.iter().find(|s| s.key == key) else {
                    return Err(ConfigError(format!(
                        "config file {}: unknown setting '{key}'",
                        path.display()
                    )));
                };
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => {
                        return Err(ConfigError(format!(
                            "config file {}: {key}: expected a string or number, got {}",
                            path.display(),
                            other.type_str()
                        )));
                    }
                };
                raw.insert(setting.key, (text, Source::File(path.to_owned())));
            }
        }
        for s in &SETTINGS {
            if let Some(v) = env(s.env) {
                raw.insert(s.key, (v, Source::Env));
            }
        }
        let get = |key: &'static str| raw.get(key).cloned();
        let name = |key: &'static str, src: &Source| -> String {
            let setting = SETTINGS.iter().find(|s| s.key == key);
            match (src, setting) {
                (Source::Env, Some(s)) => s.env.to_owned(),
                (Source::File(p), _) => format!("{key} (in {})", p.display()),
                (Source::Default, Some(s)) => s.env.to_owned(),
                (_, None) => key.to_owned(),
            }
        };
        let parse = |key: &'static str, what: &str, check: &dyn Fn(&str) -> bool| {
            let (v, src) = get(key).ok_or_else(|| ConfigError(format!("{key} is not set")))?;
            if check(v.trim()) {
                Ok(v.trim().to_owned())
            } else {
                Err(ConfigError(format!(
                    "{}: '{}' is not {what}",
                    name(key, &src),
                    shorten(&v)
                )))
            }
        };

        let mode = match parse("mode", "a mode (expected 'dev' or 'production')", &|v| {
            matches!(v, "dev" | "production")
        })?
        .as_str()
        {
            "production" => Mode::Production,
            _ => Mode::Dev,
        };
        let database_url = parse(
            "database_url",
            "a database URL (expected sqlite://PATH or postgres://USER@HOST/DB)",
            &|v| {
                v.starts_with("sqlite:")
                    || v.starts_with("postgres://")
                    || v.starts_with("postgresql://")
            },
        )?;
        let bind: SocketAddr = parse(
            "bind",
            "a socket address (expected HOST:PORT, e.g. 127.0.0.1:8080)",
            &|v| v.parse::<SocketAddr>().is_ok(),
        )?
        .parse()
        .map_err(|_| ConfigError("bind: invalid".into()))?;
        let int = |key: &'static str, min: i64, max: i64| -> Result<i64, ConfigError> {
            let what = format!("a whole number from {min} to {max}");
            let v = parse(key, &what, &|v| {
                v.parse::<i64>().is_ok_and(|n| (min..=max).contains(&n))
            })?;
            v.parse::<i64>()
                .map_err(|_| ConfigError(format!("{key}: invalid")))
        };
        let db_max_connections = u32::try_from(int("db_max_connections", 1, 1000)?)
            .map_err(|_| ConfigError("db_max_connections: invalid".into()))?;
        let session_idle_minutes = int("session_idle_minutes", 1, 60 * 24 * 30)?;
        let session_absolute_hours = int("session_absolute_hours", 1, 24 * 90)?;
        let session_cache_seconds = int("session_cache_seconds", 0, 60)?;
        let data_dir = PathBuf::from(parse("data_dir", "a folder path", &|v| !v.is_empty())?);
        let log_filter = parse(
            "log",
            "a log filter (e.g. 'info' or 'info,integra=debug')",
            &|v| tracing_subscriber::EnvFilter::try_new(v).is_ok(),
        )?;
        let log_format = match get("log_format") {
            None => match mode {
                Mode::Dev => LogFormat::Pretty,
                Mode::Production => LogFormat::Json,
            },
            Some(_) => match parse(
                "log_format",
                "a log format (expected 'pretty' or 'json')",
                &|v| matches!(v, "pretty" | "json"),
            )?
            .as_str()
            {
                "json" => LogFormat::Json,
                _ => LogFormat::Pretty,
            },
        };
        let secret_key = match get("secret_key") {
            Some((v, src)) => {
                if v.trim().chars().count() < 32 {
                    return Err(ConfigError(format!(
                        "{}: must be at least 32 characters long",
                        name("secret_key", &src)
                    )));
                }
                Some(v.trim().to_owned())
            }
            None if mode == Mode::Production => {
                return Err(ConfigError(
                    "INTEGRA_SECRET_KEY: is required in production mode (at least 32 random characters)".into(),
                ));
            }
            None => None,
        };
        let public_url = match get("public_url") {
            None => format!("http://{bind}"),
            Some(_) => parse(
                "public_url",
                "a web address (expected http://HOST or https://HOST)",
                &|v| {
                    (v.starts_with("http://") || v.starts_with("https://"))
                        && !v.contains(char::is_whitespace)
                },
            )?
            .trim_end_matches('/')
            .to_owned(),
        };
        let smtp_url = match get("smtp_url") {
            Some((v, _)) if v.trim().is_empty() => None,
            None => None,
            Some((v, src)) => {
                if !(v.starts_with("smtp://") || v.starts_with("smtps://")) {
                    return Err(ConfigError(format!(
                        "{}: '{}' is not an SMTP URL (expected smtp://HOST:PORT or smtps://USER:PASSWORD@HOST:PORT)",
                        name("smtp_url", &src),
                        shorten(&redact_url(&v))
                    )));
                }
                Some(v.trim().to_owned())
            }
        };
        let mail_from = parse(
            "mail_from",
            "a sender address (expected e.g. 'Integra <integra@example.cz>')",
            &|v| integra_notify::parse_sender(v).is_ok(),
        )?;
        let mail_max_attempts = i32::try_from(int("mail_max_attempts", 1, 100)?)
            .map_err(|_| ConfigError("mail_max_attempts: invalid".into()))?;
        let mail_retry_seconds = int("mail_retry_seconds", 1, 86_400)?;
        let mail_lease_seconds = int("mail_lease_seconds", 1, 86_400)?;
        let mail_poll_ms = int("mail_poll_ms", 10, 600_000)?;
        let mail_connections = int("mail_connections", 1, 256)?;
        let per_hour = |key: &'static str| -> Result<u32, ConfigError> {
            u32::try_from(int(key, 0, 1_000_000_000)?)
                .map_err(|_| ConfigError(format!("{key}: invalid")))
        };
        let registrations_per_address = per_hour("registrations_per_address")?;
        let registrations_per_email = per_hour("registrations_per_email")?;
        let reporting_refresh_seconds = u64::try_from(int("reporting_refresh_seconds", 1, 3_600)?)
            .map_err(|_| ConfigError("reporting_refresh_seconds: invalid".into()))?;
        let web_dir = PathBuf::from(parse("web_dir", "a folder path", &|v| !v.is_empty())?);
        let trusted_proxies = match get("trusted_proxies") {
            None => Default::default(),
            Some((v, src)) => crate::client_address::TrustedProxies::parse(&v)
                .map_err(|e| ConfigError(format!("{}: {e}", name("trusted_proxies", &src))))?,
        };
        let seconds = |key: &'static str, min: i64, max: i64| -> Result<u64, ConfigError> {
            u64::try_from(int(key, min, max)?).map_err(|_| ConfigError(format!("{key}: invalid")))
        };
        let request_timeout_seconds = seconds("request_timeout_seconds", 1, 3_600)?;
        let slow_request_ms = seconds("slow_request_ms", 0, 3_600_000)?;
        let limit = |key: &'static str| -> Result<Option<std::time::Duration>, ConfigError> {
            let s = seconds(key, 0, 86_400)?;
            Ok((s > 0).then(|| std::time::Duration::from_secs(s)))
        };
        let db_timeouts = integra_kernel::SessionTimeouts {
            statement: limit("db_statement_timeout_seconds")?,
            lock: limit("db_lock_timeout_seconds")?,
            idle_in_transaction: limit("db_idle_in_transaction_seconds")?,
        };
        let shutdown_seconds = seconds("shutdown_seconds", 1, 3_600)?;
        let registration_retention_days = int("registration_retention_days", 0, 3_650)?;
        Ok(Self {
            registration_retention_days,
            request_timeout_seconds,
            slow_request_ms,
            db_timeouts,
            shutdown_seconds,
            trusted_proxies,
            web_dir,
            reporting_refresh_seconds,
            registrations_per_address,
            registrations_per_email,
            public_url,
            smtp_url,
            mail_from,
            mail_max_attempts,
            mail_retry_seconds,
            mail_lease_seconds,
            mail_poll_ms,
            mail_connections,
            database_url,
            bind,
            mode,
            secret_key,
            data_dir,
            db_max_connections,
            session_idle_minutes,
            session_absolute_hours,
            session_cache_seconds,
            log_filter,
            log_format,
        })
    }

    /// How long one email send may take: half the lease (so that a claim
    /// never runs out while its send is still going), at most a minute.
    fn send_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            u64::try_from((self.mail_lease_seconds / 2).clamp(1, 60)).unwrap_or(30),
        )
    }

    /// How emails leave: the SMTP server, or `.eml` files in
    /// `DATA_DIR/mail` when none is configured.
    pub fn mail_transport(&self) -> Result<integra_notify::Transport, ConfigError> {
        match &self.smtp_url {
            Some(url) => integra_notify::Transport::smtp_url(
                url,
                self.send_timeout(),
                u32::try_from(self.mail_connections).unwrap_or(16),
            )
            .map_err(|e| ConfigError(format!("INTEGRA_SMTP_URL: {e}"))),
            None => integra_notify::Transport::files(self.data_dir.join("mail"))
                .map_err(|e| ConfigError(format!("INTEGRA_DATA_DIR: {e}"))),
        }
    }

    /// Delivery settings for the mail worker.
    pub fn delivery(&self) -> Result<integra_notify::DeliveryConfig, ConfigError> {
        let from = integra_notify::parse_sender(&self.mail_from)
            .map_err(|e| ConfigError(format!("INTEGRA_MAIL_FROM: {e}")))?;
        let mut d = integra_notify::DeliveryConfig::new(from);
        d.max_attempts = self.mail_max_attempts;
        d.retry_base = chrono::Duration::seconds(self.mail_retry_seconds);
        d.lease = chrono::Duration::seconds(self.mail_lease_seconds);
        d.send_timeout = self.send_timeout();
        d.parallel = usize::try_from(self.mail_connections).unwrap_or(16);
        d.poll = std::time::Duration::from_millis(u64::try_from(self.mail_poll_ms).unwrap_or(1000));
        Ok(d)
    }

    /// Whether the database is the embedded SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// In dev mode without a configured secret: reads the one kept in the
    /// data folder, or creates it. In production the secret is required
    /// (checked by [`Config::load_from`]).
    pub fn ensure_secret(&mut self) -> Result<(), ConfigError> {
        if self.secret_key.is_some() {
            return Ok(());
        }
        let path = self.data_dir.join("secret.key");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_owned();
            if existing.len() >= 32 {
                self.secret_key = Some(existing);
                return Ok(());
            }
        }
        std::fs::create_dir_all(&self.data_dir).map_err(|e| {
            ConfigError(format!(
                "INTEGRA_DATA_DIR: cannot create {}: {e}",
                self.data_dir.display()
            ))
        })?;
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)
            .map_err(|e| ConfigError(format!("INTEGRA_SECRET_KEY: cannot generate: {e}")))?;
        let secret = hex::encode(buf);
        write_private(&path, &secret).map_err(|e| {
            ConfigError(format!(
                "INTEGRA_DATA_DIR: cannot write {}: {e}",
                path.display()
            ))
        })?;
        self.secret_key = Some(secret);
        Ok(())
    }

    /// The database URL ready to open: for SQLite, the parent folder exists
    /// and the file is created if missing.
    pub fn prepared_database_url(&self) -> Result<String, ConfigError> {
        if !self.is_sqlite() {
            return Ok(self.database_url.clone());
        }
        let rest = self
            .database_url
            .trim_start_matches("sqlite:")
            .trim_start_matches("//");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() || path == ":memory:" {
            return Ok(self.database_url.clone());
        }
        if let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                ConfigError(format!(
                    "INTEGRA_DATABASE_URL: cannot create folder {}: {e}",
                    parent.display()
                ))
            })?;
        }
        let query = if query.contains("mode=") {
            query.to_owned()
        } else if query.is_empty() {
            "mode=rwc".to_owned()
        } else {
            format!("{query}&mode=rwc")
        };
        Ok(format!("sqlite://{path}?{query}"))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn shorten(v: &str) -> String {
    if v.chars().count() > 60 {
        format!("{}…", v.chars().take(60).collect::<String>())
    } else {
        v.to_owned()
    }
}

/// A database URL with its password replaced, safe to print.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults_are_zero_config() {
        let c = Config::load_from(None, env(&[])).unwrap();
        assert_eq!(c.database_url, "sqlite://./data/integra.sqlite3");
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.mode, Mode::Dev);
        assert_eq!(c.log_format, LogFormat::Pretty);
    }

    #[test]
    fn bad_values_name_the_setting() {
        let e = Config::load_from(None, env(&[("INTEGRA_BIND", "nowhere")])).unwrap_err();
        assert!(
            e.0.starts_with("INTEGRA_BIND: 'nowhere' is not a socket address"),
            "{e}"
        );
        let e = Config::load_from(None, env(&[("INTEGRA_MODE", "prod")])).unwrap_err();
        assert!(e.0.starts_with("INTEGRA_MODE:"), "{e}");
        let e = Config::load_from(None, env(&[("INTEGRA_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.0.starts_with("INTEGRA_DATABASE_URL:"), "{e}");
        let e = Config::load_from(None, env(&[("INTEGRA_DB_MAX_CONNECTIONS", "0")])).unwrap_err();
        assert!(e.0.starts_with("INTEGRA_DB_MAX_CONNECTIONS:"), "{e}");
    }

    #[test]
    fn production_requires_a_secret() {
        let e = Config::load_from(None, env(&[("INTEGRA_MODE", "production")])).unwrap_err();
        assert!(e.0.starts_with("INTEGRA_SECRET_KEY: is required"), "{e}");
        let e = Config::load_from(
            None,
            env(&[
                ("INTEGRA_MODE", "production"),
                ("INTEGRA_SECRET_KEY", "short"),
            ]),
        )
        .unwrap_err();
        assert!(e.0.contains("at least 32"), "{e}");
        let secret = "0123456789abcdef0123456789abcdef";
        let c = Config::load_from(
            None,
            env(&[
                ("INTEGRA_MODE", "production"),
                ("INTEGRA_SECRET_KEY", secret),
            ]),
        )
        .unwrap();
        assert_eq!(c.log_format, LogFormat::Json);
        assert!(!format!("{c:?}").contains(secret));
    }

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("integra.toml");
        std::fs::write(&path, "bind = \"0.0.0.0:9000\"\ndb_max_connections = 4\n").unwrap();
        let c = Config::load_from(Some(&path), env(&[])).unwrap();
        assert_eq!(c.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(c.db_max_connections, 4);
        let c = Config::load_from(Some(&path), env(&[("INTEGRA_BIND", "127.0.0.1:1")])).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:1");

        std::fs::write(&path, "bind = \"x\"\n").unwrap();
        let e = Config::load_from(Some(&path), env(&[])).unwrap_err();
        assert!(e.0.starts_with("bind (in "), "{e}");
        std::fs::write(&path, "colour = \"red\"\n").unwrap();
        let e = Config::load_from(Some(&path), env(&[])).unwrap_err();
        assert!(e.0.contains("unknown setting 'colour'"), "{e}");
    }

    #[test]
    fn dev_secret_is_generated_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap().to_owned();
        let mut c = Config::load_from(None, env(&[("INTEGRA_DATA_DIR", &data)])).unwrap();
        c.ensure_secret().unwrap();
        let first = c.secret_key.clone().unwrap();
        let mut c2 = Config::load_from(None, env(&[("INTEGRA_DATA_DIR", &data)])).unwrap();
        c2.ensure_secret().unwrap();
        assert_eq!(c2.secret_key.unwrap(), first);
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db/integra"),
            "postgres://app:***@db/integra"
        );
        assert_eq!(
            redact_url("sqlite://./data/x.sqlite3"),
            "sqlite://./data/x.sqlite3"
        );
    }
}
