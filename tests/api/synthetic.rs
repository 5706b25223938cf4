//! The synthetic data set at `small` scale: it loads into a migrated, demo
//! seeded database (by COPY on PostgreSQL), keeps the per-centre skew and the
//! nationality mix, is found by the search, and a second load adds nothing.

use std::sync::Arc;

use chrono::Datelike as _;
use integra_kernel::{Database, SharedClock, SystemClock};
use integra_synth::{Scale, centre_sizes};
use integra_test_support::{Engine, TestApp, on_both_engines, pg};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn loader_db(app: &TestApp) -> Database {
    match app.engine {
        Engine::Sqlite => app.db.clone(),
        // COPY into tables under row-level security needs the owner.
        Engine::Postgres => Database::connect(
            &pg::cluster().owner_url(app.pg_name.as_deref().unwrap()),
            &integra_kernel::db::PoolOptions::default(),
        )
        .await
        .unwrap(),
    }
}

async fn count(db: &Database, sql: &str) -> i64 {
    let platform = integra_kernel::PlatformDb::grant(db);
    let conn = platform.connection();
    conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn small_scale_loads_and_is_searchable(app: TestApp) {
    let db = loader_db(&app).await;
    let clock: SharedClock = Arc::new(SystemClock);
    let clients = integra_clients::ClientService::new(
        db.clone(),
        clock.clone(),
        b"k",
        integra_gateway::app::client_links(),
    )
    .unwrap();
    let key =
        |f: &str, g: &str, b: Option<chrono::NaiveDate>, n: &str| clients.person_key(f, g, b, n);
    let platform = integra_kernel::PlatformDb::grant(&db);
    let report = integra_synth::load(&platform, &clock, Scale::Small, 42, &key)
        .await
        .unwrap();
    assert_eq!(report.clients, 2_000);
    assert_eq!(count(&db, "SELECT COUNT(*) AS n FROM clients").await, 2_000);
    let ua = count(
        &db,
        "SELECT COUNT(*) AS n FROM clients WHERE nationality = 'UA'",
    )
    .await;
    assert!((800..1_100).contains(&ua), "Ukrainian share: {ua} of 2000");
    let praha_expected = centre_sizes(Scale::Small)[0].1 as i64;
    let praha = count(
        &db,
        "SELECT COUNT(*) AS n FROM clients c JOIN centres ce ON ce.id = c.tenant_id WHERE ce.slug = 'praha'",
    )
    .await;
    assert_eq!(praha, praha_expected);

    // The bench account finds its centre's clients by a mistyped surname.
    let c = app
        .signed_in_as("bench.praha@example.org", "integra-bench")
        .await;
    let r = c
        .query(
            "{ searchClients(text: \"Kovlaenko\", first: 100) { edges { node { familyName } } } }",
            json!({}),
        )
        .await;
    let found = r.ok()["searchClients"]["edges"].as_array().unwrap().clone();
    assert!(!found.is_empty(), "{}", r.body);
    assert!(
        found.iter().all(|e| {
            let f = e["node"]["familyName"].as_str().unwrap();
            f.starts_with("Kovalenk") || f.starts_with("Koval")
        }),
        "{found:?}"
    );

    // Services: about 13 per client, the first client of each centre with
    // a long history, every one with its eligibility snapshot, on the
    // client's timeline through the API.
    let services = count(&db, "SELECT COUNT(*) AS n FROM interventions").await;
    assert_eq!(services as u64, report.interventions);
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM intervention_participants").await,
        services
    );
    assert!(
        (2_000 * 10 + 18 * 500..2_000 * 16 + 18 * 500).contains(&services),
        "{services} interventions for 2,000 clients"
    );
    assert!(report.tasks > 0);
    let counted = count(
        &db,
        "SELECT COUNT(*) AS n FROM intervention_participants WHERE counts = true",
    )
    .await;
    assert!(counted * 2 > services, "{counted} of {services} count");
    let long = count(
        &db,
        "SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM intervention_participants GROUP BY client_id) t",
    )
    .await;
    assert_eq!(long, 500);
    let r = c
        .query(
            "{ searchClients(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let someone = r.ok()["searchClients"]["edges"][0]["node"]["id"].clone();
    let t = c
        .query(
            "query($id: ClientId!) { clientTimeline(clientId: $id, first: 5) { edges { node { __typename } } } }",
            json!({"id": someone}),
        )
        .await;
    assert!(
        !t.ok()["clientTimeline"]["edges"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{}",
        t.body
    );

    // Courses and events: one course per 50 clients and three events per
    // 100, as written; references whole (on PostgreSQL the bulk writers
    // skip the per-row checks, so the generator must keep them).
    assert!(
        (30..=40).contains(&report.courses),
        "{} courses",
        report.courses
    );
    assert!(
        (50..=60).contains(&report.events),
        "{} events",
        report.events
    );
    for (table, written) in [
        ("courses", report.courses),
        ("course_sessions", report.sessions),
        ("enrolments", report.enrolments),
        ("attendance", report.attendance),
        ("events", report.events),
        ("event_registrations", report.registrations),
    ] {
        let n = count(&db, &format!("SELECT COUNT(*) AS n FROM {table}")).await;
        assert_eq!(n as u64, written, "{table}");
        assert!(n > 0, "{table}");
    }
    for orphans in [
        "SELECT COUNT(*) AS n FROM intervention_participants p WHERE NOT EXISTS \
         (SELECT 1 FROM interventions i WHERE i.tenant_id = p.tenant_id AND i.id = p.intervention_id)",
        "SELECT COUNT(*) AS n FROM intervention_participants p WHERE NOT EXISTS \
         (SELECT 1 FROM clients c WHERE c.tenant_id = p.tenant_id AND c.id = p.client_id)",
        "SELECT COUNT(*) AS n FROM enrolments e WHERE NOT EXISTS \
         (SELECT 1 FROM clients c WHERE c.tenant_id = e.tenant_id AND c.id = e.client_id)",
        "SELECT COUNT(*) AS n FROM attendance a WHERE NOT EXISTS \
         (SELECT 1 FROM enrolments e JOIN course_sessions s ON s.tenant_id = e.tenant_id AND s.course_id = e.course_id \
          WHERE e.tenant_id = a.tenant_id AND e.id = a.enrolment_id AND s.id = a.session_id)",
        "SELECT COUNT(*) AS n FROM event_registrations r WHERE r.client_id IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM clients c WHERE c.tenant_id = r.tenant_id AND c.id = r.client_id)",
        "SELECT COUNT(*) AS n FROM course_lecturers l WHERE NOT EXISTS \
         (SELECT 1 FROM memberships m WHERE m.tenant_id = l.tenant_id AND m.user_id = l.user_id)",
        "SELECT COUNT(*) AS n FROM courses c WHERE enrolled > capacity OR enrolled <> \
         (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled')",
        "SELECT COUNT(*) AS n FROM events v WHERE confirmed <> \
         (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = v.id AND r.status = 'confirmed')",
    ] {
        assert_eq!(count(&db, orphans).await, 0, "{orphans}");
    }
    // A bench lecturer signs in and sees their classes in the timetable.
    let lecturer = app
        .signed_in_as("bench.lecturer1.praha@example.org", "integra-bench")
        .await;
    let me = lecturer.query("{ viewer { id } }", json!({})).await;
    let now = chrono::Utc::now();
    let r = lecturer
        .query(
            "query($f: DateTime!, $t: DateTime!, $l: UserId) { courseSessions(from: $f, to: $t, lecturerId: $l) { courseTitle startsAt } }",
            json!({"f": (now - chrono::Duration::days(3700)).to_rfc3339(),
                   "t": (now + chrono::Duration::days(100)).to_rfc3339(),
                   "l": me.ok()["viewer"]["id"]}),
        )
        .await;
    assert!(
        !r.ok()["courseSessions"].as_array().unwrap().is_empty(),
        "{}",
        r.body
    );
    // The reporting refresh counts them: course participants and event
    // participants of the centre over the years.
    app.reporting.refresh().await.unwrap();
    let admin = app.signed_in("admin.praha@example.org").await;
    let mut participants = 0.0;
    let mut events = 0.0;
    for year in (now.year() - 9)..=now.year() {
        let r = admin
            .query(
                "query($y: Int!) { centreIndicators(year: $y, period: Y) { indicator category value } }",
                json!({"y": year}),
            )
            .await;
        for row in r.ok()["centreIndicators"].as_array().unwrap() {
            if row["category"] == "" {
                match row["indicator"].as_str().unwrap() {
                    "LANGUAGE_COURSE_PARTICIPANTS" => {
                        participants += row["value"].as_f64().unwrap()
                    }
                    "EVENT_PARTICIPANTS" => events += row["value"].as_f64().unwrap(),
                    _ => {}
                }
            }
        }
    }
    assert!(
        participants > 0.0 && events > 0.0,
        "{participants} {events}"
    );

    // Loading again adds nothing.
    let again = integra_synth::load(&platform, &clock, Scale::Small, 42, &key)
        .await
        .unwrap();
    assert_eq!(again.clients, 0);
    assert_eq!(again.interventions, 0);
    assert_eq!(again.courses + again.events, 0);
    assert_eq!(again.skipped_centres, 18);
}
on_both_engines!(synthetic_small, small_scale_loads_and_is_searchable);
