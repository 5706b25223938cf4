//! The client registry's service API.

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, ClientId, Database, SharedClock, TenantScope, UserId,
};
use integra_tenants::FundingProject;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    Set, SqlErr,
};

use crate::audit::{self, AuditAction, AuditEntry};
use crate::eligibility::{self, Eligibility};
use crate::entity::{alias, audit as audit_entity, client, consent, residence};
use crate::model::{
    Alias, Client, ClientInput, ClientSummary, ConsentPurpose, ConsentRecord, HouseholdMember,
    HouseholdRelation, NewResidence, ResidenceRecord, Sex, ValidInput, ValidResidence,
    Verification,
};
use crate::names;
use crate::residence::{ResidencePeriod, ResidenceStatusKind, status_on};
use crate::search::{self, SearchPage, SearchQuery};

/// A record that registration thinks may be the same person.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateCandidate {
    /// The existing record.
    pub client: ClientSummary,
    /// The pseudonymous person keys agree (same normalised names, birth
    /// date and nationality).
    pub same_person: bool,
    /// The birth dates agree.
    pub same_birth_date: bool,
}

/// What registration did.
#[derive(Clone, Debug)]
pub enum Registered {
    /// The client was created.
    Created(Box<Client>),
    /// Nothing was created: these records look like the same person.
    /// Register again with `confirm_not_duplicate` to create anyway.
    PossibleDuplicates(Vec<DuplicateCandidate>),
}

/// The client registry.
#[derive(Clone)]
pub struct ClientService {
    pub(crate) db: Database,
    pub(crate) clock: SharedClock,
    person_key: hmac::Hmac<sha2::Sha256>,
    /// The other contexts' rows about clients, told of merges and
    /// anonymisations.
    pub(crate) links: integra_kernel::ClientLinkSet,
    /// How a record is read on this database's engine.
    reader: std::sync::Arc<dyn crate::record_reader::RecordReader>,
}

impl ClientService {
    /// Creates the service. `person_key_secret` keys the pseudonymous person
    /// key; it must stay the same for the life of the database. `links` are
    /// the other contexts that keep rows about clients (see
    /// [`integra_kernel::lifecycle`]): a merge or an anonymisation calls each.
    pub fn new(
        db: Database,
        clock: SharedClock,
        person_key_secret: &[u8],
        links: integra_kernel::ClientLinkSet,
    ) -> AppResult<Self> {
        let person_key = hmac::Hmac::<sha2::Sha256>::new_from_slice(person_key_secret)
            .map_err(|e| AppError::internal_msg(format!("person key secret: {e}")))?;
        Ok(Self {
            reader: crate::record_reader::for_engine(&db),
            db,
            clock,
            person_key,
            links,
        })
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.clock.now().date_naive()
    }

