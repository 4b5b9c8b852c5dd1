/**
 * Generates the partitioning SQL: native declarative range partitioning, idempotent (a second run
 * changes nothing), one transaction, plus the maintenance routine `scaling_toolkit.run_maintenance`
 * scheduled with pg_cron. Every identifier has been validated as a plain identifier (spec.ts) and is
 * still double-quoted; the few literals are quoted with doubled single quotes.
 */
import { createHash } from "crypto";
import { Validator } from "../../common/validation";
import {
    checkSchedule,
    DEFAULT_MAINTENANCE_SCHEDULE,
    PartitionedTableSpec,
    PartitionInterval,
    ResolvedTableSpec,
    resolveTables,
} from "./spec";

/** The component name used in errors raised for a spec. */
export const SPEC_COMPONENT = "PartitionedDatabase";
/** Name of the pg_cron job running maintenance. */
export const CRON_JOB_NAME = "scaling-toolkit-partition-maintenance";

export interface SqlOptions {
    /**
     * pg_cron schedule of the maintenance routine.
     * @default "7 * * * *"
     */
    maintenanceSchedule?: string;
    /**
     * Create the pg_cron extension and schedule maintenance. pg_cron can only be created in the
     * database named by `cron.database_name`; turn this off to apply to any other database.
     * @default true
     */
    scheduleMaintenance?: boolean;
    /**
     * Create the pg_stat_statements extension (needs it preloaded to collect anything).
     * @default true
     */
    statStatements?: boolean;
}

/** Double-quotes a validated identifier (and doubles any quote, should one ever get through). */
export function ident(name: string): string {
    return `"${name.replace(/"/g, "\"\"")}"`;
}

/** A standard-conforming string literal. */
export function literal(text: string): string {
    if (text.includes("\0")) {
        throw new RangeError("a SQL literal cannot contain NUL");
    }
    return `'${text.replace(/'/g, "''")}'`;
}

function qualified(schema: string, name: string): string {
    return `${ident(schema)}.${ident(name)}`;
}

const SERIAL_TYPES = new Set(["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"]);

