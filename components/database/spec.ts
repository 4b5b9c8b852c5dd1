/**
 * A PartitionedDatabase's arguments resolved into one spec: every default applied and every
 * argument checked, all problems reported at once, before any resource exists. The files that
 * create resources (server, parameters, replicas, proxy, schema bootstrap, alarms, watch) read the
 * spec, never the raw arguments' defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "../common/component";
import { checkLogRetention, Validator } from "../common/validation";
import { dailyWindowMinutes, weeklyWindowMinutes } from "../common/windows";
import { DatabaseAlarmArgs, DatabaseNetworkArgs, PartitionedDatabaseArgs } from "./args";
import { checkWatch } from "./partitionWatch";
import { loadPartitioningSpec } from "./partitioning/load";
import { checkSchedule, DEFAULT_MAINTENANCE_SCHEDULE, IDENTIFIER, ResolvedTableSpec, resolveTables } from "./partitioning/spec";

export const COMPONENT = "PartitionedDatabase";
/** The port PostgreSQL listens on (RDS's default for the engine), on the instance, the proxy and every rule. */
export const POSTGRES_PORT = 5432;
/** The certificate authority of the server certificates RDS presents (the primary's and the replicas'). */
export const RDS_CA_CERTIFICATE = "rds-ca-rsa2048-g1";

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
const ENGINE_VERSION = /^(\d{2})(\.\d{1,2})?$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const PARAMETER_NAME = /^[a-z_][a-z0-9_.]*$/;

/** The server's settings, defaults applied. */
export interface ServerSpec {
    engineVersion: string;
    /** The parameter group family, `postgres<major>`. */
    family: string;
    instanceClass: string;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    databaseName: string;
    masterUsername: string;
    backupRetentionDays: number;
    backupWindow: string;
    maintenanceWindow: string;
    deletionProtection: boolean;
    skipFinalSnapshot: boolean;
    performanceInsightsRetentionDays: number;
    monitoringIntervalSeconds: number;
    readReplicas: number;
}

/** The RDS Proxy's settings, when there is one. */
export interface ProxySpec {
    idleClientTimeoutSeconds: number;
    maxConnectionsPercent: number;
}

/** Everything a PartitionedDatabase builds from. */
export interface DatabaseSpec {
    server: ServerSpec;
    slowStatementMs: number;
    /** The caller's parameter overrides (checked to keep TLS and pg_cron). */
    parameterOverrides: Record<string, string>;
    proxy?: ProxySpec;
    alarms: Required<DatabaseAlarmArgs>;
    tables: ResolvedTableSpec[];
    maintenanceSchedule: string;
    applySchema: boolean;
    bootstrapLogRetentionDays: number;
    watch: { enabled: boolean; scheduleMinutes: number; toleranceHours: number };
}

/** What every concern of a database is built with: names, tags, options and where it runs. */
export interface DatabaseContext {
    /** The component's name: every child is named from it. */
    name: string;
    tags: Record<string, string>;
    /** `parent:` the component. */
    opts: pulumi.CustomResourceOptions;
    kit: ComponentContext;
    network: DatabaseNetworkArgs;
    region: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
}

/** Validates `args` and applies every default; throws one ValidationError listing every problem. */
export function resolveDatabaseSpec(name: string, args: PartitionedDatabaseArgs): DatabaseSpec {
    const v = new Validator(COMPONENT, name);
    const server = resolveServer(v, args);
    const slowStatementMs = args.slowStatementMs ?? 500;
    v.check(Number.isInteger(slowStatementMs) && slowStatementMs >= -1 && slowStatementMs <= 3_600_000, "slowStatementMs", slowStatementMs, "milliseconds from 0 to 3600000, or -1 for off");
    const proxy = args.proxy?.enabled ? {
        idleClientTimeoutSeconds: args.proxy.idleClientTimeoutSeconds ?? 1800,
        maxConnectionsPercent: args.proxy.maxConnectionsPercent ?? 90,
    } : undefined;
    if (proxy) {
        v.intRange("proxy.idleClientTimeoutSeconds", proxy.idleClientTimeoutSeconds, 60, 28800);
        v.intRange("proxy.maxConnectionsPercent", proxy.maxConnectionsPercent, 1, 100);
    }
    const alarms = resolveAlarms(v, args.alarms);
    const parameterOverrides = args.parameters ?? {};
    checkParameterOverrides(v, parameterOverrides, server.databaseName);
    const bootstrapLogRetentionDays = args.bootstrapLogRetentionDays ?? 30;
    checkLogRetention(v, "bootstrapLogRetentionDays", bootstrapLogRetentionDays);

    // The partitioning spec: given tables plus the file's, validated before anything exists.
    const fileSpec = args.partitionSpecFile !== undefined ? loadPartitioningSpec(args.partitionSpecFile) : undefined;
    const tables = resolveTables(v, "tables", [...(args.tables ?? []), ...(fileSpec?.tables ?? [])]);
    const maintenanceSchedule = args.maintenanceSchedule ?? fileSpec?.maintenanceSchedule ?? DEFAULT_MAINTENANCE_SCHEDULE;
    checkSchedule(v, "maintenanceSchedule", maintenanceSchedule);
    const applySchema = args.applySchema ?? tables.length > 0;
    v.check(!applySchema || tables.length > 0, "applySchema", applySchema, "false when there are no tables to partition");
    v.tags(args.tags);
    const watch = checkWatch(v, args.partitionWatch, tables.length > 0);
    v.throwIfAny();
    return { server, slowStatementMs, parameterOverrides, proxy, alarms, tables, maintenanceSchedule, applySchema, bootstrapLogRetentionDays, watch };
}

