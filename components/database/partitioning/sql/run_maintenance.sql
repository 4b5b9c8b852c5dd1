-- Maintenance of every registered table in the caller's transaction (the apply uses it). Scheduled
-- maintenance calls scaling_toolkit.run_maintenance_proc instead, which commits per table and never
-- waits long for a lock.
CREATE OR REPLACE FUNCTION scaling_toolkit.run_maintenance(p_now timestamptz DEFAULT now())
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg record;
BEGIN
    FOR cfg IN SELECT schema_name, table_name FROM scaling_toolkit.partitioned_tables ORDER BY schema_name, table_name LOOP
        IF to_regclass(format('%I.%I', cfg.schema_name, cfg.table_name)) IS NULL THEN
            RAISE WARNING 'scaling_toolkit: table %.% is registered but does not exist', cfg.schema_name, cfg.table_name;
            CONTINUE;
        END IF;
        PERFORM scaling_toolkit.maintain_table(cfg.schema_name, cfg.table_name, p_now);
    END LOOP;
END
$fn$;
