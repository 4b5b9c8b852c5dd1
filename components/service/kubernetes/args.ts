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
}
