//! Rooms of the centre's branches.

use super::*;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, ID, Object, SimpleObject};
use integra_kernel::BranchId;
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;

/// A room.
#[derive(SimpleObject)]
pub struct Room {
    id: ID,
    branch_id: ID,
    name: String,
    capacity: Option<i32>,
}

impl From<integra_courses::Room> for Room {
    fn from(r: integra_courses::Room) -> Self {
        Self {
            id: id(r.id),
            branch_id: ID(r.branch_id.to_string()),
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
        branch_id: ID,
        name: String,
        capacity: Option<i32>,
    ) -> async_graphql::Result<Room> {
        let auth = scope(ctx)?.authorize::<can::ManageCourses>().gql()?;
        let r = services(ctx)?
            .courses
            .create_room(
                &auth,
                parse_id::<BranchId>("branchId", &branch_id).gql()?,
                &name,
                capacity,
            )
            .await
            .gql()?;
        Ok(r.into())
    }
}
