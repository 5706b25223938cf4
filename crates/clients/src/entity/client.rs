use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<Date>,
    pub birth_year: Option<i32>,
    pub sex: String,
    pub nationality: String,
    pub languages: String,
    pub phone: String,
    pub email: String,
    pub municipality: String,
    pub region_code: Option<String>,
    pub branch_id: Option<Uuid>,
    pub first_contact_on: Date,
    pub referral_source: String,
    pub identity_verified_at: Option<DateTimeUtc>,
    pub identity_verified_by: Option<Uuid>,
    pub person_key: Option<String>,
    pub residence_category: Option<String>,
    pub merged_into: Option<Uuid>,
    pub anonymised_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
