//! The vocabularies of courses as GraphQL enums.

use async_graphql::Enum;

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