/** The schema, bookkeeping table and functions every apply installs (or replaces with the same). */
export const MAINTENANCE_SQL = `CREATE SCHEMA IF NOT EXISTS scaling_toolkit;

CREATE TABLE IF NOT EXISTS scaling_toolkit.partitioned_tables (
    schema_name      text    NOT NULL,
    table_name       text    NOT NULL,
    partition_key    text    NOT NULL,
    key_kind         text    NOT NULL CHECK (key_kind IN ('date', 'timestamp', 'timestamptz')),
    interval_unit    text    NOT NULL CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
    premake          integer NOT NULL CHECK (premake > 0),
    retention        interval,
    retention_action text    NOT NULL CHECK (retention_action IN ('drop', 'detach')),
    legacy_upper     timestamp,
    PRIMARY KEY (schema_name, table_name)
);
COMMENT ON TABLE scaling_toolkit.partitioned_tables IS
    'Range-partitioned tables kept by scaling_toolkit.run_maintenance (written by the scaling-toolkit partitioning SQL).';

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

-- Creates the missing partitions of one table whose ranges start from the interval containing
-- p_from up to the one containing p_to (UTC), never below a converted table's legacy partition.
CREATE OR REPLACE FUNCTION scaling_toolkit.create_partitions(p_schema text, p_table text, p_from timestamp, p_to timestamp)
RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg       scaling_toolkit.partitioned_tables;
    v_step    interval;
    v_start   timestamp;
    v_name    text;
    v_created integer := 0;
BEGIN
    SELECT * INTO STRICT cfg FROM scaling_toolkit.partitioned_tables WHERE schema_name = p_schema AND table_name = p_table;
    v_step := ('1 ' || cfg.interval_unit)::interval;
    v_start := date_trunc(cfg.interval_unit, p_from);
    IF cfg.legacy_upper IS NOT NULL AND v_start < cfg.legacy_upper THEN
        v_start := cfg.legacy_upper;
    END IF;
    WHILE v_start <= p_to LOOP
        v_name := p_table || '_p' || to_char(v_start, 'YYYYMMDD');
        IF to_regclass(format('%I.%I', p_schema, v_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                p_schema, v_name, p_schema, p_table,
                scaling_toolkit.partition_bound(cfg.key_kind, v_start),
                scaling_toolkit.partition_bound(cfg.key_kind, v_start + v_step));
            v_created := v_created + 1;
        END IF;
        v_start := v_start + v_step;
    END LOOP;
    RETURN v_created;
END
$fn$;

-- Keeps every registered table ready: the current and the next \`premake\` partitions exist, and
-- partitions whose whole range is older than the retention are dropped or detached. p_now lets a
-- caller (or a test) run maintenance as of another time.
CREATE OR REPLACE FUNCTION scaling_toolkit.run_maintenance(p_now timestamptz DEFAULT now())
RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    cfg     record;
    v_now   timestamp := p_now AT TIME ZONE 'UTC';
    v_step  interval;
    v_part  record;
    v_start timestamp;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('scaling_toolkit.partitioning'));
    FOR cfg IN SELECT * FROM scaling_toolkit.partitioned_tables ORDER BY schema_name, table_name LOOP
        IF to_regclass(format('%I.%I', cfg.schema_name, cfg.table_name)) IS NULL THEN
            RAISE WARNING 'scaling_toolkit: table %.% is registered but does not exist', cfg.schema_name, cfg.table_name;
            CONTINUE;
        END IF;
        v_step := ('1 ' || cfg.interval_unit)::interval;
        PERFORM scaling_toolkit.create_partitions(cfg.schema_name, cfg.table_name, v_now,
            date_trunc(cfg.interval_unit, v_now) + cfg.premake * v_step);
        IF cfg.retention IS NULL THEN
            CONTINUE;
        END IF;
        FOR v_part IN
            SELECT c.relname
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = format('%I.%I', cfg.schema_name, cfg.table_name)::regclass
              AND c.relname ~ ('^' || cfg.table_name || '_p[0-9]{8}$')
            ORDER BY c.relname
        LOOP
            v_start := to_date(right(v_part.relname, 8), 'YYYYMMDD')::timestamp;
            IF v_start + v_step <= v_now - cfg.retention THEN
                IF cfg.retention_action = 'detach' THEN
                    EXECUTE format('ALTER TABLE %I.%I DETACH PARTITION %I.%I', cfg.schema_name, cfg.table_name, cfg.schema_name, v_part.relname);
                ELSE
                    EXECUTE format('DROP TABLE %I.%I', cfg.schema_name, v_part.relname);
                END IF;
                RAISE NOTICE 'scaling_toolkit: % partition %.% (older than %)', cfg.retention_action, cfg.schema_name, v_part.relname, cfg.retention;
            END IF;
        END LOOP;
    END LOOP;
END
$fn$;
`;

function columnSql(c: ResolvedTableSpec["columns"][number]): string {
    return `    ${ident(c.name)} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.default !== undefined ? ` DEFAULT ${c.default}` : ""}`;
}

function createTableSql(t: ResolvedTableSpec): string {
    const lines = t.columns.map(columnSql);
    if (t.primaryKey) {
        lines.push(`    PRIMARY KEY (${t.primaryKey.map(ident).join(", ")})`);
    }
    return `CREATE TABLE ${qualified(t.schema, t.name)} (\n${lines.join(",\n")}\n) PARTITION BY RANGE (${ident(t.partitionKey)});`;
}

function retentionInterval(t: ResolvedTableSpec): string {
    return t.retention ? literal(`${t.retention.count} ${t.retention.unit}s`) : "NULL";
}

