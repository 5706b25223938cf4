//! The indicator catalogue: every indicator the ministry and the centres see,
//! with its counting rule, defined here and nowhere else.
//!
//! Only services that "count toward indicators" are counted: an intervention
//! participant counts when the snapshot kept at saving says so (eligible for
//! the project on the day, identity verified for remote forms, at least the
//! project's contact threshold long); a course or event participation counts
//! when the course or event is charged to a funding project whose rule makes
//! the client eligible on the day.

use integra_kernel::vocabulary;

vocabulary!(
    /// An indicator.
    Indicator {
        /// Unique persons supported: persons with at least one counted
        /// service (intervention, course session attended, event attended
        /// as an identified client) in the period.
        UniquePersons = "unique_persons",
        /// New clients: persons whose first counted service (at this centre;
        /// for a region or the network, at any of its centres) falls in the
        /// period.
        NewClients = "new_clients",
        /// Persons receiving individual counselling: a counted individual
        /// (not group) social or legal counselling intervention. AMIF output
        /// indicator "participants receiving individual guidance".
        CounselledPersons = "counselled_persons",
        /// Participants in language courses: persons who attended (present
        /// or late) a counted session of a Czech-language, conversation,
        /// children's or vocational Czech course. AMIF output indicator.
        LanguageCourseParticipants = "language_course_participants",
        /// Participants in civic-orientation courses: persons who attended a
        /// counted session of a sociocultural orientation course. AMIF output
        /// indicator.
        CivicCourseParticipants = "civic_course_participants",
        /// Adaptation-integration course attendees ("Vítejte v ČR").
        AikAttendees = "aik_attendees",
        /// Persons completing a course: attended at least the course's
        /// completion share of its sessions; counted in the month of the
        /// course's last session, once it has taken place.
        CourseCompletions = "course_completions",
        /// Persons gaining at least one CEFR level: exit level above entry
        /// level in a course; counted in the month of the course's last
        /// session. AMIF result indicator.
        LevelGains = "level_gains",
        /// Persons who reported the activity helpful: answered "helpful"
        /// when asked after a course they completed or a case that closed;
        /// counted in the month of the answer, for the project of the
        /// course (or of the case's latest intervention) when the person
        /// was eligible on the day the course or case ended. AMIF result
        /// indicator.
        ReportedHelpful = "reported_helpful",
        /// Interventions: counted interventions (at least one participant
        /// counts), by kind. Counts services, not persons.
        Interventions = "interventions",
        /// Hours of counted interventions, by kind (stored in minutes).
        InterventionHours = "intervention_hours",
        /// Contacts: services to eligible clients shorter than the project's
        /// threshold, by kind.
        Contacts = "contacts",
        /// Events held (not cancelled), by audience.
        Events = "events",
        /// Event participants by audience: the recorded head-count of an
        /// event where one was taken, otherwise its checked-in registrations.
        EventParticipants = "event_participants",
    }
);

/// The fact bits of one person in one month (see [`Indicator::bit`]).
pub(crate) mod bits {
    pub const SERVED: i32 = 1;
    pub const COUNSELLED: i32 = 2;
    pub const LANGUAGE: i32 = 4;
    pub const CIVIC: i32 = 8;
    pub const AIK: i32 = 16;
    pub const COMPLETED: i32 = 32;
    pub const LEVEL_GAIN: i32 = 64;
    pub const EVENT: i32 = 128;
    pub const HELPFUL: i32 = 256;
}

/// How an indicator's cells relate across periods and places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Additivity {
    /// A count of distinct persons: a year's count is at most the sum of its
    /// quarters' (someone served in two quarters counts once), a region's at
    /// most the sum of its centres'.
    Persons,
    /// Each person or thing falls in exactly one month and one centre: the
    /// parts add up to the whole.
    Additive,
}

