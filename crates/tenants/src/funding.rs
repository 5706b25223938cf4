//! Funding projects: the money each service is charged to, with the rule
//! that decides who may be served from it. Budgets, key activities and
//! indicator targets arrive with ministry reporting.

use chrono::NaiveDate;
use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, Database, FundingProjectId, SharedClock, TenantTx,
};
use sea_orm::{ActiveModelTrait, DbErr, QueryOrder, Set, SqlErr};

use crate::centres::required;
use crate::entity::funding_project;

/// Where a project's money comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundingSource {
    /// The EU Asylum, Migration and Integration Fund.
    Amif,
    /// The Czech state budget.
    StateBudget,
    /// Anything else (region, town, foundations).
    Other,
}

impl FundingSource {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amif => "amif",
            Self::StateBudget => "state_budget",
            Self::Other => "other",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Amif, Self::StateBudget, Self::Other]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Who may be served from a project's money.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EligibilityRule {
    /// The AMIF target group (docs/domain.md): lawfully residing third-country
    /// nationals, protection holders, Ukrainians with any status; not EU
    /// citizens, not applicants for international protection.
    AmifDefault,
    /// Anyone the centre serves.
    Open,
}

impl EligibilityRule {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AmifDefault => "amif_default",
            Self::Open => "open",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::AmifDefault, Self::Open]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A funding project of a centre.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundingProject {
    /// Id.
    pub id: FundingProjectId,
    /// Registration number, e.g. `AMIF/31/03`.
    pub registration_number: String,
    /// Name.
    pub name: String,
    /// Source of the money.
    pub source: FundingSource,
    /// Who may be served.
    pub eligibility_rule: EligibilityRule,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Minutes from which a service counts as an intervention, not a contact.
    pub contact_threshold_minutes: i32,
}

impl FundingProject {
    /// The project of a stored row as PostgreSQL's `to_jsonb` gives it (a
    /// function that returns it with other rows).
    pub fn from_row_json(row: serde_json::Value) -> AppResult<Self> {
        let m: funding_project::Model = serde_json::from_value(row)
            .map_err(|e| AppError::internal_msg(format!("funding project row: {e}")))?;
        Self::from_entity(m)
    }

    fn from_entity(m: funding_project::Model) -> AppResult<Self> {
        Ok(Self {
            id: m.id.into(),
            source: FundingSource::parse(&m.source)
                .ok_or_else(|| AppError::internal_msg("unknown funding source"))?,
            eligibility_rule: EligibilityRule::parse(&m.eligibility_rule)
                .ok_or_else(|| AppError::internal_msg("unknown eligibility rule"))?,
            registration_number: m.registration_number,
            name: m.name,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            contact_threshold_minutes: m.contact_threshold_minutes,
        })
    }
}

/// Input for a new project.
#[derive(Clone, Debug)]
pub struct NewFundingProject {
    /// Registration number.
    pub registration_number: String,
    /// Name.
    pub name: String,
    /// Source.
    pub source: FundingSource,
    /// Rule.
    pub eligibility_rule: EligibilityRule,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Contact threshold in minutes (default 30).
    pub contact_threshold_minutes: Option<i32>,
}

/// Reads and creates funding projects.
#[derive(Clone)]
pub struct FundingService {
    db: Database,
    clock: SharedClock,
}

impl FundingService {
    /// Creates the service.
    pub fn new(db: Database, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// The centre's projects, newest first.
    pub async fn list(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
    ) -> AppResult<Vec<FundingProject>> {
        let txn = self.db.scoped(auth).await?;
        let rows = txn
            .find::<funding_project::Entity>()
            .order_by_desc(funding_project::Column::StartsOn)
            .order_by_asc(funding_project::Column::RegistrationNumber)
            .all(&txn)
            .await?;
        txn.commit().await?;
        rows.into_iter().map(FundingProject::from_entity).collect()
    }

    /// One project of the centre; another centre's is `NOT_FOUND`.
    pub async fn get(
        &self,
        auth: &Authorized<'_, can::ReadCentre>,
        id: FundingProjectId,
    ) -> AppResult<FundingProject> {
        let txn = self.db.scoped(auth).await?;
        let row = txn
            .find_by_id::<funding_project::Entity>(id.uuid())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        txn.commit().await?;
        FundingProject::from_entity(row)
    }

    /// Adds a project (centre admins).
    pub async fn create(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        input: NewFundingProject,
    ) -> AppResult<FundingProject> {
        let registration_number = required("registrationNumber", &input.registration_number, 60)?;
        let name = required("name", &input.name, 300)?;
        if input.ends_on < input.starts_on {
            return Err(AppError::bad_input("endsOn", "must not be before startsOn"));
        }
        let threshold = input.contact_threshold_minutes.unwrap_or(30);
        if !(1..=480).contains(&threshold) {
            return Err(AppError::bad_input(
                "contactThresholdMinutes",
                "must be from 1 to 480 minutes",
            ));
        }
        let txn = self.db.scoped_write(auth).await?;
        let row = funding_project::ActiveModel {
            id: Set(FundingProjectId::new().uuid()),
            tenant_id: Set(auth.centre_id().uuid()),
            registration_number: Set(registration_number),
            name: Set(name),
            source: Set(input.source.as_str().to_owned()),
            eligibility_rule: Set(input.eligibility_rule.as_str().to_owned()),
            starts_on: Set(input.starts_on),
            ends_on: Set(input.ends_on),
            contact_threshold_minutes: Set(threshold),
            created_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(conflict)?;
        txn.commit().await?;
        FundingProject::from_entity(row)
    }
}

fn conflict(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
            "A project with this registration number already exists in the centre.".into(),
        ),
        _ => err.into(),
    }
}

/// Inserts a project inside an open transaction (demo and synthetic seeds).
pub(crate) async fn insert_seed(
    txn: &TenantTx,
    p: &NewFundingProject,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    funding_project::ActiveModel {
        id: Set(FundingProjectId::new().uuid()),
        tenant_id: Set(txn.centre().uuid()),
        registration_number: Set(p.registration_number.clone()),
        name: Set(p.name.clone()),
        source: Set(p.source.as_str().to_owned()),
        eligibility_rule: Set(p.eligibility_rule.as_str().to_owned()),
        starts_on: Set(p.starts_on),
        ends_on: Set(p.ends_on),
        contact_threshold_minutes: Set(p.contact_threshold_minutes.unwrap_or(30)),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// One project of the transaction's centre, read inside the caller's
/// transaction; another centre's or an unknown one is `NOT_FOUND`.
pub async fn project_in(txn: &TenantTx, id: FundingProjectId) -> AppResult<FundingProject> {
    let row = txn
        .find_by_id::<funding_project::Entity>(id.uuid())
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    FundingProject::from_entity(row)
}
