//! Synthetic data the size of the Czech network, deterministic from a seed,
//! loaded in bulk (COPY on PostgreSQL, multi-row inserts on SQLite).
//!
//! Clients land in the 18 demo centres with realistic skew (Praha far the
//! largest), a nationality mix led by Ukraine, names in the spellings met
//! on documents (diacritics, transliteration variants, feminine forms, a
//! long tail of rarer surnames), residence histories that change over time
//! (temporary protection → special long-term residence, expiring permits),
//! and first contacts with seasons and the 2022 arrivals from Ukraine.
//! Interventions with follow-up tasks ([`services`]), and courses with
//! sessions, enrolments and attendance, and events with registrations
//! ([`courses`]).

pub mod courses;
pub mod data;
mod load;
pub mod services;

use chrono::{Datelike, Duration, NaiveDate};
use integra_clients::ResidenceStatusKind as S;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use load::{BENCH_PASSWORD, LoadReport, PersonKeyFn, load};

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 2,000 clients: loads in a second, for tests.
    Small,
    /// 1,000,000 clients: the whole network.
    National,
}

impl Scale {
    /// Clients across the network.
    pub fn clients(self) -> u64 {
        match self {
            Self::Small => 2_000,
            Self::National => 1_000_000,
        }
    }
    /// Parses `small` or `national`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "small" => Some(Self::Small),
            "national" => Some(Self::National),
            _ => None,
        }
    }
}

/// One residence period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthStatus {
    /// Status.
    pub status: S,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day.
    pub valid_to: Option<NaiveDate>,
    /// Proceedings pending.
    pub pending: bool,
}

/// One generated client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthClient {
    /// Id (UUIDv7 from the first contact and the generator).
    pub id: uuid::Uuid,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Another spelling, for some.
    pub alias: Option<(String, String)>,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// `f` or `m`.
    pub sex: &'static str,
    /// ISO code.
    pub nationality: &'static str,
    /// First contact.
    pub first_contact_on: NaiveDate,
    /// Residence history, oldest first.
    pub statuses: Vec<SynthStatus>,
}

/// How many clients each centre gets (slug, count), summing to the scale.
pub fn centre_sizes(scale: Scale) -> Vec<(&'static str, u64)> {
    let total: u32 = data::CENTRE_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut out: Vec<(&'static str, u64)> = data::CENTRE_WEIGHTS
        .iter()
        .map(|(slug, w)| (*slug, scale.clients() * u64::from(*w) / u64::from(total)))
        .collect();
    let assigned: u64 = out.iter().map(|(_, n)| n).sum();
    if let Some(first) = out.first_mut() {
        first.1 += scale.clients() - assigned;
    }
    out
}

/// The generator of one centre's clients: the same seed and centre give the
/// same clients, whatever else is generated.
pub fn clients_of(
    seed: u64,
    centre: &str,
    count: u64,
    today: NaiveDate,
) -> impl Iterator<Item = SynthClient> {
    let mut rng = centre_rng(seed, centre, 0);
    (0..count).map(move |_| client(&mut rng, today))
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One of `items`, as often as its weight.
pub(crate) fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (v, w) in items {
        if x < *w {
            return *v;
        }
        x -= w;
    }
    items[0].0
}

/// A UUIDv7 for the instant `millis` (Unix milliseconds) with its random
/// part from the stream, so that ids sort by time and repeat with the seed.
pub(crate) fn v7(rng: &mut ChaCha8Rng, millis: i64) -> uuid::Uuid {
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(u64::try_from(millis).unwrap_or(0), &random)
        .into_uuid()
}

/// The generator of a centre's part of the data: the same seed, centre and
/// salt (one per kind of data) give the same stream, whatever else is
/// generated.
pub(crate) fn centre_rng(seed: u64, centre: &str, salt: u64) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in centre.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ h ^ salt)
}

