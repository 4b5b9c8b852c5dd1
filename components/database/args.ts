/**
 * The arguments of a PartitionedDatabase: what a caller may set, each with its default. The
 * component resolves them into a `DatabaseSpec` (spec.ts) before anything is created.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";
import { PartitionWatchArgs } from "./partitionWatch";
import { PartitionedTableSpec } from "./partitioning/spec";

/** Where the database lives: a `Network` satisfies this. */
export interface DatabaseNetworkArgs {
    /** The VPC id. */
    vpcId: pulumi.Input<string>;
    /** Subnets without a route out: the database (and proxy) go here. */
    isolatedSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets with egress (NAT): the schema bootstrap function runs here, to reach Secrets Manager. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** RDS Proxy for connection pooling. */
export interface DatabaseProxyArgs {
    /** Create the proxy. */
    enabled: boolean;
    /**
     * Seconds a client connection may idle before the proxy closes it (60-28800).
     * @default 1800
     */
    idleClientTimeoutSeconds?: number;
    /**
     * Share of the database's max_connections the proxy may open (1-100).
     * @default 90
     */
    maxConnectionsPercent?: number;
}

/** Alarm thresholds. */
export interface DatabaseAlarmArgs {
    /**
     * Average CPU utilisation (percent) that raises an alarm.
     * @default 80
     */
    cpuPercent?: number;
    /**
     * Free storage (GiB) below which an alarm is raised.
     * @default 10
     */
    freeStorageGb?: number;
    /**
     * Freeable memory (MiB) below which an alarm is raised.
     * @default 256
     */
    freeableMemoryMb?: number;
    /**
     * Open connections above which an alarm is raised.
     * @default 200
     */
    maxConnections?: number;
    /**
     * Replica lag (seconds) above which an alarm is raised, per read replica.
     * @default 60
     */
    replicaLagSeconds?: number;
}

export interface PartitionedDatabaseArgs extends CommonArgs {
    /** The VPC and subnets; pass a `Network`. */
    network: DatabaseNetworkArgs;
    /**
     * Security groups whose members may connect on 5432 (for example a service's `securityGroupId`).
     * @default [] (nobody but the schema bootstrap function)
     */
    allowedSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * PostgreSQL engine version: a major (`"17"`) or major.minor (`"17.6"`), 14 or newer.
     * @default "17"
     */
    engineVersion?: string;
    /**
     * Instance class of the primary and the replicas.
     * @default "db.t4g.medium"
     */
    instanceClass?: string;
    /**
     * Initial gp3 storage, GiB (20-65536).
     * @default 50
     */
    allocatedStorageGb?: number;
    /**
     * Storage autoscaling ceiling, GiB; above `allocatedStorageGb`.
     * @default 4 x allocatedStorageGb
     */
    maxAllocatedStorageGb?: number;
    /**
     * A standby in another zone with automatic failover.
     * @default true
     */
    multiAz?: boolean;
    /**
     * KMS key encrypting storage, the master secret and Performance Insights.
     * @default a key created for the database, with yearly rotation
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Name of the database created on the server (plain identifier).
     * @default "app"
     */
    databaseName?: string;
    /**
     * Master user name (its password is generated and kept by RDS in Secrets Manager).
     * @default "dbadmin"
     */
    masterUsername?: string;
    /**
     * Statements slower than this are logged, in milliseconds; -1 turns it off.
     * @default 500
     */
    slowStatementMs?: number;
    /**
     * Parameter group settings merged over the component's (which force TLS and preload pg_cron).
     * @default {}
     */
    parameters?: Record<string, string>;
    /**
     * Days automated backups are kept (1-35).
     * @default 14
     */
    backupRetentionDays?: number;
    /**
     * Daily backup window, UTC `hh:mm-hh:mm`.
     * @default "03:00-04:00"
     */
    backupWindow?: string;
    /**
     * Weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`.
     * @default "sun:04:30-sun:05:30"
     */
    maintenanceWindow?: string;
    /**
     * Refuse deletion until turned off.
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * Skip the final snapshot when the database is deleted (for throwaway environments only).
     * @default false
     */
    skipFinalSnapshot?: boolean;
    /**
     * Days Performance Insights keeps data (7, or a multiple of 31 up to 731).
     * @default 7
     */
    performanceInsightsRetentionDays?: number;
    /**
     * Enhanced monitoring interval in seconds (0 off, 1, 5, 10, 15, 30, 60).
     * @default 60
     */
    monitoringIntervalSeconds?: number;
    /**
     * Read replicas (0-5), encrypted and with the same parameter group.
     * @default 0
     */
    readReplicas?: number;
    /**
     * RDS Proxy in front of the primary.
     * @default { enabled: false }
     */
    proxy?: DatabaseProxyArgs;
    /**
     * SNS topic alarms notify.
     * @default a topic created for the database
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Alarm thresholds.
     * @default { cpuPercent: 80, freeStorageGb: 10, freeableMemoryMb: 256, maxConnections: 200, replicaLagSeconds: 60 }
     */
    alarms?: DatabaseAlarmArgs;
    /**
     * Range-partitioned tables this database owns.
     * @default []
     */
    tables?: PartitionedTableSpec[];
    /**
     * A JSON or YAML spec file (`{ tables: [...], maintenanceSchedule? }`) whose tables are added to `tables`.
     * @default none
     */
    partitionSpecFile?: string;
    /**
     * pg_cron schedule of `scaling_toolkit.run_maintenance()`.
     * @default the spec file's, else "7 * * * *"
     */
    maintenanceSchedule?: string;
    /**
     * Apply the partitioning SQL with the schema bootstrap function on every deployment that
     * changes it. Off: only the `partitioningSql` output is produced, for your own migration tool.
     * @default true when there are tables
     */
    applySchema?: boolean;
    /**
     * Days the schema bootstrap function's logs are kept (and the partition watch's).
     * @default 30
     */
    bootstrapLogRetentionDays?: number;
    /**
     * KMS key ARN encrypting the log groups of the schema bootstrap and the partition watch functions
     * (its key policy must let logs.<region>.amazonaws.com use it).
     * @default CloudWatch Logs' own encryption
     */
    bootstrapLogKmsKeyArn?: pulumi.Input<string>;
    /**
     * The partition watch: a scheduled function publishing, per table, the future partitions left and
     * the rows in the default partition as CloudWatch metrics, with alarms on the alarm topic.
     * @default { enabled: true when there are tables, scheduleMinutes: 15, toleranceHours: 2 }
     */
    partitionWatch?: PartitionWatchArgs;
}
