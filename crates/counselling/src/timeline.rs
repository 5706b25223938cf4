//! A client's timeline: interventions, appointments, tasks and events in one
//! chronological list, newest first, paginated by a cursor. Each page is a
//! fixed number of queries whatever its length: one keyset query per kind
//! of entry, then the interventions' details in one batch; on PostgreSQL
//! all of them in one statement (`integra_client_timeline`).

use base64::Engine as _;
use chrono::NaiveDate;
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::scope::can;
use std::collections::HashMap;

use integra_kernel::{AppError, AppResult, Authorized, Backend, ClientId};
use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{appointment, intervention, participant, task};
use crate::model::{Appointment, Intervention, Task};
use crate::service::CounsellingService;

/// Largest page.
pub const MAX_PAGE: u64 = 200;

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum TimelineEntry {
    /// A service the client received (alone or in a group).
    Intervention(Intervention),
    /// An appointment, booked or cancelled.
    Appointment(Appointment),
    /// A follow-up task about the client.
    Task(Task),
    /// An event staff linked the client's registration to.
    Event(Box<integra_events::ClientEvent>),
}

impl TimelineEntry {
    /// The day it sorts by: service date, appointment day, task due date.
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Intervention(i) => i.occurred_on,
            Self::Appointment(a) => crate::service::local_date(a.starts_at),
            Self::Task(t) => t.due_on,
            Self::Event(e) => crate::service::local_date(e.starts_at()),
        }
    }

    /// Its id (time-ordered, breaks ties within a day).
    pub fn id(&self) -> uuid::Uuid {
        match self {
            Self::Intervention(i) => i.id,
            Self::Appointment(a) => a.id,
            Self::Task(t) => t.id,
            Self::Event(e) => e.registration.id,
        }
    }

    /// The opaque cursor pointing just after this entry.
    pub fn cursor(&self) -> String {
        encode_cursor(self.date(), self.id())
    }
}

/// A page of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelinePage {
    /// Entries, newest first.
    pub entries: Vec<TimelineEntry>,
    /// Whether older entries follow.
    pub has_next_page: bool,
}

fn encode_cursor(date: NaiveDate, id: uuid::Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{date}|{id}"))
}

