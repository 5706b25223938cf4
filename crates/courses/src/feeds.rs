//! Calendar feeds: a secret, revocable iCalendar address per lecturer and
//! per room, to subscribe to from any calendar application. The address is
//! shown once; only its hash is stored (`calendar_feeds`, read without a
//! centre like the public event directory, then everything inside the
//! centre). Times are written in UTC, which every client converts to its
//! own zone; cancelled sessions stay in the feed marked `CANCELLED`, so
//! subscribers see them go.

use chrono::Duration;
use icalendar::{Calendar, Component, EventLike, EventStatus};
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, CentreId, UserId};
use integra_tenants::auth::{new_token, sha256_hex};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::entity::{course, feed, lecturer, room, session};
use crate::model::SessionStatus;
use crate::service::{CourseService, manages};

/// Whose sessions a feed shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedOwner {
    /// A lecturer: the courses they teach and the sessions they substitute.
    Lecturer(UserId),
    /// A room.
    Room(Uuid),
}

impl FeedOwner {
    fn parts(self) -> (&'static str, Uuid) {
        match self {
            Self::Lecturer(u) => ("lecturer", u.uuid()),
            Self::Room(r) => ("room", r),
        }
    }
}

/// How far back and ahead a feed reaches.
const PAST_DAYS: i64 = 60;
const FUTURE_DAYS: i64 = 400;

impl CourseService {
    /// Creates a feed address (lecturers: their own; course managers: any
    /// lecturer's or room's). The address is returned once.
    pub async fn create_feed(
        &self,
        auth: &Authorized<'_, can::Teach>,
        owner: FeedOwner,
    ) -> AppResult<String> {
        let txn = self.db().scoped_write(auth).await?;
        match owner {
            FeedOwner::Lecturer(u) => {
                if !manages(auth) && u != auth.user_id() {
                    return Err(AppError::Forbidden);
                }
                integra_tenants::staff::require_members(&txn, &[u], "ownerId").await?;
            }
            FeedOwner::Room(r) => {
                if !manages(auth) {
                    return Err(AppError::Forbidden);
                }
                txn.find_by_id::<room::Entity>(r)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::bad_input("ownerId", "is not a room of this centre")
                    })?;
            }
        }
        let token = new_token()?;
        let (kind, id) = owner.parts();
        feed::Entity::insert(feed::ActiveModel {
            token_hash: Set(sha256_hex(token.as_bytes())),
            centre_id: Set(auth.centre_id().uuid()),
            owner_kind: Set(kind.to_owned()),
            owner_id: Set(id),
            created_by: Set(Some(auth.user_id().uuid())),
            created_at: Set(self.now()),
            revoked_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(format!("{}/calendar/{token}.ics", self.public_url))
    }

    /// Revokes every feed address of `owner`; returns how many.
    pub async fn revoke_feeds(
        &self,
        auth: &Authorized<'_, can::Teach>,
        owner: FeedOwner,
    ) -> AppResult<u64> {
        if !manages(auth) && owner != FeedOwner::Lecturer(auth.user_id()) {
            return Err(AppError::Forbidden);
        }
        let (kind, id) = owner.parts();
        let txn = self.db().scoped_write(auth).await?;
        let res = feed::Entity::update_many()
            .col_expr(feed::Column::RevokedAt, Expr::value(self.now()))
            .filter(feed::Column::CentreId.eq(auth.centre_id().uuid()))
            .filter(feed::Column::OwnerKind.eq(kind))
            .filter(feed::Column::OwnerId.eq(id))
            .filter(feed::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(res.rows_affected)
    }

    /// The iCalendar text of the feed with secret `token`; `NOT_FOUND` for
    /// an unknown or revoked address.
    pub async fn feed(&self, token: &str) -> AppResult<String> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Err(AppError::NotFound);
        }
        let hash = sha256_hex(token.as_bytes());
        let row = {
            let txn = self.platform.by_secret(&hash).await?;
            let row = feed::Entity::find_by_id(hash).one(&txn).await?;
            txn.commit().await?;
            row.filter(|f| f.revoked_at.is_none())
                .ok_or(AppError::NotFound)?
        };
        let centre = CentreId::from(row.centre_id);
        let txn = self.platform.unscoped_for_centre(centre).await?;
        let now = self.now();
        let mut q = txn
            .find::<session::Entity>()
            .filter(session::Column::StartsAt.gt(now - Duration::days(PAST_DAYS)))
            .filter(session::Column::StartsAt.lt(now + Duration::days(FUTURE_DAYS)));
        let title = match row.owner_kind.as_str() {
            "room" => {
                q = q.filter(session::Column::RoomId.eq(row.owner_id));
                txn.find_by_id::<room::Entity>(row.owner_id)
                    .one(&txn)
                    .await?
                    .map(|r| r.name)
                    .unwrap_or_default()
            }
            _ => {
                // A person's feed ends with their place on the staff.
                if !integra_tenants::staff::is_active_member(&txn, UserId(row.owner_id)).await? {
                    return Err(AppError::NotFound);
                }
                let taught: Vec<Uuid> = txn
                    .find::<lecturer::Entity>()
                    .select_only()
                    .column(lecturer::Column::CourseId)
                    .filter(lecturer::Column::UserId.eq(row.owner_id))
                    .into_tuple()
                    .all(&txn)
                    .await?;
                q = q.filter(
                    Condition::any()
                        .add(
                            Condition::all()
                                .add(session::Column::CourseId.is_in(taught))
                                .add(session::Column::SubstituteId.is_null()),
                        )
                        .add(session::Column::SubstituteId.eq(row.owner_id)),
                );
                integra_tenants::staff::user_names(&txn, &[UserId(row.owner_id)])
                    .await?
                    .remove(&UserId(row.owner_id))
                    .unwrap_or_default()
            }
        };
        let sessions = q
            .order_by_asc(session::Column::StartsAt)
            .limit(5_000)
            .all(&txn)
            .await?;
        let mut course_ids: Vec<Uuid> = sessions.iter().map(|s| s.course_id).collect();
        course_ids.sort();
        course_ids.dedup();
        let courses: std::collections::HashMap<Uuid, String> = txn
            .find::<course::Entity>()
            .filter(course::Column::Id.is_in(course_ids))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect();
        let rooms: std::collections::HashMap<Uuid, String> = txn
            .find::<room::Entity>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        txn.commit().await?;
        let mut cal = Calendar::new();
        cal.name(&format!("Integra: {title}"));
        for s in sessions {
            let mut ev = icalendar::Event::new();
            ev.uid(&format!("{}@integra", s.id))
                .summary(
                    courses
                        .get(&s.course_id)
                        .map(String::as_str)
                        .unwrap_or("Course"),
                )
                .starts(s.starts_at)
                .ends(s.ends_at)
                .timestamp(s.updated_at)
                .status(if s.status == SessionStatus::Cancelled.as_str() {
                    EventStatus::Cancelled
                } else {
                    EventStatus::Confirmed
                });
            if let Some(r) = s.room_id.and_then(|r| rooms.get(&r)) {
                ev.location(r);
            }
            if !s.note.is_empty() {
                ev.description(&s.note);
            }
            cal.push(ev.done());
        }
        Ok(cal.done().to_string())
    }
}
