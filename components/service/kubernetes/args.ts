import { AvailabilityObjectiveArgs, LatencyObjectiveArgs } from "../../slo/objectives";
import { PrometheusSloMetrics } from "../../slo/kubernetes";
import { ServiceCommonArgs } from "../spec";

/** The ingress controller that serves the service's Ingress; decides the HTTPS-only annotations. */
export enum IngressController {
    /** ingress-nginx: `force-ssl-redirect` sends HTTP to HTTPS with a 308. */
    Nginx = "nginx",
    /** Traefik: the router listens on the `websecure` entry point only, with TLS. */
    Traefik = "traefik",
}

/** The kind of cert-manager issuer that signs the service's certificate. */
export enum CertManagerIssuerKind {
    /** A cluster-wide `ClusterIssuer` (annotation `cert-manager.io/cluster-issuer`). */
    ClusterIssuer = "ClusterIssuer",
    /** An `Issuer` in the service's namespace (annotation `cert-manager.io/issuer`). */
    Issuer = "Issuer",
}

/** TLS for the Ingress: an existing Secret, or a certificate cert-manager issues into one. */
export interface KubernetesTlsArgs {
    /**
     * Name of an existing `kubernetes.io/tls` Secret in the namespace holding the certificate.
     * @default none: give this or `certManagerIssuer`
     */
    secretName?: string;
    /**
     * cert-manager issuer that issues a certificate for `domainName` into the Secret `<name>-tls`.
     * @default none: give this or `secretName`
     */
    certManagerIssuer?: string;
    /**
     * Whether `certManagerIssuer` names a ClusterIssuer or a namespaced Issuer.
     * @default CertManagerIssuerKind.ClusterIssuer
     */
    certManagerIssuerKind?: CertManagerIssuerKind;
}

/** Kubernetes resource requests and limits as quantity strings, overriding `cpu` and `memory`. */
export interface KubernetesResourcesArgs {
    /**
     * CPU request, for example `250m` or `0.5`.
     * @default `cpu` converted to millicores (256 units = `250m`)
     */
    cpuRequest?: string;
    /**
     * CPU limit; at least the request.
     * @default the CPU request
     */
    cpuLimit?: string;
    /**
     * Memory request, for example `512Mi` or `1Gi`.
     * @default `memory` in MiB (`512Mi`)
     */
    memoryRequest?: string;
    /**
     * Memory limit; at least the request.
     * @default the memory request
     */
    memoryLimit?: string;
}

/** The PodDisruptionBudget that keeps pods serving during node drains and upgrades. */
export interface DisruptionBudgetArgs {
    /**
     * Create the PodDisruptionBudget.
     * @default true
     */
    enabled?: boolean;
    /**
     * Share of pods (percent, 1-99) kept available; without it, one pod is kept available.
     * @default none (minAvailable: 1)
     */
    minAvailablePercent?: number;
}

/** Prometheus scrape annotations on the pods (the guide's metrics collection). */
export interface PrometheusScrapeArgs {
    /** Add `prometheus.io/scrape`, `prometheus.io/path` and `prometheus.io/port` to the pods. */
    enabled: boolean;
    /**
     * HTTP path the metrics are served on.
     * @default "/metrics"
     */
    path?: string;
    /**
     * Port the metrics are served on.
     * @default the container port
     */
    port?: number;
    /**
     * Namespace of Prometheus, admitted by the NetworkPolicy to the metrics port.
     * @default "monitoring"
     */
    namespace?: string;
    /**
     * The cluster runs the Prometheus Operator (its `monitoring.coreos.com/v1` CRDs are installed):
     * create a ServiceMonitor scraping the Service's metrics port (and, with `slo`, a PrometheusRule).
     * Not detected: the offline preview cannot ask the cluster, so the caller says so.
     * @default false
     */
    operator?: boolean;
    /**
     * Labels on the ServiceMonitor and PrometheusRule: what the Prometheus's `serviceMonitorSelector`
     * and `ruleSelector` match (kube-prometheus-stack: `release: <its release name>`).
     * @default {}
     */
    labels?: Record<string, string>;
    /**
     * How often Prometheus scrapes the service (a Prometheus duration such as `30s` or `1m`).
     * @default "30s"
     */
    scrapeInterval?: string;
}

/**
 * How a rollout replaces pods (the Deployment's `RollingUpdate` strategy). Each value is a whole
 * number of pods (`"1"`) or a percentage of the desired pods (`"25%"`), as Kubernetes takes them;
 * they may not both be zero.
 */
export interface KubernetesRolloutArgs {
    /**
     * Pods created above the desired count during a rollout: `"<n>"` or `"<n>%"` (percentages round up).
     * @default "25%"
     */
    maxSurge?: string;
    /**
     * Pods that may be unavailable during a rollout: `"<n>"` or `"<n>%"` of at most 100% (percentages round down).
     * @default "0" (no pod stops before its replacement is ready)
     */
    maxUnavailable?: string;
}

