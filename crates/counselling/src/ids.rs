//! Typed ids of counselling.

integra_kernel::define_id!(
    /// Identifies a case (an individual plan) of a client.
    CaseId
);
integra_kernel::define_id!(
    /// Identifies a goal of a case.
    GoalId
);
integra_kernel::define_id!(
    /// Identifies a service recorded for one or more clients (an intervention).
    InterventionId
);
integra_kernel::define_id!(
    /// Identifies a confidential note.
    NoteId
);
integra_kernel::define_id!(
    /// Identifies an appointment.
    AppointmentId
);
integra_kernel::define_id!(
    /// Identifies a recurring outreach slot (field work).
    OutreachSlotId
);
integra_kernel::define_id!(
    /// Identifies an inquiry.
    InquiryId
);
integra_kernel::define_id!(
    /// Identifies a task of the team.
    TaskId
);
