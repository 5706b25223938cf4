//! A client's timeline: interventions, appointments, tasks and events in one
//! chronological list, newest first, paginated by a cursor. Each page is a
//! fixed number of queries whatever its length: one keyset query per kind
//! of entry, then the interventions' details in one batch.

use base64::Engine as _;
use chrono::NaiveDate;
use integra_clients::audit::{self, AuditAction};
use integra_clients::facts::kept_client;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, ClientId};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{appointment, participant, task};
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
            Self::Intervention(i) => i.id.into(),
            Self::Appointment(a) => a.id.into(),
            Self::Task(t) => t.id.into(),
            Self::Event(e) => e.registration.id.into(),
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

impl CounsellingService {
    /// A page of the client's timeline, newest first. The read is logged.
    pub async fn timeline(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        client: ClientId,
        first: u64,
        after: Option<&str>,
    ) -> AppResult<TimelinePage> {
        let first = first.clamp(1, MAX_PAGE);
        let cursor = after.map(decode_cursor).transpose()?;
        let txn = self.db.scoped_write(auth).await?;
        let client = kept_client(&txn, client, "clientId").await?;
        let limit = first + 1;

        let services: Vec<(uuid::Uuid, NaiveDate)> = txn
            .find::<participant::Entity>()
            .select_only()
            .column(participant::Column::InterventionId)
            .column(participant::Column::OccurredOn)
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
        let appointments = txn
            .find::<appointment::Entity>()
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
        let tasks = txn
            .find::<task::Entity>()
            .filter(task::Column::ClientId.eq(client.uuid()))
            .filter(before(task::Column::DueOn, task::Column::Id, cursor))
            .order_by_desc(task::Column::DueOn)
            .order_by_desc(task::Column::Id)
            .limit(limit)
            .all(&txn)
            .await?;

        // A client has few events: all are read, those after the cursor kept.
        let events: Vec<TimelineEntry> = integra_events::client_events(&txn, client)
            .await?
            .into_iter()
            .map(|e| TimelineEntry::Event(Box::new(e)))
            .filter(|e| cursor.is_none_or(|c| (e.date(), e.id()) < c))
            .collect();

        // Merge by (date, id) descending; keep the first `first` + 1.
        enum Key {
            Service(uuid::Uuid),
            Appointment(usize),
            Task(usize),
            Event(usize),
        }
        let mut keys: Vec<(NaiveDate, uuid::Uuid, Key)> = Vec::new();
        keys.extend(services.iter().map(|(id, d)| (*d, *id, Key::Service(*id))));
        keys.extend(
            appointments
                .iter()
                .enumerate()
                .map(|(n, a)| (a.starts_on, a.id, Key::Appointment(n))),
        );
        keys.extend(
            tasks
                .iter()
                .enumerate()
                .map(|(n, t)| (t.due_on, t.id, Key::Task(n))),
        );
        keys.extend(
            events
                .iter()
                .enumerate()
                .map(|(n, e)| (e.date(), e.id(), Key::Event(n))),
        );
        keys.sort_by_key(|k| std::cmp::Reverse((k.0, k.1)));
        let has_next_page = keys.len() as u64 > first;
        keys.truncate(first as usize);

        let service_ids: Vec<uuid::Uuid> = keys
            .iter()
            .filter_map(|(_, _, k)| match k {
                Key::Service(id) => Some(*id),
                _ => None,
            })
            .collect();
        let mut loaded: std::collections::HashMap<uuid::Uuid, Intervention> =
            crate::interventions::load(&txn, &service_ids)
                .await?
                .into_iter()
                .map(|i| (i.id.uuid(), i))
                .collect();
        let mut entries = Vec::with_capacity(keys.len());
        for (_, _, k) in keys {
            match k {
                Key::Service(id) => {
                    if let Some(i) = loaded.remove(&id) {
                        entries.push(TimelineEntry::Intervention(i));
                    }
                }
                Key::Appointment(n) => {
                    if let Some(a) = appointments.get(n) {
                        entries.push(TimelineEntry::Appointment(crate::appointments::from_row(
                            a.clone(),
                        )?));
                    }
                }
                Key::Task(n) => {
                    if let Some(t) = tasks.get(n) {
                        entries.push(TimelineEntry::Task(crate::tasks::from_row(t.clone())));
                    }
                }
                Key::Event(n) => {
                    if let Some(e) = events.get(n) {
                        entries.push(e.clone());
                    }
                }
            }
        }
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
