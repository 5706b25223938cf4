//! What other contexts need to know about clients inside their own
//! transaction: the facts eligibility is evaluated from, and names for
//! display. Reading them is part of the caller's operation, which writes
//! its own audit line.

use std::collections::HashMap;

use chrono::NaiveDate;
use integra_kernel::TenantTx;
use integra_kernel::{AppError, AppResult, Backend, ClientId, one_of};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::{client, residence};
use crate::model::ClientSummary;
use crate::residence::{ResidencePeriod, ResidenceStatusKind};

/// The facts a service's eligibility is evaluated from.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceFacts {
    /// The record (after following merges: the kept record).
    pub id: ClientId,
    /// Nationality (ISO 3166-1 alpha-2).
    pub nationality: String,
    /// Identity verified from the residence document.
    pub identity_verified: bool,
    /// Residence history.
    pub periods: Vec<ResidencePeriod>,
    /// Email address, empty when unknown.
    pub email: String,
    /// Languages, most used first.
    pub languages: Vec<String>,
}

/// The kept records of `ids` (clients of the scope's centre), in the order
/// given, following merges. An unknown id, or one of another centre, is
/// `NOT_FOUND`; an anonymised record is refused naming `field`.
async fn kept_rows(txn: &TenantTx, ids: &[ClientId], field: &str) -> AppResult<Vec<client::Model>> {
    let mut rows: HashMap<uuid::Uuid, client::Model> = HashMap::new();
    let mut wanted: Vec<uuid::Uuid> = ids.iter().map(|i| i.uuid()).collect();
    for _ in 0..crate::MERGE_CHAIN_LIMIT {
        wanted.retain(|id| !rows.contains_key(id));
        if wanted.is_empty() {
            break;
        }
        let found = txn
            .find::<client::Entity>()
            .filter(one_of(Backend::of(txn), client::Column::Id, wanted.clone()))
            .all(txn)
            .await?;
        let mut next = Vec::new();
        for row in found {
            if let Some(into) = row.merged_into {
                next.push(into);
            }
            rows.insert(row.id, row);
        }
        if wanted.iter().any(|id| !rows.contains_key(id)) {
            return Err(AppError::NotFound);
        }
        wanted = next;
    }
    resolve_kept(&rows, ids, field)
}

