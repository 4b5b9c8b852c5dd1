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
     * A PostgreSQL type, and nothing else: a type name (`bigint`, `bigserial`, `text`, `uuid`,
     * `timestamptz`, a type of your own such as `mood` or `app.mood`), one of the multi-word names
     * (`double precision`, `character varying`, `bit varying`, `time[stamp] with[out] time zone`),
     * numeric modifiers (`numeric(12,2)`, `varchar(64)`, `timestamp(3) with time zone`) and `[]` for
     * an array. Constraints and defaults have their own fields.
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
     * A DEFAULT partition catching rows no interval partition covers (instead of failing their
     * insert). Maintenance moves its rows into a partition created for their range; the partition
     * watch alarms while it holds rows.
     * @default false
     */
    defaultPartition?: boolean;
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
    /** The type as written (normalised spacing). */
    type: string;
    /** The type without serial: `bigserial` is `bigint`. */
    baseType: string;
    /** A serial type (draws ids from a sequence). */
    serial: boolean;
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
    defaultPartition: boolean;
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
const SAFE_DEFAULT = /^(-?\d{1,18}(\.\d{1,18})?|true|false|now\(\)|current_timestamp|current_date|gen_random_uuid\(\))$/;
const RETENTION = /^(\d{1,5}) ?(day|week|month|year)s?$/;
/** Longest retention, in days (100 years): longer ones overflow PostgreSQL's timestamps in arithmetic. */
export const MAX_RETENTION_DAYS = 36_500;
/** Schemas a spec may not use: PostgreSQL's own, and the toolkit's. */
const RESERVED_SCHEMA = /^(pg_.*|information_schema|scaling_toolkit)$/;
/** System column names every table already has. */
const SYSTEM_COLUMNS = new Set(["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid"]);
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

/**
 * The closed grammar of a column type: one type name (a plain or schema-qualified identifier, or one
 * of PostgreSQL's multi-word names), optional numeric modifiers, optional `[]`. Nothing else passes:
 * no clause (`references`, `default`, `primary key`, `collate`, ...) can ride along.
 */
const MULTI_WORD_TYPES = ["double precision", "character varying", "national character varying", "national character", "bit varying"];
const NAME = "[a-z_][a-z0-9_]*";
const MODIFIERS = "(?:\\(\\d{1,4}(?:,\\d{1,4})?\\))?";
const TYPE_GRAMMAR = new RegExp(
    `^(?:(?:${MULTI_WORD_TYPES.join("|")})${MODIFIERS}|(?:timestamp|time)(?:\\([0-6]\\))?(?: with(?:out)? time zone)?|${NAME}(?:\\.${NAME})?${MODIFIERS})(?:\\[\\])?$`);
/** Words that are clauses, never type names. */
const NOT_TYPES = new Set(["references", "default", "primary", "unique", "check", "constraint", "not", "null", "collate", "generated", "on"]);
const SERIALS: Record<string, string> = {
    serial: "integer", serial4: "integer", bigserial: "bigint", serial8: "bigint", smallserial: "smallint", serial2: "smallint",
};

/** A type with spacing normalised (`numeric( 12, 2 )` is `numeric(12,2)`). */
export function normaliseType(type: string): string {
    return type.trim().replace(/\s+/g, " ").replace(/ ?\( ?/g, "(").replace(/ ?, ?/g, ",").replace(/ ?\)/g, ")").replace(/ ?\[ ?\]/g, "[]");
}

