//! Configuration as a typed tree — server, database, session, mail,
//! registration, reporting, log, web — with durations as durations and the
//! secrets (the server key, the SMTP URL with its password) as
//! [`SecretString`], which never prints. Layered: built-in defaults, then an
//! optional TOML file of `[section]` tables, then `INTEGRA_*` environment
//! variables ([`settings::SETTINGS`] names each once). Every bad value is
//! reported as one line naming the setting and where it came from.
//!
//! Why not figment: its environment provider infers a type from the text
//! (a numeric secret would arrive as a number) and its errors name its own
//! key paths, while ours must name the variable the operator set; the
//! layering itself is the few lines of [`raw`], around the settings list.

mod parse;
mod raw;
pub mod settings;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use secrecy::{ExposeSecret, SecretString};

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
#[derive(Clone, Debug)]
pub struct Config {
    /// The HTTP server and the process.
    pub server: ServerConfig,
    /// The database and its pool.
    pub database: DatabaseConfig,
    /// Sign-in sessions.
    pub session: SessionConfig,
    /// Outgoing email.
    pub mail: MailConfig,
    /// Public event registration.
    pub registration: RegistrationConfig,
    /// The indicators.
    pub reporting: ReportingConfig,
    /// Logs.
    pub log: LogConfig,
    /// The web app.
    pub web: WebConfig,
}

/// `[server]`.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Run mode.
    pub mode: Mode,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// The address people reach Integra at, for links in emails; defaults
    /// to `http://` + the bind address.
    pub public_url: String,
    /// Folder for the embedded database, the dev secret and outgoing mail.
    pub data_dir: PathBuf,
    /// Server secret (keyed hashes, signing). Required in production; in dev
    /// generated once and kept in the data folder.
    pub secret_key: Option<SecretString>,
    /// Reverse proxies whose `X-Forwarded-For` names the caller.
    pub trusted_proxies: crate::client_address::TrustedProxies,
    /// How long one HTTP request may take before it is answered 503.
    pub request_timeout: Duration,
    /// From how long on a request is logged as slow (`WARN`, with its
    /// operation and centre).
    pub slow_request: Duration,
    /// How long in-flight requests get to finish after SIGTERM.
    pub shutdown: Duration,
}

/// `[database]`.
#[derive(Clone)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…` (may hold a password: printed
    /// redacted).
    pub url: String,
    /// Connection pool size.
    pub max_connections: u32,
    /// PostgreSQL limits of the request pool's connections.
    pub timeouts: integra_kernel::SessionTimeouts,
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .field("max_connections", &self.max_connections)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

/// `[session]`.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Inactivity after which a session ends.
    pub idle: Duration,
    /// Time after sign-in after which a session ends.
    pub absolute: Duration,
    /// How long a resolved session may be served from memory (zero = off);
    /// a sign-out made through another process takes effect within it.
    pub cache: Duration,
}

/// `[mail]`.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// Outgoing mail server, e.g. `smtps://user:pass@smtp.example.cz:465`;
    /// without it emails are written as `.eml` files under the data folder.
    pub smtp_url: Option<SecretString>,
    /// The sender of every email, e.g. `Integra <integra@example.cz>`.
    pub from: String,
    /// Delivery attempts before an email is marked failed.
    pub max_attempts: i32,
    /// Wait before the first retry; doubling after each failure.
    pub retry: Duration,
    /// How long a message being sent is left alone before another process
    /// may try it (longer than one SMTP exchange can take).
    pub lease: Duration,
    /// Between looks for due mail when nothing wakes the worker.
    pub poll: Duration,
    /// SMTP connections used at the same time (and emails in flight).
    pub connections: u32,
}

/// `[registration]`: public event registration.
#[derive(Clone, Debug)]
pub struct RegistrationConfig {
    /// Attempts per client address per hour (0 = no limit).
    pub per_address: u32,
    /// Registrations per email address per hour (0 = no limit).
    pub per_email: u32,
    /// Days after an event's end when the details of registrants who are
    /// not clients are purged (`None`: kept).
    pub retention_days: Option<u32>,
}