/// The kept records of `ids` among `rows` (each id's row and the rows it
/// was merged into), in the order given: `NOT_FOUND` for a missing one,
/// `BAD_USER_INPUT` naming `field` for an anonymised one.
fn resolve_kept(
    rows: &HashMap<uuid::Uuid, client::Model>,
    ids: &[ClientId],
    field: &str,
) -> AppResult<Vec<client::Model>> {
    let kept = |mut id: uuid::Uuid| -> AppResult<client::Model> {
        for _ in 0..crate::MERGE_CHAIN_LIMIT {
            let row = rows.get(&id).ok_or(AppError::NotFound)?;
            match row.merged_into {
                Some(into) => id = into,
                None => return Ok(row.clone()),
            }
        }
        Err(AppError::internal_msg("merge chain too long"))
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = kept(id.uuid())?;
        if row.anonymised_at.is_some() {
            return Err(AppError::bad_input(
                field,
                "the client's record was anonymised",
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// The record that answers for `id` (after merges), checked to be a live
/// client of the scope's centre: one query in the usual case. For paths
/// that only need the id (timeline, notes, cases, tasks, appointments).
pub async fn kept_client(txn: &TenantTx, id: ClientId, field: &str) -> AppResult<ClientId> {
    kept_rows(txn, &[id], field)
        .await?
        .first()
        .map(|r| ClientId(r.id))
        .ok_or(AppError::NotFound)
}

/// Loads the facts of `ids` (clients of the scope's centre), in the order
/// given, following merges to the kept record. An unknown id, or one of
/// another centre, is `NOT_FOUND`; an anonymised record is refused naming
/// `field`.
pub async fn service_facts(
    txn: &TenantTx,
    ids: &[ClientId],
    field: &str,
) -> AppResult<Vec<ServiceFacts>> {
    let kept_rows = kept_rows(txn, ids, field).await?;
    let kept_ids: Vec<uuid::Uuid> = kept_rows.iter().map(|r| r.id).collect();
    let residence = txn
        .find::<residence::Entity>()
        .filter(one_of(
            Backend::of(txn),
            residence::Column::ClientId,
            kept_ids,
        ))
        .order_by_asc(residence::Column::ValidFrom)
        .order_by_asc(residence::Column::Id)
        .all(txn)
        .await?;
    Ok(facts_of(kept_rows, residence))
}

/// [`service_facts`] from rows read elsewhere (by a PostgreSQL function
/// that reads them with the rest of a service's inputs, see the
/// counselling context): `clients`, the rows of `ids` and of every record
/// they were merged into, and `residence`, the residence history of those
/// records, each as PostgreSQL's `to_jsonb` gives the row. Checked as
/// [`service_facts`] checks them.
pub fn service_facts_from_rows(
    clients: Vec<serde_json::Value>,
    residence: Vec<serde_json::Value>,
    ids: &[ClientId],
    field: &str,
) -> AppResult<Vec<ServiceFacts>> {
    let bad = |e: serde_json::Error| AppError::internal_msg(format!("client row: {e}"));
    let mut rows = HashMap::new();
    for row in clients {
        let row: client::Model = serde_json::from_value(row).map_err(bad)?;
        rows.insert(row.id, row);
    }
    let kept = resolve_kept(&rows, ids, field)?;
    let residence = residence
        .into_iter()
        .map(|r| serde_json::from_value::<residence::Model>(r).map_err(bad))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(facts_of(kept, residence))
}

/// The facts of the kept records from their residence rows (oldest first).
fn facts_of(kept_rows: Vec<client::Model>, residence: Vec<residence::Model>) -> Vec<ServiceFacts> {
    let mut periods: HashMap<uuid::Uuid, Vec<ResidencePeriod>> = HashMap::new();
    for r in residence {
        if let Some(status) = ResidenceStatusKind::parse(&r.status) {
            periods
                .entry(r.client_id)
                .or_default()
                .push(ResidencePeriod {
                    status,
                    valid_from: r.valid_from,
                    valid_to: r.valid_to,
                    proceedings_pending: r.proceedings_pending,
                });
        }
    }
    kept_rows
        .into_iter()
        .map(|r| ServiceFacts {
            id: ClientId(r.id),
            nationality: r.nationality.clone(),
            identity_verified: r.identity_verified_at.is_some(),
            periods: periods.remove(&r.id).unwrap_or_default(),
            email: r.email.clone(),
            languages: crate::model::split_list(&r.languages),
        })
        .collect()
}

/// Names and basic facts of `ids` for display (search-result form), in no
/// particular order; unknown ids are left out.
pub async fn summaries(
    txn: &TenantTx,
    today: NaiveDate,
    ids: &[uuid::Uuid],
) -> AppResult<Vec<ClientSummary>> {
    crate::search::summaries(txn, today, ids).await
}

/// How to write to a client: for emails about their appointments, courses
/// and events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The record.
    pub id: ClientId,
    /// Given and family name.
    pub name: String,
    /// Email address, empty when unknown.
    pub email: String,
    /// Languages, most used first.
    pub languages: Vec<String>,
}

/// The contact of a client of the scope's centre; `None` for an unknown or
/// anonymised record (nobody to write to).
pub async fn contact(txn: &TenantTx, id: ClientId) -> AppResult<Option<Contact>> {
    Ok(contacts(txn, &[id]).await?.remove(&id))
}

/// The contacts of many clients at once (e.g. everyone enrolled in a
/// course); unknown and anonymised records are left out.
pub async fn contacts(txn: &TenantTx, ids: &[ClientId]) -> AppResult<HashMap<ClientId, Contact>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in txn
            .find::<client::Entity>()
            .filter(client::Column::Id.is_in(chunk.iter().map(|c| c.uuid())))
            .filter(client::Column::AnonymisedAt.is_null())
            .all(txn)
            .await?
        {
            out.insert(
                ClientId(r.id),
                Contact {
                    id: ClientId(r.id),
                    name: format!("{} {}", r.given_name, r.family_name)
                        .trim()
                        .to_owned(),
                    email: r.email,
                    languages: crate::model::split_list(&r.languages),
                },
            );
        }
    }
    Ok(out)
}

/// Display names ("given family") of clients of the scope's centre, for
/// lists such as a course's participants; anonymised records show as
/// "(anonymised)". Unknown ids are left out.
pub async fn names(txn: &TenantTx, ids: &[ClientId]) -> AppResult<HashMap<ClientId, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in txn
            .find::<client::Entity>()
            .filter(client::Column::Id.is_in(chunk.iter().map(|c| c.uuid())))
            .all(txn)
            .await?
        {
            let name = if r.anonymised_at.is_some() {
                "(anonymised)".to_owned()
            } else {
                format!("{} {}", r.given_name, r.family_name)
                    .trim()
                    .to_owned()
            };
            out.insert(ClientId(r.id), name);
        }
    }
    Ok(out)
}
