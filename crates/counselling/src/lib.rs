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
mod entity;
pub mod export;
pub mod inquiries;
pub mod interpreters;
pub mod interventions;
mod mail;
pub mod model;
pub mod notes;
pub mod outreach;
pub mod service;
pub mod tasks;
pub mod timeline;

pub use model::*;
pub use service::CounsellingService;
pub use timeline::{TimelineEntry, TimelinePage};
