//! The yearly statistical-analytical report: one centre's or the whole
//! network's year in tables and charts, as a portrait A4 PDF. The figures
//! are the roll-ups' cells, so the report says exactly what the dashboards
//! say; for the ministry the suppressed cells print as "<5" and "×" and a
//! chart leaves their bar out.

use std::collections::HashMap;

use integra_kernel::scope::can;
use integra_kernel::{AppError, AppResult, Authorized, Backend, CentreId, PlatformActor, stmt};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::catalogue::{Dimension, Indicator};
use crate::export::{Canvas, Printed, category_name, fit, indicator_name, suppression_notes, wrap};
use crate::period::{CZECH_MONTHS, Period};
use crate::service::{PROJECT_LIVE, PROJECT_PUBLISHED, ReportingService};
use crate::suppress::Mark;

/// Page geometry (portrait A4, millimetres).
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const ROW_H: f32 = 5.0;
const LABEL_W: f32 = 62.0;
/// The bars' colour (the app's primary blue).
const BAR: (f32, f32, f32) = (0.13, 0.39, 0.66);

/// A chart drawn from one value column of a section's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// One horizontal bar per row (categories).
    Bars(usize),
    /// One vertical column per row (months), numbered below.
    Columns(usize),
}

/// One part of the report: a heading, a sentence, a table and a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// "Podpořené osoby podle pohlaví".
    pub heading: String,
    /// What the table shows and how to read it.
    pub text: String,
    /// Heading of the label column.
    pub label_heading: String,
    /// Headings of the value columns.
    pub value_headings: Vec<String>,
    /// Rows: label, then one printed cell per value column.
    pub rows: Vec<(String, Vec<Printed>)>,
    /// A chart of one column, above the table.
    pub chart: Option<Chart>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct Yearly {
    /// "Statisticko-analytická zpráva za rok 2025".
    pub title: String,
    /// Whose year, the source and the date.
    pub subtitle: String,
    /// The parts, in order.
    pub sections: Vec<Section>,
    /// Notes at the end (suppression, counting rules).
    pub notes: Vec<String>,
}

/// The report as a PDF: sections flow over pages, a table's heading row
/// repeats when it continues on the next page, a chart never splits.
pub fn to_pdf(r: &Yearly) -> AppResult<Vec<u8>> {
    let mut c = Canvas::new(&r.title, PAGE_W, PAGE_H)?;
    let top = PAGE_H - MARGIN;
    let mut y = top - 4.0;
    c.text(true, 15.0, MARGIN, y, &r.title);
    y -= 6.5;
    for line in wrap(&r.subtitle, PAGE_W - 2.0 * MARGIN, 9.0) {
        c.text(false, 9.0, MARGIN, y, &line);
        y -= 4.5;
    }
    y -= 4.0;
    let width = PAGE_W - 2.0 * MARGIN;
    for (n, s) in r.sections.iter().enumerate() {
        let text_lines = wrap_all(&s.text, width, 8.5);
        // A long bar chart continues on the next page; the section starts
        // on a fresh page only when its beginning does not fit.
        let chart_h = match s.chart {
            Some(Chart::Bars(_)) => (s.rows.len() as f32 * 5.0 + 4.0).min(60.0),
            Some(Chart::Columns(_)) => 52.0,
            None => 0.0,
        };
        // A section starts on a new page unless its heading, text, chart
        // and the first rows of its table fit.
        let head_h = 8.0 + text_lines.len() as f32 * 4.0 + chart_h + 4.0 * ROW_H;
        if y - head_h < MARGIN {
            c.new_page();
            y = top - 4.0;
        }
        c.text(true, 11.5, MARGIN, y, &format!("{}. {}", n + 1, s.heading));
        y -= 6.0;
        for line in &text_lines {
            c.text(false, 8.5, MARGIN, y, line);
            y -= 4.0;
        }
        y -= 2.0;
        match s.chart {
            Some(Chart::Bars(col)) => y = bars(&mut c, s, col, y, top),
            Some(Chart::Columns(col)) => y = columns(&mut c, s, col, y),
            None => {}
        }
        y = table(&mut c, s, y, top);
        y -= 6.0;
    }
    for n in &r.notes {
        for line in wrap_all(n, width, 7.5) {
            if y < MARGIN {
                c.new_page();
                y = top - 4.0;
            }
            c.text(false, 7.5, MARGIN, y, &line);
            y -= 3.8;
        }
    }
    Ok(c.finish())
}

