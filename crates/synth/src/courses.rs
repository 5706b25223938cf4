//! Synthetic courses and events of one centre, for its generated clients.
//!
//! One course per 50 clients (20,000 for the national million) and three
//! events per 100 clients (30,000), spread over the ten generated years with
//! the seasons of a centre's year (courses start in autumn and spring,
//! little in summer). Courses follow the mix of a centre's offer: Czech
//! courses at CEFR levels twice a week for twelve weeks, conversation,
//! children's and vocational Czech, sociocultural orientation, and the
//! four-hour adaptation-integration course "Vítejte v ČR" with an
//! interpreter language from the nine of the ministry. Sessions come from
//! an RFC 5545 rule expanded by the courses' own engine (Prague time, public
//! holidays skipped). Each course has a lecturer (the centre's bench
//! lecturers take turns, one course per time slot at a time), enrolled
//! clients who had come to the centre by then (recent arrivals more often),
//! a waitlist for some full courses, withdrawals, attendance for every
//! session that has taken place with each person's own regularity, and
//! entry and exit levels. Events have a kind and audience, public
//! registration with confirmed, waitlisted and cancelled registrations and
//! check-ins (some linked to clients), or a head-count.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use integra_courses::recurrence::{self, Schedule};
use integra_tenants::FundingProject;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::{centre_rng, weighted};

/// A client as the course and event generators need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person {
    /// Client id.
    pub id: Uuid,
    /// First contact with the centre.
    pub first_contact_on: NaiveDate,
}

/// One generated course.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthCourse {
    /// Id (UUIDv7 from the first day).
    pub id: Uuid,
    /// Stored kind name.
    pub kind: &'static str,
    /// CEFR level of a Czech course, otherwise empty.
    pub level: &'static str,
    /// Title.
    pub title: String,
    /// Places.
    pub capacity: i32,
    /// Index of the centre's bench lecturer.
    pub lecturer: usize,
    /// Interpreter language (the adaptation-integration course).
    pub interpreter_language: &'static str,
    /// Project charged.
    pub project: Uuid,
    /// Key activity.
    pub key_activity: &'static str,
    /// Fee in CZK.
    pub fee_czk: Option<i32>,
    /// The recurrence rule.
    pub rule: String,
    /// First day.
    pub first_day: NaiveDate,
    /// Local start time, `HH:MM`.
    pub start_time: &'static str,
    /// Local end time, `HH:MM`.
    pub end_time: &'static str,
    /// Sessions, in order.
    pub sessions: Vec<SynthSession>,
    /// Holidays the rule fell on: (day, holiday).
    pub skipped: Vec<(NaiveDate, String)>,
    /// Enrolments (enrolled, waitlisted, withdrawn).
    pub enrolments: Vec<SynthEnrolment>,
}

/// One session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthSession {
    /// Id.
    pub id: Uuid,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
}

/// One enrolment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthEnrolment {
    /// Id.
    pub id: Uuid,
    /// The client.
    pub client_id: Uuid,
    /// `enrolled`, `waitlisted` or `withdrawn`.
    pub status: &'static str,
    /// Placement level (Czech courses).
    pub entry_level: &'static str,
    /// The placement test's id (Czech courses).
    pub placement_id: Option<Uuid>,
    /// Level at the end (ended Czech courses).
    pub exit_level: &'static str,
    /// When enrolled (or put on the waitlist).
    pub enrolled_at: DateTime<Utc>,
    /// When withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Attendance: (index of the session, mark), for sessions that took
    /// place.
    pub marks: Vec<(usize, &'static str)>,
}

/// One generated event.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthEvent {
    /// Id.
    pub id: Uuid,
    /// Public address part (unique across the network).
    pub slug: String,
    /// Stored kind name.
    pub kind: &'static str,
    /// Stored audience name.
    pub audience: &'static str,
    /// Title.
    pub title: String,
    /// Venue.
    pub venue: &'static str,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Places, for public registration.
    pub capacity: Option<i32>,
    /// Languages, comma-separated.
    pub languages: &'static str,
    /// Project charged.
    pub project: Uuid,
    /// Registrations (public registration), in the order they came.
    pub registrations: Vec<SynthRegistration>,
    /// Head-count per audience (events without registration).
    pub headcount: Option<i32>,
}