    /// The pseudonymous person key: HMAC-SHA256 over
    /// [`names::person_key_material`]. Never leaves the server.
    pub fn person_key(
        &self,
        family: &str,
        given: &str,
        birth_date: Option<NaiveDate>,
        nationality: &str,
    ) -> String {
        let mut mac = self.person_key.clone();
        mac.update(names::person_key_material(family, given, birth_date, nationality).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Searches the centre's clients by name (typo-, diacritics- and
    /// script-tolerant) with filters.
    pub async fn search(
        &self,
        auth: &Authorized<'_, can::RegisterClients>,
        query: &SearchQuery,
    ) -> AppResult<SearchPage> {
        let txn = self.db.scoped(auth).await?;
        let page = search::search(&txn, self.today(), query).await?;
        txn.commit().await?;
        Ok(page)
    }

    /// Registers a client. Searches first: when an existing record looks
    /// like the same person, nothing is created and the candidates are
    /// returned, unless `confirm_not_duplicate`.
    pub async fn register(
        &self,
        auth: &Authorized<'_, can::RegisterClients>,
        input: &ClientInput,
        first_status: Option<&NewResidence>,
        confirm_not_duplicate: bool,
    ) -> AppResult<Registered> {
        let txn = self.db.scoped_write(auth).await?;
        let r = self
            .register_in(&txn, auth, input, first_status, confirm_not_duplicate)
            .await?;
        txn.commit().await?;
        Ok(r)
    }

    /// [`ClientService::register`] inside the caller's write transaction
    /// (left uncommitted), so that another record can change with the new
    /// client atomically: an inquiry linked to the client registered from it.
    pub async fn register_in(
        &self,
        txn: &TenantTx,
        auth: &Authorized<'_, can::RegisterClients>,
        input: &ClientInput,
        first_status: Option<&NewResidence>,
        confirm_not_duplicate: bool,
    ) -> AppResult<Registered> {
        let today = self.today();
        let v = input.validate(today)?;
        let status = first_status.map(|r| r.validate("residence.")).transpose()?;
        let key = self.person_key(&v.family_name, &v.given_name, v.birth_date, &v.nationality);
        if !confirm_not_duplicate {
            let dups = self.duplicates(txn, &v, &key).await?;
            if !dups.is_empty() {
                return Ok(Registered::PossibleDuplicates(dups));
            }
        }
        let now = self.clock.now();
        let id = ClientId::new();
        let row = new_row(auth.centre_id(), id, key, &v, now);
        row.insert(txn).await.map_err(fk_error)?;
        insert_aliases(txn, id, &v.aliases).await?;
        let residence = match status {
            Some(s) => Some(insert_residence(txn, auth, id, s, now).await?),
            None => None,
        };
        // A new record has no entries to replace.
        let texts = name_texts(&v).iter().map(|t| (*t).to_owned()).collect();
        search::index_new_clients(txn, &[(id, texts)]).await?;
        audit::record(txn, auth, now, AuditAction::Create, id.uuid(), &[]).await?;
        // Everything of the new record is known: no need to read it back.
        let residence: Vec<ResidenceRecord> = residence.into_iter().collect();
        let created = Client {
            id,
            given_name: v.given_name,
            family_name: v.family_name,
            aliases: v.aliases,
            birth_date: v.birth_date,
            sex: v.sex,
            nationality: v.nationality,
            languages: v.languages,
            phone: v.phone,
            email: v.email,
            municipality: v.municipality,
            region_code: v.region_code,
            branch_id: v.branch_id,
            first_contact_on: v.first_contact_on,
            referral_source: v.referral_source,
            identity_verified: None,
            residence_status: status_on(&to_periods(&residence), today).map(|p| p.status),
            residence,
            consents: Vec::new(),
            household: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        tracing::info!(event = "client_registered", client_id = %id, "client registered");
        Ok(Registered::Created(Box::new(created)))
    }

    /// Records that may be the person being registered: the name search
    /// (every typed word must match), then kept when the person key agrees,
    /// the birth dates agree, or a birth date is unknown on either side and
    /// the names agree at least as spelling variants on average.
    async fn duplicates(
        &self,
        txn: &TenantTx,
        v: &ValidInput,
        key: &str,
    ) -> AppResult<Vec<DuplicateCandidate>> {
        let text = format!("{} {}", v.given_name, v.family_name);
        let words = names::words(&text).len().clamp(1, 4) as f64;
        let query = SearchQuery {
            text,
            first: 20,
            ..SearchQuery::default()
        };
        let page = search::search(txn, self.today(), &query).await?;
        let same_key: Vec<uuid::Uuid> = txn
            .find::<client::Entity>()
            .select_only()
            .column(client::Column::Id)
            .filter(client::Column::PersonKey.eq(key))
            .filter(client::Column::MergedInto.is_null())
            .into_tuple()
            .all(txn)
            .await?;
        let mut out = Vec::new();
        for (c, _) in page.items {
            let same_person = same_key.contains(&c.id.uuid());
            let same_birth_date = v.birth_date.is_some() && c.birth_date == v.birth_date;
            let unknown_birth = v.birth_date.is_none() || c.birth_date.is_none();
            let close_names = c.score / words >= 0.7;
            if same_person || same_birth_date || (close_names && unknown_birth) {
                out.push(DuplicateCandidate {
                    client: c,
                    same_person,
                    same_birth_date,
                });
            }
        }
        // The key also catches spellings the name search would not connect.
        let missing: Vec<uuid::Uuid> = same_key
            .into_iter()
            .filter(|id| !out.iter().any(|d| d.client.id.uuid() == *id))
            .collect();
        for client in search::summaries(txn, self.today(), &missing).await? {
            out.push(DuplicateCandidate {
                client,
                same_person: true,
                same_birth_date: true,
            });
        }
        Ok(out)
    }

    /// A client's full record. Every call is one `read` line in the audit
    /// log.
    pub async fn get(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
    ) -> AppResult<Client> {
        self.get_parts(auth, id, Parts::ALL).await
    }

    /// A client's record with only the `parts` a screen shows (what is left
    /// out stays empty): the detail page's query needs neither consents nor
    /// household, and each is a statement saved. Logged like
    /// [`ClientService::get`].
    pub async fn get_parts(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
    ) -> AppResult<Client> {
        self.reader.read(self, auth, id, parts).await
    }

    /// [`ClientService::get_parts`] in one round trip on PostgreSQL (the
    /// `integra_client_page` function: the same reads and audit line as
    /// [`ClientService::get_parts_in`], as one statement), together with
    /// the client's `latest` latest services, whose rows the function
    /// returns under `interventions` and `participants` for `S` to take
    /// (the counselling context's; `latest` 0 reads none). PostgreSQL only.
    pub async fn read_page<S: serde::de::DeserializeOwned>(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
        latest: u32,
    ) -> AppResult<(Client, S)> {
        let page: PageJson<S> = self
            .db
            .scoped_call(
                auth,
                "integra_client_page",
                vec![
                    id.uuid().into(),
                    self.clock.now().into(),
                    uuid::Uuid::now_v7().into(),
                    parts.aliases.into(),
                    parts.residence.into(),
                    parts.consents.into(),
                    parts.household.into(),
                    i32::try_from(latest).unwrap_or(i32::MAX).into(),
                ],
            )
            .await?
            .ok_or(AppError::NotFound)?;
        let household = page
            .household
            .into_iter()
            .map(|h| {
                Ok(HouseholdMember {
                    client_id: ClientId(h.client_id),
                    given_name: h.given_name,
                    family_name: h.family_name,
                    relation: HouseholdRelation::parse(&h.relation)
                        .ok_or_else(|| AppError::internal_msg("unknown household relation"))?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let rows = PartRows {
            aliases: page.aliases,
            residence: page.residence,
            consents: page.consents,
            household,
        };
        Ok((build_client(page.client, rows, self.today())?, page.rest))
    }

    /// [`ClientService::get_parts`] inside the caller's write transaction
    /// (left uncommitted), so that the rest of a client page (its latest
    /// services) is read in the same transaction instead of a second one.
    pub async fn get_parts_in(
        &self,
        txn: &TenantTx,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        parts: Parts,
    ) -> AppResult<Client> {
        let row = survivor_row(txn, id).await?;
        let id = ClientId(row.id);
        let c = load_row(txn, row, self.today(), parts).await?;
        audit::record(
            txn,
            auth,
            self.clock.now(),
            AuditAction::Read,
            id.uuid(),
            &[],
        )
        .await?;
        Ok(c)
    }

    /// Replaces a client's profile; the audit log names the fields that
    /// changed.
    pub async fn update(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        input: &ClientInput,
    ) -> AppResult<Client> {
        let v = input.validate(self.today())?;
        let txn = self.db.scoped_write(auth).await?;
        let before = load(&txn, id, self.today()).await?;
        let changed = changed_fields(&before, &v);
        if !changed.is_empty() {
            let row = find_row(&txn, id).await?;
            let mut row = row.into_active_model();
            apply(&mut row, &v);
            row.person_key = Set(Some(self.person_key(
                &v.family_name,
                &v.given_name,
                v.birth_date,
                &v.nationality,
            )));
            row.updated_at = Set(self.clock.now());
            row.update(&txn).await.map_err(fk_error)?;
            if changed
                .iter()
                .any(|f| matches!(*f, "givenName" | "familyName" | "aliases"))
            {
                replace_aliases(&txn, id, &v.aliases).await?;
                search::index_client(&txn, id, &name_texts(&v)).await?;
            }
            audit::record(
                &txn,
                auth,
                self.clock.now(),
                AuditAction::Update,
                id.uuid(),
                &changed,
            )
            .await?;
        }
        let after = load(&txn, id, self.today()).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Records a residence status with its document.
    pub async fn add_residence_status(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        input: &NewResidence,
    ) -> AppResult<Client> {
        let s = input.validate("")?;
        let now = self.clock.now();
        let txn = self.db.scoped_write(auth).await?;
        let mut row = find_row(&txn, id).await?.into_active_model();
        insert_residence(&txn, auth, id, s, now).await?;
        row.updated_at = Set(now);
        row.update(&txn).await?;
        let mut loaded = load(&txn, id, self.today()).await?;
        loaded.updated_at = now;
        audit::record(
            &txn,
            auth,
            now,
            AuditAction::Update,
            id.uuid(),
            &["residence"],
        )
        .await?;
        txn.commit().await?;
        Ok(loaded)
    }

    /// Marks the client's identity as verified from their document by the
    /// caller, now.
    pub async fn verify_identity(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
    ) -> AppResult<Client> {
        let now = self.clock.now();
        let txn = self.db.scoped_write(auth).await?;
        let mut row = find_row(&txn, id).await?.into_active_model();
        row.identity_verified_at = Set(Some(now));
        row.identity_verified_by = Set(Some(auth.user_id().uuid()));
        row.updated_at = Set(now);
        row.update(&txn).await?;
        self.finish_change(txn, auth, &[id], &["identityVerified"])
            .await
    }

    /// Ends a change of one or more records: one `update` line per record
    /// naming `fields`, then the first record as it now is, then commit.
    pub(crate) async fn finish_change(
        &self,
        txn: TenantTx,
        scope: &TenantScope,
        ids: &[ClientId],
        fields: &[&str],
    ) -> AppResult<Client> {
        let now = self.clock.now();
        for id in ids {
            audit::record(&txn, scope, now, AuditAction::Update, id.uuid(), fields).await?;
        }
        let first = ids
            .first()
            .copied()
            .ok_or_else(|| AppError::internal_msg("finish_change without a record"))?;
        let after = load(&txn, first, self.today()).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Whether a service on `on` for this client may be charged to
    /// `project` (a project of the caller's centre).
    pub async fn eligibility(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        on: NaiveDate,
        project: &FundingProject,
    ) -> AppResult<Eligibility> {
        let txn = self.db.scoped(auth).await?;
        let c = load(&txn, id, self.today()).await?;
        txn.commit().await?;
        Ok(eligibility::evaluate(
            project,
            &c.nationality,
            &periods(&c),
            on,
        ))
    }

    /// Who read or changed this client's record, newest first (centre
    /// admins).
    pub async fn access_log(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: ClientId,
    ) -> AppResult<Vec<AuditEntry>> {
        let txn = self.db.scoped(auth).await?;
        find_row(&txn, id).await?;
        let rows = txn
            .find::<audit_entity::Entity>()
            .filter(audit_entity::Column::EntityId.eq(id.uuid()))
            .order_by_desc(audit_entity::Column::At)
            .order_by_desc(audit_entity::Column::Id)
            .limit(1000)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(audit::from_entity).collect())
    }

    /// The centre's audit log, newest first, `first` lines before the line
    /// `before` (centre admins).
    pub async fn audit_log(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        first: u64,
        before: Option<crate::ids::AuditEntryId>,
    ) -> AppResult<Vec<AuditEntry>> {
        let txn = self.db.scoped(auth).await?;
        let mut q = txn.find::<audit_entity::Entity>();
        if let Some(b) = before {
            q = q.filter(audit_entity::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(audit_entity::Column::Id)
            .limit(first.clamp(1, 500))
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(audit::from_entity).collect())
    }
}

pub(crate) async fn insert_residence(
    txn: &TenantTx,
    scope: &TenantScope,
    client: ClientId,
    s: ValidResidence,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<ResidenceRecord> {
    let record = ResidenceRecord {
        id: crate::ids::ResidenceId::new(),
        status: s.status,
        document_type: s.document_type.clone(),
        document_number: s.document_number.clone(),
        valid_from: s.valid_from,
        valid_to: s.valid_to,
        proceedings_pending: s.proceedings_pending,
    };
    residence::ActiveModel {
        id: Set(record.id.into()),
        tenant_id: Set(txn.centre().uuid()),
        client_id: Set(client.uuid()),
        status: Set(s.status.as_str().to_owned()),
        document_type: Set(s.document_type),
        document_number: Set(s.document_number),
        valid_from: Set(s.valid_from),
        valid_to: Set(s.valid_to),
        proceedings_pending: Set(s.proceedings_pending),
        recorded_by: Set(Some(scope.user_id().uuid())),
        recorded_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(record)
}

pub(crate) fn name_texts(v: &ValidInput) -> Vec<&str> {
    let mut out = vec![v.given_name.as_str(), v.family_name.as_str()];
    for a in &v.aliases {
        out.push(&a.given_name);
        out.push(&a.family_name);
    }
    out
}

/// The row of a new client.
pub(crate) fn new_row(
    tenant: integra_kernel::CentreId,
    id: ClientId,
    person_key: String,
    v: &ValidInput,
    now: chrono::DateTime<chrono::Utc>,
) -> client::ActiveModel {
    let mut row = client::ActiveModel {
        id: Set(id.uuid()),
        tenant_id: Set(tenant.uuid()),
        person_key: Set(Some(person_key)),
        identity_verified_at: Set(None),
        identity_verified_by: Set(None),
        // Set only for the anonymisation tombstone; the status in force is
        // computed from the periods whenever it is read.
        residence_category: Set(None),
        merged_into: Set(None),
        anonymised_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, v);
    row
}

pub(crate) fn apply(row: &mut client::ActiveModel, v: &ValidInput) {
    row.given_name = Set(v.given_name.clone());
    row.family_name = Set(v.family_name.clone());
    row.birth_date = Set(v.birth_date);
    row.birth_year = Set(v.birth_date.map(|d| chrono::Datelike::year(&d)));
    row.sex = Set(v.sex.as_str().to_owned());
    row.nationality = Set(v.nationality.clone());
    row.languages = Set(v.languages.join(","));
    row.phone = Set(v.phone.clone());
    row.email = Set(v.email.clone());
    row.municipality = Set(v.municipality.clone());
    row.region_code = Set(v.region_code.clone());
    row.branch_id = Set(v.branch_id.map(|b| b.uuid()));
    row.first_contact_on = Set(v.first_contact_on);
    row.referral_source = Set(v.referral_source.clone());
}

fn changed_fields(c: &Client, v: &ValidInput) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name: &'static str, same: bool| {
        if !same {
            out.push(name);
        }
    };
    check("givenName", c.given_name == v.given_name);
    check("familyName", c.family_name == v.family_name);
    check("aliases", c.aliases == v.aliases);
    check("birthDate", c.birth_date == v.birth_date);
    check("sex", c.sex == v.sex);
    check("nationality", c.nationality == v.nationality);
    check("languages", c.languages == v.languages);
    check("phone", c.phone == v.phone);
    check("email", c.email == v.email);
    check("municipality", c.municipality == v.municipality);
    check("regionCode", c.region_code == v.region_code);
    check("branchId", c.branch_id == v.branch_id);
    check("firstContactOn", c.first_contact_on == v.first_contact_on);
    check("referralSource", c.referral_source == v.referral_source);
    out
}

pub(crate) fn fk_error(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            AppError::bad_input("branchId", "no such branch in this centre")
        }
        _ => err.into(),
    }
}

pub(crate) async fn replace_aliases(
    txn: &TenantTx,
    id: ClientId,
    aliases: &[Alias],
) -> AppResult<()> {
    txn.delete_many::<alias::Entity>()
        .filter(alias::Column::ClientId.eq(id.uuid()))
        .exec(txn)
        .await?;
    insert_aliases(txn, id, aliases).await
}

/// Adds other spellings of a client's name.
async fn insert_aliases(txn: &TenantTx, id: ClientId, aliases: &[Alias]) -> AppResult<()> {
    for a in aliases {
        alias::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(txn.centre().uuid()),
            client_id: Set(id.uuid()),
            given_name: Set(a.given_name.clone()),
            family_name: Set(a.family_name.clone()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The record a merged record now lives in (the record itself when it was
/// never merged); not found when it was anonymised.
async fn survivor_row(txn: &TenantTx, mut id: ClientId) -> AppResult<client::Model> {
    for _ in 0..crate::MERGE_CHAIN_LIMIT {
        let row = txn
            .find_by_id::<client::Entity>(id.uuid())
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        match row.merged_into {
            Some(into) => id = into.into(),
            None if row.anonymised_at.is_some() => return Err(AppError::NotFound),
            None => return Ok(row),
        }
    }
    Err(AppError::internal_msg("merge chain too long"))
}

pub(crate) async fn find_row(txn: &TenantTx, id: ClientId) -> AppResult<client::Model> {
    txn.find_by_id::<client::Entity>(id.uuid())
        .filter(client::Column::MergedInto.is_null())
        .filter(client::Column::AnonymisedAt.is_null())
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) async fn load(txn: &TenantTx, id: ClientId, today: NaiveDate) -> AppResult<Client> {
    let row = find_row(txn, id).await?;
    load_row(txn, row, today, Parts::ALL).await
}

/// Which parts of a client's record to read besides its own row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Other spellings of the name.
    pub aliases: bool,
    /// Residence history (and the status in force).
    pub residence: bool,
    /// Consent records.
    pub consents: bool,
    /// Household links.
    pub household: bool,
}

impl Parts {
    /// Everything.
    pub const ALL: Parts = Parts {
        aliases: true,
        residence: true,
        consents: true,
        household: true,
    };
}

async fn load_row(
    txn: &TenantTx,
    row: client::Model,
    today: NaiveDate,
    parts: Parts,
) -> AppResult<Client> {
    let id = ClientId(row.id);
    let mut rows = PartRows::default();
    if parts.aliases {
        rows.aliases = txn
            .find::<alias::Entity>()
            .filter(alias::Column::ClientId.eq(id.uuid()))
            .order_by_asc(alias::Column::Id)
            .all(txn)
            .await?;
    }
    if parts.residence {
        rows.residence = txn
            .find::<residence::Entity>()
            .filter(residence::Column::ClientId.eq(id.uuid()))
            .order_by_asc(residence::Column::ValidFrom)
            .order_by_asc(residence::Column::Id)
            .all(txn)
            .await?;
    }
    if parts.consents {
        rows.consents = txn
            .find::<consent::Entity>()
            .filter(consent::Column::ClientId.eq(id.uuid()))
            .order_by_asc(consent::Column::DecidedOn)
            .order_by_asc(consent::Column::Id)
            .all(txn)
            .await?;
    }
    if parts.household {
        rows.household = crate::relations::household_of(txn, id).await?;
    }
    build_client(row, rows, today)
}

/// The rows of a record's parts, read statement by statement
/// ([`load_row`]) or all at once ([`ClientService::read_page`]); a part not
/// asked for stays empty.
#[derive(Debug, Default)]
struct PartRows {
    aliases: Vec<alias::Model>,
    residence: Vec<residence::Model>,
    consents: Vec<consent::Model>,
    household: Vec<HouseholdMember>,
}

/// What `integra_client_page` returns: the record's row (without the
/// person key), the rows of the parts asked for (empty lists for the rest)
/// and, under `rest`, what another context asked for.
#[derive(serde::Deserialize)]
struct PageJson<S> {
    client: client::Model,
    aliases: Vec<alias::Model>,
    residence: Vec<residence::Model>,
    consents: Vec<consent::Model>,
    household: Vec<HouseholdRow>,
    /// What the context above asked for (`integra_client_page_rest`), an
    /// empty object when nothing.
    rest: S,
}

/// A household member as `integra_client_page` returns it.
#[derive(serde::Deserialize)]
struct HouseholdRow {
    client_id: uuid::Uuid,
    given_name: String,
    family_name: String,
    relation: String,
}

/// Nothing more than the record ([`ClientService::read_page`] with no
/// services).
#[derive(serde::Deserialize)]
pub struct Nothing {}

/// A client's record from its row and the rows of its parts.
fn build_client(row: client::Model, rows: PartRows, today: NaiveDate) -> AppResult<Client> {
    let mut residence = Vec::with_capacity(rows.residence.len());
    for s in rows.residence {
        residence.push(ResidenceRecord {
            id: s.id.into(),
            status: ResidenceStatusKind::parse(&s.status)
                .ok_or_else(|| AppError::internal_msg("unknown residence status"))?,
            document_type: s.document_type,
            document_number: s.document_number,
            valid_from: s.valid_from,
            valid_to: s.valid_to,
            proceedings_pending: s.proceedings_pending,
        });
    }
    let consents = rows
        .consents
        .into_iter()
        .map(|c| {
            Ok(ConsentRecord {
                id: c.id.into(),
                purpose: ConsentPurpose::parse(&c.purpose)
                    .ok_or_else(|| AppError::internal_msg("unknown consent purpose"))?,
                given: c.given,
                decided_on: c.decided_on,
                recorded_by: c.recorded_by.map(UserId),
                recorded_at: c.recorded_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Client {
        id: ClientId(row.id),
        consents,
        household: rows.household,
        residence_status: status_on(&to_periods(&residence), today).map(|p| p.status),
        sex: Sex::parse(&row.sex).ok_or_else(|| AppError::internal_msg("unknown sex value"))?,
        given_name: row.given_name,
        family_name: row.family_name,
        aliases: rows
            .aliases
            .into_iter()
            .map(|a| Alias {
                given_name: a.given_name,
                family_name: a.family_name,
            })
            .collect(),
        birth_date: row.birth_date,
        nationality: row.nationality,
        languages: crate::model::split_list(&row.languages),
        phone: row.phone,
        email: row.email,
        municipality: row.municipality,
        region_code: row.region_code,
        branch_id: row.branch_id.map(Into::into),
        first_contact_on: row.first_contact_on,
        referral_source: row.referral_source,
        identity_verified: row.identity_verified_at.map(|at| Verification {
            at,
            by: row.identity_verified_by.map(UserId),
        }),
        residence,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A client's residence history as periods for the eligibility engine.
pub fn periods(c: &Client) -> Vec<ResidencePeriod> {
    to_periods(&c.residence)
}

fn to_periods(records: &[ResidenceRecord]) -> Vec<ResidencePeriod> {
    records
        .iter()
        .map(|r| ResidencePeriod {
            status: r.status,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            proceedings_pending: r.proceedings_pending,
        })
        .collect()
}
