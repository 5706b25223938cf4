//! The centre's workload.

use super::enums::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject};
use integra_counselling::{self as c};
use integra_kernel::UserId;
use integra_kernel::scope::can;

/// Services of one kind in a period.
#[derive(SimpleObject)]
pub struct WorkloadByKind {
    kind: InterventionKind,
    /// Records.
    count: i64,
    /// Minutes.
    minutes: i64,
    /// Named participations (a group session counts each named person).
    named_participants: i64,
}

/// Inquiries of one channel in a period.
#[derive(SimpleObject)]
pub struct WorkloadByChannel {
    channel: InquiryChannel,
    count: i64,
    minutes: i64,
}

/// The centre's workload in a period: records and minutes, never persons.
#[derive(SimpleObject)]
pub struct Workload {
    interventions: Vec<WorkloadByKind>,
    /// Anonymous head-count at group sessions and field work.
    anonymous_contacts: i64,
    inquiries: Vec<WorkloadByChannel>,
    /// By worker (`key` the worker's id, `label` their name): everyone's
    /// for those who read reports, otherwise only your own.
    by_worker: Vec<WorkloadSlice>,
    /// By channel: `key` is `in_person` (office or desk), `field`,
    /// `online`, `phone` or `email`; interventions by form, inquiries by
    /// channel.
    by_channel: Vec<WorkloadSlice>,
    /// By weekday of the service: `key` `1` (Monday) to `7` (Sunday).
    by_weekday: Vec<WorkloadSlice>,
    /// By hour in Prague: `key` `00`–`23` when the record was made on the
    /// day of the service (the hour it was made), else `unknown`.
    by_hour: Vec<WorkloadSlice>,
}

/// Records and minutes of one slice of the workload.
#[derive(SimpleObject)]
pub struct WorkloadSlice {
    /// What the slice is (see the list it is in).
    key: String,
    /// A name for the key where it has one (a worker's name).
    label: Option<String>,
    /// Interventions (a group session once).
    interventions: i64,
    /// Their minutes.
    intervention_minutes: i64,
    /// Anonymous inquiries.
    inquiries: i64,
    /// Their minutes.
    inquiry_minutes: i64,
}

impl WorkloadSlice {
    fn of(s: c::WorkloadSlice, label: Option<String>) -> Self {
        Self {
            key: s.key,
            label,
            interventions: s.interventions,
            intervention_minutes: s.intervention_minutes,
            inquiries: s.inquiries,
            inquiry_minutes: s.inquiry_minutes,
        }
    }
}

/// Queries: the centre's workload.
#[derive(Default)]
pub struct WorkloadQuery;

#[Object]
impl WorkloadQuery {
    /// The centre's workload in a period (at most a year): services and
    /// inquiries as records and minutes, never persons, by kind, channel,
    /// worker, weekday and hour. Desk and counselling staff, and those who
    /// read reports.
    async fn workload(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Workload> {
        let auth = scope(ctx)?.authorize::<can::ReadWorkload>().gql()?;
        let w = services(ctx)?
            .counselling
            .workload(&auth, from.0, to.0)
            .await
            .gql()?;
        let ids: Vec<UserId> = w
            .by_worker
            .iter()
            .filter_map(|s| s.key.parse().ok().map(UserId))
            .collect();
        let names = services(ctx)?
            .staff
            .display_names(scope(ctx)?, &ids)
            .await
            .gql()?;
        let plain = |v: Vec<c::WorkloadSlice>| -> Vec<WorkloadSlice> {
            v.into_iter().map(|s| WorkloadSlice::of(s, None)).collect()
        };
        Ok(Workload {
            by_worker: w
                .by_worker
                .into_iter()
                .map(|s| {
                    let name = s
                        .key
                        .parse()
                        .ok()
                        .and_then(|u| names.get(&UserId(u)).cloned());
                    WorkloadSlice::of(s, name)
                })
                .collect(),
            by_channel: plain(w.by_channel),
            by_weekday: plain(w.by_weekday),
            by_hour: plain(w.by_hour),
            interventions: w
                .interventions
                .into_iter()
                .map(|(kind, count, minutes, named)| WorkloadByKind {
                    kind: kind.into(),
                    count,
                    minutes,
                    named_participants: named,
                })
                .collect(),
            anonymous_contacts: w.anonymous_contacts,
            inquiries: w
                .inquiries
                .into_iter()
                .map(|(channel, count, minutes)| WorkloadByChannel {
                    channel: channel.into(),
                    count,
                    minutes,
                })
                .collect(),
        })
    }
}
