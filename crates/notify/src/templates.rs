//! Email templates: one folder per language (`templates/cs`, `templates/en`),
//! three files per kind of email: `KIND.subject`, `KIND.txt` (the plain-text
//! part) and `KIND.html` (the HTML part, escaped automatically, on a shared
//! `layout.html`); parts shared by several kinds start with `_`.
//!
//! MiniJinja (Jinja2 syntax) was chosen over compile-time templates because a
//! translator edits a template file without touching Rust, every language
//! takes the same data, and HTML escaping follows the file extension. The
//! files are compiled into the binary and a test renders every kind in every
//! language, so a broken template fails the build's tests, not a send.

use std::sync::OnceLock;

use integra_kernel::{AppError, AppResult};
use minijinja::Environment;
use serde::Serialize;

use crate::Language;

/// Data for one kind of email. The template files are found by `KIND`.
pub trait Letter: Serialize {
    /// The kind, e.g. `password_reset`; also stored with the outbox row.
    const KIND: &'static str;
}

/// A rendered email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

macro_rules! embedded {
    ($($kind:literal),* $(,)?) => {
        /// Every kind of email with templates.
        pub const KINDS: &[&str] = &[$($kind),*];

        fn sources() -> Vec<(String, &'static str)> {
            let mut out = vec![
                ("cs/layout.html".to_owned(), include_str!("../templates/cs/layout.html")),
                ("en/layout.html".to_owned(), include_str!("../templates/en/layout.html")),
                ("cs/_appointment.txt".to_owned(), include_str!("../templates/cs/_appointment.txt")),
                ("cs/_appointment.html".to_owned(), include_str!("../templates/cs/_appointment.html")),
                ("en/_appointment.txt".to_owned(), include_str!("../templates/en/_appointment.txt")),
                ("en/_appointment.html".to_owned(), include_str!("../templates/en/_appointment.html")),
                ("cs/_event.txt".to_owned(), include_str!("../templates/cs/_event.txt")),
                ("cs/_event.html".to_owned(), include_str!("../templates/cs/_event.html")),
                ("en/_event.txt".to_owned(), include_str!("../templates/en/_event.txt")),
                ("en/_event.html".to_owned(), include_str!("../templates/en/_event.html")),
            ];
            $(
                out.push((format!("cs/{}.subject", $kind), include_str!(concat!("../templates/cs/", $kind, ".subject"))));
                out.push((format!("cs/{}.txt", $kind), include_str!(concat!("../templates/cs/", $kind, ".txt"))));
                out.push((format!("cs/{}.html", $kind), include_str!(concat!("../templates/cs/", $kind, ".html"))));
                out.push((format!("en/{}.subject", $kind), include_str!(concat!("../templates/en/", $kind, ".subject"))));
                out.push((format!("en/{}.txt", $kind), include_str!(concat!("../templates/en/", $kind, ".txt"))));
                out.push((format!("en/{}.html", $kind), include_str!(concat!("../templates/en/", $kind, ".html"))));
            )*
            out
        }
    };
}

embedded!(
    "invitation",
    "password_reset",
    "appointment_booked",
    "appointment_moved",
    "appointment_cancelled",
    "appointment_reminder",
    "event_registered",
    "event_confirm",
    "event_promoted",
    "event_reminder",
    "event_cancelled",
    "course_place",
    "feedback_request",
    "course_session_moved",
    "course_session_cancelled",
);

fn environment() -> AppResult<&'static Environment<'static>> {
    static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(true);
        for (name, source) in sources() {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| format!("email template {name}: {e}"))?;
        }
        Ok(env)
    })
    .as_ref()
    .map_err(|e| AppError::internal_msg(e.clone()))
}

/// Renders `letter` in `language`.
pub fn render<L: Letter>(letter: &L, language: Language) -> AppResult<Rendered> {
    render_kind(L::KIND, letter, language)
}

/// Renders a kind by name (tests of every template use this).
pub fn render_kind<S: Serialize>(kind: &str, data: &S, language: Language) -> AppResult<Rendered> {
    let env = environment()?;
    let part = |ext: &str| -> AppResult<String> {
        let name = format!("{}/{kind}.{ext}", language.code());
        env.get_template(&name)
            .and_then(|t| t.render(data))
            .map_err(|e| AppError::internal_msg(format!("email template {name}: {e}")))
    };
    let subject = part("subject")?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Rendered {
        subject,
        text: part("txt")?,
        html: part("html")?,
    })
}

