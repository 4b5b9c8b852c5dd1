/** KubernetesService's arguments resolved into the spec its objects render, validated first. */
import { ArgumentKind, ArgumentKinds, Validator } from "../../common/validation";
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, isLabelKey, isLabelValue } from "./names";
import { resolveServiceSpec, ServiceSpec } from "../spec";
import { CertManagerIssuerKind, IngressController, KubernetesServiceArgs } from "./args";
import { checkMemoryQuantity, checkResources, ResolvedResources } from "./resources";
import { checkMonitoring, MonitoringSpec, PrometheusSpec, resolvePrometheus } from "./monitoring";
import { CanarySpec, checkCanary, checkRollout, RolloutSpec } from "./rollout";

export const COMPONENT = "KubernetesService";

/** The kinds of KubernetesService's own arguments (the shared ones are the spec's). */
const KUBERNETES_ARGUMENT_KINDS: ArgumentKinds = {
    namespace: ArgumentKind.String,
    createNamespace: ArgumentKind.Boolean,
    tls: ArgumentKind.Object,
    "tls.secretName": ArgumentKind.String,
    "tls.certManagerIssuer": ArgumentKind.String,
    "tls.certManagerIssuerKind": ArgumentKind.String,
    ingressController: ArgumentKind.String,
    ingressClassName: ArgumentKind.String,
    ingressControllerNamespace: ArgumentKind.String,
    ingressAnnotations: ArgumentKind.StringMap,
    resources: ArgumentKind.Object,
    "resources.cpuRequest": ArgumentKind.String,
    "resources.cpuLimit": ArgumentKind.String,
    "resources.memoryRequest": ArgumentKind.String,
    "resources.memoryLimit": ArgumentKind.String,
    tmpSizeLimit: ArgumentKind.String,
    preStopDelaySeconds: ArgumentKind.Number,
    terminationGracePeriodSeconds: ArgumentKind.Number,
    disruptionBudget: ArgumentKind.Object,
    "disruptionBudget.enabled": ArgumentKind.Boolean,
    "disruptionBudget.minAvailablePercent": ArgumentKind.Number,
    prometheus: ArgumentKind.Object,
    "prometheus.enabled": ArgumentKind.Boolean,
    "prometheus.path": ArgumentKind.String,
    "prometheus.port": ArgumentKind.Number,
    "prometheus.namespace": ArgumentKind.String,
    "prometheus.operator": ArgumentKind.Boolean,
    "prometheus.labels": ArgumentKind.StringMap,
    "prometheus.scrapeInterval": ArgumentKind.String,
    partOf: ArgumentKind.String,
    rollout: ArgumentKind.Object,
    "rollout.maxSurge": ArgumentKind.String,
    "rollout.maxUnavailable": ArgumentKind.String,
    canary: ArgumentKind.Object,
    "canary.image": ArgumentKind.String,
    "canary.weight": ArgumentKind.Number,
    "canary.replicas": ArgumentKind.Number,
    slo: ArgumentKind.Object,
    "slo.availability": ArgumentKind.Object,
    "slo.availability.enabled": ArgumentKind.Boolean,
    "slo.availability.objectivePercent": ArgumentKind.Number,
    "slo.latency": ArgumentKind.Object,
    "slo.latency.enabled": ArgumentKind.Boolean,
    "slo.latency.objectivePercent": ArgumentKind.Number,
    "slo.latency.thresholdMs": ArgumentKind.Number,
    "slo.metrics": ArgumentKind.Object,
    "slo.metrics.requestsTotal": ArgumentKind.String,
    "slo.metrics.codeLabel": ArgumentKind.String,
    "slo.metrics.durationHistogram": ArgumentKind.String,
};

/**
 * A `secrets` reference on Kubernetes: `<secret-name>/<key>`. The name is a DNS-1123 subdomain (a
 * Secret's name) and the key a Secret data key, `[-._a-zA-Z0-9]+` of at most 253 characters
 * (k8s.io/apimachinery pkg/util/validation IsConfigMapKey, which Secret keys are validated with).
 */
const SECRET_KEY = /^(?=.{1,253}$)[-._a-zA-Z0-9]+$/;

/** The Secret name and key of a `<secret-name>/<key>` reference; undefined when malformed. */
export function parseSecretKeyReference(reference: string): { name: string; key: string } | undefined {
    const slash = reference.indexOf("/");
    const name = reference.slice(0, slash);
    const key = reference.slice(slash + 1);
    return slash > 0 && DNS1123_SUBDOMAIN.test(name) && SECRET_KEY.test(key) ? { name, key } : undefined;
}

