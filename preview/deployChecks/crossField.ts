/**
 * Rules across inputs (and across resources) that the provider or the API enforces at deploy time:
 * ElastiCache Multi-AZ and failover, auth tokens and TLS; RDS backup and maintenance windows;
 * static PostgreSQL parameters; Fargate CPU/memory pairs; an ECS service's target group attached by
 * a listener the service waits for.
 */
import { dailyOverlapsWeekly } from "../../components/common/windows";
import { RecordedResource } from "../runtime";
import { FACTS } from "./knownFacts";
import { postgresStaticParameters } from "./postgresParameters";
import { DeployFinding, finding, isUnknown, plain } from "./types";

/** A known input (secrets unwrapped), or undefined when absent or not known offline. */
function known(r: RecordedResource, name: string): unknown {
    const v = r.inputs[name];
    return v === undefined || isUnknown(v) ? undefined : plain(v);
}

const truthy = (v: unknown) => v === true || v === "true";

function elastiCache(r: RecordedResource): DeployFinding[] {
    const out: DeployFinding[] = [];
    const failover = truthy(known(r, "automaticFailoverEnabled"));
    if (truthy(known(r, "multiAzEnabled")) && !failover) {
        out.push(finding("cross-field", r, "automaticFailoverEnabled", r.inputs.automaticFailoverEnabled ?? null, "multiAzEnabled needs automaticFailoverEnabled: true", FACTS.crossField.multiAzNeedsFailover));
    }
    const nodes = known(r, "numCacheClusters");
    if (failover && nodes !== undefined && Number(nodes) < 2) {
        out.push(finding("cross-field", r, "numCacheClusters", nodes, "automaticFailoverEnabled needs numCacheClusters of at least 2", FACTS.crossField.failoverNeedsTwoNodes));
    }
    if (r.inputs.authToken !== undefined && !truthy(known(r, "transitEncryptionEnabled"))) {
        out.push(finding("cross-field", r, "transitEncryptionEnabled", r.inputs.transitEncryptionEnabled ?? null, "an authToken needs transitEncryptionEnabled: true (the token is only accepted over TLS)", FACTS.crossField.authTokenNeedsTransitEncryption));
    }
    return out;
}

function rdsWindows(r: RecordedResource): DeployFinding[] {
    const backup = known(r, "backupWindow");
    const maintenance = known(r, "maintenanceWindow");
    if (typeof backup !== "string" || typeof maintenance !== "string") return [];
    return dailyOverlapsWeekly(backup, maintenance)
        ? [finding("cross-field", r, "backupWindow", backup, `the backup window overlaps the maintenance window "${maintenance}"`, FACTS.crossField.backupWindowOutsideMaintenance)]
        : [];
}

function staticParameters(r: RecordedResource): DeployFinding[] {
    const family = known(r, "family");
    if (typeof family !== "string" || !/^(aurora-)?postgres/.test(family)) return [];
    const statics = postgresStaticParameters();
    const parameters = plain(r.inputs.parameters);
    if (!Array.isArray(parameters)) return [];
    return parameters.flatMap((raw, i) => {
        const p = plain(raw) as Record<string, unknown>;
        const name = plain(p?.name);
        const method = plain(p?.applyMethod) ?? "immediate";
        return typeof name === "string" && statics.has(name) && method !== "pending-reboot"
            ? [finding("cross-field", r, `parameters[${i}].applyMethod`, method, `"${name}" is a static PostgreSQL parameter (it takes effect at a restart): RDS accepts it only with applyMethod "pending-reboot"`,
                `${FACTS.postgresStaticParameters.source}; ${FACTS.crossField.staticParameterPendingReboot}`)]
            : [];
    });
}

/** `256`, `"512"`, `"1 vCPU"`, `"2 GB"` as CPU units or MiB. */
function units(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value !== "string") return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$/i.exec(value);
    return m ? Number(m[1]) * (m[2] ? 1024 : 1) : undefined;
}

