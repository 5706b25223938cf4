//! One year's indicator cells for every centre, region and the network,
//! for every month, quarter and the year, with their suppression marks.
//! Pure computation over the year's facts; loading and saving is in
//! [`crate::service`].

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::catalogue::{
    Additivity, Dimension, Indicator, PERSON_DIMENSIONS, age_group, nationality_category,
};
use crate::period::Period;
use crate::suppress::{Mark, Relation, RelationKind, suppress};

/// The months (1–12) of the period at index `p` of [`Period::ALL`].
pub fn period_months(p: usize) -> std::ops::RangeInclusive<u32> {
    Period::from_index(p).map_or(1..=12, Period::months)
}

/// A centre and its region.
#[derive(Clone, Debug)]
pub struct CentreInfo {
    /// The centre.
    pub id: Uuid,
    /// Its region code (NUTS 3).
    pub region: String,
}

/// One person's counted services at one centre in one month.
#[derive(Clone, Debug)]
pub struct PersonFact {
    /// Index into the centres.
    pub centre: usize,
    /// Month of the year, 1–12.
    pub month: u32,
    /// Pseudonymous person key.
    pub key: String,
    /// Fact bits.
    pub measures: i32,
    /// Sex.
    pub sex: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Nationality.
    pub nationality: String,
    /// Residence category.
    pub residence: String,
}

/// Counted interventions of one kind at one centre in one month.
#[derive(Clone, Debug)]
pub struct ServiceFact {
    /// Index into the centres.
    pub centre: usize,
    /// Month, 1–12.
    pub month: u32,
    /// Kind.
    pub kind: String,
    /// Interventions.
    pub interventions: i64,
    /// Minutes.
    pub minutes: i64,
    /// Contacts.
    pub contacts: i64,
}

/// Events of one audience at one centre in one month.
#[derive(Clone, Debug)]
pub struct EventFact {
    /// Index into the centres.
    pub centre: usize,
    /// Month, 1–12.
    pub month: u32,
    /// Audience.
    pub audience: String,
    /// Events held.
    pub events: i64,
    /// Participants.
    pub participants: i64,
}

/// Everything one year's cells are computed from.
#[derive(Clone, Debug, Default)]
pub struct YearInput {
    /// The year.
    pub year: i32,
    /// The centres.
    pub centres: Vec<CentreInfo>,
    /// Person facts of the year.
    pub persons: Vec<PersonFact>,
    /// Per centre, the person keys it counted before the year.
    pub seen_before: Vec<HashSet<String>>,
    /// Interventions.
    pub services: Vec<ServiceFact>,
    /// Events.
    pub events: Vec<EventFact>,
    /// How many months of the year have ended (0–12); only cells of ended
    /// periods are published to the ministry.
    pub closed_months: u32,
}

/// One computed cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// `centre:<id>`, `region:<code>` or `network`.
    pub geo: String,
    /// The period.
    pub period: Period,
    /// Indicator.
    pub indicator: Indicator,
    /// Breakdown.
    pub dimension: Dimension,
    /// Category (empty for the total).
    pub category: String,
    /// Value (minutes for hours).
    pub value: i64,
    /// Suppression mark (for published cells).
    pub mark: Mark,
    /// Whether the ministry sees it (its period has ended).
    pub published: bool,
}

type Key = (u32, u8, u8, u8, u16);

struct Acc {
    cells: HashMap<Key, i64>,
    cats: Vec<String>,
    cat_ids: HashMap<String, u16>,
}

impl Acc {
    fn cat(&mut self, c: &str) -> u16 {
        if let Some(i) = self.cat_ids.get(c) {
            return *i;
        }
        let i = u16::try_from(self.cats.len()).unwrap_or(u16::MAX);
        self.cats.push(c.to_owned());
        self.cat_ids.insert(c.to_owned(), i);
        i
    }
    fn add(&mut self, geo: u32, period: usize, ind: Indicator, dim: Dimension, cat: &str, n: i64) {
        if n == 0 {
            return;
        }
        let c = self.cat(cat);
        *self
            .cells
            .entry((geo, period as u8, ind_index(ind), dim_index(dim), c))
            .or_default() += n;
    }
}

