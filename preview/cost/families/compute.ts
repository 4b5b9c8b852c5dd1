/**
 * Compute: Fargate tasks (priced on the ECS service that runs them: vCPU and memory of its task
 * definition, x86_64 or ARM64, for the autoscaling range) and Lambda functions (requests and
 * GB-seconds from usage assumptions).
 */
import type { PlanResource } from "../../plan";
import { CostContext, fmt, HOURS_PER_MONTH, num, Pricing, pricing } from "../model";
import { priceId } from "../priceBook";

/** The scaling range of an ECS service: desiredCount, or the Application Auto Scaling target's min..max. */
export function taskRange(service: PlanResource, ctx: CostContext): { low: number; high: number; how: string } {
    const desired = num(service.inputs.desiredCount) ?? 1;
    const target = ctx.referencing(service).find((r) => r.type === "aws:appautoscaling/target:Target" && r.inputs.scalableDimension === "ecs:service:DesiredCount");
    const min = target ? num(target.inputs.minCapacity) : undefined;
    const max = target ? num(target.inputs.maxCapacity) : undefined;
    if (target && min !== undefined && max !== undefined) {
        return { low: min, high: max, how: `autoscaling ${min}..${max} tasks (${target.name}), desiredCount ${desired}` };
    }
    return { low: desired, high: desired, how: `desiredCount ${desired}` };
}

function isFargate(service: PlanResource): boolean {
    const strategy = service.inputs.capacityProviderStrategies as { capacityProvider?: string }[] | undefined;
    return service.inputs.launchType === "FARGATE" || (strategy ?? []).some((s) => s.capacityProvider === "FARGATE");
}

export function ecsService(service: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    if (!isFargate(service)) {
        return { lines: [], notPriced: ["EC2-backed tasks: priced by the instances, which this stack does not declare"] };
    }
    const task = ctx.referenced(service, "taskDefinition").find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
    const vcpu = task ? (num(task.inputs.cpu) ?? NaN) / 1024 : NaN;
    const gb = task ? (num(task.inputs.memory) ?? NaN) / 1024 : NaN;
    if (!task || Number.isNaN(vcpu) || Number.isNaN(gb)) {
        return { lines: [], notPriced: ["Fargate tasks: the task definition's cpu and memory are not known offline"] };
    }
    const platform = task.inputs.runtimePlatform as { cpuArchitecture?: string; operatingSystemFamily?: string } | undefined;
    if (platform?.operatingSystemFamily && platform.operatingSystemFamily !== "LINUX") {
        return { lines: [], notPriced: [`Fargate ${platform.operatingSystemFamily} tasks: not in the snapshot`] };
    }
    const arm = platform?.cpuArchitecture === "ARM64";
    const arch = arm ? "Linux/ARM64" : "Linux/x86_64";
    const range = taskRange(service, ctx);
    const tasks = range.low === range.high ? `${range.low} tasks` : `${range.low}..${range.high} tasks`;
    const hours = (n: number) => n * HOURS_PER_MONTH;
    const lines = [
        ctx.line({ label: `vCPU (${arch})`, kind: "fixed", priceId: priceId("ECS Fargate", `${arch} vCPU`), quantity: hours(range.low) * vcpu, quantityMax: hours(range.high) * vcpu,
            formula: `${tasks} * ${fmt(vcpu)} vCPU * ${HOURS_PER_MONTH} h` }, notPriced),
        ctx.line({ label: `memory (${arch})`, kind: "fixed", priceId: priceId("ECS Fargate", `${arch} memory`), quantity: hours(range.low) * gb, quantityMax: hours(range.high) * gb,
            formula: `${tasks} * ${fmt(gb)} GB * ${HOURS_PER_MONTH} h` }, notPriced),
    ];
    const storage = num((task.inputs.ephemeralStorage as { sizeInGib?: unknown } | undefined)?.sizeInGib);
    if (storage !== undefined && storage > 20) {
        lines.push(ctx.line({ label: "ephemeral storage beyond 20 GB", kind: "fixed", priceId: priceId("ECS Fargate", "ephemeral storage beyond 20 GB"),
            quantity: hours(range.low) * (storage - 20), quantityMax: hours(range.high) * (storage - 20), formula: `${tasks} * ${fmt(storage - 20)} GB * ${HOURS_PER_MONTH} h` }, notPriced));
    }
    return pricing(lines, notPriced);
}

export function lambdaFunction(fn: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const arm = ((fn.inputs.architectures as string[] | undefined) ?? []).includes("arm64");
    const arch = arm ? "arm64" : "x86_64";
    const memoryGb = (num(fn.inputs.memorySize) ?? 128) / 1024;
    const requests = ctx.usage(fn, "lambdaRequestsPerMonth");
    const durationMs = ctx.usage(fn, "lambdaAverageDurationMs");
    return pricing([
        ctx.line({ label: `requests (${arch})`, kind: "usage", priceId: priceId("Lambda", `requests ${arch}`), quantity: requests, assumption: "lambdaRequestsPerMonth",
            formula: `${fmt(requests)} requests` }, notPriced),
        ctx.line({ label: `duration (${arch})`, kind: "usage", priceId: priceId("Lambda", `duration ${arch} (first pricing tier)`), quantity: requests * (durationMs / 1000) * memoryGb,
            assumption: "lambdaAverageDurationMs", formula: `${fmt(requests)} requests * ${fmt(durationMs / 1000)} s * ${fmt(memoryGb)} GB` }, notPriced),
    ], notPriced);
}
