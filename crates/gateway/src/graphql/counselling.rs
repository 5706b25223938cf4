//! GraphQL for counselling: cases, interventions, notes, appointments,
//! interpreters, outreach, inquiries, tasks and the client timeline.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use integra_clients::NewResidence;
use integra_counselling::{
    self as c, CaseStatus as DomainCaseStatus, GoalStatus as DomainGoalStatus,
};
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;
use integra_kernel::{AppError, BranchId, ClientId, FundingProjectId, UserId};

use super::clients::{ClientInput, PageInfo, RegisterClientResult, ResidenceInput};
use super::scalars::Date;
use super::{GqlResultExt, scope, services};

fn id_of(u: uuid::Uuid) -> ID {
    ID(u.to_string())
}

fn uuid_arg(field: &str, raw: &ID) -> async_graphql::Result<uuid::Uuid> {
    parse_id::<uuid::Uuid>(field, raw).gql()
}

fn opt<T: std::str::FromStr>(field: &str, raw: Option<&ID>) -> async_graphql::Result<Option<T>> {
    raw.map(|r| parse_id::<T>(field, r)).transpose().gql()
}

fn first_arg(first: Option<i32>, default: u64, max: u64) -> async_graphql::Result<u64> {
    match first {
        None => Ok(default),
        Some(n) if n >= 1 && (n as u64) <= max => Ok(n as u64),
        Some(_) => Err(AppError::bad_input(
            "first",
            format!("must be from 1 to {max}"),
        ))
        .gql(),
    }
}

/// Kind of case.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::CaseKind")]
pub enum CaseKind {
    /// Social counselling.
    Social,
    /// Legal counselling.
    Legal,
}

/// Where a case stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::CaseStatus")]
pub enum CaseStatus {
    /// Being worked on.
    Open,
    /// Paused.
    OnHold,
    /// Finished.
    Closed,
}

/// Where a goal stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::GoalStatus")]
pub enum GoalStatus {
    /// Agreed, not started.
    Planned,
    /// Being worked on.
    InProgress,
    /// Reached.
    Achieved,
    /// Given up.
    Dropped,
}

/// Kind of intervention.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::InterventionKind")]
pub enum InterventionKind {
    /// Social counselling.
    SocialCounselling,
    /// Legal counselling.
    LegalCounselling,
    /// Intercultural work / interpreting.
    InterculturalWork,
    /// Accompaniment to an office (give `targetOffice`).
    Accompaniment,
    /// Information-centre service.
    InformationService,
    /// Field-work contact.
    FieldContact,
    /// Crisis help.
    CrisisHelp,
}

/// Office a client is accompanied to.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::TargetOffice")]
pub enum TargetOffice {
    /// Ministry of the Interior, asylum and migration department (OAMP).
    Oamp,
    /// Foreign police.
    ForeignPolice,
    /// Labour office.
    LabourOffice,
    /// Social security administration.
    SocialSecurity,
    /// Tax office.
    TaxOffice,
    /// Health insurer.
    HealthInsurer,
    /// School.
    School,
    /// Doctor or hospital.
    Doctor,
    /// Another office.
    Other,
}

/// How a service was given.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::Form")]
pub enum ServiceForm {
    /// At the office.
    Office,
    /// In the field.
    Field,
    /// Online.
    Online,
    /// By phone.
    Phone,
    /// By e-mail.
    Email,
}

/// Topic of a service.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::Topic")]
pub enum Topic {
    /// Residence.
    Residence,
    /// Employment.
    Employment,
    /// Housing.
    Housing,
    /// The social system.
    SocialSystem,
    /// Education.
    Education,
    /// Health and insurance.
    HealthInsurance,
    /// Business.
    Business,
    /// Family.
    Family,
}

/// Confidentiality of a note.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::NoteKind")]
pub enum NoteKind {
    /// Social: counselling roles and admins.
    Social,
    /// Legal: legal counsellors and admins only.
    Legal,
}

/// Where an appointment stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::AppointmentStatus")]
pub enum AppointmentStatus {
    /// Booked.
    Booked,
    /// Cancelled.
    Cancelled,
}

/// How an inquiry came in.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::InquiryChannel")]
pub enum InquiryChannel {
    /// In person.
    InPerson,
    /// Phone.
    Phone,
    /// E-mail.
    Email,
    /// Online.
    Online,
}

/// What came of an inquiry.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_counselling::InquiryOutcome")]
pub enum InquiryOutcome {
    /// Answered.
    Answered,
    /// Referred elsewhere.
    Referred,
}

/// Day of the week.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl From<Weekday> for chrono::Weekday {
    fn from(d: Weekday) -> Self {
        match d {
            Weekday::Monday => Self::Mon,
            Weekday::Tuesday => Self::Tue,
            Weekday::Wednesday => Self::Wed,
            Weekday::Thursday => Self::Thu,
            Weekday::Friday => Self::Fri,
            Weekday::Saturday => Self::Sat,
            Weekday::Sunday => Self::Sun,
        }
    }
}

