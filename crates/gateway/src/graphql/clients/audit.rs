//! Who read and changed a client's record.

use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_clients::{self as clients, AuditAction};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

/// What an audit line records.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AuditActionKind {
    /// Detail read.
    Read,
    /// Created.
    Create,
    /// Changed.
    Update,
    /// Another record merged in.
    Merge,
    /// Exported for the data subject.
    Export,
    /// Personal data removed.
    Anonymise,
}

/// One line of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// Id (also the paging key).
    id: Id<AuditEntryId>,
    /// When.
    at: DateTime<Utc>,
    /// Staff member.
    actor_id: Option<Id<UserId>>,
    /// Staff member's name.
    actor_name: Option<String>,
    /// What was done.
    action: AuditActionKind,
    /// The client.
    client_id: Id<ClientId>,
    /// Fields changed (names only, never values).
    fields: Vec<String>,
}

pub(super) async fn audit_entries(
    ctx: &Context<'_>,
    entries: Vec<clients::AuditEntry>,
) -> async_graphql::Result<Vec<AuditEntry>> {
    let ids: Vec<UserId> = entries.iter().filter_map(|e| e.actor).collect();
    let names = services(ctx)?
        .staff
        .display_names(scope(ctx)?, &ids)
        .await
        .gql()?;
    Ok(entries
        .into_iter()
        .map(|e| AuditEntry {
            id: Id::from(e.id),
            at: e.at,
            actor_id: e.actor.map(Id::from),
            actor_name: e.actor.and_then(|u| names.get(&u).cloned()),
            action: match e.action {
                AuditAction::Read => AuditActionKind::Read,
                AuditAction::Create => AuditActionKind::Create,
                AuditAction::Update => AuditActionKind::Update,
                AuditAction::Merge => AuditActionKind::Merge,
                AuditAction::Export => AuditActionKind::Export,
                AuditAction::Anonymise => AuditActionKind::Anonymise,
            },
            client_id: Id::from(e.entity_id),
            fields: e.fields,
        })
        .collect())
}

/// Queries: who read and changed a client's record.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Who read or changed this client's record and when, newest first
    /// (centre admins).
    async fn client_access_log(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: ClientId = client_id.get();
        let entries = services(ctx)?.clients.access_log(&auth, id).await.gql()?;
        audit_entries(ctx, entries).await
    }

    /// The centre's audit log, newest first; page with `before` = the last
    /// id seen (centre admins).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        before: Option<Id<AuditEntryId>>,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        let first = first.unwrap_or(50);
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let before = before.map(Id::get);
        let entries = services(ctx)?
            .clients
            .audit_log(
                &auth,
                u64::try_from(first.clamp(1, 500)).unwrap_or(50),
                before,
            )
            .await
            .gql()?;
        audit_entries(ctx, entries).await
    }
}
