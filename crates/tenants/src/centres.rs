//! Centres and their branches.

use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, BranchId, Database, PlatformActor, PlatformDb, Role,
    TenantScope, TenantTx,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    Set, SqlErr,
};

use crate::entity::{branch, centre};
use crate::model::{Branch, Centre, NewBranch};

/// Reads and changes centres and branches.
#[derive(Clone)]
pub struct CentreService {
    /// The platform's doors, for its public and background paths.
    platform: PlatformDb,
    clock: integra_kernel::SharedClock,
}

impl CentreService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service.
    pub fn new(platform: PlatformDb, clock: integra_kernel::SharedClock) -> Self {
        Self { platform, clock }
    }

    /// The actor's own centre.
    pub async fn own_centre(&self, scope: &TenantScope) -> AppResult<Centre> {
        let row = centre::Entity::find_by_id(scope.centre_id().uuid())
            .one(self.platform.connection())
            .await?
            .ok_or(AppError::NotFound)?;
        Centre::from_entity(row)
    }

    /// Every centre of the network, for the ministry and the platform
    /// operator. Organisational data only: no person is reachable from here.
    pub async fn unscoped_all_centres(&self, actor: &PlatformActor) -> AppResult<Vec<Centre>> {
        if !(actor.has(Role::MinistryOfficer) || actor.has(Role::PlatformAdmin)) {
            return Err(AppError::Forbidden);
        }
        let rows = centre::Entity::find()
            .order_by_asc(centre::Column::RegionCode)
            .order_by_asc(centre::Column::Name)
            .all(self.platform.connection())
            .await?;
        rows.into_iter().map(Centre::from_entity).collect()
    }

    /// Every centre's id, for background housekeeping that acts in each
    /// centre in turn (in a transaction of that centre). No person is
    /// reachable from here.
    pub async fn unscoped_centre_ids(&self) -> AppResult<Vec<integra_kernel::CentreId>> {
        let rows = centre::Entity::find()
            .order_by_asc(centre::Column::Name)
            .all(self.platform.connection())
            .await?;
        Ok(rows
            .into_iter()
            .map(|c| integra_kernel::CentreId::from(c.id))
            .collect())
    }

    /// The centre's branches, by name.
    pub async fn branches(&self, auth: &Authorized<'_, can::ReadCentre>) -> AppResult<Vec<Branch>> {
        let txn = self.db().scoped(auth).await?;
        let rows = txn
            .find::<branch::Entity>()
            .order_by_asc(branch::Column::Name)
            .all(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows.into_iter().map(Branch::from).collect())
    }

    /// One branch of the actor's centre; another centre's branch is `NOT_FOUND`.
    pub async fn branch(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
        id: BranchId,
    ) -> AppResult<Branch> {
        let txn = self.db().scoped(auth).await?;
        let row = find_branch(&txn, id).await?;
        txn.commit().await?;
        Ok(row.into())
    }

    /// Adds a branch.
    pub async fn create_branch(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        input: NewBranch,
    ) -> AppResult<Branch> {
        let input = validate_branch(input)?;
        let txn = self.db().scoped_write(auth).await?;
        let row = branch::ActiveModel {
            id: Set(BranchId::new().uuid()),
            tenant_id: Set(auth.centre_id().uuid()),
            name: Set(input.name),
            municipality: Set(input.municipality),
            address: Set(input.address),
            created_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(branch_conflict)?;
        txn.commit().await?;
        Ok(row.into())
    }

    /// Changes a branch.
    pub async fn update_branch(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        id: BranchId,
        input: NewBranch,
    ) -> AppResult<Branch> {
        let input = validate_branch(input)?;
        let txn = self.db().scoped_write(auth).await?;
        let mut row = find_branch(&txn, id).await?.into_active_model();
        row.name = Set(input.name);
        row.municipality = Set(input.municipality);
        row.address = Set(input.address);
        let row = row.update(&txn).await.map_err(branch_conflict)?;
        txn.commit().await?;
        Ok(row.into())
    }
}

async fn find_branch(txn: &TenantTx, id: BranchId) -> AppResult<branch::Model> {
    txn.find_by_id::<branch::Entity>(id.uuid())
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

fn validate_branch(input: NewBranch) -> AppResult<NewBranch> {
    let name = required("name", &input.name, 200)?;
    let municipality = required("municipality", &input.municipality, 200)?;
    let address = input.address.trim().to_owned();
    if address.chars().count() > 500 {
        return Err(AppError::bad_input(
            "address",
            "must be at most 500 characters",
        ));
    }
    Ok(NewBranch {
        name,
        municipality,
        address,
    })
}

/// Trims a required text field and checks its length, naming the field.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_input(field, "is required"));
    }
    if v.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn branch_conflict(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("A branch with this name already exists in the centre.".into())
        }
        _ => err.into(),
    }
}

/// Checks, inside the caller's transaction, that `branch` belongs to its
/// centre; another centre's or an unknown branch is `NOT_FOUND`.
pub async fn require_branch(txn: &TenantTx, branch: BranchId) -> AppResult<()> {
    use sea_orm::PaginatorTrait;
    let n = txn
        .find_by_id::<branch::Entity>(branch.uuid())
        .count(txn)
        .await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The name of a centre and, when `branch` is given, that branch's name and
/// address as one line (for emails), read in the caller's transaction
/// (which is scoped to that centre).
pub async fn letterhead(txn: &TenantTx, branch: Option<BranchId>) -> AppResult<(String, String)> {
    let name = centre::Entity::find_by_id(txn.centre().uuid())
        .one(txn)
        .await?
        .map(|c| c.name)
        .ok_or(AppError::NotFound)?;
    let place = match branch {
        Some(b) => txn
            .find_by_id::<branch::Entity>(b.uuid())
            .one(txn)
            .await?
            .map(|b| {
                [b.name, b.address, b.municipality]
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok((name, place))
}

/// A centre's slug, name and seat (for documents it issues).
pub async fn identity<C: sea_orm::ConnectionTrait>(
    conn: &C,
    centre_id: integra_kernel::CentreId,
) -> AppResult<(String, String, String)> {
    centre::Entity::find_by_id(centre_id.uuid())
        .one(conn)
        .await?
        .map(|c| (c.slug, c.name, c.seat))
        .ok_or(AppError::NotFound)
}

/// The centre with `slug` (case-insensitive), if any: for public lookups
/// that carry the centre in a document number.
pub async fn by_slug<C: sea_orm::ConnectionTrait>(
    conn: &C,
    slug: &str,
) -> AppResult<Option<integra_kernel::CentreId>> {
    Ok(centre::Entity::find()
        .filter(centre::Column::Slug.eq(slug.to_ascii_lowercase()))
        .one(conn)
        .await?
        .map(|c| integra_kernel::CentreId::from(c.id)))
}
