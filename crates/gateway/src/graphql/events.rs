//! GraphQL for events: staff operations, and the public registration page
//! (`publicEvent`, `registerForEvent`, `cancelEventRegistration`), which
//! needs no sign-in.

use crate::graphql::ids::*;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId, FundingProjectId};

use super::{GqlResultExt, scope, services};

/// Kind of event.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_events::EventKind")]
pub enum EventKind {
    /// Lecture for foreigners.
    LectureForForeigners,
    /// Lecture for the public.
    LectureForPublic,
    /// Multicultural event.
    Multicultural,
    /// Talk at a school.
    SchoolTalk,
    /// Training for officials.
    TrainingForOfficials,
    /// Training for employers.
    TrainingForEmployers,
    /// Regional integration platform meeting.
    RegionalPlatform,
    /// Information campaign.
    InformationCampaign,
}

/// Who an event is for.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_events::Audience")]
pub enum Audience {
    /// Third-country nationals.
    ThirdCountryNationals,
    /// The majority society.
    MajoritySociety,
    /// Officials.
    Officials,
}

/// Where an event stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_events::EventStatus")]
pub enum EventStatus {
    /// Going ahead.
    Scheduled,
    /// Called off.
    Cancelled,
}

/// Where a registration stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_events::RegistrationStatus")]
pub enum RegistrationStatus {
    /// Registered on an event that asks for confirmation, not yet confirmed
    /// from the email link: holds no place, lapses after a day.
    Unconfirmed,
    /// Has a place.
    Confirmed,
    /// On the waitlist.
    Waitlisted,
    /// Withdrawn.
    Cancelled,
}

/// Kind of organisation at the regional platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_events::OrganisationKind")]
pub enum OrganisationKind {
    /// Immigration office (OAMP).
    ImmigrationOffice,
    /// Foreign police.
    Police,
    /// Labour office.
    LabourOffice,
    /// Town or municipal office.
    TownOffice,
    /// Regional office.
    RegionalOffice,
    /// NGO.
    Ngo,
    /// Community of foreigners.
    Community,
    /// Anyone else.
    Other,
}

/// An event (staff view).
#[derive(SimpleObject)]
pub struct Event {
    id: Id<EventId>,
    /// Part of the public page's address.
    slug: String,
    kind: EventKind,
    audience: Audience,
    title: String,
    description: String,
    branch_id: Option<Id<BranchId>>,
    venue: String,
    online_url: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Places; null for head-count-only events.
    capacity: Option<i32>,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    public_registration: bool,
    /// Public registrants confirm from an emailed link before a place is
    /// held.
    confirm_by_email: bool,
    languages: Vec<String>,
    funding_project_id: Option<Id<FundingProjectId>>,
    key_activity: String,
    status: EventStatus,
    /// Confirmed registrations.
    confirmed: i32,
    /// Staff who run or speak at it (booked for its time).
    staff_ids: Vec<Id<UserId>>,
    /// Room it takes.
    room_id: Option<Id<RoomId>>,
    /// Interpreter it takes.
    interpreter_id: Option<Id<InterpreterId>>,
}

impl From<integra_events::Event> for Event {
    fn from(e: integra_events::Event) -> Self {
        Self {
            id: Id::from(e.id),
            slug: e.slug,
            kind: e.kind.into(),
            audience: e.audience.into(),
            title: e.title,
            description: e.description,
            branch_id: e.branch_id.map(Id::from),
            venue: e.venue,
            online_url: e.online_url,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            capacity: e.capacity,
            registration_opens_at: e.registration_opens_at,
            registration_closes_at: e.registration_closes_at,
            public_registration: e.public_registration,
            confirm_by_email: e.confirm_by_email,
            languages: e.languages,
            funding_project_id: e.funding_project_id.map(Id::from),
            key_activity: e.key_activity,
            status: e.status.into(),
            confirmed: e.confirmed,
            staff_ids: e.staff_ids.iter().map(Id::from).collect(),
            room_id: e.room_id.map(Id::from),
            interpreter_id: e.interpreter_id.map(Id::from),
        }
    }
}

