//! Counselling over the API: interventions with their eligibility snapshot
//! and the counting rule, group sessions on every participant's timeline,
//! notes by role, appointment clashes, cases, tasks, inquiries, outreach
//! and bad input that saves nothing.

use integra_test_support::{Gql, GqlResponse, TestApp, on_both_engines};
use serde_json::{Value, json};

use crate::clients::register;

const RECORD: &str = "mutation($input: InterventionInput!) { recordIntervention(input: $input) {
  id occurredOn durationMinutes kind form isGroup anonymousCount topics
  participants { clientId eligible eligibilityReason countsTowardIndicators } } }";

const TIMELINE: &str = "query($id: ClientId!, $first: Int, $after: String) {
  clientTimeline(clientId: $id, first: $first, after: $after) {
    edges { cursor date node {
      __typename
      ... on Intervention { id kind durationMinutes }
      ... on Appointment { id status }
      ... on Task { id title overdue }
    } }
    pageInfo { hasNextPage endCursor } } }";

fn ua(given: &str, born: &str) -> Value {
    json!({"givenName": given, "familyName": "Shevchenko", "sex": "FEMALE", "nationality": "UA", "birthDate": born})
}

fn tp() -> Value {
    json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2027-03-31"})
}

fn field(r: &GqlResponse) -> Value {
    r.errors()[0]["extensions"]["field"].clone()
}

