/**
 * Data stores: ElastiCache (node-hours by engine, Valkey and Redis OSS priced apart; the node count
 * from the replication group's shards and replicas) and RDS for PostgreSQL (instance-hours Single-
 * or Multi-AZ, replicas, gp3 storage, backup storage, RDS Proxy, the managed master secret).
 */
import type { PlanResource } from "../../plan";
import { CostContext, fmt, HOURS_PER_MONTH, num, Pricing, pricing } from "../model";
import { priceId } from "../priceBook";

const H = HOURS_PER_MONTH;

const ENGINES: Record<string, string> = { valkey: "Valkey", redis: "Redis OSS" };

/** Nodes of a replication group: numCacheClusters, or shards x (1 + replicas per shard). */
export function cacheNodes(group: PlanResource): { nodes: number; how: string } {
    const clusters = num(group.inputs.numCacheClusters);
    if (clusters !== undefined) {
        return { nodes: clusters, how: `${clusters} nodes (numCacheClusters)` };
    }
    const shards = num(group.inputs.numNodeGroups) ?? 1;
    const replicas = num(group.inputs.replicasPerNodeGroup) ?? 0;
    return { nodes: shards * (1 + replicas), how: `${shards} shards * (1 + ${replicas} replicas)` };
}

function cacheNodeLine(resource: PlanResource, nodes: number, how: string, ctx: CostContext, notPriced: string[]) {
    const engine = String(resource.inputs.engine ?? "redis");
    const nodeType = String(resource.inputs.nodeType ?? "");
    const label = ENGINES[engine];
    if (!label) {
        notPriced.push(`${engine} nodes: not in the snapshot`);
        return undefined;
    }
    return ctx.line({ label: `${nodeType} nodes (${label})`, kind: "fixed", priceId: priceId("ElastiCache", `${nodeType} node, ${label}`), quantity: nodes * H,
        formula: `${how} * ${H} h` }, notPriced);
}

export function replicationGroup(group: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const { nodes, how } = cacheNodes(group);
    const lines = [cacheNodeLine(group, nodes, how, ctx, notPriced)];
    if ((num(group.inputs.snapshotRetentionLimit) ?? 0) > 1) {
        notPriced.push("snapshot storage beyond the one free snapshot: not in the snapshot");
    }
    return pricing(lines, notPriced);
}

export function cacheCluster(cluster: PlanResource, ctx: CostContext): Pricing {
    if (cluster.inputs.replicationGroupId !== undefined) {
        return { lines: [], free: { note: "a member of a replication group, whose nodes are priced on the group", included: true } };
    }
    const notPriced: string[] = [];
    const nodes = num(cluster.inputs.numCacheNodes) ?? 1;
    return pricing([cacheNodeLine(cluster, nodes, `${nodes} nodes`, ctx, notPriced)], notPriced);
}

/** The primary an RDS read replica copies (its engine and storage apply to the replica). */
function sourceInstance(instance: PlanResource, ctx: CostContext): PlanResource | undefined {
    return instance.inputs.replicateSourceDb === undefined ? undefined : ctx.referenced(instance, "replicateSourceDb").find((r) => r.type === "aws:rds/instance:Instance");
}