/// Input for an event.
#[derive(InputObject)]
pub struct EventInput {
    kind: EventKind,
    audience: Audience,
    title: String,
    #[graphql(default)]
    description: String,
    branch_id: Option<Id<BranchId>>,
    #[graphql(default)]
    venue: String,
    #[graphql(default)]
    online_url: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Places; leave out for an event that only records a head-count.
    capacity: Option<i32>,
    registration_opens_at: Option<DateTime<Utc>>,
    /// Default: the start of the event.
    registration_closes_at: Option<DateTime<Utc>>,
    /// Whether the public page takes registrations (needs `capacity`).
    #[graphql(default)]
    public_registration: bool,
    /// Whether public registrants confirm from a link emailed to them
    /// before a place is held (a registration not confirmed within
    /// `CONFIRM_WITHIN_HOURS` lapses).
    #[graphql(default)]
    confirm_by_email: bool,
    #[graphql(default)]
    languages: Vec<String>,
    funding_project_id: Option<Id<FundingProjectId>>,
    #[graphql(default)]
    key_activity: String,
    /// Staff who run or speak at it: booked for its time, so that they
    /// cannot be given a class or an appointment then (and the event is
    /// refused with CONFLICT while they have one).
    #[graphql(default)]
    staff_ids: Vec<Id<UserId>>,
    /// A room of the centre it takes (booked likewise).
    room_id: Option<Id<RoomId>>,
    /// An interpreter it takes (booked likewise).
    interpreter_id: Option<Id<InterpreterId>>,
}

impl EventInput {
    fn into_domain(self) -> async_graphql::Result<integra_events::EventInput> {
        Ok(integra_events::EventInput {
            kind: self.kind.into(),
            audience: self.audience.into(),
            title: self.title,
            description: self.description,
            branch_id: self.branch_id.map(Id::get),
            venue: self.venue,
            online_url: self.online_url,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            public_registration: self.public_registration,
            confirm_by_email: self.confirm_by_email,
            languages: self.languages,
            funding_project_id: self.funding_project_id.map(Id::get),
            key_activity: self.key_activity,
            staff_ids: self.staff_ids.iter().map(|v| v.get()).collect::<Vec<_>>(),
            room_id: (self.room_id.map(Id::get)),
            interpreter_id: (self.interpreter_id.map(Id::get)),
        })
    }
}

/// A registration (staff view).
#[derive(SimpleObject)]
pub struct EventRegistration {
    id: Id<RegistrationId>,
    event_id: Id<EventId>,
    name: String,
    email: String,
    organisation: String,
    status: RegistrationStatus,
    /// Check-in code from the confirmation email.
    code: String,
    client_id: Option<Id<ClientId>>,
    checked_in_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<integra_events::Registration> for EventRegistration {
    fn from(r: integra_events::Registration) -> Self {
        Self {
            id: Id::from(r.id),
            event_id: Id::from(r.event_id),
            name: r.name,
            email: r.email,
            organisation: r.organisation,
            status: r.status.into(),
            code: r.code,
            client_id: r.client_id.map(Id::from),
            checked_in_at: r.checked_in_at,
            created_at: r.created_at,
        }
    }
}

/// An event on a client's timeline: the registration staff linked to the
/// client, and the event.
#[derive(SimpleObject)]
pub struct EventAttendance {
    /// The registration.
    registration: EventRegistration,
    /// The event.
    event: Event,
}

impl From<integra_events::ClientEvent> for EventAttendance {
    fn from(c: integra_events::ClientEvent) -> Self {
        Self {
            registration: c.registration.into(),
            event: c.event.into(),
        }
    }
}

/// The public page of an event.
#[derive(SimpleObject)]
pub struct PublicEvent {
    slug: String,
    title: String,
    description: String,
    centre_name: String,
    venue: String,
    online: bool,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    languages: Vec<String>,
    /// A registration now would get a place (else the waitlist).
    places_left: bool,
    registration_open: bool,
    /// A registration must be confirmed from a link emailed to the
    /// registrant before a place is held.
    confirm_by_email: bool,
    cancelled: bool,
}

/// A public registration.
#[derive(InputObject)]
pub struct PublicRegistrationInput {
    name: String,
    email: String,
    #[graphql(default)]
    organisation: String,
    /// Language of the emails: `cs` (default) or `en`.
    #[graphql(default_with = "String::from(\"cs\")")]
    language: String,
    /// Consent to the processing of these details for the event.
    consent: bool,
}

/// The answer to a public registration: the registrant's own status.
#[derive(SimpleObject)]
pub struct RegistrationResult {
    status: RegistrationStatus,
    /// Place on the waitlist (1 = next).
    waitlist_position: Option<i64>,
}

/// A head-count of one audience.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "HeadcountInput")]
pub struct Headcount {
    audience: Audience,
    count: i32,
}

/// An organisation at a regional platform meeting.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "OrganisationInput")]
pub struct EventOrganisation {
    kind: OrganisationKind,
    name: String,
    attendees: i32,
}

/// Event queries.
#[derive(Default)]
pub struct EventsQuery;

#[Object]
impl EventsQuery {
    /// The active centre's events overlapping `[from, to)`.
    async fn events(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> async_graphql::Result<Vec<Event>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let list = services(ctx)?.events.events(&auth, from, to).await.gql()?;
        Ok(list.into_iter().map(Event::from).collect())
    }

