-- The SQL expression giving a table's partition key as a UTC timestamp (for comparisons with bounds).
CREATE OR REPLACE FUNCTION scaling_toolkit.key_utc(p_key text, p_kind text)
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE p_kind
        WHEN 'timestamptz' THEN format('(%I AT TIME ZONE ''UTC'')', p_key)
        ELSE format('%I::timestamp', p_key)
    END
$fn$;
