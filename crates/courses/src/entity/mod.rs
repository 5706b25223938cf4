//! sea-orm entities of the course tables.

pub mod absence;
pub mod attendance;
pub mod availability;
pub mod certificate;
pub mod course;
pub mod enrolment;
pub mod feed;
pub mod lecturer;
pub mod overrides;
pub mod placement;
pub mod room;
pub mod session;
pub mod skipped;

integra_kernel::tenant_owned!(
    absence,
    attendance,
    availability,
    certificate,
    course,
    enrolment,
    lecturer,
    overrides,
    placement,
    room,
    session,
    skipped
);
