//! Database migrations of Integra.
//!
//! One file per change, never edited after it has landed. Each migration
//! writes its DDL once, with a few type placeholders that [`sql`] fills for
//! SQLite or PostgreSQL; PostgreSQL additionally gets row-level security on
//! every table with a `tenant_id` column (see [`rls`]).

#![allow(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait's methods take `&SchemaManager` with its lifetime elided; an impl must match"
)]

pub use sea_orm_migration::prelude::*;

pub mod functions;
mod m20261122_000001_foundation;
mod m20261122_000002_clients;
mod m20261122_000003_client_import;
mod m20261122_000004_counselling;
mod m20261122_000005_mail;
mod m20261122_000006_events;
mod m20261122_000007_event_waitlist_order;
mod m20261122_000008_courses;
mod m20261122_000009_reporting;
mod m20261122_000010_feedback;
mod m20261122_000011_resuppress;
mod m20261122_000012_event_resources;
mod m20261122_000013_open_tasks_index;
mod m20261123_000014_event_waitlist_tickets;
mod m20261123_000015_report_claims;
mod m20261123_000016_report_project_firsts;
mod m20261205_000017_client_page;
mod m20261205_000018_record_service;
mod m20261207_000019_directory_rls;
mod m20261207_000020_report_cells_rls;
mod m20261207_000021_event_confirmation;
pub mod rls;
pub mod sql;

/// The name of the PostgreSQL role the application connects as. It owns no
/// table and cannot bypass row-level security.
pub const APP_ROLE: &str = "integra_app";

/// All migrations in order.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_clients::Migration),
            Box::new(m20261122_000003_client_import::Migration),
            Box::new(m20261122_000004_counselling::Migration),
            Box::new(m20261122_000005_mail::Migration),
            Box::new(m20261122_000006_events::Migration),
            Box::new(m20261122_000007_event_waitlist_order::Migration),
            Box::new(m20261122_000008_courses::Migration),
            Box::new(m20261122_000009_reporting::Migration),
            Box::new(m20261122_000010_feedback::Migration),
            Box::new(m20261122_000011_resuppress::Migration),
            Box::new(m20261122_000012_event_resources::Migration),
            Box::new(m20261122_000013_open_tasks_index::Migration),
            Box::new(m20261123_000014_event_waitlist_tickets::Migration),
            Box::new(m20261123_000015_report_claims::Migration),
            Box::new(m20261123_000016_report_project_firsts::Migration),
            Box::new(m20261205_000017_client_page::Migration),
            Box::new(m20261205_000018_record_service::Migration),
            Box::new(m20261207_000019_directory_rls::Migration),
            Box::new(m20261207_000020_report_cells_rls::Migration),
            Box::new(m20261207_000021_event_confirmation::Migration),
        ]
    }
}
