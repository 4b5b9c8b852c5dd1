/**
 * The server of a PartitionedDatabase: its encryption key, its subnet group and security group in
 * the isolated subnets, the enhanced-monitoring role and the primary instance, with a final
 * snapshot whose name is unique per instance generation.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { childName, finalSnapshotName } from "../common/naming";
import { admitSecurityGroup } from "../common/securityGroups";
import { DatabaseContext, POSTGRES_PORT, RDS_CA_CERTIFICATE, ServerSpec } from "./spec";

/** The caller's key, or one created with yearly rotation; returns its ARN. */
export function encryptionKey(ctx: DatabaseContext, given: pulumi.Input<string> | undefined): pulumi.Output<string> {
    if (given !== undefined) {
        return pulumi.output(given);
    }
    return new aws.kms.Key(childName(ctx.name, "key"), {
        description: `Encrypts the ${ctx.name} database: storage, master secret, Performance Insights`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: ctx.tags,
    }, ctx.opts).arn;
}

/** Where the database runs: a subnet group in the isolated subnets and its own security group. */
export interface DatabaseNetwork {
    subnetGroup: aws.rds.SubnetGroup;
    securityGroup: aws.ec2.SecurityGroup;
}

/** Creates the subnet group and the security group, admitting the port from the allowed groups only. */
export function databaseNetwork(ctx: DatabaseContext, allowed: pulumi.Input<string>[]): DatabaseNetwork {
    const subnetGroup = new aws.rds.SubnetGroup(childName(ctx.name, "subnets"), {
        subnetIds: ctx.network.isolatedSubnetIds,
        description: `Isolated subnets of ${ctx.name}`,
        tags: ctx.tags,
    }, ctx.opts);
    const sgName = childName(ctx.name, "db");
    const securityGroup = new aws.ec2.SecurityGroup(sgName, {
        vpcId: ctx.network.vpcId,
        description: `Database ${ctx.name}: PostgreSQL from named security groups only`,
        tags: { ...ctx.tags, Name: sgName },
    }, ctx.opts);
    allowed.forEach((sg, i) => admitToDatabase(ctx, securityGroup, `allowed-${i}`, sg, "PostgreSQL from an allowed client group"));
    return { subnetGroup, securityGroup };
}

/** Ingress on the database's group from one source group, on the PostgreSQL port only. */
function admitToDatabase(ctx: DatabaseContext, db: aws.ec2.SecurityGroup, id: string, source: pulumi.Input<string>, description: string): aws.vpc.SecurityGroupIngressRule {
    return admitSecurityGroup(childName(ctx.name, `db-from-${id}`), { securityGroupId: db.id, from: source, port: POSTGRES_PORT, description }, ctx.tags, ctx.opts);
}

/**
 * Connects one of the component's own groups (the proxy's, a function's) to the database: egress
 * from it to the database on the PostgreSQL port (nowhere else), and the database's ingress from
 * it. Returns both rules, so what needs the connection can depend on them.
 */
export function connectToDatabase(ctx: DatabaseContext, db: aws.ec2.SecurityGroup, id: string, source: pulumi.Input<string>, description: string): pulumi.Resource[] {
    const egress = new aws.vpc.SecurityGroupEgressRule(childName(ctx.name, `${id}-to-db`), {
        securityGroupId: source,
        referencedSecurityGroupId: db.id,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "PostgreSQL to the database",
        tags: ctx.tags,
    }, ctx.opts);
    return [egress, admitToDatabase(ctx, db, id, source, description)];
}

