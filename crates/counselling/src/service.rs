//! The counselling service: one handle for every operation of the context.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Prague;
use integra_kernel::TenantTx;
use integra_kernel::{AppError, AppResult, Database, SharedClock, TenantScope, UserId};
use integra_notify::MailSignal;

/// Counselling: cases, interventions, notes, appointments, outreach,
/// inquiries, tasks and the client timeline.
#[derive(Clone)]
pub struct CounsellingService {
    pub(crate) db: Database,
    pub(crate) clock: SharedClock,
    pub(crate) mail: MailSignal,
    /// Where recording a service reads and writes, for this engine.
    pub(crate) store: std::sync::Arc<dyn crate::record_store::RecordStore>,
    /// How a client's page is read, for this engine.
    pub(crate) page: std::sync::Arc<dyn crate::client_page::PageReader>,
}

impl CounsellingService {
    /// Creates the service.
    pub fn new(db: Database, clock: SharedClock) -> Self {
        Self {
            store: crate::record_store::for_engine(&db),
            page: crate::client_page::for_engine(&db),
            db,
            clock,
            mail: MailSignal::new(),
        }
    }

    /// Uses `signal` to wake the process's mail worker after a commit that
    /// queued email (appointment confirmations, changes and reminders).
    pub fn with_mail(mut self, signal: MailSignal) -> Self {
        self.mail = signal;
        self
    }

    /// Now.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Europe/Prague, by the service's clock.
    pub fn today(&self) -> NaiveDate {
        local_date(self.clock.now())
    }
}

/// The Europe/Prague calendar day of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Prague).date_naive()
}

pub(crate) use integra_tenants::centres::require_branch;

/// Checks that `users` (other than the caller, who is a member by the
/// scope's construction) belong to the centre's staff.
pub(crate) async fn require_staff(
    txn: &TenantTx,
    scope: &TenantScope,
    users: &[UserId],
    field: &str,
) -> AppResult<()> {
    let others: Vec<UserId> = users
        .iter()
        .copied()
        .filter(|u| *u != scope.user_id())
        .collect();
    integra_tenants::staff::require_members(txn, &others, field).await
}

/// A language code: two or three lowercase letters (ISO 639), or empty.
pub(crate) fn language(field: &str, v: &str) -> AppResult<String> {
    let t = v.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Ok(t);
    }
    if !(2..=3).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(AppError::bad_input(
            field,
            "must be a language code such as uk, ru, vi or en",
        ));
    }
    Ok(t)
}
