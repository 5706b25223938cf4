//! The counselling vocabulary (docs/domain.md, "Counselling and interventions")
//! and the records the service hands out.

use chrono::{DateTime, NaiveDate, Utc};
use integra_kernel::{BranchId, ClientId, FundingProjectId, InterpreterId, UserId};

use crate::ids::{
    AppointmentId, CaseId, GoalId, InquiryId, InterventionId, NoteId, OutreachSlotId, TaskId,
};

use integra_kernel::vocabulary;

vocabulary!(
    /// Kind of case.
    CaseKind {
        /// Social counselling (a registered social service).
        Social = "social",
        /// Legal counselling.
        Legal = "legal",
    }
);

vocabulary!(
    /// Where a case stands.
    CaseStatus {
        /// Being worked on.
        Open = "open",
        /// Paused (the client is away, waiting for an office).
        OnHold = "on_hold",
        /// Finished.
        Closed = "closed",
    }
);

vocabulary!(
    /// Where a goal of the individual plan stands.
    GoalStatus {
        /// Agreed, not started.
        Planned = "planned",
        /// Being worked on.
        InProgress = "in_progress",
        /// Reached.
        Achieved = "achieved",
        /// Given up or no longer relevant.
        Dropped = "dropped",
    }
);

vocabulary!(
    /// Kind of intervention.
    InterventionKind {
        /// Social counselling.
        SocialCounselling = "social_counselling",
        /// Legal counselling.
        LegalCounselling = "legal_counselling",
        /// Intercultural work / interpreting.
        InterculturalWork = "intercultural_work",
        /// Accompaniment to an office (with its target office).
        Accompaniment = "accompaniment",
        /// Information-centre service.
        InformationService = "information_service",
        /// Field-work contact.
        FieldContact = "field_contact",
        /// Crisis help.
        CrisisHelp = "crisis_help",
    }
);

vocabulary!(
    /// The office a client is accompanied to.
    TargetOffice {
        /// Ministry of the Interior, Department for Asylum and Migration Policy.
        Oamp = "oamp",
        /// Foreign police.
        ForeignPolice = "foreign_police",
        /// Labour office.
        LabourOffice = "labour_office",
        /// Czech social security administration.
        SocialSecurity = "social_security",
        /// Tax office.
        TaxOffice = "tax_office",
        /// Health insurer.
        HealthInsurer = "health_insurer",
        /// School.
        School = "school",
        /// Doctor or hospital.
        Doctor = "doctor",
        /// Any other office.
        Other = "other",
    }
);

vocabulary!(
    /// How the service was given.
    Form {
        /// At the centre's office.
        Office = "office",
        /// In the field.
        Field = "field",
        /// Online (video call).
        Online = "online",
        /// By phone.
        Phone = "phone",
        /// By e-mail.
        Email = "email",
    }
);

impl Form {
    /// Remote forms count toward indicators only for verified clients.
    pub fn is_remote(self) -> bool {
        matches!(self, Form::Online | Form::Phone | Form::Email)
    }
}

vocabulary!(
    /// What a service was about.
    Topic {
        /// Residence.
        Residence = "residence",
        /// Employment.
        Employment = "employment",
        /// Housing.
        Housing = "housing",
        /// The social system.
        SocialSystem = "social_system",
        /// Education.
        Education = "education",
        /// Health and insurance.
        HealthInsurance = "health_insurance",
        /// Business.
        Business = "business",
        /// Family.
        Family = "family",
    }
);

vocabulary!(
    /// Confidentiality class of a note.
    NoteKind {
        /// Social note: counselling roles and admins.
        Social = "social",
        /// Legal note: legal counsellors and admins only.
        Legal = "legal",
    }
);

vocabulary!(
    /// Where an appointment stands.
    AppointmentStatus {
        /// Booked.
        Booked = "booked",
        /// Cancelled.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// How an anonymous inquiry came in.
    InquiryChannel {
        /// In person at the information centre.
        InPerson = "in_person",
        /// By phone.
        Phone = "phone",
        /// By e-mail.
        Email = "email",
        /// Online (chat, social media).
        Online = "online",
    }
);

vocabulary!(
    /// What came of an inquiry.
    InquiryOutcome {
        /// Answered by the centre.
        Answered = "answered",
        /// Referred elsewhere (see the referral).
        Referred = "referred",
    }
);

/// Joins stored names with commas.
pub(crate) fn join<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| name(*v))
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses a comma-separated stored list, skipping unknown names.
pub(crate) fn split<T>(stored: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(parse)
        .collect()
}