/// Staff invitation: a link that sets the password and joins the centre.
#[derive(Clone, Debug, Serialize)]
pub struct Invitation {
    /// The centre's name.
    pub centre: String,
    /// Who invited them.
    pub inviter: String,
    /// The single-use link.
    pub link: String,
    /// When the link stops working, written for the reader.
    pub expires: String,
    /// Whether the address already has an Integra account (then the link
    /// only adds the centre).
    pub has_account: bool,
}

impl Letter for Invitation {
    const KIND: &'static str = "invitation";
}

/// "Forgot password": a link that sets a new one.
#[derive(Clone, Debug, Serialize)]
pub struct PasswordReset {
    /// The account holder's name.
    pub name: String,
    /// The single-use link.
    pub link: String,
    /// How long the link works.
    pub valid_minutes: i64,
}

impl Letter for PasswordReset {
    const KIND: &'static str = "password_reset";
}

/// What an appointment email says about the appointment.
#[derive(Clone, Debug, Serialize)]
pub struct AppointmentDetails {
    /// The client's name.
    pub name: String,
    /// Start, written for the reader.
    pub when: String,
    /// End time of day.
    pub until: String,
    /// The service, in the letter's language.
    pub service: String,
    /// Where (branch address or place), may be empty.
    pub place: String,
    /// The worker's name.
    pub worker: String,
    /// The centre's name.
    pub centre: String,
    /// Interpreting language, if an interpreter was booked.
    pub interpreter_language: String,
}

/// A booked appointment.
#[derive(Clone, Debug, Serialize)]
pub struct AppointmentBooked {
    /// The appointment.
    #[serde(flatten)]
    pub details: AppointmentDetails,
}

impl Letter for AppointmentBooked {
    const KIND: &'static str = "appointment_booked";
}

/// An appointment moved to another time.
#[derive(Clone, Debug, Serialize)]
pub struct AppointmentMoved {
    /// The appointment at its new time.
    #[serde(flatten)]
    pub details: AppointmentDetails,
    /// The old start, written for the reader.
    pub previous: String,
}

impl Letter for AppointmentMoved {
    const KIND: &'static str = "appointment_moved";
}

/// A cancelled appointment.
#[derive(Clone, Debug, Serialize)]
pub struct AppointmentCancelled {
    /// The appointment.
    #[serde(flatten)]
    pub details: AppointmentDetails,
}

impl Letter for AppointmentCancelled {
    const KIND: &'static str = "appointment_cancelled";
}

/// The reminder the day before.
#[derive(Clone, Debug, Serialize)]
pub struct AppointmentReminder {
    /// The appointment.
    #[serde(flatten)]
    pub details: AppointmentDetails,
}

impl Letter for AppointmentReminder {
    const KIND: &'static str = "appointment_reminder";
}

/// What an event email says about the event and the registration.
#[derive(Clone, Debug, Serialize)]
pub struct EventDetails {
    /// The registrant's name.
    pub name: String,
    /// The event's title.
    pub title: String,
    /// Start, written for the reader.
    pub when: String,
    /// End time of day.
    pub until: String,
    /// Venue, branch address or "online".
    pub venue: String,
    /// The centre's name.
    pub centre: String,
    /// Check-in code.
    pub code: String,
    /// The link that cancels the registration.
    pub cancel_link: String,
}

/// A registration was taken: confirmed, or on the waitlist.
#[derive(Clone, Debug, Serialize)]
pub struct EventRegistered {
    /// The event and registration.
    #[serde(flatten)]
    pub details: EventDetails,
    /// On the waitlist rather than confirmed.
    pub waitlisted: bool,
    /// Place on the waitlist (1 = next).
    pub position: i64,
}

impl Letter for EventRegistered {
    const KIND: &'static str = "event_registered";
}

/// A registration on an event that asks for confirmation: the link that
/// confirms it (nothing is held until it is opened).
#[derive(Clone, Debug, Serialize)]
pub struct EventConfirm {
    /// The event and registration (its check-in code and cancel link are
    /// not shown yet).
    #[serde(flatten)]
    pub details: EventDetails,
    /// The link that confirms the registration.
    pub confirm_link: String,
    /// Hours the link works for.
    pub hours: i64,
}

impl Letter for EventConfirm {
    const KIND: &'static str = "event_confirm";
}

/// A place came free: the registration moved up from the waitlist.
#[derive(Clone, Debug, Serialize)]
pub struct EventPromoted {
    /// The event and registration.
    #[serde(flatten)]
    pub details: EventDetails,
}

