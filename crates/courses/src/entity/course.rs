//! `courses`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub kind: String,
    pub level: String,
    pub title: String,
    pub description: String,
    pub branch_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub capacity: i32,
    pub min_participants: Option<i32>,
    pub interpreter_language: String,
    pub interpreter_id: Option<Uuid>,
    pub funding_project_id: Option<Uuid>,
    pub key_activity: String,
    pub fee_czk: Option<i32>,
    pub deposit_czk: Option<i32>,
    pub enrolment_opens_on: Option<Date>,
    pub enrolment_closes_on: Option<Date>,
    pub completion_percent: i32,
    pub recurrence: String,
    pub first_day: Option<Date>,
    pub start_time: String,
    pub end_time: String,
    pub status: String,
    pub enrolled: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
