/**
 * The service's metrics on Kubernetes: the scrape settings, and with the Prometheus Operator a
 * ServiceMonitor and the SLOs' PrometheusRule (the pure builders of components/slo/kubernetes.ts,
 * created as `k8s.apiextensions.CustomResource`s).
 *
 * Whether the operator's CRDs are installed cannot be asked offline (the preview runs without a
 * cluster), so the caller says so with `prometheus.operator`; a ServiceMonitor sent to a cluster
 * without the CRDs fails the deploy with "no matches for kind", before anything else changes.
 */
import * as k8s from "@pulumi/kubernetes";
import { Validator } from "../../common/validation";
import { PrometheusSloMetrics, sloPrometheusRule, sloServiceMonitor, KubernetesSloOptions } from "../../slo/kubernetes";
import { ObjectiveSpec, sloObjectives } from "../../slo/objectives";
import { KubernetesServiceArgs, PrometheusScrapeArgs } from "./args";
import { HTTP_PORT_NAME, KubernetesContext, METRICS_PORT_NAME } from "./context";
import { isLabelKey, isLabelValue } from "./names";
import type { KubernetesSpec } from "./spec";

/** The scrape settings, defaults applied. */
export interface PrometheusSpec {
    path: string;
    port: number;
    namespace: string;
    /** Create a ServiceMonitor (the Prometheus Operator's CRDs are installed). */
    operator: boolean;
    labels: Record<string, string>;
    scrapeInterval: string;
}

/** The SLOs as a PrometheusRule. */
export interface MonitoringSpec {
    objectives: ObjectiveSpec[];
    metrics?: PrometheusSloMetrics;
}

/** The port the Service serves HTTP on; a separate metrics port may not take it. */
export const SERVICE_HTTP_PORT = 80;

/**
 * A Prometheus duration, as the operator's CRDs accept it (the `Duration` pattern of
 * monitoring.coreos.com/v1, @kubernetes-models/prometheus-operator 4.4.4), without the `0` that
 * would mean "the Prometheus default".
 */
const DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;
/** Prometheus metric and label names (Prometheus docs, "Data model": metric names and labels). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function resolvePrometheus(args: PrometheusScrapeArgs | undefined, containerPort: number): PrometheusSpec | undefined {
    if (!args?.enabled) {
        return undefined;
    }
    return {
        path: args.path ?? "/metrics",
        port: args.port ?? containerPort,
        namespace: args.namespace ?? "monitoring",
        operator: args.operator ?? false,
        labels: args.labels ?? {},
        scrapeInterval: args.scrapeInterval ?? "30s",
    };
}

/** The Service port name Prometheus scrapes: `metrics` when the metrics have their own port, else `http`. */
export function metricsServicePort(spec: KubernetesSpec): string | undefined {
    if (spec.prometheus === undefined) {
        return undefined;
    }
    return spec.prometheus.port === spec.container.port ? HTTP_PORT_NAME : METRICS_PORT_NAME;
}

/** Validates the operator settings and resolves the SLOs; refuses what cannot work together. */
export function checkMonitoring(v: Validator, spec: KubernetesSpec, args: KubernetesServiceArgs): MonitoringSpec | undefined {
    const p = spec.prometheus;
    if (args.prometheus?.operator === true && p === undefined) {
        v.check(false, "prometheus.operator", true, "true only with prometheus.enabled: true (the ServiceMonitor scrapes the metrics port that setting exposes)");
    }
    if (p !== undefined) {
        v.check(DURATION.test(p.scrapeInterval) && /[1-9]/.test(p.scrapeInterval), "prometheus.scrapeInterval", p.scrapeInterval,
            "a Prometheus duration above zero such as \"30s\", \"1m\" or \"1m30s\"");
        for (const [key, value] of Object.entries(p.labels)) {
            v.check(isLabelKey(key) && isLabelValue(value), `prometheus.labels.${key}`, value, "a Kubernetes label such as release: prometheus");
        }
        v.check(p.port === spec.container.port || p.port !== SERVICE_HTTP_PORT, "prometheus.port", p.port,
            `a port other than ${SERVICE_HTTP_PORT} (the Service serves HTTP on it), or the container port (${spec.container.port})`);
    }
    if (args.slo === undefined) {
        return undefined;
    }
    v.check(p?.operator === true, "slo", args.slo,
        "only with prometheus: { enabled: true, operator: true } (the burn-rate alerts are a PrometheusRule, a Prometheus Operator resource)");
    const metrics = args.slo.metrics;
    for (const key of ["requestsTotal", "durationHistogram"] as const) {
        const name = metrics?.[key];
        v.check(name === undefined || METRIC_NAME.test(name), `slo.metrics.${key}`, name, "a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    v.check(metrics?.codeLabel === undefined || LABEL_NAME.test(metrics.codeLabel), "slo.metrics.codeLabel", metrics?.codeLabel,
        "a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    const objectives = v.nested("slo", () => sloObjectives("KubernetesService", spec.name, args.slo!));
    return { objectives: objectives ?? [], metrics };
}

/**
 * The builders' options for this service: the stable Service and the canary's, by their common name
 * label. Without `jobLabel`, the operator gives each target's series `job="<Service name>"`
 * (ServiceMonitor `spec.jobLabel`: "If the value of this field is empty or if the label doesn't
 * exist for the given Service, the `job` label of the metrics defaults to the name of the associated
 * Kubernetes `Service`"), so the rules' `job="<name>"` reads the stable pods and the canary's series
 * carry `job="<name>-canary"`.
 */
function sloOptions(ctx: KubernetesContext, spec: KubernetesSpec, prometheus: PrometheusSpec): KubernetesSloOptions {
    return {
        service: ctx.name,
        namespace: spec.namespace,
        selector: { "app.kubernetes.io/name": ctx.name },
        metricsPort: metricsServicePort(spec),
        metricsPath: prometheus.path,
        scrapeInterval: prometheus.scrapeInterval,
        objectives: spec.slo?.objectives ?? [],
        metrics: spec.slo?.metrics,
        labels: { ...ctx.labels, ...prometheus.labels },
    };
}

/** A plain `monitoring.coreos.com/v1` object as a custom resource of the service. */
function customResource(ctx: KubernetesContext, suffix: string, obj: Record<string, unknown>): k8s.apiextensions.CustomResource {
    const { apiVersion, kind, metadata, spec } = obj as { apiVersion: string; kind: string; metadata: object; spec: object };
    return new k8s.apiextensions.CustomResource(ctx.child(suffix), { apiVersion, kind, metadata, spec }, ctx.childOpts);
}

/** The ServiceMonitor (with `prometheus.operator`) and the PrometheusRule (with `slo`). */
export function monitoring(ctx: KubernetesContext, spec: KubernetesSpec): k8s.apiextensions.CustomResource[] {
    const prometheus = spec.prometheus;
    if (prometheus === undefined || !prometheus.operator) {
        return [];
    }
    const options = sloOptions(ctx, spec, prometheus);
    return [
        customResource(ctx, "servicemonitor", sloServiceMonitor(options)),
        ...(spec.slo !== undefined ? [customResource(ctx, "prometheusrule", sloPrometheusRule(options))] : []),
    ];
}
