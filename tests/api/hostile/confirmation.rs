//! Confirmation by email link before a place is held: on an event that
//! asks for it, a registration typed with someone else's address (or a
//! thousand of them) takes no place, joins no waitlist and tells the
//! caller nothing; only the owner of the address, opening the link, gets
//! a place. Unconfirmed registrations lapse.

use std::sync::Arc;
use std::time::Duration;

use integra_kernel::{FixedClock, SharedClock};
use integra_test_support::smtp::{Received, SmtpSink};
use integra_test_support::{Engine, Gql, TestApp};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);
const CONFIRM: &str = "mutation($s: String!, $t: String!) { confirmEventRegistration(eventSlug: $s, token: $t) { status waitlistPosition } }";
const REGISTRATIONS: &str = "query($e: EventId!) { eventRegistrations(eventId: $e) { id email status code } event(id: $e) { confirmed } }";

async fn confirm(anon: &Gql, slug: &str, token: &str) -> Value {
    let r = anon.query(CONFIRM, json!({"s": slug, "t": token})).await;
    r.ok()["confirmEventRegistration"].clone()
}

/// The token of the confirm link in the last confirm email to `to`.
fn confirm_token(mails: &[Received], slug: &str, to: &str) -> String {
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.to == vec![to.to_owned()] && m.parsed().subject.starts_with("Confirm"))
        .unwrap_or_else(|| panic!("no confirm email to {to}"));
    let link = mail
        .link(&format!("https://integra.test/events/{slug}/confirm#"))
        .unwrap();
    link.split_once('#').unwrap().1.to_owned()
}

async fn state(staff: &Gql, id: &str) -> (Vec<(String, String)>, i64) {
    let r = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let regs = r.ok()["eventRegistrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["email"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (regs, r.ok()["event"]["confirmed"].as_i64().unwrap())
}

async fn registration_holds_no_place_until_the_email_link_is_opened(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = TestApp::start_with_smtp(engine, sink.port()).await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let (id, slug) = super::public_event(&staff, 1, true).await;
    let anon = app.client();
    let page = anon
        .query(
            "query($s: String!) { publicEvent(eventSlug: $s) { confirmByEmail placesLeft } }",
            json!({"s": slug}),
        )
        .await;
    assert_eq!(page.ok()["publicEvent"]["confirmByEmail"], true);

    // Two registrations, one repeated: every answer is the same, and
    // nothing is held yet.
    let unconfirmed = json!({"status": "UNCONFIRMED", "waitlistPosition": null});
    assert_eq!(
        super::register(&anon, &slug, "Olena", "olena@example.org", "en").await,
        unconfirmed
    );
    assert_eq!(
        super::register(&anon, &slug, "Ivan", "ivan@example.org", "en").await,
        unconfirmed
    );
    assert_eq!(
        super::register(&anon, &slug, "X", "OLENA@example.org", "en").await,
        unconfirmed
    );
    let (regs, confirmed) = state(&staff, &id).await;
    assert_eq!(confirmed, 0, "no place is held");
    assert_eq!(regs.len(), 2, "the repeat kept nothing: {regs:?}");
    assert!(regs.iter().all(|(_, s)| s == "UNCONFIRMED"), "{regs:?}");
    let page = anon
        .query(
            "query($s: String!) { publicEvent(eventSlug: $s) { placesLeft } }",
            json!({"s": slug}),
        )
        .await;
    assert_eq!(page.ok()["publicEvent"]["placesLeft"], true);

    // Each got the link (Olena twice, the same link), and no check-in code
    // or cancel link before confirming.
    let mails = sink.wait_for(3, WAIT).await;
    let olena = confirm_token(&mails, &slug, "olena@example.org");
    let ivan = confirm_token(&mails, &slug, "ivan@example.org");
    let olenas: Vec<_> = mails
        .iter()
        .filter(|m| m.to == vec!["olena@example.org".to_owned()])
        .collect();
    assert_eq!(olenas.len(), 2);
    assert_eq!(
        confirm_token(&mails[..1], &slug, "olena@example.org"),
        olena
    );
    for m in &mails {
        let text = m.parsed().text;
        assert!(!text.contains("/cancel#"), "{text}");
        assert!(text.contains("24 hours"), "{text}");
    }

    // A forged link is refused on `token`.
    let r = anon.query(CONFIRM, json!({"s": slug, "t": "forged"})).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "{}", r.body);

    // Ivan confirms first and gets the one place; Olena then waits.
    assert_eq!(
        confirm(&anon, &slug, &ivan).await,
        json!({"status": "CONFIRMED", "waitlistPosition": null})
    );
    let waiting = json!({"status": "WAITLISTED", "waitlistPosition": 1});
    assert_eq!(confirm(&anon, &slug, &format!("#{olena}")).await, waiting);
    // Opening the links again changes nothing.
    assert_eq!(confirm(&anon, &slug, &olena).await, waiting);
    assert_eq!(confirm(&anon, &slug, &ivan).await["status"], "CONFIRMED");
    let (regs, confirmed) = state(&staff, &id).await;
    assert_eq!(confirmed, 1);
    let status = |e: &str| regs.iter().find(|(m, _)| m == e).unwrap().1.clone();
    assert_eq!(status("ivan@example.org"), "CONFIRMED");
    assert_eq!(status("olena@example.org"), "WAITLISTED");

    // Now the usual emails: Ivan's with his check-in code, Olena's with
    // her place in line; one each, however often the links were opened.
    let mails = sink.wait_for(5, WAIT).await;
    let code = {
        let r = staff.query(REGISTRATIONS, json!({"e": id})).await;
        r.ok()["eventRegistrations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["email"] == "ivan@example.org")
            .unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let after: Vec<_> = mails[3..]
        .iter()
        .map(|m| (m.to[0].clone(), m.parsed()))
        .collect();
    assert_eq!(
        after.len(),
        2,
        "{:?}",
        after
            .iter()
            .map(|(t, p)| (t, &p.subject))
            .collect::<Vec<_>>()
    );
    let ivans = &after
        .iter()
        .find(|(t, _)| t == "ivan@example.org")
        .unwrap()
        .1;
    assert!(
        ivans.subject.starts_with("Registration confirmed"),
        "{}",
        ivans.subject
    );
    assert!(ivans.text.contains(&code));
    let olenas = &after
        .iter()
        .find(|(t, _)| t == "olena@example.org")
        .unwrap()
        .1;
    assert!(
        olenas.subject.starts_with("You are on the waitlist"),
        "{}",
        olenas.subject
    );

    // Staff cancelling an unconfirmed registration moves nobody: Olena is
    // still first in line.
    super::register(&anon, &slug, "Lan", "lan@example.org", "en").await;
    let r = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let lan = r.ok()["eventRegistrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "lan@example.org")
        .unwrap()["id"]
        .clone();
    let r = staff
        .query(
            "mutation($r: RegistrationId!) { cancelRegistration(registrationId: $r) { status } }",
            json!({"r": lan}),
        )
        .await;
    assert_eq!(r.ok()["cancelRegistration"]["status"], "CANCELLED");
    assert_eq!(confirm(&anon, &slug, &olena).await, waiting);
    assert_eq!(state(&staff, &id).await.1, 1);
}

async fn unconfirmed_registrations_lapse(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = TestApp::start_with_smtp(engine, sink.port()).await;
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let (id, slug) = super::public_event(&staff, 5, true).await;
    let anon = app.client();
    super::register(&anon, &slug, "Olena", "olena@example.org", "en").await;
    super::register(&anon, &slug, "Ivan", "ivan@example.org", "en").await;
    let mails = sink.wait_for(2, WAIT).await;
    let olena = confirm_token(&mails, &slug, "olena@example.org");
    let ivan = confirm_token(&mails, &slug, "ivan@example.org");
    assert_eq!(confirm(&anon, &slug, &ivan).await["status"], "CONFIRMED");

    // A day and an hour later, Olena's link no longer works (the same
    // answer as a forged link) and the housekeeping removes her
    // registration; Ivan's confirmed one stays.
    let later = chrono::Utc::now() + chrono::Duration::hours(25);
    let clock: SharedClock = Arc::new(FixedClock::new(later));
    let events = integra_events::EventService::new(
        app.platform.clone(),
        clock.clone(),
        integra_notify::MailSignal::new(),
        "https://integra.test",
        b"another key: tokens are found by their hash",
    );
    let err = events
        .confirm_registration(&slug, &olena)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, integra_kernel::AppError::BadInput { field, .. } if field == "token"),
        "{err:?}"
    );
    let centres = integra_tenants::CentreService::new(app.platform.clone(), clock)
        .unscoped_centre_ids()
        .await
        .unwrap();
    let now = chrono::Utc::now();
    assert_eq!(
        events.unscoped_drop_lapsed(&centres, now).await.unwrap(),
        0,
        "not yet"
    );
    assert_eq!(
        events.unscoped_drop_lapsed(&centres, later).await.unwrap(),
        1
    );
    let (regs, confirmed) = state(&staff, &id).await;
    assert_eq!(
        regs,
        vec![("ivan@example.org".to_owned(), "CONFIRMED".to_owned())]
    );
    assert_eq!(confirmed, 1);
    let r = anon.query(CONFIRM, json!({"s": slug, "t": olena})).await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "{}", r.body);

    // Registering again starts afresh.
    assert_eq!(
        super::register(&anon, &slug, "Olena", "olena@example.org", "en").await["status"],
        "UNCONFIRMED"
    );
}

