import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { canaryContext, KubernetesContext } from "./context";
import { deployment } from "./deployment";
import { canaryIngress } from "./ingress";
import { networkPolicy } from "./networkPolicy";
import { CANARY_SUFFIX } from "./rollout";
import { service } from "./service";
import { KubernetesSpec } from "./spec";

/** The objects of a canary. */
export interface CanaryObjects {
    deployment: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
    ingress: k8s.networking.v1.Ingress;
    networkPolicy: k8s.networking.v1.NetworkPolicy;
}

/**
 * The canary, when one runs: its Deployment (the canary image, a fixed replica count, the same
 * hardened pod otherwise), its Service, its NetworkPolicy (the stable one does not select its
 * pods) and the weighted canary Ingress. Promotion removes all four (README, "Canary").
 */
export function canary(ctx: KubernetesContext, spec: KubernetesSpec, serviceAccountName: pulumi.Input<string>): CanaryObjects | undefined {
    if (spec.canary === undefined) {
        return undefined;
    }
    const c = canaryContext(ctx, CANARY_SUFFIX);
    const canarySpec: KubernetesSpec = { ...spec, minCapacity: spec.canary.replicas, container: { ...spec.container, image: spec.canary.image } };
    const pods = deployment(c, canarySpec, serviceAccountName, false);
    const svc = service(c, spec);
    return {
        deployment: pods,
        service: svc,
        ingress: canaryIngress(c, spec, svc.metadata.name, spec.canary.weight, pods),
        networkPolicy: networkPolicy(c, spec),
    };
}