/// A goal of a case's individual plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// Id.
    pub id: GoalId,
    /// What the client wants to reach.
    pub description: String,
    /// Where it stands.
    pub status: GoalStatus,
    /// Progress, 0–100 %.
    pub progress: i32,
    /// Latest note on progress.
    pub progress_note: String,
    /// When it should be reached.
    pub target_on: Option<NaiveDate>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A counselling case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// Id.
    pub id: CaseId,
    /// The client.
    pub client_id: ClientId,
    /// Social or legal.
    pub kind: CaseKind,
    /// Short title.
    pub title: String,
    /// Status.
    pub status: CaseStatus,
    /// Responsible worker.
    pub worker_id: UserId,
    /// Opened.
    pub opened_on: NaiveDate,
    /// Closed.
    pub closed_on: Option<NaiveDate>,
    /// Goals of the individual plan, in order.
    pub goals: Vec<Goal>,
}

/// A goal to add or change.
#[derive(Clone, Debug, Default)]
pub struct GoalInput {
    /// Description.
    pub description: String,
    /// Status name; `planned` when empty.
    pub status: Option<GoalStatus>,
    /// Progress 0–100.
    pub progress: Option<i32>,
    /// Note on progress.
    pub progress_note: String,
    /// Target date.
    pub target_on: Option<NaiveDate>,
}

/// A case to open.
#[derive(Clone, Debug)]
pub struct CaseInput {
    /// Social or legal.
    pub kind: CaseKind,
    /// Short title.
    pub title: String,
    /// Responsible worker (default: the caller).
    pub worker_id: Option<UserId>,
    /// Opened (default: today).
    pub opened_on: Option<NaiveDate>,
    /// Goals.
    pub goals: Vec<GoalInput>,
}

/// One client's part in an intervention, with the eligibility snapshot
/// taken when it was saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    /// The client.
    pub client_id: ClientId,
    /// Eligible for the project on the service date.
    pub eligible: bool,
    /// Why (or why not), in plain words.
    pub eligibility_reason: String,
    /// Counts toward the project's indicators.
    pub counts: bool,
}

/// A recorded intervention.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervention {
    /// Id.
    pub id: InterventionId,
    /// Date of the service.
    pub occurred_on: NaiveDate,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// Staff member who gave it.
    pub worker_id: UserId,
    /// Kind.
    pub kind: InterventionKind,
    /// Office (accompaniment only).
    pub target_office: Option<TargetOffice>,
    /// Form.
    pub form: Form,
    /// Branch where it happened.
    pub branch_id: Option<BranchId>,
    /// Place (field site, office visited).
    pub place: String,
    /// Topics.
    pub topics: Vec<Topic>,
    /// Language of the service (ISO 639-1).
    pub language: String,
    /// Interpreter.
    pub interpreter_id: Option<InterpreterId>,
    /// Language interpreted into.
    pub interpreter_language: String,
    /// Outcome.
    pub outcome: String,
    /// Case it belongs to.
    pub case_id: Option<CaseId>,
    /// Project it is charged to.
    pub funding_project_id: FundingProjectId,
    /// Key activity of the project.
    pub key_activity: String,
    /// A group session.
    pub is_group: bool,
    /// People present who were not named.
    pub anonymous_count: i32,
    /// Outreach slot it was held in.
    pub outreach_slot_id: Option<OutreachSlotId>,
    /// Named participants with their snapshots.
    pub participants: Vec<Participant>,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

/// A follow-up task created with an intervention.
#[derive(Clone, Debug)]
pub struct FollowUpInput {
    /// What to do.
    pub title: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Who (default: the worker).
    pub assignee_id: Option<UserId>,
}

/// A confidential note recorded with an intervention.
#[derive(Clone, Debug)]
pub struct NoteInput {
    /// Social or legal.
    pub kind: NoteKind,
    /// Text.
    pub body: String,
}

