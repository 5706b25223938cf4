//! GraphQL for consents, household links, merging, the data-subject export,
//! anonymisation and the registry statistics.

use crate::graphql::ids::*;
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use integra_clients::{self as clients, ConsentPurpose as DomainPurpose};
use integra_kernel::ClientId;
use integra_kernel::scope::can;

use super::clients::{Client, ResidenceStatus, Sex};
use super::scalars::Date;
use super::{GqlResultExt, scope, services};

/// What a client consents to.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ConsentPurpose {
    /// Processing of personal data beyond what the service itself requires.
    DataProcessing,
    /// News and invitations by email or text message.
    Newsletter,
    /// Photographs and recordings at courses and events.
    Photography,
    /// Passing data to partner organisations and offices on referral.
    SharingWithPartners,
}

impl From<DomainPurpose> for ConsentPurpose {
    fn from(p: DomainPurpose) -> Self {
        match p {
            DomainPurpose::DataProcessing => Self::DataProcessing,
            DomainPurpose::Newsletter => Self::Newsletter,
            DomainPurpose::Photography => Self::Photography,
            DomainPurpose::SharingWithPartners => Self::SharingWithPartners,
        }
    }
}

impl From<ConsentPurpose> for DomainPurpose {
    fn from(p: ConsentPurpose) -> Self {
        match p {
            ConsentPurpose::DataProcessing => Self::DataProcessing,
            ConsentPurpose::Newsletter => Self::Newsletter,
            ConsentPurpose::Photography => Self::Photography,
            ConsentPurpose::SharingWithPartners => Self::SharingWithPartners,
        }
    }
}

/// One consent decision.
#[derive(SimpleObject)]
pub struct ConsentRecord {
    /// Id.
    id: Id<ConsentId>,
    /// Purpose.
    purpose: ConsentPurpose,
    /// Given (true) or withdrawn / refused (false).
    given: bool,
    /// The day the client decided.
    decided_on: Date,
    /// Staff member who recorded it.
    recorded_by: Option<Id<UserId>>,
    /// When it was recorded.
    recorded_at: DateTime<Utc>,
}

impl From<&clients::ConsentRecord> for ConsentRecord {
    fn from(c: &clients::ConsentRecord) -> Self {
        Self {
            id: Id::from(c.id),
            purpose: c.purpose.into(),
            given: c.given,
            decided_on: Date(c.decided_on),
            recorded_by: c.recorded_by.map(Id::from),
            recorded_at: c.recorded_at,
        }
    }
}

/// The latest decision per purpose.
pub(crate) fn in_force(all: &[clients::ConsentRecord]) -> Vec<ConsentRecord> {
    DomainPurpose::ALL
        .iter()
        .filter_map(|p| {
            all.iter()
                .filter(|c| c.purpose == *p)
                .max_by_key(|c| (c.decided_on, c.recorded_at, c.id))
                .map(Into::into)
        })
        .collect()
}

/// How a household member relates to the client.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum HouseholdRelation {
    /// Husband, wife or partner.
    Partner,
    /// The member is the client's child.
    Child,
    /// The member is the client's parent.
    Parent,
    /// Brother or sister.
    Sibling,
    /// Any other member of the household.
    Other,
}

impl From<clients::HouseholdRelation> for HouseholdRelation {
    fn from(r: clients::HouseholdRelation) -> Self {
        match r {
            clients::HouseholdRelation::Partner => Self::Partner,
            clients::HouseholdRelation::Child => Self::Child,
            clients::HouseholdRelation::Parent => Self::Parent,
            clients::HouseholdRelation::Sibling => Self::Sibling,
            clients::HouseholdRelation::Other => Self::Other,
        }
    }
}

impl From<HouseholdRelation> for clients::HouseholdRelation {
    fn from(r: HouseholdRelation) -> Self {
        match r {
            HouseholdRelation::Partner => Self::Partner,
            HouseholdRelation::Child => Self::Child,
            HouseholdRelation::Parent => Self::Parent,
            HouseholdRelation::Sibling => Self::Sibling,
            HouseholdRelation::Other => Self::Other,
        }
    }
}

