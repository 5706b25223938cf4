//! The client registry: clients with their residence history, the
//! eligibility engine, the typo-tolerant name search with duplicate warning,
//! the pseudonymous person key and the audit log.
//!
//! Every method takes a capability ([`integra_kernel::Authorized`]) for the
//! caller's centre and filters by it; no method reaches another centre.

pub mod audit;
pub mod eligibility;
mod entity;
pub mod facts;
pub mod ids;
pub mod import;
pub mod merge;
pub mod model;
pub mod names;
mod record_reader;
mod relations;
pub mod residence;
pub mod rights;
pub mod search;
pub mod service;

pub use audit::{AuditAction, AuditEntry};
pub use eligibility::Eligibility;
pub use facts::ServiceFacts;
pub use ids::{AuditEntryId, ConsentId, ResidenceId};
pub use model::{
    Alias, Client, ClientInput, ClientSummary, ConsentPurpose, ConsentRecord, HouseholdMember,
    HouseholdRelation, NewResidence, ResidenceRecord, Sex,
};
pub use residence::ResidenceStatusKind;
pub use search::{SearchFilter, SearchPage, SearchQuery};
pub use service::{ClientService, DuplicateCandidate, Parts, Registered};

/// How many merges deep a record is followed to the record it now lives
/// in, by the Rust statements and the SQL functions alike; a longer chain
/// is an internal error (merging never builds one).
pub const MERGE_CHAIN_LIMIT: usize = 16;

/// The registry's SQL function (PostgreSQL): a client's page in one round
/// trip, installed by `integra migrate`.
pub const SQL_FUNCTIONS: integra_kernel::SqlFunctions = integra_kernel::SqlFunctions {
    file: "crates/clients/sql/client_page.sql",
    functions: &["integra_client_page"],
    sql: include_str!("../sql/client_page.sql"),
    constants: &[("MERGE_CHAIN_LIMIT", MERGE_CHAIN_LIMIT as i64)],
};