fn ind_index(i: Indicator) -> u8 {
    Indicator::ALL.iter().position(|x| *x == i).unwrap_or(0) as u8
}

fn dim_index(d: Dimension) -> u8 {
    Dimension::ALL.iter().position(|x| *x == d).unwrap_or(0) as u8
}

const PERSON_INDICATORS: [Indicator; 9] = [
    Indicator::UniquePersons,
    Indicator::NewClients,
    Indicator::CounselledPersons,
    Indicator::LanguageCourseParticipants,
    Indicator::CivicCourseParticipants,
    Indicator::AikAttendees,
    Indicator::CourseCompletions,
    Indicator::LevelGains,
    Indicator::ReportedHelpful,
];

fn category(f: &PersonFact, dim: Dimension, year: i32) -> String {
    match dim {
        Dimension::Sex => f.sex.clone(),
        Dimension::AgeGroup => age_group(f.birth_year, year).to_owned(),
        Dimension::Nationality => nationality_category(&f.nationality).to_owned(),
        Dimension::ResidenceCategory => f.residence.clone(),
        _ => String::new(),
    }
}

/// Counts one person (all their rows at one geography) into `acc`.
///
/// A person's categories in a period are those of the row that speaks for
/// the last month in which the indicator applies (the first such row in a
/// fixed order), so that a period's category cell never counts someone its
/// months' cells of that category do not; new clients are described as they
/// came (their first month).
fn count_person(
    acc: &mut Acc,
    geo: u32,
    rows: &[&PersonFact],
    seen: bool,
    year: i32,
    wanted: &[bool],
) {
    let rep = |month: u32, bit: i32| -> Option<&PersonFact> {
        rows.iter()
            .copied()
            .find(|r| r.month == month && r.measures & bit != 0)
    };
    let first_month = rows.iter().map(|r| r.month).min();
    for p in (0..Period::ALL.len()).filter(|p| wanted[*p]) {
        let months = period_months(p);
        if !rows.iter().any(|r| months.contains(&r.month)) {
            continue;
        }
        for ind in PERSON_INDICATORS {
            let attrs = match ind.bit() {
                Some(bit) => months.clone().rev().find_map(|m| rep(m, bit)),
                None => first_month
                    .filter(|f| !seen && months.contains(f))
                    .and_then(|f| rep(f, !0)),
            };
            let Some(attrs) = attrs else {
                continue;
            };
            for dim in PERSON_DIMENSIONS {
                let cat = category(attrs, dim, year);
                acc.add(geo, p, ind, dim, &cat, 1);
            }
        }
    }
}

/// Which of a year's cells to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every cell of every centre, region and the network, suppressed.
    Whole,
    /// Only the centres' own cells of the periods that have not ended: what
    /// a change to today alters. Nothing in it is published, so nothing is
    /// suppressed, and no region or network is counted.
    Running,
}

/// Computes and suppresses one year's cells.
pub fn compute(input: &YearInput) -> Vec<Cell> {
    compute_scope(input, Scope::Whole)
}