/// A linked household member.
#[derive(SimpleObject)]
pub struct HouseholdMember {
    /// The member's client record.
    client_id: Id<ClientId>,
    /// Given name(s).
    given_name: String,
    /// Family name(s).
    family_name: String,
    /// How the member relates to the client.
    relation: HouseholdRelation,
}

impl From<&clients::HouseholdMember> for HouseholdMember {
    fn from(h: &clients::HouseholdMember) -> Self {
        Self {
            client_id: Id::from(h.client_id),
            given_name: h.given_name.clone(),
            family_name: h.family_name.clone(),
            relation: h.relation.into(),
        }
    }
}

/// Everything held on one client, for the client (GDPR Art. 15).
#[derive(SimpleObject)]
pub struct ClientExport {
    /// Suggested file name without extension.
    file_stem: String,
    /// The data as JSON.
    json: String,
    /// The same as a standalone, printable HTML page.
    html: String,
}

/// What an anonymised record keeps.
#[derive(SimpleObject)]
pub struct AnonymisedClient {
    /// The record.
    id: Id<ClientId>,
    /// Sex.
    sex: Sex,
    /// Year of birth.
    birth_year: Option<i32>,
    /// Nationality.
    nationality: String,
    /// Residence category when anonymised.
    residence_category: Option<ResidenceStatus>,
    /// When.
    anonymised_at: DateTime<Utc>,
}

/// One count of a breakdown.
#[derive(SimpleObject)]
pub struct CountByKey {
    /// The value counted (a code such as `UA`, `f`, `temporary_protection`,
    /// `18-34`, or `unknown`).
    key: String,
    /// How many records.
    count: u64,
}

/// Counts over the centre's client records. Anonymised records are
/// included, so anonymisation does not change them.
#[derive(SimpleObject)]
pub struct ClientStatistics {
    /// Records (merged duplicates not counted).
    total: u64,
    /// Of which anonymised.
    anonymised: u64,
    /// By sex.
    by_sex: Vec<CountByKey>,
    /// By nationality.
    by_nationality: Vec<CountByKey>,
    /// By residence category.
    by_residence_category: Vec<CountByKey>,
    /// By age group (from the year of birth).
    by_age_group: Vec<CountByKey>,
}

fn counts(v: Vec<(String, u64)>) -> Vec<CountByKey> {
    v.into_iter()
        .map(|(key, count)| CountByKey { key, count })
        .collect()
}

/// Queries of client records beyond the registry itself.
#[derive(Default)]
pub struct ClientRecordsQuery;

