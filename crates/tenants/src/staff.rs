//! The staff of a centre: who works there and with which roles.
//!
//! Accounts are network-wide (one person may work for two centres); a
//! membership gives an account roles in one centre. A centre admin sees and
//! changes only their own centre's memberships. Role changes reach the
//! member's open sessions within the session cache time
//! ([`crate::AuthConfig::cache_ttl`]).

use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, Backend, Role, RoleSet, TenantScope, TenantTx, UserId,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{membership, user};
use crate::model::UserSummary;

/// One member of a centre's staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    /// The account.
    pub user: UserSummary,
    /// Roles in this centre.
    pub roles: RoleSet,
    /// Whether the account is disabled (cannot sign in anywhere).
    pub disabled: bool,
}

/// Lists and changes a centre's staff.
#[derive(Clone)]
pub struct StaffService {
    db: integra_kernel::Database,
}

impl StaffService {
    /// Creates the service.
    pub fn new(db: integra_kernel::Database) -> Self {
        Self { db }
    }

    /// The centre's staff, by name.
    pub async fn list(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
    ) -> AppResult<Vec<StaffMember>> {
        self.members(auth).await
    }

    /// The centre's active staff by name, for every member: whom to book
    /// an appointment with, whose calendar to open, who did what.
    pub async fn colleagues(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
    ) -> AppResult<Vec<StaffMember>> {
        let mut all = self.members(auth).await?;
        all.retain(|m| !m.disabled);
        Ok(all)
    }

    async fn members(&self, scope: &TenantScope) -> AppResult<Vec<StaffMember>> {
        let txn = self.db.scoped(scope).await?;
        let rows = txn.find::<membership::Entity>().all(&txn).await?;
        let users = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let Some(u) = users.iter().find(|u| u.id == m.user_id) else {
                continue;
            };
            out.push(member(u.clone(), &m)?);
        }
        out.sort_by(|a, b| {
            a.user
                .display_name
                .to_lowercase()
                .cmp(&b.user.display_name.to_lowercase())
                .then_with(|| a.user.email.cmp(&b.user.email))
        });
        Ok(out)
    }

    /// Replaces a member's roles in the centre. Only centre roles are
    /// accepted, at least one; the last centre admin keeps that role.
    pub async fn set_roles(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        user_id: UserId,
        roles: &[Role],
    ) -> AppResult<StaffMember> {
        let roles = centre_roles(roles)?;
        let txn = self.begin_admin_change(auth).await?;
        let m = find_membership(&txn, user_id).await?;
        let was_admin = RoleSet::parse_stored(&m.roles)
            .map_err(AppError::internal_msg)?
            .contains(Role::CentreAdmin);
        if was_admin && !roles.contains(Role::CentreAdmin) {
            ensure_another_admin(&txn, user_id).await?;
        }
        txn.update_many::<membership::Entity>()
            .col_expr(membership::Column::Roles, roles.to_stored().into())
            .filter(membership::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
        let u = user::Entity::find_by_id(user_id.uuid())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        tracing::info!(event = "staff_roles_changed", user_id = %user_id, roles = %roles.to_stored(), "staff roles changed");
        Ok(StaffMember {
            user: summary(&u),
            roles,
            disabled: u.disabled_at.is_some(),
        })
    }

    /// Removes a member from the centre (the account stays, with its other
    /// centres). The last centre admin cannot be removed.
    pub async fn remove(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        user_id: UserId,
    ) -> AppResult<()> {
        let txn = self.begin_admin_change(auth).await?;
        let m = find_membership(&txn, user_id).await?;
        let is_admin = RoleSet::parse_stored(&m.roles)
            .map_err(AppError::internal_msg)?
            .contains(Role::CentreAdmin);
        if is_admin {
            ensure_another_admin(&txn, user_id).await?;
        }
        txn.delete_many::<membership::Entity>()
            .filter(membership::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        tracing::info!(event = "staff_removed", user_id = %user_id, "staff member removed from centre");
        Ok(())
    }

    /// Display names of accounts (for audit lines and the like), read in
    /// the actor's transaction. Accounts are network-wide and carry no
    /// client data; unknown ids are left out.
    pub async fn display_names(
        &self,
        scope: &TenantScope,
        ids: &[UserId],
    ) -> AppResult<std::collections::HashMap<UserId, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let txn = self.db.scoped(scope).await?;
        let names = user_names(&txn, ids).await?;
        txn.commit().await?;
        Ok(names)
    }

    /// A write transaction in which the centre's memberships cannot change
    /// under us, so that two admins demoting each other at the same moment
    /// cannot leave the centre without one: SQLite takes the write lock at
    /// `BEGIN`; PostgreSQL locks the centre's membership rows.
    async fn begin_admin_change(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
    ) -> AppResult<TenantTx> {
        let txn = self.db.scoped_write(auth).await?;
        if self.db.backend() == Backend::Postgres {
            txn.find::<membership::Entity>()
                .order_by_asc(membership::Column::Id)
                .lock_exclusive()
                .all(&txn)
                .await?;
        }
        Ok(txn)
    }
}

