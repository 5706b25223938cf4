//! Courses and their sessions: planning, moving, cancelling.

use super::enums::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::scope::can;
use integra_kernel::{BranchId, FundingProjectId, UserId};

/// A day the schedule skipped because it is a public holiday.
#[derive(SimpleObject)]
pub struct SkippedDay {
    day: Date,
    /// The holiday.
    reason: String,
}

impl From<integra_courses::recurrence::Skipped> for SkippedDay {
    fn from(s: integra_courses::recurrence::Skipped) -> Self {
        Self {
            day: Date(s.day),
            reason: s.reason,
        }
    }
}

/// A course.
#[derive(SimpleObject)]
pub struct Course {
    id: Id<CourseId>,
    kind: CourseKind,
    level: Option<Level>,
    title: String,
    description: String,
    branch_id: Option<Id<BranchId>>,
    room_id: Option<Id<RoomId>>,
    capacity: i32,
    min_participants: Option<i32>,
    lecturer_ids: Vec<Id<UserId>>,
    interpreter_language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    funding_project_id: Option<Id<FundingProjectId>>,
    key_activity: String,
    fee_czk: Option<i32>,
    deposit_czk: Option<i32>,
    enrolment_opens_on: Option<Date>,
    enrolment_closes_on: Option<Date>,
    completion_percent: i32,
    /// The RFC 5545 rule the sessions came from.
    recurrence: String,
    status: CourseStatus,
    /// Places taken.
    enrolled: i32,
    /// Public holidays the rule fell on, not scheduled.
    skipped_days: Vec<SkippedDay>,
}

impl From<integra_courses::Course> for Course {
    fn from(c: integra_courses::Course) -> Self {
        Self {
            id: Id::from(c.id),
            kind: c.kind.into(),
            level: c.level.map(Into::into),
            title: c.title,
            description: c.description,
            branch_id: c.branch_id.map(Id::from),
            room_id: c.room_id.map(Id::from),
            capacity: c.capacity,
            min_participants: c.min_participants,
            lecturer_ids: c.lecturer_ids.iter().map(Id::from).collect(),
            interpreter_language: c.interpreter_language,
            interpreter_id: c.interpreter_id.map(Id::from),
            funding_project_id: c.funding_project_id.map(Id::from),
            key_activity: c.key_activity,
            fee_czk: c.fee_czk,
            deposit_czk: c.deposit_czk,
            enrolment_opens_on: c.enrolment_opens_on.map(Date),
            enrolment_closes_on: c.enrolment_closes_on.map(Date),
            completion_percent: c.completion_percent,
            recurrence: c.recurrence,
            status: c.status.into(),
            enrolled: c.enrolled,
            skipped_days: c.skipped.into_iter().map(Into::into).collect(),
        }
    }
}

/// A session.
#[derive(SimpleObject)]
pub struct CourseSession {
    id: Id<SessionId>,
    course_id: Id<CourseId>,
    course_title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    room_id: Option<Id<RoomId>>,
    /// Who teaches it (the substitute alone, when set).
    lecturer_ids: Vec<Id<UserId>>,
    substitute_id: Option<Id<UserId>>,
    status: SessionStatus,
    note: String,
}

impl From<integra_courses::Session> for CourseSession {
    fn from(s: integra_courses::Session) -> Self {
        Self {
            id: Id::from(s.id),
            course_id: Id::from(s.course_id),
            course_title: s.course_title,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            room_id: s.room_id.map(Id::from),
            lecturer_ids: s.lecturer_ids.iter().map(Id::from).collect(),
            substitute_id: s.substitute_id.map(Id::from),
            status: s.status.into(),
            note: s.note,
        }
    }
}

