//! `integra-bench`: load scenarios against a running Integra.

// The schema's roots merge each context's parts, themselves merged per
// module (`integra_gateway::graphql`): the futures' types nest deeper than
// the default limit when the release build lays them out here.
#![recursion_limit = "256"]

mod mail;
mod replay;

use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

/// Runs a scenario and prints its figures.
#[derive(Parser, Debug)]
#[command(name = "integra-bench", about)]
struct Args {
    /// Scenario: `viewer`, `search` (a surname typed with a typo, as in the
    /// synthetic data), `register` (a new client, searched first), `import`
    /// (a spreadsheet of `--rows` new synthetic clients: dry run, then the
    /// import skipping rejected rows; one request each), `detail` (a client
    /// with their 20 latest interventions), `timeline` (the client with the
    /// longest history, 100 entries a page), `record` (an intervention for
    /// a client), `tasks` (my open tasks), `mail` (staff invitations, each
    /// an email: the delay from commit to the SMTP server's acceptance,
    /// with the bench as the SMTP server on `--smtp-port`), `event` (public
    /// registrations, without signing in, into one new event of
    /// `--capacity` places; afterwards the places taken are checked
    /// against the capacity), `ministry` (the ministry dashboard's table of
    /// every centre for an ended period of last year), `centre-year` (one
    /// centre's interventions and hours by kind for a period of last year;
    /// sign in as a centre admin), `export` (last year's ministry table as
    /// XLSX), `week` (a lecturer's own timetable of one week of the last
    /// year; sign in as lecturers with `{n}` in `--email`), `schedule` (the
    /// clash check of a new 24-session course for one of the centre's
    /// lecturers, starting in a week of the last year; sign in as a centre
    /// admin), `attendance` (a whole session's attendance, 30 marks, each
    /// concurrent client on its own course made before the clock starts; a
    /// centre admin).
    scenario: String,
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Sign in as. A `{n}` in it is replaced by 1 to `--accounts`, one
    /// account per concurrent client in turn (`bench.lecturer{n}.praha@…`).
    #[arg(long, default_value = "admin.usti@example.org")]
    email: String,
    /// How many accounts `{n}` in `--email` runs through.
    #[arg(long, default_value_t = 1)]
    accounts: usize,
    /// Password.
    #[arg(long, default_value = "integra-demo")]
    password: String,
    /// Total requests.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    /// Concurrent clients (each with its own session).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Process id of the server (on this machine): its peak memory (VmHWM)
    /// is printed with the figures.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Rows of the `import` scenario's spreadsheet.
    #[arg(long, default_value_t = 10_000)]
    rows: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// PostgreSQL URL: finds the longest client history for `timeline`, and
    /// with `--direct` runs the scenario's SQL directly.
    #[arg(long)]
    database_url: Option<String>,
    /// Also run the scenario's own SQL directly against `--database-url` at
    /// the same concurrency, and print the ratio.
    #[arg(long)]
    direct: bool,
    /// `mail`: requests per second in all (open loop); unlimited if unset.
    #[arg(long)]
    rate: Option<f64>,
    /// Port of the SMTP server the `mail` scenario runs on 127.0.0.1.
    #[arg(long, default_value_t = 2525)]
    smtp_port: u16,
    /// Places of the `event` scenario's event (the rest is waitlisted).
    #[arg(long, default_value_t = 1000)]
    capacity: usize,
}

#[derive(Clone, Copy)]
struct Sample {
    micros: u64,
    ok: bool,
    /// When the response arrived (the request's transaction had committed).
    done_at: chrono::DateTime<chrono::Utc>,
    /// The request's client and number.
    k: usize,
    n: usize,
}

/// The account concurrent client `k` signs in as.
fn account(args: &Args, k: usize) -> String {
    args.email
        .replace("{n}", &(k % args.accounts.max(1) + 1).to_string())
}

async fn sign_in(args: &Args, k: usize) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let body = json!({
        "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
        "variables": {"e": account(args, k), "p": args.password},
    });
    let resp: Value = client
        .post(format!("{}/graphql", args.url))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if resp.get("errors").is_some() {
        return Err(format!("sign-in failed: {resp}"));
    }
    Ok(client)
}

const SCENARIOS: [&str; 16] = [
    "viewer",
    "search",
    "register",
    "import",
    "detail",
    "timeline",
    "record",
    "tasks",
    "mail",
    "event",
    "ministry",
    "centre-year",
    "export",
    "week",
    "schedule",
    "attendance",
];

