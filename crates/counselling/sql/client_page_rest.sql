-- The counselling context's part of a client's page: the client's
-- `p_latest` latest services with their participants, called by
-- integra_client_page (crates/clients/sql/client_page.sql) inside its
-- statement, so the page stays one round trip. Installed by `integra
-- migrate` whenever this file changes.
--
-- Runs as the caller in the caller's transaction: the centre set by
-- integra_client_page holds for row-level security here too.

CREATE FUNCTION integra_client_page_rest(p_tenant uuid, p_client uuid, p_latest integer)
RETURNS json LANGUAGE plpgsql
-- No SET clause: it runs inside integra_client_page, whose
-- `SET plan_cache_mode = force_generic_plan` holds for the whole call,
-- this one included. A SET clause of its own would save and restore the
-- setting around every call (and keeps a function from being inlined).
AS $fn$
DECLARE
    v_latest uuid[];
BEGIN
    SELECT COALESCE(array_agg(s.intervention_id), '{}') INTO v_latest FROM (
        SELECT p.intervention_id FROM intervention_participants p
        WHERE p.tenant_id = p_tenant AND p.client_id = p_client
        ORDER BY p.occurred_on DESC, p.intervention_id DESC
        LIMIT p_latest
    ) s;
    RETURN json_build_object(
        'interventions', (
            SELECT COALESCE(json_agg(i ORDER BY i.occurred_on DESC, i.id DESC), '[]') FROM interventions i
            WHERE i.tenant_id = p_tenant AND i.id = ANY (v_latest)
        ),
        'participants', (
            SELECT COALESCE(json_agg(q ORDER BY q.intervention_id, q.client_id), '[]')
            FROM intervention_participants q
            WHERE q.tenant_id = p_tenant AND q.intervention_id = ANY (v_latest)
        )
    );
END
$fn$;
