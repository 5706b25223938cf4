//! Monthly facts: what each client of a centre received in one month, and
//! the month's interventions and events, recounted from the source tables
//! whenever a trigger has marked the month.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Prague;
use integra_clients::eligibility::evaluate_rule;
use integra_clients::residence::{ResidencePeriod, ResidenceStatusKind, status_on};
use integra_counselling::model::InterventionKind;
use integra_courses::model::{CourseKind, Level, Mark};
use integra_kernel::{AppResult, Backend, TenantTx, stmt};
use integra_tenants::EligibilityRule;
use sea_orm::{ConnectionTrait, DatabaseTransaction, Value};
use uuid::Uuid;

use crate::catalogue::{Indicator, bits};

/// The first day of the month of `day`.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The first day of the next month.
pub fn next_month(month: NaiveDate) -> NaiveDate {
    month.checked_add_months(Months::new(1)).unwrap_or(month)
}

/// The instant a Prague-local day starts.
pub fn local_start(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Prague
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The Prague-local day of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Prague).date_naive()
}

/// A funding project's rule and period.
#[derive(Clone, Copy, Debug)]
struct Project {
    rule: EligibilityRule,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
}

/// What a client's record says, for eligibility and the breakdowns.
#[derive(Clone, Debug, Default)]
struct Person {
    person_key: String,
    sex: String,
    birth_year: Option<i32>,
    nationality: String,
    kept_category: Option<String>,
    periods: Vec<ResidencePeriod>,
}

impl Person {
    fn eligible(&self, project: &Project, day: NaiveDate) -> bool {
        day >= project.starts_on
            && day <= project.ends_on
            && evaluate_rule(project.rule, &self.nationality, &self.periods, day).eligible
    }

    fn category(&self, day: NaiveDate) -> String {
        status_on(&self.periods, day)
            .map(|p| p.status.as_str().to_owned())
            .or_else(|| self.kept_category.clone())
            .unwrap_or_else(|| "unknown".to_owned())
    }
}

/// Counted interventions of one project and kind.
#[derive(Clone, Copy, Debug, Default)]
struct Services {
    interventions: i64,
    minutes: i64,
    contacts: i64,
}

/// Events of one audience.
#[derive(Clone, Copy, Debug, Default)]
struct Events {
    events: i64,
    participants: i64,
}

fn counselling_kind(kind: &str) -> bool {
    kind == InterventionKind::SocialCounselling.as_str()
        || kind == InterventionKind::LegalCounselling.as_str()
}

fn course_bit(kind: &str) -> i32 {
    match CourseKind::parse(kind) {
        Some(CourseKind::Sociocultural) => bits::CIVIC,
        Some(CourseKind::AdaptationIntegration) => bits::AIK,
        Some(_) => bits::LANGUAGE,
        None => 0,
    }
}

fn level_rank(level: &str) -> Option<usize> {
    Level::parse(level).map(Level::rank)
}

fn attended_marks() -> Vec<Value> {
    Mark::ALL
        .iter()
        .filter(|m| m.attended())
        .map(|m| Value::from(m.as_str()))
        .collect()
}

