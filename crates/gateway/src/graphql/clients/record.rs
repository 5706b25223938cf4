//! A client's record: registration, corrections, residence and identity.

use super::search::*;
use crate::graphql::ids::*;
use crate::graphql::scalars::Date;
use crate::graphql::{GqlResultExt, scope, services};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use integra_clients::{
    self as clients, Client as DomainClient, ClientInput as DomainInput, NewResidence, Registered,
    ResidenceStatusKind,
};
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId};

/// Sex as on the residence document.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not stated.
    Other,
}

impl From<clients::Sex> for Sex {
    fn from(s: clients::Sex) -> Self {
        match s {
            clients::Sex::Female => Self::Female,
            clients::Sex::Male => Self::Male,
            clients::Sex::Other => Self::Other,
        }
    }
}

impl Sex {
    fn stored(self) -> &'static str {
        match self {
            Self::Female => "f",
            Self::Male => "m",
            Self::Other => "x",
        }
    }
}

/// A residence status (pobytové oprávnění).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ResidenceStatus {
    /// Trvalý pobyt.
    Permanent,
    /// Dlouhodobý pobyt (employee card, blue card, family, study).
    LongTermPermit,
    /// Dlouhodobé vízum, including the tolerance visa.
    LongTermVisa,
    /// Přechodný pobyt.
    ShortStay,
    /// Residence as a family member of an EU citizen.
    EuFamilyMember,
    /// Dočasná ochrana.
    TemporaryProtection,
    /// Special long-term residence for former temporary-protection holders.
    SpecialLongTerm,
    /// Azyl.
    Asylum,
    /// Doplňková ochrana.
    SubsidiaryProtection,
    /// Applicant for international protection.
    ProtectionApplicant,
    /// EU/EEA/Swiss citizen.
    EuCitizen,
}

impl From<ResidenceStatusKind> for ResidenceStatus {
    fn from(k: ResidenceStatusKind) -> Self {
        use ResidenceStatusKind as K;
        match k {
            K::Permanent => Self::Permanent,
            K::LongTermPermit => Self::LongTermPermit,
            K::LongTermVisa => Self::LongTermVisa,
            K::ShortStay => Self::ShortStay,
            K::EuFamilyMember => Self::EuFamilyMember,
            K::TemporaryProtection => Self::TemporaryProtection,
            K::SpecialLongTerm => Self::SpecialLongTerm,
            K::Asylum => Self::Asylum,
            K::SubsidiaryProtection => Self::SubsidiaryProtection,
            K::ProtectionApplicant => Self::ProtectionApplicant,
            K::EuCitizen => Self::EuCitizen,
        }
    }
}

/// Another spelling of a name.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "AliasInput")]
pub struct Alias {
    /// Given name(s).
    given_name: String,
    /// Family name(s).
    family_name: String,
}

/// A client's profile as entered at the desk.
#[derive(InputObject)]
pub struct ClientInput {
    /// Given name(s) as on the residence document.
    given_name: String,
    /// Family name(s) as on the residence document.
    family_name: String,
    /// Other spellings.
    #[graphql(default)]
    aliases: Vec<Alias>,
    /// Date of birth.
    birth_date: Option<Date>,
    /// Sex.
    sex: Sex,
    /// Nationality, ISO 3166-1 alpha-2 (e.g. UA).
    nationality: String,
    /// Languages, ISO 639 codes (e.g. uk, ru).
    #[graphql(default)]
    languages: Vec<String>,
    /// Phone.
    #[graphql(default)]
    phone: String,
    /// Email.
    #[graphql(default)]
    email: String,
    /// Municipality of residence.
    #[graphql(default)]
    municipality: String,
    /// Region of residence (NUTS3, e.g. CZ042).
    region_code: Option<String>,
    /// Registering branch.
    branch_id: Option<Id<BranchId>>,
    /// First contact with the centre (today when left out).
    first_contact_on: Option<Date>,
    /// How the client found the centre.
    #[graphql(default)]
    referral_source: String,
}