    /// One event of the active centre.
    async fn event(&self, ctx: &Context<'_>, id: Id<EventId>) -> async_graphql::Result<Event> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let id = id.get();
        Ok(services(ctx)?.events.event(&auth, id).await.gql()?.into())
    }

    /// Registrations of an event: confirmed, then the waitlist in order.
    async fn event_registrations(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
    ) -> async_graphql::Result<Vec<EventRegistration>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let list = services(ctx)?
            .events
            .registrations(&auth, event_id.get())
            .await
            .gql()?;
        Ok(list.into_iter().map(EventRegistration::from).collect())
    }

    /// Head-counts of an event per audience.
    async fn event_headcounts(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
    ) -> async_graphql::Result<Vec<Headcount>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let list = services(ctx)?
            .events
            .headcounts(&auth, event_id.get())
            .await
            .gql()?;
        Ok(list.into_iter().map(headcount_out).collect())
    }

    /// Organisations at an event (regional platform).
    async fn event_organisations(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
    ) -> async_graphql::Result<Vec<EventOrganisation>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let list = services(ctx)?
            .events
            .organisations(&auth, event_id.get())
            .await
            .gql()?;
        Ok(list.into_iter().map(organisation_out).collect())
    }

    /// The public page of an event (no sign-in). Unknown slugs and events
    /// without public registration are `NOT_FOUND`.
    #[graphql(complexity = "super::PUBLIC_LOOKUP_COST + child_complexity")]
    async fn public_event(
        &self,
        ctx: &Context<'_>,
        event_slug: String,
    ) -> async_graphql::Result<PublicEvent> {
        let e = services(ctx)?
            .events
            .public_event(&event_slug)
            .await
            .gql()?;
        Ok(PublicEvent {
            slug: e.slug,
            title: e.title,
            description: e.description,
            centre_name: e.centre_name,
            venue: e.venue,
            online: e.online,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            languages: e.languages,
            places_left: e.places_left,
            registration_open: e.registration_open,
            confirm_by_email: e.confirm_by_email,
            cancelled: e.cancelled,
        })
    }
}

fn headcount_out(h: integra_events::Headcount) -> Headcount {
    Headcount {
        audience: h.audience.into(),
        count: h.count,
    }
}

fn organisation_out(o: integra_events::Organisation) -> EventOrganisation {
    EventOrganisation {
        kind: o.kind.into(),
        name: o.name,
        attendees: o.attendees,
    }
}

/// Event mutations.
#[derive(Default)]
pub struct EventsMutation;