/// Periods the reporting scenarios cycle through, so that no answer is the
/// same twice in a row.
const PERIODS: [&str; 17] = [
    "Y", "Q1", "Q2", "Q3", "Q4", "M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09",
    "M10", "M11", "M12",
];

/// What the counselling scenarios work on, found before the clock starts.
#[derive(Clone, Default)]
struct Setup {
    /// Client ids of the signed-in user's centre.
    clients: Vec<String>,
    /// The client with the longest history.
    long_client: String,
    /// The centre's current AMIF project.
    project: String,
    /// The centre (to find the longest history).
    centre: String,
    /// The `event` scenario's event: id and public slug.
    event: String,
    event_slug: String,
    /// The centre's lecturers (`schedule`).
    lecturers: Vec<String>,
    /// The `attendance` scenario's courses (one per concurrent client, as
    /// each lecturer takes their own class's): the sessions that have
    /// started, and the enrolments.
    attendance: Vec<(Vec<String>, Vec<String>)>,
}

/// Whether a GraphQL request came back 2xx without errors.
async fn succeeded(sent: Result<reqwest::Response, reqwest::Error>) -> bool {
    match sent {
        Ok(r) if r.status().is_success() => r
            .bytes()
            .await
            .map(|b| !b.windows(9).any(|w| w == b"\"errors\":"))
            .unwrap_or(false),
        _ => false,
    }
}

/// Per-kind id scalars and the `Period` enum, which servers from before
/// issue 32 call `ID` and `String`.
const TYPED_SINCE_ISSUE_32: [(&str, &str); 8] = [
    (": ClientId", ": ID"),
    (": CourseId", ": ID"),
    (": SessionId", ": ID"),
    (": EventId", ": ID"),
    (": UserId", ": ID"),
    (": [UserId", ": [ID"),
    (": BranchId", ": ID"),
    (": Period", ": String"),
];

/// A request body as the server under test reads it: with
/// `INTEGRA_BENCH_UNTYPED_IDS=1` (an A/B against a server from before
/// issue 32) the variables are declared with the older, untyped scalars.
fn compat(body: String) -> String {
    static UNTYPED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*UNTYPED.get_or_init(|| std::env::var_os("INTEGRA_BENCH_UNTYPED_IDS").is_some()) {
        return body;
    }
    TYPED_SINCE_ISSUE_32
        .iter()
        .fold(body, |b, (typed, untyped)| b.replace(typed, untyped))
}

async fn gql(client: &reqwest::Client, url: &str, body: Value) -> Result<Value, String> {
    let body: Value = serde_json::from_str(&compat(body.to_string())).map_err(|e| e.to_string())?;
    let v: Value = client
        .post(format!("{url}/graphql"))
        .header("x-integra-csrf", "1")
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if v.get("errors").is_some() {
        return Err(format!("setup query failed: {v}"));
    }
    Ok(v)
}

