//! Hostile input: one test per attack of issue 31, each named after it.
//! Every door answers a clear error (or nothing an attacker can use) and
//! the same server keeps serving everyone else.

mod confirmation;
mod fail_closed;
mod figures;
mod files;
mod fuzz;
mod graphql;
mod registrations;
mod secrets;
mod sign_in;

use integra_test_support::{Gql, TestApp};
use serde_json::{Value, json};

/// The same process still answers `/health/live` with 200.
pub async fn still_serving(app: &TestApp) {
    let r = reqwest::get(format!("{}/health/live", app.base))
        .await
        .expect("server still up");
    assert_eq!(r.status(), 200);
}

/// A public event of `staff`'s centre twelve days ahead with `capacity`
/// places, asking registrants to confirm by email when `confirm_by_email`:
/// its id and slug.
pub async fn public_event(staff: &Gql, capacity: i32, confirm_by_email: bool) -> (String, String) {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(12);
    let r = staff
        .query(
            "mutation($i: EventInput!) { createEvent(input: $i) { id slug confirmByEmail } }",
            json!({"i": {
                "kind": "LECTURE_FOR_FOREIGNERS", "audience": "THIRD_COUNTRY_NATIONALS",
                "title": "Jak na trvalý pobyt", "venue": "Velká Hradební 48",
                "startsAt": format!("{day}T17:00:00+01:00"), "endsAt": format!("{day}T19:00:00+01:00"),
                "capacity": capacity, "publicRegistration": true, "confirmByEmail": confirm_by_email,
                "languages": ["cs", "uk"],
            }}),
        )
        .await;
    let ev = r.ok()["createEvent"].clone();
    assert_eq!(ev["confirmByEmail"], confirm_by_email);
    (
        ev["id"].as_str().unwrap().to_owned(),
        ev["slug"].as_str().unwrap().to_owned(),
    )
}

/// Registers on the public page with emails in `language`: the answer.
pub async fn register(anon: &Gql, slug: &str, name: &str, email: &str, language: &str) -> Value {
    let r = anon
        .query(
            "mutation($s: String!, $i: PublicRegistrationInput!) { registerForEvent(eventSlug: $s, input: $i) { status waitlistPosition } }",
            json!({"s": slug, "i": {"name": name, "email": email, "consent": true, "language": language}}),
        )
        .await;
    r.ok()["registerForEvent"].clone()
}
