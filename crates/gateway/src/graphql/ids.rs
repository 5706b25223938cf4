//! Typed ids at the GraphQL edge: one scalar per kind of record
//! (`CourseId`, `ClientId`, …) instead of GraphQL's untyped `ID`.
//!
//! A resolver takes `id: Id<CourseId>` and gets a parsed
//! `integra_courses::CourseId`; a value that is not a UUID is refused while
//! the request is validated, before any resolver runs, with the argument
//! named: `Invalid value for argument "courseId", expected type "CourseId"`
//! (`BAD_USER_INPUT`, `field: courseId`). A client that sends a course's id
//! where a client's is expected learns so from the schema, not from a
//! "not found". Ids that may name records of several kinds (a calendar
//! feed's owner, a clash's resource) stay `ID`.
//!
//! Results carry typed ids in Rust too, but the schema shows them as `ID`:
//! objects of several kinds meet in unions (a client's timeline), where
//! GraphQL requires a field such as `id` to have one type in every member.

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaType, MetaTypeId, Registry};
use async_graphql::{
    ContextSelectionSet, ID, InputType, InputValueError, InputValueResult, OutputType, Positioned,
    ServerResult, Value,
};
use uuid::Uuid;

pub use integra_clients::{AuditEntryId, ConsentId, ResidenceId};
pub use integra_counselling::{
    AppointmentId, CaseId, GoalId, InquiryId, InterventionId, NoteId, OutreachSlotId, TaskId,
};
pub use integra_courses::{CourseId, EnrolmentId, PlacementId, SessionId};
pub use integra_events::{EventId, RegistrationId};
pub use integra_kernel::{BranchId, ClientId, InterpreterId, RoomId, UserId};
pub use integra_notify::EmailId;
pub use integra_tenants::InvitationId;

/// A kind of record with its own id scalar.
pub trait IdKind: Copy + From<Uuid> + Into<Uuid> + Send + Sync + 'static {
    /// The scalar's name in the schema.
    const NAME: &'static str;
    /// The scalar's description in the schema.
    const DESCRIPTION: &'static str;
}

/// The id of a record of kind `K`, as GraphQL reads and writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Id<K>(pub K);

impl<K: IdKind> Id<K> {
    /// The typed id.
    pub fn get(self) -> K {
        self.0
    }

    /// Its UUID.
    pub fn uuid(self) -> Uuid {
        self.0.into()
    }
}

impl<K: IdKind> From<Uuid> for Id<K> {
    fn from(u: Uuid) -> Self {
        Self(K::from(u))
    }
}

impl<K: IdKind> From<K> for Id<K> {
    fn from(k: K) -> Self {
        Self(k)
    }
}

impl<K: IdKind> From<&K> for Id<K> {
    fn from(k: &K) -> Self {
        Self(*k)
    }
}

fn parse_uuid(value: &Value) -> Option<Uuid> {
    match value {
        Value::String(s) => Uuid::parse_str(s.trim()).ok(),
        _ => None,
    }
}

// As an input, an id is its kind's scalar, checked while the request is
// validated. As an output it is GraphQL's `ID`: results of several kinds
// meet in unions and interfaces (a timeline's interventions, appointments
// and tasks), where a field's type must be the same in every member.
impl<K: IdKind> InputType for Id<K> {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(K::NAME)
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_input_type::<Self, _>(MetaTypeId::Scalar, |_| MetaType::Scalar {
            name: K::NAME.to_owned(),
            description: Some(K::DESCRIPTION.to_owned()),
            is_valid: Some(Arc::new(|value| parse_uuid(value).is_some())),
            visible: None,
            inaccessible: false,
            tags: Vec::new(),
            specified_by_url: None,
            directive_invocations: Vec::new(),
            requires_scopes: Vec::new(),
        })
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        match value.as_ref().and_then(parse_uuid) {
            Some(u) => Ok(Self::from(u)),
            None => Err(InputValueError::custom(format!(
                "is not a valid {}",
                K::NAME
            ))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.uuid().to_string())
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

impl<K: IdKind> OutputType for Id<K> {
    fn type_name() -> Cow<'static, str> {
        <ID as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <ID as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _: &ContextSelectionSet<'_>,
        _: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(Value::String(self.uuid().to_string()))
    }
}

macro_rules! id_kinds {
    ($($kind:path => $name:literal, $doc:literal;)*) => {
        $(
            impl IdKind for $kind {
                const NAME: &'static str = $name;
                const DESCRIPTION: &'static str = $doc;
            }
        )*
    };
}

id_kinds! {
    integra_kernel::CentreId => "CentreId", "Identifies a centre.";
    UserId => "UserId", "Identifies a person's account (staff, ministry, platform).";
    BranchId => "BranchId", "Identifies a branch of a centre.";
    ClientId => "ClientId", "Identifies a client of a centre.";
    integra_kernel::FundingProjectId => "FundingProjectId", "Identifies a funding project of a centre.";
    RoomId => "RoomId", "Identifies a room.";
    InterpreterId => "InterpreterId", "Identifies an interpreter.";
    InvitationId => "InvitationId", "Identifies an invitation.";
    ConsentId => "ConsentId", "Identifies a consent decision.";
    ResidenceId => "ResidenceId", "Identifies an entry of a residence history.";
    AuditEntryId => "AuditEntryId", "Identifies a line of the audit log.";
    CaseId => "CaseId", "Identifies a case.";
    GoalId => "GoalId", "Identifies a goal of a case.";
    InterventionId => "InterventionId", "Identifies a recorded service (intervention).";
    NoteId => "NoteId", "Identifies a confidential note.";
    AppointmentId => "AppointmentId", "Identifies an appointment.";
    OutreachSlotId => "OutreachSlotId", "Identifies an outreach slot.";
    InquiryId => "InquiryId", "Identifies an inquiry.";
    TaskId => "TaskId", "Identifies a task.";
    CourseId => "CourseId", "Identifies a course.";
    SessionId => "SessionId", "Identifies a session of a course.";
    EnrolmentId => "EnrolmentId", "Identifies an enrolment in a course.";
    PlacementId => "PlacementId", "Identifies a placement test result.";
    EventId => "EventId", "Identifies an event.";
    RegistrationId => "RegistrationId", "Identifies a registration for an event.";
    EmailId => "EmailId", "Identifies an email of the outbox.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_parses_a_uuid_and_refuses_anything_else() {
        let u = Uuid::now_v7();
        let parsed = <Id<CourseId> as InputType>::parse(Some(Value::String(u.to_string())));
        assert_eq!(parsed.ok().map(Id::uuid), Some(u));
        let refused = <Id<CourseId> as InputType>::parse(Some(Value::String("nope".into())));
        assert!(refused.is_err());
        assert!(<Id<CourseId> as InputType>::parse(Some(Value::Number(7.into()))).is_err());
        assert_eq!(<Id<CourseId> as InputType>::type_name(), "CourseId");
        assert_eq!(<Id<CourseId> as OutputType>::type_name(), "ID");
    }
}
