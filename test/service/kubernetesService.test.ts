import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import {
    CertManagerIssuerKind,
    IngressController,
    KubernetesService,
    KubernetesServiceArgs,
    LoadBalancedService,
    ServiceCommonArgs,
} from "../../components";
import { cpuUnitsToQuantity, mebibytesToQuantity, parseQuantity } from "../../components/service/kubernetesNames";
import { expectValidationError, Graph, record, valueOf } from "../support/harness";
import { K8sObject, kubernetesErrors, renderedObject, schemaErrors, strictFieldErrors } from "./kubernetesSchema";

const base: KubernetesServiceArgs = { image: "nginx:1.27", domainName: "api.example.com", tls: { secretName: "api-tls" } };

const NAMESPACE = "kubernetes:core/v1:Namespace";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const COMPONENT = "scaling-toolkit:index:KubernetesService";

function build(overrides: Partial<KubernetesServiceArgs> = {}) {
    return record(() => new KubernetesService("web", { ...base, ...overrides }));
}

/** The Kubernetes objects a recording rendered (every custom resource except providers). */
function objectsOf(graph: Graph): K8sObject[] {
    return graph.customResources.map(renderedObject);
}

function podSpecOf(graph: Graph): any {
    return graph.inputsOf(graph.one(DEPLOYMENT)).spec.template.spec;
}

