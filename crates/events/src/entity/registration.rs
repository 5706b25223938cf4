//! `event_registrations`.
#![allow(
    missing_docs,
    reason = "sea-orm entity models: each table and its columns are described in its migration"
)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub event_id: Uuid,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language: String,
    pub consent_at: DateTimeUtc,
    pub status: String,
    pub code: String,
    pub cancel_token_hash: String,
    pub client_id: Option<Uuid>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The waitlist ticket: the how-many-th to join the event's waitlist.
    pub waitlist_ticket: Option<i64>,
    /// Hash of the confirm link's token, for events that ask for one.
    pub confirm_token_hash: Option<String>,
    /// When an unconfirmed registration lapses.
    pub confirm_by: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
