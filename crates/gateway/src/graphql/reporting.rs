//! GraphQL for ministry oversight: the indicator catalogue, the ministry's
//! suppressed tables of all centres, a centre's own figures, and funding
//! projects' targets against actuals.

use crate::graphql::ids::*;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use integra_kernel::scope::can;
use integra_kernel::{CentreId, FundingProjectId};
use integra_reporting::{Mark, TableCell};

use super::scalars::Date;
use super::{GqlResultExt, platform, scope, services};

/// A period of a year that figures are kept for.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::Period")]
pub enum Period {
    /// January.
    #[graphql(name = "M01")]
    M01,
    /// February.
    #[graphql(name = "M02")]
    M02,
    /// March.
    #[graphql(name = "M03")]
    M03,
    /// April.
    #[graphql(name = "M04")]
    M04,
    /// May.
    #[graphql(name = "M05")]
    M05,
    /// June.
    #[graphql(name = "M06")]
    M06,
    /// July.
    #[graphql(name = "M07")]
    M07,
    /// August.
    #[graphql(name = "M08")]
    M08,
    /// September.
    #[graphql(name = "M09")]
    M09,
    /// October.
    #[graphql(name = "M10")]
    M10,
    /// November.
    #[graphql(name = "M11")]
    M11,
    /// December.
    #[graphql(name = "M12")]
    M12,
    /// Quarter 1.
    #[graphql(name = "Q1")]
    Q1,
    /// Quarter 2.
    #[graphql(name = "Q2")]
    Q2,
    /// Quarter 3.
    #[graphql(name = "Q3")]
    Q3,
    /// Quarter 4.
    #[graphql(name = "Q4")]
    Q4,
    /// The whole year.
    #[graphql(name = "Y")]
    Y,
}

/// An indicator of the catalogue.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::Indicator")]
pub enum Indicator {
    /// Unique persons supported.
    UniquePersons,
    /// New clients.
    NewClients,
    /// Persons receiving individual counselling.
    CounselledPersons,
    /// Participants in language courses.
    LanguageCourseParticipants,
    /// Participants in civic-orientation courses.
    CivicCourseParticipants,
    /// Adaptation-integration course attendees.
    AikAttendees,
    /// Persons completing a course.
    CourseCompletions,
    /// Persons gaining at least one CEFR level.
    LevelGains,
    /// Persons who reported the activity helpful.
    ReportedHelpful,
    /// Counted interventions.
    Interventions,
    /// Hours of counted interventions.
    InterventionHours,
    /// Contacts below the project's threshold.
    Contacts,
    /// Events held.
    Events,
    /// Event participants.
    EventParticipants,
}

/// A breakdown.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::Dimension")]
pub enum Dimension {
    /// No breakdown.
    Total,
    /// Sex.
    Sex,
    /// Age group.
    AgeGroup,
    /// Nationality (main nationalities and `other`).
    Nationality,
    /// Residence category.
    ResidenceCategory,
    /// Kind of intervention.
    Kind,
    /// Audience of an event.
    Audience,
}

/// Where a table's rows are.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::Level")]
pub enum GeoLevel {
    /// One row per centre.
    Centre,
    /// One row per region.
    Region,
    /// The whole network.
    Network,
}

/// How a value is shown.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "Mark")]
pub enum CellMark {
    /// Shown as it is.
    Shown,
    /// Fewer than five persons (0–4): shown as "<5".
    Small,
    /// Hidden so that a small cell cannot be worked out from the others.
    Secondary,
}

/// An indicator with its counting rule.
#[derive(SimpleObject)]
pub struct IndicatorInfo {
    /// The indicator.
    pub indicator: Indicator,
    /// Stored name.
    pub code: String,
    /// The counting rule.
    pub rule: String,
    /// The AMIF indicator it reports, if any.
    pub amif: Option<String>,
    /// Whether it counts persons (and so is suppressed for the ministry).
    pub counts_persons: bool,
    /// Its breakdowns.
    pub dimensions: Vec<Dimension>,
    /// Whether it is one of the main indicators the dashboards show.
    pub main: bool,
}

