//! GraphQL for courses: rooms, courses with their schedules, timetables,
//! sessions, placement tests, enrolment, attendance and standings.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId, FundingProjectId, UserId};

use super::scalars::Date;
use super::{GqlResultExt, scope, services};

/// Kind of course.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::CourseKind")]
pub enum CourseKind {
    /// Czech as a foreign language, by CEFR level.
    CzechLanguage,
    /// Conversation in Czech.
    Conversation,
    /// Czech for children.
    Children,
    /// Czech for a trade or profession.
    VocationalCzech,
    /// Sociocultural orientation.
    Sociocultural,
    /// The adaptation-integration course "Vítejte v České republice".
    AdaptationIntegration,
}

/// A CEFR level.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::Level")]
pub enum Level {
    /// Beginner without Czech.
    A0,
    /// A1.
    A1,
    /// A2 (permanent residence).
    A2,
    /// B1 (citizenship).
    B1,
    /// B2.
    B2,
}

/// Where a course stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::CourseStatus")]
pub enum CourseStatus {
    /// Planned or running.
    Active,
    /// Called off.
    Cancelled,
}

/// Where a session stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::SessionStatus")]
pub enum SessionStatus {
    /// Takes place.
    Scheduled,
    /// Called off.
    Cancelled,
}

/// Where an enrolment stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::EnrolmentStatus")]
pub enum EnrolmentStatus {
    /// Has a place.
    Enrolled,
    /// Waits for a place.
    Waitlisted,
    /// Left.
    Withdrawn,
}

/// A participant at a session.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_courses::Mark")]
pub enum Mark {
    /// Present.
    Present,
    /// Late (counts as attended).
    Late,
    /// Excused.
    Excused,
    /// Absent.
    Absent,
}

fn id(u: uuid::Uuid) -> ID {
    ID(u.to_string())
}

fn uuid_of(field: &str, raw: &ID) -> async_graphql::Result<uuid::Uuid> {
    parse_id::<uuid::Uuid>(field, raw).gql()
}

pub(super) fn opt_uuid(field: &str, raw: &Option<ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    raw.as_ref().map(|r| uuid_of(field, r)).transpose()
}

/// A room.
#[derive(SimpleObject)]
pub struct Room {
    id: ID,
    branch_id: ID,
    name: String,
    capacity: Option<i32>,
}

impl From<integra_courses::Room> for Room {
    fn from(r: integra_courses::Room) -> Self {
        Self {
            id: id(r.id),
            branch_id: ID(r.branch_id.to_string()),
            name: r.name,
            capacity: r.capacity,
        }
    }
}

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