#[Object]
impl EventsMutation {
    /// Creates an event in the active centre. Its staff, room and
    /// interpreter are booked for its time; a clash with a course session,
    /// an appointment or another event is refused with CONFLICT listing
    /// each one (`extensions.clashes`), unless a centre admin or
    /// coordinator gives `overrideReason` (recorded).
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        input: EventInput,
        override_reason: Option<String>,
    ) -> async_graphql::Result<Event> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .events
            .create_event(&auth, &input, override_reason.as_deref())
            .await
            .gql()?
            .into())
    }

    /// Changes an event; more places move the waitlist up. Its bookings
    /// move with it (clashes as for `createEvent`).
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: Id<EventId>,
        input: EventInput,
        override_reason: Option<String>,
    ) -> async_graphql::Result<Event> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let id = id.get();
        let input = input.into_domain()?;
        Ok(services(ctx)?
            .events
            .update_event(&auth, id, &input, override_reason.as_deref())
            .await
            .gql()?
            .into())
    }

    /// Calls an event off and tells everyone registered.
    async fn cancel_event(
        &self,
        ctx: &Context<'_>,
        id: Id<EventId>,
    ) -> async_graphql::Result<Event> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let id = id.get();
        Ok(services(ctx)?
            .events
            .cancel_event(&auth, id)
            .await
            .gql()?
            .into())
    }

    /// Checks a confirmed registration in, by id or by the code from the
    /// confirmation email.
    async fn check_in(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
        registration_id: Option<Id<RegistrationId>>,
        code: Option<String>,
    ) -> async_graphql::Result<EventRegistration> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let reg = registration_id.map(Id::get);
        Ok(services(ctx)?
            .events
            .check_in(&auth, event_id.get(), reg, code.as_deref())
            .await
            .gql()?
            .into())
    }

    /// Cancels a registration for its holder (staff); the waitlist moves up.
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        registration_id: Id<RegistrationId>,
    ) -> async_graphql::Result<EventRegistration> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let id = registration_id.get();
        Ok(services(ctx)?
            .events
            .cancel_registration_by_staff(&auth, id)
            .await
            .gql()?
            .into())
    }

    /// Links a registration to a client of the centre (null unlinks).
    async fn link_registration_to_client(
        &self,
        ctx: &Context<'_>,
        registration_id: Id<RegistrationId>,
        client_id: Option<Id<ClientId>>,
    ) -> async_graphql::Result<EventRegistration> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let id = registration_id.get();
        let client = client_id.map(Id::get);
        Ok(services(ctx)?
            .events
            .link_client(&auth, id, client)
            .await
            .gql()?
            .into())
    }

    /// Sets head-counts per audience (0 removes one).
    async fn set_event_headcounts(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
        counts: Vec<Headcount>,
    ) -> async_graphql::Result<Vec<Headcount>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let counts: Vec<integra_events::Headcount> = counts
            .into_iter()
            .map(|h| integra_events::Headcount {
                audience: h.audience.into(),
                count: h.count,
            })
            .collect();
        let out = services(ctx)?
            .events
            .set_headcounts(&auth, event_id.get(), &counts)
            .await
            .gql()?;
        Ok(out.into_iter().map(headcount_out).collect())
    }

    /// Replaces the organisations at an event (regional platform).
    async fn set_event_organisations(
        &self,
        ctx: &Context<'_>,
        event_id: Id<EventId>,
        organisations: Vec<EventOrganisation>,
    ) -> async_graphql::Result<Vec<EventOrganisation>> {
        let auth = scope(ctx)?.authorize::<can::RunEvents>().gql()?;
        let list: Vec<integra_events::Organisation> = organisations
            .into_iter()
            .map(|o| integra_events::Organisation {
                kind: o.kind.into(),
                name: o.name,
                attendees: o.attendees,
            })
            .collect();
        let out = services(ctx)?
            .events
            .set_organisations(&auth, event_id.get(), &list)
            .await
            .gql()?;
        Ok(out.into_iter().map(organisation_out).collect())
    }

    /// Registers for an event from its public page, without an account.
    /// Answers the registrant's own status only: on an event that asks for
    /// confirmation by email always `UNCONFIRMED` (check your email).
    /// Registering again with the same address answers as a first
    /// registration would and emails the person their registration.
    async fn register_for_event(
        &self,
        ctx: &Context<'_>,
        event_slug: String,
        input: PublicRegistrationInput,
    ) -> async_graphql::Result<RegistrationResult> {
        let client = super::request(ctx)?.client;
        let r = services(ctx)?
            .events
            .register(
                &event_slug,
                &integra_events::RegistrationInput {
                    name: input.name,
                    email: input.email,
                    organisation: input.organisation,
                    language: input.language,
                    consent: input.consent,
                },
                client,
            )
            .await
            .gql()?;
        Ok(RegistrationResult {
            status: r.status.into(),
            waitlist_position: r.waitlist_position,
        })
    }

    /// Confirms a registration with the link from its email (no sign-in):
    /// a place is held now, or the waitlist joined when the event is full.
    /// Opening the link again answers the same and changes nothing; a
    /// lapsed or unknown link is `BAD_USER_INPUT` on `token`.
    async fn confirm_event_registration(
        &self,
        ctx: &Context<'_>,
        event_slug: String,
        token: String,
    ) -> async_graphql::Result<RegistrationResult> {
        let r = services(ctx)?
            .events
            .confirm_registration(&event_slug, &token)
            .await
            .gql()?;
        Ok(RegistrationResult {
            status: r.status.into(),
            waitlist_position: r.waitlist_position,
        })
    }

    /// Cancels a registration with the link from its email (no sign-in).
    async fn cancel_event_registration(
        &self,
        ctx: &Context<'_>,
        event_slug: String,
        token: String,
    ) -> async_graphql::Result<bool> {
        services(ctx)?
            .events
            .cancel_registration(&event_slug, &token)
            .await
            .gql()?;
        Ok(true)
    }
}
