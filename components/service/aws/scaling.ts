import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { EcsService } from "./ecsService";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

type TrackingConfig = aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration;
type PredefinedMetric = aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification;
type CustomizedMetric = aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification;

/**
 * Target tracking on CPU, memory and (unless turned off) requests per target. With a native
 * deployment strategy the tasks sit in either of two target groups (`alternateTargetGroup`), so
 * requests per target is the sum of both groups' RequestCountPerTarget: the group without tasks
 * adds nothing, and during a deployment (when Application Auto Scaling suspends scale-in) the sum
 * can only scale out.
 */
export function scaling(ctx: AwsContext, spec: AwsServiceSpec, ecs: EcsService, lb: ServiceLoadBalancer, alternateTargetGroup?: aws.lb.TargetGroup): void {
    const target = new aws.appautoscaling.Target(ctx.child("scaling"), {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${ecs.cluster.name}/${ecs.service.name}`,
        minCapacity: spec.minCapacity,
        maxCapacity: spec.maxCapacity,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const as = spec.autoscaling;
    const track = (id: string, targetValue: number, metric: PredefinedMetric | CustomizedMetric) => new aws.appautoscaling.Policy(ctx.child(id), {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
            targetValue,
            ...("predefinedMetricType" in metric ? { predefinedMetricSpecification: metric } : { customizedMetricSpecification: metric }) as Partial<TrackingConfig>,
            scaleInCooldown: as.scaleInCooldownSeconds,
            scaleOutCooldown: as.scaleOutCooldownSeconds,
        },
    }, ctx.kit.childOpts);
    track("cpu-scaling", as.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    track("memory-scaling", as.memoryTargetPercent, { predefinedMetricType: "ECSServiceAverageMemoryUtilization" });
    if (spec.requestsPerTarget > 0) {
        track("requests-scaling", spec.requestsPerTarget, alternateTargetGroup === undefined ? {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: pulumi.interpolate`${lb.loadBalancer.arnSuffix}/${lb.targetGroup.arnSuffix}`,
        } : requestsPerTargetOfBoth(lb, alternateTargetGroup));
    }
}

/** RequestCountPerTarget (per minute) summed over the two target groups of a native deployment strategy. */
function requestsPerTargetOfBoth(lb: ServiceLoadBalancer, alternate: aws.lb.TargetGroup): CustomizedMetric {
    const perTarget = (id: string, tg: aws.lb.TargetGroup) => ({
        id,
        metricStat: {
            metric: {
                namespace: "AWS/ApplicationELB",
                metricName: "RequestCountPerTarget",
                dimensions: [{ name: "LoadBalancer", value: lb.loadBalancer.arnSuffix }, { name: "TargetGroup", value: tg.arnSuffix }],
            },
            stat: "Sum",
        },
        returnData: false,
    });
    return {
        metrics: [
            perTarget("primary", lb.targetGroup),
            perTarget("alternate", alternate),
            { id: "perTarget", expression: "FILL(primary, 0) + FILL(alternate, 0)", label: "requests per target", returnData: true },
        ],
    };
}
