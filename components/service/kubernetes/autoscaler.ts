import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesContext } from "./context";
import { KubernetesSpec } from "./spec";

/** The HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory utilisation. */
export function autoscaler(ctx: KubernetesContext, spec: KubernetesSpec, deploymentName: pulumi.Input<string>): k8s.autoscaling.v2.HorizontalPodAutoscaler {
    const as = spec.autoscaling;
    const utilisation = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return new k8s.autoscaling.v2.HorizontalPodAutoscaler(ctx.child("hpa"), {
        metadata: ctx.meta(),
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
            minReplicas: spec.minCapacity,
            maxReplicas: spec.maxCapacity,
            metrics: [utilisation("cpu", as.cpuTargetPercent), utilisation("memory", as.memoryTargetPercent)],
            behavior: {
                scaleDown: { stabilizationWindowSeconds: as.scaleInCooldownSeconds },
                scaleUp: {
                    stabilizationWindowSeconds: 0,
                    // At most double the pods per scale-out cooldown (HPA periods are 1-1800 s).
                    policies: [{ type: "Percent", value: 100, periodSeconds: Math.min(Math.max(as.scaleOutCooldownSeconds, 1), 1800) }],
                },
            },
        },
    }, ctx.childOpts);
}
