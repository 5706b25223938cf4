//! Who is acting, for which centre, with which roles.
//!
//! A [`TenantScope`] is the only key to a centre's data. It is built by the
//! authentication layer from a verified session (a workspace test fails if any
//! other module calls its constructor). Operations that need a particular role
//! take an [`Authorized`] value for a [`Capability`], so a resolver cannot
//! reach a write method without first proving the role.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::error::AppError;
use crate::id::{CentreId, UserId};

/// A role a user holds, either within a centre or on the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

impl Role {
    /// Every role, in ladder order.
    pub const ALL: [Role; 9] = [
        Role::CentreAdmin,
        Role::Coordinator,
        Role::Counsellor,
        Role::LegalCounsellor,
        Role::Lecturer,
        Role::FieldWorker,
        Role::Receptionist,
        Role::MinistryOfficer,
        Role::PlatformAdmin,
    ];

    /// The stored and displayed name, e.g. `centre_admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CentreAdmin => "centre_admin",
            Role::Coordinator => "coordinator",
            Role::Counsellor => "counsellor",
            Role::LegalCounsellor => "legal_counsellor",
            Role::Lecturer => "lecturer",
            Role::FieldWorker => "field_worker",
            Role::Receptionist => "receptionist",
            Role::MinistryOfficer => "ministry_officer",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role is held within a centre (as opposed to platform-wide).
    pub fn is_centre_role(self) -> bool {
        !matches!(self, Role::MinistryOfficer | Role::PlatformAdmin)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A small set of roles.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u16);

impl RoleSet {
    /// The empty set.
    pub const EMPTY: RoleSet = RoleSet(0);

    /// Whether the set contains `role`.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Adds a role.
    pub fn insert(&mut self, role: Role) {
        self.0 |= role.bit();
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles in ladder order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// Union of two sets.
    pub fn union(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 | other.0)
    }

    /// Stored form: comma-separated role names.
    pub fn to_stored(self) -> String {
        self.iter().map(Role::as_str).collect::<Vec<_>>().join(",")
    }

    /// Parses the stored form; unknown names are an error naming them.
    pub fn parse_stored(s: &str) -> Result<RoleSet, String> {
        let mut set = RoleSet::EMPTY;
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            set.insert(Role::parse(name).ok_or_else(|| format!("unknown role '{name}'"))?);
        }
        Ok(set)
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        let mut set = RoleSet::EMPTY;
        for r in iter {
            set.insert(r);
        }
        set
    }
}

impl fmt::Debug for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The acting user within one centre. The key to that centre's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantScope {
    centre: CentreId,
    user: UserId,
    roles: RoleSet,
}

impl TenantScope {
    /// Builds a scope. **Only the authentication layer may call this**, after
    /// verifying a session and the user's membership of the centre; the test
    /// `tenant_scope_is_only_issued_by_auth` enforces it across the workspace.
    #[doc(hidden)]
    pub fn issue_from_verified_session(centre: CentreId, user: UserId, roles: RoleSet) -> Self {
        Self {
            centre,
            user,
            roles,
        }
    }

    /// The centre (tenant) this scope grants access to.
    pub fn centre_id(&self) -> CentreId {
        self.centre
    }

    /// The acting user.
    pub fn user_id(&self) -> UserId {
        self.user
    }

    /// The user's roles in this centre.
    pub fn roles(&self) -> RoleSet {
        self.roles
    }

    /// Proves that the actor holds capability `C`, or answers `FORBIDDEN`.
    pub fn authorize<C: Capability>(&self) -> Result<Authorized<'_, C>, AppError> {
        if C::granted(self.roles) {
            Ok(Authorized {
                scope: self,
                _capability: PhantomData,
            })
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A platform-level actor (ministry officer or platform admin), outside any centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformActor {
    user: UserId,
    roles: RoleSet,
}

impl PlatformActor {
    /// Built by the authentication layer only (see [`TenantScope::issue_from_verified_session`]).
    #[doc(hidden)]
    pub fn issue_from_verified_session(user: UserId, roles: RoleSet) -> Self {
        Self { user, roles }
    }

    /// The acting user.
    pub fn user_id(&self) -> UserId {
        self.user
    }

    /// The platform roles held.
    pub fn roles(&self) -> RoleSet {
        self.roles
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }
}

/// Something an actor may be allowed to do within a centre.
pub trait Capability {
    /// Whether a holder of `roles` has this capability.
    fn granted(roles: RoleSet) -> bool;
}

/// Proof that the scope's actor holds capability `C`. Service methods that
/// need a role take this instead of a bare [`TenantScope`].
pub struct Authorized<'a, C> {
    scope: &'a TenantScope,
    _capability: PhantomData<C>,
}

impl<C> Deref for Authorized<'_, C> {
    type Target = TenantScope;
    fn deref(&self) -> &TenantScope {
        self.scope
    }
}