/// The breakdowns of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// No breakdown.
    Total,
    /// Sex (`f`, `m`, `x`, `unknown`).
    Sex,
    /// Age group at the end of the period, from the year of birth.
    AgeGroup,
    /// Nationality: the main nationalities of the network and `other`.
    Nationality,
    /// Residence category in force at the end of the month served.
    ResidenceCategory,
    /// Kind of intervention.
    Kind,
    /// Audience of an event.
    Audience,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 7] = [
        Dimension::Total,
        Dimension::Sex,
        Dimension::AgeGroup,
        Dimension::Nationality,
        Dimension::ResidenceCategory,
        Dimension::Kind,
        Dimension::Audience,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Total => "total",
            Dimension::Sex => "sex",
            Dimension::AgeGroup => "age_group",
            Dimension::Nationality => "nationality",
            Dimension::ResidenceCategory => "residence_category",
            Dimension::Kind => "kind",
            Dimension::Audience => "audience",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The person breakdowns.
pub const PERSON_DIMENSIONS: [Dimension; 5] = [
    Dimension::Total,
    Dimension::Sex,
    Dimension::AgeGroup,
    Dimension::Nationality,
    Dimension::ResidenceCategory,
];

/// Nationalities shown on their own (docs/domain.md: the largest groups); the
/// rest is `other`. A fixed list keeps every table the same shape, which is
/// part of the defence against differencing.
pub const MAIN_NATIONALITIES: [&str; 12] = [
    "UA", "VN", "RU", "MN", "BY", "KZ", "MD", "UZ", "SY", "PH", "IN", "SK",
];

impl Indicator {
    /// Whether the indicator counts persons (and so is suppressed for the
    /// ministry when small).
    pub fn counts_persons(self) -> bool {
        !matches!(
            self,
            Indicator::Interventions
                | Indicator::InterventionHours
                | Indicator::Contacts
                | Indicator::Events
        )
    }

    /// How its cells add up.
    pub fn additivity(self) -> Additivity {
        match self {
            Indicator::UniquePersons
            | Indicator::NewClients
            | Indicator::CounselledPersons
            | Indicator::LanguageCourseParticipants
            | Indicator::CivicCourseParticipants
            | Indicator::AikAttendees
            | Indicator::CourseCompletions
            | Indicator::LevelGains
            | Indicator::ReportedHelpful => Additivity::Persons,
            _ => Additivity::Additive,
        }
    }

    /// The fact bit a person indicator is read from (`None` for new
    /// clients, derived from first months, and for non-person indicators).
    pub(crate) fn bit(self) -> Option<i32> {
        Some(match self {
            Indicator::UniquePersons => bits::SERVED,
            Indicator::CounselledPersons => bits::COUNSELLED,
            Indicator::LanguageCourseParticipants => bits::LANGUAGE,
            Indicator::CivicCourseParticipants => bits::CIVIC,
            Indicator::AikAttendees => bits::AIK,
            Indicator::CourseCompletions => bits::COMPLETED,
            Indicator::LevelGains => bits::LEVEL_GAIN,
            Indicator::ReportedHelpful => bits::HELPFUL,
            _ => return None,
        })
    }

    /// The breakdowns the indicator has.
    pub fn dimensions(self) -> &'static [Dimension] {
        match self {
            Indicator::Interventions | Indicator::InterventionHours | Indicator::Contacts => {
                &[Dimension::Total, Dimension::Kind]
            }
            Indicator::Events | Indicator::EventParticipants => {
                &[Dimension::Total, Dimension::Audience]
            }
            _ => &PERSON_DIMENSIONS,
        }
    }

    /// The AMIF indicator it reports, where there is one (Regulation (EU)
    /// 2021/1147, Annex VIII, specific objective integration).
    pub fn amif(self) -> Option<&'static str> {
        match self {
            Indicator::LanguageCourseParticipants => Some("O.2.1 participants in language courses"),
            Indicator::CivicCourseParticipants => {
                Some("O.2.2 participants in civic orientation courses")
            }
            Indicator::CounselledPersons => {
                Some("O.2.3 participants receiving individual guidance")
            }
            Indicator::LevelGains => Some(
                "R.2.6 participants in language courses who improved by at least one CEFR level",
            ),
            Indicator::ReportedHelpful => {
                Some("result indicator: participants who reported the activity helpful")
            }
            _ => None,
        }
    }

    /// The counting rule in one sentence, for people.
    pub fn rule(self) -> &'static str {
        match self {
            Indicator::UniquePersons => {
                "persons with at least one counted service (intervention, course session attended, event attended as an identified client) in the period"
            }
            Indicator::NewClients => {
                "persons whose first counted service at the centre (for a region or the network: at any of its centres) falls in the period"
            }
            Indicator::CounselledPersons => {
                "persons with a counted individual social or legal counselling intervention in the period"
            }
            Indicator::LanguageCourseParticipants => {
                "persons who attended a counted session of a Czech-language course (levels, conversation, children, vocational) in the period"
            }
            Indicator::CivicCourseParticipants => {
                "persons who attended a counted session of a sociocultural orientation course in the period"
            }
            Indicator::AikAttendees => {
                "persons who attended a counted adaptation-integration course session in the period"
            }
            Indicator::CourseCompletions => {
                "persons who attended at least the completion share of a course whose last session fell in the period"
            }
            Indicator::LevelGains => {
                "persons whose exit level is above their entry level in a course whose last session fell in the period"
            }
            Indicator::ReportedHelpful => {
                "persons who answered 'helpful' when asked after a course they completed or a case that closed, counted in the month of the answer"
            }
            Indicator::Interventions => {
                "interventions with at least one participant counted toward indicators"
            }
            Indicator::InterventionHours => "hours of the counted interventions",
            Indicator::Contacts => {
                "services to eligible clients shorter than the project's contact threshold"
            }
            Indicator::Events => "events held (not cancelled)",
            Indicator::EventParticipants => {
                "people at events: the head-count where one was taken, otherwise checked-in registrations"
            }
        }
    }

    /// The main indicators of the ministry dashboard and its report, in
    /// catalogue order (persons first, then services and events); the web
    /// app reads them from `indicatorCatalogue.main`.
    pub const MAIN: [Indicator; 9] = [
        Indicator::UniquePersons,
        Indicator::NewClients,
        Indicator::CounselledPersons,
        Indicator::LanguageCourseParticipants,
        Indicator::CourseCompletions,
        Indicator::LevelGains,
        Indicator::Interventions,
        Indicator::InterventionHours,
        Indicator::EventParticipants,
    ];
}