impl ClientInput {
    pub(crate) fn into_domain(self) -> async_graphql::Result<DomainInput> {
        let branch_id: Option<BranchId> = self.branch_id.map(Id::get);
        Ok(DomainInput {
            given_name: self.given_name,
            family_name: self.family_name,
            aliases: self
                .aliases
                .into_iter()
                .map(|a| clients::Alias {
                    given_name: a.given_name,
                    family_name: a.family_name,
                })
                .collect(),
            birth_date: self.birth_date.map(|d| d.0),
            sex: self.sex.stored().to_owned(),
            nationality: self.nationality,
            languages: self.languages,
            phone: self.phone,
            email: self.email,
            municipality: self.municipality,
            region_code: self.region_code,
            branch_id,
            first_contact_on: self.first_contact_on.map(|d| d.0),
            referral_source: self.referral_source,
        })
    }
}

/// A residence status to record, with its document.
#[derive(InputObject)]
pub struct ResidenceInput {
    /// The status.
    status: ResidenceStatus,
    /// Document type.
    #[graphql(default)]
    document_type: String,
    /// Document number.
    #[graphql(default)]
    document_number: String,
    /// First day.
    valid_from: Date,
    /// Last day, if limited.
    valid_to: Option<Date>,
    /// An application for this status (or its extension) is pending; for
    /// protection applicants: the case is not final.
    #[graphql(default)]
    proceedings_pending: bool,
}

/// One period of a client's residence status.
#[derive(SimpleObject)]
pub struct ResidenceRecord {
    /// Id.
    id: Id<ResidenceId>,
    /// The status.
    status: ResidenceStatus,
    /// Document type.
    document_type: String,
    /// Document number.
    document_number: String,
    /// First day.
    valid_from: Date,
    /// Last day.
    valid_to: Option<Date>,
    /// Proceedings pending.
    proceedings_pending: bool,
}

impl From<&clients::Alias> for Alias {
    fn from(a: &clients::Alias) -> Self {
        Self {
            given_name: a.given_name.clone(),
            family_name: a.family_name.clone(),
        }
    }
}

impl From<&clients::ResidenceRecord> for ResidenceRecord {
    fn from(r: &clients::ResidenceRecord) -> Self {
        Self {
            id: Id::from(r.id),
            status: r.status.into(),
            document_type: r.document_type.clone(),
            document_number: r.document_number.clone(),
            valid_from: Date(r.valid_from),
            valid_to: r.valid_to.map(Date),
            proceedings_pending: r.proceedings_pending,
        }
    }
}

/// A client's full record. Reading it is written to the audit log.
pub struct Client(
    pub(crate) DomainClient,
    /// The latest interventions read with the record (how many were asked
    /// for, and they), when the query asked for them.
    pub(crate) Option<(u64, Vec<integra_counselling::Intervention>)>,
);

impl Client {
    /// A record without anything read beside it.
    pub(crate) fn new(record: DomainClient) -> Self {
        Self(record, None)
    }
}

/// An existing record that may be the same person.
#[derive(SimpleObject)]
pub struct DuplicateCandidate {
    /// The existing record.
    client: ClientSummary,
    /// Same normalised names, birth date and nationality.
    same_person: bool,
    /// Same birth date.
    same_birth_date: bool,
}

/// The answer to `registerClient`: the new client, or the likely duplicates
/// (then nothing was created).
#[derive(SimpleObject)]
pub struct RegisterClientResult {
    /// The new client, when created.
    pub(crate) client: Option<Client>,
    /// Records that look like the same person; empty when created.
    duplicates: Vec<DuplicateCandidate>,
}