/// Computes the cells of `scope`: for [`Scope::Running`] exactly the cells
/// of [`compute`] that are unpublished and of a centre, at a fraction of
/// the work (one geography instead of three, three periods instead of
/// seventeen, no suppression).
pub fn compute_scope(input: &YearInput, scope: Scope) -> Vec<Cell> {
    let published = |p: usize| period_months(p).end() <= &input.closed_months;
    let wanted: Vec<bool> = (0..Period::ALL.len())
        .map(|p| scope == Scope::Whole || !published(p))
        .collect();
    let whole = scope == Scope::Whole;
    let mut acc = Acc {
        cells: HashMap::new(),
        cats: Vec::new(),
        cat_ids: HashMap::new(),
    };
    acc.cat("");
    let n_centres = input.centres.len();
    let mut regions: Vec<String> = input.centres.iter().map(|c| c.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let region_of: Vec<usize> = input
        .centres
        .iter()
        .map(|c| regions.iter().position(|r| *r == c.region).unwrap_or(0))
        .collect();
    let region_geo = |r: usize| (n_centres + r) as u32;
    let network_geo = (n_centres + regions.len()) as u32;
    let seen_in = |centres: &mut dyn Iterator<Item = usize>, key: &str| {
        let mut found = false;
        for c in centres {
            if input.seen_before.get(c).is_some_and(|s| s.contains(key)) {
                found = true;
                break;
            }
        }
        found
    };

    // Persons, at each level, grouped by person key.
    let mut order: Vec<&PersonFact> = input.persons.iter().collect();
    order.sort_by(|a, b| {
        (a.key.as_str(), a.month, a.centre).cmp(&(b.key.as_str(), b.month, b.centre))
    });
    for group in order.chunk_by(|a, b| a.key == b.key) {
        let key = group[0].key.as_str();
        // Network.
        if whole {
            let seen = seen_in(&mut (0..n_centres), key);
            count_person(&mut acc, network_geo, group, seen, input.year, &wanted);
        }
        // Regions and centres.
        let mut centres: Vec<usize> = group.iter().map(|r| r.centre).collect();
        centres.sort_unstable();
        centres.dedup();
        let mut done_regions: Vec<usize> = Vec::new();
        for &c in &centres {
            let rows: Vec<&PersonFact> = group.iter().copied().filter(|r| r.centre == c).collect();
            let seen = seen_in(&mut std::iter::once(c), key);
            count_person(&mut acc, c as u32, &rows, seen, input.year, &wanted);
            let r = region_of[c];
            if whole && !done_regions.contains(&r) {
                done_regions.push(r);
                let rows: Vec<&PersonFact> = group
                    .iter()
                    .copied()
                    .filter(|x| region_of[x.centre] == r)
                    .collect();
                let seen = seen_in(&mut (0..n_centres).filter(|x| region_of[*x] == r), key);
                count_person(&mut acc, region_geo(r), &rows, seen, input.year, &wanted);
            }
        }
    }

    // Interventions and events: sums.
    let geos = |centre: usize| {
        let all = [centre as u32, region_geo(region_of[centre]), network_geo];
        all.into_iter().take(if whole { 3 } else { 1 })
    };
    for p in (0..Period::ALL.len()).filter(|p| wanted[*p]) {
        let months = period_months(p);
        for s in input.services.iter().filter(|s| months.contains(&s.month)) {
            for geo in geos(s.centre) {
                for (ind, n) in [
                    (Indicator::Interventions, s.interventions),
                    (Indicator::InterventionHours, s.minutes),
                    (Indicator::Contacts, s.contacts),
                ] {
                    acc.add(geo, p, ind, Dimension::Total, "", n);
                    acc.add(geo, p, ind, Dimension::Kind, &s.kind, n);
                }
            }
        }
        for e in input.events.iter().filter(|e| months.contains(&e.month)) {
            for geo in geos(e.centre) {
                for (ind, n) in [
                    (Indicator::Events, e.events),
                    (Indicator::EventParticipants, e.participants),
                ] {
                    acc.add(geo, p, ind, Dimension::Total, "", n);
                    acc.add(geo, p, ind, Dimension::Audience, &e.audience, n);
                }
            }
        }
    }

    let mut keys: Vec<Key> = acc.cells.keys().copied().collect();
    keys.sort_unstable();
    let index: HashMap<Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let values: Vec<i64> = keys.iter().map(|k| acc.cells[k]).collect();
    let protect: Vec<bool> = keys
        .iter()
        .map(|k| Indicator::ALL[k.2 as usize].counts_persons() && published(k.1 as usize))
        .collect();

    // The relations between published person cells.
    let mut by_table: HashMap<(u32, u8, u8, u8), Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if protect[i] && k.3 != dim_index(Dimension::Total) {
            by_table.entry((k.0, k.1, k.2, k.3)).or_default().push(i);
        }
    }
    let mut centres_of_region: Vec<Vec<u32>> = vec![Vec::new(); regions.len()];
    for (c, r) in region_of.iter().enumerate() {
        centres_of_region[*r].push(c as u32);
    }
    let mut relations: Vec<Relation> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if !protect[i] {
            continue;
        }
        let ind = Indicator::ALL[k.2 as usize];
        let total = k.3 == dim_index(Dimension::Total);
        // Margins: the categories of each breakdown add up to the total.
        if total {
            for dim in ind.dimensions().iter().skip(1) {
                if let Some(children) = by_table.get(&(k.0, k.1, k.2, dim_index(*dim))) {
                    relations.push(Relation {
                        parent: i,
                        children: children.clone(),
                        kind: RelationKind::Exact,
                    });
                }
            }
        }
        let exact = ind.additivity() == Additivity::Additive;
        // Time: months to quarters, quarters to the year.
        let child_periods: Vec<u8> = match k.1 {
            12..=15 => period_months(k.1 as usize).map(|m| (m - 1) as u8).collect(),
            16 => vec![12, 13, 14, 15],
            _ => Vec::new(),
        };
        if !child_periods.is_empty() {
            let children: Vec<usize> = child_periods
                .iter()
                .filter_map(|p| index.get(&(k.0, *p, k.2, k.3, k.4)).copied())
                .collect();
            let kind = if exact || ind == Indicator::NewClients {
                RelationKind::Exact
            } else if total {
                RelationKind::Union
            } else {
                RelationKind::AtMost
            };
            relations.push(Relation {
                parent: i,
                children,
                kind,
            });
        }
        // Place: centres to their region, regions to the network.
        let child_geos: Vec<u32> = if k.0 == network_geo {
            (0..regions.len()).map(region_geo).collect()
        } else if k.0 >= n_centres as u32 {
            centres_of_region[(k.0 as usize) - n_centres].clone()
        } else {
            Vec::new()
        };
        if !child_geos.is_empty() {
            let children: Vec<usize> = child_geos
                .iter()
                .filter_map(|g| index.get(&(*g, k.1, k.2, k.3, k.4)).copied())
                .collect();
            let kind = if exact {
                RelationKind::Exact
            } else if total && ind != Indicator::NewClients {
                RelationKind::Union
            } else {
                RelationKind::AtMost
            };
            relations.push(Relation {
                parent: i,
                children,
                kind,
            });
        }
    }
    let marks = suppress(&values, &protect, &relations);

    let geo_name = |g: u32| -> String {
        let g = g as usize;
        if g < n_centres {
            format!("centre:{}", input.centres[g].id)
        } else if g < n_centres + regions.len() {
            format!("region:{}", regions[g - n_centres])
        } else {
            "network".to_owned()
        }
    };
    keys.iter()
        .enumerate()
        .map(|(i, k)| Cell {
            geo: geo_name(k.0),
            period: Period::ALL[k.1 as usize],
            indicator: Indicator::ALL[k.2 as usize],
            dimension: Dimension::ALL[k.3 as usize],
            category: acc.cats[k.4 as usize].clone(),
            value: values[i],
            mark: if protect[i] { marks[i] } else { Mark::Shown },
            published: published(k.1 as usize),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(centre: usize, month: u32, key: &str, measures: i32, sex: &str) -> PersonFact {
        PersonFact {
            centre,
            month,
            key: key.to_owned(),
            measures,
            sex: sex.to_owned(),
            birth_year: Some(1990),
            nationality: "UA".to_owned(),
            residence: "temporary_protection".to_owned(),
        }
    }

    fn centre(id: Uuid, region: &str) -> CentreInfo {
        CentreInfo {
            id,
            region: region.to_owned(),
        }
    }

    fn value(
        cells: &[Cell],
        geo: &str,
        period: Period,
        ind: Indicator,
        dim: Dimension,
        cat: &str,
    ) -> i64 {
        cells
            .iter()
            .find(|c| {
                c.geo == geo
                    && c.period == period
                    && c.indicator == ind
                    && c.dimension == dim
                    && c.category == cat
            })
            .map_or(0, |c| c.value)
    }

    #[test]
    fn one_person_in_two_centres_counts_once_in_the_network() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let input = YearInput {
            year: 2025,
            centres: vec![centre(a, "CZ010"), centre(b, "CZ042")],
            persons: vec![
                fact(0, 1, "k1", 1, "f"),
                fact(1, 2, "k1", 1, "f"),
                fact(1, 2, "k2", 1, "m"),
            ],
            seen_before: vec![HashSet::new(), HashSet::new()],
            closed_months: 12,
            ..YearInput::default()
        };
        let cells = compute(&input);
        let u = Indicator::UniquePersons;
        assert_eq!(
            value(
                &cells,
                &format!("centre:{a}"),
                Period::Y,
                u,
                Dimension::Total,
                ""
            ),
            1
        );
        assert_eq!(
            value(
                &cells,
                &format!("centre:{b}"),
                Period::Y,
                u,
                Dimension::Total,
                ""
            ),
            2
        );
        assert_eq!(
            value(&cells, "network", Period::Y, u, Dimension::Total, ""),
            2
        );
        assert_eq!(
            value(&cells, "network", Period::Q1, u, Dimension::Sex, "f"),
            1
        );
        assert_eq!(
            value(
                &cells,
                "network",
                Period::M02,
                Indicator::NewClients,
                Dimension::Total,
                ""
            ),
            1
        );
        assert_eq!(
            value(
                &cells,
                &format!("centre:{b}"),
                Period::M02,
                Indicator::NewClients,
                Dimension::Total,
                ""
            ),
            2
        );
        // Everything here is small: nothing published is shown.
        assert!(
            cells
                .iter()
                .filter(|c| c.indicator.counts_persons())
                .all(|c| c.mark.hidden())
        );
    }

    #[test]
    fn the_running_scope_is_the_unpublished_centre_cells_of_the_whole() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut persons = Vec::new();
        for n in 0..40u32 {
            let key = format!("k{}", n % 17);
            let sex = if n % 3 == 0 { "f" } else { "m" };
            persons.push(fact(
                (n % 2) as usize,
                1 + n % 12,
                &key,
                1 | (2 * (n as i32 % 2)),
                sex,
            ));
        }
        let input = YearInput {
            year: 2026,
            centres: vec![centre(a, "CZ010"), centre(b, "CZ010")],
            persons,
            seen_before: vec![["k3".to_owned()].into(), ["k4".to_owned()].into()],
            services: vec![
                ServiceFact {
                    centre: 0,
                    month: 11,
                    kind: "social_counselling".into(),
                    interventions: 7,
                    minutes: 420,
                    contacts: 1,
                },
                ServiceFact {
                    centre: 1,
                    month: 3,
                    kind: "legal_counselling".into(),
                    interventions: 2,
                    minutes: 90,
                    contacts: 0,
                },
            ],
            closed_months: 10,
            ..YearInput::default()
        };
        let key = |c: &Cell| {
            (
                c.geo.clone(),
                c.period,
                c.indicator.as_str(),
                c.dimension.as_str(),
                c.category.clone(),
            )
        };
        let mut whole: Vec<Cell> = compute(&input)
            .into_iter()
            .filter(|c| !c.published && c.geo.starts_with("centre:"))
            .collect();
        let mut running = compute_scope(&input, Scope::Running);
        whole.sort_by_key(key);
        running.sort_by_key(key);
        assert!(!running.is_empty());
        assert!(
            running
                .iter()
                .all(|c| [Period::M11, Period::M12, Period::Q4, Period::Y].contains(&c.period))
        );
        assert_eq!(running, whole);
    }
}
