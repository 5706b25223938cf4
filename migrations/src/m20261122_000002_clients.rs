//! Funding projects, the client registry (residence history, aliases,
//! consents, household), the name-search index and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::{APP_ROLE, rls, sql};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE funding_projects (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    registration_number text NOT NULL,
    name text NOT NULL,
    source text NOT NULL,
    eligibility_rule text NOT NULL,
    starts_on {date} NOT NULL,
    ends_on {date} NOT NULL,
    contact_threshold_minutes integer NOT NULL DEFAULT 30,
    created_at {ts} NOT NULL,
    CONSTRAINT funding_projects_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT funding_projects_tenant_id_registration_number_key UNIQUE (tenant_id, registration_number)
);

CREATE TABLE clients (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    given_name text NOT NULL,
    family_name text NOT NULL,
    birth_date {date},
    birth_year integer,
    sex text NOT NULL,
    nationality text NOT NULL,
    languages text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    municipality text NOT NULL DEFAULT '',
    region_code text,
    branch_id {uuid},
    first_contact_on {date} NOT NULL,
    referral_source text NOT NULL DEFAULT '',
    identity_verified_at {ts},
    identity_verified_by {uuid},
    person_key text,
    residence_category text,
    merged_into {uuid},
    anonymised_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT clients_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT clients_branch_fkey FOREIGN KEY (tenant_id, branch_id) REFERENCES branches (tenant_id, id),
    CONSTRAINT clients_merged_into_fkey FOREIGN KEY (tenant_id, merged_into) REFERENCES clients (tenant_id, id)
);
CREATE INDEX clients_tenant_family_idx ON clients (tenant_id, family_name, given_name, id);
CREATE INDEX clients_tenant_nationality_idx ON clients (tenant_id, nationality);
CREATE INDEX clients_person_key_idx ON clients (person_key);

CREATE TABLE client_aliases (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    given_name text NOT NULL,
    family_name text NOT NULL,
    CONSTRAINT client_aliases_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT client_aliases_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_aliases_client_idx ON client_aliases (tenant_id, client_id);

CREATE TABLE residence_statuses (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    status text NOT NULL,
    document_type text NOT NULL DEFAULT '',
    document_number text NOT NULL DEFAULT '',
    valid_from {date} NOT NULL,
    valid_to {date},
    proceedings_pending {bool} NOT NULL,
    recorded_by {uuid},
    recorded_at {ts} NOT NULL,
    CONSTRAINT residence_statuses_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT residence_statuses_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX residence_statuses_client_idx ON residence_statuses (tenant_id, client_id, valid_from);

CREATE TABLE consents (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    purpose text NOT NULL,
    given {bool} NOT NULL,
    decided_on {date} NOT NULL,
    recorded_by {uuid},
    recorded_at {ts} NOT NULL,
    CONSTRAINT consents_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT consents_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX consents_client_idx ON consents (tenant_id, client_id);

CREATE TABLE household_links (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL,
    client_id {uuid} NOT NULL,
    other_client_id {uuid} NOT NULL,
    relation text NOT NULL,
    CONSTRAINT household_links_tenant_id_id_key UNIQUE (tenant_id, id),
    CONSTRAINT household_links_pair_key UNIQUE (tenant_id, client_id, other_client_id),
    CONSTRAINT household_links_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT household_links_other_fkey FOREIGN KEY (tenant_id, other_client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE client_terms (
    tenant_id {uuid} NOT NULL,
    term {ctext} NOT NULL,
    client_id {uuid} NOT NULL,
    CONSTRAINT client_terms_pkey PRIMARY KEY (tenant_id, term, client_id),
    CONSTRAINT client_terms_client_fkey FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_terms_client_idx ON client_terms (tenant_id, client_id);

CREATE TABLE client_term_variants (
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    variant {ctext} NOT NULL,
    term {ctext} NOT NULL,
    CONSTRAINT client_term_variants_pkey PRIMARY KEY (tenant_id, variant, term)
);

CREATE TABLE audit_log (
    id {uuid} PRIMARY KEY,
    tenant_id {uuid} NOT NULL REFERENCES centres (id),
    at {ts} NOT NULL,
    actor_id {uuid},
    action text NOT NULL,
    entity text NOT NULL,
    entity_id {uuid} NOT NULL,
    fields text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_id, at)
"#;

const TENANT_TABLES: [&str; 9] = [
    "funding_projects",
    "clients",
    "client_aliases",
    "residence_statuses",
    "consents",
    "household_links",
    "client_terms",
    "client_term_variants",
    "audit_log",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await?;
        for table in TENANT_TABLES {
            rls::isolate_tenant_table(manager, table).await?;
        }
        // The audit log is append-only for the application.
        let conn = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                conn.execute_unprepared(&format!(
                    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {APP_ROLE}"
                ))
                .await?;
            }
            _ => {
                for op in ["UPDATE", "DELETE"] {
                    conn.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_log_no_{lower} BEFORE {op} ON audit_log \
                         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                        lower = op.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(
            manager,
            "DROP TABLE audit_log; DROP TABLE client_term_variants; DROP TABLE client_terms; \
             DROP TABLE household_links; DROP TABLE consents; DROP TABLE residence_statuses; \
             DROP TABLE client_aliases; DROP TABLE clients; DROP TABLE funding_projects",
        )
        .await
    }
}
