//! Follow-up tasks: due date and assignee; "my tasks" with overdue first.

use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, Authorized, ClientId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{case, task};
use crate::model::{Task, TaskInput};
use crate::service::{CounsellingService, require_staff};

impl CounsellingService {
    /// Creates a task.
    pub async fn create_task(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        input: &TaskInput,
    ) -> AppResult<Task> {
        let title = text("title", &input.title, 200, true)?;
        let assignee = input.assignee_id.unwrap_or(auth.user_id());
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        require_staff(&txn, auth, &[assignee], "assigneeId").await?;
        let client = match input.client_id {
            Some(c) => Some(kept_client(&txn, c, "clientId").await?),
            None => None,
        };
        if let Some(c) = input.case_id {
            let row = txn
                .find_by_id::<case::Entity>(c)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            if client.is_some_and(|cl| cl.uuid() != row.client_id) {
                return Err(AppError::bad_input("caseId", "is a case of another client"));
            }
        }
        let row = task::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            title: Set(title),
            due_on: Set(input.due_on),
            assignee_id: Set(assignee.uuid()),
            client_id: Set(client.map(ClientId::uuid)),
            case_id: Set(input.case_id.map(Into::into)),
            intervention_id: Set(None),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            done_at: Set(None),
            done_by: Set(None),
        }
        .insert(&txn)
        .await?;
        if let Some(c) = client {
            audit::record(&txn, auth, now, AuditAction::Update, c.uuid(), &["tasks"]).await?;
        }
        txn.commit().await?;
        Ok(from_row(row))
    }

    /// Marks a task done, or open again.
    pub async fn set_task_done(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
        id: crate::ids::TaskId,
        done: bool,
    ) -> AppResult<Task> {
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = txn
            .find_by_id::<task::Entity>(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        // Anyone may close their own tasks; desk and counselling staff any
        // task of the centre.
        if row.assignee_id != auth.user_id().uuid() && auth.authorize::<can::ServeDesk>().is_err() {
            return Err(AppError::Forbidden);
        }
        let mut row = row.into_active_model();
        row.done_at = Set(done.then_some(now));
        row.done_by = Set(done.then_some(auth.user_id().uuid()));
        let row = row.update(&txn).await?;
        txn.commit().await?;
        Ok(from_row(row))
    }

    /// The caller's open tasks, earliest due first (so overdue ones lead),
    /// then the most recently done ones when `include_done`.
    pub async fn my_tasks(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
        include_done: bool,
        first: u64,
    ) -> AppResult<Vec<Task>> {
        let txn = self.db.scoped(auth).await?;
        let rows = tasks_of(&txn, auth.user_id(), false, first).await?;
        let mut out: Vec<Task> = rows.into_iter().map(from_row).collect();
        if include_done {
            let done = tasks_of(&txn, auth.user_id(), true, first).await?;
            out.extend(done.into_iter().map(from_row));
        }
        txn.commit().await?;
        Ok(out)
    }
}

async fn tasks_of(
    txn: &TenantTx,
    user: UserId,
    done: bool,
    first: u64,
) -> AppResult<Vec<task::Model>> {
    let mut q = txn
        .find::<task::Entity>()
        .filter(task::Column::AssigneeId.eq(user.uuid()));
    q = if done {
        q.filter(task::Column::DoneAt.is_not_null())
            .order_by_desc(task::Column::DoneAt)
    } else {
        q.filter(task::Column::DoneAt.is_null())
            .order_by_asc(task::Column::DueOn)
            .order_by_asc(task::Column::Id)
    };
    Ok(q.limit(first.clamp(1, 500)).all(txn).await?)
}

pub(crate) fn from_row(r: task::Model) -> Task {
    Task {
        id: r.id.into(),
        title: r.title,
        due_on: r.due_on,
        assignee_id: UserId(r.assignee_id),
        client_id: r.client_id.map(ClientId),
        case_id: r.case_id.map(Into::into),
        intervention_id: r.intervention_id.map(Into::into),
        created_by: r.created_by.map(UserId),
        done_at: r.done_at,
    }
}
