//! Writing to the outbox, in the caller's transaction, and the centre
//! admin's view of it.
//!
//! A change that should send an email calls [`enqueue`] with the same
//! transaction that makes the change: either both commit or neither does, so
//! an email is never sent for a change that was rolled back and never lost
//! for one that was saved. The message is rendered at that moment and kept
//! whole until it is delivered; the delivery worker transmits it and then
//! blanks its body, so that no link with a secret in it outlives delivery.

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, CentreId, ClientId, Database, TenantTx};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::Language;
use crate::entity::outbox;
use crate::templates::{Letter, render};

/// Where an outbox row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// Accepted by the SMTP server (or written to a file).
    Sent,
    /// Given up after the configured number of attempts, or refused for good.
    Failed,
    /// Withdrawn before it was sent (a reminder for a cancelled appointment).
    Cancelled,
}

impl MailStatus {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads a stored value.
    pub fn parse(s: &str) -> AppResult<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "failed" => Ok(Self::Failed),
            "cancelled" => Ok(Self::Cancelled),
            other => Err(AppError::internal_msg(format!(
                "unknown outbox status {other}"
            ))),
        }
    }
}

/// Who gets an email, and what it belongs to.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// The centre the email is sent for; `None` for account mail that
    /// belongs to no centre (password resets).
    pub tenant: Option<CentreId>,
    /// The client it concerns, so that erasing the client erases it too.
    pub client: Option<ClientId>,
    /// A key for withdrawing it while still pending, e.g.
    /// `appointment-reminder:<id>`; empty if never withdrawn.
    pub reference: String,
    /// Recipient address.
    pub to: String,
    /// Recipient name, may be empty.
    pub to_name: String,
    /// The language to write in.
    pub language: Language,
    /// Not before this instant (reminders); `None` sends at once.
    pub send_at: Option<DateTime<Utc>>,
}

/// Whether `address` is one an email can be sent to.
pub fn is_deliverable(address: &str) -> bool {
    lettre::Address::from_str(address.trim()).is_ok()
}

/// Renders `letter` and writes it to the outbox through `conn` (the
/// transaction of the change that sends it). A malformed address is a
/// `BAD_USER_INPUT` on `email`.
pub async fn enqueue<L: Letter, C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    envelope: Envelope,
    letter: &L,
) -> AppResult<Uuid> {
    let prepared = prepare(now, envelope, letter)?;
    let id = prepared.id;
    enqueue_prepared(conn, vec![prepared]).await?;
    Ok(id)
}

/// An email rendered and ready to be written to the outbox: rendering is
/// done before a transaction takes its locks, writing inside it.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The outbox row's id (and the Message-ID's local part).
    pub id: Uuid,
    row: outbox::ActiveModel,
}

/// Renders `letter` for `envelope` without touching the database. A
/// malformed address is a `BAD_USER_INPUT` on `email`.
pub fn prepare<L: Letter>(
    now: DateTime<Utc>,
    envelope: Envelope,
    letter: &L,
) -> AppResult<Prepared> {
    let to = envelope.to.trim().to_owned();
    if !is_deliverable(&to) {
        return Err(AppError::bad_input("email", "is not a valid email address"));
    }
    let rendered = render(letter, envelope.language)?;
    let id = Uuid::now_v7();
    Ok(Prepared {
        id,
        row: outbox::ActiveModel {
            id: Set(id),
            tenant_id: Set(envelope.tenant.map(CentreId::uuid)),
            kind: Set(L::KIND.to_owned()),
            reference: Set(envelope.reference),
            client_id: Set(envelope.client.map(ClientId::uuid)),
            recipient: Set(to),
            recipient_name: Set(envelope.to_name.trim().to_owned()),
            language: Set(envelope.language.code().to_owned()),
            subject: Set(rendered.subject),
            body_text: Set(rendered.text),
            body_html: Set(rendered.html),
            status: Set(MailStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(envelope.send_at.unwrap_or(now).max(now)),
            last_error: Set(String::new()),
            created_at: Set(now),
            sent_at: Set(None),
        },
    })
}

/// Writes prepared emails to the outbox through `conn`, in one statement.
pub async fn enqueue_prepared<C: ConnectionTrait>(
    conn: &C,
    emails: Vec<Prepared>,
) -> AppResult<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = emails.iter().map(|p| p.id).collect();
    // Without RETURNING: on PostgreSQL, account mail is a row its writer may
    // insert but not read back (only the worker reads it).
    outbox::Entity::insert_many(emails.into_iter().map(|p| p.row))
        .exec_without_returning(conn)
        .await?;
    for id in ids {
        tracing::debug!(event = "mail_queued", outbox_id = %id, "email queued");
    }
    Ok(())
}

/// Withdraws the pending emails of the transaction's centre filed under
/// `reference`. Returns how many were withdrawn.
pub async fn cancel_pending(txn: &TenantTx, reference: &str) -> AppResult<u64> {
    Ok(txn
        .update_many::<outbox::Entity>()
        .col_expr(
            outbox::Column::Status,
            MailStatus::Cancelled.as_str().into(),
        )
        .filter(outbox::Column::Reference.eq(reference))
        .filter(outbox::Column::Status.eq(MailStatus::Pending.as_str()))
        .exec(txn)
        .await?
        .rows_affected)
}

