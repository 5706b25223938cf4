//! Transport rules of `/graphql`, error codes, limits, health.

use integra_gateway::config::Mode;
use integra_test_support::{Engine, Gql, MailSetup, TestApp, on_both_engines};
use serde_json::json;

async fn mutation_over_get_is_refused(app: TestApp) {
    let c = app.client();
    let q = "mutation { signIn(email: \"admin.usti@example.org\", password: \"integra-demo\") { email } }";
    let resp = c
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[("query", q)])
        .send()
        .await
        .unwrap();
    let r = Gql::read(resp).await;
    assert_eq!(r.status, 405, "{}", r.body);
    assert!(r.set_cookies.is_empty(), "the mutation must not have run");
    assert!(r.code().is_some());
    // A query over GET is fine.
    let resp = c
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[("query", "{ viewer { email } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(Gql::read(resp).await.ok()["viewer"], json!(null));
}
on_both_engines!(get_mutation, mutation_over_get_is_refused);

async fn only_json_bodies_are_accepted(app: TestApp) {
    let c = app.client();
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let resp = c
            .http
            .post(format!("{}/graphql", app.base))
            .header("content-type", ct)
            .body(json!({"query": "{ viewer { email } }"}).to_string())
            .send()
            .await
            .unwrap();
        let r = Gql::read(resp).await;
        assert_eq!(r.status, 415, "{ct}");
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    }
    let resp = c
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(Gql::read(resp).await.status, 400);
}
on_both_engines!(content_type, only_json_bodies_are_accepted);

async fn a_cookie_without_the_csrf_header_is_refused(app: TestApp) {
    let browser = Gql::new(&app.base, false);
    // Signing in needs no header (there is no cookie yet)...
    browser
        .sign_in("admin.usti@example.org", "integra-demo")
        .await
        .ok();
    // ...but every request with the cookie does.
    let r = browser.query("{ viewer { email } }", json!({})).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = browser
        .query(
            "mutation { createBranch(input: {name: \"CSRF\", municipality: \"X\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403);
}
on_both_engines!(csrf, a_cookie_without_the_csrf_header_is_refused);

async fn errors_carry_codes(app: TestApp) {
    let anon = app.client();
    // Deeper than the limit.
    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(12),
        "} ".repeat(12)
    );
    let r = anon.query(&deep, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    let msg = r.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(msg.contains("deep") || msg.contains("depth"), "{msg}");
    // Syntax error.
    let r = anon.query("{ viewer { ", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    // Not signed in.
    let r = anon.query("{ branches { id } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    // Bad input names the field.
    let admin = app.signed_in("admin.usti@example.org").await;
    let r = admin
        .query(
            "mutation { createBranch(input: {name: \"  \", municipality: \"Most\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.errors()[0]["extensions"]["field"], "name");
    let r = admin
        .query(
            "query($id: BranchId!) { branch(id: $id) { id } }",
            json!({"id": "nope"}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "id");
    // Conflict.
    let input = json!({"name": "Most", "municipality": "Most"});
    let create = "mutation($i: BranchInput!) { createBranch(input: $i) { id } }";
    admin.query(create, json!({"i": input})).await.ok();
    let r = admin.query(create, json!({"i": input})).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    // A lecturer may read branches but not change them.
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    lecturer.query("{ branches { id } }", json!({})).await.ok();
    let r = lecturer
        .query(create, json!({"i": {"name": "L", "municipality": "L"}}))
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
on_both_engines!(error_codes, errors_carry_codes);

async fn health_endpoints(app: TestApp) {
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{}{path}", app.base)).send();
    assert_eq!(get("/health/live").await.unwrap().status().as_u16(), 200);
    let ready = get("/health/ready").await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert!(ready.headers().contains_key("x-request-id"));
    // The database goes away: ready says 503, live stays 200.
    app.platform.connection().clone().close().await.ok();
    assert_eq!(get("/health/ready").await.unwrap().status().as_u16(), 503);
    assert_eq!(get("/health/live").await.unwrap().status().as_u16(), 200);
}
on_both_engines!(health, health_endpoints);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_hides_introspection_and_graphiql() {
    let app = TestApp::start_with(Engine::Sqlite, Mode::Production).await;
    let r = app
        .client()
        .query("{ __schema { types { name } } }", json!({}))
        .await;
    // Introspection is switched off: nothing about the schema comes back.
    assert_eq!(r.body["data"]["__schema"], json!(null), "{}", r.body);
    assert!(!r.body.to_string().contains("Viewer"));
    let page = reqwest::get(format!("{}/graphiql", app.base))
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 404);
    let dev = TestApp::start(Engine::Sqlite).await;
    dev.client()
        .query("{ __schema { types { name } } }", json!({}))
        .await
        .ok();
    let page = reqwest::get(format!("{}/graphiql", dev.base))
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
}

/// `integra serve` serves the built web app: its files, `index.html` for
/// the app's own addresses (with a content security policy), 404 for a
/// missing built file, and the API as before.
#[tokio::test]
async fn the_web_app_is_served_beside_the_api() {
    let web = tempfile::tempdir().unwrap();
    std::fs::create_dir(web.path().join("assets")).unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Integra app</title>",
    )
    .unwrap();
    std::fs::write(web.path().join("assets/app-1234.js"), "console.log(1)").unwrap();
    let dir = web.path().to_owned();
    let app = TestApp::start_tuned(Engine::Sqlite, Mode::Dev, MailSetup::default(), move |c| {
        c.web.dir = dir;
    })
    .await;
    let http = reqwest::Client::new();
    for path in [
        "/",
        "/clients/0190f0a0-0000-7000-8000-000000000000",
        "/reset-password",
    ] {
        let r = http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(r.headers()["cache-control"], "no-cache");
        assert!(r.text().await.unwrap().contains("Integra app"), "{path}");
    }
    let r = http
        .get(format!("{}/assets/app-1234.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let r = http
        .get(format!("{}/assets/gone.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a missing built file is not the app page");
    let r = http
        .post(format!("{}/clients", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = http
        .get(format!("{}/health/live", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.client()
            .query("{ viewer { email } }", json!({}))
            .await
            .ok()["viewer"],
        json!(null)
    );
}

/// Without a built app, `/` says how to build it instead of a bare 404.
#[tokio::test]
async fn a_missing_web_app_says_how_to_build_it() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_owned();
    let app = TestApp::start_tuned(Engine::Sqlite, Mode::Dev, MailSetup::default(), move |c| {
        c.web.dir = dir;
    })
    .await;
    let r = reqwest::get(format!("{}/", app.base)).await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("npm --prefix frontend"));
}
