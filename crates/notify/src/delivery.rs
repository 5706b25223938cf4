//! The delivery worker: takes due outbox rows, sends them with lettre, marks
//! them.
//!
//! A row is *claimed* by moving its next attempt one lease into the future
//! (and counting the attempt) in a short transaction of its own; on
//! PostgreSQL `FOR UPDATE SKIP LOCKED` lets several server processes share
//! the outbox. The row is then sent and marked `sent` in a second
//! transaction. A process that dies between the two leaves the row
//! pending (the marks of one pass commit together); it becomes due again
//! when the lease runs out and is sent again with the same Message-ID (`<row id@domain>`), which mail systems treat as
//! one message. That crash window is the only way to a second copy.
//!
//! Temporary failures (SMTP 4xx, connection refused, timeouts) are retried
//! with exponential backoff; permanent ones (5xx) and rows out of attempts
//! are marked `failed`, which the centre admin sees.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use integra_kernel::{AppError, AppResult, Backend, PlatformDb, SharedClock, stmt};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::{AsyncSmtpTransport, PoolConfig};
use lettre::{Address, AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::outbox::{MailSignal, MailStatus};

/// How emails leave the process.
#[derive(Clone)]
pub enum Transport {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (no SMTP configured: the embedded default).
    Files {
        /// The lettre file transport.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// The folder, for the log line that says where a message went.
        dir: PathBuf,
    },
}

impl Transport {
    /// SMTP from a URL: `smtp://host:25` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465` (TLS), as lettre reads them. Connections
    /// are pooled; each command times out after `timeout`.
    ///
    /// Up to `connections` are open at once, each sending one message at a
    /// time. Their sockets have Nagle's algorithm off (the patched lettre
    /// of `vendor/`): lettre writes a message's final `.` apart from its
    /// body, which otherwise waited for the server's delayed ACK (40 ms on
    /// Linux) on every message.
    pub fn smtp_url(url: &str, timeout: StdDuration, connections: u32) -> Result<Self, String> {
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("not a usable SMTP URL: {e}"))?;
        Ok(Self::Smtp(
            builder
                .timeout(Some(timeout))
                .pool_config(PoolConfig::new().max_size(connections.max(1)))
                .build(),
        ))
    }

    /// `.eml` files under `dir` (created if missing).
    pub fn files(dir: PathBuf) -> Result<Self, String> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create the mail folder {}: {e}", dir.display()))?;
        Ok(Self::Files {
            transport: AsyncFileTransport::new(&dir),
            dir,
        })
    }

    /// A short description for the start-up log (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(_) => "SMTP".to_owned(),
            Self::Files { dir, .. } => format!(".eml files in {}", dir.display()),
        }
    }
}

/// Delivery settings.
#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// The sender, e.g. `Integra <integra@centrum.example>`.
    pub from: Mailbox,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// Wait after the first failure; doubles with each further one.
    pub retry_base: Duration,
    /// The longest wait between attempts.
    pub retry_cap: Duration,
    /// How long a claimed message is left alone before another attempt; it
    /// must be longer than one send can take.
    pub lease: Duration,
    /// How often the worker looks for due mail when not woken.
    pub poll: StdDuration,
    /// Rows claimed at a time.
    pub batch: u32,
    /// Messages sent at the same time (at most one per SMTP connection).
    pub parallel: usize,
    /// The longest one send may take, whatever the server does; then it
    /// counts as a temporary failure. Keep it well under `lease`.
    pub send_timeout: StdDuration,
    /// How long sent, cancelled and failed emails stay in the outbox.
    pub keep: Duration,
}

impl DeliveryConfig {
    /// Defaults with the given sender.
    pub fn new(from: Mailbox) -> Self {
        Self {
            from,
            max_attempts: 8,
            retry_base: Duration::seconds(30),
            retry_cap: Duration::hours(1),
            lease: Duration::minutes(5),
            poll: StdDuration::from_secs(1),
            batch: 200,
            parallel: 16,
            send_timeout: StdDuration::from_secs(60),
            keep: Duration::days(90),
        }
    }

