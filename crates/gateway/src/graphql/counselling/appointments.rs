//! Appointments with clients.

use super::enums::*;
use super::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// An appointment.
#[derive(SimpleObject)]
pub struct Appointment {
    id: ID,
    client_id: Option<ID>,
    worker_id: ID,
    branch_id: Option<ID>,
    kind: InterventionKind,
    language: String,
    interpreter_id: Option<ID>,
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
            id: id_of(x.id),
            client_id: x.client_id.map(|c| id_of(c.uuid())),
            worker_id: id_of(x.worker_id.uuid()),
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            kind: x.kind.into(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(id_of),
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
    client_id: Option<ID>,
    /// Default: you.
    worker_id: Option<ID>,
    branch_id: Option<ID>,
    kind: InterventionKind,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<ID>,
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
        worker_id: Option<ID>,
        branch_id: Option<ID>,
        interpreter_id: Option<ID>,
        client_id: Option<ID>,
        include_cancelled: Option<bool>,
    ) -> async_graphql::Result<Vec<Appointment>> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let filter = c::appointments::CalendarFilter {
            from,
            to,
            worker_id: opt("workerId", worker_id.as_ref())?,
            branch_id: opt("branchId", branch_id.as_ref())?,
            interpreter_id: opt("interpreterId", interpreter_id.as_ref())?,
            client_id: opt("clientId", client_id.as_ref())?,
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
            client_id: opt("clientId", input.client_id.as_ref())?,
            worker_id: opt("workerId", input.worker_id.as_ref())?,
            branch_id: opt("branchId", input.branch_id.as_ref())?,
            kind: input.kind.into(),
            language: input.language,
            interpreter_id: opt("interpreterId", input.interpreter_id.as_ref())?,
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
        id: ID,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        worker_id: Option<ID>,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = uuid_arg("id", &id)?;
        let worker = opt("workerId", worker_id.as_ref())?;
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
        id: ID,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = uuid_arg("id", &id)?;
        Ok(services(ctx)?
            .counselling
            .cancel_appointment(&auth, id, &reason)
            .await
            .gql()?
            .into())
    }
}