/// Wraps a paragraph to as many lines as it needs.
fn wrap_all(s: &str, w: f32, size: f32) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.split_whitespace().collect::<Vec<_>>().join(" ");
    while !rest.is_empty() {
        let lines = wrap(&rest, w, size);
        let Some(first) = lines.first() else { break };
        let first = first.trim_end_matches('…').to_owned();
        rest = rest
            .get(first.len()..)
            .unwrap_or_default()
            .trim_start()
            .to_owned();
        if first.is_empty() {
            out.push(fit(&rest, w, size));
            break;
        }
        out.push(first);
    }
    out
}

fn value_of(p: &Printed) -> Option<f64> {
    match p {
        Printed::Value(v) => Some(*v),
        Printed::Hidden(_) => None,
    }
}

/// Horizontal bars, one per row, scaled to the largest shown value.
fn bars(c: &mut Canvas, s: &Section, col: usize, mut y: f32, top: f32) -> f32 {
    let max = s
        .rows
        .iter()
        .filter_map(|(_, v)| v.get(col).and_then(value_of))
        .fold(0.0_f64, f64::max);
    let x0 = MARGIN + LABEL_W;
    let span = PAGE_W - MARGIN - x0 - 18.0;
    if let Some(h) = s.value_headings.get(col) {
        c.text(true, 7.5, x0, y, h);
        y -= 4.5;
    }
    for (label, values) in &s.rows {
        if y < MARGIN + 2.0 {
            c.new_page();
            y = top - 4.0;
        }
        let cell = values.get(col).cloned().unwrap_or(Printed::Hidden("×"));
        c.text(false, 7.5, MARGIN, y, &fit(label, LABEL_W - 2.0, 7.5));
        let w = match value_of(&cell) {
            Some(v) if max > 0.0 => (v / max) as f32 * span,
            _ => 0.0,
        };
        if w > 0.0 {
            c.bar(x0, y - 0.6, w.max(0.4), 3.4, BAR);
        }
        c.text(false, 7.5, x0 + w + 1.5, y, &cell.text());
        y -= 5.0;
    }
    y - 2.0
}

/// Vertical columns, one per row, with the value above each.
fn columns(c: &mut Canvas, s: &Section, col: usize, y: f32) -> f32 {
    let max = s
        .rows
        .iter()
        .filter_map(|(_, v)| v.get(col).and_then(value_of))
        .fold(0.0_f64, f64::max);
    let height = 38.0;
    let base = y - height - 6.0;
    let n = s.rows.len().max(1) as f32;
    let slot = (PAGE_W - 2.0 * MARGIN) / n;
    if let Some(h) = s.value_headings.get(col) {
        c.text(true, 7.5, MARGIN, y, h);
    }
    for (i, (_, values)) in s.rows.iter().enumerate() {
        let cell = values.get(col).cloned().unwrap_or(Printed::Hidden("×"));
        let x = MARGIN + i as f32 * slot;
        let h = match value_of(&cell) {
            Some(v) if max > 0.0 => (v / max) as f32 * height,
            _ => 0.0,
        };
        if h > 0.0 {
            c.bar(x + slot * 0.15, base, slot * 0.7, h.max(0.4), BAR);
        }
        c.text(false, 6.5, x + slot * 0.15, base + h + 1.2, &cell.text());
        c.text(
            false,
            7.0,
            x + slot * 0.15,
            base - 4.0,
            &format!("{}.", i + 1),
        );
    }
    base - 11.0
}

