import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";

/** The in-memory engine. Both speak the Redis protocol; clients do not change. */
export enum CacheEngine {
    /** Valkey: the open-source continuation of Redis OSS, the engine AWS develops and prices lower. */
    Valkey = "valkey",
    /** Redis OSS, up to 7.1 (the last open-source Redis on ElastiCache). */
    RedisOss = "redis",
}

/** How the key space is laid out. */
export enum ClusterMode {
    /** One shard: a primary and up to 5 read replicas; any Redis client works. */
    Disabled = "Disabled",
    /** Up to 500 shards, each a primary with up to 5 replicas; needs a cluster-aware client. */
    Enabled = "Enabled",
}

/** Which subnet tier of the network the nodes live in. */
export enum CacheSubnetTier {
    /** Subnets with no route to the internet (a `Network`'s isolated tier): the natural home of a cache. */
    Isolated = "Isolated",
    /** Subnets with egress through NAT. */
    Private = "Private",
}

/** Where the cache runs: a `Network` satisfies this, or pass ids of an existing VPC. */
export interface CacheNetworkArgs {
    /** The VPC id. */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets with no route to the internet; used when `subnetTier` is `Isolated`.
     * @default none
     */
    isolatedSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Subnets with egress through NAT; used when `subnetTier` is `Private`.
     * @default none
     */
    privateSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Alarm thresholds; each alarm takes the worst node of a shard. */
export interface CacheAlarmArgs {
    /**
     * Engine (Redis main thread) CPU percentage that raises an alarm.
     * @default 80
     */
    engineCpuPercent?: number;
    /**
     * Used memory as a percentage of `maxmemory` that raises an alarm.
     * @default 80
     */
    memoryPercent?: number;
    /**
     * Keys evicted per minute, per shard, that raise an alarm (some eviction is normal for a cache).
     * @default 1000
     */
    evictionsPerMinute?: number;
    /**
     * Seconds a replica may lag its primary before an alarm (only with replicas).
     * @default 30
     */
    replicationLagSeconds?: number;
    /**
     * Client connections on one node that raise an alarm.
     * @default 5000
     */
    connections?: number;
}

export interface RedisCacheArgs extends CommonArgs {
    /** The VPC and subnets; pass a `Network`. */
    network: CacheNetworkArgs;
    /**
     * Security groups admitted on port 6379, for example a LoadBalancedService's `securityGroupId`.
     * Nothing else may connect: the cache's security group has no CIDR rules and no egress.
     */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /**
     * The subnet tier the nodes live in.
     * @default CacheSubnetTier.Isolated
     */
    subnetTier?: CacheSubnetTier;
    /**
     * The engine.
     * @default CacheEngine.Valkey
     */
    engine?: CacheEngine;
    /**
     * Engine version: Valkey 7.2, 8.0, 8.1, 8.2; Redis OSS 7.0, 7.1.
     * @default "8.2" for Valkey, "7.1" for Redis OSS
     */
    engineVersion?: string;
    /**
     * Node instance type, of the `cache.` family (`cache.r6gd.*` turns data tiering on).
     * @default "cache.r7g.large"
     */
    nodeType?: string;
    /**
     * Cluster mode: sharded (`Enabled`) or a single shard (`Disabled`).
     * @default ClusterMode.Disabled
     */
    clusterMode?: ClusterMode;
    /**
     * Shards (node groups), 1-500; more than 1 needs `clusterMode: Enabled`.
     * @default 1
     */
    shards?: number;
    /**
     * Read replicas per shard, 0-5. With 1 or more the group is Multi-AZ with automatic failover.
     * @default 1
     */
    replicasPerShard?: number;
    /**
     * Promote a replica when a primary fails (and spread nodes across zones). Needs a replica;
     * turning it off with replicas is allowed only with cluster mode disabled.
     * @default true when `replicasPerShard` >= 1
     */
    automaticFailover?: boolean;
    /**
     * Customer-managed KMS key ARN for encryption at rest (always on).
     * @default the AWS-managed ElastiCache key
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * KMS key ARN encrypting the Secrets Manager secret holding the auth token.
     * @default the AWS-managed `aws/secretsmanager` key
     */
    secretKmsKeyArn?: pulumi.Input<string>;
    /**
     * Engine parameters merged over the defaults (`maxmemory-policy: allkeys-lru` and
     * `cluster-enabled` matching `clusterMode`, which cannot be overridden to disagree).
     * @default {}
     */
    parameters?: Record<string, string>;
    /**
     * Days automatic snapshots are kept, 0-35 (0 turns snapshots off).
     * @default 7
     */
    snapshotRetentionDays?: number;
    /**
     * Daily UTC window for automatic snapshots, `hh:mm-hh:mm`, at least 60 minutes.
     * @default "03:00-04:00"
     */
    snapshotWindow?: string;
    /**
     * Weekly UTC maintenance window, `ddd:hh:mm-ddd:hh:mm`, at least 60 minutes.
     * @default "sun:05:00-sun:06:00"
     */
    maintenanceWindow?: string;
    /**
     * Take a final snapshot when the group is deleted, named `<name>-final-<random hex>`: the suffix
     * changes whenever the group is replaced, so a second replace or destroy never collides with the
     * first one's snapshot.
     * @default true
     */
    finalSnapshot?: boolean;
    /**
     * Apply modifications at once instead of in the maintenance window.
     * @default false
     */
    applyImmediately?: boolean;
    /**
     * Days the slow-log and engine-log groups keep events (a CloudWatch Logs retention).
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * KMS key ARN encrypting the log groups.
     * @default CloudWatch Logs' own encryption
     */
    logKmsKeyArn?: pulumi.Input<string>;
    /**
     * SNS topic alarms notify.
     * @default a topic created for the cache, encrypted with a customer-managed KMS key it creates
     * (CloudWatch cannot publish to a topic under the AWS-managed SNS key)
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Alarm thresholds.
     * @default { engineCpuPercent: 80, memoryPercent: 80, evictionsPerMinute: 1000, replicationLagSeconds: 30, connections: 5000 }
     */
    alarms?: CacheAlarmArgs;
}
