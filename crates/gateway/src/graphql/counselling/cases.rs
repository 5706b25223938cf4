//! Cases and their goals.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{
    self as c, CaseStatus as DomainCaseStatus, GoalStatus as DomainGoalStatus,
};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

/// A goal of an individual plan.
#[derive(SimpleObject)]
pub struct Goal {
    id: Id<GoalId>,
    description: String,
    status: GoalStatus,
    /// Progress, 0–100 %.
    progress: i32,
    progress_note: String,
    target_on: Option<Date>,
    updated_at: DateTime<Utc>,
}

/// A counselling case.
#[derive(SimpleObject)]
pub struct Case {
    id: Id<CaseId>,
    client_id: Id<ClientId>,
    kind: CaseKind,
    title: String,
    status: CaseStatus,
    /// Responsible worker.
    worker_id: Id<UserId>,
    opened_on: Date,
    closed_on: Option<Date>,
    /// Goals of the individual plan, in order.
    goals: Vec<Goal>,
}

impl From<c::Case> for Case {
    fn from(x: c::Case) -> Self {
        Self {
            id: Id::from(x.id),
            client_id: Id::from(x.client_id),
            kind: x.kind.into(),
            title: x.title,
            status: x.status.into(),
            worker_id: Id::from(x.worker_id),
            opened_on: Date(x.opened_on),
            closed_on: x.closed_on.map(Date),
            goals: x
                .goals
                .into_iter()
                .map(|g| Goal {
                    id: Id::from(g.id),
                    description: g.description,
                    status: g.status.into(),
                    progress: g.progress,
                    progress_note: g.progress_note,
                    target_on: g.target_on.map(Date),
                    updated_at: g.updated_at,
                })
                .collect(),
        }
    }
}

/// A goal to add or record progress on.
#[derive(InputObject)]
pub struct GoalInput {
    description: String,
    status: Option<GoalStatus>,
    /// 0–100; `ACHIEVED` defaults to 100.
    progress: Option<i32>,
    #[graphql(default)]
    progress_note: String,
    target_on: Option<Date>,
}

impl From<GoalInput> for c::GoalInput {
    fn from(g: GoalInput) -> Self {
        Self {
            description: g.description,
            status: g.status.map(DomainGoalStatus::from),
            progress: g.progress,
            progress_note: g.progress_note,
            target_on: g.target_on.map(|d| d.0),
        }
    }
}

/// A case to open.
#[derive(InputObject)]
pub struct CaseInput {
    kind: CaseKind,
    title: String,
    /// Default: you.
    worker_id: Option<Id<UserId>>,
    /// Default: today.
    opened_on: Option<Date>,
    #[graphql(default)]
    goals: Vec<GoalInput>,
}

/// A change to a case.
#[derive(InputObject)]
pub struct CaseChangeInput {
    title: Option<String>,
    status: Option<CaseStatus>,
    worker_id: Option<Id<UserId>>,
    /// Closing date (default today when closing).
    closed_on: Option<Date>,
}

/// Queries: cases and their goals.
#[derive(Default)]
pub struct CasesQuery;

#[Object]
impl CasesQuery {
    /// A client's cases, newest first (counselling staff).
    async fn cases(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<Vec<Case>> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = client_id.get();
        let out = services(ctx)?
            .counselling
            .cases_of(&auth, client)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// One case.
    async fn case(&self, ctx: &Context<'_>, id: Id<CaseId>) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = id.get();
        Ok(services(ctx)?
            .counselling
            .case(&auth, id)
            .await
            .gql()?
            .into())
    }
}

/// Mutations: cases and their goals.
#[derive(Default)]
pub struct CasesMutation;

#[Object]
impl CasesMutation {
    /// Opens a case with the goals of its plan (legal cases: legal
    /// counsellors and admins).
    async fn open_case(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        input: CaseInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = client_id.get();
        let input = c::CaseInput {
            kind: input.kind.into(),
            title: input.title,
            worker_id: input.worker_id.map(|v| v.get()),
            opened_on: input.opened_on.map(|d| d.0),
            goals: input.goals.into_iter().map(Into::into).collect(),
        };
        Ok(services(ctx)?
            .counselling
            .open_case(&auth, client, &input)
            .await
            .gql()?
            .into())
    }

    /// Changes a case's title, status or worker.
    async fn update_case(
        &self,
        ctx: &Context<'_>,
        id: Id<CaseId>,
        input: CaseChangeInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = id.get();
        let change = c::cases::CaseChange {
            title: input.title,
            status: input.status.map(DomainCaseStatus::from),
            worker_id: input.worker_id.map(|v| v.get()),
            closed_on: input.closed_on.map(|d| d.0),
        };
        Ok(services(ctx)?
            .counselling
            .update_case(&auth, id, &change)
            .await
            .gql()?
            .into())
    }

    /// Adds a goal to a case's plan.
    async fn add_case_goal(
        &self,
        ctx: &Context<'_>,
        case_id: Id<CaseId>,
        input: GoalInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = case_id.get();
        Ok(services(ctx)?
            .counselling
            .add_goal(&auth, id, &input.into())
            .await
            .gql()?
            .into())
    }

    /// Records progress on a goal.
    async fn update_case_goal(
        &self,
        ctx: &Context<'_>,
        goal_id: Id<GoalId>,
        input: GoalInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = goal_id.get();
        Ok(services(ctx)?
            .counselling
            .update_goal(&auth, id, &input.into())
            .await
            .gql()?
            .into())
    }
}