describe("KubernetesService", () => {
    describe("with default arguments", () => {
        let graph: Graph;
        let service: KubernetesService;
        before(async () => {
            const rec = await build();
            graph = rec.graph;
            service = rec.result;
        });

        it("creates exactly the documented objects, all children of the component", () => {
            const component = graph.one(COMPONENT);
            expect(graph.customResources.map((r) => r.type).sort()).to.deep.equal([DEPLOYMENT, HPA, INGRESS, NETPOL, PDB, SERVICE, SERVICE_ACCOUNT].sort());
            for (const r of graph.customResources) {
                expect(r.parent, r.name).to.equal(component.urn);
                expect(r.name.startsWith("web-"), r.name).to.equal(true);
                expect(graph.inputsOf(r).metadata.namespace, r.name).to.equal("default");
            }
        });

        it("uses an existing namespace unless asked to create one", () => {
            expect(graph.byType(NAMESPACE)).to.have.length(0);
        });

        it("gives the pods a service account that mounts no token", () => {
            const sa = graph.inputsOf(graph.one(SERVICE_ACCOUNT));
            expect(sa.automountServiceAccountToken).to.equal(false);
            const pod = podSpecOf(graph);
            expect(pod.serviceAccountName).to.equal(sa.metadata.name);
            expect(pod.automountServiceAccountToken).to.equal(false);
            expect(pod.enableServiceLinks).to.equal(false);
        });

        it("rolls out with no unavailable pods and a 25% surge, starting at minCapacity replicas the HPA then owns", () => {
            const deployment = graph.one(DEPLOYMENT);
            const spec = graph.inputsOf(deployment).spec;
            expect(spec.replicas).to.equal(2);
            expect(spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } });
            expect(spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" });
            expect(deployment.ignoreChanges).to.include("spec.replicas");
        });

        it("probes startup, readiness and liveness on the health path with the shared health-check settings", () => {
            const [container] = podSpecOf(graph).containers;
            const httpGet = { path: "/", port: "http", scheme: "HTTP" };
            expect(container.ports).to.deep.equal([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
            expect(container.readinessProbe).to.deep.equal({ httpGet, periodSeconds: 15, timeoutSeconds: 5, successThreshold: 2, failureThreshold: 3 });
            expect(container.livenessProbe).to.deep.equal({ httpGet, periodSeconds: 15, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 6 });
            expect(container.startupProbe).to.deep.equal({ httpGet, periodSeconds: 5, timeoutSeconds: 4, successThreshold: 1, failureThreshold: 60 });
        });

        it("requests and limits the shared cpu (1/1024 vCPU) and memory (MiB) as Kubernetes quantities", () => {
            const [container] = podSpecOf(graph).containers;
            expect(container.resources).to.deep.equal({ requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" } });
        });

        it("spreads pods across zones and nodes", () => {
            const constraints = podSpecOf(graph).topologySpreadConstraints;
            expect(constraints.map((c: any) => c.topologyKey)).to.deep.equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
            for (const c of constraints) {
                expect(c).to.include({ maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" });
                expect(c.labelSelector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" });
                expect(c.matchLabelKeys).to.deep.equal(["pod-template-hash"]);
            }
        });

        it("meets the Pod Security Standards restricted profile, with a read-only root and a writable /tmp", () => {
            const pod = podSpecOf(graph);
            expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
            const [container] = pod.containers;
            expect(container.securityContext).to.deep.equal({
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(container.volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
            expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
            expect(pod.hostNetwork).to.equal(undefined);
        });

        it("terminates gracefully: a preStop sleep inside the termination grace period", () => {
            const pod = podSpecOf(graph);
            expect(pod.terminationGracePeriodSeconds).to.equal(30);
            expect(pod.containers[0].lifecycle).to.deep.equal({ preStop: { sleep: { seconds: 5 } } });
        });

        it("exposes the pods through a ClusterIP Service", () => {
            const spec = graph.inputsOf(graph.one(SERVICE)).spec;
            expect(spec.type).to.equal("ClusterIP");
            expect(spec.ports).to.deep.equal([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
            expect(spec.selector).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" });
        });

        it("serves the domain through an HTTPS-only Ingress with the given TLS secret", () => {
            const ingress = graph.inputsOf(graph.one(INGRESS));
            expect(ingress.spec.ingressClassName).to.equal("nginx");
            expect(ingress.spec.tls).to.deep.equal([{ hosts: ["api.example.com"], secretName: "api-tls" }]);
            expect(ingress.spec.rules).to.deep.equal([{
                host: "api.example.com",
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] },
            }]);
            expect(ingress.metadata.annotations).to.include({
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            });
            expect(Object.keys(ingress.metadata.annotations).some((k) => k.startsWith("cert-manager.io/"))).to.equal(false);
        });

        it("autoscales (autoscaling/v2) on CPU and memory utilisation with a scale-down stabilisation window", () => {
            const spec = graph.inputsOf(graph.one(HPA)).spec;
            expect(spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "web" });
            expect(spec).to.include({ minReplicas: 2, maxReplicas: 10 });
            const targets = Object.fromEntries(spec.metrics.map((m: any) => [m.resource.name, m.resource.target]));
            expect(targets).to.deep.equal({
                cpu: { type: "Utilization", averageUtilization: 60 },
                memory: { type: "Utilization", averageUtilization: 75 },
            });
            expect(spec.behavior.scaleDown.stabilizationWindowSeconds).to.equal(300);
            expect(spec.behavior.scaleUp.policies).to.deep.equal([{ type: "Percent", value: 100, periodSeconds: 60 }]);
        });

        it("keeps one pod available during disruptions without blocking drains on crash-looping pods", () => {
            const spec = graph.inputsOf(graph.one(PDB)).spec;
            expect(spec.minAvailable).to.equal(1);
            expect(spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" });
            expect(spec.unhealthyPodEvictionPolicy).to.equal("AlwaysAllow");
        });

        it("admits only the ingress controller's namespace, only on the container port", () => {
            const spec = graph.inputsOf(graph.one(NETPOL)).spec;
            expect(spec.podSelector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" });
            expect(spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
            expect(spec.ingress).to.deep.equal([{
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
                ports: [{ protocol: "TCP", port: 8080 }],
            }]);
        });

        it("allows DNS and, like the AWS flavour, all TCP egress by default", () => {
            const egress = graph.inputsOf(graph.one(NETPOL)).spec.egress;
            expect(egress).to.have.length(2);
            expect(egress[0].ports).to.deep.equal([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
            expect(egress[1]).to.deep.equal({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 1, endPort: 65535 }] });
        });

        it("labels every object with app.kubernetes.io/* and the toolkit's tags", () => {
            for (const r of graph.customResources) {
                expect(graph.inputsOf(r).metadata.labels, r.name).to.include({
                    "app.kubernetes.io/name": "web",
                    "app.kubernetes.io/instance": "web",
                    "app.kubernetes.io/component": "server",
                    "app.kubernetes.io/managed-by": "pulumi",
                    ManagedBy: "scaling-toolkit",
                    Component: "KubernetesService",
                    Environment: "test",
                });
            }
            expect(graph.inputsOf(graph.one(DEPLOYMENT)).spec.template.metadata.labels).to.include({ "app.kubernetes.io/name": "web" });
        });

        it("adds no Prometheus annotations unless asked", () => {
            expect(graph.inputsOf(graph.one(DEPLOYMENT)).spec.template.metadata.annotations).to.equal(undefined);
        });

        it("outputs the service name, namespace and URL", async () => {
            expect(await valueOf(service.serviceName)).to.equal("web");
            expect(await valueOf(service.namespace)).to.equal("default");
            expect(await valueOf(service.url)).to.equal("https://api.example.com");
            expect(graph.one(COMPONENT).outputs).to.include.keys("serviceName", "namespace", "url");
        });
    });

    describe("options", () => {
        it("creates a namespace enforcing the restricted Pod Security Standard, before everything else", async () => {
            const { graph } = await build({ namespace: "shop", createNamespace: true });
            const ns = graph.one(NAMESPACE);
            expect(graph.inputsOf(ns).metadata.name).to.equal("shop");
            expect(graph.inputsOf(ns).metadata.labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/name": "web" });
            for (const r of graph.customResources.filter((c) => c !== ns)) {
                expect(r.dependencies, r.name).to.include(ns.urn);
                expect(graph.inputsOf(r).metadata.namespace, r.name).to.equal("shop");
            }
        });

        it("asks cert-manager for a certificate with a ClusterIssuer or an Issuer", async () => {
            const cluster = graph(await build({ tls: { certManagerIssuer: "letsencrypt" } }));
            const ingress = cluster.inputsOf(cluster.one(INGRESS));
            expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt");
            expect(ingress.spec.tls).to.deep.equal([{ hosts: ["api.example.com"], secretName: "web-tls" }]);
            const ns = graph(await build({ tls: { certManagerIssuer: "local-ca", certManagerIssuerKind: CertManagerIssuerKind.Issuer } }));
            const annotations = ns.inputsOf(ns.one(INGRESS)).metadata.annotations;
            expect(annotations["cert-manager.io/issuer"]).to.equal("local-ca");
            expect(annotations["cert-manager.io/cluster-issuer"]).to.equal(undefined);
        });

        it("serves HTTPS only through Traefik, admitting Traefik's namespace", async () => {
            const g = graph(await build({ ingressController: IngressController.Traefik, ingressAnnotations: { "example.com/team": "shop" } }));
            const ingress = g.inputsOf(g.one(INGRESS));
            expect(ingress.spec.ingressClassName).to.equal("traefik");
            expect(ingress.metadata.annotations).to.deep.equal({
                "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
                "traefik.ingress.kubernetes.io/router.tls": "true",
                "example.com/team": "shop",
            });
            expect(g.inputsOf(g.one(NETPOL)).spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).to.equal("traefik");
        });

        it("keeps a share of pods available when asked, or creates no budget", async () => {
            const share = graph(await build({ disruptionBudget: { minAvailablePercent: 50 }, minCapacity: 4 }));
            expect(share.inputsOf(share.one(PDB)).spec.minAvailable).to.equal("50%");
            const none = graph(await build({ disruptionBudget: { enabled: false }, minCapacity: 1 }));
            expect(none.byType(PDB)).to.have.length(0);
            expect(none.inputsOf(none.one(DEPLOYMENT)).spec.replicas).to.equal(1);
        });

        it("annotates pods for Prometheus and admits its namespace to a separate metrics port", async () => {
            const g = graph(await build({ prometheus: { enabled: true, port: 9090 } }));
            const template = g.inputsOf(g.one(DEPLOYMENT)).spec.template;
            expect(template.metadata.annotations).to.deep.equal({ "prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": "9090" });
            expect(template.spec.containers[0].ports).to.deep.include({ name: "metrics", containerPort: 9090, protocol: "TCP" });
            expect(g.inputsOf(g.one(NETPOL)).spec.ingress[1]).to.deep.equal({
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
                ports: [{ protocol: "TCP", port: 9090 }],
            });
        });

        it("restricts egress to the given CIDRs and port ranges", async () => {
            const g = graph(await build({ egress: [
                { cidr: "10.0.0.0/16", fromPort: 5432, toPort: 5432, description: "PostgreSQL" },
                { cidr: "10.1.0.0/16", fromPort: 6379, toPort: 6380, description: "Redis" },
            ] }));
            const egress = g.inputsOf(g.one(NETPOL)).spec.egress;
            expect(egress.slice(1)).to.deep.equal([
                { to: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] },
                { to: [{ ipBlock: { cidr: "10.1.0.0/16" } }], ports: [{ protocol: "TCP", port: 6379, endPort: 6380 }] },
            ]);
        });

        it("takes Kubernetes quantity overrides, the user, timings and the environment", async () => {
            const g = graph(await build({
                cpu: 1024,
                memory: 2048,
                resources: { cpuLimit: "2", memoryLimit: "3Gi" },
                user: "2000:3000",
                preStopDelaySeconds: 10,
                terminationGracePeriodSeconds: 60,
                environment: { B: "2", A: "1" },
                healthCheck: { path: "/healthz" },
            }));
            const pod = podSpecOf(g);
            expect(pod.containers[0].resources).to.deep.equal({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "2", memory: "3Gi" } });
            expect(pod.securityContext).to.include({ runAsUser: 2000, runAsGroup: 3000, fsGroup: 3000 });
            expect(pod.terminationGracePeriodSeconds).to.equal(60);
            expect(pod.containers[0].lifecycle.preStop.sleep.seconds).to.equal(10);
            expect(pod.containers[0].env).to.deep.equal([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
            expect(pod.containers[0].readinessProbe.httpGet.path).to.equal("/healthz");
        });

        it("serves a catch-all Ingress without a domain, its URL the load balancer's address once known", async () => {
            const { graph: g, result } = await build({ domainName: undefined });
            const ingress = g.inputsOf(g.one(INGRESS));
            expect(ingress.spec.tls).to.deep.equal([{ secretName: "api-tls" }]);
            expect(ingress.spec.rules[0].host).to.equal(undefined);
            expect(await valueOf(result.url)).to.not.equal("https://api.example.com");
        });

        for (const option of ["provider", "providers"] as const) {
            it(`creates every object with the cluster provider given as the \`${option}\` resource option`, async () => {
                const { graph: g } = await record(() => {
                    const cluster = new k8s.Provider("cluster", { kubeconfig: "{}" });
                    return new KubernetesService("web", base, option === "provider" ? { provider: cluster } : { providers: [cluster] });
                });
                const provider = g.one("pulumi:providers:kubernetes");
                expect(g.customResources.length).to.be.greaterThan(0);
                for (const r of g.customResources) {
                    expect(r.provider, r.name).to.match(new RegExp(`^${escape(provider.urn)}::`));
                }
            });
        }
    });

    describe("moving between AWS and Kubernetes", () => {
        it("gives the shared arguments the same meaning on both platforms", async () => {
            const common: ServiceCommonArgs = {
                image: "nginx:1.27",
                containerPort: 3000,
                healthCheck: { path: "/ready", intervalSeconds: 20, timeoutSeconds: 4 },
                cpu: 512,
                memory: 1024,
                minCapacity: 3,
                maxCapacity: 7,
                autoscaling: { cpuTargetPercent: 50, memoryTargetPercent: 70, scaleInCooldownSeconds: 120 },
                environment: { MODE: "prod" },
                domainName: "api.example.com",
            };
            const aws = graph(await record(() => new LoadBalancedService("web", {
                ...common, network: { vpcId: "v", publicSubnetIds: ["a"], privateSubnetIds: ["b"] }, certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x",
            })));
            const kube = graph(await record(() => new KubernetesService("web", { ...common, tls: { secretName: "api-tls" } })));

            const tg = aws.inputsOf(aws.one("aws:lb/targetGroup:TargetGroup"));
            const container = podSpecOf(kube).containers[0];
            expect(container.readinessProbe.httpGet.path).to.equal(tg.healthCheck.path);
            expect(container.readinessProbe.periodSeconds).to.equal(tg.healthCheck.interval);
            expect(container.readinessProbe.timeoutSeconds).to.equal(tg.healthCheck.timeout);
            expect(container.ports[0].containerPort).to.equal(tg.port);
            const target = aws.inputsOf(aws.one("aws:appautoscaling/target:Target"));
            const hpa = kube.inputsOf(kube.one(HPA)).spec;
            expect([hpa.minReplicas, hpa.maxReplicas]).to.deep.equal([target.minCapacity, target.maxCapacity]);
            expect(kube.inputsOf(kube.one(DEPLOYMENT)).spec.replicas).to.equal(aws.inputsOf(aws.one("aws:ecs/service:Service")).desiredCount);
            expect(hpa.metrics.map((m: any) => m.resource.target.averageUtilization)).to.deep.equal([50, 70]);
            expect(hpa.behavior.scaleDown.stabilizationWindowSeconds).to.equal(120);
            const td = aws.inputsOf(aws.one("aws:ecs/taskDefinition:TaskDefinition"));
            expect(container.resources.requests).to.deep.equal({ cpu: "500m", memory: `${td.memory}Mi` });
            expect(container.env).to.deep.equal(JSON.parse(td.containerDefinitions)[0].environment);
        });
    });

    describe("Kubernetes OpenAPI schema (v1.33, kubernetes-models)", () => {
        let objects: K8sObject[];
        before(async () => {
            // Every object kind and every optional branch the component can render.
            const configurations: Partial<KubernetesServiceArgs>[] = [
                {},
                { namespace: "shop", createNamespace: true, tls: { certManagerIssuer: "letsencrypt" }, prometheus: { enabled: true, port: 9090 } },
                { ingressController: IngressController.Traefik, disruptionBudget: { minAvailablePercent: 50 }, minCapacity: 3, domainName: undefined, preStopDelaySeconds: 0,
                    egress: [{ cidr: "10.0.0.0/16", fromPort: 5432, toPort: 5433, description: "db" }], resources: { cpuLimit: "1", memoryLimit: "1Gi" }, user: "1001", partOf: "shop" },
            ];
            objects = [];
            for (const config of configurations) {
                objects.push(...objectsOf((await build(config)).graph));
            }
        });

        it("renders every kind the component creates", () => {
            expect([...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))].sort()).to.deep.equal([
                "apps/v1/Deployment",
                "autoscaling/v2/HorizontalPodAutoscaler",
                "networking.k8s.io/v1/Ingress",
                "networking.k8s.io/v1/NetworkPolicy",
                "policy/v1/PodDisruptionBudget",
                "v1/Namespace",
                "v1/Service",
                "v1/ServiceAccount",
            ]);
        });

        it("validates every rendered object against the schema, unknown fields refused", () => {
            expect(kubernetesErrors(objects)).to.deep.equal([]);
        });

        it("rejects a misspelled field at any depth", () => {
            const deployment = structuredClone(objects.find((o) => o.kind === "Deployment")!) as any;
            deployment.spec.template.spec.containers[0].securityContxt = deployment.spec.template.spec.containers[0].securityContext;
            delete deployment.spec.template.spec.containers[0].securityContext;
            const service = structuredClone(objects.find((o) => o.kind === "Service")!) as any;
            service.spec.portz = service.spec.ports;
            const errors = strictFieldErrors([deployment, service]);
            expect(errors).to.have.length(2);
            expect(errors[0]).to.match(/^Deployment: .*'"securityContxt"' does not exist in type 'IContainer'/);
            expect(errors[1]).to.match(/^Service: .*'"portz"' does not exist in type 'IServiceSpec'/);
        });

        it("rejects a wrong type, a bad enum value and a missing required field", () => {
            const deployment = structuredClone(objects.find((o) => o.kind === "Deployment")!) as any;
            deployment.spec.replicas = "2";
            const hpa = structuredClone(objects.find((o) => o.kind === "HorizontalPodAutoscaler")!) as any;
            delete hpa.spec.maxReplicas;
            const policy = structuredClone(objects.find((o) => o.kind === "NetworkPolicy")!) as any;
            policy.spec.policyTypes = ["Inbound"];
            const errors = schemaErrors([deployment, hpa, policy]);
            expect(errors).to.have.length(3);
            expect(errors[0]).to.contain("replicas").and.to.contain("integer");
            expect(errors[1]).to.contain("maxReplicas");
            expect(errors[2]).to.contain("policyTypes");
        });
    });

    describe("validation", () => {
        const cases: [string, Partial<KubernetesServiceArgs>, string][] = [
            // Shared arguments: the same rules as LoadBalancedService.
            ["an empty image", { image: "  " }, "image"],
            ["a health check path without a leading slash", { healthCheck: { path: "health" } }, "healthCheck.path"],
            ["a timeout not below the interval", { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } }, "healthCheck.timeoutSeconds"],
            ["more minimum than maximum pods", { minCapacity: 5, maxCapacity: 3 }, "minCapacity"],
            ["a bad environment variable name", { environment: { "1BAD": "x" } }, "environment.1BAD"],
            ["an upper-case domain", { domainName: "API.example.com" }, "domainName"],
            ["an out-of-range autoscaling target", { autoscaling: { cpuTargetPercent: 99 } }, "autoscaling.cpuTargetPercent"],
            // Kubernetes arguments.
            ["a health matcher Kubernetes probes cannot honour", { healthCheck: { matcher: "200,404" } }, "healthCheck.matcher"],
            ["a fractional cpu", { cpu: 0.5 }, "cpu"],
            ["a namespace that is not a DNS-1123 label", { namespace: "Shop_Prod" }, "namespace"],
            ["a malformed CPU quantity", { resources: { cpuRequest: "half" } }, "resources.cpuRequest"],
            ["a memory quantity in milli-bytes", { resources: { memoryRequest: "512m" } }, "resources.memoryRequest"],
            ["a CPU limit below the request", { resources: { cpuRequest: "500m", cpuLimit: "0.25" } }, "resources.cpuLimit"],
            ["a memory limit below the request", { memory: 1024, resources: { memoryLimit: "512Mi" } }, "resources.memoryLimit"],
            ["a malformed /tmp size", { tmpSizeLimit: "lots" }, "tmpSizeLimit"],
            ["a single pod a PodDisruptionBudget would pin", { minCapacity: 1 }, "minCapacity"],
            ["a budget share that pins every pod", { minCapacity: 2, disruptionBudget: { minAvailablePercent: 60 } }, "minCapacity"],
            ["no TLS", { tls: undefined }, "tls"],
            ["both a TLS secret and an issuer", { tls: { secretName: "a", certManagerIssuer: "b" } }, "tls"],
            ["a cert-manager issuer without a domain", { tls: { certManagerIssuer: "letsencrypt" }, domainName: undefined }, "domainName"],
            ["running as root", { user: "0" }, "user"],
            ["running in the root group", { user: "1000:0" }, "user"],
            ["a grace period not above the preStop delay", { preStopDelaySeconds: 30, terminationGracePeriodSeconds: 30 }, "terminationGracePeriodSeconds"],
            ["a malformed egress CIDR", { egress: [{ cidr: "10.0.0.0", fromPort: 443, toPort: 443, description: "x" }] }, "egress[0].cidr"],
            ["a tag that is not a valid label", { tags: { Team: "platform team" } }, "tags.Team"],
            ["a Prometheus path without a leading slash", { prometheus: { enabled: true, path: "metrics" } }, "prometheus.path"],
            ["an unknown ingress controller", { ingressController: "haproxy" as IngressController }, "ingressController"],
        ];
        for (const [what, overrides, argument] of cases) {
            it(`rejects ${what} before creating anything`, async () => {
                const { graph: g } = await record(() => {
                    expectValidationError(() => new KubernetesService("web", { ...base, ...overrides }), "KubernetesService", argument);
                });
                expect(g.resources).to.have.length(0);
            });
        }

        it("rejects a resource name Kubernetes cannot use for a Service", async () => {
            const { graph: g } = await record(() => {
                expectValidationError(() => new KubernetesService("1web", base), "KubernetesService", "name");
            });
            expect(g.resources).to.have.length(0);
        });

        it("reports every problem at once", () => {
            const error = expectValidationError(() => new KubernetesService("web", { ...base, user: "0", namespace: "X" }), "KubernetesService", "user");
            expect(error.problems.map((p) => p.argument)).to.include("namespace");
        });
    });

    describe("quantities", () => {
        it("converts CPU units and MiB", () => {
            expect([256, 512, 1024, 4096, 1].map(cpuUnitsToQuantity)).to.deep.equal(["250m", "500m", "1000m", "4000m", "1m"]);
            expect(mebibytesToQuantity(512)).to.equal("512Mi");
        });

        it("parses the Kubernetes quantity forms and refuses others", () => {
            expect(parseQuantity("250m")?.value).to.equal(0.25);
            expect(parseQuantity("1.5")?.value).to.equal(1.5);
            expect(parseQuantity("512Mi")?.value).to.equal(512 * 2 ** 20);
            expect(parseQuantity("1G")?.value).to.equal(1e9);
            expect(parseQuantity("2e3")?.value).to.equal(2000);
            for (const bad of ["", "-1", "1mi", "1 Gi", "Mi", "1.2.3", "0x10"]) {
                expect(parseQuantity(bad), bad).to.equal(undefined);
            }
        });
    });
});

function graph(rec: { graph: Graph }): Graph {
    return rec.graph;
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
