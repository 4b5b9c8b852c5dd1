import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, alarmTopic, createAlarms } from "../../common/alarms";
import { AwsContext } from "./context";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

export interface ServiceAlarms {
    /** The topic the alarms notify. */
    topicArn: pulumi.Output<string>;
    /** The alarms a deployment rolls back on: the target 5xx rate and the p99 latency. */
    deploymentAlarmNames: pulumi.Output<string>[];
}

/** The alarms that roll a deployment back (ECS deployment alarms). */
export const DEPLOYMENT_ALARM_IDS = ["target-5xx-rate", "p99-latency"];

/**
 * The guide's response time, error rate and health alarms; returns the topic they notify and the
 * names of the ones a deployment rolls back on. `alternateTargetGroupArnSuffix` is the second
 * target group of a native deployment strategy.
 */
export function alarms(ctx: AwsContext, spec: AwsServiceSpec, lb: ServiceLoadBalancer, alternateTargetGroupArnSuffix?: pulumi.Input<string>): ServiceAlarms {
    const topicArn = alarmTopic(ctx.name, spec.alarmTopicArn, ctx.tags, ctx.kit.childOpts);
    const specs = alarmSpecs(ctx.name, spec, lb, alternateTargetGroupArnSuffix);
    const created = createAlarms(ctx.name, topicArn, specs, ctx.tags, ctx.kit.childOpts);
    const deploymentAlarmNames = specs.map((s, i) => ({ s, alarm: created[i] })).filter(({ s }) => DEPLOYMENT_ALARM_IDS.includes(s.id)).map(({ alarm }) => alarm.name);
    return { topicArn, deploymentAlarmNames };
}

/**
 * The alarms as data: target 5xx rate, p99 latency, unhealthy hosts. With a native deployment
 * strategy the tasks move between two target groups at every deploy, so the latency alarm watches
 * the load balancer as a whole (it serves only this service; slow canary requests fill its top 1%),
 * and the 5xx-rate and health alarms the worse of the two groups.
 */
export function alarmSpecs(name: string, spec: AwsServiceSpec, lb: ServiceLoadBalancer, alternateTargetGroupArnSuffix?: pulumi.Input<string>): AlarmSpec[] {
    const dims: Record<string, pulumi.Input<string>> = alternateTargetGroupArnSuffix === undefined
        ? { LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: lb.targetGroup.arnSuffix }
        : { LoadBalancer: lb.loadBalancer.arnSuffix };
    return [
        {
            id: "target-5xx-rate",
            description: `${name}: more than ${spec.errorRatePercent}% of requests answered 5xx by the tasks`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: spec.errorRatePercent,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            metricQueries: errorRateQueries(lb, alternateTargetGroupArnSuffix),
        },
        {
            id: "p99-latency",
            description: `${name}: p99 response time above ${spec.p99LatencySeconds}s`,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            extendedStatistic: "p99",
            dimensions: dims,
            comparisonOperator: "GreaterThanThreshold",
            threshold: spec.p99LatencySeconds,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
        },
        unhealthyHosts(name, lb, alternateTargetGroupArnSuffix),
    ];
}

/**
 * The 5xx rate of the target group, or with a native strategy the worse of the two groups' rates:
 * a canary taking 5% of the traffic and failing every request is 5% of the load balancer's
 * requests, which a load-balancer-wide rate at the default 5% threshold would never alarm on.
 */
function errorRateQueries(lb: ServiceLoadBalancer, alternateTargetGroupArnSuffix?: pulumi.Input<string>): NonNullable<AlarmSpec["metricQueries"]> {
    const metric = (id: string, metricName: string, targetGroup: pulumi.Input<string>) => ({
        id,
        metric: { namespace: "AWS/ApplicationELB", metricName, period: 60, stat: "Sum", dimensions: { LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: targetGroup } },
    });
    const rate = (suffix: string) => `100 * FILL(errors${suffix}, 0) / IF(FILL(requests${suffix}, 0) > 0, FILL(requests${suffix}, 0), 1)`;
    if (alternateTargetGroupArnSuffix === undefined) {
        return [
            metric("errors", "HTTPCode_Target_5XX_Count", lb.targetGroup.arnSuffix),
            metric("requests", "RequestCount", lb.targetGroup.arnSuffix),
            { id: "rate", expression: "100 * FILL(errors, 0) / IF(requests > 0, requests, 1)", label: "5xx rate (%)", returnData: true },
        ];
    }
    return [
        metric("errors", "HTTPCode_Target_5XX_Count", lb.targetGroup.arnSuffix),
        metric("requests", "RequestCount", lb.targetGroup.arnSuffix),
        metric("errorsAlt", "HTTPCode_Target_5XX_Count", alternateTargetGroupArnSuffix),
        metric("requestsAlt", "RequestCount", alternateTargetGroupArnSuffix),
        { id: "rate", expression: `MAX([${rate("")}, ${rate("Alt")}])`, label: "5xx rate of the worse target group (%)", returnData: true },
    ];
}

/** A task failing its health check: in the target group, or in either of the two. */
function unhealthyHosts(name: string, lb: ServiceLoadBalancer, alternateTargetGroupArnSuffix?: pulumi.Input<string>): AlarmSpec {
    const common = {
        id: "unhealthy-hosts",
        description: `${name}: a task is failing its health check`,
        comparisonOperator: "GreaterThanThreshold" as const,
        threshold: 0,
        evaluationPeriods: 3,
    };
    const group = (targetGroup: pulumi.Input<string>) => ({ LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: targetGroup });
    if (alternateTargetGroupArnSuffix === undefined) {
        return { ...common, namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", statistic: "Maximum", dimensions: group(lb.targetGroup.arnSuffix) };
    }
    const metric = (id: string, targetGroup: pulumi.Input<string>) => ({
        id,
        metric: { namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", period: 60, stat: "Maximum", dimensions: group(targetGroup) },
    });
    return {
        ...common,
        metricQueries: [
            metric("primary", lb.targetGroup.arnSuffix),
            metric("alternate", alternateTargetGroupArnSuffix),
            { id: "unhealthy", expression: "MAX([FILL(primary, 0), FILL(alternate, 0)])", label: "unhealthy tasks", returnData: true },
        ],
    };
}
