//! GraphQL for counselling: cases, interventions, notes, appointments,
//! interpreters, outreach, inquiries, tasks and the client timeline.

mod appointments;
mod cases;
mod enums;
mod inquiries;
mod interpreters;
mod interventions;
mod notes;
mod outreach;
mod tasks;
mod timeline;
mod workload;

use crate::graphql::{GqlResultExt, services};
use async_graphql::Context;
use integra_kernel::AppError;

pub use interventions::*;

pub(super) fn first_arg(first: Option<i32>, default: u64, max: u64) -> async_graphql::Result<u64> {
    match first {
        None => Ok(default),
        Some(n) if n >= 1 && (n as u64) <= max => Ok(n as u64),
        Some(_) => Err(AppError::bad_input(
            "first",
            format!("must be from 1 to {max}"),
        ))
        .gql(),
    }
}

pub(super) fn today(ctx: &Context<'_>) -> async_graphql::Result<chrono::NaiveDate> {
    Ok(services(ctx)?.counselling.today())
}

/// Query fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct CounsellingQuery(
    cases::CasesQuery,
    InterventionsQuery,
    notes::NotesQuery,
    interpreters::InterpretersQuery,
    appointments::AppointmentsQuery,
    outreach::OutreachQuery,
    inquiries::InquiriesQuery,
    tasks::TasksQuery,
    timeline::TimelineQuery,
    workload::WorkloadQuery,
);

/// Mutation fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct CounsellingMutation(
    cases::CasesMutation,
    InterventionsMutation,
    notes::NotesMutation,
    interpreters::InterpretersMutation,
    appointments::AppointmentsMutation,
    outreach::OutreachMutation,
    inquiries::InquiriesMutation,
    tasks::TasksMutation,
);
