//! The first month in which each person had each fact under each funding
//! project. A project's totals (distinct persons over its whole run, and up
//! to the last ended month for the ministry) were counted by reading every
//! person-month of the centre since the project began into memory on each
//! refresh: seconds of a core and hundreds of MB for a large centre, after
//! every write. A recount now keeps this table current for just the persons
//! whose month changed, and a total is a count of its rows (`first_month`
//! before the current month: published). A tenant table under row-level
//! security (it holds person keys), filled here from the months on file.
//!
//! Also for the recount: participants get an index by day (a month's
//! participants were found by reading every participant of the centre), and
//! the application role runs without PostgreSQL's JIT compiler, which spent
//! seconds compiling each large reporting query (4.2 s of a 26 s recount on
//! the national set) and gains nothing on the short queries of a request.

use sea_orm_migration::prelude::*;

use crate::{APP_ROLE, rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The fact bits a project total counts (`catalogue::bits` of the reporting
/// crate, without the event bit, which has no project total).
const BITS: [i32; 8] = [1, 2, 4, 8, 16, 32, 64, 256];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "CREATE TABLE report_project_firsts (
                tenant_id {uuid} NOT NULL,
                funding_project_id {uuid} NOT NULL,
                person_key text NOT NULL,
                bit integer NOT NULL,
                first_month {date} NOT NULL,
                PRIMARY KEY (tenant_id, funding_project_id, person_key, bit)
            );
            CREATE INDEX report_person_months_person_idx ON report_person_months (tenant_id, person_key);
            CREATE INDEX intervention_participants_day_idx ON intervention_participants (tenant_id, occurred_on)",
        )
        .await?;
        rls::postgres_only(manager, &format!("ALTER ROLE {APP_ROLE} SET jit = off")).await?;
        // The owner reads every centre's months once (forced row-level
        // security would show it none), then the policy is forced again.
        rls::postgres_only(
            manager,
            "ALTER TABLE report_person_months NO FORCE ROW LEVEL SECURITY",
        )
        .await?;
        for bit in BITS {
            sql::run(
                manager,
                &format!(
                    "INSERT INTO report_project_firsts (tenant_id, funding_project_id, person_key, bit, first_month) \
                     SELECT tenant_id, funding_project_id, person_key, {bit}, MIN(month) \
                     FROM report_person_months WHERE (measures & {bit}) <> 0 \
                     GROUP BY tenant_id, funding_project_id, person_key"
                ),
            )
            .await?;
        }
        rls::postgres_only(
            manager,
            "ALTER TABLE report_person_months FORCE ROW LEVEL SECURITY",
        )
        .await?;
        rls::isolate_tenant_table(manager, "report_project_firsts").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP INDEX intervention_participants_day_idx; DROP INDEX report_person_months_person_idx; \
             DROP TABLE report_project_firsts",
        )
        .await?;
        rls::postgres_only(manager, &format!("ALTER ROLE {APP_ROLE} RESET jit")).await
    }
}