/// A clash found by a schedule preview.
#[derive(SimpleObject)]
pub struct ScheduleClash {
    /// `lecturer`, `room`, `interpreter` or `worker`.
    resource: String,
    resource_id: ID,
    resource_name: String,
    /// `appointment`, `course session` or `event`.
    with_kind: String,
    with_id: ID,
    with_title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl From<integra_kernel::Clash> for ScheduleClash {
    fn from(c: integra_kernel::Clash) -> Self {
        Self {
            resource: c.resource,
            resource_id: ID(c.resource_id.to_string()),
            resource_name: c.resource_name,
            with_kind: c.with_kind,
            with_id: ID(c.with_id.to_string()),
            with_title: c.with_title,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
        }
    }
}

/// A session time of a preview.
#[derive(SimpleObject)]
pub struct PlannedTime {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

/// What a schedule would give.
#[derive(SimpleObject)]
pub struct SchedulePreview {
    sessions: Vec<PlannedTime>,
    skipped_days: Vec<SkippedDay>,
    clashes: Vec<ScheduleClash>,
}

/// A course as created, with its sessions.
#[derive(SimpleObject)]
pub struct PlannedCourse {
    course: Course,
    sessions: Vec<CourseSession>,
    /// Clashes overridden (recorded with the reason).
    overridden_clashes: i32,
    /// Sessions outside a lecturer's availability or in an absence.
    availability_warnings: Vec<String>,
}

/// A schedule: an RFC 5545 rule from a first day, at local times.
#[derive(InputObject)]
pub struct ScheduleInput {
    /// e.g. `FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24`; must have COUNT or UNTIL.
    rule: String,
    first_day: Date,
    /// `HH:MM`, Europe/Prague.
    start_time: String,
    /// `HH:MM`, Europe/Prague.
    end_time: String,
}

impl ScheduleInput {
    fn domain(&self) -> integra_courses::ScheduleInput {
        integra_courses::ScheduleInput {
            rule: self.rule.clone(),
            first_day: self.first_day.0,
            start_time: self.start_time.clone(),
            end_time: self.end_time.clone(),
        }
    }
}

/// A new course.
#[derive(InputObject)]
pub struct CourseInput {
    kind: CourseKind,
    level: Option<Level>,
    title: String,
    #[graphql(default)]
    description: String,
    branch_id: Option<Id<BranchId>>,
    room_id: Option<Id<RoomId>>,
    capacity: i32,
    min_participants: Option<i32>,
    #[graphql(default)]
    lecturer_ids: Vec<Id<UserId>>,
    #[graphql(default)]
    interpreter_language: String,
    interpreter_id: Option<Id<InterpreterId>>,
    funding_project_id: Option<Id<FundingProjectId>>,
    #[graphql(default)]
    key_activity: String,
    fee_czk: Option<i32>,
    deposit_czk: Option<i32>,
    enrolment_opens_on: Option<Date>,
    enrolment_closes_on: Option<Date>,
    /// Default 70.
    completion_percent: Option<i32>,
}

impl CourseInput {
    fn domain(self) -> async_graphql::Result<integra_courses::CourseInput> {
        Ok(integra_courses::CourseInput {
            kind: self.kind.into(),
            level: self.level.map(Into::into),
            title: self.title,
            description: self.description,
            branch_id: self.branch_id.map(Id::get),
            room_id: (self.room_id.map(Id::get)),
            capacity: self.capacity,
            min_participants: self.min_participants,
            lecturer_ids: self
                .lecturer_ids
                .iter()
                .map(|v| v.get())
                .collect::<Vec<_>>(),
            interpreter_language: self.interpreter_language,
            interpreter_id: (self.interpreter_id.map(Id::get)),
            funding_project_id: self.funding_project_id.map(Id::get),
            key_activity: self.key_activity,
            fee_czk: self.fee_czk,
            deposit_czk: self.deposit_czk,
            enrolment_opens_on: self.enrolment_opens_on.map(|d| d.0),
            enrolment_closes_on: self.enrolment_closes_on.map(|d| d.0),
            completion_percent: self.completion_percent,
        })
    }
}

/// Queries: courses and their sessions: planning, moving, cancelling.
#[derive(Default)]
pub struct ScheduleQuery;

#[Object]
impl ScheduleQuery {
    /// Courses (lecturers: the ones they teach), newest first.
    async fn courses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Course>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?.courses.courses(&auth).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// One course.
    async fn course(&self, ctx: &Context<'_>, id: Id<CourseId>) -> async_graphql::Result<Course> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let c = services(ctx)?.courses.course(&auth, id.get()).await.gql()?;
        Ok(c.into())
    }

    /// One course session (attendance taking opens on it).
    async fn course_session(
        &self,
        ctx: &Context<'_>,
        id: Id<SessionId>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .session(&auth, id.get())
            .await
            .gql()?;
        Ok(s.into())
    }