/// The table, continued on further pages with its heading row repeated.
fn table(c: &mut Canvas, s: &Section, mut y: f32, top: f32) -> f32 {
    let cols = s.value_headings.len().max(1) as f32;
    let value_w = (PAGE_W - 2.0 * MARGIN - LABEL_W) / cols;
    let right = |i: usize| MARGIN + LABEL_W + (i as f32 + 1.0) * value_w - 2.0;
    let heading = |c: &mut Canvas, mut y: f32| -> f32 {
        c.text(true, 7.0, MARGIN, y, &s.label_heading);
        let mut deepest = 0;
        for (i, h) in s.value_headings.iter().enumerate() {
            let lines = wrap(h, value_w - 3.0, 7.0);
            for (k, part) in lines.iter().enumerate() {
                c.text_right(true, 7.0, right(i), y - k as f32 * 3.0, part);
            }
            deepest = deepest.max(lines.len().saturating_sub(1));
        }
        y -= deepest as f32 * 3.0 + 1.8;
        c.rule(MARGIN, y);
        y - ROW_H + 1.0
    };
    if y - 3.0 * ROW_H < MARGIN {
        c.new_page();
        y = top - 4.0;
    }
    y = heading(c, y);
    for (label, values) in &s.rows {
        if y < MARGIN + 2.0 {
            c.new_page();
            y = heading(c, top - 4.0);
        }
        c.text(false, 7.5, MARGIN, y, &fit(label, LABEL_W - 2.0, 7.5));
        for (i, v) in values.iter().enumerate() {
            c.text_right(false, 7.5, right(i), y, &v.text());
        }
        y -= ROW_H;
    }
    y
}

/// The cells of one place's year: (period, indicator, dimension, category)
/// → (value, mark), and how a missing cell prints.
struct YearCells {
    cells: HashMap<(Period, Indicator, Dimension, String), (i64, Mark)>,
    /// Suppressed for the ministry (a missing person cell is "<5").
    suppressed: bool,
}

impl YearCells {
    fn get(&self, period: Period, i: Indicator, d: Dimension, category: &str) -> Printed {
        let key = (period, i, d, category.to_owned());
        match self.cells.get(&key) {
            Some((v, mark)) if self.suppressed => Printed::of(i, Some(*v), *mark),
            Some((v, _)) => Printed::of(i, Some(*v), Mark::Shown),
            None if self.suppressed && i.counts_persons() => Printed::Hidden("<5"),
            None => Printed::of(i, Some(0), Mark::Shown),
        }
    }