pub async fn project(c: &Gql, number: &str) -> String {
    let r = c
        .query("{ fundingProjects { id registrationNumber } }", json!({}))
        .await;
    r.ok()["fundingProjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["registrationNumber"]
                .as_str()
                .unwrap()
                .starts_with(number)
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn service(clients: &[&str], project: &str, minutes: i32, form: &str) -> Value {
    json!({
        "clientIds": clients, "occurredOn": "2026-05-04", "durationMinutes": minutes,
        "kind": "SOCIAL_COUNSELLING", "form": form, "topics": ["HOUSING", "EMPLOYMENT"],
        "language": "uk", "fundingProjectId": project
    })
}

async fn timeline(c: &Gql, client: &str) -> Vec<Value> {
    let r = c.query(TIMELINE, json!({"id": client, "first": 200})).await;
    r.ok()["clientTimeline"]["edges"]
        .as_array()
        .unwrap()
        .clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn interventions_and_the_counting_rule(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let amif = project(&c, "AMIF/52").await;
    let iryna = id(&register(&c, ua("Iryna", "1990-01-01"), tp()).await);
    let slovak = id(&register(
        &c,
        json!({"givenName": "Ján", "familyName": "Novák", "sex": "MALE", "nationality": "SK"}),
        Value::Null,
    )
    .await);

    // Eligible, at the office, 45 minutes: counts.
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&iryna], &amif, 45, "OFFICE")}),
        )
        .await;
    let v = &r.ok()["recordIntervention"];
    assert_eq!(v["isGroup"], false);
    assert_eq!(v["topics"], json!(["EMPLOYMENT", "HOUSING"]));
    let p = &v["participants"][0];
    assert_eq!(p["eligible"], true, "{p}");
    assert_eq!(p["countsTowardIndicators"], true, "{p}");
    let counted = id(v);

    // 20 minutes is a contact: eligible, not counted.
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&iryna], &amif, 20, "OFFICE")}),
        )
        .await;
    let p = &r.ok()["recordIntervention"]["participants"][0];
    assert_eq!(p["eligible"], true);
    assert_eq!(p["countsTowardIndicators"], false);
    assert!(
        p["eligibilityReason"]
            .as_str()
            .unwrap()
            .contains("30-minute threshold"),
        "{p}"
    );

    // By phone without a verified identity: not counted; verified: counted.
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&iryna], &amif, 40, "PHONE")}),
        )
        .await;
    let p = &r.ok()["recordIntervention"]["participants"][0];
    assert_eq!(p["countsTowardIndicators"], false);
    assert!(
        p["eligibilityReason"]
            .as_str()
            .unwrap()
            .contains("identity not verified")
    );
    c.query(
        "mutation($id: ClientId!) { verifyClientIdentity(clientId: $id) { id } }",
        json!({"id": iryna}),
    )
    .await
    .ok();
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&iryna], &amif, 40, "PHONE")}),
        )
        .await;
    assert_eq!(
        r.ok()["recordIntervention"]["participants"][0]["countsTowardIndicators"],
        true
    );

    // An EU citizen is not eligible for AMIF, but can be served from the
    // centre's own money, where the service counts.
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&slovak], &amif, 60, "OFFICE")}),
        )
        .await;
    let p = &r.ok()["recordIntervention"]["participants"][0];
    assert_eq!(p["eligible"], false);
    assert_eq!(p["countsTowardIndicators"], false);
    assert!(
        p["eligibilityReason"]
            .as_str()
            .unwrap()
            .contains("EU/EEA/Swiss")
    );
    let own = project(&c, "VLASTNI").await;
    let r = c
        .query(
            RECORD,
            json!({"input": service(&[&slovak], &own, 60, "OFFICE")}),
        )
        .await;
    assert_eq!(
        r.ok()["recordIntervention"]["participants"][0]["countsTowardIndicators"],
        true
    );

    // The snapshot is kept: a later status change does not rewrite it.
    c.query(
        "mutation($id: ClientId!) { addResidenceStatus(clientId: $id, input: {status: EU_CITIZEN, validFrom: \"2026-01-01\"}) { id } }",
        json!({"id": iryna}),
    )
    .await
    .ok();
    let r = c
        .query(
            "query($id: InterventionId!) { intervention(id: $id) { participants { eligible countsTowardIndicators } } }",
            json!({"id": counted}),
        )
        .await;
    assert_eq!(
        r.ok()["intervention"]["participants"][0],
        json!({"eligible": true, "countsTowardIndicators": true})
    );

    // The client page shows the latest interventions, newest first.
    let r = c
        .query(
            "query($id: ClientId!) { client(id: $id) { latestInterventions(first: 3) { id durationMinutes } } }",
            json!({"id": iryna}),
        )
        .await;
    let latest = r.ok()["client"]["latestInterventions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(latest.len(), 3);
    assert_eq!(latest[0]["durationMinutes"], 40);

    // Read with the record (one transaction) or on their own, the latest
    // interventions are the same; two counts asked at once each get theirs;
    // each page read is logged once.
    let admin = app.signed_in("admin.usti@example.org").await;
    let reads = || async {
        let r = admin
            .query(
                "query($id: ClientId!) { clientAccessLog(clientId: $id) { action } }",
                json!({"id": iryna}),
            )
            .await;
        r.ok()["clientAccessLog"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["action"] == "READ")
            .count()
    };
    let before = reads().await;
    let r = c
        .query(
            "query($id: ClientId!) { client(id: $id) { id latestInterventions { id durationMinutes } } }",
            json!({"id": iryna}),
        )
        .await;
    let all = r.ok()["client"]["latestInterventions"].clone();
    assert_eq!(all.as_array().unwrap()[..3], latest[..]);
    assert_eq!(reads().await, before + 1);
    let r = c
        .query(
            "query($id: ClientId!) { client(id: $id) { few: latestInterventions(first: 1) { id } many: latestInterventions(first: 20) { id } } }",
            json!({"id": iryna}),
        )
        .await;
    assert_eq!(r.ok()["client"]["few"].as_array().unwrap().len(), 1);
    let ids: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"id": i["id"]}))
        .collect();
    assert_eq!(r.ok()["client"]["many"], json!(ids));
    assert_eq!(reads().await, before + 2);
    let r = c
        .query(
            "query($id: ClientId!) { client(id: $id) { latestInterventions(first: 0) { id } } }",
            json!({"id": iryna}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
}
on_both_engines!(counting_rule, interventions_and_the_counting_rule);

async fn groups_timeline_and_bad_input(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let amif = project(&c, "AMIF/52").await;
    let a = id(&register(&c, ua("Olha", "1991-02-02"), tp()).await);
    let b = id(&register(&c, ua("Nadiia", "1992-03-03"), tp()).await);

    // A group session: both named participants get it, plus a head-count.
    let mut input = service(&[&a, &b], &amif, 90, "OFFICE");
    input["anonymousCount"] = json!(6);
    input["kind"] = json!("INTERCULTURAL_WORK");
    let r = c.query(RECORD, json!({"input": input})).await;
    let g = r.ok()["recordIntervention"].clone();
    assert_eq!(g["isGroup"], true);
    assert_eq!(g["anonymousCount"], 6);
    assert_eq!(g["participants"].as_array().unwrap().len(), 2);
    for who in [&a, &b] {
        let t = timeline(&c, who).await;
        assert!(
            t.iter().any(|e| e["node"]["id"] == g["id"]),
            "group session on {who}'s timeline: {t:?}"
        );
    }

    let before = timeline(&c, &a).await.len();
    let bad = |patch: Value| {
        let mut v = service(&[&a], &amif, 30, "OFFICE");
        for (k, val) in patch.as_object().unwrap() {
            v[k] = val.clone();
        }
        v
    };
    for (patch, code, expected_field) in [
        (
            json!({"durationMinutes": -5}),
            "BAD_USER_INPUT",
            json!("durationMinutes"),
        ),
        (
            json!({"durationMinutes": 0}),
            "BAD_USER_INPUT",
            json!("durationMinutes"),
        ),
        (
            json!({"occurredOn": "2099-01-01"}),
            "BAD_USER_INPUT",
            json!("occurredOn"),
        ),
        (
            json!({"topics": ["GARDENING"]}),
            "BAD_USER_INPUT",
            json!("topics"),
        ),
        (json!({"topics": []}), "BAD_USER_INPUT", json!("topics")),
        (
            json!({"kind": "ACCOMPANIMENT"}),
            "BAD_USER_INPUT",
            json!("targetOffice"),
        ),
        (
            json!({"clientIds": [a.clone(), a.clone()]}),
            "BAD_USER_INPUT",
            json!("clientIds"),
        ),
        (
            json!({"clientIds": []}),
            "BAD_USER_INPUT",
            json!("clientIds"),
        ),
        (
            json!({"language": "ukrainian"}),
            "BAD_USER_INPUT",
            json!("language"),
        ),
        (
            json!({"fundingProjectId": "nope"}),
            "BAD_USER_INPUT",
            json!("fundingProjectId"),
        ),
        (
            json!({"fundingProjectId": uuid::Uuid::now_v7().to_string()}),
            "NOT_FOUND",
            Value::Null,
        ),
        (
            json!({"clientIds": [a.clone(), uuid::Uuid::now_v7().to_string()]}),
            "NOT_FOUND",
            Value::Null,
        ),
    ] {
        let r = c.query(RECORD, json!({"input": bad(patch.clone())})).await;
        assert_eq!(r.code().as_deref(), Some(code), "{patch}: {}", r.body);
        if !expected_field.is_null() {
            assert_eq!(field(&r), expected_field, "{patch}: {}", r.body);
        }
    }
    // A client of another centre looks missing, and nothing was saved.
    let praha = app.signed_in("admin.praha@example.org").await;
    let theirs = id(&register(&praha, ua("Praha", "1980-01-01"), tp()).await);
    let r = c
        .query(
            RECORD,
            json!({"input": bad(json!({"clientIds": [a.clone(), theirs]}))}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);
    assert_eq!(
        timeline(&c, &a).await.len(),
        before,
        "bad input saved nothing"
    );

    // Timeline paging: newest first, every entry once.
    for day in ["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"] {
        let mut v = service(&[&a], &amif, 30, "OFFICE");
        v["occurredOn"] = json!(day);
        c.query(RECORD, json!({"input": v})).await.ok();
    }
    c.query(
        "mutation($c: ClientId!) { createTask(input: {title: \"Call back\", dueOn: \"2026-03-01\", clientId: $c}) { id } }",
        json!({"c": a}),
    )
    .await
    .ok();
    let all = timeline(&c, &a).await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let r = c
            .query(TIMELINE, json!({"id": a, "first": 2, "after": after}))
            .await;
        let page = r.ok()["clientTimeline"].clone();
        for e in page["edges"].as_array().unwrap() {
            seen.push(e.clone());
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, all, "pages add up to the whole timeline");
    let dates: Vec<&str> = all.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(dates, sorted, "newest first");
    assert!(all.iter().any(|e| e["node"]["__typename"] == "Task"));
    let r = c
        .query(TIMELINE, json!({"id": a, "after": "garbage"}))
        .await;
    assert_eq!(field(&r), "after");
}
on_both_engines!(groups_and_timeline, groups_timeline_and_bad_input);

async fn notes_by_role(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let client = id(&register(&counsellor, ua("Notes", "1985-05-05"), tp()).await);
    let add = "mutation($c: ClientId!, $k: NoteKind!, $b: String!) { addNote(clientId: $c, kind: $k, body: $b) { id kind } }";
    let notes = "query($c: ClientId!) { clientNotes(clientId: $c) { kind body } }";

    counsellor
        .query(
            add,
            json!({"c": client, "k": "SOCIAL", "b": "Housing is precarious."}),
        )
        .await
        .ok();
    let r = counsellor
        .query(add, json!({"c": client, "k": "LEGAL", "b": "x"}))
        .await;
    assert_eq!(
        r.code().as_deref(),
        Some("FORBIDDEN"),
        "a social counsellor writes no legal note"
    );
    admin
        .query(
            add,
            json!({"c": client, "k": "LEGAL", "b": "Appeal deadline 30 days."}),
        )
        .await
        .ok();
    let kinds = |r: GqlResponse| -> Vec<String> {
        r.ok()["clientNotes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        kinds(admin.query(notes, json!({"c": client})).await),
        ["LEGAL", "SOCIAL"]
    );
    let seen = counsellor.query(notes, json!({"c": client})).await;
    assert!(!seen.body.to_string().contains("Appeal"), "{}", seen.body);
    assert_eq!(kinds(seen), ["SOCIAL"]);
    // A note with an intervention: legal needs the legal role.
    let amif = project(&counsellor, "AMIF/52").await;
    let mut v = service(&[&client], &amif, 30, "OFFICE");
    v["note"] = json!({"kind": "LEGAL", "body": "secret"});
    let r = counsellor.query(RECORD, json!({"input": v.clone()})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // Lecturers never; receptionists never.
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let r = lecturer.query(notes, json!({"c": client})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let staff = admin.query("{ staff { userId email } }", json!({})).await;
    let user = |email: &str| {
        staff.ok()["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .unwrap()["userId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let set_roles =
        "mutation($u: UserId!, $r: [Role!]!) { setStaffRoles(userId: $u, roles: $r) { userId } }";
    admin
        .query(
            set_roles,
            json!({"u": user("lecturer.usti@example.org"), "r": ["RECEPTIONIST"]}),
        )
        .await
        .ok();
    let desk = app.signed_in("lecturer.usti@example.org").await;
    let r = desk.query(notes, json!({"c": client})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    // The desk records information services only.
    let mut info = service(&[&client], &amif, 15, "OFFICE");
    info["kind"] = json!("INFORMATION_SERVICE");
    desk.query(RECORD, json!({"input": info})).await.ok();
    let r = desk
        .query(
            RECORD,
            json!({"input": service(&[&client], &amif, 30, "OFFICE")}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // The data-subject export holds the services and both notes.
    let export = crate::client_rights::export_of(&admin, &client).await;
    let section = |title: &str| -> Vec<Value> {
        crate::client_rights::section(&export, title)["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    let services = section("Services received");
    assert_eq!(services.len(), 1, "{services:?}");
    assert_eq!(services[0][1], "information service");
    assert_eq!(services[0][3], "15");
    let notes_out = section("Notes");
    assert_eq!(notes_out.len(), 2);
    assert!(notes_out.iter().any(|n| n[2] == "Appeal deadline 30 days."));
    assert!(section("Cases").is_empty());

    // A legal counsellor reads both kinds and writes legal notes.
    admin
        .query(
            set_roles,
            json!({"u": user("counsellor.usti@example.org"), "r": ["LEGAL_COUNSELLOR"]}),
        )
        .await
        .ok();
    let legal = app.signed_in("counsellor.usti@example.org").await;
    assert_eq!(
        kinds(legal.query(notes, json!({"c": client})).await),
        ["LEGAL", "SOCIAL"]
    );
    let r = legal.query(RECORD, json!({"input": v})).await;
    r.ok();
    assert_eq!(
        kinds(legal.query(notes, json!({"c": client})).await),
        ["LEGAL", "LEGAL", "SOCIAL"]
    );
    // Every read of notes is in the client's access log.
    let log = admin
        .query(
            "query($c: ClientId!) { clientAccessLog(clientId: $c) { action fields } }",
            json!({"c": client}),
        )
        .await;
    assert!(
        log.ok()["clientAccessLog"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "READ" && e["fields"] == json!(["notes"])),
        "{}",
        log.body
    );
}
on_both_engines!(notes, notes_by_role);

const BOOK: &str = "mutation($input: AppointmentInput!) { bookAppointment(input: $input) { id status startsAt endsAt } }";

async fn appointments_and_clashes(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let c = app.signed_in("counsellor.usti@example.org").await;
    let client = id(&register(&c, ua("Termín", "1988-08-08"), tp()).await);
    let interp = admin
        .query(
            "mutation { addInterpreter(input: {name: \"Oksana Tlumočnice\", languages: [\"uk\", \"ru\"]}) { id languages external } }",
            json!({}),
        )
        .await;
    let interp = interp.ok()["addInterpreter"].clone();
    assert_eq!(interp["external"], true);
    let interp = id(&interp);
    let slot = |start: &str, end: &str| {
        json!({"clientId": client, "kind": "SOCIAL_COUNSELLING", "language": "uk",
               "interpreterId": interp, "startsAt": start, "endsAt": end})
    };
    let first = c
        .query(
            BOOK,
            json!({"input": slot("2026-12-01T09:00:00+01:00", "2026-12-01T10:00:00+01:00")}),
        )
        .await;
    let first = id(&first.ok()["bookAppointment"]);

    // The same worker and interpreter half an hour later: both clashes.
    let r = c
        .query(
            BOOK,
            json!({"input": slot("2026-12-01T09:30:00+01:00", "2026-12-01T10:30:00+01:00")}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
    let clashes = r.errors()[0]["extensions"]["clashes"]
        .as_array()
        .unwrap()
        .clone();
    let resources: Vec<&str> = clashes
        .iter()
        .map(|c| c["resource"].as_str().unwrap())
        .collect();
    assert_eq!(resources, ["worker", "interpreter"], "{clashes:?}");
    assert!(clashes.iter().all(|x| x["withId"] == first.as_str()));
    let msg = r.errors()[0]["message"].as_str().unwrap().to_owned();
    assert!(
        msg.contains("Petr Poradce") && msg.contains("Oksana"),
        "{msg}"
    );
    assert!(msg.contains("09:00–10:00"), "times in Prague: {msg}");

    // Another worker, same interpreter: the interpreter clash alone.
    let mut other = slot("2026-12-01T09:30:00+01:00", "2026-12-01T10:30:00+01:00");
    other["clientId"] = Value::Null;
    let r = admin.query(BOOK, json!({"input": other})).await;
    let clashes = r.errors()[0]["extensions"]["clashes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(clashes.len(), 1);
    assert_eq!(clashes[0]["resource"], "interpreter");

    // Back to back is fine; an end before the start is not.
    c.query(
        BOOK,
        json!({"input": slot("2026-12-01T10:00:00+01:00", "2026-12-01T11:00:00+01:00")}),
    )
    .await
    .ok();
    let r = c
        .query(
            BOOK,
            json!({"input": slot("2026-12-02T10:00:00+01:00", "2026-12-02T09:00:00+01:00")}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(field(&r), "endsAt");

    // Move onto a clash: refused; to a free time: done; cancel frees it.
    let mv = "mutation($id: AppointmentId!, $s: DateTime!, $e: DateTime!) { moveAppointment(id: $id, startsAt: $s, endsAt: $e) { startsAt } }";
    let r = c
        .query(mv, json!({"id": first, "s": "2026-12-01T10:15:00+01:00", "e": "2026-12-01T10:45:00+01:00"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    c.query(
        mv,
        json!({"id": first, "s": "2026-12-01T13:00:00+01:00", "e": "2026-12-01T14:00:00+01:00"}),
    )
    .await
    .ok();
    c.query(
        "mutation($id: AppointmentId!) { cancelAppointment(id: $id, reason: \"ill\") { status } }",
        json!({"id": first}),
    )
    .await
    .ok();
    c.query(
        BOOK,
        json!({"input": slot("2026-12-01T13:00:00+01:00", "2026-12-01T14:00:00+01:00")}),
    )
    .await
    .ok();

    // The worker's calendar for the day.
    let r = c
        .query(
            "{ appointments(from: \"2026-12-01T00:00:00+01:00\", to: \"2026-12-02T00:00:00+01:00\", includeCancelled: true) { status startsAt } }",
            json!({}),
        )
        .await;
    let statuses: Vec<&str> = r.ok()["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    // By start: 10:00, then the cancelled 13:00 and its replacement.
    assert_eq!(statuses, ["BOOKED", "CANCELLED", "BOOKED"], "{}", r.body);
}
on_both_engines!(appointments, appointments_and_clashes);

async fn cases_tasks_inquiries_outreach(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let c = app.signed_in("counsellor.usti@example.org").await;
    let amif = project(&c, "AMIF/52").await;
    let client = id(&register(&c, ua("Plán", "1979-07-07"), tp()).await);

    // A case with its plan; progress; closing.
    let r = c
        .query(
            "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: SOCIAL, title: \"Bydlení\", openedOn: \"2026-03-01\", goals: [{description: \"Find a flat\"}, {description: \"Register with a doctor\", targetOn: \"2026-06-30\"}]}) { id status goals { id status progress } } }",
            json!({"c": client}),
        )
        .await;
    let case = r.ok()["openCase"].clone();
    assert_eq!(case["status"], "OPEN");
    assert_eq!(case["goals"].as_array().unwrap().len(), 2);
    let goal = id(&case["goals"][0]);
    let r = c
        .query(
            "mutation($g: GoalId!) { updateCaseGoal(goalId: $g, input: {description: \"Find a flat\", status: ACHIEVED}) { goals { status progress } } }",
            json!({"g": goal}),
        )
        .await;
    assert_eq!(
        r.ok()["updateCaseGoal"]["goals"][0],
        json!({"status": "ACHIEVED", "progress": 100})
    );
    let r = c
        .query(
            "mutation($g: GoalId!) { updateCaseGoal(goalId: $g, input: {description: \"Find a flat\", progress: 140}) { id } }",
            json!({"g": goal}),
        )
        .await;
    assert_eq!(field(&r), "progress");
    let r = c
        .query(
            "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: LEGAL, title: \"Appeal\"}) { id } }",
            json!({"c": client}),
        )
        .await;
    assert_eq!(
        r.code().as_deref(),
        Some("FORBIDDEN"),
        "legal cases are legal counselling"
    );

    // An individual intervention in the case with a follow-up for a colleague.
    let staff = admin.query("{ staff { userId email } }", json!({})).await;
    let admin_id = staff.ok()["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "admin.usti@example.org")
        .unwrap()["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut v = service(&[&client], &amif, 60, "OFFICE");
    v["caseId"] = case["id"].clone();
    v["kind"] = json!("ACCOMPANIMENT");
    v["targetOffice"] = json!("LABOUR_OFFICE");
    v["followUp"] = json!({"title": "Check the benefit decision", "dueOn": "2026-05-20", "assigneeId": admin_id});
    c.query(RECORD, json!({"input": v})).await.ok();
    c.query(
        "mutation($c: ClientId!) { createTask(input: {title: \"Later\", dueOn: \"2099-01-01\", clientId: $c, assigneeId: null}) { id } }",
        json!({"c": client}),
    )
    .await
    .ok();
    admin
        .query(
            "mutation { createTask(input: {title: \"Due later\", dueOn: \"2099-02-01\"}) { id } }",
            json!({}),
        )
        .await
        .ok();
    let mine = admin
        .query("{ myTasks { id title overdue done } }", json!({}))
        .await;
    let mine = mine.ok()["myTasks"].as_array().unwrap().clone();
    assert_eq!(
        mine[0]["title"], "Check the benefit decision",
        "overdue first: {mine:?}"
    );
    assert_eq!(mine[0]["overdue"], true);
    assert_eq!(mine.last().unwrap()["overdue"], false);
    let done = admin
        .query(
            "mutation($id: TaskId!) { setTaskDone(id: $id, done: true) { done overdue } }",
            json!({"id": mine[0]["id"]}),
        )
        .await;
    assert_eq!(
        done.ok()["setTaskDone"],
        json!({"done": true, "overdue": false})
    );
    let r = c
        .query(
            "mutation($id: CaseId!) { updateCase(id: $id, input: {status: CLOSED, closedOn: \"2026-02-01\"}) { id } }",
            json!({"id": case["id"]}),
        )
        .await;
    assert_eq!(field(&r), "closedOn", "closing before opening");
    let r = c
        .query(
            "mutation($id: CaseId!) { updateCase(id: $id, input: {status: CLOSED}) { status closedOn } }",
            json!({"id": case["id"]}),
        )
        .await;
    assert_eq!(r.ok()["updateCase"]["status"], "CLOSED");

    // An anonymous inquiry, then the person registers from it.
    let r = c
        .query(
            "mutation { recordInquiry(input: {occurredOn: \"2026-05-04\", channel: PHONE, language: \"vi\", nationality: \"VN\", topics: [RESIDENCE], durationMinutes: 10, outcome: REFERRED, referredTo: \"OAMP\"}) { id clientId } }",
            json!({}),
        )
        .await;
    let inquiry = id(&r.ok()["recordInquiry"]);
    let r = c
        .query(
            "mutation { recordInquiry(input: {channel: EMAIL, topics: [HOUSING], durationMinutes: 5, outcome: REFERRED}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(field(&r), "referredTo");
    let reg = "mutation($i: InquiryId!) { registerClientFromInquiry(inquiryId: $i, input: {givenName: \"Lan\", familyName: \"Nguyen\", sex: FEMALE, nationality: \"VN\"}) { client { id } } }";
    let r = c.query(reg, json!({"i": inquiry})).await;
    let lan = id(&r.ok()["registerClientFromInquiry"]["client"]);
    let r = c
        .query(
            "{ inquiries(from: \"2026-05-01\", to: \"2026-05-31\") { id clientId } }",
            json!({}),
        )
        .await;
    assert_eq!(r.ok()["inquiries"][0]["clientId"], lan.as_str());
    let r = c.query(reg, json!({"i": inquiry})).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));

    // Registration and link are one transaction: a refused registration
    // leaves the inquiry open, and six desks turning the same inquiry into a
    // client at once make exactly one client.
    let r = c
        .query(
            "mutation { recordInquiry(input: {channel: PHONE, topics: [HOUSING], durationMinutes: 10, outcome: ANSWERED}) { id } }",
            json!({}),
        )
        .await;
    let open = id(&r.ok()["recordInquiry"]);
    let once = "mutation($i: InquiryId!, $n: String!) { registerClientFromInquiry(inquiryId: $i, input: {givenName: \"Minh\", familyName: \"Tranová\", sex: FEMALE, nationality: $n}, confirmNotDuplicate: true) { client { id } } }";
    let r = c.query(once, json!({"i": open, "n": "XX"})).await;
    assert_eq!(field(&r), "nationality");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let c = c.clone();
        let open = open.clone();
        tasks.push(tokio::spawn(async move {
            c.query(once, json!({"i": open, "n": "VN"})).await
        }));
    }
    let mut created = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        match r.code().as_deref() {
            None => created.push(id(&r.ok()["registerClientFromInquiry"]["client"])),
            Some(code) => assert_eq!(code, "CONFLICT"),
        }
    }
    assert_eq!(created.len(), 1, "one client from one inquiry");
    let r = c
        .query(
            "{ searchClients(text: \"Tranová\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.ok()["searchClients"]["edges"],
        json!([{"node": {"id": created[0]}}])
    );

    // An outreach slot, Mondays at the immigration office, and a field
    // session recorded in it with named and anonymous contacts.
    let r = admin
        .query(
            "mutation { createOutreachSlot(input: {title: \"Immigration office desk\", place: \"OAMP Příbram\", municipality: \"Příbram\", weekdays: [MONDAY], startsTime: \"09:00\", endsTime: \"12:00\", validFrom: \"2026-01-05\"}) { id rrule } }",
            json!({}),
        )
        .await;
    let slot = r.ok()["createOutreachSlot"].clone();
    assert_eq!(slot["rrule"], "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO");
    let mut field_work = service(&[&client], &amif, 180, "FIELD");
    field_work["kind"] = json!("FIELD_CONTACT");
    field_work["anonymousCount"] = json!(12);
    field_work["outreachSlotId"] = slot["id"].clone();
    field_work["place"] = json!("OAMP Příbram");
    let session = c.query(RECORD, json!({"input": field_work})).await;
    let session = id(&session.ok()["recordIntervention"]);
    let r = c
        .query(
            "{ outreachSchedule(from: \"2026-04-27\", to: \"2026-05-11\") { date startsAt recordedInterventionIds } }",
            json!({}),
        )
        .await;
    let occ = r.ok()["outreachSchedule"].as_array().unwrap().clone();
    let dates: Vec<&str> = occ.iter().map(|o| o["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-04-27", "2026-05-04", "2026-05-11"]);
    assert_eq!(occ[1]["recordedInterventionIds"], json!([session]));
    assert_eq!(
        occ[0]["startsAt"], "2026-04-27T07:00:00+00:00",
        "09:00 CEST"
    );
    let r = admin
        .query(
            "mutation { createOutreachSlot(input: {title: \"x\", place: \"y\", weekdays: [], startsTime: \"9\", endsTime: \"12:00\", validFrom: \"2026-01-05\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(field(&r), "startsTime");

    // Workload: records and minutes, never persons.
    let r = c
        .query(
            "{ workload(from: \"2026-05-01\", to: \"2026-05-31\") { anonymousContacts interventions { kind count minutes namedParticipants } inquiries { channel count } } }",
            json!({}),
        )
        .await;
    let w = r.ok()["workload"].clone();
    assert_eq!(w["anonymousContacts"], 12);
    assert_eq!(w["inquiries"], json!([{"channel": "PHONE", "count": 1}]));
    assert!(
        w["interventions"].as_array().unwrap().contains(
            &json!({"kind": "FIELD_CONTACT", "count": 1, "minutes": 180, "namedParticipants": 1})
        ),
        "{w}"
    );

    // The same month sliced by channel, weekday, hour and worker. The admin
    // answers an e-mail on Tuesday 5 May.
    admin
        .query(
            "mutation { recordInquiry(input: {occurredOn: \"2026-05-05\", channel: EMAIL, topics: [HOUSING], durationMinutes: 7, outcome: ANSWERED}) { id } }",
            json!({}),
        )
        .await
        .ok();
    const SLICES: &str = "{ workload(from: \"2026-05-01\", to: \"2026-05-31\") { \
        byChannel { key interventions interventionMinutes inquiries inquiryMinutes } \
        byWeekday { key interventions inquiries } byHour { key interventions inquiries } \
        byWorker { key label interventions inquiries } } }";
    let w = c.query(SLICES, json!({})).await.ok()["workload"].clone();
    let slice = |list: &str, key: &str| -> Value {
        w[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {list}: {w}"))
    };
    assert_eq!(slice("byChannel", "phone")["inquiries"], 1);
    assert_eq!(slice("byChannel", "phone")["inquiryMinutes"], 10);
    assert_eq!(slice("byChannel", "email")["inquiries"], 1);
    assert_eq!(slice("byChannel", "field")["interventionMinutes"], 180);
    // 4 May 2026 is a Monday, 5 May a Tuesday.
    assert_eq!(slice("byWeekday", "1")["inquiries"], 1);
    assert_eq!(slice("byWeekday", "2")["inquiries"], 1);
    // Everything was entered months after the day it happened: no hour.
    let hours: Vec<&str> = w["byHour"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(hours, ["unknown"]);
    // Every slicing adds up to the same records.
    let total = |list: &str, what: &str| -> i64 {
        w[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[what].as_i64().unwrap())
            .sum()
    };
    for list in ["byChannel", "byWeekday", "byHour"] {
        assert_eq!(total(list, "inquiries"), 2, "{list}");
        assert_eq!(
            total(list, "interventions"),
            total("byChannel", "interventions"),
            "{list}"
        );
    }
    // A counsellor sees their own row; the admin, who reads reports, both.
    let workers = w["byWorker"].as_array().unwrap();
    assert_eq!(workers.len(), 1, "{w}");
    assert!(workers[0]["label"].as_str().is_some_and(|l| !l.is_empty()));
    assert_eq!(workers[0]["inquiries"], 1);
    let all = admin.query(SLICES, json!({})).await.ok()["workload"]["byWorker"].clone();
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    // An inquiry recorded as it happens counts at the hour it was made.
    let hour = || {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Prague)
            .format("%H")
            .to_string()
    };
    let before = hour();
    c.query(
        "mutation { recordInquiry(input: {channel: IN_PERSON, topics: [HOUSING], durationMinutes: 3, outcome: ANSWERED}) { id } }",
        json!({}),
    )
    .await
    .ok();
    let after = hour();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Prague)
        .date_naive()
        .to_string();
    let r = c
        .query(
            "query($d: Date!) { workload(from: $d, to: $d) { byHour { key inquiries } byChannel { key inquiries } } }",
            json!({"d": today}),
        )
        .await;
    let h = r.ok()["workload"]["byHour"][0].clone();
    assert!(
        h["key"] == before.as_str() || h["key"] == after.as_str(),
        "{h} at {before}/{after}"
    );
    assert_eq!(
        r.ok()["workload"]["byChannel"][0],
        json!({"key": "in_person", "inquiries": 1})
    );
    // At most a year at once, the field named.
    let r = c
        .query(
            "{ workload(from: \"2024-01-01\", to: \"2026-01-01\") { anonymousContacts } }",
            json!({}),
        )
        .await;
    assert_eq!(field(&r), "to");
}
on_both_engines!(cases_and_more, cases_tasks_inquiries_outreach);

async fn merge_and_anonymise_carry_counselling(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let amif = project(&admin, "AMIF/52").await;
    let keep = id(&register(&admin, ua("Merged", "1970-01-01"), tp()).await);
    let dup = id(&register(&admin, ua("Merged", "1970-01-01"), tp()).await);
    // Both records in one group session, and one service on the duplicate.
    let group = admin
        .query(
            RECORD,
            json!({"input": service(&[&keep, &dup], &amif, 60, "OFFICE")}),
        )
        .await;
    let group = id(&group.ok()["recordIntervention"]);
    admin
        .query(
            RECORD,
            json!({"input": service(&[&dup], &amif, 45, "OFFICE")}),
        )
        .await
        .ok();
    admin
        .query(
            "mutation($c: ClientId!) { addNote(clientId: $c, kind: SOCIAL, body: \"Private words\") { id } }",
            json!({"c": dup}),
        )
        .await
        .ok();
    admin
        .query(
            "mutation($k: ClientId!, $m: ClientId!) { mergeClients(keepId: $k, mergeId: $m) { id } }",
            json!({"k": keep, "m": dup}),
        )
        .await
        .ok();
    let t = timeline(&admin, &keep).await;
    assert_eq!(t.len(), 2, "both services, the group session once: {t:?}");
    let r = admin
        .query(
            "query($id: InterventionId!) { intervention(id: $id) { participants { clientId } } }",
            json!({"id": group}),
        )
        .await;
    assert_eq!(
        r.ok()["intervention"]["participants"],
        json!([{"clientId": keep}]),
        "the person counts once"
    );
    let notes = admin
        .query(
            "query($c: ClientId!) { clientNotes(clientId: $c) { body } }",
            json!({"c": keep}),
        )
        .await;
    assert_eq!(notes.ok()["clientNotes"][0]["body"], "Private words");

    // Anonymisation erases the notes but keeps the services (and counts).
    admin
        .query(
            "mutation($c: ClientId!) { anonymiseClient(clientId: $c) { anonymisedAt } }",
            json!({"c": keep}),
        )
        .await
        .ok();
    let usti = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "usti")
        .await
        .unwrap()
        .unwrap();
    let txn = app.platform.unscoped_for_centre(usti).await.unwrap();
    let keep_id = uuid::Uuid::parse_str(&keep).unwrap();
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM notes WHERE client_id = ?",
        "SELECT COUNT(*) FROM intervention_participants WHERE client_id = ?",
    ] {
        use sea_orm::ConnectionTrait;
        let row = txn
            .query_one_raw(integra_kernel::stmt(
                app.db.backend(),
                sql,
                vec![keep_id.into()],
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push(row.try_get_by_index::<i64>(0).unwrap());
    }
    assert_eq!(counts, [0, 2], "notes erased, services kept");
}
on_both_engines!(merge_and_anonymise, merge_and_anonymise_carry_counselling);

/// On PostgreSQL a client's page is one statement (`integra_client_page`);
/// read statement by statement, as on SQLite, it must be the same page:
/// every part, the latest services with a group session's participants, a
/// merged record's survivor, the same refusals (anonymised, another
/// centre's, unknown), and exactly one audit line per read either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_page_in_one_statement_is_the_page_of_its_statements() {
    use std::sync::Arc;

    use integra_clients::{ClientService, Parts};
    use integra_counselling::CounsellingService;
    use integra_kernel::scope::can;
    use integra_kernel::{AppError, ClientId, SharedClock, SystemClock};
    use integra_tenants::auth::{AuthConfig, AuthService};

    let app = TestApp::start(integra_test_support::Engine::Postgres).await;
    let admin = app.signed_in("admin.usti@example.org").await;
    let amif = project(&admin, "AMIF/52").await;
    let mut aliased = ua("Olena", "1981-02-03");
    aliased["aliases"] = json!([{"givenName": "Olena", "familyName": "Ševčenko"}]);
    let olena = id(&register(&admin, aliased, tp()).await);
    let petro = id(&register(&admin, ua("Petro", "2010-05-06"), tp()).await);
    let dup = id(&register(&admin, ua("Olena", "1981-02-03"), tp()).await);
    let gone = id(&register(&admin, ua("Gone", "1990-01-01"), tp()).await);
    let praha = app.signed_in("admin.praha@example.org").await;
    let elsewhere = id(&register(&praha, ua("Elsewhere", "1991-01-01"), tp()).await);
    for q in [
        "mutation($id: ClientId!) { addResidenceStatus(clientId: $id, input: {status: PERMANENT, validFrom: \"2026-04-01\", documentType: \"permit\", documentNumber: \"X123\"}) { id } }",
        "mutation($id: ClientId!) { recordConsent(clientId: $id, purpose: NEWSLETTER, given: true, decidedOn: \"2026-01-05\") { id } }",
        "mutation($id: ClientId!) { recordConsent(clientId: $id, purpose: NEWSLETTER, given: false, decidedOn: \"2026-02-05\") { id } }",
    ] {
        admin.query(q, json!({"id": olena})).await.ok();
    }
    admin
        .query(
            "mutation($a: ClientId!, $b: ClientId!) { linkHousehold(clientId: $a, otherClientId: $b, relation: CHILD) { id } }",
            json!({"a": olena, "b": petro}),
        )
        .await
        .ok();
    admin
        .query(
            RECORD,
            json!({"input": service(&[&olena, &petro], &amif, 60, "OFFICE")}),
        )
        .await
        .ok();
    for minutes in [20, 45, 90] {
        admin
            .query(
                RECORD,
                json!({"input": service(&[&olena], &amif, minutes, "PHONE")}),
            )
            .await
            .ok();
    }
    admin
        .query(
            RECORD,
            json!({"input": service(&[&dup], &amif, 30, "OFFICE")}),
        )
        .await
        .ok();
    admin
        .query(
            "mutation($k: ClientId!, $m: ClientId!) { mergeClients(keepId: $k, mergeId: $m) { id } }",
            json!({"k": olena, "m": dup}),
        )
        .await
        .ok();
    admin
        .query(
            "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { sex } }",
            json!({"id": gone}),
        )
        .await
        .ok();

    let clock: SharedClock = Arc::new(SystemClock);
    let auth = AuthService::new(app.platform.clone(), clock.clone(), AuthConfig::default());
    let signed = auth
        .sign_in(
            "counsellor.usti@example.org",
            integra_tenants::seed::DEMO_PASSWORD,
            None,
        )
        .await
        .unwrap();
    let who = auth.authenticate(&signed.token).await.unwrap().unwrap();
    let scope = who.scope.as_ref().unwrap();
    let can = scope.authorize::<can::ManageClients>().unwrap();
    let clients = ClientService::new(
        app.db.clone(),
        clock.clone(),
        b"pages read no key",
        integra_gateway::app::client_links(),
    )
    .unwrap();
    let counselling = CounsellingService::new(app.db.clone(), clock);
    let client = |s: &str| ClientId(s.parse().unwrap());
    let reader = &admin;
    let reads = |of: String| async move {
        let r = reader
            .query(
                "query($id: ClientId!) { clientAccessLog(clientId: $id) { action } }",
                json!({"id": of}),
            )
            .await;
        r.ok()["clientAccessLog"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["action"] == "READ")
            .count()
    };

    let none = Parts {
        aliases: false,
        residence: false,
        consents: false,
        household: false,
    };
    let mut checked = 0;
    for (asked, logged, parts, latest) in [
        (&olena, &olena, Parts::ALL, 20),
        (&olena, &olena, Parts::ALL, 2),
        (&olena, &olena, none, 1),
        (&dup, &olena, Parts::ALL, 100),
        (&petro, &petro, Parts::ALL, 20),
    ] {
        let before = reads(logged.clone()).await;
        let one = counselling
            .client_page(&clients, &can, client(asked), parts, latest)
            .await
            .unwrap();
        assert_eq!(
            reads(logged.clone()).await,
            before + 1,
            "one audit line per page"
        );
        let many = counselling
            .client_page_by_statements(&clients, &can, client(asked), parts, latest)
            .await
            .unwrap();
        assert_eq!(one, many, "page of {asked} with {parts:?}, {latest} latest");
        checked += one.1.len();
    }
    // The cases above did show something: parts, and services with their
    // participants (the group session names both).
    let (page, services) = counselling
        .client_page(&clients, &can, client(&dup), Parts::ALL, 20)
        .await
        .unwrap();
    assert_eq!(
        page.id,
        client(&olena),
        "a merged record reads as its survivor"
    );
    assert_eq!(page.aliases.len(), 1);
    assert_eq!(
        page.residence.len(),
        3,
        "its own two and the merged record's"
    );
    assert_eq!(page.consents.len(), 2);
    assert_eq!(page.household.len(), 1);
    assert!(page.residence_status.is_some());
    assert_eq!(services.len(), 5, "four services and the merged one's");
    assert!(services.iter().any(|s| s.participants.len() == 2));
    assert!(checked > 10);
    // The record alone (no services asked) is the same record.
    assert_eq!(
        clients
            .get_parts(&can, client(&olena), Parts::ALL)
            .await
            .unwrap(),
        page
    );

    for missing in [gone, elsewhere, uuid::Uuid::now_v7().to_string()] {
        let one = counselling
            .client_page(&clients, &can, client(&missing), Parts::ALL, 20)
            .await
            .unwrap_err();
        let many = counselling
            .client_page_by_statements(&clients, &can, client(&missing), Parts::ALL, 20)
            .await
            .unwrap_err();
        assert!(matches!(one, AppError::NotFound), "{missing}: {one:?}");
        assert!(matches!(many, AppError::NotFound), "{missing}: {many:?}");
    }
}

/// Every reference of a recorded service is checked, in the same order
/// and with the same answer on both engines (PostgreSQL reads them all in
/// one statement): another centre's project or client, an anonymised
/// record, two records of one person, a worker or assignee from outside
/// the centre, an unknown branch, interpreter, outreach slot or case, and
/// another client's case. Nothing of a refused service is saved.
async fn record_refuses_bad_references(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let amif = project(&admin, "AMIF/52").await;
    let theirs = praha
        .query("{ fundingProjects { id } }", json!({}))
        .await
        .ok()["fundingProjects"][0]["id"]
        .clone();
    let outsider = praha.query("{ viewer { id } }", json!({})).await.ok()["viewer"]["id"].clone();
    let their_client = id(&register(&praha, ua("Cizí", "1980-01-01"), tp()).await);
    let anna = id(&register(&admin, ua("Anna", "1985-05-05"), tp()).await);
    let boris = id(&register(&admin, ua("Boris", "1986-06-06"), tp()).await);
    let gone = id(&register(&admin, ua("Gone", "1987-07-07"), tp()).await);
    let dup = id(&register(&admin, ua("Anna", "1985-05-05"), tp()).await);
    admin
        .query(
            "mutation($k: ClientId!, $m: ClientId!) { mergeClients(keepId: $k, mergeId: $m) { id } }",
            json!({"k": anna, "m": dup}),
        )
        .await
        .ok();
    admin
        .query(
            "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { sex } }",
            json!({"id": gone}),
        )
        .await
        .ok();
    let boris_case = admin
        .query(
            "mutation($c: ClientId!) { openCase(clientId: $c, input: {kind: SOCIAL, title: \"Housing\"}) { id } }",
            json!({"c": boris}),
        )
        .await;
    let boris_case = boris_case.ok()["openCase"]["id"].clone();
    let unknown = json!(uuid::Uuid::now_v7().to_string());
    let with = |key: &str, value: Value| {
        let mut v = service(&[&anna], &amif, 60, "OFFICE");
        v[key] = value;
        v
    };
    for (input, code, field_named) in [
        (with("fundingProjectId", theirs), "NOT_FOUND", None),
        (with("clientIds", json!([their_client])), "NOT_FOUND", None),
        (
            with("clientIds", json!([gone])),
            "BAD_USER_INPUT",
            Some("clientIds"),
        ),
        (
            with("clientIds", json!([anna, dup])),
            "BAD_USER_INPUT",
            Some("clientIds"),
        ),
        (
            with("workerId", outsider.clone()),
            "BAD_USER_INPUT",
            Some("workerId"),
        ),
        (
            with(
                "followUp",
                json!({"title": "Call", "dueOn": "2026-06-01", "assigneeId": outsider}),
            ),
            "BAD_USER_INPUT",
            Some("followUp.assigneeId"),
        ),
        (with("branchId", unknown.clone()), "NOT_FOUND", None),
        (with("interpreterId", unknown.clone()), "NOT_FOUND", None),
        (with("outreachSlotId", unknown.clone()), "NOT_FOUND", None),
        (with("caseId", unknown.clone()), "NOT_FOUND", None),
        (
            with("caseId", boris_case.clone()),
            "BAD_USER_INPUT",
            Some("caseId"),
        ),
    ] {
        let r = admin.query(RECORD, json!({"input": input})).await;
        assert_eq!(r.code().as_deref(), Some(code), "{input}: {}", r.body);
        if let Some(f) = field_named {
            assert_eq!(field(&r), f, "{}", r.body);
        }
    }
    let r = admin
        .query(
            "query($id: ClientId!) { client(id: $id) { latestInterventions { id } } }",
            json!({"id": anna}),
        )
        .await;
    assert_eq!(r.ok()["client"]["latestInterventions"], json!([]));
    let r = admin.query("{ myTasks { id } }", json!({})).await;
    assert_eq!(r.ok()["myTasks"], json!([]), "no follow-up was saved");

    // With a note, a follow-up and the case of its client, all is saved.
    let mut v = service(&[&boris], &amif, 60, "OFFICE");
    v["caseId"] = boris_case;
    v["followUp"] = json!({"title": "Call back", "dueOn": "2026-06-01"});
    v["note"] = json!({"kind": "SOCIAL", "body": "Worried about the lease"});
    let r = admin.query(RECORD, json!({"input": v})).await;
    let saved = id(&r.ok()["recordIntervention"]);
    let r = admin.query("{ myTasks { title } }", json!({})).await;
    assert_eq!(r.ok()["myTasks"][0]["title"], "Call back");
    let r = admin
        .query(
            "query($id: ClientId!) { clientNotes(clientId: $id) { body interventionId } }",
            json!({"id": boris}),
        )
        .await;
    assert_eq!(r.ok()["clientNotes"][0]["interventionId"], saved.as_str());
}
on_both_engines!(record_refusals, record_refuses_bad_references);
