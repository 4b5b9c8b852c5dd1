import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childName, finalSnapshotName } from "../common/naming";
import { CacheContext } from "./context";
import { CacheLogs } from "./logs";
import { CacheNetwork } from "./network";
import { REDIS_PORT } from "./spec";

/** What the replication group is built on. */
export interface GroupInputs {
    network: CacheNetwork;
    parameterGroup: aws.elasticache.ParameterGroup;
    logs: CacheLogs;
    token: pulumi.Output<string>;
}

/**
 * The replication group: encrypted at rest and in transit (TLS required), the auth token, Multi-AZ
 * with automatic failover whenever there is a replica, snapshots, a final snapshot with a unique
 * name, and slow and engine logs in JSON.
 */
export function replicationGroup(ctx: CacheContext, inputs: GroupInputs): aws.elasticache.ReplicationGroup {
    const { spec, kit } = ctx;
    const { engine, engineVersion, shards, replicas, clustered } = spec;
    const dataTieringEnabled = spec.nodeType.startsWith("cache.r6gd.") ? true : undefined;
    const { slowLog, engineLog } = inputs.logs;
    return new aws.elasticache.ReplicationGroup(childName(spec.name, "rg"), {
        description: `Cache ${spec.name} (${engine} ${engineVersion}, ${clustered ? `${shards} shards` : "1 shard"} x ${replicas} replicas)`,
        engine,
        engineVersion,
        nodeType: spec.nodeType,
        port: REDIS_PORT,
        clusterMode: clustered ? "enabled" : "disabled",
        ...(clustered
            ? { numNodeGroups: shards, replicasPerNodeGroup: replicas }
            : { numCacheClusters: 1 + replicas }),
        // ElastiCache requires the flag for cluster mode even without replicas; nothing fails over then.
        automaticFailoverEnabled: spec.failover || clustered,
        multiAzEnabled: spec.multiAz,
        dataTieringEnabled,
        subnetGroupName: inputs.network.subnetGroup.name,
        securityGroupIds: [inputs.network.securityGroup.id],
        parameterGroupName: inputs.parameterGroup.name,
        atRestEncryptionEnabled: true,
        kmsKeyId: spec.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: inputs.token,
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: spec.snapshotRetentionDays,
        snapshotWindow: spec.snapshotWindow,
        maintenanceWindow: spec.maintenanceWindow,
        finalSnapshotIdentifier: spec.finalSnapshot ? finalSnapshotIdentifier(ctx, inputs.network, dataTieringEnabled) : undefined,
        applyImmediately: spec.applyImmediately,
        logDeliveryConfigurations: [
            { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
            { destination: engineLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
        ],
        tags: kit.tags,
    }, kit.childOpts);
}

/**
 * The inputs the component sets that make the provider replace the replication group (ForceNew in
 * terraform-provider-aws `internal/service/elasticache/replication_group.go`, as the preview's
 * `replacement-facts.json` records them). They keep the final snapshot's suffix: a replacement
 * draws a new one, so the new group's final snapshot never takes the name of the old one's. The
 * engine and its version replace the group only on a downgrade, which ElastiCache does not offer
 * in place; they are left out so that every upgrade does not show a replacement in the plan.
 */
export const REPLACING_INPUTS = ["atRestEncryptionEnabled", "dataTieringEnabled", "kmsKeyId", "port", "subnetGroupName"] as const;

/** `<name>-final-<8 hex digits>`, the digits drawn again whenever the group is replaced. */
function finalSnapshotIdentifier({ spec, kit }: CacheContext, network: CacheNetwork, dataTieringEnabled: boolean | undefined): pulumi.Output<string> {
    const keepers: Record<(typeof REPLACING_INPUTS)[number], pulumi.Input<string>> = {
        atRestEncryptionEnabled: "true",
        dataTieringEnabled: String(dataTieringEnabled ?? false),
        kmsKeyId: spec.kmsKeyArn ?? "",
        port: String(REDIS_PORT),
        subnetGroupName: network.subnetGroup.name,
    };
    const suffix = new random.RandomId(childName(spec.name, "final-snapshot"), { byteLength: 4, keepers }, kit.childOpts);
    return suffix.hex.apply((hex) => finalSnapshotName(spec.name, hex));
}