/// The capability ladder.
pub mod can {
    use super::{Capability, Role, RoleSet};

    /// Manage the centre itself: branches, staff and roles.
    pub struct ManageCentre;
    impl Capability for ManageCentre {
        fn granted(roles: RoleSet) -> bool {
            roles.contains(Role::CentreAdmin)
        }
    }

    /// Read the centre's own organisational data (branches, colleagues):
    /// any member of staff.
    pub struct ReadCentre;
    impl Capability for ReadCentre {
        fn granted(roles: RoleSet) -> bool {
            !roles.is_empty()
        }
    }

    /// Search the client registry and register clients: everyone who
    /// meets clients at the desk or in the field, not lecturers.
    pub struct RegisterClients;
    impl Capability for RegisterClients {
        fn granted(roles: RoleSet) -> bool {
            ManageClients::granted(roles) || roles.contains(Role::Receptionist)
        }
    }

    /// Read and change a client's full record (residence history,
    /// contacts, consents): the people who work on the client's case.
    pub struct ManageClients;
    impl Capability for ManageClients {
        fn granted(roles: RoleSet) -> bool {
            [
                Role::CentreAdmin,
                Role::Coordinator,
                Role::Counsellor,
                Role::LegalCounsellor,
                Role::FieldWorker,
            ]
            .into_iter()
            .any(|r| roles.contains(r))
        }
    }
    /// Counselling work: cases, interventions of every kind, social notes,
    /// appointments. Counsellors (social, legal, intercultural), field
    /// workers and centre admins.
    pub struct Counsel;
    impl Capability for Counsel {
        fn granted(roles: RoleSet) -> bool {
            [
                Role::CentreAdmin,
                Role::Counsellor,
                Role::LegalCounsellor,
                Role::FieldWorker,
            ]
            .into_iter()
            .any(|r| roles.contains(r))
        }
    }

    /// Front-desk work: information-centre services, anonymous inquiries,
    /// booking appointments, follow-up tasks. Counselling staff and
    /// receptionists.
    pub struct ServeDesk;
    impl Capability for ServeDesk {
        fn granted(roles: RoleSet) -> bool {
            Counsel::granted(roles) || roles.contains(Role::Receptionist)
        }
    }

    /// Run events: create and change them, see and check in their
    /// registrations. Every member of a centre's staff.
    pub struct RunEvents;
    impl Capability for RunEvents {
        fn granted(roles: RoleSet) -> bool {
            roles.iter().any(|r| r.is_centre_role())
        }
    }

    /// Plan courses, rooms and enrolments: centre admins and coordinators.
    pub struct ManageCourses;
    impl Capability for ManageCourses {
        fn granted(roles: RoleSet) -> bool {
            roles.contains(Role::CentreAdmin) || roles.contains(Role::Coordinator)
        }
    }

    /// Teach: see courses and their participants, plan sessions and take
    /// attendance. Lecturers only for the courses they teach (checked by
    /// the service); course managers for all.
    pub struct Teach;
    impl Capability for Teach {
        fn granted(roles: RoleSet) -> bool {
            ManageCourses::granted(roles) || roles.contains(Role::Lecturer)
        }
    }

    /// Read the centre's own indicators, unsuppressed: centre admins and
    /// coordinators (who report to the ministry and plan the work).
    pub struct ReadReports;
    impl Capability for ReadReports {
        fn granted(roles: RoleSet) -> bool {
            roles.contains(Role::CentreAdmin) || roles.contains(Role::Coordinator)
        }
    }

    /// Read the centre's workload (records and minutes by kind, channel,
    /// weekday and hour): front-desk and counselling staff (their own
    /// share by worker) and those who read reports (every worker's).
    pub struct ReadWorkload;
    impl Capability for ReadWorkload {
        fn granted(roles: RoleSet) -> bool {
            ServeDesk::granted(roles) || ReadReports::granted(roles)
        }
    }

    /// Read and write legal notes: legal counsellors and centre admins only.
    pub struct ReadLegalNotes;
    impl Capability for ReadLegalNotes {
        fn granted(roles: RoleSet) -> bool {
            roles.contains(Role::LegalCounsellor) || roles.contains(Role::CentreAdmin)
        }
    }
}

