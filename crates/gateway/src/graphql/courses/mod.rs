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

pub use schedule::*;

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
