//! Appointments: calendars per worker, branch and interpreter; booking with
//! a clash check on the worker and the interpreter over the centre's whole
//! calendar (appointments, course sessions, events); moving and cancelling.

use chrono::{DateTime, Duration, DurationRound, Utc};
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::{long_text, text};
use integra_kernel::{AppError, AppResult, Authorized, BranchId, ClientId, TenantScope, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use integra_calendar::{self as calendar, Need, Resource, SourceKind, Span};

use crate::entity::appointment;
use crate::mail::{self, Change};
use crate::model::{Appointment, AppointmentInput, AppointmentStatus, InterventionKind};
use crate::service::{CounsellingService, language, local_date, require_branch, require_staff};

/// Longest appointment.
pub const MAX_HOURS: i64 = 12;

/// What a calendar shows.
#[derive(Clone, Debug, Default)]
pub struct CalendarFilter {
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// One worker's calendar.
    pub worker_id: Option<UserId>,
    /// One branch's calendar.
    pub branch_id: Option<BranchId>,
    /// One interpreter's calendar.
    pub interpreter_id: Option<uuid::Uuid>,
    /// One client's appointments.
    pub client_id: Option<ClientId>,
    /// Include cancelled appointments.
    pub include_cancelled: bool,
}

fn minute(field: &str, at: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
    at.duration_trunc(Duration::minutes(1))
        .map_err(|_| AppError::bad_input(field, "is not a valid time"))
}

fn check_times(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let starts_at = minute("startsAt", starts_at)?;
    let ends_at = minute("endsAt", ends_at)?;
    if ends_at <= starts_at {
        return Err(AppError::bad_input("endsAt", "must be after the start"));
    }
    if ends_at - starts_at > Duration::hours(MAX_HOURS) {
        return Err(AppError::bad_input(
            "endsAt",
            format!("an appointment lasts at most {MAX_HOURS} hours"),
        ));
    }
    Ok((starts_at, ends_at))
}

impl CounsellingService {
    /// Books an appointment. Refused with `CONFLICT` listing every clash
    /// when the worker or the interpreter is already booked at that time.
    pub async fn book_appointment(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        input: &AppointmentInput,
    ) -> AppResult<Appointment> {
        let (starts_at, ends_at) = check_times(input.starts_at, input.ends_at)?;
        let lang = language("language", &input.language)?;
        let place = text("place", &input.place, 200, false)?;
        let note = long_text("note", &input.note, 2_000, false)?;
        let worker = input.worker_id.unwrap_or(auth.user_id());
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        require_staff(&txn, auth, &[worker], "workerId").await?;
        let client = match input.client_id {
            Some(c) => Some(kept_client(&txn, c, "clientId").await?),
            None => None,
        };
        if let Some(b) = input.branch_id {
            require_branch(&txn, b).await?;
        }
        if let Some(i) = input.interpreter_id {
            crate::interpreters::require(&txn, i.into()).await?;
        }
        let needs = needs(&txn, worker, input.interpreter_id.map(Into::into)).await?;
        let span = Span { starts_at, ends_at };
        check(&txn, None, &needs, span).await?;
        let row = appointment::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(client.map(ClientId::uuid)),
            worker_id: Set(worker.uuid()),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            kind: Set(input.kind.as_str().to_owned()),
            language: Set(lang),
            interpreter_id: Set(input.interpreter_id.map(Into::into)),
            starts_at: Set(starts_at),
            ends_at: Set(ends_at),
            starts_on: Set(local_date(starts_at)),
            place: Set(place),
            note: Set(note),
            status: Set(AppointmentStatus::Booked.as_str().to_owned()),
            cancel_reason: Set(String::new()),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        take(&txn, &row, &needs).await?;
        if let Some(c) = client {
            audit::record(
                &txn,
                auth,
                now,
                AuditAction::Update,
                c.uuid(),
                &["appointments"],
            )
            .await?;
        }
        let mailed = mail::appointment_changed(&txn, &row, Change::Booked, now).await?;
        txn.commit().await?;
        if mailed {
            self.mail.wake();
        }
        from_row(row)
    }

    /// Moves a booked appointment to another time (and optionally another
    /// worker), with the same clash check.
    pub async fn move_appointment(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        id: crate::ids::AppointmentId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        worker_id: Option<UserId>,
    ) -> AppResult<Appointment> {
        let (starts_at, ends_at) = check_times(starts_at, ends_at)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, id.into()).await?;
        if row.status != AppointmentStatus::Booked.as_str() {
            return Err(AppError::Conflict(
                "A cancelled appointment cannot be moved; book a new one.".into(),
            ));
        }
        let worker = worker_id.unwrap_or(UserId(row.worker_id));
        require_staff(&txn, auth, &[worker], "workerId").await?;
        let needs = needs(&txn, worker, row.interpreter_id).await?;
        let span = Span { starts_at, ends_at };
        check(&txn, Some(id.into()), &needs, span).await?;
        let client = row.client_id;
        let previous = row.starts_at;
        let mut row = row.into_active_model();
        row.starts_at = Set(starts_at);
        row.ends_at = Set(ends_at);
        row.starts_on = Set(local_date(starts_at));
        row.worker_id = Set(worker.uuid());
        let (saved, mailed) = save(txn, auth, row, client, now, Change::Moved(previous)).await?;
        if mailed {
            self.mail.wake();
        }
        Ok(saved)
    }

    /// Cancels an appointment, keeping it in the calendar history.
    pub async fn cancel_appointment(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        id: crate::ids::AppointmentId,
        reason: &str,
    ) -> AppResult<Appointment> {
        let reason = text("reason", reason, 500, false)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, id.into()).await?;
        if row.status == AppointmentStatus::Cancelled.as_str() {
            // Already cancelled: nothing changes and nobody is told twice.
            txn.commit().await?;
            return from_row(row);
        }
        let client = row.client_id;
        let mut row = row.into_active_model();
        row.status = Set(AppointmentStatus::Cancelled.as_str().to_owned());
        row.cancel_reason = Set(reason);
        let (saved, mailed) = save(txn, auth, row, client, now, Change::Cancelled).await?;
        if mailed {
            self.mail.wake();
        }
        Ok(saved)
    }

    /// Appointments in a period, by start, filtered by worker, branch,
    /// interpreter or client (at most 2,000).
    pub async fn calendar(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        filter: &CalendarFilter,
    ) -> AppResult<Vec<Appointment>> {
        if let (Some(f), Some(t)) = (filter.from, filter.to)
            && t <= f
        {
            return Err(AppError::bad_input("to", "must be after from"));
        }
        let txn = self.db.scoped(auth).await?;
        let mut q = txn.find::<appointment::Entity>();
        if let Some(f) = filter.from {
            q = q.filter(appointment::Column::EndsAt.gt(f));
        }
        if let Some(t) = filter.to {
            q = q.filter(appointment::Column::StartsAt.lt(t));
        }
        if let Some(w) = filter.worker_id {
            q = q.filter(appointment::Column::WorkerId.eq(w.uuid()));
        }
        if let Some(b) = filter.branch_id {
            q = q.filter(appointment::Column::BranchId.eq(b.uuid()));
        }
        if let Some(i) = filter.interpreter_id {
            q = q.filter(appointment::Column::InterpreterId.eq(i));
        }
        if let Some(c) = filter.client_id {
            q = q.filter(appointment::Column::ClientId.eq(c.uuid()));
        }
        if !filter.include_cancelled {
            q = q.filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()));
        }
        let rows = q
            .order_by_asc(appointment::Column::StartsAt)
            .order_by_asc(appointment::Column::Id)
            .limit(2_000)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter().map(from_row).collect()
    }
}