/// A file format of the ministry's report.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "integra_reporting::export::Format")]
pub enum ReportFormat {
    /// Comma-separated values (semicolons, UTF-8), for any spreadsheet.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A printable PDF report.
    Pdf,
}

/// A report file.
#[derive(SimpleObject)]
pub struct ReportFile {
    /// A file name to save it under.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// The bytes, base64-encoded.
    pub base64: String,
}

impl ReportFile {
    fn pdf(file_name: String, bytes: &[u8]) -> Self {
        use base64::Engine as _;
        Self {
            file_name,
            media_type: integra_reporting::export::Format::Pdf
                .media_type()
                .to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

/// One cell of an indicator table.
#[derive(SimpleObject)]
pub struct IndicatorCell {
    /// `centre:<id>`, `region:<NUTS 3 code>` or `network`.
    pub geo: String,
    /// The centre, for centre rows.
    pub centre_id: Option<Id<CentreId>>,
    /// The region code, for region rows.
    pub region_code: Option<String>,
    /// Indicator.
    pub indicator: Indicator,
    /// Category of the breakdown (empty for the total).
    pub category: String,
    /// The value (hours for `INTERVENTION_HOURS`); null when suppressed.
    pub value: Option<f64>,
    /// How it is shown.
    pub mark: CellMark,
    /// What to print: the number, "<5" or "×".
    pub display: String,
}

/// A stored value as shown: hours (to a tenth) for intervention hours,
/// which are counted in minutes; the count otherwise.
fn shown(indicator: integra_reporting::Indicator, stored: i64) -> f64 {
    if indicator == integra_reporting::Indicator::InterventionHours {
        (stored as f64 / 6.0).round() / 10.0
    } else {
        stored as f64
    }
}

impl From<TableCell> for IndicatorCell {
    fn from(c: TableCell) -> Self {
        let value = c.value.map(|v| shown(c.indicator, v));
        let display = match (c.mark, value) {
            (Mark::Small, _) => "<5".to_owned(),
            (Mark::Secondary, _) | (Mark::Shown, None) => "×".to_owned(),
            (Mark::Shown, Some(v)) => {
                if v.fract() == 0.0 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.1}")
                }
            }
        };
        Self {
            centre_id: c
                .geo
                .strip_prefix("centre:")
                .and_then(|s| uuid::Uuid::parse_str(s).ok())
                .map(Id::from),
            region_code: c.geo.strip_prefix("region:").map(str::to_owned),
            geo: c.geo,
            indicator: c.indicator.into(),
            category: c.category,
            value,
            mark: c.mark.into(),
            display,
        }
    }
}

/// Progress toward one target.
#[derive(SimpleObject)]
pub struct TargetProgress {
    /// Indicator.
    pub indicator: Indicator,
    /// Planned value.
    pub planned: i64,
    /// Reached so far; null when suppressed ("<5").
    pub actual: Option<f64>,
    /// How the actual is shown.
    pub mark: CellMark,
    /// What a straight line from 0 to the plan expects by now.
    pub expected: f64,
    /// Behind the straight line; null when the actual is suppressed.
    pub behind: Option<bool>,
}

/// A funding project with its targets and progress.
#[derive(SimpleObject)]
pub struct ProjectProgress {
    /// Centre.
    pub centre_id: Id<CentreId>,
    /// Project.
    pub project_id: Id<FundingProjectId>,
    /// Registration number, e.g. `AMIF/31/03`.
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
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Share of the period elapsed (0–1) at the day the actuals count to.
    pub elapsed: f64,
    /// Targets.
    pub targets: Vec<TargetProgress>,
}

impl From<integra_reporting::ProjectProgress> for ProjectProgress {
    fn from(p: integra_reporting::ProjectProgress) -> Self {
        Self {
            centre_id: Id::from(p.centre_id),
            project_id: Id::from(p.project_id),
            registration_number: p.registration_number,
            name: p.name,
            operator: p.operator,
            budget_czk: p.budget_czk,
            key_activities: p.key_activities,
            starts_on: Date(p.starts_on),
            ends_on: Date(p.ends_on),
            elapsed: p.elapsed,
            targets: p
                .targets
                .into_iter()
                .map(|t| {
                    // Hours are counted in minutes and shown in hours.
                    let hours = t.indicator == integra_reporting::Indicator::InterventionHours;
                    let scale = if hours { 60.0 } else { 1.0 };
                    TargetProgress {
                        indicator: t.indicator.into(),
                        planned: if hours { t.planned / 60 } else { t.planned },
                        actual: t.actual.map(|v| shown(t.indicator, v)),
                        mark: t.mark.into(),
                        expected: t.expected / scale,
                        behind: t.behind,
                    }
                })
                .collect(),
        }
    }
}

/// A planned value.
#[derive(InputObject)]
pub struct TargetInput {
    /// Indicator.
    pub indicator: Indicator,
    /// Planned value (hours for `INTERVENTION_HOURS`).
    pub planned: i64,
}

fn indicator_list(list: Option<Vec<Indicator>>) -> Vec<integra_reporting::Indicator> {
    match list {
        Some(l) if !l.is_empty() => l.into_iter().map(Into::into).collect(),
        _ => integra_reporting::Indicator::ALL.to_vec(),
    }
}

/// Queries.
#[derive(Default)]
pub struct ReportingQuery;

#[Object]
impl ReportingQuery {
    /// Every indicator with its counting rule.
    async fn indicator_catalogue(&self) -> Vec<IndicatorInfo> {
        integra_reporting::Indicator::ALL
            .iter()
            .map(|i| IndicatorInfo {
                indicator: (*i).into(),
                code: i.as_str().to_owned(),
                rule: i.rule().to_owned(),
                amif: i.amif().map(str::to_owned),
                counts_persons: i.counts_persons(),
                dimensions: i.dimensions().iter().map(|d| (*d).into()).collect(),
                main: integra_reporting::Indicator::MAIN.contains(i),
            })
            .collect()
    }

