//! Confidential notes. Social notes: counselling roles and centre admins.
//! Legal notes: legal counsellors and centre admins only. Lecturers,
//! receptionists and the ministry never see either; the filter is applied
//! here, in the service, for every path that reads notes.

use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::scope::can;
use integra_kernel::validate::long_text;
use integra_kernel::{AppError, AppResult, Authorized, ClientId, TenantScope, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};

use crate::entity::{case, note};
use crate::model::{Note, NoteKind};
use crate::service::CounsellingService;

/// The note kinds the scope's roles may read and write.
pub fn readable_kinds(scope: &TenantScope) -> Vec<NoteKind> {
    let mut kinds = Vec::new();
    if scope.authorize::<can::Counsel>().is_ok() {
        kinds.push(NoteKind::Social);
    }
    if scope.authorize::<can::ReadLegalNotes>().is_ok() {
        kinds.push(NoteKind::Legal);
    }
    kinds
}

impl CounsellingService {
    /// Writes a note on a client (optionally on one of their cases).
    pub async fn add_note(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        client: ClientId,
        kind: NoteKind,
        body: &str,
        case_id: Option<crate::ids::CaseId>,
    ) -> AppResult<Note> {
        if !readable_kinds(auth).contains(&kind) {
            return Err(AppError::Forbidden);
        }
        let body = long_text("body", body, 20_000, true)?;
        let now = self.now();
        let txn = self.db.scoped_write(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        if let Some(c) = case_id {
            let row = txn
                .find_by_id::<case::Entity>(c)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            if row.client_id != client.uuid() {
                return Err(AppError::bad_input("caseId", "is a case of another client"));
            }
        }
        let row = note::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(client.uuid()),
            case_id: Set(case_id.map(Into::into)),
            intervention_id: Set(None),
            kind: Set(kind.as_str().to_owned()),
            body: Set(body),
            author_id: Set(auth.user_id().uuid()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            auth,
            now,
            AuditAction::Update,
            client.uuid(),
            &["notes"],
        )
        .await?;
        txn.commit().await?;
        Ok(from_row(row))
    }

    /// The notes on a client that the caller's roles may read, newest
    /// first. Each read is logged.
    pub async fn notes_of(
        &self,
        auth: &Authorized<'_, can::Counsel>,
        client: ClientId,
    ) -> AppResult<Vec<Note>> {
        let kinds: Vec<String> = readable_kinds(auth)
            .into_iter()
            .map(|k| k.as_str().to_owned())
            .collect();
        let txn = self.db.scoped_write(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        let rows = txn
            .find::<note::Entity>()
            .filter(note::Column::ClientId.eq(client.uuid()))
            .filter(note::Column::Kind.is_in(kinds))
            .order_by_desc(note::Column::CreatedAt)
            .order_by_desc(note::Column::Id)
            .all(&txn)
            .await?;
        audit::record(
            &txn,
            auth,
            self.now(),
            AuditAction::Read,
            client.uuid(),
            &["notes"],
        )
        .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(from_row).collect())
    }
}

fn from_row(r: note::Model) -> Note {
    Note {
        id: r.id.into(),
        client_id: ClientId(r.client_id),
        case_id: r.case_id.map(Into::into),
        intervention_id: r.intervention_id.map(Into::into),
        kind: NoteKind::parse(&r.kind).unwrap_or(NoteKind::Legal),
        body: r.body,
        author_id: UserId(r.author_id),
        created_at: r.created_at,
    }
}
