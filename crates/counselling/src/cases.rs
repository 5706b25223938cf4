//! Counselling cases and the goals of their individual plans.

use std::collections::HashMap;

use chrono::NaiveDate;
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::{date_not_future, int_range, long_text, text};
use integra_kernel::{AppError, AppResult, Authorized, Backend, ClientId, UserId, one_of};
use sea_orm::{ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};

use crate::entity::{case, goal};
use crate::model::{Case, CaseInput, CaseKind, CaseStatus, Goal, GoalInput, GoalStatus};
use crate::service::{CounsellingService, require_staff};

/// Most goals in one plan.
pub const MAX_GOALS: usize = 30;

/// A change to a case.
#[derive(Clone, Debug, Default)]
pub struct CaseChange {
    /// New title.
    pub title: Option<String>,
    /// New status; closing sets the closing date.
    pub status: Option<CaseStatus>,
    /// New responsible worker.
    pub worker_id: Option<UserId>,
    /// Closing date (default today when the status becomes closed).
    pub closed_on: Option<NaiveDate>,
}

struct ValidGoal {
    description: String,
    status: GoalStatus,
    progress: i32,
    progress_note: String,
    target_on: Option<NaiveDate>,
}

fn validate_goal(prefix: &str, g: &GoalInput) -> AppResult<ValidGoal> {
    let status = g.status.unwrap_or(GoalStatus::Planned);
    let progress = match g.progress {
        Some(p) => int_range(&format!("{prefix}progress"), p, 0, 100)?,
        None if status == GoalStatus::Achieved => 100,
        None => 0,
    };
    Ok(ValidGoal {
        description: text(&format!("{prefix}description"), &g.description, 500, true)?,
        status,
        progress,
        progress_note: long_text(
            &format!("{prefix}progressNote"),
            &g.progress_note,
            2_000,
            false,
        )?,
        target_on: g.target_on,
    })
}

