/**
 * The cost delta of a pull request: the head plan's estimate against the base plan's, per
 * component and for the stack, with the reason where the plans say it ("+$412.00/month: prod-cache
 * node type cache.r7g.large -> cache.r7g.xlarge").
 */
import type { PlanResource } from "../plan";
import { CostReport, estimateCost } from "./estimate";
import { Range, ResourceCost } from "./model";

/** A plan with (or without) its estimate: a base plan written before cost existed has none. */
export interface CostedPlan {
    stack: string;
    resources: PlanResource[];
    cost?: CostReport;
}

export interface CostChange {
    component: string;
    delta: Range;
    /** What changed, in words, for each resource whose cost moved. */
    reasons: string[];
}

export interface CostDelta {
    base: Range;
    head: Range;
    delta: Range;
    components: CostChange[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const sub = (a: Range, b: Range): Range => ({ low: round2(a.low - b.low), high: round2(a.high - b.high) });

/** "+$412.00" / "-$3.10" / "+$90.57..+$252.75" */
export function formatDelta(r: Range): string {
    const one = (n: number) => `${n < 0 ? "-" : "+"}$${Math.abs(n).toFixed(2)}`;
    return r.low === r.high ? one(r.low) : `${one(r.low)}..${one(r.high)}`;
}

/** The inputs that decide a resource's price, to say what changed. */
const PRICE_INPUTS: Record<string, string[]> = {
    "aws:elasticache/replicationGroup:ReplicationGroup": ["nodeType", "engine", "numCacheClusters", "numNodeGroups", "replicasPerNodeGroup"],
    "aws:elasticache/cluster:Cluster": ["nodeType", "engine", "numCacheNodes"],
    "aws:rds/instance:Instance": ["instanceClass", "multiAz", "allocatedStorage", "storageType"],
    "aws:ecs/service:Service": ["desiredCount", "launchType"],
    "aws:ecs/taskDefinition:TaskDefinition": ["cpu", "memory", "runtimePlatform"],
    "aws:appautoscaling/target:Target": ["minCapacity", "maxCapacity"],
    "aws:lb/loadBalancer:LoadBalancer": ["loadBalancerType", "internal", "subnets"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpcEndpointType", "subnetIds"],
    "aws:cloudwatch/logGroup:LogGroup": ["retentionInDays", "logGroupClass"],
    "aws:codebuild/project:Project": ["environment"],
    "aws:codepipeline/pipeline:Pipeline": ["pipelineType"],
    "aws:lambda/function:Function": ["memorySize", "architectures"],
};

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function inputChanges(before: PlanResource | undefined, after: PlanResource | undefined, component: string): string[] {
    const resource = after ?? before;
    if (!resource) {
        return [];
    }
    const keys = PRICE_INPUTS[resource.type] ?? [];
    return keys
        .filter((k) => JSON.stringify(before?.inputs[k]) !== JSON.stringify(after?.inputs[k]))
        .map((k) => `${component} ${k.replace(/([A-Z])/g, " $1").toLowerCase()} ${show(before?.inputs[k] ?? "(none)")} -> ${show(after?.inputs[k] ?? "(none)")}`);
}

function reasonFor(base: ResourceCost | undefined, head: ResourceCost | undefined, basePlan: CostedPlan, headPlan: CostedPlan): string {
    const r = (head ?? base)!;
    const delta = sub(head?.monthly ?? { low: 0, high: 0 }, base?.monthly ?? { low: 0, high: 0 });
    if (!base) {
        return `${formatDelta(delta)}/month: ${r.name} (${r.type.split(":").pop()}) added`;
    }
    if (!head) {
        return `${formatDelta(delta)}/month: ${r.name} (${r.type.split(":").pop()}) removed`;
    }
    const byUrn = (p: CostedPlan, urn: string) => p.resources.find((x) => x.urn === urn);
    // The resource itself, and the resources its price reads (task definition, scaling target).
    const related = (p: CostedPlan, urn: string) => {
        const self = byUrn(p, urn);
        const deps = self ? [...Object.values(self.propertyDependencies).flat()] : [];
        const referencing = p.resources.filter((x) => Object.values(x.propertyDependencies).some((d) => d.includes(urn)) && x.type === "aws:appautoscaling/target:Target");
        return [urn, ...deps, ...referencing.map((x) => x.urn)];
    };
    const urns = [...new Set([...related(basePlan, r.urn), ...related(headPlan, r.urn)])];
    const changes = urns.flatMap((u) => inputChanges(byUrn(basePlan, u), byUrn(headPlan, u), r.component === "(stack)" ? r.name : r.component));
    return `${formatDelta(delta)}/month: ${changes.length ? changes.join(", ") : `${r.name} (usage assumptions or prices)`}`;
}

/** The estimate of a plan: its own, else one made with the other plan's region and assumptions. */
function estimateOf(plan: CostedPlan, like: CostReport | undefined): CostReport {
    if (plan.cost) {
        return plan.cost;
    }
    if (!like) {
        throw new Error("costDelta needs at least one plan with a cost estimate (a plan written by --json)");
    }
    return estimateCost(plan, { region: like.region, usage: like.settings.usage, cost: like.settings.cost });
}

/** The monthly cost delta of `headPlan` against `basePlan`, per component and for the stack. */
export function costDelta(basePlan: CostedPlan, headPlan: CostedPlan): CostDelta {
    const head = estimateOf(headPlan, basePlan.cost);
    const base = estimateOf(basePlan, head);
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const byComponent = new Map<string, CostChange>();
    for (const urn of new Set([...baseByUrn.keys(), ...headByUrn.keys()])) {
        const b = baseByUrn.get(urn);
        const h = headByUrn.get(urn);
        const delta = sub(h?.monthly ?? { low: 0, high: 0 }, b?.monthly ?? { low: 0, high: 0 });
        if (delta.low === 0 && delta.high === 0) {
            continue;
        }
        const component = (h ?? b)!.component;
        const change = byComponent.get(component) ?? { component, delta: { low: 0, high: 0 }, reasons: [] };
        change.delta = { low: round2(change.delta.low + delta.low), high: round2(change.delta.high + delta.high) };
        change.reasons.push(reasonFor(b, h, basePlan, headPlan));
        byComponent.set(component, change);
    }
    return {
        base: base.stack.monthly,
        head: head.stack.monthly,
        delta: sub(head.stack.monthly, base.stack.monthly),
        components: [...byComponent.values()].sort((a, b) => Math.abs(b.delta.high) - Math.abs(a.delta.high) || a.component.localeCompare(b.component)),
    };
}
