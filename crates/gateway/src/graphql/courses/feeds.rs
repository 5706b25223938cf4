//! Calendar feeds of lecturers and rooms.

use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Enum, ID, Object};
use integra_kernel::UserId;
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;

/// Whose sessions a calendar feed shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum FeedOwnerKind {
    /// A lecturer.
    Lecturer,
    /// A room.
    Room,
}

pub(super) fn feed_owner(
    kind: FeedOwnerKind,
    owner_id: &ID,
) -> async_graphql::Result<integra_courses::feeds::FeedOwner> {
    Ok(match kind {
        FeedOwnerKind::Lecturer => integra_courses::feeds::FeedOwner::Lecturer(
            parse_id::<UserId>("ownerId", owner_id).gql()?,
        ),
        FeedOwnerKind::Room => {
            integra_courses::feeds::FeedOwner::Room(parse_id("ownerId", owner_id).gql()?)
        }
    })
}

/// Mutations: calendar feeds of lecturers and rooms.
#[derive(Default)]
pub struct FeedsMutation;

#[Object]
impl FeedsMutation {
    /// A new secret calendar-feed address (iCalendar) for a lecturer
    /// (lecturers: their own) or a room; shown once.
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        owner_kind: FeedOwnerKind,
        owner_id: ID,
    ) -> async_graphql::Result<String> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        services(ctx)?
            .courses
            .create_feed(&auth, feed_owner(owner_kind, &owner_id)?)
            .await
            .gql()
    }

    /// Revokes every feed address of a lecturer or room; returns how many.
    async fn revoke_calendar_feeds(
        &self,
        ctx: &Context<'_>,
        owner_kind: FeedOwnerKind,
        owner_id: ID,
    ) -> async_graphql::Result<i32> {
        let auth = scope(ctx)?.authorize::<can::Teach>().gql()?;
        let n = services(ctx)?
            .courses
            .revoke_feeds(&auth, feed_owner(owner_kind, &owner_id)?)
            .await
            .gql()?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
