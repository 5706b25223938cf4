//! The public side of events: the registration page, the confirm and
//! cancel links of the emails, and the housekeeping of public
//! registrations (lapsed confirmations, purged details). Each operation
//! finds its centre through the `public_events` directory and then works
//! inside that centre only.

use chrono::{DateTime, Duration, Utc};
use integra_kernel::TenantTx;
use integra_kernel::validate::text;
use integra_kernel::{AppError, AppResult, CentreId, ClientNetwork};
use integra_notify::templates::{EventConfirm, EventRegistered};
use integra_notify::{Language, Prepared, enqueue_prepared, is_deliverable};
use integra_tenants::auth::{readable_code, sha256_hex};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{event, registration};
use crate::model::{PublicEvent, Registered, RegistrationInput, RegistrationStatus};
use crate::service::{
    EventService, LinkPurpose, letterhead, reload, split, take_place, waitlist_ticket, window_error,
};

/// Hours a registrant has to confirm from the email link, on events that
/// ask for it. An unconfirmed registration holds no place; once the time
/// is up the link no longer works and the housekeeping deletes it.
pub const CONFIRM_WITHIN_HOURS: i64 = 24;

/// What a purged registration's email starts with (then its id).
pub const PURGED: &str = "purged:";

/// The one message for a cancel link that cannot be used.
pub const LINK_INVALID: &str = "the link is invalid or the registration was already cancelled";

/// The one message for a confirm link that cannot be used.
pub const CONFIRM_INVALID: &str =
    "the link is invalid or has expired; register again on the event's page";

/// A public registration form, checked.
struct Form {
    name: String,
    email: String,
    organisation: String,
    language: Language,
}

impl Form {
    fn check(input: &RegistrationInput) -> AppResult<Self> {
        let name = text("name", &input.name, 200, true)?;
        let email = input.email.trim().to_lowercase();
        if email.is_empty() {
            return Err(AppError::bad_input("email", "is required"));
        }
        if email.chars().count() > 254 || !is_deliverable(&email) {
            return Err(AppError::bad_input("email", "is not a valid email address"));
        }
        let organisation = text("organisation", &input.organisation, 200, false)?;
        let language = Language::parse("language", &input.language)?;
        if !input.consent {
            return Err(AppError::bad_input(
                "consent",
                "registration needs consent to the processing of these details for the event",
            ));
        }
        Ok(Self {
            name,
            email,
            organisation,
            language,
        })
    }
}

/// The event and its letterhead, as every email about it needs them.
struct Letterhead<'a> {
    centre: CentreId,
    event: &'a event::Model,
    centre_name: String,
    place: String,
}

impl<'a> Letterhead<'a> {
    /// Reads the centre's name and the event's place in `txn`.
    async fn of(txn: &TenantTx, event: &'a event::Model) -> AppResult<Self> {
        let (centre_name, place) = letterhead(txn, event).await?;
        Ok(Self {
            centre: txn.centre(),
            event,
            centre_name,
            place,
        })
    }
}

impl EventService {
    /// The public page of an event. Unknown slugs and events without public
    /// registration are `NOT_FOUND`.
    pub async fn public_event(&self, slug: &str) -> AppResult<PublicEvent> {
        let now = self.clock.now();
        let (centre, id) = self.directory(slug).await?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let row = reload(&txn, id).await?;
        if !row.public_registration {
            return Err(AppError::NotFound);
        }
        let (centre_name, place) = letterhead(&txn, &row).await?;
        txn.commit().await?;
        Ok(PublicEvent {
            slug: row.slug.clone(),
            title: row.title.clone(),
            description: row.description.clone(),
            centre_name,
            venue: place,
            online: !row.online_url.is_empty(),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            languages: split(&row.languages),
            places_left: row.capacity.is_some_and(|c| row.confirmed < c),
            registration_open: window_error(&row, now).is_none(),
            confirm_by_email: row.confirm_by_email,
            cancelled: row.status == crate::EventStatus::Cancelled.as_str(),
        })
    }

