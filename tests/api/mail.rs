//! Email through the outbox with a real SMTP server on loopback: staff
//! invitations, forgotten passwords, an SMTP outage, a permanent refusal,
//! a worker killed between the server taking a message and the mark, and
//! `.eml` files when no SMTP server is configured.

use std::collections::HashSet;
use std::time::Duration;

use integra_test_support::smtp::{SinkMode, SmtpSink};
use integra_test_support::{Engine, MailSetup, TestApp};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

async fn app_with(engine: Engine, sink: &SmtpSink, setup: MailSetup) -> TestApp {
    TestApp::start_with_mail(
        engine,
        MailSetup {
            smtp_port: Some(sink.port()),
            ..setup
        },
    )
    .await
}

/// `(status, attempts)` of every outbox row, oldest first.
async fn outbox(app: &TestApp) -> Vec<(String, i32)> {
    let txn = app.platform.mail_worker().await.unwrap();
    let rows = txn
        .query_all_raw(sea_orm::Statement::from_string(
            txn.get_database_backend(),
            "SELECT status, attempts FROM outbox ORDER BY created_at, id",
        ))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "status").unwrap(),
                r.try_get::<i32>("", "attempts").unwrap(),
            )
        })
        .collect()
}

async fn wait_until_settled(app: &TestApp, n: usize) -> Vec<(String, i32)> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let rows = outbox(app).await;
        if rows.len() >= n && rows.iter().all(|(s, _)| s != "pending") {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox not settled: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn token_of(link: &str) -> String {
    link.split_once('#').unwrap().1.to_owned()
}

const INVITE: &str =
    "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id email status roles language } }";
const ACCEPT: &str = "mutation($t: String!, $p: String!, $n: String) { acceptInvitation(token: $t, password: $p, displayName: $n) { email displayName roles centre { name } } }";
const RESET_REQUEST: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
const RESET: &str = "mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }";

async fn invitation_and_password_reset(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = app_with(engine, &sink, MailSetup::default()).await;
    let admin = app.signed_in("admin.usti@example.org").await;

    // Bad input names the field and sends nothing.
    for (input, field) in [
        (
            json!({"email": "not-an-address", "displayName": "X", "roles": ["COUNSELLOR"]}),
            "email",
        ),
        (
            json!({"email": "x@example.org", "displayName": "X", "roles": ["MINISTRY_OFFICER"]}),
            "roles",
        ),
        (
            json!({"email": "x@example.org", "displayName": "X", "roles": ["COUNSELLOR"], "language": "de"}),
            "language",
        ),
        (
            json!({"email": "x@example.org", "displayName": "X".repeat(300), "roles": ["COUNSELLOR"]}),
            "displayName",
        ),
    ] {
        let r = admin.query(INVITE, json!({"i": input})).await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(r.errors()[0]["extensions"]["field"], field, "{}", r.body);
    }
    // An existing member cannot be invited again.
    let r = admin
        .query(
            INVITE,
            json!({"i": {"email": "counsellor.usti@example.org", "displayName": "C", "roles": ["COUNSELLOR"]}}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
    // Counsellors cannot invite.
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let r = counsellor
        .query(
            INVITE,
            json!({"i": {"email": "y@example.org", "displayName": "Y", "roles": ["COUNSELLOR"]}}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "{}", r.body);

    // An invitation in English arrives with both parts and a stable id.
    let r = admin
        .query(
            INVITE,
            json!({"i": {"email": "Nova.Kolegyne@Example.org", "displayName": "Nová Kolegyně", "roles": ["COUNSELLOR", "LECTURER"], "language": "en"}}),
        )
        .await;
    let inv = r.ok()["inviteStaff"].clone();
    assert_eq!(inv["email"], "nova.kolegyne@example.org");
    assert_eq!(inv["status"], "PENDING");
    let got = sink.wait_for(1, WAIT).await;
    assert_eq!(got[0].to, vec!["nova.kolegyne@example.org".to_owned()]);
    let parsed = got[0].parsed();
    assert!(
        parsed.subject.starts_with("Invitation to Integra"),
        "{}",
        parsed.subject
    );
    assert!(
        parsed.html.contains("Accept the invitation"),
        "{}",
        parsed.html
    );
    let message_id = got[0].message_id.clone().unwrap();
    assert!(message_id.ends_with("@localhost>"), "{message_id}");
    let link = got[0].link("https://integra.test/invitation#").unwrap();
    let token = token_of(&link);

    // The link's page shows what it is for, without signing in.
    let anon = app.client();
    let r = anon
        .query(
            "query($t: String!) { invitation(token: $t) { centreName email hasAccount } }",
            json!({"t": token}),
        )
        .await;
    assert_eq!(r.ok()["invitation"]["email"], "nova.kolegyne@example.org");
    assert_eq!(r.ok()["invitation"]["hasAccount"], false);
    let r = anon
        .query(
            "query($t: String!) { invitation(token: $t) { email } }",
            json!({"t": "forged-token"}),
        )
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "{}", r.body);

    // A short password is refused and leaves the link usable.
    let r = anon.query(ACCEPT, json!({"t": token, "p": "short"})).await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "password",
        "{}",
        r.body
    );
    let newcomer = app.client();
    let r = newcomer
        .query(
            ACCEPT,
            json!({"t": token, "p": "a long new password", "n": null}),
        )
        .await;
    let viewer = r.ok()["acceptInvitation"].clone();
    assert_eq!(viewer["displayName"], "Nová Kolegyně");
    assert_eq!(viewer["roles"], json!(["COUNSELLOR", "LECTURER"]));
    assert!(
        viewer["centre"]["name"]
            .as_str()
            .unwrap()
            .contains("Ústecký"),
        "{viewer}"
    );
    // Signed in by the same call.
    let me = newcomer.query("{ viewer { email } }", json!({})).await;
    assert_eq!(me.ok()["viewer"]["email"], "nova.kolegyne@example.org");
    // Single use.
    let r = app
        .client()
        .query(ACCEPT, json!({"t": token, "p": "another long password"}))
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "{}", r.body);
    let list = admin
        .query("{ invitations { email status } }", json!({}))
        .await;
    assert_eq!(list.ok()["invitations"][0]["status"], "ACCEPTED");

    // Someone who already has an account (Praha's admin) joins with their
    // own password, which stays as it was.
    admin
        .query(
            INVITE,
            json!({"i": {"email": "admin.praha@example.org", "displayName": "Praha", "roles": ["COUNSELLOR"]}}),
        )
        .await
        .ok();
    let got = sink.wait_for(2, WAIT).await;
    let link = got[1].link("https://integra.test/invitation#").unwrap();
    assert!(
        got[1].parsed().subject.contains("Pozvánka"),
        "Czech by default"
    );
    let r = app
        .client()
        .query(
            ACCEPT,
            json!({"t": token_of(&link), "p": "wrong password!"}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"), "{}", r.body);
    let r = app
        .client()
        .query(
            ACCEPT,
            json!({"t": token_of(&link), "p": integra_tenants::seed::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(
        r.ok()["acceptInvitation"]["email"],
        "admin.praha@example.org"
    );

    // Forgotten password: the same answer for unknown and known addresses;
    // only the known one gets an email.
    let r = anon
        .query(RESET_REQUEST, json!({"e": "nobody@example.org"}))
        .await;
    assert_eq!(r.ok()["requestPasswordReset"], true);
    let r = anon
        .query(RESET_REQUEST, json!({"e": " NOVA.kolegyne@example.org "}))
        .await;
    assert_eq!(r.ok()["requestPasswordReset"], true);
    let got = sink.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 3, "no email for an unknown address");
    let reset = &got[2];
    assert_eq!(reset.to, vec!["nova.kolegyne@example.org".to_owned()]);
    assert!(
        reset.parsed().text.contains("30 minut"),
        "{}",
        reset.parsed().text
    );
    let token = token_of(&reset.link("https://integra.test/reset-password#").unwrap());

    let r = anon.query(RESET, json!({"t": token, "p": "short"})).await;
    assert_eq!(
        r.errors()[0]["extensions"]["field"],
        "password",
        "{}",
        r.body
    );
    let r = anon
        .query(RESET, json!({"t": token, "p": "brand new password 2"}))
        .await;
    assert_eq!(r.ok()["resetPassword"], true);
    // Other sessions ended; the old password no longer works; the new does.
    let me = newcomer.query("{ viewer { email } }", json!({})).await;
    assert_eq!(me.ok()["viewer"], Value::Null, "{}", me.body);
    let r = app
        .client()
        .sign_in("nova.kolegyne@example.org", "a long new password")
        .await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    app.signed_in_as("nova.kolegyne@example.org", "brand new password 2")
        .await;
    let r = anon
        .query(RESET, json!({"t": token, "p": "yet another password"}))
        .await;
    assert_eq!(r.errors()[0]["extensions"]["field"], "token", "single use");

    // Every email was sent once, each with its own Message-ID.
    let ids: HashSet<String> = sink
        .messages()
        .iter()
        .map(|m| m.message_id.clone().unwrap())
        .collect();
    assert_eq!(ids.len(), sink.messages().len());
}

mod invitations_and_resets {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        invitation_and_password_reset(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        invitation_and_password_reset(Engine::Postgres).await;
    }
}

/// Asks for password resets of the demo staff of Ústí (one email each).
async fn request_resets(app: &TestApp, n: usize) {
    let anon = app.client();
    for who in [
        "admin.usti@example.org",
        "counsellor.usti@example.org",
        "lecturer.usti@example.org",
        "admin.praha@example.org",
        "ministry@example.org",
    ]
    .iter()
    .take(n)
    {
        let r = anon.query(RESET_REQUEST, json!({"e": who})).await;
        assert_eq!(r.ok()["requestPasswordReset"], true);
    }
}

async fn smtp_outage(engine: Engine) {
    let sink = SmtpSink::start().await;
    sink.set_mode(SinkMode::Refuse);
    let app = app_with(engine, &sink, MailSetup::default()).await;
    request_resets(&app, 5).await;
    // The server refuses: every message is tried and kept for later.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let rows = outbox(&app).await;
        if rows.len() == 5 && rows.iter().all(|(s, a)| s == "pending" && *a >= 1) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(sink.messages().is_empty());
    // The server recovers: each arrives exactly once.
    sink.set_mode(SinkMode::Accept);
    let rows = wait_until_settled(&app, 5).await;
    assert!(rows.iter().all(|(s, _)| s == "sent"), "{rows:?}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = sink.messages();
    assert_eq!(got.len(), 5, "nothing lost, nothing doubled");
    let ids: HashSet<_> = got.iter().map(|m| m.message_id.clone().unwrap()).collect();
    assert_eq!(ids.len(), 5);
}

mod outage {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        smtp_outage(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        smtp_outage(Engine::Postgres).await;
    }
}

async fn killed_between_sending_and_marking(engine: Engine) {
    let sink = SmtpSink::start().await;
    sink.set_mode(SinkMode::Swallow);
    let app = app_with(
        engine,
        &sink,
        MailSetup {
            lease_seconds: 2,
            ..MailSetup::default()
        },
    )
    .await;
    request_resets(&app, 1).await;
    // The server has the message; the worker waits for its answer and dies.
    let first = sink.wait_for(1, WAIT).await;
    app.stop_mail_worker();
    assert_eq!(outbox(&app).await[0].0, "pending");
    // A new process comes up; after the dead one's lease the row is sent
    // again, with the same Message-ID.
    sink.set_mode(SinkMode::Accept);
    app.start_mail_worker();
    let rows = wait_until_settled(&app, 1).await;
    assert_eq!(rows[0].0, "sent");
    assert_eq!(rows[0].1, 2, "two attempts");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = sink.messages();
    assert_eq!(got.len(), 2, "the one possible second copy");
    assert_eq!(got[0].message_id, first[0].message_id);
    assert_eq!(got[1].message_id, first[0].message_id, "same Message-ID");
}

mod killed_worker {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        killed_between_sending_and_marking(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        killed_between_sending_and_marking(Engine::Postgres).await;
    }
}

const EMAILS: &str =
    "query($s: EmailStatus) { emails(status: $s) { id kind recipient status attempts lastError } }";

async fn failures_reach_the_admin(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = app_with(
        engine,
        &sink,
        MailSetup {
            max_attempts: 2,
            ..MailSetup::default()
        },
    )
    .await;
    let admin = app.signed_in("admin.usti@example.org").await;
    // A mailbox that does not exist: refused for good at once.
    sink.set_mode(SinkMode::Reject);
    admin
        .query(
            INVITE,
            json!({"i": {"email": "gone@example.org", "displayName": "Gone", "roles": ["COUNSELLOR"]}}),
        )
        .await
        .ok();
    let rows = wait_until_settled(&app, 1).await;
    assert_eq!(rows, vec![("failed".to_owned(), 1)]);
    // A server that keeps refusing: failed after the configured attempts.
    sink.set_mode(SinkMode::Refuse);
    admin
        .query(
            INVITE,
            json!({"i": {"email": "later@example.org", "displayName": "Later", "roles": ["COUNSELLOR"]}}),
        )
        .await
        .ok();
    let rows = wait_until_settled(&app, 2).await;
    assert_eq!(rows[1], ("failed".to_owned(), 2));

    let r = admin.query(EMAILS, json!({"s": "FAILED"})).await;
    let failed = r.ok()["emails"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 2, "{}", r.body);
    let gone = failed
        .iter()
        .find(|m| m["recipient"] == "gone@example.org")
        .unwrap();
    assert!(
        gone["lastError"].as_str().unwrap().contains("550"),
        "{gone}"
    );
    assert_eq!(gone["kind"], "invitation");
    // Only the centre's admin sees them.
    let praha = app.signed_in("admin.praha@example.org").await;
    let r = praha.query(EMAILS, json!({"s": "FAILED"})).await;
    assert_eq!(r.ok()["emails"], json!([]));
    let r = praha
        .query(
            "mutation($id: EmailId!) { retryEmail(id: $id) { status } }",
            json!({"id": gone["id"]}),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);
    let counsellor = app.signed_in("counsellor.usti@example.org").await;
    let r = counsellor.query(EMAILS, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    // Sent again once the server takes mail.
    sink.set_mode(SinkMode::Accept);
    let r = admin
        .query(
            "mutation($id: EmailId!) { retryEmail(id: $id) { status attempts } }",
            json!({"id": gone["id"]}),
        )
        .await;
    assert_eq!(r.ok()["retryEmail"]["status"], "PENDING");
    let got = sink.wait_for(1, WAIT).await;
    assert_eq!(got[0].to, vec!["gone@example.org".to_owned()]);
    let r = admin
        .query(
            "mutation($id: EmailId!) { retryEmail(id: $id) { status } }",
            json!({"id": gone["id"]}),
        )
        .await;
    // Sent (or being sent): no longer a failed email.
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
}

mod failures {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        failures_reach_the_admin(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        failures_reach_the_admin(Engine::Postgres).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_emails_are_purged_and_pending_ones_kept() {
    let app = TestApp::start(Engine::Postgres).await;
    request_resets(&app, 2).await;
    wait_until_settled(&app, 2).await;
    // One sent email is 100 days old; a pending one is older still.
    let txn = app.platform.mail_worker().await.unwrap();
    txn.execute_unprepared(
        "UPDATE outbox SET created_at = now() - interval '100 days' WHERE id = (SELECT id FROM outbox ORDER BY id LIMIT 1)",
    )
    .await
    .unwrap();
    txn.execute_unprepared(
        "INSERT INTO outbox (id, kind, recipient, language, subject, body_text, body_html, status, next_attempt_at, created_at) \
         VALUES (gen_random_uuid(), 'probe', 'p@example.org', 'cs', 'P', 'x', 'x', 'pending', now() + interval '1 day', now() - interval '200 days')",
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let gone = app.mailer.purge(chrono::Duration::days(90)).await.unwrap();
    assert_eq!(gone, 1);
    let left = outbox(&app).await;
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().any(|(s, _)| s == "pending"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_emails_are_written_as_eml_files() {
    let app = TestApp::start(Engine::Sqlite).await;
    request_resets(&app, 1).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let files = app.mail_files();
        if let Some(f) = files.first() {
            assert!(f.contains("Message-ID: <"), "{f}");
            assert!(f.contains("To: "), "{f}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no .eml file");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(wait_until_settled(&app, 1).await[0].0, "sent");
}

const APPOINTMENT: &str =
    "mutation($input: AppointmentInput!) { bookAppointment(input: $input) { id } }";

async fn register_client(c: &integra_test_support::Gql, family: &str, email: &str) -> String {
    let r = c
        .query(
            "mutation($f: String!, $e: String!) { registerClient(input: {givenName: \"Olena\", familyName: $f, sex: FEMALE, nationality: \"UA\", birthDate: \"1987-03-04\", email: $e, languages: [\"uk\", \"en\"]}, confirmNotDuplicate: true) { client { id } } }",
            json!({"f": family, "e": email}),
        )
        .await;
    r.ok()["registerClient"]["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `(kind, status)` of the outbox rows of one appointment, oldest first.
async fn mail_of(app: &TestApp, appointment: &str) -> Vec<(String, String)> {
    let txn = app.platform.mail_worker().await.unwrap();
    let rows = txn
        .query_all_raw(sea_orm::Statement::from_string(
            txn.get_database_backend(),
            format!(
                "SELECT kind, status FROM outbox WHERE reference LIKE '%{appointment}' ORDER BY created_at, id"
            ),
        ))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "kind").unwrap(),
                r.try_get::<String>("", "status").unwrap(),
            )
        })
        .collect()
}

/// Waits until the appointment's outbox rows read `want` (the mark follows
/// the server's answer by a moment).
async fn wait_mail_of(app: &TestApp, appointment: &str, want: &[(&str, &str)]) {
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(k, s)| ((*k).to_owned(), (*s).to_owned()))
        .collect();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = mail_of(app, appointment).await;
        if got == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{got:?} != {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn appointment_emails(engine: Engine) {
    let sink = SmtpSink::start().await;
    let app = app_with(engine, &sink, MailSetup::default()).await;
    let c = app.signed_in("counsellor.usti@example.org").await;
    let client = register_client(&c, "Poštová", "olena.postova@example.org").await;
    let silent = register_client(&c, "Bezadresová", "").await;
    let at = |days: i64, hour: u32| {
        let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
        format!("{d}T{hour:02}:00:00+01:00")
    };
    let r = c
        .query(
            APPOINTMENT,
            json!({"input": {"clientId": client, "kind": "LEGAL_COUNSELLING", "startsAt": at(3, 10), "endsAt": at(3, 11)}}),
        )
        .await;
    let appointment = r.ok()["bookAppointment"]["id"].as_str().unwrap().to_owned();
    // The confirmation comes at once, in English (the client reads uk, en).
    let got = sink.wait_for(1, WAIT).await;
    let booked = got[0].parsed();
    assert!(
        booked.subject.starts_with("Appointment at"),
        "{}",
        booked.subject
    );
    assert!(booked.text.contains("legal counselling"), "{}", booked.text);
    assert!(booked.text.contains("Olena Poštová"), "{}", booked.text);
    assert!(booked.text.contains("at 10:00"), "{}", booked.text);
    assert_eq!(got[0].to, vec!["olena.postova@example.org".to_owned()]);
    wait_mail_of(
        &app,
        &appointment,
        &[
            ("appointment_booked", "sent"),
            ("appointment_reminder", "pending"),
        ],
    )
    .await;

    // Moved: a notice; the old reminder is withdrawn and a new one waits.
    let r = c
        .query(
            "mutation($id: AppointmentId!, $s: DateTime!, $e: DateTime!) { moveAppointment(id: $id, startsAt: $s, endsAt: $e) { id } }",
            json!({"id": appointment, "s": at(4, 14), "e": at(4, 15)}),
        )
        .await;
    r.ok();
    let got = sink.wait_for(2, WAIT).await;
    let moved = got[1].parsed();
    assert!(
        moved.subject.starts_with("Appointment moved"),
        "{}",
        moved.subject
    );
    assert!(moved.text.contains("at 14:00"), "{}", moved.text);
    wait_mail_of(
        &app,
        &appointment,
        &[
            ("appointment_booked", "sent"),
            ("appointment_reminder", "cancelled"),
            ("appointment_moved", "sent"),
            ("appointment_reminder", "pending"),
        ],
    )
    .await;

    // The day before comes (played by making the reminder due): it arrives.
    let txn = app.platform.mail_worker().await.unwrap();
    txn.execute_unprepared(&format!(
        "UPDATE outbox SET next_attempt_at = created_at WHERE status = 'pending' AND reference LIKE '%{appointment}'"
    ))
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let got = sink.wait_for(3, WAIT).await;
    assert!(
        got[2].parsed().subject.starts_with("Reminder"),
        "{}",
        got[2].parsed().subject
    );

    // Cancelled: a notice; cancelling again tells nobody twice.
    for _ in 0..2 {
        c.query(
            "mutation($id: AppointmentId!) { cancelAppointment(id: $id, reason: \"ill\") { status } }",
            json!({"id": appointment}),
        )
        .await
        .ok();
    }
    let got = sink.wait_for(4, WAIT).await;
    assert!(got[3].parsed().subject.starts_with("Appointment cancelled"));

    // A client without an address gets nothing, and nothing is queued.
    let r = c
        .query(
            APPOINTMENT,
            json!({"input": {"clientId": silent, "kind": "SOCIAL_COUNSELLING", "startsAt": at(5, 10), "endsAt": at(5, 11)}}),
        )
        .await;
    let quiet = r.ok()["bookAppointment"]["id"].as_str().unwrap().to_owned();
    assert!(mail_of(&app, &quiet).await.is_empty());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 4);

    // The person's data export lists the emails sent to them (not their
    // bodies), each with its address, subject and what became of it.
    let admin = app.signed_in("admin.usti@example.org").await;
    let export = crate::client_rights::export_of(&admin, &client).await;
    let emails = crate::client_rights::section(&export, "Emails");
    let rows = emails["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        5,
        "booked, 2 reminders, moved, cancelled: {emails}"
    );
    assert!(rows.iter().all(|r| r[1] == "olena.postova@example.org"));
    assert!(
        rows.iter()
            .any(|r| r[2].as_str().unwrap().starts_with("Appointment moved") && r[3] == "sent"),
        "{emails}"
    );
    assert!(rows.iter().any(|r| r[3] == "cancelled"), "{emails}");

    // Erasing the client erases the emails about them.
    let r = admin
        .query(
            "mutation($id: ClientId!) { anonymiseClient(clientId: $id) { id } }",
            json!({"id": client}),
        )
        .await;
    assert!(r.errors().is_empty(), "{}", r.body);
    assert!(mail_of(&app, &appointment).await.is_empty());
}

mod appointments {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        appointment_emails(Engine::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        appointment_emails(Engine::Postgres).await;
    }
}
