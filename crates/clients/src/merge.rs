//! Merging a duplicate record into the one that is kept.

use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, Backend, ClientId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter, Set};

use crate::audit::{self, AuditAction};
use crate::entity::household;
use crate::model::{Alias, Client, HouseholdRelation};
use crate::names;
use crate::relations::insert_link;
use crate::search;
use crate::service::{ClientService, find_row, load, replace_aliases};

/// This context's own tables whose rows belong to one client and move to
/// the kept record on merge (other contexts move theirs through
/// [`integra_kernel::ClientLinks`]).
const OWN_LINKED_TABLES: &[&str] = &["residence_statuses", "consents"];

impl ClientService {
    /// Merges the record `merge` into `keep`: residence history, consents,
    /// household links and everything else linked to `merge` move to
    /// `keep`; the merged names become other spellings of `keep`; fields
    /// empty on `keep` are filled from `merge`. The merged record stays as
    /// a pointer to `keep` (reading it answers `keep`) and both records get
    /// a `merge` line in the audit log naming the other.
    pub async fn merge(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        keep: ClientId,
        merge: ClientId,
    ) -> AppResult<Client> {
        if keep == merge {
            return Err(AppError::bad_input(
                "mergeId",
                "must be a different record from keepId",
            ));
        }
        let now = self.clock.now();
        let txn = self.db.scoped_write(auth).await?;
        lock_rows(&txn, keep, merge).await?;
        let kept_row = find_row(&txn, keep).await?;
        let merged_row = find_row(&txn, merge).await.map_err(|e| match e {
            AppError::NotFound => AppError::bad_input("mergeId", "no such client in this centre"),
            e => e,
        })?;
        let today = self.today();
        let kept = load(&txn, keep, today).await?;
        let merged = load(&txn, merge, today).await?;

        // Rows linked to the merged record: this context's, then every
        // other context's, each moving its own.
        for table in OWN_LINKED_TABLES {
            integra_kernel::lifecycle::relink(&txn, table, keep, merge).await?;
        }
        for links in self.links.iter() {
            links.on_merge(&txn, keep, merge).await?;
        }
        move_household(&txn, &kept, &merged).await?;

        // Names: the merged record's spellings become aliases of the kept.
        let mut aliases = kept.aliases.clone();
        let mut candidates = vec![Alias {
            given_name: merged.given_name.clone(),
            family_name: merged.family_name.clone(),
        }];
        candidates.extend(merged.aliases.iter().cloned());
        for a in candidates {
            let same_as_kept = names::fold(&a.given_name) == names::fold(&kept.given_name)
                && names::fold(&a.family_name) == names::fold(&kept.family_name);
            if !same_as_kept && !aliases.contains(&a) && aliases.len() < 20 {
                aliases.push(a);
            }
        }
        if aliases != kept.aliases {
            replace_aliases(&txn, keep, &aliases).await?;
        }
        let mut texts = vec![kept.given_name.as_str(), kept.family_name.as_str()];
        for a in &aliases {
            texts.push(&a.given_name);
            texts.push(&a.family_name);
        }
        search::index_client(&txn, keep, &texts).await?;
        search::index_client(&txn, merge, &[]).await?;

        // Fill what the kept record lacks.
        let mut filled: Vec<&str> = Vec::new();
        let mut row = kept_row.clone().into_active_model();
        if kept_row.birth_date.is_none() && merged_row.birth_date.is_some() {
            row.birth_date = Set(merged_row.birth_date);
            row.birth_year = Set(merged_row.birth_year);
            filled.push("birthDate");
        }
        let mut fill = |field: &'static str, kept: &str, merged: &str| {
            let take = kept.is_empty() && !merged.is_empty();
            if take {
                filled.push(field);
            }
            take.then(|| Set(merged.to_owned()))
        };
        if let Some(v) = fill("phone", &kept_row.phone, &merged_row.phone) {
            row.phone = v;
        }
        if let Some(v) = fill("email", &kept_row.email, &merged_row.email) {
            row.email = v;
        }
        if let Some(v) = fill(
            "municipality",
            &kept_row.municipality,
            &merged_row.municipality,
        ) {
            row.municipality = v;
        }
        if let Some(v) = fill(
            "referralSource",
            &kept_row.referral_source,
            &merged_row.referral_source,
        ) {
            row.referral_source = v;
        }
        if kept_row.region_code.is_none() && merged_row.region_code.is_some() {
            row.region_code = Set(merged_row.region_code.clone());
            filled.push("regionCode");
        }
        if kept_row.branch_id.is_none() && merged_row.branch_id.is_some() {
            row.branch_id = Set(merged_row.branch_id);
            filled.push("branchId");
        }
        let mut languages = kept.languages.clone();
        for l in &merged.languages {
            if !languages.contains(l) {
                languages.push(l.clone());
            }
        }
        if languages != kept.languages {
            row.languages = Set(languages.join(","));
            filled.push("languages");
        }
        if merged_row.first_contact_on < kept_row.first_contact_on {
            row.first_contact_on = Set(merged_row.first_contact_on);
            filled.push("firstContactOn");
        }
        if kept_row.identity_verified_at.is_none() && merged_row.identity_verified_at.is_some() {
            row.identity_verified_at = Set(merged_row.identity_verified_at);
            row.identity_verified_by = Set(merged_row.identity_verified_by);
            filled.push("identityVerified");
        }
        row.updated_at = Set(now);
        row.update(&txn).await?;

