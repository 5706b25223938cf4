//! GraphQL for courses: rooms, courses with their schedules, timetables,
//! sessions, placement tests, enrolment, attendance and standings.

mod attendance;
mod availability;
mod certificates;
mod enrolment;
mod enums;
mod feeds;
mod rooms;
mod schedule;

use crate::graphql::GqlResultExt;
use async_graphql::ID;
use integra_kernel::id::parse_id;

pub use schedule::*;

pub(super) fn id(u: uuid::Uuid) -> ID {
    ID(u.to_string())
}

pub(super) fn uuid_of(field: &str, raw: &ID) -> async_graphql::Result<uuid::Uuid> {
    parse_id::<uuid::Uuid>(field, raw).gql()
}

pub(crate) fn opt_uuid(field: &str, raw: &Option<ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    raw.as_ref().map(|r| uuid_of(field, r)).transpose()
}

/// Query fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct CoursesQuery(
    rooms::RoomsQuery,
    ScheduleQuery,
    enrolment::EnrolmentQuery,
    attendance::AttendanceQuery,
    certificates::CertificatesQuery,
    availability::AvailabilityQuery,
);

/// Mutation fields of this context, one part per module.
#[derive(async_graphql::MergedObject, Default)]
pub struct CoursesMutation(
    rooms::RoomsMutation,
    ScheduleMutation,
    enrolment::EnrolmentMutation,
    attendance::AttendanceMutation,
    certificates::CertificatesMutation,
    availability::AvailabilityMutation,
    feeds::FeedsMutation,
);