/// A goal of an individual plan.
#[derive(SimpleObject)]
pub struct Goal {
    id: ID,
    description: String,
    status: GoalStatus,
    /// Progress, 0–100 %.
    progress: i32,
    progress_note: String,
    target_on: Option<Date>,
    updated_at: DateTime<Utc>,
}

/// A counselling case.
#[derive(SimpleObject)]
pub struct Case {
    id: ID,
    client_id: ID,
    kind: CaseKind,
    title: String,
    status: CaseStatus,
    /// Responsible worker.
    worker_id: ID,
    opened_on: Date,
    closed_on: Option<Date>,
    /// Goals of the individual plan, in order.
    goals: Vec<Goal>,
}

impl From<c::Case> for Case {
    fn from(x: c::Case) -> Self {
        Self {
            id: id_of(x.id),
            client_id: id_of(x.client_id.uuid()),
            kind: x.kind.into(),
            title: x.title,
            status: x.status.into(),
            worker_id: id_of(x.worker_id.uuid()),
            opened_on: Date(x.opened_on),
            closed_on: x.closed_on.map(Date),
            goals: x
                .goals
                .into_iter()
                .map(|g| Goal {
                    id: id_of(g.id),
                    description: g.description,
                    status: g.status.into(),
                    progress: g.progress,
                    progress_note: g.progress_note,
                    target_on: g.target_on.map(Date),
                    updated_at: g.updated_at,
                })
                .collect(),
        }
    }
}

/// A client's part in an intervention, with the eligibility snapshot taken
/// when it was saved.
#[derive(SimpleObject)]
pub struct Participant {
    client_id: ID,
    /// Eligible for the project on the service date.
    eligible: bool,
    /// Why, and what kept the service out of the indicators if anything.
    eligibility_reason: String,
    /// Counts toward the project's indicators.
    counts_toward_indicators: bool,
}

/// A recorded intervention.
#[derive(SimpleObject)]
pub struct Intervention {
    id: ID,
    occurred_on: Date,
    duration_minutes: i32,
    worker_id: ID,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<ID>,
    place: String,
    topics: Vec<Topic>,
    /// Language of the service (ISO 639-1).
    language: String,
    interpreter_id: Option<ID>,
    interpreter_language: String,
    outcome: String,
    case_id: Option<ID>,
    funding_project_id: ID,
    key_activity: String,
    is_group: bool,
    /// People present who were not named.
    anonymous_count: i32,
    outreach_slot_id: Option<ID>,
    participants: Vec<Participant>,
    created_at: DateTime<Utc>,
}

