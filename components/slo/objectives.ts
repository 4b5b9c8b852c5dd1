/**
 * Service level objectives: the arguments, their defaults and validation, and the burn-rate rules
 * every alarm (CloudWatch) and alert (Prometheus) is built from.
 *
 * The rules are the SRE workbook's multiwindow, multi-burn-rate alerts (Google, "The Site
 * Reliability Workbook", chapter 5 "Alerting on SLOs", section "Multiwindow, Multi-Burn-Rate Alerts"
 * and its table of recommended parameters): over a 30-day budget, page when
 * 2% of the budget burns in an hour (burn rate 14.4, confirmed over 5 minutes) and open a ticket when
 * 5% burns in six hours (burn rate 6, confirmed over 30 minutes). An alert fires when the error ratio
 * of BOTH windows exceeds burn rate x (1 - objective).
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";
import { Validator } from "../common/validation";

export const COMPONENT = "ServiceLevelObjectives";

/** Where the request metrics come from. */
export enum SloMetricSource {
    /** An Application Load Balancer (namespace AWS/ApplicationELB): availability and latency. */
    LoadBalancer = "LoadBalancer",
    /** A CloudFront distribution (namespace AWS/CloudFront, us-east-1): availability only. */
    CloudFront = "CloudFront",
}

/** The share of requests that must not fail. */
export interface AvailabilityObjectiveArgs {
    /**
     * Track this objective.
     * @default true
     */
    enabled?: boolean;
    /**
     * The percentage of requests (over 30 days) that must not end in a 5xx, from 50 to 99.999.
     * @default 99.9
     */
    objectivePercent?: number;
}

/** The share of requests that must be fast. */
export interface LatencyObjectiveArgs {
    /**
     * Track this objective (load balancer metrics only).
     * @default true for SloMetricSource.LoadBalancer, false for SloMetricSource.CloudFront
     */
    enabled?: boolean;
    /**
     * The percentage of requests (over 30 days) that must be answered within `thresholdMs`, from 50 to 99.999.
     * @default 99
     */
    objectivePercent?: number;
    /**
     * The response time a request must not exceed, in milliseconds (the target's response time as
     * the load balancer measures it; on Kubernetes, a bucket boundary of the latency histogram).
     * @default 300
     */
    thresholdMs?: number;
}

/** The objectives of a service's SLOs: what a LoadBalancedService's `slo` takes. */
export interface SloSettings {
    /**
     * The availability objective.
     * @default { enabled: true, objectivePercent: 99.9 }
     */
    availability?: AvailabilityObjectiveArgs;
    /**
     * The latency objective.
     * @default { enabled: true, objectivePercent: 99, thresholdMs: 300 } (load balancer)
     */
    latency?: LatencyObjectiveArgs;
    /**
     * Create a CloudWatch dashboard with each SLO, its error budget left over 30 days and its burn rate.
     * @default true
     */
    dashboard?: boolean;
}

export interface ServiceLevelObjectivesArgs extends SloSettings, CommonArgs {
    /**
     * Where the request metrics come from.
     * @default SloMetricSource.LoadBalancer
     */
    source?: SloMetricSource;
    /**
     * The load balancer's ARN suffix (`app/<name>/<id>`): required with SloMetricSource.LoadBalancer.
     * @default none
     */
    loadBalancerArnSuffix?: pulumi.Input<string>;
    /**
     * The distribution's id: required with SloMetricSource.CloudFront.
     * @default none
     */
    distributionId?: pulumi.Input<string>;
    /**
     * SNS topic the page alerts (fast burn) notify; with CloudFront, a topic in us-east-1.
     * @default a topic created with its own KMS key (in us-east-1 for CloudFront)
     */
    pageTopicArn?: pulumi.Input<string>;
    /**
     * SNS topic the ticket alerts (slow burn) notify.
     * @default the page topic
     */
    ticketTopicArn?: pulumi.Input<string>;
}

/** One burn-rate rule of the SRE workbook. */
export interface BurnRateRule {
    /** `page` or `ticket`. */
    id: "page" | "ticket";
    /** How many times faster than the budget allows errors arrive. */
    burnRate: number;
    /** The long window, in minutes: the budget share it detects is burnRate x long / 30 days. */
    longWindowMinutes: number;
    /** The short window, in minutes (a twelfth of the long one): the alert resets soon after the burn stops. */
    shortWindowMinutes: number;
}