function fargate(r: RecordedResource): DeployFinding[] {
    const compat = plain(r.inputs.requiresCompatibilities);
    if (!Array.isArray(compat) || !compat.map(plain).includes("FARGATE")) return [];
    const cpuRaw = r.inputs.cpu;
    const memoryRaw = r.inputs.memory;
    if (isUnknown(cpuRaw) || isUnknown(memoryRaw)) return [];
    const cpu = units(plain(cpuRaw));
    const memory = units(plain(memoryRaw));
    if (cpu === undefined || memory === undefined) {
        return [finding("cross-field", r, cpu === undefined ? "cpu" : "memory", cpu === undefined ? cpuRaw ?? null : memoryRaw ?? null, "a Fargate task definition needs a task-level cpu and memory", FACTS.crossField.fargateNeedsTaskSize)];
    }
    const allowed = FACTS.fargate.pairs[String(cpu)];
    if (!allowed) {
        return [finding("cross-field", r, "cpu", plain(cpuRaw), `Fargate has no task size of ${cpu} CPU units; allowed: ${Object.keys(FACTS.fargate.pairs).join(", ")}`, FACTS.fargate.source)];
    }
    return allowed.includes(memory)
        ? []
        : [finding("cross-field", r, "memory", plain(memoryRaw), `Fargate with ${cpu} CPU units takes memory ${allowed.length > 6 ? `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}` : allowed.join(", ")} (MiB), not ${memory}`, FACTS.fargate.source)];
}

/** Every URN a resource waits for: its dependencies, through components (which wait for their children), transitively. */
function waitsFor(r: RecordedResource, byUrn: Map<string, RecordedResource>, children: Map<string, RecordedResource[]>): Set<string> {
    const seen = new Set<string>();
    const stack = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
    while (stack.length) {
        const urn = stack.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        const dep = byUrn.get(urn);
        if (!dep) continue;
        stack.push(...dep.dependencies, ...Object.values(dep.propertyDependencies).flat());
        if (!dep.custom) stack.push(...(children.get(urn) ?? []).map((c) => c.urn));
    }
    return seen;
}

function serviceListeners(services: RecordedResource[], all: RecordedResource[]): DeployFinding[] {
    if (services.length === 0) return [];
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    for (const r of all) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const forwarders = all.filter((r) => r.type === "aws:lb/listener:Listener" || r.type === "aws:lb/listenerRule:ListenerRule");
    return services.flatMap((svc) => {
        const groups = (svc.propertyDependencies.loadBalancers ?? []).map((u) => byUrn.get(u)).filter((g): g is RecordedResource => g?.type === "aws:lb/targetGroup:TargetGroup");
        if (groups.length === 0) return [];
        const waited = waitsFor(svc, byUrn, children);
        return groups.flatMap((tg) => {
            const attaching = forwarders.filter((l) => [...(l.propertyDependencies.defaultActions ?? []), ...(l.propertyDependencies.actions ?? [])].includes(tg.urn));
            if (attaching.length === 0) {
                return [finding("cross-field", svc, "loadBalancers", tg.urn, `no listener or listener rule forwards to target group "${tg.name}": ECS refuses a service whose target group has no associated load balancer`, FACTS.crossField.serviceTargetGroupNeedsListener)];
            }
            const missing = attaching.filter((l) => !waited.has(l.urn));
            return missing.length === attaching.length
                ? [finding("cross-field", svc, "dependsOn", attaching.map((l) => l.urn), `the service does not depend on the listener(s) forwarding to target group "${tg.name}" (${attaching.map((l) => l.name).join(", ")}): it can be created before the target group is attached, and ECS then refuses it; add dependsOn`, FACTS.crossField.serviceTargetGroupNeedsListener)]
                : [];
        });
    });
}

export const crossFieldRules = (resources: RecordedResource[], all: RecordedResource[]): DeployFinding[] => [
    ...resources.filter((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup").flatMap(elastiCache),
    ...resources.filter((r) => r.type === "aws:rds/instance:Instance").flatMap(rdsWindows),
    ...resources.filter((r) => r.type === "aws:rds/parameterGroup:ParameterGroup" || r.type === "aws:rds/clusterParameterGroup:ClusterParameterGroup").flatMap(staticParameters),
    ...resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition").flatMap(fargate),
    ...serviceListeners(resources.filter((r) => r.type === "aws:ecs/service:Service"), all),
];