#[Object]
impl ClientRecordsQuery {
    /// Counts of the centre's clients by sex, nationality, residence
    /// category and age group.
    async fn client_statistics(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<ClientStatistics> {
        let auth = scope(ctx)?.authorize::<can::ReadCentre>().gql()?;
        let s = services(ctx)?.clients.statistics(&auth).await.gql()?;
        Ok(ClientStatistics {
            total: s.total,
            anonymised: s.anonymised,
            by_sex: counts(s.by_sex),
            by_nationality: counts(s.by_nationality),
            by_residence_category: counts(s.by_residence_category),
            by_age_group: counts(s.by_age_group),
        })
    }
}

/// Mutations of consents, household, merging and data-subject rights.
#[derive(Default)]
pub struct ClientRecordsMutation;

#[Object]
impl ClientRecordsMutation {
    /// Records a consent decision for one purpose (the history is kept).
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        purpose: ConsentPurpose,
        given: bool,
        decided_on: Date,
    ) -> async_graphql::Result<Client> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = client_id.get();
        let c = services(ctx)?
            .clients
            .record_consent(&auth, id, purpose.into(), given, decided_on.0)
            .await
            .gql()?;
        Ok(Client::new(c))
    }

    /// Links two clients as members of one household; both records show the
    /// link. Linking again changes the relation.
    async fn link_household(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        other_client_id: Id<ClientId>,
        relation: HouseholdRelation,
    ) -> async_graphql::Result<Client> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = client_id.get();
        let other: ClientId = other_client_id.get();
        let c = services(ctx)?
            .clients
            .link_household(&auth, id, other, relation.into())
            .await
            .gql()?;
        Ok(Client::new(c))
    }

    /// Removes the household link between two clients.
    async fn unlink_household(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
        other_client_id: Id<ClientId>,
    ) -> async_graphql::Result<Client> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let id: ClientId = client_id.get();
        let other: ClientId = other_client_id.get();
        let c = services(ctx)?
            .clients
            .unlink_household(&auth, id, other)
            .await
            .gql()?;
        Ok(Client::new(c))
    }

    /// Merges the duplicate record `mergeId` into `keepId`: everything
    /// linked moves, the merged names become other spellings, and both
    /// records get a line in the audit log. Reading `mergeId` afterwards
    /// answers the kept record.
    async fn merge_clients(
        &self,
        ctx: &Context<'_>,
        keep_id: Id<ClientId>,
        merge_id: Id<ClientId>,
    ) -> async_graphql::Result<Client> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let keep: ClientId = keep_id.get();
        let merge: ClientId = merge_id.get();
        let c = services(ctx)?
            .clients
            .merge(&auth, keep, merge)
            .await
            .gql()?;
        Ok(Client::new(c))
    }

    /// Everything held on one client including who accessed it, as JSON and
    /// as a printable page (centre admins; logged).
    async fn export_client(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<ClientExport> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: ClientId = client_id.get();
        let svc = services(ctx)?;
        let centre = svc.centres.own_centre(scope).await.gql()?;
        let record = svc.clients.export(&auth, id).await.gql()?;
        let names = svc
            .staff
            .display_names(scope, &record.staff_ids())
            .await
            .gql()?;
        let e = record.render(&centre.name, &names).gql()?;
        Ok(ClientExport {
            file_stem: e.file_stem,
            json: e.json,
            html: e.html,
        })
    }

    /// Removes a client's personal data for good, keeping a statistical
    /// tombstone (sex, year of birth, nationality, residence category) so
    /// past figures do not change (centre admins).
    async fn anonymise_client(
        &self,
        ctx: &Context<'_>,
        client_id: Id<ClientId>,
    ) -> async_graphql::Result<AnonymisedClient> {
        let auth = scope(ctx)?.authorize::<can::ManageCentre>().gql()?;
        let id: ClientId = client_id.get();
        let t = services(ctx)?.clients.anonymise(&auth, id).await.gql()?;
        Ok(AnonymisedClient {
            id: Id::from(t.id),
            sex: t.sex.into(),
            birth_year: t.birth_year,
            nationality: t.nationality,
            residence_category: t.residence_category.map(Into::into),
            anonymised_at: t.anonymised_at,
        })
    }
}

/// A file sent inside the GraphQL request.
#[derive(async_graphql::InputObject)]
pub struct FileInput {
    /// The file's name (for messages only).
    name: String,
    /// The content, base64-encoded.
    content_base64: String,
}

/// A client field a spreadsheet column can fill.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_clients::import::ImportField")]
pub enum ImportField {
    /// Given name(s).
    GivenName,
    /// Family name(s).
    FamilyName,
    /// Date of birth.
    BirthDate,
    /// Sex (M, Ž/F, X; muž, žena).
    Sex,
    /// Nationality: code (UA, UKR) or country name in Czech or English.
    Nationality,
    /// Languages (codes separated by commas).
    Languages,
    /// Phone.
    Phone,
    /// Email.
    Email,
    /// Municipality.
    Municipality,
    /// Region: name or NUTS3 code.
    Region,
    /// First contact with the centre.
    FirstContactOn,
    /// How the client found the centre.
    ReferralSource,
    /// Residence status (Czech or English name).
    ResidenceStatus,
    /// Residence valid from.
    ResidenceValidFrom,
    /// Residence valid to.
    ResidenceValidTo,
    /// Residence document type.
    DocumentType,
    /// Residence document number.
    DocumentNumber,
    /// Not imported.
    Ignore,
}

