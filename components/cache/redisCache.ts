import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AlarmSpec, alarmTopic, createAlarms } from "../common/alarms";
import { CommonArgs, ComponentContext, typeToken } from "../common/component";
import { admitSecurityGroup } from "../common/securityGroups";
import { dailyWindowMinutes, weeklyWindowMinutes } from "../common/windows";
import { checkLogRetention, isKnownString, Validator } from "../common/validation";

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
     * Take a final snapshot (`<name>-final`) when the group is deleted.
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
     * @default a topic created for the cache, encrypted with the AWS-managed SNS key
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Alarm thresholds.
     * @default { engineCpuPercent: 80, memoryPercent: 80, evictionsPerMinute: 1000, replicationLagSeconds: 30, connections: 5000 }
     */
    alarms?: CacheAlarmArgs;
}

const COMPONENT = "RedisCache";
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
/**
 * The generated auth token: ElastiCache accepts 16-128 printable characters with only
 * `! & # $ ^ < > -` as specials. It is 64 letters and digits (about 380 bits, at least one upper,
 * lower and digit): no character ever needs escaping in a URL, a shell or a config file.
 */
export const AUTH_TOKEN = { length: 64, special: false, minUpper: 1, minLower: 1, minNumeric: 1 } as const;
/** Largest total node count of one replication group. */
const MAX_NODES = 500;
const NODE_TYPE = /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const RESOURCE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** The replication group id is autonamed `<name>-rg-<7 random>`: at most 40 characters. */
const MAX_NAME_LENGTH = 40 - "-rg-".length - 7;

/** Minutes since midnight of `hh:mm`, or undefined when malformed. */
/**
 * The node (member cluster) ids ElastiCache gives a replication group, per shard:
 * `<group>-001`... with cluster mode disabled, `<group>-0001-001`... with it enabled.
 */
export function memberClusterIds(groupId: string, clusterMode: ClusterMode, shards: number, replicasPerShard: number): string[][] {
    const nodes = [...Array(replicasPerShard + 1).keys()].map((n) => String(n + 1).padStart(3, "0"));
    if (clusterMode === ClusterMode.Disabled) {
        return [nodes.map((n) => `${groupId}-${n}`)];
    }
    return [...Array(shards).keys()].map((s) => nodes.map((n) => `${groupId}-${String(s + 1).padStart(4, "0")}-${n}`));
}

/** The engine parameters: the cache defaults, then the caller's overrides. */
export function cacheParameters(clusterMode: ClusterMode, overrides: Record<string, string> = {}): Record<string, string> {
    return {
        "maxmemory-policy": "allkeys-lru",
        ...overrides,
        "cluster-enabled": clusterMode === ClusterMode.Enabled ? "yes" : "no",
    };
}

/**
 * The guide's caching layer: an ElastiCache replication group (Valkey or Redis OSS) that is
 * production-ready by default. Encrypted at rest and in transit, a generated auth token kept in
 * Secrets Manager and only ever handled as a Pulumi secret, reachable on 6379 only from the named
 * security groups, Multi-AZ with automatic failover whenever there is a replica, an LRU-evicting
 * parameter group, snapshots, slow and engine logs, and alarms.
 */
