//! Courses over the API: schedules from rules across Easter and
//! daylight-saving changes, every kind of clash (lecturer, room,
//! interpreter; with appointments and other courses) and the recorded
//! override, lecturers limited to their own courses, placement, enrolment
//! with a waitlist that moves up (emailed), exact capacity under
//! concurrency, attendance, completion and level gain, and bad input that
//! changes nothing.

use std::time::Instant;

use integra_test_support::smtp::Parsed;
use integra_test_support::{Engine, Gql, GqlResponse, TestApp, on_both_engines};
use serde_json::{Value, json};

use crate::clients::register;

const CREATE: &str = "mutation($i: CourseInput!, $s: ScheduleInput, $o: String) {
  createCourse(input: $i, schedule: $s, overrideReason: $o) {
    course { id title enrolled capacity skippedDays { day reason } }
    sessions { id startsAt endsAt roomId lecturerIds }
    overriddenClashes availabilityWarnings } }";
const ENROL: &str = "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id status waitlistPosition entryLevel } }";
const BOOK: &str = "mutation($input: AppointmentInput!) { bookAppointment(input: $input) { id } }";

fn client(given: &str) -> Value {
    json!({"givenName": given, "familyName": "Kovalenko", "sex": "FEMALE", "nationality": "UA", "birthDate": "1990-01-01", "email": format!("{}@example.org", given.to_lowercase())})
}

fn tp() -> Value {
    json!({"status": "TEMPORARY_PROTECTION", "validFrom": "2022-03-15", "validTo": "2030-03-31"})
}

