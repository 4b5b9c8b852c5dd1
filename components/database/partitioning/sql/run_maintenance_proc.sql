-- Scheduled maintenance (pg_partman's run_maintenance_proc is the model): per table, two steps, each
-- its own transaction committed before the next: creating partitions, then retention. Each attempt
-- waits at most p_lock_timeout for a lock (creating a partition needs SHARE UPDATE EXCLUSIVE on the
-- parent, which reads and writes do not conflict with; dropping or detaching one needs ACCESS
-- EXCLUSIVE, and while that request waits every other query of the table queues behind it, so the
-- wait is kept short). A step another session blocks is retried p_attempts times, sleeping
-- p_backoff, then twice as long, ...; then it is skipped, with a WARNING and a row in
-- scaling_toolkit.maintenance_status, and the other steps and tables are still done.
-- Must be CALLed outside a transaction block (pg_cron does).
-- No SET clause: a procedure with one cannot COMMIT. Every name is schema-qualified instead.
CREATE OR REPLACE PROCEDURE scaling_toolkit.run_maintenance_proc(
    p_now          timestamptz DEFAULT NULL,
    p_lock_timeout interval    DEFAULT '200 milliseconds',
    p_attempts     integer     DEFAULT 3,
    p_backoff      interval    DEFAULT '1 second')
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_tables  text[];
    v_i       integer;
    v_schema  text;
    v_table   text;
    v_attempt integer;
    v_ok      boolean;
    v_error   text;
    v_result  jsonb;
    v_step    text;
    v_outcome text;
    v_skipped boolean;
BEGIN
    SELECT coalesce(array_agg(pg_catalog.format('%s.%s', schema_name, table_name) ORDER BY schema_name, table_name), '{}')
        INTO v_tables FROM scaling_toolkit.partitioned_tables;
    COMMIT;
    FOR v_i IN 1 .. coalesce(pg_catalog.array_length(v_tables, 1), 0) LOOP
        v_schema := pg_catalog.split_part(v_tables[v_i], '.', 1);
        v_table := pg_catalog.split_part(v_tables[v_i], '.', 2);
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_schema, v_table)) IS NULL THEN
            RAISE WARNING 'scaling_toolkit: table %.% is registered but does not exist', v_schema, v_table;
            CONTINUE;
        END IF;
        v_outcome := '';
        v_skipped := false;
        FOREACH v_step IN ARRAY ARRAY['create', 'retention'] LOOP
            v_attempt := 0;
            LOOP
                v_attempt := v_attempt + 1;
                BEGIN
                    PERFORM pg_catalog.set_config('lock_timeout', (extract(epoch FROM p_lock_timeout) * 1000)::bigint::text || 'ms', true);
                    -- An apply in progress holds this lock for its whole transaction: treated as any lock held.
                    IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('scaling_toolkit.partitioning')) THEN
                        RAISE EXCEPTION 'the partitioning SQL is being applied' USING ERRCODE = 'lock_not_available';
                    END IF;
                    v_result := scaling_toolkit.maintain_table(v_schema, v_table, coalesce(p_now, pg_catalog.now()), v_step);
                    v_ok := true;
                EXCEPTION WHEN lock_not_available THEN
                    v_ok := false;
                    v_error := SQLERRM;
                END;
                IF v_ok THEN
                    v_outcome := v_outcome || CASE WHEN v_outcome = '' THEN '' ELSE ', ' END || v_step || ' ok '
                        || (v_result->(CASE v_step WHEN 'create' THEN 'created' ELSE 'removed' END))::text;
                    COMMIT;
                    EXIT;
                END IF;
                ROLLBACK;
                IF v_attempt >= p_attempts THEN
                    RAISE WARNING 'scaling_toolkit: skipped % of %.% after % attempts: % (another session holds the table; the next run retries)',
                        v_step, v_schema, v_table, v_attempt, v_error;
                    v_outcome := v_outcome || CASE WHEN v_outcome = '' THEN '' ELSE ', ' END || v_step || ' skipped: ' || v_error;
                    v_skipped := true;
                    EXIT;
                END IF;
                PERFORM pg_catalog.pg_sleep(extract(epoch FROM p_backoff) * power(2, v_attempt - 1));
            END LOOP;
        END LOOP;
        INSERT INTO scaling_toolkit.maintenance_status AS s (schema_name, table_name, last_attempt, last_success, last_outcome, skipped_in_row)
        VALUES (v_schema, v_table, pg_catalog.clock_timestamp(), CASE WHEN v_skipped THEN NULL ELSE pg_catalog.clock_timestamp() END,
                v_outcome, CASE WHEN v_skipped THEN 1 ELSE 0 END)
        ON CONFLICT (schema_name, table_name) DO UPDATE
            SET last_attempt = EXCLUDED.last_attempt,
                last_success = coalesce(EXCLUDED.last_success, s.last_success),
                last_outcome = EXCLUDED.last_outcome,
                skipped_in_row = CASE WHEN v_skipped THEN s.skipped_in_row + 1 ELSE 0 END;
        COMMIT;
    END LOOP;
END
$fn$;
