//! The append-only audit log: who read or changed which client record,
//! when, and which fields (never their values).

use chrono::{DateTime, Utc};
use integra_kernel::TenantTx;
use integra_kernel::{AppResult, TenantScope, UserId};
use sea_orm::{EntityTrait, IntoActiveModel};

use crate::entity::audit;

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// The detail was read.
    Read,
    /// The record was created.
    Create,
    /// Fields were changed.
    Update,
    /// Another record was merged into this one.
    Merge,
    /// The record was exported for its subject.
    Export,
    /// Personal data was removed.
    Anonymise,
}

impl AuditAction {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Update => "update",
            Self::Merge => "merge",
            Self::Export => "export",
            Self::Anonymise => "anonymise",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Read,
            Self::Create,
            Self::Update,
            Self::Merge,
            Self::Export,
            Self::Anonymise,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Id.
    pub id: crate::ids::AuditEntryId,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a staff member), if anyone.
    pub actor: Option<UserId>,
    /// What.
    pub action: AuditAction,
    /// Kind of record, e.g. `client`.
    pub entity: String,
    /// The record.
    pub entity_id: uuid::Uuid,
    /// Names of the fields changed.
    pub fields: Vec<String>,
}

/// Appends a line about client record `entity_id` inside the caller's
/// transaction, so the log and the change commit together. Other contexts
/// call it when they read or change what is held on a client (services,
/// notes, appointments), naming the part in `fields`.
pub async fn record(
    txn: &TenantTx,
    scope: &TenantScope,
    at: DateTime<Utc>,
    action: AuditAction,
    entity_id: uuid::Uuid,
    fields: &[&str],
) -> AppResult<()> {
    // Nothing is read back: `insert` would ask for the row again
    // (`RETURNING`) on the path of every read of a client's record.
    audit::Entity::insert(line(scope, at, action, entity_id, fields).into_active_model())
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// The line [`record`] appends, as the row PostgreSQL's
/// `jsonb_populate_record(NULL::audit_log, …)` takes: for a function that
/// writes it with the rest of an operation in one statement.
pub fn row_json(
    scope: &TenantScope,
    at: DateTime<Utc>,
    action: AuditAction,
    entity_id: uuid::Uuid,
    fields: &[&str],
) -> AppResult<serde_json::Value> {
    serde_json::to_value(line(scope, at, action, entity_id, fields))
        .map_err(|e| integra_kernel::AppError::internal_msg(format!("audit row: {e}")))
}

fn line(
    scope: &TenantScope,
    at: DateTime<Utc>,
    action: AuditAction,
    entity_id: uuid::Uuid,
    fields: &[&str],
) -> audit::Model {
    audit::Model {
        id: uuid::Uuid::now_v7(),
        tenant_id: scope.centre_id().uuid(),
        at,
        actor_id: Some(scope.user_id().uuid()),
        action: action.as_str().to_owned(),
        entity: "client".to_owned(),
        entity_id,
        fields: fields.join(","),
    }
}

pub(crate) fn from_entity(m: audit::Model) -> AuditEntry {
    AuditEntry {
        id: m.id.into(),
        at: m.at,
        actor: m.actor_id.map(UserId),
        action: AuditAction::parse(&m.action).unwrap_or(AuditAction::Read),
        entity: m.entity,
        entity_id: m.entity_id,
        fields: crate::model::split_list(&m.fields),
    }
}