/**
 * A canary on ingress-nginx: a second Deployment and Service running `image`, and a canary Ingress
 * (`nginx.ingress.kubernetes.io/canary: "true"`) sending `weight` percent of the requests to it.
 * Promote by setting the service's `image` to the canary's and removing `canary`.
 */
export interface KubernetesCanaryArgs {
    /** The image the canary runs (the new version); must differ from the service's `image`. */
    image: string;
    /**
     * Percent of requests (0-100) ingress-nginx sends to the canary (`canary-weight`); 0 keeps it dark.
     * @default 10
     */
    weight?: number;
    /**
     * Pods of the canary Deployment (it is not autoscaled), from 1 to `maxCapacity`.
     * @default `weight` percent of `minCapacity`, rounded up, at least 1
     */
    replicas?: number;
}

/**
 * The service's SLOs on Prometheus: a PrometheusRule with the SRE workbook's burn-rate alerts
 * (components/slo/kubernetes.ts). Needs `prometheus.operator`.
 */
export interface KubernetesSloArgs {
    /**
     * The availability objective.
     * @default { enabled: true, objectivePercent: 99.9 }
     */
    availability?: AvailabilityObjectiveArgs;
    /**
     * The latency objective; `thresholdMs` must be a bucket boundary of the duration histogram.
     * @default { enabled: true, objectivePercent: 99, thresholdMs: 300 }
     */
    latency?: LatencyObjectiveArgs;
    /**
     * The names of the request metrics the rules read.
     * @default http_requests_total (label code) and http_request_duration_seconds
     */
    metrics?: PrometheusSloMetrics;
}

export interface KubernetesServiceArgs extends ServiceCommonArgs {
    /**
     * Namespace the service's objects live in.
     * @default "default"
     */
    namespace?: string;
    /**
     * Create the namespace (labelled to enforce the Pod Security Standards `restricted` profile)
     * instead of using an existing one.
     * @default false
     */
    createNamespace?: boolean;
    /**
     * Ingress TLS: an existing Secret or a cert-manager issuer. Required: the service is served
     * over HTTPS only.
     * @default none (required)
     */
    tls?: KubernetesTlsArgs;
    /**
     * The ingress controller serving the Ingress (decides the HTTPS-only annotations).
     * @default IngressController.Nginx
     */
    ingressController?: IngressController;
    /**
     * `ingressClassName` of the Ingress.
     * @default "nginx" for Nginx, "traefik" for Traefik
     */
    ingressClassName?: string;
    /**
     * Namespace of the ingress controller: the only namespace whose pods may reach the container port.
     * @default "ingress-nginx" for Nginx, "traefik" for Traefik
     */
    ingressControllerNamespace?: string;
    /**
     * Extra annotations on the Ingress (controller settings such as rate limits).
     * @default {}
     */
    ingressAnnotations?: Record<string, string>;
    /**
     * Requests and limits as Kubernetes quantities, overriding `cpu` and `memory`.
     * @default requests = limits = `cpu` and `memory` converted
     */
    resources?: KubernetesResourcesArgs;
    /**
     * Size limit of the writable `/tmp` emptyDir, as a quantity.
     * @default "256Mi"
     */
    tmpSizeLimit?: string;
    /**
     * Seconds a stopping pod keeps serving (preStop sleep) so endpoints are removed first (0-120).
     * @default 5
     */
    preStopDelaySeconds?: number;
    /**
     * Seconds Kubernetes waits for a pod to stop before killing it; more than the preStop delay.
     * @default 30
     */
    terminationGracePeriodSeconds?: number;
    /**
     * The PodDisruptionBudget.
     * @default { enabled: true } (one pod always available)
     */
    disruptionBudget?: DisruptionBudgetArgs;
    /**
     * Prometheus scrape annotations.
     * @default { enabled: false }
     */
    prometheus?: PrometheusScrapeArgs;
    /**
     * `app.kubernetes.io/part-of` label: the application this service belongs to.
     * @default none
     */
    partOf?: string;
    /**
     * Rolling update parameters of the Deployment (and of the canary's).
     * @default { maxSurge: "25%", maxUnavailable: "0" }
     */
    rollout?: KubernetesRolloutArgs;
    /**
     * A canary of a new image behind a weighted ingress-nginx canary Ingress (IngressController.Nginx only).
     * @default none
     */
    canary?: KubernetesCanaryArgs;
    /**
     * SLOs as a PrometheusRule (needs `prometheus: { enabled: true, operator: true }`).
     * @default none
     */
    slo?: KubernetesSloArgs;
}
