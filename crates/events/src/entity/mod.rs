//! sea-orm entities of the events context.

pub mod event;
pub mod headcount;
pub mod organisation;
pub mod overrides;
pub mod public_event;
pub mod registration;
pub mod staff;

integra_kernel::tenant_owned!(
    event,
    headcount,
    organisation,
    overrides,
    registration,
    staff
);