/// Recounts one month of one centre inside `txn` (a transaction acting in
/// that centre): replaces its person facts, intervention and event figures
/// when they differ from those kept (and says whether they did). `now`
/// decides whether a course's last session has taken place.
pub async fn refresh_month(
    txn: &TenantTx,
    month: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Recount> {
    let month = month_of(month);
    let end = next_month(month);
    let (from, to) = (local_start(month), local_start(end));
    let q = |sql: &str, values: Vec<Value>| txn.stmt(sql, values);
    let (backend, tenant) = (txn.backend(), txn.centre().uuid());

    let mut projects: HashMap<Uuid, Project> = HashMap::new();
    for r in txn
        .query_all_raw(q(
            "SELECT id, eligibility_rule, starts_on, ends_on FROM funding_projects WHERE tenant_id = :tenant",
            vec![],
        ))
        .await?
    {
        let rule: String = r.try_get("", "eligibility_rule")?;
        projects.insert(
            r.try_get("", "id")?,
            Project {
                rule: EligibilityRule::parse(&rule).unwrap_or(EligibilityRule::AmifDefault),
                starts_on: r.try_get("", "starts_on")?,
                ends_on: r.try_get("", "ends_on")?,
            },
        );
    }

    // (client, project) -> bits; eligibility of course and event
    // participations is decided below, once the clients are loaded.
    let mut measures: BTreeMap<(Uuid, Uuid), i32> = BTreeMap::new();
    // (client, project, day, bit) awaiting an eligibility check.
    let mut pending: Vec<(Uuid, Uuid, NaiveDate, i32)> = Vec::new();
    let mut services: BTreeMap<(Uuid, String), Services> = BTreeMap::new();

    // Interventions: the snapshot kept with each participant decides. A
    // participant's day is its intervention's; both sides are found by
    // their day index and joined.
    let mut per_intervention: HashMap<Uuid, (Uuid, String, i64, bool, bool)> = HashMap::new();
    for r in txn
        .query_all_raw(q(
            "SELECT p.client_id, p.counts, p.eligible, i.id, i.funding_project_id, i.kind, i.is_group, \
             i.duration_minutes, fp.contact_threshold_minutes \
             FROM interventions i \
             JOIN intervention_participants p ON p.tenant_id = i.tenant_id AND p.intervention_id = i.id \
             JOIN funding_projects fp ON fp.tenant_id = i.tenant_id AND fp.id = i.funding_project_id \
             WHERE i.tenant_id = :tenant AND i.occurred_on >= ? AND i.occurred_on < ? \
             AND p.occurred_on >= ? AND p.occurred_on < ?",
            vec![
                month.into(),
                end.into(),
                month.into(),
                end.into(),
            ],
        ))
        .await?
    {
        let client: Uuid = r.try_get("", "client_id")?;
        let counts: bool = r.try_get("", "counts")?;
        let eligible: bool = r.try_get("", "eligible")?;
        let id: Uuid = r.try_get("", "id")?;
        let project: Uuid = r.try_get("", "funding_project_id")?;
        let kind: String = r.try_get("", "kind")?;
        let group: bool = r.try_get("", "is_group")?;
        let minutes = i64::from(r.try_get::<i32>("", "duration_minutes")?);
        let threshold = i64::from(r.try_get::<i32>("", "contact_threshold_minutes")?);
        if counts {
            let mut bit = bits::SERVED;
            if !group && counselling_kind(&kind) {
                bit |= bits::COUNSELLED;
            }
            *measures.entry((client, project)).or_default() |= bit;
        }
        let e = per_intervention
            .entry(id)
            .or_insert((project, kind, minutes, false, false));
        e.3 |= counts;
        e.4 |= eligible && minutes < threshold;
    }
    for (project, kind, minutes, counted, contact) in per_intervention.into_values() {
        let s = services.entry((project, kind)).or_default();
        if counted {
            s.interventions += 1;
            s.minutes += minutes;
        }
        if contact {
            s.contacts += 1;
        }
    }

    // Course sessions attended in the month.
    let marks = attended_marks();
    let mut values: Vec<Value> = vec![from.into(), to.into()];
    values.extend(marks.iter().cloned());
    let placeholders = vec!["?"; marks.len()].join(", ");
    for r in txn
        .query_all_raw(q(
            &format!(
                "SELECT e.client_id, c.funding_project_id, c.kind, s.starts_at \
                 FROM attendance a \
                 JOIN course_sessions s ON s.tenant_id = a.tenant_id AND s.id = a.session_id \
                 JOIN enrolments e ON e.tenant_id = a.tenant_id AND e.id = a.enrolment_id \
                 JOIN courses c ON c.tenant_id = s.tenant_id AND c.id = s.course_id \
                 WHERE a.tenant_id = :tenant AND s.starts_at >= ? AND s.starts_at < ? \
                 AND a.status IN ({placeholders}) AND s.status = 'scheduled' \
                 AND c.funding_project_id IS NOT NULL"
            ),
            values,
        ))
        .await?
    {
        let kind: String = r.try_get("", "kind")?;
        let at: DateTime<Utc> = r.try_get("", "starts_at")?;
        pending.push((
            r.try_get("", "client_id")?,
            r.try_get("", "funding_project_id")?,
            local_day(at),
            bits::SERVED | course_bit(&kind),
        ));
    }

    // Courses whose last session fell in the month (and has taken place).
    let mut ended: HashMap<Uuid, (Uuid, i64, i64, NaiveDate)> = HashMap::new();
    for r in txn
        .query_all_raw(q(
            "SELECT c.id, c.funding_project_id, c.completion_percent, MAX(s.starts_at) AS last_at, \
             COUNT(*) AS total \
             FROM courses c JOIN course_sessions s ON s.tenant_id = c.tenant_id AND s.course_id = c.id \
             WHERE c.tenant_id = :tenant AND s.status = 'scheduled' AND c.status = 'active' \
             AND c.funding_project_id IS NOT NULL \
             GROUP BY c.id, c.funding_project_id, c.completion_percent \
             HAVING MAX(s.starts_at) >= ? AND MAX(s.starts_at) < ?",
            vec![ from.into(), to.into()],
        ))
        .await?
    {
        let last: DateTime<Utc> = r.try_get("", "last_at")?;
        if last > now {
            continue;
        }
        ended.insert(
            r.try_get("", "id")?,
            (
                r.try_get("", "funding_project_id")?,
                i64::from(r.try_get::<i32>("", "completion_percent")?),
                r.try_get("", "total")?,
                local_day(last),
            ),
        );
    }
    if !ended.is_empty() {
        let ids: Vec<Uuid> = ended.keys().copied().collect();
        for chunk in ids.chunks(200) {
            let mut values: Vec<Value> = marks.clone();
            values.extend(chunk.iter().map(|u| Value::from(*u)));
            let sql = format!(
                "SELECT e.course_id, e.client_id, e.entry_level, e.exit_level, \
                 (SELECT COUNT(*) FROM attendance a JOIN course_sessions s \
                    ON s.tenant_id = a.tenant_id AND s.id = a.session_id \
                  WHERE a.tenant_id = :tenant AND a.enrolment_id = e.id AND a.status IN ({placeholders}) \
                  AND s.status = 'scheduled') AS attended \
                 FROM enrolments e WHERE e.tenant_id = :tenant AND e.status = 'enrolled' \
                 AND e.course_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            for r in txn.query_all_raw(q(&sql, values)).await? {
                let course: Uuid = r.try_get("", "course_id")?;
                let Some((project, percent, total, day)) = ended.get(&course).copied() else {
                    continue;
                };
                let attended: i64 = r.try_get("", "attended")?;
                let entry: String = r.try_get("", "entry_level")?;
                let exit: String = r.try_get("", "exit_level")?;
                let mut bit = 0;
                if total > 0 && attended * 100 >= percent * total {
                    bit |= bits::COMPLETED;
                }
                if matches!((level_rank(&entry), level_rank(&exit)), (Some(i), Some(o)) if o > i) {
                    bit |= bits::LEVEL_GAIN;
                }
                if bit != 0 {
                    pending.push((
                        r.try_get("", "client_id")?,
                        project,
                        day,
                        bit | bits::SERVED,
                    ));
                }
            }
        }
    }

    // Events of the month.
    let mut events: BTreeMap<String, Events> = BTreeMap::new();
    let mut event_info: HashMap<Uuid, (String, Option<Uuid>, NaiveDate)> = HashMap::new();
    for r in txn
        .query_all_raw(q(
            "SELECT id, audience, funding_project_id, starts_at FROM events \
             WHERE tenant_id = :tenant AND starts_at >= ? AND starts_at < ? AND status <> 'cancelled'",
            vec![ from.into(), to.into()],
        ))
        .await?
    {
        let audience: String = r.try_get("", "audience")?;
        let at: DateTime<Utc> = r.try_get("", "starts_at")?;
        events.entry(audience.clone()).or_default().events += 1;
        event_info.insert(
            r.try_get("", "id")?,
            (
                audience,
                r.try_get("", "funding_project_id")?,
                local_day(at),
            ),
        );
    }
    if !event_info.is_empty() {
        let ids: Vec<Uuid> = event_info.keys().copied().collect();
        let mut headcounted: HashSet<Uuid> = HashSet::new();
        let mut checked_in: HashMap<Uuid, i64> = HashMap::new();
        for chunk in ids.chunks(200) {
            let list = vec!["?"; chunk.len()].join(", ");
            let values: Vec<Value> = chunk.iter().map(|u| Value::from(*u)).collect();
            for r in txn
                .query_all_raw(q(
                    &format!(
                        "SELECT event_id, audience, count FROM event_headcounts \
                         WHERE tenant_id = :tenant AND event_id IN ({list})"
                    ),
                    values.clone(),
                ))
                .await?
            {
                let audience: String = r.try_get("", "audience")?;
                let count = i64::from(r.try_get::<i32>("", "count")?);
                headcounted.insert(r.try_get("", "event_id")?);
                events.entry(audience).or_default().participants += count;
            }
            for r in txn
                .query_all_raw(q(
                    &format!(
                        "SELECT event_id, client_id FROM event_registrations \
                         WHERE tenant_id = :tenant AND event_id IN ({list}) \
                         AND checked_in_at IS NOT NULL AND status <> 'cancelled'"
                    ),
                    values,
                ))
                .await?
            {
                let event: Uuid = r.try_get("", "event_id")?;
                *checked_in.entry(event).or_default() += 1;
                let client: Option<Uuid> = r.try_get("", "client_id")?;
                if let (Some(client), Some((_, Some(project), day))) =
                    (client, event_info.get(&event))
                {
                    pending.push((client, *project, *day, bits::SERVED | bits::EVENT));
                }
            }
        }
        for (event, n) in checked_in {
            if headcounted.contains(&event) {
                continue;
            }
            if let Some((audience, _, _)) = event_info.get(&event) {
                events.entry(audience.clone()).or_default().participants += n;
            }
        }
    }

    // "Did it help you?" answered "helpful" in the month: for the project
    // of the course or case, if the person was eligible when it ended.
    for r in txn
        .query_all_raw(q(
            "SELECT client_id, funding_project_id, served_on FROM feedback_requests \
             WHERE tenant_id = :tenant AND answered_at >= ? AND answered_at < ? AND answer = 'helpful' \
             AND funding_project_id IS NOT NULL",
            vec![ from.into(), to.into()],
        ))
        .await?
    {
        pending.push((
            r.try_get("", "client_id")?,
            r.try_get("", "funding_project_id")?,
            r.try_get("", "served_on")?,
            bits::HELPFUL,
        ));
    }

    // The clients, for eligibility and the breakdowns.
    let mut ids: Vec<Uuid> = measures.keys().map(|(c, _)| *c).collect();
    ids.extend(pending.iter().map(|p| p.0));
    ids.sort_unstable();
    ids.dedup();
    let people = load_people(txn, &ids).await?;
    for (client, project, day, bit) in pending {
        let (Some(person), Some(p)) = (people.get(&client), projects.get(&project)) else {
            continue;
        };
        if person.eligible(p, day) {
            *measures.entry((client, project)).or_default() |= bit;
        }
    }

    // The month's new figures, compared with those kept: a recount that
    // changes nothing (a correction that does not move a count, attendance
    // entered again) writes nothing and leaves the cells as they are.
    let last_day = end.pred_opt().unwrap_or(month);
    let persons: BTreeSet<PersonRow> = measures
        .iter()
        .filter_map(|((client, project), m)| {
            let person = people.get(client)?;
            Some(PersonRow {
                client: *client,
                project: *project,
                measures: *m,
                person_key: person.person_key.clone(),
                sex: person.sex.clone(),
                birth_year: person.birth_year,
                nationality: person.nationality.clone(),
                residence_category: person.category(last_day),
            })
        })
        .collect();
    let services: BTreeSet<(Uuid, String, i64, i64, i64)> = services
        .into_iter()
        .filter(|(_, s)| s.interventions > 0 || s.contacts > 0)
        .map(|((project, kind), s)| (project, kind, s.interventions, s.minutes, s.contacts))
        .collect();
    let events: BTreeSet<(String, i64, i64)> = events
        .into_iter()
        .map(|(audience, e)| (audience, e.events, e.participants))
        .collect();
    let kept = kept_month(txn, month).await?;
    if kept.0 == persons && kept.1 == services && kept.2 == events {
        return Ok(Recount {
            persons: persons.len(),
            changed: false,
        });
    }

    // Replace the rows of the persons whose facts changed (a write touches
    // a few clients of a month that may hold tens of thousands), and keep
    // each person's first month per project current.
    let changed_clients: BTreeSet<Uuid> = kept
        .0
        .symmetric_difference(&persons)
        .map(|p| p.client)
        .collect();
    let ids: Vec<Uuid> = changed_clients.iter().copied().collect();
    for chunk in ids.chunks(500) {
        let mut values: Vec<Value> = vec![month.into()];
        values.extend(chunk.iter().map(|u| Value::from(*u)));
        txn.execute_raw(q(
            &format!(
                "DELETE FROM report_person_months WHERE tenant_id = :tenant AND month = ? AND client_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            ),
            values,
        ))
        .await?;
    }
    let written = persons.len();
    let firsts = FirstsDelta::between(&kept.0, &persons);
    let rows: Vec<Vec<Value>> = persons
        .into_iter()
        .filter(|p| changed_clients.contains(&p.client))
        .map(|p| {
            vec![
                tenant.into(),
                month.into(),
                p.client.into(),
                p.project.into(),
                p.measures.into(),
                p.person_key.into(),
                p.sex.into(),
                p.birth_year.into(),
                p.nationality.into(),
                p.residence_category.into(),
            ]
        })
        .collect();
    insert_rows(
        txn,
        backend,
        "report_person_months (tenant_id, month, client_id, funding_project_id, measures, \
         person_key, sex, birth_year, nationality, residence_category)",
        rows,
    )
    .await?;
    firsts.apply(txn, month).await?;
    if kept.1 != services {
        let rows = services
            .into_iter()
            .map(|(project, kind, interventions, minutes, contacts)| {
                vec![
                    project.into(),
                    kind.into(),
                    interventions.into(),
                    minutes.into(),
                    contacts.into(),
                ]
            })
            .collect();
        replace_month(
            txn,
            month,
            "report_service_months",
            "funding_project_id, kind, interventions, minutes, contacts",
            rows,
        )
        .await?;
    }
    if kept.2 != events {
        let rows = events
            .into_iter()
            .map(|(audience, events, participants)| {
                vec![audience.into(), events.into(), participants.into()]
            })
            .collect();
        replace_month(
            txn,
            month,
            "report_event_months",
            "audience, events, participants",
            rows,
        )
        .await?;
    }
    Ok(Recount {
        persons: written,
        changed: true,
    })
}

/// Replaces the rows of one centre-month in `table` (a month's figures by
/// project and kind, or by audience): `rows` hold the values of `columns`,
/// which follow `tenant_id, month`.
async fn replace_month(
    txn: &TenantTx,
    month: NaiveDate,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
) -> AppResult<()> {
    let (backend, tenant) = (txn.backend(), txn.centre().uuid());
    txn.execute_raw(txn.stmt(
        &format!("DELETE FROM {table} WHERE tenant_id = :tenant AND month = ?"),
        vec![month.into()],
    ))
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut row = vec![Value::from(tenant), Value::from(month)];
            row.extend(r);
            row
        })
        .collect();
    insert_rows(
        txn,
        backend,
        &format!("{table} (tenant_id, month, {columns})"),
        rows,
    )
    .await
}