    /// The categories of a breakdown, for the section's rows.
    fn categories(&self, i: Indicator, d: Dimension) -> Vec<String> {
        let mut out: Vec<String> = self
            .cells
            .keys()
            .filter(|(p, ind, dim, c)| *p == Period::Y && *ind == i && *dim == d && !c.is_empty())
            .map(|k| k.3.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

fn shown(p: &Printed) -> f64 {
    value_of(p).unwrap_or(0.0)
}

const QUARTERS: [(Period, &str); 5] = [
    (Period::Q1, "1. čtvrtletí"),
    (Period::Q2, "2. čtvrtletí"),
    (Period::Q3, "3. čtvrtletí"),
    (Period::Q4, "4. čtvrtletí"),
    (Period::Y, "Rok"),
];

impl ReportingService {
    async fn year_cells(&self, year: i32, geo: &str, suppressed: bool) -> AppResult<YearCells> {
        let published = match (suppressed, self.backend()) {
            (false, _) => "",
            (true, Backend::Postgres) => " AND published",
            (true, Backend::Sqlite) => " AND published = 1",
        };
        let txn = self.platform.reporting().await?;
        let rows = txn
            .query_all_raw(stmt(
                self.backend(),
                &format!(
                    "SELECT period, indicator, dimension, category, value, hidden FROM report_cells \
                     WHERE year = ? AND geo = ?{published}"
                ),
                vec![year.into(), geo.into()],
            ))
            .await?;
        txn.commit().await?;
        let mut cells = HashMap::new();
        for r in rows {
            let ind: String = r.try_get("", "indicator")?;
            let dim: String = r.try_get("", "dimension")?;
            let period: String = r.try_get("", "period")?;
            let (Some(period), Some(ind), Some(dim)) = (
                Period::parse(&period),
                Indicator::parse(&ind),
                Dimension::parse(&dim),
            ) else {
                continue;
            };
            cells.insert(
                (period, ind, dim, r.try_get::<String>("", "category")?),
                (
                    r.try_get::<i64>("", "value")?,
                    Mark::from_code(r.try_get("", "hidden")?),
                ),
            );
        }
        Ok(YearCells { cells, suppressed })
    }

    /// The ministry's yearly statistical-analytical report (PDF) of the
    /// network (`centre` = `None`) or one centre, for an ended year, small
    /// cells printed "<5" and "×". Returns the file name and the bytes.
    pub async fn ministry_yearly_report(
        &self,
        actor: &PlatformActor,
        year: i32,
        centre: Option<CentreId>,
    ) -> AppResult<(String, Vec<u8>)> {
        Self::require_ministry(actor)?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input(
                "year",
                "use a year between 2000 and 2100",
            ));
        }
        if Self::closed_months(year, self.today()) < 12 {
            return Err(AppError::bad_input(
                "year",
                "the year has not ended yet; the ministry's report covers ended years",
            ));
        }
        let names = self.geo_names().await?;
        let (geo, whose) = match centre {
            None => (
                "network".to_owned(),
                "Celá síť integračních center".to_owned(),
            ),
            Some(c) => {
                let geo = format!("centre:{}", c.uuid());
                let label = names
                    .get(&geo)
                    .map(|n| n.join(", "))
                    .ok_or_else(|| AppError::bad_input("centreId", "no such centre"))?;
                (geo, label)
            }
        };
        let cells = self.year_cells(year, &geo, true).await?;
        let mut sections = common_sections(&cells);
        match centre {
            None => {
                // Every centre's year in one read of the ministry's table.
                let mut by_geo: HashMap<String, YearCells> = HashMap::new();
                for c in self
                    .ministry_table(
                        actor,
                        year,
                        Period::Y,
                        crate::Level::Centre,
                        &CENTRE_COLUMNS,
                        Dimension::Total,
                    )
                    .await?
                {
                    by_geo
                        .entry(c.geo)
                        .or_insert_with(|| YearCells {
                            cells: HashMap::new(),
                            suppressed: true,
                        })
                        .cells
                        .insert(
                            (Period::Y, c.indicator, Dimension::Total, c.category),
                            (c.value.unwrap_or(0), c.mark),
                        );
                }
                let mut rows: Vec<(String, YearCells)> = names
                    .iter()
                    .filter(|(g, _)| g.starts_with("centre:"))
                    .map(|(g, label)| {
                        let cells = by_geo.remove(g).unwrap_or(YearCells {
                            cells: HashMap::new(),
                            suppressed: true,
                        });
                        (label[0].clone(), cells)
                    })
                    .collect();
                rows.sort_by(|a, b| a.0.cmp(&b.0));
                sections.push(centres_section(&rows));
            }
            Some(c) => {
                let txn = self.platform.unscoped_for_centre(c).await?;
                let as_of = crate::facts::month_of(self.today())
                    .pred_opt()
                    .unwrap_or_default();
                let progress = self.progress_of(&txn, as_of, PROJECT_PUBLISHED).await?;
                txn.commit().await?;
                sections.push(projects_section(&progress));
            }
        }
        let mut notes = suppression_notes();
        notes.push(PERSONS_NOTE.to_owned());
        let file = match centre {
            None => format!("zprava-{year}-sit.pdf"),
            Some(c) => format!("zprava-{year}-centrum-{}.pdf", short_id(c.uuid())),
        };
        let report = Yearly {
            title: format!("Statisticko-analytická zpráva za rok {year}"),
            subtitle: format!(
                "{whose}. {}. Zdroj: Integra, {}.",
                capitalised(&Period::Y.czech_name(year)),
                self.today().format("%-d. %-m. %Y")
            ),
            sections,
            notes,
        };
        Ok((file, to_pdf(&report)?))
    }

    /// A centre's own yearly report (PDF), unsuppressed, for any year
    /// including the running one (as of the last refresh).
    pub async fn centre_yearly_report(
        &self,
        auth: &Authorized<'_, can::ReadReports>,
        year: i32,
    ) -> AppResult<(String, Vec<u8>)> {
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input(
                "year",
                "use a year between 2000 and 2100",
            ));
        }
        let tenant = auth.centre_id().uuid();
        let geo = format!("centre:{tenant}");
        let names = self.geo_names().await?;
        let whose = names.get(&geo).map(|n| n.join(", ")).unwrap_or_default();
        let cells = self.year_cells(year, &geo, false).await?;
        let mut sections = common_sections(&cells);
        let txn = self.db().scoped(auth).await?;
        let progress = self.progress_of(&txn, self.today(), PROJECT_LIVE).await?;
        txn.commit().await?;
        sections.push(projects_section(&progress));
        let report = Yearly {
            title: format!("Statisticko-analytická zpráva za rok {year}"),
            subtitle: format!(
                "{whose}. {}, stav k {}. Čísla centra bez potlačení malých hodnot, pro vnitřní potřebu centra. Zdroj: Integra.",
                capitalised(&Period::Y.czech_name(year)),
                self.today().format("%-d. %-m. %Y")
            ),
            sections,
            notes: vec![PERSONS_NOTE.to_owned(), COUNTED_NOTE.to_owned()],
        };
        Ok((format!("zprava-{year}.pdf"), to_pdf(&report)?))
    }
}

