/**
 * A RedisCache's arguments resolved and validated into one spec: every default applied, every
 * problem reported at once before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { dailyWindowMinutes, weeklyWindowMinutes } from "../common/windows";
import { checkLogRetention, isKnownString, Validator } from "../common/validation";
import { CacheEngine, CacheSubnetTier, ClusterMode, RedisCacheArgs } from "./args";

export const COMPONENT = "RedisCache";
/** The port every node listens on. */
export const REDIS_PORT = 6379;
/** Engine versions offered, with their parameter group family. */
export const ENGINE_VERSIONS: Record<CacheEngine, Record<string, string>> = {
    [CacheEngine.Valkey]: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8" },
    [CacheEngine.RedisOss]: { "7.0": "redis7", "7.1": "redis7" },
};
export const DEFAULT_ENGINE_VERSION: Record<CacheEngine, string> = { [CacheEngine.Valkey]: "8.2", [CacheEngine.RedisOss]: "7.1" };
/** Eviction policies the engines accept for `maxmemory-policy`. */
export const MAXMEMORY_POLICIES = [
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction",
] as const;
/** Largest total node count of one replication group. */
const MAX_NODES = 500;
const NODE_TYPE = /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const RESOURCE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** The replication group id is autonamed `<name>-rg-<7 random>`: at most 40 characters. */
const MAX_NAME_LENGTH = 40 - "-rg-".length - 7;

/** Alarm thresholds, defaults applied. */
export type CacheThresholds = Required<NonNullable<RedisCacheArgs["alarms"]>>;

/** Everything the cache's parts need, defaults applied. */
export interface CacheSpec {
    /** The component's name: every child's name derives from it. */
    name: string;
    engine: CacheEngine;
    engineVersion: string;
    /** The parameter group family of the engine version (`valkey8`). */
    parameterFamily: string;
    nodeType: string;
    clusterMode: ClusterMode;
    clustered: boolean;
    shards: number;
    replicas: number;
    /** Promote a replica when a primary fails. */
    failover: boolean;
    /** Multi-AZ: failover with at least one replica. */
    multiAz: boolean;
    subnetTier: CacheSubnetTier;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    vpcId: pulumi.Input<string>;
    allowedSecurityGroupIds: pulumi.Input<string>[];
    parameters: Record<string, string>;
    kmsKeyArn?: pulumi.Input<string>;
    secretKmsKeyArn?: pulumi.Input<string>;
    snapshotRetentionDays: number;
    snapshotWindow: string;
    maintenanceWindow: string;
    finalSnapshot: boolean;
    applyImmediately: boolean;
    logRetentionDays: number;
    logKmsKeyArn?: pulumi.Input<string>;
    alarmTopicArn?: pulumi.Input<string>;
    thresholds: CacheThresholds;
}

/** Resolves the arguments into a spec, or throws one ValidationError listing every problem. */
export function resolveCacheSpec(name: string, args: RedisCacheArgs): CacheSpec {
    const engine = args.engine ?? CacheEngine.Valkey;
    const engineVersion = args.engineVersion ?? DEFAULT_ENGINE_VERSION[engine] ?? "";
    const clusterMode = args.clusterMode ?? ClusterMode.Disabled;
    const replicas = args.replicasPerShard ?? 1;
    const failover = args.automaticFailover ?? replicas >= 1;
    const subnetTier = args.subnetTier ?? CacheSubnetTier.Isolated;
    const spec: CacheSpec = {
        name,
        engine,
        engineVersion,
        parameterFamily: (ENGINE_VERSIONS[engine] ?? {})[engineVersion],
        nodeType: args.nodeType ?? "cache.r7g.large",
        clusterMode,
        clustered: clusterMode === ClusterMode.Enabled,
        shards: args.shards ?? 1,
        replicas,
        failover,
        multiAz: failover && replicas >= 1,
        subnetTier,
        subnetIds: (subnetTier === CacheSubnetTier.Private ? args.network?.privateSubnetIds : args.network?.isolatedSubnetIds)!,
        vpcId: args.network?.vpcId,
        allowedSecurityGroupIds: args.allowedSecurityGroupIds,
        parameters: args.parameters ?? {},
        kmsKeyArn: args.kmsKeyArn,
        secretKmsKeyArn: args.secretKmsKeyArn,
        snapshotRetentionDays: args.snapshotRetentionDays ?? 7,
        snapshotWindow: args.snapshotWindow ?? "03:00-04:00",
        maintenanceWindow: args.maintenanceWindow ?? "sun:05:00-sun:06:00",
        finalSnapshot: args.finalSnapshot ?? true,
        applyImmediately: args.applyImmediately ?? false,
        logRetentionDays: args.logRetentionDays ?? 30,
        logKmsKeyArn: args.logKmsKeyArn,
        alarmTopicArn: args.alarmTopicArn,
        thresholds: {
            engineCpuPercent: args.alarms?.engineCpuPercent ?? 80,
            memoryPercent: args.alarms?.memoryPercent ?? 80,
            evictionsPerMinute: args.alarms?.evictionsPerMinute ?? 1000,
            replicationLagSeconds: args.alarms?.replicationLagSeconds ?? 30,
            connections: args.alarms?.connections ?? 5000,
        },
    };
    const v = new Validator(COMPONENT, name);
    validateShape(v, spec);
    validateNetwork(v, args, spec);
    validateParameters(v, spec);
    validateOperations(v, spec);
    v.throwIfAny();
    return spec;
}

