/**
 * Generates the partitioning SQL: native declarative range partitioning, idempotent (a second run
 * changes nothing), one transaction. The SQL itself lives in sql/*.sql, one function per file; this
 * module orders the files, and fills the few placeholders from typed parameters: each table's
 * validated spec travels as one JSON document to `scaling_toolkit.apply_table`, which does the work
 * in PL/pgSQL (every identifier through format('%I')). Maintenance is
 * `CALL scaling_toolkit.run_maintenance_proc()`, scheduled with pg_cron's `cron.schedule_in_database`.
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
import { fillSql, literal, sqlFile } from "./template";

export { literal };

/** The component name used in errors raised for a spec. */
export const SPEC_COMPONENT = "PartitionedDatabase";
/** Name of the pg_cron job running maintenance; the database name follows it. */
export const CRON_JOB_PREFIX = "scaling-toolkit-partition-maintenance:";
/** What the pg_cron job runs. */
export const MAINTENANCE_COMMAND = "CALL scaling_toolkit.run_maintenance_proc()";
/** Lock timeout of the apply transaction. */
export const APPLY_LOCK_TIMEOUT = "5s";

/** The function files, in the order they are installed (a function's callees come first). */
export const FUNCTION_FILES = [
    "00_schema.sql",
    "table_config.sql",
    "partition_bound.sql",
    "key_utc.sql",
    "create_partition.sql",
    "create_partitions.sql",
    "maintain_table.sql",
    "run_maintenance.sql",
    "run_maintenance_proc.sql",
    "index_matches.sql",
    "ensure_index.sql",
    "create_table_sql.sql",
    "convert_table.sql",
    "add_columns.sql",
    "apply_table.sql",
    "partition_health.sql",
];

export interface SqlOptions {
    /**
     * pg_cron schedule of the maintenance routine.
     * @default "7 * * * *"
     */
    maintenanceSchedule?: string;
    /**
     * Schedule maintenance with pg_cron (in the database named by `cron.database_name`; applied in
     * another database, the SQL warns with the statement to run there).
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

/** The JSON document `scaling_toolkit.apply_table` takes: the resolved spec, keys in a fixed order. */
export function tableDocument(t: ResolvedTableSpec): Record<string, unknown> {
    return {
        schema: t.schema,
        name: t.name,
        partition_key: t.partitionKey,
        key_kind: t.keyKind,
        interval: t.interval,
        premake: t.premake,
        retention: t.retention ? `${t.retention.count} ${t.retention.unit}s` : null,
        retention_action: t.retentionAction,
        backfill_from: t.backfillFrom ?? null,
        primary_key: t.primaryKey ?? null,
        default_partition: t.defaultPartition,
        convert_existing: t.convertExisting,
        columns: t.columns.map((c) => ({
            name: c.name,
            type: c.type,
            base_type: c.baseType,
            serial: c.serial,
            not_null: c.notNull,
            ...(c.default !== undefined ? { default: c.default } : {}),
        })),
        indexes: t.indexes.map((ix) => ({ name: ix.name, columns: ix.columns, unique: ix.unique, method: ix.method })),
    };
}

/**
 * The whole SQL for a set of resolved (validated) tables: one transaction that installs the
 * functions, creates or converts each table, creates its partitions and schedules maintenance.
 * Plain SQL (no psql meta-commands): the bootstrap function sends it as one query.
 */
export function renderSql(tables: ResolvedTableSpec[], options: Required<SqlOptions>): string {
    const parts = [
        fillSql("apply.sql", { lock_timeout: { kind: "literal", value: APPLY_LOCK_TIMEOUT } }),
        ...(options.statStatements ? ["CREATE EXTENSION IF NOT EXISTS pg_stat_statements;"] : []),
        ...FUNCTION_FILES.map((f) => sqlFile(f).trimEnd()),
        ...tables.map((t) => fillSql("table.sql", { spec: { kind: "jsonb", value: tableDocument(t) } })),
        "-- Create the current and upcoming partitions, apply retention.\nSELECT scaling_toolkit.run_maintenance();",
    ];
    if (options.scheduleMaintenance) {
        parts.push(fillSql("schedule_maintenance.sql", {
            job_prefix: { kind: "literal", value: CRON_JOB_PREFIX },
            schedule: { kind: "literal", value: options.maintenanceSchedule.trim().replace(/\s+/g, " ") },
            command: { kind: "literal", value: MAINTENANCE_COMMAND },
        }));
    }
    parts.push("COMMIT;", "");
    return parts.join("\n\n");
}

/**
 * The SQL as a file for psql: `\set ON_ERROR_STOP on` first, so that `psql -f` stops at the first
 * error even without `-v ON_ERROR_STOP=1`, and the open transaction is rolled back when psql exits.
 */
export function psqlScript(sql: string): string {
    return `-- Apply with: psql -f <this file> (it stops at the first error; nothing is committed then)\n\\set ON_ERROR_STOP on\n${sql}`;
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