const SECRET_KEY_REFERENCE = {
    test: (reference: string) => parseSecretKeyReference(reference) !== undefined,
    allowed: "a Secret key reference \"<secret-name>/<key>\" such as \"db-credentials/password\" (a Secret in the service's namespace)",
};

/** What KubernetesService renders: the shared spec plus its Kubernetes settings, defaults applied. */
export interface KubernetesSpec extends ServiceSpec {
    namespace: string;
    createNamespace: boolean;
    controller: IngressController;
    ingressClassName: string;
    controllerNamespace: string;
    ingressAnnotations: Record<string, string>;
    /** The TLS Secret the Ingress serves, and the cert-manager issuer that fills it, if any. */
    tls: { secretName: string; issuer?: string; issuerKind: CertManagerIssuerKind };
    resources: ResolvedResources;
    tmpSizeLimit: string;
    preStopDelaySeconds: number;
    terminationGracePeriodSeconds: number;
    /** The PodDisruptionBudget, when enabled: a share of pods kept, or (undefined) one pod. */
    disruptionBudget?: { minAvailablePercent?: number };
    prometheus?: PrometheusSpec;
    partOf?: string;
    /** The Deployment's rolling-update parameters. */
    rollout: RolloutSpec;
    /** The canary, when one runs. */
    canary?: CanarySpec;
    /** The SLOs' PrometheusRule, when asked for (needs the Prometheus Operator). */
    slo?: MonitoringSpec;
}

/** Resolves and validates every argument; throws one ValidationError listing every problem. */
export function resolveKubernetesSpec(name: string, args: KubernetesServiceArgs): KubernetesSpec {
    const v = new Validator(COMPONENT, name);
    const shared = resolveServiceSpec(v, name, args, { kinds: KUBERNETES_ARGUMENT_KINDS, secretReference: SECRET_KEY_REFERENCE });
    const controller = args.ingressController ?? IngressController.Nginx;
    const spec: KubernetesSpec = {
        ...shared,
        namespace: args.namespace ?? "default",
        createNamespace: args.createNamespace ?? false,
        controller,
        ingressClassName: args.ingressClassName ?? controller,
        controllerNamespace: args.ingressControllerNamespace ?? (controller === IngressController.Nginx ? "ingress-nginx" : "traefik"),
        ingressAnnotations: args.ingressAnnotations ?? {},
        tls: {
            secretName: args.tls?.secretName ?? `${name}-tls`,
            issuer: args.tls?.certManagerIssuer,
            issuerKind: args.tls?.certManagerIssuerKind ?? CertManagerIssuerKind.ClusterIssuer,
        },
        resources: checkResources(v, args.resources, shared.cpu, shared.memory),
        tmpSizeLimit: args.tmpSizeLimit ?? "256Mi",
        preStopDelaySeconds: args.preStopDelaySeconds ?? 5,
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds ?? 30,
        disruptionBudget: (args.disruptionBudget?.enabled ?? true) ? { minAvailablePercent: args.disruptionBudget?.minAvailablePercent } : undefined,
        prometheus: resolvePrometheus(args.prometheus, shared.containerPort),
        partOf: args.partOf,
        rollout: checkRollout(v, args.rollout),
        canary: checkCanary(v, args.canary, {
            name, image: shared.container.image, controller, minCapacity: shared.minCapacity, maxCapacity: shared.maxCapacity,
            ingressAnnotations: args.ingressAnnotations ?? {},
        }),
    };
    spec.slo = checkMonitoring(v, spec, args);
    checkNamesAndTls(v, spec, args);
    checkPod(v, spec);
    checkLabels(v, spec, args);
    v.throwIfAny();
    return spec;
}

