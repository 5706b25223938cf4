//! Sign-in, sessions, centre switching and throttling.

use std::sync::Arc;

use integra_kernel::{Role, RoleSet, SharedClock, SystemClock};
use integra_test_support::{Engine, TestApp, on_both_engines};
use serde_json::json;

const VIEWER: &str = "{ viewer { email roles centre { id name region regionCode } centres { centre { id } active } } }";

async fn demo_sign_ins_see_their_own_centre(app: TestApp) {
    for (email, region, role) in [
        ("admin.usti@example.org", "Ústecký kraj", "CENTRE_ADMIN"),
        ("counsellor.usti@example.org", "Ústecký kraj", "COUNSELLOR"),
        ("lecturer.usti@example.org", "Ústecký kraj", "LECTURER"),
        (
            "admin.praha@example.org",
            "Hlavní město Praha",
            "CENTRE_ADMIN",
        ),
    ] {
        let c = app.signed_in(email).await;
        let v = c.query(VIEWER, json!({})).await;
        let d = v.ok();
        assert_eq!(d["viewer"]["email"], email);
        assert_eq!(d["viewer"]["centre"]["region"], region);
        assert_eq!(d["viewer"]["roles"], json!([role]));
    }
    let ministry = app.signed_in("ministry@example.org").await;
    let v = ministry.query(VIEWER, json!({})).await;
    assert_eq!(v.ok()["viewer"]["centre"], json!(null));
    assert_eq!(v.ok()["viewer"]["roles"], json!(["MINISTRY_OFFICER"]));
    // Signed out: viewer is null, not an error.
    let anon = app.client().query(VIEWER, json!({})).await;
    assert_eq!(anon.ok()["viewer"], json!(null));
}
on_both_engines!(demo_sign_ins, demo_sign_ins_see_their_own_centre);

