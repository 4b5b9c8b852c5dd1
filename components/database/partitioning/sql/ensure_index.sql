-- Makes sure a spec index ({ name, columns, unique, method }) exists on the parent and on every
-- partition. An index of the parent with the same definition satisfies it whatever its name. When
-- the name is held by a partition's own index (a converted table keeps its old indexes) that index
-- is renamed out of the way, and the new parent index adopts it if it has the same definition.
-- Partitions missing the index (an index made ON ONLY the parent, say) get it and have it attached.
CREATE OR REPLACE FUNCTION scaling_toolkit.ensure_index(p_schema text, p_table text, p_index jsonb)
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_parent  oid := format('%I.%I', p_schema, p_table)::regclass;
    v_name    text := p_index->>'name';
    v_cols    text[] := ARRAY(SELECT jsonb_array_elements_text(p_index->'columns'));
    v_unique  boolean := (p_index->>'unique')::boolean;
    v_method  text := p_index->>'method';
    v_collist text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_cols) AS c);
    v_found   oid;
    v_taken   oid;
    v_on      oid;
    v_new     text;
    v_n       integer := 0;
    v_part    oid;
    v_child   oid;
BEGIN
    SELECT i.indexrelid INTO v_found
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = v_parent AND scaling_toolkit.index_matches(i.indexrelid, v_cols, v_unique, v_method)
    ORDER BY (c.relname = v_name) DESC, c.relname LIMIT 1;
    IF v_found IS NULL THEN
        SELECT c.oid, i.indrelid INTO v_taken, v_on
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
        WHERE n.nspname = p_schema AND c.relname = v_name;
        IF v_taken IS NOT NULL THEN
            IF v_on = v_parent THEN
                RAISE EXCEPTION 'scaling_toolkit: index %.% exists on %.% as "%", not as the spec asks (% % on (%)); drop or rename it, then apply again',
                    p_schema, v_name, p_schema, p_table, pg_get_indexdef(v_taken), CASE WHEN v_unique THEN 'unique' ELSE 'non-unique' END, v_method, v_collist;
            ELSIF v_on IS NOT NULL AND EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = v_on AND inhparent = v_parent) THEN
                LOOP
                    v_n := v_n + 1;
                    v_new := left(v_name, 55) || '_old' || v_n;
                    EXIT WHEN to_regclass(format('%I.%I', p_schema, v_new)) IS NULL;
                END LOOP;
                EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', p_schema, v_name, v_new);
                RAISE NOTICE 'scaling_toolkit: renamed the index %.% of partition % to % to free its name for the index of %.%',
                    p_schema, v_name, v_on::regclass, v_new, p_schema, p_table;
            ELSE
                RAISE EXCEPTION 'scaling_toolkit: the name %.% of an index of %.% is taken by %; give the index another name in the spec',
                    p_schema, v_name, p_schema, p_table, coalesce(pg_get_indexdef(v_taken), v_taken::regclass::text);
            END IF;
        END IF;
        EXECUTE format('CREATE %sINDEX %I ON %I.%I USING %s (%s)',
            CASE WHEN v_unique THEN 'UNIQUE ' ELSE '' END, v_name, p_schema, p_table, v_method, v_collist);
        v_found := format('%I.%I', p_schema, v_name)::regclass;
    END IF;
    FOR v_part IN
        SELECT p.inhrelid FROM pg_inherits p
        WHERE p.inhparent = v_parent
          AND NOT EXISTS (SELECT 1 FROM pg_inherits ii JOIN pg_index pi ON pi.indexrelid = ii.inhrelid
                          WHERE ii.inhparent = v_found AND pi.indrelid = p.inhrelid)
    LOOP
        SELECT i.indexrelid INTO v_child FROM pg_index i
        WHERE i.indrelid = v_part AND scaling_toolkit.index_matches(i.indexrelid, v_cols, v_unique, v_method)
          AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = i.indexrelid)
        LIMIT 1;
        IF v_child IS NULL THEN
            EXECUTE format('CREATE %sINDEX ON %s USING %s (%s)', CASE WHEN v_unique THEN 'UNIQUE ' ELSE '' END, v_part::regclass, v_method, v_collist);
            SELECT i.indexrelid INTO STRICT v_child FROM pg_index i
            WHERE i.indrelid = v_part AND scaling_toolkit.index_matches(i.indexrelid, v_cols, v_unique, v_method)
              AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = i.indexrelid)
            ORDER BY i.indexrelid DESC LIMIT 1;
        END IF;
        EXECUTE format('ALTER INDEX %s ATTACH PARTITION %s', v_found::regclass, v_child::regclass);
        RAISE NOTICE 'scaling_toolkit: attached index % of partition % to %', v_child::regclass, v_part::regclass, v_found::regclass;
    END LOOP;
END
$fn$;
