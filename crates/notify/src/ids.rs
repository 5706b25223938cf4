//! Typed ids of the outbox.

integra_kernel::define_id!(
    /// Identifies an email of the outbox.
    EmailId
);
