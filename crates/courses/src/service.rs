//! The course service: rooms, courses with their sessions, and the clash
//! check over the centre's whole calendar. Lecturers reach only the courses
//! they teach; coordinators and admins reach all.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Prague;
use integra_calendar::{self as calendar, Need, Resource, SourceKind, Span};
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::validate::{long_text, text};
use integra_kernel::{
    AppError, AppResult, Authorized, BranchId, Capability, Clash, Database, FundingProjectId,
    PlatformDb, SharedClock, TenantScope, UserId,
};
use integra_notify::MailSignal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{course, lecturer, overrides, room, session, skipped};
use crate::model::{
    AIK_LANGUAGES, Course, CourseInput, CourseKind, CourseStatus, Level, Planned, Room,
    ScheduleInput, ScheduleNotes, Session, SessionStatus,
};
use crate::recurrence::{self, Occurrence, Schedule, Skipped, parse_time};

/// Most places a course may have.
pub const MAX_CAPACITY: i32 = 500;

/// Courses of a centre.
#[derive(Clone)]
pub struct CourseService {
    /// The platform's doors, for its public and background paths.
    pub(crate) platform: PlatformDb,
    pub(crate) clock: SharedClock,
    pub(crate) mail: MailSignal,
    pub(crate) public_url: std::sync::Arc<str>,
}

/// Which sessions a timetable shows.
#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    /// One session.
    pub session_id: Option<Uuid>,
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// One course.
    pub course_id: Option<Uuid>,
    /// One room.
    pub room_id: Option<Uuid>,
    /// One lecturer (their courses and the sessions they substitute).
    pub lecturer_id: Option<UserId>,
    /// One branch.
    pub branch_id: Option<BranchId>,
}

/// Whether the caller plans all courses (not only their own).
pub(crate) fn manages(scope: &TenantScope) -> bool {
    can::ManageCourses::granted(scope.roles())
}