async fn setup(args: &Args, client: &reqwest::Client) -> Result<Setup, String> {
    let mut out = Setup::default();
    if args.scenario == "event" {
        let starts = chrono::Utc::now() + chrono::Duration::days(14);
        let v = gql(
            client,
            &args.url,
            json!({"query": "mutation($i: EventInput!) { createEvent(input: $i) { id slug } }",
                   "variables": {"i": {"kind": "MULTICULTURAL", "audience": "MAJORITY_SOCIETY",
                     "title": "Benchmark festival", "venue": "Mírové náměstí",
                     "startsAt": starts, "endsAt": starts + chrono::Duration::hours(4),
                     "capacity": args.capacity, "publicRegistration": true,
                     "languages": ["cs", "uk"]}}}),
        )
        .await?;
        let e = &v["data"]["createEvent"];
        out.event = e["id"].as_str().unwrap_or_default().to_owned();
        out.event_slug = e["slug"].as_str().unwrap_or_default().to_owned();
        return Ok(out);
    }
    if args.scenario == "attendance" {
        return attendance_courses(args, client).await;
    }
    let centre_scenario = ["schedule", "centre-year"].contains(&args.scenario.as_str());
    if !centre_scenario
        && !["detail", "timeline", "record", "tasks"].contains(&args.scenario.as_str())
    {
        return Ok(out);
    }
    // Staff lists are for admins: asked only by the admins' scenarios.
    let query = if centre_scenario {
        "{ viewer { centre { id } } staff { userId roles } }"
    } else {
        "{ viewer { centre { id } } fundingProjects { id registrationNumber source } }"
    };
    let v = gql(client, &args.url, json!({ "query": query })).await?;
    out.centre = v["data"]["viewer"]["centre"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if centre_scenario {
        out.lecturers = v["data"]["staff"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| {
                m["roles"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x == "LECTURER"))
            })
            .filter_map(|m| m["userId"].as_str().map(str::to_owned))
            .collect();
        if args.scenario == "schedule" && out.lecturers.is_empty() {
            return Err("the centre has no lecturers: load the synthetic data first".into());
        }
        return Ok(out);
    }
    out.project = v["data"]["fundingProjects"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .filter(|p| p["source"] == "AMIF")
                .max_by_key(|p| p["registrationNumber"].as_str().map(str::to_owned))
        })
        .and_then(|p| p["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let mut after = Value::Null;
    for _ in 0..10 {
        let v = gql(
            client,
            &args.url,
            json!({"query": "query($a: String) { searchClients(first: 100, after: $a) { edges { node { id } } pageInfo { endCursor hasNextPage } } }",
                   "variables": {"a": after}}),
        )
        .await?;
        let page = &v["data"]["searchClients"];
        for e in page["edges"].as_array().into_iter().flatten() {
            if let Some(id) = e["node"]["id"].as_str() {
                out.clients.push(id.to_owned());
            }
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    if out.clients.is_empty() {
        return Err("the centre has no clients: load the synthetic data first".into());
    }
    out.long_client = out.clients[0].clone();
    if args.scenario == "timeline" {
        let url = args
            .database_url
            .as_deref()
            .ok_or("timeline needs --database-url to find the longest history")?;
        out.long_client = replay::longest_history(url, &out.centre).await?;
    }
    Ok(out)
}

/// The `attendance` scenario's courses, made before the clock starts, one
/// per concurrent client: seminars on weekdays that began a month ago (so
/// about twenty sessions have started), 30 of the centre's clients each.
async fn attendance_courses(args: &Args, client: &reqwest::Client) -> Result<Setup, String> {
    let mut out = Setup::default();
    for _ in 0..args.concurrency.max(1) {
        out.attendance.push(attendance_course(args, client).await?);
    }
    Ok(out)
}

/// One course of [`attendance_courses`]: its started sessions and its
/// enrolments.
async fn attendance_course(
    args: &Args,
    client: &reqwest::Client,
) -> Result<(Vec<String>, Vec<String>), String> {
    let v = gql(
        client,
        &args.url,
        json!({"query": "{ searchClients(first: 30) { edges { node { id } } } }"}),
    )
    .await?;
    let people: Vec<String> = v["data"]["searchClients"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
        .collect();
    if people.len() < 30 {
        return Err("the centre has fewer than 30 clients: load the synthetic data first".into());
    }
    let first = chrono::Utc::now().date_naive() - chrono::Duration::days(30);
    let v = gql(
        client,
        &args.url,
        json!({"query": "mutation($i: CourseInput!, $s: ScheduleInput!) { createCourse(input: $i, schedule: $s) { course { id } sessions { id startsAt } } }",
               "variables": {"i": {"kind": "SOCIOCULTURAL", "title": "Benchmark seminar", "capacity": 30},
                             "s": {"rule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=24", "firstDay": first,
                                   "startTime": "08:00", "endTime": "09:30"}}}),
    )
    .await?;
    let planned = &v["data"]["createCourse"];
    let course = planned["course"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let now = chrono::Utc::now();
    let (mut sessions, mut enrolments) = (Vec::new(), Vec::new());
    for s in planned["sessions"].as_array().into_iter().flatten() {
        let started = s["startsAt"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| t < now);
        if let (true, Some(id)) = (started, s["id"].as_str()) {
            sessions.push(id.to_owned());
        }
    }
    for person in people {
        let v = gql(
            client,
            &args.url,
            json!({"query": "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }",
                   "variables": {"c": course, "k": person}}),
        )
        .await?;
        if let Some(id) = v["data"]["enrol"]["id"].as_str() {
            enrolments.push(id.to_owned());
        }
    }
    if sessions.is_empty() || enrolments.len() != 30 {
        return Err("the attendance course was not set up".into());
    }
    Ok((sessions, enrolments))
}

/// Last calendar year: the reporting scenarios read its ended periods.
fn last_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year() - 1
}

/// Surnames of the synthetic data, each typed with two letters swapped.
fn typo_surnames() -> Vec<String> {
    use integra_synth::data;
    let mut out = Vec::new();
    for set in [
        &data::UKRAINIAN,
        &data::VIETNAMESE,
        &data::RUSSIAN,
        &data::SLOVAK,
    ] {
        for name in set.family {
            let mut c: Vec<char> = name.chars().collect();
            if c.len() >= 4 {
                let i = c.len() / 2;
                c.swap(i - 1, i);
            }
            out.push(c.into_iter().collect());
        }
    }
    out
}

/// `k * a + n * b`, wrapping: which record, surname or period the `n`-th
/// request of client `k` takes (the warm-up's `n` is huge).
fn mix(k: usize, a: usize, n: usize, b: usize) -> usize {
    k.wrapping_mul(a).wrapping_add(n.wrapping_mul(b))
}

/// The request body of the `n`-th request of client `k`.
fn request_body(
    scenario: &str,
    k: usize,
    n: usize,
    run: u64,
    surnames: &[String],
    setup: &Setup,
) -> String {
    let pick = |salt: usize| {
        setup
            .clients
            .get(mix(k, 7919, n, 31).wrapping_add(salt) % setup.clients.len().max(1))
            .cloned()
            .unwrap_or_default()
    };
    match scenario {
        "detail" => json!({
            "query": "query($id: ClientId!) { client(id: $id) { id givenName familyName birthDate nationality residenceStatus latestInterventions(first: 20) { id occurredOn kind form durationMinutes topics participants { eligible countsTowardIndicators } } } }",
            "variables": {"id": pick(0)},
        })
        .to_string(),
        "timeline" => json!({
            "query": "query($id: ClientId!) { clientTimeline(clientId: $id, first: 100) { edges { cursor date node { __typename ... on Intervention { id kind durationMinutes } ... on Task { id title } ... on Appointment { id startsAt } } } pageInfo { hasNextPage } } }",
            "variables": {"id": setup.long_client},
        })
        .to_string(),
        "record" => json!({
            "query": "mutation($i: InterventionInput!) { recordIntervention(input: $i) { id participants { eligible countsTowardIndicators } } }",
            "variables": {"i": {"clientIds": [pick(1)], "durationMinutes": 45, "kind": "SOCIAL_COUNSELLING",
                                "form": "OFFICE", "topics": ["HOUSING"], "language": "uk",
                                "fundingProjectId": setup.project}},
        })
        .to_string(),
        "tasks" => json!({"query": "{ myTasks { id title dueOn overdue clientId } }"}).to_string(),
        "event" => json!({
            "query": "mutation($s: String!, $i: PublicRegistrationInput!) { registerForEvent(eventSlug: $s, input: $i) { status waitlistPosition } }",
            "variables": {"s": setup.event_slug,
                          "i": {"name": format!("Host {k}-{n}"), "consent": true, "language": "cs",
                                "email": format!("host-{run}-{k}-{n}@example.org")}},
        })
        .to_string(),
        "search" => json!({
            "query": "query($t: String!) { searchClients(text: $t, first: 20) { edges { node { id givenName familyName birthDate } } } }",
            "variables": {"t": surnames[mix(k, 7919, n, 1) % surnames.len()]},
        })
        .to_string(),
        "register" => {
            // A common given name and a birth date spread over 55 years, as
            // at a real desk.
            let h = (run ^ ((k as u64) << 40) ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .wrapping_mul(0xBF58_476D_1CE4_E5B9);
            // A new surname of eight letters, as long as a real one (the
            // search keys of a word grow with the square of its length),
            // four syllables drawn from the run, client and count: no two
            // runs' names share a stem (they used to begin alike, so each
            // run's duplicate checks met all the earlier runs' names).
            let mut x = h >> 24;
            let mut family = String::new();
            for _ in 0..4 {
                family.push(char::from(b"bcdfghklmnprstvz"[(x % 16) as usize]));
                x /= 16;
                family.push(char::from(b"aeiou"[(x % 5) as usize]));
                x /= 5;
            }
            family[..1].make_ascii_uppercase();
            let given = integra_synth::data::UKRAINIAN.female
                [(h % integra_synth::data::UKRAINIAN.female.len() as u64) as usize];
            let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new((h >> 20) % 20_000)))
                .map(|d| d.to_string())
                .unwrap_or_else(|| "1990-01-01".to_owned());
            json!({
                "query": "mutation($i: ClientInput!) { registerClient(input: $i) { client { id } duplicates { client { id } } } }",
                "variables": {"i": {"givenName": given, "familyName": family, "sex": "FEMALE",
                                    "nationality": "UA", "birthDate": born}},
            })
            .to_string()
        }
        // The ministry dashboard's table: every centre, the main indicators,
        // one ended period of last year (ministry officers).
        "ministry" => json!({
            "query": "query($y: Int!, $p: Period!) { ministryIndicators(year: $y, period: $p, level: CENTRE) { geo indicator category value mark display } }",
            "variables": {"y": last_year(), "p": PERIODS[mix(k, 7, n, 1) % PERIODS.len()]},
        })
        .to_string(),
        // One centre's year by kind of intervention, a month or quarter at a
        // time (centre admins and coordinators).
        "centre-year" => json!({
            "query": "query($y: Int!, $p: Period!) { centreIndicators(year: $y, period: $p, indicators: [INTERVENTIONS, INTERVENTION_HOURS], dimension: KIND) { indicator category value } }",
            "variables": {"y": last_year(), "p": PERIODS[mix(k, 7, n, 1) % PERIODS.len()]},
        })
        .to_string(),
        // The ministry's table of last year as an Excel file.
        "export" => json!({
            "query": "query($y: Int!) { ministryReport(year: $y, period: Y, level: CENTRE, format: XLSX) { fileName mediaType base64 } }",
            "variables": {"y": last_year()},
        })
        .to_string(),
        // A lecturer's own week, as the web app's timetable asks for it.
        "week" => {
            let (from, to) = week(k, n);
            json!({
                "query": "query($f: DateTime!, $t: DateTime!) { courseSessions(from: $f, to: $t) { id courseId courseTitle startsAt endsAt roomId lecturerIds substituteId status } }",
                "variables": {"f": from, "t": to},
            })
            .to_string()
        }
        // A new 24-session course's clash check for one of the lecturers.
        "schedule" => {
            let (from, _) = week(k, n);
            json!({
                "query": "query($s: ScheduleInput!, $l: [UserId!]!) { previewSchedule(schedule: $s, lecturerIds: $l) { sessions { startsAt endsAt } skippedDays { day reason } clashes { resourceName withKind withTitle startsAt } } }",
                "variables": {"s": {"rule": WEEK_RULE, "firstDay": from.date_naive(), "startTime": "17:00", "endTime": "18:30"},
                              "l": [setup.lecturers.get(mix(k, 31, n, 1) % setup.lecturers.len().max(1)).cloned().unwrap_or_default()]},
            })
            .to_string()
        }
        // A whole session's attendance at once: 30 marks.
        "attendance" => {
            const MARKS: [&str; 4] = ["PRESENT", "PRESENT", "LATE", "ABSENT"];
            let empty = (Vec::new(), Vec::new());
            let (sessions, enrolments) = setup
                .attendance
                .get(k % setup.attendance.len().max(1))
                .unwrap_or(&empty);
            let session = sessions
                .get(n % sessions.len().max(1))
                .cloned()
                .unwrap_or_default();
            let marks: Vec<Value> = enrolments
                .iter()
                .enumerate()
                .map(|(i, e)| json!({"enrolmentId": e, "mark": MARKS[mix(k, 3, n + i, 1) % 4]}))
                .collect();
            json!({
                "query": "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }",
                "variables": {"s": session, "m": marks},
            })
            .to_string()
        }
        _ => json!({"query": "{ viewer { email roles centre { id name region } } }"}).to_string(),
    }
}

/// The `schedule` scenario's new course: twice a week for twelve weeks.
const WEEK_RULE: &str = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24";

/// The week (Monday 00:00 UTC to the next) the `n`-th request of client `k`
/// looks at or starts a course in: one of the last 52.
fn week(k: usize, n: usize) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let back = i64::try_from(mix(k, 7, n, 1) % 52).unwrap_or(0) + 1;
    let from = (monday - chrono::Duration::weeks(back))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    (from, from + chrono::Duration::days(7))
}

/// The peak resident memory of a process so far, from `/proc` (Linux).
fn peak_rss_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the benchmark's output is its printed figures"
)]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if !SCENARIOS.contains(&args.scenario.as_str()) {
        eprintln!(
            "integra-bench: unknown scenario '{}' (known: {})",
            args.scenario,
            SCENARIOS.join(", ")
        );
        return std::process::ExitCode::from(2);
    }
    if args.direct && !replay::has_twin(&args.scenario) {
        eprintln!(
            "integra-bench: no direct SQL for '{}': `import` is one long request of many rows \
             and `mail` measures the delay to the SMTP server, not the database",
            args.scenario
        );
        return std::process::ExitCode::from(2);
    }
    if args.scenario == "import" || args.scenario == "mail" {
        let done = if args.scenario == "mail" {
            mail::run(&args).await
        } else {
            import(&args).await
        };
        return match done {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("integra-bench: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    // The `event` scenario's emails go to the bench's own SMTP server, as
    // they would to a mail server in production.
    let sink = if args.scenario == "event" {
        Some(
            integra_test_support::smtp::SmtpSink::start_on(&format!(
                "127.0.0.1:{}",
                args.smtp_port
            ))
            .await,
        )
    } else {
        None
    };
    let surnames = std::sync::Arc::new(typo_surnames());
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut clients = Vec::new();
    for k in 0..args.concurrency.max(1) {
        match sign_in(&args, k).await {
            Ok(c) => clients.push(c),
            Err(e) => {
                eprintln!("integra-bench: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let setup = match clients.first() {
        Some(c) => match setup(&args, c).await {
            Ok(s) => std::sync::Arc::new(s),
            Err(e) => {
                eprintln!("integra-bench: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
        None => std::sync::Arc::new(Setup::default()),
    };
    let per_client = args.requests / clients.len();
    // Warm-up: one request per client, not measured.
    for (k, c) in clients.iter().enumerate() {
        let _ = c
            .post(format!("{}/graphql", args.url))
            .header("content-type", "application/json")
            .header("x-integra-csrf", "1")
            .body(request_body(
                &args.scenario,
                k,
                usize::MAX / 2,
                run,
                &surnames,
                &setup,
            ))
            .send()
            .await;
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (k, c) in clients.into_iter().enumerate() {
        let url = format!("{}/graphql", args.url);
        let scenario = args.scenario.clone();
        let surnames = surnames.clone();
        let setup = setup.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_client);
            for n in 0..per_client {
                let body = compat(request_body(&scenario, k, n, run, &surnames, &setup));
                let t = Instant::now();
                let ok = succeeded(
                    c.post(&url)
                        .header("content-type", "application/json")
                        .header("x-integra-csrf", "1")
                        .body(body)
                        .send()
                        .await,
                )
                .await;
                samples.push(Sample {
                    micros: u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX),
                    ok,
                    done_at: chrono::Utc::now(),
                    k,
                    n,
                });
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        if let Ok(s) = t.await {
            all.extend(s);
        }
    }
    let elapsed = started.elapsed();
    let errors = all.iter().filter(|s| !s.ok).count();
    let mut lat: Vec<u64> = all.iter().map(|s| s.micros).collect();
    lat.sort_unstable();
    let throughput = all.len() as f64 / elapsed.max(Duration::from_micros(1)).as_secs_f64();
    let (p50, p95, p99) = (
        percentile(&lat, 50.0),
        percentile(&lat, 95.0),
        percentile(&lat, 99.0),
    );
    let peak = args.server_pid.and_then(peak_rss_mb);
    if args.json {
        println!(
            "{}",
            json!({"scenario": args.scenario, "requests": all.len(), "concurrency": args.concurrency,
                   "seconds": elapsed.as_secs_f64(), "throughput_rps": throughput,
                   "p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "errors": errors,
                   "server_peak_rss_mb": peak})
        );
    } else {
        println!(
            "{:<10} requests={} concurrency={} time={:.2}s throughput={:.0}/s p50={:.2}ms p95={:.2}ms p99={:.2}ms errors={}{}",
            args.scenario,
            all.len(),
            args.concurrency,
            elapsed.as_secs_f64(),
            throughput,
            p50,
            p95,
            p99,
            errors,
            peak.map(|m| format!(" server_peak_rss={m}MB"))
                .unwrap_or_default()
        );
    }
    if args.scenario == "event" {
        match count_places(&args, &setup).await {
            Ok((line, registrations)) => {
                println!("{line}");
                if let Some(sink) = &sink {
                    // One confirmation or waitlist notice per registration,
                    // counted by address (this run's, the warm-up's
                    // included): mail left over from an earlier run's
                    // direct replay may arrive too.
                    let prefix = format!("host-{run}-");
                    let own = || {
                        sink.messages()
                            .iter()
                            .filter(|m| m.to.first().is_some_and(|t| t.starts_with(&prefix)))
                            .count()
                    };
                    let deadline = Instant::now() + Duration::from_secs(60);
                    while own() < registrations && Instant::now() < deadline {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    let own = own();
                    println!(
                        "event      emails accepted by SMTP={own} of {registrations} (all within {:.1}s of the last response; {} more left from an earlier run)",
                        (started.elapsed() - elapsed).as_secs_f64(),
                        sink.messages().len().saturating_sub(own)
                    );
                    // Each registration's confirmation or waitlist notice:
                    // from its response (the registration had committed)
                    // to the SMTP server's acceptance.
                    let accepted: std::collections::HashMap<String, chrono::DateTime<chrono::Utc>> =
                        sink.messages()
                            .into_iter()
                            .filter_map(|m| m.to.first().map(|t| (t.clone(), m.received_at)))
                            .collect();
                    let mut delays: Vec<u64> = all
                        .iter()
                        .filter(|s| s.ok)
                        .filter_map(|s| {
                            let to = format!("host-{run}-{}-{}@example.org", s.k, s.n);
                            let d = *accepted.get(&to)? - s.done_at;
                            u64::try_from(d.num_microseconds()?.max(0)).ok()
                        })
                        .collect();
                    delays.sort_unstable();
                    println!(
                        "event      commit→SMTP accepted (from the response) p50={:.1}ms p99={:.1}ms max={:.1}ms over {} emails, {} missing",
                        percentile(&delays, 50.0),
                        percentile(&delays, 99.0),
                        delays.last().map_or(0.0, |m| *m as f64 / 1000.0),
                        delays.len(),
                        all.iter()
                            .filter(|s| s.ok)
                            .count()
                            .saturating_sub(delays.len())
                    );
                }
            }
            Err(e) => {
                eprintln!("integra-bench: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    let mut direct_errors = 0;
    if args.direct {
        let Some(url) = args.database_url.as_deref() else {
            eprintln!("integra-bench: --direct needs --database-url");
            return std::process::ExitCode::from(2);
        };
        // The same request bodies as above, recorded and replayed; body
        // `i` is client `i % concurrency`'s, and each replay lane takes its
        // own client's (an `attendance` lane stays on its own course).
        let lanes = args.concurrency.max(1);
        let bodies: Vec<String> = (0..args.requests.min(256))
            .map(|i| {
                request_body(
                    &args.scenario,
                    i % lanes,
                    i / lanes,
                    run ^ 0x5eed,
                    &surnames,
                    &setup,
                )
            })
            .collect();
        let measured = replay::run(
            url,
            &account(&args, 0),
            &args.password,
            &bodies,
            &args.scenario,
            args.concurrency,
            args.requests,
        )
        .await;
        match measured {
            Ok((rps, lat, errs)) => {
                direct_errors = errs;
                let (d50, d99) = (percentile(&lat, 50.0), percentile(&lat, 99.0));
                let ratio = throughput / rps.max(f64::MIN_POSITIVE);
                if args.json {
                    println!(
                        "{}",
                        json!({"scenario": format!("{} (direct SQL)", args.scenario),
                               "throughput_rps": rps, "p50_ms": d50, "p99_ms": d99,
                               "errors": errs, "ratio_integra_to_direct": ratio})
                    );
                } else {
                    println!(
                        "{:<10} direct SQL: throughput={rps:.0}/s p50={d50:.2}ms p99={d99:.2}ms errors={errs}; through Integra / direct SQL = {ratio:.2}",
                        args.scenario
                    );
                }
            }
            Err(e) => {
                eprintln!("integra-bench: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    if errors > 0 || direct_errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

/// After the `event` scenario: the places the event says are taken, and
/// the registrations by status, against its capacity (an error if the
/// event is overbooked or a place was lost).
async fn count_places(args: &Args, setup: &Setup) -> Result<(String, usize), String> {
    let client = sign_in(args, 0).await?;
    let v = gql(
        &client,
        &args.url,
        json!({"query": "query($e: EventId!) { event(id: $e) { capacity confirmed } eventRegistrations(eventId: $e) { status } }",
               "variables": {"e": setup.event}}),
    )
    .await?;
    let taken = v["data"]["event"]["confirmed"].as_u64().unwrap_or(0);
    let regs = v["data"]["eventRegistrations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let by = |s: &str| regs.iter().filter(|r| r["status"] == s).count();
    let (confirmed, waitlisted) = (by("CONFIRMED"), by("WAITLISTED"));
    let line = format!(
        "event      capacity={} taken={taken} confirmed={confirmed} waitlisted={waitlisted}",
        args.capacity
    );
    let full = args.capacity.min(regs.len());
    if confirmed != full || taken as usize != full {
        return Err(format!(
            "{line}: the places taken do not match the capacity"
        ));
    }
    Ok((format!("{line} (exact)"), regs.len()))
}

/// An .xlsx of `rows` synthetic clients as a centre would keep them (Czech
/// headers, date cells, residence status in Czech), from a seed that differs
/// per run so they are new people.
fn spreadsheet(rows: usize, seed: u64) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let today = chrono::Utc::now().date_naive();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("d.m.yyyy");
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (c, h) in [
        "Příjmení",
        "Jméno",
        "Datum narození",
        "Pohlaví",
        "Státní příslušnost",
        "Pobytové oprávnění",
        "Platnost od",
        "Platnost do",
        "Telefon",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).map_err(e)?;
    }
    let xl = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(e)
    };
    let people = integra_synth::clients_of(seed, "bench-import", rows as u64, today);
    for (i, p) in people.enumerate() {
        let r = (i + 1) as u32;
        ws.write_string(r, 0, &p.family_name).map_err(e)?;
        ws.write_string(r, 1, &p.given_name).map_err(e)?;
        ws.write_datetime_with_format(r, 2, xl(p.birth_date)?, &date)
            .map_err(e)?;
        ws.write_string(r, 3, if p.sex == "f" { "Ž" } else { "M" })
            .map_err(e)?;
        ws.write_string(r, 4, p.nationality).map_err(e)?;
        if let Some(s) = p.statuses.last() {
            ws.write_string(r, 5, s.status.label()).map_err(e)?;
            ws.write_datetime_with_format(r, 6, xl(s.valid_from)?, &date)
                .map_err(e)?;
            if let Some(to) = s.valid_to {
                ws.write_datetime_with_format(r, 7, xl(to)?, &date)
                    .map_err(e)?;
            }
        }
        ws.write_number(r, 8, 420_600_000_000.0 + i as f64)
            .map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

/// The `import` scenario: one dry run, then one import skipping rejected
/// rows, each timed end to end (upload, checks, writes, answer).
#[allow(
    clippy::print_stdout,
    reason = "the benchmark's output is its printed figures"
)]
async fn import(args: &Args) -> Result<(), String> {
    use base64::Engine as _;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7);
    let xlsx = spreadsheet(args.rows, seed)?;
    let client = sign_in(args, 0).await?;
    let file = json!({"name": "bench.xlsx",
                      "contentBase64": base64::engine::general_purpose::STANDARD.encode(&xlsx)});
    let mut figures = Vec::new();
    for (label, dry) in [("dry-run", true), ("import", false)] {
        let body = json!({
            "query": "mutation($f: FileInput!, $d: Boolean) { importClients(file: $f, dryRun: $d, skipRejected: true) { rows accepted rejected imported } }",
            "variables": {"f": file, "d": dry},
        });
        let t = Instant::now();
        let resp: Value = client
            .post(format!("{}/graphql", args.url))
            .header("x-integra-csrf", "1")
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let secs = t.elapsed().as_secs_f64();
        if resp.get("errors").is_some() {
            return Err(format!("{label} failed: {resp}"));
        }
        let r = &resp["data"]["importClients"];
        figures.push(json!({"step": label, "seconds": secs, "rows": r["rows"],
                            "accepted": r["accepted"], "rejected": r["rejected"], "imported": r["imported"]}));
    }
    if args.json {
        println!(
            "{}",
            json!({"scenario": "import", "file_bytes": xlsx.len(), "steps": figures})
        );
    } else {
        for f in &figures {
            println!(
                "import     {:<8} rows={} accepted={} rejected={} imported={} time={:.2}s (file {} KB)",
                f["step"].as_str().unwrap_or(""),
                f["rows"],
                f["accepted"],
                f["rejected"],
                f["imported"],
                f["seconds"].as_f64().unwrap_or(0.0),
                xlsx.len() / 1024
            );
        }
    }
    Ok(())
}
