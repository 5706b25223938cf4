use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize, serde::Serialize)]
#[sea_orm(table_name = "interventions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub occurred_on: Date,
    pub duration_minutes: i32,
    pub worker_id: Uuid,
    pub kind: String,
    pub target_office: Option<String>,
    pub form: String,
    pub branch_id: Option<Uuid>,
    pub place: String,
    pub topics: String,
    pub language: String,
    pub interpreter_id: Option<Uuid>,
    pub interpreter_language: String,
    pub outcome: String,
    pub case_id: Option<Uuid>,
    pub funding_project_id: Uuid,
    pub key_activity: String,
    pub is_group: bool,
    pub anonymous_count: i32,
    pub outreach_slot_id: Option<Uuid>,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
