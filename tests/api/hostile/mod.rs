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

use integra_test_support::TestApp;

/// The same process still answers `/health/live` with 200.
pub async fn still_serving(app: &TestApp) {
    let r = reqwest::get(format!("{}/health/live", app.base))
        .await
        .expect("server still up");
    assert_eq!(r.status(), 200);
}
