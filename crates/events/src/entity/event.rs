//! `events`.
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub slug: String,
    pub kind: String,
    pub audience: String,
    pub title: String,
    pub description: String,
    pub branch_id: Option<Uuid>,
    pub venue: String,
    pub online_url: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: Option<i32>,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub public_registration: bool,
    pub languages: String,
    pub funding_project_id: Option<Uuid>,
    pub key_activity: String,
    pub status: String,
    pub confirmed: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub room_id: Option<Uuid>,
    pub interpreter_id: Option<Uuid>,
    /// How many have left the waitlist (moved up or cancelled).
    pub waitlist_left: i64,
    /// Public registrants confirm from an email link before a place is held.
    pub confirm_by_email: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
