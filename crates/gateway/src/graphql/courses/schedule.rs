//! Courses and their sessions: planning, moving, cancelling.

use super::enums::*;
use super::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::id::parse_id;
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
    id: ID,
    kind: CourseKind,
    level: Option<Level>,
    title: String,
    description: String,
    branch_id: Option<ID>,
    room_id: Option<ID>,
    capacity: i32,
    min_participants: Option<i32>,
    lecturer_ids: Vec<ID>,
    interpreter_language: String,
    interpreter_id: Option<ID>,
    funding_project_id: Option<ID>,
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
            id: id(c.id),
            kind: c.kind.into(),
            level: c.level.map(Into::into),
            title: c.title,
            description: c.description,
            branch_id: c.branch_id.map(|b| ID(b.to_string())),
            room_id: c.room_id.map(id),
            capacity: c.capacity,
            min_participants: c.min_participants,
            lecturer_ids: c.lecturer_ids.iter().map(|u| ID(u.to_string())).collect(),
            interpreter_language: c.interpreter_language,
            interpreter_id: c.interpreter_id.map(id),
            funding_project_id: c.funding_project_id.map(|p| ID(p.to_string())),
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
    id: ID,
    course_id: ID,
    course_title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    room_id: Option<ID>,
    /// Who teaches it (the substitute alone, when set).
    lecturer_ids: Vec<ID>,
    substitute_id: Option<ID>,
    status: SessionStatus,
    note: String,
}

impl From<integra_courses::Session> for CourseSession {
    fn from(s: integra_courses::Session) -> Self {
        Self {
            id: id(s.id),
            course_id: id(s.course_id),
            course_title: s.course_title,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            room_id: s.room_id.map(id),
            lecturer_ids: s.lecturer_ids.iter().map(|u| ID(u.to_string())).collect(),
            substitute_id: s.substitute_id.map(|u| ID(u.to_string())),
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
            resource_id: id(c.resource_id),
            resource_name: c.resource_name,
            with_kind: c.with_kind,
            with_id: id(c.with_id),
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
    branch_id: Option<ID>,
    room_id: Option<ID>,
    capacity: i32,
    min_participants: Option<i32>,
    #[graphql(default)]
    lecturer_ids: Vec<ID>,
    #[graphql(default)]
    interpreter_language: String,
    interpreter_id: Option<ID>,
    funding_project_id: Option<ID>,
    #[graphql(default)]
    key_activity: String,
    fee_czk: Option<i32>,
    deposit_czk: Option<i32>,
    enrolment_opens_on: Option<Date>,
    enrolment_closes_on: Option<Date>,
    /// Default 70.
    completion_percent: Option<i32>,
}

pub(crate) fn users(field: &str, raw: &[ID]) -> async_graphql::Result<Vec<UserId>> {
    raw.iter()
        .map(|r| parse_id::<UserId>(field, r).gql())
        .collect()
}

impl CourseInput {
    fn domain(self) -> async_graphql::Result<integra_courses::CourseInput> {
        Ok(integra_courses::CourseInput {
            kind: self.kind.into(),
            level: self.level.map(Into::into),
            title: self.title,
            description: self.description,
            branch_id: self
                .branch_id
                .map(|b| parse_id::<BranchId>("branchId", &b))
                .transpose()
                .gql()?,
            room_id: opt_uuid("roomId", &self.room_id)?,
            capacity: self.capacity,
            min_participants: self.min_participants,
            lecturer_ids: users("lecturerIds", &self.lecturer_ids)?,
            interpreter_language: self.interpreter_language,
            interpreter_id: opt_uuid("interpreterId", &self.interpreter_id)?,
            funding_project_id: self
                .funding_project_id
                .map(|p| parse_id::<FundingProjectId>("fundingProjectId", &p))
                .transpose()
                .gql()?,
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
    async fn course(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Course> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let c = services(ctx)?
            .courses
            .course(&auth, uuid_of("id", &id)?)
            .await
            .gql()?;
        Ok(c.into())
    }

    /// One course session (attendance taking opens on it).
    async fn course_session(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .session(&auth, uuid_of("id", &id)?)
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
        course_id: Option<ID>,
        room_id: Option<ID>,
        lecturer_id: Option<ID>,
        branch_id: Option<ID>,
    ) -> async_graphql::Result<Vec<CourseSession>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let filter = integra_courses::SessionFilter {
            session_id: None,
            from: Some(from),
            to: Some(to),
            course_id: opt_uuid("courseId", &course_id)?,
            room_id: opt_uuid("roomId", &room_id)?,
            lecturer_id: lecturer_id
                .map(|l| parse_id::<UserId>("lecturerId", &l))
                .transpose()
                .gql()?,
            branch_id: branch_id
                .map(|b| parse_id::<BranchId>("branchId", &b))
                .transpose()
                .gql()?,
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
        #[graphql(default)] lecturer_ids: Vec<ID>,
        room_id: Option<ID>,
        interpreter_id: Option<ID>,
    ) -> async_graphql::Result<SchedulePreview> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let (sessions, skipped, clashes) = services(ctx)?
            .courses
            .preview_schedule(
                &auth,
                &schedule.domain(),
                &users("lecturerIds", &lecturer_ids)?,
                opt_uuid("roomId", &room_id)?,
                opt_uuid("interpreterId", &interpreter_id)?,
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
        course_id: ID,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<ID>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .add_session(
                &auth,
                uuid_of("courseId", &course_id)?,
                starts_at,
                ends_at,
                opt_uuid("roomId", &room_id)?,
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
        id: ID,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<ID>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .move_session(
                &auth,
                uuid_of("id", &id)?,
                starts_at,
                ends_at,
                opt_uuid("roomId", &room_id)?,
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
        id: ID,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .cancel_session(&auth, uuid_of("id", &id)?, &reason)
            .await
            .gql()?;
        Ok(s.into())
    }

    /// Gives a session a substitute lecturer (`null`: back to the course's).
    async fn set_session_substitute(
        &self,
        ctx: &Context<'_>,
        id: ID,
        substitute_id: Option<ID>,
        override_reason: Option<String>,
    ) -> async_graphql::Result<CourseSession> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let s = services(ctx)?
            .courses
            .set_substitute(
                &auth,
                uuid_of("id", &id)?,
                substitute_id
                    .map(|u| parse_id::<UserId>("substituteId", &u))
                    .transpose()
                    .gql()?,
                override_reason.as_deref(),
            )
            .await
            .gql()?;
        Ok(s.into())
    }
}
