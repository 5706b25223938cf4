//! Rooms, one calendar of bookings for every context, and courses: their
//! lecturers, sessions from a recurrence rule (with the holidays skipped),
//! placement tests, enrolments with a waitlist, attendance, certificates,
//! lecturers' availability and absences, clash overrides and calendar feeds.
//!
//! `bookings` holds who or what is taken when — a staff member, an external
//! interpreter or a room — by an appointment, a course session or an event,
//! so one indexed query finds every clash whichever context made the
//! booking. Appointments booked before this migration are copied in.
//!
//! `calendar_feeds` is a platform table like `public_events`: a feed is
//! fetched without signing in, so its secret (hashed) leads to the centre
//! and the lecturer or room; everything read after that is under
//! row-level security.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE rooms (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    branch_id {uuid} NOT NULL,
    name text NOT NULL,
    capacity integer,
    created_at {ts} NOT NULL,
    CONSTRAINT rooms_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT rooms_branch_name_key UNIQUE (tenant_id, branch_id, name),
    CONSTRAINT rooms_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
);

CREATE TABLE bookings (
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    source text NOT NULL,
    source_id {uuid} NOT NULL,
    resource text NOT NULL,
    resource_id {uuid} NOT NULL,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    title text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, source, source_id, resource, resource_id)
);
CREATE INDEX bookings_resource_idx ON bookings (tenant_id, resource, resource_id, starts_at);

INSERT INTO bookings (tenant_id, source, source_id, resource, resource_id, starts_at, ends_at, title)
SELECT tenant_id, 'appointment', id, 'person', worker_id, starts_at, ends_at, kind
FROM appointments WHERE status = 'booked';
INSERT INTO bookings (tenant_id, source, source_id, resource, resource_id, starts_at, ends_at, title)
SELECT a.tenant_id, 'appointment', a.id,
       CASE WHEN i.user_id IS NULL THEN 'interpreter' ELSE 'person' END,
       COALESCE(i.user_id, i.id), a.starts_at, a.ends_at, a.kind
FROM appointments a JOIN interpreters i ON i.tenant_id = a.tenant_id AND i.id = a.interpreter_id
WHERE a.status = 'booked' AND (i.user_id IS NULL OR i.user_id <> a.worker_id);

CREATE TABLE courses (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    kind text NOT NULL,
    level text NOT NULL DEFAULT '',
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    branch_id {uuid},
    room_id {uuid},
    capacity integer NOT NULL,
    min_participants integer,
    interpreter_language text NOT NULL DEFAULT '',
    interpreter_id {uuid},
    funding_project_id {uuid},
    key_activity text NOT NULL DEFAULT '',
    fee_czk integer,
    deposit_czk integer,
    enrolment_opens_on {date},
    enrolment_closes_on {date},
    completion_percent integer NOT NULL,
    recurrence text NOT NULL DEFAULT '',
    first_day {date},
    start_time text NOT NULL DEFAULT '',
    end_time text NOT NULL DEFAULT '',
    status text NOT NULL,
    enrolled integer NOT NULL DEFAULT 0,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT courses_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT courses_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
    CONSTRAINT courses_room_fkey FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id),
    CONSTRAINT courses_interpreter_fkey FOREIGN KEY (tenant_id, interpreter_id) REFERENCES interpreters (tenant_id, id),
    CONSTRAINT courses_project_fkey FOREIGN KEY (tenant_id, funding_project_id) REFERENCES funding_projects (tenant_id, id)
);
CREATE INDEX courses_tenant_idx ON courses (tenant_id, status, created_at);

CREATE TABLE course_lecturers (
    tenant_id {uuid} NOT NULL,
    course_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    PRIMARY KEY (tenant_id, course_id, user_id),
    CONSTRAINT course_lecturers_course_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX course_lecturers_user_idx ON course_lecturers (tenant_id, user_id);

CREATE TABLE course_sessions (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    course_id {uuid} NOT NULL,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    room_id {uuid},
    substitute_id {uuid},
    status text NOT NULL,
    note text NOT NULL DEFAULT '',
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT course_sessions_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT course_sessions_course_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    CONSTRAINT course_sessions_room_fkey FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id)
);
CREATE INDEX course_sessions_course_idx ON course_sessions (tenant_id, course_id, starts_at);
CREATE INDEX course_sessions_starts_idx ON course_sessions (tenant_id, starts_at);

