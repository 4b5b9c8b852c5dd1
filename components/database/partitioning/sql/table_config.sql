-- The configuration row of one table of a spec (a JSON object written by the generator): the one
-- reading of a spec's identity, key, interval and retention, which apply_table stores in
-- scaling_toolkit.partitioned_tables and convert_table converts by. Columns are matched by name.
CREATE OR REPLACE FUNCTION scaling_toolkit.table_config(p_spec jsonb)
RETURNS scaling_toolkit.partitioned_tables LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT jsonb_populate_record(NULL::scaling_toolkit.partitioned_tables, jsonb_build_object(
        'schema_name', p_spec->'schema', 'table_name', p_spec->'name',
        'partition_key', p_spec->'partition_key', 'key_kind', p_spec->'key_kind', 'interval_unit', p_spec->'interval',
        'premake', p_spec->'premake', 'retention', p_spec->'retention', 'retention_action', p_spec->'retention_action',
        'default_partition', coalesce(p_spec->'default_partition', 'false'::jsonb)));
$fn$;
