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
pub mod lifecycle;
pub mod net;
pub mod platform_db;
pub mod scope;
pub mod sql_functions;
pub mod tenant_tx;
pub mod validate;

pub use clock::{Clock, FixedClock, SharedClock, SystemClock};
pub use db::{Backend, Database, SessionTimeouts, for_update, in_texts, one_of, stmt};
pub use error::{AppError, AppResult, Clash};
pub use id::{BranchId, CentreId, ClientId, FundingProjectId, InterpreterId, RoomId, UserId};
pub use lifecycle::{ClientLinkSet, ClientLinks};
pub use net::ClientNetwork;
pub use platform_db::PlatformDb;
pub use scope::{Authorized, Capability, PlatformActor, Role, RoleSet, TenantScope, can};
pub use sql_functions::SqlFunctions;
pub use tenant_tx::{TenantOwned, TenantTx};

/// Declares a closed vocabulary stored as text: an enum with `ALL`,
/// `as_str` (the stored name) and `parse`.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $stored:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $stored),+
                }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}