async fn staff_id(admin: &Gql, email: &str) -> String {
    let r = admin.query("{ staff { userId email } }", json!({})).await;
    r.ok()["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap()["userId"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn branch(c: &Gql) -> String {
    let r = c.query("{ branches { id } }", json!({})).await;
    r.ok()["branches"][0]["id"].as_str().unwrap().to_owned()
}

async fn room(admin: &Gql, branch: &str, name: &str) -> String {
    let r = admin
        .query(
            "mutation($b: BranchId!, $n: String!) { createRoom(branchId: $b, name: $n, capacity: 16) { id } }",
            json!({"b": branch, "n": name}),
        )
        .await;
    r.ok()["createRoom"]["id"].as_str().unwrap().to_owned()
}

fn course(title: &str, lecturer: &str, room: &str) -> Value {
    json!({"kind": "SOCIOCULTURAL", "title": title, "capacity": 12,
           "lecturerIds": [lecturer], "roomId": room})
}

fn weekly(rule: &str, first: &str) -> Value {
    json!({"rule": rule, "firstDay": first, "startTime": "17:00", "endTime": "18:30"})
}

fn clashes(r: &GqlResponse) -> Vec<(String, String)> {
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
    r.errors()[0]["extensions"]["clashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["resource"].as_str().unwrap().to_owned(),
                c["withKind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn count_courses(c: &Gql) -> usize {
    let r = c.query("{ courses { id } }", json!({})).await;
    r.ok()["courses"].as_array().unwrap().len()
}

async fn schedules_clashes_and_lecturers(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let lect = staff_id(&admin, "lecturer.usti@example.org").await;
    let br = branch(&admin).await;
    let r1 = room(&admin, &br, "Učebna 1").await;
    let r2 = room(&admin, &br, "Učebna 2").await;

    // Mondays and Thursdays from 1 March 2027 for 12 weeks: Easter Monday
    // (29 March) is skipped, and the sessions stay at 17:00 Prague time
    // across the change to summer time on 28 March.
    let r = admin
        .query(
            CREATE,
            json!({"i": course("Zdravotnictví v ČR", &lect, &r1),
                   "s": weekly("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=24", "2027-03-01")}),
        )
        .await;
    let planned = r.ok()["createCourse"].clone();
    let course_a = planned["course"]["id"].as_str().unwrap().to_owned();
    let sessions = planned["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 23);
    assert_eq!(
        planned["course"]["skippedDays"],
        json!([{"day": "2027-03-29", "reason": "Velikonoční pondělí"}])
    );
    assert_eq!(sessions[0]["startsAt"], "2027-03-01T16:00:00+00:00");
    assert_eq!(
        sessions.last().unwrap()["startsAt"],
        "2027-05-20T15:00:00+00:00"
    );
    assert_eq!(sessions[0]["roomId"], r1);
    assert_eq!(sessions[0]["lecturerIds"], json!([lect]));

    // Room clash with the first course, with the course session named.
    let mut other = course(
        "Škola a rodina",
        &staff_id(&admin, "admin.usti@example.org").await,
        &r1,
    );
    other["lecturerIds"] = json!([]);
    let before = count_courses(&admin).await;
    let r = admin
        .query(
            CREATE,
            json!({"i": other, "s": weekly("FREQ=WEEKLY;BYDAY=TH;COUNT=2", "2027-03-04")}),
        )
        .await;
    assert_eq!(
        clashes(&r),
        [
            ("room".to_owned(), "course session".to_owned()),
            ("room".to_owned(), "course session".to_owned())
        ]
    );
    assert_eq!(count_courses(&admin).await, before, "nothing saved");

    // Lecturer clash with an appointment booked for them, and the
    // appointment refused the other way round.
    let client_id = register(&counsellor, client("Olena"), tp()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let appt = |start: &str, end: &str| {
        json!({"clientId": client_id, "workerId": lect, "kind": "SOCIAL_COUNSELLING",
               "startsAt": start, "endsAt": end})
    };
    let r = admin
        .query(
            BOOK,
            json!({"input": appt("2027-06-07T17:30:00+02:00", "2027-06-07T18:00:00+02:00")}),
        )
        .await;
    r.ok();
    let mut third = course("Pracovní právo", &lect, &r2);
    third["interpreterLanguage"] = json!("uk");
    let r = admin
        .query(
            CREATE,
            json!({"i": third.clone(), "s": weekly("FREQ=WEEKLY;BYDAY=MO;COUNT=2", "2027-06-07")}),
        )
        .await;
    assert_eq!(
        clashes(&r),
        [("lecturer".to_owned(), "appointment".to_owned())]
    );
    let r = admin
        .query(
            BOOK,
            json!({"input": appt("2027-03-04T17:00:00+01:00", "2027-03-04T17:30:00+01:00")}),
        )
        .await;
    assert_eq!(
        clashes(&r),
        [("worker".to_owned(), "course session".to_owned())]
    );

    // A coordinator may override, with a reason; it is recorded.
    let r = admin
        .query(
            CREATE,
            json!({"i": third, "s": weekly("FREQ=WEEKLY;BYDAY=MO;COUNT=2", "2027-06-07"),
                   "o": "Schůzka se přesune"}),
        )
        .await;
    assert_eq!(r.ok()["createCourse"]["overriddenClashes"], 1);

    // Interpreter clash: an interpreter booked for an appointment.
    let interp = admin
        .query(
            "mutation { addInterpreter(input: {name: \"Iryna\", languages: [\"uk\"]}) { id } }",
            json!({}),
        )
        .await;
    let interp = interp.ok()["addInterpreter"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut booked = appt("2027-09-06T17:00:00+02:00", "2027-09-06T18:00:00+02:00");
    booked["workerId"] = json!(staff_id(&admin, "counsellor.usti@example.org").await);
    booked["interpreterId"] = json!(interp);
    booked["language"] = json!("uk");
    admin.query(BOOK, json!({"input": booked})).await.ok();
    let mut aik = course("Vítejte v ČR", &lect, &r2);
    aik["kind"] = json!("ADAPTATION_INTEGRATION");
    aik["interpreterLanguage"] = json!("uk");
    aik["interpreterId"] = json!(interp);
    aik["lecturerIds"] = json!([]);
    let r = admin
        .query(
            CREATE,
            json!({"i": aik, "s": json!({"rule": "FREQ=DAILY;COUNT=1", "firstDay": "2027-09-06", "startTime": "16:00", "endTime": "20:00"})}),
        )
        .await;
    assert_eq!(
        clashes(&r),
        [("interpreter".to_owned(), "appointment".to_owned())]
    );

    // The preview shows dates, holidays and clashes without saving.
    let r = lecturer
        .query(
            "query($s: ScheduleInput!, $l: [UserId!], $r: RoomId) { previewSchedule(schedule: $s, lecturerIds: $l, roomId: $r) { sessions { startsAt } skippedDays { day } clashes { resource withKind withTitle } } }",
            json!({"s": weekly("FREQ=DAILY;COUNT=3", "2026-12-23"), "l": [lect], "r": r2}),
        )
        .await;
    let p = &r.ok()["previewSchedule"];
    assert_eq!(p["sessions"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(p["skippedDays"].as_array().unwrap().len(), 2);

    // Lecturers: their own courses only; they plan sessions but cannot
    // create courses or override.
    let r = lecturer.query("{ courses { id title } }", json!({})).await;
    let own: Vec<String> = r.ok()["courses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect();
    assert!(own.contains(&"Zdravotnictví v ČR".to_owned()), "{own:?}");
    assert!(!own.contains(&"Škola a rodina".to_owned()));
    let r = lecturer
        .query(CREATE, json!({"i": course("X", &lect, &r1)}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let move_q = "mutation($id: SessionId!, $s: DateTime!, $e: DateTime!, $o: String) { moveCourseSession(id: $id, startsAt: $s, endsAt: $e, overrideReason: $o) { id startsAt } }";
    let sid = sessions[1]["id"].as_str().unwrap();
    let r = lecturer
        .query(
            move_q,
            json!({"id": sid, "s": "2027-03-05T16:00:00+00:00", "e": "2027-03-05T17:30:00+00:00"}),
        )
        .await;
    assert_eq!(
        r.ok()["moveCourseSession"]["startsAt"],
        "2027-03-05T16:00:00+00:00"
    );
    // Onto the appointment time: refused, and a lecturer cannot override.
    let r = lecturer
        .query(move_q, json!({"id": sid, "s": "2027-06-07T15:00:00+00:00", "e": "2027-06-07T16:30:00+00:00", "o": "prosím"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "{}", r.body);
    let r = lecturer
        .query(
            "mutation($id: SessionId!) { cancelCourseSession(id: $id, reason: \"nemoc\") { status note } }",
            json!({"id": sessions[2]["id"]}),
        )
        .await;
    assert_eq!(r.ok()["cancelCourseSession"]["status"], "CANCELLED");
    // The freed time can be booked now.
    let r = admin
        .query(
            BOOK,
            json!({"input": appt("2027-03-08T17:00:00+01:00", "2027-03-08T17:30:00+01:00")}),
        )
        .await;
    r.ok();
    // The lecturer's week shows their sessions.
    let r = lecturer
        .query(
            "{ courseSessions(from: \"2027-03-01T00:00:00Z\", to: \"2027-03-08T00:00:00Z\") { courseTitle startsAt status } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.ok()["courseSessions"].as_array().unwrap().len(),
        2,
        "{}",
        r.body
    );
    let _ = course_a;

    // The lecturer's calendar feed: every session of their courses, the
    // cancelled one marked, times in UTC; read with a standard parser.
    let feed =
        "mutation($k: FeedOwnerKind!, $o: ID!) { createCalendarFeed(ownerKind: $k, ownerId: $o) }";
    let r = lecturer
        .query(feed, json!({"k": "LECTURER", "o": lect}))
        .await;
    let url = r.ok()["createCalendarFeed"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("https://integra.test/calendar/") && url.ends_with(".ics"),
        "{url}"
    );
    let local = url.replace("https://integra.test", &app.base);
    let resp = reqwest::get(&local).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = resp.text().await.unwrap();
    let cals: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("not iCalendar: {e:?}\n{text}"));
    assert_eq!(cals.len(), 1);
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let events = &cals[0].events;
    assert_eq!(
        events.len(),
        25,
        "23 + 2 sessions of the lecturer's two courses"
    );
    let first = events
        .iter()
        .find(|e| prop(e, "DTSTART") == "20270301T160000Z")
        .expect("17:00 Prague on 1 March is 16:00 UTC");
    assert_eq!(prop(first, "SUMMARY"), "Zdravotnictví v ČR");
    assert_eq!(prop(first, "LOCATION"), "Učebna 1");
    assert_eq!(prop(first, "STATUS"), "CONFIRMED");
    assert_eq!(
        events
            .iter()
            .filter(|e| prop(e, "STATUS") == "CANCELLED")
            .count(),
        1
    );
    assert!(
        events
            .iter()
            .any(|e| prop(e, "DTSTART") == "20270520T150000Z"),
        "summer time"
    );
    // Rooms are the coordinators'; revoking ends the address.
    let r = lecturer.query(feed, json!({"k": "ROOM", "o": r1})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = lecturer
        .query(
            "mutation($o: ID!) { revokeCalendarFeeds(ownerKind: LECTURER, ownerId: $o) }",
            json!({"o": lect}),
        )
        .await;
    assert_eq!(r.ok()["revokeCalendarFeeds"], 1);
    assert_eq!(reqwest::get(&local).await.unwrap().status(), 404);
    let room_feed = admin.query(feed, json!({"k": "ROOM", "o": r1})).await;
    let room_url = room_feed.ok()["createCalendarFeed"]
        .as_str()
        .unwrap()
        .replace("https://integra.test", &app.base);
    let room_text = reqwest::get(&room_url).await.unwrap().text().await.unwrap();
    assert!(room_text.contains("BEGIN:VEVENT") && room_text.contains("Zdravotnictv"));

    // Bad input names the field and saves nothing.
    let before = count_courses(&admin).await;
    let other_centre = app.signed_in("admin.praha@example.org").await;
    let foreign = staff_id(&other_centre, "admin.praha@example.org").await;
    for (input, schedule, field) in [
        (
            course("X", &lect, &r1),
            weekly("FREQ=SOMETIMES;COUNT=2", "2027-01-04"),
            "schedule.rule",
        ),
        (
            course("X", &lect, &r1),
            weekly("FREQ=WEEKLY", "2027-01-04"),
            "schedule.rule",
        ),
        (
            course("X", &lect, &r1),
            json!({"rule": "FREQ=WEEKLY;COUNT=2", "firstDay": "2027-01-04", "startTime": "18:00", "endTime": "17:00"}),
            "schedule.endTime",
        ),
        (
            {
                let mut c = course("X", &lect, &r1);
                c["capacity"] = json!(0);
                c
            },
            weekly("FREQ=WEEKLY;COUNT=2", "2027-01-04"),
            "capacity",
        ),
        (
            course("X", &foreign, &r1),
            weekly("FREQ=WEEKLY;COUNT=2", "2027-01-04"),
            "lecturerIds",
        ),
    ] {
        let r = admin
            .query(CREATE, json!({"i": input, "s": schedule}))
            .await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], field, "{}", r.body);
    }
    assert_eq!(count_courses(&admin).await, before);
}
on_both_engines!(schedules, schedules_clashes_and_lecturers);

const EVENT: &str = "mutation($i: EventInput!, $o: String) { createEvent(input: $i, overrideReason: $o) { id staffIds roomId interpreterId } }";

fn event(title: &str, staff: &[&str], room: Option<&str>, start: &str, end: &str) -> Value {
    json!({"kind": "LECTURE_FOR_FOREIGNERS", "audience": "THIRD_COUNTRY_NATIONALS", "title": title,
           "startsAt": start, "endsAt": end, "staffIds": staff, "roomId": room})
}

async fn events_take_people_and_rooms(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let lect = staff_id(&admin, "lecturer.usti@example.org").await;
    let couns = staff_id(&admin, "counsellor.usti@example.org").await;
    let br = branch(&admin).await;
    let r1 = room(&admin, &br, "Sál").await;
    // A course on Thursdays 17:00–18:30 Prague time (16:00 UTC in March).
    let r = admin
        .query(
            CREATE,
            json!({"i": course("Bydlení v ČR", &lect, &r1),
                   "s": weekly("FREQ=WEEKLY;BYDAY=TH;COUNT=2", "2027-03-04")}),
        )
        .await;
    r.ok();

    // An event at the same time with the course's lecturer and room is
    // refused, naming both clashes, and nothing is saved.
    let clashing = event(
        "Beseda o bydlení",
        &[&lect],
        Some(&r1),
        "2027-03-04T16:30:00Z",
        "2027-03-04T18:00:00Z",
    );
    let r = counsellor
        .query(EVENT, json!({"i": clashing.clone()}))
        .await;
    assert_eq!(
        clashes(&r),
        [
            ("staff".to_owned(), "course session".to_owned()),
            ("room".to_owned(), "course session".to_owned())
        ]
    );
    let list = |c: &Gql| {
        let c = c.clone();
        async move {
            let r = c
                .query(
                    "{ events(from: \"2027-03-01T00:00:00Z\", to: \"2027-04-01T00:00:00Z\") { id title staffIds } }",
                    json!({}),
                )
                .await;
            r.ok()["events"].as_array().unwrap().clone()
        }
    };
    assert!(list(&counsellor).await.is_empty(), "nothing saved");
    // Only a planner may override; a counsellor's reason is refused.
    let r = counsellor
        .query(
            EVENT,
            json!({"i": clashing.clone(), "o": "The lecturer swaps"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "{}", r.body);
    let r = admin
        .query(
            EVENT,
            json!({"i": clashing, "o": "The lecturer swaps with a colleague"}),
        )
        .await;
    let ev = r.ok()["createEvent"].clone();
    assert_eq!(ev["staffIds"], json!([lect]));
    assert_eq!(ev["roomId"], json!(r1));

    // An event on Friday morning with the counsellor books them: an
    // appointment then, and a course session with the lecturer of a
    // second event, are refused with the event named.
    let friday = event(
        "Den otevřených dveří",
        &[&couns, &lect, &couns],
        None,
        "2027-03-05T09:00:00Z",
        "2027-03-05T12:00:00Z",
    );
    let r = counsellor.query(EVENT, json!({"i": friday.clone()})).await;
    let friday_id = r.ok()["createEvent"]["id"].as_str().unwrap().to_owned();
    // Named twice, booked and listed once.
    let mut both = vec![couns.clone(), lect.clone()];
    both.sort();
    assert_eq!(r.ok()["createEvent"]["staffIds"], json!(both));
    let client_id = register(&counsellor, client("Iryna"), tp()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = counsellor
        .query(
            BOOK,
            json!({"input": {"clientId": client_id, "workerId": couns, "kind": "SOCIAL_COUNSELLING",
                             "startsAt": "2027-03-05T10:00:00Z", "endsAt": "2027-03-05T10:30:00Z"}}),
        )
        .await;
    assert_eq!(clashes(&r), [("worker".to_owned(), "event".to_owned())]);
    let mut friday_course = course("Čeština pro rodiče", &lect, &r1);
    friday_course["roomId"] = Value::Null;
    let friday_rule = json!({"rule": "FREQ=WEEKLY;BYDAY=FR;COUNT=1", "firstDay": "2027-03-05",
                             "startTime": "11:00", "endTime": "12:00"});
    let r = admin
        .query(
            CREATE,
            json!({"i": friday_course.clone(), "s": friday_rule.clone()}),
        )
        .await;
    assert_eq!(clashes(&r), [("lecturer".to_owned(), "event".to_owned())]);

    // Moving the event onto the Thursday class is refused and changes
    // nothing; cancelling it frees its people for the course.
    let mut moved = friday.clone();
    moved["startsAt"] = json!("2027-03-11T16:00:00Z");
    moved["endsAt"] = json!("2027-03-11T17:00:00Z");
    let r = counsellor
        .query(
            "mutation($id: EventId!, $i: EventInput!) { updateEvent(id: $id, input: $i) { id } }",
            json!({"id": friday_id, "i": moved}),
        )
        .await;
    assert_eq!(
        clashes(&r),
        [("staff".to_owned(), "course session".to_owned())]
    );
    let r = counsellor
        .query(
            "mutation($id: EventId!) { cancelEvent(id: $id) { status staffIds } }",
            json!({"id": friday_id}),
        )
        .await;
    assert_eq!(r.ok()["cancelEvent"]["status"], "CANCELLED");
    let r = admin
        .query(CREATE, json!({"i": friday_course, "s": friday_rule}))
        .await;
    r.ok();

    // Another centre's staff member, room or interpreter is bad input on
    // its field; the other centre's calendar is not consulted.
    let praha = app.signed_in("admin.praha@example.org").await;
    let praha_room = room(&praha, &branch(&praha).await, "Praha sál").await;
    let praha_admin = staff_id(&praha, "admin.praha@example.org").await;
    for (input, field) in [
        (
            event(
                "Cizí sál",
                &[],
                Some(&praha_room),
                "2027-04-01T09:00:00Z",
                "2027-04-01T10:00:00Z",
            ),
            "roomId",
        ),
        (
            event(
                "Cizí lektor",
                &[&praha_admin],
                None,
                "2027-04-01T09:00:00Z",
                "2027-04-01T10:00:00Z",
            ),
            "staffIds",
        ),
    ] {
        let r = counsellor.query(EVENT, json!({"i": input})).await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], field, "{}", r.body);
    }
    let mut foreign_interpreter = event(
        "Cizí tlumočník",
        &[],
        None,
        "2027-04-01T09:00:00Z",
        "2027-04-01T10:00:00Z",
    );
    foreign_interpreter["interpreterId"] = json!(praha_room);
    let r = counsellor
        .query(EVENT, json!({"i": foreign_interpreter}))
        .await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "interpreterId",
        "{}",
        r.body
    );
    assert_eq!(
        list(&counsellor).await.len(),
        2,
        "only the two events above"
    );
}

on_both_engines!(events_in_the_calendar, events_take_people_and_rooms);

async fn enrolment_attendance_and_results(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let lect = staff_id(&admin, "lecturer.usti@example.org").await;
    let br = branch(&admin).await;
    let r1 = room(&admin, &br, "Učebna A").await;
    let mut people = Vec::new();
    for name in ["Anna", "Boris", "Chen"] {
        people.push(
            register(&admin, client(name), tp()).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // A Czech course that started 22 days ago: 8 sessions held, 2 ahead.
    let first = (chrono::Utc::now() - chrono::Duration::days(22)).date_naive();
    let mut input = course("Čeština A1", &lect, &r1);
    input["kind"] = json!("CZECH_LANGUAGE");
    input["level"] = json!("A1");
    input["capacity"] = json!(2);
    let r = admin
        .query(
            CREATE,
            json!({"i": input, "s": json!({"rule": "FREQ=DAILY;INTERVAL=3;COUNT=10", "firstDay": first.to_string(), "startTime": "08:00", "endTime": "09:00"}), "o": "test"}),
        )
        .await;
    let planned = r.ok()["createCourse"].clone();
    let cid = planned["course"]["id"].as_str().unwrap().to_owned();

    // A placement test first.
    let r = admin.query(ENROL, json!({"c": cid, "k": people[0]})).await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "clientId",
        "{}",
        r.body
    );
    for (p, level) in people.iter().zip(["A0", "A1", "A0"]) {
        admin
            .query(
                "mutation($c: ClientId!, $l: Level!, $d: Date!) { recordPlacement(clientId: $c, level: $l, testedOn: $d) { id } }",
                json!({"c": p, "l": level, "d": first.to_string()}),
            )
            .await
            .ok();
    }
    let e: Vec<Value> = {
        let mut out = Vec::new();
        for p in &people {
            out.push(admin.query(ENROL, json!({"c": cid, "k": p})).await.ok()["enrol"].clone());
        }
        out
    };
    assert_eq!(e[0]["status"], "ENROLLED");
    assert_eq!(e[0]["entryLevel"], "A0");
    assert_eq!(e[1]["status"], "ENROLLED");
    assert_eq!(e[2]["status"], "WAITLISTED");
    assert_eq!(e[2]["waitlistPosition"], 1);
    let r = admin.query(ENROL, json!({"c": cid, "k": people[0]})).await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "clientId");

    // Boris leaves; Chen moves up and is emailed.
    let r = admin
        .query(
            "mutation($id: EnrolmentId!) { withdrawEnrolment(id: $id) { status } }",
            json!({"id": e[1]["id"]}),
        )
        .await;
    assert_eq!(r.ok()["withdrawEnrolment"]["status"], "WITHDRAWN");
    let list = lecturer
        .query(
            "query($c: CourseId!) { enrolments(courseId: $c) { id clientName status } }",
            json!({"c": cid}),
        )
        .await;
    let list = list.ok()["enrolments"].as_array().unwrap().clone();
    let status_of = |name: &str| {
        list.iter()
            .find(|x| x["clientName"].as_str().unwrap().starts_with(name))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("Chen"), "ENROLLED");
    assert_eq!(status_of("Boris"), "WITHDRAWN");
    let mut waited = 0;
    while !app
        .mail_files()
        .iter()
        .any(|m| m.contains("chen@example.org"))
        && waited < 100
    {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    let outbox = admin
        .query("{ emails { kind recipient status lastError } }", json!({}))
        .await;
    let told = app
        .mail_files()
        .into_iter()
        .find(|m| m.contains("chen@example.org"))
        .map(|m| Parsed::from_raw(&m))
        .unwrap_or_else(|| panic!("Chen is told the place is hers: {}", outbox.body));
    assert!(told.subject.contains("Čeština A1"), "{}", told.subject);

    // Attendance for the held sessions, whole session at once: Anna
    // attends 6 of 10 scheduled (not yet complete), Chen 2.
    let sessions = planned["sessions"].as_array().unwrap().clone();
    let anna = e[0]["id"].as_str().unwrap();
    let chen = e[2]["id"].as_str().unwrap();
    let mark = "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }";
    for (n, s) in sessions.iter().take(6).enumerate() {
        let chen_mark = if n < 2 { "LATE" } else { "ABSENT" };
        let r = lecturer
            .query(
                mark,
                json!({"s": s["id"], "m": [{"enrolmentId": anna, "mark": "PRESENT"}, {"enrolmentId": chen, "mark": chen_mark}]}),
            )
            .await;
        assert_eq!(r.ok()["recordAttendance"], 2);
    }
    // A future session: not yet; a withdrawn participant: refused.
    let r = lecturer
        .query(
            mark,
            json!({"s": sessions[9]["id"], "m": [{"enrolmentId": anna, "mark": "PRESENT"}]}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "sessionId");
    let r = lecturer
        .query(
            mark,
            json!({"s": sessions[0]["id"], "m": [{"enrolmentId": e[1]["id"], "mark": "PRESENT"}]}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "marks[0].enrolmentId");
    let standings = "query($c: CourseId!) { courseStandings(courseId: $c) { enrolment { clientName exitLevel } sessionsHeld attended attendancePercent completed gainedLevel } }";
    let r = lecturer.query(standings, json!({"c": cid})).await;
    let s = r.ok()["courseStandings"].as_array().unwrap().clone();
    assert_eq!(s[0]["sessionsHeld"], 8, "{s:?}");
    assert_eq!(s[0]["attended"], 6);
    assert_eq!(s[0]["attendancePercent"], 60);
    assert_eq!(s[0]["completed"], false);
    // One more session attended makes 70 %: complete. Exit level A1 from A0.
    lecturer
        .query(
            mark,
            json!({"s": sessions[6]["id"], "m": [{"enrolmentId": anna, "mark": "PRESENT"}]}),
        )
        .await
        .ok();
    lecturer
        .query(
            "mutation($e: EnrolmentId!) { setExitLevel(enrolmentId: $e, level: A1) { exitLevel } }",
            json!({"e": anna}),
        )
        .await
        .ok();
    let r = lecturer.query(standings, json!({"c": cid})).await;
    let s = r.ok()["courseStandings"].as_array().unwrap().clone();
    let anna_s = s
        .iter()
        .find(|x| {
            x["enrolment"]["clientName"]
                .as_str()
                .unwrap()
                .starts_with("Anna")
        })
        .unwrap();
    assert_eq!(anna_s["completed"], true);
    assert_eq!(anna_s["gainedLevel"], true);
    // Her certificate: a PDF in Czech with her name, the course and a
    // number anyone can check; the same number on a second download.
    let cert = "mutation($e: EnrolmentId!) { courseCertificate(enrolmentId: $e) { number fileName pdfBase64 } }";
    let r = lecturer.query(cert, json!({"e": anna})).await;
    let c = r.ok()["courseCertificate"].clone();
    let number = c["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("USTI-"), "{number}");
    use base64::Engine as _;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(c["pdfBase64"].as_str().unwrap())
        .unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    for needle in [
        "OSVĚDČENÍ",
        "Anna Kovalenko",
        "Čeština A1",
        "úroveň A1",
        number.as_str(),
        "7 z 10",
    ] {
        assert!(text.contains(needle), "{needle} not in: {text}");
    }
    let again = lecturer.query(cert, json!({"e": anna})).await;
    assert_eq!(again.ok()["courseCertificate"]["number"], number.as_str());
    let r = lecturer.query(cert, json!({"e": chen})).await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "enrolmentId",
        "{}",
        r.body
    );
    let verify = "query($n: String!) { verifyCertificate(number: $n) { course centre issuedOn } }";
    let r = app
        .client()
        .query(verify, json!({"n": number.to_lowercase()}))
        .await;
    assert_eq!(r.ok()["verifyCertificate"]["course"], "Čeština A1");
    assert!(
        !r.body.to_string().contains("Anna"),
        "the check never names the holder"
    );
    let r = app
        .client()
        .query(verify, json!({"n": "USTI-2027-NOSUCH00"}))
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    // Her data export lists the placement test and the course.
    let export = crate::client_rights::export_of(&admin, &people[0]).await;
    let courses = crate::client_rights::section(&export, "Courses");
    assert_eq!(courses["rows"][0][0], "Čeština A1");
    assert_eq!(courses["rows"][0][4], "7");
    let chen_s = s
        .iter()
        .find(|x| {
            x["enrolment"]["clientName"]
                .as_str()
                .unwrap()
                .starts_with("Chen")
        })
        .unwrap();
    assert_eq!(chen_s["attended"], 2);
    assert_eq!(chen_s["completed"], false);
}
on_both_engines!(enrolment, enrolment_attendance_and_results);

async fn adaptation_integration_export(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let lect = staff_id(&admin, "lecturer.usti@example.org").await;
    let br = branch(&admin).await;
    let r1 = room(&admin, &br, "Sál AIK").await;
    let mut input = course("Vítejte v České republice", &lect, &r1);
    input["kind"] = json!("ADAPTATION_INTEGRATION");
    input["interpreterLanguage"] = json!("uk");
    input["feeCzk"] = json!(1500);
    // Too small or without one of the nine languages: refused.
    for (field, value, name) in [
        ("capacity", json!(5), "capacity"),
        ("interpreterLanguage", json!("de"), "interpreterLanguage"),
    ] {
        let mut bad = input.clone();
        bad[field] = value;
        let r = admin.query(CREATE, json!({"i": bad})).await;
        assert_eq!(r.errors()[0]["extensions"]["field"], name, "{}", r.body);
    }
    input["capacity"] = json!(12);
    let day = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
    let r = admin
        .query(
            CREATE,
            json!({"i": input, "s": {"rule": "FREQ=DAILY;COUNT=1", "firstDay": day.to_string(), "startTime": "09:00", "endTime": "13:00"}}),
        )
        .await;
    let planned = r.ok()["createCourse"].clone();
    let cid = planned["course"]["id"].as_str().unwrap().to_owned();
    let sid = planned["sessions"][0]["id"].as_str().unwrap().to_owned();
    let mut e = Vec::new();
    for (given, family) in [("Oksana", "Šimková"), ("Dmytro", "Bondarenko")] {
        let mut c = client(given);
        c["familyName"] = json!(family);
        let id = register(&admin, c, tp()).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        e.push(admin.query(ENROL, json!({"c": cid, "k": id})).await.ok()["enrol"]["id"].clone());
    }
    admin
        .query(
            "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }",
            json!({"s": sid, "m": [{"enrolmentId": e[0], "mark": "PRESENT"}, {"enrolmentId": e[1], "mark": "ABSENT"}]}),
        )
        .await
        .ok();
    let r = admin
        .query(
            "query($c: CourseId!) { aikConfirmations(courseId: $c) { fileName content } }",
            json!({"c": cid}),
        )
        .await;
    let csv = r.ok()["aikConfirmations"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM for spreadsheet programs"
    );
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("Centrum;Kurz;Datum;Hodin"));
    let oksana = lines.iter().find(|l| l.contains("Šimková")).unwrap();
    assert!(oksana.ends_with(";ano"), "{oksana}");
    assert!(oksana.contains(";4;uk;"), "{oksana}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Bondarenko") && l.ends_with(";ne"))
    );
    // Another kind of course has no such export; lecturers cannot take it.
    let other = admin
        .query(CREATE, json!({"i": course("Jiný", &lect, &r1)}))
        .await;
    let other = other.ok()["createCourse"]["course"]["id"].clone();
    let r = admin
        .query(
            "query($c: CourseId!) { aikConfirmations(courseId: $c) { fileName } }",
            json!({"c": other}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "courseId");
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let r = lecturer
        .query(
            "query($c: CourseId!) { aikConfirmations(courseId: $c) { fileName } }",
            json!({"c": cid}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(aik, adaptation_integration_export);

/// 200 clients enrol in a 30-place course at the same moment.
async fn exact_capacity(engine: Engine) {
    let app = TestApp::start(engine).await;
    let admin = app.signed_in("admin.usti@example.org").await;
    let lect = staff_id(&admin, "lecturer.usti@example.org").await;
    let br = branch(&admin).await;
    let r1 = room(&admin, &br, "Sál").await;
    let mut input = course("Den s úřady", &lect, &r1);
    input["capacity"] = json!(30);
    let r = admin.query(CREATE, json!({"i": input})).await;
    let cid = r.ok()["createCourse"]["course"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for n in 0..200 {
        let mut c = client(&format!("Host{n}"));
        c["familyName"] = json!(format!("Účastník{n}"));
        ids.push(
            register(&admin, c, tp()).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in ids {
        let c = admin.clone();
        let cid = cid.clone();
        tasks.push(tokio::spawn(async move {
            c.query(ENROL, json!({"c": cid, "k": k})).await
        }));
    }
    let (mut enrolled, mut waiting) = (0, 0);
    for t in tasks {
        match t.await.unwrap().ok()["enrol"]["status"].as_str().unwrap() {
            "ENROLLED" => enrolled += 1,
            "WAITLISTED" => waiting += 1,
            other => panic!("{other}"),
        }
    }
    eprintln!(
        "{engine:?}: 200 enrolments in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!((enrolled, waiting), (30, 170));
    let r = admin
        .query(
            "query($c: CourseId!) { course(id: $c) { enrolled } }",
            json!({"c": cid}),
        )
        .await;
    assert_eq!(r.ok()["course"]["enrolled"], 30);
}

mod concurrency {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        exact_capacity(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        exact_capacity(Engine::Postgres).await;
    }
}