impl From<c::Intervention> for Intervention {
    fn from(x: c::Intervention) -> Self {
        Self {
            id: id_of(x.id),
            occurred_on: Date(x.occurred_on),
            duration_minutes: x.duration_minutes,
            worker_id: id_of(x.worker_id.uuid()),
            kind: x.kind.into(),
            target_office: x.target_office.map(Into::into),
            form: x.form.into(),
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            place: x.place,
            topics: x.topics.into_iter().map(Into::into).collect(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(id_of),
            interpreter_language: x.interpreter_language,
            outcome: x.outcome,
            case_id: x.case_id.map(id_of),
            funding_project_id: id_of(x.funding_project_id.uuid()),
            key_activity: x.key_activity,
            is_group: x.is_group,
            anonymous_count: x.anonymous_count,
            outreach_slot_id: x.outreach_slot_id.map(id_of),
            participants: x
                .participants
                .into_iter()
                .map(|p| Participant {
                    client_id: id_of(p.client_id.uuid()),
                    eligible: p.eligible,
                    eligibility_reason: p.eligibility_reason,
                    counts_toward_indicators: p.counts,
                })
                .collect(),
            created_at: x.created_at,
        }
    }
}

/// A confidential note.
#[derive(SimpleObject)]
pub struct Note {
    id: ID,
    client_id: ID,
    case_id: Option<ID>,
    intervention_id: Option<ID>,
    kind: NoteKind,
    body: String,
    author_id: ID,
    created_at: DateTime<Utc>,
}

impl From<c::Note> for Note {
    fn from(x: c::Note) -> Self {
        Self {
            id: id_of(x.id),
            client_id: id_of(x.client_id.uuid()),
            case_id: x.case_id.map(id_of),
            intervention_id: x.intervention_id.map(id_of),
            kind: x.kind.into(),
            body: x.body,
            author_id: id_of(x.author_id.uuid()),
            created_at: x.created_at,
        }
    }
}

/// An interpreter (member of staff or external contractor).
#[derive(SimpleObject)]
pub struct Interpreter {
    id: ID,
    name: String,
    /// Languages (ISO 639-1).
    languages: Vec<String>,
    email: String,
    phone: String,
    user_id: Option<ID>,
    external: bool,
    active: bool,
}

impl From<c::Interpreter> for Interpreter {
    fn from(x: c::Interpreter) -> Self {
        Self {
            id: id_of(x.id),
            name: x.name,
            languages: x.languages,
            email: x.email,
            phone: x.phone,
            user_id: x.user_id.map(|u| id_of(u.uuid())),
            external: x.external,
            active: x.active,
        }
    }
}

/// An appointment.
#[derive(SimpleObject)]
pub struct Appointment {
    id: ID,
    client_id: Option<ID>,
    worker_id: ID,
    branch_id: Option<ID>,
    kind: InterventionKind,
    language: String,
    interpreter_id: Option<ID>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: String,
    note: String,
    status: AppointmentStatus,
    cancel_reason: String,
}

impl From<c::Appointment> for Appointment {
    fn from(x: c::Appointment) -> Self {
        Self {
            id: id_of(x.id),
            client_id: x.client_id.map(|c| id_of(c.uuid())),
            worker_id: id_of(x.worker_id.uuid()),
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            kind: x.kind.into(),
            language: x.language,
            interpreter_id: x.interpreter_id.map(id_of),
            starts_at: x.starts_at,
            ends_at: x.ends_at,
            place: x.place,
            note: x.note,
            status: x.status.into(),
            cancel_reason: x.cancel_reason,
        }
    }
}

/// A recurring outreach presence.
#[derive(SimpleObject)]
pub struct OutreachSlot {
    id: ID,
    title: String,
    place: String,
    municipality: String,
    branch_id: Option<ID>,
    worker_id: Option<ID>,
    /// RFC 5545 recurrence rule.
    rrule: String,
    /// Local start, `HH:MM` (Europe/Prague).
    starts_time: String,
    /// Local end, `HH:MM`.
    ends_time: String,
    valid_from: Date,
    valid_to: Option<Date>,
}

impl From<c::OutreachSlot> for OutreachSlot {
    fn from(x: c::OutreachSlot) -> Self {
        Self {
            id: id_of(x.id),
            title: x.title,
            place: x.place,
            municipality: x.municipality,
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            worker_id: x.worker_id.map(|u| id_of(u.uuid())),
            rrule: x.rrule,
            starts_time: x.starts_time,
            ends_time: x.ends_time,
            valid_from: Date(x.valid_from),
            valid_to: x.valid_to.map(Date),
        }
    }
}

/// One occurrence of an outreach slot.
#[derive(SimpleObject)]
pub struct OutreachOccurrence {
    slot_id: ID,
    date: Date,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Sessions recorded in it.
    recorded_intervention_ids: Vec<ID>,
}

/// An anonymous inquiry.
#[derive(SimpleObject)]
pub struct Inquiry {
    id: ID,
    occurred_on: Date,
    channel: InquiryChannel,
    language: String,
    nationality: Option<String>,
    topics: Vec<Topic>,
    duration_minutes: i32,
    outcome: InquiryOutcome,
    referred_to: String,
    worker_id: ID,
    branch_id: Option<ID>,
    /// The client registered from it.
    client_id: Option<ID>,
}

impl From<c::Inquiry> for Inquiry {
    fn from(x: c::Inquiry) -> Self {
        Self {
            id: id_of(x.id),
            occurred_on: Date(x.occurred_on),
            channel: x.channel.into(),
            language: x.language,
            nationality: x.nationality,
            topics: x.topics.into_iter().map(Into::into).collect(),
            duration_minutes: x.duration_minutes,
            outcome: x.outcome.into(),
            referred_to: x.referred_to,
            worker_id: id_of(x.worker_id.uuid()),
            branch_id: x.branch_id.map(|b| id_of(b.uuid())),
            client_id: x.client_id.map(|c| id_of(c.uuid())),
        }
    }
}

/// A follow-up task.
#[derive(SimpleObject)]
pub struct Task {
    id: ID,
    title: String,
    due_on: Date,
    /// Open and past its due date.
    overdue: bool,
    assignee_id: ID,
    client_id: Option<ID>,
    case_id: Option<ID>,
    intervention_id: Option<ID>,
    created_by: Option<ID>,
    done: bool,
    done_at: Option<DateTime<Utc>>,
}

fn task(x: c::Task, today: chrono::NaiveDate) -> Task {
    Task {
        id: id_of(x.id),
        title: x.title,
        due_on: Date(x.due_on),
        overdue: x.done_at.is_none() && x.due_on < today,
        assignee_id: id_of(x.assignee_id.uuid()),
        client_id: x.client_id.map(|c| id_of(c.uuid())),
        case_id: x.case_id.map(id_of),
        intervention_id: x.intervention_id.map(id_of),
        created_by: x.created_by.map(|u| id_of(u.uuid())),
        done: x.done_at.is_some(),
        done_at: x.done_at,
    }
}

fn today(ctx: &Context<'_>) -> async_graphql::Result<chrono::NaiveDate> {
    Ok(services(ctx)?.counselling.today())
}

/// An entry of a client's timeline.
// Built once per entry of a page and serialised at once: the event
// variant's size (its staff and places) costs nothing worth a box.
#[allow(
    clippy::large_enum_variant,
    reason = "a GraphQL union built once per timeline row; boxing its members saves nothing measurable"
)]
#[derive(Union)]
pub enum TimelineItem {
    /// A service.
    Intervention(Intervention),
    /// An appointment.
    Appointment(Appointment),
    /// A follow-up task.
    Task(Task),
    /// An event the client registered for.
    Event(super::events::EventAttendance),
}

