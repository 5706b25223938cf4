//! Typed ids of the accounts and invitations of the platform.

integra_kernel::define_id!(
    /// Identifies an invitation to join a centre or the platform.
    InvitationId
);