/** The enhanced monitoring role (writes only the RDSOSMetrics log group), when monitoring is on; returns its ARN. */
export function monitoringRole(ctx: DatabaseContext, intervalSeconds: number): pulumi.Output<string> | undefined {
    if (intervalSeconds === 0) {
        return undefined;
    }
    const n = childName(ctx.name, "monitoring");
    const role = new aws.iam.Role(n, {
        assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", ctx.accountId),
        description: `Enhanced monitoring of ${ctx.name}`,
        tags: ctx.tags,
    }, ctx.opts);
    const group = pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:RDSOSMetrics`;
    new aws.iam.RolePolicy(n, {
        role: role.id,
        policy: policyDocument([
            { sid: "MetricsLogGroup", actions: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], resources: [group] },
            {
                sid: "MetricsLogStreams",
                actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:PutLogEvents"],
                resources: [pulumi.interpolate`${group}:log-stream:*`],
            },
        ]),
    }, ctx.opts);
    return role.arn;
}

/** What the primary and its replicas share: encryption, TLS certificate, network, parameters, observability. */
export interface InstanceCommon {
    kmsKeyArn: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    parameterGroupName: pulumi.Output<string>;
    monitoringRoleArn?: pulumi.Output<string>;
}

/** The settings every instance of the database carries, primary and replicas alike. */
export function sharedInstanceArgs(server: ServerSpec, common: InstanceCommon) {
    return {
        instanceClass: server.instanceClass,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: common.kmsKeyArn,
        maxAllocatedStorage: server.maxAllocatedStorageGb,
        publiclyAccessible: false,
        vpcSecurityGroupIds: [common.securityGroupId],
        parameterGroupName: common.parameterGroupName,
        caCertIdentifier: RDS_CA_CERTIFICATE,
        iamDatabaseAuthenticationEnabled: true,
        copyTagsToSnapshot: true,
        deletionProtection: server.deletionProtection,
        autoMinorVersionUpgrade: true,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: common.kmsKeyArn,
        performanceInsightsRetentionPeriod: server.performanceInsightsRetentionDays,
        monitoringInterval: server.monitoringIntervalSeconds,
        monitoringRoleArn: common.monitoringRoleArn,
    };
}

/**
 * The primary's inputs that force RDS to replace it (terraform-provider-aws
 * internal/service/rds/instance.go ForceNew, as recorded in preview/diff/replacement-facts.json):
 * the keepers of the final snapshot's suffix, so a replacement gets a new suffix.
 */
export function replacementKeepers(server: ServerSpec, kmsKeyArn: pulumi.Output<string>): Record<string, pulumi.Input<string>> {
    return { engine: "postgres", dbName: server.databaseName, username: server.masterUsername, kmsKeyId: kmsKeyArn, storageEncrypted: "true" };
}

/**
 * The final snapshot's identifier, `<name>-final-<8 hex>`, as terraform-aws-modules/terraform-aws-rds
 * names it (`random_id` of 4 bytes, kept while the instance's identity holds). A destroyed stack's
 * suffix goes with it, and a replacement (any keeper changes) draws a new one, so the old instance's
 * snapshot and the next one's never share a name.
 */
export function finalSnapshotIdentifier(ctx: DatabaseContext, keepers: Record<string, pulumi.Input<string>>): pulumi.Output<string> {
    const suffix = new random.RandomId(childName(ctx.name, "final-snapshot"), { byteLength: 4, keepers }, ctx.opts);
    return suffix.hex.apply((hex) => finalSnapshotName(ctx.name, hex));
}

/** Creates the primary instance. */
export function primaryInstance(ctx: DatabaseContext, server: ServerSpec, network: DatabaseNetwork, common: InstanceCommon): aws.rds.Instance {
    return new aws.rds.Instance(childName(ctx.name, "primary"), {
        ...sharedInstanceArgs(server, common),
        engine: "postgres",
        engineVersion: server.engineVersion,
        port: POSTGRES_PORT,
        dbName: server.databaseName,
        username: server.masterUsername,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: common.kmsKeyArn,
        allocatedStorage: server.allocatedStorageGb,
        multiAz: server.multiAz,
        dbSubnetGroupName: network.subnetGroup.name,
        backupRetentionPeriod: server.backupRetentionDays,
        backupWindow: server.backupWindow,
        maintenanceWindow: server.maintenanceWindow,
        deleteAutomatedBackups: false,
        skipFinalSnapshot: server.skipFinalSnapshot,
        finalSnapshotIdentifier: server.skipFinalSnapshot ? undefined : finalSnapshotIdentifier(ctx, replacementKeepers(server, common.kmsKeyArn)),
        allowMajorVersionUpgrade: false,
        tags: ctx.tags,
    }, ctx.opts);
}
