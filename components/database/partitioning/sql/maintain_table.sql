-- One table's maintenance as of p_now, one step or both (p_step 'create', 'retention' or 'all'):
-- the current and the next `premake` partitions exist (attaching one takes SHARE UPDATE EXCLUSIVE on
-- the parent), and partitions whose whole range is older than the retention are dropped or detached
-- (that takes ACCESS EXCLUSIVE on the parent: callers set a short lock_timeout). Returns what it did
-- as { "created": n, "removed": n }.
CREATE OR REPLACE FUNCTION scaling_toolkit.maintain_table(p_schema text, p_table text, p_now timestamptz DEFAULT now(), p_step text DEFAULT 'all')
RETURNS jsonb LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg       scaling_toolkit.partitioned_tables;
    v_now     timestamp := p_now AT TIME ZONE 'UTC';
    v_step    interval;
    v_part    record;
    v_start   timestamp;
    v_created integer := 0;
    v_removed integer := 0;
BEGIN
    SELECT * INTO STRICT cfg FROM scaling_toolkit.partitioned_tables WHERE schema_name = p_schema AND table_name = p_table;
    v_step := ('1 ' || cfg.interval_unit)::interval;
    IF p_step IN ('all', 'create') THEN
        v_created := scaling_toolkit.create_partitions(p_schema, p_table, v_now, date_trunc(cfg.interval_unit, v_now) + cfg.premake * v_step);
    END IF;
    IF cfg.retention IS NOT NULL AND p_step IN ('all', 'retention') THEN
        FOR v_part IN
            SELECT c.relname
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = format('%I.%I', p_schema, p_table)::regclass
              AND c.relname ~ ('^' || p_table || '_p[0-9]{8}$')
            ORDER BY c.relname
        LOOP
            v_start := to_date(right(v_part.relname, 8), 'YYYYMMDD')::timestamp;
            IF v_start + v_step <= v_now - cfg.retention THEN
                IF cfg.retention_action = 'detach' THEN
                    EXECUTE format('ALTER TABLE %I.%I DETACH PARTITION %I.%I', p_schema, p_table, p_schema, v_part.relname);
                ELSE
                    EXECUTE format('DROP TABLE %I.%I', p_schema, v_part.relname);
                END IF;
                v_removed := v_removed + 1;
                RAISE NOTICE 'scaling_toolkit: % partition %.% (older than %)', cfg.retention_action, p_schema, v_part.relname, cfg.retention;
            END IF;
        END LOOP;
    END IF;
    RETURN jsonb_build_object('created', v_created, 'removed', v_removed);
END
$fn$;
