import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../common/component";
import { Validator } from "../common/validation";
import {
    cpuUnitsToQuantity,
    DNS1035_LABEL,
    DNS1123_LABEL,
    DNS1123_SUBDOMAIN,
    isLabelKey,
    isLabelValue,
    mebibytesToQuantity,
    parseQuantity,
} from "./kubernetesNames";
import { checkNonRootUser, resolveServiceArgs, ServiceCommonArgs } from "./shared";

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
     * The user the container runs as (never root), `UID` or `UID:GID`.
     * @default "1000:1000"
     */
    user?: string;
    /**
     * Size limit of the writable `/tmp` emptyDir, as a quantity.
     * @default "256Mi"
     */
    tmpSizeLimit?: string;
    /**
     * Seconds a pod may take to start before the startup probe gives up (10-3600).
     * @default 300
     */
    startupTimeoutSeconds?: number;
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

const COMPONENT = "KubernetesService";
const CONTAINER_NAME = "app";
const HTTP_PORT_NAME = "http";
const METRICS_PORT_NAME = "metrics";

/**
 * The load-balanced service on any conformant Kubernetes cluster (EKS or other): a Deployment
 * hardened to the Pod Security Standards `restricted` profile, a ClusterIP Service behind an
 * HTTPS-only Ingress, a HorizontalPodAutoscaler, a PodDisruptionBudget and a NetworkPolicy that
 * admits only the ingress controller. The cluster is the caller's: pass a `k8s.Provider` in the
 * resource options (`provider` or `providers`).
 */