/// What recounting a month found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recount {
    /// Persons with a fact in the month (per funding project).
    pub persons: usize,
    /// Whether the month's figures differ from those kept before.
    pub changed: bool,
}

/// One person's facts in a month under one funding project.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PersonRow {
    client: Uuid,
    project: Uuid,
    measures: i32,
    person_key: String,
    sex: String,
    birth_year: Option<i32>,
    nationality: String,
    residence_category: String,
}

/// How one month's recount moves each person's first month per project and
/// fact (`report_project_firsts`, which the project totals count).
#[derive(Debug, Default)]
struct FirstsDelta {
    /// (project, person key) -> facts the month gained.
    gained: BTreeMap<(Uuid, String), i32>,
    /// (project, person key) -> facts the month lost.
    lost: BTreeMap<(Uuid, String), i32>,
}

impl FirstsDelta {
    /// The facts each person key gained or lost in the month, all of its
    /// client records together, between the rows `before` and `after`.
    fn between(before: &BTreeSet<PersonRow>, after: &BTreeSet<PersonRow>) -> Self {
        let tracked = Indicator::ALL
            .iter()
            .filter_map(|i| i.bit())
            .fold(0, |m, b| m | b);
        let union = |rows: &BTreeSet<PersonRow>| {
            let mut out: BTreeMap<(Uuid, String), i32> = BTreeMap::new();
            for r in rows {
                *out.entry((r.project, r.person_key.clone())).or_default() |= r.measures & tracked;
            }
            out
        };
        let (old, new) = (union(before), union(after));
        let mut delta = Self::default();
        for key in old.keys().chain(new.keys()) {
            let o = old.get(key).copied().unwrap_or(0);
            let n = new.get(key).copied().unwrap_or(0);
            if n & !o != 0 {
                delta.gained.insert(key.clone(), n & !o);
            }
            if o & !n != 0 {
                delta.lost.insert(key.clone(), o & !n);
            }
        }
        delta
    }

