/**
 * Data protection for production: deletion protection, backups, final snapshots, versioning.
 * These rules apply to resources tagged `Production: "true"` (Kubernetes: label
 * `scaling-toolkit.io/production: "true"`), or to every resource when the policy config sets
 * `production: true`; elsewhere they are not applicable.
 */
import { Concern, isGiven, isProduction, requireProduction, resourceRule, stackRule } from "../rule";
import type { PolicyResource, StackValidationArgs, StackView } from "../rule";
import { settingsOf } from "../settings";
import { BUCKET_TYPES } from "./tls";

const RDS_TYPES = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];
const VERSIONING_TYPES = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

export const rdsDeletionProtection = resourceRule({
    name: "rds-deletion-protection",
    description: "Production RDS instances and clusters have deletion protection on.",
    why: "A mistaken `pulumi destroy`, a rename that replaces the resource, or a console click must not delete production data.",
    remediationSteps: "Set deletionProtection: true (turn it off deliberately in a separate change before a planned deletion).",
    concern: Concern.DataProtection,
    enforcementLevel: "mandatory",
    severity: "high",
    types: RDS_TYPES,
    check: ({ props }, args) => {
        requireProduction(args, props);
        return props.deletionProtection === true ? [] : ["deletionProtection is not true"];
    },
});

export const rdsBackupRetention = resourceRule({
    name: "rds-backup-retention",
    description: "Production RDS instances and clusters keep automated backups for at least 7 days (configurable).",
    why: "Point-in-time recovery only reaches back as far as the retention: corruption found after a weekend must still be recoverable.",
    remediationSteps: "Set backupRetentionPeriod to 7 or more (up to 35).",
    concern: Concern.DataProtection,
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } } },
    types: RDS_TYPES,
    check: ({ props }, args) => {
        requireProduction(args, props);
        if (props.replicateSourceDb !== undefined) {
            args.notApplicable("a read replica has no automated backups of its own");
        }
        const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? 7;
        const days = props.backupRetentionPeriod;
        return typeof days === "number" && days >= minimum ? [] : [`backupRetentionPeriod is ${days ?? "unset (the AWS default is 1 day)"}; at least ${minimum} days required`];
    },
});

export const rdsFinalSnapshot = resourceRule({
    name: "rds-final-snapshot",
    description: "Production RDS instances and clusters take a final snapshot when deleted.",
    why: "Automated backups are deleted with the database (unless retained); a final snapshot is the last copy of the data.",
    remediationSteps: "Set skipFinalSnapshot: false and a finalSnapshotIdentifier.",
    concern: Concern.DataProtection,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: RDS_TYPES,
    check: ({ props }, args) => {
        requireProduction(args, props);
        if (props.replicateSourceDb !== undefined) {
            args.notApplicable("RDS takes no final snapshot of a read replica: the primary's snapshot holds the data");
        }
        return [
            ...(props.skipFinalSnapshot === true ? ["skipFinalSnapshot is true"] : []),
            // An identifier with a suffix drawn in the same update (PartitionedDatabase's) is unknown until apply, and given.
            ...(isGiven(props, "finalSnapshotIdentifier") ? [] : ["no finalSnapshotIdentifier"]),
        ];
    },
});

export const elasticacheSnapshotRetention = resourceRule({
    name: "elasticache-snapshot-retention",
    description: "Production ElastiCache replication groups keep automatic snapshots (at least 1 day, configurable).",
    why: "Without snapshots, a failed or deleted cache of state that matters (sessions, queues) cannot be restored.",
    remediationSteps: "Set snapshotRetentionLimit to 1 or more (and a snapshotWindow outside peak hours).",
    concern: Concern.DataProtection,
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 1 } } },
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: ({ props }, args) => {
        requireProduction(args, props);
        const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? 1;
        const days = props.snapshotRetentionLimit;
        return typeof days === "number" && days >= minimum ? [] : [`snapshotRetentionLimit is ${days ?? "unset (0: no snapshots)"}; at least ${minimum} required`];
    },
});

/** Properties through which a resource names the bucket it writes logs to. */
export const LOG_DESTINATIONS: [string[], string][] = [
    [["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"], "accessLogs"],
    [["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"], "targetBucket"],
    [["aws:cloudtrail/trail:Trail"], "s3BucketName"],
    [["aws:ec2/flowLog:FlowLog"], "logDestination"],
    [["aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"], "deliveryDestinationConfiguration"],
];

/**
 * The production buckets that hold data: every bucket of the stack that is production, except the
 * ones something writes its logs to (access logs, server access logs, trails, flow logs). The rule
 * is not applicable when the stack has no production bucket at all.
 */
export function productionDataBuckets(stack: StackView, args: StackValidationArgs): PolicyResource[] {
    const settings = settingsOf(args);
    const buckets = stack.ofType(...BUCKET_TYPES).filter((b) => isProduction(b.props, settings));
    if (buckets.length === 0) {
        args.notApplicable("no production buckets");
    }
    const logBuckets = new Set(LOG_DESTINATIONS.flatMap(([types, property]) => stack.ofType(...types)
        .flatMap((r) => stack.referencedBy(r, property, BUCKET_TYPES, "bucket"))).map((b) => b.urn));
    return buckets.filter((b) => !logBuckets.has(b.urn));
}

export const s3Versioning = stackRule({
    name: "s3-versioning",
    description: "Production buckets holding data have versioning on (log-destination buckets are exempt).",
    why: "Versioning is what makes an overwrite or delete (by mistake, a bug or ransomware) recoverable.",
    remediationSteps: "Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status \"Enabled\" (and expire noncurrent versions with a lifecycle rule).",
    concern: Concern.DataProtection,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: BUCKET_TYPES,
    check: (stack, args, report) => {
        for (const bucket of productionDataBuckets(stack, args)) {
            const inline = bucket.props.versioning?.enabled === true;
            const separate = stack.referencing(bucket, VERSIONING_TYPES, "bucket", "bucket")
                .some((v) => v.props.versioningConfiguration?.status === "Enabled");
            if (!inline && !separate) {
                report(bucket.urn, `production bucket "${bucket.name}" is not versioned`);
            }
        }
    },
});

export const DATA_PROTECTION_RULES = [rdsDeletionProtection, rdsBackupRetention, rdsFinalSnapshot, elasticacheSnapshotRetention, s3Versioning];

