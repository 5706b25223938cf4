//! A client's events, for their timeline and their data-subject export:
//! registrations staff linked to the client, with the event they are for.

use chrono::{DateTime, Utc};
use integra_kernel::lifecycle::{ExportSection, words};
use integra_kernel::{AppResult, ClientId, TenantTx};
use sea_orm::{ColumnTrait, QueryFilter};

use crate::entity::{event, registration};
use crate::model::{Event, Registration};
use crate::service::{registration_from_row, with_staff};

/// An event a client registered for (or was registered for by staff).
#[derive(Clone, Debug, PartialEq)]
pub struct ClientEvent {
    /// The registration.
    pub registration: Registration,
    /// The event.
    pub event: Event,
}

impl ClientEvent {
    /// When the event starts.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.event.starts_at
    }
}

/// The events of `client`, oldest first, read through the caller's
/// transaction in the centre's scope. A client has few, so all are read.
pub async fn client_events(txn: &TenantTx, client: ClientId) -> AppResult<Vec<ClientEvent>> {
    let regs = txn
        .find::<registration::Entity>()
        .filter(registration::Column::ClientId.eq(client.uuid()))
        .all(txn)
        .await?;
    if regs.is_empty() {
        return Ok(Vec::new());
    }
    let events = txn
        .find::<event::Entity>()
        .filter(event::Column::Id.is_in(regs.iter().map(|r| r.event_id)))
        .all(txn)
        .await?;
    let events = with_staff(txn, events).await?;
    let mut out = Vec::with_capacity(regs.len());
    for r in regs {
        if let Some(e) = events.iter().find(|e| e.id == r.event_id.into()) {
            out.push(ClientEvent {
                registration: registration_from_row(r)?,
                event: e.clone(),
            });
        }
    }
    out.sort_by_key(|c| (c.event.starts_at, c.registration.id));
    Ok(out)
}

/// The client's event registrations as an export table (for
/// [`EventsClientLinks`](crate::client_links::EventsClientLinks)).
pub(crate) async fn export_section(txn: &TenantTx, client: ClientId) -> AppResult<ExportSection> {
    let list = client_events(txn, client).await?;
    let mut table = ExportSection::new(
        "Events",
        &[
            "Event",
            "Starts",
            "Venue",
            "Registered as",
            "Email",
            "Organisation",
            "Status",
            "Checked in",
        ],
    );
    for c in list {
        let e = &c.event;
        let r = &c.registration;
        table.push(vec![
            e.title.clone(),
            e.starts_at
                .with_timezone(&chrono_tz::Europe::Prague)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            if e.venue.is_empty() {
                "online".to_owned()
            } else {
                e.venue.clone()
            },
            r.name.clone(),
            r.email.clone(),
            r.organisation.clone(),
            words(r.status.as_str()),
            r.checked_in_at
                .map(|t| {
                    t.with_timezone(&chrono_tz::Europe::Prague)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default(),
        ]);
    }
    Ok(table)
}
