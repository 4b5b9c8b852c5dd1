/**
 * PartitionedDatabase, one file per concern: spec.ts (arguments to a spec), server.ts (key,
 * network, monitoring, primary), parameters.ts, replicas.ts, proxy.ts, schemaBootstrap.ts,
 * alarms.ts, partitionWatch.ts and grants.ts; this constructor wires them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmTopic, createAlarms } from "../common/alarms";
import { ComponentContext, typeToken } from "../common/component";
import { publish } from "../common/publish";
import { instanceAlarms } from "./alarms";
import { PartitionedDatabaseArgs } from "./args";
import { ConnectTarget, GrantConnectOptions, grantConnect } from "./grants";
import { parameterGroup } from "./parameters";
import { partitionWatch } from "./partitionWatch";
import { renderSql, sqlDigest } from "./partitioning/sql";
import { databaseProxy } from "./proxy";
import { readReplicas } from "./replicas";
import { DatabaseFunctionCommon, schemaBootstrap } from "./schemaBootstrap";
import { connectToDatabase, databaseNetwork, encryptionKey, monitoringRole, primaryInstance } from "./server";
import { COMPONENT, DatabaseContext, DatabaseSpec, POSTGRES_PORT, resolveDatabaseSpec } from "./spec";

export { DatabaseAlarmArgs, DatabaseNetworkArgs, DatabaseProxyArgs, PartitionedDatabaseArgs } from "./args";
export { GrantConnectOptions } from "./grants";

/** What `grantConnect` needs, kept beside the component (every field of the class is an output). */
const connectTargets = new WeakMap<PartitionedDatabase, ConnectTarget>();

/**
 * The guide's database optimisation as a component: RDS for PostgreSQL, secure and observable by
 * default, that also owns the range partitioning of the tables it is told about. The partitioning
 * SQL is applied by a schema bootstrap function inside the VPC whenever it changes, and kept up by
 * `scaling_toolkit.run_maintenance()` on a pg_cron schedule.
 */
export class PartitionedDatabase extends pulumi.ComponentResource {
    /** Host name of the primary. */
    public readonly endpoint!: pulumi.Output<string>;
    /** Host names of the read replicas. */
    public readonly readerEndpoints!: pulumi.Output<string[]>;
    /** Host name of the RDS Proxy, when enabled. */
    public readonly proxyEndpoint!: pulumi.Output<string | undefined>;
    /** The port PostgreSQL listens on. */
    public readonly port!: pulumi.Output<number>;
    /** The database created on the server. */
    public readonly databaseName!: pulumi.Output<string>;
    /** ARN of the RDS-managed Secrets Manager secret holding the master credentials. */
    public readonly masterSecretArn!: pulumi.Output<string>;
    /** The database's security group. */
    public readonly securityGroupId!: pulumi.Output<string>;
    /** The KMS key encrypting storage, the master secret and Performance Insights (the given one or the created one). */
    public readonly kmsKeyArn!: pulumi.Output<string>;
    /** The primary instance's identifier. */
    public readonly instanceIdentifier!: pulumi.Output<string>;
    /** The primary instance's resource id (`db-...`, the dbi-resource-id), which IAM database authentication ARNs name. */
    public readonly resourceId!: pulumi.Output<string>;
    /** The partitioning SQL, for teams that apply migrations with their own tool. */
    public readonly partitioningSql!: pulumi.Output<string>;
    /** SHA-256 of `partitioningSql`. */
    public readonly partitioningSqlSha256!: pulumi.Output<string>;
    /** The partitioning spec the SQL was generated from, as JSON (`maintenanceSchedule`, `tables` with defaults applied): what the offline preview's diff reads. */
    public readonly partitioningSpec!: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn!: pulumi.Output<string>;

