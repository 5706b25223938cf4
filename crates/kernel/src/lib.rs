//! Shared kernel of Integra.
//!
//! Everything the bounded-context crates agree on lives here: typed ids
//! ([`id`]), the tenant scope and roles ([`scope`]), the error type every
//! service returns ([`error`]), the [`clock`] that tests control, and the
//! [`db`] handle that hands out tenant-scoped transactions instead of raw
//! connections.

pub mod clock;
pub mod db;
pub mod error;
pub mod id;
pub mod scope;
pub mod validate;

pub use clock::{Clock, FixedClock, SharedClock, SystemClock};
pub use db::{Backend, Database, stmt};
pub use error::{AppError, AppResult, Clash};
pub use id::{BranchId, CentreId, ClientId, FundingProjectId, UserId};
pub use scope::{Authorized, Capability, PlatformActor, Role, RoleSet, TenantScope, can};