/// Registers a client (receptionists and counselling staff): the body of
/// `registerClient`.
pub(super) async fn register(
    ctx: &Context<'_>,
    input: ClientInput,
    residence: Option<ResidenceInput>,
    confirm_not_duplicate: bool,
) -> async_graphql::Result<RegisterClientResult> {
    let scope = scope(ctx)?;
    let auth = scope.authorize::<can::RegisterClients>().gql()?;
    let input = input.into_domain()?;
    let residence = residence.map(NewResidence::from);
    let r = services(ctx)?
        .clients
        .register(&auth, &input, residence.as_ref(), confirm_not_duplicate)
        .await
        .gql()?;
    Ok(registered(r))
}

/// The answer of a registration: the new client, or the likely duplicates.
pub(crate) fn registered(r: Registered) -> RegisterClientResult {
    match r {
        Registered::Created(c) => RegisterClientResult {
            client: Some(Client::new(*c)),
            duplicates: Vec::new(),
        },
        Registered::PossibleDuplicates(d) => RegisterClientResult {
            client: None,
            duplicates: d
                .into_iter()
                .map(|d| DuplicateCandidate {
                    client: d.client.into(),
                    same_person: d.same_person,
                    same_birth_date: d.same_birth_date,
                })
                .collect(),
        },
    }
}

/// Mutations: a client's record: registration, corrections, residence and identity.
#[derive(Default)]
pub struct RecordMutation;

#[Object]
impl RecordMutation {
    /// Registers a client. Searches first: if a record looks like the same
    /// person, nothing is created and `duplicates` lists them; send again
    /// with `confirmNotDuplicate: true` to create anyway.
    async fn register_client(
        &self,
        ctx: &Context<'_>,
        input: ClientInput,
        residence: Option<ResidenceInput>,
        confirm_not_duplicate: Option<bool>,
    ) -> async_graphql::Result<RegisterClientResult> {
        register(
            ctx,
            input,
            residence,
            confirm_not_duplicate.unwrap_or(false),
        )
        .await
    }

    /// Replaces a client's profile.
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        id: Id<ClientId>,
        input: ClientInput,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = id.get();
        let input = input.into_domain()?;
        Ok(Client::new(
            services(ctx)?
                .clients
                .update(&auth, id, &input)
                .await
                .gql()?,
        ))
    }

    /// Records a residence status with its document.
    async fn add_residence_status(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        input: ResidenceInput,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = client_id.get();
        let input = NewResidence::from(input);
        Ok(Client::new(
            services(ctx)?
                .clients
                .add_residence_status(&auth, id, &input)
                .await
                .gql()?,
        ))
    }

    /// Records that the caller verified the client's identity from their
    /// residence document, now.
    async fn verify_client_identity(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = client_id.get();
        Ok(Client::new(
            services(ctx)?
                .clients
                .verify_identity(&auth, id)
                .await
                .gql()?,
        ))
    }
}

impl From<ResidenceStatus> for ResidenceStatusKind {
    fn from(k: ResidenceStatus) -> Self {
        use ResidenceStatus as G;
        match k {
            G::Permanent => Self::Permanent,
            G::LongTermPermit => Self::LongTermPermit,
            G::LongTermVisa => Self::LongTermVisa,
            G::ShortStay => Self::ShortStay,
            G::EuFamilyMember => Self::EuFamilyMember,
            G::TemporaryProtection => Self::TemporaryProtection,
            G::SpecialLongTerm => Self::SpecialLongTerm,
            G::Asylum => Self::Asylum,
            G::SubsidiaryProtection => Self::SubsidiaryProtection,
            G::ProtectionApplicant => Self::ProtectionApplicant,
            G::EuCitizen => Self::EuCitizen,
        }
    }
}

impl From<ResidenceInput> for NewResidence {
    fn from(r: ResidenceInput) -> Self {
        Self {
            status: ResidenceStatusKind::from(r.status).as_str().to_owned(),
            document_type: r.document_type,
            document_number: r.document_number,
            valid_from: Some(r.valid_from.0),
            valid_to: r.valid_to.map(|d| d.0),
            proceedings_pending: r.proceedings_pending,
        }
    }
}
