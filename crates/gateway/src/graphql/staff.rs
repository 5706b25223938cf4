//! GraphQL for a centre's staff: who works there, with which roles.

use super::access::{Role, domain_roles, roles_of};
use crate::graphql::ids::*;
use async_graphql::{Context, Object, SimpleObject};
use integra_kernel::UserId;
use integra_kernel::scope::can;
use integra_tenants::StaffMember as DomainMember;

use super::{GqlResultExt, scope, services};

/// A member of the active centre's staff.
#[derive(SimpleObject)]
pub struct StaffMember {
    /// The user's id.
    user_id: Id<UserId>,
    /// Sign-in email.
    email: String,
    /// Name to show.
    display_name: String,
    /// Roles in this centre, e.g. `counsellor`.
    roles: Vec<Role>,
    /// Whether the account is disabled.
    disabled: bool,
}

impl From<DomainMember> for StaffMember {
    fn from(m: DomainMember) -> Self {
        Self {
            user_id: Id::from(m.user.id),
            email: m.user.email,
            display_name: m.user.display_name,
            roles: roles_of(m.roles.iter()),
            disabled: m.disabled,
        }
    }
}

/// A colleague in the active centre, as every member may see them.
#[derive(SimpleObject)]
pub struct Colleague {
    /// The user's id (as in `workerId`, `assigneeId`, …).
    user_id: Id<UserId>,
    /// Name to show.
    display_name: String,
    /// Roles in this centre, e.g. `counsellor`.
    roles: Vec<Role>,
}

impl From<DomainMember> for Colleague {
    fn from(m: DomainMember) -> Self {
        Self {
            user_id: Id::from(m.user.id),
            display_name: m.user.display_name,
            roles: roles_of(m.roles.iter()),
        }
    }
}

/// Staff queries.
#[derive(Default)]
pub struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The active centre's staff, by name (centre admins).
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StaffMember>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let list = services(ctx)?.staff.list(&auth).await.gql()?;
        Ok(list.into_iter().map(StaffMember::from).collect())
    }

    /// The active centre's staff with active accounts, by name (every
    /// member of the centre): names for worker ids, and whose calendar to
    /// open.
    async fn colleagues(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Colleague>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadCentre>().gql()?;
        let list = services(ctx)?.staff.colleagues(&auth).await.gql()?;
        Ok(list.into_iter().map(Colleague::from).collect())
    }

    /// The roles a centre admin may give within a centre, in ladder order
    /// (centre admins).
    async fn assignable_roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        Ok(roles_of(
            integra_kernel::Role::ALL
                .into_iter()
                .filter(|r| r.is_centre_role()),
        ))
    }
}

/// Staff mutations.
#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Replaces a staff member's roles in the active centre (centre admins).
    /// The centre always keeps at least one `centre_admin` (`CONFLICT`).
    async fn set_staff_roles(
        &self,
        ctx: &Context<'_>,
        user_id: Id<UserId>,
        roles: Vec<Role>,
    ) -> async_graphql::Result<StaffMember> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let user: UserId = user_id.get();
        let m = services(ctx)?
            .staff
            .set_roles(&auth, user, &domain_roles(&roles))
            .await
            .gql()?;
        Ok(m.into())
    }

    /// Removes a staff member from the active centre; their account and
    /// other centres stay (centre admins).
    async fn remove_staff_member(
        &self,
        ctx: &Context<'_>,
        user_id: Id<UserId>,
    ) -> async_graphql::Result<bool> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let user: UserId = user_id.get();
        services(ctx)?.staff.remove(&auth, user).await.gql()?;
        Ok(true)
    }
}
