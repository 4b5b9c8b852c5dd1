/**
 * KubernetesService's rollout (rolling parameters, the ingress-nginx canary and its promotion) and
 * its metrics (metrics port, ServiceMonitor, PrometheusRule): the recorded objects, validated
 * against the Kubernetes schema (kubernetes-models) and the Prometheus Operator's CRD schemas
 * (@kubernetes-models/prometheus-operator), the policy pack, and every refused combination.
 */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { expect } from "chai";
import { IngressController, KubernetesService, KubernetesServiceArgs } from "../../components";
import { sloPrometheusRule } from "../../components/slo/kubernetes";
import { sloObjectives } from "../../components/slo/objectives";
import { expectValidationError, Graph, record, RecordedResource } from "../support/harness";
import { stackConfigSchema } from "../../stacks/config";
import { expectCompliant } from "../support/policy";
import { kubernetesErrors, renderedObject } from "./kubernetesSchema";

const base: KubernetesServiceArgs = { image: "shop/api:1.4.2", domainName: "api.example.com", tls: { secretName: "api-tls" } };
const canaryArgs: Partial<KubernetesServiceArgs> = { canary: { image: "shop/api:1.5.0", weight: 20 }, minCapacity: 4 };
const monitored: Partial<KubernetesServiceArgs> = {
    prometheus: { enabled: true, port: 9090, operator: true, labels: { release: "prometheus" } },
    slo: {},
};

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

async function build(overrides: Partial<KubernetesServiceArgs> = {}): Promise<Graph> {
    return (await record(() => new KubernetesService("web", { ...base, ...overrides }))).graph;
}