/// Whether a set of roles holds one capability ([`Capability::granted`]).
pub type GrantCheck = fn(RoleSet) -> bool;

/// A capability as apps know it (`Viewer.capabilities`): the value-level
/// twin of the [`can`] types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CapabilityName {
    /// [`can::ManageCentre`].
    ManageCentre,
    /// [`can::ReadCentre`].
    ReadCentre,
    /// [`can::RegisterClients`].
    RegisterClients,
    /// [`can::ManageClients`].
    ManageClients,
    /// [`can::Counsel`].
    Counsel,
    /// [`can::ServeDesk`].
    ServeDesk,
    /// [`can::RunEvents`].
    RunEvents,
    /// [`can::ManageCourses`].
    ManageCourses,
    /// [`can::Teach`].
    Teach,
    /// [`can::ReadReports`].
    ReadReports,
    /// [`can::ReadLegalNotes`].
    ReadLegalNotes,
    /// [`can::ReadWorkload`].
    ReadWorkload,
}

/// Every capability with its check, so an app shows what the server would
/// allow instead of keeping its own copy of the role lists.
pub const CAPABILITIES: [(CapabilityName, GrantCheck); 12] = [
    (CapabilityName::ManageCentre, can::ManageCentre::granted),
    (CapabilityName::ReadCentre, can::ReadCentre::granted),
    (
        CapabilityName::RegisterClients,
        can::RegisterClients::granted,
    ),
    (CapabilityName::ManageClients, can::ManageClients::granted),
    (CapabilityName::Counsel, can::Counsel::granted),
    (CapabilityName::ServeDesk, can::ServeDesk::granted),
    (CapabilityName::RunEvents, can::RunEvents::granted),
    (CapabilityName::ManageCourses, can::ManageCourses::granted),
    (CapabilityName::Teach, can::Teach::granted),
    (CapabilityName::ReadReports, can::ReadReports::granted),
    (CapabilityName::ReadLegalNotes, can::ReadLegalNotes::granted),
    (CapabilityName::ReadWorkload, can::ReadWorkload::granted),
];

/// The capabilities `roles` grant, in [`CAPABILITIES`] order.
pub fn capabilities_of(roles: RoleSet) -> Vec<CapabilityName> {
    CAPABILITIES
        .iter()
        .filter(|(_, granted)| granted(roles))
        .map(|(name, _)| *name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        let set: RoleSet = [Role::Lecturer, Role::CentreAdmin].into_iter().collect();
        assert_eq!(set.to_stored(), "centre_admin,lecturer");
        assert_eq!(RoleSet::parse_stored("centre_admin, lecturer"), Ok(set));
        assert!(RoleSet::parse_stored("wizard").is_err());
    }

    #[test]
    fn authorize_checks_the_role() {
        let lecturer = TenantScope::issue_from_verified_session(
            CentreId::new(),
            UserId::new(),
            [Role::Lecturer].into_iter().collect(),
        );
        assert!(lecturer.authorize::<can::ReadCentre>().is_ok());
        assert!(lecturer.authorize::<can::RegisterClients>().is_err());
        assert!(lecturer.authorize::<can::ManageClients>().is_err());
        let desk = TenantScope::issue_from_verified_session(
            CentreId::new(),
            UserId::new(),
            [Role::Receptionist].into_iter().collect(),
        );
        assert!(desk.authorize::<can::RegisterClients>().is_ok());
        let names = capabilities_of(desk.roles());
        assert!(names.contains(&CapabilityName::RegisterClients));
        assert!(names.contains(&CapabilityName::ServeDesk));
        assert!(!names.contains(&CapabilityName::ManageClients));
        assert!(!names.contains(&CapabilityName::Counsel));
        assert_eq!(capabilities_of(RoleSet::EMPTY), Vec::new());
        assert!(desk.authorize::<can::ManageClients>().is_err());
        assert!(lecturer.authorize::<can::Counsel>().is_err());
        assert!(lecturer.authorize::<can::ServeDesk>().is_err());
        assert!(desk.authorize::<can::ServeDesk>().is_ok());
        assert!(desk.authorize::<can::Counsel>().is_err());
        assert!(desk.authorize::<can::ReadLegalNotes>().is_err());
        assert!(matches!(
            lecturer.authorize::<can::ManageCentre>(),
            Err(AppError::Forbidden)
        ));
    }
}
