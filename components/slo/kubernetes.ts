/**
 * The same SLOs on Kubernetes, for clusters running the Prometheus Operator: a ServiceMonitor that
 * scrapes the service's metrics port, and a PrometheusRule with recording rules for the error ratio
 * over every window the burn-rate rules use and one alert per rule (both windows above
 * burn rate x (1 - objective)), as the SRE workbook writes them in PromQL.
 *
 * Pure functions: they return plain objects of `monitoring.coreos.com/v1`, which a component creates
 * with `k8s.apiextensions.CustomResource` when the CRDs are present.
 */
import { BurnRateRule, burnThreshold, BURN_RATE_RULES, ObjectiveSpec } from "./objectives";

export const MONITORING_API_VERSION = "monitoring.coreos.com/v1";

/** The metrics the rules read: the names most Prometheus HTTP instrumentations use. */
export interface PrometheusSloMetrics {
    /**
     * A counter of requests with a status code label.
     * @default "http_requests_total"
     */
    requestsTotal?: string;
    /**
     * The label holding the status code.
     * @default "code"
     */
    codeLabel?: string;
    /**
     * A histogram of request durations in seconds (its `_bucket` and `_count` series are read).
     * @default "http_request_duration_seconds"
     */
    durationHistogram?: string;
}

export interface KubernetesSloOptions {
    /** The service's name: the `job` label Prometheus gives its targets (the Service's name) and the objects' name. */
    service: string;
    namespace: string;
    /** The labels of the Service to scrape. */
    selector: Record<string, string>;
    /**
     * The name of the Service port serving metrics.
     * @default "metrics"
     */
    metricsPort?: string;
    /**
     * The metrics path.
     * @default "/metrics"
     */
    metricsPath?: string;
    /**
     * The scrape interval.
     * @default "30s"
     */
    scrapeInterval?: string;
    /** The objectives (as `sloSpec` resolves them). */
    objectives: ObjectiveSpec[];
    metrics?: PrometheusSloMetrics;
    /** Labels added to both objects (a Prometheus selects ServiceMonitors and rules by labels). */
    labels?: Record<string, string>;
}

/** The ServiceMonitor scraping the service's metrics port. */
export function sloServiceMonitor(o: KubernetesSloOptions): Record<string, unknown> {
    return {
        apiVersion: MONITORING_API_VERSION,
        kind: "ServiceMonitor",
        metadata: { name: o.service, namespace: o.namespace, labels: { ...(o.labels ?? {}), app: o.service } },
        spec: {
            selector: { matchLabels: o.selector },
            namespaceSelector: { matchNames: [o.namespace] },
            endpoints: [{ port: o.metricsPort ?? "metrics", path: o.metricsPath ?? "/metrics", interval: o.scrapeInterval ?? "30s", scheme: "http" }],
        },
    };
}

/** `5m`, `1h`, `6h`: Prometheus durations of the windows. */
export function promDuration(minutes: number): string {
    return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** The name of the recording rule holding an objective's error ratio over a window. */
export function recordName(objective: ObjectiveSpec, minutes: number): string {
    return `slo:${objective.id}_errors:ratio_rate${promDuration(minutes)}`;
}

/** The PromQL of an objective's error ratio over a window. */
export function errorRatioQuery(o: KubernetesSloOptions, objective: ObjectiveSpec, minutes: number): string {
    const m = { requestsTotal: "http_requests_total", codeLabel: "code", durationHistogram: "http_request_duration_seconds", ...(o.metrics ?? {}) };
    const w = promDuration(minutes);
    const job = `job="${o.service}"`;
    if (objective.id === "latency") {
        const le = String(objective.thresholdMs! / 1000);
        return `1 - (sum(rate(${m.durationHistogram}_bucket{${job},le="${le}"}[${w}])) / sum(rate(${m.durationHistogram}_count{${job}}[${w}])))`;
    }
    return `sum(rate(${m.requestsTotal}{${job},${m.codeLabel}=~"5.."}[${w}])) / sum(rate(${m.requestsTotal}{${job}}[${w}]))`;
}

/** The alert expression of one rule: both windows' ratios above the threshold. */
export function burnAlertExpression(o: KubernetesSloOptions, objective: ObjectiveSpec, rule: BurnRateRule): string {
    const threshold = burnThreshold(rule, objective.objectivePercent);
    const labels = `{service="${o.service}"}`;
    return `${recordName(objective, rule.longWindowMinutes)}${labels} > ${threshold} and ${recordName(objective, rule.shortWindowMinutes)}${labels} > ${threshold}`;
}

const capitalised = (s: string) => s.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());

/** The PrometheusRule: recording rules for every window, one alert per objective and burn-rate rule. */
export function sloPrometheusRule(o: KubernetesSloOptions): Record<string, unknown> {
    const windows = [...new Set(BURN_RATE_RULES.flatMap((r) => [r.shortWindowMinutes, r.longWindowMinutes]))].sort((a, b) => a - b);
    const groups = o.objectives.map((objective) => ({
        name: `${o.service}-${objective.id}-slo`,
        rules: [
            ...windows.map((minutes) => ({
                record: recordName(objective, minutes),
                expr: errorRatioQuery(o, objective, minutes),
                labels: { service: o.service },
            })),
            ...BURN_RATE_RULES.map((rule) => ({
                alert: `${capitalised(o.service)}${capitalised(objective.id)}BudgetBurn${capitalised(rule.id)}`,
                expr: burnAlertExpression(o, objective, rule),
                labels: { severity: rule.id, service: o.service, slo: objective.id },
                annotations: {
                    summary: `${o.service} is burning its ${objective.id} error budget ${rule.burnRate}x too fast`,
                    description: `The ${objective.id} error ratio of ${o.service} over ${promDuration(rule.longWindowMinutes)} and ${promDuration(rule.shortWindowMinutes)} is above ${burnThreshold(rule, objective.objectivePercent)} (objective ${objective.objectivePercent}%).`,
                },
            })),
        ],
    }));
    return {
        apiVersion: MONITORING_API_VERSION,
        kind: "PrometheusRule",
        metadata: { name: `${o.service}-slo`, namespace: o.namespace, labels: { ...(o.labels ?? {}), app: o.service } },
        spec: { groups },
    };
}
