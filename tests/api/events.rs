//! Events: staff operations, public registration with a waitlist that moves
//! up, check-in by code, head-counts and platform organisations, emails
//! through the outbox, and exact capacity under concurrency.

use std::time::{Duration, Instant};

use integra_gateway::config::Mode;
use integra_test_support::smtp::SmtpSink;
use integra_test_support::{Engine, Gql, GqlResponse, MailSetup, TestApp};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

const CREATE: &str =
    "mutation($i: EventInput!) { createEvent(input: $i) { id slug status capacity confirmed } }";
const REGISTER: &str = "mutation($s: String!, $i: PublicRegistrationInput!) { registerForEvent(eventSlug: $s, input: $i) { status waitlistPosition } }";
const REGISTRATIONS: &str = "query($e: EventId!) { eventRegistrations(eventId: $e) { id name email status code checkedInAt } }";

fn future(days: i64, hour: u32) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    format!("{d}T{hour:02}:00:00+01:00")
}

fn event_input(title: &str, capacity: Option<i32>) -> Value {
    json!({
        "kind": "MULTICULTURAL", "audience": "MAJORITY_SOCIETY", "title": title,
        "venue": "Mírové náměstí", "startsAt": future(10, 14), "endsAt": future(10, 18),
        "capacity": capacity, "publicRegistration": capacity.is_some(), "languages": ["cs", "uk"],
    })
}

fn person(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email, "consent": true, "language": "en"})
}

