//! Refreshing the roll-ups and reading them: the ministry's suppressed
//! tables (closed periods only), a centre's own figures unsuppressed, and
//! funding projects' targets against actuals.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use integra_kernel::scope::can;
use integra_kernel::{
    AppError, AppResult, Authorized, Backend, Database, FundingProjectId, PlatformActor,
    PlatformDb, Role, SharedClock, TenantTx, stmt,
};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Value};
use uuid::Uuid;

use crate::catalogue::{Dimension, Indicator};
use crate::cells::{
    Cell, CentreInfo, EventFact, PersonFact, Scope, ServiceFact, YearInput, compute_scope,
};
use crate::facts::{insert_rows, month_of, refresh_month};
use crate::period::Period;
use crate::suppress::{Mark, is_small};

/// Where a table's rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// One row per centre.
    Centre,
    /// One row per region.
    Region,
    /// The whole network.
    Network,
}

impl Level {
    fn prefix(self) -> &'static str {
        match self {
            Level::Centre => "centre:",
            Level::Region => "region:",
            Level::Network => "network",
        }
    }
}

/// One cell as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCell {
    /// `centre:<id>`, `region:<code>` or `network`.
    pub geo: String,
    /// Indicator.
    pub indicator: Indicator,
    /// Category (empty for the total).
    pub category: String,
    /// The value; `None` when suppressed.
    pub value: Option<i64>,
    /// Suppression mark.
    pub mark: Mark,
}

/// A funding project's progress toward one target.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetProgress {
    /// Indicator.
    pub indicator: Indicator,
    /// Planned value.
    pub planned: i64,
    /// Reached so far; `None` when suppressed.
    pub actual: Option<i64>,
    /// Suppression mark of the actual.
    pub mark: Mark,
    /// What a straight line from 0 to the plan expects by now (from the
    /// plan and the calendar alone).
    pub expected: f64,
    /// Behind the straight line; `None` when the actual is suppressed
    /// (a comparison with a hidden value would reveal it).
    pub behind: Option<bool>,
}

/// A funding project with its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectProgress {
    /// Centre.
    pub centre_id: Uuid,
    /// Project.
    pub project_id: FundingProjectId,
    /// Registration number.
    pub registration_number: String,
    /// Name.
    pub name: String,
    /// Operator (příjemce).
    pub operator: String,
    /// Budget in CZK.
    pub budget_czk: Option<i64>,
    /// Key activities.
    pub key_activities: Vec<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Share of the period elapsed (0–1) on the day the actuals count to.
    pub elapsed: f64,
    /// Targets.
    pub targets: Vec<TargetProgress>,
}

/// What one refresh did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Centre-months recounted.
    pub months: usize,
    /// Of those, the centre-months whose figures changed (only their years
    /// are rebuilt).
    pub changed: usize,
    /// Years whose cells were rebuilt.
    pub years: Vec<i32>,
    /// Years of which only the changed centres' cells of periods that have
    /// not ended were rebuilt.
    pub running: Vec<i32>,
}

/// Reads and maintains the roll-ups.
#[derive(Clone)]
pub struct ReportingService {
    /// The platform's doors, for its public and background paths.
    pub(crate) platform: PlatformDb,
    clock: SharedClock,
}

/// Centre-months recounted per refresh at most (the rest waits for the next).
const MONTHS_PER_REFRESH: u64 = 2_000;

/// A claim on a month older than this was left by a process that stopped
/// mid-recount (one month takes seconds), and the month is marked again.
const CLAIM_EXPIRY_SECONDS: i64 = 15 * 60;

/// Counts a year's cells on a blocking thread: counting and suppression
/// take seconds at national scale, too long for the async workers.
async fn compute_apart(input: YearInput, scope: Scope) -> AppResult<Vec<Cell>> {
    tokio::task::spawn_blocking(move || compute_scope(&input, scope))
        .await
        .map_err(|e| AppError::internal_msg(format!("building the roll-ups failed: {e}")))
}

/// Inserts a year's computed cells.
async fn insert_cells(
    txn: &DatabaseTransaction,
    backend: Backend,
    year: i32,
    cells: Vec<Cell>,
) -> AppResult<()> {
    let rows: Vec<Vec<Value>> = cells
        .into_iter()
        .map(|c| {
            vec![
                year.into(),
                c.geo.into(),
                c.period.code().into(),
                c.indicator.as_str().into(),
                c.dimension.as_str().into(),
                c.category.into(),
                c.value.into(),
                c.mark.code().into(),
                c.published.into(),
            ]
        })
        .collect();
    insert_rows(
        txn,
        backend,
        "report_cells (year, geo, period, indicator, dimension, category, value, hidden, published)",
        rows,
    )
    .await
}

/// The period code of the whole project to the end of the last closed month
/// (published), and of the project to date (the centre's own, live).
pub(crate) const PROJECT_PUBLISHED: &str = "P";
pub(crate) const PROJECT_LIVE: &str = "L";

impl ReportingService {
    /// The tenant-scoped handle (the one under the platform's doors).
    pub(crate) fn db(&self) -> &Database {
        self.platform.database()
    }

    /// Creates the service.
    pub fn new(platform: PlatformDb, clock: SharedClock) -> Self {
        Self { platform, clock }
    }

    pub(crate) fn today(&self) -> NaiveDate {
        crate::facts::local_day(self.clock.now())
    }

    pub(crate) fn backend(&self) -> Backend {
        self.db().backend()
    }

