//! Where recording a service reads what it is checked against and writes
//! its rows: one small trait with a PostgreSQL and a SQLite implementation,
//! chosen once when the service is built ([`for_engine`]).
//!
//! Both read in one transaction and write in another, so both engines have
//! the same transaction semantics: each read sees the database as it was
//! when it ran and locks nothing (READ COMMITTED on PostgreSQL), so a
//! change committed between the read and the write could land either side
//! of it; the foreign keys hold the write to rows that exist. PostgreSQL
//! does each half in one round trip (`integra_service_inputs`,
//! `integra_record_service`: `crates/counselling/sql/record_service.sql`);
//! SQLite runs the statements. Every check and every row is decided once,
//! in Rust, by the caller ([`CounsellingService::record_intervention`]).
//!
//! [`CounsellingService::record_intervention`]: crate::CounsellingService::record_intervention

use std::sync::Arc;

use chrono::{DateTime, Utc};
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::{ServiceFacts, service_facts, service_facts_from_rows};
use integra_kernel::{
    AppError, AppResult, Backend, BranchId, ClientId, Database, FundingProjectId, TenantScope,
};
use integra_tenants::FundingProject;
use sea_orm::prelude::async_trait;
use sea_orm::{EntityTrait, IntoActiveModel, PaginatorTrait};

use crate::entity::{case, intervention, note, participant, slot, task};

/// What a service names, to be looked up.
pub(crate) struct Ask<'a> {
    /// The funding project.
    pub project: FundingProjectId,
    /// The participants as given.
    pub clients: &'a [ClientId],
    /// Staff named other than the caller (worker, follow-up assignee).
    pub others: Vec<uuid::Uuid>,
    /// The branch, interpreter, outreach slot and case named, if any.
    pub branch: Option<BranchId>,
    /// The interpreter.
    pub interpreter: Option<uuid::Uuid>,
    /// The outreach slot.
    pub slot: Option<uuid::Uuid>,
    /// The case.
    pub case: Option<uuid::Uuid>,
}

/// What a service is checked and evaluated against.
pub(crate) struct Read {
    /// The funding project (`NOT_FOUND` when the centre has none such).
    pub project: FundingProject,
    /// The participants' kept records (after merges) with their residence.
    pub facts: Vec<ServiceFacts>,
    /// Which of [`Ask::others`] are members of the centre's staff.
    pub members: Vec<uuid::Uuid>,
    /// Whether the branch, interpreter and slot named (if any) exist in
    /// the centre.
    pub found: bool,
    /// The client of the case named, `None` when there is no such case.
    pub case_client: Option<uuid::Uuid>,
}

/// The rows a recorded service writes (the audit lines aside).
pub(crate) struct Rows {
    /// The intervention.
    pub intervention: intervention::Model,
    /// Its participants.
    pub participants: Vec<participant::Model>,
    /// The follow-up task.
    pub task: Option<task::Model>,
    /// The note.
    pub note: Option<note::Model>,
}

