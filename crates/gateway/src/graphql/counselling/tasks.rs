//! Tasks of the team.

use super::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// A follow-up task.
#[derive(SimpleObject)]
pub struct Task {
    id: Id<TaskId>,
    title: String,
    due_on: Date,
    /// Open and past its due date.
    overdue: bool,
    assignee_id: Id<UserId>,
    client_id: Option<Id<ClientId>>,
    case_id: Option<Id<CaseId>>,
    intervention_id: Option<Id<InterventionId>>,
    created_by: Option<Id<UserId>>,
    done: bool,
    done_at: Option<DateTime<Utc>>,
}

pub(super) fn task(x: c::Task, today: chrono::NaiveDate) -> Task {
    Task {
        id: Id::from(x.id),
        title: x.title,
        due_on: Date(x.due_on),
        overdue: x.done_at.is_none() && x.due_on < today,
        assignee_id: Id::from(x.assignee_id),
        client_id: x.client_id.map(Id::from),
        case_id: x.case_id.map(Id::from),
        intervention_id: x.intervention_id.map(Id::from),
        created_by: x.created_by.map(Id::from),
        done: x.done_at.is_some(),
        done_at: x.done_at,
    }
}

/// A task to create.
#[derive(InputObject)]
pub struct TaskInput {
    title: String,
    due_on: Date,
    /// Default: you.
    assignee_id: Option<Id<UserId>>,
    client_id: Option<Id<ClientId>>,
    case_id: Option<Id<CaseId>>,
}

/// Queries: tasks of the team.
#[derive(Default)]
pub struct TasksQuery;

#[Object]
impl TasksQuery {
    /// Your open tasks, overdue first (then recently done ones with
    /// `includeDone`).
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        include_done: Option<bool>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Task>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let first = first_arg(first, 100, 500)?;
        let out = services(ctx)?
            .counselling
            .my_tasks(&auth, include_done.unwrap_or(false), first)
            .await
            .gql()?;
        let today = today(ctx)?;
        Ok(out.into_iter().map(|t| task(t, today)).collect())
    }
}

/// Mutations: tasks of the team.
#[derive(Default)]
pub struct TasksMutation;

#[Object]
impl TasksMutation {
    /// Creates a follow-up task.
    async fn create_task(
        &self,
        ctx: &Context<'_>,
        input: TaskInput,
    ) -> async_graphql::Result<Task> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::TaskInput {
            title: input.title,
            due_on: input.due_on.0,
            assignee_id: input.assignee_id.map(|v| v.get()),
            client_id: input.client_id.map(|v| v.get()),
            case_id: input.case_id.map(|v| v.get()),
        };
        let t = services(ctx)?
            .counselling
            .create_task(&auth, &input)
            .await
            .gql()?;
        Ok(task(t, today(ctx)?))
    }

    /// Marks a task done (or open again).
    async fn set_task_done(
        &self,
        ctx: &Context<'_>,
        id: Id<TaskId>,
        done: bool,
    ) -> async_graphql::Result<Task> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let id = id.get();
        let t = services(ctx)?
            .counselling
            .set_task_done(&auth, id, done)
            .await
            .gql()?;
        Ok(task(t, today(ctx)?))
    }
}
