//! Table models.
pub mod outbox;

integra_kernel::tenant_owned!(outbox);