function resolveServer(v: Validator, args: PartitionedDatabaseArgs): ServerSpec {
    const engineVersion = args.engineVersion ?? "17";
    const allocated = args.allocatedStorageGb ?? 50;
    const s: ServerSpec = {
        engineVersion,
        family: "",
        instanceClass: args.instanceClass ?? "db.t4g.medium",
        allocatedStorageGb: allocated,
        maxAllocatedStorageGb: args.maxAllocatedStorageGb ?? allocated * 4,
        multiAz: args.multiAz ?? true,
        databaseName: args.databaseName ?? "app",
        masterUsername: args.masterUsername ?? "dbadmin",
        backupRetentionDays: args.backupRetentionDays ?? 14,
        backupWindow: args.backupWindow ?? "03:00-04:00",
        maintenanceWindow: args.maintenanceWindow ?? "sun:04:30-sun:05:30",
        deletionProtection: args.deletionProtection ?? true,
        skipFinalSnapshot: args.skipFinalSnapshot ?? false,
        performanceInsightsRetentionDays: args.performanceInsightsRetentionDays ?? 7,
        monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? 60,
        readReplicas: args.readReplicas ?? 0,
    };
    const major = ENGINE_VERSION.exec(engineVersion);
    s.family = `postgres${major?.[1] ?? ""}`;
    v.check(major !== null && Number(major[1]) >= 14, "engineVersion", engineVersion, "a PostgreSQL version RDS offers, 14 or newer, such as \"17\" or \"16.10\"");
    v.check(INSTANCE_CLASS.test(s.instanceClass), "instanceClass", s.instanceClass, "an RDS instance class such as \"db.t4g.medium\" or \"db.r7g.large\"");
    v.intRange("allocatedStorageGb", allocated, 20, 65536);
    v.intRange("maxAllocatedStorageGb", s.maxAllocatedStorageGb, allocated + 1, 65536);
    v.check(IDENTIFIER.test(s.databaseName), "databaseName", s.databaseName, "a plain SQL identifier: lower-case letters, digits and _, starting with a letter or _");
    v.check(/^[a-z][a-z0-9_]{0,15}$/.test(s.masterUsername) && !["postgres", "rdsadmin", "admin"].includes(s.masterUsername), "masterUsername", s.masterUsername,
        "1-16 lower-case letters, digits and _, starting with a letter, not a reserved name (postgres, rdsadmin, admin)");
    v.intRange("backupRetentionDays", s.backupRetentionDays, 1, 35);
    const backupMinutes = dailyWindowMinutes(s.backupWindow);
    v.check(backupMinutes !== undefined && backupMinutes >= 30, "backupWindow", s.backupWindow, "a daily UTC window \"hh:mm-hh:mm\" of at least 30 minutes, such as \"03:00-04:00\"");
    const maintenanceMinutes = weeklyWindowMinutes(s.maintenanceWindow);
    v.check(maintenanceMinutes !== undefined && maintenanceMinutes >= 30, "maintenanceWindow", s.maintenanceWindow,
        "a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\" of at least 30 minutes, such as \"sun:04:30-sun:05:30\"");
    const pi = s.performanceInsightsRetentionDays;
    v.check(pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 731), "performanceInsightsRetentionDays", pi, "7, or a multiple of 31 up to 731");
    v.oneOf("monitoringIntervalSeconds", s.monitoringIntervalSeconds, MONITORING_INTERVALS);
    v.intRange("readReplicas", s.readReplicas, 0, 5);
    return s;
}

function resolveAlarms(v: Validator, given: DatabaseAlarmArgs | undefined): Required<DatabaseAlarmArgs> {
    const alarms = {
        cpuPercent: given?.cpuPercent ?? 80,
        freeStorageGb: given?.freeStorageGb ?? 10,
        freeableMemoryMb: given?.freeableMemoryMb ?? 256,
        maxConnections: given?.maxConnections ?? 200,
        replicaLagSeconds: given?.replicaLagSeconds ?? 60,
    };
    v.percent("alarms.cpuPercent", alarms.cpuPercent);
    v.check(alarms.freeStorageGb > 0, "alarms.freeStorageGb", alarms.freeStorageGb, "GiB above 0");
    v.check(alarms.freeableMemoryMb > 0, "alarms.freeableMemoryMb", alarms.freeableMemoryMb, "MiB above 0");
    v.intRange("alarms.maxConnections", alarms.maxConnections, 1, 100_000);
    v.check(alarms.replicaLagSeconds > 0, "alarms.replicaLagSeconds", alarms.replicaLagSeconds, "seconds above 0");
    return alarms;
}

/**
 * Overrides may tune the server, not undo what the component guarantees: forced TLS, and the
 * pg_cron scheduler that runs partition maintenance in this database.
 */
function checkParameterOverrides(v: Validator, overrides: Record<string, string>, databaseName: string): void {
    if (overrides["rds.force_ssl"] !== undefined) {
        v.check(overrides["rds.force_ssl"] === "1", "parameters.rds.force_ssl", overrides["rds.force_ssl"], "\"1\" (TLS is always required)");
    }
    if (overrides.shared_preload_libraries !== undefined) {
        const libraries = overrides.shared_preload_libraries.split(",").map((l) => l.trim());
        v.check(libraries.includes("pg_cron"), "parameters.shared_preload_libraries", overrides.shared_preload_libraries,
            "a list that keeps pg_cron (partition maintenance runs on it)");
    }
    if (overrides["cron.database_name"] !== undefined) {
        v.check(overrides["cron.database_name"] === databaseName, "parameters.cron.database_name", overrides["cron.database_name"],
            `the database name "${databaseName}" (where the maintenance job lives)`);
    }
    for (const key of Object.keys(overrides)) {
        v.check(PARAMETER_NAME.test(key), `parameters.${key}`, key, "a PostgreSQL parameter name");
    }
}