/// Display names of accounts, read through `conn` (a pooled connection or
/// the caller's transaction); unknown ids are left out.
pub async fn user_names(
    conn: &impl sea_orm::ConnectionTrait,
    ids: &[UserId],
) -> AppResult<std::collections::HashMap<UserId, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().map(|u| u.uuid())))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|u| (UserId(u.id), u.display_name))
        .collect())
}

/// Checks, inside the caller's transaction, that each of `users` is a
/// member of the scope's centre; the first that is not is refused naming
/// `field` (so a worker from another centre looks like an unknown id).
pub async fn require_members(txn: &TenantTx, users: &[UserId], field: &str) -> AppResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let found = members_among(txn, users).await?;
    check_members(users, &found, field)
}

/// Which of `users` are members of the scope's centre (inside the caller's
/// transaction), for [`check_members`].
pub async fn members_among(txn: &TenantTx, users: &[UserId]) -> AppResult<Vec<uuid::Uuid>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    Ok(txn
        .find::<membership::Entity>()
        .select_only()
        .column(membership::Column::UserId)
        .filter(membership::Column::UserId.is_in(users.iter().map(|u| u.uuid())))
        .into_tuple()
        .all(txn)
        .await?)
}

/// Whether `user` is, inside the caller's transaction on `centre`, still a
/// member of its staff with an account that is not disabled: what a
/// person's calendar feed needs to keep working.
pub async fn is_active_member(txn: &TenantTx, user: UserId) -> AppResult<bool> {
    let member = txn
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user.uuid()))
        .one(txn)
        .await?
        .is_some();
    if !member {
        return Ok(false);
    }
    Ok(user::Entity::find_by_id(user.uuid())
        .one(txn)
        .await?
        .is_some_and(|u| u.disabled_at.is_none()))
}

/// [`require_members`] on the members `found` among `users` (read
/// elsewhere): `BAD_USER_INPUT` naming `field` unless all are.
pub fn check_members(users: &[UserId], found: &[uuid::Uuid], field: &str) -> AppResult<()> {
    if users.iter().all(|u| found.contains(&u.uuid())) {
        Ok(())
    } else {
        Err(AppError::bad_input(
            field,
            "is not a member of staff of this centre",
        ))
    }
}

/// The roles a client asked to give within a centre: centre roles only
/// (not the ministry's or the platform's), at least one; names the field
/// `roles`.
pub fn centre_roles(roles: &[Role]) -> AppResult<RoleSet> {
    let mut set = RoleSet::default();
    for &r in roles {
        if !r.is_centre_role() {
            return Err(AppError::bad_input(
                "roles",
                format!(
                    "'{r}' is not a centre role (one of: {})",
                    Role::ALL
                        .iter()
                        .filter(|r| r.is_centre_role())
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        set.insert(r);
    }
    if set.is_empty() {
        return Err(AppError::bad_input(
            "roles",
            "at least one role is required",
        ));
    }
    Ok(set)
}

async fn find_membership(txn: &TenantTx, user_id: UserId) -> AppResult<membership::Model> {
    txn.find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user_id.uuid()))
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn ensure_another_admin(txn: &TenantTx, leaving: UserId) -> AppResult<()> {
    let others = txn
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.ne(leaving.uuid()))
        .all(txn)
        .await?;
    let mut admins = 0u64;
    for m in others {
        if RoleSet::parse_stored(&m.roles)
            .map_err(AppError::internal_msg)?
            .contains(Role::CentreAdmin)
        {
            admins += 1;
        }
    }
    if admins == 0 {
        return Err(AppError::Conflict(
            "The centre must keep at least one centre admin.".into(),
        ));
    }
    Ok(())
}

fn summary(u: &user::Model) -> UserSummary {
    UserSummary {
        id: UserId(u.id),
        email: u.email.clone(),
        display_name: u.display_name.clone(),
    }
}

fn member(u: user::Model, m: &membership::Model) -> AppResult<StaffMember> {
    Ok(StaffMember {
        user: summary(&u),
        roles: RoleSet::parse_stored(&m.roles).map_err(AppError::internal_msg)?,
        disabled: u.disabled_at.is_some(),
    })
}
