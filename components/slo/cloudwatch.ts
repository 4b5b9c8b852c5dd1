/**
 * The SLIs as CloudWatch metric math, and the burn-rate alarms built from them: one alarm per rule
 * and window (its period is the window, so one datapoint is the window's error ratio), and one
 * composite alarm per rule that fires when both of its windows do and alone notifies.
 *
 * Metrics (AWS documentation):
 * - Application Load Balancer, namespace AWS/ApplicationELB, dimension LoadBalancer (the ARN
 *   suffix): RequestCount, HTTPCode_Target_5XX_Count and HTTPCode_ELB_5XX_Count (Sum), and
 *   TargetResponseTime (seconds), which takes extended statistics ("CloudWatch metrics for your
 *   Application Load Balancer").
 * - Latency counts requests by the trimmed-count statistic. The CloudWatch User Guide,
 *   "CloudWatch statistics definitions" (section "Syntax"; awsdocs/amazon-cloudwatch-user-guide
 *   doc_source/Statistics-definitions.md @20a560c12498), says bounds without a percent sign are
 *   absolute values in the metric's own unit, either bound may be left out, and gives `TC(:0.5)`
 *   as "the values that equal 0.5 or are lower" (a lower bound, when given, is exclusive). So the
 *   open lower bound is valid for TC as for PR (`PR(:300)`), and since TargetResponseTime is in
 *   seconds, 300 ms is `TC(:0.3)` (not `TC(:300)`, which would count requests up to 5 minutes).
 *   SampleCount is the number of all requests; slow requests are SampleCount - TC(:threshold).
 * - CloudFront, namespace AWS/CloudFront in us-east-1, dimensions DistributionId and
 *   Region=Global: Requests (Sum) and 5xxErrorRate (a percentage; its Average over the window is
 *   the mean of the per-minute rates, not weighted by each minute's requests).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../common/alarms";
import { CLOUDFRONT_REGION } from "../common/naming";
import { BurnRateRule, burnThreshold, BURN_RATE_RULES, ObjectiveSpec, SloMetricSource } from "./objectives";

type Query = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** What the metrics are read from. */
export interface MetricTarget {
    source: SloMetricSource;
    /** The ALB's ARN suffix or the distribution's id. */
    id: pulumi.Input<string>;
}

export const ALB_NAMESPACE = "AWS/ApplicationELB";
export const CLOUDFRONT_NAMESPACE = "AWS/CloudFront";

/** The id of the query whose value is the error ratio (0 to 1) of a window. */
export const RATIO_ID = "ratio";

/** The region a target's metrics (and so its alarms) live in. */
export function metricRegion(target: MetricTarget): string | undefined {
    return target.source === SloMetricSource.CloudFront ? CLOUDFRONT_REGION : undefined;
}

function dimensions(target: MetricTarget): Record<string, pulumi.Input<string>> {
    return target.source === SloMetricSource.CloudFront ? { DistributionId: target.id, Region: "Global" } : { LoadBalancer: target.id };
}

/**
 * The `TC(:<seconds>)` statistic counting requests within a latency threshold given in
 * milliseconds: TargetResponseTime is in seconds and an unsuffixed bound is an absolute value.
 */
export function withinThresholdStat(thresholdMs: number): string {
    return `TC(:${thresholdMs / 1000})`;
}

/**
 * The metric-math expression of an objective's error ratio, by the ids of `sliMetrics`: a window
 * without requests has ratio 0 (no errors, no budget spent).
 */
export function ratioExpression(target: MetricTarget, objective: ObjectiveSpec): string {
    if (objective.id === "latency") {
        return "IF(requests > 0, (requests - fast) / requests, 0)";
    }
    return target.source === SloMetricSource.CloudFront
        ? "IF(requests > 0, errorRate / 100, 0)"
        : "IF(requests > 0, (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)";
}

/** The metrics an objective's ratio reads, as [id, metric name, statistic]. */
export function sliMetrics(target: MetricTarget, objective: ObjectiveSpec): [id: string, metricName: string, stat: string][] {
    if (objective.id === "latency") {
        return [["requests", "TargetResponseTime", "SampleCount"], ["fast", "TargetResponseTime", withinThresholdStat(objective.thresholdMs!)]];
    }
    return target.source === SloMetricSource.CloudFront
        ? [["requests", "Requests", "Sum"], ["errorRate", "5xxErrorRate", "Average"]]
        : [["requests", "RequestCount", "Sum"], ["target5xx", "HTTPCode_Target_5XX_Count", "Sum"], ["elb5xx", "HTTPCode_ELB_5XX_Count", "Sum"]];
}

/** The metric queries of an objective's error ratio over one window. */
export function ratioQueries(target: MetricTarget, objective: ObjectiveSpec, periodSeconds: number): Query[] {
    const namespace = target.source === SloMetricSource.CloudFront ? CLOUDFRONT_NAMESPACE : ALB_NAMESPACE;
    return [
        ...sliMetrics(target, objective).map(([id, metricName, stat]): Query => ({
            id,
            returnData: false,
            metric: { namespace, metricName, stat, period: periodSeconds, dimensions: dimensions(target) },
        })),
        { id: RATIO_ID, expression: ratioExpression(target, objective), label: `${objective.id} error ratio`, returnData: true },
    ];
}

/** One window's alarm of a burn-rate rule. */
export interface WindowAlarm {
    rule: BurnRateRule;
    window: "long" | "short";
    spec: AlarmSpec;
}

/** The window alarms of one objective: two per rule, silent (their composite alarm notifies). */
export function windowAlarms(name: string, target: MetricTarget, objective: ObjectiveSpec): WindowAlarm[] {
    return BURN_RATE_RULES.flatMap((rule) => (["long", "short"] as const).map((window): WindowAlarm => {
        const minutes = window === "long" ? rule.longWindowMinutes : rule.shortWindowMinutes;
        const threshold = burnThreshold(rule, objective.objectivePercent);
        return {
            rule,
            window,
            spec: {
                id: `${objective.id}-${rule.id}-${minutes}m`,
                description: `${name} ${objective.id} SLO (${objective.objectivePercent}%): the error ratio over ${minutes} minutes is above ${threshold} (burn rate ${rule.burnRate})`,
                metricQueries: ratioQueries(target, objective, minutes * 60),
                comparisonOperator: "GreaterThanThreshold",
                threshold,
                evaluationPeriods: 1,
                datapointsToAlarm: 1,
                treatMissingData: "notBreaching",
                region: metricRegion(target),
                silent: true,
            },
        };
    }));
}

/** The composite alarm rule of a burn-rate rule: both windows in ALARM. */
export function compositeRule(longAlarmArn: pulumi.Input<string>, shortAlarmArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`ALARM("${longAlarmArn}") AND ALARM("${shortAlarmArn}")`;
}