/// An entry with its cursor.
#[derive(SimpleObject)]
pub struct TimelineEdge {
    cursor: String,
    /// The day it sorts by.
    date: Date,
    node: TimelineItem,
}

/// A page of a client's timeline, newest first.
#[derive(SimpleObject)]
pub struct TimelineConnection {
    edges: Vec<TimelineEdge>,
    page_info: PageInfo,
}

/// Services of one kind in a period.
#[derive(SimpleObject)]
pub struct WorkloadByKind {
    kind: InterventionKind,
    /// Records.
    count: i64,
    /// Minutes.
    minutes: i64,
    /// Named participations (a group session counts each named person).
    named_participants: i64,
}

/// Inquiries of one channel in a period.
#[derive(SimpleObject)]
pub struct WorkloadByChannel {
    channel: InquiryChannel,
    count: i64,
    minutes: i64,
}

/// The centre's workload in a period: records and minutes, never persons.
#[derive(SimpleObject)]
pub struct Workload {
    interventions: Vec<WorkloadByKind>,
    /// Anonymous head-count at group sessions and field work.
    anonymous_contacts: i64,
    inquiries: Vec<WorkloadByChannel>,
    /// By worker (`key` the worker's id, `label` their name): everyone's
    /// for those who read reports, otherwise only your own.
    by_worker: Vec<WorkloadSlice>,
    /// By channel: `key` is `in_person` (office or desk), `field`,
    /// `online`, `phone` or `email`; interventions by form, inquiries by
    /// channel.
    by_channel: Vec<WorkloadSlice>,
    /// By weekday of the service: `key` `1` (Monday) to `7` (Sunday).
    by_weekday: Vec<WorkloadSlice>,
    /// By hour in Prague: `key` `00`–`23` when the record was made on the
    /// day of the service (the hour it was made), else `unknown`.
    by_hour: Vec<WorkloadSlice>,
}

/// Records and minutes of one slice of the workload.
#[derive(SimpleObject)]
pub struct WorkloadSlice {
    /// What the slice is (see the list it is in).
    key: String,
    /// A name for the key where it has one (a worker's name).
    label: Option<String>,
    /// Interventions (a group session once).
    interventions: i64,
    /// Their minutes.
    intervention_minutes: i64,
    /// Anonymous inquiries.
    inquiries: i64,
    /// Their minutes.
    inquiry_minutes: i64,
}

impl WorkloadSlice {
    fn of(s: c::WorkloadSlice, label: Option<String>) -> Self {
        Self {
            key: s.key,
            label,
            interventions: s.interventions,
            intervention_minutes: s.intervention_minutes,
            inquiries: s.inquiries,
            inquiry_minutes: s.inquiry_minutes,
        }
    }
}

/// A goal to add or record progress on.
#[derive(InputObject)]
pub struct GoalInput {
    description: String,
    status: Option<GoalStatus>,
    /// 0–100; `ACHIEVED` defaults to 100.
    progress: Option<i32>,
    #[graphql(default)]
    progress_note: String,
    target_on: Option<Date>,
}

impl From<GoalInput> for c::GoalInput {
    fn from(g: GoalInput) -> Self {
        Self {
            description: g.description,
            status: g.status.map(DomainGoalStatus::from),
            progress: g.progress,
            progress_note: g.progress_note,
            target_on: g.target_on.map(|d| d.0),
        }
    }
}

/// A case to open.
#[derive(InputObject)]
pub struct CaseInput {
    kind: CaseKind,
    title: String,
    /// Default: you.
    worker_id: Option<ID>,
    /// Default: today.
    opened_on: Option<Date>,
    #[graphql(default)]
    goals: Vec<GoalInput>,
}

/// A change to a case.
#[derive(InputObject)]
pub struct CaseChangeInput {
    title: Option<String>,
    status: Option<CaseStatus>,
    worker_id: Option<ID>,
    /// Closing date (default today when closing).
    closed_on: Option<Date>,
}

/// A follow-up task recorded with an intervention.
#[derive(InputObject)]
pub struct FollowUpInput {
    title: String,
    due_on: Date,
    /// Default: the worker.
    assignee_id: Option<ID>,
}

/// A confidential note recorded with an intervention.
#[derive(InputObject)]
pub struct NoteInput {
    kind: NoteKind,
    body: String,
}

