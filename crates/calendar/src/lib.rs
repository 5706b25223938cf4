//! One calendar of bookings shared by appointments, course sessions and
//! events: who or what (a staff member, an external interpreter, a room) is
//! taken when, and the clash check over all of it.

mod entity;

use chrono::{DateTime, Duration, Utc};
use integra_kernel::{AppResult, Backend, Clash, TenantTx, UserId, stmt};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use entity::booking;

/// The longest booking (an event may last a month); the clash query looks
/// this far back for bookings still running.
pub const MAX_BOOKING: Duration = Duration::days(32);

/// Who or what is booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// A staff member, in whatever role (worker, lecturer, interpreter).
    Person(UserId),
    /// An interpreter who is not on the staff.
    Interpreter(Uuid),
    /// A room.
    Room(Uuid),
}

impl Resource {
    fn kind(self) -> &'static str {
        match self {
            Self::Person(_) => "person",
            Self::Interpreter(_) => "interpreter",
            Self::Room(_) => "room",
        }
    }

    /// The resource's id.
    pub fn id(self) -> Uuid {
        match self {
            Self::Person(u) => u.uuid(),
            Self::Interpreter(i) | Self::Room(i) => i,
        }
    }
}

/// What a booking is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// An appointment with a client.
    Appointment,
    /// A session of a course.
    CourseSession,
    /// An event.
    Event,
}

impl SourceKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appointment => "appointment",
            Self::CourseSession => "course_session",
            Self::Event => "event",
        }
    }

    /// How a clash names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Appointment => "appointment",
            Self::CourseSession => "course session",
            Self::Event => "event",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "appointment" => Self::Appointment,
            "event" => Self::Event,
            _ => Self::CourseSession,
        }
    }
}

/// A resource a new or changed booking needs, with the role it is needed
/// in (`lecturer`, `worker`, `interpreter`, `room`) and its name for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    /// The resource.
    pub resource: Resource,
    /// Its role here, for the clash message.
    pub role: String,
    /// Its name for people.
    pub name: String,
}

impl Need {
    /// A need.
    pub fn new(resource: Resource, role: &str, name: &str) -> Self {
        Self {
            resource,
            role: role.to_owned(),
            name: name.to_owned(),
        }
    }
}

/// A time span `[starts_at, ends_at)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End (exclusive).
    pub ends_at: DateTime<Utc>,
}

