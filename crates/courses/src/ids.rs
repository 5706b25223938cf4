//! Typed ids of courses.

integra_kernel::define_id!(
    /// Identifies a course.
    CourseId
);
integra_kernel::define_id!(
    /// Identifies a session (one lesson) of a course.
    SessionId
);
integra_kernel::define_id!(
    /// Identifies a client's enrolment in a course.
    EnrolmentId
);
integra_kernel::define_id!(
    /// Identifies a placement test result.
    PlacementId
);