const PERSONS_NOTE: &str = "Osoby se v každém období počítají jednou, i když přišly vícekrát nebo do více center: \
     čtvrtletí ani centra proto nedávají dohromady rok či síť. Intervence, hodiny a akce se sčítají.";
const COUNTED_NOTE: &str = "Započteny jen služby, které se počítají do ukazatelů \
     (způsobilost, ověření totožnosti, minimální délka).";

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn short_id(id: Uuid) -> String {
    id.simple().to_string().chars().take(8).collect()
}

/// The sections every yearly report has.
fn common_sections(c: &YearCells) -> Vec<Section> {
    let total = Dimension::Total;
    let mut out = vec![Section {
        heading: "Hlavní ukazatele".into(),
        text: "Každý ukazatel po čtvrtletích a za celý rok, podle jednotných pravidel katalogu ukazatelů.".into(),
        label_heading: "Ukazatel".into(),
        value_headings: QUARTERS.iter().map(|(_, n)| (*n).to_owned()).collect(),
        rows: Indicator::ALL
            .iter()
            .map(|i| {
                (
                    indicator_name(*i).to_owned(),
                    QUARTERS.iter().map(|(p, _)| c.get(*p, *i, total, "")).collect(),
                )
            })
            .collect(),
        chart: None,
    }];
    let monthly = [
        Indicator::UniquePersons,
        Indicator::Interventions,
        Indicator::InterventionHours,
        Indicator::EventParticipants,
    ];
    out.push(Section {
        heading: "Vývoj po měsících".into(),
        text: "Podpořené osoby v každém měsíci (graf) a služby poskytnuté v měsíci.".into(),
        label_heading: "Měsíc".into(),
        value_headings: monthly
            .iter()
            .map(|i| indicator_name(*i).to_owned())
            .collect(),
        rows: CZECH_MONTHS
            .iter()
            .enumerate()
            .map(|(m, name)| {
                let period = Period::ALL[m];
                (
                    (*name).to_owned(),
                    monthly
                        .iter()
                        .map(|i| c.get(period, *i, total, ""))
                        .collect(),
                )
            })
            .collect(),
        chart: Some(Chart::Columns(0)),
    });
    let persons = [
        Indicator::UniquePersons,
        Indicator::NewClients,
        Indicator::CounselledPersons,
    ];
    for (dim, heading, by_size) in [
        (Dimension::Sex, "Podpořené osoby podle pohlaví", false),
        (
            Dimension::AgeGroup,
            "Podpořené osoby podle věkové skupiny",
            false,
        ),
        (
            Dimension::Nationality,
            "Podpořené osoby podle státní příslušnosti",
            true,
        ),
        (
            Dimension::ResidenceCategory,
            "Podpořené osoby podle pobytového oprávnění",
            true,
        ),
    ] {
        out.push(breakdown(c, dim, heading, &persons, 0, by_size));
    }
    out.push(breakdown(
        c,
        Dimension::Kind,
        "Intervence podle druhu",
        &[
            Indicator::Interventions,
            Indicator::InterventionHours,
            Indicator::Contacts,
        ],
        1,
        true,
    ));
    out.push(breakdown(
        c,
        Dimension::Audience,
        "Akce podle cílové skupiny",
        &[Indicator::Events, Indicator::EventParticipants],
        1,
        true,
    ));
    out
}