/// An intervention to record.
#[derive(Clone, Debug)]
pub struct InterventionInput {
    /// Named participants (one for an individual intervention).
    pub client_ids: Vec<ClientId>,
    /// People present who were not named (group sessions, field work).
    pub anonymous_count: i32,
    /// Date of the service (default: today).
    pub occurred_on: Option<NaiveDate>,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// Staff member (default: the caller).
    pub worker_id: Option<UserId>,
    /// Kind.
    pub kind: InterventionKind,
    /// Office, for accompaniment.
    pub target_office: Option<TargetOffice>,
    /// Form.
    pub form: Form,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Place.
    pub place: String,
    /// Topics (at least one).
    pub topics: Vec<Topic>,
    /// Language of the service.
    pub language: String,
    /// Interpreter.
    pub interpreter_id: Option<InterpreterId>,
    /// Language interpreted into.
    pub interpreter_language: String,
    /// Outcome.
    pub outcome: String,
    /// Case (individual interventions only).
    pub case_id: Option<CaseId>,
    /// Project.
    pub funding_project_id: FundingProjectId,
    /// Key activity.
    pub key_activity: String,
    /// Outreach slot.
    pub outreach_slot_id: Option<OutreachSlotId>,
    /// Follow-up task.
    pub follow_up: Option<FollowUpInput>,
    /// Confidential note.
    pub note: Option<NoteInput>,
}

/// A confidential note.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// Id.
    pub id: NoteId,
    /// The client.
    pub client_id: ClientId,
    /// Case.
    pub case_id: Option<CaseId>,
    /// Intervention.
    pub intervention_id: Option<InterventionId>,
    /// Social or legal.
    pub kind: NoteKind,
    /// Text.
    pub body: String,
    /// Author.
    pub author_id: UserId,
    /// Written.
    pub created_at: DateTime<Utc>,
}

/// An interpreter: a member of staff or an external contractor.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpreter {
    /// Id.
    pub id: InterpreterId,
    /// Name.
    pub name: String,
    /// Languages (ISO 639-1).
    pub languages: Vec<String>,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// The staff account, when a member of staff.
    pub user_id: Option<UserId>,
    /// An external contractor.
    pub external: bool,
    /// Still working for the centre.
    pub active: bool,
}

/// An interpreter to add or change.
#[derive(Clone, Debug, Default)]
pub struct InterpreterInput {
    /// Name.
    pub name: String,
    /// Languages.
    pub languages: Vec<String>,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Staff account.
    pub user_id: Option<UserId>,
    /// Still working for the centre (default true).
    pub active: Option<bool>,
}

/// An appointment.
#[derive(Clone, Debug, PartialEq)]
pub struct Appointment {
    /// Id.
    pub id: AppointmentId,
    /// The client (none for an open desk slot).
    pub client_id: Option<ClientId>,
    /// Staff member.
    pub worker_id: UserId,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Kind of service.
    pub kind: InterventionKind,
    /// Language.
    pub language: String,
    /// Interpreter.
    pub interpreter_id: Option<InterpreterId>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Place.
    pub place: String,
    /// Note for staff.
    pub note: String,
    /// Status.
    pub status: AppointmentStatus,
    /// Why it was cancelled.
    pub cancel_reason: String,
}

/// An appointment to book.
#[derive(Clone, Debug)]
pub struct AppointmentInput {
    /// The client.
    pub client_id: Option<ClientId>,
    /// Staff member (default: the caller).
    pub worker_id: Option<UserId>,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Kind of service.
    pub kind: InterventionKind,
    /// Language.
    pub language: String,
    /// Interpreter.
    pub interpreter_id: Option<InterpreterId>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Place.
    pub place: String,
    /// Note for staff.
    pub note: String,
}

/// A recurring outreach presence.
#[derive(Clone, Debug, PartialEq)]
pub struct OutreachSlot {
    /// Id.
    pub id: OutreachSlotId,
    /// Title, e.g. "Immigration office desk".
    pub title: String,
    /// Place.
    pub place: String,
    /// Municipality.
    pub municipality: String,
    /// Branch responsible.
    pub branch_id: Option<BranchId>,
    /// Usual worker.
    pub worker_id: Option<UserId>,
    /// RFC 5545 recurrence rule (weekly).
    pub rrule: String,
    /// Local start time, `HH:MM`.
    pub starts_time: String,
    /// Local end time, `HH:MM`.
    pub ends_time: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day.
    pub valid_to: Option<NaiveDate>,
}

