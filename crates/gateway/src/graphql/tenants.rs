//! GraphQL for the tenants context: sign-in, the viewer, centres, branches.

use super::access::{Capability, Role, roles_of};
use crate::graphql::ids::*;
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use http::header::SET_COOKIE;
use integra_kernel::scope::can;
use integra_kernel::{BranchId, CentreId};
use integra_tenants::{Authenticated, Branch as DomainBranch, Centre as DomainCentre, NewBranch};

use super::{GqlResultExt, platform, request, scope, services, signed_in};
use crate::session_cookie;

/// A centre (tenant): an operator's integration centre.
#[derive(SimpleObject, Clone)]
pub struct Centre {
    /// Id.
    id: Id<CentreId>,
    /// Short URL-safe name.
    slug: String,
    /// Name.
    name: String,
    /// Organisation that runs the centre.
    operator: String,
    /// Region name, e.g. "Ústecký kraj".
    region: String,
    /// Region's NUTS3 code, e.g. "CZ042".
    region_code: String,
    /// Region's ISO 3166-2 code, e.g. "CZ-42".
    region_iso: String,
    /// Town of the seat.
    seat: String,
}

impl From<&DomainCentre> for Centre {
    fn from(c: &DomainCentre) -> Self {
        Self {
            id: Id::from(c.id),
            slug: c.slug.clone(),
            name: c.name.clone(),
            operator: c.operator.clone(),
            region: c.region.name.to_owned(),
            region_code: c.region.nuts3.to_owned(),
            region_iso: c.region.iso.to_owned(),
            seat: c.seat.clone(),
        }
    }
}

/// A branch (pobočka) of a centre.
#[derive(SimpleObject)]
pub struct Branch {
    /// Id.
    id: Id<BranchId>,
    /// Name.
    name: String,
    /// Municipality.
    municipality: String,
    /// Street address.
    address: String,
}

impl From<DomainBranch> for Branch {
    fn from(b: DomainBranch) -> Self {
        Self {
            id: Id::from(b.id),
            name: b.name,
            municipality: b.municipality,
            address: b.address,
        }
    }
}

/// Input for a branch.
#[derive(InputObject)]
pub struct BranchInput {
    /// Name, unique within the centre.
    name: String,
    /// Municipality.
    municipality: String,
    /// Street address.
    #[graphql(default)]
    address: String,
}

impl From<BranchInput> for NewBranch {
    fn from(i: BranchInput) -> Self {
        Self {
            name: i.name,
            municipality: i.municipality,
            address: i.address,
        }
    }
}

/// A centre the viewer works in, with their roles there.
#[derive(SimpleObject)]
pub struct CentreMembership {
    /// The centre.
    centre: Centre,
    /// Roles held there.
    roles: Vec<Role>,
    /// Whether this is the active centre.
    active: bool,
}

/// The signed-in user.
pub struct Viewer(pub(crate) std::sync::Arc<Authenticated>);

#[Object]
impl Viewer {
    /// User id.
    async fn id(&self) -> Id<UserId> {
        Id::from(self.0.user.id)
    }

    /// Sign-in email.
    async fn email(&self) -> &str {
        &self.0.user.email
    }

    /// Name to show.
    async fn display_name(&self) -> &str {
        &self.0.user.display_name
    }

    /// Roles in the active centre plus platform roles.
    async fn roles(&self) -> Vec<Role> {
        roles_of(self.0.roles().iter())
    }

    /// What the roles in the active centre allow; empty outside a centre.
    /// Apps show or hide actions by these, not by role names.
    async fn capabilities(&self) -> Vec<Capability> {
        self.0
            .scope
            .as_ref()
            .map(|s| integra_kernel::scope::capabilities_of(s.roles()))
            .unwrap_or_default()
            .into_iter()
            .map(Capability::from)
            .collect()
    }

    /// The active centre; null for users outside centres (ministry).
    async fn centre(&self) -> Option<Centre> {
        self.0.active_centre().map(Centre::from)
    }

