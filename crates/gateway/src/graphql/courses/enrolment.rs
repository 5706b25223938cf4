//! Enrolments, placements and standings.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

/// An enrolment.
#[derive(SimpleObject)]
pub struct Enrolment {
    id: Id<EnrolmentId>,
    course_id: Id<CourseId>,
    client_id: Id<ClientId>,
    client_name: String,
    status: EnrolmentStatus,
    waitlist_position: Option<i64>,
    entry_level: Option<Level>,
    exit_level: Option<Level>,
    enrolled_at: Option<DateTime<Utc>>,
}

impl From<integra_courses::Enrolment> for Enrolment {
    fn from(e: integra_courses::Enrolment) -> Self {
        Self {
            id: Id::from(e.id),
            course_id: Id::from(e.course_id),
            client_id: Id::from(e.client_id),
            client_name: e.client_name,
            status: e.status.into(),
            waitlist_position: e.waitlist_position,
            entry_level: e.entry_level.map(Into::into),
            exit_level: e.exit_level.map(Into::into),
            enrolled_at: e.enrolled_at,
        }
    }
}

/// A placement test result.
#[derive(SimpleObject)]
pub struct Placement {
    id: Id<PlacementId>,
    client_id: Id<ClientId>,
    level: Level,
    tested_on: Date,
    note: String,
}

/// A participant's standing.
#[derive(SimpleObject)]
pub struct Standing {
    enrolment: Enrolment,
    sessions_held: i64,
    attended: i64,
    attendance_percent: i64,
    completed: bool,
    gained_level: bool,
}

/// Queries: enrolments, placements and standings.
#[derive(Default)]
pub struct EnrolmentQuery;

#[Object]
impl EnrolmentQuery {
    /// A course's enrolments: enrolled, then the waitlist in order.
    async fn enrolments(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
    ) -> async_graphql::Result<Vec<Enrolment>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .enrolments(&auth, course_id.get())
            .await
            .gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Each enrolled participant's attendance, completion and level gain.
    async fn course_standings(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
    ) -> async_graphql::Result<Vec<Standing>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .standings(&auth, course_id.get())
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|s| Standing {
                enrolment: s.enrolment.into(),
                sessions_held: s.sessions_held,
                attended: s.attended,
                attendance_percent: s.attendance_percent,
                completed: s.completed,
                gained_level: s.gained_level,
            })
            .collect())
    }
}

/// Mutations: enrolments, placements and standings.
#[derive(Default)]
pub struct EnrolmentMutation;

#[Object]
impl EnrolmentMutation {
    /// Records a placement test result.
    async fn record_placement(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        level: Level,
        tested_on: Date,
        #[graphql(default)] note: String,
    ) -> async_graphql::Result<Placement> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let p = services(ctx)?
            .courses
            .record_placement(&auth, client_id.get(), level.into(), tested_on.0, &note)
            .await
            .gql()?;
        Ok(Placement {
            id: Id::from(p.id),
            client_id: Id::from(p.client_id),
            level: p.level.into(),
            tested_on: Date(p.tested_on),
            note: p.note,
        })
    }

    /// Enrols a client: a place while any are left, else the waitlist.
    async fn enrol(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let e = services(ctx)?
            .courses
            .enrol(&auth, course_id.get(), client_id.get())
            .await
            .gql()?;
        Ok(e.into())
    }

    /// Withdraws an enrolment; the first on the waitlist moves up (emailed).
    async fn withdraw_enrolment(
        &self,
        ctx: &Context<'_>,
        id: Id<EnrolmentId>,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let e = services(ctx)?
            .courses
            .withdraw(&auth, id.get())
            .await
            .gql()?;
        Ok(e.into())
    }
}
