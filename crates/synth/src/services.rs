//! Synthetic counselling: interventions with their participants and
//! eligibility snapshot, and follow-up tasks, for generated clients.
//!
//! On average 13 interventions per client (13,000,000 for the national
//! million), skewed: most clients have a handful, a few many more, and the
//! first client of each centre exactly [`LONG_HISTORY`] (the timeline
//! benchmark's client). Dates fall between the first contact and today,
//! quieter in summer; kinds, forms, durations and topics follow the mix of a
//! centre's year. Every eligibility snapshot is computed by the real engine.

use chrono::{Datelike, Duration, NaiveDate};
use integra_clients::eligibility;
use integra_clients::residence::ResidencePeriod;
use integra_tenants::FundingProject;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{SynthClient, v7, weighted};

/// Interventions of each centre's first client.
pub const LONG_HISTORY: usize = 500;

/// Share of interventions with a follow-up task (per mille).
const TASK_PER_MILLE: u32 = 30;

/// One generated intervention (always individual here).
#[derive(Clone, Debug, PartialEq)]
pub struct SynthIntervention {
    /// Id (UUIDv7 from the service date).
    pub id: uuid::Uuid,
    /// The client.
    pub client_id: uuid::Uuid,
    /// Service date.
    pub occurred_on: NaiveDate,
    /// Minutes.
    pub duration_minutes: i32,
    /// Stored kind name.
    pub kind: &'static str,
    /// Stored office name, for accompaniment.
    pub target_office: Option<&'static str>,
    /// Stored form name.
    pub form: &'static str,
    /// Stored topic names, comma-separated.
    pub topics: String,
    /// Language.
    pub language: &'static str,
    /// Project charged.
    pub project: uuid::Uuid,
    /// Eligible on the day.
    pub eligible: bool,
    /// Why.
    pub eligibility_reason: String,
    /// Counts toward indicators.
    pub counts: bool,
    /// A follow-up task: (id, due date, done).
    pub task: Option<(uuid::Uuid, NaiveDate, bool)>,
}

const KINDS: [(&str, u32); 7] = [
    ("social_counselling", 33),
    ("legal_counselling", 14),
    ("intercultural_work", 16),
    ("accompaniment", 10),
    ("information_service", 17),
    ("field_contact", 5),
    ("crisis_help", 5),
];
const OFFICES: [(&str, u32); 8] = [
    ("oamp", 35),
    ("foreign_police", 10),
    ("labour_office", 20),
    ("social_security", 8),
    ("tax_office", 4),
    ("health_insurer", 8),
    ("school", 8),
    ("doctor", 7),
];
const FORMS: [(&str, u32); 4] = [("office", 72), ("phone", 16), ("email", 6), ("online", 6)];
const DURATIONS: [(i32, u32); 8] = [
    (10, 6),
    (15, 10),
    (20, 10),
    (30, 22),
    (45, 18),
    (60, 18),
    (90, 10),
    (120, 6),
];
const TOPICS: [&str; 8] = [
    "residence",
    "employment",
    "housing",
    "social_system",
    "education",
    "health_insurance",
    "business",
    "family",
];

fn language(nationality: &str) -> &'static str {
    match nationality {
        "UA" => "uk",
        "RU" | "BY" | "KZ" | "MD" | "UZ" => "ru",
        "VN" => "vi",
        "MN" => "mn",
        "SY" => "ar",
        "SK" => "cs",
        _ => "en",
    }
}

fn periods(c: &SynthClient) -> Vec<ResidencePeriod> {
    c.statuses
        .iter()
        .map(|s| ResidencePeriod {
            status: s.status,
            valid_from: s.valid_from,
            valid_to: s.valid_to,
            proceedings_pending: s.pending,
        })
        .collect()
}

