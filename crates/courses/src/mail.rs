//! Emails to clients about their courses, queued in the transaction of the
//! change: a place that came free from the waitlist, a session moved, a
//! session cancelled. Only enrolled clients with a usable address are
//! written to, and only about sessions still ahead.

use chrono::{DateTime, Utc};
use integra_clients::facts::{Contact, contact, contacts};
use integra_kernel::TenantTx;
use integra_kernel::{AppResult, BranchId, ClientId, TenantScope};
use integra_notify::templates::{
    CourseDetails, CoursePlace, CourseSessionCancelled, CourseSessionMoved,
};
use integra_notify::{Envelope, Language, Letter, enqueue, is_deliverable};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entity::{course, enrolment, room, session};
use crate::model::{EnrolmentStatus, SessionStatus};

/// Where the course meets: the room and the branch address.
async fn place(
    txn: &TenantTx,
    c: &course::Model,
    room_id: Option<uuid::Uuid>,
) -> AppResult<(String, String)> {
    let (centre, address) =
        integra_tenants::centres::letterhead(txn, c.branch_id.map(BranchId)).await?;
    let room_name = match room_id {
        Some(r) => txn
            .find_by_id::<room::Entity>(r)
            .one(txn)
            .await?
            .map(|r| r.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let place = [room_name, address]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Ok((centre, place))
}

/// Writes `letter(language, name)` to `person` when they have an address.
async fn tell<L: Letter>(
    txn: &TenantTx,
    scope: &TenantScope,
    person: Option<&Contact>,
    reference: String,
    now: DateTime<Utc>,
    letter: impl FnOnce(Language, String) -> L,
) -> AppResult<bool> {
    let Some(person) = person.filter(|p| is_deliverable(&p.email)) else {
        return Ok(false);
    };
    let language = Language::for_speaker(&person.languages);
    let envelope = Envelope {
        tenant: Some(scope.centre_id()),
        client: Some(person.id),
        reference,
        to: person.email.clone(),
        to_name: person.name.clone(),
        language,
        send_at: None,
    };
    enqueue(txn, now, envelope, &letter(language, person.name.clone())).await?;
    Ok(true)
}

/// Tells every enrolled client that session `s` moved (from `previous`)
/// or, with `previous` `None`, was cancelled. Says whether any email was
/// queued.
pub(crate) async fn session_changed(
    txn: &TenantTx,
    scope: &TenantScope,
    c: &course::Model,
    s: &session::Model,
    previous: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let relevant = previous.unwrap_or(s.starts_at).max(s.starts_at);
    if relevant <= now {
        return Ok(false);
    }
    let enrolled = txn
        .find::<enrolment::Entity>()
        .filter(enrolment::Column::CourseId.eq(c.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .order_by_asc(enrolment::Column::Id)
        .all(txn)
        .await?;
    if enrolled.is_empty() {
        return Ok(false);
    }
    let (centre, where_) = place(txn, c, s.room_id).await?;
    let ids: Vec<ClientId> = enrolled.iter().map(|e| ClientId(e.client_id)).collect();
    let people = contacts(txn, &ids).await?;
    let mut any = false;
    for e in enrolled {
        let person = people.get(&ClientId(e.client_id));
        let details = |name: String| CourseDetails {
            name,
            title: c.title.clone(),
            centre: centre.clone(),
            place: where_.clone(),
        };
        let reference = format!("course-session:{}", s.id);
        any |= match previous {
            Some(prev) => {
                tell(txn, scope, person, reference, now, |l, name| {
                    CourseSessionMoved {
                        course: details(name),
                        previous: l.when(prev),
                        when: l.when(s.starts_at),
                        until: l.time(s.ends_at),
                    }
                })
                .await?
            }
            None => {
                tell(txn, scope, person, reference, now, |l, name| {
                    CourseSessionCancelled {
                        course: details(name),
                        when: l.when(s.starts_at),
                        reason: s.note.clone(),
                    }
                })
                .await?
            }
        };
    }
    Ok(any)
}

/// Tells a client who moved up from the waitlist that the place is theirs.
pub(crate) async fn place_given(
    txn: &TenantTx,
    scope: &TenantScope,
    c: &course::Model,
    client: ClientId,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let next = txn
        .find::<session::Entity>()
        .filter(session::Column::CourseId.eq(c.id))
        .filter(session::Column::Status.eq(SessionStatus::Scheduled.as_str()))
        .filter(session::Column::StartsAt.gt(now))
        .order_by_asc(session::Column::StartsAt)
        .one(txn)
        .await?;
    let (centre, where_) =
        place(txn, c, next.as_ref().and_then(|s| s.room_id).or(c.room_id)).await?;
    let person = contact(txn, client).await?;
    tell(
        txn,
        scope,
        person.as_ref(),
        format!("course:{}", c.id),
        now,
        |l, name| CoursePlace {
            course: CourseDetails {
                name,
                title: c.title.clone(),
                centre,
                place: where_,
            },
            next: next.map(|s| l.when(s.starts_at)).unwrap_or_default(),
        },
    )
    .await
}