export function rdsInstance(instance: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const source = sourceInstance(instance, ctx);
    const origin = source ?? instance;
    const engine = String(origin.inputs.engine ?? "");
    if (engine !== "postgres") {
        return { lines: [], notPriced: [`${engine || "unknown"} engine: the snapshot holds RDS for PostgreSQL prices only`] };
    }
    const multiAz = instance.inputs.multiAz === true;
    const az = multiAz ? "Multi-AZ" : "Single-AZ";
    const instanceClass = String(instance.inputs.instanceClass ?? "");
    const storageType = String(instance.inputs.storageType ?? origin.inputs.storageType ?? "gp2");
    const storageGb = num(instance.inputs.allocatedStorage) ?? num(origin.inputs.allocatedStorage) ?? 0;
    const role = source ? `read replica of ${source.name}` : "primary";
    const lines = [
        ctx.line({ label: `${instanceClass} ${az} (${role})`, kind: "fixed", priceId: priceId("RDS for PostgreSQL", `${instanceClass} ${az}`), quantity: H, formula: `${H} h` }, notPriced),
    ];
    if (storageType === "gp3") {
        lines.push(ctx.line({ label: `gp3 storage ${az}`, kind: "fixed", priceId: priceId("RDS for PostgreSQL", `gp3 storage ${az}`), quantity: storageGb,
            formula: `${fmt(storageGb)} GB allocated${num(origin.inputs.maxAllocatedStorage) ? ` (autoscaling up to ${num(origin.inputs.maxAllocatedStorage)} GB)` : ""}` }, notPriced));
        if (instance.inputs.iops !== undefined || instance.inputs.storageThroughput !== undefined) {
            notPriced.push("provisioned gp3 IOPS/throughput: the gp3 baseline they add to is not in the snapshot");
        }
    } else {
        notPriced.push(`${storageType} storage: not in the snapshot`);
    }
    if (!source) {
        const backup = ctx.usage(instance, "rdsBackupGbBeyondFree");
        lines.push(ctx.line({ label: "backup storage beyond the free allocation", kind: "usage", priceId: priceId("RDS for PostgreSQL", "backup storage beyond free allocation"),
            quantity: backup, assumption: "rdsBackupGbBeyondFree", formula: `${fmt(backup)} GB` }, notPriced));
    }
    if (instance.inputs.manageMasterUserPassword === true) {
        lines.push(ctx.line({ label: "master user secret (Secrets Manager, managed by RDS)", kind: "fixed", priceId: priceId("Secrets Manager", "secret"), quantity: 1,
            formula: "1 secret-month" }, notPriced));
    }
    if (instance.inputs.performanceInsightsEnabled === true) {
        const retention = num(instance.inputs.performanceInsightsRetentionPeriod) ?? 7;
        if (retention !== 7 || !ctx.prices.noCharge("rds:performance-insights-7-day-retention")) {
            notPriced.push(`Performance Insights with ${retention}-day retention: the snapshot's paid-tier rows are not identified`);
        }
    }
    if ((num(instance.inputs.monitoringInterval) ?? 0) > 0) {
        notPriced.push("Enhanced Monitoring: billed as CloudWatch Logs ingestion (RDSOSMetrics), volume unknown");
    }
    return pricing(lines, notPriced);
}

export function rdsProxy(proxy: PlanResource, ctx: CostContext): Pricing {
    const targets = [...ctx.referenced(proxy), ...ctx.referencing(proxy).filter((r) => r.type === "aws:rds/proxyTarget:ProxyTarget").flatMap((t) => ctx.referenced(t))]
        .filter((r) => r.type === "aws:rds/instance:Instance");
    const instances = [...new Map(targets.map((t) => [t.urn, t])).values()];
    if (instances.length === 0) {
        return { lines: [], notPriced: ["RDS Proxy: its target instances are not in the plan"] };
    }
    const notPriced: string[] = [];
    const lines = instances.map((instance) => {
        const instanceClass = String(instance.inputs.instanceClass ?? "");
        const az = instance.inputs.multiAz === true ? "Multi-AZ" : "Single-AZ";
        const vcpu = num(ctx.prices.get(priceId("RDS for PostgreSQL", `${instanceClass} ${az}`))?.attributes?.vcpu);
        if (vcpu === undefined) {
            notPriced.push(`RDS Proxy for ${instance.name}: billed per vCPU of ${instanceClass}, and the snapshot records no vCPU count for it (npm run prices:update records it)`);
            return undefined;
        }
        return ctx.line({ label: `proxy for ${instance.name} (${instanceClass}, ${vcpu} vCPU)`, kind: "fixed", priceId: priceId("RDS for PostgreSQL", "RDS Proxy (provisioned instances)"),
            quantity: vcpu * H, formula: `${vcpu} vCPU * ${H} h` }, notPriced);
    });
    return pricing(lines, notPriced);
}
