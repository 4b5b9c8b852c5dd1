import * as k8s from "@pulumi/kubernetes";
import { KubernetesContext } from "./context";
import { KubernetesSpec } from "./spec";

/** The PodDisruptionBudget, unless turned off: one pod (or a share) kept during drains. */
export function disruptionBudget(ctx: KubernetesContext, spec: KubernetesSpec): k8s.policy.v1.PodDisruptionBudget | undefined {
    if (spec.disruptionBudget === undefined) {
        return undefined;
    }
    const percent = spec.disruptionBudget.minAvailablePercent;
    return new k8s.policy.v1.PodDisruptionBudget(ctx.child("pdb"), {
        metadata: ctx.meta(),
        spec: {
            minAvailable: percent === undefined ? 1 : `${percent}%`,
            selector: { matchLabels: ctx.selector },
            // Crash-looping pods must not block a node drain.
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
    }, ctx.childOpts);
}
