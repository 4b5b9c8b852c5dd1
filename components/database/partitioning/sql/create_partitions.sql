-- Creates the missing partitions of one table whose ranges start from the interval containing
-- p_from up to the one containing p_to (UTC), never below a converted table's legacy partition.
-- Returns how many it created.
CREATE OR REPLACE FUNCTION scaling_toolkit.create_partitions(p_schema text, p_table text, p_from timestamp, p_to timestamp)
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg       scaling_toolkit.partitioned_tables;
    v_step    interval;
    v_start   timestamp;
    v_created integer := 0;
BEGIN
    SELECT * INTO STRICT cfg FROM scaling_toolkit.partitioned_tables WHERE schema_name = p_schema AND table_name = p_table;
    v_step := ('1 ' || cfg.interval_unit)::interval;
    v_start := date_trunc(cfg.interval_unit, p_from);
    IF cfg.legacy_upper IS NOT NULL AND v_start < cfg.legacy_upper THEN
        v_start := cfg.legacy_upper;
    END IF;
    WHILE v_start <= p_to LOOP
        IF scaling_toolkit.create_partition(p_schema, p_table, v_start) THEN
            v_created := v_created + 1;
        END IF;
        v_start := v_start + v_step;
    END LOOP;
    RETURN v_created;
END
$fn$;
