//! The client page: the registry's record with what the contexts above it
//! keep about the client (consents and household from the client records,
//! the latest services from counselling). It sits above all three, so none of
//! them imports another's GraphQL.

use crate::graphql::ids::*;
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use integra_clients as clients;
use integra_kernel::ClientId;
use integra_kernel::scope::can;

use super::clients::*;
use super::scalars::Date;
use super::{GqlResultExt, scope, services};

/// Latest interventions on a client page unless the query says otherwise.
const LATEST_DEFAULT: i32 = 20;

/// Most latest interventions one page may ask for.
const LATEST_MAX: i32 = 100;

/// How many latest interventions the selection asks for, when it asks
/// once, with a valid count (otherwise the field resolves, and complains,
/// on its own).
fn latest_asked(look: &async_graphql::Lookahead<'_>) -> Option<u64> {
    let fields = look.field("latestInterventions").selection_fields();
    let [field] = fields.as_slice() else {
        return None;
    };
    let args = field.arguments().ok()?;
    let first = match args.iter().find(|(name, _)| name.as_str() == "first") {
        Some((_, async_graphql::Value::Number(n))) => n.as_u64()?,
        Some(_) => return None,
        None => LATEST_DEFAULT as u64,
    };
    (1..=LATEST_MAX as u64).contains(&first).then_some(first)
}

#[Object]
impl Client {
    /// Id.
    async fn id(&self) -> Id<ClientId> {
        Id::from(self.0.id)
    }
    /// Given name(s) as on the residence document.
    async fn given_name(&self) -> &str {
        &self.0.given_name
    }
    /// Family name(s) as on the residence document.
    async fn family_name(&self) -> &str {
        &self.0.family_name
    }
    /// Other spellings.
    async fn aliases(&self) -> Vec<Alias> {
        self.0.aliases.iter().map(Alias::from).collect()
    }
    /// Date of birth.
    async fn birth_date(&self) -> Option<Date> {
        self.0.birth_date.map(Date)
    }
    /// Sex.
    async fn sex(&self) -> Sex {
        self.0.sex.into()
    }
    /// Nationality (ISO 3166-1 alpha-2).
    async fn nationality(&self) -> &str {
        &self.0.nationality
    }
    /// Nationality in English.
    async fn nationality_name(&self) -> &'static str {
        clients::residence::country_name(&self.0.nationality)
    }
    /// Languages (ISO 639).
    async fn languages(&self) -> &[String] {
        &self.0.languages
    }
    /// Phone.
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    /// Email.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Municipality.
    async fn municipality(&self) -> &str {
        &self.0.municipality
    }
    /// Region (NUTS3).
    async fn region_code(&self) -> Option<&str> {
        self.0.region_code.as_deref()
    }
    /// Registering branch.
    async fn branch_id(&self) -> Option<Id<BranchId>> {
        self.0.branch_id.map(Id::from)
    }
    /// First contact.
    async fn first_contact_on(&self) -> Date {
        Date(self.0.first_contact_on)
    }
    /// Referral source.
    async fn referral_source(&self) -> &str {
        &self.0.referral_source
    }
    /// Whether staff verified the identity from the residence document.
    async fn identity_verified(&self) -> bool {
        self.0.identity_verified.is_some()
    }
    /// When the identity was verified.
    async fn identity_verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.identity_verified.as_ref().map(|v| v.at)
    }
    /// Who verified the identity.
    async fn identity_verified_by(&self) -> Option<Id<UserId>> {
        self.0
            .identity_verified
            .as_ref()
            .and_then(|v| v.by)
            .map(Id::from)
    }
    /// Residence history, oldest first.
    async fn residence_history(&self) -> Vec<ResidenceRecord> {
        self.0.residence.iter().map(ResidenceRecord::from).collect()
    }
    /// The status in force today.
    async fn residence_status(&self) -> Option<ResidenceStatus> {
        self.0.residence_status.map(Into::into)
    }
    /// Every consent decision, oldest first.
    async fn consents(&self) -> Vec<crate::graphql::client_records::ConsentRecord> {
        self.0.consents.iter().map(Into::into).collect()
    }
    /// The decision in force for each purpose decided so far.
    async fn consents_in_force(&self) -> Vec<crate::graphql::client_records::ConsentRecord> {
        crate::graphql::client_records::in_force(&self.0.consents)
    }
    /// Linked household members.
    async fn household(&self) -> Vec<crate::graphql::client_records::HouseholdMember> {
        self.0.household.iter().map(Into::into).collect()
    }
    /// The latest interventions the client received, newest first (the
    /// client page; at most 100).
    async fn latest_interventions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "LATEST_DEFAULT")] first: i32,
    ) -> async_graphql::Result<Vec<crate::graphql::counselling::Intervention>> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        if !(1..=LATEST_MAX).contains(&first) {
            return Err(integra_kernel::AppError::bad_input(
                "first",
                "must be from 1 to 100",
            ))
            .gql();
        }
        if let Some((n, read)) = &self.1
            && *n == first as u64
        {
            return Ok(read.iter().cloned().map(Into::into).collect());
        }
        let out = services(ctx)?
            .counselling
            .latest_interventions(&auth, self.0.id, first as u64)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }
    /// Created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Queries: the client page.
#[derive(Default)]
pub struct ClientPageQuery;

#[Object]
impl ClientPageQuery {
    /// A client's full record (counselling staff). Each read is logged.
    async fn client(&self, ctx: &Context<'_>, id: Id<ClientId>) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = id.get();
        // Only what the query asks for is read (fragments included).
        let look = ctx.look_ahead();
        let asks = |fields: &[&str]| fields.iter().any(|f| look.field(f).exists());
        let parts = clients::Parts {
            aliases: asks(&["aliases"]),
            residence: asks(&["residenceHistory", "residenceStatus"]),
            consents: asks(&["consents", "consentsInForce"]),
            household: asks(&["household"]),
        };
        let services = services(ctx)?;
        // The client page's latest services come in the record's own
        // transaction rather than a second one.
        if let Some(latest) = latest_asked(&look) {
            let (record, read) = services
                .counselling
                .client_page(&services.clients, &auth, id, parts, latest)
                .await
                .gql()?;
            return Ok(Client(record, Some((latest, read))));
        }
        Ok(Client::new(
            services.clients.get_parts(&auth, id, parts).await.gql()?,
        ))
    }
}