/// One public registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthRegistration {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Email (unique per event).
    pub email: String,
    /// Language of the emails (`cs` or `en`).
    pub language: &'static str,
    /// `confirmed`, `waitlisted` or `cancelled`.
    pub status: &'static str,
    /// Check-in code (unique per event).
    pub code: String,
    /// Hash of the cancel link's token (unique across the network).
    pub cancel_token_hash: String,
    /// Linked client.
    pub client_id: Option<Uuid>,
    /// Registered at.
    pub created_at: DateTime<Utc>,
    /// Checked in at.
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// Courses for a centre of `clients` clients.
pub fn course_count(clients: u64) -> u64 {
    clients / 50
}

/// Events for a centre of `clients` clients.
pub fn event_count(clients: u64) -> u64 {
    clients * 3 / 100
}

/// Bench lecturers of a centre of `clients` clients.
pub fn lecturer_count(clients: u64) -> usize {
    usize::try_from(clients / 4_000)
        .unwrap_or(usize::MAX)
        .max(2)
}

struct Kind {
    kind: &'static str,
    weight: u32,
    title: &'static str,
    /// The times a course of the kind can take: (days of the week as in
    /// the rule, local start, local end), the usual first.
    slots: &'static [(&'static str, &'static str, &'static str)],
    sessions: u32,
    capacity: (i32, i32),
    key_activity: &'static str,
}

const KINDS: [Kind; 6] = [
    Kind {
        kind: "czech_language",
        weight: 55,
        title: "Čeština",
        slots: &[
            ("MO,WE", "17:00", "18:30"),
            ("TU,TH", "17:00", "18:30"),
            ("MO,WE", "09:00", "10:30"),
            ("TU,TH", "09:00", "10:30"),
        ],
        sessions: 24,
        capacity: (12, 16),
        key_activity: "KA2 Kurzy českého jazyka",
    },
    Kind {
        kind: "conversation",
        weight: 8,
        title: "Konverzace v češtině",
        slots: &[("TH", "18:00", "19:00"), ("FR", "10:00", "11:00")],
        sessions: 10,
        capacity: (8, 12),
        key_activity: "KA2 Kurzy českého jazyka",
    },
    Kind {
        kind: "children",
        weight: 7,
        title: "Čeština pro děti",
        slots: &[("WE", "15:00", "16:00"), ("FR", "15:00", "16:00")],
        sessions: 15,
        capacity: (8, 12),
        key_activity: "KA2 Kurzy českého jazyka",
    },
    Kind {
        kind: "vocational_czech",
        weight: 5,
        title: "Čeština pro práci",
        slots: &[("TU,TH", "16:30", "18:00"), ("MO,WE", "11:00", "12:30")],
        sessions: 16,
        capacity: (10, 14),
        key_activity: "KA2 Kurzy českého jazyka",
    },
    Kind {
        kind: "sociocultural",
        weight: 10,
        title: "Život v Česku",
        slots: &[("TU", "17:00", "19:00"), ("FR", "13:00", "15:00")],
        sessions: 4,
        capacity: (15, 25),
        key_activity: "KA3 Sociokulturní kurzy",
    },
    Kind {
        kind: "adaptation_integration",
        weight: 15,
        title: "Vítejte v ČR",
        slots: &[("SA", "09:00", "13:00"), ("SA", "13:30", "17:30")],
        sessions: 1,
        capacity: (20, 30),
        key_activity: "KA3 Adaptačně-integrační kurzy",
    },
];

const LEVELS: [(&str, u32); 5] = [("A0", 30), ("A1", 30), ("A2", 22), ("B1", 13), ("B2", 5)];
const LEVEL_ORDER: [&str; 6] = ["A0", "A1", "A2", "B1", "B2", "C1"];
const AIK_LANGUAGES: [(&str, u32); 9] = [
    ("uk", 40),
    ("ru", 15),
    ("vi", 10),
    ("en", 12),
    ("mn", 5),
    ("ar", 5),
    ("es", 5),
    ("fr", 4),
    ("sr", 4),
];
fn v7(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    crate::v7(rng, at.timestamp_millis())
}
/// A start day in the generated years: courses start mostly in September,
/// October, February and March, little in summer.
fn start_day(rng: &mut ChaCha8Rng, first: NaiveDate, today: NaiveDate) -> NaiveDate {
    let span = (today + Duration::days(60) - first).num_days().max(1);
    loop {
        let day = first + Duration::days(rng.random_range(0..span));
        let weight = match day.month() {
            9 | 10 | 2 | 3 => 10,
            7 | 8 => 1,
            12 => 2,
            _ => 5,
        };
        if rng.random_range(0..10) < weight {
            return day;
        }
    }
}