/// The interventions of the `index`-th client of a centre. `amif` is the
/// centre's current AMIF project, `own` its own-money project (for those
/// AMIF does not cover and for the years before the AMIF project).
pub fn interventions_of(
    seed: u64,
    index: u64,
    c: &SynthClient,
    amif: &FundingProject,
    own: &FundingProject,
    today: NaiveDate,
) -> Vec<SynthIntervention> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5e41 ^ c.id.as_u128() as u64);
    let n = if index == 0 {
        LONG_HISTORY
    } else {
        // Geometric-like around a mean of 13.
        let u: f64 = rng.random_range(0.0001..1.0);
        (1.0 + (-u.ln() * 12.0)).floor().min(300.0) as usize
    };
    let span = (today - c.first_contact_on).num_days().max(1);
    let periods = periods(c);
    let lang = language(c.nationality);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        // The first contact itself, then days after it, fewer in summer.
        let occurred_on = loop {
            let day = c.first_contact_on + Duration::days(rng.random_range(0..span));
            let keep = match day.month() {
                7 | 8 => 5,
                _ => 10,
            };
            if rng.random_range(0..10) < keep && day <= today {
                break day;
            }
        };
        let kind = weighted(&mut rng, &KINDS);
        let form = if kind == "field_contact" {
            "field"
        } else {
            weighted(&mut rng, &FORMS)
        };
        let duration_minutes = weighted(&mut rng, &DURATIONS);
        let first_topic = rng.random_range(0..TOPICS.len());
        let mut topics = vec![TOPICS[first_topic]];
        if rng.random_bool(0.4) {
            let second = TOPICS[(first_topic + rng.random_range(1..TOPICS.len())) % TOPICS.len()];
            topics.push(second);
        }
        topics.sort_unstable();
        let in_amif = occurred_on >= amif.starts_on && occurred_on <= amif.ends_on;
        let mut project = if in_amif { amif } else { own };
        let mut e = eligibility::evaluate(project, c.nationality, &periods, occurred_on);
        if !e.eligible && project.id == amif.id {
            project = own;
            e = eligibility::evaluate(project, c.nationality, &periods, occurred_on);
        }
        // Synthetic clients are verified from their documents at the desk.
        let counts = e.eligible && duration_minutes >= project.contact_threshold_minutes;
        let reason = if e.eligible && !counts {
            format!(
                "{}; not counted: {duration_minutes} minutes is a contact, below the project's {}-minute threshold",
                e.reason, project.contact_threshold_minutes
            )
        } else {
            e.reason
        };
        let millis = occurred_on
            .and_hms_opt(10, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or_default();
        let id = v7(&mut rng, millis);
        let task = (rng.random_range(0..1000) < TASK_PER_MILLE).then(|| {
            let due = occurred_on + Duration::days(14);
            let task_id = v7(&mut rng, millis);
            (task_id, due, due < today - Duration::days(30))
        });
        out.push(SynthIntervention {
            id,
            client_id: c.id,
            occurred_on,
            duration_minutes,
            kind,
            target_office: (kind == "accompaniment").then(|| weighted(&mut rng, &OFFICES)),
            form,
            topics: topics.join(","),
            language: lang,
            project: project.id.uuid(),
            eligible: e.eligible,
            eligibility_reason: reason,
            counts,
            task,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use integra_kernel::FundingProjectId;
    use integra_tenants::{EligibilityRule, FundingSource};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn project(rule: EligibilityRule, from: NaiveDate, to: NaiveDate) -> FundingProject {
        FundingProject {
            id: FundingProjectId(uuid::Uuid::now_v7()),
            registration_number: "X".into(),
            name: "X".into(),
            source: FundingSource::Amif,
            eligibility_rule: rule,
            starts_on: from,
            ends_on: to,
            contact_threshold_minutes: 30,
        }
    }

    #[test]
    fn volumes_mix_and_snapshots() {
        let today = d(2026, 11, 22);
        let amif = project(EligibilityRule::AmifDefault, d(2025, 1, 1), d(2027, 12, 31));
        let own = project(EligibilityRule::Open, d(2015, 1, 1), d(2035, 12, 31));
        let clients: Vec<SynthClient> = crate::clients_of(7, "brno", 3_000, today).collect();
        let mut total = 0;
        let mut counted = 0;
        let mut amif_count = 0;
        for (i, c) in clients.iter().enumerate() {
            let v = interventions_of(7, i as u64, c, &amif, &own, today);
            if i == 0 {
                assert_eq!(v.len(), LONG_HISTORY);
            }
            assert_eq!(
                v,
                interventions_of(7, i as u64, c, &amif, &own, today),
                "deterministic"
            );
            for s in &v {
                assert!(s.occurred_on >= c.first_contact_on && s.occurred_on <= today);
                assert_eq!(s.target_office.is_some(), s.kind == "accompaniment");
                if s.project == amif.id.uuid() {
                    amif_count += 1;
                    assert!(s.eligible, "only eligible services are charged to AMIF");
                }
                if s.counts {
                    counted += 1;
                    assert!(s.duration_minutes >= 30);
                }
            }
            total += v.len();
        }
        let mean = (total - LONG_HISTORY) as f64 / (clients.len() - 1) as f64;
        assert!((10.0..16.0).contains(&mean), "mean {mean}");
        assert!(counted * 100 / total > 50, "{counted} of {total}");
        assert!(amif_count > 0);
    }
}
