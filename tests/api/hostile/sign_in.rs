//! Sign-in throttling an attacker can neither race nor weaponise, behind a
//! trusted reverse proxy too; invitations through the same throttle; a
//! ministry account never joins a centre.

use std::time::Duration;

use integra_gateway::client_address::TrustedProxies;
use integra_gateway::config::Mode;
use integra_test_support::smtp::SmtpSink;
use integra_test_support::{Engine, MailSetup, TestApp, on_both_engines};
use serde_json::json;

/// Attempts one account may make from one network before delays begin.
const FREE: usize = 5;

async fn two_hundred_concurrent_wrong_passwords_yield_at_most_the_free_guesses(app: TestApp) {
    let c = app.client();
    let attempts = (0..200).map(|i| {
        let c = c.clone();
        tokio::spawn(async move {
            c.sign_in("counsellor.usti@example.org", &format!("guess number {i}"))
                .await
        })
    });
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for a in attempts {
        let r = a.await.unwrap();
        *codes
            .entry(r.code().unwrap_or_else(|| "none".into()))
            .or_default() += 1;
    }
    let guesses = codes.get("UNAUTHENTICATED").copied().unwrap_or(0);
    assert!(guesses <= FREE, "{codes:?}");
    assert_eq!(
        guesses + codes.get("RATE_LIMITED").copied().unwrap_or(0),
        200,
        "{codes:?}"
    );
    // The person from another address is not locked out.
    let other = app.client_from("127.0.0.2".parse().unwrap());
    let r = other
        .sign_in("counsellor.usti@example.org", "integra-demo")
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
}
on_both_engines!(
    two_hundred_concurrent_wrong_passwords_yield_at_most_the_free_guesses,
    two_hundred_concurrent_wrong_passwords_yield_at_most_the_free_guesses
);

async fn behind_proxy(engine: Engine) -> TestApp {
    TestApp::start_tuned(engine, Mode::Dev, MailSetup::default(), |c| {
        c.server.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await
}

async fn twenty_failures_from_one_proxied_address_do_not_stop_a_correct_sign_in_from_another(
    engine: Engine,
) {
    let app = behind_proxy(engine).await;
    let attacker = app.client_behind_proxy("198.51.100.1, 203.0.113.66");
    for i in 0..20 {
        let r = attacker
            .sign_in("admin.usti@example.org", &format!("wrong {i}"))
            .await;
        let code = r.code().unwrap_or_default();
        assert!(
            code == "UNAUTHENTICATED" || code == "RATE_LIMITED",
            "{}",
            r.body
        );
    }
    let r = attacker
        .sign_in("admin.usti@example.org", "integra-demo")
        .await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"), "{}", r.body);
    // The forwarded address is the caller: the same proxy brings the admin
    // from elsewhere, and a spoofed left-most entry changes nothing.
    let admin = app.client_behind_proxy("203.0.113.66, 192.0.2.44");
    let r = admin
        .sign_in("admin.usti@example.org", "integra-demo")
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
    // IPv6 callers are counted by their /64: rotating the rest is no escape.
    for i in 0..FREE {
        let c = app.client_behind_proxy(&format!("2001:db8:7:7::{:x}", i + 1));
        c.sign_in("counsellor.usti@example.org", "wrong").await;
    }
    let c = app.client_behind_proxy("2001:db8:7:7::ffff");
    let r = c
        .sign_in("counsellor.usti@example.org", "integra-demo")
        .await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_failures_from_one_proxied_address_sqlite() {
    twenty_failures_from_one_proxied_address_do_not_stop_a_correct_sign_in_from_another(
        Engine::Sqlite,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_failures_from_one_proxied_address_postgres() {
    twenty_failures_from_one_proxied_address_do_not_stop_a_correct_sign_in_from_another(
        Engine::Postgres,
    )
    .await;
}

const INVITE: &str = "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }";
const ACCEPT: &str =
    "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { email } }";

/// Invites `email` to Ústí and returns the link's token.
async fn invitation_token(app: &TestApp, sink: &SmtpSink, email: &str, nth: usize) -> String {
    let admin = app.signed_in("admin.usti@example.org").await;
    admin
        .query(
            INVITE,
            json!({"i": {"email": email, "displayName": "X", "roles": ["COUNSELLOR"]}}),
        )
        .await
        .ok();
    let got = sink.wait_for(nth, Duration::from_secs(20)).await;
    let link = got[nth - 1]
        .link("https://integra.test/invitation#")
        .unwrap();
    link.split_once('#').unwrap().1.to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_an_invitation_guesses_passwords_under_the_same_throttle() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let sink = SmtpSink::start().await;
        let app = TestApp::start_with_smtp(engine, sink.port()).await;
        let token = invitation_token(&app, &sink, "admin.praha@example.org", 1).await;
        let anon = app.client();
        for i in 0..FREE {
            let r = anon
                .query(ACCEPT, json!({"t": token, "p": format!("guess {i}")}))
                .await;
            assert_eq!(
                r.code().as_deref(),
                Some("UNAUTHENTICATED"),
                "{engine:?} {}",
                r.body
            );
        }
        let r = anon
            .query(ACCEPT, json!({"t": token, "p": "integra-demo"}))
            .await;
        assert_eq!(
            r.code().as_deref(),
            Some("RATE_LIMITED"),
            "{engine:?} {}",
            r.body
        );
        // The ministry's officer never becomes a member of a centre, even
        // with the right password.
        let token = invitation_token(&app, &sink, "ministry@example.org", 2).await;
        let r = app
            .client_from("127.0.0.3".parse().unwrap())
            .query(ACCEPT, json!({"t": token, "p": "integra-demo"}))
            .await;
        assert_eq!(
            r.code().as_deref(),
            Some("CONFLICT"),
            "{engine:?} {}",
            r.body
        );
    }
}
