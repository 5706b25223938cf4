//! Tenant isolation: the cross-tenant matrix, the PostgreSQL catalog check,
//! RLS probes as the application role, and who may issue a scope.

use integra_test_support::{Engine, Gql, TestApp, on_both_engines, pg};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

/// The four kinds of caller every operation is tried with.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Actor {
    /// Admin of the centre that owns the record (Ústí).
    Own,
    /// Admin of another centre (Praha).
    Other,
    /// Ministry officer.
    Ministry,
    /// Not signed in.
    Anonymous,
}

/// What an actor must get.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Ok,
    /// Must answer exactly as for a record that does not exist.
    NotFound,
    Forbidden,
    Unauthenticated,
    /// Allowed, but refused by the record's state (e.g. retrying an email
    /// that did not fail).
    Conflict,
    /// Refused as bad input naming the field, exactly as for a record that
    /// does not exist (a reference to another centre's room or branch).
    BadInput,
}

/// Ids of Ústí's records that the cases point at, by name.
struct Fixture(std::collections::BTreeMap<&'static str, String>);

impl Fixture {
    fn id(&self, name: &str) -> &str {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("fixture has no '{name}'"))
    }
}

struct Case {
    name: &'static str,
    query: &'static str,
    /// Variables, given the ids of Ústí's records.
    vars: fn(&Fixture) -> Value,
    expect: [(Actor, Outcome); 4],
}

