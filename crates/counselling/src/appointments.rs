//! Appointments: calendars per worker, branch and interpreter; booking with
//! a clash check on the worker and the interpreter; moving and cancelling.

use chrono::{DateTime, Duration, DurationRound, Utc};
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::scope::can;
use integra_kernel::validate::{long_text, text};
use integra_kernel::{
    AppError, AppResult, Authorized, Backend, BranchId, Clash, ClientId, TenantScope, UserId, stmt,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{appointment, interpreter};
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
            Some(c) => Some(kept_client(&txn, auth, c, "clientId").await?),
            None => None,
        };
        if let Some(b) = input.branch_id {
            require_branch(&txn, auth, b).await?;
        }
        if let Some(i) = input.interpreter_id {
            crate::interpreters::require(&txn, auth, i).await?;
        }
        lock_people(&txn, self.db.backend(), worker, input.interpreter_id).await?;
        let clashes = clashes(
            &txn,
            auth,
            None,
            worker,
            input.interpreter_id,
            starts_at,
            ends_at,
        )
        .await?;
        if !clashes.is_empty() {
            return Err(AppError::Clashes(clashes));
        }
        let row = appointment::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(client.map(ClientId::uuid)),
            worker_id: Set(worker.uuid()),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            kind: Set(input.kind.as_str().to_owned()),
            language: Set(lang),
            interpreter_id: Set(input.interpreter_id),
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
        let mailed = mail::appointment_changed(&txn, auth, &row, Change::Booked, now).await?;
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
        id: uuid::Uuid,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        worker_id: Option<UserId>,
    ) -> AppResult<Appointment> {
        let (starts_at, ends_at) = check_times(starts_at, ends_at)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, auth, id).await?;
        if row.status != AppointmentStatus::Booked.as_str() {
            return Err(AppError::Conflict(
                "A cancelled appointment cannot be moved; book a new one.".into(),
            ));
        }
        let worker = worker_id.unwrap_or(UserId(row.worker_id));
        require_staff(&txn, auth, &[worker], "workerId").await?;
        lock_people(&txn, self.db.backend(), worker, row.interpreter_id).await?;
        let clashes = clashes(
            &txn,
            auth,
            Some(id),
            worker,
            row.interpreter_id,
            starts_at,
            ends_at,
        )
        .await?;
        if !clashes.is_empty() {
            return Err(AppError::Clashes(clashes));
        }
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
        id: uuid::Uuid,
        reason: &str,
    ) -> AppResult<Appointment> {
        let reason = text("reason", reason, 500, false)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, auth, id).await?;
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
        let mut q = appointment::Entity::find()
            .filter(appointment::Column::TenantId.eq(auth.centre_id().uuid()));
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