/// Which column fills which field.
#[derive(async_graphql::InputObject, SimpleObject, Clone)]
#[graphql(input_name = "ColumnMappingInput")]
pub struct ColumnMapping {
    /// The column's header text as in the file.
    column: String,
    /// The field it fills.
    field: ImportField,
}

/// One problem of one row of an import.
#[derive(SimpleObject)]
pub struct ImportProblem {
    /// Row number as the spreadsheet shows it.
    row: u32,
    /// Column letter, when the problem is in one column.
    column: Option<String>,
    /// The column's header, when the problem is in one column.
    header: Option<String>,
    /// The input field concerned (`birthDate`, `nationality`, `duplicate`…).
    field: String,
    /// What is wrong.
    message: String,
    /// The registered client a likely duplicate matches.
    existing_client_id: Option<Id<ClientId>>,
}

/// What an import found and did.
#[derive(SimpleObject)]
pub struct ClientImportReport {
    /// Data rows read.
    rows: u32,
    /// Rows without problems.
    accepted: u32,
    /// Rows with at least one problem.
    rejected: u32,
    /// Clients created.
    imported: u32,
    /// Whether anything was written.
    committed: bool,
    /// The mapping used (guessed from the headers unless given).
    mapping: Vec<ColumnMapping>,
    /// Headers that were not imported.
    ignored_columns: Vec<String>,
    /// Every problem by row and column.
    problems: Vec<ImportProblem>,
}

/// Spreadsheet import.
#[derive(Default)]
pub struct ClientImportMutation;

#[Object]
impl ClientImportMutation {
    /// Imports clients from a spreadsheet (.xlsx, .xls, .ods or .csv).
    /// With `dryRun` (the default) nothing is written and the report lists
    /// every problem by row and column, including likely duplicates. A real
    /// run writes nothing when any row is rejected, unless `skipRejected`.
    #[allow(
        clippy::too_many_arguments,
        reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
    )]
    async fn import_clients(
        &self,
        ctx: &Context<'_>,
        file: FileInput,
        mapping: Option<Vec<ColumnMapping>>,
        sheet: Option<String>,
        dry_run: Option<bool>,
        skip_rejected: Option<bool>,
        branch_id: Option<Id<BranchId>>,
    ) -> async_graphql::Result<ClientImportReport> {
        let auth = scope(ctx)?.authorize::<can::ManageClients>().gql()?;
        let content = integra_files::upload::decode_base64(
            "file.contentBase64",
            &file.content_base64,
            &integra_files::FileLimits::IMPORT,
        )
        .gql()?;
        let branch_id = branch_id.map(Id::get);
        let req = clients::import::ImportRequest {
            content,
            sheet,
            mapping: mapping.map(|m| {
                m.into_iter()
                    .map(|c| clients::import::ColumnMapping {
                        column: c.column,
                        field: c.field.into(),
                    })
                    .collect()
            }),
            dry_run: dry_run.unwrap_or(true),
            skip_rejected: skip_rejected.unwrap_or(false),
            branch_id,
        };
        tracing::info!(
            event = "client_import",
            bytes = req.content.len(),
            // Only the extension: a file name may name a person.
            kind = file
                .name
                .rsplit_once('.')
                .map(|(_, e)| e)
                .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or(""),
            dry_run = req.dry_run,
            "client import started"
        );
        let r = services(ctx)?.clients.import(&auth, &req).await.gql()?;
        Ok(ClientImportReport {
            rows: r.rows,
            accepted: r.accepted,
            rejected: r.rejected,
            imported: r.imported,
            committed: r.committed,
            mapping: r
                .mapping
                .into_iter()
                .map(|m| ColumnMapping {
                    column: m.column,
                    field: m.field.into(),
                })
                .collect(),
            ignored_columns: r.ignored_columns,
            problems: r
                .problems
                .into_iter()
                .map(|p| ImportProblem {
                    row: p.row,
                    column: p.column,
                    header: p.header,
                    field: p.field,
                    message: p.message,
                    existing_client_id: p.existing_client.map(Id::from),
                })
                .collect(),
        })
    }
}