function validateShape(v: Validator, spec: CacheSpec): void {
    const { name, engine, engineVersion, clusterMode, shards, replicas, failover } = spec;
    v.check(RESOURCE_NAME.test(name) && name.length <= MAX_NAME_LENGTH, "name", name,
        `lower-case letters, digits and single hyphens, starting with a letter, at most ${MAX_NAME_LENGTH} characters (the replication group id is derived from it)`);
    v.oneOf("engine", engine, Object.values(CacheEngine));
    const versions = ENGINE_VERSIONS[engine] ?? {};
    v.check(Object.prototype.hasOwnProperty.call(versions, engineVersion), "engineVersion", engineVersion, `for ${engine}: ${Object.keys(versions).map((x) => `"${x}"`).join(", ")}`);
    v.check(NODE_TYPE.test(spec.nodeType), "nodeType", spec.nodeType, "an ElastiCache node type of the cache. family, such as \"cache.r7g.large\" or \"cache.t4g.micro\"");
    v.oneOf("clusterMode", clusterMode, Object.values(ClusterMode));
    v.intRange("shards", shards, 1, 500);
    v.intRange("replicasPerShard", replicas, 0, 5);
    v.check(shards <= 1 || clusterMode === ClusterMode.Enabled, "shards", shards,
        "1 with cluster mode disabled; more shards need clusterMode: ClusterMode.Enabled");
    v.check(shards * (replicas + 1) <= MAX_NODES, "shards", shards, `a shape of at most ${MAX_NODES} nodes; shards x (1 + replicasPerShard) is ${shards * (replicas + 1)}`);
    v.check(!failover || replicas >= 1, "automaticFailover", failover,
        "false when replicasPerShard is 0 (failover promotes a replica; add one to get Multi-AZ)");
    v.check(failover || replicas === 0 || clusterMode === ClusterMode.Disabled, "automaticFailover", failover,
        "true with cluster mode enabled and replicas (ElastiCache requires it)");
}

function validateNetwork(v: Validator, args: RedisCacheArgs, spec: CacheSpec): void {
    const { subnetTier, subnetIds, failover } = spec;
    v.oneOf("subnetTier", subnetTier, Object.values(CacheSubnetTier));
    const subnetArgument = subnetTier === CacheSubnetTier.Private ? "network.privateSubnetIds" : "network.isolatedSubnetIds";
    v.check(subnetIds !== undefined, subnetArgument, undefined,
        `the subnets of the ${String(subnetTier).toLowerCase()} tier (pass a Network, or choose another subnetTier)`);
    if (Array.isArray(subnetIds)) {
        v.check(subnetIds.length >= (failover ? 2 : 1), subnetArgument, `${subnetIds.length} subnet(s)`,
            failover ? "at least 2 subnets, in different zones, for Multi-AZ" : "at least 1 subnet");
    }
    v.check(args.allowedSecurityGroupIds !== undefined && args.allowedSecurityGroupIds.length > 0, "allowedSecurityGroupIds", args.allowedSecurityGroupIds,
        "at least one security group id (a cache nobody can reach serves nobody; CIDR ingress is not offered)");
    for (const [i, id] of (args.allowedSecurityGroupIds ?? []).entries()) {
        v.check(!isKnownString(id) || /^sg-[0-9a-f]+$/.test(id), `allowedSecurityGroupIds[${i}]`, id, "a security group id such as \"sg-0123456789abcdef0\"");
    }
}

function validateParameters(v: Validator, spec: CacheSpec): void {
    const overrides = spec.parameters;
    for (const [key, value] of Object.entries(overrides)) {
        v.check(/^[a-z0-9-]+$/.test(key), `parameters.${key}`, key, "an engine parameter name such as \"maxmemory-policy\"");
        v.check(typeof value === "string", `parameters.${key}`, value, "a string value");
    }
    if ("cluster-enabled" in overrides) {
        const expected = spec.clustered ? "yes" : "no";
        v.check(overrides["cluster-enabled"] === expected, "parameters.cluster-enabled", overrides["cluster-enabled"],
            `"${expected}", matching clusterMode ${spec.clusterMode} (set clusterMode instead)`);
    }
    if ("maxmemory-policy" in overrides) {
        v.oneOf("parameters.maxmemory-policy", overrides["maxmemory-policy"], MAXMEMORY_POLICIES);
    }
}

function validateOperations(v: Validator, spec: CacheSpec): void {
    const { snapshotWindow, maintenanceWindow, thresholds } = spec;
    v.intRange("snapshotRetentionDays", spec.snapshotRetentionDays, 0, 35);
    const snapshotMinutes = dailyWindowMinutes(snapshotWindow);
    v.check(snapshotMinutes !== undefined && snapshotMinutes >= 60, "snapshotWindow", snapshotWindow, "a daily UTC window \"hh:mm-hh:mm\" of at least 60 minutes, such as \"03:00-04:00\"");
    const maintenanceMinutes = weeklyWindowMinutes(maintenanceWindow);
    v.check(maintenanceMinutes !== undefined && maintenanceMinutes >= 60, "maintenanceWindow", maintenanceWindow,
        "a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\" of at least 60 minutes, such as \"sun:05:00-sun:06:00\"");
    checkLogRetention(v, "logRetentionDays", spec.logRetentionDays);
    v.percent("alarms.engineCpuPercent", thresholds.engineCpuPercent);
    v.percent("alarms.memoryPercent", thresholds.memoryPercent);
    v.intRange("alarms.evictionsPerMinute", thresholds.evictionsPerMinute, 0, 100_000_000);
    v.check(thresholds.replicationLagSeconds > 0, "alarms.replicationLagSeconds", thresholds.replicationLagSeconds, "seconds above 0");
    v.intRange("alarms.connections", thresholds.connections, 1, 65000);
}