/// An enrolment.
#[derive(SimpleObject)]
pub struct Enrolment {
    id: ID,
    course_id: ID,
    client_id: ID,
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
            id: id(e.id),
            course_id: id(e.course_id),
            client_id: ID(e.client_id.to_string()),
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
    id: ID,
    client_id: ID,
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

/// A weekly availability window.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "WindowInput")]
pub struct Window {
    /// 1 = Monday … 7 = Sunday.
    weekday: i32,
    /// `HH:MM`.
    starts: String,
    /// `HH:MM`.
    ends: String,
}

/// A course certificate (PDF).
#[derive(SimpleObject)]
pub struct CourseCertificate {
    /// The checkable number.
    number: String,
    issued_at: DateTime<Utc>,
    /// Suggested file name.
    file_name: String,
    /// The PDF, base64.
    pdf_base64: String,
}

/// What a certificate number check tells: never the holder.
#[derive(SimpleObject)]
pub struct VerifiedCertificate {
    course: String,
    centre: String,
    issued_on: Date,
}

/// A CSV file to download.
#[derive(SimpleObject)]
pub struct CsvFile {
    /// Suggested file name.
    file_name: String,
    /// Content (UTF-8 with BOM, `;`-separated).
    content: String,
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

pub(super) fn users(field: &str, raw: &[ID]) -> async_graphql::Result<Vec<UserId>> {
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

/// Course queries.
#[derive(Default)]
pub struct CoursesQuery;

#[Object]
impl CoursesQuery {
    /// The centre's rooms.
    async fn rooms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Room>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let list = services(ctx)?.courses.rooms(&auth).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

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

    /// A course's enrolments: enrolled, then the waitlist in order.
    async fn enrolments(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
    ) -> async_graphql::Result<Vec<Enrolment>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .enrolments(&auth, uuid_of("courseId", &course_id)?)
            .await
            .gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

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

    /// Each enrolled participant's attendance, completion and level gain.
    async fn course_standings(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
    ) -> async_graphql::Result<Vec<Standing>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .standings(&auth, uuid_of("courseId", &course_id)?)
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

    /// The attendance confirmations of an adaptation-integration course
    /// for the ministry, as CSV (coordinators, admins).
    async fn aik_confirmations(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
    ) -> async_graphql::Result<CsvFile> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let f = services(ctx)?
            .courses
            .aik_confirmations(&auth, uuid_of("courseId", &course_id)?)
            .await
            .gql()?;
        Ok(CsvFile {
            file_name: f.file_name,
            content: f.content,
        })
    }

    /// Checks a certificate number; needs no sign-in and tells only the
    /// course, the issuing centre and the day of issue.
    #[graphql(complexity = "super::PUBLIC_LOOKUP_COST + child_complexity")]
    async fn verify_certificate(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<VerifiedCertificate> {
        let v = services(ctx)?.courses.verify(&number).await.gql()?;
        Ok(VerifiedCertificate {
            course: v.course,
            centre: v.centre,
            issued_on: Date(v.issued_on),
        })
    }

    /// A lecturer's weekly availability.
    async fn lecturer_availability(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<Vec<Window>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let list = services(ctx)?
            .courses
            .availability(&auth, parse_id::<UserId>("userId", &user_id).gql()?)
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|w| Window {
                weekday: i32::try_from(w.weekday).unwrap_or(1),
                starts: w.starts,
                ends: w.ends,
            })
            .collect())
    }
}

/// Whose sessions a calendar feed shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum FeedOwnerKind {
    /// A lecturer.
    Lecturer,
    /// A room.
    Room,
}

fn feed_owner(
    kind: FeedOwnerKind,
    owner_id: &ID,
) -> async_graphql::Result<integra_courses::feeds::FeedOwner> {
    Ok(match kind {
        FeedOwnerKind::Lecturer => integra_courses::feeds::FeedOwner::Lecturer(
            parse_id::<UserId>("ownerId", owner_id).gql()?,
        ),
        FeedOwnerKind::Room => {
            integra_courses::feeds::FeedOwner::Room(uuid_of("ownerId", owner_id)?)
        }
    })
}

/// Course mutations.
#[derive(Default)]
pub struct CoursesMutation;