    /// Writes the change, after the month's rows have been replaced: a
    /// gained fact makes `month` the first if none was earlier; a lost one
    /// is looked up again in the person's remaining months.
    async fn apply(self, txn: &TenantTx, month: NaiveDate) -> AppResult<()> {
        let (backend, tenant) = (txn.backend(), txn.centre().uuid());
        let mut rows: Vec<Vec<Value>> = Vec::new();
        for ((project, key), gained) in &self.gained {
            for bit in split_bits(*gained) {
                rows.push(vec![
                    tenant.into(),
                    (*project).into(),
                    key.clone().into(),
                    bit.into(),
                    month.into(),
                ]);
            }
        }
        for batch in rows.chunks(150) {
            let sql = format!(
                "INSERT INTO report_project_firsts (tenant_id, funding_project_id, person_key, bit, first_month) \
                 VALUES {} ON CONFLICT (tenant_id, funding_project_id, person_key, bit) DO UPDATE \
                 SET first_month = CASE WHEN excluded.first_month < report_project_firsts.first_month \
                 THEN excluded.first_month ELSE report_project_firsts.first_month END",
                vec!["(?, ?, ?, ?, ?)"; batch.len()].join(", ")
            );
            txn.execute_raw(stmt(backend, &sql, batch.concat())).await?;
        }
        if self.lost.is_empty() {
            return Ok(());
        }
        // The lost facts' first months, from the months that remain.
        let keys: Vec<String> = self
            .lost
            .keys()
            .map(|(_, k)| k.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut firsts: BTreeMap<(Uuid, String, i32), NaiveDate> = BTreeMap::new();
        for chunk in keys.chunks(500) {
            let values: Vec<Value> = chunk.iter().map(|k| Value::from(k.clone())).collect();
            for r in txn
                .query_all_raw(txn.stmt(
                    &format!(
                        "SELECT funding_project_id, person_key, month, measures FROM report_person_months \
                         WHERE tenant_id = :tenant AND person_key IN ({})",
                        vec!["?"; chunk.len()].join(", ")
                    ),
                    values,
                ))
                .await?
            {
                let project: Uuid = r.try_get("", "funding_project_id")?;
                let key: String = r.try_get("", "person_key")?;
                let Some(lost) = self.lost.get(&(project, key.clone())) else {
                    continue;
                };
                let at: NaiveDate = r.try_get("", "month")?;
                let measures: i32 = r.try_get("", "measures")?;
                for bit in split_bits(lost & measures) {
                    firsts
                        .entry((project, key.clone(), bit))
                        .and_modify(|m| *m = (*m).min(at))
                        .or_insert(at);
                }
            }
        }
        // The lost facts' rows go by project and fact, many persons at once
        // (a correction may touch a whole month).
        let mut gone: BTreeMap<(Uuid, i32), Vec<String>> = BTreeMap::new();
        for ((project, key), lost) in &self.lost {
            for bit in split_bits(*lost) {
                gone.entry((*project, bit)).or_default().push(key.clone());
            }
        }
        for ((project, bit), keys) in gone {
            for chunk in keys.chunks(500) {
                let mut values: Vec<Value> = vec![project.into(), bit.into()];
                values.extend(chunk.iter().map(|k| Value::from(k.clone())));
                txn.execute_raw(txn.stmt(
                    &format!(
                        "DELETE FROM report_project_firsts WHERE tenant_id = :tenant AND funding_project_id = ? \
                         AND bit = ? AND person_key IN ({})",
                        vec!["?"; chunk.len()].join(", ")
                    ),
                    values,
                ))
                .await?;
            }
        }
        let rows: Vec<Vec<Value>> = firsts
            .into_iter()
            .map(|((project, key, bit), first)| {
                vec![
                    tenant.into(),
                    project.into(),
                    key.into(),
                    bit.into(),
                    first.into(),
                ]
            })
            .collect();
        insert_rows(
            txn,
            backend,
            "report_project_firsts (tenant_id, funding_project_id, person_key, bit, first_month)",
            rows,
        )
        .await
    }
}

/// The single bits set in `measures`.
fn split_bits(measures: i32) -> impl Iterator<Item = i32> {
    (0..31).map(|i| 1 << i).filter(move |b| measures & b != 0)
}

/// The figures of a month as last counted: persons, interventions by
/// project and kind, events by audience.
type KeptMonth = (
    BTreeSet<PersonRow>,
    BTreeSet<(Uuid, String, i64, i64, i64)>,
    BTreeSet<(String, i64, i64)>,
);

async fn kept_month(txn: &TenantTx, month: NaiveDate) -> AppResult<KeptMonth> {
    let at = || vec![Value::from(month)];
    let mut persons = BTreeSet::new();
    for r in txn
        .query_all_raw(txn.stmt("SELECT client_id, funding_project_id, measures, person_key, sex, birth_year, nationality, \
             residence_category FROM report_person_months WHERE tenant_id = :tenant AND month = ?",
            at(),
        ))
        .await?
    {
        persons.insert(PersonRow {
            client: r.try_get("", "client_id")?,
            project: r.try_get("", "funding_project_id")?,
            measures: r.try_get("", "measures")?,
            person_key: r.try_get("", "person_key")?,
            sex: r.try_get("", "sex")?,
            birth_year: r.try_get("", "birth_year")?,
            nationality: r.try_get("", "nationality")?,
            residence_category: r.try_get("", "residence_category")?,
        });
    }
    let mut services = BTreeSet::new();
    for r in txn
        .query_all_raw(txn.stmt(
            "SELECT funding_project_id, kind, interventions, minutes, contacts \
             FROM report_service_months WHERE tenant_id = :tenant AND month = ?",
            at(),
        ))
        .await?
    {
        services.insert((
            r.try_get("", "funding_project_id")?,
            r.try_get("", "kind")?,
            i64::from(r.try_get::<i32>("", "interventions")?),
            r.try_get("", "minutes")?,
            i64::from(r.try_get::<i32>("", "contacts")?),
        ));
    }
    let mut events = BTreeSet::new();
    for r in txn
        .query_all_raw(txn.stmt(
            "SELECT audience, events, participants FROM report_event_months \
             WHERE tenant_id = :tenant AND month = ?",
            at(),
        ))
        .await?
    {
        events.insert((
            r.try_get("", "audience")?,
            i64::from(r.try_get::<i32>("", "events")?),
            i64::from(r.try_get::<i32>("", "participants")?),
        ));
    }
    Ok((persons, services, events))
}

/// Inserts `rows` into `target` (a table with its column list), in batches.
pub(crate) async fn insert_rows(
    txn: &DatabaseTransaction,
    backend: Backend,
    target: &str,
    rows: Vec<Vec<Value>>,
) -> AppResult<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let per_batch = (900 / width).max(1);
    let tuple = format!("({})", vec!["?"; width].join(", "));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Value>> = rows.by_ref().take(per_batch).collect();
        let sql = format!(
            "INSERT INTO {target} VALUES {}",
            vec![tuple.as_str(); batch.len()].join(", ")
        );
        txn.execute_raw(stmt(backend, &sql, batch.into_iter().flatten().collect()))
            .await?;
    }
    Ok(())
}

