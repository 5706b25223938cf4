//! Typed ids of events.

integra_kernel::define_id!(
    /// Identifies an event.
    EventId
);
integra_kernel::define_id!(
    /// Identifies a registration for an event.
    RegistrationId
);
