-- Converts a populated unpartitioned table into the partitioned table of a spec, in the caller's
-- transaction. Everything that would make the conversion wrong is checked first and raises an
-- error before anything changes: a table named <table>_legacy, inbound foreign keys, views, columns
-- that differ from the spec, NULL partition keys, too many rows dated after the current interval.
-- Then the table is renamed <table>_legacy and attached, without copying, as the partition of
-- everything before the end of the interval holding its newest row (rows dated later than the
-- current interval, such as a mistyped 2099, are moved into interval partitions of their own);
-- interval partitions fill any gap up to now; serial columns keep drawing from the one sequence.
CREATE OR REPLACE FUNCTION scaling_toolkit.convert_table(p_spec jsonb)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    s         scaling_toolkit.partitioned_tables := scaling_toolkit.table_config(p_spec);
    v_legacy  text := s.table_name || '_legacy';
    v_table   oid := format('%I.%I', s.schema_name, s.table_name)::regclass;
    v_qlegacy text := format('%I.%I', s.schema_name, v_legacy);
    v_key     text := scaling_toolkit.key_utc(s.partition_key, s.key_kind);
    v_step    interval := ('1 ' || s.interval_unit)::interval;
    v_now     timestamp := now() AT TIME ZONE 'UTC';
    v_list    text;
    v_count   bigint;
    v_max     timestamp;
    v_upper   timestamp;
    v_start   timestamp;
    v_seqs    jsonb := '{}';
    v_seq     text;
    v_col     jsonb;
    v_cols    text;
    v_pk      name;
    v_pk_cols text[];
    v_index   text;
    c_move_limit constant bigint := 100000;
