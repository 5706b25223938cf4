//! sea-orm entities of the events context.

pub mod event;
pub mod headcount;
pub mod organisation;
pub mod overrides;
pub mod public_event;
pub mod registration;
pub mod staff;
