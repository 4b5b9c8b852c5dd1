/**
 * The declarative partitioning spec: what a table looks like and how it is partitioned, plus the
 * validation that runs before any SQL is generated. Identifiers are the SQL injection boundary: every
 * name that reaches SQL must be a plain lower-case identifier, every type a plain type name, every
 * default one of a short list of safe expressions.
 */
import { Validator } from "../../common/validation";

/** The width of one partition. */
export enum PartitionInterval {
    Day = "day",
    Week = "week",
    Month = "month",
    Year = "year",
}

/** What maintenance does with a partition once it is older than the retention. */
export enum RetentionAction {
    /** `DROP TABLE` the partition: the space is freed at once. */
    Drop = "drop",
    /** `DETACH PARTITION`: the rows leave the table but stay in a standalone table for archiving. */
    Detach = "detach",
}

/** Index access methods a spec may ask for. */
export enum IndexMethod {
    BTree = "btree",
    Brin = "brin",
    Hash = "hash",
}

/** One column of a partitioned table. */
export interface ColumnSpec {
    /** Plain lower-case SQL identifier. */
    name: string;
    /**
     * A PostgreSQL type name such as `bigint`, `bigserial`, `numeric(12,2)`, `text`, `timestamptz`.
     * Letters, digits, spaces and a numeric modifier only.
     */
    type: string;
    /**
     * Whether the column is `NOT NULL` (the partition key always is).
     * @default false
     */
    notNull?: boolean;
    /**
     * A default: a number, `true`, `false`, `now()`, `current_timestamp`, `current_date` or
     * `gen_random_uuid()`.
     * @default none
     */
    default?: string;
}

/** An index created on the parent table, so every partition has it. */
export interface IndexSpec {
    /**
     * Index name (plain identifier).
     * @default `<table>_<columns>_idx` (or `_key` when unique)
     */
    name?: string;
    /** Indexed columns, in order. */
    columns: string[];
    /**
     * A unique index; it must include the partition key (PostgreSQL refuses others).
     * @default false
     */
    unique?: boolean;
    /**
     * Access method.
     * @default IndexMethod.BTree
     */
    method?: IndexMethod;
}

/** One range-partitioned table. */
export interface PartitionedTableSpec {
    /**
     * Schema of the table (plain identifier).
     * @default "public"
     */
    schema?: string;
    /** Table name (plain identifier, at most 50 characters so partition names fit in 63). */
    name: string;
    /** The columns. */
    columns: ColumnSpec[];
    /** The column partitioned on; of type `date`, `timestamp` or `timestamptz`. */
    partitionKey: string;
    /** Width of one partition. */
    interval: PartitionInterval;
    /**
     * Partitions kept ready after the current one.
     * @default 4
     */
    premake?: number;
    /**
     * How long rows are kept, as `<n> <day|week|month|year>s`, for example `"24 months"`; at least one
     * interval. Partitions whose whole range is older are dropped or detached by maintenance.
     * @default none (kept forever)
     */
    retention?: string;
    /**
     * What happens to partitions past the retention.
     * @default RetentionAction.Drop
     */
    retentionAction?: RetentionAction;
    /**
     * ISO date (`YYYY-MM-DD`) from which partitions are created on the first apply, for loading
     * historical rows.
     * @default none (partitions start at the current interval)
     */
    backfillFrom?: string;
    /**
     * Primary key columns; must include the partition key.
     * @default none
     */
    primaryKey?: string[];
    /**
     * Indexes created on the parent (and so on every partition).
     * @default []
     */
    indexes?: IndexSpec[];
    /**
     * When the table already exists unpartitioned, convert it: the existing table (every row) is
     * renamed `<name>_legacy` and attached as the partition covering everything before the next
     * interval boundary after its newest row; new rows go to interval partitions. Without this, an
     * existing unpartitioned table stops the apply with an error.
     * @default false
     */
    convertExisting?: boolean;
}

/** A partitioning spec as given in a JSON or YAML file. */
export interface PartitioningSpec {
    /**
     * pg_cron schedule of `scaling_toolkit.run_maintenance()` (five cron fields).
     * @default "7 * * * *" (hourly)
     */
    maintenanceSchedule?: string;
    /** The tables. */
    tables: PartitionedTableSpec[];
}

/** A column with defaults applied. */
export interface ResolvedColumn {
    name: string;
    type: string;
    notNull: boolean;
    default?: string;
}

/** A table spec with defaults applied; what the SQL generator consumes. */
export interface ResolvedTableSpec {
    schema: string;
    name: string;
    columns: ResolvedColumn[];
    partitionKey: string;
    keyKind: KeyKind;
    interval: PartitionInterval;
    premake: number;
    retention?: { count: number; unit: PartitionInterval };
    retentionAction: RetentionAction;
    backfillFrom?: string;
    primaryKey?: string[];
    indexes: Required<IndexSpec>[];
    convertExisting: boolean;
}