/** The workbook's page and ticket rules (its recommended parameters for a 30-day budget). */
export const BURN_RATE_RULES: readonly BurnRateRule[] = [
    { id: "page", burnRate: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5 },
    { id: "ticket", burnRate: 6, longWindowMinutes: 360, shortWindowMinutes: 30 },
];

/** The period an error budget is counted over, in days. */
export const BUDGET_DAYS = 30;

/** One objective, resolved. */
export interface ObjectiveSpec {
    /** `availability` or `latency`. */
    id: "availability" | "latency";
    objectivePercent: number;
    /** For latency: the threshold in ms. */
    thresholdMs?: number;
}

export interface SloSpec {
    name: string;
    source: SloMetricSource;
    objectives: ObjectiveSpec[];
    dashboard: boolean;
}

/** 1 - objective, as a fraction, without the float noise of `1 - 0.999`. */
export function errorBudget(objectivePercent: number): number {
    return round((100 - objectivePercent) / 100);
}

/** The error ratio above which a rule's windows alarm: burn rate x (1 - objective). */
export function burnThreshold(rule: BurnRateRule, objectivePercent: number): number {
    return round(rule.burnRate * errorBudget(objectivePercent));
}

/** Twelve significant digits: enough for any objective, and none of binary floating point's tails. */
export function round(value: number): number {
    return Number(value.toPrecision(12));
}

/** Validates the arguments and resolves the defaults. */
export function sloSpec(name: string, args: ServiceLevelObjectivesArgs): SloSpec {
    const source = args.source ?? SloMetricSource.LoadBalancer;
    const v = new Validator(COMPONENT, name);
    v.oneOf("source", source, Object.values(SloMetricSource));
    if (source === SloMetricSource.LoadBalancer) {
        v.nonEmpty("loadBalancerArnSuffix", args.loadBalancerArnSuffix);
    } else if (source === SloMetricSource.CloudFront) {
        v.nonEmpty("distributionId", args.distributionId);
        v.check(args.latency?.enabled !== true, "latency.enabled", args.latency?.enabled,
            "false with SloMetricSource.CloudFront (CloudFront publishes no per-request latency a threshold can count; use the load balancer's metrics)");
    }
    const objectives = checkObjectives(v, args, source === SloMetricSource.LoadBalancer);
    v.tags(args.tags);
    v.throwIfAny();
    return { name, source, objectives, dashboard: args.dashboard ?? true };
}

/**
 * The objectives alone, validated, for a platform with its own metrics (Kubernetes: the Prometheus
 * rules of components/slo/kubernetes.ts). `component` names the caller in errors.
 */
export function sloObjectives(component: string, name: string, args: Pick<ServiceLevelObjectivesArgs, "availability" | "latency">): ObjectiveSpec[] {
    const v = new Validator(component, name);
    const objectives = checkObjectives(v, args, true);
    v.throwIfAny();
    return objectives;
}

function checkObjectives(v: Validator, args: Pick<ServiceLevelObjectivesArgs, "availability" | "latency">, latencyByDefault: boolean): ObjectiveSpec[] {
    const availability = { enabled: args.availability?.enabled ?? true, objectivePercent: args.availability?.objectivePercent ?? 99.9 };
    const latency = {
        enabled: args.latency?.enabled ?? latencyByDefault,
        objectivePercent: args.latency?.objectivePercent ?? 99,
        thresholdMs: args.latency?.thresholdMs ?? 300,
    };
    const objective = (argument: string, value: number) => v.check(Number.isFinite(value) && value >= 50 && value <= 99.999, argument, value, "a percentage from 50 to 99.999");
    objective("availability.objectivePercent", availability.objectivePercent);
    objective("latency.objectivePercent", latency.objectivePercent);
    v.check(Number.isInteger(latency.thresholdMs) && latency.thresholdMs >= 1 && latency.thresholdMs <= 60_000, "latency.thresholdMs", latency.thresholdMs,
        "a whole number of milliseconds from 1 to 60000");
    v.check(availability.enabled || latency.enabled, "availability.enabled", availability.enabled, "at least one objective enabled");
    return [
        ...(availability.enabled ? [{ id: "availability" as const, objectivePercent: availability.objectivePercent }] : []),
        ...(latency.enabled ? [{ id: "latency" as const, objectivePercent: latency.objectivePercent, thresholdMs: latency.thresholdMs }] : []),
    ];
}