export class RedisCache extends pulumi.ComponentResource {
    /**
     * Where clients connect: the configuration endpoint in cluster mode, else the primary endpoint.
     */
    public readonly endpoint: pulumi.Output<string>;
    /** The configuration endpoint (cluster mode only; undefined otherwise). */
    public readonly configurationEndpoint: pulumi.Output<string | undefined>;
    /** The primary (read/write) endpoint (cluster mode disabled only; undefined otherwise). */
    public readonly primaryEndpoint: pulumi.Output<string | undefined>;
    /** The reader endpoint, spreading reads over the replicas (cluster mode disabled only). */
    public readonly readerEndpoint: pulumi.Output<string | undefined>;
    /** The port clients connect to. */
    public readonly port: pulumi.Output<number>;
    /**
     * ARN of the Secrets Manager secret: a JSON object with `authToken`, `host`, `port` and `url`.
     * Give it to a service as `${authSecretArn}:url::` to get the connection URL.
     */
    public readonly authSecretArn: pulumi.Output<string>;
    /** The auth token (a Pulumi secret). */
    public readonly authToken: pulumi.Output<string>;
    /** `rediss://:<token>@<endpoint>:6379` (a Pulumi secret). */
    public readonly connectionUrl: pulumi.Output<string>;
    /** The ElastiCache replication group id. */
    public readonly replicationGroupId: pulumi.Output<string>;
    /** The ElastiCache replication group ARN. */
    public readonly replicationGroupArn: pulumi.Output<string>;
    /** The cache's security group (admits the allowed security groups on 6379 only). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The cache's parameter group. */
    public readonly parameterGroupName: pulumi.Output<string>;
    /** The cache's own subnet group. */
    public readonly subnetGroupName: pulumi.Output<string>;
    /** The CloudWatch log group of the slow log. */
    public readonly slowLogGroupName: pulumi.Output<string>;
    /** The CloudWatch log group of the engine log. */
    public readonly engineLogGroupName: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn: pulumi.Output<string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const engine = args.engine ?? CacheEngine.Valkey;
        const engineVersion = args.engineVersion ?? DEFAULT_ENGINE_VERSION[engine] ?? "";
        const nodeType = args.nodeType ?? "cache.r7g.large";
        const clusterMode = args.clusterMode ?? ClusterMode.Disabled;
        const shards = args.shards ?? 1;
        const replicas = args.replicasPerShard ?? 1;
        const failover = args.automaticFailover ?? replicas >= 1;
        const subnetTier = args.subnetTier ?? CacheSubnetTier.Isolated;
        const snapshotRetentionDays = args.snapshotRetentionDays ?? 7;
        const snapshotWindow = args.snapshotWindow ?? "03:00-04:00";
        const maintenanceWindow = args.maintenanceWindow ?? "sun:05:00-sun:06:00";
        const logRetentionDays = args.logRetentionDays ?? 30;
        const overrides = args.parameters ?? {};
        const thresholds = {
            engineCpuPercent: args.alarms?.engineCpuPercent ?? 80,
            memoryPercent: args.alarms?.memoryPercent ?? 80,
            evictionsPerMinute: args.alarms?.evictionsPerMinute ?? 1000,
            replicationLagSeconds: args.alarms?.replicationLagSeconds ?? 30,
            connections: args.alarms?.connections ?? 5000,
        };
        const subnetIds = subnetTier === CacheSubnetTier.Private ? args.network?.privateSubnetIds : args.network?.isolatedSubnetIds;

        const v = new Validator(COMPONENT, name);
        v.check(RESOURCE_NAME.test(name) && name.length <= MAX_NAME_LENGTH, "name", name,
            `lower-case letters, digits and single hyphens, starting with a letter, at most ${MAX_NAME_LENGTH} characters (the replication group id is derived from it)`);
        v.oneOf("engine", engine, Object.values(CacheEngine));
        const versions = ENGINE_VERSIONS[engine] ?? {};
        v.check(Object.prototype.hasOwnProperty.call(versions, engineVersion), "engineVersion", engineVersion, `for ${engine}: ${Object.keys(versions).map((x) => `"${x}"`).join(", ")}`);
        v.check(NODE_TYPE.test(nodeType), "nodeType", nodeType, "an ElastiCache node type of the cache. family, such as \"cache.r7g.large\" or \"cache.t4g.micro\"");
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
        for (const [key, value] of Object.entries(overrides)) {
            v.check(/^[a-z0-9-]+$/.test(key), `parameters.${key}`, key, "an engine parameter name such as \"maxmemory-policy\"");
            v.check(typeof value === "string", `parameters.${key}`, value, "a string value");
        }
        if ("cluster-enabled" in overrides) {
            const expected = clusterMode === ClusterMode.Enabled ? "yes" : "no";
            v.check(overrides["cluster-enabled"] === expected, "parameters.cluster-enabled", overrides["cluster-enabled"],
                `"${expected}", matching clusterMode ${clusterMode} (set clusterMode instead)`);
        }
        if ("maxmemory-policy" in overrides) {
            v.oneOf("parameters.maxmemory-policy", overrides["maxmemory-policy"], MAXMEMORY_POLICIES);
        }
        v.intRange("snapshotRetentionDays", snapshotRetentionDays, 0, 35);
        const snapshotMinutes = dailyWindowMinutes(snapshotWindow);
        v.check(snapshotMinutes !== undefined && snapshotMinutes >= 60, "snapshotWindow", snapshotWindow, "a daily UTC window \"hh:mm-hh:mm\" of at least 60 minutes, such as \"03:00-04:00\"");
        const maintenanceMinutes = weeklyWindowMinutes(maintenanceWindow);
        v.check(maintenanceMinutes !== undefined && maintenanceMinutes >= 60, "maintenanceWindow", maintenanceWindow,
            "a weekly UTC window \"ddd:hh:mm-ddd:hh:mm\" of at least 60 minutes, such as \"sun:05:00-sun:06:00\"");
        checkLogRetention(v, "logRetentionDays", logRetentionDays);
        v.percent("alarms.engineCpuPercent", thresholds.engineCpuPercent);
        v.percent("alarms.memoryPercent", thresholds.memoryPercent);
        v.intRange("alarms.evictionsPerMinute", thresholds.evictionsPerMinute, 0, 100_000_000);
        v.check(thresholds.replicationLagSeconds > 0, "alarms.replicationLagSeconds", thresholds.replicationLagSeconds, "seconds above 0");
        v.intRange("alarms.connections", thresholds.connections, 1, 65000);
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const tags = kit.tags;
        const clustered = clusterMode === ClusterMode.Enabled;
        const multiAz = failover && replicas >= 1;

