//! Outreach slots (field work) and their schedule.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// A recurring outreach presence.
#[derive(SimpleObject)]
pub struct OutreachSlot {
    id: Id<OutreachSlotId>,
    title: String,
    place: String,
    municipality: String,
    branch_id: Option<Id<BranchId>>,
    worker_id: Option<Id<UserId>>,
    /// RFC 5545 recurrence rule.
    rrule: String,
    /// Local start, `HH:MM` (Europe/Prague).
    starts_time: String,
    /// Local end, `HH:MM`.
    ends_time: String,
    valid_from: Date,
    valid_to: Option<Date>,
}

impl From<c::OutreachSlot> for OutreachSlot {
    fn from(x: c::OutreachSlot) -> Self {
        Self {
            id: Id::from(x.id),
            title: x.title,
            place: x.place,
            municipality: x.municipality,
            branch_id: x.branch_id.map(Id::from),
            worker_id: x.worker_id.map(Id::from),
            rrule: x.rrule,
            starts_time: x.starts_time,
            ends_time: x.ends_time,
            valid_from: Date(x.valid_from),
            valid_to: x.valid_to.map(Date),
        }
    }
}

/// One occurrence of an outreach slot.
#[derive(SimpleObject)]
pub struct OutreachOccurrence {
    slot_id: Id<OutreachSlotId>,
    date: Date,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Sessions recorded in it.
    recorded_intervention_ids: Vec<Id<InterventionId>>,
}

/// An outreach slot to create.
#[derive(InputObject)]
pub struct OutreachSlotInput {
    title: String,
    place: String,
    #[graphql(default)]
    municipality: String,
    branch_id: Option<Id<BranchId>>,
    worker_id: Option<Id<UserId>>,
    weekdays: Vec<Weekday>,
    /// Every n-th week (default 1).
    every_weeks: Option<i32>,
    /// Local start, `HH:MM`.
    starts_time: String,
    /// Local end, `HH:MM`.
    ends_time: String,
    valid_from: Date,
    valid_to: Option<Date>,
}

/// Queries: outreach slots (field work) and their schedule.
#[derive(Default)]
pub struct OutreachQuery;

#[Object]
impl OutreachQuery {
    /// The centre's outreach slots.
    async fn outreach_slots(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OutreachSlot>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?
            .counselling
            .outreach_slots(&auth)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// Every occurrence of the outreach slots in a period (at most a year),
    /// with the sessions recorded in each.
    async fn outreach_schedule(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<OutreachOccurrence>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?
            .counselling
            .outreach_schedule(&auth, from.0, to.0)
            .await
            .gql()?;
        Ok(out
            .into_iter()
            .map(|o| OutreachOccurrence {
                slot_id: Id::from(o.slot_id),
                date: Date(o.date),
                starts_at: o.starts_at,
                ends_at: o.ends_at,
                recorded_intervention_ids: o.recorded.into_iter().map(Id::from).collect(),
            })
            .collect())
    }
}

/// Mutations: outreach slots (field work) and their schedule.
#[derive(Default)]
pub struct OutreachMutation;

#[Object]
impl OutreachMutation {
    /// Creates a recurring outreach slot (centre admins).
    async fn create_outreach_slot(
        &self,
        ctx: &Context<'_>,
        input: OutreachSlotInput,
    ) -> async_graphql::Result<OutreachSlot> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let input = c::OutreachSlotInput {
            title: input.title,
            place: input.place,
            municipality: input.municipality,
            branch_id: input.branch_id.map(|v| v.get()),
            worker_id: input.worker_id.map(|v| v.get()),
            weekdays: input.weekdays.into_iter().map(Into::into).collect(),
            every_weeks: input.every_weeks,
            starts_time: input.starts_time,
            ends_time: input.ends_time,
            valid_from: input.valid_from.0,
            valid_to: input.valid_to.map(|d| d.0),
        };
        Ok(services(ctx)?
            .counselling
            .create_outreach_slot(&auth, &input)
            .await
            .gql()?
            .into())
    }
}