export class KubernetesService extends pulumi.ComponentResource {
    /** Name of the Kubernetes Service (and of the Deployment). */
    public readonly serviceName: pulumi.Output<string>;
    /** Namespace the objects live in. */
    public readonly namespace: pulumi.Output<string>;
    /** `https://` URL: the domain name, else the Ingress's load balancer address. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: KubernetesServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const v = new Validator(COMPONENT, name);
        const shared = resolveServiceArgs(v, args);
        const namespace = args.namespace ?? "default";
        const controller = args.ingressController ?? IngressController.Nginx;
        const ingressClassName = args.ingressClassName ?? controller;
        const controllerNamespace = args.ingressControllerNamespace ?? (controller === IngressController.Nginx ? "ingress-nginx" : "traefik");
        const user = args.user ?? "1000:1000";
        const tmpSizeLimit = args.tmpSizeLimit ?? "256Mi";
        const startupTimeout = args.startupTimeoutSeconds ?? 300;
        const preStopDelay = args.preStopDelaySeconds ?? 5;
        const gracePeriod = args.terminationGracePeriodSeconds ?? 30;
        const pdbEnabled = args.disruptionBudget?.enabled ?? true;
        const pdbPercent = args.disruptionBudget?.minAvailablePercent;
        const prometheus = args.prometheus?.enabled ? {
            path: args.prometheus.path ?? "/metrics",
            port: args.prometheus.port ?? shared.containerPort,
            namespace: args.prometheus.namespace ?? "monitoring",
        } : undefined;
        const egress = shared.egress;
        const tls = args.tls ?? {};

        v.check(DNS1035_LABEL.test(name), "name", name, "a DNS-1035 label (Service names): lower-case letters, digits and '-', starting with a letter, at most 63 characters");
        v.check(DNS1123_LABEL.test(namespace), "namespace", namespace, "a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters");
        v.check(DNS1123_LABEL.test(controllerNamespace), "ingressControllerNamespace", controllerNamespace, "a DNS-1123 label");
        v.oneOf("ingressController", controller, Object.values(IngressController));
        v.check(DNS1123_SUBDOMAIN.test(ingressClassName), "ingressClassName", ingressClassName, "a DNS-1123 subdomain");
        v.check((tls.secretName === undefined) !== (tls.certManagerIssuer === undefined), "tls", args.tls,
            "exactly one of tls.secretName (an existing TLS Secret) or tls.certManagerIssuer (cert-manager issues one)");
        if (tls.secretName !== undefined) {
            v.check(DNS1123_SUBDOMAIN.test(tls.secretName), "tls.secretName", tls.secretName, "a DNS-1123 subdomain");
        }
        if (tls.certManagerIssuer !== undefined) {
            v.check(DNS1123_SUBDOMAIN.test(tls.certManagerIssuer), "tls.certManagerIssuer", tls.certManagerIssuer, "a DNS-1123 subdomain");
            v.check(args.domainName !== undefined, "domainName", args.domainName, "the host name cert-manager issues the certificate for (required with tls.certManagerIssuer)");
            v.oneOf("tls.certManagerIssuerKind", tls.certManagerIssuerKind, Object.values(CertManagerIssuerKind));
        }
        // Kubernetes probes count every 200-399 answer as healthy: a matcher outside it cannot be honoured.
        v.check(matcherWithin200To399(shared.healthCheck.matcher), "healthCheck.matcher", shared.healthCheck.matcher,
            "HTTP codes within 200-399 (Kubernetes probes treat every 2xx and 3xx answer as healthy)");
        v.intRange("cpu", shared.cpu, 1, 196608);
        v.intRange("memory", shared.memory, 4, 1048576);
        const resources = checkResources(v, args.resources, shared.cpu, shared.memory);
        checkMemoryQuantity(v, "tmpSizeLimit", tmpSizeLimit);
        checkNonRootUser(v, user);
        v.intRange("startupTimeoutSeconds", startupTimeout, 10, 3600);
        v.intRange("preStopDelaySeconds", preStopDelay, 0, 120);
        v.intRange("terminationGracePeriodSeconds", gracePeriod, 1, 3600);
        v.check(gracePeriod > preStopDelay, "terminationGracePeriodSeconds", gracePeriod, `more than preStopDelaySeconds (${preStopDelay})`);
        if (pdbEnabled) {
            v.intRange("disruptionBudget.minAvailablePercent", pdbPercent, 1, 99);
            const kept = pdbPercent === undefined ? 1 : Math.ceil((shared.minCapacity * pdbPercent) / 100);
            v.check(kept < shared.minCapacity, "minCapacity", shared.minCapacity,
                `more than the ${kept} pod(s) the PodDisruptionBudget keeps available, or node drains block (at least ${kept + 1}; or disable disruptionBudget)`);
        }
        if (prometheus) {
            v.check(prometheus.path.startsWith("/"), "prometheus.path", prometheus.path, "an HTTP path starting with \"/\"");
            v.port("prometheus.port", prometheus.port);
            v.check(DNS1123_LABEL.test(prometheus.namespace), "prometheus.namespace", prometheus.namespace, "a DNS-1123 label");
        }
        for (const [key, value] of Object.entries(args.tags ?? {})) {
            v.check(isLabelKey(key) && isLabelValue(value), `tags.${key}`, value, "a Kubernetes label: key and value of at most 63 letters, digits, '-', '_' or '.'");
        }
        for (const key of Object.keys(args.ingressAnnotations ?? {})) {
            v.check(isLabelKey(key), `ingressAnnotations.${key}`, key, "an annotation key such as \"nginx.ingress.kubernetes.io/limit-rps\"");
        }
        if (args.partOf !== undefined) {
            v.check(isLabelValue(args.partOf) && args.partOf.length > 0, "partOf", args.partOf, "a label value");
        }
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);

        // --- Labels: app.kubernetes.io/* on everything; the selector uses the stable two only.
        const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
        const labels: Record<string, string> = {
            ...kit.tags,
            ...selector,
            "app.kubernetes.io/component": "server",
            "app.kubernetes.io/managed-by": "pulumi",
            ...(args.partOf !== undefined ? { "app.kubernetes.io/part-of": args.partOf } : {}),
        };
        const meta = (extra: { annotations?: Record<string, string>; name?: string } = {}) => ({
            name: extra.name ?? name,
            namespace,
            labels,
            ...(extra.annotations ? { annotations: extra.annotations } : {}),
        });

        const dependsOn: pulumi.Resource[] = [];
        if (args.createNamespace) {
            dependsOn.push(new k8s.core.v1.Namespace(`${name}-namespace`, {
                metadata: {
                    name: namespace,
                    labels: {
                        ...labels,
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                        "pod-security.kubernetes.io/audit": "restricted",
                    },
                },
            }, kit.childOpts));
        }
        const childOpts = kit.opts({ dependsOn });

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: meta(),
            automountServiceAccountToken: false,
        }, childOpts);

        // --- Deployment.
        const [uid, gid] = user.split(":").map(Number);
        const hc = shared.healthCheck;
        const httpGet = { path: hc.path, port: HTTP_PORT_NAME, scheme: "HTTP" };
        const startupPeriod = 5;
        const podAnnotations = prometheus ? {
            "prometheus.io/scrape": "true",
            "prometheus.io/path": prometheus.path,
            "prometheus.io/port": String(prometheus.port),
        } : undefined;
        const ports = [{ name: HTTP_PORT_NAME, containerPort: shared.containerPort, protocol: "TCP" }];
        if (prometheus && prometheus.port !== shared.containerPort) {
            ports.push({ name: METRICS_PORT_NAME, containerPort: prometheus.port, protocol: "TCP" });
        }
        const environment = pulumi.output(args.environment ?? {}).apply((env) =>
            Object.entries(env).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ name: key, value })));

        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata: meta(),
            spec: {
                replicas: shared.minCapacity,
                revisionHistoryLimit: 5,
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                template: {
                    metadata: { labels, ...(podAnnotations ? { annotations: podAnnotations } : {}) },
                    spec: {
                        serviceAccountName: serviceAccount.metadata.name,
                        automountServiceAccountToken: false,
                        enableServiceLinks: false,
                        terminationGracePeriodSeconds: gracePeriod,
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
                            labelSelector: { matchLabels: selector },
                            matchLabelKeys: ["pod-template-hash"],
                        })),
                        containers: [{
                            name: CONTAINER_NAME,
                            image: args.image,
                            imagePullPolicy: "IfNotPresent",
                            ports,
                            env: environment,
                            resources: {
                                requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                                limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
                            },
                            securityContext: {
                                runAsNonRoot: true,
                                allowPrivilegeEscalation: false,
                                privileged: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            startupProbe: {
                                httpGet,
                                periodSeconds: startupPeriod,
                                timeoutSeconds: Math.min(hc.timeoutSeconds, startupPeriod - 1),
                                successThreshold: 1,
                                failureThreshold: Math.ceil(startupTimeout / startupPeriod),
                            },
                            readinessProbe: {
                                httpGet,
                                periodSeconds: hc.intervalSeconds,
                                timeoutSeconds: hc.timeoutSeconds,
                                successThreshold: hc.healthyThreshold,
                                failureThreshold: hc.unhealthyThreshold,
                            },
                            livenessProbe: {
                                httpGet,
                                periodSeconds: hc.intervalSeconds,
                                timeoutSeconds: hc.timeoutSeconds,
                                // Kubernetes requires 1 for liveness; restarts need more failures than unreadiness.
                                successThreshold: 1,
                                failureThreshold: hc.unhealthyThreshold * 2,
                            },
                            lifecycle: preStopDelay > 0 ? { preStop: { sleep: { seconds: preStopDelay } } } : undefined,
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        }],
                        volumes: [{ name: "tmp", emptyDir: { sizeLimit: tmpSizeLimit } }],
                    },
                },
            },
        }, kit.opts({
            dependsOn,
            // The HorizontalPodAutoscaler owns the replica count: a deploy must not reset it to the minimum.
            ignoreChanges: ["spec.replicas"],
        }));

        // --- Service and Ingress.
        const service = new k8s.core.v1.Service(`${name}-service`, {
            metadata: meta(),
            spec: {
                type: "ClusterIP",
                selector,
                ports: [{ name: HTTP_PORT_NAME, port: 80, targetPort: HTTP_PORT_NAME, protocol: "TCP" }],
            },
        }, childOpts);

        const secretName = tls.secretName ?? `${name}-tls`;
        const ingressAnnotations: Record<string, string> = {
            ...httpsOnlyAnnotations(controller),
            ...(tls.certManagerIssuer !== undefined
                ? { [(tls.certManagerIssuerKind ?? CertManagerIssuerKind.ClusterIssuer) === CertManagerIssuerKind.ClusterIssuer
                    ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"]: tls.certManagerIssuer }
                : {}),
            ...(args.ingressAnnotations ?? {}),
        };
        const hosts = args.domainName !== undefined ? [args.domainName] : undefined;
        const ingress = new k8s.networking.v1.Ingress(`${name}-ingress`, {
            metadata: meta({ annotations: ingressAnnotations }),
            spec: {
                ingressClassName,
                tls: [{ hosts, secretName }],
                rules: [{
                    host: args.domainName,
                    http: {
                        paths: [{
                            path: "/",
                            pathType: "Prefix",
                            backend: { service: { name: service.metadata.name, port: { name: HTTP_PORT_NAME } } },
                        }],
                    },
                }],
            },
        }, childOpts);

        // --- Autoscaling and disruption budget.
        const as = shared.autoscaling;
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, {
            metadata: meta(),
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                minReplicas: shared.minCapacity,
                maxReplicas: shared.maxCapacity,
                metrics: [
                    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: as.cpuTargetPercent } } },
                    { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: as.memoryTargetPercent } } },
                ],
                behavior: {
                    scaleDown: { stabilizationWindowSeconds: as.scaleInCooldownSeconds },
                    scaleUp: {
                        stabilizationWindowSeconds: 0,
                        // At most double the pods per scale-out cooldown (HPA periods are 1-1800 s).
                        policies: [{ type: "Percent", value: 100, periodSeconds: Math.min(Math.max(as.scaleOutCooldownSeconds, 1), 1800) }],
                    },
                },
            },
        }, childOpts);

        if (pdbEnabled) {
            new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
                metadata: meta(),
                spec: {
                    minAvailable: pdbPercent === undefined ? 1 : `${pdbPercent}%`,
                    selector: { matchLabels: selector },
                    // Crash-looping pods must not block a node drain.
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                },
            }, childOpts);
        }

        // --- NetworkPolicy: in only from the ingress controller (and Prometheus); out by argument.
        const fromNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
        const ingressRules = [{ from: [fromNamespace(controllerNamespace)], ports: [{ protocol: "TCP", port: shared.containerPort }] }];
        if (prometheus) {
            ingressRules.push({ from: [fromNamespace(prometheus.namespace)], ports: [{ protocol: "TCP", port: prometheus.port }] });
        }
        const egressRules = [
            // DNS to the cluster resolver, so the pods can resolve what egress allows.
            {
                to: [{ ...fromNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
            },
            // TCP only, as the rules mean on AWS: a port range (endPort) rather than every protocol.
            ...egress.map((rule) => ({
                to: [{ ipBlock: { cidr: rule.cidr } }],
                ports: [{
                    protocol: "TCP",
                    port: Math.max(rule.fromPort, 1),
                    ...(rule.toPort > Math.max(rule.fromPort, 1) ? { endPort: rule.toPort } : {}),
                }],
            })),
        ];
        new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
            metadata: meta(),
            spec: {
                podSelector: { matchLabels: selector },
                policyTypes: ["Ingress", "Egress"],
                ingress: ingressRules,
                egress: egressRules,
            },
        }, childOpts);

        this.serviceName = service.metadata.name;
        this.namespace = service.metadata.namespace;
        this.url = args.domainName !== undefined
            ? pulumi.output(`https://${args.domainName}`)
            : ingress.status.apply((s) => {
                const lb = s?.loadBalancer?.ingress?.[0];
                return `https://${lb?.hostname ?? lb?.ip ?? "(pending)"}`;
            });
        this.registerOutputs({ serviceName: this.serviceName, namespace: this.namespace, url: this.url });
    }
}

/** Annotations that make the controller serve the Ingress over HTTPS only. */
function httpsOnlyAnnotations(controller: IngressController): Record<string, string> {
    switch (controller) {
        case IngressController.Traefik:
            return { "traefik.ingress.kubernetes.io/router.entrypoints": "websecure", "traefik.ingress.kubernetes.io/router.tls": "true" };
        case IngressController.Nginx:
        default:
            return { "nginx.ingress.kubernetes.io/ssl-redirect": "true", "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" };
    }
}

/** True when every code or range of a matcher lies within 200-399. */
export function matcherWithin200To399(matcher: string): boolean {
    return matcher.split(",").every((part) => part.split("-").every((code) => Number(code) >= 200 && Number(code) <= 399));
}

interface ResolvedResources {
    cpuRequest: string;
    cpuLimit: string;
    memoryRequest: string;
    memoryLimit: string;
}

/** Resolves and validates requests and limits: well-formed, positive, limits at least the requests. */
function checkResources(v: Validator, given: KubernetesResourcesArgs | undefined, cpu: number, memory: number): ResolvedResources {
    const cpuRequest = given?.cpuRequest ?? cpuUnitsToQuantity(cpu);
    const memoryRequest = given?.memoryRequest ?? mebibytesToQuantity(memory);
    const out: ResolvedResources = {
        cpuRequest,
        cpuLimit: given?.cpuLimit ?? cpuRequest,
        memoryRequest,
        memoryLimit: given?.memoryLimit ?? memoryRequest,
    };
    const cpuOk = (arg: string, q: string) => {
        const parsed = parseQuantity(q);
        v.check(parsed !== undefined && parsed.value >= 0.001, `resources.${arg}`, q, "a CPU quantity of at least 1m, such as \"250m\" or \"0.5\"");
        return parsed?.value;
    };
    const req = cpuOk("cpuRequest", out.cpuRequest);
    const lim = given?.cpuLimit !== undefined ? cpuOk("cpuLimit", out.cpuLimit) : req;
    if (req !== undefined && lim !== undefined) {
        v.check(lim >= req, "resources.cpuLimit", out.cpuLimit, `at least the CPU request (${out.cpuRequest})`);
    }
    const memReq = checkMemoryQuantity(v, "resources.memoryRequest", out.memoryRequest);
    const memLim = given?.memoryLimit !== undefined ? checkMemoryQuantity(v, "resources.memoryLimit", out.memoryLimit) : memReq;
    if (memReq !== undefined && memLim !== undefined) {
        v.check(memLim >= memReq, "resources.memoryLimit", out.memoryLimit, `at least the memory request (${out.memoryRequest})`);
    }
    return out;
}

/** A memory quantity of at least 4Mi, refusing the classic `512m` (0.512 bytes) mistake. */
function checkMemoryQuantity(v: Validator, argument: string, text: string): number | undefined {
    const parsed = parseQuantity(text);
    const ok = parsed !== undefined && !["m", "u", "n"].includes(parsed.suffix) && parsed.value >= 4 * 2 ** 20;
    v.check(ok, argument, text, "a memory quantity of at least 4Mi, such as \"512Mi\" or \"1Gi\" (\"m\" means milli-bytes)");
    return parsed?.value;
}
