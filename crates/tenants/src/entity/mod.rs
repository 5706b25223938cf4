//! sea-orm entities of the tenants context. Internal: the service API hands
//! out plain domain types, never these.

pub mod account_token;
pub mod branch;
pub mod centre;
pub mod funding_project;
pub mod login_throttle;
pub mod membership;
pub mod session;
pub mod user;

integra_kernel::tenant_owned!(branch, funding_project, membership);
