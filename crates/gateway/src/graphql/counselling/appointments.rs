//! Appointments with clients.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// An appointment.
#[derive(SimpleObject)]
pub struct Appointment {
    id: Id<AppointmentId>,
    client_id: Option<Id<ClientId>>,
    worker_id: Id<UserId>,
    branch_id: Option<Id<BranchId>>,
    kind: InterventionKind,
    language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    note: String,
    status: AppointmentStatus,
    cancel_reason: String,
}

impl From<c::Appointment> for Appointment {
    fn from(x: c::Appointment) -> Self {
        Self {
            id: Id::from(x.id),
            client_id: x.client_id.map(Id::from),
            worker_id: Id::from(x.worker_id),
            branch_id: x.branch_id.map(Id::from),
            kind: x.kind.into(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(Id::from),
            starts_at: x.starts_at,
            ends_at: x.ends_at,
            place: x.place,
            note: x.note,
            status: x.status.into(),
            cancel_reason: x.cancel_reason,
        }
    }
}

/// An appointment to book.
#[derive(InputObject)]
pub struct AppointmentInput {
    client_id: Option<Id<ClientId>>,
    /// Default: you.
    worker_id: Option<Id<UserId>>,
    branch_id: Option<Id<BranchId>>,
    kind: InterventionKind,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    #[graphql(default)]
    place: String,
    #[graphql(default)]
    note: String,
}

/// Queries: appointments with clients.
#[derive(Default)]
pub struct AppointmentsQuery;

#[Object]
impl AppointmentsQuery {
    /// Appointments overlapping a period, by start: a worker's, a branch's,
    /// an interpreter's or a client's calendar.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn appointments(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        worker_id: Option<Id<UserId>>,
        branch_id: Option<Id<BranchId>>,
        interpreter_id: Option<Id<InterpreterId>>,
        client_id: Option<Id<ClientId>>,
        include_cancelled: Option<bool>,
    ) -> async_graphql::Result<Vec<Appointment>> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let filter = c::appointments::CalendarFilter {
            from,
            to,
            worker_id: worker_id.map(|v| v.get()),
            branch_id: branch_id.map(|v| v.get()),
            interpreter_id: interpreter_id.map(|v| v.get().into()),
            client_id: client_id.map(|v| v.get()),
            include_cancelled: include_cancelled.unwrap_or(false),
        };
        let out = services(ctx)?
            .counselling
            .calendar(&auth, &filter)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }
}

/// Mutations: appointments with clients.
#[derive(Default)]
pub struct AppointmentsMutation;

#[Object]
impl AppointmentsMutation {
    /// Books an appointment; a double booking of the worker or the
    /// interpreter is refused with `CONFLICT` and `extensions.clashes`.
    async fn book_appointment(
        &self,
        ctx: &Context<'_>,
        input: AppointmentInput,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::AppointmentInput {
            client_id: input.client_id.map(|v| v.get()),
            worker_id: input.worker_id.map(|v| v.get()),
            branch_id: input.branch_id.map(|v| v.get()),
            kind: input.kind.into(),
            language: input.language,
            interpreter_id: input.interpreter_id.map(|v| v.get()),
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: input.place,
            note: input.note,
        };
        Ok(services(ctx)?
            .counselling
            .book_appointment(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Moves an appointment (same clash check).
    async fn move_appointment(
        &self,
        ctx: &Context<'_>,
        id: Id<AppointmentId>,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        worker_id: Option<Id<UserId>>,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = id.get();
        let worker = worker_id.map(|v| v.get());
        Ok(services(ctx)?
            .counselling
            .move_appointment(&auth, id, starts_at, ends_at, worker)
            .await
            .gql()?
            .into())
    }

    /// Cancels an appointment.
    async fn cancel_appointment(
        &self,
        ctx: &Context<'_>,
        id: Id<AppointmentId>,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = id.get();
        Ok(services(ctx)?
            .counselling
            .cancel_appointment(&auth, id, &reason)
            .await
            .gql()?
            .into())
    }
}
