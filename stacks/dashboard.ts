/**
 * The stack's CloudWatch dashboard: what the guide says to watch. Per service: response time (p50,
 * p99), error rate and throughput. Components that land later add their own rows.
 */
import * as pulumi from "@pulumi/pulumi";
import { DashboardWidget } from "../components/common/dashboard";

/** A row of ready-made widgets from a component (`edgeWidgets`, `sloWidgets`), under a title. */
export interface WidgetRow {
    title: string;
    widgets: pulumi.Input<DashboardWidget[]>;
}

/** A dashboard row: a title and up to three metric widgets. */
export interface DashboardRow {
    title: string;
    widgets: pulumi.Input<Widget>[];
}

export interface Widget {
    title: string;
    metrics: unknown[][];
    stat?: string;
    yAxisLabel?: string;
}

const WIDTH = 8;
const HEIGHT = 6;

/**
 * The rows for one load-balanced service, on its load balancer's metrics (it serves only this
 * service): with a blue/green, canary or linear deployment the tasks move between two target
 * groups at every deploy, so a target group's metrics would go quiet after the first one.
 */
export function serviceRow(name: string, lbSuffix: pulumi.Input<string>): DashboardRow {
    const lbDims = pulumi.output(lbSuffix);
    return {
        title: `Service ${name}`,
        widgets: [
            lbDims.apply((lb) => ({
                title: `${name}: response time`,
                yAxisLabel: "seconds",
                metrics: [
                    ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat: "p50", label: "p50" }],
                    ["...", { stat: "p99", label: "p99" }],
                ],
            })),
            lbDims.apply((lb) => ({
                title: `${name}: error rate`,
                yAxisLabel: "% of requests",
                metrics: [
                    [{ expression: "100 * FILL(errors, 0) / IF(requests > 0, requests, 1)", label: "5xx rate (%)", id: "rate" }],
                    ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { stat: "Sum", id: "errors", visible: false }],
                    ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum", id: "requests", visible: false }],
                ],
            })),
            lbDims.apply((lb) => ({
                title: `${name}: throughput`,
                yAxisLabel: "requests / minute",
                stat: "Sum",
                metrics: [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum", label: "requests" }]],
            })),
        ],
    };
}

/** The cache's health: engine CPU, memory, hit rate, evictions and connections across its nodes. */
export function cacheRow(name: string, replicationGroupId: pulumi.Input<string>): DashboardRow {
    // ElastiCache publishes per node: a search over the group's nodes shows every one of them.
    const search = (metric: string, stat: string) => pulumi.output(replicationGroupId).apply((id) => [{
        expression: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="${metric}" "${id}"', '${stat}', 60)`,
        id: metric.toLowerCase(),
    }]);
    return {
        title: `Cache ${name}`,
        widgets: [
            search("EngineCPUUtilization", "Maximum").apply((q) => ({ title: `${name}: engine CPU`, yAxisLabel: "%", metrics: [q] })),
            pulumi.all([search("DatabaseMemoryUsagePercentage", "Maximum"), search("CacheHitRate", "Average")])
                .apply(([memory, hits]) => ({ title: `${name}: memory and hit rate`, yAxisLabel: "%", metrics: [memory, hits] })),
            pulumi.all([search("Evictions", "Sum"), search("CurrConnections", "Maximum")])
                .apply(([evictions, connections]) => ({ title: `${name}: evictions and connections`, yAxisLabel: "count", metrics: [evictions, connections] })),
        ],
    };
}

/** The database's health: CPU, free storage and memory, connections and replica lag. */
export function databaseRow(name: string, instanceIdentifier: pulumi.Input<string>): DashboardRow {
    const metric = (metricName: string, stat: string, label: string) => pulumi.output(instanceIdentifier)
        .apply((id) => ["AWS/RDS", metricName, "DBInstanceIdentifier", id, { stat, label }]);
    return {
        title: `Database ${name}`,
        widgets: [
            pulumi.all([metric("CPUUtilization", "Maximum", "CPU %"), metric("DatabaseConnections", "Maximum", "connections")])
                .apply(([cpu, connections]) => ({ title: `${name}: CPU and connections`, metrics: [cpu, connections] })),
            pulumi.all([metric("FreeStorageSpace", "Minimum", "free storage"), metric("FreeableMemory", "Minimum", "freeable memory")])
                .apply(([storage, memory]) => ({ title: `${name}: free storage and memory`, yAxisLabel: "bytes", metrics: [storage, memory] })),
            pulumi.all([metric("ReadLatency", "Average", "read latency"), metric("WriteLatency", "Average", "write latency")])
                .apply(([read, write]) => ({ title: `${name}: I/O latency`, yAxisLabel: "seconds", metrics: [read, write] })),
        ],
    };
}

/** The dashboard body (JSON) for the given rows, then the components' widget rows below them. */
export function dashboardBody(region: pulumi.Input<string>, rows: DashboardRow[], widgetRows: WidgetRow[] = []): pulumi.Output<string> {
    const extra = pulumi.all(widgetRows.map((r) => pulumi.output(r.widgets)));
    return pulumi.all([region, pulumi.all(rows.map((r) => pulumi.all(r.widgets))), extra]).apply(([regionName, resolved, extraWidgets]) => {
        const widgets: unknown[] = [];
        resolved.forEach((rowWidgets, row) => {
            const y = row * (HEIGHT + 1);
            widgets.push({ type: "text", x: 0, y, width: 24, height: 1, properties: { markdown: `## ${rows[row].title}` } });
            rowWidgets.forEach((w, col) => widgets.push({
                type: "metric",
                x: col * WIDTH,
                y: y + 1,
                width: WIDTH,
                height: HEIGHT,
                properties: {
                    title: w.title,
                    region: regionName,
                    view: "timeSeries",
                    period: 60,
                    stat: w.stat ?? "Average",
                    metrics: w.metrics,
                    yAxis: { left: { label: w.yAxisLabel ?? "", min: 0 } },
                },
            }));
        });
        let y = rows.length * (HEIGHT + 1);
        extraWidgets.forEach((group, i) => {
            widgets.push({ type: "text", x: 0, y, width: 24, height: 1, properties: { markdown: `## ${widgetRows[i].title}` } });
            group.forEach((w, j) => widgets.push({ ...w, x: (j % 3) * WIDTH, y: y + 1 + Math.floor(j / 3) * HEIGHT }));
            y += 1 + Math.ceil(group.length / 3) * HEIGHT;
        });
        return JSON.stringify({ widgets });
    });
}
