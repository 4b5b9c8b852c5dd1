import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, alarmTopic, createAlarms } from "../common/alarms";
import { CommonArgs, ComponentContext, typeToken } from "../common/component";
import { admitSecurityGroup } from "../common/securityGroups";
import { dailyWindowMinutes, weeklyWindowMinutes } from "../common/windows";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { checkLogRetention, Validator } from "../common/validation";
import { bootstrapBundle } from "./bootstrap/bundle";
import { databaseFunction, secretReadStatements } from "./databaseFunction";
import { checkWatch, PartitionWatchArgs, partitionWatch } from "./partitionWatch";
import { loadPartitioningSpec } from "./partitioning/load";
import { checkSchedule, DEFAULT_MAINTENANCE_SCHEDULE, IDENTIFIER, PartitionedTableSpec, resolveTables } from "./partitioning/spec";
import { renderSql, sqlDigest } from "./partitioning/sql";
import { postgresStaticParameters } from "../../preview/deployChecks/postgresParameters";

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

const COMPONENT = "PartitionedDatabase";
const PORT = 5432;
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
const ENGINE_VERSION = /^(\d{2})(\.\d{1,2})?$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const PARAMETER_NAME = /^[a-z_][a-z0-9_.]*$/;
/**
 * Parameters that only take effect after a restart, so RDS takes them only with `pending-reboot`:
 * PostgreSQL's own (`pg_settings.context = 'postmaster'`, extracted by `npm run facts:deploy` from a
 * real server) and RDS's `rds.logical_replication` (an RDS setting, not in pg_settings).
 */
const RDS_STATIC_PARAMETERS = ["rds.logical_replication"];
const isStaticParameter = (name: string) => postgresStaticParameters().has(name) || RDS_STATIC_PARAMETERS.includes(name);

/**
 * The guide's database optimisation as a component: RDS for PostgreSQL, secure and observable by
 * default, that also owns the range partitioning of the tables it is told about. The partitioning
 * SQL is applied by a schema bootstrap function inside the VPC whenever it changes, and kept up by
 * `scaling_toolkit.run_maintenance()` on a pg_cron schedule.
 */
export class PartitionedDatabase extends pulumi.ComponentResource {
    /** Host name of the primary. */
    public readonly endpoint: pulumi.Output<string>;
    /** Host names of the read replicas. */
    public readonly readerEndpoints: pulumi.Output<string[]>;
    /** Host name of the RDS Proxy, when enabled. */
    public readonly proxyEndpoint: pulumi.Output<string | undefined>;
    /** The port PostgreSQL listens on. */
    public readonly port: pulumi.Output<number>;
    /** The database created on the server. */
    public readonly databaseName: pulumi.Output<string>;
    /** ARN of the RDS-managed Secrets Manager secret holding the master credentials. */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** The database's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The KMS key encrypting storage, the master secret and Performance Insights (the given one or the created one). */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** The primary instance's identifier. */
    public readonly instanceIdentifier: pulumi.Output<string>;
    /** The partitioning SQL, for teams that apply migrations with their own tool. */
    public readonly partitioningSql: pulumi.Output<string>;
    /** SHA-256 of `partitioningSql`. */
    public readonly partitioningSqlSha256: pulumi.Output<string>;
    /** The partitioning spec the SQL was generated from, as JSON (`maintenanceSchedule`, `tables` with defaults applied): what the offline preview's diff reads. */
    public readonly partitioningSpec: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn: pulumi.Output<string>;

