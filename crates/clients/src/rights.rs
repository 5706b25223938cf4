//! Data-subject rights: the export of everything held on one client, and
//! anonymisation that keeps a statistical tombstone.

use std::collections::HashMap;

use askama::Template;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, ClientId, UserId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, IntoActiveModel, QueryFilter, Set,
};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntry};
use crate::entity::{alias, consent, household, residence};
use crate::model::{Client, Sex};
use crate::residence::{ResidenceStatusKind, country_name};
use crate::search;
use crate::service::{ClientService, find_row, load};

/// Everything held on one client, for the client.
#[derive(Clone, Debug)]
pub struct SubjectExport {
    /// A file name without extension, e.g. `client-0193...`.
    pub file_stem: String,
    /// The data as JSON.
    pub json: String,
    /// The same, readable, as a standalone HTML page.
    pub html: String,
}

/// What an anonymised record keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    /// The record.
    pub id: ClientId,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Nationality.
    pub nationality: String,
    /// Residence status in force when anonymised (else the last known).
    pub residence_category: Option<ResidenceStatusKind>,
    /// When.
    pub anonymised_at: chrono::DateTime<chrono::Utc>,
}

/// One client's data as read for an export.
#[derive(Clone, Debug)]
pub struct ExportedRecord {
    /// The record.
    pub client: Client,
    /// Its audit trail, oldest first.
    pub access_log: Vec<AuditEntry>,
    /// When it was read.
    pub at: chrono::DateTime<chrono::Utc>,
    /// What other parts of Integra hold on the client (services,
    /// appointments, events, courses, emails, feedback), each context's
    /// [`ClientLinks::export_sections`](integra_kernel::ClientLinks::export_sections).
    pub sections: Vec<ExportSection>,
}

pub use integra_kernel::lifecycle::{ExportSection, words};

impl ExportedRecord {
    /// Staff members named in the record and its log.
    pub fn staff_ids(&self) -> Vec<UserId> {
        let mut ids: Vec<UserId> = self.access_log.iter().filter_map(|e| e.actor).collect();
        ids.extend(self.client.identity_verified.as_ref().and_then(|v| v.by));
        ids.sort_by_key(|u| u.uuid());
        ids.dedup();
        ids
    }

