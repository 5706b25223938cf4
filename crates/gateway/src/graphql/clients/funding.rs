//! Funding projects and whether a service may be charged to one.

use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Enum, Object, SimpleObject};
use integra_kernel::scope::can;
use integra_kernel::{ClientId, FundingProjectId};
use integra_tenants::{
    EligibilityRule as DomainRule, FundingProject as DomainProject, FundingSource,
};

/// Whether a service may be charged to a project.
#[derive(SimpleObject)]
pub struct Eligibility {
    /// Eligible or not.
    eligible: bool,
    /// Why, in plain words.
    reason: String,
}

/// Where a project's money comes from.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum FundingSourceKind {
    /// EU Asylum, Migration and Integration Fund.
    Amif,
    /// Czech state budget.
    StateBudget,
    /// Other.
    Other,
}

/// Who may be served from a project.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EligibilityRuleKind {
    /// The AMIF target group.
    AmifDefault,
    /// Everyone.
    Open,
}

/// A funding project of the centre.
#[derive(SimpleObject)]
pub struct FundingProject {
    /// Id.
    id: Id<FundingProjectId>,
    /// Registration number, e.g. AMIF/31/03.
    registration_number: String,
    /// Name.
    name: String,
    /// Source.
    source: FundingSourceKind,
    /// Eligibility rule.
    eligibility_rule: EligibilityRuleKind,
    /// First day.
    starts_on: Date,
    /// Last day.
    ends_on: Date,
    /// Minutes from which a service is an intervention rather than a contact.
    contact_threshold_minutes: i32,
}

impl From<DomainProject> for FundingProject {
    fn from(p: DomainProject) -> Self {
        Self {
            id: Id::from(p.id),
            registration_number: p.registration_number,
            name: p.name,
            source: match p.source {
                FundingSource::Amif => FundingSourceKind::Amif,
                FundingSource::StateBudget => FundingSourceKind::StateBudget,
                FundingSource::Other => FundingSourceKind::Other,
            },
            eligibility_rule: match p.eligibility_rule {
                DomainRule::AmifDefault => EligibilityRuleKind::AmifDefault,
                DomainRule::Open => EligibilityRuleKind::Open,
            },
            starts_on: Date(p.starts_on),
            ends_on: Date(p.ends_on),
            contact_threshold_minutes: p.contact_threshold_minutes,
        }
    }
}

/// Queries: funding projects and whether a service may be charged to one.
#[derive(Default)]
pub struct FundingQuery;

#[Object]
impl FundingQuery {
    /// Whether a service on day `on` for the client may be charged to the
    /// funding project, with the reason.
    async fn eligibility(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        on: Date,
        funding_project_id: Id<FundingProjectId>,
    ) -> async_graphql::Result<Eligibility> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let client: ClientId = client_id.get();
        let project: FundingProjectId = funding_project_id.get();
        let read = scope.authorize::<can::ReadCentre>().gql()?;
        let svc = services(ctx)?;
        let project = svc.funding.get(&read, project).await.gql()?;
        let e = svc
            .clients
            .eligibility(&auth, client, on.0, &project)
            .await
            .gql()?;
        Ok(Eligibility {
            eligible: e.eligible,
            reason: e.reason,
        })
    }

    /// The centre's funding projects.
    async fn funding_projects(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<FundingProject>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadCentre>().gql()?;
        let list = services(ctx)?.funding.list(&auth).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}