/// Withdraws the pending emails of a centre whose reference starts with
/// `prefix` (every reminder of an event, say). Returns how many.
pub async fn cancel_pending_prefixed(txn: &TenantTx, prefix: &str) -> AppResult<u64> {
    Ok(txn
        .update_many::<outbox::Entity>()
        .col_expr(
            outbox::Column::Status,
            MailStatus::Cancelled.as_str().into(),
        )
        .filter(outbox::Column::Reference.starts_with(prefix))
        .filter(outbox::Column::Status.eq(MailStatus::Pending.as_str()))
        .exec(txn)
        .await?
        .rows_affected)
}

/// Wakes the delivery worker of this process after a commit that queued
/// mail, so that it does not wait for its next poll. Cheap to clone; a wake
/// with nobody waiting is kept for the next wait.
#[derive(Clone, Default)]
pub struct MailSignal(Arc<Notify>);

impl MailSignal {
    /// A new signal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tells the worker there is mail.
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Waits for a wake.
    pub async fn woken(&self) {
        self.0.notified().await;
    }
}

/// An outbox row as the centre admin sees it (without the body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Row id; also the local part of the Message-ID.
    pub id: crate::ids::EmailId,
    /// Kind of email, e.g. `appointment_reminder`.
    pub kind: String,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Where it stands.
    pub status: MailStatus,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// The last delivery error, empty if none.
    pub last_error: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it is tried next (pending only).
    pub next_attempt_at: DateTime<Utc>,
}

impl OutboxMessage {
    fn from_row(m: outbox::Model) -> AppResult<Self> {
        Ok(Self {
            id: m.id.into(),
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            status: MailStatus::parse(&m.status)?,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            next_attempt_at: m.next_attempt_at,
        })
    }
}

/// The most messages one listing returns.
pub const MAX_LISTED: u64 = 500;

/// The centre admin's view of the centre's outgoing email: what failed, and
/// sending it again.
#[derive(Clone)]
pub struct MailAdmin {
    db: Database,
    signal: MailSignal,
}

impl MailAdmin {
    /// Creates the service.
    pub fn new(db: Database, signal: MailSignal) -> Self {
        Self { db, signal }
    }

    /// The centre's emails, newest first, optionally of one status.
    pub async fn messages(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        status: Option<MailStatus>,
        first: u64,
    ) -> AppResult<Vec<OutboxMessage>> {
        let txn = self.db.scoped(auth).await?;
        let mut q = txn
            .find::<outbox::Entity>()
            .order_by_desc(outbox::Column::CreatedAt)
            .order_by_desc(outbox::Column::Id)
            .limit(first.clamp(1, MAX_LISTED));
        if let Some(s) = status {
            q = q.filter(outbox::Column::Status.eq(s.as_str()));
        }
        let rows = q.all(&txn).await?;
        txn.commit().await?;
        rows.into_iter().map(OutboxMessage::from_row).collect()
    }

    /// Sends a failed email again from scratch (attempts reset). Only failed
    /// emails can be retried (`CONFLICT` otherwise).
    pub async fn retry(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: crate::ids::EmailId,
        now: DateTime<Utc>,
    ) -> AppResult<OutboxMessage> {
        let txn = self.db.scoped_write(auth).await?;
        let row = txn
            .find_by_id::<outbox::Entity>(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.status != MailStatus::Failed.as_str() {
            return Err(AppError::Conflict(
                "Only an email that failed can be sent again.".into(),
            ));
        }
        let mut active: outbox::ActiveModel = row.into();
        active.status = Set(MailStatus::Pending.as_str().to_owned());
        active.attempts = Set(0);
        active.next_attempt_at = Set(now);
        let row = active.update(&txn).await?;
        txn.commit().await?;
        self.signal.wake();
        tracing::info!(event = "mail_retry_requested", outbox_id = %id, "failed email queued again");
        OutboxMessage::from_row(row)
    }
}

/// The emails to one client (queued, sent or failed), for the person's
/// data-subject export: when, to which address, the subject and what
/// became of each; the bodies are left out (each section of the export
/// already holds what they said).
pub(crate) async fn export_section(
    txn: &TenantTx,
    client: ClientId,
) -> AppResult<integra_kernel::lifecycle::ExportSection> {
    let rows = txn
        .find::<outbox::Entity>()
        .filter(outbox::Column::ClientId.eq(client.uuid()))
        .order_by_asc(outbox::Column::CreatedAt)
        .order_by_asc(outbox::Column::Id)
        .all(txn)
        .await?;
    let mut out = integra_kernel::lifecycle::ExportSection::new(
        "Emails",
        &["Queued", "To", "Subject", "Status", "Sent"],
    );
    let when = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    for r in rows {
        out.push(vec![
            when(r.created_at),
            r.recipient,
            r.subject,
            r.status,
            r.sent_at.map(when).unwrap_or_default(),
        ]);
    }
    Ok(out)
}
