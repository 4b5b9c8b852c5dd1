-- The figures the partition watch publishes, per registered table: future_partitions (interval
-- partitions after the current interval; below premake means maintenance has stopped), rows in the
-- default partition (counted up to 1,000,000; above 0 means rows fell outside every interval
-- partition), and the last maintenance outcome.
CREATE OR REPLACE FUNCTION scaling_toolkit.partition_health(p_now timestamptz DEFAULT now())
RETURNS TABLE (schema_name text, table_name text, premake integer, future_partitions integer, default_rows bigint,
               last_success timestamptz, skipped_in_row integer)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg       record;
    v_default text;
BEGIN
    FOR cfg IN
        SELECT t.*, s.last_success AS ok_at, coalesce(s.skipped_in_row, 0) AS skipped
        FROM scaling_toolkit.partitioned_tables t
        LEFT JOIN scaling_toolkit.maintenance_status s USING (schema_name, table_name)
        WHERE to_regclass(format('%I.%I', t.schema_name, t.table_name)) IS NOT NULL
        ORDER BY t.schema_name, t.table_name
    LOOP
        schema_name := cfg.schema_name;
        table_name := cfg.table_name;
        premake := cfg.premake;
        last_success := cfg.ok_at;
        skipped_in_row := cfg.skipped;
        SELECT count(*)::integer INTO future_partitions
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = format('%I.%I', cfg.schema_name, cfg.table_name)::regclass
          AND c.relname ~ ('^' || cfg.table_name || '_p[0-9]{8}$')
          AND to_date(right(c.relname, 8), 'YYYYMMDD') > date_trunc(cfg.interval_unit, p_now AT TIME ZONE 'UTC');
        SELECT c.relname INTO v_default
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = format('%I.%I', cfg.schema_name, cfg.table_name)::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
        default_rows := 0;
        IF v_default IS NOT NULL THEN
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I.%I LIMIT 1000000) d', cfg.schema_name, v_default) INTO default_rows;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$fn$;
