/**
 * The Kubernetes side of the SLOs, validated against the Prometheus Operator's CRD schemas
 * (@kubernetes-models/prometheus-operator, generated from the operator's CRDs).
 */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { expect } from "chai";
import { sloObjectives } from "../../components/slo/objectives";
import { ValidationError } from "../../components/common/errors";
import { burnAlertExpression, errorRatioQuery, KubernetesSloOptions, sloPrometheusRule, sloServiceMonitor } from "../../components/slo/kubernetes";

const objectives = sloObjectives("KubernetesService", "api", {});
const options: KubernetesSloOptions = { service: "api", namespace: "shop", selector: { app: "api" }, objectives, labels: { release: "prometheus" } };

/** Validates an object against the CRD schema; returns the error message, or undefined when valid. */
function schemaError(Model: new (data: any) => { validate(): void }, obj: unknown): string | undefined {
    try {
        new Model(obj).validate();
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

describe("SLOs on Kubernetes (Prometheus Operator)", () => {
    it("the ServiceMonitor passes the CRD schema and scrapes the metrics port of the selected Service", () => {
        const monitor = sloServiceMonitor(options) as any;
        expect(schemaError(ServiceMonitor, monitor)).to.equal(undefined);
        expect(monitor.spec.selector.matchLabels).to.deep.equal({ app: "api" });
        expect(monitor.spec.namespaceSelector.matchNames).to.deep.equal(["shop"]);
        expect(monitor.spec.endpoints).to.deep.equal([{ port: "metrics", path: "/metrics", interval: "30s", scheme: "http" }]);
        expect(monitor.metadata.labels.release).to.equal("prometheus");
    });

    it("the PrometheusRule passes the CRD schema", () => {
        expect(schemaError(PrometheusRule, sloPrometheusRule(options))).to.equal(undefined);
    });

    it("the schema check catches a broken object (a rule without expr, an endpoint port that is a number)", () => {
        const rule = sloPrometheusRule(options) as any;
        delete rule.spec.groups[0].rules[0].expr;
        expect(schemaError(PrometheusRule, rule)).to.contain("expr");
        const monitor = sloServiceMonitor(options) as any;
        monitor.spec.endpoints[0].port = 9090;
        expect(schemaError(ServiceMonitor, monitor)).to.contain("port");
    });

    it("records the error ratio over every window the rules use", () => {
        const [availability, latency] = (sloPrometheusRule(options) as any).spec.groups;
        const records = availability.rules.filter((r: { record?: string }) => r.record);
        expect(records.map((r: { record: string }) => r.record)).to.deep.equal([
            "slo:availability_errors:ratio_rate5m", "slo:availability_errors:ratio_rate30m", "slo:availability_errors:ratio_rate1h", "slo:availability_errors:ratio_rate6h",
        ]);
        expect(records[2].expr).to.equal('sum(rate(http_requests_total{job="api",code=~"5.."}[1h])) / sum(rate(http_requests_total{job="api"}[1h]))');
        expect(records[2].labels).to.deep.equal({ service: "api" });
        expect(latency.rules[0].expr).to.equal('1 - (sum(rate(http_request_duration_seconds_bucket{job="api",le="0.3"}[5m])) / sum(rate(http_request_duration_seconds_count{job="api"}[5m])))');
    });

    it("alerts when both windows of a rule burn above burn rate x (1 - objective), with the rule's severity", () => {
        const [availability, latency] = (sloPrometheusRule(options) as any).spec.groups;
        const alerts = [...availability.rules, ...latency.rules].filter((r: { alert?: string }) => r.alert);
        expect(alerts.map((a: { alert: string; labels: { severity: string } }) => [a.alert, a.labels.severity])).to.deep.equal([
            ["ApiAvailabilityBudgetBurnPage", "page"], ["ApiAvailabilityBudgetBurnTicket", "ticket"],
            ["ApiLatencyBudgetBurnPage", "page"], ["ApiLatencyBudgetBurnTicket", "ticket"],
        ]);
        expect(alerts[0].expr).to.equal('slo:availability_errors:ratio_rate1h{service="api"} > 0.0144 and slo:availability_errors:ratio_rate5m{service="api"} > 0.0144');
        expect(alerts[1].expr).to.equal('slo:availability_errors:ratio_rate6h{service="api"} > 0.006 and slo:availability_errors:ratio_rate30m{service="api"} > 0.006');
        expect(alerts[2].expr).to.equal('slo:latency_errors:ratio_rate1h{service="api"} > 0.144 and slo:latency_errors:ratio_rate5m{service="api"} > 0.144');
        // Every series an alert reads is one the rule records.
        const recorded = new Set([...availability.rules, ...latency.rules].map((r: { record?: string }) => r.record).filter(Boolean));
        for (const a of alerts) {
            for (const [, name] of (a.expr as string).matchAll(/(slo:[a-z_]+:ratio_rate\w+)\{/g)) {
                expect(recorded.has(name), name).to.equal(true);
            }
        }
    });

    it("resolves the same default objectives as on AWS, and refuses a bad one naming the caller", () => {
        expect(objectives).to.deep.equal([{ id: "availability", objectivePercent: 99.9 }, { id: "latency", objectivePercent: 99, thresholdMs: 300 }]);
        expect(() => sloObjectives("KubernetesService", "api", { availability: { objectivePercent: 100 } })).to.throw(ValidationError, /KubernetesService "api": argument "availability.objectivePercent" was 100/);
    });

    it("reads the caller's metric names", () => {
        const custom = { ...options, metrics: { requestsTotal: "http_server_requests_seconds_count", codeLabel: "status", durationHistogram: "http_server_requests_seconds" } };
        expect(errorRatioQuery(custom, objectives[0], 30)).to.equal('sum(rate(http_server_requests_seconds_count{job="api",status=~"5.."}[30m])) / sum(rate(http_server_requests_seconds_count{job="api"}[30m]))');
        expect(burnAlertExpression(custom, objectives[1], { id: "ticket", burnRate: 6, longWindowMinutes: 360, shortWindowMinutes: 30 })).to.contain("> 0.06");
        expect(schemaError(PrometheusRule, sloPrometheusRule(custom))).to.equal(undefined);
    });
});
