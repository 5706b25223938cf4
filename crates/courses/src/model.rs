//! Course types: kinds, levels, statuses, and what the service takes and
//! returns.

use chrono::{DateTime, NaiveDate, Utc};
use integra_kernel::{
    BranchId, ClientId, FundingProjectId, InterpreterId, RoomId, UserId, vocabulary,
};

use crate::ids::{CourseId, EnrolmentId, PlacementId, SessionId};

use crate::recurrence::Skipped;

vocabulary!(
    /// Kind of course.
    CourseKind {
        /// Czech as a foreign language, by CEFR level.
        CzechLanguage = "czech_language",
        /// Conversation in Czech.
        Conversation = "conversation",
        /// Czech for children.
        Children = "children",
        /// Czech for a trade or profession.
        VocationalCzech = "vocational_czech",
        /// Sociocultural orientation seminars.
        Sociocultural = "sociocultural",
        /// The adaptation-integration course "Vítejte v České republice".
        AdaptationIntegration = "adaptation_integration",
    }
);

vocabulary!(
    /// A CEFR level (A0 = beginner without any Czech).
    Level {
        /// Beginner.
        A0 = "A0",
        /// Breakthrough.
        A1 = "A1",
        /// Waystage (required for permanent residence).
        A2 = "A2",
        /// Threshold (required for citizenship).
        B1 = "B1",
        /// Vantage.
        B2 = "B2",
    }
);

impl Level {
    /// Its rank, for "gained at least one level".
    pub fn rank(self) -> usize {
        Self::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

vocabulary!(
    /// Where a course stands.
    CourseStatus {
        /// Planned or running.
        Active = "active",
        /// Called off.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Where a session stands.
    SessionStatus {
        /// Will take (or took) place.
        Scheduled = "scheduled",
        /// Called off.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Where an enrolment stands.
    EnrolmentStatus {
        /// Has a place.
        Enrolled = "enrolled",
        /// Waits for a place, in order.
        Waitlisted = "waitlisted",
        /// Left the course (or the waitlist).
        Withdrawn = "withdrawn",
    }
);

vocabulary!(
    /// A participant at one session.
    Mark {
        /// Present.
        Present = "present",
        /// Came late (counts as attended).
        Late = "late",
        /// Excused absence.
        Excused = "excused",
        /// Absent.
        Absent = "absent",
    }
);

impl Mark {
    /// Whether it counts as attended.
    pub fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late)
    }
}

/// The nine interpreter languages of the adaptation-integration course.
pub const AIK_LANGUAGES: [&str; 9] = ["en", "ru", "uk", "es", "fr", "sr", "mn", "ar", "vi"];

/// A room of a branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Room {
    /// Id.
    pub id: RoomId,
    /// Branch.
    pub branch_id: BranchId,
    /// Name, e.g. "Učebna 2".
    pub name: String,
    /// Seats.
    pub capacity: Option<i32>,
}

/// A schedule as entered: the rule and the times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleInput {
    /// RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24`.
    pub rule: String,
    /// First day.
    pub first_day: NaiveDate,
    /// `HH:MM`.
    pub start_time: String,
    /// `HH:MM`.
    pub end_time: String,
}

/// A new course, or changed details of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseInput {
    /// Kind.
    pub kind: CourseKind,
    /// CEFR level taught (Czech-language courses).
    pub level: Option<Level>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Room (of that branch).
    pub room_id: Option<RoomId>,
    /// Places.
    pub capacity: i32,
    /// Fewest participants for the course to run.
    pub min_participants: Option<i32>,
    /// Lecturers (staff of the centre).
    pub lecturer_ids: Vec<UserId>,
    /// Language interpreted into, e.g. `uk`.
    pub interpreter_language: String,
    /// The interpreter booked for the sessions.
    pub interpreter_id: Option<InterpreterId>,
    /// Funding project charged.
    pub funding_project_id: Option<FundingProjectId>,
    /// Its key activity.
    pub key_activity: String,
    /// Fee in CZK.
    pub fee_czk: Option<i32>,
    /// Deposit in CZK.
    pub deposit_czk: Option<i32>,
    /// Enrolment opens.
    pub enrolment_opens_on: Option<NaiveDate>,
    /// Enrolment closes.
    pub enrolment_closes_on: Option<NaiveDate>,
    /// Share of sessions to attend for completion (default 70).
    pub completion_percent: Option<i32>,
}

