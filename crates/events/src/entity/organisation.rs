//! `event_organisations`: who took part in a regional platform meeting.
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub event_id: Uuid,
    pub kind: String,
    pub name: String,
    pub attendees: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