        // --- Network: a subnet group in the chosen tier, and a security group with no CIDR rules.
        const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, {
            description: `Subnets of the ${name} cache (${subnetTier.toLowerCase()} tier)`,
            subnetIds: subnetIds!,
            tags,
        }, kit.childOpts);
        const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.network.vpcId,
            description: `Cache ${name}: port ${REDIS_PORT} from the allowed security groups only, no egress`,
            tags: { ...tags, Name: `${name}-sg` },
        }, kit.childOpts);
        args.allowedSecurityGroupIds.forEach((source, i) => admitSecurityGroup(`${name}-client-${i}`, {
            securityGroupId: sg.id,
            from: source,
            port: REDIS_PORT,
            description: `${engine === CacheEngine.Valkey ? "Valkey" : "Redis"} (TLS) from an allowed client security group`,
        }, tags, kit.childOpts));

        // --- Engine parameters: evict least-recently-used keys (a cache holds copies), mode-matched.
        const parameterGroup = new aws.elasticache.ParameterGroup(`${name}-params`, {
            family: versions[engineVersion],
            description: `Parameters of the ${name} cache`,
            parameters: Object.entries(cacheParameters(clusterMode, overrides))
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([parameter, value]) => ({ name: parameter, value })),
            tags,
        }, kit.childOpts);

        // --- Auth token: generated, kept in Secrets Manager, secret everywhere it flows.
        const password = new random.RandomPassword(`${name}-auth-token`, { ...AUTH_TOKEN }, kit.childOpts);
        const token = pulumi.secret(password.result);

        // --- Logs.
        const logGroup = (kind: string) => new aws.cloudwatch.LogGroup(`${name}-${kind}`, {
            name: `/scaling-toolkit/${name}/${kind}`,
            retentionInDays: logRetentionDays,
            kmsKeyId: args.logKmsKeyArn,
            tags,
        }, kit.childOpts);
        const slowLog = logGroup("slow-log");
        const engineLog = logGroup("engine-log");

        const group = new aws.elasticache.ReplicationGroup(`${name}-rg`, {
            description: `Cache ${name} (${engine} ${engineVersion}, ${clustered ? `${shards} shards` : "1 shard"} x ${replicas} replicas)`,
            engine,
            engineVersion,
            nodeType,
            port: REDIS_PORT,
            clusterMode: clustered ? "enabled" : "disabled",
            ...(clustered
                ? { numNodeGroups: shards, replicasPerNodeGroup: replicas }
                : { numCacheClusters: 1 + replicas }),
            // ElastiCache requires the flag for cluster mode even without replicas; nothing fails over then.
            automaticFailoverEnabled: failover || clustered,
            multiAzEnabled: multiAz,
            dataTieringEnabled: nodeType.startsWith("cache.r6gd.") ? true : undefined,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [sg.id],
            parameterGroupName: parameterGroup.name,
            atRestEncryptionEnabled: true,
            kmsKeyId: args.kmsKeyArn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: token,
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: snapshotRetentionDays,
            snapshotWindow,
            maintenanceWindow,
            finalSnapshotIdentifier: (args.finalSnapshot ?? true) ? `${name}-final` : undefined,
            applyImmediately: args.applyImmediately ?? false,
            logDeliveryConfigurations: [
                { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
                { destination: engineLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
            ],
            tags,
        }, kit.childOpts);

        const endpoint = clustered ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        const port = group.port.apply((p) => p ?? REDIS_PORT);
        const url = pulumi.secret(pulumi.all([token, endpoint, port]).apply(([t, host, p]) => `rediss://:${encodeURIComponent(t)}@${host}:${p}`));

        const secret = new aws.secretsmanager.Secret(`${name}-auth`, {
            description: `Auth token and connection URL of the ${name} cache`,
            kmsKeyId: args.secretKmsKeyArn,
            tags,
        }, kit.childOpts);
        new aws.secretsmanager.SecretVersion(`${name}-auth`, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.all([token, endpoint, port, url]).apply(([t, host, p, u]) =>
                JSON.stringify({ authToken: t, host, port: p, url: u }))),
        }, kit.childOpts);

        // --- Alarms: per shard, on the worst of its nodes (nodes are CloudWatch's only dimension).
        const topicArn = alarmTopic(name, args.alarmTopicArn, tags, kit.childOpts);
        const nodeIds = group.id.apply((groupId) => memberClusterIds(groupId, clusterMode, shards, replicas));
        const nodes = [...Array(replicas + 1).keys()];
        const specs: AlarmSpec[] = [...Array(clustered ? shards : 1).keys()].flatMap((s) => {
            const shard = clustered ? `-shard-${s + 1}` : "";
            const where = clustered ? `${name} shard ${s + 1}` : name;
            const worst = (id: string, description: string, metricName: string, stat: string, threshold: number): AlarmSpec => ({
                id: `${id}${shard}`,
                description,
                comparisonOperator: "GreaterThanThreshold",
                threshold,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                metricQueries: [
                    ...nodes.map((n) => ({
                        id: `n${n}`,
                        metric: {
                            namespace: "AWS/ElastiCache",
                            metricName,
                            period: 60,
                            stat,
                            dimensions: { CacheClusterId: nodeIds.apply((ids) => ids[s][n]) },
                        },
                        returnData: false,
                    })),
                    { id: "worst", expression: `MAX([${nodes.map((n) => `FILL(n${n}, 0)`).join(", ")}])`, label: `${metricName} (max over nodes)`, returnData: true },
                ],
            });
            return [
                worst("engine-cpu", `${where}: engine CPU above ${thresholds.engineCpuPercent}% on a node`, "EngineCPUUtilization", "Maximum", thresholds.engineCpuPercent),
                worst("memory", `${where}: memory above ${thresholds.memoryPercent}% of maxmemory on a node`, "DatabaseMemoryUsagePercentage", "Maximum", thresholds.memoryPercent),
                worst("evictions", `${where}: more than ${thresholds.evictionsPerMinute} keys evicted per minute on a node`, "Evictions", "Sum", thresholds.evictionsPerMinute),
                worst("connections", `${where}: more than ${thresholds.connections} client connections on a node`, "CurrConnections", "Maximum", thresholds.connections),
                ...(replicas >= 1
                    ? [worst("replication-lag", `${where}: a replica lags its primary by more than ${thresholds.replicationLagSeconds}s`, "ReplicationLag", "Maximum", thresholds.replicationLagSeconds)]
                    : []),
            ];
        });
        createAlarms(name, topicArn, specs, tags, kit.childOpts);

        this.endpoint = endpoint;
        this.configurationEndpoint = clustered ? group.configurationEndpointAddress : pulumi.output(undefined);
        this.primaryEndpoint = clustered ? pulumi.output(undefined) : group.primaryEndpointAddress;
        this.readerEndpoint = clustered ? pulumi.output(undefined) : group.readerEndpointAddress;
        this.port = port;
        this.authSecretArn = secret.arn;
        this.authToken = token;
        this.connectionUrl = url;
        this.replicationGroupId = group.id;
        this.replicationGroupArn = group.arn;
        this.securityGroupId = sg.id;
        this.parameterGroupName = parameterGroup.name;
        this.subnetGroupName = subnetGroup.name;
        this.slowLogGroupName = slowLog.name;
        this.engineLogGroupName = engineLog.name;
        this.alarmTopicArn = topicArn;
        this.registerOutputs({
            endpoint: this.endpoint,
            configurationEndpoint: this.configurationEndpoint,
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            authSecretArn: this.authSecretArn,
            connectionUrl: this.connectionUrl,
            replicationGroupId: this.replicationGroupId,
            securityGroupId: this.securityGroupId,
            alarmTopicArn: this.alarmTopicArn,
        });
    }
}
