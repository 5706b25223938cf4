//! sea-orm entities of the counselling tables (migration 000004).
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

pub mod appointment;
pub mod case;
pub mod goal;
pub mod inquiry;
pub mod interpreter;
pub mod intervention;
pub mod note;
pub mod participant;
pub mod slot;
pub mod task;

integra_kernel::tenant_owned!(
    appointment,
    case,
    goal,
    inquiry,
    interpreter,
    intervention,
    note,
    participant,
    slot,
    task
);