    /// The wait before the attempt after `attempts` failed ones.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
        let wait = self
            .retry_base
            .checked_mul(2_i32.saturating_pow(doublings))
            .unwrap_or(self.retry_cap);
        wait.min(self.retry_cap)
    }

    /// The domain of Message-IDs: the sender's.
    fn message_domain(&self) -> &str {
        self.from.email.domain()
    }
}

/// What one pass of the worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Rows claimed.
    pub claimed: usize,
    /// Accepted by the server.
    pub sent: usize,
    /// To be tried again later.
    pub retrying: usize,
    /// Given up.
    pub failed: usize,
}

/// A claimed outbox row.
#[derive(Clone, Debug)]
struct Claimed {
    id: Uuid,
    kind: String,
    recipient: String,
    recipient_name: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i32,
    created_at: DateTime<Utc>,
}

/// The result of one send.
enum Outcome {
    Sent,
    Temporary(String),
    Permanent(String),
}

/// The delivery worker of one process.
#[derive(Clone)]
pub struct Mailer {
    /// The worker sees every centre's outbox and nothing else.
    db: PlatformDb,
    clock: SharedClock,
    transport: Arc<Transport>,
    config: Arc<DeliveryConfig>,
    signal: MailSignal,
}

impl Mailer {
    /// Creates the worker; `signal` is the one the services wake.
    pub fn new(
        db: PlatformDb,
        clock: SharedClock,
        transport: Transport,
        config: DeliveryConfig,
        signal: MailSignal,
    ) -> Self {
        Self {
            db,
            clock,
            transport: Arc::new(transport),
            config: Arc::new(config),
            signal,
        }
    }

    /// The transport in use.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The same worker with another transport (new connections), as a
    /// restarted process would have.
    pub fn with_transport(&self, transport: Transport) -> Self {
        Self {
            transport: Arc::new(transport),
            ..self.clone()
        }
    }

    /// Deletes emails that were sent, cancelled or failed more than
    /// `keep` ago: their bodies hold names and addresses, and the outbox is
    /// not an archive. Returns how many went.
    pub async fn purge(&self, keep: Duration) -> AppResult<u64> {
        let before = self.clock.now() - keep;
        let txn = self.db.mail_worker().await?;
        let res = txn
            .execute_raw(stmt(
                self.db.backend(),
                "DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?",
                vec![before.into()],
            ))
            .await?;
        txn.commit().await?;
        Ok(res.rows_affected())
    }