    constructor(name: string, args: PartitionedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const v = new Validator(COMPONENT, name);
        const engineVersion = args.engineVersion ?? "17";
        const instanceClass = args.instanceClass ?? "db.t4g.medium";
        const allocated = args.allocatedStorageGb ?? 50;
        const maxAllocated = args.maxAllocatedStorageGb ?? allocated * 4;
        const databaseName = args.databaseName ?? "app";
        const masterUsername = args.masterUsername ?? "dbadmin";
        const slowMs = args.slowStatementMs ?? 500;
        const backupRetention = args.backupRetentionDays ?? 14;
        const backupWindow = args.backupWindow ?? "03:00-04:00";
        const maintenanceWindow = args.maintenanceWindow ?? "sun:04:30-sun:05:30";
        const piRetention = args.performanceInsightsRetentionDays ?? 7;
        const monitoringInterval = args.monitoringIntervalSeconds ?? 60;
        const replicas = args.readReplicas ?? 0;
        const bootstrapLogRetention = args.bootstrapLogRetentionDays ?? 30;
        const alarms = {
            cpuPercent: args.alarms?.cpuPercent ?? 80,
            freeStorageGb: args.alarms?.freeStorageGb ?? 10,
            freeableMemoryMb: args.alarms?.freeableMemoryMb ?? 256,
            maxConnections: args.alarms?.maxConnections ?? 200,
            replicaLagSeconds: args.alarms?.replicaLagSeconds ?? 60,
        };

        const major = ENGINE_VERSION.exec(engineVersion);
        v.check(major !== null && Number(major[1]) >= 14, "engineVersion", engineVersion, "a PostgreSQL version RDS offers, 14 or newer, such as \"17\" or \"16.10\"");
        v.check(INSTANCE_CLASS.test(instanceClass), "instanceClass", instanceClass, "an RDS instance class such as \"db.t4g.medium\" or \"db.r7g.large\"");
        v.intRange("allocatedStorageGb", allocated, 20, 65536);
        v.intRange("maxAllocatedStorageGb", maxAllocated, allocated + 1, 65536);
        v.check(IDENTIFIER.test(databaseName), "databaseName", databaseName, "a plain SQL identifier: lower-case letters, digits and _, starting with a letter or _");
        v.check(/^[a-z][a-z0-9_]{0,15}$/.test(masterUsername) && !["postgres", "rdsadmin", "admin"].includes(masterUsername), "masterUsername", masterUsername,
            "1-16 lower-case letters, digits and _, starting with a letter, not a reserved name (postgres, rdsadmin, admin)");
        v.check(Number.isInteger(slowMs) && slowMs >= -1 && slowMs <= 3_600_000, "slowStatementMs", slowMs, "milliseconds from 0 to 3600000, or -1 for off");
        v.intRange("backupRetentionDays", backupRetention, 1, 35);
        const backupMinutes = dailyWindowMinutes(backupWindow);
        v.check(backupMinutes !== undefined && backupMinutes >= 30, "backupWindow", backupWindow, "a daily UTC window \"hh:mm-hh:mm\" of at least 30 minutes, such as \"03:00-04:00\"");
        const maintenanceMinutes = weeklyWindowMinutes(maintenanceWindow);
        v.check(maintenanceMinutes !== undefined && maintenanceMinutes >= 30, "maintenanceWindow", maintenanceWindow,
            "a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\" of at least 30 minutes, such as \"sun:04:30-sun:05:30\"");
        v.check(piRetention === 7 || (Number.isInteger(piRetention) && piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 731),
            "performanceInsightsRetentionDays", piRetention, "7, or a multiple of 31 up to 731");
        v.oneOf("monitoringIntervalSeconds", monitoringInterval, MONITORING_INTERVALS);
        v.intRange("readReplicas", replicas, 0, 5);
        if (args.proxy?.enabled) {
            v.intRange("proxy.idleClientTimeoutSeconds", args.proxy.idleClientTimeoutSeconds, 60, 28800);
            v.intRange("proxy.maxConnectionsPercent", args.proxy.maxConnectionsPercent, 1, 100);
        }
        v.percent("alarms.cpuPercent", alarms.cpuPercent);
        v.check(alarms.freeStorageGb > 0, "alarms.freeStorageGb", alarms.freeStorageGb, "GiB above 0");
        v.check(alarms.freeableMemoryMb > 0, "alarms.freeableMemoryMb", alarms.freeableMemoryMb, "MiB above 0");
        v.intRange("alarms.maxConnections", alarms.maxConnections, 1, 100_000);
        v.check(alarms.replicaLagSeconds > 0, "alarms.replicaLagSeconds", alarms.replicaLagSeconds, "seconds above 0");
        // Overrides may tune the server, not undo what the component guarantees: forced TLS, and the
        // pg_cron scheduler that runs partition maintenance in this database.
        const overrides = args.parameters ?? {};
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
        checkLogRetention(v, "bootstrapLogRetentionDays", bootstrapLogRetention);

        // The partitioning spec: given tables plus the file's, validated before anything exists.
        const fileSpec = args.partitionSpecFile !== undefined ? loadPartitioningSpec(args.partitionSpecFile) : undefined;
        const tables = resolveTables(v, "tables", [...(args.tables ?? []), ...(fileSpec?.tables ?? [])]);
        const schedule = args.maintenanceSchedule ?? fileSpec?.maintenanceSchedule ?? DEFAULT_MAINTENANCE_SCHEDULE;
        checkSchedule(v, "maintenanceSchedule", schedule);
        const applySchema = args.applySchema ?? tables.length > 0;
        v.check(!applySchema || tables.length > 0, "applySchema", applySchema, "false when there are no tables to partition");
        v.tags(args.tags);
        const watch = checkWatch(v, args.partitionWatch, tables.length > 0);
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const tags = kit.tags;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const family = `postgres${major![1]}`;
        const sql = renderSql(tables, { maintenanceSchedule: schedule, scheduleMaintenance: true, statStatements: true });

        // --- Encryption key: the caller's, or one created with rotation.
        const kmsKeyArn: pulumi.Output<string> = args.kmsKeyArn !== undefined
            ? pulumi.output(args.kmsKeyArn)
            : new aws.kms.Key(`${name}-key`, {
                description: `Encrypts the ${name} database: storage, master secret, Performance Insights`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags,
            }, kit.childOpts).arn;

        // --- Network: isolated subnets, a security group admitting 5432 from named groups only.
        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
            subnetIds: args.network.isolatedSubnetIds,
            description: `Isolated subnets of ${name}`,
            tags,
        }, kit.childOpts);
        const dbSg = new aws.ec2.SecurityGroup(`${name}-db`, {
            vpcId: args.network.vpcId,
            description: `Database ${name}: PostgreSQL from named security groups only`,
            tags: { ...tags, Name: `${name}-db` },
        }, kit.childOpts);
        const admit = (id: string, source: pulumi.Input<string>, description: string) =>
            admitSecurityGroup(`${name}-db-from-${id}`, { securityGroupId: dbSg.id, from: source, port: PORT, description }, tags, kit.childOpts);
        (args.allowedSecurityGroupIds ?? []).forEach((sg, i) => admit(`allowed-${i}`, sg, "PostgreSQL from an allowed client group"));
        /** Egress from one of the component's own groups to the database, nowhere else on 5432. */
        const reachDb = (id: string, source: pulumi.Input<string>) => new aws.vpc.SecurityGroupEgressRule(`${name}-${id}-to-db`, {
            securityGroupId: source,
            referencedSecurityGroupId: dbSg.id,
            ipProtocol: "tcp",
            fromPort: PORT,
            toPort: PORT,
            description: "PostgreSQL to the database",
            tags,
        }, kit.childOpts);

        // --- Parameter group: TLS forced, pg_cron and pg_stat_statements preloaded, slow statements logged.
        const parameters: Record<string, string> = {
            "rds.force_ssl": "1",
            "shared_preload_libraries": "pg_cron,pg_stat_statements",
            "cron.database_name": databaseName,
            "log_min_duration_statement": String(slowMs),
            "pg_stat_statements.track": "all",
            "log_lock_waits": "1",
            ...(args.parameters ?? {}),
        };
        const parameterGroup = new aws.rds.ParameterGroup(`${name}-params`, {
            family,
            description: `${name}: TLS only, pg_cron and pg_stat_statements, slow statement log`,
            parameters: Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({
                name: key,
                value,
                applyMethod: isStaticParameter(key) ? "pending-reboot" : "immediate",
            })),
            tags,
        }, kit.childOpts);

        // --- Enhanced monitoring role: writes only the RDSOSMetrics log group.
        let monitoringRoleArn: pulumi.Output<string> | undefined;
        if (monitoringInterval > 0) {
            const role = new aws.iam.Role(`${name}-monitoring`, {
                assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", caller.accountId),
                description: `Enhanced monitoring of ${name}`,
                tags,
            }, kit.childOpts);
            const group = pulumi.interpolate`arn:${partition}:logs:${region}:${caller.accountId}:log-group:RDSOSMetrics`;
            new aws.iam.RolePolicy(`${name}-monitoring`, {
                role: role.id,
                policy: policyDocument([
                    { sid: "MetricsLogGroup", actions: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], resources: [group] },
                    {
                        sid: "MetricsLogStreams",
                        actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:PutLogEvents"],
                        resources: [pulumi.interpolate`${group}:log-stream:*`],
                    },
                ]),
            }, kit.childOpts);
            monitoringRoleArn = role.arn;
        }

        const observability = {
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: kmsKeyArn,
            performanceInsightsRetentionPeriod: piRetention,
            monitoringInterval,
            monitoringRoleArn,
        };

        // --- The primary.
        const primary = new aws.rds.Instance(`${name}-primary`, {
            engine: "postgres",
            engineVersion,
            instanceClass,
            port: PORT,
            dbName: databaseName,
            username: masterUsername,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: kmsKeyArn,
            iamDatabaseAuthenticationEnabled: true,
            storageType: "gp3",
            allocatedStorage: allocated,
            maxAllocatedStorage: maxAllocated,
            storageEncrypted: true,
            kmsKeyId: kmsKeyArn,
            multiAz: args.multiAz ?? true,
            publiclyAccessible: false,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [dbSg.id],
            parameterGroupName: parameterGroup.name,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            backupRetentionPeriod: backupRetention,
            backupWindow,
            maintenanceWindow,
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: false,
            deletionProtection: args.deletionProtection ?? true,
            skipFinalSnapshot: args.skipFinalSnapshot ?? false,
            finalSnapshotIdentifier: args.skipFinalSnapshot ? undefined : `${name}-final`,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            autoMinorVersionUpgrade: true,
            allowMajorVersionUpgrade: false,
            ...observability,
            tags,
        }, kit.childOpts);
        const masterSecretArn = primary.masterUserSecrets.apply((s) => s[0].secretArn);

        // --- Read replicas: encrypted, same parameter group and security group.
        const readers = [...Array(replicas).keys()].map((i) => new aws.rds.Instance(`${name}-replica-${i}`, {
            replicateSourceDb: primary.identifier,
            instanceClass,
            storageEncrypted: true,
            kmsKeyId: kmsKeyArn,
            maxAllocatedStorage: maxAllocated,
            storageType: "gp3",
            publiclyAccessible: false,
            vpcSecurityGroupIds: [dbSg.id],
            parameterGroupName: parameterGroup.name,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            iamDatabaseAuthenticationEnabled: true,
            copyTagsToSnapshot: true,
            deletionProtection: args.deletionProtection ?? true,
            // RDS refuses a final snapshot when deleting a read replica: the primary's backups hold the data.
            skipFinalSnapshot: true,
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            ...observability,
            tags,
        }, kit.childOpts));

        // --- RDS Proxy: TLS required, IAM auth, credentials from the master secret.
        let proxyEndpoint: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (args.proxy?.enabled) {
            const proxySg = new aws.ec2.SecurityGroup(`${name}-proxy`, {
                vpcId: args.network.vpcId,
                description: `RDS Proxy of ${name}: PostgreSQL from named groups, to the database only`,
                tags: { ...tags, Name: `${name}-proxy` },
            }, kit.childOpts);
            (args.allowedSecurityGroupIds ?? []).forEach((sg, i) => admitSecurityGroup(`${name}-proxy-from-allowed-${i}`, {
                securityGroupId: proxySg.id,
                from: sg,
                port: PORT,
                description: "PostgreSQL from an allowed client group",
            }, tags, kit.childOpts));
            reachDb("proxy", proxySg.id);
            admit("proxy", proxySg.id, "PostgreSQL from the RDS Proxy");
            const proxyRole = new aws.iam.Role(`${name}-proxy`, {
                assumeRolePolicy: serviceTrustPolicy("rds.amazonaws.com", caller.accountId),
                description: `Lets the RDS Proxy of ${name} read the master secret`,
                tags,
            }, kit.childOpts);
            new aws.iam.RolePolicy(`${name}-proxy`, {
                role: proxyRole.id,
                policy: policyDocument(secretReadStatements(masterSecretArn, kmsKeyArn, region)),
            }, kit.childOpts);
            const proxy = new aws.rds.Proxy(`${name}-proxy`, {
                engineFamily: "POSTGRESQL",
                requireTls: true,
                idleClientTimeout: args.proxy.idleClientTimeoutSeconds ?? 1800,
                roleArn: proxyRole.arn,
                vpcSubnetIds: args.network.isolatedSubnetIds,
                vpcSecurityGroupIds: [proxySg.id],
                auths: [{
                    authScheme: "SECRETS",
                    iamAuth: "REQUIRED",
                    secretArn: masterSecretArn,
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                    description: "Master credentials; clients authenticate with IAM",
                }],
                tags,
            }, kit.childOpts);
            const targetGroup = new aws.rds.ProxyDefaultTargetGroup(`${name}-proxy`, {
                dbProxyName: proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent: args.proxy.maxConnectionsPercent ?? 90,
                    maxIdleConnectionsPercent: 50,
                    connectionBorrowTimeout: 120,
                },
            }, kit.childOpts);
            new aws.rds.ProxyTarget(`${name}-proxy`, {
                dbProxyName: proxy.name,
                targetGroupName: targetGroup.name,
                dbInstanceIdentifier: primary.identifier,
            }, kit.childOpts);
            proxyEndpoint = proxy.endpoint;
        }

        // --- Schema bootstrap: a function in the VPC applying the partitioning SQL when it changes.
        const digest = sqlDigest(sql);
        const fnCommon = {
            vpcId: args.network.vpcId,
            subnetIds: args.network.privateSubnetIds,
            dbHost: primary.address,
            dbPort: PORT,
            dbName: databaseName,
            masterSecretArn,
            kmsKeyArn,
            region,
            partition,
            accountId: caller.accountId,
            logKmsKeyArn: args.bootstrapLogKmsKeyArn,
            tags,
            opts: kit.childOpts,
        };
        if (applySchema) {
            const fn = databaseFunction(name, {
                ...fnCommon,
                id: "bootstrap",
                logName: "schema-bootstrap",
                purpose: "Schema bootstrap",
                description: `Applies the partitioning SQL of ${name} (sha256 ${digest.slice(0, 12)})`,
                code: bootstrapBundle(sql),
                timeoutSeconds: 300,
                logRetentionDays: bootstrapLogRetention,
                logFormat: "JSON",
                connect: (sg) => {
                    reachDb("bootstrap", sg);
                    admit("bootstrap", sg, "PostgreSQL from the schema bootstrap function");
                },
            });
            // Invoked on create and whenever the SQL (and so the published version) changes.
            new aws.lambda.Invocation(`${name}-bootstrap`, {
                functionName: fn.name,
                qualifier: fn.version,
                input: JSON.stringify({ sqlSha256: digest }),
                triggers: { sqlSha256: digest },
            }, kit.opts({ dependsOn: [primary] }));
        }

        // --- Alarms.
        const topicArn = alarmTopic(name, args.alarmTopicArn, tags, kit.childOpts);
        const dims = { DBInstanceIdentifier: primary.identifier };
        const specs: AlarmSpec[] = [
            {
                id: "cpu", description: `${name}: CPU above ${alarms.cpuPercent}%`, namespace: "AWS/RDS", metricName: "CPUUtilization",
                statistic: "Average", dimensions: dims, comparisonOperator: "GreaterThanThreshold", threshold: alarms.cpuPercent, periodSeconds: 300, evaluationPeriods: 3,
            },
            {
                id: "free-storage", description: `${name}: less than ${alarms.freeStorageGb} GiB of storage free`, namespace: "AWS/RDS", metricName: "FreeStorageSpace",
                statistic: "Minimum", dimensions: dims, comparisonOperator: "LessThanThreshold", threshold: alarms.freeStorageGb * 1024 ** 3, periodSeconds: 300, evaluationPeriods: 1,
            },
            {
                id: "freeable-memory", description: `${name}: less than ${alarms.freeableMemoryMb} MiB of memory freeable`, namespace: "AWS/RDS", metricName: "FreeableMemory",
                statistic: "Average", dimensions: dims, comparisonOperator: "LessThanThreshold", threshold: alarms.freeableMemoryMb * 1024 ** 2, periodSeconds: 300, evaluationPeriods: 3,
            },
            {
                id: "connections", description: `${name}: more than ${alarms.maxConnections} connections`, namespace: "AWS/RDS", metricName: "DatabaseConnections",
                statistic: "Maximum", dimensions: dims, comparisonOperator: "GreaterThanThreshold", threshold: alarms.maxConnections, periodSeconds: 60, evaluationPeriods: 5,
            },
            ...readers.map((r, i): AlarmSpec => ({
                id: `replica-${i}-lag`, description: `${name}: replica ${i} more than ${alarms.replicaLagSeconds}s behind`, namespace: "AWS/RDS", metricName: "ReplicaLag",
                statistic: "Maximum", dimensions: { DBInstanceIdentifier: r.identifier }, comparisonOperator: "GreaterThanThreshold", threshold: alarms.replicaLagSeconds,
                periodSeconds: 60, evaluationPeriods: 5,
            })),
        ];
        if (watch.enabled) {
            specs.push(...partitionWatch(name, {
                ...fnCommon,
                tables,
                scheduleMinutes: watch.scheduleMinutes,
                toleranceHours: watch.toleranceHours,
                instanceIdentifier: primary.identifier,
                logRetentionDays: bootstrapLogRetention,
                connect: (sg) => {
                    reachDb("watch", sg);
                    admit("watch", sg, "PostgreSQL from the partition watch function");
                },
            }));
        }
        createAlarms(name, topicArn, specs, tags, kit.childOpts);

        this.endpoint = primary.address;
        this.readerEndpoints = pulumi.all(readers.map((r) => r.address));
        this.proxyEndpoint = proxyEndpoint;
        this.port = primary.port;
        this.databaseName = pulumi.output(databaseName);
        this.masterSecretArn = masterSecretArn;
        this.securityGroupId = dbSg.id;
        this.kmsKeyArn = kmsKeyArn;
        this.instanceIdentifier = primary.identifier;
        this.partitioningSql = pulumi.output(sql);
        this.partitioningSqlSha256 = pulumi.output(digest);
        this.partitioningSpec = pulumi.output(JSON.stringify({ maintenanceSchedule: schedule, tables }));
        this.alarmTopicArn = topicArn;
        this.registerOutputs({
            endpoint: this.endpoint,
            readerEndpoints: this.readerEndpoints,
            proxyEndpoint: this.proxyEndpoint,
            port: this.port,
            databaseName: this.databaseName,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
            partitioningSql: this.partitioningSql,
            partitioningSqlSha256: this.partitioningSqlSha256,
            partitioningSpec: this.partitioningSpec,
            alarmTopicArn: this.alarmTopicArn,
        });
    }
}