/** True when `type` is a type and only a type (the closed grammar above). */
export function isColumnType(type: unknown): type is string {
    if (typeof type !== "string" || type.length > 100) {
        return false;
    }
    const t = normaliseType(type);
    return TYPE_GRAMMAR.test(t) && !NOT_TYPES.has(t.split(/[(.[]/)[0]);
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
    return tables.map((raw, i) => resolveTable(v, `${path}[${i}]`, (raw ?? {}) as PartitionedTableSpec, seen));
}

/** One table spec at `at` (`tables[0]`), validated and with defaults applied. */
function resolveTable(v: Validator, at: string, t: PartitionedTableSpec, seen: Set<string>): ResolvedTableSpec {
    const schema = t.schema ?? "public";
    v.check(isIdentifier(schema) && !RESERVED_SCHEMA.test(schema), `${at}.schema`, schema,
        `${IDENTIFIER_ALLOWED}, not a system schema (pg_*, information_schema) nor scaling_toolkit`);
    v.check(isIdentifier(t.name) && t.name.length <= MAX_TABLE_NAME, `${at}.name`, t.name,
        `${IDENTIFIER_ALLOWED}, and at most ${MAX_TABLE_NAME} characters so partition names fit`);
    v.check(!seen.has(`${schema}.${t.name}`), `${at}.name`, t.name, "a table not already listed");
    seen.add(`${schema}.${t.name}`);

    const columns = Array.isArray(t.columns) ? t.columns : [];
    const names = checkColumns(v, at, t.columns, columns);
    const keyKind = checkPartitionKey(v, at, t, columns, names);
    v.oneOf(`${at}.interval`, t.interval ?? ("missing" as PartitionInterval), Object.values(PartitionInterval));
    const premake = t.premake ?? DEFAULT_PREMAKE;
    v.intRange(`${at}.premake`, premake, 1, 366);
    const retentionAction = t.retentionAction ?? RetentionAction.Drop;
    v.oneOf(`${at}.retentionAction`, retentionAction, Object.values(RetentionAction));
    const retention = resolveRetention(v, at, t);
    if (t.backfillFrom !== undefined) {
        v.check(typeof t.backfillFrom === "string" && isIsoDate(t.backfillFrom) && t.backfillFrom >= "1900-01-01" && t.backfillFrom <= "9999-01-01",
            `${at}.backfillFrom`, t.backfillFrom, "a date as YYYY-MM-DD, from 1900-01-01");
    }
    if (t.primaryKey !== undefined) {
        checkColumnList(v, `${at}.primaryKey`, t.primaryKey, names);
        v.check(!Array.isArray(t.primaryKey) || t.primaryKey.includes(t.partitionKey), `${at}.primaryKey`, t.primaryKey,
            `columns including the partition key "${t.partitionKey}" (PostgreSQL requires it in a partitioned table's primary key)`);
    }
    const indexes = resolveIndexes(v, at, t, names);
    v.check(t.defaultPartition === undefined || typeof t.defaultPartition === "boolean", `${at}.defaultPartition`, t.defaultPartition, "true or false");
    v.check(t.convertExisting === undefined || typeof t.convertExisting === "boolean", `${at}.convertExisting`, t.convertExisting, "true or false");

    return {
        schema,
        name: t.name,
        columns: columns.map((c) => resolveColumn(c, t.partitionKey)),
        partitionKey: t.partitionKey,
        keyKind: keyKind ?? KeyKind.TimestampTz,
        interval: t.interval,
        premake,
        retention,
        retentionAction,
        backfillFrom: t.backfillFrom,
        primaryKey: t.primaryKey,
        indexes,
        defaultPartition: t.defaultPartition ?? false,
        convertExisting: t.convertExisting ?? false,
    };
}

/** Checks the columns (names, types, defaults); returns their names. */
function checkColumns(v: Validator, at: string, given: unknown, columns: ColumnSpec[]): Set<string> {
    v.check(columns.length > 0, `${at}.columns`, given, "a non-empty list of columns");
    const names = new Set<string>();
    columns.forEach((c, j) => {
        const cat = `${at}.columns[${j}]`;
        v.check(isIdentifier(c?.name) && !SYSTEM_COLUMNS.has(c.name), `${cat}.name`, c?.name,
            `${IDENTIFIER_ALLOWED}, not a system column name (${[...SYSTEM_COLUMNS].join(", ")})`);
        v.check(!names.has(c?.name), `${cat}.name`, c?.name, "a column name not already used in this table");
        names.add(c?.name);
        v.check(isColumnType(c?.type), `${cat}.type`, c?.type,
            "a PostgreSQL type and nothing else, such as \"bigint\", \"numeric(12,2)\", \"varchar(64)\", \"timestamp(3) with time zone\" or \"text[]\" (constraints and defaults have their own fields)");
        if (c?.default !== undefined) {
            v.check(typeof c.default === "string" && SAFE_DEFAULT.test(c.default), `${cat}.default`, c.default,
                "a number, true, false, now(), current_timestamp, current_date or gen_random_uuid()");
        }
    });
    return names;
}

/** Checks the partition key is a date/timestamp column; returns its kind. */
function checkPartitionKey(v: Validator, at: string, t: PartitionedTableSpec, columns: ColumnSpec[], names: Set<string>): KeyKind | undefined {
    const keyColumn = columns.find((c) => c?.name === t.partitionKey);
    v.check(keyColumn !== undefined, `${at}.partitionKey`, t.partitionKey, `one of the columns: ${[...names].join(", ") || "none given"}`);
    const keyKind = keyColumn && isColumnType(keyColumn.type) ? KEY_TYPES[normaliseType(keyColumn.type).replace(/\(\d\)/, "")] : undefined;
    v.check(keyColumn === undefined || keyKind !== undefined, `${at}.partitionKey`, t.partitionKey,
        "a column of type date, timestamp or timestamptz");
    return keyKind;
}

/** The retention as a count of units, checked against the interval and 100 years. */
function resolveRetention(v: Validator, at: string, t: PartitionedTableSpec): ResolvedTableSpec["retention"] {
    if (t.retention === undefined) {
        return undefined;
    }
    const m = typeof t.retention === "string" ? RETENTION.exec(t.retention.trim()) : null;
    v.check(m !== null, `${at}.retention`, t.retention, "a duration such as \"90 days\", \"12 weeks\", \"24 months\" or \"2 years\"");
    if (!m) {
        return undefined;
    }
    const retention = { count: Number(m[1]), unit: m[2] as PartitionInterval };
    const intervalDays = DAYS[t.interval] as number | undefined;
    if (intervalDays !== undefined) {
        v.check(retention.count * DAYS[retention.unit] >= intervalDays, `${at}.retention`, t.retention,
            `at least one interval (1 ${t.interval}, counted as ${intervalDays} days)`);
    }
    v.check(retention.count * DAYS[retention.unit] <= MAX_RETENTION_DAYS, `${at}.retention`, t.retention,
        "at most 100 years (leave retention out to keep rows forever)");
    return retention;
}

/** A non-empty list of the table's column names. */
function checkColumnList(v: Validator, where: string, cols: unknown, names: Set<string>): void {
    v.check(Array.isArray(cols) && cols.length > 0, where, cols, "a non-empty list of column names");
    (Array.isArray(cols) ? cols : []).forEach((c, k) => v.check(isIdentifier(c) && names.has(c), `${where}[${k}]`, c, "one of the table's columns"));
}

/** The indexes with their names and methods, unique ones checked to include the partition key. */
function resolveIndexes(v: Validator, at: string, t: PartitionedTableSpec, names: Set<string>): ResolvedTableSpec["indexes"] {
    const indexNames = new Set<string>();
    return (Array.isArray(t.indexes) ? t.indexes : []).map((ix, k) => {
        const iat = `${at}.indexes[${k}]`;
        checkColumnList(v, `${iat}.columns`, ix?.columns, names);
        const cols: string[] = Array.isArray(ix?.columns) ? ix.columns : [];
        const unique = ix?.unique ?? false;
        const method = ix?.method ?? IndexMethod.BTree;
        v.oneOf(`${iat}.method`, method, Object.values(IndexMethod));
        v.check(!unique || method === IndexMethod.BTree, `${iat}.method`, method, "btree for a unique index");
        v.check(!unique || cols.includes(t.partitionKey), `${iat}.unique`, unique,
            `false, or columns including the partition key "${t.partitionKey}" (PostgreSQL refuses unique indexes without it)`);
        const name = ix?.name ?? `${t.name}_${cols.join("_")}_${unique ? "key" : "idx"}`;
        v.check(isIdentifier(name), `${iat}.name`, name, `${IDENTIFIER_ALLOWED} (give a shorter name when the default is too long)`);
        v.check(!indexNames.has(name), `${iat}.name`, name, "an index name not already used in this table");
        indexNames.add(name);
        return { name, columns: cols, unique, method };
    });
}

/** A column with its normalised type, serial-ness and NOT NULL (the partition key always is). */
function resolveColumn(c: ColumnSpec, partitionKey: string): ResolvedTableSpec["columns"][number] {
    const type = normaliseType(String(c?.type));
    return {
        name: c?.name,
        type,
        baseType: SERIALS[type] ?? type,
        serial: SERIALS[type] !== undefined,
        notNull: c?.name === partitionKey || (c?.notNull ?? false),
        ...(c?.default !== undefined ? { default: c.default } : {}),
    };
}

/** Validates a maintenance schedule (the string lands in SQL). */
export function checkSchedule(v: Validator, argument: string, schedule: unknown): void {
    v.check(isCronSchedule(schedule), argument, schedule, "five cron fields of digits, *, -, / and , such as \"7 * * * *\"");
}
