//! The client registry.
pub mod eligibility;
pub mod names;
pub mod residence;
