//! Ministry oversight: indicators counted by one catalogue, kept current by
//! triggers and a background refresh, rolled up per centre, region and the
//! whole network for fixed periods, with small-cell suppression for the
//! ministry and unsuppressed figures for each centre's own staff; funding
//! projects' targets against a straight-line expectation.
//!
//! How it flows:
//! 1. Triggers on every table a count depends on mark the month they touch
//!    in `report_dirty` (migration 9), whatever code path wrote.
//! 2. [`ReportingService::refresh`] recounts each marked centre-month from
//!    the source tables into monthly facts ([`facts`]), then rebuilds the
//!    cells of the affected years ([`cells`]) and suppresses them
//!    ([`suppress`]).
//! 3. Readers read the cells: a dashboard is a handful of indexed rows.

pub mod catalogue;
pub mod cells;
pub mod client_links;
pub mod export;
pub mod facts;
pub mod feedback;
pub mod period;
pub mod service;
pub mod suppress;
pub mod yearly;

pub use catalogue::{Dimension, Indicator};
pub use period::Period;
pub use service::{Level, ProjectProgress, Refreshed, ReportingService, TableCell, TargetProgress};
pub use suppress::Mark;