async fn events_flow(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = TestApp::start_with_smtp(engine, sink.port()).await;
    let staff = app.signed_in("counsellor.usti@example.org").await;

    // Bad input names the field and creates nothing.
    let mut bad = event_input("X", Some(2));
    bad["endsAt"] = json!(future(10, 13));
    for (input, field) in [
        (bad, "endsAt"),
        (event_input("X", Some(0)), "capacity"),
        (
            {
                let mut i = event_input("X", None);
                i["publicRegistration"] = json!(true);
                i
            },
            "capacity",
        ),
        (event_input(&"X".repeat(300), Some(2)), "title"),
    ] {
        let r = staff.query(CREATE, json!({"i": input})).await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], field, "{}", r.body);
    }

    let r = staff
        .query(CREATE, json!({"i": event_input("Den cizinců", Some(2))}))
        .await;
    let ev = r.ok()["createEvent"].clone();
    let id = ev["id"].as_str().unwrap().to_owned();
    let slug = ev["slug"].as_str().unwrap().to_owned();
    assert!(slug.starts_with("den-cizincu-"), "{slug}");

    // The public page, without signing in.
    let anon = app.client();
    let page = anon
        .query(
            "query($s: String!) { publicEvent(eventSlug: $s) { title centreName placesLeft registrationOpen cancelled } }",
            json!({"s": slug}),
        )
        .await;
    assert_eq!(page.ok()["publicEvent"]["placesLeft"], true);
    assert_eq!(page.ok()["publicEvent"]["registrationOpen"], true);
    let r = anon
        .query(
            "query($s: String!) { publicEvent(eventSlug: $s) { title } }",
            json!({"s": "no-such-event"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    // Bad registrations name the field.
    for (input, field) in [
        (
            json!({"name": "A", "email": "not-an-address", "consent": true}),
            "email",
        ),
        (
            json!({"name": "A", "email": "a@example.org", "consent": false}),
            "consent",
        ),
        (
            json!({"name": "", "email": "a@example.org", "consent": true}),
            "name",
        ),
        (
            json!({"name": "A".repeat(500), "email": "a@example.org", "consent": true}),
            "name",
        ),
    ] {
        let r = anon.query(REGISTER, json!({"s": slug, "i": input})).await;
        assert_eq!(r.errors()[0]["extensions"]["field"], field, "{}", r.body);
    }

    // Two places: two confirmed, the third waits.
    for (i, (name, email)) in [
        ("Olena Kovalenko", "olena@example.org"),
        ("Nguyen Thi Lan", "lan@example.org"),
        ("Ivan Petrenko", "ivan@example.org"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = anon
            .query(REGISTER, json!({"s": slug, "i": person(name, email)}))
            .await;
        let got = &r.ok()["registerForEvent"];
        if i < 2 {
            assert_eq!(got["status"], "CONFIRMED", "{got}");
        } else {
            assert_eq!(got["status"], "WAITLISTED", "{got}");
            assert_eq!(got["waitlistPosition"], 1);
        }
    }
    let r = anon
        .query(
            REGISTER,
            json!({"s": slug, "i": person("Olena again", "OLENA@example.org")}),
        )
        .await;
    // A second registration with the same address answers exactly as a
    // first one would now (two confirmed, one waiting: the next waits
    // second), and Olena is sent her registration again.
    assert_eq!(
        r.ok()["registerForEvent"],
        json!({"status": "WAITLISTED", "waitlistPosition": 2}),
        "{}",
        r.body
    );

    let got = sink.wait_for(4, WAIT).await;
    assert_eq!(
        got.iter()
            .filter(|m| m.to == vec!["olena@example.org".to_owned()])
            .filter(|m| m.parsed().subject.starts_with("Registration confirmed"))
            .count(),
        2,
        "Olena's registration, and the same again"
    );
    let olena = got
        .iter()
        .find(|m| m.to == vec!["olena@example.org".to_owned()])
        .unwrap();
    assert!(
        olena.parsed().subject.starts_with("Registration confirmed"),
        "{}",
        olena.parsed().subject
    );
    let ivan = got
        .iter()
        .find(|m| m.to == vec!["ivan@example.org".to_owned()])
        .unwrap();
    assert!(ivan.parsed().subject.starts_with("You are on the waitlist"));

    // Olena cancels with her link; Ivan moves up and is told.
    let link = olena
        .link(&format!("https://integra.test/events/{slug}/cancel#"))
        .unwrap();
    let token = link.split_once('#').unwrap().1.to_owned();
    let cancel =
        "mutation($s: String!, $t: String!) { cancelEventRegistration(eventSlug: $s, token: $t) }";
    let r = anon.query(cancel, json!({"s": slug, "t": token})).await;
    assert_eq!(r.ok()["cancelEventRegistration"], true);
    let r = anon.query(cancel, json!({"s": slug, "t": "forged"})).await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "{}", r.body);
    let got = sink.wait_for(5, WAIT).await;
    let promoted = got
        .iter()
        .find(|m| m.parsed().subject.starts_with("A place came free"))
        .unwrap();
    assert_eq!(promoted.to, vec!["ivan@example.org".to_owned()]);
    let promoted = promoted.parsed();
    assert!(
        promoted.subject.starts_with("A place came free"),
        "{}",
        promoted.subject
    );

    let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let regs = regs.ok()["eventRegistrations"].as_array().unwrap().clone();
    let status = |email: &str| regs.iter().find(|r| r["email"] == email).unwrap()["status"].clone();
    assert_eq!(status("olena@example.org"), "CANCELLED");
    assert_eq!(status("ivan@example.org"), "CONFIRMED");
    assert_eq!(status("lan@example.org"), "CONFIRMED");

    // Check-in by the code in Ivan's email; a cancelled one cannot.
    let code = regs
        .iter()
        .find(|r| r["email"] == "ivan@example.org")
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(promoted.text.contains(&code));
    let r = staff
        .query(
            "mutation($e: EventId!, $c: String) { checkIn(eventId: $e, code: $c) { name checkedInAt } }",
            json!({"e": id, "c": code.to_lowercase()}),
        )
        .await;
    assert_eq!(r.ok()["checkIn"]["name"], "Ivan Petrenko");
    let olena_id = regs
        .iter()
        .find(|r| r["email"] == "olena@example.org")
        .unwrap()["id"]
        .clone();
    let r = staff
        .query(
            "mutation($e: EventId!, $r: RegistrationId) { checkIn(eventId: $e, registrationId: $r) { name } }",
            json!({"e": id, "r": olena_id}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);

    // Head-counts and organisations.
    let r = staff
        .query(
            "mutation($e: EventId!) { setEventHeadcounts(eventId: $e, counts: [{audience: MAJORITY_SOCIETY, count: 120}, {audience: THIRD_COUNTRY_NATIONALS, count: 45}]) { audience count } }",
            json!({"e": id}),
        )
        .await;
    assert_eq!(r.ok()["setEventHeadcounts"].as_array().unwrap().len(), 2);
    let r = staff
        .query(
            "mutation($e: EventId!) { setEventOrganisations(eventId: $e, organisations: [{kind: IMMIGRATION_OFFICE, name: \"OAMP Ústí\", attendees: 2}, {kind: NGO, name: \"Poradna\", attendees: 1}]) { kind name attendees } }",
            json!({"e": id}),
        )
        .await;
    assert_eq!(r.ok()["setEventOrganisations"][0]["name"], "OAMP Ústí");
    let r = staff
        .query(
            "query($e: EventId!) { eventHeadcounts(eventId: $e) { audience count } eventOrganisations(eventId: $e) { kind attendees } }",
            json!({"e": id}),
        )
        .await;
    assert_eq!(r.ok()["eventOrganisations"].as_array().unwrap().len(), 2);

    // Linking a registration to a client.
    let client = staff
        .query(
            "mutation { registerClient(input: {givenName: \"Ivan\", familyName: \"Petrenko\", sex: MALE, nationality: \"UA\", birthDate: \"1980-01-01\"}, confirmNotDuplicate: true) { client { id } } }",
            json!({}),
        )
        .await;
    let client = client.ok()["registerClient"]["client"]["id"].clone();
    let ivan_id = regs
        .iter()
        .find(|r| r["email"] == "ivan@example.org")
        .unwrap()["id"]
        .clone();
    let r = staff
        .query(
            "mutation($r: RegistrationId!, $c: ClientId) { linkRegistrationToClient(registrationId: $r, clientId: $c) { clientId } }",
            json!({"r": ivan_id, "c": client}),
        )
        .await;
    assert_eq!(r.ok()["linkRegistrationToClient"]["clientId"], client);

    // The event is on the client's timeline and in their data export.
    let r = staff
        .query(
            "query($c: ClientId!) { clientTimeline(clientId: $c, first: 10) { edges { node { __typename ... on EventAttendance { event { title } registration { status } } } } } }",
            json!({"c": client}),
        )
        .await;
    let edges = r.ok()["clientTimeline"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    let ev_entry = edges
        .iter()
        .find(|e| e["node"]["__typename"] == "EventAttendance")
        .unwrap_or_else(|| panic!("no event on the timeline: {}", r.body));
    assert_eq!(ev_entry["node"]["event"]["title"], "Den cizinců");
    let admin = app.signed_in("admin.usti@example.org").await;
    let r = admin
        .query(
            "mutation($id: ClientId!) { exportClient(clientId: $id) { json html } }",
            json!({"id": client}),
        )
        .await;
    let export: Value =
        serde_json::from_str(r.ok()["exportClient"]["json"].as_str().unwrap()).unwrap();
    let events = crate::client_rights::section(&export, "Events");
    assert_eq!(events["rows"].as_array().unwrap().len(), 1, "{events}");
    assert_eq!(events["rows"][0][0], "Den cizinců");
    assert_eq!(events["rows"][0][4], "ivan@example.org");
    assert!(
        r.ok()["exportClient"]["html"]
            .as_str()
            .unwrap()
            .contains("Den cizinců")
    );

    // Cancelling the event tells the two confirmed; registration closes.
    let r = staff
        .query(
            "mutation($id: EventId!) { cancelEvent(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(r.ok()["cancelEvent"]["status"], "CANCELLED");
    let got = sink.wait_for(7, WAIT).await;
    assert_eq!(
        got.iter()
            .filter(|m| m.parsed().subject.starts_with("Event cancelled"))
            .count(),
        2
    );
    let r = anon
        .query(
            REGISTER,
            json!({"s": slug, "i": person("Late", "late@example.org")}),
        )
        .await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "eventSlug",
        "{}",
        r.body
    );
    assert!(
        r.errors()[0]["message"]
            .as_str()
            .unwrap()
            .contains("cancelled")
    );

    // Erasing the linked client erases the registration's personal data;
    // the registration itself (and the count) stays.
    let r = admin
        .query(
            "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { id } }",
            json!({"id": client}),
        )
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
    let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let erased = regs.ok()["eventRegistrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ivan_id)
        .unwrap()
        .clone();
    assert_eq!(erased["name"], "");
    assert!(!erased["email"].as_str().unwrap().contains('@'), "{erased}");
    assert_eq!(erased["status"], "CONFIRMED");

    // Registration not open yet; head-count-only events take none.
    let mut later = event_input("Přednáška", Some(10));
    later["registrationOpensAt"] = json!(future(5, 9));
    let r = staff.query(CREATE, json!({"i": later})).await;
    let later_slug = r.ok()["createEvent"]["slug"].clone();
    let r = anon
        .query(
            REGISTER,
            json!({"s": later_slug, "i": person("Early", "early@example.org")}),
        )
        .await;
    assert!(
        r.errors()[0]["message"]
            .as_str()
            .unwrap()
            .contains("not opened"),
        "{}",
        r.body
    );
    let r = staff
        .query(CREATE, json!({"i": event_input("Kampaň", None)}))
        .await;
    let headcount_only = r.ok()["createEvent"]["slug"].clone();
    let r = anon
        .query(
            REGISTER,
            json!({"s": headcount_only, "i": person("X", "x@example.org")}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);
}

mod flow {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        events_flow(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        events_flow(Engine::Postgres).await;
    }
}

/// A registrant is told their place on the waitlist: those ahead who left
/// it (cancelled, or moved up to a free place) no longer count.
async fn waitlist_places(engine: Engine) {
    let app = TestApp::start(engine).await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let anon = app.client();
    let r = staff
        .query(CREATE, json!({"i": event_input("Beseda", Some(1))}))
        .await;
    let id = r.ok()["createEvent"]["id"].as_str().unwrap().to_owned();
    let slug = r.ok()["createEvent"]["slug"].as_str().unwrap().to_owned();
    let register = |name: &'static str| {
        let anon = anon.clone();
        let slug = slug.clone();
        async move {
            let email = format!("{}@example.org", name.to_lowercase());
            let r = anon
                .query(REGISTER, json!({"s": slug, "i": person(name, &email)}))
                .await;
            let got = r.ok()["registerForEvent"].clone();
            (
                got["status"].as_str().unwrap().to_owned(),
                got["waitlistPosition"].clone(),
            )
        }
    };
    let cancel = |email: &'static str| {
        let staff = staff.clone();
        let id = id.clone();
        async move {
            let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
            let reg = regs.ok()["eventRegistrations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["email"] == email)
                .unwrap()["id"]
                .clone();
            let r = staff
                .query(
                    "mutation($r: RegistrationId!) { cancelRegistration(registrationId: $r) { status } }",
                    json!({"r": reg}),
                )
                .await;
            assert_eq!(r.ok()["cancelRegistration"]["status"], "CANCELLED");
        }
    };
    assert_eq!(
        register("Anna").await,
        ("CONFIRMED".to_owned(), Value::Null)
    );
    for (name, place) in [("Boris", 1), ("Chen", 2), ("Dana", 3)] {
        assert_eq!(
            register(name).await,
            ("WAITLISTED".to_owned(), json!(place))
        );
    }
    // Chen leaves the waitlist: Eva is third (Boris, Dana, Eva).
    cancel("chen@example.org").await;
    assert_eq!(register("Eva").await, ("WAITLISTED".to_owned(), json!(3)));
    // Anna cancels, Boris moves up: Filip is third (Dana, Eva, Filip).
    cancel("anna@example.org").await;
    assert_eq!(register("Filip").await, ("WAITLISTED".to_owned(), json!(3)));
}

mod waitlist {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        waitlist_places(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        waitlist_places(Engine::Postgres).await;
    }
}

/// 500 people register at the same moment for 100 places.
async fn exact_capacity_under_concurrency(engine: Engine) {
    // Every registration comes from 127.0.0.1: lift the per-address limit.
    let app = TestApp::start_tuned(engine, Mode::Dev, MailSetup::default(), |c| {
        c.registration.per_address = 0;
    })
    .await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let r = staff
        .query(CREATE, json!({"i": event_input("Koncert", Some(100))}))
        .await;
    let id = r.ok()["createEvent"]["id"].as_str().unwrap().to_owned();
    let slug = r.ok()["createEvent"]["slug"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..500 {
        let c = app.client();
        let slug = slug.clone();
        tasks.push(tokio::spawn(async move {
            c.query(
                REGISTER,
                json!({"s": slug, "i": person(&format!("Guest {i}"), &format!("guest{i}@example.org"))}),
            )
            .await
        }));
    }
    let mut confirmed = 0;
    let mut waitlisted = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.ok()["registerForEvent"]["status"].as_str().unwrap() {
            "CONFIRMED" => confirmed += 1,
            "WAITLISTED" => waitlisted += 1,
            other => panic!("{other}"),
        }
    }
    let took = started.elapsed();
    eprintln!(
        "{engine:?}: 500 registrations in {:.2} s ({:.0}/s)",
        took.as_secs_f64(),
        500.0 / took.as_secs_f64()
    );
    assert_eq!((confirmed, waitlisted), (100, 400));
    let ev = staff
        .query(
            "query($id: EventId!) { event(id: $id) { confirmed } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(ev.ok()["event"]["confirmed"], 100);
    let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let regs = regs.ok()["eventRegistrations"].as_array().unwrap().clone();
    assert_eq!(
        regs.iter().filter(|r| r["status"] == "CONFIRMED").count(),
        100
    );
    assert_eq!(
        regs.iter().filter(|r| r["status"] == "WAITLISTED").count(),
        400
    );
}

mod concurrency {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        exact_capacity_under_concurrency(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        exact_capacity_under_concurrency(Engine::Postgres).await;
    }
}

/// Registrations are limited per client address and per email address;
/// a refused attempt saves nothing.
async fn rate_limits(engine: Engine) {
    let app = TestApp::start_tuned(engine, Mode::Dev, MailSetup::default(), |c| {
        c.registration.per_address = 5;
        c.registration.per_email = 2;
    })
    .await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let mut events = Vec::new();
    for title in ["Přednáška 1", "Přednáška 2", "Přednáška 3"] {
        let r = staff
            .query(CREATE, json!({"i": event_input(title, Some(50))}))
            .await;
        let e = &r.ok()["createEvent"];
        events.push((
            e["id"].as_str().unwrap().to_owned(),
            e["slug"].as_str().unwrap().to_owned(),
        ));
    }
    let a = app.client_from("127.0.0.1".parse().unwrap());
    let b = app.client_from("127.0.0.2".parse().unwrap());
    let register = |c: &Gql, slug: &str, email: &str| {
        let c = c.clone();
        let v = json!({"s": slug, "i": person("Olena", email)});
        async move { c.query(REGISTER, v).await }
    };
    let limited = |r: &GqlResponse| {
        assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"), "{}", r.body);
        let wait = r.errors()[0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
    };

    // Per email, across events and addresses.
    register(&a, &events[0].1, "olena@example.org").await.ok();
    register(&a, &events[1].1, "olena@example.org").await.ok();
    limited(&register(&a, &events[2].1, "Olena@Example.org").await);
    limited(&register(&b, &events[2].1, "olena@example.org").await);
    // Per address: A has made 3 attempts, two more pass, the sixth not.
    register(&a, &events[0].1, "ivan@example.org").await.ok();
    register(&a, &events[0].1, "lan@example.org").await.ok();
    limited(&register(&a, &events[0].1, "petr@example.org").await);
    // Another address is unaffected.
    register(&b, &events[0].1, "petr@example.org").await.ok();

    let count = |id: String| {
        let staff = staff.clone();
        async move {
            let r = staff.query(REGISTRATIONS, json!({"e": id})).await;
            r.ok()["eventRegistrations"].as_array().unwrap().len()
        }
    };
    assert_eq!(count(events[0].0.clone()).await, 4);
    assert_eq!(count(events[1].0.clone()).await, 1);
    assert_eq!(
        count(events[2].0.clone()).await,
        0,
        "refused: nothing saved"
    );
}

mod limits {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        rate_limits(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        rate_limits(Engine::Postgres).await;
    }
}