    /// The ministry's table: indicators of every centre, region or the whole
    /// network for an ended period of `year`,
    /// by one breakdown. Person counts of 0–4 show as "<5" — a category or
    /// centre missing from the rows of a person indicator is one of them —
    /// and further cells are hidden where a small one could otherwise be
    /// worked out. Ministry officers only.
    async fn ministry_indicators(
        &self,
        ctx: &Context<'_>,
        year: i32,
        period: Period,
        level: GeoLevel,
        indicators: Option<Vec<Indicator>>,
        dimension: Option<Dimension>,
    ) -> async_graphql::Result<Vec<IndicatorCell>> {
        let actor = platform(ctx)?;
        let cells = services(ctx)?
            .reporting
            .ministry_table(
                actor,
                year,
                period.into(),
                level.into(),
                &indicator_list(indicators),
                dimension.unwrap_or(Dimension::Total).into(),
            )
            .await
            .gql()?;
        Ok(cells.into_iter().map(Into::into).collect())
    }

    /// The ministry's table of an ended period as a file: CSV, XLSX or a
    /// PDF report; every indicator with the breakdown (the main ones for
    /// the total), small cells printed "<5" and "×" as on screen.
    /// Ministry officers only.
    async fn ministry_report(
        &self,
        ctx: &Context<'_>,
        year: i32,
        period: Period,
        level: GeoLevel,
        dimension: Option<Dimension>,
        format: ReportFormat,
    ) -> async_graphql::Result<ReportFile> {
        use base64::Engine as _;
        let actor = platform(ctx)?;
        let (file_name, bytes) = services(ctx)?
            .reporting
            .ministry_report(
                actor,
                year,
                period.into(),
                level.into(),
                dimension.unwrap_or(Dimension::Total).into(),
                format.into(),
            )
            .await
            .gql()?;
        let format: integra_reporting::export::Format = format.into();
        Ok(ReportFile {
            file_name,
            media_type: format.media_type().to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    /// The yearly statistical-analytical report as a PDF (tables and
    /// charts: main indicators by quarter, months, breakdowns, kinds,
    /// audiences, and the centres side by side or one centre's projects)
    /// for the network, or one centre with `centreId`; ended years only,
    /// small cells printed "<5" and "×". Ministry officers only.
    async fn ministry_yearly_report(
        &self,
        ctx: &Context<'_>,
        year: i32,
        centre_id: Option<Id<CentreId>>,
    ) -> async_graphql::Result<ReportFile> {
        let actor = platform(ctx)?;
        let centre = centre_id.map(Id::get);
        let (file_name, bytes) = services(ctx)?
            .reporting
            .ministry_yearly_report(actor, year, centre)
            .await
            .gql()?;
        Ok(ReportFile::pdf(file_name, &bytes))
    }

    /// Every centre's funding projects against their targets, counted to the
    /// end of the last ended month. Ministry officers only.
    async fn ministry_projects(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ProjectProgress>> {
        let actor = platform(ctx)?;
        let list = services(ctx)?
            .reporting
            .unscoped_ministry_progress(actor)
            .await
            .gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The active centre's own indicators, unsuppressed, for any period
    /// including the running one (as of the last refresh, at most a minute
    /// old). Centre admins and coordinators.
    async fn centre_indicators(
        &self,
        ctx: &Context<'_>,
        year: i32,
        period: Period,
        indicators: Option<Vec<Indicator>>,
        dimension: Option<Dimension>,
    ) -> async_graphql::Result<Vec<IndicatorCell>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadReports>().gql()?;
        let cells = services(ctx)?
            .reporting
            .centre_table(
                &auth,
                year,
                period.into(),
                &indicator_list(indicators),
                dimension.unwrap_or(Dimension::Total).into(),
            )
            .await
            .gql()?;
        Ok(cells.into_iter().map(Into::into).collect())
    }

    /// The active centre's own yearly statistical-analytical report as a
    /// PDF, unsuppressed, for any year including the running one. Centre
    /// admins and coordinators.
    async fn centre_yearly_report(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<ReportFile> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadReports>().gql()?;
        let (file_name, bytes) = services(ctx)?
            .reporting
            .centre_yearly_report(&auth, year)
            .await
            .gql()?;
        Ok(ReportFile::pdf(file_name, &bytes))
    }

    /// The active centre's funding projects against their targets, to date.
    async fn centre_projects(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ProjectProgress>> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ReadReports>().gql()?;
        let list = services(ctx)?
            .reporting
            .centre_progress(&auth)
            .await
            .gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}

/// Mutations.
#[derive(Default)]
pub struct ReportingMutation;

#[Object]
impl ReportingMutation {
    /// Sets a funding project's operator, budget and key activities (centre
    /// admins).
    async fn set_project_details(
        &self,
        ctx: &Context<'_>,
        project_id: Id<FundingProjectId>,
        operator: String,
        budget_czk: Option<i64>,
        key_activities: Vec<String>,
    ) -> async_graphql::Result<bool> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: FundingProjectId = project_id.get();
        services(ctx)?
            .reporting
            .set_project_details(&auth, id, &operator, budget_czk, &key_activities)
            .await
            .gql()?;
        Ok(true)
    }

    /// Replaces a funding project's targets (centre admins).
    async fn set_project_targets(
        &self,
        ctx: &Context<'_>,
        project_id: Id<FundingProjectId>,
        targets: Vec<TargetInput>,
    ) -> async_graphql::Result<bool> {
        let scope = scope(ctx)?;
        let auth = scope.authorize::<can::ManageCentre>().gql()?;
        let id: FundingProjectId = project_id.get();
        let targets: Vec<(integra_reporting::Indicator, i64)> = targets
            .into_iter()
            .map(|t| {
                let ind: integra_reporting::Indicator = t.indicator.into();
                // Hours are planned in hours and counted in minutes.
                let planned = if ind == integra_reporting::Indicator::InterventionHours {
                    t.planned.saturating_mul(60)
                } else {
                    t.planned
                };
                (ind, planned)
            })
            .collect();
        services(ctx)?
            .reporting
            .set_targets(&auth, id, &targets)
            .await
            .gql()?;
        Ok(true)
    }
}