        // The merged record points at the kept one and no longer counts as
        // a person of its own.
        let mut gone = merged_row.into_active_model();
        gone.merged_into = Set(Some(keep.uuid()));
        gone.person_key = Set(None);
        gone.updated_at = Set(now);
        gone.update(&txn).await?;

        let from = format!("from:{}", merge.uuid());
        let mut fields: Vec<&str> = vec![&from];
        fields.extend(filled);
        audit::record(&txn, auth, now, AuditAction::Merge, keep.uuid(), &fields).await?;
        let into = format!("into:{}", keep.uuid());
        audit::record(&txn, auth, now, AuditAction::Merge, merge.uuid(), &[&into]).await?;
        let after = load(&txn, keep, today).await?;
        txn.commit().await?;
        tracing::info!(event = "clients_merged", kept = %keep, merged = %merge, "clients merged");
        Ok(after)
    }
}

/// Locks both records against a concurrent merge or edit (PostgreSQL; on
/// SQLite the write transaction already holds the database lock).
async fn lock_rows(txn: &TenantTx, a: ClientId, b: ClientId) -> AppResult<()> {
    if txn.backend() == Backend::Postgres {
        txn.execute_raw(txn.stmt(
            "SELECT id FROM clients WHERE tenant_id = :tenant AND id IN (?, ?) ORDER BY id FOR UPDATE",
            vec![a.uuid().into(), b.uuid().into()],
        ))
        .await?;
    }
    Ok(())
}

async fn move_household(txn: &TenantTx, kept: &Client, merged: &Client) -> AppResult<()> {
    let links = txn
        .find::<household::Entity>()
        .filter(household::Column::ClientId.eq(merged.id.uuid()))
        .all(txn)
        .await?;
    let reverse = txn
        .find::<household::Entity>()
        .filter(household::Column::OtherClientId.eq(merged.id.uuid()))
        .all(txn)
        .await?;
    let keep = kept.id.uuid();
    let mut wanted: Vec<(uuid::Uuid, uuid::Uuid, String)> = Vec::new();
    for l in &links {
        if l.other_client_id != keep {
            wanted.push((keep, l.other_client_id, l.relation.clone()));
        }
    }
    for l in &reverse {
        if l.client_id != keep {
            wanted.push((l.client_id, keep, l.relation.clone()));
        }
    }
    txn.delete_many::<household::Entity>()
        .filter(
            sea_orm::Condition::any()
                .add(household::Column::ClientId.eq(merged.id.uuid()))
                .add(household::Column::OtherClientId.eq(merged.id.uuid())),
        )
        .exec(txn)
        .await?;
    for (from, to, relation) in wanted {
        let relation = HouseholdRelation::parse(&relation)
            .ok_or_else(|| AppError::internal_msg("unknown household relation"))?;
        insert_link(txn, from.into(), to.into(), relation, false).await?;
    }
    Ok(())
}
