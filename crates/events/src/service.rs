//! The events service: staff operations under a centre's scope, and the
//! public registration page, which finds its centre through the
//! `public_events` directory and then works inside that centre only.

use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Prague;
use integra_calendar::{self as calendar, Need, Resource, SourceKind, Span};
use integra_kernel::scope::{Capability as _, can};
use integra_kernel::validate::{long_text, text};
use integra_kernel::{
    AppError, AppResult, Authorized, BranchId, CentreId, ClientId, Database, FundingProjectId,
    PlatformDb, SharedClock, TenantScope, TenantTx, UserId,
};
use integra_notify::templates::{EventCancelled, EventDetails, EventPromoted, EventReminder};
use integra_notify::{
    Envelope, Language, Letter, MailSignal, Prepared, cancel_pending, cancel_pending_prefixed,
    enqueue_prepared, is_deliverable, prepare,
};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::Sha256;
use uuid::Uuid;

use crate::entity::{event, headcount, organisation, overrides, public_event, registration, staff};
use crate::limits::{Limiter, RegistrationLimits};
use crate::model::{
    Audience, Event, EventInput, EventKind, EventStatus, Headcount, Organisation, OrganisationKind,
    Registration, RegistrationStatus,
};

/// Most places an event may have.
pub const MAX_CAPACITY: i32 = 100_000;
/// Longest event.
pub const MAX_DAYS: i64 = 31;

/// Events and their registrations.
#[derive(Clone)]
pub struct EventService {
    /// The platform's doors, for its public and background paths.
    pub(crate) platform: PlatformDb,
    pub(crate) clock: SharedClock,
    pub(crate) mail: MailSignal,
    pub(crate) public_url: Arc<str>,
    /// Key of the registrations' links ([`LinkPurpose`]).
    link_key: Arc<[u8]>,
    pub(crate) limiter: Limiter,
}