BEGIN
    -- Checks: each is an error before any change.
    IF to_regclass(v_qlegacy) IS NOT NULL THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: %.% already exists (left by an earlier conversion?); rename or drop it, then apply again',
            s.schema_name, s.table_name, s.schema_name, v_legacy;
    END IF;
    SELECT string_agg(format('%I on %s', conname, conrelid::regclass), ', ' ORDER BY conname) INTO v_list
    FROM pg_constraint WHERE contype = 'f' AND confrelid = v_table;
    IF v_list IS NOT NULL THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: foreign keys reference it (%). They would keep pointing at % and refuse every row referencing a new row; a partitioned table can only be referenced through a unique key that includes the partition key (%). Drop those keys (or make them reference a key including %), then apply again',
            s.schema_name, s.table_name, v_list, v_legacy, s.partition_key, s.partition_key;
    END IF;
    SELECT string_agg(DISTINCT r.ev_class::regclass::text, ', ') INTO v_list
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = v_table AND r.ev_class <> v_table;
    IF v_list IS NOT NULL THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: views read it (%) and would go on reading only %; drop them, apply, then create them again',
            s.schema_name, s.table_name, v_list, v_legacy;
    END IF;
    SELECT string_agg(x, '; ') INTO v_list FROM (
        SELECT format('column %I is in the spec but not in the table', c->>'name') AS x
        FROM jsonb_array_elements(p_spec->'columns') c
        WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = v_table AND a.attname = c->>'name' AND a.attnum > 0 AND NOT a.attisdropped)
        UNION ALL
        SELECT format('column %I is %s in the table, %s in the spec', a.attname, format_type(a.atttypid, a.atttypmod), c->>'type')
        FROM jsonb_array_elements(p_spec->'columns') c
        JOIN pg_attribute a ON a.attrelid = v_table AND a.attname = c->>'name' AND a.attnum > 0 AND NOT a.attisdropped
        WHERE to_regtype(c->>'base_type') IS DISTINCT FROM a.atttypid
        UNION ALL
        SELECT format('column %I is in the table but not in the spec', a.attname)
        FROM pg_attribute a
        WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_spec->'columns') c WHERE c->>'name' = a.attname)
        UNION ALL
        SELECT format('column %I is an identity column (use a serial type in the spec; partitions cannot hold identity columns)', a.attname)
        FROM pg_attribute a WHERE a.attrelid = v_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity <> ''
    ) problems;
    IF v_list IS NOT NULL THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: its columns are not the spec''s: %', s.schema_name, s.table_name, v_list;
    END IF;

    EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', s.schema_name, s.table_name);
    EXECUTE format('SELECT count(*) FROM %I.%I WHERE %I IS NULL', s.schema_name, s.table_name, s.partition_key) INTO v_count;
    IF v_count > 0 THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: % rows have no % (the partition key); give them a value or delete them, then apply again',
            s.schema_name, s.table_name, v_count, s.partition_key;
    END IF;
    -- The legacy partition ends with the interval of the newest row not dated after the current interval.
    EXECUTE format('SELECT max(%s) FROM %I.%I WHERE %s < %L', v_key, s.schema_name, s.table_name, v_key, date_trunc(s.interval_unit, v_now) + v_step) INTO v_max;
    v_upper := date_trunc(s.interval_unit, coalesce(v_max, v_now)) + v_step;
    EXECUTE format('SELECT count(*) FROM %I.%I WHERE %s >= %L', s.schema_name, s.table_name, v_key, v_upper) INTO v_count;
    IF v_count > c_move_limit THEN
        RAISE EXCEPTION 'scaling_toolkit: cannot convert %.%: % rows are dated % or later (after the current %); conversion moves at most % such rows. Check them (a mistyped year?), then apply again',
            s.schema_name, s.table_name, v_count, v_upper, s.interval_unit, c_move_limit;
    END IF;

    -- Changes.
    EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', s.schema_name, s.table_name, v_legacy);
    FOR v_col IN SELECT c FROM jsonb_array_elements(p_spec->'columns') c WHERE (c->>'not_null')::boolean LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', v_qlegacy, v_col->>'name');
    END LOOP;
    IF jsonb_typeof(p_spec->'primary_key') = 'array' THEN
        -- The partitioned primary key replaces an old one on other columns. ATTACH adopts a primary
        -- key of the same columns; a unique index of those columns (made CONCURRENTLY beforehand)
        -- becomes that primary key, so nothing is built under the lock. Otherwise ATTACH builds it.
        v_pk_cols := ARRAY(SELECT jsonb_array_elements_text(p_spec->'primary_key'));
        SELECT conname INTO v_pk FROM pg_constraint WHERE conrelid = v_table AND contype = 'p'
            AND NOT scaling_toolkit.index_matches(conindid, v_pk_cols, true, 'btree');
        IF v_pk IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_qlegacy, v_pk);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = v_table AND contype = 'p') THEN
            SELECT quote_ident(c.relname) INTO v_index FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = v_table AND i.indisvalid AND scaling_toolkit.index_matches(i.indexrelid, v_pk_cols, true, 'btree')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)
            ORDER BY i.indexrelid LIMIT 1;
            IF v_index IS NOT NULL THEN
                EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY USING INDEX %s', v_qlegacy, v_legacy || '_pkey', v_index);
            END IF;
        END IF;
    END IF;
    -- Serial columns: the partitioned table draws from the sequence the old table used, so exactly
    -- one sequence hands out ids and ids fetched before the conversion are never issued again.
    FOR v_col IN SELECT c FROM jsonb_array_elements(p_spec->'columns') c WHERE (c->>'serial')::boolean LOOP
        v_seq := pg_get_serial_sequence(v_qlegacy, v_col->>'name');
        IF v_seq IS NOT NULL THEN
            v_seqs := v_seqs || jsonb_build_object(v_col->>'name', v_seq);
        END IF;
    END LOOP;
    EXECUTE scaling_toolkit.create_table_sql(p_spec, v_seqs);
    FOR v_col IN SELECT c FROM jsonb_array_elements(p_spec->'columns') c WHERE (c->>'serial')::boolean LOOP
        IF v_seqs ? (v_col->>'name') THEN
            v_seq := v_seqs->>(v_col->>'name');
            EXECUTE format('ALTER SEQUENCE %s OWNED BY %I.%I.%I', v_seq, s.schema_name, s.table_name, v_col->>'name');
        ELSE
            v_seq := pg_get_serial_sequence(format('%I.%I', s.schema_name, s.table_name), v_col->>'name');
        END IF;
        -- Never backwards: past the largest id and past every value already handed out.
        EXECUTE format('SELECT setval(%L::regclass, greatest(coalesce((SELECT max(%I) FROM %s), 0), (SELECT last_value FROM %s)))',
            v_seq, v_col->>'name', v_qlegacy, v_seq);
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT nextval(%L::regclass)', v_qlegacy, v_col->>'name', v_seq);
    END LOOP;
    UPDATE scaling_toolkit.partitioned_tables SET legacy_upper = v_upper WHERE schema_name = s.schema_name AND table_name = s.table_name;

    -- Rows dated after the legacy range go to interval partitions of their own, before the attach.
    EXECUTE format('SELECT count(*) FROM %s WHERE %s >= %L', v_qlegacy, v_key, v_upper) INTO v_count;
    IF v_count > 0 THEN
        FOR v_start IN EXECUTE format('SELECT DISTINCT date_trunc(%L, %s) FROM %s WHERE %s >= %L ORDER BY 1', s.interval_unit, v_key, v_qlegacy, v_key, v_upper) LOOP
            PERFORM scaling_toolkit.create_partition(s.schema_name, s.table_name, v_start);
        END LOOP;
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_cols FROM pg_attribute
        WHERE attrelid = v_table AND attnum > 0 AND NOT attisdropped;
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %s >= %L RETURNING %s) INSERT INTO %I.%I (%s) SELECT %s FROM moved',
            v_qlegacy, v_key, v_upper, v_cols, s.schema_name, s.table_name, v_cols, v_cols);
        RAISE NOTICE 'scaling_toolkit: moved % rows of %.% dated % or later into interval partitions', v_count, s.schema_name, s.table_name, v_upper;
    END IF;
    EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %s FOR VALUES FROM (MINVALUE) TO (%L)',
        s.schema_name, s.table_name, v_qlegacy, scaling_toolkit.partition_bound(p_spec->>'key_kind', v_upper));
    -- Every interval from the end of the legacy range up to now gets its partition.
    PERFORM scaling_toolkit.create_partitions(s.schema_name, s.table_name, v_upper, v_now);
    RAISE NOTICE 'scaling_toolkit: converted %.% (rows before % stay in %)', s.schema_name, s.table_name, v_upper, v_legacy;
END
$fn$;