/// A rarer surname made of syllables, in the style of the nationality.
pub fn long_tail_surname(rng: &mut ChaCha8Rng, nationality: &str) -> String {
    let n = rng.random_range(2..=3);
    let mut s: String = (0..n).map(|_| *pick(rng, &data::SYLLABLES)).collect();
    match nationality {
        "UA" => {
            let end = pick::<&str>(rng, &["enko", "uk", "ych", "iak"]);
            s.push_str(end);
        }
        "RU" | "BY" | "KZ" => {
            let end = pick::<&str>(rng, &["ov", "ev", "in"]);
            s.push_str(end);
        }
        _ => {}
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// The first day of the generated years (ten years before `today`).
pub fn first_day(today: NaiveDate) -> NaiveDate {
    today - Duration::days(3650)
}

/// A day in the last ten years with the seasons of a centre's year (quiet
/// summer, busy autumn) and, for Ukrainians, the arrivals of 2022.
fn first_contact(rng: &mut ChaCha8Rng, nationality: &str, today: NaiveDate) -> NaiveDate {
    let start = first_day(today);
    loop {
        let day = start + Duration::days(rng.random_range(0..3650));
        let month_weight = match day.month() {
            7 | 8 => 5,
            9 | 10 => 13,
            12 => 7,
            _ => 10,
        };
        let wave = if nationality == "UA" && day.year() == 2022 {
            3
        } else {
            1
        };
        if rng.random_range(0..13 * 3) < month_weight * wave {
            return day;
        }
    }
}

fn statuses(
    rng: &mut ChaCha8Rng,
    nat: &str,
    first: NaiveDate,
    today: NaiveDate,
) -> Vec<SynthStatus> {
    let years = |y: i64| Duration::days(365 * y);
    let from = first - Duration::days(rng.random_range(30..700));
    let one = |status, to: Option<NaiveDate>| SynthStatus {
        status,
        valid_from: from,
        valid_to: to,
        pending: false,
    };
    match nat {
        "SK" => vec![one(S::EuCitizen, None)],
        "UA" => {
            let tp_from = NaiveDate::from_ymd_opt(2022, 3, 1)
                .unwrap_or(from)
                .max(from);
            match rng.random_range(0..100) {
                0..=54 => {
                    let mut v = vec![SynthStatus {
                        status: S::TemporaryProtection,
                        valid_from: tp_from,
                        valid_to: NaiveDate::from_ymd_opt(2026, 3, 31),
                        pending: false,
                    }];
                    // Since 2025 many moved to special long-term residence.
                    if rng.random_bool(0.35) {
                        v.push(SynthStatus {
                            status: S::SpecialLongTerm,
                            valid_from: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(today),
                            valid_to: NaiveDate::from_ymd_opt(2030, 6, 30),
                            pending: false,
                        });
                    } else if let Some(v0) = v.first_mut() {
                        v0.valid_to = NaiveDate::from_ymd_opt(2027, 3, 31);
                    }
                    v
                }
                55..=74 => vec![one(S::Permanent, None)],
                _ => vec![one(S::LongTermPermit, Some(from + years(2)))],
            }
        }
        "VN" => match rng.random_range(0..100) {
            0..=59 => vec![one(S::Permanent, None)],
            60..=94 => vec![one(
                S::LongTermPermit,
                Some(from + years(rng.random_range(2..=5))),
            )],
            _ => vec![one(S::LongTermVisa, Some(from + Duration::days(365)))],
        },
        _ => match rng.random_range(0..100) {
            0..=44 => {
                // Permits expire; some are extended, some lapse.
                let to = from + years(2);
                let mut v = vec![one(S::LongTermPermit, Some(to))];
                if to < today && rng.random_bool(0.6) {
                    v.push(SynthStatus {
                        status: S::LongTermPermit,
                        valid_from: to + Duration::days(1),
                        valid_to: Some(to + years(2)),
                        pending: false,
                    });
                } else if to < today
                    && rng.random_bool(0.3)
                    && let Some(last) = v.last_mut()
                {
                    last.pending = true;
                }
                v
            }
            45..=69 => vec![one(S::Permanent, None)],
            70..=79 => vec![one(S::LongTermVisa, Some(from + Duration::days(365)))],
            80..=84 => vec![one(S::EuFamilyMember, Some(from + years(5)))],
            85..=89 => vec![SynthStatus {
                pending: true,
                ..one(S::ProtectionApplicant, None)
            }],
            90..=94 => vec![one(S::Asylum, None)],
            95..=97 => vec![one(S::SubsidiaryProtection, Some(from + years(2)))],
            _ => vec![one(S::ShortStay, Some(from + Duration::days(90)))],
        },
    }
}

fn client(rng: &mut ChaCha8Rng, today: NaiveDate) -> SynthClient {
    let nationality = weighted(rng, &data::NATIONALITIES);
    let names = data::names_for(nationality);
    let female = rng.random_bool(0.55);
    let given = if female {
        pick(rng, names.female)
    } else {
        pick(rng, names.male)
    };
    let base = if rng.random_bool(0.3) {
        long_tail_surname(rng, nationality)
    } else {
        (*pick(rng, names.family)).to_owned()
    };
    let family = if female {
        (names.feminine)(&base)
    } else {
        base.clone()
    };
    let alias = rng.random_bool(0.05).then(|| {
        // The same name as another system writes it.
        let alt = given
            .replace("ks", "x")
            .replace("ii", "ij")
            .replace("Yu", "Ju");
        (alt, family.clone())
    });
    let age_days = if rng.random_bool(0.1) {
        rng.random_range(365 * 6..365 * 18)
    } else {
        rng.random_range(365 * 18..365 * 70)
    };
    let birth_date = today - Duration::days(age_days);
    let first_contact_on = first_contact(rng, nationality, today);
    let statuses = statuses(rng, nationality, first_contact_on, today);
    let millis = first_contact_on
        .and_hms_opt(9, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or_default();
    let id = v7(rng, millis);
    SynthClient {
        id,
        given_name: (*given).to_owned(),
        family_name: family,
        alias,
        birth_date,
        sex: if female { "f" } else { "m" },
        nationality,
        first_contact_on,
        statuses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_clients() {
        let a: Vec<_> = clients_of(42, "usti", 500, today()).collect();
        let b: Vec<_> = clients_of(42, "usti", 500, today()).collect();
        assert_eq!(a, b);
        let c: Vec<_> = clients_of(43, "usti", 500, today()).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn distributions_hold() {
        let sizes = centre_sizes(Scale::National);
        assert_eq!(sizes.iter().map(|(_, n)| n).sum::<u64>(), 1_000_000);
        let praha = sizes.iter().find(|(s, _)| *s == "praha").unwrap().1;
        let benesov = sizes.iter().find(|(s, _)| *s == "benesov").unwrap().1;
        assert!(praha > 10 * benesov, "a few centres are much larger");

        let sample: Vec<_> = clients_of(7, "praha", 20_000, today()).collect();
        let share = |nat: &str| {
            sample.iter().filter(|c| c.nationality == nat).count() as f64 / sample.len() as f64
        };
        assert!((0.44..0.50).contains(&share("UA")), "UA {}", share("UA"));
        for other in ["VN", "RU", "SK", "MN"] {
            assert!(share("UA") > 3.0 * share(other), "{other}");
        }
        assert!(sample.iter().all(|c| !c.statuses.is_empty()));
        // Ukrainians moving from temporary protection to special long-term.
        assert!(sample.iter().any(|c| c.statuses.len() == 2
            && c.statuses[0].status == S::TemporaryProtection
            && c.statuses[1].status == S::SpecialLongTerm));
        // Names with diacritics and feminine forms appear.
        assert!(sample.iter().any(|c| c.family_name == "Nguyễn"));
        assert!(sample.iter().any(|c| c.family_name.ends_with("ová")));
        // Autumn is busier than summer.
        let month = |m: u32| {
            sample
                .iter()
                .filter(|c| c.first_contact_on.month() == m)
                .count()
        };
        assert!(month(10) > month(8));
        // Many distinct surnames (a long tail), not a handful.
        let distinct: std::collections::BTreeSet<_> =
            sample.iter().map(|c| c.family_name.as_str()).collect();
        assert!(distinct.len() > 1_000, "{}", distinct.len());
    }
}
