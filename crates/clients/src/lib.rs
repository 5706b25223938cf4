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
pub mod import;
pub mod merge;
pub mod model;
pub mod names;
mod relations;
pub mod residence;
pub mod rights;
pub mod search;
pub mod service;

pub use audit::{AuditAction, AuditEntry};
pub use eligibility::Eligibility;
pub use facts::ServiceFacts;
pub use model::{
    Alias, Client, ClientInput, ClientSummary, ConsentPurpose, ConsentRecord, HouseholdMember,
    HouseholdRelation, NewResidence, ResidenceRecord, Sex,
};
pub use residence::ResidenceStatusKind;
pub use search::{SearchFilter, SearchPage, SearchQuery};
pub use service::{ClientService, DuplicateCandidate, Parts, Registered};
