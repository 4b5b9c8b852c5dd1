-- Creates, converts or reconciles one table of a spec (a JSON object written by the generator), in
-- the caller's transaction, and registers it for maintenance: the table, its columns, its optional
-- default partition, its indexes (on the parent and on every partition) and the backfill partitions.
CREATE OR REPLACE FUNCTION scaling_toolkit.apply_table(p_spec jsonb)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    s         scaling_toolkit.partitioned_tables := scaling_toolkit.table_config(p_spec);
    v_unit    text;
    v_kind    "char";
    v_index   jsonb;
    v_default text := s.table_name || '_default';
BEGIN
    IF to_regnamespace(s.schema_name) IS NULL THEN
        EXECUTE format('CREATE SCHEMA %I', s.schema_name);
    END IF;
    SELECT interval_unit INTO v_unit FROM scaling_toolkit.partitioned_tables WHERE schema_name = s.schema_name AND table_name = s.table_name;
    IF v_unit IS NOT NULL AND v_unit <> s.interval_unit THEN
        RAISE EXCEPTION 'scaling_toolkit: %.% is partitioned by %, not %; changing the interval needs a new table', s.schema_name, s.table_name, v_unit, s.interval_unit;
    END IF;
    INSERT INTO scaling_toolkit.partitioned_tables AS p
        (schema_name, table_name, partition_key, key_kind, interval_unit, premake, retention, retention_action, default_partition)
    VALUES (s.schema_name, s.table_name, s.partition_key, s.key_kind, s.interval_unit, s.premake,
            s.retention, s.retention_action, s.default_partition)
    ON CONFLICT (schema_name, table_name) DO UPDATE
        SET partition_key = EXCLUDED.partition_key, key_kind = EXCLUDED.key_kind, premake = EXCLUDED.premake,
            retention = EXCLUDED.retention, retention_action = EXCLUDED.retention_action, default_partition = EXCLUDED.default_partition
        WHERE (p.partition_key, p.key_kind, p.premake, p.retention, p.retention_action, p.default_partition)
            IS DISTINCT FROM (EXCLUDED.partition_key, EXCLUDED.key_kind, EXCLUDED.premake, EXCLUDED.retention, EXCLUDED.retention_action, EXCLUDED.default_partition);

    SELECT c.relkind INTO v_kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = s.schema_name AND c.relname = s.table_name;
    IF v_kind IS NULL THEN
        EXECUTE scaling_toolkit.create_table_sql(p_spec);
    ELSIF v_kind = 'r' THEN
        IF NOT (p_spec->>'convert_existing')::boolean THEN
            RAISE EXCEPTION 'scaling_toolkit: %.% exists and is not partitioned; set convertExisting to convert it', s.schema_name, s.table_name;
        END IF;
        PERFORM scaling_toolkit.convert_table(p_spec);
    ELSIF v_kind = 'p' THEN
        PERFORM scaling_toolkit.add_columns(p_spec);
    ELSE
        RAISE EXCEPTION 'scaling_toolkit: %.% exists and is not a table', s.schema_name, s.table_name;
    END IF;

    IF s.default_partition AND NOT EXISTS (
        SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = format('%I.%I', s.schema_name, s.table_name)::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT')
    THEN
        IF to_regclass(format('%I.%I', s.schema_name, v_default)) IS NOT NULL THEN
            RAISE EXCEPTION 'scaling_toolkit: the default partition of %.% would be %.%, which already exists; rename it, then apply again',
                s.schema_name, s.table_name, s.schema_name, v_default;
        END IF;
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I DEFAULT', s.schema_name, v_default, s.schema_name, s.table_name);
    END IF;

    FOR v_index IN SELECT jsonb_array_elements(p_spec->'indexes') LOOP
        PERFORM scaling_toolkit.ensure_index(s.schema_name, s.table_name, v_index);
    END LOOP;

    IF p_spec->>'backfill_from' IS NOT NULL THEN
        -- Backfill: partitions from backfillFrom (not below the retention) up to now.
        PERFORM scaling_toolkit.create_partitions(s.schema_name, s.table_name,
            CASE WHEN p_spec->>'retention' IS NULL THEN (p_spec->>'backfill_from')::timestamp
                 ELSE greatest((p_spec->>'backfill_from')::timestamp, (now() AT TIME ZONE 'UTC') - (p_spec->>'retention')::interval) END,
            now() AT TIME ZONE 'UTC');
    END IF;
END
$fn$;
