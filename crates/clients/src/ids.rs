//! Typed ids of the registry.

integra_kernel::define_id!(
    /// Identifies a consent decision recorded for a client.
    ConsentId
);
integra_kernel::define_id!(
    /// Identifies an entry of a client's residence history.
    ResidenceId
);
integra_kernel::define_id!(
    /// Identifies a line of a centre's audit log.
    AuditEntryId
);
