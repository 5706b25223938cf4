-- A client's page in one round trip on PostgreSQL: integra_client_page.
--
-- Installed by `integra migrate` whenever this file changes (see
-- crates/kernel/src/sql_functions.rs); double-brace placeholders are filled from
-- the Rust constants named in crates/clients/src/lib.rs.
--
-- Reading a client's record with its latest services took eight statements,
-- each a round trip between the server and PostgreSQL (begin, set the
-- centre, the record, its residence history, the audit line, the services,
-- their participants, commit); on the national set a third of the server's
-- CPU went to the kernel passing those messages. integra_client_page does
-- the same work as one statement run outside an explicit transaction (its
-- own): it sets the centre and user for row-level security (local to that
-- transaction, as Database::scoped does), follows merges to the surviving
-- record, appends the `read` line to the audit log and returns the record
-- and the parts asked for as one JSON value, or NULL when there is no such
-- client in the centre (or it was anonymised). Under `rest` it returns what
-- the context above the registry adds to the page: with p_latest > 0 the
-- counselling context's integra_client_page_rest (its latest services,
-- crates/counselling/sql/client_page_rest.sql), so that this file names no
-- table of another context.
--
-- The value is built as `json`, not `jsonb`: it is only sent to the server,
-- and building text costs the database less than building `jsonb` and then
-- printing it (pgbench on the national set, 16 connections: 2,194-2,249
-- pages/s as `jsonb`, 2,777-2,845 as `json`). Only the record itself goes
-- through `jsonb`, to drop its person key.
--
-- It runs as the caller (not SECURITY DEFINER): row-level security and the
-- app role's grants apply to every statement in it, exactly as to the
-- statements it replaces. SQLite runs the statements in Rust; a test reads
-- the same pages both ways on PostgreSQL and compares them.

CREATE FUNCTION integra_client_page(
    p_tenant uuid, p_user uuid, p_client uuid, p_at timestamptz, p_audit_id uuid,
    p_aliases boolean, p_residence boolean, p_consents boolean, p_household boolean,
    p_latest integer
) RETURNS json LANGUAGE plpgsql
-- Custom plans were rebuilt on every call (the generic plan, costed
-- without the tenant, looked dearer): 2.1 ms a call, 1.0 ms generic.
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
    c clients%ROWTYPE;
    v_id uuid := p_client;
    v_survivor boolean := false;
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, true),
            set_config('app.user_id', p_user::text, true);
    -- A merged record stands for its survivor.
    FOR step IN 1..{{MERGE_CHAIN_LIMIT}} LOOP
        SELECT * INTO c FROM clients WHERE clients.tenant_id = p_tenant AND clients.id = v_id;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        IF c.merged_into IS NULL THEN
            v_survivor := true;
            EXIT;
        END IF;
        v_id := c.merged_into;
    END LOOP;
    IF NOT v_survivor THEN
        RAISE EXCEPTION 'merge chain too long';
    END IF;
    IF c.anonymised_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO audit_log (id, tenant_id, at, actor_id, action, entity, entity_id, fields)
    VALUES (p_audit_id, p_tenant, p_at, p_user, 'read', 'client', c.id, '');
    RETURN json_build_object(
        'client', (to_jsonb(c) - 'person_key')::json,
        'aliases', CASE WHEN p_aliases THEN (
            SELECT COALESCE(json_agg(a ORDER BY a.id), '[]') FROM client_aliases a
            WHERE a.tenant_id = p_tenant AND a.client_id = c.id
        ) ELSE '[]' END,
        'residence', CASE WHEN p_residence THEN (
            SELECT COALESCE(json_agg(r ORDER BY r.valid_from, r.id), '[]') FROM residence_statuses r
            WHERE r.tenant_id = p_tenant AND r.client_id = c.id
        ) ELSE '[]' END,
        'consents', CASE WHEN p_consents THEN (
            SELECT COALESCE(json_agg(k ORDER BY k.decided_on, k.id), '[]') FROM consents k
            WHERE k.tenant_id = p_tenant AND k.client_id = c.id
        ) ELSE '[]' END,
        'household', CASE WHEN p_household THEN (
            SELECT COALESCE(json_agg(json_build_object(
                'client_id', o.id, 'given_name', o.given_name, 'family_name', o.family_name,
                'relation', l.relation) ORDER BY l.id), '[]')
            FROM household_links l
            JOIN clients o ON o.tenant_id = l.tenant_id AND o.id = l.other_client_id
            WHERE l.tenant_id = p_tenant AND l.client_id = c.id
              AND o.merged_into IS NULL AND o.anonymised_at IS NULL
        ) ELSE '[]' END,
        -- What the context above the registry adds to the page (the
        -- counselling context: the latest services), by its own function.
        'rest', CASE WHEN p_latest > 0
            THEN integra_client_page_rest(p_tenant, c.id, p_latest)
            ELSE '{}'::json END
    );
END
$fn$;