    /// The export as JSON and HTML. Staff without an entry in `staff_names`
    /// show as "a staff member".
    pub fn render(
        &self,
        centre_name: &str,
        staff_names: &HashMap<UserId, String>,
    ) -> AppResult<SubjectExport> {
        let view = ExportView {
            centre: centre_name.to_owned(),
            exported_at: self.at.format("%Y-%m-%d %H:%M UTC").to_string(),
            client: view(&self.client, staff_names),
            access_log: self
                .access_log
                .iter()
                .map(|e| AccessView {
                    at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    who: e
                        .actor
                        .and_then(|u| staff_names.get(&u).cloned())
                        .unwrap_or_else(|| "a staff member".to_owned()),
                    action: e.action.as_str(),
                    fields: e.fields.join(", "),
                })
                .collect(),
            sections: self.sections.clone(),
        };
        let json = serde_json::to_string_pretty(&view).map_err(AppError::internal)?;
        let html = ExportPage {
            centre: &view.centre,
            exported_at: &view.exported_at,
            client: &view.client,
            access_log: &view.access_log,
            sections: &view.sections,
        }
        .render()
        .map_err(AppError::internal)?;
        Ok(SubjectExport {
            file_stem: format!("client-{}", self.client.id),
            json,
            html,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportView {
    centre: String,
    exported_at: String,
    client: ClientView,
    access_log: Vec<AccessView>,
    sections: Vec<ExportSection>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientView {
    id: String,
    given_name: String,
    family_name: String,
    aliases: Vec<NameView>,
    birth_date: String,
    sex: &'static str,
    nationality: String,
    nationality_name: &'static str,
    languages: String,
    phone: String,
    email: String,
    municipality: String,
    region: String,
    first_contact_on: String,
    referral_source: String,
    identity_verified: String,
    residence: Vec<ResidenceView>,
    consents: Vec<ConsentView>,
    household: Vec<HouseholdView>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NameView {
    given_name: String,
    family_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResidenceView {
    status: &'static str,
    document_type: String,
    document_number: String,
    valid_from: String,
    valid_to: String,
    proceedings_pending: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConsentView {
    purpose: &'static str,
    decision: &'static str,
    decided_on: String,
    recorded_at: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HouseholdView {
    given_name: String,
    family_name: String,
    relation: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccessView {
    at: String,
    who: String,
    action: &'static str,
    fields: String,
}

#[derive(Template)]
#[template(path = "subject_export.html")]
struct ExportPage<'a> {
    centre: &'a str,
    exported_at: &'a str,
    client: &'a ClientView,
    access_log: &'a [AccessView],
    sections: &'a [ExportSection],
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn sex_label(s: Sex) -> &'static str {
    match s {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Other => "other / not stated",
    }
}

fn view(c: &Client, names: &HashMap<UserId, String>) -> ClientView {
    ClientView {
        id: c.id.to_string(),
        given_name: c.given_name.clone(),
        family_name: c.family_name.clone(),
        aliases: c
            .aliases
            .iter()
            .map(|a| NameView {
                given_name: a.given_name.clone(),
                family_name: a.family_name.clone(),
            })
            .collect(),
        birth_date: c.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        sex: sex_label(c.sex),
        nationality: c.nationality.clone(),
        nationality_name: country_name(&c.nationality),
        languages: c.languages.join(", "),
        phone: c.phone.clone(),
        email: c.email.clone(),
        municipality: c.municipality.clone(),
        region: c
            .region_code
            .as_deref()
            .and_then(integra_tenants::Region::by_nuts3)
            .map(|r| r.name.to_owned())
            .unwrap_or_default(),
        first_contact_on: c.first_contact_on.to_string(),
        referral_source: c.referral_source.clone(),
        identity_verified: match &c.identity_verified {
            None => "no".to_owned(),
            Some(v) => format!(
                "yes, {} by {}",
                v.at.format("%Y-%m-%d %H:%M UTC"),
                v.by.and_then(|u| names.get(&u).cloned())
                    .unwrap_or_else(|| "a staff member".to_owned())
            ),
        },
        residence: c
            .residence
            .iter()
            .map(|r| ResidenceView {
                status: r.status.label(),
                document_type: r.document_type.clone(),
                document_number: r.document_number.clone(),
                valid_from: r.valid_from.to_string(),
                valid_to: r.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                proceedings_pending: yes_no(r.proceedings_pending),
            })
            .collect(),
        consents: c
            .consents
            .iter()
            .map(|k| ConsentView {
                purpose: k.purpose.label(),
                decision: if k.given { "given" } else { "withdrawn" },
                decided_on: k.decided_on.to_string(),
                recorded_at: k.recorded_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            })
            .collect(),
        household: c
            .household
            .iter()
            .map(|h| HouseholdView {
                given_name: h.given_name.clone(),
                family_name: h.family_name.clone(),
                relation: h.relation.as_str(),
            })
            .collect(),
        created_at: c.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        updated_at: c.updated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

impl ClientService {
    /// Everything held on one client, including who accessed the record
    /// (centre admins). The export itself is logged. Render it with
    /// [`ExportedRecord::render`] once the staff names are known.
    pub async fn export(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: ClientId,
    ) -> AppResult<ExportedRecord> {
        let now = self.clock.now();
        let txn = self.db.scoped_write(auth).await?;
        let client = load(&txn, id, self.today()).await?;
        audit::record(&txn, auth, now, AuditAction::Export, id.uuid(), &[]).await?;
        let mut log: Vec<AuditEntry> = txn
            .find::<crate::entity::audit::Entity>()
            .filter(crate::entity::audit::Column::EntityId.eq(id.uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .map(audit::from_entity)
            .collect();
        let mut sections = Vec::new();
        for links in self.links.iter() {
            sections.extend(links.export_sections(&txn, id).await?);
        }
        txn.commit().await?;
        log.sort_by_key(|e| (e.at, e.id));
        Ok(ExportedRecord {
            client,
            access_log: log,
            at: now,
            sections,
        })
    }

    /// Removes a client's personal data for good (centre admins). What
    /// stays is a statistical tombstone: sex, year of birth, nationality,
    /// the residence category, first-contact date, branch and the services
    /// linked to the record, so past indicators do not change. The
    /// pseudonymous person key also stays (a keyed hash that cannot be
    /// reversed without the server secret) so network-wide unique-person
    /// counts do not change either.
    pub async fn anonymise(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: ClientId,
    ) -> AppResult<Tombstone> {
        let now = self.clock.now();
        let today = self.today();
        let txn = self.db.scoped_write(auth).await?;
        let c = load(&txn, id, today).await?;
        let row = find_row(&txn, id).await?;
        let category = c
            .residence_status
            .or_else(|| c.residence.last().map(|r| r.status));
        txn.delete_many::<alias::Entity>()
            .filter(alias::Column::ClientId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        txn.delete_many::<residence::Entity>()
            .filter(residence::Column::ClientId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        txn.delete_many::<consent::Entity>()
            .filter(consent::Column::ClientId.eq(id.uuid()))
            .exec(&txn)
            .await?;
        txn.delete_many::<household::Entity>()
            .filter(
                Condition::any()
                    .add(household::Column::ClientId.eq(id.uuid()))
                    .add(household::Column::OtherClientId.eq(id.uuid())),
            )
            .exec(&txn)
            .await?;
        for links in self.links.iter() {
            links.on_anonymise(&txn, id).await?;
        }
        search::index_client(&txn, id, &[]).await?;
        let mut a = row.into_active_model();
        a.given_name = Set(String::new());
        a.family_name = Set(String::new());
        a.birth_date = Set(None);
        a.languages = Set(String::new());
        a.phone = Set(String::new());
        a.email = Set(String::new());
        a.municipality = Set(String::new());
        a.region_code = Set(None);
        a.referral_source = Set(String::new());
        a.identity_verified_by = Set(None);
        a.residence_category = Set(category.map(|k| k.as_str().to_owned()));
        a.anonymised_at = Set(Some(now));
        a.updated_at = Set(now);
        let m = a.update(&txn).await?;
        // Records merged into this one held the same person's data.
        txn.execute_raw(txn.stmt(
            "UPDATE clients SET given_name = '', family_name = '', birth_date = NULL, \
             languages = '', phone = '', email = '', municipality = '', region_code = NULL, \
             referral_source = '', identity_verified_by = NULL, anonymised_at = ? \
             WHERE tenant_id = :tenant AND merged_into = ?",
            vec![now.into(), id.uuid().into()],
        ))
        .await?;
        txn.execute_raw(txn.stmt(
            "DELETE FROM client_aliases WHERE tenant_id = :tenant AND client_id IN \
             (SELECT id FROM clients WHERE tenant_id = :tenant AND merged_into = ?)",
            vec![id.uuid().into()],
        ))
        .await?;
        audit::record(&txn, auth, now, AuditAction::Anonymise, id.uuid(), &[]).await?;
        txn.commit().await?;
        tracing::info!(event = "client_anonymised", client_id = %id, "client anonymised");
        Ok(Tombstone {
            id,
            sex: c.sex,
            birth_year: m.birth_year,
            nationality: m.nationality,
            residence_category: category,
            anonymised_at: now,
        })
    }
}

/// Counts over the centre's client records, anonymised ones included (so
/// anonymisation does not change them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryStatistics {
    /// Records (merged duplicates not counted).
    pub total: u64,
    /// Of which anonymised.
    pub anonymised: u64,
    /// By sex (`f`, `m`, `x`).
    pub by_sex: Vec<(String, u64)>,
    /// By nationality code.
    pub by_nationality: Vec<(String, u64)>,
    /// By residence category (status in force today; the kept category for
    /// anonymised records; `unknown` without any).
    pub by_residence_category: Vec<(String, u64)>,
    /// By age group on the given day, from the year of birth.
    pub by_age_group: Vec<(String, u64)>,
}

/// The age groups of the statistics.
pub const AGE_GROUPS: [(&str, i32, i32); 5] = [
    ("0-14", 0, 14),
    ("15-17", 15, 17),
    ("18-34", 18, 34),
    ("35-64", 35, 64),
    ("65+", 65, i32::MAX),
];

impl ClientService {
    /// Counts of the centre's clients by sex, nationality, residence
    /// category and age group.
    pub async fn statistics(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
    ) -> AppResult<RegistryStatistics> {
        let today = self.today();
        let txn = self.db.scoped(auth).await?;
        let sql = format!(
            "SELECT c.sex, c.nationality, c.birth_year, \
             COALESCE(c.residence_category, {status}) AS category, \
             CASE WHEN c.anonymised_at IS NULL THEN 0 ELSE 1 END AS anon, COUNT(*) AS n \
             FROM clients c WHERE c.tenant_id = :tenant AND c.merged_into IS NULL \
             GROUP BY c.sex, c.nationality, c.birth_year, category, anon",
            status = search::status_sql(today)
        );
        let rows = txn.query_all_raw(txn.stmt(&sql, Vec::new())).await?;
        txn.commit().await?;
        let mut sex: HashMap<String, u64> = HashMap::new();
        let mut nat: HashMap<String, u64> = HashMap::new();
        let mut cat: HashMap<String, u64> = HashMap::new();
        let mut age: HashMap<String, u64> = HashMap::new();
        let mut out = RegistryStatistics::default();
        let year = chrono::Datelike::year(&today);
        for r in rows {
            let n = u64::try_from(r.try_get::<i64>("", "n")?).unwrap_or(0);
            out.total += n;
            if r.try_get::<i32>("", "anon")? == 1 {
                out.anonymised += n;
            }
            *sex.entry(r.try_get("", "sex")?).or_default() += n;
            *nat.entry(r.try_get("", "nationality")?).or_default() += n;
            let category: Option<String> = r.try_get("", "category")?;
            *cat.entry(category.unwrap_or_else(|| "unknown".to_owned()))
                .or_default() += n;
            let born: Option<i32> = r.try_get("", "birth_year")?;
            let group = born
                .and_then(|b| {
                    let a = year - b;
                    AGE_GROUPS
                        .iter()
                        .find(|(_, lo, hi)| (*lo..=*hi).contains(&a))
                        .map(|(name, _, _)| *name)
                })
                .unwrap_or("unknown");
            *age.entry(group.to_owned()).or_default() += n;
        }
        let sorted = |m: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        out.by_sex = sorted(sex);
        out.by_nationality = sorted(nat);
        out.by_residence_category = sorted(cat);
        out.by_age_group = sorted(age);
        Ok(out)
    }
}