/** The recorded object of a type whose Kubernetes name is `name`. */
function named(graph: Graph, type: string, name: string): any {
    const found = graph.byType(type).filter((r) => graph.inputsOf(r).metadata.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return graph.inputsOf(found[0]);
}

/** The Kubernetes core objects (not the operator's custom resources). */
function coreObjects(graph: Graph): RecordedResource[] {
    return graph.customResources.filter((r) => !r.type.startsWith("kubernetes:monitoring.coreos.com/"));
}

function crdError(Model: new (data: any) => { validate(): void }, obj: unknown): string | undefined {
    try {
        new Model(obj).validate();
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

describe("KubernetesService rollout", () => {
    it("takes maxSurge and maxUnavailable as counts or percentages, rendered as Kubernetes's int-or-string", async () => {
        const counts = await build({ rollout: { maxSurge: "2", maxUnavailable: "1" } });
        expect(counts.inputsOf(counts.one(DEPLOYMENT)).spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } });
        const percents = await build({ rollout: { maxSurge: "0%", maxUnavailable: "50%" } });
        expect(percents.inputsOf(percents.one(DEPLOYMENT)).spec.strategy.rollingUpdate).to.deep.equal({ maxSurge: "0%", maxUnavailable: "50%" });
        const defaults = await build({ rollout: {} });
        expect(defaults.inputsOf(defaults.one(DEPLOYMENT)).spec.strategy.rollingUpdate).to.deep.equal({ maxSurge: "25%", maxUnavailable: 0 });
        expect(kubernetesErrors([counts, percents].flatMap((g) => coreObjects(g).map(renderedObject)))).to.deep.equal([]);
    });

    it("accepts a maxSurge percentage above 100% (Kubernetes limits only maxUnavailable)", async () => {
        const g = await build({ rollout: { maxSurge: "200%" } });
        expect(g.inputsOf(g.one(DEPLOYMENT)).spec.strategy.rollingUpdate.maxSurge).to.equal("200%");
    });
});

describe("KubernetesService canary (ingress-nginx)", () => {
    let graph: Graph;
    before(async () => {
        graph = await build(canaryArgs);
    });

    it("runs the canary image in a second Deployment whose pods the stable selectors do not match", () => {
        const stable = named(graph, DEPLOYMENT, "web");
        const canary = named(graph, DEPLOYMENT, "web-canary");
        expect(stable.spec.template.spec.containers[0].image).to.equal("shop/api:1.4.2");
        expect(canary.spec.template.spec.containers[0].image).to.equal("shop/api:1.5.0");
        expect(canary.spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-canary" });
        expect(canary.spec.template.metadata.labels).to.include({ "app.kubernetes.io/instance": "web-canary" });
        // No stable selector (Deployment, Service, HPA target, budget, policy) matches a canary pod.
        const canaryPod = canary.spec.template.metadata.labels;
        const stableSelectors = [stable.spec.selector.matchLabels, named(graph, SERVICE, "web").spec.selector,
            graph.inputsOf(graph.one(PDB)).spec.selector.matchLabels, named(graph, NETPOL, "web").spec.podSelector.matchLabels];
        for (const selector of stableSelectors) {
            expect(Object.entries(selector).every(([k, v]) => canaryPod[k] === v), JSON.stringify(selector)).to.equal(false);
        }
        expect(graph.inputsOf(graph.one(HPA)).spec.scaleTargetRef.name).to.equal("web");
    });

    it("sizes the canary to its share of minCapacity (20% of 4, rounded up) and owns its replica count", () => {
        const canary = graph.byType(DEPLOYMENT).find((r) => graph.inputsOf(r).metadata.name === "web-canary")!;
        expect(graph.inputsOf(canary).spec.replicas).to.equal(1);
        expect(canary.ignoreChanges ?? []).to.not.include("spec.replicas");
        const stable = graph.byType(DEPLOYMENT).find((r) => graph.inputsOf(r).metadata.name === "web")!;
        expect(stable.ignoreChanges).to.include("spec.replicas");
    });

    it("takes explicit replicas and the rollout parameters on the canary too", async () => {
        const g = await build({ ...canaryArgs, canary: { image: "shop/api:1.5.0", weight: 50, replicas: 3 }, rollout: { maxSurge: "1", maxUnavailable: "0" } });
        const canary = named(g, DEPLOYMENT, "web-canary");
        expect(canary.spec.replicas).to.equal(3);
        expect(canary.spec.strategy.rollingUpdate).to.deep.equal({ maxSurge: 1, maxUnavailable: 0 });
        expect(named(g, INGRESS, "web-canary").metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"]).to.equal("50");
    });

    it("serves the canary through its own Service and a weighted canary Ingress on the same host, path and TLS", () => {
        const main = named(graph, INGRESS, "web");
        const canary = named(graph, INGRESS, "web-canary");
        expect(canary.metadata.annotations).to.deep.equal({ "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "20" });
        expect(canary.spec.ingressClassName).to.equal(main.spec.ingressClassName);
        expect(canary.spec.tls).to.deep.equal(main.spec.tls);
        expect(canary.spec.rules[0].host).to.equal(main.spec.rules[0].host);
        expect(canary.spec.rules[0].http.paths[0]).to.deep.equal({ path: "/", pathType: "Prefix", backend: { service: { name: "web-canary", port: { name: "http" } } } });
        expect(Object.keys(main.metadata.annotations).some((k) => k.includes("canary"))).to.equal(false);
        const svc = named(graph, SERVICE, "web-canary");
        expect(svc.spec.selector).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-canary" });
    });

    it("creates the canary Ingress after the canary's pods (and deletes it before them on promotion), after the namespace too", async () => {
        const g = await build({ ...canaryArgs, namespace: "shop", createNamespace: true });
        const resource = (type: string, name: string) => g.byType(type).find((r) => g.inputsOf(r).metadata.name === name)!;
        const ingress = resource(INGRESS, "web-canary");
        expect(ingress.dependencies).to.include(resource(DEPLOYMENT, "web-canary").urn);
        expect(ingress.dependencies).to.include(g.one("kubernetes:core/v1:Namespace").urn);
    });

    it("restricts the canary pods with a NetworkPolicy of their own, the same rules as the stable pods", () => {
        const stable = named(graph, NETPOL, "web");
        const canary = named(graph, NETPOL, "web-canary");
        expect(canary.spec.podSelector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-canary" });
        expect(canary.spec.ingress).to.deep.equal(stable.spec.ingress);
        expect(canary.spec.egress).to.deep.equal(stable.spec.egress);
    });

    it("adds exactly the four canary objects, children of the component; promotion (image = canary's, no canary) removes them", async () => {
        const names = (g: Graph) => g.customResources.map((r) => r.name).sort();
        const promoted = await build({ minCapacity: 4, image: "shop/api:1.5.0" });
        expect(names(graph).filter((n) => !names(promoted).includes(n))).to.deep.equal(["web-canary-deployment", "web-canary-ingress", "web-canary-netpol", "web-canary-service"]);
        expect(named(promoted, DEPLOYMENT, "web").spec.template.spec.containers[0].image).to.equal("shop/api:1.5.0");
        const component = graph.one("scaling-toolkit:index:KubernetesService");
        for (const r of graph.customResources) {
            expect(r.parent, r.name).to.equal(component.urn);
        }
    });

    it("keeps a dark canary (weight 0) deployed without traffic", async () => {
        const g = await build({ ...canaryArgs, canary: { image: "shop/api:1.5.0", weight: 0 } });
        expect(named(g, INGRESS, "web-canary").metadata.annotations["nginx.ingress.kubernetes.io/canary-weight"]).to.equal("0");
        expect(named(g, DEPLOYMENT, "web-canary").spec.replicas).to.equal(1);
    });

    it("renders objects that pass the Kubernetes schema, unknown fields refused", () => {
        expect(kubernetesErrors(coreObjects(graph).map(renderedObject))).to.deep.equal([]);
    });

    it("passes every mandatory policy, the Pod Security restricted profile on the canary Deployment included", async () => {
        const report = expectCompliant(graph);
        const canaryFindings = report.violations.filter((v) => (v.resourceName ?? "").startsWith("web-canary") && v.level === "mandatory");
        expect(canaryFindings).to.deep.equal([]);
        expect(report.policies.map((p) => p.name)).to.include("k8s-pod-security-restricted");
        const both = expectCompliant(await build({ ...canaryArgs, ...monitored }));
        expect(both.violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
    });
});

describe("KubernetesService metrics and SLOs (Prometheus Operator)", () => {
    let graph: Graph;
    before(async () => {
        graph = await build(monitored);
    });

    it("exposes the metrics port as a named container port and Service port", () => {
        const container = graph.inputsOf(graph.one(DEPLOYMENT)).spec.template.spec.containers[0];
        expect(container.ports).to.deep.include({ name: "metrics", containerPort: 9090, protocol: "TCP" });
        expect(graph.inputsOf(graph.one(SERVICE)).spec.ports).to.deep.equal([
            { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
            { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
        ]);
    });

    it("admits Prometheus's namespace to the metrics port only", () => {
        expect(graph.inputsOf(graph.one(NETPOL)).spec.ingress).to.deep.equal([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8080 }] },
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 9090 }] },
        ]);
    });

    it("creates a ServiceMonitor on the metrics Service port that passes the operator's CRD schema", () => {
        const monitor = renderedObject(graph.one(SERVICE_MONITOR));
        expect(crdError(ServiceMonitor, monitor)).to.equal(undefined);
        const spec = monitor.spec as any;
        expect(spec.endpoints).to.deep.equal([{ port: "metrics", path: "/metrics", interval: "30s", scheme: "http" }]);
        expect(spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "web" });
        expect(spec.namespaceSelector.matchNames).to.deep.equal(["default"]);
        expect((monitor.metadata as any).labels).to.include({ release: "prometheus", "app.kubernetes.io/name": "web" });
    });

    it("creates the PrometheusRule with the same burn-rate alerts as the builder, passing the CRD schema", () => {
        const rule = renderedObject(graph.one(PROMETHEUS_RULE));
        expect(crdError(PrometheusRule, rule)).to.equal(undefined);
        const expected = sloPrometheusRule({ service: "web", namespace: "default", selector: {}, objectives: sloObjectives("KubernetesService", "web", {}) }) as any;
        expect((rule.spec as any).groups).to.deep.equal(expected.spec.groups);
        const alerts = (rule.spec as any).groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
        expect(alerts.map((a: any) => a.expr)).to.include('slo:availability_errors:ratio_rate1h{service="web"} > 0.0144 and slo:availability_errors:ratio_rate5m{service="web"} > 0.0144');
        expect((rule.metadata as any).labels.release).to.equal("prometheus");
    });

    it("reads the caller's objectives and metric names, scrape interval and a shared metrics port", async () => {
        const g = await build({
            prometheus: { enabled: true, operator: true, scrapeInterval: "1m" },
            slo: { availability: { objectivePercent: 99.95 }, latency: { enabled: false }, metrics: { requestsTotal: "http_server_requests_seconds_count", codeLabel: "status" } },
        });
        const monitor = renderedObject(g.one(SERVICE_MONITOR));
        expect((monitor.spec as any).endpoints[0]).to.include({ port: "http", interval: "1m" });
        expect(g.inputsOf(g.one(SERVICE)).spec.ports.map((p: any) => p.name)).to.deep.equal(["http"]);
        const rule = renderedObject(g.one(PROMETHEUS_RULE)) as any;
        expect(rule.spec.groups.map((gr: any) => gr.name)).to.deep.equal(["web-availability-slo"]);
        expect(rule.spec.groups[0].rules[0].expr).to.contain('http_server_requests_seconds_count{job="web",status=~"5.."}');
        expect(rule.spec.groups[0].rules.find((r: any) => r.alert).expr).to.contain("> 0.0072");
        expect(crdError(PrometheusRule, rule)).to.equal(undefined);
    });

    it("creates a ServiceMonitor without SLOs, and neither object without the operator", async () => {
        const monitorOnly = await build({ prometheus: { enabled: true, operator: true } });
        expect(monitorOnly.byType(SERVICE_MONITOR)).to.have.length(1);
        expect(monitorOnly.byType(PROMETHEUS_RULE)).to.have.length(0);
        const annotationsOnly = await build({ prometheus: { enabled: true, port: 9090 } });
        expect(annotationsOnly.byType(SERVICE_MONITOR)).to.have.length(0);
        expect(annotationsOnly.inputsOf(annotationsOnly.one(SERVICE)).spec.ports.map((p: any) => p.name)).to.deep.equal(["http", "metrics"]);
    });

    it("scrapes the canary too (its series carry job=\"web-canary\"), the SLO counting the stable Service", async () => {
        const g = await build({ ...canaryArgs, ...monitored });
        const canaryService = named(g, SERVICE, "web-canary");
        const selector = (renderedObject(g.one(SERVICE_MONITOR)).spec as any).selector.matchLabels;
        expect(Object.entries(selector).every(([k, v]) => canaryService.metadata.labels[k] === v)).to.equal(true);
        expect(canaryService.spec.ports.map((p: any) => p.name)).to.deep.equal(["http", "metrics"]);
        expect(named(g, NETPOL, "web-canary").spec.ingress[1].ports).to.deep.equal([{ protocol: "TCP", port: 9090 }]);
        expect(kubernetesErrors(coreObjects(g).map(renderedObject))).to.deep.equal([]);
    });
});

describe("KubernetesService rollout, canary and monitoring validation", () => {
    const cases: [string, Partial<KubernetesServiceArgs>, string, RegExp][] = [
        ["a maxSurge that is neither a count nor a percentage", { rollout: { maxSurge: "1.5" } }, "rollout.maxSurge", /whole number of pods/],
        ["a negative maxUnavailable", { rollout: { maxUnavailable: "-1" } }, "rollout.maxUnavailable", /whole number of pods/],
        ["a maxUnavailable above 100%", { rollout: { maxUnavailable: "150%" } }, "rollout.maxUnavailable", /at most "100%"/],
        ["maxSurge and maxUnavailable both zero", { rollout: { maxSurge: "0%", maxUnavailable: "0" } }, "rollout.maxUnavailable", /more than zero when rollout.maxSurge is zero/],
        ["a maxSurge given as a number", { rollout: { maxSurge: 1 as unknown as string } }, "rollout.maxSurge", /a string/],
        ["a canary behind Traefik", { ...canaryArgs, ingressController: IngressController.Traefik }, "canary", /IngressController.Nginx/],
        ["a canary of the service's own image", { canary: { image: base.image as string } }, "canary.image", /other than the service's/],
        ["a canary without an image", { canary: { image: "" } }, "canary.image", /non-empty/],
        ["a canary weight above 100", { canary: { image: "shop/api:2", weight: 101 } }, "canary.weight", /from 0 to 100/],
        ["a fractional canary weight", { canary: { image: "shop/api:2", weight: 12.5 } }, "canary.weight", /integer/],
        ["more canary replicas than maxCapacity", { canary: { image: "shop/api:2", replicas: 11 } }, "canary.replicas", /from 1 to 10/],
        ["a canary annotation on the main Ingress", { ingressAnnotations: { "nginx.ingress.kubernetes.io/canary-weight": "10" } }, "ingressAnnotations.nginx.ingress.kubernetes.io/canary-weight", /use the `canary` argument/],
        ["SLOs without the Prometheus Operator", { prometheus: { enabled: true }, slo: {} }, "slo", /operator: true/],
        ["SLOs without metrics at all", { slo: {} }, "slo", /operator: true/],
        ["the operator without scraping", { prometheus: { enabled: false, operator: true } }, "prometheus.operator", /prometheus.enabled: true/],
        ["a bad SLO objective", { ...monitored, slo: { availability: { objectivePercent: 100 } } }, "slo.availability.objectivePercent", /50 to 99.999/],
        ["a metric name Prometheus refuses", { ...monitored, slo: { metrics: { requestsTotal: "http-requests" } } }, "slo.metrics.requestsTotal", /metric name/],
        ["a label name Prometheus refuses", { ...monitored, slo: { metrics: { codeLabel: "status.code" } } }, "slo.metrics.codeLabel", /label name/],
        ["a scrape interval that is not a duration", { prometheus: { enabled: true, operator: true, scrapeInterval: "30 seconds" } }, "prometheus.scrapeInterval", /Prometheus duration/],
        ["a zero scrape interval", { prometheus: { enabled: true, operator: true, scrapeInterval: "0s" } }, "prometheus.scrapeInterval", /above zero/],
        ["a selector label that is not a label", { prometheus: { enabled: true, operator: true, labels: { release: "kube prometheus" } } }, "prometheus.labels.release", /Kubernetes label/],
        ["a separate metrics port on the Service's HTTP port", { prometheus: { enabled: true, port: 80 } }, "prometheus.port", /other than 80/],
    ];
    for (const [what, overrides, argument, allowed] of cases) {
        it(`rejects ${what} before creating anything`, async () => {
            const { graph } = await record(() => {
                const error = expectValidationError(() => new KubernetesService("web", { ...base, ...overrides }), "KubernetesService", argument);
                expect(error.message).to.match(allowed);
            });
            expect(graph.resources).to.have.length(0);
        });
    }

    it("rejects a name too long for the canary's Service", async () => {
        const long = `a${"b".repeat(57)}`;
        const { graph } = await record(() => {
            const error = expectValidationError(() => new KubernetesService(long, { ...base, canary: { image: "shop/api:2" } }), "KubernetesService", "name");
            expect(error.message).to.contain("at most 56 characters");
        });
        expect(graph.resources).to.have.length(0);
    });
});

describe("the stacks' config of a canary", () => {
    const stack = {
        network: { cidrBlock: "10.0.0.0/16", availabilityZones: 2, natGateways: "Single", flowLogRetentionDays: 7 },
        dns: { domain: "dev.example.com", hostedZoneId: "Z0DEV" },
        protections: { deletionProtection: false, logRetentionDays: 7 },
        kubernetes: { namespace: "shop", certManagerIssuer: "letsencrypt" },
    };
    const canary = { image: "shop/web:2.1.0", weight: 25 };

    it("takes canary and rollout on a Kubernetes service", () => {
        const parsed = stackConfigSchema.safeParse({ ...stack, services: [{ name: "web", image: "shop/web:2.0.1", platform: "kubernetes", canary, rollout: { maxSurge: "1" } }] });
        expect(parsed.error?.issues).to.equal(undefined);
        expect(parsed.data!.services[0].canary).to.deep.equal(canary);
    });

    it("refuses them on an AWS service, naming the key", () => {
        const parsed = stackConfigSchema.safeParse({ ...stack, services: [{ name: "api", image: "shop/api:1", canary }] });
        expect(parsed.success).to.equal(false);
        expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).to.deep.include(["services.0.canary", "no canary or rollout: they configure Kubernetes services (platform: kubernetes)"]);
    });
});