/// An intervention to record. One client for an individual intervention;
/// several and/or an anonymous head-count for a group session.
#[derive(InputObject)]
pub struct InterventionInput {
    #[graphql(default)]
    client_ids: Vec<ID>,
    #[graphql(default)]
    anonymous_count: i32,
    /// Default: today.
    occurred_on: Option<Date>,
    duration_minutes: i32,
    /// Default: you.
    worker_id: Option<ID>,
    kind: InterventionKind,
    target_office: Option<TargetOffice>,
    form: ServiceForm,
    branch_id: Option<ID>,
    #[graphql(default)]
    place: String,
    topics: Vec<Topic>,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<ID>,
    #[graphql(default)]
    interpreter_language: String,
    #[graphql(default)]
    outcome: String,
    case_id: Option<ID>,
    funding_project_id: ID,
    #[graphql(default)]
    key_activity: String,
    outreach_slot_id: Option<ID>,
    follow_up: Option<FollowUpInput>,
    note: Option<NoteInput>,
}

impl InterventionInput {
    fn into_domain(self) -> async_graphql::Result<c::InterventionInput> {
        let client_ids = self
            .client_ids
            .iter()
            .map(|i| parse_id::<ClientId>("clientIds", i))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        Ok(c::InterventionInput {
            client_ids,
            anonymous_count: self.anonymous_count,
            occurred_on: self.occurred_on.map(|d| d.0),
            duration_minutes: self.duration_minutes,
            worker_id: opt::<UserId>("workerId", self.worker_id.as_ref())?,
            kind: self.kind.into(),
            target_office: self.target_office.map(Into::into),
            form: self.form.into(),
            branch_id: opt::<BranchId>("branchId", self.branch_id.as_ref())?,
            place: self.place,
            topics: self.topics.into_iter().map(Into::into).collect(),
            language: self.language,
            interpreter_id: opt("interpreterId", self.interpreter_id.as_ref())?,
            interpreter_language: self.interpreter_language,
            outcome: self.outcome,
            case_id: opt("caseId", self.case_id.as_ref())?,
            funding_project_id: parse_id::<FundingProjectId>(
                "fundingProjectId",
                &self.funding_project_id,
            )
            .gql()?,
            key_activity: self.key_activity,
            outreach_slot_id: opt("outreachSlotId", self.outreach_slot_id.as_ref())?,
            follow_up: match self.follow_up {
                Some(f) => Some(c::FollowUpInput {
                    title: f.title,
                    due_on: f.due_on.0,
                    assignee_id: opt("followUp.assigneeId", f.assignee_id.as_ref())?,
                }),
                None => None,
            },
            note: self.note.map(|n| c::NoteInput {
                kind: n.kind.into(),
                body: n.body,
            }),
        })
    }
}

/// An interpreter to add or change.
#[derive(InputObject)]
pub struct InterpreterInput {
    name: String,
    languages: Vec<String>,
    #[graphql(default)]
    email: String,
    #[graphql(default)]
    phone: String,
    /// The staff account, when a member of staff.
    user_id: Option<ID>,
    active: Option<bool>,
}

impl InterpreterInput {
    fn into_domain(self) -> async_graphql::Result<c::InterpreterInput> {
        Ok(c::InterpreterInput {
            name: self.name,
            languages: self.languages,
            email: self.email,
            phone: self.phone,
            user_id: opt("userId", self.user_id.as_ref())?,
            active: self.active,
        })
    }
}

/// An appointment to book.
#[derive(InputObject)]
pub struct AppointmentInput {
    client_id: Option<ID>,
    /// Default: you.
    worker_id: Option<ID>,
    branch_id: Option<ID>,
    kind: InterventionKind,
    #[graphql(default)]
    language: String,
    interpreter_id: Option<ID>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    #[graphql(default)]
    place: String,
    #[graphql(default)]
    note: String,
}

/// An outreach slot to create.
#[derive(InputObject)]
pub struct OutreachSlotInput {
    title: String,
    place: String,
    #[graphql(default)]
    municipality: String,
    branch_id: Option<ID>,
    worker_id: Option<ID>,
    weekdays: Vec<Weekday>,
    /// Every n-th week (default 1).
    every_weeks: Option<i32>,
    /// Local start, `HH:MM`.
    starts_time: String,
    /// Local end, `HH:MM`.
    ends_time: String,
    valid_from: Date,
    valid_to: Option<Date>,
}

/// An anonymous inquiry to record.
#[derive(InputObject)]
pub struct InquiryInput {
    occurred_on: Option<Date>,
    channel: InquiryChannel,
    #[graphql(default)]
    language: String,
    nationality: Option<String>,
    topics: Vec<Topic>,
    duration_minutes: i32,
    outcome: InquiryOutcome,
    #[graphql(default)]
    referred_to: String,
    branch_id: Option<ID>,
}

/// A task to create.
#[derive(InputObject)]
pub struct TaskInput {
    title: String,
    due_on: Date,
    /// Default: you.
    assignee_id: Option<ID>,
    client_id: Option<ID>,
    case_id: Option<ID>,
}