/// An outreach slot to create.
#[derive(Clone, Debug)]
pub struct OutreachSlotInput {
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Municipality.
    pub municipality: String,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Usual worker.
    pub worker_id: Option<UserId>,
    /// Weekdays (chrono).
    pub weekdays: Vec<chrono::Weekday>,
    /// Every n-th week (default 1).
    pub every_weeks: Option<i32>,
    /// Local start, `HH:MM`.
    pub starts_time: String,
    /// Local end, `HH:MM`.
    pub ends_time: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day.
    pub valid_to: Option<NaiveDate>,
}

/// One occurrence of an outreach slot.
#[derive(Clone, Debug, PartialEq)]
pub struct OutreachOccurrence {
    /// The slot.
    pub slot_id: OutreachSlotId,
    /// Local date.
    pub date: NaiveDate,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Interventions recorded in this slot on that date.
    pub recorded: Vec<InterventionId>,
}

/// An anonymous inquiry.
#[derive(Clone, Debug, PartialEq)]
pub struct Inquiry {
    /// Id.
    pub id: InquiryId,
    /// Date.
    pub occurred_on: NaiveDate,
    /// Channel.
    pub channel: InquiryChannel,
    /// Language.
    pub language: String,
    /// Nationality, if given.
    pub nationality: Option<String>,
    /// Topics.
    pub topics: Vec<Topic>,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// Answered or referred.
    pub outcome: InquiryOutcome,
    /// To whom it was referred.
    pub referred_to: String,
    /// Staff member.
    pub worker_id: UserId,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// The client registered from it.
    pub client_id: Option<ClientId>,
}

/// An inquiry to record.
#[derive(Clone, Debug)]
pub struct InquiryInput {
    /// Date (default today).
    pub occurred_on: Option<NaiveDate>,
    /// Channel.
    pub channel: InquiryChannel,
    /// Language.
    pub language: String,
    /// Nationality.
    pub nationality: Option<String>,
    /// Topics.
    pub topics: Vec<Topic>,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// Outcome.
    pub outcome: InquiryOutcome,
    /// Referred to.
    pub referred_to: String,
    /// Branch.
    pub branch_id: Option<BranchId>,
}

/// A follow-up task.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Id.
    pub id: TaskId,
    /// What to do.
    pub title: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Who.
    pub assignee_id: UserId,
    /// About which client.
    pub client_id: Option<ClientId>,
    /// Case.
    pub case_id: Option<CaseId>,
    /// Intervention it follows.
    pub intervention_id: Option<InterventionId>,
    /// Created by.
    pub created_by: Option<UserId>,
    /// Done.
    pub done_at: Option<DateTime<Utc>>,
}

/// A task to create.
#[derive(Clone, Debug)]
pub struct TaskInput {
    /// What to do.
    pub title: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Who (default: the caller).
    pub assignee_id: Option<UserId>,
    /// About which client.
    pub client_id: Option<ClientId>,
    /// Case.
    pub case_id: Option<CaseId>,
}

/// Workload of the centre in a period: services and inquiries, counted
/// as records and minutes, never as persons.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workload {
    /// Interventions by kind: (kind, records, minutes, named participants).
    pub interventions: Vec<(InterventionKind, i64, i64, i64)>,
    /// Anonymous head-count at group sessions and field work.
    pub anonymous_contacts: i64,
    /// Inquiries by channel: (channel, records, minutes).
    pub inquiries: Vec<(InquiryChannel, i64, i64)>,
    /// By worker (key: the worker's id); only the reader's own row unless
    /// they read reports.
    pub by_worker: Vec<WorkloadSlice>,
    /// By channel (key: `in_person` — at the office or the desk — `field`,
    /// `online`, `phone`, `email`).
    pub by_channel: Vec<WorkloadSlice>,
    /// By weekday (key: `1` Monday … `7` Sunday) of the service date.
    pub by_weekday: Vec<WorkloadSlice>,
    /// By hour of the day in Prague (key: `00`–`23`) when the record was
    /// made on the day of the service, else under `unknown`.
    pub by_hour: Vec<WorkloadSlice>,
}

/// Records and minutes of one slice of the workload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkloadSlice {
    /// What the slice is (see the list it is in).
    pub key: String,
    /// Interventions (a group session once).
    pub interventions: i64,
    /// Their minutes.
    pub intervention_minutes: i64,
    /// Anonymous inquiries.
    pub inquiries: i64,
    /// Their minutes.
    pub inquiry_minutes: i64,
}