/// Serialises bookings of the same people on PostgreSQL (SQLite writers
/// are serialised by their `IMMEDIATE` transactions already), so that two
/// simultaneous bookings cannot both pass the clash check.
async fn lock_people(
    txn: &DatabaseTransaction,
    backend: Backend,
    worker: UserId,
    interpreter: Option<uuid::Uuid>,
) -> AppResult<()> {
    if backend != Backend::Postgres {
        return Ok(());
    }
    let mut keys = vec![format!("booking:{}", worker.uuid())];
    if let Some(i) = interpreter {
        keys.push(format!("booking:{i}"));
    }
    keys.sort();
    for k in keys {
        txn.execute_raw(stmt(
            backend,
            "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
            vec![k.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Booked appointments of the centre overlapping `[starts_at, ends_at)`
/// that need the worker or the interpreter (either as the other's role:
/// an interpreter who is a member of staff can also be a worker).
pub(crate) async fn clashes(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    except: Option<uuid::Uuid>,
    worker: UserId,
    interpreter_id: Option<uuid::Uuid>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> AppResult<Vec<Clash>> {
    let tenant = scope.centre_id().uuid();
    // The worker acting as an interpreter, and the interpreter as a worker.
    let worker_as_interpreter: Vec<uuid::Uuid> = interpreter::Entity::find()
        .select_only()
        .column(interpreter::Column::Id)
        .filter(interpreter::Column::TenantId.eq(tenant))
        .filter(interpreter::Column::UserId.eq(worker.uuid()))
        .into_tuple()
        .all(txn)
        .await?;
    let interp = match interpreter_id {
        Some(i) => {
            interpreter::Entity::find_by_id(i)
                .filter(interpreter::Column::TenantId.eq(tenant))
                .one(txn)
                .await?
        }
        None => None,
    };
    let interp_user = interp.as_ref().and_then(|i| i.user_id);
    let mut workers = vec![worker.uuid()];
    workers.extend(interp_user);
    let mut interps = worker_as_interpreter.clone();
    interps.extend(interpreter_id);
    let mut who = Condition::any().add(appointment::Column::WorkerId.is_in(workers));
    if !interps.is_empty() {
        who = who.add(appointment::Column::InterpreterId.is_in(interps));
    }
    let mut q = appointment::Entity::find()
        .filter(appointment::Column::TenantId.eq(tenant))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
        .filter(appointment::Column::StartsAt.lt(ends_at))
        .filter(appointment::Column::EndsAt.gt(starts_at))
        .filter(who);
    if let Some(e) = except {
        q = q.filter(appointment::Column::Id.ne(e));
    }
    let rows = q
        .order_by_asc(appointment::Column::StartsAt)
        .limit(50)
        .all(txn)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let names = integra_tenants::staff::user_names(txn, &[worker]).await?;
    let worker_name = names.get(&worker).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for r in rows {
        let title = InterventionKind::parse(&r.kind)
            .map(|k| k.as_str().replace('_', " "))
            .unwrap_or_default();
        let needs_worker = r.worker_id == worker.uuid()
            || r.interpreter_id
                .is_some_and(|i| worker_as_interpreter.contains(&i));
        let needs_interpreter = interp
            .as_ref()
            .is_some_and(|i| r.interpreter_id == Some(i.id) || Some(r.worker_id) == i.user_id);
        let mut push = |resource: &str, id: uuid::Uuid, name: &str| {
            out.push(Clash {
                resource: resource.to_owned(),
                resource_id: id,
                resource_name: name.to_owned(),
                with_kind: "appointment".to_owned(),
                with_id: r.id,
                with_title: title.clone(),
                starts_at: r.starts_at,
                ends_at: r.ends_at,
            });
        };
        if needs_worker {
            push("worker", worker.uuid(), &worker_name);
        }
        if let (true, Some(i)) = (needs_interpreter, &interp) {
            push("interpreter", i.id, &i.name);
        }
    }
    Ok(out)
}

/// Saves a changed appointment, logs the change on the client's record,
/// queues the client's email about it and commits. Says whether mail was
/// queued.
async fn save(
    txn: DatabaseTransaction,
    scope: &TenantScope,
    mut row: appointment::ActiveModel,
    client: Option<uuid::Uuid>,
    now: DateTime<Utc>,
    change: Change,
) -> AppResult<(Appointment, bool)> {
    row.updated_at = Set(now);
    let row = row.update(&txn).await?;
    if let Some(c) = client {
        audit::record(&txn, scope, now, AuditAction::Update, c, &["appointments"]).await?;
    }
    let mailed = mail::appointment_changed(&txn, scope, &row, change, now).await?;
    txn.commit().await?;
    Ok((from_row(row)?, mailed))
}

async fn find(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    id: uuid::Uuid,
) -> AppResult<appointment::Model> {
    appointment::Entity::find_by_id(id)
        .filter(appointment::Column::TenantId.eq(scope.centre_id().uuid()))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) fn from_row(r: appointment::Model) -> AppResult<Appointment> {
    Ok(Appointment {
        id: r.id,
        client_id: r.client_id.map(ClientId),
        worker_id: UserId(r.worker_id),
        branch_id: r.branch_id.map(Into::into),
        kind: InterventionKind::parse(&r.kind)
            .ok_or_else(|| AppError::internal_msg("stored appointment kind unknown"))?,
        language: r.language,
        interpreter_id: r.interpreter_id,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        place: r.place,
        note: r.note,
        status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::Booked),
        cancel_reason: r.cancel_reason,
    })
}