    /// How many months of `year` have ended by `today`.
    pub(crate) fn closed_months(year: i32, today: NaiveDate) -> u32 {
        match year.cmp(&today.year()) {
            std::cmp::Ordering::Less => 12,
            std::cmp::Ordering::Equal => today.month() - 1,
            std::cmp::Ordering::Greater => 0,
        }
    }

    /// Recounts every month a trigger marked, then rebuilds the cells of the
    /// years they belong to (and of years in which a period has ended since
    /// the last build). The background worker calls this every few seconds.
    pub async fn refresh(&self) -> AppResult<Refreshed> {
        let backend = self.backend();
        let now = self.clock.now();
        let today = self.today();
        self.give_back_expired().await?;
        let txn = self.platform.reporting().await?;
        let dirty = txn
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT centre_id, month FROM report_dirty ORDER BY month, centre_id LIMIT {MONTHS_PER_REFRESH}"
                ),
                vec![],
            ))
            .await?;
        txn.commit().await?;
        // Years to rebuild whole (a change in a period that has ended, which
        // the ministry sees), and the centres whose own view of a year's
        // running periods changed.
        let mut years: BTreeSet<i32> = BTreeSet::new();
        let mut running: BTreeMap<i32, BTreeSet<Uuid>> = BTreeMap::new();
        let mut centres: BTreeSet<Uuid> = BTreeSet::new();
        let (mut months, mut changed) = (0, 0);
        for r in dirty {
            let centre: Uuid = r.try_get("", "centre_id")?;
            let month: NaiveDate = r.try_get("", "month")?;
            // One month that cannot be recounted keeps its mark (and is
            // retried next time) without holding up the others.
            match self.recount(centre, month, now).await {
                Ok(None) => {}
                Ok(Some(false)) => months += 1,
                Ok(Some(true)) => {
                    if month.month() <= Self::closed_months(month.year(), today) {
                        years.insert(month.year());
                    } else {
                        running.entry(month.year()).or_default().insert(centre);
                    }
                    centres.insert(centre);
                    months += 1;
                    changed += 1;
                }
                Err(e) => {
                    tracing::warn!(centre = %centre, %month, error = %e, "recounting a month failed");
                }
            }
        }
        // Years whose closed months moved on since their last build.
        let mut closure_moved = false;
        let mut built = BTreeSet::new();
        let txn = self.platform.reporting().await?;
        for r in txn
            .query_all_raw(stmt(
                backend,
                "SELECT year, closed_through FROM report_builds",
                vec![],
            ))
            .await?
        {
            let year: i32 = r.try_get("", "year")?;
            let through: Option<NaiveDate> = r.try_get("", "closed_through")?;
            built.insert(year);
            if through != closed_through(year, today) {
                years.insert(year);
                closure_moved = true;
            }
        }
        txn.commit().await?;
        // A change only to periods that have not ended touches only the
        // changed centres' own cells of those periods: no other centre's,
        // and nothing the ministry sees (a year never built is built whole).
        let mut partial = Vec::new();
        for (year, only) in &running {
            if !built.contains(year) {
                years.insert(*year);
            } else if !years.contains(year) {
                self.build_running(*year, only).await?;
                partial.push(*year);
            }
        }
        for year in &years {
            self.build_year(*year).await?;
        }
        if closure_moved {
            // The ministry's project totals count to the last ended month.
            self.build_projects(None).await?;
        } else if !centres.is_empty() {
            self.build_projects(Some(&centres)).await?;
        }
        Ok(Refreshed {
            months,
            changed,
            years: years.into_iter().collect(),
            running: partial,
        })
    }

    /// Centre-months marked and not yet counted (one that fails to recount
    /// stays marked).
    pub async fn marked_months(&self) -> AppResult<i64> {
        let txn = self.platform.reporting().await?;
        let n = txn
            .query_one_raw(stmt(
                self.backend(),
                "SELECT COUNT(*) AS n FROM report_dirty",
                vec![],
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        txn.commit().await?;
        Ok(n)
    }

    /// Recounts one marked month of one centre: whether its figures changed,
    /// or `None` when another process took the mark first.
    async fn recount(
        &self,
        centre: Uuid,
        month: NaiveDate,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Option<bool>> {
        let backend = self.backend();
        let key = || vec![Value::from(centre), Value::from(month)];
        // Taking the mark is the claim (another process recounting the same
        // month finds nothing to take), committed at once: a write to the
        // month meanwhile marks it again instead of waiting for the recount,
        // and is counted by the next refresh.
        let txn = self.platform.reporting().await?;
        let claimed = txn
            .execute_raw(stmt(
                backend,
                "DELETE FROM report_dirty WHERE centre_id = ? AND month = ?",
                key(),
            ))
            .await?
            .rows_affected();
        if claimed == 0 {
            txn.commit().await?;
            return Ok(None);
        }
        // The claim's time tells this process's claim from another's.
        let stamp = || {
            let mut values = key();
            values.push(now.into());
            values
        };
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO report_claims (centre_id, month, claimed_at) VALUES (?, ?, ?) \
             ON CONFLICT (centre_id, month) DO UPDATE SET claimed_at = excluded.claimed_at",
            stamp(),
        ))
        .await?;
        txn.commit().await?;
        // Only this process's own claim: another's has another time.
        let release = || {
            stmt(
                backend,
                "DELETE FROM report_claims WHERE centre_id = ? AND month = ? AND claimed_at = ?",
                stamp(),
            )
        };
        let counted = async {
            let txn = self
                .platform
                .unscoped_for_centre(integra_kernel::CentreId::from(centre))
                .await?;
            let changed = refresh_month(&txn, month, now).await?.changed;
            txn.execute_raw(release()).await?;
            txn.commit().await?;
            AppResult::Ok(changed)
        }
        .await;
        match counted {
            Ok(changed) => Ok(Some(changed)),
            Err(e) => {
                // The month is marked again, to be tried again.
                let txn = self.platform.reporting().await?;
                txn.execute_raw(stmt(
                    backend,
                    "INSERT INTO report_dirty (centre_id, month) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    key(),
                ))
                .await?;
                txn.execute_raw(release()).await?;
                txn.commit().await?;
                Err(e)
            }
        }
    }

    /// Marks again the months of claims older than
    /// [`CLAIM_EXPIRY_SECONDS`], left by a process that stopped mid-recount.
    async fn give_back_expired(&self) -> AppResult<()> {
        let backend = self.backend();
        let before: Value =
            (self.clock.now() - chrono::Duration::seconds(CLAIM_EXPIRY_SECONDS)).into();
        let txn = self.platform.reporting().await?;
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO report_dirty (centre_id, month) SELECT centre_id, month FROM report_claims \
             WHERE claimed_at < ? ON CONFLICT DO NOTHING",
            vec![before.clone()],
        ))
        .await?;
        txn.execute_raw(stmt(
            backend,
            "DELETE FROM report_claims WHERE claimed_at < ?",
            vec![before],
        ))
        .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn centres(&self) -> AppResult<Vec<CentreInfo>> {
        let txn = self.platform.reporting().await?;
        let rows = txn
            .query_all_raw(stmt(
                self.backend(),
                "SELECT id, region_code FROM centres ORDER BY id",
                vec![],
            ))
            .await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|r| {
                Ok(CentreInfo {
                    id: r.try_get("", "id")?,
                    region: r.try_get("", "region_code")?,
                })
            })
            .collect()
    }

    /// The facts of one year, of every centre or `only` these.
    async fn year_input(&self, year: i32, only: Option<&BTreeSet<Uuid>>) -> AppResult<YearInput> {
        let today = self.today();
        let mut centres = self.centres().await?;
        if let Some(only) = only {
            centres.retain(|c| only.contains(&c.id));
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| AppError::bad_input("year", "not a year"))?;
        let end = NaiveDate::from_ymd_opt(year + 1, 1, 1)
            .ok_or_else(|| AppError::bad_input("year", "not a year"))?;
        let mut input = YearInput {
            year,
            closed_months: Self::closed_months(year, today),
            ..YearInput::default()
        };
        for (ci, centre) in centres.iter().enumerate() {
            let txn = self
                .platform
                .unscoped_for_centre(integra_kernel::CentreId::from(centre.id))
                .await?;
            for r in txn
                .query_all_raw(txn.stmt("SELECT month, person_key, measures, sex, birth_year, nationality, residence_category \
                     FROM report_person_months WHERE tenant_id = :tenant AND month >= ? AND month < ?",
                    vec![ start.into(), end.into()],
                ))
                .await?
            {
                let month: NaiveDate = r.try_get("", "month")?;
                input.persons.push(PersonFact {
                    centre: ci,
                    month: month.month(),
                    key: r.try_get("", "person_key")?,
                    measures: r.try_get("", "measures")?,
                    sex: r.try_get("", "sex")?,
                    birth_year: r.try_get("", "birth_year")?,
                    nationality: r.try_get("", "nationality")?,
                    residence: r.try_get("", "residence_category")?,
                });
            }
            let mut seen = HashSet::new();
            for r in txn
                .query_all_raw(txn.stmt("SELECT DISTINCT person_key FROM report_person_months WHERE tenant_id = :tenant AND month < ? \
                     AND person_key IN (SELECT person_key FROM report_person_months \
                       WHERE tenant_id = :tenant AND month >= ? AND month < ?)",
                    vec![ start.into(), start.into(), end.into()],
                ))
                .await?
            {
                seen.insert(r.try_get::<String>("", "person_key")?);
            }
            input.seen_before.push(seen);
            for r in txn
                .query_all_raw(txn.stmt("SELECT month, kind, CAST(SUM(interventions) AS BIGINT) AS n, CAST(SUM(minutes) AS BIGINT) AS minutes, CAST(SUM(contacts) AS BIGINT) AS contacts \
                     FROM report_service_months WHERE tenant_id = :tenant AND month >= ? AND month < ? \
                     GROUP BY month, kind",
                    vec![ start.into(), end.into()],
                ))
                .await?
            {
                let month: NaiveDate = r.try_get("", "month")?;
                input.services.push(ServiceFact {
                    centre: ci,
                    month: month.month(),
                    kind: r.try_get("", "kind")?,
                    interventions: r.try_get("", "n")?,
                    minutes: r.try_get("", "minutes")?,
                    contacts: r.try_get("", "contacts")?,
                });
            }
            for r in txn
                .query_all_raw(txn.stmt(
                    "SELECT month, audience, events, participants FROM report_event_months \
                     WHERE tenant_id = :tenant AND month >= ? AND month < ?",
                    vec![start.into(), end.into()],
                ))
                .await?
            {
                let month: NaiveDate = r.try_get("", "month")?;
                input.events.push(EventFact {
                    centre: ci,
                    month: month.month(),
                    audience: r.try_get("", "audience")?,
                    events: i64::from(r.try_get::<i32>("", "events")?),
                    participants: i64::from(r.try_get::<i32>("", "participants")?),
                });
            }
            txn.commit().await?;
        }
        input.centres = centres;
        Ok(input)
    }

    /// Rebuilds the cells of one year from the facts. Regions and the
    /// network are kept for ended periods only: nobody sees them before.
    pub async fn build_year(&self, year: i32) -> AppResult<usize> {
        let backend = self.backend();
        let today = self.today();
        let input = self.year_input(year, None).await?;
        let cells: Vec<Cell> = compute_apart(input, Scope::Whole)
            .await?
            .into_iter()
            .filter(|c| c.published || c.geo.starts_with("centre:"))
            .collect();
        let n = cells.len();
        let txn = self.platform.reporting().await?;
        txn.execute_raw(stmt(
            backend,
            "DELETE FROM report_cells WHERE year = ?",
            vec![year.into()],
        ))
        .await?;
        insert_cells(&txn, backend, year, cells).await?;
        txn.execute_raw(stmt(
            backend,
            "DELETE FROM report_builds WHERE year = ?",
            vec![year.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO report_builds (year, closed_through, built_at, cells) VALUES (?, ?, ?, ?)",
            vec![
                year.into(),
                closed_through(year, today).into(),
                self.clock.now().into(),
                i64::try_from(n).unwrap_or(i64::MAX).into(),
            ],
        ))
        .await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Rebuilds the cells of a year's periods that have not ended for
    /// `only` these centres: their own view of the running month, quarter
    /// and year. Those cells depend on nothing but the centre's own facts,
    /// and the ministry sees none of them, so the other centres' cells and
    /// the suppression of ended periods stay as they are.
    async fn build_running(&self, year: i32, only: &BTreeSet<Uuid>) -> AppResult<usize> {
        let backend = self.backend();
        let input = self.year_input(year, Some(only)).await?;
        let geos: Vec<Value> = input
            .centres
            .iter()
            .map(|c| Value::from(format!("centre:{}", c.id)))
            .collect();
        if geos.is_empty() {
            return Ok(0);
        }
        let cells: Vec<Cell> = compute_apart(input, Scope::Running).await?;
        let n = cells.len();
        let txn = self.platform.reporting().await?;
        let list = vec!["?"; geos.len()].join(", ");
        let mut values = vec![Value::from(year), Value::from(false)];
        values.extend(geos);
        txn.execute_raw(stmt(
            backend,
            &format!(
                "DELETE FROM report_cells WHERE year = ? AND published = ? AND geo IN ({list})"
            ),
            values,
        ))
        .await?;
        insert_cells(&txn, backend, year, cells).await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Rebuilds the funding projects' totals of `only` these centres (all
    /// when `None`): to date for the centre, and to the end of the last
    /// closed month for the ministry.
    async fn build_projects(&self, only: Option<&BTreeSet<Uuid>>) -> AppResult<()> {
        let backend = self.backend();
        let closed = month_of(self.today());
        let mut rows: Vec<Vec<Value>> = Vec::new();
        let mut replaced: Vec<Value> = Vec::new();
        for centre in self.centres().await? {
            if only.is_some_and(|set| !set.contains(&centre.id)) {
                continue;
            }
            let txn = self
                .platform
                .unscoped_for_centre(integra_kernel::CentreId::from(centre.id))
                .await?;
            for r in txn
                .query_all_raw(txn.stmt(
                    "SELECT id FROM funding_projects WHERE tenant_id = :tenant",
                    vec![],
                ))
                .await?
            {
                replaced.push(format!("project:{}", r.try_get::<Uuid>("", "id")?).into());
            }
            // Distinct persons: those whose first month with the fact falls
            // before the current month (published) or at all (live).
            let mut persons: Vec<((Uuid, Indicator), (i64, i64))> = Vec::new();
            for r in txn
                .query_all_raw(txn.stmt("SELECT funding_project_id, bit, COUNT(*) AS live, \
                     CAST(SUM(CASE WHEN first_month < ? THEN 1 ELSE 0 END) AS BIGINT) AS published \
                     FROM report_project_firsts WHERE tenant_id = :tenant GROUP BY funding_project_id, bit",
                    vec![closed.into()],
                ))
                .await?
            {
                let bit: i32 = r.try_get("", "bit")?;
                let Some(ind) = Indicator::ALL.iter().find(|i| i.bit() == Some(bit)) else {
                    continue;
                };
                persons.push((
                    (r.try_get("", "funding_project_id")?, *ind),
                    (r.try_get("", "published")?, r.try_get("", "live")?),
                ));
            }
            let mut sums: HashMap<(Uuid, Indicator), (i64, i64)> = HashMap::new();
            for r in txn
                .query_all_raw(txn.stmt("SELECT funding_project_id, month, CAST(SUM(interventions) AS BIGINT) AS n, \
                     CAST(SUM(minutes) AS BIGINT) AS minutes, CAST(SUM(contacts) AS BIGINT) AS contacts FROM report_service_months WHERE tenant_id = :tenant \
                     GROUP BY funding_project_id, month",
                    vec![],
                ))
                .await?
            {
                let project: Uuid = r.try_get("", "funding_project_id")?;
                let month: NaiveDate = r.try_get("", "month")?;
                for (ind, col) in [
                    (Indicator::Interventions, "n"),
                    (Indicator::InterventionHours, "minutes"),
                    (Indicator::Contacts, "contacts"),
                ] {
                    let v: i64 = r.try_get("", col)?;
                    let e = sums.entry((project, ind)).or_default();
                    if month < closed {
                        e.0 += v;
                    }
                    e.1 += v;
                }
            }
            txn.commit().await?;
            let mut push = |project: Uuid, ind: Indicator, published: i64, live: i64| {
                let protect = ind.counts_persons();
                for (period, value, is_published) in [
                    (PROJECT_PUBLISHED, published, true),
                    (PROJECT_LIVE, live, false),
                ] {
                    if value == 0 {
                        continue;
                    }
                    let mark = if protect && is_small(value) {
                        Mark::Small
                    } else {
                        Mark::Shown
                    };
                    rows.push(vec![
                        0i32.into(),
                        format!("project:{project}").into(),
                        period.into(),
                        ind.as_str().into(),
                        Dimension::Total.as_str().into(),
                        String::new().into(),
                        value.into(),
                        mark.code().into(),
                        is_published.into(),
                    ]);
                }
            };
            for ((project, ind), (p, l)) in persons.into_iter().chain(sums) {
                push(project, ind, p, l);
            }
        }
        let txn = self.platform.reporting().await?;
        for chunk in replaced.chunks(500) {
            txn.execute_raw(stmt(
                backend,
                &format!(
                    "DELETE FROM report_cells WHERE year = 0 AND geo IN ({})",
                    vec!["?"; chunk.len()].join(", ")
                ),
                chunk.to_vec(),
            ))
            .await?;
        }
        insert_rows(
            &txn,
            backend,
            "report_cells (year, geo, period, indicator, dimension, category, value, hidden, published)",
            rows,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    // ----- reading -----

    pub(crate) fn require_ministry(actor: &PlatformActor) -> AppResult<()> {
        if actor.has(Role::MinistryOfficer) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    fn check_year(year: i32) -> AppResult<()> {
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input(
                "year",
                "use a year between 2000 and 2100",
            ));
        }
        Ok(())
    }

    async fn read_cells(
        &self,
        year: i32,
        period: Period,
        geo_like: &str,
        indicators: &[Indicator],
        dimension: Dimension,
        published_only: bool,
    ) -> AppResult<Vec<(String, Indicator, String, i64, Mark)>> {
        let backend = self.backend();
        let list = vec!["?"; indicators.len()].join(", ");
        let mut values: Vec<Value> = vec![
            year.into(),
            period.code().into(),
            dimension.as_str().into(),
            geo_like.into(),
        ];
        values.extend(indicators.iter().map(|i| Value::from(i.as_str())));
        let published = if published_only {
            match backend {
                Backend::Postgres => " AND published",
                Backend::Sqlite => " AND published = 1",
            }
        } else {
            ""
        };
        let txn = self.platform.reporting().await?;
        let rows = txn
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT geo, indicator, category, value, hidden FROM report_cells \
                     WHERE year = ? AND period = ? AND dimension = ? AND geo LIKE ? \
                     AND indicator IN ({list}){published} ORDER BY geo, indicator, category"
                ),
                values,
            ))
            .await?;
        txn.commit().await?;
        rows.into_iter()
            .map(|r| {
                let ind: String = r.try_get("", "indicator")?;
                Ok((
                    r.try_get("", "geo")?,
                    Indicator::parse(&ind)
                        .ok_or_else(|| AppError::internal_msg("unknown indicator in roll-ups"))?,
                    r.try_get("", "category")?,
                    r.try_get("", "value")?,
                    Mark::from_code(r.try_get("", "hidden")?),
                ))
            })
            .collect()
    }

    /// Names of the centres and regions by geo key: a centre's name and
    /// region, a region's name, "Celá síť" for the network.
    pub(crate) async fn geo_names(&self) -> AppResult<HashMap<String, Vec<String>>> {
        let txn = self.platform.reporting().await?;
        let centres = txn
            .query_all_raw(stmt(
                self.backend(),
                "SELECT id, name, region_code FROM centres",
                vec![],
            ))
            .await?;
        txn.commit().await?;
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for r in centres {
            let id: Uuid = r.try_get("", "id")?;
            let name: String = r.try_get("", "name")?;
            let code: String = r.try_get("", "region_code")?;
            let region = integra_tenants::regions::Region::by_nuts3(&code)
                .map_or(code.clone(), |r| r.name.to_owned());
            names.insert(format!("centre:{id}"), vec![name, region.clone()]);
            names.insert(format!("region:{code}"), vec![region]);
        }
        names.insert("network".to_owned(), vec!["Celá síť".to_owned()]);
        Ok(names)
    }

    /// A table for the ministry: `indicators` for every centre, region or the
    /// network in one ended period, by `dimension`, with small cells
    /// suppressed. Periods that have not ended are refused naming the field.
    pub async fn ministry_table(
        &self,
        actor: &PlatformActor,
        year: i32,
        period: Period,
        level: Level,
        indicators: &[Indicator],
        dimension: Dimension,
    ) -> AppResult<Vec<TableCell>> {
        Self::require_ministry(actor)?;
        Self::check_year(year)?;
        let closed = Self::closed_months(year, self.today());
        if *period.months().end() > closed {
            return Err(AppError::bad_input(
                "period",
                "the period has not ended yet; the ministry sees ended months, quarters and years",
            ));
        }
        let geo = match level {
            Level::Network => "network".to_owned(),
            l => format!("{}%", l.prefix()),
        };
        Ok(self
            .read_cells(year, period, &geo, indicators, dimension, true)
            .await?
            .into_iter()
            .map(|(geo, indicator, category, value, mark)| TableCell {
                geo,
                indicator,
                category,
                value: (!mark.hidden()).then_some(value),
                mark,
            })
            .collect())
    }

    /// The ministry's table as a file (CSV, XLSX or a PDF report), for an
    /// ended period: every indicator that has `dimension` (the main ones
    /// for the total), one row per centre, region or the network (and
    /// category), suppressed cells printed as "<5" and "×". Returns the
    /// file name and the bytes.
    pub async fn ministry_report(
        &self,
        actor: &PlatformActor,
        year: i32,
        period: Period,
        level: Level,
        dimension: Dimension,
        format: crate::export::Format,
    ) -> AppResult<(String, Vec<u8>)> {
        use crate::export::{Printed, Report, category_name, dimension_name, indicator_name};
        let indicators: Vec<Indicator> = if dimension == Dimension::Total {
            Indicator::MAIN.to_vec()
        } else {
            Indicator::ALL
                .iter()
                .copied()
                .filter(|i| i.dimensions().contains(&dimension))
                .collect()
        };
        if indicators.is_empty() {
            return Err(AppError::bad_input(
                "dimension",
                "no indicator has this breakdown",
            ));
        }
        let cells = self
            .ministry_table(actor, year, period, level, &indicators, dimension)
            .await?;
        let names = self.geo_names().await?;
        // A cell the roll-ups do not have is a zero: "<5" for persons,
        // 0 for counts of services. Every centre, region or the network
        // has its total row even when it has nothing yet.
        let empty: Vec<Printed> = indicators
            .iter()
            .map(|i| {
                if i.counts_persons() {
                    Printed::Hidden("<5")
                } else {
                    Printed::Value(0.0)
                }
            })
            .collect();
        let mut rows: BTreeMap<(Vec<String>, String), Vec<Printed>> = BTreeMap::new();
        for (geo, label) in &names {
            let wanted = match level {
                Level::Centre => geo.starts_with("centre:"),
                Level::Region => geo.starts_with("region:"),
                Level::Network => geo == "network",
            };
            if wanted {
                rows.insert((label.clone(), String::new()), empty.clone());
            }
        }
        for c in cells {
            let mut label = names
                .get(&c.geo)
                .cloned()
                .unwrap_or_else(|| vec![c.geo.clone()]);
            if level == Level::Centre && label.len() < 2 {
                label.push(String::new());
            }
            let col = indicators
                .iter()
                .position(|i| *i == c.indicator)
                .unwrap_or_default();
            let row = rows
                .entry((label, c.category.clone()))
                .or_insert_with(|| empty.clone());
            row[col] = Printed::of(c.indicator, c.value, c.mark);
        }
        let mut label_headings: Vec<String> = match level {
            Level::Centre => vec!["Centrum".into(), "Kraj".into()],
            Level::Region => vec!["Kraj".into()],
            Level::Network => vec!["Síť".into()],
        };
        if dimension != Dimension::Total {
            label_headings.push("Kategorie".into());
        }
        let level_name = match level {
            Level::Centre => "po centrech",
            Level::Region => "po krajích",
            Level::Network => "celá síť",
        };
        let report = Report {
            title: "Ukazatele integračních center".into(),
            subtitle: format!(
                "{}, {level_name}, {}. Zdroj: Integra, {}.",
                period.czech_name(year),
                dimension_name(dimension),
                self.today().format("%-d. %-m. %Y")
            ),
            label_headings,
            value_headings: indicators
                .iter()
                .map(|i| indicator_name(*i).to_owned())
                .collect(),
            rows: rows
                .into_iter()
                .map(|((mut label, category), values)| {
                    if dimension != Dimension::Total {
                        label.push(category_name(&category));
                    }
                    (label, values)
                })
                .collect(),
            notes: crate::export::suppression_notes(),
        };
        let bytes = crate::export::render(&report, format)?;
        let file = format!(
            "ukazatele-{year}-{}-{}-{}.{}",
            period.code().to_ascii_lowercase(),
            match level {
                Level::Centre => "centra",
                Level::Region => "kraje",
                Level::Network => "sit",
            },
            dimension.as_str().replace('_', "-"),
            format.extension()
        );
        Ok((file, bytes))
    }

    /// The centre's own figures, unsuppressed, including the running period
    /// (as of the last refresh).
    pub async fn centre_table(
        &self,
        auth: &Authorized<'_, can::ReadReports>,
        year: i32,
        period: Period,
        indicators: &[Indicator],
        dimension: Dimension,
    ) -> AppResult<Vec<TableCell>> {
        Self::check_year(year)?;
        let geo = format!("centre:{}", auth.centre_id().uuid());
        Ok(self
            .read_cells(year, period, &geo, indicators, dimension, false)
            .await?
            .into_iter()
            .map(|(geo, indicator, category, value, _)| TableCell {
                geo,
                indicator,
                category,
                value: Some(value),
                mark: Mark::Shown,
            })
            .collect())
    }

    /// Sets a project's operator, budget and key activities.
    pub async fn set_project_details(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        project: FundingProjectId,
        operator: &str,
        budget_czk: Option<i64>,
        key_activities: &[String],
    ) -> AppResult<()> {
        if budget_czk.is_some_and(|b| b < 0) {
            return Err(AppError::bad_input("budgetCzk", "must not be negative"));
        }
        let operator = operator.trim();
        if operator.chars().count() > 200 {
            return Err(AppError::bad_input("operator", "at most 200 characters"));
        }
        let activities: Vec<String> = key_activities
            .iter()
            .map(|a| a.trim().replace('\n', " "))
            .filter(|a| !a.is_empty())
            .collect();
        if activities.len() > 50 || activities.iter().any(|a| a.chars().count() > 200) {
            return Err(AppError::bad_input(
                "keyActivities",
                "at most 50 activities of at most 200 characters",
            ));
        }
        let txn = self.db().scoped_write(auth).await?;
        let n = txn
            .execute_raw(txn.stmt(
                "UPDATE funding_projects SET operator = ?, budget_czk = ?, key_activities = ? \
                 WHERE tenant_id = :tenant AND id = ?",
                vec![
                    operator.into(),
                    budget_czk.into(),
                    activities.join("\n").into(),
                    project.uuid().into(),
                ],
            ))
            .await?
            .rows_affected();
        if n == 0 {
            return Err(AppError::NotFound);
        }
        txn.commit().await?;
        Ok(())
    }

    /// Replaces a project's targets (planned values per indicator).
    pub async fn set_targets(
        &self,
        auth: &Authorized<'_, can::ManageCentre>,
        project: FundingProjectId,
        targets: &[(Indicator, i64)],
    ) -> AppResult<()> {
        let mut seen = HashSet::new();
        for (i, (ind, planned)) in targets.iter().enumerate() {
            if *planned < 0 {
                return Err(AppError::bad_input(
                    format!("targets[{i}].planned"),
                    "must not be negative",
                ));
            }
            if !seen.insert(*ind) {
                return Err(AppError::bad_input(
                    format!("targets[{i}].indicator"),
                    "each indicator once",
                ));
            }
        }
        let backend = self.backend();
        let tenant = auth.centre_id().uuid();
        let txn = self.db().scoped_write(auth).await?;
        project_exists(&txn, project).await?;
        txn.execute_raw(txn.stmt(
            "DELETE FROM project_targets WHERE tenant_id = :tenant AND funding_project_id = ?",
            vec![project.uuid().into()],
        ))
        .await?;
        let rows = targets
            .iter()
            .map(|(ind, planned)| {
                vec![
                    tenant.into(),
                    project.uuid().into(),
                    ind.as_str().into(),
                    (*planned).into(),
                ]
            })
            .collect();
        insert_rows(
            &txn,
            backend,
            "project_targets (tenant_id, funding_project_id, indicator, planned)",
            rows,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The centre's projects against their targets, to date.
    pub async fn centre_progress(
        &self,
        auth: &Authorized<'_, can::ReadReports>,
    ) -> AppResult<Vec<ProjectProgress>> {
        let txn = self.db().scoped(auth).await?;
        let out = self.progress_of(&txn, self.today(), PROJECT_LIVE).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Every centre's projects against their targets, to the end of the last
    /// ended month, small actuals suppressed. Projects are organisational
    /// data; each centre's are read in a transaction acting in that centre.
    pub async fn unscoped_ministry_progress(
        &self,
        actor: &PlatformActor,
    ) -> AppResult<Vec<ProjectProgress>> {
        Self::require_ministry(actor)?;
        let as_of = month_of(self.today()).pred_opt().unwrap_or_default();
        let mut out = Vec::new();
        for centre in self.centres().await? {
            let txn = self
                .platform
                .unscoped_for_centre(integra_kernel::CentreId::from(centre.id))
                .await?;
            out.extend(self.progress_of(&txn, as_of, PROJECT_PUBLISHED).await?);
            txn.commit().await?;
        }
        Ok(out)
    }

    pub(crate) async fn progress_of(
        &self,
        txn: &TenantTx,
        as_of: NaiveDate,
        period: &str,
    ) -> AppResult<Vec<ProjectProgress>> {
        let backend = self.backend();
        let tenant = txn.centre().uuid();
        let mut targets: HashMap<Uuid, Vec<(Indicator, i64)>> = HashMap::new();
        for r in txn
            .query_all_raw(txn.stmt("SELECT funding_project_id, indicator, planned FROM project_targets WHERE tenant_id = :tenant \
                 ORDER BY indicator",
                vec![],
            ))
            .await?
        {
            let ind: String = r.try_get("", "indicator")?;
            if let Some(ind) = Indicator::parse(&ind) {
                targets
                    .entry(r.try_get("", "funding_project_id")?)
                    .or_default()
                    .push((ind, r.try_get("", "planned")?));
            }
        }
        let projects = txn
            .query_all_raw(txn.stmt("SELECT id, registration_number, name, operator, budget_czk, key_activities, starts_on, ends_on \
                 FROM funding_projects WHERE tenant_id = :tenant ORDER BY starts_on DESC, registration_number",
                vec![],
            ))
            .await?;
        let ids: Vec<Uuid> = projects
            .iter()
            .map(|r| r.try_get("", "id"))
            .collect::<Result<_, _>>()?;
        let mut actuals = read_project_cells(txn, backend, &ids, period).await?;
        let published = period == PROJECT_PUBLISHED;
        let mut out = Vec::new();
        for r in projects {
            let id: Uuid = r.try_get("", "id")?;
            let starts_on: NaiveDate = r.try_get("", "starts_on")?;
            let ends_on: NaiveDate = r.try_get("", "ends_on")?;
            let days = (ends_on - starts_on).num_days() + 1;
            let done = (as_of.min(ends_on) - starts_on).num_days() + 1;
            let elapsed = if days <= 0 {
                1.0
            } else {
                (done.max(0) as f64 / days as f64).clamp(0.0, 1.0)
            };
            let actuals = actuals.remove(&id).unwrap_or_default();
            let key_activities: String = r.try_get("", "key_activities")?;
            out.push(ProjectProgress {
                centre_id: tenant,
                project_id: FundingProjectId(id),
                registration_number: r.try_get("", "registration_number")?,
                name: r.try_get("", "name")?,
                operator: r.try_get("", "operator")?,
                budget_czk: r.try_get("", "budget_czk")?,
                key_activities: key_activities
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                starts_on,
                ends_on,
                elapsed,
                targets: targets
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(indicator, planned)| {
                        let cell = actuals.get(indicator.as_str()).copied();
                        target_progress(indicator, planned, elapsed, cell, published)
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    /// How many marked centre-months wait to be recounted.
    pub async fn pending_months(&self) -> AppResult<i64> {
        let txn = self.platform.reporting().await?;
        let row = txn
            .query_one_raw(stmt(
                self.backend(),
                "SELECT COUNT(*) AS n FROM report_dirty",
                vec![],
            ))
            .await?;
        txn.commit().await?;
        Ok(row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0))
    }

    /// Runs [`ReportingService::refresh`] for as long as the process runs,
    /// pausing `every` between two refreshes, or longer after a long one
    /// (see [`pause_after`]).
    pub async fn run(self, every: std::time::Duration) {
        loop {
            let started = std::time::Instant::now();
            match self.refresh().await {
                Ok(r) if r.months > 0 || !r.years.is_empty() => {
                    tracing::info!(
                        months = r.months,
                        years = ?r.years,
                        elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                        "indicators refreshed"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "refreshing indicators failed"),
            }
            tokio::time::sleep(pause_after(every, started.elapsed())).await;
        }
    }
}

/// The refresh's share of the machine is bounded: after a refresh that
/// took `spent`, the worker rests at least [`REST_PER_WORK`] times as long
/// (and never less than `every`). Under all-day writes to a large centre a
/// refresh takes seconds; without the rest it ran back to back and held a
/// core the requests needed. Figures then lag by a few refreshes' time.
pub fn pause_after(every: std::time::Duration, spent: std::time::Duration) -> std::time::Duration {
    every.max(spent.saturating_mul(REST_PER_WORK))
}

/// How many times as long as a refresh took the worker rests after it.
pub const REST_PER_WORK: u32 = 4;

/// The last day of the last ended month of `year` (`None` when none has).
fn closed_through(year: i32, today: NaiveDate) -> Option<NaiveDate> {
    let closed = ReportingService::closed_months(year, today);
    if closed == 0 {
        return None;
    }
    let next = if closed == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, closed + 1, 1)
    };
    next.and_then(|d| d.pred_opt())
}

async fn project_exists(txn: &TenantTx, project: FundingProjectId) -> AppResult<()> {
    let row = txn
        .query_one_raw(txn.stmt(
            "SELECT id FROM funding_projects WHERE tenant_id = :tenant AND id = ?",
            vec![project.uuid().into()],
        ))
        .await?;
    row.map(|_| ()).ok_or(AppError::NotFound)
}

/// One target's progress from its plan, the share of the period elapsed
/// and its cell (`None`: nothing counted). In the `published` figures
/// (the ministry's) a hidden actual leaves no trace: `actual` and
/// `behind` are `None`, and nothing counted is 0 persons, a small cell
/// like 1–4 ("<5"), never a 0 that would tell it apart from them.
/// `expected` comes from the plan and the calendar alone.
pub fn target_progress(
    indicator: Indicator,
    planned: i64,
    elapsed: f64,
    cell: Option<(i64, Mark)>,
    published: bool,
) -> TargetProgress {
    let (value, mark) = cell.unwrap_or(if published && indicator.counts_persons() {
        (0, Mark::Small)
    } else {
        (0, Mark::Shown)
    });
    let expected = planned as f64 * elapsed;
    let actual = (!mark.hidden()).then_some(value);
    TargetProgress {
        indicator,
        planned,
        actual,
        mark,
        expected,
        behind: actual.map(|v| (v as f64) < expected),
    }
}

/// The cells of `projects` for `period`: project → indicator → value and mark.
async fn read_project_cells(
    txn: &DatabaseTransaction,
    backend: Backend,
    projects: &[Uuid],
    period: &str,
) -> AppResult<HashMap<Uuid, HashMap<String, (i64, Mark)>>> {
    let mut out: HashMap<Uuid, HashMap<String, (i64, Mark)>> = HashMap::new();
    if projects.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<Value> = vec![period.into()];
    values.extend(projects.iter().map(|p| Value::from(format!("project:{p}"))));
    let rows = txn
        .query_all_raw(stmt(
            backend,
            &format!(
                "SELECT geo, indicator, value, hidden FROM report_cells WHERE year = 0 AND period = ? \
                 AND geo IN ({})",
                vec!["?"; projects.len()].join(", ")
            ),
            values,
        ))
        .await?;
    for r in rows {
        let geo: String = r.try_get("", "geo")?;
        let Some(project) = geo
            .strip_prefix("project:")
            .and_then(|p| Uuid::parse_str(p).ok())
        else {
            continue;
        };
        out.entry(project).or_default().insert(
            r.try_get("", "indicator")?,
            (
                r.try_get("", "value")?,
                Mark::from_code(r.try_get("", "hidden")?),
            ),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::pause_after;

    #[test]
    fn a_long_refresh_is_followed_by_a_longer_rest() {
        let every = Duration::from_secs(15);
        assert_eq!(pause_after(every, Duration::from_millis(200)), every);
        assert_eq!(
            pause_after(every, Duration::from_secs(10)),
            Duration::from_secs(40)
        );
        assert_eq!(
            pause_after(every, Duration::MAX),
            Duration::MAX,
            "saturates instead of overflowing"
        );
    }
}