    /// Registers someone without an account. Within capacity the place is
    /// confirmed, beyond it the person joins the waitlist; either way they
    /// get an email with a cancel link (and, when confirmed, a check-in
    /// code and a reminder the day before). On an event that asks for
    /// confirmation by email the registration is first `UNCONFIRMED`: it
    /// holds nothing until the link in the email is opened
    /// ([`Self::confirm_registration`]), so neither a typo nor someone
    /// else's address takes a place.
    ///
    /// A second registration with the same address gets the answer a first
    /// one would get now, and the person gets their registration again by
    /// email: the caller learns nothing about who registered. Attempts are
    /// counted per `client` address and registrations per email address
    /// ([`crate::RegistrationLimits`]); beyond either the answer is
    /// `RATE_LIMITED`.
    pub async fn register(
        &self,
        slug: &str,
        input: &RegistrationInput,
        client: Option<ClientNetwork>,
    ) -> AppResult<Registered> {
        let now = self.clock.now();
        self.limiter.address(client)?;
        let form = Form::check(input)?;
        let (centre, id) = self.directory(slug).await?;
        self.limiter.email(&form.email)?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let row = reload(&txn, id).await?;
        if !row.public_registration {
            return Err(AppError::NotFound);
        }
        if let Some(e) = window_error(&row, now) {
            return Err(e);
        }
        // Everything that does not depend on getting a place is ready before
        // the event row is locked by `take_place`, which holds it to commit.
        // A second registration with the same email is refused by the
        // unique index on insert (no count beforehand).
        let head = Letterhead::of(&txn, &row).await?;
        let reg = self.new_registration(centre, &row, form, now)?;
        if row.confirm_by_email {
            return self.register_unconfirmed(txn, &head, reg, now).await;
        }
        self.register_now(txn, &head, reg, now).await
    }

    /// A registration that takes a place (or joins the waitlist) at once.
    async fn register_now(
        &self,
        txn: TenantTx,
        head: &Letterhead<'_>,
        mut reg: registration::Model,
        now: DateTime<Utc>,
    ) -> AppResult<Registered> {
        // Rendered ahead only while places seem left (a full event stays
        // full unless someone cancels meanwhile; then it is rendered late).
        let ev = head.event;
        let seems_open = ev.capacity.is_none_or(|c| ev.confirmed < c);
        let if_confirmed = seems_open
            .then(|| self.taken_mail(head, &reg, None, now))
            .transpose()?;
        let answer = self.place(&txn, head, &mut reg).await?;
        if !insert_new(&txn, &reg).await? {
            // Already registered: nothing of this attempt is kept (the
            // place it took goes back with the rollback).
            txn.rollback().await?;
            self.remind_registered(head.centre, ev.id, &reg.email, now)
                .await?;
            return Ok(answer);
        }
        let mail = match (answer.waitlist_position, if_confirmed) {
            (None, Some(m)) => m,
            (position, _) => self.taken_mail(head, &reg, position, now)?,
        };
        enqueue_prepared(&txn, mail).await?;
        txn.commit().await?;
        self.mail.wake();
        Ok(answer)
    }

    /// A registration that waits for its confirm link: no place, no
    /// waitlist ticket, one email with the link.
    async fn register_unconfirmed(
        &self,
        txn: TenantTx,
        head: &Letterhead<'_>,
        mut reg: registration::Model,
        now: DateTime<Utc>,
    ) -> AppResult<Registered> {
        let token = self.link_token(LinkPurpose::Confirm, reg.id)?;
        reg.status = RegistrationStatus::Unconfirmed.as_str().to_owned();
        reg.confirm_token_hash = Some(sha256_hex(token.as_bytes()));
        reg.confirm_by = Some(now + Duration::hours(CONFIRM_WITHIN_HOURS));
        let answer = Registered {
            status: RegistrationStatus::Unconfirmed,
            waitlist_position: None,
        };
        if !insert_new(&txn, &reg).await? {
            txn.rollback().await?;
            self.remind_registered(head.centre, head.event.id, &reg.email, now)
                .await?;
            return Ok(answer);
        }
        let mail = self.confirm_mail(head, &reg, now)?;
        enqueue_prepared(&txn, mail.into_iter().collect()).await?;
        txn.commit().await?;
        self.mail.wake();
        Ok(answer)
    }