fn decode_cursor(s: &str) -> AppResult<(NaiveDate, uuid::Uuid)> {
    let bad = || AppError::bad_input("after", "is not a cursor of this list");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (d, id) = text.split_once('|').ok_or_else(bad)?;
    Ok((
        NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

/// `(date, id) < (d, i)` for a keyset page going back in time.
fn before<D: ColumnTrait, I: ColumnTrait>(
    date: D,
    id: I,
    cursor: Option<(NaiveDate, uuid::Uuid)>,
) -> Condition {
    match cursor {
        None => Condition::all(),
        Some((d, i)) => Condition::any()
            .add(date.lt(d))
            .add(Condition::all().add(date.eq(d)).add(id.lt(i))),
    }
}

/// The newest entries of each kind before the cursor, at most a page and
/// one each: what a page is chosen from.
struct Candidates {
    /// Services by id and day (the participation's).
    services: Vec<(uuid::Uuid, NaiveDate)>,
    appointments: Vec<appointment::Model>,
    tasks: Vec<task::Model>,
    /// Events after the cursor.
    events: Vec<TimelineEntry>,
}

/// A place on a page: a service to fill in, or an entry as it is.
enum Slot {
    Service(uuid::Uuid),
    Entry(Box<TimelineEntry>),
}

/// The newest `first` candidates by (date, id), and whether more follow.
fn choose(c: Candidates, first: u64) -> AppResult<(Vec<Slot>, bool)> {
    let mut keyed: Vec<(NaiveDate, uuid::Uuid, Slot)> = Vec::new();
    keyed.extend(
        c.services
            .iter()
            .map(|(id, d)| (*d, *id, Slot::Service(*id))),
    );
    for a in c.appointments {
        keyed.push((
            a.starts_on,
            a.id,
            Slot::Entry(Box::new(TimelineEntry::Appointment(
                crate::appointments::from_row(a)?,
            ))),
        ));
    }
    for t in c.tasks {
        keyed.push((
            t.due_on,
            t.id,
            Slot::Entry(Box::new(TimelineEntry::Task(crate::tasks::from_row(t)))),
        ));
    }
    for e in c.events {
        keyed.push((e.date(), e.id(), Slot::Entry(Box::new(e))));
    }
    keyed.sort_by_key(|k| std::cmp::Reverse((k.0, k.1)));
    let has_next_page = keyed.len() as u64 > first;
    keyed.truncate(first as usize);
    Ok((
        keyed.into_iter().map(|(_, _, s)| s).collect(),
        has_next_page,
    ))
}

/// The ids of the services among `slots`.
fn service_ids(slots: &[Slot]) -> Vec<uuid::Uuid> {
    slots
        .iter()
        .filter_map(|s| match s {
            Slot::Service(id) => Some(*id),
            Slot::Entry(_) => None,
        })
        .collect()
}

/// The page's entries, services taken from `loaded`.
fn fill(slots: Vec<Slot>, mut loaded: HashMap<uuid::Uuid, Intervention>) -> Vec<TimelineEntry> {
    slots
        .into_iter()
        .filter_map(|s| match s {
            Slot::Service(id) => loaded.remove(&id).map(TimelineEntry::Intervention),
            Slot::Entry(e) => Some(*e),
        })
        .collect()
}

/// What `integra_client_timeline` returns for a live record.
#[derive(serde::Deserialize)]
struct TimelineRows {
    client_id: uuid::Uuid,
    keys: Vec<ServiceKey>,
    interventions: Vec<intervention::Model>,
    participants: Vec<participant::Model>,
    appointments: Vec<appointment::Model>,
    tasks: Vec<task::Model>,
    registrations: i64,
}

/// A service's place on the timeline.
#[derive(serde::Deserialize)]
struct ServiceKey {
    intervention_id: uuid::Uuid,
    occurred_on: NaiveDate,
}

impl CounsellingService {
    /// A page of the client's timeline, newest first. The read is logged.
    /// On PostgreSQL the page is one round trip (`integra_client_timeline`);
    /// elsewhere it is [`CounsellingService::timeline_by_statements`].
    pub async fn timeline(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        first: u64,
        after: Option<&str>,
    ) -> AppResult<TimelinePage> {
        if self.db.backend() != Backend::Postgres {
            return self
                .timeline_by_statements(auth, client, first, after)
                .await;
        }
        let first = first.clamp(1, MAX_PAGE);
        let (before_on, before_id) = after
            .map(decode_cursor)
            .transpose()?
            .unwrap_or((NaiveDate::MAX, uuid::Uuid::max()));
        let value = self
            .db
            .scoped_call(
                auth,
                "integra_client_timeline",
                vec![
                    client.uuid().into(),
                    self.now().into(),
                    uuid::Uuid::now_v7().into(),
                    before_on.into(),
                    before_id.into(),
                    i32::try_from(first + 1).unwrap_or(i32::MAX).into(),
                ],
            )
            .await?
            .ok_or(AppError::NotFound)?;
        if value.get("anonymised").is_some() {
            return Err(AppError::bad_input(
                "clientId",
                "the client's record was anonymised",
            ));
        }
        let rows: TimelineRows = serde_json::from_value(value)
            .map_err(|e| AppError::internal_msg(format!("timeline page: {e}")))?;
        // Events are few and rare on a timeline: read (in a transaction
        // of their own) only for a client registered to some.
        let events = if rows.registrations > 0 {
            let txn = self.db.scoped(auth).await?;
            let events = self
                .events_after(&txn, auth, ClientId(rows.client_id), after)
                .await?;
            txn.commit().await?;
            events
        } else {
            Vec::new()
        };
        let (slots, has_next_page) = choose(
            Candidates {
                services: rows
                    .keys
                    .iter()
                    .map(|k| (k.intervention_id, k.occurred_on))
                    .collect(),
                appointments: rows.appointments,
                tasks: rows.tasks,
                events,
            },
            first,
        )?;
        let loaded = crate::interventions::attach(rows.interventions, rows.participants)?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        Ok(TimelinePage {
            entries: fill(slots, loaded),
            has_next_page,
        })
    }

    /// [`CounsellingService::timeline`] statement by statement in one
    /// transaction: the path on SQLite, and on PostgreSQL the yardstick its
    /// one-statement page is tested against.
    pub async fn timeline_by_statements(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        first: u64,
        after: Option<&str>,
    ) -> AppResult<TimelinePage> {
        let first = first.clamp(1, MAX_PAGE);
        let cursor = after.map(decode_cursor).transpose()?;
        let tenant = auth.centre_id().uuid();
        let txn = self.db.scoped_write(auth).await?;
        let client = kept_client(&txn, auth, client, "clientId").await?;
        let limit = first + 1;

        let services: Vec<(uuid::Uuid, NaiveDate)> = participant::Entity::find()
            .select_only()
            .column(participant::Column::InterventionId)
            .column(participant::Column::OccurredOn)
            .filter(participant::Column::TenantId.eq(tenant))
            .filter(participant::Column::ClientId.eq(client.uuid()))
            .filter(before(
                participant::Column::OccurredOn,
                participant::Column::InterventionId,
                cursor,
            ))
            .order_by_desc(participant::Column::OccurredOn)
            .order_by_desc(participant::Column::InterventionId)
            .limit(limit)
            .into_tuple()
            .all(&txn)
            .await?;
        let appointments = appointment::Entity::find()
            .filter(appointment::Column::TenantId.eq(tenant))
            .filter(appointment::Column::ClientId.eq(client.uuid()))
            .filter(before(
                appointment::Column::StartsOn,
                appointment::Column::Id,
                cursor,
            ))
            .order_by_desc(appointment::Column::StartsOn)
            .order_by_desc(appointment::Column::Id)
            .limit(limit)
            .all(&txn)
            .await?;
        let tasks = task::Entity::find()
            .filter(task::Column::TenantId.eq(tenant))
            .filter(task::Column::ClientId.eq(client.uuid()))
            .filter(before(task::Column::DueOn, task::Column::Id, cursor))
            .order_by_desc(task::Column::DueOn)
            .order_by_desc(task::Column::Id)
            .limit(limit)
            .all(&txn)
            .await?;
        let events = self.events_after(&txn, auth, client, after).await?;
        let (slots, has_next_page) = choose(
            Candidates {
                services,
                appointments,
                tasks,
                events,
            },
            first,
        )?;
        let loaded = crate::interventions::load(&txn, auth, &service_ids(&slots))
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        let entries = fill(slots, loaded);
        audit::record(
            &txn,
            auth,
            self.now(),
            AuditAction::Read,
            client.uuid(),
            &["timeline"],
        )
        .await?;
        txn.commit().await?;
        Ok(TimelinePage {
            entries,
            has_next_page,
        })
    }

    /// The client's events after the cursor. A client has few: all are
    /// read, those after the cursor kept.
    async fn events_after(
        &self,
        txn: &DatabaseTransaction,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        after: Option<&str>,
    ) -> AppResult<Vec<TimelineEntry>> {
        let cursor = after.map(decode_cursor).transpose()?;
        Ok(integra_events::client_events(txn, auth.centre_id(), client)
            .await?
            .into_iter()
            .map(|e| TimelineEntry::Event(Box::new(e)))
            .filter(|e| cursor.is_none_or(|c| (e.date(), e.id()) < c))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let id = uuid::Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(d, id)).unwrap(), (d, id));
        let e = decode_cursor("nonsense").unwrap_err();
        assert_eq!(e.to_string(), "after: is not a cursor of this list");
    }
}
