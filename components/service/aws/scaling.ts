import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { EcsService } from "./ecsService";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

type PredefinedMetric = aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification;

/** Target tracking on CPU, memory and (unless turned off) requests per target. */
export function scaling(ctx: AwsContext, spec: AwsServiceSpec, ecs: EcsService, lb: ServiceLoadBalancer): void {
    const target = new aws.appautoscaling.Target(ctx.child("scaling"), {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${ecs.cluster.name}/${ecs.service.name}`,
        minCapacity: spec.minCapacity,
        maxCapacity: spec.maxCapacity,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const as = spec.autoscaling;
    const track = (id: string, targetValue: number, metric: PredefinedMetric) => new aws.appautoscaling.Policy(ctx.child(id), {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
            targetValue,
            predefinedMetricSpecification: metric,
            scaleInCooldown: as.scaleInCooldownSeconds,
            scaleOutCooldown: as.scaleOutCooldownSeconds,
        },
    }, ctx.kit.childOpts);
    track("cpu-scaling", as.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
    track("memory-scaling", as.memoryTargetPercent, { predefinedMetricType: "ECSServiceAverageMemoryUtilization" });
    if (spec.requestsPerTarget > 0) {
        track("requests-scaling", spec.requestsPerTarget, {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: pulumi.interpolate`${lb.loadBalancer.arnSuffix}/${lb.targetGroup.arnSuffix}`,
        });
    }
}