#[Object]
impl CoursesMutation {
    /// Adds a room to a branch (coordinators, admins).
    async fn create_room(
        &self,
        ctx: &Context<'_>,
        branch_id: ID,
        name: String,
        capacity: Option<i32>,
    ) -> async_graphql::Result<Room> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let r = services(ctx)?
            .courses
            .create_room(
                &auth,
                parse_id::<BranchId>("branchId", &branch_id).gql()?,
                &name,
                capacity,
            )
            .await
            .gql()?;
        Ok(r.into())
    }

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

    /// Records a placement test result.
    async fn record_placement(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        level: Level,
        tested_on: Date,
        #[graphql(default)] note: String,
    ) -> async_graphql::Result<Placement> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let p = services(ctx)?
            .courses
            .record_placement(
                &auth,
                parse_id::<ClientId>("clientId", &client_id).gql()?,
                level.into(),
                tested_on.0,
                &note,
            )
            .await
            .gql()?;
        Ok(Placement {
            id: id(p.id),
            client_id: ID(p.client_id.to_string()),
            level: p.level.into(),
            tested_on: Date(p.tested_on),
            note: p.note,
        })
    }

    /// Enrols a client: a place while any are left, else the waitlist.
    async fn enrol(
        &self,
        ctx: &Context<'_>,
        course_id: ID,
        client_id: ID,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let e = services(ctx)?
            .courses
            .enrol(
                &auth,
                uuid_of("courseId", &course_id)?,
                parse_id::<ClientId>("clientId", &client_id).gql()?,
            )
            .await
            .gql()?;
        Ok(e.into())
    }

    /// Withdraws an enrolment; the first on the waitlist moves up (emailed).
    async fn withdraw_enrolment(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let e = services(ctx)?
            .courses
            .withdraw(&auth, uuid_of("id", &id)?)
            .await
            .gql()?;
        Ok(e.into())
    }

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

    /// The certificate of a participant who completed the course: issued
    /// the first time, the same number afterwards.
    async fn course_certificate(
        &self,
        ctx: &Context<'_>,
        enrolment_id: ID,
    ) -> async_graphql::Result<CourseCertificate> {
        use base64::Engine as _;
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let c = services(ctx)?
            .courses
            .certificate(&auth, uuid_of("enrolmentId", &enrolment_id)?)
            .await
            .gql()?;
        Ok(CourseCertificate {
            number: c.number,
            issued_at: c.issued_at,
            file_name: c.file_name,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&c.pdf),
        })
    }

    /// Records the level a participant leaves with.
    async fn set_exit_level(
        &self,
        ctx: &Context<'_>,
        enrolment_id: ID,
        level: Level,
    ) -> async_graphql::Result<Enrolment> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let e = services(ctx)?
            .courses
            .set_exit_level(&auth, uuid_of("enrolmentId", &enrolment_id)?, level.into())
            .await
            .gql()?;
        Ok(e.into())
    }

    /// Replaces a lecturer's weekly availability (lecturers: their own).
    async fn set_lecturer_availability(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        windows: Vec<Window>,
    ) -> async_graphql::Result<Vec<Window>> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let windows: Vec<integra_courses::availability::Window> = windows
            .into_iter()
            .map(|w| integra_courses::availability::Window {
                weekday: u32::try_from(w.weekday).unwrap_or(0),
                starts: w.starts,
                ends: w.ends,
            })
            .collect();
        let list = services(ctx)?
            .courses
            .set_availability(
                &auth,
                parse_id::<UserId>("userId", &user_id).gql()?,
                &windows,
            )
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|w| Window {
                weekday: i32::try_from(w.weekday).unwrap_or(1),
                starts: w.starts,
                ends: w.ends,
            })
            .collect())
    }

    /// A new secret calendar-feed address (iCalendar) for a lecturer
    /// (lecturers: their own) or a room; shown once.
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        owner_kind: FeedOwnerKind,
        owner_id: ID,
    ) -> async_graphql::Result<String> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        services(ctx)?
            .courses
            .create_feed(&auth, feed_owner(owner_kind, &owner_id)?)
            .await
            .gql()
    }

    /// Revokes every feed address of a lecturer or room; returns how many.
    async fn revoke_calendar_feeds(
        &self,
        ctx: &Context<'_>,
        owner_kind: FeedOwnerKind,
        owner_id: ID,
    ) -> async_graphql::Result<i32> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let n = services(ctx)?
            .courses
            .revoke_feeds(&auth, feed_owner(owner_kind, &owner_id)?)
            .await
            .gql()?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Records days a lecturer is away (lecturers: their own).
    async fn add_lecturer_absence(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        first_day: Date,
        last_day: Date,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<bool> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        services(ctx)?
            .courses
            .add_absence(
                &auth,
                parse_id::<UserId>("userId", &user_id).gql()?,
                first_day.0,
                last_day.0,
                &reason,
            )
            .await
            .gql()?;
        Ok(true)
    }
}
