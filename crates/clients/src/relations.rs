//! Consent records and household links.

use chrono::NaiveDate;
use integra_kernel::TenantTx;
use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, ClientId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{client, consent, household};
use crate::model::{Client, ConsentPurpose, HouseholdMember, HouseholdRelation};
use crate::service::{ClientService, find_row};

impl ClientService {
    /// Records a consent decision (given or withdrawn) for one purpose. The
    /// history is kept; the latest decision per purpose is in force.
    pub async fn record_consent(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        purpose: ConsentPurpose,
        given: bool,
        decided_on: NaiveDate,
    ) -> AppResult<Client> {
        let today = self.today();
        if decided_on > today {
            return Err(AppError::bad_input(
                "decidedOn",
                "must not be in the future",
            ));
        }
        let now = self.clock.now();
        let txn = self.db.scoped_write(auth).await?;
        find_row(&txn, id).await?;
        consent::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            tenant_id: Set(auth.centre_id().uuid()),
            client_id: Set(id.uuid()),
            purpose: Set(purpose.as_str().to_owned()),
            given: Set(given),
            decided_on: Set(decided_on),
            recorded_by: Set(Some(auth.user_id().uuid())),
            recorded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        self.finish_change(txn, auth, &[id], &["consents"]).await
    }

    /// Links two clients of the centre as members of one household (both
    /// records show the link, each from its own side). Linking again
    /// changes the relation.
    pub async fn link_household(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        other: ClientId,
        relation: HouseholdRelation,
    ) -> AppResult<Client> {
        if id == other {
            return Err(AppError::bad_input(
                "otherClientId",
                "a client cannot be their own household member",
            ));
        }
        let txn = self.db.scoped_write(auth).await?;
        find_row(&txn, id).await?;
        find_row(&txn, other).await.map_err(|e| match e {
            AppError::NotFound => {
                AppError::bad_input("otherClientId", "no such client in this centre")
            }
            e => e,
        })?;
        insert_link(&txn, id, other, relation, true).await?;
        insert_link(&txn, other, id, relation.inverse(), true).await?;
        self.finish_change(txn, auth, &[id, other], &["household"])
            .await
    }

    /// Removes the household link between two clients (both sides).
    pub async fn unlink_household(
        &self,
        auth: &Authorized<'_, can::ManageClients>,
        id: ClientId,
        other: ClientId,
    ) -> AppResult<Client> {
        let txn = self.db.scoped_write(auth).await?;
        find_row(&txn, id).await?;
        let removed = txn
            .delete_many::<household::Entity>()
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(household::Column::ClientId.eq(id.uuid()))
                            .add(household::Column::OtherClientId.eq(other.uuid())),
                    )
                    .add(
                        Condition::all()
                            .add(household::Column::ClientId.eq(other.uuid()))
                            .add(household::Column::OtherClientId.eq(id.uuid())),
                    ),
            )
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(AppError::bad_input(
                "otherClientId",
                "is not linked to this client",
            ));
        }
        self.finish_change(txn, auth, &[id, other], &["household"])
            .await
    }
}

/// Writes the link `from` → `to`. An existing link keeps its relation
/// unless `replace`.
pub(crate) async fn insert_link(
    txn: &TenantTx,
    from: ClientId,
    to: ClientId,
    relation: HouseholdRelation,
    replace: bool,
) -> AppResult<()> {
    let mut conflict = OnConflict::columns([
        household::Column::TenantId,
        household::Column::ClientId,
        household::Column::OtherClientId,
    ]);
    if replace {
        conflict.update_column(household::Column::Relation);
    } else {
        conflict.do_nothing();
    }
    let res = household::Entity::insert(household::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        tenant_id: Set(txn.centre().uuid()),
        client_id: Set(from.uuid()),
        other_client_id: Set(to.uuid()),
        relation: Set(relation.as_str().to_owned()),
    })
    .on_conflict(conflict)
    .exec_without_returning(txn)
    .await;
    match res {
        Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The linked household members of a client (records still in use).
pub(crate) async fn household_of(txn: &TenantTx, id: ClientId) -> AppResult<Vec<HouseholdMember>> {
    let links = txn
        .find::<household::Entity>()
        .filter(household::Column::ClientId.eq(id.uuid()))
        .order_by_asc(household::Column::Id)
        .all(txn)
        .await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let others = txn
        .find::<client::Entity>()
        .filter(client::Column::Id.is_in(links.iter().map(|l| l.other_client_id)))
        .filter(client::Column::MergedInto.is_null())
        .filter(client::Column::AnonymisedAt.is_null())
        .all(txn)
        .await?;
    let mut out = Vec::new();
    for l in links {
        let Some(o) = others.iter().find(|o| o.id == l.other_client_id) else {
            continue;
        };
        out.push(HouseholdMember {
            client_id: o.id.into(),
            given_name: o.given_name.clone(),
            family_name: o.family_name.clone(),
            relation: HouseholdRelation::parse(&l.relation)
                .ok_or_else(|| AppError::internal_msg("unknown household relation"))?,
        });
    }
    Ok(out)
}
