//! Searching the registry.

use super::record::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject};
use integra_clients::{self as clients, ClientSummary as DomainSummary, SearchFilter, SearchQuery};
use integra_kernel::BranchId;
use integra_kernel::scope::can;

/// A search result.
#[derive(SimpleObject)]
pub struct ClientSummary {
    /// Id.
    id: Id<ClientId>,
    /// Given name(s).
    given_name: String,
    /// Family name(s).
    family_name: String,
    /// Date of birth.
    birth_date: Option<Date>,
    /// Sex.
    sex: Sex,
    /// Nationality.
    nationality: String,
    /// Residence status in force.
    residence_status: Option<ResidenceStatus>,
    /// Registering branch.
    branch_id: Option<Id<BranchId>>,
    /// How well the name matched (higher is closer; 0 without search text).
    score: f64,
}

impl From<DomainSummary> for ClientSummary {
    fn from(s: DomainSummary) -> Self {
        Self {
            id: Id::from(s.id),
            given_name: s.given_name,
            family_name: s.family_name,
            birth_date: s.birth_date.map(Date),
            sex: s.sex.into(),
            nationality: s.nationality,
            residence_status: s.residence_status.map(Into::into),
            branch_id: s.branch_id.map(Id::from),
            score: s.score,
        }
    }
}

/// An edge of a client connection.
#[derive(SimpleObject)]
pub struct ClientEdge {
    /// Opaque cursor.
    cursor: String,
    /// The client.
    node: ClientSummary,
}

/// Paging information.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// Whether more results follow.
    pub(crate) has_next_page: bool,
    /// Cursor of the last edge.
    pub(crate) end_cursor: Option<String>,
}

/// A page of clients.
#[derive(SimpleObject)]
pub struct ClientConnection {
    /// The results.
    edges: Vec<ClientEdge>,
    /// Paging.
    page_info: PageInfo,
}

/// Queries: searching the registry.
#[derive(Default)]
pub struct ClientSearchQuery;

#[Object]
impl ClientSearchQuery {
    /// Finds clients however their name was typed: case, diacritics,
    /// Cyrillic or Latin, transliteration variants and small typing errors.
    /// Without text, lists clients by family name. With `typing`, the last
    /// word also matches as a prefix (search as you type).
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn search_clients(
        &self,
        ctx: &Context<'_>,
        text: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        nationality: Option<Vec<String>>,
        residence_status: Option<Vec<ResidenceStatus>>,
        branch_id: Option<Id<BranchId>>,
        typing: Option<bool>,
    ) -> async_graphql::Result<ClientConnection> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::RegisterClients>().gql()?;
        let first = first.unwrap_or(20);
        let typing = typing.unwrap_or(false);
        let nationality = nationality.unwrap_or_default();
        let residence_status = residence_status.unwrap_or_default();
        if !(1..=100).contains(&first) {
            return Err(integra_kernel::AppError::bad_input(
                "first",
                "must be from 1 to 100",
            ))
            .gql();
        }
        if text.as_deref().is_some_and(|t| t.chars().count() > 200) {
            return Err(integra_kernel::AppError::bad_input(
                "text",
                "must be at most 200 characters",
            ))
            .gql();
        }
        let mut nationalities = Vec::new();
        for n in nationality {
            nationalities.push(
                clients::residence::parse_nationality(&n)
                    .ok_or_else(|| {
                        integra_kernel::AppError::bad_input(
                            "nationality",
                            "is not an ISO 3166-1 country code",
                        )
                    })
                    .gql()?,
            );
        }
        let filter = SearchFilter {
            nationalities,
            residence_statuses: residence_status.into_iter().map(Into::into).collect(),
            branch: branch_id.map(Id::get),
        };
        let page = services(ctx)?
            .clients
            .search(
                &auth,
                &SearchQuery {
                    text: text.unwrap_or_default(),
                    typing,
                    filter,
                    first: u64::try_from(first).unwrap_or(20),
                    after,
                },
            )
            .await
            .gql()?;
        let end_cursor = page.items.last().map(|(_, c)| c.clone());
        Ok(ClientConnection {
            edges: page
                .items
                .into_iter()
                .map(|(node, cursor)| ClientEdge {
                    cursor,
                    node: node.into(),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
        })
    }
}
