//! Confidential notes.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_counselling::{self as c};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

/// A confidential note.
#[derive(SimpleObject)]
pub struct Note {
    id: Id<NoteId>,
    client_id: Id<ClientId>,
    case_id: Option<Id<CaseId>>,
    intervention_id: Option<Id<InterventionId>>,
    kind: NoteKind,
    body: String,
    author_id: Id<UserId>,
    created_at: DateTime<Utc>,
}

impl From<c::Note> for Note {
    fn from(x: c::Note) -> Self {
        Self {
            id: Id::from(x.id),
            client_id: Id::from(x.client_id),
            case_id: x.case_id.map(Id::from),
            intervention_id: x.intervention_id.map(Id::from),
            kind: x.kind.into(),
            body: x.body,
            author_id: Id::from(x.author_id),
            created_at: x.created_at,
        }
    }
}

/// A confidential note recorded with an intervention.
#[derive(InputObject)]
pub struct NoteInput {
    pub(super) kind: NoteKind,
    pub(super) body: String,
}

/// Queries: confidential notes.
#[derive(Default)]
pub struct NotesQuery;

#[Object]
impl NotesQuery {
    /// The notes on a client that your roles may read (social: counselling
    /// roles and admins; legal: legal counsellors and admins). Logged.
    async fn client_notes(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<Vec<Note>> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = client_id.get();
        let out = services(ctx)?
            .counselling
            .notes_of(&auth, client)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }
}

/// Mutations: confidential notes.
#[derive(Default)]
pub struct NotesMutation;

#[Object]
impl NotesMutation {
    /// Writes a confidential note on a client.
    async fn add_note(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        kind: NoteKind,
        body: String,
        case_id: Option<Id<CaseId>>,
    ) -> async_graphql::Result<Note> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = client_id.get();
        let case_id = case_id.map(|v| v.get());
        Ok(services(ctx)?
            .counselling
            .add_note(&auth, client, kind.into(), &body, case_id)
            .await
            .gql()?
            .into())
    }
}
