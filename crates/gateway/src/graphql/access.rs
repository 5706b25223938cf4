//! Roles and capabilities as GraphQL enums, so the web app reads the lists
//! from the schema instead of keeping copies of them.

use async_graphql::Enum;

/// A role a person holds in a centre, or on the platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "integra_kernel::Role")]
pub enum Role {
    /// Centre administrator: staff, branches, projects, reports, audit log.
    CentreAdmin,
    /// Course coordinator.
    Coordinator,
    /// Social counsellor or intercultural worker.
    Counsellor,
    /// Legal counsellor (may read legal notes).
    LegalCounsellor,
    /// Lecturer: own timetable and attendance, no case notes.
    Lecturer,
    /// Field worker.
    FieldWorker,
    /// Receptionist / information-centre worker.
    Receptionist,
    /// Ministry officer: aggregates of all centres, never a person.
    MinistryOfficer,
    /// Platform operator: creates centres and their first admins.
    PlatformAdmin,
}

/// What a person's roles in the active centre allow; apps show or hide
/// actions by these, not by role names.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "integra_kernel::scope::CapabilityName")]
pub enum Capability {
    /// Manage the centre itself: branches, staff and roles.
    ManageCentre,
    /// Read the centre's set-up (branches, staff list).
    ReadCentre,
    /// Register clients and search the registry.
    RegisterClients,
    /// Read and change clients' full records.
    ManageClients,
    /// Counsel: cases, services, notes, appointments.
    Counsel,
    /// Serve the desk: inquiries, outreach, appointments.
    ServeDesk,
    /// Run events and their registrations.
    RunEvents,
    /// Plan courses, enrol clients.
    ManageCourses,
    /// Teach: own timetable, attendance.
    Teach,
    /// Read the centre's figures and reports.
    ReadReports,
    /// Read legal notes.
    ReadLegalNotes,
    /// Read the team's workload.
    ReadWorkload,
}

/// The roles as the domain knows them.
pub fn domain_roles(roles: &[Role]) -> Vec<integra_kernel::Role> {
    roles.iter().copied().map(Into::into).collect()
}

/// Roles of a stored set, in ladder order.
pub fn roles_of(roles: impl IntoIterator<Item = integra_kernel::Role>) -> Vec<Role> {
    roles.into_iter().map(Role::from).collect()
}
