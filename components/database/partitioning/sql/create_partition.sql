-- Creates the partition of one table starting at p_start (an interval start, UTC) unless it exists.
-- The partition is made as a standalone table and then attached: ATTACH PARTITION takes only a
-- SHARE UPDATE EXCLUSIVE lock on the parent, so reads and writes of the table go on meanwhile
-- (CREATE TABLE ... PARTITION OF would take ACCESS EXCLUSIVE). Rows of the new range that sit in the
-- default partition are moved into it first. Returns true when it created the partition.
CREATE OR REPLACE FUNCTION scaling_toolkit.create_partition(p_schema text, p_table text, p_start timestamp)
RETURNS boolean LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg       scaling_toolkit.partitioned_tables;
    v_name    text := p_table || '_p' || to_char(p_start, 'YYYYMMDD');
    v_end     timestamp;
    v_default text;
    v_cols    text;
    v_moved   bigint;
BEGIN
    SELECT * INTO STRICT cfg FROM scaling_toolkit.partitioned_tables WHERE schema_name = p_schema AND table_name = p_table;
    IF to_regclass(format('%I.%I', p_schema, v_name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    v_end := p_start + ('1 ' || cfg.interval_unit)::interval;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)',
        p_schema, v_name, p_schema, p_table);
    SELECT c.relname INTO v_default
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = format('%I.%I', p_schema, p_table)::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    IF v_default IS NOT NULL THEN
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_cols FROM pg_attribute
        WHERE attrelid = format('%I.%I', p_schema, p_table)::regclass AND attnum > 0 AND NOT attisdropped;
        EXECUTE format('WITH moved AS (DELETE FROM %I.%I WHERE %s >= %L AND %s < %L RETURNING %s) INSERT INTO %I.%I (%s) SELECT %s FROM moved',
            p_schema, v_default, scaling_toolkit.key_utc(cfg.partition_key, cfg.key_kind), p_start,
            scaling_toolkit.key_utc(cfg.partition_key, cfg.key_kind), v_end, v_cols, p_schema, v_name, v_cols, v_cols);
        GET DIAGNOSTICS v_moved = ROW_COUNT;
        IF v_moved > 0 THEN
            RAISE NOTICE 'scaling_toolkit: moved % rows of %.% from the default partition to %', v_moved, p_schema, p_table, v_name;
        END IF;
    END IF;
    EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
        p_schema, p_table, p_schema, v_name,
        scaling_toolkit.partition_bound(cfg.key_kind, p_start),
        scaling_toolkit.partition_bound(cfg.key_kind, v_end));
    RETURN true;
END
$fn$;