/// The category of `nationality` in the nationality breakdown.
pub fn nationality_category(nationality: &str) -> &'static str {
    let up = nationality.to_ascii_uppercase();
    MAIN_NATIONALITIES
        .iter()
        .find(|n| **n == up)
        .copied()
        .unwrap_or("other")
}

/// The age group of someone born in `birth_year` at the end of `year`.
pub fn age_group(birth_year: Option<i32>, year: i32) -> &'static str {
    birth_year
        .and_then(|b| {
            let age = year - b;
            integra_clients::rights::AGE_GROUPS
                .iter()
                .find(|(_, lo, hi)| (*lo..=*hi).contains(&age))
                .map(|(name, _, _)| *name)
        })
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_has_a_rule_and_dimensions() {
        for i in Indicator::ALL {
            assert!(!i.rule().is_empty());
            assert_eq!(i.dimensions()[0], Dimension::Total);
            assert_eq!(
                i.bit().is_some() || *i == Indicator::NewClients,
                i.additivity() == Additivity::Persons
            );
        }
    }

    #[test]
    fn categories() {
        assert_eq!(nationality_category("ua"), "UA");
        assert_eq!(nationality_category("DE"), "other");
        assert_eq!(age_group(Some(2000), 2025), "18-34");
        assert_eq!(age_group(None, 2025), "unknown");
    }
}