/// Counselling queries.
#[derive(Default)]
pub struct CounsellingQuery;

#[Object]
impl CounsellingQuery {
    /// A client's cases, newest first (counselling staff).
    async fn cases(&self, ctx: &Context<'_>, client_id: ID) -> async_graphql::Result<Vec<Case>> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let out = services(ctx)?
            .counselling
            .cases_of(&auth, client)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// One case.
    async fn case(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = uuid_arg("id", &id)?;
        Ok(services(ctx)?
            .counselling
            .case(&auth, id)
            .await
            .gql()?
            .into())
    }

    /// One intervention.
    async fn intervention(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Intervention> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id = uuid_arg("id", &id)?;
        Ok(services(ctx)?
            .counselling
            .intervention(&auth, id)
            .await
            .gql()?
            .into())
    }

    /// A client's timeline: interventions, appointments and tasks, newest
    /// first. Each read is logged.
    async fn client_timeline(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<TimelineConnection> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let first = first_arg(first, 50, c::timeline::MAX_PAGE)?;
        let page = services(ctx)?
            .counselling
            .timeline(&auth, client, first, after.as_deref())
            .await
            .gql()?;
        let today = today(ctx)?;
        let end_cursor = page.entries.last().map(c::TimelineEntry::cursor);
        Ok(TimelineConnection {
            edges: page
                .entries
                .into_iter()
                .map(|e| TimelineEdge {
                    cursor: e.cursor(),
                    date: Date(e.date()),
                    node: match e {
                        c::TimelineEntry::Intervention(i) => TimelineItem::Intervention(i.into()),
                        c::TimelineEntry::Appointment(a) => TimelineItem::Appointment(a.into()),
                        c::TimelineEntry::Task(t) => TimelineItem::Task(task(t, today)),
                        c::TimelineEntry::Event(e) => TimelineItem::Event((*e).into()),
                    },
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
        })
    }

    /// The notes on a client that your roles may read (social: counselling
    /// roles and admins; legal: legal counsellors and admins). Logged.
    async fn client_notes(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
    ) -> async_graphql::Result<Vec<Note>> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let out = services(ctx)?
            .counselling
            .notes_of(&auth, client)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// The centre's interpreters.
    async fn interpreters(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Interpreter>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?.counselling.interpreters(&auth).await.gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// Appointments overlapping a period, by start: a worker's, a branch's,
    /// an interpreter's or a client's calendar.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn appointments(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        worker_id: Option<ID>,
        branch_id: Option<ID>,
        interpreter_id: Option<ID>,
        client_id: Option<ID>,
        include_cancelled: Option<bool>,
    ) -> async_graphql::Result<Vec<Appointment>> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let filter = c::appointments::CalendarFilter {
            from,
            to,
            worker_id: opt("workerId", worker_id.as_ref())?,
            branch_id: opt("branchId", branch_id.as_ref())?,
            interpreter_id: opt("interpreterId", interpreter_id.as_ref())?,
            client_id: opt("clientId", client_id.as_ref())?,
            include_cancelled: include_cancelled.unwrap_or(false),
        };
        let out = services(ctx)?
            .counselling
            .calendar(&auth, &filter)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// The centre's outreach slots.
    async fn outreach_slots(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OutreachSlot>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?
            .counselling
            .outreach_slots(&auth)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// Every occurrence of the outreach slots in a period (at most a year),
    /// with the sessions recorded in each.
    async fn outreach_schedule(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<OutreachOccurrence>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let out = services(ctx)?
            .counselling
            .outreach_schedule(&auth, from.0, to.0)
            .await
            .gql()?;
        Ok(out
            .into_iter()
            .map(|o| OutreachOccurrence {
                slot_id: id_of(o.slot_id),
                date: Date(o.date),
                starts_at: o.starts_at,
                ends_at: o.ends_at,
                recorded_intervention_ids: o.recorded.into_iter().map(id_of).collect(),
            })
            .collect())
    }

    /// Anonymous inquiries in a period, newest first.
    async fn inquiries(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<Inquiry>> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let out = services(ctx)?
            .counselling
            .inquiries(&auth, from.0, to.0)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// The centre's workload in a period (at most a year): services and
    /// inquiries as records and minutes, never persons, by kind, channel,
    /// worker, weekday and hour. Desk and counselling staff, and those who
    /// read reports.
    async fn workload(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Workload> {
        let auth = scope(ctx)?.authorize::<can::ReadWorkload>().gql()?;
        let w = services(ctx)?
            .counselling
            .workload(&auth, from.0, to.0)
            .await
            .gql()?;
        let ids: Vec<UserId> = w
            .by_worker
            .iter()
            .filter_map(|s| s.key.parse().ok().map(UserId))
            .collect();
        let names = services(ctx)?
            .staff
            .display_names(scope(ctx)?, &ids)
            .await
            .gql()?;
        let plain = |v: Vec<c::WorkloadSlice>| -> Vec<WorkloadSlice> {
            v.into_iter().map(|s| WorkloadSlice::of(s, None)).collect()
        };
        Ok(Workload {
            by_worker: w
                .by_worker
                .into_iter()
                .map(|s| {
                    let name = s
                        .key
                        .parse()
                        .ok()
                        .and_then(|u| names.get(&UserId(u)).cloned());
                    WorkloadSlice::of(s, name)
                })
                .collect(),
            by_channel: plain(w.by_channel),
            by_weekday: plain(w.by_weekday),
            by_hour: plain(w.by_hour),
            interventions: w
                .interventions
                .into_iter()
                .map(|(kind, count, minutes, named)| WorkloadByKind {
                    kind: kind.into(),
                    count,
                    minutes,
                    named_participants: named,
                })
                .collect(),
            anonymous_contacts: w.anonymous_contacts,
            inquiries: w
                .inquiries
                .into_iter()
                .map(|(channel, count, minutes)| WorkloadByChannel {
                    channel: channel.into(),
                    count,
                    minutes,
                })
                .collect(),
        })
    }

    /// Your open tasks, overdue first (then recently done ones with
    /// `includeDone`).
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        include_done: Option<bool>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Task>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let first = first_arg(first, 100, 500)?;
        let out = services(ctx)?
            .counselling
            .my_tasks(&auth, include_done.unwrap_or(false), first)
            .await
            .gql()?;
        let today = today(ctx)?;
        Ok(out.into_iter().map(|t| task(t, today)).collect())
    }
}

/// Counselling mutations.
#[derive(Default)]
pub struct CounsellingMutation;

#[Object]
impl CounsellingMutation {
    /// Opens a case with the goals of its plan (legal cases: legal
    /// counsellors and admins).
    async fn open_case(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: CaseInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let input = c::CaseInput {
            kind: input.kind.into(),
            title: input.title,
            worker_id: opt("workerId", input.worker_id.as_ref())?,
            opened_on: input.opened_on.map(|d| d.0),
            goals: input.goals.into_iter().map(Into::into).collect(),
        };
        Ok(services(ctx)?
            .counselling
            .open_case(&auth, client, &input)
            .await
            .gql()?
            .into())
    }

    /// Changes a case's title, status or worker.
    async fn update_case(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CaseChangeInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = uuid_arg("id", &id)?;
        let change = c::cases::CaseChange {
            title: input.title,
            status: input.status.map(DomainCaseStatus::from),
            worker_id: opt("workerId", input.worker_id.as_ref())?,
            closed_on: input.closed_on.map(|d| d.0),
        };
        Ok(services(ctx)?
            .counselling
            .update_case(&auth, id, &change)
            .await
            .gql()?
            .into())
    }

    /// Adds a goal to a case's plan.
    async fn add_case_goal(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: GoalInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = uuid_arg("caseId", &case_id)?;
        Ok(services(ctx)?
            .counselling
            .add_goal(&auth, id, &input.into())
            .await
            .gql()?
            .into())
    }

    /// Records progress on a goal.
    async fn update_case_goal(
        &self,
        ctx: &Context<'_>,
        goal_id: ID,
        input: GoalInput,
    ) -> async_graphql::Result<Case> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let id = uuid_arg("goalId", &goal_id)?;
        Ok(services(ctx)?
            .counselling
            .update_goal(&auth, id, &input.into())
            .await
            .gql()?
            .into())
    }

    /// Records an intervention. Eligibility is evaluated for its date and
    /// kept with each participant; receptionists record information-centre
    /// services only.
    async fn record_intervention(
        &self,
        ctx: &Context<'_>,
        input: InterventionInput,
    ) -> async_graphql::Result<Intervention> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .record_intervention(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Writes a confidential note on a client.
    async fn add_note(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        kind: NoteKind,
        body: String,
        case_id: Option<ID>,
    ) -> async_graphql::Result<Note> {
        let auth = scope(ctx)?.authorize::<can::Counsel>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let case_id = opt("caseId", case_id.as_ref())?;
        Ok(services(ctx)?
            .counselling
            .add_note(&auth, client, kind.into(), &body, case_id)
            .await
            .gql()?
            .into())
    }

    /// Adds an interpreter (centre admins).
    async fn add_interpreter(
        &self,
        ctx: &Context<'_>,
        input: InterpreterInput,
    ) -> async_graphql::Result<Interpreter> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .add_interpreter(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Changes an interpreter (centre admins).
    async fn update_interpreter(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: InterpreterInput,
    ) -> async_graphql::Result<Interpreter> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let id = uuid_arg("id", &id)?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .counselling
            .update_interpreter(&auth, id, &input)
            .await
            .gql()?
            .into())
    }

    /// Books an appointment; a double booking of the worker or the
    /// interpreter is refused with `CONFLICT` and `extensions.clashes`.
    async fn book_appointment(
        &self,
        ctx: &Context<'_>,
        input: AppointmentInput,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::AppointmentInput {
            client_id: opt("clientId", input.client_id.as_ref())?,
            worker_id: opt("workerId", input.worker_id.as_ref())?,
            branch_id: opt("branchId", input.branch_id.as_ref())?,
            kind: input.kind.into(),
            language: input.language,
            interpreter_id: opt("interpreterId", input.interpreter_id.as_ref())?,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: input.place,
            note: input.note,
        };
        Ok(services(ctx)?
            .counselling
            .book_appointment(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Moves an appointment (same clash check).
    async fn move_appointment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        worker_id: Option<ID>,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = uuid_arg("id", &id)?;
        let worker = opt("workerId", worker_id.as_ref())?;
        Ok(services(ctx)?
            .counselling
            .move_appointment(&auth, id, starts_at, ends_at, worker)
            .await
            .gql()?
            .into())
    }

    /// Cancels an appointment.
    async fn cancel_appointment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default)] reason: String,
    ) -> async_graphql::Result<Appointment> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = uuid_arg("id", &id)?;
        Ok(services(ctx)?
            .counselling
            .cancel_appointment(&auth, id, &reason)
            .await
            .gql()?
            .into())
    }

    /// Creates a recurring outreach slot (centre admins).
    async fn create_outreach_slot(
        &self,
        ctx: &Context<'_>,
        input: OutreachSlotInput,
    ) -> async_graphql::Result<OutreachSlot> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let input = c::OutreachSlotInput {
            title: input.title,
            place: input.place,
            municipality: input.municipality,
            branch_id: opt("branchId", input.branch_id.as_ref())?,
            worker_id: opt("workerId", input.worker_id.as_ref())?,
            weekdays: input.weekdays.into_iter().map(Into::into).collect(),
            every_weeks: input.every_weeks,
            starts_time: input.starts_time,
            ends_time: input.ends_time,
            valid_from: input.valid_from.0,
            valid_to: input.valid_to.map(|d| d.0),
        };
        Ok(services(ctx)?
            .counselling
            .create_outreach_slot(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Records an anonymous inquiry.
    async fn record_inquiry(
        &self,
        ctx: &Context<'_>,
        input: InquiryInput,
    ) -> async_graphql::Result<Inquiry> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::InquiryInput {
            occurred_on: input.occurred_on.map(|d| d.0),
            channel: input.channel.into(),
            language: input.language,
            nationality: input.nationality,
            topics: input.topics.into_iter().map(Into::into).collect(),
            duration_minutes: input.duration_minutes,
            outcome: input.outcome.into(),
            referred_to: input.referred_to,
            branch_id: opt("branchId", input.branch_id.as_ref())?,
        };
        Ok(services(ctx)?
            .counselling
            .record_inquiry(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Registers the person behind an inquiry as a client (with the usual
    /// duplicate check) and links the inquiry to the new record.
    async fn register_client_from_inquiry(
        &self,
        ctx: &Context<'_>,
        inquiry_id: ID,
        input: ClientInput,
        residence: Option<ResidenceInput>,
        confirm_not_duplicate: Option<bool>,
    ) -> async_graphql::Result<RegisterClientResult> {
        let scope = scope(ctx)?;
        let desk = scope.authorize::<can::ServeDesk>().gql()?;
        let register = scope.authorize::<can::RegisterClients>().gql()?;
        let id = uuid_arg("inquiryId", &inquiry_id)?;
        let input = input.into_domain()?;
        let residence = residence.map(NewResidence::from);
        let s = services(ctx)?;
        let r = s
            .counselling
            .register_from_inquiry(
                &s.clients,
                &desk,
                &register,
                id,
                &input,
                residence.as_ref(),
                confirm_not_duplicate.unwrap_or(false),
            )
            .await
            .gql()?;
        Ok(super::clients::registered(r))
    }

    /// Creates a follow-up task.
    async fn create_task(
        &self,
        ctx: &Context<'_>,
        input: TaskInput,
    ) -> async_graphql::Result<Task> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::TaskInput {
            title: input.title,
            due_on: input.due_on.0,
            assignee_id: opt("assigneeId", input.assignee_id.as_ref())?,
            client_id: opt("clientId", input.client_id.as_ref())?,
            case_id: opt("caseId", input.case_id.as_ref())?,
        };
        let t = services(ctx)?
            .counselling
            .create_task(&auth, &input)
            .await
            .gql()?;
        Ok(task(t, today(ctx)?))
    }

    /// Marks a task done (or open again).
    async fn set_task_done(
        &self,
        ctx: &Context<'_>,
        id: ID,
        done: bool,
    ) -> async_graphql::Result<Task> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let id = uuid_arg("id", &id)?;
        let t = services(ctx)?
            .counselling
            .set_task_done(&auth, id, done)
            .await
            .gql()?;
        Ok(task(t, today(ctx)?))
    }
}
