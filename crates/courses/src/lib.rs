//! Courses: Czech-language courses by CEFR level, conversation, courses for
//! children, vocational Czech, sociocultural orientation and the
//! adaptation-integration course "Vítejte v České republice".
//!
//! - Coordinators and centre admins (`can::ManageCourses`) plan courses,
//!   rooms, placement tests and enrolments; lecturers (`can::Teach`) reach
//!   only the courses they teach: sessions, participants' names,
//!   attendance — never case notes or residence data.
//! - Sessions come from an RFC 5545 rule in Prague time without Czech
//!   public holidays (listed as skipped); each is booked in the centre's
//!   calendar (`integra-calendar`) for its lecturers, room and interpreter,
//!   and a clash with an appointment, another course or an event is refused
//!   with `CONFLICT` unless a coordinator overrides it (recorded).

pub mod aik;
pub mod attendance;
pub mod availability;
pub mod certificates;
pub mod client_links;
pub mod enrolment;
mod entity;
pub mod export;
pub mod feeds;
pub mod holidays;
pub mod ids;
mod mail;
pub mod model;
pub mod pdf;
pub mod recurrence;
pub mod service;

pub use ids::{CourseId, EnrolmentId, PlacementId, SessionId};
pub use model::*;
pub use service::{CourseService, SessionFilter};
