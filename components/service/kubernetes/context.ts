import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "../../common/component";
import { childName } from "../../common/naming";
import { KubernetesSpec } from "./spec";

/** The port names the container, the Service and the Ingress refer to each other by. */
export const HTTP_PORT_NAME = "http";
export const METRICS_PORT_NAME = "metrics";

/** Object metadata as every object of the service carries it. */
export interface ObjectMeta {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
}

/** What every concern of a KubernetesService creates its objects with. */
export interface KubernetesContext {
    name: string;
    kit: ComponentContext;
    /** The stable labels the selectors use: `app.kubernetes.io/name` and `instance`. */
    selector: Record<string, string>;
    /** Every label: the toolkit's tags, `app.kubernetes.io/*`. */
    labels: Record<string, string>;
    /** Child options; every object waits on the namespace when the service creates it. */
    childOpts: pulumi.CustomResourceOptions;
    /** Metadata of an object named after the service (or `extra.name`). */
    meta(extra?: { annotations?: Record<string, string>; name?: string }): ObjectMeta;
    /** `<name>-<suffix>`: the Pulumi name of a child. */
    child(suffix: string): string;
}

export function kubernetesContext(name: string, kit: ComponentContext, spec: KubernetesSpec): KubernetesContext {
    const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
    const labels: Record<string, string> = {
        ...kit.tags,
        ...selector,
        "app.kubernetes.io/component": "server",
        "app.kubernetes.io/managed-by": "pulumi",
        ...(spec.partOf !== undefined ? { "app.kubernetes.io/part-of": spec.partOf } : {}),
    };
    return {
        name,
        kit,
        selector,
        labels,
        childOpts: kit.childOpts,
        meta: (extra = {}) => ({
            name: extra.name ?? name,
            namespace: spec.namespace,
            labels,
            ...(extra.annotations ? { annotations: extra.annotations } : {}),
        }),
        child: (suffix) => childName(name, suffix),
    };
}

/** The same context, its children waiting on `dependsOn` (the namespace the service creates). */
export function dependingOn(ctx: KubernetesContext, dependsOn: pulumi.Resource[]): KubernetesContext {
    return dependsOn.length === 0 ? ctx : { ...ctx, childOpts: ctx.kit.opts({ dependsOn }) };
}

/**
 * The canary's context: objects named `<name>-canary`, pods told apart from the stable ones by
 * `app.kubernetes.io/instance` (so neither the stable Deployment, Service, autoscaler nor budget
 * selects them) and sharing `app.kubernetes.io/name` (so the ServiceMonitor scrapes both).
 */
export function canaryContext(ctx: KubernetesContext, suffix: string): KubernetesContext {
    const name = childName(ctx.name, suffix);
    const selector = { ...ctx.selector, "app.kubernetes.io/instance": name };
    const labels = { ...ctx.labels, ...selector };
    return {
        ...ctx,
        selector,
        labels,
        meta: (extra = {}) => ({ ...ctx.meta(extra), name: extra.name ?? name, labels }),
        child: (s) => childName(name, s),
    };
}