    constructor(name: string, args: PartitionedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolveDatabaseSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const ctx = databaseContext(this, name, args);
        const sql = renderSql(spec.tables, { maintenanceSchedule: spec.maintenanceSchedule, scheduleMaintenance: true, statStatements: true });

        const kmsKeyArn = encryptionKey(ctx, args.kmsKeyArn);
        const allowed = args.allowedSecurityGroupIds ?? [];
        const network = databaseNetwork(ctx, allowed);
        const connect = (id: string, source: pulumi.Input<string>, description: string) => connectToDatabase(ctx, network.securityGroup, id, source, description);
        const common = {
            kmsKeyArn,
            securityGroupId: network.securityGroup.id,
            parameterGroupName: parameterGroup(ctx, spec).name,
            monitoringRoleArn: monitoringRole(ctx, spec.server.monitoringIntervalSeconds),
        };
        const primary = primaryInstance(ctx, spec.server, network, common);
        const masterSecretArn = primary.masterUserSecrets.apply((s) => s[0].secretArn);
        const replicas = readReplicas(ctx, spec.server, primary, common);
        const proxyEndpoint: pulumi.Output<string | undefined> = spec.proxy
            ? databaseProxy(ctx, spec.proxy, { databaseSecurityGroup: network.securityGroup, allowedSecurityGroupIds: allowed, primary, masterSecretArn, kmsKeyArn })
            : pulumi.output(undefined);

        const fnCommon = functionCommon(ctx, args, primary, masterSecretArn, kmsKeyArn, spec);
        if (spec.applySchema) {
            schemaBootstrap(name, fnCommon, { sql, logRetentionDays: spec.bootstrapLogRetentionDays, connect, primary });
        }
        const topicArn = alarmTopic(name, args.alarmTopicArn, ctx.tags, ctx.opts);
        const alarms = instanceAlarms(name, spec.alarms, primary, replicas);
        if (spec.watch.enabled) {
            alarms.push(...partitionWatch(name, {
                ...fnCommon,
                tables: spec.tables,
                scheduleMinutes: spec.watch.scheduleMinutes,
                toleranceHours: spec.watch.toleranceHours,
                instanceIdentifier: primary.identifier,
                logRetentionDays: spec.bootstrapLogRetentionDays,
                connect: (sg) => connect("watch", sg, "PostgreSQL from the partition watch function"),
            }));
        }
        createAlarms(name, topicArn, alarms, ctx.tags, ctx.opts);

        connectTargets.set(this, { name, opts: ctx.opts, partition: ctx.partition, region: ctx.region, accountId: ctx.accountId, resourceId: primary.resourceId });
        publish<PartitionedDatabase>(this, {
            endpoint: primary.address,
            readerEndpoints: pulumi.all(replicas.map((r) => r.address)),
            proxyEndpoint,
            port: primary.port,
            databaseName: pulumi.output(spec.server.databaseName),
            masterSecretArn,
            securityGroupId: network.securityGroup.id,
            kmsKeyArn,
            instanceIdentifier: primary.identifier,
            resourceId: primary.resourceId,
            partitioningSql: pulumi.output(sql),
            partitioningSqlSha256: pulumi.output(sqlDigest(sql)),
            partitioningSpec: pulumi.output(JSON.stringify({ maintenanceSchedule: spec.maintenanceSchedule, tables: spec.tables })),
            alarmTopicArn: topicArn,
        });
    }

    /**
     * Lets `role` connect to the primary as the PostgreSQL user `user` with IAM database
     * authentication (always on for this component): attaches a policy allowing `rds-db:connect` on
     * `arn:<partition>:rds-db:<region>:<account>:dbuser:<resourceId>/<user>`, nothing else. The user
     * must exist in PostgreSQL with the `rds_iam` role granted; the component does not create it.
     * Through the RDS Proxy, the proxy's own authentication decides which users may log in.
     *
     * @param role the role (or its name), for example a service's `taskRoleName`
     * @param user the PostgreSQL user name (no wildcards)
     * @param options the policy's `id` (its name, `<database>-connect-<id>`) and `parent` (the
     *   grantee's component; by default the database)
     */
    public grantConnect(role: pulumi.Input<string> | aws.iam.Role, user: string, options?: GrantConnectOptions): aws.iam.RolePolicy {
        return grantConnect(connectTargets.get(this)!, role, user, options);
    }
}

/** The names, tags, options, network and account facts every concern is built with. */
function databaseContext(component: PartitionedDatabase, name: string, args: PartitionedDatabaseArgs): DatabaseContext {
    const kit = new ComponentContext(component, COMPONENT, args);
    const invoke = { parent: component };
    return {
        name,
        kit,
        tags: kit.tags,
        opts: kit.childOpts,
        network: args.network,
        region: aws.getRegionOutput({}, invoke).region,
        partition: aws.getPartitionOutput({}, invoke).partition,
        accountId: aws.getCallerIdentityOutput({}, invoke).accountId,
    };
}

/** What the schema bootstrap and the partition watch functions share: where they run and what they read. */
function functionCommon(ctx: DatabaseContext, args: PartitionedDatabaseArgs, primary: aws.rds.Instance, masterSecretArn: pulumi.Output<string>,
    kmsKeyArn: pulumi.Output<string>, spec: DatabaseSpec): DatabaseFunctionCommon {
    return {
        vpcId: ctx.network.vpcId,
        subnetIds: ctx.network.privateSubnetIds,
        dbHost: primary.address,
        dbPort: POSTGRES_PORT,
        dbName: spec.server.databaseName,
        masterSecretArn,
        kmsKeyArn,
        region: ctx.region,
        partition: ctx.partition,
        accountId: ctx.accountId,
        logKmsKeyArn: args.bootstrapLogKmsKeyArn,
        tags: ctx.tags,
        opts: ctx.opts,
    };
}