/// Reads a service's inputs and writes its rows.
#[async_trait::async_trait]
pub(crate) trait RecordStore: Send + Sync {
    /// Looks up what `ask` names, in one transaction: the project first
    /// (`NOT_FOUND`), then the participants (`NOT_FOUND`, or bad input on
    /// `clientIds` for an anonymised one).
    async fn read(&self, scope: &TenantScope, ask: &Ask<'_>) -> AppResult<Read>;

    /// Writes `rows` and an audit line `at` for each of `audited`, in one
    /// transaction.
    async fn write(
        &self,
        scope: &TenantScope,
        rows: Rows,
        audited: &[ClientId],
        at: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// The store for `db`'s engine.
pub(crate) fn for_engine(db: &Database) -> Arc<dyn RecordStore> {
    match db.backend() {
        Backend::Postgres => Arc::new(Functions { db: db.clone() }),
        Backend::Sqlite => Arc::new(Statements { db: db.clone() }),
    }
}

/// PostgreSQL: each half is one function call, one round trip.
struct Functions {
    db: Database,
}

/// What `integra_service_inputs` returns.
#[derive(serde::Deserialize)]
struct Inputs {
    project: Option<serde_json::Value>,
    clients: Vec<serde_json::Value>,
    residence: Vec<serde_json::Value>,
    staff: Vec<uuid::Uuid>,
    branch: bool,
    interpreter: bool,
    slot: bool,
    case_client: Option<uuid::Uuid>,
}

/// A row as `jsonb_populate_record` takes it.
fn to_json<T: serde::Serialize>(row: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(row).map_err(|e| AppError::internal_msg(format!("row: {e}")))
}

#[async_trait::async_trait]
impl RecordStore for Functions {
    async fn read(&self, scope: &TenantScope, ask: &Ask<'_>) -> AppResult<Read> {
        let read: Inputs = self
            .db
            .scoped_call(
                scope,
                "integra_service_inputs",
                vec![
                    ask.project.uuid().into(),
                    ask.clients
                        .iter()
                        .map(|c| c.uuid())
                        .collect::<Vec<_>>()
                        .into(),
                    ask.others.clone().into(),
                    ask.branch.map(|b| b.uuid()).into(),
                    ask.interpreter.into(),
                    ask.slot.into(),
                    ask.case.into(),
                ],
            )
            .await?
            .ok_or_else(|| AppError::internal_msg("service inputs: no answer"))?;
        let project = FundingProject::from_row_json(read.project.ok_or(AppError::NotFound)?)?;
        let facts =
            service_facts_from_rows(read.clients, read.residence, ask.clients, "clientIds")?;
        Ok(Read {
            project,
            facts,
            members: read.staff,
            found: read.branch && read.interpreter && read.slot,
            case_client: read.case_client,
        })
    }

    async fn write(
        &self,
        scope: &TenantScope,
        rows: Rows,
        audited: &[ClientId],
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let audit = audited
            .iter()
            .map(|c| audit::row_json(scope, at, AuditAction::Update, c.uuid(), &["interventions"]))
            .collect::<AppResult<Vec<_>>>()?;
        self.db
            .scoped_call::<serde::de::IgnoredAny>(
                scope,
                "integra_record_service",
                vec![
                    to_json(&rows.intervention)?.into(),
                    to_json(&rows.participants)?.into(),
                    rows.task.as_ref().map(to_json).transpose()?.into(),
                    rows.note.as_ref().map(to_json).transpose()?.into(),
                    serde_json::Value::Array(audit).into(),
                ],
            )
            .await?;
        Ok(())
    }
}

/// SQLite: the statements, the reads in one transaction and the writes in
/// another.
struct Statements {
    db: Database,
}

#[async_trait::async_trait]
impl RecordStore for Statements {
    async fn read(&self, scope: &TenantScope, ask: &Ask<'_>) -> AppResult<Read> {
        let txn = self.db.scoped(scope).await?;
        let project = integra_tenants::funding::project_in(&txn, ask.project).await?;
        let facts = service_facts(&txn, ask.clients, "clientIds").await?;
        let others: Vec<integra_kernel::UserId> =
            ask.others.iter().copied().map(Into::into).collect();
        let members = integra_tenants::staff::members_among(&txn, &others).await?;
        let exists = |n: u64| n > 0;
        let branch = match ask.branch {
            Some(b) => match integra_tenants::centres::require_branch(&txn, b).await {
                Ok(()) => true,
                Err(AppError::NotFound) => false,
                Err(e) => return Err(e),
            },
            None => true,
        };
        let interpreter = match ask.interpreter {
            Some(i) => crate::interpreters::exists(&txn, i).await?,
            None => true,
        };
        let slot = match ask.slot {
            Some(s) => exists(txn.find_by_id::<slot::Entity>(s).count(&txn).await?),
            None => true,
        };
        let case_client = match ask.case {
            Some(c) => txn
                .find_by_id::<case::Entity>(c)
                .one(&txn)
                .await?
                .map(|r| r.client_id),
            None => None,
        };
        txn.commit().await?;
        Ok(Read {
            project,
            facts,
            members,
            found: branch && interpreter && slot,
            case_client,
        })
    }

    async fn write(
        &self,
        scope: &TenantScope,
        rows: Rows,
        audited: &[ClientId],
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let txn = self.db.scoped_write(scope).await?;
        intervention::Entity::insert(rows.intervention.into_active_model())
            .exec_without_returning(&txn)
            .await?;
        participant::Entity::insert_many(
            rows.participants
                .into_iter()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(&txn)
        .await?;
        if let Some(t) = rows.task {
            task::Entity::insert(t.into_active_model())
                .exec_without_returning(&txn)
                .await?;
        }
        if let Some(n) = rows.note {
            note::Entity::insert(n.into_active_model())
                .exec_without_returning(&txn)
                .await?;
        }
        for c in audited {
            audit::record(
                &txn,
                scope,
                at,
                AuditAction::Update,
                c.uuid(),
                &["interventions"],
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