/** How partition bounds are written for the key's type. */
export enum KeyKind {
    Date = "date",
    Timestamp = "timestamp",
    TimestampTz = "timestamptz",
}

export const DEFAULT_MAINTENANCE_SCHEDULE = "7 * * * *";
export const DEFAULT_PREMAKE = 4;
/** Longest table name: leaves room for `_p20240101` and `_legacy` within PostgreSQL's 63 bytes. */
export const MAX_TABLE_NAME = 50;

/** A plain, lower-case, unquoted-safe SQL identifier of at most 63 bytes. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const TYPE_NAME = /^[a-z][a-z0-9_]*( [a-z][a-z0-9_]*)*( ?\(\d{1,4}( ?, ?\d{1,4})?\))?(\[\])?$/;
const SAFE_DEFAULT = /^(-?\d{1,18}(\.\d{1,18})?|true|false|now\(\)|current_timestamp|current_date|gen_random_uuid\(\))$/;
const RETENTION = /^(\d{1,5}) ?(day|week|month|year)s?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CRON_FIELD = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;

/** Approximate days per unit, to compare a retention with an interval. */
const DAYS: Record<PartitionInterval, number> = {
    [PartitionInterval.Day]: 1,
    [PartitionInterval.Week]: 7,
    [PartitionInterval.Month]: 30,
    [PartitionInterval.Year]: 365,
};

const KEY_TYPES: Record<string, KeyKind> = {
    "date": KeyKind.Date,
    "timestamp": KeyKind.Timestamp,
    "timestamp without time zone": KeyKind.Timestamp,
    "timestamptz": KeyKind.TimestampTz,
    "timestamp with time zone": KeyKind.TimestampTz,
};

