-- A partition bound literal for the key's type; bounds are UTC interval starts.
CREATE OR REPLACE FUNCTION scaling_toolkit.partition_bound(p_kind text, p_at timestamp)
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT CASE p_kind
        WHEN 'date' THEN to_char(p_at, 'YYYY-MM-DD')
        WHEN 'timestamp' THEN to_char(p_at, 'YYYY-MM-DD HH24:MI:SS')
        ELSE to_char(p_at, 'YYYY-MM-DD HH24:MI:SS') || '+00'
    END
$fn$;
