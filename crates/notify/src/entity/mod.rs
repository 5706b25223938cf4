//! Table models.
pub mod outbox;
