//! Public registration without an oracle: a second registration for the
//! same address answers exactly like a first one; the details of
//! registrants who are not clients are purged after the retention period.

use std::sync::Arc;

use integra_kernel::{SharedClock, SystemClock};
use integra_test_support::{TestApp, on_both_engines};
use serde_json::json;

const REGISTRATIONS: &str =
    "query($e: EventId!) { eventRegistrations(eventId: $e) { name email status } }";

async fn repeated_registration_is_indistinguishable(app: TestApp) {
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let (id, slug) = super::public_event(&staff, 1, false).await;
    let anon = app.client();
    assert_eq!(
        super::register(&anon, &slug, "Olena", "olena@example.org", "cs").await["status"],
        "CONFIRMED"
    );
    assert_eq!(
        super::register(&anon, &slug, "Ivan", "ivan@example.org", "cs").await,
        json!({"status": "WAITLISTED", "waitlistPosition": 1})
    );
    // Olena (confirmed) and Ivan (waiting) again, as someone probing who
    // is registered would try: both answers are a newcomer's answer.
    let olena_again = super::register(&anon, &slug, "X", "OLENA@example.org", "cs").await;
    let ivan_again = super::register(&anon, &slug, "X", "ivan@example.org", "cs").await;
    let newcomer = super::register(&anon, &slug, "Lan", "lan@example.org", "cs").await;
    assert_eq!(
        olena_again,
        json!({"status": "WAITLISTED", "waitlistPosition": 2})
    );
    assert_eq!(ivan_again, olena_again);
    assert_eq!(
        newcomer, olena_again,
        "the newcomer really is second in line"
    );
    // Nothing of the repeated attempts was kept.
    let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
    assert_eq!(regs.ok()["eventRegistrations"].as_array().unwrap().len(), 3);
}
on_both_engines!(
    repeated_registration_is_indistinguishable,
    repeated_registration_is_indistinguishable
);

async fn registrations_of_non_clients_are_purged_after_the_retention_period(app: TestApp) {
    let staff = app.signed_in("counsellor.usti@example.org").await;
    let (id, slug) = super::public_event(&staff, 10, false).await;
    let anon = app.client();
    super::register(&anon, &slug, "Olena Kovalenko", "olena@example.org", "cs").await;
    super::register(&anon, &slug, "Ivan Petrenko", "ivan@example.org", "cs").await;
    let clock: SharedClock = Arc::new(SystemClock);
    let events = integra_events::EventService::new(
        app.platform.clone(),
        clock.clone(),
        integra_notify::MailSignal::new(),
        "https://integra.test",
        b"test link key",
    );
    let centres = integra_tenants::CentreService::new(app.platform.clone(), clock)
        .unscoped_centre_ids()
        .await
        .unwrap();
    // Not yet: the event has not ended before the cut-off.
    let now = chrono::Utc::now();
    assert_eq!(
        events
            .unscoped_purge_registrations(&centres, now)
            .await
            .unwrap(),
        0
    );
    // With the cut-off after its end, both registrants' details go; the
    // registrations (and so the head-counts) stay.
    let later = now + chrono::Duration::days(30);
    assert_eq!(
        events
            .unscoped_purge_registrations(&centres, later)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        events
            .unscoped_purge_registrations(&centres, later)
            .await
            .unwrap(),
        0,
        "once"
    );
    let regs = staff.query(REGISTRATIONS, json!({"e": id})).await;
    let regs = regs.ok()["eventRegistrations"].as_array().unwrap().clone();
    assert_eq!(regs.len(), 2);
    for r in &regs {
        assert_eq!(r["name"], "");
        assert!(r["email"].as_str().unwrap().starts_with("purged:"), "{r}");
        assert_eq!(r["status"], "CONFIRMED");
    }
}
on_both_engines!(
    registrations_of_non_clients_are_purged_after_the_retention_period,
    registrations_of_non_clients_are_purged_after_the_retention_period
);