function checkNamesAndTls(v: Validator, spec: KubernetesSpec, args: KubernetesServiceArgs): void {
    const tls = args.tls ?? {};
    v.check(DNS1035_LABEL.test(spec.name), "name", spec.name, "a DNS-1035 label (Service names): lower-case letters, digits and '-', starting with a letter, at most 63 characters");
    v.check(DNS1123_LABEL.test(spec.namespace), "namespace", spec.namespace, "a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
    v.check(DNS1123_LABEL.test(spec.controllerNamespace), "ingressControllerNamespace", spec.controllerNamespace, "a DNS-1123 label");
    v.oneOf("ingressController", spec.controller, Object.values(IngressController));
    v.check(DNS1123_SUBDOMAIN.test(spec.ingressClassName), "ingressClassName", spec.ingressClassName, "a DNS-1123 subdomain");
    v.check((tls.secretName === undefined) !== (tls.certManagerIssuer === undefined), "tls", args.tls,
        "exactly one of tls.secretName (an existing TLS Secret) or tls.certManagerIssuer (cert-manager issues one)");
    if (tls.secretName !== undefined) {
        v.check(DNS1123_SUBDOMAIN.test(tls.secretName), "tls.secretName", tls.secretName, "a DNS-1123 subdomain");
    }
    if (tls.certManagerIssuer !== undefined) {
        v.check(DNS1123_SUBDOMAIN.test(tls.certManagerIssuer), "tls.certManagerIssuer", tls.certManagerIssuer, "a DNS-1123 subdomain");
        v.check(spec.domainName !== undefined, "domainName", spec.domainName, "the host name cert-manager issues the certificate for (required with tls.certManagerIssuer)");
        v.oneOf("tls.certManagerIssuerKind", tls.certManagerIssuerKind, Object.values(CertManagerIssuerKind));
    }
}

/** Probes, sizes, timings and the disruption budget. */
function checkPod(v: Validator, spec: KubernetesSpec): void {
    // Kubernetes probes count every 200-399 answer as healthy: a matcher outside it cannot be honoured.
    v.check(matcherWithin200To399(spec.healthCheck.matcher), "healthCheck.matcher", spec.healthCheck.matcher,
        "HTTP codes within 200-399 (Kubernetes probes treat every 2xx and 3xx answer as healthy)");
    v.intRange("cpu", spec.cpu, 1, 196608);
    v.intRange("memory", spec.memory, 4, 1048576);
    checkMemoryQuantity(v, "tmpSizeLimit", spec.tmpSizeLimit);
    v.intRange("preStopDelaySeconds", spec.preStopDelaySeconds, 0, 120);
    v.intRange("terminationGracePeriodSeconds", spec.terminationGracePeriodSeconds, 1, 3600);
    v.check(spec.terminationGracePeriodSeconds > spec.preStopDelaySeconds, "terminationGracePeriodSeconds", spec.terminationGracePeriodSeconds,
        `more than preStopDelaySeconds (${spec.preStopDelaySeconds})`);
    if (spec.disruptionBudget) {
        const percent = spec.disruptionBudget.minAvailablePercent;
        v.intRange("disruptionBudget.minAvailablePercent", percent, 1, 99);
        const kept = percent === undefined ? 1 : Math.ceil((spec.minCapacity * percent) / 100);
        v.check(kept < spec.minCapacity, "minCapacity", spec.minCapacity,
            `more than the ${kept} pod(s) the PodDisruptionBudget keeps available, or node drains block (at least ${kept + 1}; or disable disruptionBudget)`);
    }
}

/** Tags as labels, annotation keys, `partOf` and the Prometheus settings. */
function checkLabels(v: Validator, spec: KubernetesSpec, args: KubernetesServiceArgs): void {
    if (spec.prometheus) {
        v.check(spec.prometheus.path.startsWith("/"), "prometheus.path", spec.prometheus.path, "an HTTP path starting with \"/\"");
        v.port("prometheus.port", spec.prometheus.port);
        v.check(DNS1123_LABEL.test(spec.prometheus.namespace), "prometheus.namespace", spec.prometheus.namespace, "a DNS-1123 label");
    }
    for (const [key, value] of Object.entries(args.tags ?? {})) {
        v.check(isLabelKey(key) && isLabelValue(value), `tags.${key}`, value, "a Kubernetes label: key and value of at most 63 letters, digits, '-', '_' or '.'");
    }
    for (const key of Object.keys(spec.ingressAnnotations)) {
        v.check(isLabelKey(key), `ingressAnnotations.${key}`, key, "an annotation key such as \"nginx.ingress.kubernetes.io/limit-rps\"");
    }
    if (spec.partOf !== undefined) {
        v.check(isLabelValue(spec.partOf) && spec.partOf.length > 0, "partOf", spec.partOf, "a label value");
    }
}

/** True when every code or range of a matcher lies within 200-399. */
export function matcherWithin200To399(matcher: string): boolean {
    return matcher.split(",").every((part) => part.split("-").every((code) => Number(code) >= 200 && Number(code) <= 399));
}