impl CounsellingService {
    /// Opens a case for a client, with the goals of its plan.
    pub async fn open_case(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        client: ClientId,
        input: &CaseInput,
    ) -> AppResult<Case> {
        let today = self.today();
        let title = text("title", &input.title, 200, true)?;
        let opened_on = date_not_future("openedOn", input.opened_on.unwrap_or(today), today)?;
        if input.goals.len() > MAX_GOALS {
            return Err(AppError::bad_input(
                "goals",
                format!("at most {MAX_GOALS} goals"),
            ));
        }
        let goals = input
            .goals
            .iter()
            .map(|g| validate_goal("goals.", g))
            .collect::<AppResult<Vec<_>>>()?;
        if input.kind == CaseKind::Legal && auth.authorize::<can::ReadLegalNotes>().is_err() {
            // Opening a legal case is legal counselling.
            return Err(AppError::Forbidden);
        }
        let worker = input.worker_id.unwrap_or(auth.user_id());
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        require_staff(&txn, auth, &[worker], "workerId").await?;
        let id = uuid::Uuid::now_v7();
        case::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(client.uuid()),
            kind: Set(input.kind.as_str().to_owned()),
            title: Set(title),
            status: Set(CaseStatus::Open.as_str().to_owned()),
            worker_id: Set(worker.uuid()),
            opened_on: Set(opened_on),
            closed_on: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        for (position, g) in goals.into_iter().enumerate() {
            insert_goal(&txn, id, position as i32, g, now).await?;
        }
        audit::record(
            &txn,
            auth,
            now,
            AuditAction::Update,
            client.uuid(),
            &["cases"],
        )
        .await?;
        let out = load_case(&txn, id).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Changes a case's title, status or responsible worker.
    pub async fn update_case(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        id: crate::ids::CaseId,
        change: &CaseChange,
    ) -> AppResult<Case> {
        let today = self.today();
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, id.into()).await?;
        let client = row.client_id;
        let opened_on = row.opened_on;
        let mut row = row.into_active_model();
        if let Some(t) = &change.title {
            row.title = Set(text("title", t, 200, true)?);
        }
        if let Some(w) = change.worker_id {
            require_staff(&txn, auth, &[w], "workerId").await?;
            row.worker_id = Set(w.uuid());
        }
        if let Some(s) = change.status {
            row.status = Set(s.as_str().to_owned());
            if s == CaseStatus::Closed {
                let closed = date_not_future("closedOn", change.closed_on.unwrap_or(today), today)?;
                if closed < opened_on {
                    return Err(AppError::bad_input(
                        "closedOn",
                        "must not be before the case was opened",
                    ));
                }
                row.closed_on = Set(Some(closed));
            } else {
                row.closed_on = Set(None);
            }
        }
        row.updated_at = Set(now);
        row.update(&txn).await?;
        audit::record(&txn, auth, now, AuditAction::Update, client, &["cases"]).await?;
        let out = load_case(&txn, id.into()).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Adds a goal to a case's plan.
    pub async fn add_goal(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        case_id: crate::ids::CaseId,
        input: &GoalInput,
    ) -> AppResult<Case> {
        let g = validate_goal("", input)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = find(&txn, case_id.into()).await?;
        let existing = txn
            .find::<goal::Entity>()
            .filter(goal::Column::CaseId.eq(case_id))
            .all(&txn)
            .await?;
        if existing.len() >= MAX_GOALS {
            return Err(AppError::bad_input(
                "description",
                format!("a plan has at most {MAX_GOALS} goals"),
            ));
        }
        let position = existing.iter().map(|g| g.position + 1).max().unwrap_or(0);
        insert_goal(&txn, case_id.into(), position, g, now).await?;
        audit::record(
            &txn,
            auth,
            now,
            AuditAction::Update,
            row.client_id,
            &["cases"],
        )
        .await?;
        let out = load_case(&txn, case_id.into()).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Records progress on a goal.
    pub async fn update_goal(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        goal_id: crate::ids::GoalId,
        input: &GoalInput,
    ) -> AppResult<Case> {
        let g = validate_goal("", input)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let row = txn
            .find_by_id::<goal::Entity>(goal_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let case_id = row.case_id;
        let case_row = find(&txn, case_id).await?;
        let mut row = row.into_active_model();
        row.description = Set(g.description);
        row.status = Set(g.status.as_str().to_owned());
        row.progress = Set(g.progress);
        row.progress_note = Set(g.progress_note);
        row.target_on = Set(g.target_on);
        row.updated_at = Set(now);
        row.update(&txn).await?;
        audit::record(
            &txn,
            auth,
            now,
            AuditAction::Update,
            case_row.client_id,
            &["cases"],
        )
        .await?;
        let out = load_case(&txn, case_id).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// A client's cases, newest first, with their goals.
    pub async fn cases_of(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        client: ClientId,
    ) -> AppResult<Vec<Case>> {
        let txn = self.db.scoped(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        let rows = txn
            .find::<case::Entity>()
            .filter(case::Column::ClientId.eq(client.uuid()))
            .order_by_desc(case::Column::OpenedOn)
            .order_by_desc(case::Column::Id)
            .all(&txn)
            .await?;
        let out = with_goals(&txn, rows).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// One case.
    pub async fn case(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        id: crate::ids::CaseId,
    ) -> AppResult<Case> {
        let txn = self.db.scoped(auth).await?;
        let out = load_case(&txn, id.into()).await?;
        txn.commit().await?;
        Ok(out)
    }
}

async fn insert_goal(
    txn: &TenantTx,
    case_id: uuid::Uuid,
    position: i32,
    g: ValidGoal,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    goal::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        tenant_id: Set(txn.centre().uuid()),
        case_id: Set(case_id),
        position: Set(position),
        description: Set(g.description),
        status: Set(g.status.as_str().to_owned()),
        progress: Set(g.progress),
        progress_note: Set(g.progress_note),
        target_on: Set(g.target_on),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

async fn find(txn: &TenantTx, id: uuid::Uuid) -> AppResult<case::Model> {
    txn.find_by_id::<case::Entity>(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn load_case(txn: &TenantTx, id: uuid::Uuid) -> AppResult<Case> {
    let row = find(txn, id).await?;
    with_goals(txn, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

async fn with_goals(txn: &TenantTx, rows: Vec<case::Model>) -> AppResult<Vec<Case>> {
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let mut goals: HashMap<uuid::Uuid, Vec<Goal>> = HashMap::new();
    if !ids.is_empty() {
        for g in txn
            .find::<goal::Entity>()
            .filter(one_of(Backend::of(txn), goal::Column::CaseId, ids))
            .order_by_asc(goal::Column::Position)
            .all(txn)
            .await?
        {
            goals.entry(g.case_id).or_default().push(Goal {
                id: g.id.into(),
                description: g.description,
                status: GoalStatus::parse(&g.status).unwrap_or(GoalStatus::Planned),
                progress: g.progress,
                progress_note: g.progress_note,
                target_on: g.target_on,
                updated_at: g.updated_at,
            });
        }
    }
    rows.into_iter()
        .map(|r| {
            Ok(Case {
                id: r.id.into(),
                client_id: ClientId(r.client_id),
                kind: CaseKind::parse(&r.kind)
                    .ok_or_else(|| AppError::internal_msg("stored case kind unknown"))?,
                title: r.title,
                status: CaseStatus::parse(&r.status).unwrap_or(CaseStatus::Open),
                worker_id: UserId(r.worker_id),
                opened_on: r.opened_on,
                closed_on: r.closed_on,
                goals: goals.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}