fn cases() -> Vec<Case> {
    use Actor::*;
    use Outcome::*;
    vec![
        Case {
            name: "branch",
            query: "query($id: BranchId!) { branch(id: $id) { id name } }",
            vars: |f| json!({"id": f.id("branch")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateBranch",
            query: "mutation($id: BranchId!) { updateBranch(id: $id, input: {name: \"Renamed\", municipality: \"Most\"}) { id } }",
            vars: |f| json!({"id": f.id("branch")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "branches",
            query: "{ branches { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createBranch",
            query: "mutation { createBranch(input: {name: \"Matrix\", municipality: \"Děčín\"}) { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "switchCentre",
            query: "mutation($c: CentreId!) { switchCentre(centreId: $c) { centre { id } } }",
            vars: |f| json!({"c": f.id("centre")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, NotFound),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "centres",
            query: "{ centres { id name regionCode } }",
            vars: |_| json!({}),
            expect: [
                (Own, Forbidden),
                (Other, Forbidden),
                (Ministry, Ok),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "client",
            query: "query($id: ClientId!) { client(id: $id) { id givenName } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            // The client page: record and latest services in one transaction.
            name: "client page",
            query: "query($id: ClientId!) { client(id: $id) { id latestInterventions { id } } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateClient",
            query: "mutation($id: ClientId!) { updateClient(id: $id, input: {givenName: \"Iryna\", familyName: \"Matrixová\", sex: FEMALE, nationality: \"UA\"}) { id } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addResidenceStatus",
            query: "mutation($id: ClientId!) { addResidenceStatus(clientId: $id, input: {status: PERMANENT, validFrom: \"2026-01-01\"}) { id } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "verifyClientIdentity",
            query: "mutation($id: ClientId!) { verifyClientIdentity(clientId: $id) { identityVerified } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "clientAccessLog",
            query: "query($id: ClientId!) { clientAccessLog(clientId: $id) { action } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "eligibility",
            query: "query($c: ClientId!, $p: FundingProjectId!) { eligibility(clientId: $c, on: \"2026-03-01\", fundingProjectId: $p) { eligible } }",
            vars: |f| json!({"c": f.id("client"), "p": f.id("project")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "searchClients",
            query: "{ searchClients(text: \"matrix\") { edges { node { id } } } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "registerClient",
            query: "mutation { registerClient(input: {givenName: \"Reg\", familyName: \"Matrix\", sex: MALE, nationality: \"VN\"}, confirmNotDuplicate: true) { client { id } } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "auditLog",
            query: "{ auditLog { action clientId } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "fundingProjects",
            query: "{ fundingProjects { id registrationNumber } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "staff",
            query: "{ staff { userId email roles } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "colleagues",
            query: "{ colleagues { userId displayName roles } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "recordConsent",
            query: "mutation($id: ClientId!) { recordConsent(clientId: $id, purpose: PHOTOGRAPHY, given: true, decidedOn: \"2026-01-05\") { consentsInForce { purpose given } } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "linkHousehold",
            query: "mutation($a: ClientId!, $b: ClientId!) { linkHousehold(clientId: $a, otherClientId: $b, relation: CHILD) { household { clientId relation } } }",
            vars: |f| json!({"a": f.id("client"), "b": f.id("client2")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "unlinkHousehold",
            query: "mutation($a: ClientId!, $b: ClientId!) { unlinkHousehold(clientId: $a, otherClientId: $b) { household { clientId } } }",
            vars: |f| json!({"a": f.id("client"), "b": f.id("client2")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "mergeClients",
            query: "mutation($a: ClientId!, $b: ClientId!) { mergeClients(keepId: $a, mergeId: $b) { id aliases { familyName } } }",
            vars: |f| json!({"a": f.id("client"), "b": f.id("dup")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "exportClient",
            query: "mutation($id: ClientId!) { exportClient(clientId: $id) { fileStem json } }",
            vars: |f| json!({"id": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "anonymiseClient",
            query: "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { id nationality } }",
            vars: |f| json!({"id": f.id("victim")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "clientStatistics",
            query: "{ clientStatistics { total byNationality { key count } } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "importClients",
            query: "mutation { importClients(file: {name: \"a.csv\", contentBase64: \"UMWZw61qbWVuw607Sm3DqW5vO1BvaGxhdsOtO1N0w6F0DQpNYXRyaXhvdsOhO0lyeW5hO8W9O1VBDQo=\"}) { rows accepted problems { existingClientId } } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setStaffRoles",
            query: "mutation($u: UserId!) { setStaffRoles(userId: $u, roles: [COUNSELLOR, FIELD_WORKER]) { userId roles } }",
            vars: |f| json!({"u": f.id("counsellor")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "cases",
            query: "query($c: ClientId!) { cases(clientId: $c) { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "case",
            query: "query($id: CaseId!) { case(id: $id) { id } }",
            vars: |f| json!({"id": f.id("case")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "intervention",
            query: "query($id: InterventionId!) { intervention(id: $id) { id } }",
            vars: |f| json!({"id": f.id("intervention")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "clientTimeline",
            query: "query($c: ClientId!) { clientTimeline(clientId: $c) { edges { cursor } } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "clientNotes",
            query: "query($c: ClientId!) { clientNotes(clientId: $c) { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "interpreters",
            query: "{ interpreters { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "appointments",
            query: "query($c: ClientId!) { appointments(clientId: $c) { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "outreachSlots",
            query: "{ outreachSlots { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "outreachSchedule",
            query: "{ outreachSchedule(from: \"2026-01-01\", to: \"2026-02-01\") { date } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "inquiries",
            query: "{ inquiries(from: \"2026-01-01\", to: \"2026-12-31\") { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "workload",
            query: "{ workload(from: \"2026-01-01\", to: \"2026-12-31\") { anonymousContacts } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "myTasks",
            query: "{ myTasks { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "openCase",
            query: "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: SOCIAL, title: \"Matrix\"}) { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateCase",
            query: "mutation($id: CaseId!) { updateCase(id: $id, input: {title: \"Renamed\"}) { id } }",
            vars: |f| json!({"id": f.id("case")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addCaseGoal",
            query: "mutation($id: CaseId!) { addCaseGoal(caseId: $id, input: {description: \"More\"}) { id } }",
            vars: |f| json!({"id": f.id("case")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateCaseGoal",
            query: "mutation($id: GoalId!) { updateCaseGoal(goalId: $id, input: {description: \"Goal\", progress: 50}) { id } }",
            vars: |f| json!({"id": f.id("goal")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "recordIntervention",
            query: "mutation($c: ClientId!, $p: FundingProjectId!) { recordIntervention(input: {clientIds: [$c], occurredOn: \"2026-03-02\", durationMinutes: 30, kind: SOCIAL_COUNSELLING, form: OFFICE, topics: [HOUSING], fundingProjectId: $p}) { id } }",
            vars: |f| json!({"c": f.id("client"), "p": f.id("project")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addNote",
            query: "mutation($c: ClientId!) { addNote(clientId: $c, kind: SOCIAL, body: \"Matrix\") { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addInterpreter",
            query: "mutation { addInterpreter(input: {name: \"Anywhere\", languages: [\"uk\"]}) { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateInterpreter",
            query: "mutation($id: InterpreterId!) { updateInterpreter(id: $id, input: {name: \"Renamed\", languages: [\"ru\"]}) { id } }",
            vars: |f| json!({"id": f.id("interpreter")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "bookAppointment",
            query: "mutation($c: ClientId!, $i: InterpreterId!) { bookAppointment(input: {clientId: $c, interpreterId: $i, kind: LEGAL_COUNSELLING, startsAt: \"2026-12-11T09:00:00+01:00\", endsAt: \"2026-12-11T10:00:00+01:00\"}) { id } }",
            vars: |f| json!({"c": f.id("client"), "i": f.id("interpreter")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "moveAppointment",
            query: "mutation($id: AppointmentId!) { moveAppointment(id: $id, startsAt: \"2026-12-10T13:00:00+01:00\", endsAt: \"2026-12-10T14:00:00+01:00\") { id } }",
            vars: |f| json!({"id": f.id("appointment")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "cancelAppointment",
            query: "mutation($id: AppointmentId!) { cancelAppointment(id: $id) { id } }",
            vars: |f| json!({"id": f.id("appointment")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createOutreachSlot",
            query: "mutation { createOutreachSlot(input: {title: \"Anywhere\", place: \"Most\", weekdays: [TUESDAY], startsTime: \"09:00\", endsTime: \"10:00\", validFrom: \"2026-01-06\"}) { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "recordInquiry",
            query: "mutation { recordInquiry(input: {channel: PHONE, topics: [RESIDENCE], durationMinutes: 5, outcome: ANSWERED}) { id } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createTask",
            query: "mutation($c: ClientId!) { createTask(input: {title: \"Matrix\", dueOn: \"2026-12-01\", clientId: $c}) { id } }",
            vars: |f| json!({"c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setTaskDone",
            query: "mutation($id: TaskId!) { setTaskDone(id: $id, done: true) { id } }",
            vars: |f| json!({"id": f.id("task")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "registerClientFromInquiry",
            query: "mutation($id: InquiryId!) { registerClientFromInquiry(inquiryId: $id, input: {givenName: \"Lan\", familyName: \"Matrix\", sex: FEMALE, nationality: \"VN\"}, confirmNotDuplicate: true) { client { id } } }",
            vars: |f| json!({"id": f.id("inquiry")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "invitations",
            query: "{ invitations { id email status } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "emails",
            query: "{ emails { id recipient status } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "retryEmail",
            query: "mutation($id: EmailId!) { retryEmail(id: $id) { id status } }",
            vars: |f| json!({"id": f.id("email")}),
            expect: [
                (Own, Conflict),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "revokeInvitation",
            query: "mutation($id: InvitationId!) { revokeInvitation(id: $id) { id status } }",
            vars: |f| json!({"id": f.id("invitation")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "removeStaffMember",
            query: "mutation($u: UserId!) { removeStaffMember(userId: $u) }",
            vars: |f| json!({"u": f.id("lecturer")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "event",
            query: "query($id: EventId!) { event(id: $id) { id title } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "eventRegistrations",
            query: "query($id: EventId!) { eventRegistrations(eventId: $id) { id email } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "eventHeadcounts",
            query: "query($id: EventId!) { eventHeadcounts(eventId: $id) { count } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "eventOrganisations",
            query: "query($id: EventId!) { eventOrganisations(eventId: $id) { name } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "updateEvent",
            query: "mutation($id: EventId!) { updateEvent(id: $id, input: {kind: LECTURE_FOR_PUBLIC, audience: MAJORITY_SOCIETY, title: \"Matrix event\", startsAt: \"2027-03-01T10:00:00Z\", endsAt: \"2027-03-01T12:00:00Z\", capacity: 20, publicRegistration: true}) { id } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setEventHeadcounts",
            query: "mutation($id: EventId!) { setEventHeadcounts(eventId: $id, counts: [{audience: OFFICIALS, count: 3}]) { count } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setEventOrganisations",
            query: "mutation($id: EventId!) { setEventOrganisations(eventId: $id, organisations: [{kind: POLICE, name: \"Matrix police\", attendees: 1}]) { name } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "checkIn",
            query: "mutation($e: EventId!, $r: RegistrationId!) { checkIn(eventId: $e, registrationId: $r) { id } }",
            vars: |f| json!({"e": f.id("event"), "r": f.id("registration")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "linkRegistrationToClient",
            query: "mutation($r: RegistrationId!, $c: ClientId!) { linkRegistrationToClient(registrationId: $r, clientId: $c) { id } }",
            vars: |f| json!({"r": f.id("registration"), "c": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "cancelRegistration",
            query: "mutation($r: RegistrationId!) { cancelRegistration(registrationId: $r) { status } }",
            vars: |f| json!({"r": f.id("registration")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "cancelEvent",
            query: "mutation($id: EventId!) { cancelEvent(id: $id) { status } }",
            vars: |f| json!({"id": f.id("event")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "course",
            query: "query($id: CourseId!) { course(id: $id) { id title } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "enrolments",
            query: "query($id: CourseId!) { enrolments(courseId: $id) { id clientName } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "courseStandings",
            query: "query($id: CourseId!) { courseStandings(courseId: $id) { attended } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "courseSession",
            query: "query($id: SessionId!) { courseSession(id: $id) { id } }",
            vars: |f| json!({"id": f.id("session")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "sessionAttendance",
            query: "query($id: SessionId!) { sessionAttendance(sessionId: $id) { mark } }",
            vars: |f| json!({"id": f.id("session")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "recordAttendance",
            query: "mutation($s: SessionId!, $e: EnrolmentId!) { recordAttendance(sessionId: $s, marks: [{enrolmentId: $e, mark: PRESENT}]) }",
            vars: |f| json!({"s": f.id("session"), "e": f.id("enrolment")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setExitLevel",
            query: "mutation($e: EnrolmentId!) { setExitLevel(enrolmentId: $e, level: A1) { id } }",
            vars: |f| json!({"e": f.id("enrolment")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "moveCourseSession",
            query: "mutation($id: SessionId!) { moveCourseSession(id: $id, startsAt: \"2026-01-06T09:00:00Z\", endsAt: \"2026-01-06T10:00:00Z\") { id } }",
            vars: |f| json!({"id": f.id("session")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setSessionSubstitute",
            query: "mutation($id: SessionId!) { setSessionSubstitute(id: $id, substituteId: null) { id } }",
            vars: |f| json!({"id": f.id("session")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addCourseSession",
            query: "mutation($id: CourseId!) { addCourseSession(courseId: $id, startsAt: \"2026-02-06T09:00:00Z\", endsAt: \"2026-02-06T10:00:00Z\") { id } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "enrol",
            query: "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }",
            vars: |f| json!({"c": f.id("course"), "k": f.id("client2")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "recordPlacement",
            query: "mutation($k: ClientId!) { recordPlacement(clientId: $k, level: A1, testedOn: \"2026-01-01\") { id } }",
            vars: |f| json!({"k": f.id("client")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "courseCertificate",
            query: "mutation($e: EnrolmentId!) { courseCertificate(enrolmentId: $e) { number } }",
            vars: |f| json!({"e": f.id("enrolment")}),
            expect: [
                (Own, BadInput),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "withdrawEnrolment",
            query: "mutation($id: EnrolmentId!) { withdrawEnrolment(id: $id) { status } }",
            vars: |f| json!({"id": f.id("enrolment")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "cancelCourseSession",
            query: "mutation($id: SessionId!) { cancelCourseSession(id: $id) { status } }",
            vars: |f| json!({"id": f.id("session2")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setLecturerAvailability",
            query: "mutation($u: UserId!) { setLecturerAvailability(userId: $u, windows: [{weekday: 1, starts: \"08:00\", ends: \"16:00\"}]) { weekday } }",
            vars: |f| json!({"u": f.id("counsellor")}),
            expect: [
                (Own, Ok),
                (Other, BadInput),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "addLecturerAbsence",
            query: "mutation($u: UserId!) { addLecturerAbsence(userId: $u, firstDay: \"2027-01-04\", lastDay: \"2027-01-08\") }",
            vars: |f| json!({"u": f.id("counsellor")}),
            expect: [
                (Own, Ok),
                (Other, BadInput),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createCalendarFeed",
            query: "mutation($r: ID!) { createCalendarFeed(ownerKind: ROOM, ownerId: $r) }",
            vars: |f| json!({"r": f.id("room")}),
            expect: [
                (Own, Ok),
                (Other, BadInput),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "centreIndicators",
            query: "{ centreIndicators(year: 2025, period: Y) { indicator value } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "centreProjects",
            query: "{ centreProjects { projectId targets { planned } } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setProjectTargets",
            query: "mutation($p: FundingProjectId!) { setProjectTargets(projectId: $p, targets: [{indicator: UNIQUE_PERSONS, planned: 100}]) }",
            vars: |f| json!({"p": f.id("project")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "setProjectDetails",
            query: "mutation($p: FundingProjectId!) { setProjectDetails(projectId: $p, operator: \"Op\", keyActivities: [\"KA1\"]) }",
            vars: |f| json!({"p": f.id("project")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "ministryIndicators",
            query: "{ ministryIndicators(year: 2025, period: Y, level: CENTRE) { geo value } }",
            vars: |_| json!({}),
            expect: [
                (Own, Forbidden),
                (Other, Forbidden),
                (Ministry, Ok),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "ministryReport",
            query: "{ ministryReport(year: 2025, period: Y, level: CENTRE, format: CSV) { fileName } }",
            vars: |_| json!({}),
            expect: [
                (Own, Forbidden),
                (Other, Forbidden),
                (Ministry, Ok),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            // Nobody completed the fixture's course: nobody is asked.
            name: "askCourseFeedback",
            query: "mutation($id: CourseId!) { askCourseFeedback(courseId: $id) { already } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, Ok),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            // The fixture's case is open: likewise.
            name: "askCaseFeedback",
            query: "mutation($id: CaseId!) { askCaseFeedback(caseId: $id) { already } }",
            vars: |f| json!({"id": f.id("case")}),
            expect: [
                (Own, BadInput),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "feedbackSummary",
            query: "{ feedbackSummary(from: \"2026-01-01\", to: \"2026-12-31\") { asked } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "ministryYearlyReport",
            query: "{ ministryYearlyReport(year: 2025) { fileName } }",
            vars: |_| json!({}),
            expect: [
                (Own, Forbidden),
                (Other, Forbidden),
                (Ministry, Ok),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "centreYearlyReport",
            query: "{ centreYearlyReport(year: 2025) { fileName } }",
            vars: |_| json!({}),
            expect: [
                (Own, Ok),
                (Other, Ok),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "ministryProjects",
            query: "{ ministryProjects { projectId } }",
            vars: |_| json!({}),
            expect: [
                (Own, Forbidden),
                (Other, Forbidden),
                (Ministry, Ok),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "aikConfirmations",
            query: "query($id: CourseId!) { aikConfirmations(courseId: $id) { fileName } }",
            vars: |f| json!({"id": f.id("course")}),
            expect: [
                (Own, BadInput),
                (Other, NotFound),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createRoom",
            query: "mutation($b: BranchId!) { createRoom(branchId: $b, name: \"Elsewhere\") { id } }",
            vars: |f| json!({"b": f.id("branch")}),
            expect: [
                (Own, Ok),
                (Other, BadInput),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
        Case {
            name: "createCourse with another centre's room",
            query: "mutation($r: RoomId!) { createCourse(input: {kind: SOCIOCULTURAL, title: \"Sneaky\", capacity: 5, roomId: $r}) { course { id } } }",
            vars: |f| json!({"r": f.id("room")}),
            expect: [
                (Own, Ok),
                (Other, BadInput),
                (Ministry, Forbidden),
                (Anonymous, Unauthenticated),
            ],
        },
    ]
}

async fn client_for(app: &TestApp, actor: Actor) -> Gql {
    match actor {
        Actor::Own => app.signed_in("admin.usti@example.org").await,
        Actor::Other => app.signed_in("admin.praha@example.org").await,
        Actor::Ministry => app.signed_in("ministry@example.org").await,
        Actor::Anonymous => app.client(),
    }
}

/// Replaces every fixture id in `vars` with the id of a record that exists
/// nowhere, keeping the rest.
fn missing_twin(vars: &Value, fixture: &Fixture) -> Value {
    let mut s = vars.to_string();
    for id in fixture.0.values() {
        s = s.replace(id.as_str(), &uuid::Uuid::now_v7().to_string());
    }
    serde_json::from_str(&s).unwrap()
}

async fn cross_tenant_matrix(app: TestApp) {
    let own = client_for(&app, Actor::Own).await;
    let usti_branches = own
        .query(
            "{ branches { id name } viewer { centre { id } } }",
            json!({}),
        )
        .await;
    let rec = usti_branches.ok()["branches"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rec_name = usti_branches.ok()["branches"][0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let centre = usti_branches.ok()["viewer"]["centre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let staff = own.query("{ staff { userId email } }", json!({})).await;
    let user = |email: &str| {
        staff.ok()["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .unwrap_or_else(|| panic!("{email} not in staff: {}", staff.body))["userId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let registered = own
        .query(
            "mutation { registerClient(input: {givenName: \"Iryna\", familyName: \"Matrixová\", sex: FEMALE, nationality: \"UA\", birthDate: \"1990-01-01\"}) { client { id } } }",
            json!({}),
        )
        .await;
    let client = registered.ok()["registerClient"]["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let more = |given: &'static str, family: &'static str| {
        let own = &own;
        async move {
            let r = own
                .query(
                    "mutation($g: String!, $f: String!) { registerClient(input: {givenName: $g, familyName: $f, sex: FEMALE, nationality: \"UA\", birthDate: \"1985-02-02\"}, confirmNotDuplicate: true) { client { id } } }",
                    json!({"g": given, "f": family}),
                )
                .await;
            r.ok()["registerClient"]["client"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let client2 = more("Daryna", "Matrixová").await;
    let dup = more("Iryna", "Matrixova").await;
    let victim = more("Vira", "Zapomenutá").await;
    let projects = own.query("{ fundingProjects { id } }", json!({})).await;
    let project = projects.ok()["fundingProjects"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Counselling records of Ústí.
    let made = |r: integra_test_support::GqlResponse, key: &str| {
        r.ok()[key]["id"].as_str().unwrap().to_owned()
    };
    let interpreter = made(
        own.query(
            "mutation { addInterpreter(input: {name: \"Oksana Matrixová\", languages: [\"uk\"]}) { id } }",
            json!({}),
        )
        .await,
        "addInterpreter",
    );
    let opened = own
        .query(
            "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: LEGAL, title: \"Matrix case\", goals: [{description: \"Goal\"}]}) { id goals { id } } }",
            json!({"c": client}),
        )
        .await;
    let case = opened.ok()["openCase"]["id"].as_str().unwrap().to_owned();
    let goal = opened.ok()["openCase"]["goals"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let intervention = made(
        own.query(
            "mutation($c: ClientId!, $p: FundingProjectId!, $case: CaseId!) { recordIntervention(input: {clientIds: [$c], occurredOn: \"2026-03-02\", durationMinutes: 45, kind: LEGAL_COUNSELLING, form: OFFICE, topics: [RESIDENCE], fundingProjectId: $p, caseId: $case, note: {kind: LEGAL, body: \"Matrix secret\"}}) { id } }",
            json!({"c": client, "p": project, "case": case}),
        )
        .await,
        "recordIntervention",
    );
    let appointment = made(
        own.query(
            "mutation($c: ClientId!, $i: InterpreterId!) { bookAppointment(input: {clientId: $c, interpreterId: $i, kind: LEGAL_COUNSELLING, startsAt: \"2026-12-10T09:00:00+01:00\", endsAt: \"2026-12-10T10:00:00+01:00\"}) { id } }",
            json!({"c": client, "i": interpreter}),
        )
        .await,
        "bookAppointment",
    );
    let slot = made(
        own.query(
            "mutation { createOutreachSlot(input: {title: \"Matrix desk\", place: \"OAMP Most\", weekdays: [MONDAY], startsTime: \"09:00\", endsTime: \"12:00\", validFrom: \"2026-01-05\"}) { id } }",
            json!({}),
        )
        .await,
        "createOutreachSlot",
    );
    let inquiry = made(
        own.query(
            "mutation { recordInquiry(input: {channel: PHONE, topics: [RESIDENCE], durationMinutes: 5, outcome: REFERRED, referredTo: \"Matrix office\"}) { id } }",
            json!({}),
        )
        .await,
        "recordInquiry",
    );
    let task = made(
        own.query(
            "mutation($c: ClientId!) { createTask(input: {title: \"Matrix task\", dueOn: \"2026-12-01\", clientId: $c}) { id } }",
            json!({"c": client}),
        )
        .await,
        "createTask",
    );
    let invitation = made(
        own.query(
            "mutation { inviteStaff(input: {email: \"matrix.invite@example.org\", displayName: \"Matrix Invite\", roles: [COUNSELLOR]}) { id } }",
            json!({}),
        )
        .await,
        "inviteStaff",
    );
    let emails = own.query("{ emails { id kind } }", json!({})).await;
    let email = emails.ok()["emails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "invitation")
        .unwrap_or_else(|| panic!("no invitation email: {}", emails.body))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = own
        .query(
            "mutation { createEvent(input: {kind: MULTICULTURAL, audience: MAJORITY_SOCIETY, title: \"Matrix fest\", startsAt: \"2027-03-01T10:00:00Z\", endsAt: \"2027-03-01T12:00:00Z\", capacity: 20, publicRegistration: true}) { id slug } }",
            json!({}),
        )
        .await;
    let event = created.ok()["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let slug = created.ok()["createEvent"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    app.client()
        .query(
            "mutation($s: String!) { registerForEvent(eventSlug: $s, input: {name: \"Matrix Guest\", email: \"matrix.guest@example.org\", consent: true}) { status } }",
            json!({"s": slug}),
        )
        .await
        .ok();
    let regs = own
        .query(
            "query($e: EventId!) { eventRegistrations(eventId: $e) { id } }",
            json!({"e": event}),
        )
        .await;
    let registration = regs.ok()["eventRegistrations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let room = own
        .query(
            "mutation($b: BranchId!) { createRoom(branchId: $b, name: \"Matrix room\") { id } }",
            json!({"b": rec}),
        )
        .await;
    let room = room.ok()["createRoom"]["id"].as_str().unwrap().to_owned();
    let planned = own
        .query(
            "mutation($r: RoomId!) { createCourse(input: {kind: SOCIOCULTURAL, title: \"Matrix course\", capacity: 10, roomId: $r}, schedule: {rule: \"FREQ=WEEKLY;COUNT=3\", firstDay: \"2026-01-05\", startTime: \"10:00\", endTime: \"11:00\"}) { course { id } sessions { id } } }",
            json!({"r": room}),
        )
        .await;
    let course = planned.ok()["createCourse"]["course"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = planned.ok()["createCourse"]["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let session2 = planned.ok()["createCourse"]["sessions"][2]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let enrolled = own
        .query(
            "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }",
            json!({"c": course, "k": client}),
        )
        .await;
    let enrolment = enrolled.ok()["enrol"]["id"].as_str().unwrap().to_owned();
    let fixture = Fixture(
        [
            ("room", room),
            ("course", course),
            ("session", session),
            ("session2", session2),
            ("enrolment", enrolment),
            ("client", client.clone()),
            ("event", event.clone()),
            ("registration", registration.clone()),
            ("invitation", invitation.clone()),
            ("email", email.clone()),
            ("client2", client2),
            ("interpreter", interpreter.clone()),
            ("case", case.clone()),
            ("goal", goal),
            ("intervention", intervention.clone()),
            ("appointment", appointment.clone()),
            ("slot", slot.clone()),
            ("inquiry", inquiry.clone()),
            ("task", task.clone()),
            ("dup", dup),
            ("victim", victim),
            ("project", project),
            ("branch", rec.clone()),
            ("centre", centre.clone()),
            ("counsellor", user("counsellor.usti@example.org")),
            ("lecturer", user("lecturer.usti@example.org")),
        ]
        .into_iter()
        .collect(),
    );

    for case in cases() {
        // Own runs last so that a successful change by it does not mask
        // what the others see.
        let mut order = case.expect;
        order.sort_by_key(|(a, _)| matches!(a, Actor::Own));
        for (actor, expected) in order {
            let c = client_for(&app, actor).await;
            let vars = (case.vars)(&fixture);
            let r = c.query(case.query, vars.clone()).await;
            let label = format!("{} as {actor:?}", case.name);
            match expected {
                Outcome::Ok => {
                    assert!(
                        r.errors().is_empty(),
                        "{label}: expected success: {}",
                        r.body
                    );
                }
                Outcome::Forbidden => assert_eq!(
                    r.code().as_deref(),
                    Some("FORBIDDEN"),
                    "{label}: {}",
                    r.body
                ),
                Outcome::Conflict => {
                    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{label}: {}", r.body)
                }
                Outcome::Unauthenticated => {
                    assert_eq!(
                        r.code().as_deref(),
                        Some("UNAUTHENTICATED"),
                        "{label}: {}",
                        r.body
                    )
                }
                Outcome::NotFound | Outcome::BadInput => {
                    let code = if expected == Outcome::NotFound {
                        "NOT_FOUND"
                    } else {
                        "BAD_USER_INPUT"
                    };
                    assert_eq!(r.code().as_deref(), Some(code), "{label}: {}", r.body);
                    // For the record's own centre a refusal is about the
                    // record itself, not its existence.
                    if actor != Actor::Own {
                        let twin = c.query(case.query, missing_twin(&vars, &fixture)).await;
                        assert_eq!(r.status, twin.status, "{label}");
                        assert_eq!(
                            r.body, twin.body,
                            "{label}: another centre's record must look missing"
                        );
                    }
                }
            }
        }
    }
    // Praha's lists of courses, rooms, sessions and a lecturer's
    // availability never show Ústí's.
    let praha = client_for(&app, Actor::Other).await;
    let lists = praha
        .query(
            "query($u: UserId!) { courses { id } rooms { id } courseSessions(from: \"2025-01-01T00:00:00Z\", to: \"2028-01-01T00:00:00Z\") { id } lecturerAvailability(userId: $u) { weekday } }",
            json!({"u": fixture.id("counsellor")}),
        )
        .await;
    let text = lists.ok().to_string();
    for name in ["course", "room", "session", "session2"] {
        assert!(
            !text.contains(fixture.id(name)),
            "Praha sees Ústí's {name}: {text}"
        );
    }
    assert_eq!(lists.ok()["lecturerAvailability"], json!([]), "{text}");
    let own_view = own
        .query(
            "query($u: UserId!) { lecturerAvailability(userId: $u) { weekday } }",
            json!({"u": fixture.id("counsellor")}),
        )
        .await;
    assert_eq!(
        own_view.ok()["lecturerAvailability"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "Ústí set it: the emptiness above is isolation, not absence"
    );

    // Nothing the other centre did reached Ústí's branch, and Praha's new
    // branch is not visible in Ústí.
    let after = own.query("{ branches { id name } }", json!({})).await;
    let names: Vec<String> = after.ok()["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"Renamed".to_owned()),
        "own update applied: {names:?} (was {rec_name})"
    );
    assert_eq!(
        names.iter().filter(|n| *n == "Matrix").count(),
        1,
        "{names:?}"
    );
    let praha = client_for(&app, Actor::Other).await;
    let theirs = praha.query("{ branches { id } }", json!({})).await;
    assert!(!theirs.ok().to_string().contains(&rec));
    for q in [
        "{ interpreters { id name } }",
        "{ appointments { id } }",
        "{ outreachSlots { id title } }",
        "{ outreachSchedule(from: \"2026-01-01\", to: \"2026-03-01\") { slotId } }",
        "{ inquiries(from: \"2026-01-01\", to: \"2026-12-31\") { id referredTo } }",
        "{ myTasks(includeDone: true) { id title } }",
    ] {
        let r = praha.query(q, json!({})).await;
        for theirs in [
            &interpreter,
            &appointment,
            &slot,
            &inquiry,
            &task,
            &case,
            &intervention,
        ] {
            assert!(
                !r.body.to_string().contains(theirs.as_str()),
                "{q}: {}",
                r.body
            );
        }
        assert!(!r.body.to_string().contains("Matrix"), "{q}: {}", r.body);
    }
    let r = praha
        .query("{ workload(from: \"2026-01-01\", to: \"2026-12-31\") { interventions { kind count } inquiries { count } } }", json!({}))
        .await;
    assert_eq!(
        r.ok()["workload"],
        json!({"interventions": [], "inquiries": [{"count": 1}]}),
        "Praha sees its own inquiry only"
    );
    for q in [
        "{ searchClients(text: \"matrixova\") { edges { node { id familyName } } } }",
        "{ searchClients { edges { node { id familyName } } } }",
        "{ auditLog { clientId } }",
    ] {
        let r = praha.query(q, json!({})).await;
        assert!(!r.body.to_string().contains(&client), "{q}: {}", r.body);
        assert!(!r.body.to_string().contains("Matrixov"), "{q}: {}", r.body);
    }
    let r = praha
        .query(
            "{ events(from: \"2027-01-01T00:00:00Z\", to: \"2027-12-31T00:00:00Z\") { id title } }",
            json!({}),
        )
        .await;
    assert!(!r.body.to_string().contains(&event), "{}", r.body);
    assert!(!r.body.to_string().contains("Matrix"), "{}", r.body);
    for q in [
        "{ invitations { id email } }",
        "{ emails { id recipient subject } }",
    ] {
        let r = praha.query(q, json!({})).await;
        for theirs in [&invitation, &email] {
            assert!(
                !r.body.to_string().contains(theirs.as_str()),
                "{q}: {}",
                r.body
            );
        }
        assert!(
            !r.body.to_string().contains("matrix.invite"),
            "{q}: {}",
            r.body
        );
    }
    let their_staff = praha.query("{ staff { email } }", json!({})).await;
    assert!(
        !their_staff.ok().to_string().contains("usti"),
        "{}",
        their_staff.body
    );
    // Colleagues: each centre its own people, none of the other's.
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let ours = counsellor
        .query("{ colleagues { userId displayName } }", json!({}))
        .await;
    let ours = ours.ok()["colleagues"].as_array().unwrap().clone();
    assert!(
        ours.iter().any(|c| c["displayName"] == "Petr Poradce"),
        "{ours:?}"
    );
    let theirs = praha.query("{ colleagues { userId } }", json!({})).await;
    let theirs = theirs.ok()["colleagues"].to_string();
    for c in &ours {
        assert!(!theirs.contains(c["userId"].as_str().unwrap()), "{theirs}");
    }
}
on_both_engines!(matrix, cross_tenant_matrix);

async fn rows(conn: &impl ConnectionTrait, sql: &str) -> Vec<sea_orm::QueryResult> {
    conn.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_naming_a_centre_is_under_forced_rls_and_the_app_role_cannot_bypass() {
    let app = TestApp::start(Engine::Postgres).await;
    let owner = pg::owner_connection(app.pg_name.as_deref().unwrap()).await;
    let tables = rows(
        &owner,
        "SELECT c.relname::text AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced, \
         (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)::bigint AS policies \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') \
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid \
                     AND a.attname IN ('tenant_id', 'centre_id') AND NOT a.attisdropped)",
    )
    .await;
    assert!(tables.len() >= 2, "expected tenant tables");
    // Every table that names a centre is under a forced policy, but for
    // these, which hold neither a person nor a figure: the marks of months
    // to recount (a centre id and a month), written by triggers in every
    // centre's transactions and claimed by the indicator worker across
    // centres.
    const MARKERS: [&str; 2] = ["report_dirty", "report_claims"];
    let names: Vec<String> = tables
        .iter()
        .map(|t| t.try_get::<String>("", "name").unwrap())
        .collect();
    for directory in ["account_tokens", "calendar_feeds", "public_events"] {
        assert!(
            names.iter().any(|n| n == directory),
            "{directory} is checked"
        );
    }
    for t in &tables {
        let name: String = t.try_get("", "name").unwrap();
        if MARKERS.contains(&name.as_str()) {
            continue;
        }
        assert!(
            t.try_get::<bool>("", "rls").unwrap(),
            "{name}: RLS not enabled"
        );
        assert!(
            t.try_get::<bool>("", "forced").unwrap(),
            "{name}: RLS not forced"
        );
        assert!(
            t.try_get::<i64>("", "policies").unwrap() > 0,
            "{name}: no policy"
        );
    }
    let role = rows(
        &owner,
        "SELECT rolsuper, rolbypassrls, \
         EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'integra_app') AS owns \
         FROM pg_roles WHERE rolname = 'integra_app'",
    )
    .await;
    assert_eq!(role.len(), 1, "the app role exists");
    assert!(!role[0].try_get::<bool>("", "rolsuper").unwrap());
    assert!(!role[0].try_get::<bool>("", "rolbypassrls").unwrap());
    assert!(!role[0].try_get::<bool>("", "owns").unwrap());
    // The app is connected as that role.
    let who = rows(app.platform.connection(), "SELECT current_user::text AS u").await;
    assert_eq!(who[0].try_get::<String>("", "u").unwrap(), "integra_app");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_itself_refuses_cross_tenant_access() {
    let app = TestApp::start(Engine::Postgres).await;
    let conn = app.platform.connection();
    // No tenant set: the app role sees no branch at all.
    let none = rows(conn, "SELECT count(*)::bigint AS n FROM branches").await;
    assert_eq!(none[0].try_get::<i64>("", "n").unwrap(), 0);
    let usti = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "usti")
        .await
        .unwrap()
        .unwrap();
    let praha = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "praha")
        .await
        .unwrap()
        .unwrap();
    // Scoped to Ústí: only Ústí's rows, even without a WHERE clause.
    let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
    let seen = rows(&txn, "SELECT DISTINCT tenant_id::text AS t FROM branches").await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].try_get::<String>("", "t").unwrap(),
        usti.to_string()
    );
    // Writing a row into another centre is refused by the policy.
    let err = txn
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "INSERT INTO branches (id, tenant_id, name, municipality, address, created_at) \
                 VALUES ('{}', '{praha}', 'Smuggled', 'X', '', now())",
                uuid::Uuid::now_v7()
            ),
        ))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(txn);
    // Memberships are tenant rows too: a centre's transaction sees only its own.
    let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
    let seen = rows(
        &txn,
        "SELECT DISTINCT tenant_id::text AS t FROM memberships",
    )
    .await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].try_get::<String>("", "t").unwrap(),
        usti.to_string()
    );
    drop(txn);
    // Before a centre is chosen, a user sees exactly their own memberships.
    let praha_admin = rows(
        conn,
        "SELECT id::text AS id FROM users WHERE email = 'admin.praha@example.org'",
    )
    .await;
    let praha_admin: uuid::Uuid = praha_admin[0]
        .try_get::<String>("", "id")
        .unwrap()
        .parse()
        .unwrap();
    let txn = app
        .platform
        .for_user(integra_kernel::UserId(praha_admin))
        .await
        .unwrap();
    let own = rows(
        &txn,
        "SELECT user_id::text AS u, tenant_id::text AS t FROM memberships",
    )
    .await;
    assert_eq!(own.len(), 1, "only the Praha admin's own membership");
    assert_eq!(
        own[0].try_get::<String>("", "u").unwrap(),
        praha_admin.to_string()
    );
    assert_eq!(
        own[0].try_get::<String>("", "t").unwrap(),
        praha.to_string()
    );
    drop(txn);
    // The outbox: a centre sees its own mail only; account mail (no centre)
    // can be queued by anyone but read by the mail worker alone.
    let mail_row = |tenant: Option<uuid::Uuid>| {
        format!(
            "INSERT INTO outbox (id, tenant_id, kind, recipient, language, subject, body_text, body_html, status, next_attempt_at, created_at) \
             VALUES ('{}', {}, 'probe', 'probe@example.org', 'cs', 'Probe', 'x', 'x', 'pending', now(), now())",
            uuid::Uuid::now_v7(),
            tenant.map_or("NULL".to_owned(), |t| format!("'{t}'"))
        )
    };
    let txn = app.platform.unscoped_for_centre(praha).await.unwrap();
    txn.execute_unprepared(&mail_row(Some(praha.uuid())))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let txn = sea_orm::TransactionTrait::begin(app.platform.connection())
        .await
        .unwrap();
    txn.execute_unprepared(&mail_row(None)).await.unwrap();
    txn.commit().await.unwrap();
    let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
    let seen = rows(&txn, "SELECT count(*)::bigint AS n FROM outbox").await;
    assert_eq!(
        seen[0].try_get::<i64>("", "n").unwrap(),
        0,
        "Ústí sees no other mail"
    );
    let err = txn
        .execute_unprepared(&mail_row(Some(praha.uuid())))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(txn);
    let seen = rows(conn, "SELECT count(*)::bigint AS n FROM outbox").await;
    assert_eq!(
        seen[0].try_get::<i64>("", "n").unwrap(),
        0,
        "nobody else reads mail"
    );
    let txn = app.platform.mail_worker().await.unwrap();
    let seen = rows(&txn, "SELECT count(*)::bigint AS n FROM outbox").await;
    assert_eq!(
        seen[0].try_get::<i64>("", "n").unwrap(),
        2,
        "the worker reads all"
    );
    drop(txn);
    // The setting does not outlive its transaction on the pooled connection.
    let after = rows(conn, "SELECT count(*)::bigint AS n FROM branches").await;
    assert_eq!(after[0].try_get::<i64>("", "n").unwrap(), 0);
}

#[test]
fn tenant_scope_is_only_issued_by_auth() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut offenders = Vec::new();
    let mut stack = vec![
        std::path::PathBuf::from(root).join("crates"),
        std::path::PathBuf::from(root).join("tests"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                if !p.ends_with("target") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let allowed = p.ends_with("crates/kernel/src/scope.rs")
                    || p.ends_with("crates/tenants/src/auth.rs")
                    || p.ends_with("tests/api/tenancy.rs");
                if !allowed && text.contains("issue_from_verified_session") {
                    offenders.push(p.display().to_string());
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "only the auth layer may issue scopes: {offenders:?}"
    );
}

/// The directory tables read before a centre is known (links' tokens,
/// feed addresses, public event pages): a transaction with no centre sees
/// none of their rows, a centre sees its own, and one holding a key sees
/// just that row; nothing is written for another centre.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_tables_show_a_row_only_to_its_centre_or_its_key_holder() {
    let app = TestApp::start(Engine::Postgres).await;
    let admin = app.signed_in("admin.usti@example.org").await;
    admin
        .query(
            "mutation { inviteStaff(input: {email: \"dir.probe@example.org\", displayName: \"D\", roles: [COUNSELLOR]}) { id } }",
            json!({}),
        )
        .await
        .ok();
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let me = lecturer.query("{ viewer { id } }", json!({})).await;
    let feed = lecturer
        .query(
            "mutation($o: ID!) { createCalendarFeed(ownerKind: LECTURER, ownerId: $o) }",
            json!({"o": me.ok()["viewer"]["id"]}),
        )
        .await;
    let url = feed.ok()["createCalendarFeed"].as_str().unwrap().to_owned();
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    let hash = integra_tenants::auth::sha256_hex(token.as_bytes());
    let usti = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "usti")
        .await
        .unwrap()
        .unwrap();
    let praha = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "praha")
        .await
        .unwrap()
        .unwrap();
    let count = |rows: Vec<sea_orm::QueryResult>| rows[0].try_get::<i64>("", "n").unwrap();
    for table in ["account_tokens", "calendar_feeds"] {
        let sql = format!("SELECT count(*)::bigint AS n FROM {table}");
        let none = count(rows(app.platform.connection(), &sql).await);
        assert_eq!(none, 0, "{table}: nothing without a centre");
        let txn = app.platform.unscoped_for_centre(praha).await.unwrap();
        assert_eq!(
            count(rows(&txn, &sql).await),
            0,
            "{table}: not Ústí's rows to Praha"
        );
        drop(txn);
        let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
        assert!(
            count(rows(&txn, &sql).await) >= 1,
            "{table}: Ústí sees its own"
        );
        drop(txn);
    }
    let txn = app.platform.by_secret(&hash).await.unwrap();
    let seen = rows(&txn, "SELECT token_hash FROM calendar_feeds").await;
    assert_eq!(seen.len(), 1, "the holder sees its one row");
    drop(txn);
    // Writing a feed for another centre is refused by the policy.
    let txn = app.platform.unscoped_for_centre(praha).await.unwrap();
    let err = txn
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "INSERT INTO calendar_feeds (token_hash, centre_id, owner_kind, owner_id, created_at) \
                 VALUES ('smuggled', '{usti}', 'room', '{}', now())",
                uuid::Uuid::now_v7()
            ),
        ))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(txn);
    // Indicator cells: a centre's unsuppressed cell is seen by that centre
    // and by the indicator work only; only that work writes cells.
    let work = app.platform.reporting().await.unwrap();
    work.execute_unprepared(&format!(
        "INSERT INTO report_cells (year, geo, period, indicator, dimension, category, value, hidden, published) \
         VALUES (1999, 'centre:{usti}', 'Y', 'unique_persons', 'total', '', 3, 0, false)"
    ))
    .await
    .unwrap();
    work.commit().await.unwrap();
    let sql = "SELECT count(*)::bigint AS n FROM report_cells WHERE year = 1999";
    assert_eq!(count(rows(app.platform.connection(), sql).await), 0);
    let txn = app.platform.unscoped_for_centre(praha).await.unwrap();
    assert_eq!(
        count(rows(&txn, sql).await),
        0,
        "not Ústí's figures to Praha"
    );
    let err = txn
        .execute_unprepared(
            "INSERT INTO report_cells (year, geo, period, indicator, dimension, category, value, hidden, published) \
             VALUES (1999, 'network', 'Y', 'unique_persons', 'total', '', 9, 0, true)",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    drop(txn);
    let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
    assert_eq!(count(rows(&txn, sql).await), 1, "Ústí sees its own");
    drop(txn);
    let work = app.platform.reporting().await.unwrap();
    assert_eq!(count(rows(&work, sql).await), 1);
    drop(work);
    // Public event pages: only by their slug, or to their centre.
    let none = count(
        rows(
            app.platform.connection(),
            "SELECT count(*)::bigint AS n FROM public_events",
        )
        .await,
    );
    assert_eq!(none, 0);
}