impl CourseService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service.
    pub fn new(platform: PlatformDb, clock: SharedClock) -> Self {
        Self {
            platform,
            clock,
            mail: MailSignal::new(),
            public_url: std::sync::Arc::from(""),
        }
    }

    /// Sets the address people reach Integra at (for feed links).
    #[must_use]
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = std::sync::Arc::from(url.trim_end_matches('/'));
        self
    }

    /// Wakes `signal`'s email worker after emails are queued.
    #[must_use]
    pub fn with_mail(mut self, signal: MailSignal) -> Self {
        self.mail = signal;
        self
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Europe/Prague.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Prague).date_naive()
    }

    /// Adds a room to a branch (coordinators and admins).
    pub async fn create_room(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        branch_id: BranchId,
        name: &str,
        capacity: Option<i32>,
    ) -> AppResult<Room> {
        let name = text("name", name, 100, true)?;
        if capacity.is_some_and(|c| !(1..=1000).contains(&c)) {
            return Err(AppError::bad_input(
                "capacity",
                "must be between 1 and 1000",
            ));
        }
        let txn = self.db().scoped_write(auth).await?;
        integra_tenants::centres::require_branch(&txn, branch_id)
            .await
            .map_err(not_found_as("branchId", "is not a branch of this centre"))?;
        let row = room::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            branch_id: Set(branch_id.uuid()),
            name: Set(name),
            capacity: Set(capacity),
            created_at: Set(self.now()),
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::bad_input("name", "the branch already has a room of this name")
            }
            _ => AppError::from(e),
        })?;
        txn.commit().await?;
        Ok(room_from(row))
    }

    /// The centre's rooms.
    pub async fn rooms(&self, auth: &Authorized<'_, can::ReadCentre>) -> AppResult<Vec<Room>> {
        let txn = self.db().scoped(auth).await?;
        let rows = txn
            .find::<room::Entity>()
            .order_by_asc(room::Column::Name)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(room_from).collect())
    }

    /// Creates a course and, with a schedule, its sessions. The sessions'
    /// lecturers, room and interpreter are checked against every booking of
    /// the centre (appointments, other courses, events): a clash is refused
    /// with `CONFLICT` listing each one, unless `override_reason` is given,
    /// which is recorded with the clashes.
    pub async fn create_course(
        &self,
        auth: &Authorized<'_, can::ManageCourses>,
        input: &CourseInput,
        schedule: Option<&ScheduleInput>,
        override_reason: Option<&str>,
    ) -> AppResult<Planned> {
        let now = self.now();
        let checked = check_input(input)?;
        let plan = schedule.map(expand).transpose()?;
        let txn = self.db().scoped_write(auth).await?;
        let refs = check_refs(&txn, input).await?;
        let id = Uuid::now_v7();
        let row = course::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            kind: Set(input.kind.as_str().to_owned()),
            level: Set(input
                .level
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default()),
            title: Set(checked.title.clone()),
            description: Set(checked.description),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            room_id: Set(input.room_id.map(Into::into)),
            capacity: Set(input.capacity),
            min_participants: Set(input.min_participants),
            interpreter_language: Set(checked.interpreter_language),
            interpreter_id: Set(input.interpreter_id.map(Into::into)),
            funding_project_id: Set(input.funding_project_id.map(FundingProjectId::uuid)),
            key_activity: Set(checked.key_activity),
            fee_czk: Set(input.fee_czk),
            deposit_czk: Set(input.deposit_czk),
            enrolment_opens_on: Set(input.enrolment_opens_on),
            enrolment_closes_on: Set(input.enrolment_closes_on),
            completion_percent: Set(input.completion_percent.unwrap_or(70)),
            recurrence: Set(schedule
                .map(|s| s.rule.trim().to_owned())
                .unwrap_or_default()),
            first_day: Set(schedule.map(|s| s.first_day)),
            start_time: Set(schedule
                .map(|s| s.start_time.trim().to_owned())
                .unwrap_or_default()),
            end_time: Set(schedule
                .map(|s| s.end_time.trim().to_owned())
                .unwrap_or_default()),
            status: Set(CourseStatus::Active.as_str().to_owned()),
            enrolled: Set(0),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let mut lecturers = input.lecturer_ids.clone();
        lecturers.sort_by_key(|u| u.uuid());
        lecturers.dedup();
        if !lecturers.is_empty() {
            lecturer::Entity::insert_many(lecturers.iter().map(|u| lecturer::ActiveModel {
                tenant_id: Set(auth.centre_id().uuid()),
                course_id: Set(id),
                user_id: Set(u.uuid()),
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        let mut notes = ScheduleNotes::default();
        let mut sessions = Vec::new();
        let mut skipped_days = Vec::new();
        if let Some((occurrences, skipped_list)) = plan {
            let needs = needs(&txn, &lecturers, input.room_id.map(Into::into), &refs).await?;
            let spans: Vec<Span> = occurrences.iter().map(span_of).collect();
            notes.overridden = clash_check(
                &txn,
                auth,
                &needs,
                &spans,
                &[],
                Some(true),
                now,
                override_reason,
                id,
                None,
            )
            .await?;
            notes.outside_availability =
                crate::availability::flags(&txn, &lecturers, &spans).await?;
            let rows: Vec<session::ActiveModel> = occurrences
                .iter()
                .map(|o| session::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    tenant_id: Set(auth.centre_id().uuid()),
                    course_id: Set(id),
                    starts_at: Set(o.starts_at),
                    ends_at: Set(o.ends_at),
                    room_id: Set(input.room_id.map(Into::into)),
                    substitute_id: Set(None),
                    status: Set(SessionStatus::Scheduled.as_str().to_owned()),
                    note: Set(String::new()),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .collect();
            let entries: Vec<(Uuid, Span)> = rows
                .iter()
                .map(|r| {
                    (
                        *r.id.as_ref(),
                        Span {
                            starts_at: *r.starts_at.as_ref(),
                            ends_at: *r.ends_at.as_ref(),
                        },
                    )
                })
                .collect();
            for chunk in rows.chunks(200) {
                session::Entity::insert_many(chunk.to_vec())
                    .exec_without_returning(&txn)
                    .await?;
            }
            let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
            calendar::book_many(
                &txn,
                SourceKind::CourseSession,
                &entries,
                &resources,
                &checked.title,
            )
            .await?;
            if !skipped_list.is_empty() {
                skipped::Entity::insert_many(skipped_list.iter().map(|s| skipped::ActiveModel {
                    tenant_id: Set(auth.centre_id().uuid()),
                    course_id: Set(id),
                    day: Set(s.day),
                    reason: Set(s.reason.clone()),
                }))
                .exec_without_returning(&txn)
                .await?;
            }
            skipped_days = skipped_list;
            sessions = entries
                .iter()
                .map(|(sid, span)| Session {
                    id: (*sid).into(),
                    course_id: id.into(),
                    course_title: checked.title.clone(),
                    starts_at: span.starts_at,
                    ends_at: span.ends_at,
                    room_id: input.room_id,
                    lecturer_ids: lecturers.clone(),
                    substitute_id: None,
                    status: SessionStatus::Scheduled,
                    note: String::new(),
                })
                .collect();
        }
        txn.commit().await?;
        let mut course = course_from(row, lecturers)?;
        course.skipped = skipped_days;
        Ok(Planned {
            course,
            sessions,
            notes,
        })
    }

    /// Shows what a schedule would give without saving anything: the
    /// sessions, the holidays skipped, and the clashes with the centre's
    /// calendar for the given lecturers, room and interpreter.
    pub async fn preview_schedule(
        &self,
        auth: &Authorized<'_, can::Teach>,
        schedule: &ScheduleInput,
        lecturer_ids: &[UserId],
        room_id: Option<integra_kernel::RoomId>,
        interpreter_id: Option<integra_kernel::InterpreterId>,
    ) -> AppResult<(Vec<Occurrence>, Vec<Skipped>, Vec<Clash>)> {
        let (occurrences, skipped) = expand(schedule)?;
        let txn = self.db().scoped(auth).await?;
        integra_tenants::staff::require_members(&txn, lecturer_ids, "lecturerIds").await?;
        let refs = Refs {
            room: match room_id {
                Some(r) => Some(find_room(&txn, r.into(), "roomId").await?),
                None => None,
            },
            interpreter: match interpreter_id {
                Some(i) => {
                    Some(integra_calendar::interpreter_need(&txn, i.into(), "interpreterId").await?)
                }
                None => None,
            },
        };
        let needs = needs(&txn, lecturer_ids, room_id.map(Into::into), &refs).await?;
        let spans: Vec<Span> = occurrences.iter().map(span_of).collect();
        let clashes = calendar::clashes(&txn, &needs, &spans, &[]).await?;
        txn.commit().await?;
        Ok((occurrences, skipped, clashes))
    }

    /// A course (lecturers: one they teach).
    pub async fn course(
        &self,
        auth: &Authorized<'_, can::Teach>,
        id: crate::ids::CourseId,
    ) -> AppResult<Course> {
        let txn = self.db().scoped(auth).await?;
        let row = teaching(&txn, auth, id.into()).await?;
        let out = load_course(&txn, row).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// The centre's courses, newest first (lecturers: the ones they teach).
    pub async fn courses(&self, auth: &Authorized<'_, can::Teach>) -> AppResult<Vec<Course>> {
        let txn = self.db().scoped(auth).await?;
        let mut q = txn.find::<course::Entity>();
        if !manages(auth) {
            q = q.filter(course::Column::Id.is_in(taught_by(&txn, auth.user_id()).await?));
        }
        let rows = q.order_by_desc(course::Column::CreatedAt).all(&txn).await?;
        let lecturers = lecturers_of(&txn, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|r| {
                let l = lecturers.get(&r.id).cloned().unwrap_or_default();
                course_from(r, l)
            })
            .collect()
    }

    /// Sessions by time (a week or month view), filtered by course, room,
    /// lecturer or branch; lecturers see their own courses and the sessions
    /// they substitute. At most 2,000.
    pub async fn sessions(
        &self,
        auth: &Authorized<'_, can::Teach>,
        filter: &SessionFilter,
    ) -> AppResult<Vec<Session>> {
        if let (Some(f), Some(t)) = (filter.from, filter.to)
            && t <= f
        {
            return Err(AppError::bad_input("to", "must be after from"));
        }
        let txn = self.db().scoped(auth).await?;
        let mut q = txn.find::<session::Entity>();
        if let Some(f) = filter.from {
            // A session lasts at most MAX_SESSION_HOURS: the lower bound on
            // the start keeps the index scan to the week asked for, not
            // every earlier session of the centre.
            q = q.filter(session::Column::EndsAt.gt(f)).filter(
                session::Column::StartsAt
                    .gt(f - chrono::Duration::hours(recurrence::MAX_SESSION_HOURS)),
            );
        }
        if let Some(t) = filter.to {
            q = q.filter(session::Column::StartsAt.lt(t));
        }
        if let Some(id) = filter.session_id {
            q = q.filter(session::Column::Id.eq(id));
        }
        if let Some(c) = filter.course_id {
            q = q.filter(session::Column::CourseId.eq(c));
        }
        if let Some(r) = filter.room_id {
            q = q.filter(session::Column::RoomId.eq(r));
        }
        let who = if manages(auth) {
            filter.lecturer_id
        } else {
            Some(auth.user_id())
        };
        if let Some(l) = who {
            // The courses taught, in the same statement (a lecturer of many
            // years teaches a hundred courses: no list sent back and forth).
            let taught = Query::select()
                .column(lecturer::Column::CourseId)
                .from(lecturer::Entity)
                .cond_where(txn.owned_by::<lecturer::Entity>())
                .and_where(lecturer::Column::UserId.eq(l.uuid()))
                .to_owned();
            q = q.filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(session::Column::CourseId.in_subquery(taught))
                            .add(session::Column::SubstituteId.is_null()),
                    )
                    .add(session::Column::SubstituteId.eq(l.uuid())),
            );
        }
        if let Some(b) = filter.branch_id {
            let courses: Vec<Uuid> = txn
                .find::<course::Entity>()
                .filter(course::Column::BranchId.eq(b.uuid()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect();
            q = q.filter(session::Column::CourseId.is_in(courses));
        }
        let rows = q
            .order_by_asc(session::Column::StartsAt)
            .order_by_asc(session::Column::Id)
            .limit(2_000)
            .all(&txn)
            .await?;
        let out = sessions_out(&txn, rows).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// One session, as the timetable shows it (lecturers: of a course they
    /// teach or substitute in); `NOT_FOUND` otherwise.
    pub async fn session(
        &self,
        auth: &Authorized<'_, can::Teach>,
        id: crate::ids::SessionId,
    ) -> AppResult<Session> {
        let filter = SessionFilter {
            session_id: Some(id.into()),
            ..SessionFilter::default()
        };
        self.sessions(auth, &filter)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)
    }

    /// Adds one session to a course (lecturers: to a course they teach),
    /// with the same clash check as a schedule.
    pub async fn add_session(
        &self,
        auth: &Authorized<'_, can::Teach>,
        course_id: crate::ids::CourseId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<integra_kernel::RoomId>,
        override_reason: Option<&str>,
    ) -> AppResult<Session> {
        let span = check_span(starts_at, ends_at)?;
        let now = self.now();
        let txn = self.db().scoped_write(auth).await?;
        let c = teaching(&txn, auth, course_id.into()).await?;
        if c.status == CourseStatus::Cancelled.as_str() {
            return Err(AppError::Conflict("The course is cancelled.".into()));
        }
        let room = room_id.or(c.room_id.map(Into::into));
        let row = session::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            course_id: Set(c.id),
            starts_at: Set(span.starts_at),
            ends_at: Set(span.ends_at),
            room_id: Set(room.map(Into::into)),
            substitute_id: Set(None),
            status: Set(SessionStatus::Scheduled.as_str().to_owned()),
            note: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let saved = self
            .place(&txn, auth, &c, row, true, override_reason)
            .await?;
        self.finish(txn, saved, false).await
    }

    /// Moves a session (and optionally to another room), with the clash
    /// check; enrolled clients with an email are told.
    pub async fn move_session(
        &self,
        auth: &Authorized<'_, can::Teach>,
        id: crate::ids::SessionId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        room_id: Option<integra_kernel::RoomId>,
        override_reason: Option<&str>,
    ) -> AppResult<Session> {
        let span = check_span(starts_at, ends_at)?;
        let txn = self.db().scoped_write(auth).await?;
        let (c, s) = self.session_for_change(&txn, auth, id.into()).await?;
        let previous = s.starts_at;
        let mut row = s.into_active_model();
        row.starts_at = Set(span.starts_at);
        row.ends_at = Set(span.ends_at);
        if room_id.is_some() {
            row.room_id = Set(room_id.map(Into::into));
        }
        row.updated_at = Set(self.now());
        let saved = self
            .place(&txn, auth, &c, row, false, override_reason)
            .await?;
        let mailed =
            crate::mail::session_changed(&txn, auth, &c, &saved, Some(previous), self.now())
                .await?;
        self.finish(txn, saved, mailed).await
    }

    /// Cancels a session; its bookings are freed and enrolled clients with
    /// an email are told.
    pub async fn cancel_session(
        &self,
        auth: &Authorized<'_, can::Teach>,
        id: crate::ids::SessionId,
        reason: &str,
    ) -> AppResult<Session> {
        let reason = text("reason", reason, 500, false)?;
        let txn = self.db().scoped_write(auth).await?;
        let (c, s) = self.session_for_change(&txn, auth, id.into()).await?;
        let mut row = s.into_active_model();
        row.status = Set(SessionStatus::Cancelled.as_str().to_owned());
        row.note = Set(reason);
        row.updated_at = Set(self.now());
        let saved = row.update(&txn).await?;
        calendar::release(&txn, SourceKind::CourseSession, &[saved.id]).await?;
        let mailed = crate::mail::session_changed(&txn, auth, &c, &saved, None, self.now()).await?;
        self.finish(txn, saved, mailed).await
    }

    /// Gives a session a substitute lecturer (or, with `None`, back to the
    /// course's lecturers), with the clash check for the substitute.
    pub async fn set_substitute(
        &self,
        auth: &Authorized<'_, can::Teach>,
        id: crate::ids::SessionId,
        substitute: Option<UserId>,
        override_reason: Option<&str>,
    ) -> AppResult<Session> {
        let txn = self.db().scoped_write(auth).await?;
        let (c, s) = self.session_for_change(&txn, auth, id.into()).await?;
        if let Some(u) = substitute {
            integra_tenants::staff::require_members(&txn, &[u], "substituteId").await?;
        }
        let mut row = s.into_active_model();
        row.substitute_id = Set(substitute.map(UserId::uuid));
        row.updated_at = Set(self.now());
        let saved = self
            .place(&txn, auth, &c, row, false, override_reason)
            .await?;
        self.finish(txn, saved, false).await
    }

    /// Commits a changed session, wakes the mail worker when emails were
    /// queued, and answers the session.
    async fn finish(
        &self,
        txn: TenantTx,
        saved: session::Model,
        mailed: bool,
    ) -> AppResult<Session> {
        let out = sessions_out(&txn, vec![saved]).await?;
        txn.commit().await?;
        if mailed {
            self.mail.wake();
        }
        out.into_iter().next().ok_or(AppError::NotFound)
    }

    async fn session_for_change(
        &self,
        txn: &TenantTx,
        scope: &TenantScope,
        id: Uuid,
    ) -> AppResult<(course::Model, session::Model)> {
        let s = txn
            .find_by_id::<session::Entity>(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let c = teaching(txn, scope, s.course_id).await?;
        if s.status == SessionStatus::Cancelled.as_str() {
            return Err(AppError::Conflict(
                "The session is cancelled; add a new one instead.".into(),
            ));
        }
        Ok((c, s))
    }

    /// Checks a session's people and room against the calendar, saves it
    /// and books them.
    async fn place(
        &self,
        txn: &TenantTx,
        scope: &TenantScope,
        c: &course::Model,
        row: session::ActiveModel,
        insert: bool,
        override_reason: Option<&str>,
    ) -> AppResult<session::Model> {
        let id = *row.id.as_ref();
        let span = Span {
            starts_at: *row.starts_at.as_ref(),
            ends_at: *row.ends_at.as_ref(),
        };
        let room = row.room_id.as_ref().to_owned();
        if let Some(r) = room {
            find_room(txn, r, "roomId").await?;
        }
        let teachers = match row.substitute_id.as_ref() {
            Some(u) => vec![UserId(*u)],
            None => lecturers_of(txn, &[c.id])
                .await?
                .remove(&c.id)
                .unwrap_or_default(),
        };
        let refs = Refs {
            room: None,
            interpreter: match c.interpreter_id {
                Some(i) => Some(integra_calendar::interpreter_need(txn, i, "interpreterId").await?),
                None => None,
            },
        };
        let needs = needs(txn, &teachers, room, &refs).await?;
        clash_check(
            txn,
            scope,
            &needs,
            &[span],
            &[id],
            Some(manages(scope)),
            self.now(),
            override_reason,
            c.id,
            Some(id),
        )
        .await?;
        let saved = if insert {
            row.insert(txn).await?
        } else {
            row.update(txn).await?
        };
        let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
        calendar::book(
            txn,
            SourceKind::CourseSession,
            saved.id,
            &resources,
            span,
            &c.title,
        )
        .await?;
        Ok(saved)
    }
}

struct Checked {
    title: String,
    description: String,
    interpreter_language: String,
    key_activity: String,
}

fn check_input(input: &CourseInput) -> AppResult<Checked> {
    let title = text("title", &input.title, 200, true)?;
    let description = long_text("description", &input.description, 5_000, false)?;
    let key_activity = text("keyActivity", &input.key_activity, 100, false)?;
    let interpreter_language = input.interpreter_language.trim().to_ascii_lowercase();
    if !interpreter_language.is_empty()
        && (!(2..=3).contains(&interpreter_language.len())
            || !interpreter_language.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Err(AppError::bad_input(
            "interpreterLanguage",
            "must be a language code such as uk, ru, vi or en",
        ));
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(AppError::bad_input(
            "capacity",
            format!("must be between 1 and {MAX_CAPACITY}"),
        ));
    }
    if let Some(m) = input.min_participants
        && !(1..=input.capacity).contains(&m)
    {
        return Err(AppError::bad_input(
            "minParticipants",
            "must be between 1 and the capacity",
        ));
    }
    if let Some(p) = input.completion_percent
        && !(1..=100).contains(&p)
    {
        return Err(AppError::bad_input(
            "completionPercent",
            "must be between 1 and 100",
        ));
    }
    for (field, v) in [("feeCzk", input.fee_czk), ("depositCzk", input.deposit_czk)] {
        if v.is_some_and(|v| !(0..=1_000_000).contains(&v)) {
            return Err(AppError::bad_input(
                field,
                "must be between 0 and 1,000,000",
            ));
        }
    }
    if let (Some(o), Some(c)) = (input.enrolment_opens_on, input.enrolment_closes_on)
        && c < o
    {
        return Err(AppError::bad_input(
            "enrolmentClosesOn",
            "must not be before enrolmentOpensOn",
        ));
    }
    if input.kind == CourseKind::CzechLanguage && input.level.is_none() {
        return Err(AppError::bad_input(
            "level",
            "a Czech-language course needs its CEFR level (A0–B2)",
        ));
    }
    if input.kind != CourseKind::CzechLanguage
        && input.kind != CourseKind::VocationalCzech
        && input.kind != CourseKind::Children
        && input.kind != CourseKind::Conversation
        && input.level.is_some()
    {
        return Err(AppError::bad_input(
            "level",
            "only language courses have a CEFR level",
        ));
    }
    if input.kind == CourseKind::AdaptationIntegration {
        if !AIK_LANGUAGES.contains(&interpreter_language.as_str()) {
            return Err(AppError::bad_input(
                "interpreterLanguage",
                format!(
                    "the adaptation-integration course is interpreted into one of: {}",
                    AIK_LANGUAGES.join(", ")
                ),
            ));
        }
        if !(10..=30).contains(&input.capacity) {
            return Err(AppError::bad_input(
                "capacity",
                "the adaptation-integration course has 10 to 30 participants",
            ));
        }
    }
    Ok(Checked {
        title,
        description,
        interpreter_language,
        key_activity,
    })
}

/// What a course refers to, checked to belong to the centre.
pub(crate) struct Refs {
    room: Option<room::Model>,
    interpreter: Option<Need>,
}

async fn check_refs(txn: &TenantTx, input: &CourseInput) -> AppResult<Refs> {
    if let Some(b) = input.branch_id {
        integra_tenants::centres::require_branch(txn, b)
            .await
            .map_err(not_found_as("branchId", "is not a branch of this centre"))?;
    }
    let room = match input.room_id {
        Some(r) => {
            let row = find_room(txn, r.into(), "roomId").await?;
            if input.branch_id.is_some_and(|b| b.uuid() != row.branch_id) {
                return Err(AppError::bad_input(
                    "roomId",
                    "is not a room of that branch",
                ));
            }
            Some(row)
        }
        None => None,
    };
    integra_tenants::staff::require_members(txn, &input.lecturer_ids, "lecturerIds").await?;
    if let Some(p) = input.funding_project_id {
        integra_tenants::funding::project_in(txn, p)
            .await
            .map_err(not_found_as(
                "fundingProjectId",
                "is not a project of this centre",
            ))?;
    }
    let interpreter = match input.interpreter_id {
        Some(i) => Some(integra_calendar::interpreter_need(txn, i.into(), "interpreterId").await?),
        None => None,
    };
    Ok(Refs { room, interpreter })
}

/// A reference that does not resolve in this centre is bad input on
/// `field` (it reads the same for another centre's record and a missing one).
fn not_found_as(field: &'static str, message: &'static str) -> impl Fn(AppError) -> AppError {
    move |e| match e {
        AppError::NotFound => AppError::bad_input(field, message),
        e => e,
    }
}

async fn find_room(txn: &TenantTx, id: Uuid, field: &str) -> AppResult<room::Model> {
    txn.find_by_id::<room::Entity>(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::bad_input(field, "is not a room of this centre"))
}

/// The resources sessions take: each lecturer, the room, the interpreter.
async fn needs(
    txn: &TenantTx,
    lecturers: &[UserId],
    room: Option<Uuid>,
    refs: &Refs,
) -> AppResult<Vec<Need>> {
    let names = integra_tenants::staff::user_names(txn, lecturers).await?;
    let mut out: Vec<Need> = lecturers
        .iter()
        .map(|u| {
            Need::new(
                Resource::Person(*u),
                "lecturer",
                names.get(u).map(String::as_str).unwrap_or_default(),
            )
        })
        .collect();
    if let Some(r) = room {
        let name = match &refs.room {
            Some(row) if row.id == r => row.name.clone(),
            _ => find_room(txn, r, "roomId").await?.name,
        };
        out.push(Need::new(Resource::Room(r), "room", &name));
    }
    if let Some(i) = &refs.interpreter {
        out.push(i.clone());
    }
    Ok(out)
}

/// Refuses clashes unless overridden by someone allowed to (recorded).
/// Returns how many clashes were overridden.
#[allow(
    clippy::too_many_arguments,
    reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
)]
async fn clash_check(
    txn: &TenantTx,
    scope: &TenantScope,
    needs: &[Need],
    spans: &[Span],
    except: &[Uuid],
    may_override: Option<bool>,
    now: DateTime<Utc>,
    override_reason: Option<&str>,
    course_id: Uuid,
    session_id: Option<Uuid>,
) -> AppResult<usize> {
    let checked = calendar::check(
        txn,
        needs,
        spans,
        except,
        may_override == Some(true),
        override_reason,
    )
    .await?;
    let calendar::Checked::Overridden { clashes, reason } = checked else {
        return Ok(0);
    };
    overrides::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(txn.centre().uuid()),
        course_id: Set(course_id),
        session_id: Set(session_id),
        clashes: Set(calendar::clashes_json(&clashes)),
        reason: Set(reason),
        by_user: Set(Some(scope.user_id().uuid())),
        at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(clashes.len())
}

fn expand(s: &ScheduleInput) -> AppResult<(Vec<Occurrence>, Vec<Skipped>)> {
    recurrence::expand(&Schedule {
        rule: s.rule.clone(),
        first_day: s.first_day,
        start_time: parse_time("schedule.startTime", &s.start_time)?,
        end_time: parse_time("schedule.endTime", &s.end_time)?,
    })
}

fn span_of(o: &Occurrence) -> Span {
    Span {
        starts_at: o.starts_at,
        ends_at: o.ends_at,
    }
}

fn check_span(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> AppResult<Span> {
    if ends_at <= starts_at {
        return Err(AppError::bad_input("endsAt", "must be after startsAt"));
    }
    if ends_at - starts_at > chrono::Duration::hours(recurrence::MAX_SESSION_HOURS) {
        return Err(AppError::bad_input(
            "endsAt",
            format!(
                "a session lasts at most {} hours",
                recurrence::MAX_SESSION_HOURS
            ),
        ));
    }
    Ok(Span { starts_at, ends_at })
}

/// The course, if the caller may teach or plan it; `NOT_FOUND` otherwise
/// (a lecturer does not learn of other courses).
pub(crate) async fn teaching(
    txn: &TenantTx,
    scope: &TenantScope,
    id: Uuid,
) -> AppResult<course::Model> {
    let row = txn
        .find_by_id::<course::Entity>(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if manages(scope) {
        return Ok(row);
    }
    let teaches = lecturer::Entity::find_by_id((txn.centre().uuid(), id, scope.user_id().uuid()))
        .one(txn)
        .await?
        .is_some();
    let substitutes = txn
        .find::<session::Entity>()
        .filter(session::Column::CourseId.eq(id))
        .filter(session::Column::SubstituteId.eq(scope.user_id().uuid()))
        .one(txn)
        .await?
        .is_some();
    if teaches || substitutes {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

/// Ids of the courses `user` teaches.
async fn taught_by(txn: &TenantTx, user: UserId) -> AppResult<Vec<Uuid>> {
    Ok(txn
        .find::<lecturer::Entity>()
        .filter(lecturer::Column::UserId.eq(user.uuid()))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.course_id)
        .collect())
}

pub(crate) async fn lecturers_of(
    txn: &TenantTx,
    courses: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<UserId>>> {
    let mut out: HashMap<Uuid, Vec<UserId>> = HashMap::new();
    for chunk in courses.chunks(500) {
        for l in txn
            .find::<lecturer::Entity>()
            .filter(lecturer::Column::CourseId.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            out.entry(l.course_id).or_default().push(UserId(l.user_id));
        }
    }
    for v in out.values_mut() {
        v.sort_by_key(|u| u.uuid());
    }
    Ok(out)
}

async fn load_course(txn: &TenantTx, row: course::Model) -> AppResult<Course> {
    let lecturers = lecturers_of(txn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let skipped_days = txn
        .find::<skipped::Entity>()
        .filter(skipped::Column::CourseId.eq(row.id))
        .order_by_asc(skipped::Column::Day)
        .all(txn)
        .await?;
    let mut c = course_from(row, lecturers)?;
    c.skipped = skipped_days
        .into_iter()
        .map(|s| Skipped {
            day: s.day,
            reason: s.reason,
        })
        .collect();
    Ok(c)
}

async fn sessions_out(txn: &TenantTx, rows: Vec<session::Model>) -> AppResult<Vec<Session>> {
    let mut course_ids: Vec<Uuid> = rows.iter().map(|r| r.course_id).collect();
    course_ids.sort();
    course_ids.dedup();
    // Each course's title and lecturers in one statement.
    let mut titles: HashMap<Uuid, String> = HashMap::new();
    let mut lecturers: HashMap<Uuid, Vec<UserId>> = HashMap::new();
    for chunk in course_ids.chunks(500) {
        let q = Query::select()
            .column((course::Entity, course::Column::Id))
            .column((course::Entity, course::Column::Title))
            .column((lecturer::Entity, lecturer::Column::UserId))
            .from(course::Entity)
            .left_join(
                lecturer::Entity,
                Expr::col((lecturer::Entity, lecturer::Column::TenantId))
                    .equals((course::Entity, course::Column::TenantId))
                    .and(
                        Expr::col((lecturer::Entity, lecturer::Column::CourseId))
                            .equals((course::Entity, course::Column::Id)),
                    ),
            )
            .and_where(txn.owned_by_qualified::<course::Entity>())
            .and_where(Expr::col((course::Entity, course::Column::Id)).is_in(chunk.iter().copied()))
            .to_owned();
        for row in sea_orm::ConnectionTrait::query_all(txn, &q).await? {
            let id: Uuid = row.try_get("", "id")?;
            let title: String = row.try_get("", "title")?;
            let user: Option<Uuid> = row.try_get("", "user_id")?;
            titles.insert(id, title);
            if let Some(u) = user {
                lecturers.entry(id).or_default().push(UserId(u));
            }
        }
    }
    for v in lecturers.values_mut() {
        v.sort_by_key(|u| u.uuid());
    }
    rows.into_iter()
        .map(|r| {
            Ok(Session {
                id: r.id.into(),
                course_id: r.course_id.into(),
                course_title: titles.get(&r.course_id).cloned().unwrap_or_default(),
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                room_id: r.room_id.map(Into::into),
                lecturer_ids: match r.substitute_id {
                    Some(s) => vec![UserId(s)],
                    None => lecturers.get(&r.course_id).cloned().unwrap_or_default(),
                },
                substitute_id: r.substitute_id.map(UserId),
                status: SessionStatus::parse(&r.status)
                    .ok_or_else(|| AppError::internal_msg("unknown session status"))?,
                note: r.note,
            })
        })
        .collect()
}

fn room_from(r: room::Model) -> Room {
    Room {
        id: r.id.into(),
        branch_id: BranchId(r.branch_id),
        name: r.name,
        capacity: r.capacity,
    }
}

pub(crate) fn course_from(r: course::Model, lecturers: Vec<UserId>) -> AppResult<Course> {
    Ok(Course {
        id: r.id.into(),
        kind: CourseKind::parse(&r.kind)
            .ok_or_else(|| AppError::internal_msg("unknown course kind"))?,
        level: Level::parse(&r.level),
        title: r.title,
        description: r.description,
        branch_id: r.branch_id.map(BranchId),
        room_id: r.room_id.map(Into::into),
        capacity: r.capacity,
        min_participants: r.min_participants,
        lecturer_ids: lecturers,
        interpreter_language: r.interpreter_language,
        interpreter_id: r.interpreter_id.map(Into::into),
        funding_project_id: r.funding_project_id.map(FundingProjectId),
        key_activity: r.key_activity,
        fee_czk: r.fee_czk,
        deposit_czk: r.deposit_czk,
        enrolment_opens_on: r.enrolment_opens_on,
        enrolment_closes_on: r.enrolment_closes_on,
        completion_percent: r.completion_percent,
        recurrence: r.recurrence,
        status: CourseStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal_msg("unknown course status"))?,
        enrolled: r.enrolled,
        skipped: Vec::new(),
    })
}
