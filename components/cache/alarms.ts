import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, alarmTopic, createAlarms } from "../common/alarms";
import { ClusterMode } from "./args";
import { CacheContext } from "./context";
import { CacheSpec } from "./spec";

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

/**
 * Alarms per shard, on the worst of its nodes (nodes are CloudWatch's only dimension), to the given
 * topic or one created with a key CloudWatch may use. Returns the topic's ARN.
 */
export function cacheAlarms(ctx: CacheContext, group: aws.elasticache.ReplicationGroup): pulumi.Output<string> {
    const { spec, kit } = ctx;
    const topicArn = alarmTopic(spec.name, spec.alarmTopicArn, kit.tags, kit.childOpts);
    const nodeIds = group.id.apply((groupId) => memberClusterIds(groupId, spec.clusterMode, spec.shards, spec.replicas));
    const shards = [...Array(spec.clustered ? spec.shards : 1).keys()];
    createAlarms(spec.name, topicArn, shards.flatMap((s) => shardAlarms(spec, nodeIds, s)), kit.tags, kit.childOpts);
    return topicArn;
}

/** The alarms of one shard: engine CPU, memory, evictions, connections, and replication lag with replicas. */
export function shardAlarms(spec: CacheSpec, nodeIds: pulumi.Output<string[][]>, shard: number): AlarmSpec[] {
    const t = spec.thresholds;
    const where = spec.clustered ? `${spec.name} shard ${shard + 1}` : spec.name;
    const worst = (id: string, description: string, metricName: string, stat: string, threshold: number) =>
        worstNodeAlarm(spec, nodeIds, shard, { id, description, metricName, stat, threshold });
    return [
        worst("engine-cpu", `${where}: engine CPU above ${t.engineCpuPercent}% on a node`, "EngineCPUUtilization", "Maximum", t.engineCpuPercent),
        worst("memory", `${where}: memory above ${t.memoryPercent}% of maxmemory on a node`, "DatabaseMemoryUsagePercentage", "Maximum", t.memoryPercent),
        worst("evictions", `${where}: more than ${t.evictionsPerMinute} keys evicted per minute on a node`, "Evictions", "Sum", t.evictionsPerMinute),
        worst("connections", `${where}: more than ${t.connections} client connections on a node`, "CurrConnections", "Maximum", t.connections),
        ...(spec.replicas >= 1
            ? [worst("replication-lag", `${where}: a replica lags its primary by more than ${t.replicationLagSeconds}s`, "ReplicationLag", "Maximum", t.replicationLagSeconds)]
            : []),
    ];
}

interface NodeMetric {
    id: string;
    description: string;
    metricName: string;
    stat: string;
    threshold: number;
}

/** One alarm on the maximum of a metric over the nodes of a shard (a missing node counts as 0). */
function worstNodeAlarm(spec: CacheSpec, nodeIds: pulumi.Output<string[][]>, shard: number, m: NodeMetric): AlarmSpec {
    const nodes = [...Array(spec.replicas + 1).keys()];
    return {
        id: `${m.id}${spec.clustered ? `-shard-${shard + 1}` : ""}`,
        description: m.description,
        comparisonOperator: "GreaterThanThreshold",
        threshold: m.threshold,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        metricQueries: [
            ...nodes.map((n) => ({
                id: `n${n}`,
                metric: {
                    namespace: "AWS/ElastiCache",
                    metricName: m.metricName,
                    period: 60,
                    stat: m.stat,
                    dimensions: { CacheClusterId: nodeIds.apply((ids) => ids[shard][n]) },
                },
                returnData: false,
            })),
            { id: "worst", expression: `MAX([${nodes.map((n) => `FILL(n${n}, 0)`).join(", ")}])`, label: `${m.metricName} (max over nodes)`, returnData: true },
        ],
    };
}
