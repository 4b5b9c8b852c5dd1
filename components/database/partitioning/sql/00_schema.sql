-- The scaling_toolkit schema: which tables maintenance keeps, and what its last runs did.
CREATE SCHEMA IF NOT EXISTS scaling_toolkit;

CREATE TABLE IF NOT EXISTS scaling_toolkit.partitioned_tables (
    schema_name       text    NOT NULL,
    table_name        text    NOT NULL,
    partition_key     text    NOT NULL,
    key_kind          text    NOT NULL CHECK (key_kind IN ('date', 'timestamp', 'timestamptz')),
    interval_unit     text    NOT NULL CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
    premake           integer NOT NULL CHECK (premake > 0),
    retention         interval,
    retention_action  text    NOT NULL CHECK (retention_action IN ('drop', 'detach')),
    legacy_upper      timestamp,
    default_partition boolean NOT NULL DEFAULT false,
    PRIMARY KEY (schema_name, table_name)
);
-- Upgrades a table made by 0.1.0 (without the NOTICE an ADD COLUMN IF NOT EXISTS prints every apply).
DO $upgrade$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'scaling_toolkit.partitioned_tables'::regclass AND attname = 'default_partition') THEN
        ALTER TABLE scaling_toolkit.partitioned_tables ADD COLUMN default_partition boolean NOT NULL DEFAULT false;
    END IF;
END
$upgrade$;
COMMENT ON TABLE scaling_toolkit.partitioned_tables IS
    'Range-partitioned tables kept by scaling_toolkit.run_maintenance_proc (written by the scaling-toolkit partitioning SQL).';

CREATE TABLE IF NOT EXISTS scaling_toolkit.maintenance_status (
    schema_name    text        NOT NULL,
    table_name     text        NOT NULL,
    last_attempt   timestamptz NOT NULL,
    last_success   timestamptz,
    last_outcome   text        NOT NULL,
    skipped_in_row integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (schema_name, table_name)
);
COMMENT ON TABLE scaling_toolkit.maintenance_status IS
    'What the last run of scaling_toolkit.run_maintenance_proc did per table (ok, or skipped because another session held a lock).';