/// A breakdown of the year: one row per category, the chart of column
/// `chart`; rows by size (of what is printed, so a hidden cell's place
/// says nothing) or by category.
fn breakdown(
    c: &YearCells,
    dim: Dimension,
    heading: &str,
    indicators: &[Indicator],
    chart: usize,
    by_size: bool,
) -> Section {
    let mut rows: Vec<(String, Vec<Printed>)> = c
        .categories(indicators[0], dim)
        .into_iter()
        .map(|cat| {
            (
                category_name(&cat),
                indicators
                    .iter()
                    .map(|i| c.get(Period::Y, *i, dim, &cat))
                    .collect(),
            )
        })
        .collect();
    if by_size {
        rows.sort_by(|a, b| {
            shown(&b.1[chart.min(b.1.len() - 1)])
                .total_cmp(&shown(&a.1[chart.min(a.1.len() - 1)]))
                .then_with(|| a.0.cmp(&b.0))
        });
    }
    let text = if rows.is_empty() {
        "V tomto roce nejsou žádné údaje.".to_owned()
    } else {
        format!("Rok, {}.", crate::export::dimension_name(dim))
    };
    Section {
        heading: heading.to_owned(),
        text,
        label_heading: "Kategorie".into(),
        value_headings: indicators
            .iter()
            .map(|i| indicator_name(*i).to_owned())
            .collect(),
        rows,
        chart: Some(Chart::Bars(chart)),
    }
}

/// The indicators of the network report's centres table.
const CENTRE_COLUMNS: [Indicator; 6] = [
    Indicator::UniquePersons,
    Indicator::NewClients,
    Indicator::CounselledPersons,
    Indicator::LanguageCourseParticipants,
    Indicator::Interventions,
    Indicator::EventParticipants,
];

/// The network report's centres side by side.
fn centres_section(centres: &[(String, YearCells)]) -> Section {
    let inds = CENTRE_COLUMNS;
    Section {
        heading: "Centra".into(),
        text: "Hlavní ukazatele každého centra za rok (graf: podpořené osoby).".into(),
        label_heading: "Centrum".into(),
        value_headings: inds.iter().map(|i| indicator_name(*i).to_owned()).collect(),
        rows: centres
            .iter()
            .map(|(name, c)| {
                (
                    name.clone(),
                    inds.iter()
                        .map(|i| c.get(Period::Y, *i, Dimension::Total, ""))
                        .collect(),
                )
            })
            .collect(),
        chart: Some(Chart::Bars(0)),
    }
}

