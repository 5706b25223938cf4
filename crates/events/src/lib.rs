//! Events: lectures for foreigners and for the public, multicultural
//! events, school talks, trainings, the regional integration platform and
//! information campaigns.
//!
//! - Staff (any centre role) create, change and cancel events, see their
//!   registrations, check people in (from the list or by the code in the
//!   confirmation email), record head-counts per audience and the
//!   organisations at a platform meeting, and link a registration to a
//!   client.
//! - The public registration page (`register`) needs no account: within
//!   capacity the place is confirmed, beyond it the person joins the
//!   waitlist, which moves up automatically when someone cancels (with the
//!   link in their email). An event may ask registrants to confirm from an
//!   email link first; until then a registration holds nothing and it
//!   lapses after a day. Emails go through the outbox.

pub mod client_links;
pub mod client_view;
mod entity;
pub mod ids;
mod limits;
pub mod model;
pub mod public;
pub mod service;

pub use client_view::{ClientEvent, client_events};
pub use ids::{EventId, RegistrationId};
pub use limits::RegistrationLimits;
pub use model::*;
pub use public::{CONFIRM_WITHIN_HOURS, PURGED};
pub use service::EventService;
