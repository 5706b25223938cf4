//! Services recorded for clients (interventions).

use super::{enums::*, notes::*};
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId, FundingProjectId, UserId};

/// A client's part in an intervention, with the eligibility snapshot taken
/// when it was saved.
#[derive(SimpleObject)]
pub struct Participant {
    client_id: Id<ClientId>,
    /// Eligible for the project on the service date.
    eligible: bool,
    /// Why, and what kept the service out of the indicators if anything.
    eligibility_reason: String,
    /// Counts toward the project's indicators.
    counts_toward_indicators: bool,
}

/// A recorded intervention.
#[derive(SimpleObject)]
pub struct Intervention {
    id: Id<InterventionId>,
    occurred_on: Date,
    duration_minutes: i32,
    worker_id: Id<UserId>,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<Id<BranchId>>,
    place: String,
    topics: Vec<Topic>,
    /// Language of the service (ISO 639-1).
    language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    interpreter_language: String,
    outcome: String,
    case_id: Option<Id<CaseId>>,
    funding_project_id: Id<FundingProjectId>,
    key_activity: String,
    is_group: bool,
    /// People present who were not named.
    anonymous_count: i32,
    outreach_slot_id: Option<Id<OutreachSlotId>>,
    participants: Vec<Participant>,
    created_at: DateTime<Utc>,
}

impl From<c::Intervention> for Intervention {
    fn from(x: c::Intervention) -> Self {
        Self {
            id: Id::from(x.id),
            occurred_on: Date(x.occurred_on),
            duration_minutes: x.duration_minutes,
            worker_id: Id::from(x.worker_id),
            kind: x.kind.into(),
            target_office: x.target_office.map(Into::into),
            form: x.form.into(),
            branch_id: x.branch_id.map(Id::from),
            place: x.place,
            topics: x.topics.into_iter().map(Into::into).collect(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(Id::from),
            interpreter_language: x.interpreter_language,
            outcome: x.outcome,
            case_id: x.case_id.map(Id::from),
            funding_project_id: Id::from(x.funding_project_id),
            key_activity: x.key_activity,
            is_group: x.is_group,
            anonymous_count: x.anonymous_count,
            outreach_slot_id: x.outreach_slot_id.map(Id::from),
            participants: x
                .participants
                .into_iter()
                .map(|p| Participant {
                    client_id: Id::from(p.client_id),
                    eligible: p.eligible,
                    eligibility_reason: p.eligibility_reason,
                    counts_toward_indicators: p.counts,
                })
                .collect(),
            created_at: x.created_at,
        }
    }
}

/// A follow-up task recorded with an intervention.
#[derive(InputObject)]
pub struct FollowUpInput {
    title: String,
    due_on: Date,
    /// Default: the worker.
    assignee_id: Option<Id<UserId>>,
}

/// An intervention to record. One client for an individual intervention;
/// several and/or an anonymous head-count for a group session.
#[derive(InputObject)]
pub struct InterventionInput {
    #[graphql(default)]
    client_ids: Vec<Id<ClientId>>,
    #[graphql(default)]
    anonymous_count: i32,
    /// Default: today.
    occurred_on: Option<Date>,
    duration_minutes: i32,
    /// Default: you.
    worker_id: Option<Id<UserId>>,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<Id<BranchId>>,
    #[graphql(default)]
    place: String,
    topics: Vec<Topic>,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    #[graphql(default)]
    interpreter_language: String,
    #[graphql(default)]
    outcome: String,
    case_id: Option<Id<CaseId>>,
    funding_project_id: Id<FundingProjectId>,
    #[graphql(default)]
    key_activity: String,
    outreach_slot_id: Option<Id<OutreachSlotId>>,
    follow_up: Option<FollowUpInput>,
    note: Option<NoteInput>,
}

impl InterventionInput {
    fn into_domain(self) -> async_graphql::Result<c::InterventionInput> {
        let client_ids = self.client_ids.iter().map(|i| i.get()).collect::<Vec<_>>();
        Ok(c::InterventionInput {
            client_ids,
            anonymous_count: self.anonymous_count,
            occurred_on: self.occurred_on.map(|d| d.0),
            duration_minutes: self.duration_minutes,
            worker_id: self.worker_id.map(|v| v.get()),
            kind: self.kind.into(),
            target_office: self.target_office.map(Into::into),
            form: self.form.into(),
            branch_id: self.branch_id.map(|v| v.get()),
            place: self.place,
            topics: self.topics.into_iter().map(Into::into).collect(),
            language: self.language,
            interpreter_id: self.interpreter_id.map(|v| v.get()),
            interpreter_language: self.interpreter_language,
            outcome: self.outcome,
            case_id: self.case_id.map(|v| v.get()),
            funding_project_id: self.funding_project_id.get(),
            key_activity: self.key_activity,
            outreach_slot_id: self.outreach_slot_id.map(|v| v.get()),
            follow_up: match self.follow_up {
                Some(f) => Some(c::FollowUpInput {
                    title: f.title,
                    due_on: f.due_on.0,
                    assignee_id: f.assignee_id.map(Id::get),
                }),
                None => None,
            },
            note: self.note.map(|n| c::NoteInput {
                kind: n.kind.into(),
                body: n.body,
            }),
        })
    }
}

/// Queries: services recorded for clients (interventions).
#[derive(Default)]
pub struct InterventionsQuery;

#[Object]
impl InterventionsQuery {
    /// One intervention.
    async fn intervention(
        &self,
        ctx: &Context<'_>,
        id: Id<InterventionId>,
    ) -> async_graphql::Result<Intervention> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id = id.get();
        Ok(services(ctx)?
            .counselling
            .intervention(&auth, id)
            .await
            .gql()?
            .into())
    }
}

/// Mutations: services recorded for clients (interventions).
#[derive(Default)]
pub struct InterventionsMutation;

#[Object]
impl InterventionsMutation {
    /// Records an intervention. Eligibility is evaluated for its date and
    /// kept with each participant; receptionists record information-centre
    /// services only.
    async fn record_intervention(
        &self,
        ctx: &Context<'_>,
        input: InterventionInput,
    ) -> async_graphql::Result<Intervention> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .record_intervention(&auth, &input)
            .await
            .gql()?
            .into())
    }
}