    /// Confirms a registration with the link from its email (the link holds
    /// the event's slug and the token): the registration takes a place, or
    /// joins the waitlist when the event is full, and the person gets the
    /// same email as on an event without confirmation. Opening the link
    /// again answers the registration's status and changes nothing. A link
    /// whose time is up, or of a cancelled registration, is refused with
    /// `BAD_USER_INPUT` on `token`.
    pub async fn confirm_registration(&self, slug: &str, token: &str) -> AppResult<Registered> {
        let now = self.clock.now();
        let hash = sha256_hex(clean_token(token, CONFIRM_INVALID)?.as_bytes());
        let (centre, id) = self.directory(slug).await?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let invalid = || AppError::bad_input("token", CONFIRM_INVALID);
        let q = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(id))
            .filter(registration::Column::ConfirmTokenHash.eq(hash));
        let mut reg = integra_kernel::for_update(q, &txn)
            .one(&txn)
            .await?
            .ok_or_else(invalid)?;
        let row = reload(&txn, id).await?;
        match RegistrationStatus::parse(&reg.status) {
            Some(RegistrationStatus::Unconfirmed) => {}
            Some(RegistrationStatus::Confirmed) => {
                txn.commit().await?;
                return Ok(Registered {
                    status: RegistrationStatus::Confirmed,
                    waitlist_position: None,
                });
            }
            Some(RegistrationStatus::Waitlisted) => {
                txn.commit().await?;
                return Ok(Registered {
                    status: RegistrationStatus::Waitlisted,
                    waitlist_position: waitlist_position(&reg, &row),
                });
            }
            Some(RegistrationStatus::Cancelled) | None => return Err(invalid()),
        }
        if reg.confirm_by.is_none_or(|by| by <= now) {
            return Err(invalid());
        }
        if let Some(e) = window_error(&row, now) {
            return Err(e);
        }
        let head = Letterhead::of(&txn, &row).await?;
        let answer = self.place(&txn, &head, &mut reg).await?;
        let mut a = reg.clone().into_active_model();
        a.status = Set(reg.status.clone());
        a.waitlist_ticket = Set(reg.waitlist_ticket);
        a.confirm_by = Set(None);
        a.updated_at = Set(now);
        let reg = a.update(&txn).await?;
        let mail = self.taken_mail(&head, &reg, answer.waitlist_position, now)?;
        enqueue_prepared(&txn, mail).await?;
        txn.commit().await?;
        self.mail.wake();
        tracing::info!(event = "registration_confirmed", event_id = %id, "registration confirmed");
        Ok(answer)
    }

    /// Cancels a registration with the link from its email (the link holds
    /// the event's slug and the token). A confirmed place goes to the first
    /// on the waitlist, who is told. Using the link again changes nothing.
    pub async fn cancel_registration(&self, slug: &str, token: &str) -> AppResult<()> {
        let now = self.clock.now();
        let hash = sha256_hex(clean_token(token, LINK_INVALID)?.as_bytes());
        let (centre, id) = self.directory(slug).await?;
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let reg = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(id))
            .filter(registration::Column::CancelTokenHash.eq(hash))
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::bad_input("token", LINK_INVALID))?;
        let told = self.withdraw(&txn, reg, now).await?;
        txn.commit().await?;
        if told {
            self.mail.wake();
        }
        Ok(())
    }

    /// Deletes the unconfirmed registrations whose time to confirm ran out
    /// before `now`: they never held a place and their addresses were never
    /// shown to be their owners'. Acts in each of `centres` in turn;
    /// returns how many were deleted. Run by the server's housekeeping.
    pub async fn unscoped_drop_lapsed(
        &self,
        centres: &[CentreId],
        now: DateTime<Utc>,
    ) -> AppResult<u64> {
        let mut dropped = 0;
        for centre in centres {
            let txn = self.platform.unscoped_for_centre(*centre).await?;
            let res = txn
                .delete_many::<registration::Entity>()
                .filter(registration::Column::Status.eq(RegistrationStatus::Unconfirmed.as_str()))
                .filter(registration::Column::ConfirmBy.lt(now))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            dropped += res.rows_affected;
        }
        if dropped > 0 {
            tracing::info!(
                event = "registrations_lapsed",
                dropped,
                "unconfirmed registrations lapsed"
            );
        }
        Ok(dropped)
    }

    /// Purges the personal details (name, email, organisation) of the
    /// registrations of people who are not clients of the centre, for
    /// events that ended before `before`: the rows stay, so head-counts and
    /// indicators do not change. Acts in each of `centres` in turn; returns
    /// how many registrations were purged. Run by the server's housekeeping
    /// with the retention period `INTEGRA_REGISTRATION_RETENTION_DAYS`.
    pub async fn unscoped_purge_registrations(
        &self,
        centres: &[CentreId],
        before: DateTime<Utc>,
    ) -> AppResult<u64> {
        let mut purged = 0;
        for centre in centres {
            let txn = self.platform.unscoped_for_centre(*centre).await?;
            let ended: Vec<Uuid> = txn
                .find::<event::Entity>()
                .select_only()
                .column(event::Column::Id)
                .filter(event::Column::EndsAt.lt(before))
                .into_tuple()
                .all(&txn)
                .await?;
            let ids: Vec<Uuid> = if ended.is_empty() {
                Vec::new()
            } else {
                txn.find::<registration::Entity>()
                    .select_only()
                    .column(registration::Column::Id)
                    .filter(registration::Column::EventId.is_in(ended))
                    .filter(registration::Column::ClientId.is_null())
                    .filter(registration::Column::Email.not_like(format!("{PURGED}%")))
                    .into_tuple()
                    .all(&txn)
                    .await?
            };
            for id in &ids {
                // The email stays unique per event (an index needs it).
                txn.update_many::<registration::Entity>()
                    .col_expr(
                        registration::Column::Name,
                        sea_orm::sea_query::Expr::value(""),
                    )
                    .col_expr(
                        registration::Column::Organisation,
                        sea_orm::sea_query::Expr::value(""),
                    )
                    .col_expr(
                        registration::Column::Email,
                        sea_orm::sea_query::Expr::value(format!("{PURGED}{id}")),
                    )
                    .filter(registration::Column::Id.eq(*id))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            purged += ids.len() as u64;
        }
        if purged > 0 {
            tracing::info!(
                event = "registrations_purged",
                purged,
                "registrations of ended events purged"
            );
        }
        Ok(purged)
    }

    /// A new registration row from a checked form (confirmed until
    /// [`Self::place`] or [`Self::register_unconfirmed`] says otherwise).
    fn new_registration(
        &self,
        centre: CentreId,
        ev: &event::Model,
        form: Form,
        now: DateTime<Utc>,
    ) -> AppResult<registration::Model> {
        let id = Uuid::now_v7();
        let cancel = self.link_token(LinkPurpose::Cancel, id)?;
        Ok(registration::Model {
            id,
            tenant_id: centre.uuid(),
            event_id: ev.id,
            name: form.name,
            email: form.email,
            organisation: form.organisation,
            language: form.language.code().to_owned(),
            consent_at: now,
            status: RegistrationStatus::Confirmed.as_str().to_owned(),
            code: readable_code(8)?,
            cancel_token_hash: sha256_hex(cancel.as_bytes()),
            client_id: None,
            checked_in_at: None,
            created_at: now,
            updated_at: now,
            waitlist_ticket: None,
            confirm_token_hash: None,
            confirm_by: None,
        })
    }

    /// Takes a place for `reg` if one is free, else a waitlist ticket, and
    /// sets its status accordingly (in memory; the caller saves it).
    async fn place(
        &self,
        txn: &TenantTx,
        head: &Letterhead<'_>,
        reg: &mut registration::Model,
    ) -> AppResult<Registered> {
        if take_place(txn, head.event.id).await? {
            reg.status = RegistrationStatus::Confirmed.as_str().to_owned();
            return Ok(Registered {
                status: RegistrationStatus::Confirmed,
                waitlist_position: None,
            });
        }
        let (ticket, left) = waitlist_ticket(txn, head.event.id).await?;
        reg.status = RegistrationStatus::Waitlisted.as_str().to_owned();
        reg.waitlist_ticket = Some(ticket);
        Ok(Registered {
            status: RegistrationStatus::Waitlisted,
            waitlist_position: Some(Ord::max(ticket - left, 1)),
        })
    }

    /// Emails a person who registered for the event again: their existing
    /// registration, its status and its cancel link, as when they first
    /// registered; an unconfirmed registration gets its confirm link again,
    /// with a new period to confirm in.
    async fn remind_registered(
        &self,
        centre: CentreId,
        event_id: Uuid,
        email: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let row = reload(&txn, event_id).await?;
        let existing = txn
            .find::<registration::Entity>()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::Email.eq(email))
            .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled.as_str()))
            .one(&txn)
            .await?;
        let Some(reg) = existing else {
            // Cancelled meanwhile: nothing to remind of.
            return Ok(txn.commit().await?);
        };
        let head = Letterhead::of(&txn, &row).await?;
        let mail = if reg.status == RegistrationStatus::Unconfirmed.as_str() {
            let mut a = reg.into_active_model();
            a.confirm_by = Set(Some(now + Duration::hours(CONFIRM_WITHIN_HOURS)));
            a.updated_at = Set(now);
            let reg = a.update(&txn).await?;
            self.confirm_mail(&head, &reg, now)?
        } else {
            self.registered_mail(&head, &reg, waitlist_position(&reg, &row), now)?
        };
        enqueue_prepared(&txn, mail.into_iter().collect()).await?;
        txn.commit().await?;
        self.mail.wake();
        Ok(())
    }

    /// The email of a registration that took a place or joined the
    /// waitlist, and (with a place) the reminder the day before.
    fn taken_mail(
        &self,
        head: &Letterhead<'_>,
        reg: &registration::Model,
        position: Option<i64>,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<Prepared>> {
        let mut out: Vec<Prepared> = self
            .registered_mail(head, reg, position, now)?
            .into_iter()
            .collect();
        if position.is_none() {
            let link = self.cancel_link(&head.event.slug, reg.id)?;
            out.extend(self.reminder(
                head.centre,
                head.event,
                reg,
                &head.centre_name,
                &head.place,
                &link,
                now,
            )?);
        }
        Ok(out)
    }

    /// The email saying where a registration stands, with its cancel link.
    fn registered_mail(
        &self,
        head: &Letterhead<'_>,
        reg: &registration::Model,
        position: Option<i64>,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Prepared>> {
        let link = self.cancel_link(&head.event.slug, reg.id)?;
        Self::mail(
            now,
            head.centre,
            reg,
            format!("event:{}", head.event.id),
            None,
            |l| EventRegistered {
                details: self.details(head.event, reg, l, &head.centre_name, &head.place, &link),
                waitlisted: position.is_some(),
                position: position.unwrap_or(0),
            },
        )
    }

    /// The email with the confirm link of an unconfirmed registration.
    fn confirm_mail(
        &self,
        head: &Letterhead<'_>,
        reg: &registration::Model,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Prepared>> {
        let token = self.link_token(LinkPurpose::Confirm, reg.id)?;
        let link = format!(
            "{}/events/{}/confirm#{token}",
            self.public_url, head.event.slug
        );
        Self::mail(
            now,
            head.centre,
            reg,
            format!("event:{}", head.event.id),
            None,
            |l| EventConfirm {
                details: self.details(head.event, reg, l, &head.centre_name, &head.place, ""),
                confirm_link: link,
                hours: CONFIRM_WITHIN_HOURS,
            },
        )
    }
}

/// A waitlisted registration's place on the waitlist (1 = next).
fn waitlist_position(reg: &registration::Model, ev: &event::Model) -> Option<i64> {
    match (RegistrationStatus::parse(&reg.status), reg.waitlist_ticket) {
        (Some(RegistrationStatus::Waitlisted), Some(ticket)) => {
            Some(Ord::max(ticket - ev.waitlist_left, 1))
        }
        _ => None,
    }
}

/// Inserts a new registration; `false` when the person is already
/// registered for the event (the unique index on its email refused it).
async fn insert_new(txn: &TenantTx, reg: &registration::Model) -> AppResult<bool> {
    match registration::Entity::insert(reg.clone().into_active_model())
        .exec_without_returning(txn)
        .await
    {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The token of a link as pasted (a leading `#` and spaces dropped), or
/// `message` on `token` when it cannot be one.
fn clean_token<'a>(token: &'a str, message: &str) -> AppResult<&'a str> {
    let token = token.trim().trim_start_matches('#');
    if token.is_empty() || token.len() > 200 {
        return Err(AppError::bad_input("token", message.to_owned()));
    }
    Ok(token)
}