    /// Sessions overlapping `[from, to)` (a week or month), by course,
    /// room, lecturer or branch. Lecturers see their own.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn course_sessions(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        course_id: Option<Id<CourseId>>,
        room_id: Option<Id<RoomId>>,
        lecturer_id: Option<Id<UserId>>,
        branch_id: Option<Id<BranchId>>,
    ) -> async_graphql::Result<Vec<CourseSession>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let filter = integra_courses::SessionFilter {
            session_id: None,
            from: Some(from),
            to: Some(to),
            course_id: (course_id.map(Id::get)).map(Into::into),
            room_id: (room_id.map(Id::get)).map(Into::into),
            lecturer_id: lecturer_id.map(Id::get),
            branch_id: branch_id.map(Id::get),
        };
        let list = services(ctx)?
            .courses
            .sessions(&auth, &filter)
            .await
            .gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// What a schedule would give, with the clashes, without saving.
    async fn preview_schedule(
        &self,
        ctx: &Context<'_>,
        schedule: ScheduleInput,
        #[graphql(default)] lecturer_ids: Vec<Id<UserId>>,
        room_id: Option<Id<RoomId>>,
        interpreter_id: Option<Id<InterpreterId>>,
    ) -> async_graphql::Result<SchedulePreview> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let (sessions, skipped, clashes) = services(ctx)?
            .courses
            .preview_schedule(
                &auth,
                &schedule.domain(),
                &lecturer_ids.iter().map(|v| v.get()).collect::<Vec<_>>(),
                room_id.map(Id::get),
                interpreter_id.map(Id::get),
            )
            .await
            .gql()?;
        Ok(SchedulePreview {
            sessions: sessions
                .into_iter()
                .map(|o| PlannedTime {
                    starts_at: o.starts_at,
                    ends_at: o.ends_at,
                })
                .collect(),
            skipped_days: skipped.into_iter().map(Into::into).collect(),
            clashes: clashes.into_iter().map(Into::into).collect(),
        })
    }
}

/// Mutations: courses and their sessions: planning, moving, cancelling.
#[derive(Default)]
pub struct ScheduleMutation;

#[Object]
impl ScheduleMutation {
    /// Creates a course and, with a schedule, its sessions. A clash with the
    /// centre's calendar is `CONFLICT` (each clash in
    /// `extensions.clashes`) unless `overrideReason` is given.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        input: CourseInput,
        schedule: Option<ScheduleInput>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<PlannedCourse> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let schedule = schedule.map(|s| s.domain());
        let p = services(ctx)?
            .courses
            .create_course(
                &auth,
                &input.domain()?,
                schedule.as_ref(),
                override_reason.as_deref(),
            )
            .await
            .gql()?;
        Ok(PlannedCourse {
            course: p.course.into(),
            sessions: p.sessions.into_iter().map(Into::into).collect(),
            overridden_clashes: i32::try_from(p.notes.overridden).unwrap_or(i32::MAX),
            availability_warnings: p.notes.outside_availability,
        })
    }

    /// Adds a session to a course.
    async fn add_course_session(
        &self,
        ctx: &Context<'_>,
        course_id: Id<CourseId>,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<Id<RoomId>>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .add_session(
                &auth,
                course_id.get(),
                starts_at,
                ends_at,
                room_id.map(Id::get),
                override_reason.as_deref(),
            )
            .await
            .gql()?;
        Ok(s.into())
    }

    /// Moves a session; enrolled clients are emailed.
    async fn move_course_session(
        &self,
        ctx: &Context<'_>,
        id: Id<SessionId>,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<Id<RoomId>>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .move_session(
                &auth,
                id.get(),
                starts_at,
                ends_at,
                room_id.map(Id::get),
                override_reason.as_deref(),
            )
            .await
            .gql()?;
        Ok(s.into())
    }

    /// Cancels a session; enrolled clients are emailed.
    async fn cancel_course_session(
        &self,
        ctx: &Context<'_>,
        id: Id<SessionId>,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .cancel_session(&auth, id.get(), &reason)
            .await
            .gql()?;
        Ok(s.into())
    }

    /// Gives a session a substitute lecturer (`null`: back to the course's).
    async fn set_session_substitute(
        &self,
        ctx: &Context<'_>,
        id: Id<SessionId>,
        substitute_id: Option<Id<UserId>>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .set_substitute(
                &auth,
                id.get(),
                substitute_id.map(Id::get),
                override_reason.as_deref(),
            )
            .await
            .gql()?;
        Ok(s.into())
    }
}
