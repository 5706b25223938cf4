//! The events vocabulary (docs/domain.md, "Events") and the records the service
//! hands out.

use chrono::{DateTime, Utc};
use integra_kernel::{
    BranchId, ClientId, FundingProjectId, InterpreterId, RoomId, UserId, vocabulary,
};

use crate::ids::{EventId, RegistrationId};

vocabulary!(
    /// Kind of event.
    EventKind {
        /// Lecture for foreigners.
        LectureForForeigners = "lecture_for_foreigners",
        /// Lecture for the public.
        LectureForPublic = "lecture_for_public",
        /// Multicultural event.
        Multicultural = "multicultural",
        /// Talk at a school.
        SchoolTalk = "school_talk",
        /// Training for officials.
        TrainingForOfficials = "training_for_officials",
        /// Training for employers.
        TrainingForEmployers = "training_for_employers",
        /// Meeting of the regional integration platform.
        RegionalPlatform = "regional_platform",
        /// Information campaign.
        InformationCampaign = "information_campaign",
    }
);

vocabulary!(
    /// Who an event is for (and whom a head-count counts).
    Audience {
        /// Third-country nationals.
        ThirdCountryNationals = "third_country_nationals",
        /// The majority society.
        MajoritySociety = "majority_society",
        /// Officials.
        Officials = "officials",
    }
);

vocabulary!(
    /// Where an event stands.
    EventStatus {
        /// Going ahead.
        Scheduled = "scheduled",
        /// Called off; registrations are closed.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Where a registration stands.
    RegistrationStatus {
        /// Registered on the public page of an event that asks for
        /// confirmation, and not yet confirmed from the email link: holds
        /// no place and lapses after [`crate::CONFIRM_WITHIN`].
        Unconfirmed = "unconfirmed",
        /// Has a place.
        Confirmed = "confirmed",
        /// Waiting for a place, in order of registration.
        Waitlisted = "waitlisted",
        /// Withdrawn.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// A kind of organisation at the regional platform.
    OrganisationKind {
        /// Immigration office (OAMP).
        ImmigrationOffice = "immigration_office",
        /// Foreign police.
        Police = "police",
        /// Labour office.
        LabourOffice = "labour_office",
        /// Town or municipal office.
        TownOffice = "town_office",
        /// Regional office.
        RegionalOffice = "regional_office",
        /// Non-governmental organisation.
        Ngo = "ngo",
        /// Community of foreigners.
        Community = "community",
        /// Anyone else.
        Other = "other",
    }
);

/// An event as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Id.
    pub id: EventId,
    /// Public address part of the registration page.
    pub slug: String,
    /// Kind.
    pub kind: EventKind,
    /// Audience.
    pub audience: Audience,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Branch where it takes place.
    pub branch_id: Option<BranchId>,
    /// Venue (address or room).
    pub venue: String,
    /// Link of an online event.
    pub online_url: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Places; `None` for events that only record a head-count.
    pub capacity: Option<i32>,
    /// Registration opens (None: at once).
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// Registration closes (None: at the start).
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Whether the public page takes registrations.
    pub public_registration: bool,
    /// Whether public registrants must confirm from an email link before a
    /// place is held for them.
    pub confirm_by_email: bool,
    /// Languages (ISO 639-1).
    pub languages: Vec<String>,
    /// Funding project.
    pub funding_project_id: Option<FundingProjectId>,
    /// Key activity of the project.
    pub key_activity: String,
    /// Status.
    pub status: EventStatus,
    /// Confirmed registrations.
    pub confirmed: i32,
    /// Staff who run or speak at it.
    pub staff_ids: Vec<UserId>,
    /// Room it takes.
    pub room_id: Option<RoomId>,
    /// Interpreter it takes.
    pub interpreter_id: Option<InterpreterId>,
}

/// Input for creating or changing an event.
#[derive(Clone, Debug)]
pub struct EventInput {
    /// Kind.
    pub kind: EventKind,
    /// Audience.
    pub audience: Audience,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Branch.
    pub branch_id: Option<BranchId>,
    /// Venue.
    pub venue: String,
    /// Online link.
    pub online_url: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Places; `None` for a head-count-only event.
    pub capacity: Option<i32>,
    /// Registration opens.
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// Registration closes.
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// Public registration page.
    pub public_registration: bool,
    /// Registrants confirm from an email link before a place is held.
    pub confirm_by_email: bool,
    /// Languages.
    pub languages: Vec<String>,
    /// Funding project.
    pub funding_project_id: Option<FundingProjectId>,
    /// Key activity.
    pub key_activity: String,
    /// Staff who run or speak at it (booked for its time).
    pub staff_ids: Vec<UserId>,
    /// Room of the centre it takes.
    pub room_id: Option<RoomId>,
    /// Interpreter it takes.
    pub interpreter_id: Option<InterpreterId>,
}

/// What the public page shows about an event: nothing about other events
/// or about who registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicEvent {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The centre that runs it.
    pub centre_name: String,
    /// Venue, or the branch's address.
    pub venue: String,
    /// Whether it is online.
    pub online: bool,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Languages.
    pub languages: Vec<String>,
    /// Whether a registration now would get a place (else the waitlist).
    pub places_left: bool,
    /// Whether registration is open now.
    pub registration_open: bool,
    /// Whether a registration must be confirmed from an email link.
    pub confirm_by_email: bool,
    /// Cancelled events say so.
    pub cancelled: bool,
}

/// A public registration.
#[derive(Clone, Debug)]
pub struct RegistrationInput {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Organisation (optional).
    pub organisation: String,
    /// Language of the emails: `cs` or `en` (the page may be in Ukrainian;
    /// emails are written in Czech or English).
    pub language: String,
    /// Consent to the processing of the data for this event.
    pub consent: bool,
}

/// A registration as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Id.
    pub id: RegistrationId,
    /// The event.
    pub event_id: EventId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Organisation.
    pub organisation: String,
    /// Status.
    pub status: RegistrationStatus,
    /// Check-in code from the confirmation email.
    pub code: String,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// When the person checked in.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When they registered.
    pub created_at: DateTime<Utc>,
}

/// What the registrant gets back: their status, never anyone else's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    /// Confirmed, waitlisted, or (on events that ask for confirmation)
    /// unconfirmed until the email link is opened.
    pub status: RegistrationStatus,
    /// Place on the waitlist (1 = next), for waitlisted registrations.
    pub waitlist_position: Option<i64>,
}

/// A head-count of one audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headcount {
    /// Audience.
    pub audience: Audience,
    /// People.
    pub count: i32,
}

/// An organisation at a regional platform meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    /// Kind.
    pub kind: OrganisationKind,
    /// Name.
    pub name: String,
    /// How many people came from it.
    pub attendees: i32,
}