/// A lecturer's weekday taken from one minute to another until a day.
type Taken = (u32, u32, NaiveDate);

/// Minutes after midnight of `HH:MM`.
fn minutes(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').unwrap_or(("0", "0"));
    h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
}

/// The first day on or after `day` that falls on `weekday`.
fn on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    day + Duration::days(i64::from(ahead))
}

fn weekday_of(code: &str) -> Weekday {
    match code {
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => Weekday::Mon,
    }
}

/// Picks `n` distinct people from `pool` (sorted by first contact) who had
/// come by `day`, recent arrivals three times as often.
fn pick_people(rng: &mut ChaCha8Rng, pool: &[Person], day: NaiveDate, n: usize) -> Vec<Person> {
    let came = pool.partition_point(|p| p.first_contact_on <= day);
    if came == 0 {
        return Vec::new();
    }
    let recent = pool.partition_point(|p| p.first_contact_on < day - Duration::days(730));
    let mut out: Vec<Person> = Vec::with_capacity(n);
    let mut tries = 0;
    while out.len() < n.min(came) && tries < n * 20 {
        tries += 1;
        let i = if recent < came && rng.random_range(0..4) < 3 {
            rng.random_range(recent..came)
        } else {
            rng.random_range(0..came)
        };
        let p = pool[i];
        if !out.iter().any(|o| o.id == p.id) {
            out.push(p);
        }
    }
    out
}

fn project_on(day: NaiveDate, amif: &FundingProject, own: &FundingProject) -> Uuid {
    if day >= amif.starts_on && day <= amif.ends_on {
        amif.id.uuid()
    } else {
        own.id.uuid()
    }
}