CREATE TABLE course_skipped_days (
    tenant_id {uuid} NOT NULL,
    course_id {uuid} NOT NULL,
    day {date} NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (tenant_id, course_id, day),
    CONSTRAINT course_skipped_days_course_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE placement_tests (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    level text NOT NULL,
    tested_on {date} NOT NULL,
    note text NOT NULL DEFAULT '',
    recorded_by {uuid},
    created_at {ts} NOT NULL,
    CONSTRAINT placement_tests_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT placement_tests_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE INDEX placement_tests_client_idx ON placement_tests (tenant_id, client_id, tested_on);

CREATE TABLE enrolments (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    course_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    status text NOT NULL,
    entry_level text NOT NULL DEFAULT '',
    exit_level text NOT NULL DEFAULT '',
    fee_paid {bool} NOT NULL DEFAULT FALSE,
    enrolled_at {ts},
    withdrawn_at {ts},
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT enrolments_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT enrolments_course_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id),
    CONSTRAINT enrolments_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE UNIQUE INDEX enrolments_client_key ON enrolments (course_id, client_id) WHERE status <> 'withdrawn';
CREATE INDEX enrolments_course_idx ON enrolments (tenant_id, course_id, status, id);
CREATE INDEX enrolments_client_idx ON enrolments (tenant_id, client_id);

CREATE TABLE attendance (
    tenant_id {uuid} NOT NULL,
    session_id {uuid} NOT NULL,
    enrolment_id {uuid} NOT NULL,
    status text NOT NULL,
    recorded_by {uuid},
    recorded_at {ts} NOT NULL,
    PRIMARY KEY (tenant_id, session_id, enrolment_id),
    CONSTRAINT attendance_session_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES course_sessions (tenant_id, id),
    CONSTRAINT attendance_enrolment_fkey FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);
CREATE INDEX attendance_enrolment_idx ON attendance (tenant_id, enrolment_id);

CREATE TABLE certificates (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    enrolment_id {uuid} NOT NULL,
    number text NOT NULL,
    issued_at {ts} NOT NULL,
    issued_by {uuid},
    CONSTRAINT certificates_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT certificates_number_key UNIQUE (number),
    CONSTRAINT certificates_enrolment_key UNIQUE (tenant_id, enrolment_id),
    CONSTRAINT certificates_enrolment_fkey FOREIGN KEY (tenant_id, enrolment_id) REFERENCES enrolments (tenant_id, id)
);

CREATE TABLE lecturer_availability (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    user_id {uuid} NOT NULL,
    weekday integer NOT NULL,
    starts text NOT NULL,
    ends text NOT NULL,
    CONSTRAINT lecturer_availability_tenant_id_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX lecturer_availability_user_idx ON lecturer_availability (tenant_id, user_id);

CREATE TABLE lecturer_absences (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    user_id {uuid} NOT NULL,
    first_day {date} NOT NULL,
    last_day {date} NOT NULL,
    reason text NOT NULL DEFAULT '',
    CONSTRAINT lecturer_absences_tenant_id_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX lecturer_absences_user_idx ON lecturer_absences (tenant_id, user_id, first_day);

CREATE TABLE schedule_overrides (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    course_id {uuid} NOT NULL,
    session_id {uuid},
    clashes {json} NOT NULL,
    reason text NOT NULL,
    by_user {uuid},
    at {ts} NOT NULL,
    CONSTRAINT schedule_overrides_course_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id)
);
CREATE INDEX schedule_overrides_course_idx ON schedule_overrides (tenant_id, course_id, at);

CREATE TABLE calendar_feeds (
    token_hash text PRIMARY KEY,
    centre_id {uuid} NOT NULL REFERENCES centres (id),
    owner_kind text NOT NULL,
    owner_id {uuid} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    revoked_at {ts}
);
CREATE INDEX calendar_feeds_owner_idx ON calendar_feeds (centre_id, owner_kind, owner_id)
"#;

const TENANT_TABLES: [&str; 13] = [
    "rooms",
    "bookings",
    "courses",
    "course_lecturers",
    "course_sessions",
    "course_skipped_days",
    "placement_tests",
    "enrolments",
    "attendance",
    "certificates",
    "lecturer_availability",
    "lecturer_absences",
    "schedule_overrides",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        for table in TENANT_TABLES {
            rls::isolate_tenant_table(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP TABLE calendar_feeds; DROP TABLE schedule_overrides; DROP TABLE lecturer_absences; \
             DROP TABLE lecturer_availability; DROP TABLE certificates; DROP TABLE attendance; \
             DROP TABLE enrolments; DROP TABLE placement_tests; DROP TABLE course_skipped_days; \
             DROP TABLE course_sessions; DROP TABLE course_lecturers; DROP TABLE courses; \
             DROP TABLE bookings; DROP TABLE rooms",
        )
        .await
    }
}