/// The clients `ids` of `tenant` with their residence history.
async fn load_people(txn: &TenantTx, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Person>> {
    let mut out: HashMap<Uuid, Person> = HashMap::new();
    for chunk in ids.chunks(500) {
        let list = vec!["?"; chunk.len()].join(", ");
        let values: Vec<Value> = chunk.iter().map(|u| Value::from(*u)).collect();
        for r in txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT id, person_key, sex, birth_year, nationality, residence_category \
                     FROM clients WHERE tenant_id = :tenant AND id IN ({list})"
                ),
                values.clone(),
            ))
            .await?
        {
            let id: Uuid = r.try_get("", "id")?;
            let key: Option<String> = r.try_get("", "person_key")?;
            out.insert(
                id,
                Person {
                    // Without a key (no date of birth), the record stands
                    // for itself: counted once, never joined across centres.
                    person_key: key.unwrap_or_else(|| format!("record:{id}")),
                    sex: r.try_get("", "sex")?,
                    birth_year: r.try_get("", "birth_year")?,
                    nationality: r.try_get("", "nationality")?,
                    kept_category: r.try_get("", "residence_category")?,
                    periods: Vec::new(),
                },
            );
        }
        for r in txn
            .query_all_raw(txn.stmt(
                &format!(
                    "SELECT client_id, status, valid_from, valid_to, proceedings_pending \
                     FROM residence_statuses WHERE tenant_id = :tenant AND client_id IN ({list}) \
                     ORDER BY valid_from"
                ),
                values,
            ))
            .await?
        {
            let client: Uuid = r.try_get("", "client_id")?;
            let status: String = r.try_get("", "status")?;
            if let (Some(p), Some(status)) =
                (out.get_mut(&client), ResidenceStatusKind::parse(&status))
            {
                p.periods.push(ResidencePeriod {
                    status,
                    valid_from: r.try_get("", "valid_from")?,
                    valid_to: r.try_get("", "valid_to")?,
                    proceedings_pending: r.try_get("", "proceedings_pending")?,
                });
            }
        }
    }
    Ok(out)
}
