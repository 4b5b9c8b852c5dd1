/**
 * What the edge is watched by: CloudFront's additional metrics, alarms on the 5xx rate and the
 * origin latency, and dashboard widgets (requests, errors, cache hit ratio). CloudFront publishes
 * its metrics in us-east-1 only, namespace AWS/CloudFront, with dimensions DistributionId and
 * Region=Global (CloudFront Developer Guide, "Viewing CloudFront and edge function metrics"), so
 * the alarms live in us-east-1 and notify a topic there.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../common/alarms";
import { DashboardWidget } from "../common/dashboard";
import { childName, CLOUDFRONT_REGION } from "../common/naming";
import { EdgeSpec } from "./spec";

export const CLOUDFRONT_NAMESPACE = "AWS/CloudFront";

/** The dimensions of a distribution's metrics. */
export function distributionDimensions(distributionId: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return { DistributionId: distributionId, Region: "Global" };
}

/** Turns on the additional metrics (OriginLatency, CacheHitRate, 4xx/5xx per status code). */
export function additionalMetrics(spec: EdgeSpec, distributionId: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): aws.cloudfront.MonitoringSubscription {
    return new aws.cloudfront.MonitoringSubscription(childName(spec.name, "metrics"), {
        distributionId,
        monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } },
    }, opts);
}

/** The alarms, as data. */
export function edgeAlarmSpecs(spec: EdgeSpec, distributionId: pulumi.Input<string>): AlarmSpec[] {
    const dimensions = distributionDimensions(distributionId);
    const specs: AlarmSpec[] = [{
        id: "edge-5xx-rate",
        description: `More than ${spec.alarms.errorRatePercent}% of the requests to ${spec.domainName} end in a 5xx at the edge for 5 minutes`,
        namespace: CLOUDFRONT_NAMESPACE,
        metricName: "5xxErrorRate",
        statistic: "Average",
        dimensions,
        comparisonOperator: "GreaterThanThreshold",
        threshold: spec.alarms.errorRatePercent,
        periodSeconds: 60,
        evaluationPeriods: 5,
        region: CLOUDFRONT_REGION,
    }];
    if (spec.additionalMetrics) {
        specs.push({
            id: "origin-latency",
            description: `The p99 time to first byte from the origin of ${spec.domainName} is above ${spec.alarms.originLatencyMs} ms for 5 minutes`,
            namespace: CLOUDFRONT_NAMESPACE,
            metricName: "OriginLatency",
            extendedStatistic: "p99",
            dimensions,
            comparisonOperator: "GreaterThanThreshold",
            threshold: spec.alarms.originLatencyMs,
            periodSeconds: 60,
            evaluationPeriods: 5,
            region: CLOUDFRONT_REGION,
        });
    }
    return specs;
}

/**
 * Dashboard widgets of the edge: requests, 4xx/5xx rates and (with the additional metrics) the cache
 * hit ratio, for a stack dashboard to include.
 */
export function edgeWidgets(distributionId: string, title: string, withAdditionalMetrics = true): DashboardWidget[] {
    const dims = ["DistributionId", distributionId, "Region", "Global"];
    const metric = (type: "timeSeries" | "singleValue", heading: string, metrics: unknown[][], stat: string): DashboardWidget => ({
        type: "metric", width: 8, height: 6,
        properties: { title: `${title}: ${heading}`, view: type, region: CLOUDFRONT_REGION, stat, period: 300, metrics },
    });
    return [
        metric("timeSeries", "requests at the edge", [[CLOUDFRONT_NAMESPACE, "Requests", ...dims]], "Sum"),
        metric("timeSeries", "error rates at the edge (%)", [[CLOUDFRONT_NAMESPACE, "5xxErrorRate", ...dims], [CLOUDFRONT_NAMESPACE, "4xxErrorRate", ...dims]], "Average"),
        ...(withAdditionalMetrics ? [metric("timeSeries", "cache hit ratio (%)", [[CLOUDFRONT_NAMESPACE, "CacheHitRate", ...dims]], "Average")] : []),
    ];
}