    /// Delivers until the task is dropped: whenever woken, and every poll
    /// interval; once an hour it purges emails older than
    /// [`DeliveryConfig::keep`]. Errors are logged and the loop goes on.
    pub async fn run(self) {
        tracing::info!(transport = %self.transport.describe(), "email delivery started");
        let mut purged_at: Option<tokio::time::Instant> = None;
        loop {
            if purged_at.is_none_or(|t| t.elapsed() >= StdDuration::from_secs(3600)) {
                purged_at = Some(tokio::time::Instant::now());
                match self.purge(self.config.keep).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(emails = n, "old emails removed from the outbox"),
                    Err(e) => tracing::warn!(error = %e, "purging old emails failed"),
                }
            }
            let full = match self.deliver_due().await {
                Ok(r) => r.claimed >= self.config.batch as usize,
                Err(e) => {
                    tracing::warn!(error = %e, "email delivery pass failed");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                () = self.signal.woken() => {}
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    /// One pass: claims the due rows, sends them, marks them.
    pub async fn deliver_due(&self) -> AppResult<DeliveryReport> {
        let claimed = self.claim().await?;
        let mut report = DeliveryReport {
            claimed: claimed.len(),
            ..DeliveryReport::default()
        };
        if claimed.is_empty() {
            return Ok(report);
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(self.config.parallel.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for row in claimed {
            let this = self.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await.map_err(AppError::internal)?;
                let outcome = this.send(&row).await;
                Ok::<_, AppError>((row, outcome))
            });
        }
        let mut done = Vec::with_capacity(report.claimed);
        while let Some(joined) = tasks.join_next().await {
            done.push(joined.map_err(AppError::internal)??);
        }
        for status in self.mark(done).await? {
            match status {
                MailStatus::Sent => report.sent += 1,
                MailStatus::Failed => report.failed += 1,
                _ => report.retrying += 1,
            }
        }
        Ok(report)
    }

    async fn claim(&self) -> AppResult<Vec<Claimed>> {
        let now = self.clock.now();
        let backend = self.db.backend();
        // On PostgreSQL `= ANY(ARRAY(…))` makes the update find its rows by
        // primary key; `IN (…)` may be planned as a scan of the whole outbox.
        let (open, close) = match backend {
            Backend::Postgres => ("= ANY(ARRAY(", " FOR UPDATE SKIP LOCKED))"),
            Backend::Sqlite => ("IN (", ")"),
        };
        let sql = format!(
            "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 \
             WHERE id {open}SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? \
             ORDER BY next_attempt_at LIMIT ?{close} \
             RETURNING id, kind, recipient, recipient_name, subject, body_text, body_html, attempts, created_at"
        );
        let txn = self.db.mail_worker().await?;
        let rows = txn
            .query_all_raw(stmt(
                backend,
                &sql,
                vec![
                    (now + self.config.lease).into(),
                    now.into(),
                    i64::from(self.config.batch).into(),
                ],
            ))
            .await?;
        txn.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Claimed {
                    id: r.try_get("", "id")?,
                    kind: r.try_get("", "kind")?,
                    recipient: r.try_get("", "recipient")?,
                    recipient_name: r.try_get("", "recipient_name")?,
                    subject: r.try_get("", "subject")?,
                    body_text: r.try_get("", "body_text")?,
                    body_html: r.try_get("", "body_html")?,
                    attempts: r.try_get("", "attempts")?,
                    created_at: r.try_get("", "created_at")?,
                })
            })
            .collect::<Result<Vec<_>, sea_orm::DbErr>>()
            .map_err(AppError::from)
    }

    fn build(&self, row: &Claimed) -> Result<Message, String> {
        let address = Address::from_str(&row.recipient).map_err(|e| e.to_string())?;
        let name = (!row.recipient_name.is_empty()).then(|| row.recipient_name.clone());
        Message::builder()
            .message_id(Some(format!(
                "<{}@{}>",
                row.id,
                self.config.message_domain()
            )))
            .from(self.config.from.clone())
            .to(Mailbox::new(name, address))
            .subject(row.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| e.to_string())
    }

    async fn send(&self, row: &Claimed) -> Outcome {
        match tokio::time::timeout(self.config.send_timeout, self.send_now(row)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Temporary(format!(
                "no answer from the mail server within {} s",
                self.config.send_timeout.as_secs()
            )),
        }
    }