    /// Every centre the user belongs to (for the centre switcher).
    async fn centres(&self) -> Vec<CentreMembership> {
        let active = self.0.scope.as_ref().map(|s| s.centre_id());
        self.0
            .memberships
            .iter()
            .map(|m| CentreMembership {
                centre: Centre::from(&m.centre),
                roles: roles_of(m.roles.iter()),
                active: Some(m.centre.id) == active,
            })
            .collect()
    }

    /// When the session ends at the latest.
    async fn session_expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
}

/// Sets the cookie of a new session and answers with its viewer.
pub(crate) fn start_session(
    ctx: &Context<'_>,
    svc: &super::Services,
    signed: integra_tenants::SignedIn,
) -> Viewer {
    let max_age = svc.auth.config().absolute_timeout.num_seconds();
    ctx.insert_http_header(
        SET_COOKIE,
        session_cookie::set(&signed.token, max_age, svc.secure_cookies),
    );
    Viewer(std::sync::Arc::new(signed.auth))
}

/// Queries of the tenants context.
#[derive(Default)]
pub struct TenantsQuery;

#[Object]
impl TenantsQuery {
    /// The signed-in user; null when signed out.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        Ok(request(ctx)?.auth.clone().map(Viewer))
    }

    /// All centres of the network (ministry officers and platform admins).
    async fn centres(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Centre>> {
        let actor = platform(ctx)?;
        let list = services(ctx)?
            .centres
            .unscoped_all_centres(actor)
            .await
            .gql()?;
        Ok(list.iter().map(Centre::from).collect())
    }

    /// Branches of the active centre.
    async fn branches(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Branch>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadCentre>().gql()?;
        let list = services(ctx)?.centres.branches(&auth).await.gql()?;
        Ok(list.into_iter().map(Branch::from).collect())
    }

    /// One branch of the active centre.
    async fn branch(&self, ctx: &Context<'_>, id: Id<BranchId>) -> async_graphql::Result<Branch> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadCentre>().gql()?;
        let id: BranchId = id.get();
        Ok(services(ctx)?.centres.branch(&auth, id).await.gql()?.into())
    }
}

/// Mutations of the tenants context.
#[derive(Default)]
pub struct TenantsMutation;

#[Object]
impl TenantsMutation {
    /// Signs in with email and password and sets the session cookie.
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<Viewer> {
        let svc = services(ctx)?;
        let req = request(ctx)?;
        let signed = svc
            .auth
            .sign_in(&email, &password, req.client)
            .await
            .gql()?;
        Ok(start_session(ctx, svc, signed))
    }

    /// Ends the current session and clears the cookie. False when there was
    /// no session.
    async fn sign_out(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let svc = services(ctx)?;
        let req = request(ctx)?;
        ctx.insert_http_header(SET_COOKIE, session_cookie::clear(svc.secure_cookies));
        match (&req.token, &req.auth) {
            (Some(token), Some(_)) => {
                svc.auth.sign_out(token).await.gql()?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Makes another of the viewer's centres the active one.
    async fn switch_centre(
        &self,
        ctx: &Context<'_>,
        centre_id: Id<CentreId>,
    ) -> async_graphql::Result<Viewer> {
        let auth = signed_in(ctx)?;
        let token = request(ctx)?.token.as_deref().unwrap_or_default();
        let centre: CentreId = centre_id.get();
        let next = services(ctx)?
            .auth
            .switch_centre(token, auth, centre)
            .await
            .gql()?;
        Ok(Viewer(std::sync::Arc::new(next)))
    }

    /// Adds a branch to the active centre (centre admins).
    async fn create_branch(
        &self,
        ctx: &Context<'_>,
        input: BranchInput,
    ) -> async_graphql::Result<Branch> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let b = services(ctx)?
            .centres
            .create_branch(&auth, input.into())
            .await
            .gql()?;
        Ok(b.into())
    }

    /// Changes a branch of the active centre (centre admins).
    async fn update_branch(
        &self,
        ctx: &Context<'_>,
        id: Id<BranchId>,
        input: BranchInput,
    ) -> async_graphql::Result<Branch> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: BranchId = id.get();
        let b = services(ctx)?
            .centres
            .update_branch(&auth, id, input.into())
            .await
            .gql()?;
        Ok(b.into())
    }
}