/// A course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    /// Id.
    pub id: CourseId,
    /// Kind.
    pub kind: CourseKind,
    /// Level.
    pub level: Option<Level>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Room.
    pub room_id: Option<RoomId>,
    /// Places.
    pub capacity: i32,
    /// Fewest participants.
    pub min_participants: Option<i32>,
    /// Lecturers.
    pub lecturer_ids: Vec<UserId>,
    /// Interpreter language.
    pub interpreter_language: String,
    /// Interpreter.
    pub interpreter_id: Option<InterpreterId>,
    /// Funding project.
    pub funding_project_id: Option<FundingProjectId>,
    /// Key activity.
    pub key_activity: String,
    /// Fee.
    pub fee_czk: Option<i32>,
    /// Deposit.
    pub deposit_czk: Option<i32>,
    /// Enrolment opens.
    pub enrolment_opens_on: Option<NaiveDate>,
    /// Enrolment closes.
    pub enrolment_closes_on: Option<NaiveDate>,
    /// Completion threshold in per cent.
    pub completion_percent: i32,
    /// The rule the sessions came from, if any.
    pub recurrence: String,
    /// Status.
    pub status: CourseStatus,
    /// Places taken.
    pub enrolled: i32,
    /// Public holidays the rule hit, not scheduled.
    pub skipped: Vec<Skipped>,
}

/// A session of a course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Id.
    pub id: SessionId,
    /// Course.
    pub course_id: CourseId,
    /// Course title.
    pub course_title: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Room (the course's unless changed).
    pub room_id: Option<RoomId>,
    /// Lecturers teaching it (the substitute alone, when one is set).
    pub lecturer_ids: Vec<UserId>,
    /// Substitute lecturer.
    pub substitute_id: Option<UserId>,
    /// Status.
    pub status: SessionStatus,
    /// Note (why cancelled or moved).
    pub note: String,
}

/// What a clash check did for a change that went ahead.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ScheduleNotes {
    /// Clashes the caller overrode (recorded).
    pub overridden: usize,
    /// Sessions outside a lecturer's weekly availability or during an
    /// absence: allowed, flagged.
    pub outside_availability: Vec<String>,
}

/// A course with its sessions, as created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The course.
    pub course: Course,
    /// Its sessions.
    pub sessions: Vec<Session>,
    /// What the check noted.
    pub notes: ScheduleNotes,
}

/// An enrolment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    /// Id.
    pub id: EnrolmentId,
    /// Course.
    pub course_id: CourseId,
    /// Client.
    pub client_id: ClientId,
    /// Client's name (for the lecturer's list).
    pub client_name: String,
    /// Status.
    pub status: EnrolmentStatus,
    /// Place on the waitlist (1 = next).
    pub waitlist_position: Option<i64>,
    /// Level on entry (from the placement test).
    pub entry_level: Option<Level>,
    /// Level on exit.
    pub exit_level: Option<Level>,
    /// When the place was given.
    pub enrolled_at: Option<DateTime<Utc>>,
}

/// A placement test result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Id.
    pub id: PlacementId,
    /// Client.
    pub client_id: ClientId,
    /// Level.
    pub level: Level,
    /// Day of the test.
    pub tested_on: NaiveDate,
    /// Note.
    pub note: String,
}

/// A participant's standing in a course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The enrolment.
    pub enrolment: Enrolment,
    /// Sessions held so far (scheduled, started).
    pub sessions_held: i64,
    /// Sessions attended (present or late).
    pub attended: i64,
    /// Attended share of all scheduled sessions, in per cent.
    pub attendance_percent: i64,
    /// Whether the completion rule is met (over all scheduled sessions).
    pub completed: bool,
    /// Whether exit level is above entry level.
    pub gained_level: bool,
}
