//! GraphQL for the client registry.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_clients::{
    self as clients, AuditAction, Client as DomainClient, ClientInput as DomainInput,
    ClientSummary as DomainSummary, NewResidence, Registered, ResidenceStatusKind, SearchFilter,
    SearchQuery,
};
use integra_kernel::id::parse_id;
use integra_kernel::scope::can;
use integra_kernel::{BranchId, ClientId, FundingProjectId};
use integra_tenants::{
    EligibilityRule as DomainRule, FundingProject as DomainProject, FundingSource,
};

use super::scalars::Date;
use super::{GqlResultExt, scope, services};

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
    branch_id: Option<ID>,
    /// First contact with the centre (today when left out).
    first_contact_on: Option<Date>,
    /// How the client found the centre.
    #[graphql(default)]
    referral_source: String,
}

impl ClientInput {
    pub(super) fn into_domain(self) -> async_graphql::Result<DomainInput> {
        let branch_id: Option<BranchId> = self
            .branch_id
            .map(|b| parse_id("branchId", &b))
            .transpose()
            .gql()?;
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

/// One period of a client's residence status.
#[derive(SimpleObject)]
pub struct ResidenceRecord {
    /// Id.
    id: ID,
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

/// A client's full record. Reading it is written to the audit log.
pub struct Client(
    pub(crate) DomainClient,
    /// The latest interventions read with the record (how many were asked
    /// for, and they), when the query asked for them.
    Option<(u64, Vec<integra_counselling::Intervention>)>,
);

impl Client {
    /// A record without anything read beside it.
    pub(crate) fn new(record: DomainClient) -> Self {
        Self(record, None)
    }
}

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
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
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
        self.0
            .aliases
            .iter()
            .map(|a| Alias {
                given_name: a.given_name.clone(),
                family_name: a.family_name.clone(),
            })
            .collect()
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
    async fn branch_id(&self) -> Option<ID> {
        self.0.branch_id.map(|b| ID(b.to_string()))
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
    async fn identity_verified_by(&self) -> Option<ID> {
        self.0
            .identity_verified
            .as_ref()
            .and_then(|v| v.by)
            .map(|u| ID(u.to_string()))
    }
    /// Residence history, oldest first.
    async fn residence_history(&self) -> Vec<ResidenceRecord> {
        self.0
            .residence
            .iter()
            .map(|r| ResidenceRecord {
                id: ID(r.id.to_string()),
                status: r.status.into(),
                document_type: r.document_type.clone(),
                document_number: r.document_number.clone(),
                valid_from: Date(r.valid_from),
                valid_to: r.valid_to.map(Date),
                proceedings_pending: r.proceedings_pending,
            })
            .collect()
    }
    /// The status in force today.
    async fn residence_status(&self) -> Option<ResidenceStatus> {
        self.0.residence_status.map(Into::into)
    }
    /// Every consent decision, oldest first.
    async fn consents(&self) -> Vec<super::client_records::ConsentRecord> {
        self.0.consents.iter().map(Into::into).collect()
    }
    /// The decision in force for each purpose decided so far.
    async fn consents_in_force(&self) -> Vec<super::client_records::ConsentRecord> {
        super::client_records::in_force(&self.0.consents)
    }
    /// Linked household members.
    async fn household(&self) -> Vec<super::client_records::HouseholdMember> {
        self.0.household.iter().map(Into::into).collect()
    }
    /// The latest interventions the client received, newest first (the
    /// client page; at most 100).
    async fn latest_interventions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "LATEST_DEFAULT")] first: i32,
    ) -> async_graphql::Result<Vec<super::counselling::Intervention>> {
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

/// A search result.
#[derive(SimpleObject)]
pub struct ClientSummary {
    /// Id.
    id: ID,
    /// Given name(s).
    given_name: String,
    /// Family name(s).
    family_name: String,
    /// Date of birth.
    birth_date: Option<Date>,
    /// Sex.
    sex: Sex,
    /// Nationality.
    nationality: String,
    /// Residence status in force.
    residence_status: Option<ResidenceStatus>,
    /// Registering branch.
    branch_id: Option<ID>,
    /// How well the name matched (higher is closer; 0 without search text).
    score: f64,
}

impl From<DomainSummary> for ClientSummary {
    fn from(s: DomainSummary) -> Self {
        Self {
            id: ID(s.id.to_string()),
            given_name: s.given_name,
            family_name: s.family_name,
            birth_date: s.birth_date.map(Date),
            sex: s.sex.into(),
            nationality: s.nationality,
            residence_status: s.residence_status.map(Into::into),
            branch_id: s.branch_id.map(|b| ID(b.to_string())),
            score: s.score,
        }
    }
}

/// An edge of a client connection.
#[derive(SimpleObject)]
pub struct ClientEdge {
    /// Opaque cursor.
    cursor: String,
    /// The client.
    node: ClientSummary,
}

/// Paging information.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// Whether more results follow.
    pub(crate) has_next_page: bool,
    /// Cursor of the last edge.
    pub(crate) end_cursor: Option<String>,
}

/// A page of clients.
#[derive(SimpleObject)]
pub struct ClientConnection {
    /// The results.
    edges: Vec<ClientEdge>,
    /// Paging.
    page_info: PageInfo,
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

/// Whether a service may be charged to a project.
#[derive(SimpleObject)]
pub struct Eligibility {
    /// Eligible or not.
    eligible: bool,
    /// Why, in plain words.
    reason: String,
}

/// What an audit line records.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AuditActionKind {
    /// Detail read.
    Read,
    /// Created.
    Create,
    /// Changed.
    Update,
    /// Another record merged in.
    Merge,
    /// Exported for the data subject.
    Export,
    /// Personal data removed.
    Anonymise,
}

/// One line of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// Id (also the paging key).
    id: ID,
    /// When.
    at: DateTime<Utc>,
    /// Staff member.
    actor_id: Option<ID>,
    /// Staff member's name.
    actor_name: Option<String>,
    /// What was done.
    action: AuditActionKind,
    /// The client.
    client_id: ID,
    /// Fields changed (names only, never values).
    fields: Vec<String>,
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
    id: ID,
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
            id: ID(p.id.to_string()),
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

async fn audit_entries(
    ctx: &Context<'_>,
    entries: Vec<clients::AuditEntry>,
) -> async_graphql::Result<Vec<AuditEntry>> {
    let ids: Vec<integra_kernel::UserId> = entries.iter().filter_map(|e| e.actor).collect();
    let names = services(ctx)?
        .staff
        .display_names(scope(ctx)?, &ids)
        .await
        .gql()?;
    Ok(entries
        .into_iter()
        .map(|e| AuditEntry {
            id: ID(e.id.to_string()),
            at: e.at,
            actor_id: e.actor.map(|u| ID(u.to_string())),
            actor_name: e.actor.and_then(|u| names.get(&u).cloned()),
            action: match e.action {
                AuditAction::Read => AuditActionKind::Read,
                AuditAction::Create => AuditActionKind::Create,
                AuditAction::Update => AuditActionKind::Update,
                AuditAction::Merge => AuditActionKind::Merge,
                AuditAction::Export => AuditActionKind::Export,
                AuditAction::Anonymise => AuditActionKind::Anonymise,
            },
            client_id: ID(e.entity_id.to_string()),
            fields: e.fields,
        })
        .collect())
}

/// Client queries.
#[derive(Default)]
pub struct ClientsQuery;

#[Object]
impl ClientsQuery {
    /// Finds clients however their name was typed: case, diacritics,
    /// Cyrillic or Latin, transliteration variants and small typing errors.
    /// Without text, lists clients by family name. With `typing`, the last
    /// word also matches as a prefix (search as you type).
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn search_clients(
        &self,
        ctx: &Context<'_>,
        text: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        nationality: Option<Vec<String>>,
        residence_status: Option<Vec<ResidenceStatus>>,
        branch_id: Option<ID>,
        typing: Option<bool>,
    ) -> async_graphql::Result<ClientConnection> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::RegisterClients>().gql()?;
        let first = first.unwrap_or(20);
        let typing = typing.unwrap_or(false);
        let nationality = nationality.unwrap_or_default();
        let residence_status = residence_status.unwrap_or_default();
        if !(1..=100).contains(&first) {
            return Err(integra_kernel::AppError::bad_input(
                "first",
                "must be from 1 to 100",
            ))
            .gql();
        }
        if text.as_deref().is_some_and(|t| t.chars().count() > 200) {
            return Err(integra_kernel::AppError::bad_input(
                "text",
                "must be at most 200 characters",
            ))
            .gql();
        }
        let mut nationalities = Vec::new();
        for n in nationality {
            nationalities.push(
                clients::residence::parse_nationality(&n)
                    .ok_or_else(|| {
                        integra_kernel::AppError::bad_input(
                            "nationality",
                            "is not an ISO 3166-1 country code",
                        )
                    })
                    .gql()?,
            );
        }
        let filter = SearchFilter {
            nationalities,
            residence_statuses: residence_status.into_iter().map(Into::into).collect(),
            branch: branch_id
                .map(|b| parse_id::<BranchId>("branchId", &b))
                .transpose()
                .gql()?,
        };
        let page = services(ctx)?
            .clients
            .search(
                &auth,
                &SearchQuery {
                    text: text.unwrap_or_default(),
                    typing,
                    filter,
                    first: u64::try_from(first).unwrap_or(20),
                    after,
                },
            )
            .await
            .gql()?;
        let end_cursor = page.items.last().map(|(_, c)| c.clone());
        Ok(ClientConnection {
            edges: page
                .items
                .into_iter()
                .map(|(node, cursor)| ClientEdge {
                    cursor,
                    node: node.into(),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
        })
    }

    /// A client's full record (counselling staff). Each read is logged.
    async fn client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = parse_id("id", &id).gql()?;
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

    /// Whether a service on day `on` for the client may be charged to the
    /// funding project, with the reason.
    async fn eligibility(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        on: Date,
        funding_project_id: ID,
    ) -> async_graphql::Result<Eligibility> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let client: ClientId = parse_id("clientId", &client_id).gql()?;
        let project: FundingProjectId = parse_id("fundingProjectId", &funding_project_id).gql()?;
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

    /// Who read or changed this client's record and when, newest first
    /// (centre admins).
    async fn client_access_log(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: ClientId = parse_id("clientId", &client_id).gql()?;
        let entries = services(ctx)?.clients.access_log(&auth, id).await.gql()?;
        audit_entries(ctx, entries).await
    }

    /// The centre's audit log, newest first; page with `before` = the last
    /// id seen (centre admins).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        before: Option<ID>,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        let first = first.unwrap_or(50);
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let before = before
            .map(|b| {
                uuid::Uuid::parse_str(&b)
                    .map_err(|_| integra_kernel::AppError::bad_input("before", "is not an id"))
            })
            .transpose()
            .gql()?;
        let entries = services(ctx)?
            .clients
            .audit_log(
                &auth,
                u64::try_from(first.clamp(1, 500)).unwrap_or(50),
                before,
            )
            .await
            .gql()?;
        audit_entries(ctx, entries).await
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

/// Client mutations.
#[derive(Default)]
pub struct ClientsMutation;

#[Object]
impl ClientsMutation {
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
        id: ID,
        input: ClientInput,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = parse_id("id", &id).gql()?;
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
        client_id: ID,
        input: ResidenceInput,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = parse_id("clientId", &client_id).gql()?;
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
        client_id: ID,
    ) -> async_graphql::Result<Client> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = parse_id("clientId", &client_id).gql()?;
        Ok(Client::new(
            services(ctx)?
                .clients
                .verify_identity(&auth, id)
                .await
                .gql()?,
        ))
    }
}

/// Registers a client (receptionists and counselling staff): the body of
/// `registerClient`.
async fn register(
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