/// A centre's projects against their targets.
fn projects_section(projects: &[crate::ProjectProgress]) -> Section {
    let mut rows = Vec::new();
    for p in projects {
        for t in &p.targets {
            let actual = match (t.actual, t.mark) {
                (Some(v), _) => Printed::of(t.indicator, Some(v), Mark::Shown),
                (None, mark) => Printed::of(t.indicator, None, mark),
            };
            rows.push((
                format!(
                    "{} – {}",
                    p.registration_number,
                    indicator_name(t.indicator)
                ),
                vec![
                    Printed::of(t.indicator, Some(t.planned), Mark::Shown),
                    Printed::Value((t.expected).round()),
                    actual,
                    Printed::Value((p.elapsed * 100.0).round()),
                ],
            ));
        }
    }
    Section {
        heading: "Projekty a cílové hodnoty".into(),
        text: if rows.is_empty() {
            "Centrum nemá u projektů zadané cílové hodnoty.".into()
        } else {
            "Plán projektu, očekávaná hodnota při rovnoměrném plnění za uplynulou část období a skutečnost k datu."
                .into()
        },
        label_heading: "Projekt – ukazatel".into(),
        value_headings: vec![
            "Plán".into(),
            "Očekáváno k datu".into(),
            "Skutečnost".into(),
            "Uplynulo období (%)".into(),
        ],
        rows,
        chart: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Yearly {
        Yearly {
            title: "Statisticko-analytická zpráva za rok 2025".into(),
            subtitle: "Centrum pro integraci cizinců – Ústecký kraj. Zdroj: Integra, 2. 1. 2026."
                .into(),
            sections: vec![
                Section {
                    heading: "Vývoj po měsících".into(),
                    text: "Podpořené osoby v každém měsíci; osoba, která přišla ve více měsících, se počítá v každém z nich.".into(),
                    label_heading: "Měsíc".into(),
                    value_headings: vec!["Podpořené osoby".into(), "Intervence".into()],
                    rows: CZECH_MONTHS
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            (
                                (*m).to_owned(),
                                vec![
                                    if i == 7 {
                                        Printed::Hidden("<5")
                                    } else {
                                        Printed::Value(100.0 + 10.0 * i as f64)
                                    },
                                    Printed::Value(400.0 + i as f64),
                                ],
                            )
                        })
                        .collect(),
                    chart: Some(Chart::Columns(0)),
                },
                Section {
                    heading: "Podpořené osoby podle státní příslušnosti".into(),
                    text: "Rok 2025.".into(),
                    label_heading: "Státní příslušnost".into(),
                    value_headings: vec!["Podpořené osoby".into()],
                    rows: (0..70)
                        .map(|i| (format!("Země {i}"), vec![Printed::Value(f64::from(i))]))
                        .collect(),
                    chart: Some(Chart::Bars(0)),
                },
            ],
            notes: suppression_notes(),
        }
    }

    #[test]
    fn the_report_has_its_sections_charts_and_notes_over_pages() {
        let pdf = to_pdf(&sample()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        for needle in [
            "Statisticko-analytická zpráva za rok 2025",
            "1. Vývoj po měsících",
            "2. Podpořené osoby podle státní příslušnosti",
            "prosinec",
            "Země 69",
            "<5",
            "× = skryto",
        ] {
            assert!(text.contains(needle), "{needle} missing from the PDF");
        }
        // 70 categories as bars and rows do not fit one page: the table's
        // heading row repeats.
        assert!(text.matches("Státní příslušnost").count() >= 2);
    }

    #[test]
    fn long_paragraphs_wrap_without_losing_words() {
        let s = "Osoby se v roce počítají jednou, i když přišly v několika čtvrtletích; \
                 čtvrtletí proto nedávají dohromady rok, kdežto intervence a hodiny ano.";
        let lines = wrap_all(s, 60.0, 8.5);
        assert!(lines.len() > 1);
        assert_eq!(
            lines.join(" "),
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
}
