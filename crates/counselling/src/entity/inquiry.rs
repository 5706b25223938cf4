use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inquiries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub occurred_on: Date,
    pub channel: String,
    pub language: String,
    pub nationality: Option<String>,
    pub topics: String,
    pub duration_minutes: i32,
    pub outcome: String,
    pub referred_to: String,
    pub worker_id: Uuid,
    pub branch_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