impl EventService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service; links in emails start with `public_url`;
    /// `link_key` (derived from the server secret) signs cancel links.
    pub fn new(
        platform: PlatformDb,
        clock: SharedClock,
        mail: MailSignal,
        public_url: &str,
        link_key: &[u8],
    ) -> Self {
        Self {
            platform,
            clock,
            mail,
            public_url: Arc::from(public_url.trim_end_matches('/')),
            link_key: Arc::from(link_key),
            limiter: Limiter::new(RegistrationLimits::default()),
        }
    }

    /// Sets the limits on public registrations (per client address and per
    /// email address).
    #[must_use]
    pub fn with_limits(mut self, limits: RegistrationLimits) -> Self {
        self.limiter = Limiter::new(limits);
        self
    }

    /// Creates an event of the caller's centre.
    ///
    /// The staff, room and interpreter it names are booked for its time;
    /// if any is taken then (a course session, an appointment, another
    /// event), it is refused with `CONFLICT` listing each clash, unless a
    /// planner (centre admin, coordinator) gives an `override_reason`,
    /// which is recorded with the event.
    pub async fn create_event(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        input: &EventInput,
        override_reason: Option<&str>,
    ) -> AppResult<Event> {
        let now = self.clock.now();
        let checked = check_input(input)?;
        let txn = self.db().scoped_write(auth).await?;
        self.require_refs(&txn, input).await?;
        let id = Uuid::now_v7();
        let staff = staff_list(input);
        let needs = needs(&txn, input, &staff).await?;
        let title = checked.title.clone();
        let slug = new_slug(&input.title)?;
        let row = event::ActiveModel {
            id: Set(id),
            tenant_id: Set(auth.centre_id().uuid()),
            slug: Set(slug.clone()),
            kind: Set(input.kind.as_str().to_owned()),
            audience: Set(input.audience.as_str().to_owned()),
            title: Set(checked.title),
            description: Set(checked.description),
            branch_id: Set(input.branch_id.map(BranchId::uuid)),
            venue: Set(checked.venue),
            online_url: Set(checked.online_url),
            starts_at: Set(input.starts_at),
            ends_at: Set(input.ends_at),
            capacity: Set(input.capacity),
            registration_opens_at: Set(input.registration_opens_at),
            registration_closes_at: Set(input.registration_closes_at),
            public_registration: Set(input.public_registration),
            confirm_by_email: Set(input.confirm_by_email),
            languages: Set(checked.languages),
            funding_project_id: Set(input.funding_project_id.map(FundingProjectId::uuid)),
            key_activity: Set(checked.key_activity),
            status: Set(EventStatus::Scheduled.as_str().to_owned()),
            confirmed: Set(0),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(now),
            updated_at: Set(now),
            room_id: Set(input.room_id.map(Into::into)),
            interpreter_id: Set(input.interpreter_id.map(Into::into)),
            waitlist_left: Set(0),
        }
        .insert(&txn)
        .await?;
        // Booked once the event exists (an override is kept with it).
        self.take(&txn, auth, id, &needs, input, &title, override_reason, now)
            .await?;
        set_staff(&txn, id, &staff).await?;
        public_event::Entity::insert(public_event::ActiveModel {
            slug: Set(slug),
            centre_id: Set(auth.centre_id().uuid()),
            event_id: Set(id),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        tracing::info!(event = "event_created", event_id = %id, "event created");
        from_row(row, staff)
    }

    /// Changes an event. Capacity may not drop below the confirmed
    /// registrations; when it grows, the waitlist moves up (and is told).
    /// Its bookings move with it (clashes as for [`Self::create_event`]).
    pub async fn update_event(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        id: crate::ids::EventId,
        input: &EventInput,
        override_reason: Option<&str>,
    ) -> AppResult<Event> {
        let now = self.clock.now();
        let checked = check_input(input)?;
        let txn = self.db().scoped_write(auth).await?;
        self.require_refs(&txn, input).await?;
        let row = lock_event(&txn, id.into()).await?;
        if row.status == EventStatus::Cancelled.as_str() {
            return Err(AppError::Conflict(
                "A cancelled event cannot be changed.".into(),
            ));
        }
        let staff = staff_list(input);
        let needs = needs(&txn, input, &staff).await?;
        self.take(
            &txn,
            auth,
            id.into(),
            &needs,
            input,
            &checked.title,
            override_reason,
            now,
        )
        .await?;
        set_staff(&txn, id.into(), &staff).await?;
        if let Some(c) = input.capacity
            && c < row.confirmed
        {
            return Err(AppError::bad_input(
                "capacity",
                format!(
                    "{} people are already confirmed; cancel registrations first",
                    row.confirmed
                ),
            ));
        }
        if input.capacity.is_none() && row.confirmed > 0 {
            return Err(AppError::bad_input(
                "capacity",
                "the event has confirmed registrations and must keep places for them",
            ));
        }
        let mut a = row.into_active_model();
        a.kind = Set(input.kind.as_str().to_owned());
        a.audience = Set(input.audience.as_str().to_owned());
        a.title = Set(checked.title);
        a.description = Set(checked.description);
        a.branch_id = Set(input.branch_id.map(BranchId::uuid));
        a.venue = Set(checked.venue);
        a.online_url = Set(checked.online_url);
        a.starts_at = Set(input.starts_at);
        a.ends_at = Set(input.ends_at);
        a.capacity = Set(input.capacity);
        a.registration_opens_at = Set(input.registration_opens_at);
        a.registration_closes_at = Set(input.registration_closes_at);
        a.public_registration = Set(input.public_registration);
        a.confirm_by_email = Set(input.confirm_by_email);
        a.languages = Set(checked.languages);
        a.funding_project_id = Set(input.funding_project_id.map(FundingProjectId::uuid));
        a.key_activity = Set(checked.key_activity);
        a.room_id = Set(input.room_id.map(Into::into));
        a.interpreter_id = Set(input.interpreter_id.map(Into::into));
        a.updated_at = Set(now);
        let row = a.update(&txn).await?;
        let promoted = self.promote(&txn, &row, now).await?;
        let row = reload(&txn, id.into()).await?;
        txn.commit().await?;
        if promoted > 0 {
            self.mail.wake();
        }
        from_row(row, staff)
    }

    /// Calls an event off: registrations close, reminders are withdrawn and
    /// everyone registered (confirmed or waiting) is told.
    pub async fn cancel_event(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        id: crate::ids::EventId,
    ) -> AppResult<Event> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = lock_event(&txn, id.into()).await?;
        if row.status == EventStatus::Cancelled.as_str() {
            let row = one_event(&txn, row).await?;
            txn.commit().await?;
            return Ok(row);
        }
        let mut a = row.into_active_model();
        a.status = Set(EventStatus::Cancelled.as_str().to_owned());
        a.updated_at = Set(now);
        let row = a.update(&txn).await?;
        // Its people and places are free again.
        calendar::release(&txn, SourceKind::Event, &[id.into()]).await?;
        cancel_pending_prefixed(&txn, &format!("event-reminder:{id}:")).await?;
        let people = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(id))
            // Unconfirmed registrations held nothing and their addresses
            // were never confirmed: they are not written to.
            .filter(registration::Column::Status.is_in([
                RegistrationStatus::Confirmed.as_str(),
                RegistrationStatus::Waitlisted.as_str(),
            ]))
            .all(&txn)
            .await?;
        let (centre, place) = letterhead(&txn, &row).await?;
        let staff = staff_of(&txn, &[id.into()]).await?;
        for r in &people {
            self.tell(
                &txn,
                now,
                auth.centre_id(),
                r,
                format!("event:{id}"),
                None,
                |l| EventCancelled {
                    details: self.details(&row, r, l, &centre, &place, ""),
                },
            )
            .await?;
        }
        txn.commit().await?;
        if !people.is_empty() {
            self.mail.wake();
        }
        tracing::info!(event = "event_cancelled", event_id = %id, told = people.len(), "event cancelled");
        from_row(row, staff.get(&id.uuid()).cloned().unwrap_or_default())
    }

    /// The centre's events overlapping `[from, to)`, by start (at most 1,000).
    pub async fn events(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<Vec<Event>> {
        if to <= from {
            return Err(AppError::bad_input("to", "must be after from"));
        }
        let txn = self.db().scoped(auth).await?;
        let rows = txn
            .find::<event::Entity>()
            .filter(event::Column::StartsAt.lt(to))
            .filter(event::Column::EndsAt.gt(from))
            .order_by_asc(event::Column::StartsAt)
            .order_by_asc(event::Column::Id)
            .limit(1_000)
            .all(&txn)
            .await?;
        let events = with_staff(&txn, rows).await?;
        txn.commit().await?;
        Ok(events)
    }

    /// One event of the centre.
    pub async fn event(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        id: crate::ids::EventId,
    ) -> AppResult<Event> {
        let txn = self.db().scoped(auth).await?;
        let row = reload(&txn, id.into()).await?;
        let event = one_event(&txn, row).await?;
        txn.commit().await?;
        Ok(event)
    }

    /// The registrations of an event: confirmed first, then the waitlist in
    /// order, then those not yet confirmed from the email link, then the
    /// cancelled.
    pub async fn registrations(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
    ) -> AppResult<Vec<Registration>> {
        let txn = self.db().scoped(auth).await?;
        reload(&txn, event_id.into()).await?;
        let rows = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(event_id))
            .order_by_asc(registration::Column::Id)
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut out = rows
            .into_iter()
            .map(registration_from_row)
            .collect::<AppResult<Vec<_>>>()?;
        out.sort_by_key(|r| match r.status {
            RegistrationStatus::Confirmed => 0,
            RegistrationStatus::Waitlisted => 1,
            RegistrationStatus::Unconfirmed => 2,
            RegistrationStatus::Cancelled => 3,
        });
        Ok(out)
    }

    /// Checks a confirmed registration in, by its id or by the code from
    /// the confirmation email. Checking in twice keeps the first time.
    pub async fn check_in(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
        registration_id: Option<crate::ids::RegistrationId>,
        code: Option<&str>,
    ) -> AppResult<Registration> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        reload(&txn, event_id.into()).await?;
        let mut q = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(event_id));
        q = match (registration_id, code) {
            (Some(id), _) => q.filter(registration::Column::Id.eq(id)),
            (None, Some(c)) => q.filter(
                registration::Column::Code.eq(c.trim().to_ascii_uppercase().replace(' ', "")),
            ),
            (None, None) => {
                return Err(AppError::bad_input(
                    "code",
                    "give the registration or the code from the confirmation email",
                ));
            }
        };
        let row = q.one(&txn).await?.ok_or(AppError::NotFound)?;
        if row.status != RegistrationStatus::Confirmed.as_str() {
            return Err(AppError::Conflict(
                "Only a confirmed registration can be checked in.".into(),
            ));
        }
        let row = if row.checked_in_at.is_none() {
            let mut a = row.into_active_model();
            a.checked_in_at = Set(Some(now));
            a.updated_at = Set(now);
            a.update(&txn).await?
        } else {
            row
        };
        txn.commit().await?;
        registration_from_row(row)
    }

    /// Sets the head-counts of an event, one per audience (a count of 0
    /// removes it). Returns them all.
    pub async fn set_headcounts(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
        counts: &[Headcount],
    ) -> AppResult<Vec<Headcount>> {
        for c in counts {
            integra_kernel::validate::int_range("count", c.count, 0, MAX_CAPACITY)?;
        }
        let txn = self.db().scoped_write(auth).await?;
        reload(&txn, event_id.into()).await?;
        let tenant = auth.centre_id().uuid();
        for c in counts {
            txn.delete_many::<headcount::Entity>()
                .filter(headcount::Column::EventId.eq(event_id))
                .filter(headcount::Column::Audience.eq(c.audience.as_str()))
                .exec(&txn)
                .await?;
            if c.count > 0 {
                headcount::Entity::insert(headcount::ActiveModel {
                    tenant_id: Set(tenant),
                    event_id: Set(event_id.into()),
                    audience: Set(c.audience.as_str().to_owned()),
                    count: Set(c.count),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
        let out = headcounts_in(&txn, event_id.into()).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// The head-counts of an event.
    pub async fn headcounts(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
    ) -> AppResult<Vec<Headcount>> {
        let txn = self.db().scoped(auth).await?;
        reload(&txn, event_id.into()).await?;
        let out = headcounts_in(&txn, event_id.into()).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Replaces the organisations that took part (regional platform).
    pub async fn set_organisations(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
        list: &[Organisation],
    ) -> AppResult<Vec<Organisation>> {
        let mut clean = Vec::with_capacity(list.len());
        for o in list {
            clean.push(Organisation {
                kind: o.kind,
                name: text("organisations.name", &o.name, 200, true)?,
                attendees: integra_kernel::validate::int_range(
                    "organisations.attendees",
                    o.attendees,
                    0,
                    10_000,
                )?,
            });
        }
        let txn = self.db().scoped_write(auth).await?;
        reload(&txn, event_id.into()).await?;
        let tenant = auth.centre_id().uuid();
        txn.delete_many::<organisation::Entity>()
            .filter(organisation::Column::EventId.eq(event_id))
            .exec(&txn)
            .await?;
        for o in &clean {
            organisation::Entity::insert(organisation::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(tenant),
                event_id: Set(event_id.into()),
                kind: Set(o.kind.as_str().to_owned()),
                name: Set(o.name.clone()),
                attendees: Set(o.attendees),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(clean)
    }

    /// The organisations that took part.
    pub async fn organisations(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        event_id: crate::ids::EventId,
    ) -> AppResult<Vec<Organisation>> {
        let txn = self.db().scoped(auth).await?;
        reload(&txn, event_id.into()).await?;
        let rows = txn
            .find::<organisation::Entity>()
            .filter(organisation::Column::EventId.eq(event_id))
            .order_by_asc(organisation::Column::Id)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|o| {
                Ok(Organisation {
                    kind: OrganisationKind::parse(&o.kind)
                        .ok_or_else(|| AppError::internal_msg("unknown organisation kind"))?,
                    name: o.name,
                    attendees: o.attendees,
                })
            })
            .collect()
    }

    /// Links a registration to a client of the centre, so that an eligible
    /// identified client counts toward indicators and sees the event on
    /// their timeline. `None` unlinks.
    pub async fn link_client(
        &self,
        auth: &Authorized<'_, can::ServeDesk>,
        registration_id: crate::ids::RegistrationId,
        client: Option<ClientId>,
    ) -> AppResult<Registration> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let row = txn
            .find_by_id::<registration::Entity>(registration_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let client = match client {
            Some(c) => Some(integra_clients::facts::kept_client(&txn, c, "clientId").await?),
            None => None,
        };
        let mut a = row.into_active_model();
        a.client_id = Set(client.map(ClientId::uuid));
        a.updated_at = Set(now);
        let row = a.update(&txn).await?;
        if let Some(c) = client {
            integra_clients::audit::record(
                &txn,
                auth,
                now,
                integra_clients::audit::AuditAction::Update,
                c.uuid(),
                &["events"],
            )
            .await?;
        }
        txn.commit().await?;
        registration_from_row(row)
    }

    /// Staff cancel a registration (someone phoned); the waitlist moves up.
    pub async fn cancel_registration_by_staff(
        &self,
        auth: &Authorized<'_, can::RunEvents>,
        registration_id: crate::ids::RegistrationId,
    ) -> AppResult<Registration> {
        let now = self.clock.now();
        let txn = self.db().scoped_write(auth).await?;
        let reg = txn
            .find_by_id::<registration::Entity>(registration_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let told = self.withdraw(&txn, reg, now).await?;
        let row = txn
            .find_by_id::<registration::Entity>(registration_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        if told {
            self.mail.wake();
        }
        registration_from_row(row)
    }
}

/// What a registration's emailed link does; each purpose has its own
/// token for the same registration.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LinkPurpose {
    /// Cancels the registration.
    Cancel,
    /// Confirms an unconfirmed registration.
    Confirm,
}

impl EventService {
    /// The token of a registration's link for `purpose`: an HMAC of its id,
    /// so that every email about it can carry the same link while only its
    /// hash is stored.
    pub(crate) fn link_token(&self, purpose: LinkPurpose, registration: Uuid) -> AppResult<String> {
        use hmac::{KeyInit, Mac};
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.link_key)
            .map_err(|e| AppError::internal_msg(format!("link key: {e}")))?;
        mac.update(match purpose {
            LinkPurpose::Cancel => b"event-registration-cancel\0",
            LinkPurpose::Confirm => b"event-registration-confirm\0",
        });
        mac.update(registration.as_bytes());
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// The cancel link of a registration of the event `slug`.
    pub(crate) fn cancel_link(&self, slug: &str, registration: Uuid) -> AppResult<String> {
        let token = self.link_token(LinkPurpose::Cancel, registration)?;
        Ok(format!("{}/events/{slug}/cancel#{token}", self.public_url))
    }

    /// The centre and event a public slug leads to.
    pub(crate) async fn directory(&self, slug: &str) -> AppResult<(CentreId, Uuid)> {
        let slug = slug.trim();
        if slug.is_empty() || slug.len() > 120 {
            return Err(AppError::NotFound);
        }
        let txn = self.platform.by_secret(slug).await?;
        let row = public_event::Entity::find_by_id(slug.to_owned())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        Ok((CentreId::from(row.centre_id), row.event_id))
    }

    /// Checks the event's needs against the centre's calendar at its time
    /// (refusing clashes unless a planner overrides them, recorded) and
    /// books them for it.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn take(
        &self,
        txn: &TenantTx,
        scope: &TenantScope,
        id: Uuid,
        needs: &[Need],
        input: &EventInput,
        title: &str,
        override_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let span = Span {
            starts_at: input.starts_at,
            ends_at: input.ends_at,
        };
        let checked = calendar::check(
            txn,
            needs,
            &[span],
            &[id],
            can::ManageCourses::granted(scope.roles()),
            override_reason,
        )
        .await?;
        if let calendar::Checked::Overridden { clashes, reason } = checked {
            overrides::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(scope.centre_id().uuid()),
                event_id: Set(id),
                clashes: Set(calendar::clashes_json(&clashes)),
                reason: Set(reason),
                by_user: Set(Some(scope.user_id().uuid())),
                at: Set(now),
            }
            .insert(txn)
            .await?;
        }
        let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
        calendar::book(txn, SourceKind::Event, id, &resources, span, title).await
    }

    /// Checks the branch and funding project of an input against the
    /// caller's centre.
    async fn require_refs(&self, txn: &TenantTx, input: &EventInput) -> AppResult<()> {
        if let Some(b) = input.branch_id {
            integra_tenants::centres::require_branch(txn, b).await?;
        }
        if let Some(p) = input.funding_project_id {
            integra_tenants::funding::project_in(txn, p).await?;
        }
        Ok(())
    }

    /// Queues an email to a registrant in their language, unless their
    /// address can no longer take mail (erased with the client it was
    /// linked to). Says whether it was queued.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    /// Renders an email to a registrant; `None` when their address cannot
    /// be written to (a registration linked to a client without one).
    pub(crate) fn mail<L: Letter>(
        now: DateTime<Utc>,
        centre: CentreId,
        reg: &registration::Model,
        reference: String,
        send_at: Option<DateTime<Utc>>,
        letter: impl FnOnce(Language) -> L,
    ) -> AppResult<Option<Prepared>> {
        if !is_deliverable(&reg.email) {
            return Ok(None);
        }
        let language = Language::from_stored(&reg.language);
        let envelope = Envelope {
            tenant: Some(centre),
            client: reg.client_id.map(ClientId),
            reference,
            to: reg.email.clone(),
            to_name: reg.name.clone(),
            language,
            send_at,
        };
        prepare(now, envelope, &letter(language)).map(Some)
    }

    /// Emails a registrant through the outbox, in `txn`.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn tell<L: Letter>(
        &self,
        txn: &TenantTx,
        now: DateTime<Utc>,
        centre: CentreId,
        reg: &registration::Model,
        reference: String,
        send_at: Option<DateTime<Utc>>,
        letter: impl FnOnce(Language) -> L,
    ) -> AppResult<bool> {
        let Some(mail) = Self::mail(now, centre, reg, reference, send_at, letter)? else {
            return Ok(false);
        };
        enqueue_prepared(txn, vec![mail]).await?;
        Ok(true)
    }

    pub(crate) fn details(
        &self,
        ev: &event::Model,
        reg: &registration::Model,
        language: Language,
        centre: &str,
        place: &str,
        cancel_link: &str,
    ) -> EventDetails {
        EventDetails {
            name: reg.name.clone(),
            title: ev.title.clone(),
            when: language.when(ev.starts_at),
            until: language.time(ev.ends_at),
            venue: place.to_owned(),
            centre: centre.to_owned(),
            code: reg.code.clone(),
            cancel_link: cancel_link.to_owned(),
        }
    }

    /// The reminder at 09:00 the day before, unless that has passed.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    pub(crate) fn reminder(
        &self,
        centre: CentreId,
        ev: &event::Model,
        reg: &registration::Model,
        centre_name: &str,
        place: &str,
        cancel_link: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Prepared>> {
        let Some(at) = reminder_at(ev.starts_at).filter(|at| *at > now) else {
            return Ok(None);
        };
        Self::mail(
            now,
            centre,
            reg,
            format!("event-reminder:{}:{}", ev.id, reg.id),
            Some(at),
            |l| EventReminder {
                details: self.details(ev, reg, l, centre_name, place, cancel_link),
            },
        )
    }

    /// Gives free places to the waitlist, in order, and tells each person.
    /// The caller holds the event row. Returns how many moved up.
    async fn promote(
        &self,
        txn: &TenantTx,
        ev: &event::Model,
        now: DateTime<Utc>,
    ) -> AppResult<usize> {
        let centre = txn.centre();
        let Some(capacity) = ev.capacity else {
            return Ok(0);
        };
        let free = u64::try_from(Ord::max(capacity - ev.confirmed, 0)).unwrap_or(0);
        if free == 0 || ev.status == EventStatus::Cancelled.as_str() {
            return Ok(0);
        }
        let next = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(ev.id))
            .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
            .order_by_asc(registration::Column::Id)
            .limit(free)
            .all(txn)
            .await?;
        if next.is_empty() {
            return Ok(0);
        }
        let (centre_name, place) = letterhead(txn, ev).await?;
        for reg in &next {
            let mut a = reg.clone().into_active_model();
            a.status = Set(RegistrationStatus::Confirmed.as_str().to_owned());
            a.updated_at = Set(now);
            let reg = a.update(txn).await?;
            let link = self.cancel_link(&ev.slug, reg.id)?;
            let mails = [
                Self::mail(now, centre, &reg, format!("event:{}", ev.id), None, |l| {
                    EventPromoted {
                        details: self.details(ev, &reg, l, &centre_name, &place, &link),
                    }
                })?,
                self.reminder(centre, ev, &reg, &centre_name, &place, &link, now)?,
            ];
            enqueue_prepared(txn, mails.into_iter().flatten().collect()).await?;
        }
        let moved = i32::try_from(next.len()).unwrap_or(i32::MAX);
        txn.update_many::<event::Entity>()
            .col_expr(
                event::Column::Confirmed,
                sea_orm::sea_query::Expr::col(event::Column::Confirmed).add(moved),
            )
            .col_expr(
                event::Column::WaitlistLeft,
                sea_orm::sea_query::Expr::col(event::Column::WaitlistLeft).add(i64::from(moved)),
            )
            .filter(event::Column::Id.eq(ev.id))
            .exec(txn)
            .await?;
        tracing::info!(event = "waitlist_moved_up", event_id = %ev.id, moved = next.len(), "waitlist moved up");
        Ok(next.len())
    }

    /// Cancels a registration; a confirmed place passes to the waitlist.
    /// Says whether anyone was emailed.
    pub(crate) async fn withdraw(
        &self,
        txn: &TenantTx,
        reg: registration::Model,
        now: DateTime<Utc>,
    ) -> AppResult<bool> {
        if reg.status == RegistrationStatus::Cancelled.as_str() {
            return Ok(false);
        }
        let ev = lock_event(txn, reg.event_id).await?;
        let was_confirmed = reg.status == RegistrationStatus::Confirmed.as_str();
        let was_waiting = reg.status == RegistrationStatus::Waitlisted.as_str();
        let reg_id = reg.id;
        let mut a = reg.into_active_model();
        a.status = Set(RegistrationStatus::Cancelled.as_str().to_owned());
        a.updated_at = Set(now);
        a.update(txn).await?;
        cancel_pending(txn, &format!("event-reminder:{}:{reg_id}", ev.id)).await?;
        // A confirmed place comes free; a waitlisted registrant leaving
        // moves those behind them one place forward; an unconfirmed one
        // held nothing.
        if !was_confirmed && !was_waiting {
            return Ok(false);
        }
        let (column, change) = if was_confirmed {
            (event::Column::Confirmed, -1)
        } else {
            (event::Column::WaitlistLeft, 1)
        };
        txn.update_many::<event::Entity>()
            .col_expr(column, sea_orm::sea_query::Expr::col(column).add(change))
            .filter(event::Column::Id.eq(ev.id))
            .exec(txn)
            .await?;
        if !was_confirmed {
            return Ok(false);
        }
        let ev = reload(txn, ev.id).await?;
        Ok(self.promote(txn, &ev, now).await? > 0)
    }
}

struct Checked {
    title: String,
    description: String,
    venue: String,
    online_url: String,
    languages: String,
    key_activity: String,
}

fn check_input(input: &EventInput) -> AppResult<Checked> {
    let title = text("title", &input.title, 200, true)?;
    let description = long_text("description", &input.description, 5_000, false)?;
    let venue = text("venue", &input.venue, 300, false)?;
    let online_url = text("onlineUrl", &input.online_url, 500, false)?;
    if !(online_url.is_empty()
        || online_url.starts_with("https://")
        || online_url.starts_with("http://"))
    {
        return Err(AppError::bad_input(
            "onlineUrl",
            "must be a web address (https://…)",
        ));
    }
    if input.ends_at <= input.starts_at {
        return Err(AppError::bad_input("endsAt", "must be after the start"));
    }
    if input.ends_at - input.starts_at > Duration::days(MAX_DAYS) {
        return Err(AppError::bad_input(
            "endsAt",
            format!("an event lasts at most {MAX_DAYS} days"),
        ));
    }
    if let Some(c) = input.capacity {
        integra_kernel::validate::int_range("capacity", c, 1, MAX_CAPACITY)?;
    }
    if input.public_registration && input.capacity.is_none() {
        return Err(AppError::bad_input(
            "capacity",
            "public registration needs a number of places",
        ));
    }
    if let (Some(o), Some(c)) = (input.registration_opens_at, input.registration_closes_at)
        && c <= o
    {
        return Err(AppError::bad_input(
            "registrationClosesAt",
            "must be after the opening",
        ));
    }
    if input
        .registration_closes_at
        .is_some_and(|c| c > input.ends_at)
    {
        return Err(AppError::bad_input(
            "registrationClosesAt",
            "must not be after the event ends",
        ));
    }
    let mut languages = Vec::new();
    for l in &input.languages {
        let t = l.trim().to_ascii_lowercase();
        if !(2..=3).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(AppError::bad_input(
                "languages",
                "must be language codes such as cs, uk, en",
            ));
        }
        if !languages.contains(&t) {
            languages.push(t);
        }
    }
    Ok(Checked {
        title,
        description,
        venue,
        online_url,
        languages: languages.join(","),
        key_activity: text("keyActivity", &input.key_activity, 100, false)?,
    })
}

/// Why registration is not possible now, if it is not.
pub(crate) fn window_error(ev: &event::Model, now: DateTime<Utc>) -> Option<AppError> {
    if ev.status == EventStatus::Cancelled.as_str() {
        return Some(AppError::bad_input(
            "eventSlug",
            "the event has been cancelled",
        ));
    }
    if ev.capacity.is_none() {
        return Some(AppError::bad_input(
            "eventSlug",
            "the event does not take registrations",
        ));
    }
    if ev.registration_opens_at.is_some_and(|o| now < o) {
        return Some(AppError::bad_input(
            "eventSlug",
            "registration has not opened yet",
        ));
    }
    let closes = ev.registration_closes_at.unwrap_or(ev.starts_at);
    if now >= closes {
        return Some(AppError::bad_input("eventSlug", "registration has closed"));
    }
    None
}

/// Takes a place if one is free, inside the registration's transaction.
/// The conditional update is the capacity check: on PostgreSQL concurrent
/// registrations queue on the event row while places remain (and pass
/// without waiting once it is full); SQLite writers are serialised.
pub(crate) async fn take_place(txn: &TenantTx, id: Uuid) -> AppResult<bool> {
    let res = txn
        .update_many::<event::Entity>()
        .col_expr(
            event::Column::Confirmed,
            sea_orm::sea_query::Expr::col(event::Column::Confirmed).add(1),
        )
        .filter(event::Column::Id.eq(id))
        .filter(
            sea_orm::sea_query::Expr::col(event::Column::Confirmed)
                .lt(sea_orm::sea_query::Expr::col(event::Column::Capacity)),
        )
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The next waitlist ticket of an event and how many have left its
/// waitlist so far: the new registrant's place is the difference. Read from
/// the ticket index (the highest ticket) and the event row, so it costs the
/// same for a waitlist of ten as of ten thousand. Two registrants joining
/// in the same instant may be told the same place; the order that counts
/// (moving up) is by registration id.
pub(crate) async fn waitlist_ticket(txn: &TenantTx, event_id: Uuid) -> AppResult<(i64, i64)> {
    let row = txn
        .query_one_raw(txn.stmt(
            "SELECT (SELECT COALESCE(MAX(waitlist_ticket), 0) FROM event_registrations \
               WHERE tenant_id = :tenant AND event_id = ? AND waitlist_ticket IS NOT NULL) + 1 AS ticket, \
             waitlist_left AS left_count FROM events WHERE tenant_id = :tenant AND id = ?",
            vec![event_id.into(), event_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        row.try_get::<i64>("", "ticket")?,
        row.try_get::<i64>("", "left_count")?,
    ))
}

pub(crate) async fn reload(txn: &TenantTx, id: Uuid) -> AppResult<event::Model> {
    txn.find_by_id::<event::Entity>(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The event row, locked for the rest of the transaction on PostgreSQL
/// (SQLite write transactions hold the database already).
async fn lock_event(txn: &TenantTx, id: Uuid) -> AppResult<event::Model> {
    let q = txn.find_by_id::<event::Entity>(id);
    integra_kernel::for_update(q, txn)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) async fn letterhead(txn: &TenantTx, ev: &event::Model) -> AppResult<(String, String)> {
    let (name, branch) =
        integra_tenants::centres::letterhead(txn, ev.branch_id.map(BranchId)).await?;
    let place = if !ev.venue.is_empty() {
        ev.venue.clone()
    } else if !branch.is_empty() {
        branch
    } else if !ev.online_url.is_empty() {
        ev.online_url.clone()
    } else {
        String::new()
    };
    Ok((name, place))
}

async fn headcounts_in(txn: &TenantTx, event_id: Uuid) -> AppResult<Vec<Headcount>> {
    let rows = txn
        .find::<headcount::Entity>()
        .filter(headcount::Column::EventId.eq(event_id))
        .all(txn)
        .await?;
    let mut out: Vec<Headcount> = rows
        .into_iter()
        .filter_map(|h| {
            Audience::parse(&h.audience).map(|audience| Headcount {
                audience,
                count: h.count,
            })
        })
        .collect();
    out.sort_by_key(|h| h.audience);
    Ok(out)
}

/// When the reminder of an event starting at `starts_at` goes out: 09:00
/// Prague time the day before.
pub(crate) fn reminder_at(starts_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day_before = starts_at.with_timezone(&Prague).date_naive() - Duration::days(1);
    Prague
        .from_local_datetime(&day_before.and_time(NaiveTime::from_hms_opt(9, 0, 0)?))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

pub(crate) fn split(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A public slug: the title's words in ASCII plus a random suffix, so that
/// slugs neither clash nor can be guessed from another event's.
fn new_slug(title: &str) -> AppResult<String> {
    let words = slug_words(title);
    let mut buf = [0u8; 4];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal_msg(format!("getrandom: {e}")))?;
    let suffix = hex::encode(buf);
    Ok(if words.is_empty() {
        suffix
    } else {
        format!("{words}-{suffix}")
    })
}

/// The words of a title as a public address part: ASCII lower case (Czech
/// letters without their marks), words joined by `-`, at most 60 characters;
/// [`EventService::create_event`] adds a random suffix.
pub fn slug_words(title: &str) -> String {
    let mut words = String::new();
    for c in deunicode::deunicode(title).to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if !words.ends_with('-') && !words.is_empty() {
            words.push('-');
        }
        if words.len() >= 60 {
            break;
        }
    }
    words.trim_matches('-').to_owned()
}

/// The staff of each of the events, in one query.
pub(crate) async fn staff_of(
    txn: &TenantTx,
    ids: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, Vec<UserId>>> {
    let mut out: std::collections::HashMap<Uuid, Vec<UserId>> = Default::default();
    for chunk in ids.chunks(500) {
        for r in txn
            .find::<staff::Entity>()
            .filter(staff::Column::EventId.is_in(chunk.iter().copied()))
            .order_by_asc(staff::Column::UserId)
            .all(txn)
            .await?
        {
            out.entry(r.event_id).or_default().push(UserId(r.user_id));
        }
    }
    Ok(out)
}

/// Events with their staff.
pub(crate) async fn with_staff(txn: &TenantTx, rows: Vec<event::Model>) -> AppResult<Vec<Event>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut staff = staff_of(txn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let s = staff.remove(&r.id).unwrap_or_default();
            from_row(r, s)
        })
        .collect()
}

async fn one_event(txn: &TenantTx, row: event::Model) -> AppResult<Event> {
    let mut all = with_staff(txn, vec![row]).await?;
    all.pop().ok_or(AppError::NotFound)
}

/// An input's staff once each, in the order they are stored and read.
fn staff_list(input: &EventInput) -> Vec<UserId> {
    let mut users = input.staff_ids.clone();
    users.sort();
    users.dedup();
    users
}

/// Replaces an event's staff (see [`staff_list`]).
async fn set_staff(txn: &TenantTx, event_id: Uuid, users: &[UserId]) -> AppResult<()> {
    txn.delete_many::<staff::Entity>()
        .filter(staff::Column::EventId.eq(event_id))
        .exec(txn)
        .await?;
    if users.is_empty() {
        return Ok(());
    }
    staff::Entity::insert_many(users.iter().map(|u| staff::ActiveModel {
        tenant_id: Set(txn.centre().uuid()),
        event_id: Set(event_id),
        user_id: Set(u.uuid()),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// What an event takes in the calendar: each of its staff, its room and
/// its interpreter, each of the caller's centre (else bad input naming the
/// field).
async fn needs(txn: &TenantTx, input: &EventInput, staff: &[UserId]) -> AppResult<Vec<Need>> {
    integra_tenants::staff::require_members(txn, staff, "staffIds").await?;
    let names = integra_tenants::staff::user_names(txn, staff).await?;
    let mut out: Vec<Need> = staff
        .iter()
        .map(|u| {
            Need::new(
                Resource::Person(*u),
                "staff",
                names.get(u).map(String::as_str).unwrap_or_default(),
            )
        })
        .collect();
    if let Some(r) = input.room_id {
        out.push(calendar::room_need(txn, r.into(), "roomId").await?);
    }
    if let Some(i) = input.interpreter_id {
        out.push(calendar::interpreter_need(txn, i.into(), "interpreterId").await?);
    }
    Ok(out)
}

pub(crate) fn from_row(r: event::Model, staff_ids: Vec<UserId>) -> AppResult<Event> {
    Ok(Event {
        id: r.id.into(),
        slug: r.slug,
        kind: EventKind::parse(&r.kind)
            .ok_or_else(|| AppError::internal_msg("unknown event kind"))?,
        audience: Audience::parse(&r.audience)
            .ok_or_else(|| AppError::internal_msg("unknown audience"))?,
        title: r.title,
        description: r.description,
        branch_id: r.branch_id.map(BranchId),
        venue: r.venue,
        online_url: r.online_url,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        capacity: r.capacity,
        registration_opens_at: r.registration_opens_at,
        registration_closes_at: r.registration_closes_at,
        public_registration: r.public_registration,
        confirm_by_email: r.confirm_by_email,
        languages: split(&r.languages),
        funding_project_id: r.funding_project_id.map(FundingProjectId),
        key_activity: r.key_activity,
        status: EventStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal_msg("unknown event status"))?,
        confirmed: r.confirmed,
        staff_ids,
        room_id: r.room_id.map(Into::into),
        interpreter_id: r.interpreter_id.map(Into::into),
    })
}

pub(crate) fn registration_from_row(r: registration::Model) -> AppResult<Registration> {
    Ok(Registration {
        id: r.id.into(),
        event_id: r.event_id.into(),
        name: r.name,
        email: r.email,
        organisation: r.organisation,
        status: RegistrationStatus::parse(&r.status)
            .ok_or_else(|| AppError::internal_msg("unknown registration status"))?,
        code: r.code,
        client_id: r.client_id.map(ClientId),
        checked_in_at: r.checked_in_at,
        created_at: r.created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use integra_tenants::auth::readable_code;

    #[test]
    fn slugs_read_the_title_and_differ() {
        let a = new_slug("Den cizinců v Ústí 2026!").unwrap();
        let b = new_slug("Den cizinců v Ústí 2026!").unwrap();
        assert!(a.starts_with("den-cizincu-v-usti-2026-"), "{a}");
        assert_ne!(a, b);
        assert_eq!(new_slug("!!!").unwrap().len(), 8);
    }

    #[test]
    fn check_in_codes_avoid_look_alikes() {
        let c = readable_code(8).unwrap();
        assert_eq!(c.len(), 8);
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']), "{c}");
    }
}
