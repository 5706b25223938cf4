//! `memberships`: a user's roles in one centre.
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub roles: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::centre::Entity",
        from = "Column::TenantId",
        to = "super::centre::Column::Id"
    )]
    Centre,
}

impl Related<super::centre::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Centre.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
