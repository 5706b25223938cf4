//! Centres (tenants), branches, staff, roles, sign-in and sessions.
//!
//! The authentication layer ([`auth::AuthService`]) is the only place that
//! issues a [`integra_kernel::TenantScope`]; the rest of this crate takes a
//! scope (or an [`integra_kernel::Authorized`] capability) for every access
//! to centre data.

pub mod accounts;
pub mod auth;
pub mod centres;
mod entity;
pub mod funding;
pub mod ids;
pub mod model;
pub mod password;
pub mod regions;
pub mod seed;
pub mod staff;
pub mod throttle;

pub use accounts::{
    AccountService, Invitation, InvitationPreview, InvitationStatus, NewInvitation,
};
pub use auth::{AuthConfig, AuthService, Authenticated, SignedIn};
pub use centres::CentreService;
pub use funding::{
    EligibilityRule, FundingProject, FundingService, FundingSource, NewFundingProject,
};
pub use ids::InvitationId;
pub use model::{Branch, Centre, Membership, NewBranch, UserSummary};
pub use regions::Region;
pub use staff::{StaffMember, StaffService};
pub use throttle::ThrottleConfig;