/** The block that creates, converts or leaves alone one table, and registers it for maintenance. */
function tableSql(t: ResolvedTableSpec): string {
    const table = qualified(t.schema, t.name);
    const legacy = `${t.name}_legacy`;
    const unit = literal(t.interval);
    const keyUtc = t.keyKind === "timestamptz" ? `(${ident(t.partitionKey)} AT TIME ZONE 'UTC')` : `${ident(t.partitionKey)}::timestamp`;
    const serials = t.columns.filter((c) => SERIAL_TYPES.has(c.type));
    const convert = t.convertExisting ? `
        -- Convert: the populated table becomes the partition holding everything before the next
        -- interval boundary after its newest row; nothing is copied and no row is lost.
        LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;
        SELECT max(${keyUtc}) INTO v_max FROM ${table};
        v_upper := date_trunc(${unit}, coalesce(v_max, now() AT TIME ZONE 'UTC')) + interval ${literal(`1 ${t.interval}`)};
        ALTER TABLE ${table} RENAME TO ${ident(legacy)};
${t.primaryKey ? `        -- The partitioned primary key replaces the old one (it is created on this partition at attach).
        SELECT conname INTO v_pk FROM pg_constraint WHERE conrelid = ${literal(qualified(t.schema, legacy))}::regclass AND contype = 'p';
        IF v_pk IS NOT NULL THEN
            EXECUTE format('ALTER TABLE ${qualified(t.schema, legacy).replace(/'/g, "''")} DROP CONSTRAINT %I', v_pk);
        END IF;
` : ""}${t.columns.filter((c) => c.notNull).map((c) => `        ALTER TABLE ${qualified(t.schema, legacy)} ALTER COLUMN ${ident(c.name)} SET NOT NULL;
`).join("")}
        ${createTableSql(t).replace(/\n/g, "\n        ")}
${serials.map((c) => `        PERFORM setval(pg_get_serial_sequence(${literal(table)}, ${literal(c.name)}),
            (SELECT coalesce(max(${ident(c.name)}), 0) + 1 FROM ${qualified(t.schema, legacy)}), false);
`).join("")}        EXECUTE format('ALTER TABLE ${table.replace(/'/g, "''")} ATTACH PARTITION ${qualified(t.schema, legacy).replace(/'/g, "''")} FOR VALUES FROM (MINVALUE) TO (%L)',
            scaling_toolkit.partition_bound(${literal(t.keyKind)}, v_upper));
        UPDATE scaling_toolkit.partitioned_tables SET legacy_upper = v_upper
            WHERE schema_name = ${literal(t.schema)} AND table_name = ${literal(t.name)};
        RAISE NOTICE 'scaling_toolkit: converted %.% (rows before % stay in %)', ${literal(t.schema)}, ${literal(t.name)}, v_upper, ${literal(legacy)};`
        : `
        RAISE EXCEPTION 'scaling_toolkit: %.% exists and is not partitioned; set convertExisting to convert it', ${literal(t.schema)}, ${literal(t.name)};`;

    const indexes = t.indexes.map((ix) =>
        `CREATE ${ix.unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${ident(ix.name)} ON ${table} USING ${ix.method} (${ix.columns.map(ident).join(", ")});`);
    const backfill = t.backfillFrom === undefined ? [] : [
        `-- Backfill: partitions from ${t.backfillFrom} (not below the retention) up to now.`,
        `SELECT scaling_toolkit.create_partitions(${literal(t.schema)}, ${literal(t.name)},`,
        `    ${t.retention ? `greatest(${literal(t.backfillFrom)}::timestamp, (now() AT TIME ZONE 'UTC') - interval ${retentionInterval(t)})` : `${literal(t.backfillFrom)}::timestamp`},`,
        "    now() AT TIME ZONE 'UTC');",
    ];

    return [
        `-- Table ${t.schema}.${t.name}: range partitions of one ${t.interval} on ${t.partitionKey}.`,
        `CREATE SCHEMA IF NOT EXISTS ${ident(t.schema)};`,
        "DO $table$",
        "DECLARE",
        "    v_unit  text;",
        "    v_kind  \"char\";",
        "    v_max   timestamp;",
        "    v_upper timestamp;",
        "    v_pk    name;",
        "BEGIN",
        `    SELECT interval_unit INTO v_unit FROM scaling_toolkit.partitioned_tables WHERE schema_name = ${literal(t.schema)} AND table_name = ${literal(t.name)};`,
        `    IF v_unit IS NOT NULL AND v_unit <> ${unit} THEN`,
        `        RAISE EXCEPTION 'scaling_toolkit: %.% is partitioned by %, not %; changing the interval needs a new table', ${literal(t.schema)}, ${literal(t.name)}, v_unit, ${unit};`,
        "    END IF;",
        "    INSERT INTO scaling_toolkit.partitioned_tables AS p",
        "        (schema_name, table_name, partition_key, key_kind, interval_unit, premake, retention, retention_action)",
        `    VALUES (${[t.schema, t.name, t.partitionKey, t.keyKind, t.interval].map(literal).join(", ")}, ${t.premake}, ${retentionInterval(t)}, ${literal(t.retentionAction)})`,
        "    ON CONFLICT (schema_name, table_name) DO UPDATE",
        "        SET partition_key = EXCLUDED.partition_key, key_kind = EXCLUDED.key_kind, premake = EXCLUDED.premake,",
        "            retention = EXCLUDED.retention, retention_action = EXCLUDED.retention_action",
        "        WHERE (p.partition_key, p.key_kind, p.premake, p.retention, p.retention_action)",
        "            IS DISTINCT FROM (EXCLUDED.partition_key, EXCLUDED.key_kind, EXCLUDED.premake, EXCLUDED.retention, EXCLUDED.retention_action);",
        "    SELECT c.relkind INTO v_kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
        `        WHERE n.nspname = ${literal(t.schema)} AND c.relname = ${literal(t.name)};`,
        "    IF v_kind IS NULL THEN",
        `        ${createTableSql(t).replace(/\n/g, "\n        ")}`,
        `    ELSIF v_kind = 'r' THEN${convert}`,
        "    ELSIF v_kind <> 'p' THEN",
        `        RAISE EXCEPTION 'scaling_toolkit: %.% exists and is not a table', ${literal(t.schema)}, ${literal(t.name)};`,
        "    END IF;",
        "END",
        "$table$;",
        ...indexes,
        ...backfill,
    ].join("\n");
}

