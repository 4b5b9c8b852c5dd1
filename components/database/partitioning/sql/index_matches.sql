-- True when an index has exactly this definition: these key columns in order, this uniqueness and
-- access method, no expressions, no predicate, no INCLUDE columns. Indexes are identified by what
-- they are, never by name.
CREATE OR REPLACE FUNCTION scaling_toolkit.index_matches(p_index oid, p_columns text[], p_unique boolean, p_method text)
RETURNS boolean LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT coalesce((
        SELECT i.indisunique = p_unique AND am.amname = p_method AND i.indexprs IS NULL AND i.indpred IS NULL
           AND i.indnatts = i.indnkeyatts
           AND ARRAY(SELECT a.attname::text
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     ORDER BY k.n) = p_columns
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
        WHERE i.indexrelid = p_index), false)
$fn$;
