//! Attendance at sessions.

use super::enums::*;
use super::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use integra_kernel::scope::can;

/// One mark of an attendance entry.
#[derive(InputObject)]
pub struct MarkInput {
    enrolment_id: ID,
    mark: Mark,
}

/// A mark as stored.
#[derive(SimpleObject)]
pub struct AttendanceMark {
    enrolment_id: ID,
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
        session_id: ID,
    ) -> async_graphql::Result<Vec<AttendanceMark>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .session_attendance(&auth, uuid_of("sessionId", &session_id)?)
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|(e, m)| AttendanceMark {
                enrolment_id: id(e),
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
        session_id: ID,
        marks: Vec<MarkInput>,
    ) -> async_graphql::Result<i32> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let marks: Vec<(uuid::Uuid, integra_courses::Mark)> = marks
            .iter()
            .enumerate()
            .map(|(n, m)| {
                Ok((
                    uuid_of(&format!("marks[{n}].enrolmentId"), &m.enrolment_id)?,
                    m.mark.into(),
                ))
            })
            .collect::<async_graphql::Result<_>>()?;
        let n = services(ctx)?
            .courses
            .record_attendance(&auth, uuid_of("sessionId", &session_id)?, &marks)
            .await
            .gql()?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
