//! Counselling: what counsellors, intercultural workers and field workers
//! do for clients.
//!
//! - [`cases`]: cases (social, legal) with the goals of an individual plan;
//! - [`interventions`]: services with every field of docs/domain.md, the
//!   eligibility snapshot and the "counts toward indicators" rule, group
//!   sessions with named participants and an anonymous head-count;
//! - [`notes`]: confidential notes, filtered by role in this crate;
//! - [`appointments`]: calendars with clash checks on workers and
//!   interpreters, and the client's emails about them (confirmation,
//!   reminder the day before, move, cancellation; `mail`);
//!   [`interpreters`]: the people who interpret;
//! - [`outreach`]: recurring outreach slots (RFC 5545 rules, Prague time);
//! - [`inquiries`]: anonymous inquiries and the workload statistics;
//! - [`tasks`]: follow-ups; [`timeline`]: one client's history.
//!
//! Every method takes a capability for the caller's centre and filters by
//! it; rows of other centres answer `NOT_FOUND`.

pub mod appointments;
pub mod cases;
pub mod client_links;
mod client_page;
mod entity;
pub mod export;
pub mod ids;
pub mod inquiries;
pub mod interpreters;
pub mod interventions;
mod mail;
pub mod model;
pub mod notes;
pub mod outreach;
mod record_store;
pub mod service;
pub mod tasks;
pub mod timeline;

pub use ids::{
    AppointmentId, CaseId, GoalId, InquiryId, InterventionId, NoteId, OutreachSlotId, TaskId,
};
pub use model::*;
pub use service::CounsellingService;
pub use timeline::{TimelineEntry, TimelinePage};

/// The counselling context's SQL functions (PostgreSQL), installed by
/// `integra migrate`: its part of a client's page, and recording a service
/// in two round trips.
pub const SQL_FUNCTIONS: &[integra_kernel::SqlFunctions] = &[
    integra_kernel::SqlFunctions {
        file: "crates/counselling/sql/client_page_rest.sql",
        functions: &["integra_client_page_rest"],
        sql: include_str!("../sql/client_page_rest.sql"),
        constants: &[],
    },
    integra_kernel::SqlFunctions {
        file: "crates/counselling/sql/record_service.sql",
        functions: &["integra_service_inputs", "integra_record_service"],
        sql: include_str!("../sql/record_service.sql"),
        constants: &[(
            "MERGE_CHAIN_LIMIT",
            integra_clients::MERGE_CHAIN_LIMIT as i64,
        )],
    },
];
