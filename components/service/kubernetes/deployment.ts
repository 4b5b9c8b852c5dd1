import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { container } from "./container";
import { KubernetesContext } from "./context";
import { KubernetesSpec } from "./spec";

/**
 * The Deployment: rolling updates (by default with no unavailable pod), spread across zones and
 * nodes. The autoscaled (stable) one leaves its replica count to the HorizontalPodAutoscaler.
 */
export function deployment(ctx: KubernetesContext, spec: KubernetesSpec, serviceAccountName: pulumi.Input<string>, autoscaled = true): k8s.apps.v1.Deployment {
    const podAnnotations = spec.prometheus ? {
        "prometheus.io/scrape": "true",
        "prometheus.io/path": spec.prometheus.path,
        "prometheus.io/port": String(spec.prometheus.port),
    } : undefined;
    return new k8s.apps.v1.Deployment(ctx.child("deployment"), {
        metadata: ctx.meta(),
        spec: {
            replicas: spec.minCapacity,
            revisionHistoryLimit: 5,
            selector: { matchLabels: ctx.selector },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: spec.rollout.maxUnavailable, maxSurge: spec.rollout.maxSurge } },
            template: {
                metadata: { labels: ctx.labels, ...(podAnnotations ? { annotations: podAnnotations } : {}) },
                spec: podSpec(ctx, spec, serviceAccountName),
            },
        },
    }, autoscaled ? {
        ...ctx.childOpts,
        // The HorizontalPodAutoscaler owns the replica count: a deploy must not reset it to the minimum.
        ignoreChanges: ["spec.replicas"],
    } : ctx.childOpts);
}

function podSpec(ctx: KubernetesContext, spec: KubernetesSpec, serviceAccountName: pulumi.Input<string>): k8s.types.input.core.v1.PodSpec {
    const { uid, gid } = spec.container.user;
    return {
        serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            ...(gid !== undefined ? { runAsGroup: gid, fsGroup: gid } : {}),
            seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
            topologyKey,
            maxSkew: 1,
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: ctx.selector },
            matchLabelKeys: ["pod-template-hash"],
        })),
        containers: [container(spec)],
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: spec.tmpSizeLimit } }],
    };
}
