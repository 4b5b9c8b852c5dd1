-- On an existing partitioned table: adds the spec's columns the table lacks (to every partition),
-- and refuses, with the reason, what an apply cannot do safely: a NOT NULL column without a default
-- (existing rows would have no value), a serial column (it rewrites every partition), a type change.
CREATE OR REPLACE FUNCTION scaling_toolkit.add_columns(p_spec jsonb)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_table oid := format('%I.%I', p_spec->>'schema', p_spec->>'name')::regclass;
    v_col   jsonb;
    v_type  oid;
BEGIN
    FOR v_col IN SELECT c FROM jsonb_array_elements(p_spec->'columns') c LOOP
        SELECT a.atttypid INTO v_type FROM pg_attribute a
        WHERE a.attrelid = v_table AND a.attname = v_col->>'name' AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            IF (v_col->>'serial')::boolean THEN
                RAISE EXCEPTION 'scaling_toolkit: column % of %.% is in the spec but not in the table, and adding a % column rewrites every partition; add it yourself (or give it a plain type), then apply again',
                    v_col->>'name', p_spec->>'schema', p_spec->>'name', v_col->>'type';
            ELSIF (v_col->>'not_null')::boolean AND NOT v_col ? 'default' THEN
                RAISE EXCEPTION 'scaling_toolkit: column % of %.% is in the spec but not in the table, and is NOT NULL without a default: existing rows would have no value. Give it a default or drop notNull, then apply again',
                    v_col->>'name', p_spec->>'schema', p_spec->>'name';
            END IF;
            EXECUTE format('ALTER TABLE %I.%I ADD COLUMN %I %s%s%s', p_spec->>'schema', p_spec->>'name', v_col->>'name', v_col->>'type',
                CASE WHEN v_col ? 'default' THEN ' DEFAULT ' || (v_col->>'default') ELSE '' END,
                CASE WHEN (v_col->>'not_null')::boolean THEN ' NOT NULL' ELSE '' END);
            RAISE NOTICE 'scaling_toolkit: added column % % to %.%', v_col->>'name', v_col->>'type', p_spec->>'schema', p_spec->>'name';
        ELSIF to_regtype(v_col->>'base_type') IS DISTINCT FROM v_type THEN
            RAISE EXCEPTION 'scaling_toolkit: column % of %.% is % in the table but % in the spec; an apply does not change types',
                v_col->>'name', p_spec->>'schema', p_spec->>'name', format_type(v_type, NULL), v_col->>'type';
        END IF;
    END LOOP;
END
$fn$;
