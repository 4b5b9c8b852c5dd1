/**
 * The rollout of KubernetesService: the Deployment's rolling-update parameters and the canary on
 * ingress-nginx, resolved and validated before any object exists.
 *
 * Rolling parameters follow Kubernetes's own validation (kubernetes/kubernetes
 * pkg/apis/apps/validation/validation.go, `ValidateRollingUpdateDeployment` and
 * `ValidatePositiveIntOrPercent`; the percent form is apimachinery's `IsValidPercent`, `^[0-9]+%$`):
 * each value is a non-negative integer or a percentage; maxUnavailable is at most 100%; both may
 * not be zero. The canary annotations and their meaning come from ingress-nginx's
 * docs/user-guide/nginx-configuration/annotations.md ("Canary"): `nginx.ingress.kubernetes.io/canary`
 * must be `"true"` for the other canary annotations to apply; `canary-weight` is the integer percent
 * (0 to `canary-weight-total`, default 100) of random requests routed to the canary Ingress's
 * Service; at most one canary Ingress applies per Ingress rule.
 */
import * as pulumi from "@pulumi/pulumi";
import { isKnownString, Validator } from "../../common/validation";
import { IngressController, KubernetesCanaryArgs, KubernetesRolloutArgs } from "./args";

/** The annotations ingress-nginx reads on a canary Ingress. */
export const NGINX_CANARY_ANNOTATION = "nginx.ingress.kubernetes.io/canary";
export const NGINX_CANARY_WEIGHT_ANNOTATION = "nginx.ingress.kubernetes.io/canary-weight";

/** The suffix of the canary's objects (`<name>-canary`). */
export const CANARY_SUFFIX = "canary";

/** A rolling-update value as the Deployment takes it: a count (number) or a percentage (`"25%"`). */
export type IntOrPercent = number | string;

export interface RolloutSpec {
    maxSurge: IntOrPercent;
    maxUnavailable: IntOrPercent;
}

export interface CanarySpec {
    image: string;
    weight: number;
    replicas: number;
}

const COUNT = /^[0-9]+$/;
const PERCENT = /^[0-9]+%$/;
/** Deployment fields are int32. */
const INT32_MAX = 2 ** 31 - 1;

/** `"2"` -> 2, `"25%"` stays; anything else undefined. */
export function parseIntOrPercent(text: string): IntOrPercent | undefined {
    if (COUNT.test(text) && Number(text) <= INT32_MAX) {
        return Number(text);
    }
    return PERCENT.test(text) ? text : undefined;
}

/** The numeric part Kubernetes compares with zero (`getIntOrPercentValue`). */
function magnitude(value: IntOrPercent): number {
    return typeof value === "number" ? value : Number(value.slice(0, -1));
}

/** Resolves and validates the rolling-update parameters. */
export function checkRollout(v: Validator, args: KubernetesRolloutArgs | undefined): RolloutSpec {
    const allowed = "a whole number of pods such as \"1\" or a percentage such as \"25%\"";
    const given = { maxSurge: args?.maxSurge ?? "25%", maxUnavailable: args?.maxUnavailable ?? "0" };
    const maxSurge = parseIntOrPercent(given.maxSurge);
    const maxUnavailable = parseIntOrPercent(given.maxUnavailable);
    v.check(maxSurge !== undefined, "rollout.maxSurge", given.maxSurge, allowed);
    v.check(maxUnavailable !== undefined, "rollout.maxUnavailable", given.maxUnavailable, `${allowed}, at most "100%"`);
    if (maxSurge === undefined || maxUnavailable === undefined) {
        return { maxSurge: given.maxSurge, maxUnavailable: given.maxUnavailable };
    }
    v.check(typeof maxUnavailable === "number" || magnitude(maxUnavailable) <= 100, "rollout.maxUnavailable", given.maxUnavailable, "a percentage of at most \"100%\"");
    v.check(magnitude(maxSurge) > 0 || magnitude(maxUnavailable) > 0, "rollout.maxUnavailable", given.maxUnavailable,
        `more than zero when rollout.maxSurge is zero (${JSON.stringify(given.maxSurge)}): a rollout must either add or stop a pod`);
    return { maxSurge, maxUnavailable };
}

/** What the canary check needs from the resolved spec. */
export interface CanaryContext {
    name: string;
    /** The service's image (compared with the canary's when known now). */
    image: pulumi.Input<string>;
    controller: IngressController;
    minCapacity: number;
    maxCapacity: number;
    ingressAnnotations: Record<string, string>;
}

/** Resolves and validates the canary, and refuses canary annotations on the main Ingress. */
export function checkCanary(v: Validator, args: KubernetesCanaryArgs | undefined, c: CanaryContext): CanarySpec | undefined {
    for (const key of Object.keys(c.ingressAnnotations).filter((k) => k.startsWith(NGINX_CANARY_ANNOTATION))) {
        v.check(false, `ingressAnnotations.${key}`, key,
            "no canary annotation on the main Ingress (it would turn the service's own Ingress into a canary); use the `canary` argument");
    }
    if (args === undefined) {
        return undefined;
    }
    const weight = args.weight ?? 10;
    const spec: CanarySpec = { image: args.image, weight, replicas: args.replicas ?? Math.max(1, Math.ceil((c.minCapacity * weight) / 100)) };
    v.check(c.controller === IngressController.Nginx, "canary", args,
        `only with ingressController IngressController.Nginx (the weighted canary Ingress is an ingress-nginx feature); ingressController is ${JSON.stringify(c.controller)}`);
    v.nonEmpty("canary.image", args.image);
    v.check(!isKnownString(c.image) || args.image !== c.image, "canary.image", args.image, `an image other than the service's \`image\` (${c.image}): a canary of the same image tests nothing`);
    v.intRange("canary.weight", weight, 0, 100);
    v.intRange("canary.replicas", spec.replicas, 1, c.maxCapacity);
    const canaryName = `${c.name}-${CANARY_SUFFIX}`;
    v.check(canaryName.length <= 63, "name", c.name,
        `a name of at most ${63 - CANARY_SUFFIX.length - 1} characters with canary: the canary's Service "${canaryName}" must be a DNS-1035 label`);
    return spec;
}