    async fn send_now(&self, row: &Claimed) -> Outcome {
        let message = match self.build(row) {
            Ok(m) => m,
            Err(e) => return Outcome::Permanent(format!("cannot build the message: {e}")),
        };
        match self.transport.as_ref() {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::Permanent(e.to_string()),
                Err(e) => Outcome::Temporary(e.to_string()),
            },
            Transport::Files { transport, dir } => match transport.send(message).await {
                Ok(file_id) => {
                    tracing::info!(
                        event = "mail_written",
                        outbox_id = %row.id,
                        path = %dir.join(format!("{file_id}.eml")).display(),
                        "email written to a file (no SMTP server configured)"
                    );
                    Outcome::Sent
                }
                Err(e) => Outcome::Temporary(e.to_string()),
            },
        }
    }

    /// Marks the outcomes of one pass in one transaction: the sent ones in
    /// a single statement, their bodies blanked (an invitation, a password
    /// reset or a cancel link is a bearer token, kept no longer than it
    /// takes to deliver it; the admin's view shows no body) (one commit for the batch, which is what lets the
    /// worker keep up with hundreds of emails a second), the others one by
    /// one. A crash before this commit leaves the batch pending, to be sent
    /// again with the same Message-IDs after the lease.
    async fn mark(&self, done: Vec<(Claimed, Outcome)>) -> AppResult<Vec<MailStatus>> {
        let now = self.clock.now();
        let backend = self.db.backend();
        let txn = self.db.mail_worker().await?;
        let sent: Vec<Uuid> = done
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Sent))
            .map(|(r, _)| r.id)
            .collect();
        for chunk in sent.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut values: Vec<sea_orm::Value> = vec![now.into()];
            values.extend(chunk.iter().map(|id| (*id).into()));
            txn.execute_raw(stmt(
                backend,
                &format!(
                    "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '', \
                     body_text = '', body_html = '' \
                     WHERE id IN ({marks}) AND status = 'pending'"
                ),
                values,
            ))
            .await?;
        }
        let mut statuses = Vec::with_capacity(done.len());
        for (row, outcome) in &done {
            let (status, next, error) = match outcome {
                Outcome::Sent => (MailStatus::Sent, now, String::new()),
                Outcome::Permanent(e) => (MailStatus::Failed, now, e.clone()),
                Outcome::Temporary(e) if row.attempts >= self.config.max_attempts => {
                    (MailStatus::Failed, now, e.clone())
                }
                Outcome::Temporary(e) => (
                    MailStatus::Pending,
                    now + self.config.backoff(row.attempts),
                    e.clone(),
                ),
            };
            statuses.push(status);
            if status == MailStatus::Sent {
                continue;
            }
            txn.execute_raw(stmt(
                backend,
                "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ? \
                 WHERE id = ? AND status = 'pending'",
                vec![
                    status.as_str().into(),
                    next.into(),
                    truncate(&error, 1000).into(),
                    row.id.into(),
                ],
            ))
            .await?;
        }
        txn.commit().await?;
        // Logged by id and kind only: addresses and server replies (which
        // may quote the address) stay in the database for the admin.
        for ((row, _), status) in done.iter().zip(&statuses) {
            match status {
                MailStatus::Sent => tracing::info!(
                    event = "mail_sent",
                    outbox_id = %row.id,
                    kind = %row.kind,
                    attempts = row.attempts,
                    delay_ms = (now - row.created_at).num_milliseconds(),
                    "email sent"
                ),
                MailStatus::Failed => tracing::warn!(
                    event = "mail_failed",
                    outbox_id = %row.id,
                    kind = %row.kind,
                    attempts = row.attempts,
                    "email failed for good; the centre admin sees it"
                ),
                _ => tracing::info!(
                    event = "mail_retry",
                    outbox_id = %row.id,
                    kind = %row.kind,
                    attempts = row.attempts,
                    "email delivery failed; will retry"
                ),
            }
        }
        Ok(statuses)
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Reads the sender from configuration, e.g. `Integra <integra@example.cz>`.
pub fn parse_sender(s: &str) -> Result<Mailbox, String> {
    Mailbox::from_str(s.trim()).map_err(|e| format!("'{s}' is not a sender address: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let mut c = DeliveryConfig::new(parse_sender("Integra <integra@example.cz>").unwrap());
        c.retry_base = Duration::seconds(30);
        c.retry_cap = Duration::minutes(10);
        assert_eq!(c.backoff(1), Duration::seconds(30));
        assert_eq!(c.backoff(2), Duration::seconds(60));
        assert_eq!(c.backoff(3), Duration::seconds(120));
        assert_eq!(c.backoff(10), Duration::minutes(10));
        assert_eq!(c.backoff(1000), Duration::minutes(10));
        assert_eq!(c.message_domain(), "example.cz");
    }

    #[test]
    fn a_bad_sender_is_a_clear_error() {
        assert!(parse_sender("not an address").is_err());
    }
}
