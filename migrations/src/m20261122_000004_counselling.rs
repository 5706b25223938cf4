//! Counselling: interpreters, cases with plan goals, interventions with
//! their participants and eligibility snapshot, confidential notes,
//! appointments, outreach slots, anonymous inquiries and follow-up tasks.

use sea_orm_migration::prelude::*;

use crate::{rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE interpreters (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    name text NOT NULL,
    languages text NOT NULL,
    email text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    user_id {uuid},
    external {bool} NOT NULL,
    active {bool} NOT NULL,
    created_at {ts} NOT NULL,
    CONSTRAINT interpreters_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE TABLE cases (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    worker_id {uuid} NOT NULL,
    opened_on {date} NOT NULL,
    closed_on {date},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT cases_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT cases_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE INDEX cases_client_idx ON cases (tenant_id, client_id, opened_on);

CREATE TABLE case_goals (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    case_id {uuid} NOT NULL,
    position integer NOT NULL,
    description text NOT NULL,
    status text NOT NULL,
    progress integer NOT NULL,
    progress_note text NOT NULL DEFAULT '',
    target_on {date},
    updated_at {ts} NOT NULL,
    CONSTRAINT case_goals_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT case_goals_case_fkey FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX case_goals_case_idx ON case_goals (tenant_id, case_id, position);

CREATE TABLE outreach_slots (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    title text NOT NULL,
    place text NOT NULL,
    municipality text NOT NULL DEFAULT '',
    branch_id {uuid},
    worker_id {uuid},
    rrule text NOT NULL,
    starts_time text NOT NULL,
    ends_time text NOT NULL,
    valid_from {date} NOT NULL,
    valid_to {date},
    created_at {ts} NOT NULL,
    CONSTRAINT outreach_slots_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT outreach_slots_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id)
);

CREATE TABLE interventions (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    occurred_on {date} NOT NULL,
    duration_minutes integer NOT NULL,
    worker_id {uuid} NOT NULL,
    kind text NOT NULL,
    target_office text,
    form text NOT NULL,
    branch_id {uuid},
    place text NOT NULL DEFAULT '',
    topics text NOT NULL DEFAULT '',
    language text NOT NULL DEFAULT '',
    interpreter_id {uuid},
    interpreter_language text NOT NULL DEFAULT '',
    outcome text NOT NULL DEFAULT '',
    case_id {uuid},
    funding_project_id {uuid} NOT NULL,
    key_activity text NOT NULL DEFAULT '',
    is_group {bool} NOT NULL,
    anonymous_count integer NOT NULL DEFAULT 0,
    outreach_slot_id {uuid},
    recorded_by {uuid},
    created_at {ts} NOT NULL,
    CONSTRAINT interventions_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT interventions_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
    CONSTRAINT interventions_interpreter_fkey FOREIGN KEY (tenant_id, interpreter_id) REFERENCES interpreters (tenant_id, id),
    CONSTRAINT interventions_case_fkey FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id),
    CONSTRAINT interventions_project_fkey FOREIGN KEY (tenant_id, funding_project_id) REFERENCES funding_projects (tenant_id, id),
    CONSTRAINT interventions_slot_fkey FOREIGN KEY (tenant_id, outreach_slot_id) REFERENCES outreach_slots (tenant_id, id)
);
CREATE INDEX interventions_tenant_on_idx ON interventions (tenant_id, occurred_on);
CREATE INDEX interventions_worker_idx ON interventions (tenant_id, worker_id, occurred_on);

CREATE TABLE intervention_participants (
    tenant_id {uuid} NOT NULL,
    intervention_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    occurred_on {date} NOT NULL,
    eligible {bool} NOT NULL,
    eligibility_reason text NOT NULL,
    counts {bool} NOT NULL,
    CONSTRAINT intervention_participants_pkey PRIMARY KEY (tenant_id, intervention_id, client_id),
    CONSTRAINT intervention_participants_intervention_fkey FOREIGN KEY (tenant_id, intervention_id) REFERENCES interventions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT intervention_participants_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE INDEX intervention_participants_client_idx ON intervention_participants (tenant_id, client_id, occurred_on, intervention_id);

CREATE TABLE notes (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    case_id {uuid},
    intervention_id {uuid},
    kind text NOT NULL,
    body text NOT NULL,
    author_id {uuid} NOT NULL,
    created_at {ts} NOT NULL,
    CONSTRAINT notes_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT notes_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id),
    CONSTRAINT notes_case_fkey FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT notes_intervention_fkey FOREIGN KEY (tenant_id, intervention_id) REFERENCES interventions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notes_client_idx ON notes (tenant_id, client_id, created_at);

CREATE TABLE appointments (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    client_id {uuid},
    worker_id {uuid} NOT NULL,
    branch_id {uuid},
    kind text NOT NULL,
    language text NOT NULL DEFAULT '',
    interpreter_id {uuid},
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    starts_on {date} NOT NULL,
    place text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    status text NOT NULL,
    cancel_reason text NOT NULL DEFAULT '',
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT appointments_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT appointments_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id),
    CONSTRAINT appointments_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
    CONSTRAINT appointments_interpreter_fkey FOREIGN KEY (tenant_id, interpreter_id) REFERENCES interpreters (tenant_id, id)
);
CREATE INDEX appointments_worker_idx ON appointments (tenant_id, worker_id, starts_at);
CREATE INDEX appointments_interpreter_idx ON appointments (tenant_id, interpreter_id, starts_at);
CREATE INDEX appointments_branch_idx ON appointments (tenant_id, branch_id, starts_at);
CREATE INDEX appointments_client_idx ON appointments (tenant_id, client_id, starts_on, id);

CREATE TABLE inquiries (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    occurred_on {date} NOT NULL,
    channel text NOT NULL,
    language text NOT NULL DEFAULT '',
    nationality text,
    topics text NOT NULL DEFAULT '',
    duration_minutes integer NOT NULL,
    outcome text NOT NULL,
    referred_to text NOT NULL DEFAULT '',
    worker_id {uuid} NOT NULL,
    branch_id {uuid},
    client_id {uuid},
    created_at {ts} NOT NULL,
    CONSTRAINT inquiries_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT inquiries_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
    CONSTRAINT inquiries_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
);
CREATE INDEX inquiries_tenant_on_idx ON inquiries (tenant_id, occurred_on);

CREATE TABLE tasks (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    title text NOT NULL,
    due_on {date} NOT NULL,
    assignee_id {uuid} NOT NULL,
    client_id {uuid},
    case_id {uuid},
    intervention_id {uuid},
    created_by {uuid},
    created_at {ts} NOT NULL,
    done_at {ts},
    done_by {uuid},
    CONSTRAINT tasks_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT tasks_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id),
    CONSTRAINT tasks_case_fkey FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT tasks_intervention_fkey FOREIGN KEY (tenant_id, intervention_id) REFERENCES interventions (tenant_id, id) ON DELETE SET NULL
);
CREATE INDEX tasks_assignee_idx ON tasks (tenant_id, assignee_id, due_on);
CREATE INDEX tasks_client_idx ON tasks (tenant_id, client_id, due_on, id)
"#;

const TENANT_TABLES: [&str; 10] = [
    "interpreters",
    "cases",
    "case_goals",
    "outreach_slots",
    "interventions",
    "intervention_participants",
    "notes",
    "appointments",
    "inquiries",
    "tasks",
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
            "DROP TABLE tasks; DROP TABLE inquiries; DROP TABLE appointments; DROP TABLE notes; \
             DROP TABLE intervention_participants; DROP TABLE interventions; \
             DROP TABLE outreach_slots; DROP TABLE case_goals; DROP TABLE cases; \
             DROP TABLE interpreters",
        )
        .await
    }
}