/// The courses of a centre. `people` are its clients sorted by first
/// contact; `lecturers` the number of bench lecturers.
#[allow(
    clippy::too_many_arguments,
    reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
)]
pub fn courses_of(
    seed: u64,
    centre: &str,
    count: u64,
    people: &[Person],
    lecturers: usize,
    amif: &FundingProject,
    own: &FundingProject,
    now: DateTime<Utc>,
) -> Vec<SynthCourse> {
    let today = now.date_naive();
    let first = crate::first_day(today);
    let mut rng = centre_rng(seed, centre, 0xc0_75e5);
    let weights: Vec<(usize, u32)> = KINDS
        .iter()
        .enumerate()
        .map(|(i, k)| (i, k.weight))
        .collect();
    // What each course is and when it would like to start, then the
    // lecturers and days assigned in the order the courses start.
    let mut wishes: Vec<(NaiveDate, usize, &'static str, &'static str)> = (0..count)
        .map(|_| {
            let kind = weighted(&mut rng, &weights);
            let wanted = start_day(&mut rng, first, today);
            let level = if KINDS[kind].kind == "czech_language" {
                weighted(&mut rng, &LEVELS)
            } else {
                ""
            };
            let language = if KINDS[kind].kind == "adaptation_integration" {
                weighted(&mut rng, &AIK_LANGUAGES)
            } else {
                ""
            };
            (wanted, kind, level, language)
        })
        .collect();
    wishes.sort_by_key(|w| w.0);
    // (lecturer, weekday) -> (start minute, end minute, last day taken).
    let mut busy: HashMap<(usize, Weekday), Vec<Taken>> = HashMap::new();
    let mut out = Vec::new();
    for (n, (wanted, kind, level, interpreter_language)) in wishes.into_iter().enumerate() {
        let k = &KINDS[kind];
        // A lecturer free at one of the kind's times for the course's
        // weeks: the lecturers take turns, and a course waits up to eight
        // weeks for one.
        let free = |lecturer: usize, (days, from, to): (&str, u32, u32), start: NaiveDate| {
            days.split(',').all(|d| {
                busy.get(&(lecturer, weekday_of(d))).is_none_or(|taken| {
                    taken
                        .iter()
                        .all(|(f, t, last)| *t <= from || *f >= to || *last < start)
                })
            })
        };
        let mut chosen = None;
        'search: for shift in 0..8 {
            let start = wanted + Duration::days(7 * shift);
            for offset in 0..lecturers {
                let lecturer = (n + offset) % lecturers;
                for slot in k.slots {
                    if free(lecturer, (slot.0, minutes(slot.1), minutes(slot.2)), start) {
                        chosen = Some((lecturer, *slot, start));
                        break 'search;
                    }
                }
            }
        }
        let (lecturer, (days, start_hm, end_hm), start) =
            chosen.unwrap_or((n % lecturers, k.slots[0], wanted));
        let (from, to) = (minutes(start_hm), minutes(end_hm));
        let weeks = i64::from(k.sessions.div_ceil(if days.contains(',') { 2 } else { 1 })) + 2;
        let first_weekday = weekday_of(days.split(',').next().unwrap_or("MO"));
        let mut first_day = on_or_after(start, first_weekday);
        let rule = format!("FREQ=WEEKLY;BYDAY={days};COUNT={}", k.sessions);
        let start_time = NaiveTime::parse_from_str(start_hm, "%H:%M").unwrap_or_default();
        let end_time = NaiveTime::parse_from_str(end_hm, "%H:%M").unwrap_or_default();
        // A one-day course set on a public holiday moves a week on.
        let (occurrences, skipped) = loop {
            let schedule = Schedule {
                rule: rule.clone(),
                first_day,
                start_time,
                end_time,
            };
            if integra_courses::holidays::holiday(first_day).is_some() && k.sessions == 1 {
                first_day += Duration::days(7);
                continue;
            }
            break recurrence::expand(&schedule).unwrap_or_default();
        };
        let Some(first_at) = occurrences.first().map(|o| o.starts_at) else {
            continue;
        };
        for d in days.split(',') {
            let taken = busy.entry((lecturer, weekday_of(d))).or_default();
            taken.retain(|(_, _, last)| *last >= wanted);
            taken.push((from, to, first_day + Duration::days(7 * weeks)));
        }
        let created = first_at - Duration::days(30);
        let id = v7(&mut rng, created);
        let sessions: Vec<SynthSession> = occurrences
            .iter()
            .map(|o| SynthSession {
                id: v7(&mut rng, o.starts_at),
                starts_at: o.starts_at,
                ends_at: o.ends_at,
            })
            .collect();
        let capacity = rng.random_range(k.capacity.0..=k.capacity.1);
        let ended = sessions.last().is_some_and(|s| s.starts_at <= now);
        let enrolments = enrolments_of(
            &mut rng, people, &sessions, capacity, level, ended, created, first_day, now,
        );
        let title = match (level, interpreter_language) {
            ("", "") => format!("{} {}", k.title, first_day.format("%-m/%Y")),
            ("", lang) => format!("{} ({lang}) {}", k.title, first_day.format("%-d. %-m. %Y")),
            (level, _) => format!("{} {level} {}", k.title, first_day.format("%-m/%Y")),
        };
        out.push(SynthCourse {
            id,
            kind: k.kind,
            level,
            title,
            capacity,
            lecturer,
            interpreter_language,
            project: project_on(first_day, amif, own),
            key_activity: k.key_activity,
            fee_czk: (k.kind == "adaptation_integration").then_some(1_500),
            rule,
            first_day,
            start_time: start_hm,
            end_time: end_hm,
            sessions,
            skipped: skipped.into_iter().map(|s| (s.day, s.reason)).collect(),
            enrolments,
        });
    }
    out
}

