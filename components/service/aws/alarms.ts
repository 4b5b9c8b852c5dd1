import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, alarmTopic, createAlarms } from "../../common/alarms";
import { AwsContext } from "./context";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

/** The guide's response time, error rate and health alarms; returns the topic they notify. */
export function alarms(ctx: AwsContext, spec: AwsServiceSpec, lb: ServiceLoadBalancer): pulumi.Output<string> {
    const topicArn = alarmTopic(ctx.name, spec.alarmTopicArn, ctx.tags, ctx.kit.childOpts);
    createAlarms(ctx.name, topicArn, alarmSpecs(ctx.name, spec, lb), ctx.tags, ctx.kit.childOpts);
    return topicArn;
}

/** The alarms as data: target 5xx rate, p99 latency, unhealthy hosts. */
export function alarmSpecs(name: string, spec: AwsServiceSpec, lb: ServiceLoadBalancer): AlarmSpec[] {
    const dims = { LoadBalancer: lb.loadBalancer.arnSuffix, TargetGroup: lb.targetGroup.arnSuffix };
    const lbMetric = (id: string, metricName: string) => ({
        id,
        metric: { namespace: "AWS/ApplicationELB", metricName, period: 60, stat: "Sum", dimensions: dims },
    });
    return [
        {
            id: "target-5xx-rate",
            description: `${name}: more than ${spec.errorRatePercent}% of requests answered 5xx by the tasks`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: spec.errorRatePercent,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            metricQueries: [
                lbMetric("errors", "HTTPCode_Target_5XX_Count"),
                lbMetric("requests", "RequestCount"),
                { id: "rate", expression: "100 * FILL(errors, 0) / IF(requests > 0, requests, 1)", label: "5xx rate (%)", returnData: true },
            ],
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
        {
            id: "unhealthy-hosts",
            description: `${name}: a task is failing its health check`,
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            statistic: "Maximum",
            dimensions: dims,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 3,
        },
    ];
}
