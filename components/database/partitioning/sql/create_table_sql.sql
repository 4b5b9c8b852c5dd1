-- The CREATE TABLE statement of a spec's partitioned parent. p_sequences maps serial columns to an
-- existing sequence to draw from (a converted table's), instead of creating a new one.
CREATE OR REPLACE FUNCTION scaling_toolkit.create_table_sql(p_spec jsonb, p_sequences jsonb DEFAULT '{}')
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT format('CREATE TABLE %I.%I (%s%s) PARTITION BY RANGE (%I)',
        p_spec->>'schema', p_spec->>'name',
        (SELECT string_agg(
            CASE WHEN p_sequences ? (c->>'name')
                THEN format('%I %s NOT NULL DEFAULT nextval(%L::regclass)', c->>'name', c->>'base_type', p_sequences->>(c->>'name'))
                ELSE format('%I %s%s%s', c->>'name', c->>'type',
                    CASE WHEN (c->>'not_null')::boolean THEN ' NOT NULL' ELSE '' END,
                    CASE WHEN c ? 'default' THEN ' DEFAULT ' || (c->>'default') ELSE '' END)
            END, ', ' ORDER BY n)
         FROM jsonb_array_elements(p_spec->'columns') WITH ORDINALITY AS e(c, n)),
        CASE WHEN jsonb_typeof(p_spec->'primary_key') = 'array'
            THEN format(', PRIMARY KEY (%s)', (SELECT string_agg(quote_ident(k), ', ' ORDER BY n)
                                               FROM jsonb_array_elements_text(p_spec->'primary_key') WITH ORDINALITY AS e(k, n)))
            ELSE '' END,
        p_spec->>'partition_key')
$fn$;
