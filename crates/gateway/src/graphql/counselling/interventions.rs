//! Services recorded for clients (interventions).

use super::*;
use super::{enums::*, notes::*};
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId, FundingProjectId, UserId};

/// A client's part in an intervention, with the eligibility snapshot taken
/// when it was saved.
#[derive(SimpleObject)]
pub struct Participant {
    client_id: ID,
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
    id: ID,
    occurred_on: Date,
    duration_minutes: i32,
    worker_id: ID,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<ID>,
    place: String,
    topics: Vec<Topic>,
    /// Language of the service (ISO 639-1).
    language: String,
    interpreter_id: Option<ID>,
    interpreter_language: String,
    outcome: String,
    case_id: Option<ID>,
    funding_project_id: ID,
    key_activity: String,
    is_group: bool,
    /// People present who were not named.
    anonymous_count: i32,
    outreach_slot_id: Option<ID>,
    participants: Vec<Participant>,
    created_at: DateTime<Utc>,
}

impl From<c::Intervention> for Intervention {
    fn from(x: c::Intervention) -> Self {
        Self {
            id: id_of(x.id),
            occurred_on: Date(x.occurred_on),
            duration_minutes: x.duration_minutes,
            worker_id: id_of(x.worker_id.uuid()),
            kind: x.kind.into(),
            target_office: x.target_office.map(Into::into),
            form: x.form.into(),
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            place: x.place,
            topics: x.topics.into_iter().map(Into::into).collect(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(id_of),
            interpreter_language: x.interpreter_language,
            outcome: x.outcome,
            case_id: x.case_id.map(id_of),
            funding_project_id: id_of(x.funding_project_id.uuid()),
            key_activity: x.key_activity,
            is_group: x.is_group,
            anonymous_count: x.anonymous_count,
            outreach_slot_id: x.outreach_slot_id.map(id_of),
            participants: x
                .participants
                .into_iter()
                .map(|p| Participant {
                    client_id: id_of(p.client_id.uuid()),
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
    assignee_id: Option<ID>,
}

/// An intervention to record. One client for an individual intervention;
/// several and/or an anonymous head-count for a group session.
#[derive(InputObject)]
pub struct InterventionInput {
    #[graphql(default)]
    client_ids: Vec<ID>,
    #[graphql(default)]
    anonymous_count: i32,
    /// Default: today.
    occurred_on: Option<Date>,
    duration_minutes: i32,
    /// Default: you.
    worker_id: Option<ID>,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<ID>,
    #[graphql(default)]
    place: String,
    topics: Vec<Topic>,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<ID>,
    #[graphql(default)]
    interpreter_language: String,
    #[graphql(default)]
    outcome: String,
    case_id: Option<ID>,
    funding_project_id: ID,
    #[graphql(default)]
    key_activity: String,
    outreach_slot_id: Option<ID>,
    follow_up: Option<FollowUpInput>,
    note: Option<NoteInput>,
}

impl InterventionInput {
    fn into_domain(self) -> async_graphql::Result<c::InterventionInput> {
        let client_ids = self
            .client_ids
            .iter()
            .map(|i| parse_id::<ClientId>("clientIds", i))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        Ok(c::InterventionInput {
            client_ids,
            anonymous_count: self.anonymous_count,
            occurred_on: self.occurred_on.map(|d| d.0),
            duration_minutes: self.duration_minutes,
            worker_id: opt::<UserId>("workerId", self.worker_id.as_ref())?,
            kind: self.kind.into(),
            target_office: self.target_office.map(Into::into),
            form: self.form.into(),
            branch_id: opt::<BranchId>("branchId", self.branch_id.as_ref())?,
            place: self.place,
            topics: self.topics.into_iter().map(Into::into).collect(),
            language: self.language,
            interpreter_id: opt("interpreterId", self.interpreter_id.as_ref())?,
            interpreter_language: self.interpreter_language,
            outcome: self.outcome,
            case_id: opt("caseId", self.case_id.as_ref())?,
            funding_project_id: parse_id::<FundingProjectId>(
                "fundingProjectId",
                &self.funding_project_id,
            )
            .gql()?,
            key_activity: self.key_activity,
            outreach_slot_id: opt("outreachSlotId", self.outreach_slot_id.as_ref())?,
            follow_up: match self.follow_up {
                Some(f) => Some(c::FollowUpInput {
                    title: f.title,
                    due_on: f.due_on.0,
                    assignee_id: opt("followUp.assigneeId", f.assignee_id.as_ref())?,
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
    async fn intervention(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Intervention> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id = uuid_arg("id", &id)?;
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
