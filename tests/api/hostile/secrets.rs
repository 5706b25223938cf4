//! Secrets at rest: no outbox row keeps a link with a token after it was
//! delivered; a removed staff member's calendar feed stops working.

use std::time::Duration;

use integra_test_support::{Engine, TestApp, on_both_engines};
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn outbox_bodies(app: &TestApp) -> Vec<(String, String)> {
    let txn = app.platform.mail_worker().await.unwrap();
    let rows = txn
        .query_all_raw(sea_orm::Statement::from_string(
            txn.get_database_backend(),
            "SELECT status, body_text || body_html AS body FROM outbox",
        ))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "status").unwrap(),
                r.try_get("", "body").unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_outbox_row_contains_a_token_after_delivery() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let sink = integra_test_support::smtp::SmtpSink::start().await;
        let app = TestApp::start_with_smtp(engine, sink.port()).await;
        let admin = app.signed_in("admin.usti@example.org").await;
        admin
            .query(
                "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }",
                json!({"i": {"email": "nova@example.org", "displayName": "Nová", "roles": ["COUNSELLOR"]}}),
            )
            .await
            .ok();
        app.client()
            .query(
                "mutation($e: String!) { requestPasswordReset(email: $e) }",
                json!({"e": "counsellor.usti@example.org"}),
            )
            .await
            .ok();
        let got = sink.wait_for(2, Duration::from_secs(20)).await;
        let invitation = got
            .iter()
            .find_map(|m| m.link("https://integra.test/invitation#"))
            .expect("the invitation arrived with its link");
        let token = invitation.split_once('#').unwrap().1.to_owned();
        // The mark follows the send within moments.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let rows = outbox_bodies(&app).await;
            if rows.len() >= 2 && rows.iter().all(|(s, _)| s == "sent") {
                for (_, body) in &rows {
                    assert!(body.is_empty(), "{engine:?}: a sent body is kept: {body}");
                    assert!(!body.contains(&token));
                }
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "{rows:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The delivered link still works: the secret lives only in the email.
        let r = app
            .client()
            .query(
                "query($t: String!) { invitation(token: $t) { email } }",
                json!({"t": token}),
            )
            .await;
        assert_eq!(r.ok()["invitation"]["email"], "nova@example.org");
    }
}

async fn a_removed_staff_members_calendar_feed_stops_working(app: TestApp) {
    let lecturer = app.signed_in("lecturer.usti@example.org").await;
    let me = lecturer.query("{ viewer { id } }", json!({})).await;
    let id = me.ok()["viewer"]["id"].as_str().unwrap().to_owned();
    let r = lecturer
        .query(
            "mutation($o: ID!) { createCalendarFeed(ownerKind: LECTURER, ownerId: $o) }",
            json!({"o": id}),
        )
        .await;
    let url = r.ok()["createCalendarFeed"]
        .as_str()
        .unwrap()
        .replace("https://integra.test", &app.base);
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 200);
    let admin = app.signed_in("admin.usti@example.org").await;
    admin
        .query(
            "mutation($u: UserId!) { removeStaffMember(userId: $u) }",
            json!({"u": id}),
        )
        .await
        .ok();
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 404);
}
on_both_engines!(
    a_removed_staff_members_calendar_feed_stops_working,
    a_removed_staff_members_calendar_feed_stops_working
);