impl Letter for EventPromoted {
    const KIND: &'static str = "event_promoted";
}

/// The reminder the day before.
#[derive(Clone, Debug, Serialize)]
pub struct EventReminder {
    /// The event and registration.
    #[serde(flatten)]
    pub details: EventDetails,
}

impl Letter for EventReminder {
    const KIND: &'static str = "event_reminder";
}

/// The event was called off.
#[derive(Clone, Debug, Serialize)]
pub struct EventCancelled {
    /// The event and registration.
    #[serde(flatten)]
    pub details: EventDetails,
}

impl Letter for EventCancelled {
    const KIND: &'static str = "event_cancelled";
}

/// What a course email says about the course.
#[derive(Clone, Debug, Serialize)]
pub struct CourseDetails {
    /// The client's name.
    pub name: String,
    /// The course title.
    pub title: String,
    /// The centre's name.
    pub centre: String,
    /// Where (branch address, room), may be empty.
    pub place: String,
}

/// "Did this help you?" after a course or a closed case, with the link to
/// answer.
#[derive(Clone, Debug, Serialize)]
pub struct FeedbackRequest {
    /// The client's name.
    pub name: String,
    /// What they are asked about: the course's title or "counselling".
    pub title: String,
    /// The centre.
    pub centre: String,
    /// The answer page.
    pub link: String,
}

impl Letter for FeedbackRequest {
    const KIND: &'static str = "feedback_request";
}

/// A place in a course came free and is now the client's.
#[derive(Clone, Debug, Serialize)]
pub struct CoursePlace {
    /// The course.
    #[serde(flatten)]
    pub course: CourseDetails,
    /// The next session, written for the reader; may be empty.
    pub next: String,
}

impl Letter for CoursePlace {
    const KIND: &'static str = "course_place";
}

/// A session moved to another time.
#[derive(Clone, Debug, Serialize)]
pub struct CourseSessionMoved {
    /// The course.
    #[serde(flatten)]
    pub course: CourseDetails,
    /// The old start, written for the reader.
    pub previous: String,
    /// The new start.
    pub when: String,
    /// The new end time of day.
    pub until: String,
}

impl Letter for CourseSessionMoved {
    const KIND: &'static str = "course_session_moved";
}

/// A session called off.
#[derive(Clone, Debug, Serialize)]
pub struct CourseSessionCancelled {
    /// The course.
    #[serde(flatten)]
    pub course: CourseDetails,
    /// The session's start.
    pub when: String,
    /// Why, may be empty.
    pub reason: String,
}

