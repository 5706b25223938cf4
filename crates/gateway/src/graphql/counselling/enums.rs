//! The vocabularies of counselling as GraphQL enums.

use async_graphql::Enum;

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