/// `[reporting]`.
#[derive(Clone, Debug)]
pub struct ReportingConfig {
    /// Between recounts of the indicators a change has touched.
    pub refresh: Duration,
}

/// `[log]`.
#[derive(Clone, Debug)]
pub struct LogConfig {
    /// `tracing` filter, e.g. `info,integra=debug`.
    pub filter: String,
    /// Log format.
    pub format: LogFormat,
}

/// `[web]`.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Folder of the built web app (`frontend/dist`), served at `/`.
    pub dir: PathBuf,
}

/// A configuration problem: one line naming the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

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
        parse::build(&raw::Raw::load(file, env)?)
    }

    /// The server secret's text, once [`Config::ensure_secret`] ran (or
    /// production required it).
    pub fn secret(&self) -> Option<&str> {
        self.server.secret_key.as_ref().map(|s| s.expose_secret())
    }

    /// How one email send may take: half the lease (so that a claim never
    /// runs out while its send is still going), from one second to a
    /// minute.
    fn send_timeout(&self) -> Duration {
        (self.mail.lease / 2).clamp(Duration::from_secs(1), Duration::from_secs(60))
    }

    /// How emails leave: the SMTP server, or `.eml` files in
    /// `DATA_DIR/mail` when none is configured.
    pub fn mail_transport(&self) -> Result<integra_notify::Transport, ConfigError> {
        match &self.mail.smtp_url {
            Some(url) => integra_notify::Transport::smtp_url(
                url.expose_secret(),
                self.send_timeout(),
                self.mail.connections,
            )
            .map_err(|e| ConfigError(format!("INTEGRA_SMTP_URL: {e}"))),
            None => integra_notify::Transport::files(self.server.data_dir.join("mail"))
                .map_err(|e| ConfigError(format!("INTEGRA_DATA_DIR: {e}"))),
        }
    }

    /// Delivery settings for the mail worker.
    pub fn delivery(&self) -> Result<integra_notify::DeliveryConfig, ConfigError> {
        let from = integra_notify::parse_sender(&self.mail.from)
            .map_err(|e| ConfigError(format!("INTEGRA_MAIL_FROM: {e}")))?;
        let chrono = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
        let mut d = integra_notify::DeliveryConfig::new(from);
        d.max_attempts = self.mail.max_attempts;
        d.retry_base = chrono(self.mail.retry);
        d.lease = chrono(self.mail.lease);
        d.send_timeout = self.send_timeout();
        d.parallel = usize::try_from(self.mail.connections).unwrap_or(16);
        d.poll = self.mail.poll;
        Ok(d)
    }

    /// Whether the database is the embedded SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database.url.starts_with("sqlite:")
    }

    /// In dev mode without a configured secret: reads the one kept in the
    /// data folder, or creates it. In production the secret is required
    /// (checked by [`Config::load_from`]).
    pub fn ensure_secret(&mut self) -> Result<(), ConfigError> {
        if self.server.secret_key.is_some() {
            return Ok(());
        }
        let dir = &self.server.data_dir;
        let path = dir.join("secret.key");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_owned();
            if existing.len() >= 32 {
                self.server.secret_key = Some(existing.into());
                return Ok(());
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            ConfigError(format!(
                "INTEGRA_DATA_DIR: cannot create {}: {e}",
                dir.display()
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
        self.server.secret_key = Some(secret.into());
        Ok(())
    }

    /// The database URL ready to open: for SQLite, the parent folder exists
    /// and the file is created if missing.
    pub fn prepared_database_url(&self) -> Result<String, ConfigError> {
        let url = &self.database.url;
        if !self.is_sqlite() {
            return Ok(url.clone());
        }
        let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() || path == ":memory:" {
            return Ok(url.clone());
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
mod tests;