/// The calendar resources an appointment takes: its worker and, if any,
/// its interpreter (as the staff member when they are one).
async fn needs(
    txn: &TenantTx,
    worker: UserId,
    interpreter: Option<uuid::Uuid>,
) -> AppResult<Vec<Need>> {
    let names = integra_tenants::staff::user_names(txn, &[worker]).await?;
    let mut out = vec![Need::new(
        Resource::Person(worker),
        "worker",
        names.get(&worker).map(String::as_str).unwrap_or_default(),
    )];
    if let Some(i) = interpreter {
        out.push(integra_calendar::interpreter_need(txn, i, "interpreterId").await?);
    }
    Ok(out)
}

/// Refuses with `CONFLICT` when any of `needs` is taken during `span` by
/// an appointment, a course session or an event of the centre (other than
/// appointment `except`). Holds the resources until the transaction ends.
async fn check(
    txn: &TenantTx,
    except: Option<uuid::Uuid>,
    needs: &[Need],
    span: Span,
) -> AppResult<()> {
    let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
    calendar::lock(txn, &resources).await?;
    let found = calendar::clashes(txn, needs, &[span], except.as_slice()).await?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(AppError::Clashes(found))
    }
}

/// Writes a booked appointment's bookings (replacing earlier ones) or, when
/// cancelled, removes them.
async fn take(txn: &TenantTx, row: &appointment::Model, needs: &[Need]) -> AppResult<()> {
    if row.status != AppointmentStatus::Booked.as_str() {
        return calendar::release(txn, SourceKind::Appointment, &[row.id]).await;
    }
    let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
    calendar::book(
        txn,
        SourceKind::Appointment,
        row.id,
        &resources,
        Span {
            starts_at: row.starts_at,
            ends_at: row.ends_at,
        },
        &row.kind.replace('_', " "),
    )
    .await
}

/// Saves a changed appointment, logs the change on the client's record,
/// queues the client's email about it and commits. Says whether mail was
/// queued.
async fn save(
    txn: TenantTx,
    scope: &TenantScope,
    mut row: appointment::ActiveModel,
    client: Option<uuid::Uuid>,
    now: DateTime<Utc>,
    change: Change,
) -> AppResult<(Appointment, bool)> {
    row.updated_at = Set(now);
    let row = row.update(&txn).await?;
    let needs = needs(&txn, UserId(row.worker_id), row.interpreter_id).await?;
    take(&txn, &row, &needs).await?;
    if let Some(c) = client {
        audit::record(&txn, scope, now, AuditAction::Update, c, &["appointments"]).await?;
    }
    let mailed = mail::appointment_changed(&txn, &row, change, now).await?;
    txn.commit().await?;
    Ok((from_row(row)?, mailed))
}

async fn find(txn: &TenantTx, id: uuid::Uuid) -> AppResult<appointment::Model> {
    txn.find_by_id::<appointment::Entity>(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) fn from_row(r: appointment::Model) -> AppResult<Appointment> {
    Ok(Appointment {
        id: r.id.into(),
        client_id: r.client_id.map(ClientId),
        worker_id: UserId(r.worker_id),
        branch_id: r.branch_id.map(Into::into),
        kind: InterventionKind::parse(&r.kind)
            .ok_or_else(|| AppError::internal_msg("stored appointment kind unknown"))?,
        language: r.language,
        interpreter_id: r.interpreter_id.map(Into::into),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        place: r.place,
        note: r.note,
        status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::Booked),
        cancel_reason: r.cancel_reason,
    })
}
