//! GraphQL cost: aliases, nesting, operations, batches and body size are
//! refused before anything runs; production names no hidden fields.

use integra_gateway::config::Mode;
use integra_test_support::{Engine, GqlResponse, TestApp, on_both_engines};
use serde_json::json;

use super::still_serving;

fn refused_on_query(r: &GqlResponse, says: &str) {
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.errors()[0]["extensions"]["field"], "query", "{}", r.body);
    assert!(r.body.get("data").is_none(), "nothing ran: {}", r.body);
    let message = r.errors()[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains(says), "{message}");
}

async fn thousand_aliases_anonymously_are_refused_before_any_database_work(app: TestApp) {
    let anon = app.client();
    let aliases: String = (0..1_000)
        .map(|i| format!("c{i}: verifyCertificate(number: \"N{i}\") {{ courseName }} "))
        .collect();
    let r = anon.query(&format!("{{ {aliases} }}"), json!({})).await;
    refused_on_query(&r, "at most");
    // Five look-ups are a public page's worth; six are not.
    let five: String = (0..5)
        .map(|i| format!("c{i}: verifyCertificate(number: \"N{i}\") {{ courseName }} "))
        .collect();
    let r = anon.query(&format!("{{ {five} }}"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let six = format!("{five} c5: verifyCertificate(number: \"N5\") {{ courseName }}");
    refused_on_query(
        &anon.query(&format!("{{ {six} }}"), json!({})).await,
        "6 fields at its root",
    );
    // Staff may ask for more at once, but not for 1,000 either.
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let r = staff.query(&format!("{{ {aliases} }}"), json!({})).await;
    refused_on_query(&r, "at most");
    still_serving(&app).await;
}
on_both_engines!(
    thousand_aliases_anonymously_are_refused_before_any_database_work,
    thousand_aliases_anonymously_are_refused_before_any_database_work
);

async fn deep_brackets_many_operations_and_batches_are_refused(app: TestApp) {
    let anon = app.client();
    let deep = format!("{}{}", "{ a ".repeat(5_000), "}".repeat(5_000));
    refused_on_query(&anon.query(&deep, json!({})).await, "deeper than 24");
    // Staff get deeper, not endless: the recursive parser never sees it.
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let deeper = format!("{}{}", "{ a ".repeat(200_000), "}".repeat(200_000));
    refused_on_query(&staff.query(&deeper, json!({})).await, "deeper than 48");
    let list = format!(
        "{{ verifyCertificate(number: {}\"x\"{}) {{ courseName }} }}",
        "[".repeat(100),
        "]".repeat(100)
    );
    refused_on_query(&anon.query(&list, json!({})).await, "deeper than");
    let ops = "query A { viewer { id } } query B { viewer { id } }";
    let r = anon
        .http
        .post(format!("{}/graphql", app.base))
        .json(&json!({"query": ops, "operationName": "A"}))
        .send()
        .await
        .unwrap();
    refused_on_query(&integra_test_support::Gql::read(r).await, "2 operations");
    let batch: Vec<_> = (0..100)
        .map(|_| json!({"query": "{ viewer { id } }"}))
        .collect();
    let r = anon
        .http
        .post(format!("{}/graphql", app.base))
        .json(&batch)
        .send()
        .await
        .unwrap();
    let r = integra_test_support::Gql::read(r).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.to_string().contains("batches are not accepted"),
        "{}",
        r.body
    );
    still_serving(&app).await;
}
on_both_engines!(
    deep_brackets_many_operations_and_batches_are_refused,
    deep_brackets_many_operations_and_batches_are_refused
);

async fn anonymous_body_is_capped_far_below_staff(app: TestApp) {
    let anon = app.client();
    let padding = "x".repeat(100 * 1024);
    let r = anon
        .query("query($p: String) { viewer { id } }", json!({"p": padding}))
        .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    // A made-up cookie does not buy the staff limit.
    let r = anon
        .http
        .post(format!("{}/graphql", app.base))
        .header("cookie", "integra_session=made-up")
        .header("x-integra-csrf", "1")
        .json(&json!({"query": "query($p: String) { viewer { id } }", "variables": {"p": padding}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let r = staff
        .query("query($p: String) { viewer { id } }", json!({"p": padding}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
on_both_engines!(
    anonymous_body_is_capped_far_below_staff,
    anonymous_body_is_capped_far_below_staff
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_suggests_no_field_names() {
    let app = TestApp::start_with(Engine::Postgres, Mode::Production).await;
    let r = app.client().query("{ viewr { id } }", json!({})).await;
    let text = r.body.to_string();
    assert!(!r.errors().is_empty(), "{text}");
    assert!(!text.contains("Did you mean"), "{text}");
    let dev = TestApp::start(Engine::Sqlite).await;
    let r = dev.client().query("{ viewr { id } }", json!({})).await;
    assert!(
        r.body.to_string().contains("Did you mean"),
        "dev still helps: {}",
        r.body
    );
}

async fn dates_outside_1900_to_2200_are_refused_naming_the_field(app: TestApp) {
    let c = app.signed_in("counsellor.usti@example.org").await;
    let r = c
        .query(
            "mutation($i: ClientInput!) { registerClient(input: $i) { client { id } } }",
            json!({"i": {"givenName": "Jan", "familyName": "Starý", "sex": "MALE", "nationality": "UA", "birthDate": "1850-01-01"}}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "birthDate",
        "{}",
        r.body
    );
}
on_both_engines!(
    dates_outside_1900_to_2200_are_refused_naming_the_field,
    dates_outside_1900_to_2200_are_refused_naming_the_field
);

async fn nul_characters_are_refused_not_an_internal_error(app: TestApp) {
    let admin = app.signed_in("admin.usti@example.org").await;
    let r = admin
        .query(
            "mutation($i: BranchInput!) { createBranch(input: $i) { id } }",
            json!({"i": {"name": "Poboč\u{0}ka", "municipality": "Děčín", "address": "Masarykova 1"}}),
        )
        .await;
    refused_on_query(&r, "NUL");
    let r = admin
        .query(
            "mutation { createBranch(input: {name: \"a\\u0000b\", municipality: \"Děčín\", address: \"x\"}) { id } }",
            json!({}),
        )
        .await;
    refused_on_query(&r, "NUL");
}
on_both_engines!(
    nul_characters_are_refused_not_an_internal_error,
    nul_characters_are_refused_not_an_internal_error
);

/// Ids have a scalar per kind: a value that is not a UUID is refused while
/// the request is validated, naming the argument (also inside an input list)
/// and the kind, before any resolver runs; a UUID of another kind, or of
/// another centre's record, answers like a missing one.
async fn ids_of_the_wrong_shape_are_refused_naming_the_field(app: TestApp) {
    let staff = app.signed_in("admin.usti@example.org").await;
    let enrol =
        "mutation($c: CourseId!, $k: ClientId!) { enrol(courseId: $c, clientId: $k) { id } }";
    let client = uuid::Uuid::now_v7().to_string();
    let r = staff.query(enrol, json!({"c": "nope", "k": client})).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "courseId",
        "{}",
        r.body
    );
    let message = r.errors()[0]["message"].to_string();
    assert!(message.contains("CourseId"), "{message}");
    let attendance = "mutation($s: SessionId!, $m: [MarkInput!]!) { recordAttendance(sessionId: $s, marks: $m) }";
    let marks = json!([{"enrolmentId": "12", "mark": "PRESENT"}]);
    let r = staff
        .query(attendance, json!({"s": client, "m": marks}))
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "marks.enrolmentId",
        "{}",
        r.body
    );
    // Well-formed, but no course of this centre: like any missing record.
    let r = staff.query(enrol, json!({"c": client, "k": client})).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);
    still_serving(&app).await;
}
on_both_engines!(
    ids_of_the_wrong_shape_are_refused_naming_the_field,
    ids_of_the_wrong_shape_are_refused_naming_the_field
);
