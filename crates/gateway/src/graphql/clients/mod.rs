//! GraphQL for the client registry.

mod audit;
mod funding;
mod record;
mod search;

pub use record::*;
pub use search::*;

/// Query fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct ClientsQuery(ClientSearchQuery, audit::AuditQuery, funding::FundingQuery);

/// Mutation fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct ClientsMutation(RecordMutation);