/**
 * The whole SQL for a set of resolved (validated) tables: one transaction that installs the
 * maintenance routine, creates or converts each table, creates its partitions and schedules
 * maintenance with pg_cron.
 */
export function renderSql(tables: ResolvedTableSpec[], options: Required<SqlOptions>): string {
    const parts = [
        "-- Generated by scaling-toolkit (PartitionedDatabase). Idempotent: applying it again changes nothing.",
        "-- Apply with: psql -v ON_ERROR_STOP=1 -f <this file>",
        "BEGIN;",
        "SET LOCAL lock_timeout = '60s';",
        "SELECT pg_advisory_xact_lock(hashtext('scaling_toolkit.partitioning'));",
        ...(options.statStatements ? ["CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"] : []),
        "",
        MAINTENANCE_SQL,
        ...tables.map(tableSql),
        "",
        "-- Create the current and upcoming partitions, apply retention.",
        "SELECT scaling_toolkit.run_maintenance();",
    ];
    if (options.scheduleMaintenance) {
        parts.push(
            "",
            "-- Schedule maintenance (pg_cron lives in the database named by cron.database_name).",
            "CREATE EXTENSION IF NOT EXISTS pg_cron;",
            `SELECT cron.schedule(${literal(CRON_JOB_NAME)}, ${literal(options.maintenanceSchedule.trim().replace(/\s+/g, " "))}, 'SELECT scaling_toolkit.run_maintenance()');`,
        );
    }
    parts.push("COMMIT;", "");
    return parts.join("\n");
}

/**
 * Validates table specs and generates their SQL; throws one ValidationError (naming every problem)
 * before generating anything. `resourceName` names the spec in errors (a component or file name).
 */
export function generatePartitioningSql(tables: PartitionedTableSpec[], options: SqlOptions = {}, resourceName = "partitioning"): string {
    const v = new Validator(SPEC_COMPONENT, resourceName);
    const resolved = resolveTables(v, "tables", tables);
    const schedule = options.maintenanceSchedule ?? DEFAULT_MAINTENANCE_SCHEDULE;
    checkSchedule(v, "maintenanceSchedule", schedule);
    v.throwIfAny();
    return renderSql(resolved, {
        maintenanceSchedule: schedule,
        scheduleMaintenance: options.scheduleMaintenance ?? true,
        statStatements: options.statStatements ?? true,
    });
}

/** SHA-256 (hex) of generated SQL: what the bootstrap invocation carries and checks. */
export function sqlDigest(sql: string): string {
    return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Re-exported for callers that only need the interval names. */
export { PartitionInterval };
