//! Domain types handed out by this crate's services.

use integra_kernel::{AppError, AppResult, BranchId, CentreId, RoleSet, UserId};

use crate::entity;
use crate::regions::Region;

/// A centre (tenant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Centre {
    /// Id.
    pub id: CentreId,
    /// URL-safe short name, unique.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The organisation that runs it.
    pub operator: String,
    /// Region it serves.
    pub region: Region,
    /// Town of its seat.
    pub seat: String,
}

impl Centre {
    pub(crate) fn from_entity(m: entity::centre::Model) -> AppResult<Self> {
        // An unknown code can only come from a manual edit of the table;
        // reporting it under a wrong region would mislead the ministry.
        let region = Region::by_nuts3(&m.region_code).ok_or_else(|| {
            AppError::internal_msg(format!("centre {} has unknown region code", m.id))
        })?;
        Ok(Self {
            id: m.id.into(),
            slug: m.slug,
            name: m.name,
            operator: m.operator,
            region,
            seat: m.seat,
        })
    }
}

/// A branch (pobočka) of a centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branch {
    /// Id.
    pub id: BranchId,
    /// Owning centre.
    pub centre_id: CentreId,
    /// Name, unique within the centre.
    pub name: String,
    /// Municipality.
    pub municipality: String,
    /// Street address.
    pub address: String,
}

impl From<entity::branch::Model> for Branch {
    fn from(m: entity::branch::Model) -> Self {
        Self {
            id: m.id.into(),
            centre_id: m.tenant_id.into(),
            name: m.name,
            municipality: m.municipality,
            address: m.address,
        }
    }
}

/// Input for a new or changed branch.
#[derive(Clone, Debug, Default)]
pub struct NewBranch {
    /// Name.
    pub name: String,
    /// Municipality.
    pub municipality: String,
    /// Street address.
    pub address: String,
}

/// A user's roles in one centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The centre.
    pub centre: Centre,
    /// Roles held there.
    pub roles: RoleSet,
}

/// Who a user is, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSummary {
    /// Id.
    pub id: UserId,
    /// Sign-in email (lower case).
    pub email: String,
    /// Name to show.
    pub display_name: String,
}
