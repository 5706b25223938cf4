use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: String,
    pub place: String,
    pub municipality: String,
    pub branch_id: Option<Uuid>,
    pub worker_id: Option<Uuid>,
    pub rrule: String,
    pub starts_time: String,
    pub ends_time: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