#[allow(
    clippy::too_many_arguments,
    reason = "each argument is a separate input of one step; grouping them waits for the typed edges of issue 32"
)]
fn enrolments_of(
    rng: &mut ChaCha8Rng,
    people: &[Person],
    sessions: &[SynthSession],
    capacity: i32,
    level: &'static str,
    ended: bool,
    created: DateTime<Utc>,
    first_day: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<SynthEnrolment> {
    let cap = usize::try_from(capacity).unwrap_or(0);
    // Most courses fill; some have a waitlist, some places stay empty.
    let wanted = (cap * rng.random_range(70..=120) / 100).max(1);
    let chosen = pick_people(rng, people, first_day, wanted);
    let mut out = Vec::with_capacity(chosen.len());
    let mut enrolled = 0;
    for (i, p) in chosen.into_iter().enumerate() {
        let at = created + Duration::hours(i64::try_from(i).unwrap_or(0) * 7 + 1);
        if at > now {
            break;
        }
        let id = v7(rng, at);
        let placement_id = (!level.is_empty()).then(|| v7(rng, at - Duration::days(7)));
        if enrolled >= cap {
            out.push(SynthEnrolment {
                id,
                client_id: p.id,
                status: "waitlisted",
                entry_level: level,
                placement_id,
                exit_level: "",
                enrolled_at: at,
                withdrawn_at: None,
                marks: Vec::new(),
            });
            continue;
        }
        enrolled += 1;
        // Each person comes with their own regularity; some stop coming
        // and a few withdraw.
        let regular: f64 = rng.random_range(0.45..1.0);
        let withdraws = rng.random_range(0..100) < 5;
        let mut marks = Vec::new();
        let mut withdrawn_at = None;
        for (si, s) in sessions.iter().enumerate() {
            if s.starts_at > now {
                break;
            }
            if withdraws && si * 3 >= sessions.len() {
                withdrawn_at = Some(s.starts_at - Duration::days(1));
                break;
            }
            let x: f64 = rng.random_range(0.0..1.0);
            let mark = if x < regular * 0.92 {
                "present"
            } else if x < regular {
                "late"
            } else if x < regular + (1.0 - regular) * 0.4 {
                "excused"
            } else {
                "absent"
            };
            marks.push((si, mark));
        }
        let exit_level = if ended && !level.is_empty() && withdrawn_at.is_none() {
            let attended = marks
                .iter()
                .filter(|(_, m)| matches!(*m, "present" | "late"))
                .count();
            let rank = LEVEL_ORDER.iter().position(|l| *l == level).unwrap_or(0);
            let gained = attended * 10 >= sessions.len() * 8 && rng.random_range(0..100) < 60;
            LEVEL_ORDER[if gained { rank + 1 } else { rank }.min(LEVEL_ORDER.len() - 1)]
        } else {
            ""
        };
        out.push(SynthEnrolment {
            id,
            client_id: p.id,
            status: if withdrawn_at.is_some() {
                "withdrawn"
            } else {
                "enrolled"
            },
            entry_level: level,
            placement_id,
            exit_level,
            enrolled_at: at,
            withdrawn_at,
            marks,
        });
    }
    out
}

struct EventKind {
    kind: &'static str,
    weight: u32,
    audience: &'static str,
    titles: &'static [&'static str],
    hours: i64,
    public: u32,
}

const EVENT_KINDS: [EventKind; 8] = [
    EventKind {
        kind: "lecture_for_foreigners",
        weight: 30,
        audience: "third_country_nationals",
        titles: &[
            "Jak na pobyt v Česku",
            "Zdravotní pojištění",
            "Práce a pracovní smlouvy",
            "Bydlení a nájem",
            "Škola a školka",
            "Daně a přiznání",
        ],
        hours: 2,
        public: 80,
    },
    EventKind {
        kind: "lecture_for_public",
        weight: 10,
        audience: "majority_society",
        titles: &[
            "Cizinci v našem kraji",
            "Migrace v číslech",
            "Ukrajina dnes",
        ],
        hours: 2,
        public: 60,
    },
    EventKind {
        kind: "multicultural",
        weight: 18,
        audience: "majority_society",
        titles: &[
            "Den Ukrajiny",
            "Vietnamský Nový rok Tết",
            "Festival sousedů",
            "Ochutnávka kuchyní světa",
        ],
        hours: 4,
        public: 30,
    },
    EventKind {
        kind: "school_talk",
        weight: 14,
        audience: "majority_society",
        titles: &["Beseda na škole: Kdo jsou cizinci", "Spolužák odjinud"],
        hours: 2,
        public: 0,
    },
    EventKind {
        kind: "training_for_officials",
        weight: 8,
        audience: "officials",
        titles: &["Interkulturní komunikace na úřadě", "Práce s tlumočníkem"],
        hours: 4,
        public: 70,
    },
    EventKind {
        kind: "training_for_employers",
        weight: 7,
        audience: "officials",
        titles: &["Zaměstnávání cizinců", "Karta zaměstnance v praxi"],
        hours: 3,
        public: 70,
    },
    EventKind {
        kind: "regional_platform",
        weight: 5,
        audience: "officials",
        titles: &["Regionální platforma"],
        hours: 3,
        public: 50,
    },
    EventKind {
        kind: "information_campaign",
        weight: 8,
        audience: "third_country_nationals",
        titles: &["Informační kampaň: nové povinnosti", "Kampaň k pojištění"],
        hours: 6,
        public: 0,
    },
];