impl Letter for CourseSessionCancelled {
    const KIND: &'static str = "course_session_cancelled";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> AppointmentDetails {
        AppointmentDetails {
            name: "Oksana Kovalenko".into(),
            when: "pondělí 23. 11. 2026 v 9:00".into(),
            until: "10:00".into(),
            service: "sociální poradenství".into(),
            place: "Velká Hradební 1, Ústí nad Labem".into(),
            worker: "Jana Nováková".into(),
            centre: "Centrum Ústí <nad> Labem".into(),
            interpreter_language: "uk".into(),
        }
    }

    #[test]
    fn every_kind_renders_in_every_language_with_both_parts() {
        let samples: Vec<(&str, serde_json_value::Value)> = vec![
            (
                "invitation",
                serde_json_value::to(&Invitation {
                    centre: "Centrum Ústí <nad> Labem".into(),
                    inviter: "Jana Nováková".into(),
                    link: "https://integra.example/invite#tok".into(),
                    expires: "29. 11. 2026".into(),
                    has_account: false,
                }),
            ),
            (
                "password_reset",
                serde_json_value::to(&PasswordReset {
                    name: "Jana".into(),
                    link: "https://integra.example/reset#tok".into(),
                    valid_minutes: 30,
                }),
            ),
            (
                "appointment_booked",
                serde_json_value::to(&AppointmentBooked { details: details() }),
            ),
            (
                "appointment_moved",
                serde_json_value::to(&AppointmentMoved {
                    details: details(),
                    previous: "úterý 24. 11. 2026 v 10:00".into(),
                }),
            ),
            (
                "appointment_cancelled",
                serde_json_value::to(&AppointmentCancelled { details: details() }),
            ),
            (
                "appointment_reminder",
                serde_json_value::to(&AppointmentReminder { details: details() }),
            ),
        ];
        let event = EventDetails {
            name: "Olena".into(),
            title: "Den <cizinců>".into(),
            when: "sobota 5. 12. 2026 v 14:00".into(),
            until: "18:00".into(),
            venue: "Mírové náměstí, Ústí nad Labem".into(),
            centre: "Centrum Ústí <nad> Labem".into(),
            code: "K7P2QX9M".into(),
            cancel_link: "https://integra.example/events/den/cancel#tok".into(),
        };
        let mut samples = samples;
        samples.extend([
            (
                "event_registered",
                serde_json_value::to(&EventRegistered {
                    details: event.clone(),
                    waitlisted: true,
                    position: 3,
                }),
            ),
            (
                "event_confirm",
                serde_json_value::to(&EventConfirm {
                    details: event.clone(),
                    confirm_link: "https://integra.example/events/den/confirm#tok".into(),
                    hours: 24,
                }),
            ),
            (
                "event_promoted",
                serde_json_value::to(&EventPromoted {
                    details: event.clone(),
                }),
            ),
            (
                "event_reminder",
                serde_json_value::to(&EventReminder {
                    details: event.clone(),
                }),
            ),
            (
                "event_cancelled",
                serde_json_value::to(&EventCancelled { details: event }),
            ),
        ]);
        let course = CourseDetails {
            name: "Olena".into(),
            title: "Čeština <A1>".into(),
            centre: "Centrum Ústí".into(),
            place: "Učebna 2".into(),
        };
        samples.extend([
            (
                "feedback_request",
                serde_json_value::to(&FeedbackRequest {
                    name: "Olena Kovalenko".into(),
                    title: "Čeština A1".into(),
                    centre: "Centrum pro Ústecký kraj".into(),
                    link: "https://integra.example/feedback#x".into(),
                }),
            ),
            (
                "course_place",
                serde_json_value::to(&CoursePlace {
                    course: course.clone(),
                    next: "úterý 3. 2. 2027 v 17:00".into(),
                }),
            ),
            (
                "course_session_moved",
                serde_json_value::to(&CourseSessionMoved {
                    course: course.clone(),
                    previous: "úterý 3. 2. 2027 v 17:00".into(),
                    when: "středa 4. 2. 2027 v 17:00".into(),
                    until: "18:30".into(),
                }),
            ),
            (
                "course_session_cancelled",
                serde_json_value::to(&CourseSessionCancelled {
                    course,
                    when: "úterý 3. 2. 2027 v 17:00".into(),
                    reason: "nemoc".into(),
                }),
            ),
        ]);
        assert_eq!(samples.len(), KINDS.len(), "a sample for every kind");
        for (kind, data) in &samples {
            assert!(KINDS.contains(kind));
            for lang in Language::ALL {
                let r = render_kind(kind, data, lang).unwrap();
                assert!(!r.subject.is_empty(), "{kind} {lang:?}");
                assert!(!r.subject.contains('\n'));
                assert!(r.text.len() > 40, "{kind} {lang:?}: {}", r.text);
                assert!(r.html.contains("<html"), "{kind} {lang:?}");
                assert!(!r.html.contains("<nad>"), "HTML is escaped: {kind}");
                assert!(!r.text.contains("&lt;"), "text is not escaped: {kind}");
            }
        }
    }

    #[test]
    fn the_language_changes_the_words() {
        let letter = PasswordReset {
            name: "Jana".into(),
            link: "https://integra.example/reset#tok".into(),
            valid_minutes: 30,
        };
        let cs = render(&letter, Language::Cs).unwrap();
        let en = render(&letter, Language::En).unwrap();
        assert!(cs.subject.contains("hesl"), "{}", cs.subject);
        assert!(en.subject.contains("password"), "{}", en.subject);
        assert!(cs.text.contains("https://integra.example/reset#tok"));
        // Escaped in HTML (`/` as `&#x2f;`), which browsers and mail
        // clients read back as the same link.
        assert!(
            en.html
                .contains("href=\"https:&#x2f;&#x2f;integra.example&#x2f;reset#tok\""),
            "{}",
            en.html
        );
        assert!(cs.text.contains("30 minut"));
    }

    /// Serialises any sample to one type so that the table above can hold
    /// every kind.
    mod serde_json_value {
        pub type Value = minijinja::Value;
        pub fn to<T: serde::Serialize>(v: &T) -> Value {
            minijinja::Value::from_serialize(v)
        }
    }
}
