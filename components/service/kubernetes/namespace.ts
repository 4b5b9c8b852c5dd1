import * as k8s from "@pulumi/kubernetes";
import { KubernetesContext } from "./context";
import { KubernetesSpec } from "./spec";

/** The namespace, when the service creates it: labelled to enforce the `restricted` Pod Security Standard. */
export function namespace(ctx: KubernetesContext, spec: KubernetesSpec): k8s.core.v1.Namespace | undefined {
    if (!spec.createNamespace) {
        return undefined;
    }
    return new k8s.core.v1.Namespace(ctx.child("namespace"), {
        metadata: {
            name: spec.namespace,
            labels: {
                ...ctx.labels,
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        },
    }, ctx.kit.childOpts);
}