/** True for a valid pg_cron schedule of five fields. */
export function isCronSchedule(text: unknown): boolean {
    if (typeof text !== "string") {
        return false;
    }
    const fields = text.trim().split(/\s+/);
    return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

function isIdentifier(value: unknown): value is string {
    return typeof value === "string" && IDENTIFIER.test(value);
}

function isIsoDate(value: string): boolean {
    if (!ISO_DATE.test(value)) {
        return false;
    }
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

const IDENTIFIER_ALLOWED = "a plain SQL identifier: lower-case letters, digits and _, starting with a letter or _, at most 63 characters";

/**
 * Validates table specs, recording every problem under `path` (for example `tables`), and returns
 * them with defaults applied. Callers throw with `v.throwIfAny()` before using the result.
 */
export function resolveTables(v: Validator, path: string, tables: unknown): ResolvedTableSpec[] {
    if (!Array.isArray(tables)) {
        v.check(false, path, tables, "a list of table specs");
        return [];
    }
    const seen = new Set<string>();
    return tables.map((raw, i) => {
        const at = `${path}[${i}]`;
        const t = (raw ?? {}) as PartitionedTableSpec;
        const schema = t.schema ?? "public";
        v.check(isIdentifier(schema), `${at}.schema`, schema, IDENTIFIER_ALLOWED);
        v.check(isIdentifier(t.name) && t.name.length <= MAX_TABLE_NAME, `${at}.name`, t.name,
            `${IDENTIFIER_ALLOWED}, and at most ${MAX_TABLE_NAME} characters so partition names fit`);
        v.check(!seen.has(`${schema}.${t.name}`), `${at}.name`, t.name, "a table not already listed");
        seen.add(`${schema}.${t.name}`);

        const columns = Array.isArray(t.columns) ? t.columns : [];
        v.check(columns.length > 0, `${at}.columns`, t.columns, "a non-empty list of columns");
        const names = new Set<string>();
        columns.forEach((c, j) => {
            const cat = `${at}.columns[${j}]`;
            v.check(isIdentifier(c?.name), `${cat}.name`, c?.name, IDENTIFIER_ALLOWED);
            v.check(!names.has(c?.name), `${cat}.name`, c?.name, "a column name not already used in this table");
            names.add(c?.name);
            v.check(typeof c?.type === "string" && TYPE_NAME.test(c.type), `${cat}.type`, c?.type,
                "a PostgreSQL type name such as \"bigint\", \"numeric(12,2)\", \"timestamp with time zone\" or \"text[]\"");
            if (c?.default !== undefined) {
                v.check(typeof c.default === "string" && SAFE_DEFAULT.test(c.default), `${cat}.default`, c.default,
                    "a number, true, false, now(), current_timestamp, current_date or gen_random_uuid()");
            }
        });
        const keyColumn = columns.find((c) => c?.name === t.partitionKey);
        v.check(keyColumn !== undefined, `${at}.partitionKey`, t.partitionKey, `one of the columns: ${[...names].join(", ") || "none given"}`);
        const keyKind = keyColumn ? KEY_TYPES[String(keyColumn.type)] : undefined;
        v.check(keyColumn === undefined || keyKind !== undefined, `${at}.partitionKey`, t.partitionKey,
            "a column of type date, timestamp or timestamptz");
        v.oneOf(`${at}.interval`, t.interval ?? ("missing" as PartitionInterval), Object.values(PartitionInterval));
        const premake = t.premake ?? DEFAULT_PREMAKE;
        v.intRange(`${at}.premake`, premake, 1, 366);
        const retentionAction = t.retentionAction ?? RetentionAction.Drop;
        v.oneOf(`${at}.retentionAction`, retentionAction, Object.values(RetentionAction));

        let retention: ResolvedTableSpec["retention"];
        if (t.retention !== undefined) {
            const m = typeof t.retention === "string" ? RETENTION.exec(t.retention.trim()) : null;
            v.check(m !== null, `${at}.retention`, t.retention, "a duration such as \"90 days\", \"12 weeks\", \"24 months\" or \"2 years\"");
            if (m) {
                retention = { count: Number(m[1]), unit: m[2] as PartitionInterval };
                const intervalDays = DAYS[t.interval] as number | undefined;
                if (intervalDays !== undefined) {
                    v.check(retention.count * DAYS[retention.unit] >= intervalDays, `${at}.retention`, t.retention,
                        `at least one interval (1 ${t.interval}, counted as ${intervalDays} days)`);
                }
            }
        }
        if (t.backfillFrom !== undefined) {
            v.check(typeof t.backfillFrom === "string" && isIsoDate(t.backfillFrom), `${at}.backfillFrom`, t.backfillFrom, "a date as YYYY-MM-DD");
        }

        const includesKey = (cols: string[]) => cols.includes(t.partitionKey);
        const checkColumns = (where: string, cols: unknown) => {
            v.check(Array.isArray(cols) && cols.length > 0, where, cols, "a non-empty list of column names");
            (Array.isArray(cols) ? cols : []).forEach((c, k) => v.check(isIdentifier(c) && names.has(c), `${where}[${k}]`, c, "one of the table's columns"));
        };
        if (t.primaryKey !== undefined) {
            checkColumns(`${at}.primaryKey`, t.primaryKey);
            v.check(!Array.isArray(t.primaryKey) || includesKey(t.primaryKey), `${at}.primaryKey`, t.primaryKey,
                `columns including the partition key "${t.partitionKey}" (PostgreSQL requires it in a partitioned table's primary key)`);
        }
        const indexNames = new Set<string>();
        const indexes = (Array.isArray(t.indexes) ? t.indexes : []).map((ix, k) => {
            const iat = `${at}.indexes[${k}]`;
            checkColumns(`${iat}.columns`, ix?.columns);
            const cols: string[] = Array.isArray(ix?.columns) ? ix.columns : [];
            const unique = ix?.unique ?? false;
            const method = ix?.method ?? IndexMethod.BTree;
            v.oneOf(`${iat}.method`, method, Object.values(IndexMethod));
            v.check(!unique || method === IndexMethod.BTree, `${iat}.method`, method, "btree for a unique index");
            v.check(!unique || includesKey(cols), `${iat}.unique`, unique,
                `false, or columns including the partition key "${t.partitionKey}" (PostgreSQL refuses unique indexes without it)`);
            const name = ix?.name ?? `${t.name}_${cols.join("_")}_${unique ? "key" : "idx"}`;
            v.check(isIdentifier(name), `${iat}.name`, name, `${IDENTIFIER_ALLOWED} (give a shorter name when the default is too long)`);
            v.check(!indexNames.has(name), `${iat}.name`, name, "an index name not already used in this table");
            indexNames.add(name);
            return { name, columns: cols, unique, method };
        });
        v.check(t.convertExisting === undefined || typeof t.convertExisting === "boolean", `${at}.convertExisting`, t.convertExisting, "true or false");

        return {
            schema,
            name: t.name,
            columns: columns.map((c) => ({
                name: c?.name,
                type: String(c?.type).trim(),
                notNull: c?.name === t.partitionKey || (c?.notNull ?? false),
                ...(c?.default !== undefined ? { default: c.default } : {}),
            })),
            partitionKey: t.partitionKey,
            keyKind: keyKind ?? KeyKind.TimestampTz,
            interval: t.interval,
            premake,
            retention,
            retentionAction,
            backfillFrom: t.backfillFrom,
            primaryKey: t.primaryKey,
            indexes,
            convertExisting: t.convertExisting ?? false,
        };
    });
}

/** Validates a maintenance schedule (the string lands in SQL). */
export function checkSchedule(v: Validator, argument: string, schedule: unknown): void {
    v.check(isCronSchedule(schedule), argument, schedule, "five cron fields of digits, *, -, / and , such as \"7 * * * *\"");
}