async fn session_cookie_is_http_only_and_sign_out_kills_it(app: TestApp) {
    let c = app.client();
    let r = c.sign_in("admin.usti@example.org", "integra-demo").await;
    r.ok();
    let cookie = r.set_cookies.first().cloned().unwrap_or_default();
    assert!(cookie.starts_with("integra_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let token = cookie
        .trim_start_matches("integra_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // The token is opaque and only its hash is stored.
    assert!(token.len() >= 40);
    let out = c.query("mutation { signOut }", json!({})).await;
    assert_eq!(out.ok()["signOut"], true);
    // Replaying the old cookie gives a signed-out viewer.
    let replay = app.client();
    let resp = replay
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .header("x-integra-csrf", "1")
        .header("cookie", format!("integra_session={token}"))
        .body(json!({"query": "{ viewer { email } }"}).to_string())
        .send()
        .await
        .unwrap();
    let resp = integra_test_support::Gql::read(resp).await;
    assert_eq!(resp.ok()["viewer"], json!(null));
    assert!(resp.set_cookies.iter().any(|c| c.contains("Max-Age=0")));
}
on_both_engines!(sign_out, session_cookie_is_http_only_and_sign_out_kills_it);

async fn unknown_email_and_wrong_password_answer_the_same(app: TestApp) {
    let c = app.client();
    let wrong = c
        .sign_in("admin.usti@example.org", "not-the-password")
        .await;
    let unknown = c
        .sign_in("nobody.here@example.org", "not-the-password")
        .await;
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.code().as_deref(), Some("UNAUTHENTICATED"));
    assert!(wrong.set_cookies.is_empty());
}
on_both_engines!(
    same_answer,
    unknown_email_and_wrong_password_answer_the_same
);

async fn repeated_failures_lock_the_account(app: TestApp) {
    let c = app.client();
    for _ in 0..5 {
        let r = c
            .sign_in("counsellor.usti@example.org", "wrong-password")
            .await;
        assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    }
    // Locked: even the right password is refused for now.
    let r = c
        .sign_in("counsellor.usti@example.org", "integra-demo")
        .await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"), "{}", r.body);
    assert!(
        r.errors()[0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Unknown accounts lock the same way, so locking reveals nothing.
    for _ in 0..5 {
        c.sign_in("ghost@example.org", "x").await;
    }
    let r = c.sign_in("ghost@example.org", "x").await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    // Another account from the same address is not yet locked (per-address
    // limit is higher)...
    app.signed_in("admin.usti@example.org").await;
    // ...until the address itself has failed too often.
    for i in 0..20 {
        c.sign_in(&format!("spray{i}@example.org"), "x").await;
    }
    let r = c.sign_in("admin.praha@example.org", "integra-demo").await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
}
on_both_engines!(throttling, repeated_failures_lock_the_account);

async fn a_member_of_two_centres_switches(app: TestApp) {
    let clock: SharedClock = Arc::new(SystemClock);
    let usti = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "usti")
        .await
        .unwrap()
        .unwrap();
    let brno = integra_tenants::seed::unscoped_centre_id_by_slug(&app.platform, "brno")
        .await
        .unwrap()
        .unwrap();
    let lect: RoleSet = [Role::Lecturer].into_iter().collect();
    let coord: RoleSet = [Role::Coordinator].into_iter().collect();
    for (centre, roles) in [(usti, lect), (brno, coord)] {
        integra_tenants::seed::ensure_user(
            &app.platform,
            &clock,
            "two.centres@example.org",
            "Dana Dvojitá",
            "two-centres-password",
            Some((centre, roles)),
            RoleSet::EMPTY,
        )
        .await
        .unwrap();
    }
    let c = app.client();
    c.sign_in("two.centres@example.org", "two-centres-password")
        .await
        .ok();
    let v = c.query(VIEWER, json!({})).await;
    let centres = v.ok()["viewer"]["centres"].as_array().unwrap().clone();
    assert_eq!(centres.len(), 2);
    let active = v.ok()["viewer"]["centre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = centres
        .iter()
        .map(|m| m["centre"]["id"].as_str().unwrap().to_owned())
        .find(|id| *id != active)
        .unwrap();
    let s = c
        .query(
            "mutation($c: CentreId!) { switchCentre(centreId: $c) { roles centre { id } } }",
            json!({"c": other}),
        )
        .await;
    assert_eq!(s.ok()["switchCentre"]["centre"]["id"], other.as_str());
    // The switch is kept in the session.
    let v = c.query(VIEWER, json!({})).await;
    assert_eq!(v.ok()["viewer"]["centre"]["id"], other.as_str());
    let expected_role = if other == brno.to_string() {
        "COORDINATOR"
    } else {
        "LECTURER"
    };
    assert_eq!(v.ok()["viewer"]["roles"], json!([expected_role]));
}
on_both_engines!(switch_centre, a_member_of_two_centres_switches);

/// The viewer carries what the roles in the active centre allow, by
/// capability name, so the web app need not copy the role lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_viewer_lists_its_capabilities() {
    let app = TestApp::start(Engine::Sqlite).await;
    let caps = |r: integra_test_support::GqlResponse| -> Vec<String> {
        serde_json::from_value(r.ok()["viewer"]["capabilities"].clone()).unwrap()
    };
    let q = "{ viewer { capabilities } }";
    let counsellor = caps(
        app.signed_in("counsellor.usti@example.org")
            .await
            .query(q, json!({}))
            .await,
    );
    assert!(counsellor.iter().any(|c| c == "COUNSEL"), "{counsellor:?}");
    assert!(
        !counsellor
            .iter()
            .any(|c| c == "MANAGE_CENTRE" || c == "READ_LEGAL_NOTES"),
        "{counsellor:?}"
    );
    let lecturer = caps(
        app.signed_in("lecturer.usti@example.org")
            .await
            .query(q, json!({}))
            .await,
    );
    assert!(lecturer.iter().any(|c| c == "TEACH"), "{lecturer:?}");
    assert!(
        !lecturer.iter().any(|c| c == "REGISTER_CLIENTS"),
        "{lecturer:?}"
    );
    let admin = caps(
        app.signed_in("admin.usti@example.org")
            .await
            .query(q, json!({}))
            .await,
    );
    assert!(
        admin.iter().any(|c| c == "MANAGE_CENTRE") && admin.iter().any(|c| c == "READ_LEGAL_NOTES"),
        "{admin:?}"
    );
    // The ministry works outside centres: no centre capability at all.
    let ministry = caps(
        app.signed_in("ministry@example.org")
            .await
            .query(q, json!({}))
            .await,
    );
    assert!(ministry.is_empty(), "{ministry:?}");
}
