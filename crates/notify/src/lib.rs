//! Email that is never lost: a transactional outbox, its delivery worker and
//! the templates.
//!
//! - [`outbox::enqueue`] renders an email and writes it in the caller's
//!   transaction; [`MailSignal::wake`] after the commit tells this process's
//!   worker.
//! - [`delivery::Mailer`] (run by `integra serve`) sends due rows over SMTP
//!   with lettre, or writes `.eml` files when no SMTP server is configured,
//!   retrying with backoff and marking what failed for the centre admin.
//! - [`templates`] holds the Czech and English templates.

pub mod client_links;
pub mod delivery;
mod entity;
pub mod ids;
mod language;
pub mod outbox;
pub mod templates;

pub use delivery::{DeliveryConfig, DeliveryReport, Mailer, Transport, parse_sender};
pub use ids::EmailId;
pub use language::Language;
pub use outbox::{
    Envelope, MailAdmin, MailSignal, MailStatus, OutboxMessage, Prepared, cancel_pending,
    cancel_pending_prefixed, enqueue, enqueue_prepared, is_deliverable, prepare,
};
pub use templates::{Letter, Rendered};