const VENUES: [&str; 5] = [
    "Integrační centrum, velký sál",
    "Městská knihovna",
    "Kulturní dům",
    "Krajský úřad, zasedací místnost",
    "Základní škola",
];

const GIVEN: [&str; 12] = [
    "Olena",
    "Iryna",
    "Oleksandr",
    "Andrii",
    "Lan",
    "Minh",
    "Jana",
    "Petr",
    "Tereza",
    "Bat",
    "Maria",
    "Sergei",
];
const FAMILY: [&str; 12] = [
    "Kovalenko",
    "Shevchenko",
    "Bondarenko",
    "Nguyen",
    "Tran",
    "Novák",
    "Svobodová",
    "Dvořák",
    "Batbayar",
    "Ivanova",
    "Popescu",
    "Horváth",
];

/// A check-in code as the events' own (`readable_code`), from the stream.
fn readable(rng: &mut ChaCha8Rng, len: usize) -> String {
    let alphabet = integra_tenants::auth::READABLE_ALPHABET;
    (0..len)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}
fn hex(rng: &mut ChaCha8Rng, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rng.fill(&mut buf[..]);
    hex::encode(buf)
}
/// The events of a centre. `people` are its clients sorted by first
/// contact.
pub fn events_of(
    seed: u64,
    centre: &str,
    count: u64,
    people: &[Person],
    amif: &FundingProject,
    own: &FundingProject,
    now: DateTime<Utc>,
) -> Vec<SynthEvent> {
    let today = now.date_naive();
    let first = crate::first_day(today);
    let mut rng = centre_rng(seed, centre, 0xe7_e475);
    let weights: Vec<(usize, u32)> = EVENT_KINDS
        .iter()
        .enumerate()
        .map(|(i, k)| (i, k.weight))
        .collect();
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for _ in 0..count {
        let k = &EVENT_KINDS[weighted(&mut rng, &weights)];
        let day = start_day(&mut rng, first, today);
        let hour = if k.kind == "school_talk" {
            9
        } else {
            rng.random_range(14..18)
        };
        let Ok(starts_at) =
            recurrence::at(day, NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
        else {
            continue;
        };
        let ends_at = starts_at + Duration::hours(k.hours);
        let title = k.titles[rng.random_range(0..k.titles.len())].to_owned();
        let id = v7(&mut rng, starts_at - Duration::days(30));
        let suffix = hex(&mut rng, 4);
        let slug = format!("{}-{suffix}", integra_events::service::slug_words(&title));
        let public = rng.random_range(0..100) < k.public;
        let mut registrations = Vec::new();
        let mut capacity = None;
        let mut headcount = None;
        if public {
            let cap = rng.random_range(2..=10) * 10;
            capacity = Some(cap);
            let cap = usize::try_from(cap).unwrap_or(0);
            let wanted = cap * rng.random_range(40..=115) / 100;
            let opens = starts_at - Duration::days(21);
            let past = ends_at <= now;
            let mut confirmed = 0;
            let linked_share = if k.audience == "third_country_nationals" {
                35
            } else {
                0
            };
            let candidates = if linked_share > 0 {
                pick_people(&mut rng, people, day, wanted * linked_share / 100 + 1)
            } else {
                Vec::new()
            };
            let mut candidates = candidates.into_iter();
            for i in 0..wanted {
                let created_at = opens
                    + Duration::minutes(i64::try_from(i).unwrap_or(0) * rng.random_range(20..600));
                if created_at > now || created_at >= starts_at {
                    break;
                }
                let client_id = if rng.random_range(0..100) < linked_share {
                    candidates.next().map(|p| p.id)
                } else {
                    None
                };
                let cancelled = rng.random_range(0..100) < 6;
                let status = if cancelled {
                    "cancelled"
                } else if confirmed < cap {
                    confirmed += 1;
                    "confirmed"
                } else {
                    "waitlisted"
                };
                let checked_in_at =
                    (past && status == "confirmed" && rng.random_range(0..100) < 78)
                        .then(|| starts_at + Duration::minutes(rng.random_range(-15..20)));
                let given = GIVEN[rng.random_range(0..GIVEN.len())];
                let family = FAMILY[rng.random_range(0..FAMILY.len())];
                registrations.push(SynthRegistration {
                    id: v7(&mut rng, created_at),
                    name: format!("{given} {family}"),
                    email: format!("r{i}.{suffix}@example.org"),
                    // The languages of the emails (Czech, English).
                    language: if rng.random_range(0..10) < 7 {
                        "cs"
                    } else {
                        "en"
                    },
                    status,
                    code: format!("{}{i:03}", readable(&mut rng, 5)),
                    cancel_token_hash: hex(&mut rng, 32),
                    client_id,
                    created_at,
                    checked_in_at,
                });
            }
        } else if ends_at <= now {
            headcount = Some(rng.random_range(8..120));
        }
        out.push(SynthEvent {
            id,
            slug,
            kind: k.kind,
            audience: k.audience,
            title,
            venue: VENUES[rng.random_range(0..VENUES.len())],
            starts_at,
            ends_at,
            capacity,
            languages: if k.audience == "third_country_nationals" {
                "cs,uk,ru"
            } else {
                "cs"
            },
            project: project_on(day, amif, own),
            registrations,
            headcount,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use integra_kernel::FundingProjectId;
    use integra_tenants::{EligibilityRule, FundingSource};
    use std::collections::{HashMap, HashSet};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn project(from: NaiveDate, to: NaiveDate) -> FundingProject {
        FundingProject {
            id: FundingProjectId(Uuid::now_v7()),
            registration_number: "X".into(),
            name: "X".into(),
            source: FundingSource::Amif,
            eligibility_rule: EligibilityRule::AmifDefault,
            starts_on: from,
            ends_on: to,
            contact_threshold_minutes: 30,
        }
    }

    fn people(n: u64, today: NaiveDate) -> Vec<Person> {
        let mut v: Vec<Person> = crate::clients_of(5, "brno", n, today)
            .map(|c| Person {
                id: c.id,
                first_contact_on: c.first_contact_on,
            })
            .collect();
        v.sort_by_key(|p| (p.first_contact_on, p.id));
        v
    }

    #[test]
    fn courses_are_deterministic_and_plausible() {
        let now = d(2026, 11, 22).and_hms_opt(12, 0, 0).unwrap().and_utc();
        let today = now.date_naive();
        let pool = people(20_000, today);
        let amif = project(d(2025, 1, 1), d(2027, 12, 31));
        let own = project(d(2015, 1, 1), d(2035, 12, 31));
        let lecturers = lecturer_count(20_000);
        let a = courses_of(
            9,
            "brno",
            course_count(20_000),
            &pool,
            lecturers,
            &amif,
            &own,
            now,
        );
        let b = courses_of(
            9,
            "brno",
            course_count(20_000),
            &pool,
            lecturers,
            &amif,
            &own,
            now,
        );
        assert_eq!(a, b, "same seed, same courses");
        assert_eq!(a.len(), 400);
        let came: HashMap<Uuid, NaiveDate> =
            pool.iter().map(|p| (p.id, p.first_contact_on)).collect();
        let share = |kind: &str| a.iter().filter(|c| c.kind == kind).count() * 100 / a.len();
        assert!(
            (45..65).contains(&share("czech_language")),
            "{}",
            share("czech_language")
        );
        assert!((8..22).contains(&share("adaptation_integration")));
        type Spans = Vec<(DateTime<Utc>, DateTime<Utc>)>;
        let mut taught: HashMap<usize, Spans> = HashMap::new();
        for c in &a {
            let enrolled = c
                .enrolments
                .iter()
                .filter(|e| e.status == "enrolled")
                .count();
            assert!(
                enrolled <= usize::try_from(c.capacity).unwrap(),
                "{}",
                c.title
            );
            assert!(!c.sessions.is_empty());
            for s in c.sessions.windows(2) {
                assert!(s[0].starts_at < s[1].starts_at);
            }
            // Sessions skip public holidays, which are listed.
            for s in &c.sessions {
                let day = s
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Prague)
                    .date_naive();
                assert!(integra_courses::holidays::holiday(day).is_none(), "{day}");
                taught
                    .entry(c.lecturer)
                    .or_default()
                    .push((s.starts_at, s.ends_at));
            }
            if c.kind == "adaptation_integration" {
                assert_eq!(c.sessions.len(), 1);
                assert!(
                    AIK_LANGUAGES
                        .iter()
                        .any(|(l, _)| *l == c.interpreter_language)
                );
                assert_eq!(c.fee_czk, Some(1_500));
            }
            let mut seen = HashSet::new();
            for e in &c.enrolments {
                assert!(seen.insert(e.client_id), "enrolled once per course");
                assert!(came[&e.client_id] <= c.first_day, "came before the course");
                assert_eq!(e.placement_id.is_some(), !c.level.is_empty());
                for (si, _) in &e.marks {
                    assert!(
                        c.sessions[*si].starts_at <= now,
                        "marks only for past sessions"
                    );
                }
                if e.status == "waitlisted" {
                    assert!(e.marks.is_empty());
                }
            }
        }
        // A lecturer teaches one class at a time (nearly always: a course
        // waits up to eight weeks for a free lecturer).
        let (mut sessions, mut double) = (0, 0);
        for list in taught.values_mut() {
            list.sort();
            sessions += list.len();
            double += list.windows(2).filter(|w| w[1].0 < w[0].1).count();
        }
        assert!(double * 200 < sessions, "{double} of {sessions} overlap");
        // Past language courses have attendance and some level gains.
        let marks: usize = a
            .iter()
            .flat_map(|c| &c.enrolments)
            .map(|e| e.marks.len())
            .sum();
        assert!(marks > 10_000, "{marks}");
        assert!(
            a.iter()
                .flat_map(|c| &c.enrolments)
                .any(|e| { !e.exit_level.is_empty() && e.exit_level != e.entry_level })
        );
        assert!(
            a.iter().any(|c| !c.skipped.is_empty()),
            "some courses skip a holiday"
        );
    }

    #[test]
    fn events_are_deterministic_and_plausible() {
        let now = d(2026, 11, 22).and_hms_opt(12, 0, 0).unwrap().and_utc();
        let pool = people(20_000, now.date_naive());
        let amif = project(d(2025, 1, 1), d(2027, 12, 31));
        let own = project(d(2015, 1, 1), d(2035, 12, 31));
        let a = events_of(9, "brno", event_count(20_000), &pool, &amif, &own, now);
        assert_eq!(
            a,
            events_of(9, "brno", event_count(20_000), &pool, &amif, &own, now)
        );
        assert_eq!(a.len(), 600);
        let slugs: HashSet<&str> = a.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs.len(), a.len(), "slugs unique");
        let mut hashes = HashSet::new();
        let mut linked = 0;
        for e in &a {
            let confirmed = e
                .registrations
                .iter()
                .filter(|r| r.status == "confirmed")
                .count();
            if let Some(cap) = e.capacity {
                assert!(confirmed <= usize::try_from(cap).unwrap());
                assert!(e.headcount.is_none());
            } else {
                assert!(e.registrations.is_empty());
            }
            let emails: HashSet<&str> = e.registrations.iter().map(|r| r.email.as_str()).collect();
            assert_eq!(emails.len(), e.registrations.len());
            let codes: HashSet<&str> = e.registrations.iter().map(|r| r.code.as_str()).collect();
            assert_eq!(codes.len(), e.registrations.len());
            for r in &e.registrations {
                assert!(hashes.insert(r.cancel_token_hash.clone()));
                assert!(r.created_at < e.starts_at && r.created_at <= now);
                if r.checked_in_at.is_some() {
                    assert_eq!(r.status, "confirmed");
                    assert!(e.ends_at <= now);
                }
                if r.client_id.is_some() {
                    linked += 1;
                    assert_eq!(e.audience, "third_country_nationals");
                }
            }
        }
        assert!(linked > 100, "{linked}");
        assert!(a.iter().any(|e| e.headcount.is_some()));
        let kinds: HashSet<&str> = a.iter().map(|e| e.kind).collect();
        assert_eq!(kinds.len(), EVENT_KINDS.len());
    }
}