impl Span {
    /// Whether two spans overlap.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// Existing bookings of the centre that clash with `needs` at any of
/// `spans`, ignoring bookings made by the sources in `except` (the thing
/// being changed). One clash per resource and booking in the way, in time
/// order.
pub async fn clashes(
    txn: &TenantTx,
    needs: &[Need],
    spans: &[Span],
    except: &[Uuid],
) -> AppResult<Vec<Clash>> {
    let (Some(first), Some(last)) = (
        spans.iter().map(|s| s.starts_at).min(),
        spans.iter().map(|s| s.ends_at).max(),
    ) else {
        return Ok(Vec::new());
    };
    if needs.is_empty() {
        return Ok(Vec::new());
    }
    let mut who = Condition::any();
    for kind in ["person", "interpreter", "room"] {
        let ids: Vec<Uuid> = needs
            .iter()
            .filter(|n| n.resource.kind() == kind)
            .map(|n| n.resource.id())
            .collect();
        if !ids.is_empty() {
            who = who.add(
                Condition::all()
                    .add(booking::Column::Resource.eq(kind))
                    .add(booking::Column::ResourceId.is_in(ids)),
            );
        }
    }
    let mut q = txn
        .find::<booking::Entity>()
        .filter(who)
        .filter(booking::Column::StartsAt.lt(last))
        .filter(booking::Column::StartsAt.gte(first - MAX_BOOKING))
        .filter(booking::Column::EndsAt.gt(first));
    if !except.is_empty() {
        q = q.filter(booking::Column::SourceId.is_not_in(except.iter().copied()));
    }
    let rows = q.order_by_asc(booking::Column::StartsAt).all(txn).await?;
    let mut out = Vec::new();
    for row in rows {
        let taken = Span {
            starts_at: row.starts_at,
            ends_at: row.ends_at,
        };
        if !spans.iter().any(|s| s.overlaps(&taken)) {
            continue;
        }
        for (rank, need) in needs.iter().enumerate().filter(|(_, n)| {
            n.resource.kind() == row.resource && n.resource.id() == row.resource_id
        }) {
            out.push((
                rank,
                Clash {
                    resource: need.role.clone(),
                    resource_id: row.resource_id,
                    resource_name: need.name.clone(),
                    with_kind: SourceKind::parse(&row.source).label().to_owned(),
                    with_id: row.source_id,
                    with_title: row.title.clone(),
                    starts_at: row.starts_at,
                    ends_at: row.ends_at,
                },
            ));
        }
    }
    // In time order; for one booking, in the order the needs were given.
    out.sort_by_key(|(rank, c)| (c.starts_at, c.with_id, *rank));
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// Replaces the bookings of one source (e.g. a session) with `resources`
/// taken for `span`.
pub async fn book(
    txn: &TenantTx,
    source: SourceKind,
    source_id: Uuid,
    resources: &[Resource],
    span: Span,
    title: &str,
) -> AppResult<()> {
    book_many(txn, source, &[(source_id, span)], resources, title).await
}

/// Replaces the bookings of many sources of one kind at once (e.g. the
/// sessions of a course): each source takes `resources` for its span.
pub async fn book_many(
    txn: &TenantTx,
    source: SourceKind,
    entries: &[(Uuid, Span)],
    resources: &[Resource],
    title: &str,
) -> AppResult<()> {
    let ids: Vec<Uuid> = entries.iter().map(|(id, _)| *id).collect();
    release(txn, source, &ids).await?;
    let mut list: Vec<Resource> = resources.to_vec();
    list.sort();
    list.dedup();
    if list.is_empty() || entries.is_empty() {
        return Ok(());
    }
    let rows: Vec<booking::ActiveModel> = entries
        .iter()
        .flat_map(|(id, span)| {
            list.iter().map(move |r| booking::ActiveModel {
                tenant_id: Set(txn.centre().uuid()),
                source: Set(source.as_str().to_owned()),
                source_id: Set(*id),
                resource: Set(r.kind().to_owned()),
                resource_id: Set(r.id()),
                starts_at: Set(span.starts_at),
                ends_at: Set(span.ends_at),
                title: Set(title.to_owned()),
            })
        })
        .collect();
    for chunk in rows.chunks(500) {
        booking::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Removes the bookings of the given sources (cancelled, deleted).
pub async fn release(txn: &TenantTx, source: SourceKind, source_ids: &[Uuid]) -> AppResult<()> {
    if source_ids.is_empty() {
        return Ok(());
    }
    for chunk in source_ids.chunks(500) {
        txn.delete_many::<booking::Entity>()
            .filter(booking::Column::Source.eq(source.as_str()))
            .filter(booking::Column::SourceId.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Serialises bookings of the same resources on PostgreSQL until the
/// transaction ends, so that two simultaneous bookings cannot both pass
/// the clash check. SQLite writers are serialised already.
pub async fn lock(txn: &TenantTx, resources: &[Resource]) -> AppResult<()> {
    let backend = txn.backend();
    if backend != Backend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<String> = resources
        .iter()
        .map(|r| format!("booking:{}", r.id()))
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        txn.execute_raw(stmt(
            backend,
            "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
            vec![k.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The need of a room of `centre`, named; a room of another centre or none
/// is bad input on `field`.
pub async fn room_need(txn: &TenantTx, id: Uuid, field: &str) -> AppResult<Need> {
    let row = centre_row(txn, "name FROM rooms", id, field, "a room").await?;
    let name: String = row.try_get("", "name")?;
    Ok(Need::new(Resource::Room(id), "room", &name))
}

/// One row of `columns_from` (`"name FROM rooms"`) with the id in the
/// centre, or bad input on `field` ("is not {what} of this centre").
async fn centre_row(
    txn: &TenantTx,
    columns_from: &str,
    id: Uuid,
    field: &str,
    what: &str,
) -> AppResult<sea_orm::QueryResult> {
    txn.query_one_raw(txn.stmt(
        &format!("SELECT {columns_from} WHERE tenant_id = :tenant AND id = ?"),
        vec![id.into()],
    ))
    .await?
    .ok_or_else(|| {
        integra_kernel::AppError::bad_input(field, format!("is not {what} of this centre"))
    })
}

/// The need of an interpreter of `centre`: the staff member when the
/// interpreter is on the staff (so they cannot interpret and counsel or
/// teach at once), else the external interpreter. Another centre's
/// interpreter or none is bad input on `field`.
pub async fn interpreter_need(txn: &TenantTx, id: Uuid, field: &str) -> AppResult<Need> {
    let row = centre_row(
        txn,
        "name, user_id FROM interpreters",
        id,
        field,
        "an interpreter",
    )
    .await?;
    let name: String = row.try_get("", "name")?;
    let user: Option<Uuid> = row.try_get("", "user_id")?;
    let resource = match user {
        Some(u) => Resource::Person(UserId(u)),
        None => Resource::Interpreter(id),
    };
    Ok(Need::new(resource, "interpreter", &name))
}

/// A clash check that let the change through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    /// Nothing was in the way.
    Free,
    /// The clashes were overridden for `reason`; the caller records it.
    Overridden {
        /// What was in the way.
        clashes: Vec<Clash>,
        /// Why the caller went ahead anyway.
        reason: String,
    },
}

/// The clash check every booking goes through: locks the resources (see
/// [`lock`]), finds what is in the way (see [`clashes`]) and refuses it with
/// `CONFLICT` listing each clash, unless an `override_reason` is given by
/// someone who `may_override` (anyone else giving one is `FORBIDDEN`).
pub async fn check(
    txn: &TenantTx,
    needs: &[Need],
    spans: &[Span],
    except: &[Uuid],
    may_override: bool,
    override_reason: Option<&str>,
) -> AppResult<Checked> {
    let resources: Vec<Resource> = needs.iter().map(|n| n.resource).collect();
    lock(txn, &resources).await?;
    let found = clashes(txn, needs, spans, except).await?;
    if found.is_empty() {
        return Ok(Checked::Free);
    }
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) if may_override => Ok(Checked::Overridden {
            clashes: found,
            reason: integra_kernel::validate::text("overrideReason", reason, 500, true)?,
        }),
        Some(_) => Err(integra_kernel::AppError::Forbidden),
        None => Err(integra_kernel::AppError::Clashes(found)),
    }
}

/// Clashes as stored with an override (JSON, the API's field names).
pub fn clashes_json(clashes: &[Clash]) -> serde_json::Value {
    serde_json::Value::Array(
        clashes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "resource": c.resource, "resourceId": c.resource_id,
                    "resourceName": c.resource_name, "withKind": c.with_kind,
                    "withId": c.with_id, "withTitle": c.with_title,
                    "startsAt": c.starts_at, "endsAt": c.ends_at,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn spans_overlap_only_when_they_share_time() {
        let at = |h| Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0).unwrap();
        let a = Span {
            starts_at: at(9),
            ends_at: at(10),
        };
        let b = Span {
            starts_at: at(10),
            ends_at: at(11),
        };
        let c = Span {
            starts_at: at(9),
            ends_at: at(11),
        };
        assert!(!a.overlaps(&b), "back to back is no clash");
        assert!(a.overlaps(&c) && c.overlaps(&b));
    }
}