async fn another_centres_confirm_link_answers_like_a_forged_one(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = TestApp::start_with_smtp(engine, sink.port()).await;
    let usti = app.signed_in("counsellor.usti@example.org").await;
    let praha = app.signed_in("admin.praha@example.org").await;
    let (_, usti_slug) = super::public_event(&usti, 5, true).await;
    let (praha_id, praha_slug) = super::public_event(&praha, 5, true).await;
    let anon = app.client();
    super::register(&anon, &usti_slug, "Olena", "olena@example.org", "en").await;
    let mails = sink.wait_for(1, WAIT).await;
    let token = confirm_token(&mails, &usti_slug, "olena@example.org");
    let forged = anon
        .query(CONFIRM, json!({"s": praha_slug, "t": "forged"}))
        .await;
    let crossed = anon
        .query(CONFIRM, json!({"s": praha_slug, "t": token}))
        .await;
    assert_eq!(
        crossed.errors()[0]["extensions"],
        forged.errors()[0]["extensions"]
    );
    assert_eq!(
        crossed.errors()[0]["message"],
        forged.errors()[0]["message"]
    );
    assert!(state(&praha, &praha_id).await.0.is_empty());
    // And the link still works where it belongs.
    assert_eq!(
        confirm(&anon, &usti_slug, &token).await["status"],
        "CONFIRMED"
    );
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(Engine::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(Engine::Postgres).await;
            }
        }
    };
}

both!(registration_holds_no_place_until_the_email_link_is_opened);
both!(unconfirmed_registrations_lapse);
both!(another_centres_confirm_link_answers_like_a_forged_one);
