//! Attendance at sessions.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use integra_kernel::scope::can;

/// One mark of an attendance entry.
#[derive(InputObject)]
pub struct MarkInput {
    enrolment_id: Id<EnrolmentId>,
    mark: Mark,
}

/// A mark as stored.
#[derive(SimpleObject)]
pub struct AttendanceMark {
    enrolment_id: Id<EnrolmentId>,
    mark: Mark,
}

/// Queries: attendance at sessions.
#[derive(Default)]
pub struct AttendanceQuery;

#[Object]
impl AttendanceQuery {
    /// The marks taken at a session.
    async fn session_attendance(
        &self,
        ctx: &Context<'_>,
        session_id: Id<SessionId>,
    ) -> async_graphql::Result<Vec<AttendanceMark>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .session_attendance(&auth, session_id.get())
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|(e, m)| AttendanceMark {
                enrolment_id: Id::from(e),
                mark: m.into(),
            })
            .collect())
    }
}

/// Mutations: attendance at sessions.
#[derive(Default)]
pub struct AttendanceMutation;

#[Object]
impl AttendanceMutation {
    /// Records attendance for a whole session at once.
    async fn record_attendance(
        &self,
        ctx: &Context<'_>,
        session_id: Id<SessionId>,
        marks: Vec<MarkInput>,
    ) -> async_graphql::Result<i32> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let marks: Vec<(EnrolmentId, integra_courses::Mark)> = marks
            .iter()
            .map(|m| (m.enrolment_id.get(), m.mark.into()))
            .collect();
        let n = services(ctx)?
            .courses
            .record_attendance(&auth, session_id.get(), &marks)
            .await
            .gql()?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
