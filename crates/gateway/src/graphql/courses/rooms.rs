//! Rooms of the centre's branches.

use crate::graphql::ids::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Object, SimpleObject};
use integra_kernel::BranchId;
use integra_kernel::scope::can;

/// A room.
#[derive(SimpleObject)]
pub struct Room {
    id: Id<RoomId>,
    branch_id: Id<BranchId>,
    name: String,
    capacity: Option<i32>,
}

impl From<integra_courses::Room> for Room {
    fn from(r: integra_courses::Room) -> Self {
        Self {
            id: Id::from(r.id),
            branch_id: Id::from(r.branch_id),
            name: r.name,
            capacity: r.capacity,
        }
    }
}

/// Queries: rooms of the centre's branches.
#[derive(Default)]
pub struct RoomsQuery;

#[Object]
impl RoomsQuery {
    /// The centre's rooms.
    async fn rooms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Room>> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let list = services(ctx)?.courses.rooms(&auth).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}

/// Mutations: rooms of the centre's branches.
#[derive(Default)]
pub struct RoomsMutation;

#[Object]
impl RoomsMutation {
    /// Adds a room to a branch (coordinators, admins).
    async fn create_room(
        &self,
        ctx: &Context<'_>,
        branch_id: Id<BranchId>,
        name: String,
        capacity: Option<i32>,
    ) -> async_graphql::Result<Room> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let r = services(ctx)?
            .courses
            .create_room(&auth, branch_id.get(), &name, capacity)
            .await
            .gql()?;
        Ok(r.into())
    }
}
