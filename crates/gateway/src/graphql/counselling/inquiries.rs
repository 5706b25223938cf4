//! Inquiries (contacts that are not yet clients).

use super::enums::*;
use crate::graphql::clients::{ClientInput, RegisterClientResult, ResidenceInput};
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use integra_clients::NewResidence;
use integra_counselling::{self as c};
use integra_kernel::scope::can;

/// An anonymous inquiry.
#[derive(SimpleObject)]
pub struct Inquiry {
    id: Id<InquiryId>,
    occurred_on: Date,
    channel: InquiryChannel,
    language: String,
    nationality: Option<String>,
    topics: Vec<Topic>,
    duration_minutes: i32,
    outcome: InquiryOutcome,
    referred_to: String,
    worker_id: Id<UserId>,
    branch_id: Option<Id<BranchId>>,
    /// The client registered from it.
    client_id: Option<Id<ClientId>>,
}

impl From<c::Inquiry> for Inquiry {
    fn from(x: c::Inquiry) -> Self {
        Self {
            id: Id::from(x.id),
            occurred_on: Date(x.occurred_on),
            channel: x.channel.into(),
            language: x.language,
            nationality: x.nationality,
            topics: x.topics.into_iter().map(Into::into).collect(),
            duration_minutes: x.duration_minutes,
            outcome: x.outcome.into(),
            referred_to: x.referred_to,
            worker_id: Id::from(x.worker_id),
            branch_id: x.branch_id.map(Id::from),
            client_id: x.client_id.map(Id::from),
        }
    }
}

/// An anonymous inquiry to record.
#[derive(InputObject)]
pub struct InquiryInput {
    occurred_on: Option<Date>,
    channel: InquiryChannel,
    #[graphql(default)]
    language: String,
    nationality: Option<String>,
    topics: Vec<Topic>,
    duration_minutes: i32,
    outcome: InquiryOutcome,
    #[graphql(default)]
    referred_to: String,
    branch_id: Option<Id<BranchId>>,
}

/// Queries: inquiries (contacts that are not yet clients).
#[derive(Default)]
pub struct InquiriesQuery;

#[Object]
impl InquiriesQuery {
    /// Anonymous inquiries in a period, newest first.
    async fn inquiries(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<Inquiry>> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let out = services(ctx)?
            .counselling
            .inquiries(&auth, from.0, to.0)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }
}

/// Mutations: inquiries (contacts that are not yet clients).
#[derive(Default)]
pub struct InquiriesMutation;

#[Object]
impl InquiriesMutation {
    /// Records an anonymous inquiry.
    async fn record_inquiry(
        &self,
        ctx: &Context<'_>,
        input: InquiryInput,
    ) -> async_graphql::Result<Inquiry> {
        let auth = scope(ctx)?.authorize::<can::ServeDesk>().gql()?;
        let input = c::InquiryInput {
            occurred_on: input.occurred_on.map(|d| d.0),
            channel: input.channel.into(),
            language: input.language,
            nationality: input.nationality,
            topics: input.topics.into_iter().map(Into::into).collect(),
            duration_minutes: input.duration_minutes,
            outcome: input.outcome.into(),
            referred_to: input.referred_to,
            branch_id: input.branch_id.map(|v| v.get()),
        };
        Ok(services(ctx)?
            .counselling
            .record_inquiry(&auth, &input)
            .await
            .gql()?
            .into())
    }

    /// Registers the person behind an inquiry as a client (with the usual
    /// duplicate check) and links the inquiry to the new record.
    async fn register_client_from_inquiry(
        &self,
        ctx: &Context<'_>,
        inquiry_id: Id<InquiryId>,
        input: ClientInput,
        residence: Option<ResidenceInput>,
        confirm_not_duplicate: Option<bool>,
    ) -> async_graphql::Result<RegisterClientResult> {
        let scope = scope(ctx)?;
        let desk = scope.authorize::<can::ServeDesk>().gql()?;
        let register = scope.authorize::<can::RegisterClients>().gql()?;
        let id = inquiry_id.get();
        let input = input.into_domain()?;
        let residence = residence.map(NewResidence::from);
        let s = services(ctx)?;
        let r = s
            .counselling
            .register_from_inquiry(
                &s.clients,
                &desk,
                &register,
                id,
                &input,
                residence.as_ref(),
                confirm_not_duplicate.unwrap_or(false),
            )
            .await
            .gql()?;
        Ok(crate::graphql::clients::registered(r))
    }
}
